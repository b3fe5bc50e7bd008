//! How a delivery was answered, summarised for the actual side of checks and for comparing
//! two deliveries that must be treated alike.

use wire::oms::{codes, DeliveryError, XmsResponse};

/// "code/severity" of every error element, for the actual side of checks.
pub fn codes_of(errors: &[DeliveryError]) -> String {
    if errors.is_empty() {
        return "no error element".into();
    }
    errors
        .iter()
        .map(|e| {
            let mut s = format!(
                "{}/{}",
                e.code.as_deref().unwrap_or("(no code)"),
                e.severity.as_deref().unwrap_or("(no severity)")
            );
            if let Some(c) = &e.content {
                s.push_str(&format!(" content {c:?}"));
            }
            if let Some(r) = &e.recipient_list {
                s.push_str(&format!(" recipients {r:?}"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a DeliverXms request was answered, when a fault or an HTTP error is an acceptable
/// answer to judge rather than a transport failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeliverAnswer {
    Response(XmsResponse),
    Fault {
        status: u16,
        code: String,
        reason: String,
    },
    Http {
        status: u16,
    },
}

impl DeliverAnswer {
    /// One line for the actual side of checks.
    pub fn describe(&self) -> String {
        match self {
            DeliverAnswer::Response(r) => format!("xmsResponse: {}", codes_of(&r.errors)),
            DeliverAnswer::Fault {
                status,
                code,
                reason,
            } => format!("HTTP {status} SOAP fault {code}: {reason}"),
            DeliverAnswer::Http { status } => format!("HTTP {status} without a SOAP envelope"),
        }
    }
}

/// An optional element's text for the actual side of checks: quoted, or "absent".
pub fn shown(text: Option<&str>) -> String {
    match text {
        Some(t) => format!("{t:?}"),
        None => "absent".to_string(),
    }
}

/// Recipients trimmed, deduplicated and sorted, for comparisons as sets.
pub fn recipient_set<'a>(recipients: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut v: Vec<String> = recipients
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Whether a code is a notice that may accompany any answer: "ok" and serviceUpdate (in any
/// letter case; another scenario may have changed the service information meanwhile).
fn is_background(e: &DeliveryError) -> bool {
    e.code
        .as_deref()
        .is_some_and(|c| c == codes::OK || c.eq_ignore_ascii_case(codes::SERVICE_UPDATE))
}

/// The outcome of a delivery as sorted "code/severity" pairs, serviceUpdate left out, so two
/// deliveries that must be treated alike can be compared.
pub fn outcome_of(errors: &[DeliveryError]) -> Vec<String> {
    let mut v: Vec<String> = errors
        .iter()
        .filter(|e| {
            !e.code
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(codes::SERVICE_UPDATE))
        })
        .map(|e| {
            format!(
                "{}/{}",
                e.code.as_deref().unwrap_or("(no code)"),
                e.severity.as_deref().unwrap_or("(no severity)")
            )
        })
        .collect();
    v.sort();
    v
}

/// The error elements that report something other than "ok" or serviceUpdate.
pub fn reports(errors: &[DeliveryError]) -> impl Iterator<Item = &DeliveryError> {
    errors.iter().filter(|e| !is_background(e))
}
