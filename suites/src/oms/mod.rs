//! MS-OMS suites: `oms-server` (the SUT is an OMS web service) and `oms-client` (the SUT is an
//! OMS client).

pub mod client;
pub mod profile_keys;
pub mod server;
pub mod trust;
