//! oms-client scenarios: mms.

use harness::Scenario;

pub fn all() -> Vec<Scenario> {
    vec![]
}
