//! oms-server scenarios, one module per part of MS-OMS.

mod accounts;
mod batch;
mod deliver;
mod replies;
mod send_xms;
mod service_info;
mod soap;
mod transport;
mod user_info;

use harness::Scenario;

pub fn all() -> Vec<Scenario> {
    let mut v = Vec::new();
    v.extend(service_info::all());
    v.extend(soap::all());
    v.extend(transport::all());
    v.extend(user_info::all());
    v.extend(deliver::all());
    v.extend(accounts::all());
    v.extend(send_xms::all());
    v.extend(batch::all());
    v.extend(replies::all());
    v
}
