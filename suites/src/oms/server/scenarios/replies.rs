//! oms-server scenarios: replies.

use harness::Scenario;

pub fn all() -> Vec<Scenario> {
    vec![]
}
