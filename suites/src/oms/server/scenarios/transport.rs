//! oms-server scenarios: transport.

use harness::Scenario;

pub fn all() -> Vec<Scenario> {
    vec![]
}
