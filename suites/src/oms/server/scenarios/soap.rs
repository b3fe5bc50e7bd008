//! oms-server scenarios: soap.

use harness::Scenario;

pub fn all() -> Vec<Scenario> {
    vec![]
}
