//! Real transports on loopback: HTTP(S) client and server, TLS material, a (TLS) front end,
//! listener addresses.
//!
//! Everything here faces systems under test that may be hostile or broken, so every read is
//! bounded in time and size and no peer input can make these types panic.

pub mod client;
pub mod front;
pub mod listen;
pub mod server;
pub mod tls;
pub mod url;

pub use client::{Exchange, HttpClient, Request, Response, TransportError};
pub use front::{Front, FrontOptions, TlsFront};
pub use listen::{reachable, Listen};
pub use server::{
    handler, Behaviour, ChannelBody, Handler, HttpServer, ResponseBody, ServerLimits,
    ServerRequest, ServerResponse,
};
pub use tls::{client_config, TestPki, TlsError};
pub use url::{Endpoint, Scheme, UserUrl};
