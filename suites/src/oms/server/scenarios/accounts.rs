//! oms-server scenarios: accounts.

use harness::Scenario;

pub fn all() -> Vec<Scenario> {
    vec![]
}
