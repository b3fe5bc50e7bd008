//! MS-OXCNOTIF core notifications: the suites for a MAPI/HTTP server delivering notifications
//! and for a decoder of RopNotify NotificationData.

pub mod decoder;
pub mod server;
