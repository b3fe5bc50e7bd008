//! MS-OXCNOTIF core notifications: the suites for a MAPI/HTTP server delivering notifications,
//! for a MAPI client receiving them, and for a decoder of RopNotify NotificationData.

pub mod client;
pub mod decoder;
pub mod server;
