//! SendXms (MS-OMS 3.1.4): recommended, identical to DeliverXms, absent from the WSDL.

use crate::common::http::{record_exchange, unreachable};
use crate::oms::server::claims;
use crate::oms::server::probe::{outcome_of, Oms};
use harness::{Level, Scenario, Stop};
use wire::oms::{Operation, XmsData, XmsResponse};

pub(super) fn all() -> Vec<Scenario> {
    vec![same_as_deliver()]
}

/// MS-OMS 3.1.4: "the protocol server SHOULD also support a SendXms operation ... the same as
/// DeliverXms". E-OMS-26: SOAPAction .../OMS/SendXms and body SendXms/xmsData are assumed by
/// analogy; its absence is a SHOULD-level finding only. Both answers are held to the
/// code/severity pairing of 2.2.4.4 (binding whatever this scenario's level): the DeliverXms
/// outcome is the expected side of the comparison, so it must be right itself, and an answer
/// pairing "ok" with "failure" must not pass for being the same under both operations.
fn same_as_deliver() -> Scenario {
    Scenario::new("oms-server/send-xms/same-as-deliver")
        .title("SendXms answers the same messages with the same codes as DeliverXms")
        .section("MS-OMS 3.1.4")
        .requirements(["OMS-R104", "OMS-R036", "OMS-R037"])
        .level(Level::Should)
        .needs(claims::SEND_XMS)
        .caught_by("send-xms-missing")
        .caught_by_breaking("ok-with-failure-severity", ["OMS-R036"])
        .caught_by_breaking("ok-with-failure-severity-on-partial", ["OMS-R036"])
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let to = oms.recipients(1);
            let mut mixed = oms.recipients(1);
            mixed.push(oms.env.invalid_recipient.clone());
            let cases: [(&str, XmsData); 2] = [
                (
                    "a valid SMS",
                    oms.sms(&to, &format!("oxconf SendXms {}", oms.nonce())),
                ),
                (
                    "an SMS with an invalid recipient",
                    oms.sms(&mixed, &format!("oxconf SendXms {}", oms.nonce())),
                ),
            ];
            for (what, data) in cases {
                let payload = data.to_xml();
                let delivered = match answer(&oms, Operation::DeliverXms, &payload).await? {
                    Ok(r) => r,
                    Err(why) => {
                        return Err(Stop::inconclusive(format!(
                            "DeliverXms with {what}, which SendXms is compared with, gave no \
                             xmsResponse ({why}); see the deliver scenarios"
                        )))
                    }
                };
                let sent = match answer(&oms, Operation::SendXms, &payload).await? {
                    Ok(r) => r,
                    Err(why) => {
                        cx.checks().check(
                            &format!("SendXms with {what}"),
                            false,
                            "a SendXmsResponse carrying an xmsResponse, as DeliverXms gives",
                            why,
                        );
                        return Ok(());
                    }
                };
                oms.expect_pairing(
                    &format!("code/severity pairs of the DeliverXms answer to {what}"),
                    &delivered.errors,
                )?;
                oms.expect_pairing(
                    &format!("code/severity pairs of the SendXms answer to {what}"),
                    &sent.errors,
                )?;
                cx.checks().check_eq(
                    &format!(
                        "SendXms outcome for {what}, compared with DeliverXms (serviceUpdate aside)"
                    ),
                    outcome_of(&delivered.errors),
                    outcome_of(&sent.errors),
                );
            }
            Ok(())
        })
}

/// `op` with `payload`, recorded. The xmsResponse it carries, or why there is none. This
/// scenario is SHOULD-level, so it judges every shortcoming itself rather than through the
/// probe's binding checks; only an unreachable SUT ends it (inconclusive).
async fn answer(
    oms: &Oms,
    op: Operation,
    payload: &str,
) -> Result<Result<XmsResponse, String>, Stop> {
    oms.account_usable()?;
    let call = oms.env.caller.call(op, oms.soap(), Some(payload)).await;
    record_exchange(
        &oms.cx,
        &format!("{} ({})", op.name(), oms.soap().label()),
        &call.exchange,
    );
    let status = call.status().unwrap_or_default();
    Ok(match call.transport_error() {
        Some(e) if e.unreachable() => return Err(unreachable(&oms.env.caller.url, e)),
        Some(e) => Err(format!("no answer: {e}")),
        None => {
            if let Some(f) = call.fault() {
                Err(format!(
                    "HTTP {status} with SOAP fault {}: {}",
                    f.code, f.reason
                ))
            } else if let Some(e) = call.unreadable() {
                Err(format!("HTTP {status} with an unreadable answer: {e}"))
            } else {
                match call.result_payload().map(XmsResponse::parse) {
                    Some(Ok(parsed)) => Ok(parsed.value),
                    Some(Err(e)) => {
                        Err(format!("HTTP {status} with an unreadable xmsResponse: {e}"))
                    }
                    None => Err(format!("HTTP {status} without a result")),
                }
            }
        }
    })
}
