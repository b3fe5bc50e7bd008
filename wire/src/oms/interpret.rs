//! How a client reads an xmsResponse (the notes of MS-OMS 2.2.4.4). Used by the reference
//! client to decide what happened, and by the client suite to compute what a client under
//! test should conclude from a crafted response.
//!
//! Clients compare codes and severities case-insensitively (E-OMS-28), unlike the server-side
//! pairing rules.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::codes;
use super::response::DeliveryError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Delivered,
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interpretation {
    pub outcome: Outcome,
    /// In the order of the recipients sent, each once; recipients a server names that were
    /// not sent follow in the order they appear.
    pub failed_recipients: Vec<String>,
    /// Whether the user gets a non-delivery report (OMS-R063).
    pub ndr: bool,
    /// A serviceUpdate code (any letter case) asks the client to fetch serviceInfo again.
    pub service_update: bool,
    /// The codes present, as written, in document order.
    pub codes: Vec<String>,
}

/// An error counts as a failure when its code is missing (unknown failure, OMS-R061) or its
/// severity is "failure"; a missing severity is "neutral" (OMS-R062); no error at all is a
/// failure for everyone (OMS-R060).
fn is_failure(e: &DeliveryError) -> bool {
    e.code.is_none()
        || e.severity
            .as_deref()
            .is_some_and(|s| s.trim().eq_ignore_ascii_case(codes::FAILURE))
}

pub fn interpret(errors: &[DeliveryError], recipients: &[String]) -> Interpretation {
    let codes: Vec<String> = errors.iter().filter_map(|e| e.code.clone()).collect();
    let service_update = codes
        .iter()
        .any(|c| c.trim().eq_ignore_ascii_case(codes::SERVICE_UPDATE));
    if errors.is_empty() {
        return Interpretation {
            outcome: Outcome::Failed,
            failed_recipients: dedup(recipients.iter().cloned()),
            ndr: true,
            service_update,
            codes,
        };
    }
    let failures: Vec<&DeliveryError> = errors.iter().filter(|e| is_failure(e)).collect();
    if failures.is_empty() {
        return Interpretation {
            outcome: Outcome::Delivered,
            failed_recipients: Vec::new(),
            ndr: false,
            service_update,
            codes,
        };
    }
    // A failure without recipientList (or with an empty one) concerns every recipient
    // (OMS-R035).
    let mut named: Vec<String> = Vec::new();
    let mut everyone = false;
    for e in &failures {
        match e.recipients() {
            Some(list) if !list.is_empty() => named.extend(list),
            _ => everyone = true,
        }
    }
    // The recipient list is the server's and may be as long as the size limit allows, so
    // membership is looked up in sets rather than by scanning.
    let failed_recipients = if everyone {
        dedup(recipients.iter().cloned())
    } else {
        let named_set: HashSet<&String> = named.iter().collect();
        let sent: HashSet<&String> = recipients.iter().collect();
        let sent_first = recipients.iter().filter(|r| named_set.contains(r)).cloned();
        let unknown = named.iter().filter(|n| !sent.contains(n)).cloned();
        dedup(sent_first.chain(unknown))
    };
    Interpretation {
        outcome: Outcome::Failed,
        failed_recipients,
        ndr: true,
        service_update,
        codes,
    }
}

/// The items in order, each at its first occurrence.
fn dedup(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::new();
    items.filter(|item| seen.insert(item.clone())).collect()
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

    #[rstest]
    #[case::no_error(vec![], Outcome::Failed, &["a", "b"][..], true)]
    #[case::ok(vec![err(Some("ok"), Some("neutral"), None)], Outcome::Delivered, &[][..], false)]
    #[case::no_code(vec![err(None, Some("neutral"), None)], Outcome::Failed, &["a", "b"][..], true)]
    #[case::no_severity(vec![err(Some("invalidUser"), None, None)], Outcome::Delivered, &[][..], false)]
    #[case::upper_failure(vec![err(Some("other"), Some("FAILURE"), Some("b"))], Outcome::Failed, &["b"][..], true)]
    #[case::mixed(vec![err(Some("ok"), Some("neutral"), None), err(Some("invalidRecipient"), Some("failure"), Some("b;a"))], Outcome::Failed, &["a", "b"][..], true)]
    #[case::subset_and_all(vec![err(Some("x"), Some("failure"), Some("b")), err(Some("y"), Some("failure"), None)], Outcome::Failed, &["a", "b"][..], true)]
    #[case::unknown_recipient(vec![err(Some("x"), Some("failure"), Some("z;b;b"))], Outcome::Failed, &["b", "z"][..], true)]
    #[case::empty_list(vec![err(Some("x"), Some("failure"), Some(""))], Outcome::Failed, &["a", "b"][..], true)]
    #[case::unknown_severity(vec![err(Some("x"), Some("warning"), None)], Outcome::Delivered, &[][..], false)]
    fn outcomes(
        #[case] errors: Vec<DeliveryError>,
        #[case] outcome: Outcome,
        #[case] failed: &[&str],
        #[case] ndr: bool,
    ) {
        let i = interpret(&errors, &rs(&["a", "b"]));
        assert_eq!(i.outcome, outcome);
        assert_eq!(i.failed_recipients, rs(failed));
        assert_eq!(i.ndr, ndr);
    }

    #[rstest]
    #[case("serviceUpdate", true)]
    #[case("serviceupdate", true)]
    #[case("SERVICEUPDATE", true)]
    #[case("ok", false)]
    fn service_update(#[case] code: &str, #[case] expected: bool) {
        let i = interpret(&[err(Some(code), Some("neutral"), None)], &rs(&["a"]));
        assert_eq!(i.service_update, expected);
        assert_eq!(i.codes, rs(&[code]));
        assert_eq!(i.outcome, Outcome::Delivered);
    }

    #[test]
    fn outcome_serialises_lower_case() {
        assert_eq!(
            serde_json::to_string(&Outcome::Failed).unwrap(),
            "\"failed\""
        );
        assert_eq!(
            serde_json::to_string(&Outcome::Delivered).unwrap(),
            "\"delivered\""
        );
    }
}
