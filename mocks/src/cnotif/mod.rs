//! MS-OXCNOTIF peers: the reference NotificationData decoder and the mock MAPI/HTTP server.

pub mod decoder;
pub mod server;
