//! EWS push peers: the mock Exchange push server (the reference of `push-server`, and the EWS
//! endpoint `push-subscriber` points applications at), the mock push listener (the reference
//! of `push-listener`, and the listener the push-server suite runs) and the reference
//! subscriber application (the reference of `push-subscriber`).

pub mod listener;
pub mod server;
pub mod subscriber;
