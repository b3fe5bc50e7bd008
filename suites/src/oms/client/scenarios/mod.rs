//! oms-client scenarios, one module per concern.

mod interpret;
mod request;

use harness::Scenario;

pub fn all() -> Vec<Scenario> {
    let mut v = Vec::new();
    v.extend(request::all());
    v.extend(interpret::all());
    v
}
