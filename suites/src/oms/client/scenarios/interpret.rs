//! How the client reads the server's answers (MS-OMS 2.2.4.4 notes): what counts as delivered,
//! as failed, and for which recipients.

use crate::oms::client::probe::Client;
use harness::{Level, Scenario};
use mocks::oms::scripted::{example_service_info, Canned};
use wire::oms::Operation;

pub fn all() -> Vec<Scenario> {
    vec![no_error_element()]
}

/// MS-OMS 2.2.4.4: an xmsResponse without any error element means the send failed.
fn no_error_element() -> Scenario {
    Scenario::new("oms-client/interpret/no-error-element")
        .title("An xmsResponse without error element is a failed send")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R060"])
        .level(Level::Structure)
        .caught_by("missing-error-is-success")
        .run(|cx| async move {
            let client = Client::new(&cx)?;
            let server = client.server(&example_service_info(), false).await?;
            client
                .script(
                    &server,
                    Operation::DeliverXms,
                    vec![Canned::errors(&[])],
                    "<xmsResponse/> (no error element)",
                )
                .await;
            let to = client.recipients(2);
            let run = client.send(&server, &to, "oxconf: no error element").await?;
            let outcome = client.single_outcome(&run)?;
            cx.expect_eq("outcome", "failed", outcome.outcome.as_str())?;
            cx.expect_eq("failed recipients", to.clone(), outcome.failed_recipients)
        })
}
