//! ROP requests: the few a notification client sends (digest 4.4 and 4.6).

use super::*;
use crate::binary::{BinError, NoTrace, Reader};
use crate::cnotif::Id;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RopRequest {
    Logon {
        logon_id: u8,
        output_index: u8,
        logon_flags: u8,
        open_flags: u32,
        store_state: u32,
        /// The ESSDN without its terminator.
        essdn: String,
    },
    OpenFolder {
        logon_id: u8,
        input_index: u8,
        output_index: u8,
        folder_id: Id,
        open_mode: u8,
    },
    CreateMessage {
        logon_id: u8,
        input_index: u8,
        output_index: u8,
        code_page: u16,
        folder_id: Id,
        associated: u8,
    },
    SaveChangesMessage {
        logon_id: u8,
        response_index: u8,
        input_index: u8,
        save_flags: u8,
    },
    RegisterNotification {
        logon_id: u8,
        input_index: u8,
        output_index: u8,
        /// NotificationTypes (u16).
        types: u16,
        /// Present only when `types` has the Extended bit.
        reserved: Option<u8>,
        whole_store: bool,
        /// FolderId and MessageId, present only when `whole_store` is false.
        scope: Option<(Id, Id)>,
    },
    Release {
        logon_id: u8,
        input_index: u8,
    },
}

impl RopRequest {
    pub fn rop_id(&self) -> u8 {
        match self {
            RopRequest::Logon { .. } => ROP_LOGON,
            RopRequest::OpenFolder { .. } => ROP_OPEN_FOLDER,
            RopRequest::CreateMessage { .. } => ROP_CREATE_MESSAGE,
            RopRequest::SaveChangesMessage { .. } => ROP_SAVE_CHANGES_MESSAGE,
            RopRequest::RegisterNotification { .. } => ROP_REGISTER_NOTIFICATION,
            RopRequest::Release { .. } => ROP_RELEASE,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            RopRequest::Logon { .. } => "RopLogon",
            RopRequest::OpenFolder { .. } => "RopOpenFolder",
            RopRequest::CreateMessage { .. } => "RopCreateMessage",
            RopRequest::SaveChangesMessage { .. } => "RopSaveChangesMessage",
            RopRequest::RegisterNotification { .. } => "RopRegisterNotification",
            RopRequest::Release { .. } => "RopRelease",
        }
    }

    /// Appends the request's wire form.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.push(self.rop_id());
        match self {
            RopRequest::Logon {
                logon_id,
                output_index,
                logon_flags,
                open_flags,
                store_state,
                essdn,
            } => {
                out.extend_from_slice(&[*logon_id, *output_index, *logon_flags]);
                out.extend_from_slice(&open_flags.to_le_bytes());
                out.extend_from_slice(&store_state.to_le_bytes());
                let size = (essdn.len() + 1) as u16;
                out.extend_from_slice(&size.to_le_bytes());
                out.extend_from_slice(essdn.as_bytes());
                out.push(0);
            }
            RopRequest::OpenFolder {
                logon_id,
                input_index,
                output_index,
                folder_id,
                open_mode,
            } => {
                out.extend_from_slice(&[*logon_id, *input_index, *output_index]);
                out.extend_from_slice(folder_id);
                out.push(*open_mode);
            }
            RopRequest::CreateMessage {
                logon_id,
                input_index,
                output_index,
                code_page,
                folder_id,
                associated,
            } => {
                out.extend_from_slice(&[*logon_id, *input_index, *output_index]);
                out.extend_from_slice(&code_page.to_le_bytes());
                out.extend_from_slice(folder_id);
                out.push(*associated);
            }
            RopRequest::SaveChangesMessage {
                logon_id,
                response_index,
                input_index,
                save_flags,
            } => out.extend_from_slice(&[*logon_id, *response_index, *input_index, *save_flags]),
            RopRequest::RegisterNotification {
                logon_id,
                input_index,
                output_index,
                types,
                reserved,
                whole_store,
                scope,
            } => {
                out.extend_from_slice(&[*logon_id, *input_index, *output_index]);
                out.extend_from_slice(&types.to_le_bytes());
                if let Some(r) = reserved {
                    out.push(*r);
                }
                out.push(u8::from(*whole_store));
                if let Some((folder, message)) = scope {
                    out.extend_from_slice(folder);
                    out.extend_from_slice(message);
                }
            }
            RopRequest::Release {
                logon_id,
                input_index,
            } => out.extend_from_slice(&[*logon_id, *input_index]),
        }
    }

    /// The handle-table index this request reads from, if any.
    pub fn input_index(&self) -> Option<u8> {
        match self {
            RopRequest::Logon { .. } => None,
            RopRequest::OpenFolder { input_index, .. }
            | RopRequest::CreateMessage { input_index, .. }
            | RopRequest::SaveChangesMessage { input_index, .. }
            | RopRequest::RegisterNotification { input_index, .. }
            | RopRequest::Release { input_index, .. } => Some(*input_index),
        }
    }
}

/// Why a RopsList of requests could not be read: a ROP this codec does not know (its length
/// is unknown, so nothing after it can be read either), or a short or malformed one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestError {
    UnknownRop { rop_id: u8, offset: usize },
    Bytes(BinError),
}

impl From<BinError> for RequestError {
    fn from(e: BinError) -> Self {
        RequestError::Bytes(e)
    }
}

impl std::fmt::Display for RequestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestError::UnknownRop { rop_id, offset } => {
                write!(
                    f,
                    "RopId 0x{rop_id:02X} at offset {offset} is not one this server knows"
                )
            }
            RequestError::Bytes(e) => e.fmt(f),
        }
    }
}

/// Reads every request of a RopsList, in order.
pub fn read_requests(rops: &[u8]) -> Result<Vec<RopRequest>, RequestError> {
    let mut trace = NoTrace;
    let mut r = Reader::new(rops, &mut trace);
    let mut out = Vec::new();
    while r.remaining() > 0 {
        let at = r.pos();
        let rop_id = r.u8("RopId")?;
        let req = match rop_id {
            ROP_LOGON => {
                let logon_id = r.u8("LogonId")?;
                let output_index = r.u8("OutputHandleIndex")?;
                let logon_flags = r.u8("LogonFlags")?;
                let open_flags = r.u32("OpenFlags")?;
                let store_state = r.u32("StoreState")?;
                let size = r.u16("EssdnSize")? as usize;
                let raw = r.bytes("Essdn", size)?;
                let essdn = raw.strip_suffix(&[0]).unwrap_or(raw);
                RopRequest::Logon {
                    logon_id,
                    output_index,
                    logon_flags,
                    open_flags,
                    store_state,
                    essdn: String::from_utf8_lossy(essdn).into_owned(),
                }
            }
            ROP_OPEN_FOLDER => RopRequest::OpenFolder {
                logon_id: r.u8("LogonId")?,
                input_index: r.u8("InputHandleIndex")?,
                output_index: r.u8("OutputHandleIndex")?,
                folder_id: r.array("FolderId")?,
                open_mode: r.u8("OpenModeFlags")?,
            },
            ROP_CREATE_MESSAGE => RopRequest::CreateMessage {
                logon_id: r.u8("LogonId")?,
                input_index: r.u8("InputHandleIndex")?,
                output_index: r.u8("OutputHandleIndex")?,
                code_page: r.u16("CodePageId")?,
                folder_id: r.array("FolderId")?,
                associated: r.u8("AssociatedFlag")?,
            },
            ROP_SAVE_CHANGES_MESSAGE => RopRequest::SaveChangesMessage {
                logon_id: r.u8("LogonId")?,
                response_index: r.u8("ResponseHandleIndex")?,
                input_index: r.u8("InputHandleIndex")?,
                save_flags: r.u8("SaveFlags")?,
            },
            ROP_REGISTER_NOTIFICATION => {
                let logon_id = r.u8("LogonId")?;
                let input_index = r.u8("InputHandleIndex")?;
                let output_index = r.u8("OutputHandleIndex")?;
                let types_value = r.u16("NotificationTypes")?;
                let reserved = if types_value & types::EXTENDED != 0 {
                    Some(r.u8("Reserved")?)
                } else {
                    None
                };
                let whole_store = r.u8("WantWholeStore")? != 0;
                let scope = if whole_store {
                    None
                } else {
                    Some((r.array("FolderId")?, r.array("MessageId")?))
                };
                RopRequest::RegisterNotification {
                    logon_id,
                    input_index,
                    output_index,
                    types: types_value,
                    reserved,
                    whole_store,
                    scope,
                }
            }
            ROP_RELEASE => RopRequest::Release {
                logon_id: r.u8("LogonId")?,
                input_index: r.u8("InputHandleIndex")?,
            },
            other => {
                return Err(RequestError::UnknownRop {
                    rop_id: other,
                    offset: at,
                })
            }
        };
        out.push(req);
    }
    Ok(out)
}

/// The RopsList of `requests`.
pub fn write_requests(requests: &[RopRequest]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in requests {
        r.write(&mut out);
    }
    out
}
