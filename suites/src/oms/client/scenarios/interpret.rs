//! How the client reads the server's answers (MS-OMS 2.2.4.4 notes, MS-OMS 3): what counts as
//! delivered, as failed, and for which recipients; serviceUpdate; HTTP errors and SOAP faults.
//!
//! Every case runs against a fresh scripted server whose DeliverXms gives one crafted answer,
//! often one a conformant server would never send (E-OMS-18): the notes say what a client
//! makes of it anyway.

use crate::common::time::unix_now;
use crate::oms::client::contract::{MessageOutcome, DELIVERED, FAILED};
use crate::oms::client::probe::{with_client, Client};
use harness::{Cx, Level, Scenario, Stop};
use mocks::oms::scripted::{example_service_info, xms_response, Canned};
use wire::oms::schedule::format_utc_minute;
use wire::oms::{DeliveryError, Operation};

pub(super) fn all() -> Vec<Scenario> {
    let mut v = vec![no_error_element()];
    v.extend(READINGS.iter().map(reading));
    v.extend([
        service_update(),
        service_update_case(),
        embedded_declaration(),
        http_status(),
        soap_fault(),
    ]);
    v
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

/// A scripted error element, built against the recipients of the message sent.
#[derive(Clone, Copy)]
enum Element {
    /// Code and severity as given; either may be left out.
    Bare(Option<&'static str>, Option<&'static str>),
    /// Code and severity with a recipientList naming the n-th recipient sent.
    Naming(&'static str, &'static str, usize),
    /// Code and severity with a content.
    Saying(&'static str, &'static str, &'static str),
    /// serviceUpdate/neutral stamped with the current minute.
    ServiceUpdate,
}

impl Element {
    fn build(self, to: &[String]) -> DeliveryError {
        match self {
            Element::Bare(code, severity) => error(code, severity),
            Element::Naming(code, severity, n) => {
                DeliveryError::new(code, severity).with_recipients(&[&to[n]])
            }
            Element::Saying(code, severity, content) => {
                DeliveryError::new(code, severity).with_content(content)
            }
            Element::ServiceUpdate => service_update_error(),
        }
    }
}

/// What the client should conclude, in terms of the recipients sent.
#[derive(Clone, Copy)]
enum Conclusion {
    Delivered,
    /// Failed, for whichever recipients.
    Failed,
    /// Failed for the n-th recipient sent alone.
    FailedFor(usize),
    /// Failed for every recipient sent.
    FailedForAll,
}

impl Conclusion {
    fn expect(self, to: &[String]) -> Expect {
        match self {
            Conclusion::Delivered => Expect::Delivered,
            Conclusion::Failed => Expect::Failed(None),
            Conclusion::FailedFor(n) => Expect::Failed(Some(vec![to[n].clone()])),
            Conclusion::FailedForAll => Expect::Failed(Some(to.to_vec())),
        }
    }
}

/// One crafted answer (described by `what`) and what the client should make of it.
struct Case {
    what: &'static str,
    errors: &'static [Element],
    conclusion: Conclusion,
}

/// A scenario playing crafted answers, each against its own server, and judging the client's
/// outcome after each; the rows differ in nothing but this data.
struct Reading {
    id: &'static str,
    title: &'static str,
    requirement: &'static str,
    level: Level,
    fault: &'static str,
    /// How many of the profile's recipients each message goes to.
    recipients: usize,
    cases: &'static [Case],
}

/// The notes of MS-OMS 2.2.4.4 on reading error elements.
const READINGS: &[Reading] = &[
    // An error element without code is an unknown failure, whatever its severity says;
    // without recipientList it concerns every recipient.
    Reading {
        id: "oms-client/interpret/no-code",
        title: "An error element without code is an unknown failure",
        requirement: "OMS-R061",
        level: Level::Structure,
        fault: "missing-code-is-success",
        recipients: 2,
        cases: &[
            Case {
                what: "<error severity=\"failure\"/>",
                errors: &[Element::Bare(None, Some("failure"))],
                conclusion: Conclusion::FailedForAll,
            },
            Case {
                what: "<error severity=\"neutral\"/>",
                errors: &[Element::Bare(None, Some("neutral"))],
                conclusion: Conclusion::FailedForAll,
            },
        ],
    },
    // An error element without severity has severity "neutral".
    Reading {
        id: "oms-client/interpret/no-severity",
        title: "An error element without severity is neutral",
        requirement: "OMS-R062",
        level: Level::Structure,
        fault: "missing-severity-is-failure",
        recipients: 2,
        cases: &[Case {
            what: "<error code=\"ok\"/>",
            errors: &[Element::Bare(Some("ok"), None)],
            conclusion: Conclusion::Delivered,
        }],
    },
    // With several error elements the most severe decides; one "failure" anywhere means not
    // delivered, neutral ones alone mean delivered.
    Reading {
        id: "oms-client/interpret/mixed-severities",
        title: "With several error elements, any failure means not delivered; neutral ones alone mean delivered",
        requirement: "OMS-R063",
        level: Level::Structure,
        fault: "first-error-decides",
        recipients: 2,
        cases: &[
            Case {
                what: "ok/neutral followed by invalidRecipient/failure",
                errors: &[
                    Element::Bare(Some("ok"), Some("neutral")),
                    Element::Naming("invalidRecipient", "failure", 0),
                ],
                conclusion: Conclusion::Failed,
            },
            Case {
                what: "ok/neutral followed by serviceUpdate/neutral",
                errors: &[Element::Bare(Some("ok"), Some("neutral")), Element::ServiceUpdate],
                conclusion: Conclusion::Delivered,
            },
        ],
    },
    // recipientList names the recipients an error concerns; without it the error concerns
    // every recipient.
    Reading {
        id: "oms-client/interpret/recipient-list",
        title: "A failure concerns the recipients of its recipientList, or all of them without one",
        requirement: "OMS-R035",
        level: Level::Structure,
        fault: "ignore-recipient-list",
        recipients: 3,
        cases: &[
            Case {
                what: "invalidRecipient/failure with a recipientList naming one of three recipients",
                errors: &[Element::Naming("invalidRecipient", "failure", 1)],
                conclusion: Conclusion::FailedFor(1),
            },
            Case {
                what: "other/failure without recipientList",
                errors: &[Element::Saying("other", "failure", "oxconf: scripted failure")],
                conclusion: Conclusion::FailedForAll,
            },
        ],
    },
    // E-OMS-31: servers may define their own codes; the severity, not the code, decides.
    Reading {
        id: "oms-client/interpret/unknown-code",
        title: "A provider-defined code is judged by its severity",
        requirement: "OMS-R063",
        level: Level::Structure,
        fault: "unknown-code-is-success",
        recipients: 2,
        cases: &[
            Case {
                what: "the provider-defined code oxconfQuotaExceeded with severity failure",
                errors: &[Element::Bare(Some("oxconfQuotaExceeded"), Some("failure"))],
                conclusion: Conclusion::Failed,
            },
            Case {
                what: "the provider-defined code oxconfQuotaExceeded with severity neutral",
                errors: &[Element::Bare(Some("oxconfQuotaExceeded"), Some("neutral"))],
                conclusion: Conclusion::Delivered,
            },
        ],
    },
    // E-OMS-28: code and severity are plain strings and the specification itself varies
    // their case, so a client should compare them case-insensitively.
    Reading {
        id: "oms-client/interpret/case-insensitive",
        title: "Codes and severities are compared case-insensitively",
        requirement: "OMS-R063",
        level: Level::Should,
        fault: "case-sensitive-severity",
        recipients: 2,
        cases: &[
            Case {
                what: "other/FAILURE",
                errors: &[Element::Bare(Some("other"), Some("FAILURE"))],
                conclusion: Conclusion::Failed,
            },
            Case {
                what: "OK/Neutral",
                errors: &[Element::Bare(Some("OK"), Some("Neutral"))],
                conclusion: Conclusion::Delivered,
            },
        ],
    },
];

/// The scenario of one row of `READINGS`.
fn reading(row: &'static Reading) -> Scenario {
    Scenario::new(row.id)
        .title(row.title)
        .section("MS-OMS 2.2.4.4")
        .requirements([row.requirement])
        .level(row.level)
        .caught_by(row.fault)
        .run(with_client(move |cx, client| async move {
            let to = client.recipients(row.recipients);
            let list = row
                .cases
                .iter()
                .map(|c| {
                    let errors = c.errors.iter().map(|e| e.build(&to)).collect();
                    (c.what, errors, c.conclusion.expect(&to))
                })
                .collect();
            cases(&cx, &client, &to, list, &[row.requirement]).await
        }))
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

/// The serviceUpdate element of MS-OMS 2.2.4.4, stamped with the current minute.
fn service_update_error() -> DeliveryError {
    DeliveryError::new("serviceUpdate", "neutral").with_content(&format_utc_minute(unix_now()))
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

    #[test]
    fn readings_name_only_recipients_they_send_to() {
        for row in READINGS {
            let to: Vec<String> = (0..row.recipients).map(|i| i.to_string()).collect();
            for case in row.cases {
                for e in case.errors {
                    e.build(&to);
                }
                case.conclusion.expect(&to);
            }
        }
    }
}
