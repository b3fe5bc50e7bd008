//! The scenarios, per protocol and role. Each suite brings its requirement catalogue, its
//! scenarios, its profile keys and its reference peer.

pub mod errata;
pub mod faults;
pub mod oms;
pub mod peers;

use harness::coverage::Catalog;
use harness::Suite;
use std::sync::Arc;

/// Every suite oxconf ships, in report order.
pub fn all() -> Vec<Arc<dyn Suite>> {
    vec![
        harness::erase(oms::server::OmsServerSuite),
        harness::erase(oms::client::OmsClientSuite),
    ]
}

/// The mock peers `oxconf mock` starts, beside the suites they are reference peers of.
pub use peers::peers;

/// Looks a suite up by its profile name ("oms-server").
pub fn by_name(name: &str) -> Option<Arc<dyn Suite>> {
    all().into_iter().find(|s| s.info().name == name)
}

/// The project's requirement catalogue (same ids as the shared catalogue), all specs.
pub fn catalog() -> Catalog {
    let mut catalog = Catalog::default();
    for text in [include_str!("../requirements/oms.json")] {
        // The catalogue is compiled in and checked by a test; an unreadable one is a build bug.
        if let Ok(part) = Catalog::from_json(text) {
            catalog.requirements.extend(part.requirements);
        }
    }
    catalog
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_parses_and_ids_are_unique() {
        let text = include_str!("../requirements/oms.json");
        let catalog = harness::coverage::Catalog::from_json(text).expect("valid catalogue");
        let mut ids: Vec<_> = catalog.requirements.iter().map(|r| r.id.clone()).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
        assert!(n >= 155);
    }
}
