//! The reference MS-OMS client.
