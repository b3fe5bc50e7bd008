//! oms-client scenarios, one module per concern.

mod batch;
mod interpret;
mod limits;
mod mms;
mod request;

use harness::Scenario;

pub fn all() -> Vec<Scenario> {
    let mut v = Vec::new();
    v.extend(request::all());
    v.extend(limits::all());
    v.extend(batch::all());
    v.extend(interpret::all());
    v.extend(mms::all());
    v
}
