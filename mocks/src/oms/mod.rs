//! MS-OMS peers: the reference server, the reference client and the scripted server.

pub mod caller;
pub mod client;
pub mod scripted;
pub mod server;

pub use caller::{Call, OmsCaller};
