//! ROP buffers (MS-OXCROPS 2.2.1) as far as core notifications need them: the RopSize /
//! RopsList / handle-table framing, RPC_HEADER_EXT (MS-OXCRPC 2.2.2.1), and the ROPs a client
//! uses to log on, open a folder, create and save a message, register for notifications and
//! release them, with the notification ROPs a server answers with (RopNotify, RopPending,
//! RopBufferTooSmall). Layouts follow the referenced-specs digest, section 4.
//!
//! Both directions are here, because both ends are played: the mock server reads requests and
//! writes responses, the notif-server suite writes requests and reads responses.

pub mod framing;
pub mod request;
pub mod response;

pub use framing::{
    read_rop_buffer, read_rpc_ext, write_rop_buffer, write_rpc_ext, RopBuffer, RpcExtFlags,
    RPC_EXT_COMPRESSED, RPC_EXT_LAST, RPC_EXT_XOR_MAGIC,
};
pub use request::{read_requests, write_requests, RequestError, RopRequest};
pub use response::{
    read_responses, write_responses, Located, LogonSuccess, ResponseError, RopResponse,
};

pub const ROP_RELEASE: u8 = 0x01;
pub const ROP_OPEN_FOLDER: u8 = 0x02;
pub const ROP_CREATE_MESSAGE: u8 = 0x06;
pub const ROP_SAVE_CHANGES_MESSAGE: u8 = 0x0C;
pub const ROP_REGISTER_NOTIFICATION: u8 = 0x29;
pub const ROP_NOTIFY: u8 = 0x2A;
pub const ROP_PENDING: u8 = 0x6E;
pub const ROP_BACKOFF: u8 = 0xF9;
pub const ROP_LOGON: u8 = 0xFE;
pub const ROP_BUFFER_TOO_SMALL: u8 = 0xFF;

/// The handle-table value for "no handle" (an output slot before the ROP fills it).
pub const NO_HANDLE: u32 = 0xFFFF_FFFF;

/// Return values the notification ROPs use (digest 4.2 and 5.8).
pub mod ec {
    pub const SUCCESS: u32 = 0;
    /// Invalid handle index (MS-OXCROPS R4712).
    pub const NULL_OBJECT: u32 = 0x0000_04B9;
    /// Unparseable input buffer (ecRpcFormat).
    pub const RPC_FORMAT: u32 = 0x0000_04B6;
    pub const INVALID_OBJECT: u32 = 0x8004_0108;
    pub const INVALID_PARAM: u32 = 0x8007_0057;
    pub const NOT_FOUND: u32 = 0x8004_010F;
    pub const NOT_SUPPORTED: u32 = 0x8004_0102;
    pub const REJECTED: u32 = 0x0000_07EE;
}

/// RopIds a client MUST NOT send (MS-OXCROPS 2.2.2, digest 4.3).
pub fn is_reserved_rop_id(id: u8) -> bool {
    matches!(id, 0x00 | 0x28 | 0x3C | 0x3D | 0x52 | 0x62 | 0x65 | 0x6A | 0x71 | 0x7C | 0x7D
        | 0x83..=0x85 | 0x87 | 0x88 | 0x8A..=0x8F | 0x94..=0xF8 | 0xFA..=0xFD)
}

/// NotificationTypes bits of RopRegisterNotification (u16; digest 4.4).
pub mod types {
    pub const NEW_MAIL: u16 = 0x0002;
    pub const OBJECT_CREATED: u16 = 0x0004;
    pub const OBJECT_DELETED: u16 = 0x0008;
    pub const OBJECT_MODIFIED: u16 = 0x0010;
    pub const OBJECT_MOVED: u16 = 0x0020;
    pub const OBJECT_COPIED: u16 = 0x0040;
    pub const SEARCH_COMPLETE: u16 = 0x0080;
    pub const TABLE_MODIFIED: u16 = 0x0100;
    /// Extended: a Reserved byte follows NotificationTypes.
    pub const EXTENDED: u16 = 0x0400;
    /// Every event bit a client may register for.
    pub const ALL_EVENTS: u16 = 0x00FE;
}
