//! MS-OXCNOTIF peers: the reference NotificationData decoder, the mock MAPI/HTTP server and the
//! reference MAPI client.

pub mod client;
pub mod decoder;
pub mod server;
