//! The reference MS-OMS server.
