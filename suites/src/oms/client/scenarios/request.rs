//! What the client puts on the wire (MS-OMS 2.1, 3.1.4.3): SOAP binding, action, escaped
//! xmsData, and its schema.

use crate::oms::client::probe::Client;
use harness::{Level, Scenario};
use mocks::oms::scripted::example_service_info;
use wire::oms::Operation;

pub fn all() -> Vec<Scenario> {
    vec![soap_envelope()]
}

/// MS-OMS 2.1, 3.1.4.3.1.1: a DeliverXms request is a SOAP 1.1 or 1.2 envelope carrying the
/// DeliverXms action and one escaped xmsData string.
fn soap_envelope() -> Scenario {
    Scenario::new("oms-client/request/soap-envelope")
        .title("DeliverXms requests are SOAP envelopes with the DeliverXms action and an escaped xmsData")
        .section("MS-OMS 2.1")
        .section("MS-OMS 3.1.4.3.1.1")
        .requirements(["OMS-R003", "OMS-R106", "OMS-R139", "OMS-R155", "OMS-R007"])
        .level(Level::Must)
        .caught_by("wrong-soap-action")
        .caught_by("payload-as-child-elements")
        .run(|cx| async move {
            let client = Client::new(&cx)?;
            let server = client.server(&example_service_info(), false).await?;
            client
                .send(&server, &client.recipients(1), "oxconf: envelope check")
                .await?;
            let requests = client
                .requests_for(&server, Operation::DeliverXms, &["OMS-R003", "OMS-R106"])
                .await?;
            for r in &requests {
                let data = client.xms_data(r)?;
                cx.cite(["OMS-R139"]).expect(
                    "xmsData carries the message",
                    !data.body.contents.is_empty(),
                    "at least one content element",
                    format!("{} content elements", data.body.contents.len()),
                )?;
            }
            Ok(())
        })
}
