//! oms-server scenarios, one module per part of MS-OMS.

mod service_info;

use harness::Scenario;

pub fn all() -> Vec<Scenario> {
    let mut v = Vec::new();
    v.extend(service_info::all());
    v
}
