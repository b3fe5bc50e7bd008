//! oms-client scenarios: limits.

use harness::Scenario;

pub fn all() -> Vec<Scenario> {
    vec![]
}
