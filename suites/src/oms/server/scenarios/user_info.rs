//! oms-server scenarios: user_info.

use harness::Scenario;

pub fn all() -> Vec<Scenario> {
    vec![]
}
