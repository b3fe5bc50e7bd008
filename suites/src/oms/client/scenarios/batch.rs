//! oms-client scenarios: batch.

use harness::Scenario;

pub fn all() -> Vec<Scenario> {
    vec![]
}
