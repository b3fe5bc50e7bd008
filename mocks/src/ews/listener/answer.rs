//! How the mock listener answers one request: hostile faults first, then the strict read,
//! then the rules a conformant listener follows (and the faults that break them one by one).

use super::script::Answer;
use super::{Notified, Shared};
use crate::hostile::{garbage, huge, xml_bomb};
use crate::net::{Behaviour, ServerRequest, ServerResponse};
use std::sync::atomic::Ordering;
use std::time::Duration;
use wire::ews::{
    ns, read_send_notification, rules, write_listener_answer, EventKind, ResponseClass,
    SendNotification, SubscriptionStatus,
};
use wire::soap::{write_fault, FaultCode, SoapVersion};
use wire::xml::Limits;

/// `serial-only` holds each request this long, so concurrent ones see it busy.
const SERIAL_HOLD: Duration = Duration::from_millis(150);
/// `small-body-limit`'s limit.
const SMALL_BODY_LIMIT: usize = 64 * 1024;
/// `slow-answer`'s delay.
const SLOW_DELAY: Duration = Duration::from_millis(1500);

fn content_type(version: SoapVersion) -> &'static str {
    match version {
        SoapVersion::V11 => "text/xml; charset=utf-8",
        SoapVersion::V12 => "application/soap+xml; charset=utf-8",
    }
}

fn plain(status: u16) -> ServerResponse {
    ServerResponse::new(status, vec![], vec![])
}

fn xml(status: u16, version: SoapVersion, body: String) -> ServerResponse {
    ServerResponse::new(
        status,
        vec![("Content-Type".into(), content_type(version).into())],
        body.into_bytes(),
    )
}

/// A Client fault for a request that is not a SendNotification (SOAP 1.1 answers faults with
/// HTTP 500; 400 says more precisely that the request was at fault, and both are "not 200").
fn refuse(version: SoapVersion, why: &str) -> ServerResponse {
    xml(400, version, write_fault(version, FaultCode::Client, why))
}

fn hostile(shared: &Shared) -> Option<ServerResponse> {
    let f = &shared.faults;
    if f.is_on("hang") {
        return Some(plain(200).with_behaviour(Behaviour::Hang));
    }
    if f.is_on("reset") {
        return Some(plain(200).with_behaviour(Behaviour::Reset));
    }
    if f.is_on("garbage") {
        return Some(ServerResponse::new(
            200,
            vec![("Content-Type".into(), content_type(SoapVersion::V11).into())],
            garbage(),
        ));
    }
    if f.is_on("huge-body") {
        return Some(huge(content_type(SoapVersion::V11)));
    }
    if f.is_on("xml-bomb") {
        return Some(xml(200, SoapVersion::V11, xml_bomb()));
    }
    None
}

/// The answer's envelope, with the body-shape faults and variants applied as text edits of
/// the conformant answer (each touches one element, so it breaks one rule).
fn answer_body(shared: &Shared, version: SoapVersion, status: SubscriptionStatus) -> String {
    let f = &shared.faults;
    let version = if f.is_on("soap12-answers") {
        SoapVersion::V12
    } else {
        version
    };
    let mut body = write_listener_answer(version, status);
    let result_open = "<m:SendNotificationResult>";
    let result_close = "</m:SendNotificationResult>";
    if f.is_on("default-ns-answer") {
        body = body.replace(
            result_open,
            &format!("<SendNotificationResult xmlns=\"{}\">", ns::MESSAGES),
        );
        body = body
            .replace(result_close, "</SendNotificationResult>")
            .replace("<m:SubscriptionStatus>", "<SubscriptionStatus>")
            .replace("</m:SubscriptionStatus>", "</SubscriptionStatus>");
    }
    if f.is_on("answer-with-header") {
        body = body.replace("<soap:Body>", "<soap:Header/><soap:Body>");
    }
    if f.is_on("status-in-types-ns") {
        body = body
            .replace("<m:SubscriptionStatus>", "<t:SubscriptionStatus>")
            .replace("</m:SubscriptionStatus>", "</t:SubscriptionStatus>");
    }
    if f.is_on("result-in-types-ns") {
        body = body
            .replace(result_open, "<t:SendNotificationResult>")
            .replace(result_close, "</t:SendNotificationResult>");
    }
    if f.is_on("lowercase-ok") && status == SubscriptionStatus::Ok {
        body = body.replace(">OK<", ">ok<");
    }
    if f.is_on("wrapped-result") {
        body = body
            .replace(
                result_open,
                &format!("<m:SendNotificationResponse>{result_open}"),
            )
            .replace(
                result_close,
                &format!("{result_close}</m:SendNotificationResponse>"),
            );
    }
    if f.is_on("extra-element") {
        body = body.replace(
            result_close,
            &format!("<m:Detail>oxconf</m:Detail>{result_close}"),
        );
    }
    body
}

fn describe(n: &SendNotification) -> String {
    let mut kinds: Vec<&str> = Vec::new();
    let mut events = 0;
    for m in &n.messages {
        if let Some(notification) = &m.notification {
            for e in &notification.events {
                events += 1;
                if !kinds.contains(&e.kind.element()) {
                    kinds.push(e.kind.element());
                }
            }
        }
    }
    let ids: Vec<&str> = n
        .messages
        .iter()
        .filter_map(|m| m.notification.as_ref().map(|n| n.subscription_id.as_str()))
        .collect();
    format!(
        "subscription {}: {events} event(s) ({})",
        ids.join(", "),
        kinds.join(", ")
    )
}

/// Why a conformant-looking request makes one of the content faults fail it.
fn content_fault(
    shared: &Shared,
    raw: &str,
    n: &SendNotification,
    findings: &[wire::Finding],
) -> bool {
    let f = &shared.faults;
    let notifications = || n.messages.iter().filter_map(|m| m.notification.as_ref());
    let events = || notifications().flat_map(|x| x.events.iter());
    if f.is_on("prefix-bound")
        && !(raw.contains("<m:SendNotification") && raw.contains("<t:SubscriptionId"))
    {
        return true;
    }
    if f.is_on("ignores-status-ping") && events().all(|e| e.kind == EventKind::Status) {
        return true;
    }
    if f.is_on("crash-on-error-notification")
        && n.messages
            .iter()
            .any(|m| m.response.class == ResponseClass::Error)
    {
        return true;
    }
    if f.is_on("rejects-moved-copied") && events().any(|e| e.kind.is_moved_or_copied()) {
        return true;
    }
    if f.is_on("rejects-more-events") && notifications().any(|x| x.more_events == Some(true)) {
        return true;
    }
    if f.is_on("rejects-several-messages") && n.messages.len() > 1 {
        return true;
    }
    if f.is_on("rejects-unknown-events") && findings.iter().any(|x| x.rule == rules::EVENT_UNKNOWN)
    {
        return true;
    }
    if f.is_on("rejects-duplicate") {
        let mut seen = shared
            .seen_watermarks
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let marks: Vec<String> = events().filter_map(|e| e.watermark.clone()).collect();
        let repeated = marks.iter().any(|w| seen.contains(w));
        seen.extend(marks);
        if repeated {
            return true;
        }
    }
    false
}

pub(crate) async fn handle(shared: &Shared, req: ServerRequest) -> ServerResponse {
    let (response, parsed, answered) = decide(shared, &req).await;
    if let (Some(_), Ok(received)) = (answered, &parsed) {
        shared.ledger.record(
            received
                .value
                .messages
                .iter()
                .filter_map(|m| m.notification.as_ref())
                .flat_map(|n| n.events.iter())
                .filter_map(|e| e.watermark.as_deref()),
        );
    }
    let delay = match &response.behaviour {
        Behaviour::Delay(d) => *d,
        _ => Duration::ZERO,
    };
    if let Some(log) = &shared.on_log {
        let what = match &parsed {
            Ok(r) => describe(&r.value),
            Err(e) => format!("unreadable request ({e})"),
        };
        let answer = match answered {
            Some(s) => format!("HTTP {} {}", response.status, s.as_str()),
            None => format!("HTTP {}", response.status),
        };
        log(format!(
            "← {} {} from {}: {what} → {answer}",
            req.method, req.path, req.peer
        ));
    }
    shared.log.push(
        req.body.clone(),
        Notified {
            method: req.method.clone(),
            path: req.path.clone(),
            headers: req.headers.clone(),
            parsed,
            status: response.status,
            answered,
            delay,
        },
    );
    response
}

type Decision = (
    ServerResponse,
    Result<wire::ews::Received<SendNotification>, String>,
    Option<SubscriptionStatus>,
);

async fn decide(shared: &Shared, req: &ServerRequest) -> Decision {
    let f = &shared.faults;
    let not_read = |why: &str| Err(why.to_string());
    if let Some(r) = hostile(shared) {
        return (r, not_read("not read: a hostile fault is on"), None);
    }
    let path = req.path.split('?').next().unwrap_or_default();
    if path != shared.path {
        return (plain(404), not_read("not the listener's path"), None);
    }
    if req.method != "POST" {
        return (plain(405), not_read("not a POST"), None);
    }
    let _serial = if f.is_on("serial-only") {
        match shared.busy.try_lock() {
            Ok(guard) => {
                tokio::time::sleep(SERIAL_HOLD).await;
                Some(guard)
            }
            Err(_) => return (plain(503), not_read("busy (serial-only)"), None),
        }
    } else {
        None
    };
    if f.is_on("small-body-limit") && req.body.len() > SMALL_BODY_LIMIT {
        return (
            plain(413),
            not_read("over the 64 KiB limit (small-body-limit)"),
            None,
        );
    }
    if shared.dead.load(Ordering::SeqCst) {
        return (
            plain(500),
            not_read("dead since a malformed request (dies-after-malformed)"),
            None,
        );
    }
    let text = match std::str::from_utf8(&req.body) {
        Ok(t) => t,
        Err(_) => {
            return malformed(shared, SoapVersion::V11, "the body is not UTF-8".into());
        }
    };
    let received = match read_send_notification(text, Limits::default()) {
        Ok(r) => r,
        Err(e) => return malformed(shared, SoapVersion::V11, e.to_string()),
    };
    if received.value.messages.is_empty()
        || received
            .findings
            .iter()
            .any(|x| x.rule == rules::BODY_OPERATION)
    {
        let version = received.soap;
        return malformed(
            shared,
            version,
            "the body holds no SendNotification with a response message".into(),
        );
    }
    let version = received.soap;
    if f.is_on("no-soap12") && version == SoapVersion::V12 {
        return (plain(415), Ok(received), None);
    }
    if content_fault(shared, text, &received.value, &received.findings) {
        return (plain(500), Ok(received), None);
    }
    let mut status = SubscriptionStatus::Ok;
    if let Some(own) = &shared.own_ids {
        let foreign = received
            .value
            .messages
            .iter()
            .filter_map(|m| m.notification.as_ref())
            .any(|n| !own.contains(&n.subscription_id));
        if foreign && !f.is_on("unknown-id-ok") {
            status = SubscriptionStatus::Unsubscribe;
        }
    }
    let step = {
        let mut n = shared.answered.lock().unwrap_or_else(|p| p.into_inner());
        let script = shared.script.lock().unwrap_or_else(|p| p.into_inner());
        let step = script.step(*n).clone();
        *n += 1;
        step
    };
    let mut delay = step.delay;
    if f.is_on("slow-answer") {
        delay = delay.max(SLOW_DELAY);
    }
    let (mut response, answered) = match step.answer {
        Answer::Ok => (
            xml(200, version, answer_body(shared, version, status)),
            Some(status),
        ),
        Answer::Unsubscribe => {
            let s = SubscriptionStatus::Unsubscribe;
            (xml(200, version, answer_body(shared, version, s)), Some(s))
        }
        Answer::Status(code) => (plain(code), None),
        Answer::Malformed => (
            xml(200, version, "<m:SendNotificationResult><oops".into()),
            None,
        ),
    };
    if f.is_on("plain-text-content-type") {
        response.headers = vec![("Content-Type".into(), "text/plain; charset=utf-8".into())];
    }
    if !delay.is_zero() {
        response = response.with_behaviour(Behaviour::Delay(delay));
    }
    (response, Ok(received), answered)
}

fn malformed(shared: &Shared, version: SoapVersion, why: String) -> Decision {
    if shared.faults.is_on("accepts-malformed") {
        let s = SubscriptionStatus::Ok;
        return (
            xml(200, version, answer_body(shared, version, s)),
            Err(why),
            Some(s),
        );
    }
    if shared.faults.is_on("dies-after-malformed") {
        shared.dead.store(true, Ordering::SeqCst);
    }
    (refuse(version, &why), Err(why), None)
}
