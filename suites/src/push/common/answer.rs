//! Judging a listener's answer to one SendNotification (MS-OXWSPSNTIF 3.1.4.1.2.3,
//! 3.1.4.1.4.2): HTTP 200, the request's SOAP version and media type, a Body holding exactly
//! `m:SendNotificationResult` with `m:SubscriptionStatus` OK or Unsubscribe (case matters,
//! messages namespace, E-PS-11), and, as a SHOULD, within the answer deadline.

use super::media_type;
use crate::common::findings::record_findings;
use crate::common::http::unreachable;
use harness::{Cx, Level, Stop};
use mocks::net::Exchange;
use std::time::Duration;
use wire::ews::{read_listener_answer, ListenerAnswer, SubscriptionStatus};
use wire::media_type::essence;
use wire::soap::SoapVersion;
use wire::xml::Limits;

/// The largest answer read: a SendNotificationResult is a few hundred bytes.
pub const MAX_ANSWER: usize = 1024 * 1024;

/// What a scenario expects of the answer.
#[derive(Clone, Debug)]
pub struct Expect<'a> {
    /// What was sent, for messages ("the status ping").
    pub what: &'a str,
    /// The request's SOAP version: the answer must be in it.
    pub version: SoapVersion,
    /// Requirements a missing or non-200 answer breaks (the scenario's own).
    pub accept: &'a [&'a str],
    /// Slower answers are warned about (NTIF-R040, a SHOULD).
    pub deadline: Option<Duration>,
}

/// A valid answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answered {
    pub status: SubscriptionStatus,
    pub elapsed: Duration,
}

/// The binding's requirement for `version` (SOAP 1.1 is required, 1.2 optional, E-PS-08).
fn binding(version: SoapVersion) -> &'static str {
    match version {
        SoapVersion::V11 => "PSNTIF-R004",
        SoapVersion::V12 => "PSNTIF-R008",
    }
}

/// Judges `exchange` as the answer to a notification; `Err(Stop::Failed)` when a binding
/// check failed, inconclusive when the listener could not be reached at all.
pub fn judge_answer(cx: &Cx, exchange: &Exchange, expect: &Expect<'_>) -> Result<Answered, Stop> {
    let what = expect.what;
    let accept = cx.cite(expect.accept.iter().copied());
    let response = match &exchange.result {
        Err(e) if e.unreachable() => return Err(unreachable(&exchange.request.url, e)),
        Err(e) => {
            return Err(accept.give_up(
                &format!("the listener answers {what}"),
                "an HTTP response",
                e.to_string(),
            ))
        }
        Ok(r) => r,
    };
    if response.status != 200 {
        return Err(accept.give_up(
            &format!("the listener accepts {what} (HTTP 200)"),
            "HTTP 200 with a SendNotificationResult",
            format!("HTTP {} {}", response.status, response.reason),
        ));
    }
    accept.check(
        &format!("the listener accepts {what} (HTTP 200)"),
        true,
        "HTTP 200 with a SendNotificationResult",
        format!("HTTP {} {}", response.status, response.reason),
    );
    let binding = cx.cite([binding(expect.version)]);
    let content_type = response.header("content-type").unwrap_or("(none)");
    binding.expect(
        "the answer's media type is the request's SOAP binding's",
        essence(content_type) == media_type(expect.version),
        media_type(expect.version),
        content_type,
    )?;
    if response.body.len() > MAX_ANSWER {
        return Err(cx.cite(["PSNTIF-R016"]).fail(
            "the answer is a SendNotificationResult",
            format!("at most {MAX_ANSWER} bytes"),
            format!("{} bytes", response.body.len()),
        ));
    }
    let text = String::from_utf8_lossy(&response.body);
    let read = read_listener_answer(&text, Limits::default()).map_err(|e| {
        cx.cite(["PSNTIF-R016"]).fail(
            "the answer is a SOAP envelope holding SendNotificationResult",
            "a readable SOAP envelope",
            e.to_string(),
        )
    })?;
    binding.expect(
        "the answer is in the request's SOAP version",
        read.soap == expect.version,
        expect.version.label(),
        read.soap.label(),
    )?;
    let status = match &read.value {
        ListenerAnswer::Result { status, .. } => *status,
        ListenerAnswer::Fault { code, reason } => {
            return Err(accept.give_up(
                &format!("the listener answers {what} with a result"),
                "SendNotificationResult",
                format!("a SOAP fault: {code}: {reason}"),
            ))
        }
        ListenerAnswer::Other(name) => {
            return Err(cx.cite(["PSNTIF-R016"]).fail(
                "the answer's Body holds SendNotificationResult",
                "m:SendNotificationResult",
                name.as_str(),
            ))
        }
        ListenerAnswer::Empty => {
            return Err(cx.cite(["PSNTIF-R016"]).fail(
                "the answer's Body holds SendNotificationResult",
                "m:SendNotificationResult",
                "an empty Body",
            ))
        }
    };
    record_findings(
        cx,
        "the answer",
        &read.findings,
        &["PSNTIF-R016", "PSNTIF-R017"],
    )?;
    let Some(status) = status else {
        return Err(cx.cite(["PSNTIF-R017"]).fail(
            "SendNotificationResult holds a SubscriptionStatus",
            "OK or Unsubscribe",
            "none",
        ));
    };
    if let Some(deadline) = expect.deadline {
        cx.cite(["NTIF-R040"]).level(Level::Should).check(
            &format!("the listener answers {what} promptly"),
            exchange.elapsed <= deadline,
            format!("within {} ms (push.answer_deadline)", deadline.as_millis()),
            format!("{} ms", exchange.elapsed.as_millis()),
        );
    }
    Ok(Answered {
        status,
        elapsed: exchange.elapsed,
    })
}
