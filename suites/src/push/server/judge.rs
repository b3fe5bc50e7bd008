//! Judging what the server under test POSTed to the harness's listener: the SendNotification
//! request (MS-OXWSPSNTIF 2.1, 3.1.4.1, 6.1) and the notification in it (MS-OXWSNTIF 2.2.4.8).

use crate::common::findings::record_findings;
use crate::common::http::message_text;
use harness::{Cx, Level, Stop};
use mocks::ews::listener::Notified;
use mocks::record::Arrival;
use wire::ews::{ns, Notification, ResponseClass};
use wire::soap::SoapVersion;
use wire::Finding;

/// Puts one received request in the transcript, with the answer the listener gave.
pub fn record_arrival(cx: &Cx, title: &str, a: &Arrival<Notified>) {
    let n = &a.item;
    let start = format!("{} {} HTTP/1.1", n.method, n.path);
    cx.received(
        "http",
        &format!("{title} (server → listener)"),
        &message_text(&start, &n.headers, &a.text_lossy()),
    );
    let answer = match n.answered {
        Some(s) => format!("HTTP {} SubscriptionStatus {}", n.status, s.as_str()),
        None => format!("HTTP {}", n.status),
    };
    cx.sent("http", &format!("{title}: the listener's answer"), &answer);
}

/// The reader cites the subscriber's requirement for a RequestServerVersion value; sent by
/// a server, the same rule is PSNTIF-R011's.
fn as_server(findings: &[Finding]) -> Vec<Finding> {
    findings
        .iter()
        .cloned()
        .map(|mut f| {
            if f.requirement == Some("NTIF-R026") {
                f.requirement = Some("PSNTIF-R011");
            }
            f
        })
        .collect()
}

/// Judges one request: POST, readable, SOAP 1.1, SOAPAction, schema findings, Success with
/// NoError, the subscription's id. Returns the notifications it carries.
pub fn judge_request(
    cx: &Cx,
    title: &str,
    a: &Arrival<Notified>,
    subscription: &str,
) -> Result<Vec<Notification>, Stop> {
    record_arrival(cx, title, a);
    let n = &a.item;
    cx.cite(["PSNTIF-R002"]).expect(
        &format!("{title} is an HTTP POST"),
        n.method == "POST",
        "POST",
        &n.method,
    )?;
    let received = match &n.parsed {
        Ok(r) => r,
        Err(e) => {
            return Err(cx.cite(["PSNTIF-R003"]).fail(
                &format!("{title} is a readable SOAP envelope"),
                "a SOAP 1.1 SendNotification envelope within the listener's body limit",
                format!("{e} (the listener answered HTTP {})", n.status),
            ))
        }
    };
    cx.cite(["PSNTIF-R003"]).expect(
        &format!("{title} is a SOAP 1.1 envelope"),
        received.soap == SoapVersion::V11,
        SoapVersion::V11.label(),
        received.soap.label(),
    )?;
    let expected_action = ns::action("SendNotification");
    match n.header("soapaction") {
        None => {
            cx.cite(["PSNTIF-R012"]).level(Level::Should).check(
                &format!("{title} carries a SOAPAction (SOAP 1.1 asks senders for one; receivers ignore it)"),
                false,
                format!("\"{expected_action}\""),
                "none",
            );
        }
        Some(v) => {
            let got = v.trim().trim_matches('"');
            cx.cite(["PSNTIF-R012"]).expect(
                &format!("{title}'s SOAPAction"),
                got == expected_action,
                &expected_action,
                v,
            )?;
        }
    }
    if received.server_version.is_none() {
        cx.cite(["PSNTIF-R011"]).info(
            &format!("{title} carries no t:RequestServerVersion header (it may)"),
            "absent",
        );
    }
    record_findings(
        cx,
        title,
        &as_server(&received.findings),
        &["PSNTIF-R013", "PSNTIF-R014"],
    )?;
    let mut out = Vec::new();
    for (i, m) in received.value.messages.iter().enumerate() {
        let which = format!("{title}, response message {}", i + 1);
        cx.cite(["PSNTIF-R014"]).expect(
            &format!("{which} is ResponseClass Success with NoError"),
            m.response.class == ResponseClass::Success
                && m.response
                    .response_code
                    .as_deref()
                    .is_none_or(|c| c == "NoError"),
            "Success / NoError",
            format!(
                "{} / {}",
                m.response.class.as_str(),
                m.response
                    .response_code
                    .as_deref()
                    .unwrap_or("(no ResponseCode)")
            ),
        )?;
        if let Some(notification) = &m.notification {
            cx.cite(["PSNTIF-R015"]).expect(
                &format!("{which} names the subscription"),
                notification.subscription_id == subscription,
                subscription,
                &notification.subscription_id,
            )?;
            out.push(notification.clone());
        }
    }
    Ok(out)
}

/// The last watermark a notification delivered (its last event's, or its PreviousWatermark
/// when its events carry none).
pub fn last_watermark(n: &Notification) -> Option<String> {
    n.events
        .iter()
        .rev()
        .find_map(|e| e.watermark.clone())
        .or_else(|| n.previous_watermark.clone())
}

/// NTIF-R010: each PreviousWatermark is the last watermark of the notification before.
pub fn judge_chain(cx: &Cx, notifications: &[Notification]) -> Result<(), Stop> {
    for pair in notifications.windows(2) {
        let expected = last_watermark(&pair[0]);
        cx.cite(["NTIF-R010"]).expect(
            "PreviousWatermark is the last watermark delivered before it",
            pair[1].previous_watermark == expected,
            format!("{expected:?}"),
            format!("{:?}", pair[1].previous_watermark),
        )?;
    }
    Ok(())
}
