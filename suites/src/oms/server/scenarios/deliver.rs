//! oms-server scenarios: deliver.

use harness::Scenario;

pub fn all() -> Vec<Scenario> {
    vec![]
}
