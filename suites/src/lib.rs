//! The scenarios, per protocol and role. Each suite brings its requirement catalogue, its
//! scenarios, its profile keys and its reference peer.

pub mod cnotif;
pub mod common;
pub mod errata;
pub mod faults;
pub mod oms;
pub mod peers;
pub mod push;

pub use common::catalogue::catalog;
use harness::Suite;
use std::sync::Arc;

/// Every suite oxconf ships, in report order.
pub fn all() -> Vec<Arc<dyn Suite>> {
    vec![
        harness::erase(oms::server::OmsServerSuite),
        harness::erase(oms::client::OmsClientSuite),
        harness::erase(push::listener::PushListenerSuite),
        harness::erase(push::server::PushServerSuite),
        harness::erase(push::subscriber::PushSubscriberSuite),
        harness::erase(cnotif::server::NotifServerSuite),
        harness::erase(cnotif::client::NotifClientSuite),
        harness::erase(cnotif::decoder::NotifDecoderSuite),
    ]
}

/// The mock peers `oxconf mock` starts, beside the suites they are reference peers of.
pub use peers::peers;

/// Looks a suite up by its profile name ("oms-server").
pub fn by_name(name: &str) -> Option<Arc<dyn Suite>> {
    all().into_iter().find(|s| s.info().name == name)
}
