//! How the reference client reads answers: the HTTP status per RFC 2616 (anything but 2xx is
//! a failure), SOAP faults as failures, then the error elements by the notes of MS-OMS 2.2.4.4
//! (`wire::oms::interpret`). Batch results are matched to messages by id (OMS-R146); a message
//! the server does not mention has no error element and so failed (OMS-R060 by analogy).
//!
//! The interpretation faults work by showing `interpret` the errors as a faulty client would
//! misread them, so the reference rules live in one place only.

use wire::oms::codes;
use wire::oms::{interpret, DeliveryError, Interpretation, Outcome, XmsResponse, XmsResponses};

use super::faults::{ClientFault, Faults};
use super::outcome::Verdict;
use crate::oms::caller::Call;

/// What a call's answer amounts to before any error element is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Reading<'a> {
    /// A readable result whose payload decides.
    Payload(&'a str),
    /// No usable answer: every recipient of the request failed.
    Failed,
    /// Counted as delivered without reading (faults only).
    Delivered,
}

pub(crate) fn classify<'a>(call: &'a Call, faults: &Faults) -> Reading<'a> {
    if call.transport_error().is_some() {
        return Reading::Failed;
    }
    if call.fault().is_some() {
        return if faults.on(ClientFault::FaultIsSuccess) {
            Reading::Delivered
        } else {
            Reading::Failed
        };
    }
    let status = call.status().unwrap_or(0);
    if !(200..300).contains(&status) {
        return if (500..600).contains(&status) && faults.on(ClientFault::HttpErrorIsSuccess) {
            Reading::Delivered
        } else {
            Reading::Failed
        };
    }
    match call.result_payload() {
        Some(p) if faults.on(ClientFault::Utf16DeclarationUnreadable) && declares_utf16(p) => {
            Reading::Failed
        }
        Some(p) => Reading::Payload(p),
        None => Reading::Failed,
    }
}

/// Whether a document opens with an XML declaration naming the utf-16 encoding (E-OMS-24:
/// the string is already characters, so a reader ignores it; the fault does not).
pub(crate) fn declares_utf16(doc: &str) -> bool {
    let doc = doc.trim_start_matches('\u{feff}').trim_start();
    doc.strip_prefix("<?xml")
        .and_then(|rest| rest.split("?>").next())
        .is_some_and(|decl| decl.to_ascii_lowercase().contains("utf-16"))
}

/// Whether the answer asks for a refresh as a client with `faults` sees it: any letter case
/// of serviceUpdate (E-OMS-06, E-OMS-28), or only the exact spelling under the
/// `case-sensitive-service-update` fault.
fn refresh_asked(errors: &[DeliveryError], interpreted: bool, faults: &Faults) -> bool {
    if faults.on(ClientFault::CaseSensitiveServiceUpdate) {
        interpreted
            && errors
                .iter()
                .any(|e| e.code.as_deref() == Some(codes::SERVICE_UPDATE))
    } else {
        interpreted
    }
}

/// The error elements as a client with `faults` understands them.
pub(crate) fn as_seen(errors: &[DeliveryError], faults: &Faults) -> Vec<DeliveryError> {
    let mut seen = errors.to_vec();
    if faults.on(ClientFault::FirstErrorDecides) {
        seen.truncate(1);
    }
    if seen.is_empty() && faults.on(ClientFault::MissingErrorIsSuccess) {
        return vec![DeliveryError::ok()];
    }
    for e in &mut seen {
        if e.code.is_none() && faults.on(ClientFault::MissingCodeIsSuccess) {
            e.code = Some(codes::OK.to_owned());
            e.severity = Some(codes::NEUTRAL.to_owned());
        }
        if e.severity.is_none() && faults.on(ClientFault::MissingSeverityIsFailure) {
            e.severity = Some(codes::FAILURE.to_owned());
        }
        if faults.on(ClientFault::CaseSensitiveSeverity)
            && e.severity.as_deref().is_some_and(|s| s != codes::FAILURE)
        {
            e.severity = Some(codes::NEUTRAL.to_owned());
        }
        if faults.on(ClientFault::UnknownCodeIsSuccess)
            && e.code
                .as_deref()
                .is_some_and(|c| codes::canonical(c).is_none())
        {
            e.severity = Some(codes::NEUTRAL.to_owned());
        }
        if faults.on(ClientFault::IgnoreRecipientList) {
            e.recipient_list = None;
        }
    }
    seen
}

pub(crate) fn read_errors(
    errors: &[DeliveryError],
    recipients: &[String],
    faults: &Faults,
) -> Interpretation {
    interpret(&as_seen(errors, faults), recipients)
}

fn verdict(i: &Interpretation) -> Verdict {
    Verdict {
        failed: i.outcome == Outcome::Failed,
        failed_recipients: i.failed_recipients.clone(),
    }
}

/// A DeliverXms answer: the verdict for its recipients, and whether it asked for a service
/// information refresh.
pub(crate) fn judge_delivery(
    call: &Call,
    recipients: &[String],
    faults: &Faults,
) -> (Verdict, bool) {
    match classify(call, faults) {
        Reading::Delivered => (Verdict::delivered(), false),
        Reading::Failed => (Verdict::all_failed(recipients), false),
        Reading::Payload(p) => match XmsResponse::parse(p) {
            Err(_) => (Verdict::all_failed(recipients), false),
            Ok(parsed) => {
                let i = read_errors(&parsed.value.errors, recipients, faults);
                let refresh = refresh_asked(&parsed.value.errors, i.service_update, faults);
                (verdict(&i), refresh)
            }
        },
    }
}

/// One message of a sent batch: the id written on the wire and its recipients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sent {
    pub id: u32,
    pub recipients: Vec<String>,
}

/// A DeliverXmsBatch answer: one verdict per sent message, in sending order.
pub(crate) fn judge_batch(call: &Call, sent: &[Sent], faults: &Faults) -> (Vec<Verdict>, bool) {
    let every = |v: fn(&[String]) -> Verdict| sent.iter().map(|s| v(&s.recipients)).collect();
    let payload = match classify(call, faults) {
        Reading::Delivered => return (every(|_| Verdict::delivered()), false),
        Reading::Failed => return (every(Verdict::all_failed), false),
        Reading::Payload(p) => p,
    };
    let Ok(parsed) = XmsResponses::parse(payload) else {
        return (every(Verdict::all_failed), false);
    };
    let answers = parsed.value.items;
    let mut service_update = false;
    let verdicts = sent
        .iter()
        .enumerate()
        .map(|(position, s)| {
            let answer = if faults.on(ClientFault::BatchResultsByPosition) {
                answers.get(position)
            } else {
                answers.iter().find(|a| a.id == s.id)
            };
            match answer {
                None if faults.on(ClientFault::BatchMissingIdOk) => Verdict::delivered(),
                None => Verdict::all_failed(&s.recipients),
                Some(a) => {
                    let i = read_errors(&a.errors, &s.recipients, faults);
                    service_update |= refresh_asked(&a.errors, i.service_update, faults);
                    verdict(&i)
                }
            }
        })
        .collect();
    (verdicts, service_update)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn rs(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn err(code: Option<&str>, severity: Option<&str>, list: Option<&str>) -> DeliveryError {
        DeliveryError {
            code: code.map(str::to_owned),
            severity: severity.map(str::to_owned),
            content: None,
            recipient_list: list.map(str::to_owned),
        }
    }

    /// (errors, fault, reference outcome, faulty outcome) for recipients a and b.
    #[rstest]
    #[case::missing_error(vec![], ClientFault::MissingErrorIsSuccess, Some(&["a", "b"][..]), None)]
    #[case::missing_code(vec![err(None, Some("neutral"), None)], ClientFault::MissingCodeIsSuccess, Some(&["a", "b"][..]), None)]
    #[case::missing_severity(vec![err(Some("other"), None, None)], ClientFault::MissingSeverityIsFailure, None, Some(&["a", "b"][..]))]
    #[case::first_error(vec![err(Some("ok"), Some("neutral"), None), err(Some("other"), Some("failure"), Some("b"))], ClientFault::FirstErrorDecides, Some(&["b"][..]), None)]
    #[case::recipient_list(vec![err(Some("invalidRecipient"), Some("failure"), Some("b"))], ClientFault::IgnoreRecipientList, Some(&["b"][..]), Some(&["a", "b"][..]))]
    #[case::unknown_code(vec![err(Some("quotaExceeded"), Some("failure"), None)], ClientFault::UnknownCodeIsSuccess, Some(&["a", "b"][..]), None)]
    #[case::severity_case(vec![err(Some("other"), Some("FAILURE"), None)], ClientFault::CaseSensitiveSeverity, Some(&["a", "b"][..]), None)]
    fn faults_change_the_reading(
        #[case] errors: Vec<DeliveryError>,
        #[case] fault: ClientFault,
        #[case] reference: Option<&[&str]>,
        #[case] faulty: Option<&[&str]>,
    ) {
        let recipients = rs(&["a", "b"]);
        let expect = |failed: Option<&[&str]>| match failed {
            None => Verdict::delivered(),
            Some(list) => Verdict {
                failed: true,
                failed_recipients: rs(list),
            },
        };
        let r = verdict(&read_errors(&errors, &recipients, &Faults::none()));
        assert_eq!(r, expect(reference));
        let f = verdict(&read_errors(
            &errors,
            &recipients,
            &Faults::none().with(fault),
        ));
        assert_eq!(f, expect(faulty));
    }

    #[rstest]
    #[case("<?xml version=\"1.0\" encoding=\"utf-16\"?><a/>", true)]
    #[case("\u{feff}<?xml version='1.0' encoding='UTF-16'?><a/>", true)]
    #[case("<?xml version=\"1.0\" encoding=\"utf-8\"?><a/>", false)]
    #[case("<a>utf-16</a>", false)]
    fn utf16_declarations(#[case] doc: &str, #[case] expected: bool) {
        assert_eq!(declares_utf16(doc), expected);
    }

    #[test]
    fn service_update_case() {
        let lower = vec![err(Some("serviceupdate"), Some("neutral"), None)];
        let exact = vec![err(Some("serviceUpdate"), Some("neutral"), None)];
        let strict = Faults::none().with(ClientFault::CaseSensitiveServiceUpdate);
        assert!(refresh_asked(&lower, true, &Faults::none()));
        assert!(!refresh_asked(&lower, true, &strict));
        assert!(refresh_asked(&exact, true, &strict));
        assert!(!refresh_asked(&exact, false, &Faults::none()));
    }

    #[test]
    fn known_code_failure_stays_failure_under_unknown_code_fault() {
        let errors = vec![err(Some("invalidUser"), Some("failure"), None)];
        let i = read_errors(
            &errors,
            &rs(&["a"]),
            &Faults::none().with(ClientFault::UnknownCodeIsSuccess),
        );
        assert_eq!(i.outcome, Outcome::Failed);
    }
}
