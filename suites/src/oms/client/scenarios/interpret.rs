//! How the client reads the server's answers (MS-OMS 2.2.4.4 notes, MS-OMS 3): what counts as
//! delivered, as failed, and for which recipients; serviceUpdate; HTTP errors and SOAP faults.
//!
//! Every case runs against a fresh scripted server whose DeliverXms gives one crafted answer,
//! often one a conformant server would never send (E-OMS-18): the notes say what a client
//! makes of it anyway.

use crate::oms::client::contract::{MessageOutcome, DELIVERED, FAILED};
use crate::oms::client::probe::{with_client, Client};
use harness::{Cx, Level, Scenario, Stop};
use mocks::oms::scripted::{example_service_info, xms_response, Canned};
use std::time::{SystemTime, UNIX_EPOCH};
use wire::oms::schedule::format_utc_minute;
use wire::oms::{DeliveryError, Operation};

pub fn all() -> Vec<Scenario> {
    vec![
        no_error_element(),
        no_code(),
        no_severity(),
        mixed_severities(),
        recipient_list(),
        unknown_code(),
        case_insensitive(),
        service_update(),
        service_update_case(),
        embedded_declaration(),
        http_status(),
        soap_fault(),
    ]
}

/// What the client should conclude from one answer.
enum Expect {
    Delivered,
    /// Failed; when given, for exactly these recipients (in any order).
    Failed(Option<Vec<String>>),
}

/// An error element with the given attributes, either of which may be left out.
fn error(code: Option<&str>, severity: Option<&str>) -> DeliveryError {
    DeliveryError {
        code: code.map(str::to_owned),
        severity: severity.map(str::to_owned),
        ..DeliveryError::default()
    }
}

/// One text to `to` against a fresh server whose DeliverXms answers `reply` (described by
/// `what`), and the client's outcome. A client that sent no DeliverXms never saw the answer:
/// inconclusive rather than judged.
async fn outcome_after(
    client: &Client,
    reply: Canned,
    what: &str,
    to: &[String],
) -> Result<MessageOutcome, Stop> {
    let server = client.server(&example_service_info(), false).await?;
    client
        .script(&server, Operation::DeliverXms, vec![reply], what)
        .await;
    let run = client.send(&server, to, "oxconf: interpretation").await?;
    if server.requests_for(Operation::DeliverXms).await.is_empty() {
        return Err(Stop::inconclusive(format!(
            "the client sent no DeliverXms, so it never saw the scripted answer {what}"
        )));
    }
    client.single_outcome(&run)
}

/// Checks `outcome` against `expect`, citing `reqs` at the scenario's level.
fn judge(
    cx: &Cx,
    what: &str,
    outcome: &MessageOutcome,
    expect: &Expect,
    reqs: &[&str],
) -> Result<(), Stop> {
    judge_with(cx, None, what, outcome, expect, reqs)
}

/// `judge` at another level than the scenario's.
fn judge_at(
    cx: &Cx,
    level: Level,
    what: &str,
    outcome: &MessageOutcome,
    expect: &Expect,
    reqs: &[&str],
) -> Result<(), Stop> {
    judge_with(cx, Some(level), what, outcome, expect, reqs)
}

fn judge_with(
    cx: &Cx,
    level: Option<Level>,
    what: &str,
    outcome: &MessageOutcome,
    expect: &Expect,
    reqs: &[&str],
) -> Result<(), Stop> {
    let sorted = |list: &[String]| {
        let mut v = list.to_vec();
        v.sort();
        v
    };
    let (ok, expected) = match expect {
        Expect::Delivered => (outcome.outcome == DELIVERED, DELIVERED.to_string()),
        Expect::Failed(None) => (outcome.outcome == FAILED, FAILED.to_string()),
        Expect::Failed(Some(recipients)) => (
            outcome.outcome == FAILED && sorted(&outcome.failed_recipients) == sorted(recipients),
            format!("{FAILED} for {recipients:?}"),
        ),
    };
    let checks = cx.cite(reqs.iter().copied());
    let checks = match level {
        Some(l) => checks.level(l),
        None => checks,
    };
    checks.expect(
        &format!("outcome after {what}"),
        ok,
        expected,
        format!("{} {:?}", outcome.outcome, outcome.failed_recipients),
    )
}

/// Runs every case against its own server and judges it.
async fn cases(
    cx: &Cx,
    client: &Client,
    to: &[String],
    list: Vec<(&str, Vec<DeliveryError>, Expect)>,
    reqs: &[&str],
) -> Result<(), Stop> {
    for (what, errors, expect) in list {
        let outcome = outcome_after(client, Canned::errors(&errors), what, to).await?;
        judge(cx, what, &outcome, &expect, reqs)?;
    }
    Ok(())
}

/// MS-OMS 2.2.4.4: an xmsResponse without any error element means the send failed.
fn no_error_element() -> Scenario {
    Scenario::new("oms-client/interpret/no-error-element")
        .title("An xmsResponse without error element is a failed send")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R060"])
        .level(Level::Structure)
        .caught_by("missing-error-is-success")
        .run(with_client(|cx, client| async move {
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
            let run = client
                .send(&server, &to, "oxconf: no error element")
                .await?;
            let outcome = client.single_outcome(&run)?;
            cx.expect_eq("outcome", "failed", outcome.outcome.as_str())?;
            cx.expect_eq("failed recipients", to.clone(), outcome.failed_recipients)
        }))
}

/// MS-OMS 2.2.4.4 notes: an error element without code is an unknown failure, whatever its
/// severity says; without recipientList it concerns every recipient.
fn no_code() -> Scenario {
    Scenario::new("oms-client/interpret/no-code")
        .title("An error element without code is an unknown failure")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R061"])
        .level(Level::Structure)
        .caught_by("missing-code-is-success")
        .run(with_client(|cx, client| async move {
            let to = client.recipients(2);
            let all = Expect::Failed(Some(to.clone()));
            let neutral = Expect::Failed(Some(to.clone()));
            cases(
                &cx,
                &client,
                &to,
                vec![
                    (
                        "<error severity=\"failure\"/>",
                        vec![error(None, Some("failure"))],
                        all,
                    ),
                    (
                        "<error severity=\"neutral\"/>",
                        vec![error(None, Some("neutral"))],
                        neutral,
                    ),
                ],
                &["OMS-R061"],
            )
            .await
        }))
}

/// MS-OMS 2.2.4.4 notes: an error element without severity has severity "neutral".
fn no_severity() -> Scenario {
    Scenario::new("oms-client/interpret/no-severity")
        .title("An error element without severity is neutral")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R062"])
        .level(Level::Structure)
        .caught_by("missing-severity-is-failure")
        .run(with_client(|cx, client| async move {
            let to = client.recipients(2);
            cases(
                &cx,
                &client,
                &to,
                vec![(
                    "<error code=\"ok\"/>",
                    vec![error(Some("ok"), None)],
                    Expect::Delivered,
                )],
                &["OMS-R062"],
            )
            .await
        }))
}

/// The serviceUpdate element of MS-OMS 2.2.4.4, stamped with the current minute.
fn service_update_error() -> DeliveryError {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    DeliveryError::new("serviceUpdate", "neutral").with_content(&format_utc_minute(now))
}

/// MS-OMS 2.2.4.4 notes: with several error elements the most severe decides; one "failure"
/// anywhere means not delivered, neutral ones alone mean delivered.
fn mixed_severities() -> Scenario {
    Scenario::new("oms-client/interpret/mixed-severities")
        .title("With several error elements, any failure means not delivered; neutral ones alone mean delivered")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R063"])
        .level(Level::Structure)
        .caught_by("first-error-decides")
        .run(with_client(|cx, client| async move {
            let to = client.recipients(2);
            let invalid = DeliveryError::new("invalidRecipient", "failure").with_recipients(&[&to[0]]);
            cases(
                &cx,
                &client,
                &to,
                vec![
                    (
                        "ok/neutral followed by invalidRecipient/failure",
                        vec![DeliveryError::ok(), invalid],
                        Expect::Failed(None),
                    ),
                    (
                        "ok/neutral followed by serviceUpdate/neutral",
                        vec![DeliveryError::ok(), service_update_error()],
                        Expect::Delivered,
                    ),
                ],
                &["OMS-R063"],
            )
            .await
        }))
}

/// MS-OMS 2.2.4.4: recipientList names the recipients an error concerns; without it the error
/// concerns every recipient.
fn recipient_list() -> Scenario {
    Scenario::new("oms-client/interpret/recipient-list")
        .title("A failure concerns the recipients of its recipientList, or all of them without one")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R035"])
        .level(Level::Structure)
        .caught_by("ignore-recipient-list")
        .run(with_client(|cx, client| async move {
            let to = client.recipients(3);
            let one = to[1].clone();
            cases(
                &cx,
                &client,
                &to,
                vec![
                    (
                        "invalidRecipient/failure with a recipientList naming one of three recipients",
                        vec![DeliveryError::new("invalidRecipient", "failure").with_recipients(&[&one])],
                        Expect::Failed(Some(vec![one.clone()])),
                    ),
                    (
                        "other/failure without recipientList",
                        vec![DeliveryError::new("other", "failure").with_content("oxconf: scripted failure")],
                        Expect::Failed(Some(to.clone())),
                    ),
                ],
                &["OMS-R035"],
            )
            .await
        }))
}

/// MS-OMS 2.2.4.4, E-OMS-31: servers may define their own codes; the severity, not the code,
/// decides.
fn unknown_code() -> Scenario {
    Scenario::new("oms-client/interpret/unknown-code")
        .title("A provider-defined code is judged by its severity")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R063"])
        .level(Level::Structure)
        .caught_by("unknown-code-is-success")
        .run(with_client(|cx, client| async move {
            let to = client.recipients(2);
            let code = "oxconfQuotaExceeded";
            cases(
                &cx,
                &client,
                &to,
                vec![
                    (
                        "the provider-defined code oxconfQuotaExceeded with severity failure",
                        vec![DeliveryError::new(code, "failure")],
                        Expect::Failed(None),
                    ),
                    (
                        "the provider-defined code oxconfQuotaExceeded with severity neutral",
                        vec![DeliveryError::new(code, "neutral")],
                        Expect::Delivered,
                    ),
                ],
                &["OMS-R063"],
            )
            .await
        }))
}

/// E-OMS-28: code and severity are plain strings and the specification itself varies their
/// case, so a client should compare them case-insensitively.
fn case_insensitive() -> Scenario {
    Scenario::new("oms-client/interpret/case-insensitive")
        .title("Codes and severities are compared case-insensitively")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R063"])
        .level(Level::Should)
        .caught_by("case-sensitive-severity")
        .run(with_client(|cx, client| async move {
            let to = client.recipients(2);
            cases(
                &cx,
                &client,
                &to,
                vec![
                    (
                        "other/FAILURE",
                        vec![DeliveryError::new("other", "FAILURE")],
                        Expect::Failed(None),
                    ),
                    (
                        "OK/Neutral",
                        vec![DeliveryError::new("OK", "Neutral")],
                        Expect::Delivered,
                    ),
                ],
                &["OMS-R063"],
            )
            .await
        }))
}

/// Sends three texts through one server whose DeliverXms answers are ok, then `update`
/// (with ok), then ok, and judges whether the send after the update starts with
/// GetServiceInfo. The send between (after a plain ok) is the baseline: a client asking
/// GetServiceInfo before every send refreshes whatever the answers say, so it never uses stale
/// information and passes, with a note saying its reaction to the code itself could not be
/// observed.
async fn refresh_after(cx: &Cx, client: &Client, update: DeliveryError) -> Result<(), Stop> {
    let server = client.server(&example_service_info(), false).await?;
    let what = format!(
        "first ok/neutral, then ok/neutral + {}/neutral (content {}), then ok/neutral",
        update.code.as_deref().unwrap_or_default(),
        update.content.as_deref().unwrap_or_default()
    );
    client
        .script(
            &server,
            Operation::DeliverXms,
            vec![
                Canned::ok(),
                Canned::errors(&[DeliveryError::ok(), update]),
                Canned::ok(),
            ],
            &what,
        )
        .await;
    let to = client.recipients(1);
    // What each send added to the server's requests.
    let mut sends: Vec<Vec<Operation>> = Vec::new();
    for text in [
        "oxconf: first send",
        "oxconf: second send (answered with the service update)",
        "oxconf: third send",
    ] {
        let before = server.requests().await.len();
        client.send(&server, &to, text).await?;
        let ops: Vec<Operation> = server
            .requests()
            .await
            .into_iter()
            .skip(before)
            .filter_map(|r| r.op)
            .collect();
        if !ops.contains(&Operation::DeliverXms) {
            return Err(Stop::inconclusive(format!(
                "the client sent no DeliverXms for {text:?}, so the service update sequence \
                 could not be played"
            )));
        }
        sends.push(ops);
    }
    let asked_first = |ops: &[Operation]| {
        let deliver = ops.iter().position(|op| *op == Operation::DeliverXms);
        let refresh = ops.iter().position(|op| *op == Operation::GetServiceInfo);
        matches!((refresh, deliver), (Some(g), Some(d)) if g < d)
    };
    let names = |ops: &[Operation]| ops.iter().map(|op| op.name()).collect::<Vec<_>>();
    cx.cite(["OMS-R063"]).info(
        "requests of the second send (after an answer without serviceUpdate)",
        format!("{:?}", names(&sends[1])),
    );
    if asked_first(&sends[1]) {
        // Such a client never sends with stale service information, which is what the
        // serviceUpdate is for; its reaction to the code itself cannot be told apart from its
        // routine refresh, and the evidence says so rather than claiming more.
        cx.cite(["OMS-R063"]).info(
            "why the reaction to serviceUpdate itself is not observable",
            "the client asks GetServiceInfo before every send, also after an answer without \
             serviceUpdate, so it cannot use stale service information; the check below holds \
             whether or not it reads the serviceUpdate code",
        );
    }
    cx.cite(["OMS-R063"]).level(Level::Should).expect(
        "GetServiceInfo before the DeliverXms of the send after the serviceUpdate",
        asked_first(&sends[2]),
        "GetServiceInfo, then DeliverXms (the second send went without GetServiceInfo)",
        format!("{:?}", names(&sends[2])),
    )
}

/// MS-OMS 2.2.4.4: serviceUpdate tells the client that the service information changed, so
/// its next send starts from a fresh GetServiceInfo. The catalogue holds no client-role
/// requirement for that reaction (OMS-R057/R058 bind the server), so the check cites the
/// client's reading of error elements (OMS-R063) at SHOULD.
fn service_update() -> Scenario {
    Scenario::new("oms-client/interpret/service-update")
        .title("After a serviceUpdate the client's next send asks GetServiceInfo again")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R063"])
        .level(Level::Should)
        .caught_by("no-service-refresh")
        .run(with_client(|cx, client| async move {
            refresh_after(&cx, &client, service_update_error()).await
        }))
}

/// E-OMS-06, E-OMS-28: the spec's own example writes "serviceupdate"; clients must accept any
/// letter case (suites/README.md), so the lower-case code is neutral (the send is delivered)
/// and should refresh the service information like the canonical one.
fn service_update_case() -> Scenario {
    Scenario::new("oms-client/interpret/service-update-case")
        .title("A lower-case serviceupdate is neutral and refreshes the service information")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R063"])
        .level(Level::Should)
        .caught_by("case-sensitive-service-update")
        .run(with_client(|cx, client| async move {
            let to = client.recipients(2);
            let mut lower = service_update_error();
            lower.code = Some("serviceupdate".to_owned());
            let what = "ok/neutral + serviceupdate/neutral (E-OMS-06 spelling)";
            let outcome = outcome_after(
                &client,
                Canned::errors(&[DeliveryError::ok(), lower.clone()]),
                what,
                &to,
            )
            .await?;
            judge_at(
                &cx,
                Level::Structure,
                what,
                &outcome,
                &Expect::Delivered,
                &["OMS-R063"],
            )?;
            refresh_after(&cx, &client, lower).await
        }))
}

/// The xmsResponse document with its XML declaration claiming UTF-16, as in the MS-OMS 4.4
/// examples (E-OMS-24).
fn with_utf16_declaration(doc: &str) -> String {
    let body = match doc.strip_prefix("<?xml") {
        Some(rest) => rest.find("?>").map_or(doc, |i| &rest[i + 2..]),
        None => doc,
    };
    format!("<?xml version=\"1.0\" encoding=\"utf-16\"?>{body}")
}

/// E-OMS-24: embedded documents may open with their own XML declaration, even one claiming
/// encoding="utf-16" inside a UTF-8 message; receivers must ignore it (the string is already
/// characters). An ok/neutral answer so declared is a delivered send. The serviceInfo
/// spellings of E-OMS-01 (WSDL attribute names) and E-OMS-03 (legacy namespace) are
/// informational probes by their decisions: the client's behaviour is recorded, not judged.
fn embedded_declaration() -> Scenario {
    Scenario::new("oms-client/interpret/embedded-declaration")
        .title("An answer whose xmsResponse declares encoding=\"utf-16\" is read like any other")
        .section("MS-OMS 2.2.4.4")
        .section("MS-OMS 4.4")
        .requirements(["OMS-R063"])
        .level(Level::Structure)
        .caught_by("utf16-declaration-unreadable")
        .run(with_client(|cx, client| async move {
            let to = client.recipients(2);
            let doc = with_utf16_declaration(&xms_response(&[DeliveryError::ok()]));
            let what = "ok/neutral in an xmsResponse declared encoding=\"utf-16\" (E-OMS-24)";
            let outcome = outcome_after(&client, Canned::Result(doc), what, &to).await?;
            judge(&cx, what, &outcome, &Expect::Delivered, &["OMS-R063"])?;
            let canonical = example_service_info().to_xml();
            let probes = [
                (
                    "E-OMS-01: serviceInfo with the WSDL spellings maxSbccsPerMessage / maxDbccsPerMessage",
                    canonical
                        .replace("maxSbcsPerMessage", "maxSbccsPerMessage")
                        .replace("maxDbcsPerMessage", "maxDbccsPerMessage"),
                ),
                (
                    "E-OMS-03: serviceInfo in the legacy namespace .../OMS/serviceInfo",
                    canonical.replacen(
                        "<serviceInfo xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"",
                        "<serviceInfo xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS/serviceInfo\"",
                        1,
                    ),
                ),
            ];
            for (what, info) in probes {
                let server = client.server(&example_service_info(), false).await?;
                client
                    .script(&server, Operation::GetServiceInfo, vec![Canned::Result(info)], what)
                    .await;
                let run = client.send(&server, &to, "oxconf: service information probe").await?;
                let sent = server.requests_for(Operation::DeliverXms).await.len();
                let said = client
                    .outcomes(&run)
                    .map(|o| {
                        o.iter()
                            .map(|o| o.outcome.clone())
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_else(|_| {
                        run.failure_reason()
                            .unwrap_or_else(|| "no outcome line".into())
                    });
                cx.cite(["OMS-R063"]).info(
                    &format!("tolerance probe, {what}"),
                    format!("{sent} DeliverXms sent; the client reported: {said}"),
                );
            }
            Ok(())
        }))
}

/// MS-OMS 3: clients should read HTTP status codes as RFC 2616 section 10 defines them; a 5xx
/// answer delivers nothing.
fn http_status() -> Scenario {
    Scenario::new("oms-client/interpret/http-status")
        .title("An HTTP 503 or 500 answer to DeliverXms is a failed send, whatever its body says")
        .section("MS-OMS 3")
        .requirements(["OMS-R097"])
        .level(Level::Should)
        .caught_by("http-error-is-success")
        .run(with_client(|cx, client| async move {
            let to = client.recipients(2);
            for (status, what) in [
                (503, "HTTP 503 Service Unavailable"),
                (500, "HTTP 500 Internal Server Error"),
            ] {
                let reply = Canned::status(status, &format!("oxconf: scripted {what}"));
                let outcome = outcome_after(&client, reply, what, &to).await?;
                judge(&cx, what, &outcome, &Expect::Failed(None), &["OMS-R097"])?;
                // The same status with a well-formed ok/neutral result: only a client that
                // reads the status, not just the body, reports it failed.
                let reply = Canned::ResultWithStatus {
                    status,
                    payload: xms_response(&[DeliveryError::ok()]),
                };
                let what = format!("{what} carrying a well-formed ok/neutral xmsResponse");
                let outcome = outcome_after(&client, reply, &what, &to).await?;
                judge(&cx, &what, &outcome, &Expect::Failed(None), &["OMS-R097"])?;
            }
            Ok(())
        }))
}

/// MS-OMS 3, 2.2.4.4: a SOAP fault carries no xmsResponse, and without one nothing counts as
/// delivered (OMS-R060); it travels with an HTTP error status (OMS-R097). Faults are
/// implementation-specific (MS-OMS 3, a server-side MAY), hence a SHOULD.
fn soap_fault() -> Scenario {
    Scenario::new("oms-client/interpret/soap-fault")
        .title("A SOAP fault answer to DeliverXms is a failed send")
        .section("MS-OMS 3")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R060", "OMS-R097"])
        .level(Level::Should)
        .caught_by("fault-is-success")
        .run(with_client(|cx, client| async move {
            let to = client.recipients(2);
            let reason = "oxconf: scripted fault".to_string();
            for (reply, what) in [
                (
                    Canned::Fault {
                        reason: reason.clone(),
                    },
                    "a SOAP Server/Receiver fault",
                ),
                (Canned::SenderFault { reason }, "a SOAP Client/Sender fault"),
            ] {
                let outcome = outcome_after(&client, reply, what, &to).await?;
                judge(
                    &cx,
                    what,
                    &outcome,
                    &Expect::Failed(None),
                    &["OMS-R060", "OMS-R097"],
                )?;
            }
            Ok(())
        }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wire::oms::schedule::is_minute_precision;

    #[test]
    fn service_update_is_stamped_to_the_minute() {
        let e = service_update_error();
        assert_eq!(e.code.as_deref(), Some("serviceUpdate"));
        assert_eq!(e.severity.as_deref(), Some("neutral"));
        assert!(
            e.content.as_deref().is_some_and(is_minute_precision),
            "{e:?}"
        );
    }

    #[test]
    fn errors_may_lack_code_or_severity() {
        assert_eq!(error(None, Some("failure")).code, None);
        assert_eq!(error(Some("ok"), None).severity, None);
        assert_eq!(error(Some("ok"), Some("neutral")), DeliveryError::ok());
    }
}
