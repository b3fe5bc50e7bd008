//! oms-server scenarios: send_xms.

use harness::Scenario;

pub fn all() -> Vec<Scenario> {
    vec![]
}
