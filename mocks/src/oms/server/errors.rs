//! Building the error elements of an xmsResponse (MS-OMS 2.2.4.4) with the severities the
//! faults may bend, so that no check has to remember them.

use wire::oms::{codes, DeliveryError};

use super::faults::Faults;

/// A code reporting that the message was not delivered: severity "failure" (OMS-R037).
pub(crate) fn failure(faults: &Faults, code: &str) -> DeliveryError {
    let severity = if faults.on("failure-codes-neutral") {
        codes::NEUTRAL
    } else {
        codes::FAILURE
    };
    DeliveryError::new(code, severity)
}

/// "ok"/"neutral" (OMS-R036).
pub(crate) fn ok(faults: &Faults) -> DeliveryError {
    let severity = if faults.on("ok-with-failure-severity") {
        codes::FAILURE
    } else {
        codes::NEUTRAL
    };
    DeliveryError::new(codes::OK, severity)
}

/// An informational code sent with a delivered message (noScheduled, lowBalance: neutral is
/// allowed by E-OMS-33 and keeps clients from producing a non-delivery report).
pub(crate) fn notice(code: &str) -> DeliveryError {
    DeliveryError::new(code, codes::NEUTRAL)
}

/// Whether `e` says the message (or part of it) was not delivered, whatever its severity.
pub(crate) fn is_failure(e: &DeliveryError) -> bool {
    !matches!(
        e.code.as_deref(),
        Some(codes::OK | codes::NO_SCHEDULED | codes::LOW_BALANCE | codes::SERVICE_UPDATE)
    )
}

/// Recipients in first-seen order, each once, joined for recipientList.
pub(crate) fn recipient_list(recipients: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in recipients {
        if !out.iter().any(|o| o == r) {
            out.push((*r).to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn faults(names: &[&str]) -> Faults {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        Faults::parse(&names).unwrap()
    }

    #[rstest]
    #[case(&[], "failure", "neutral")]
    #[case(&["failure-codes-neutral"], "neutral", "neutral")]
    #[case(&["ok-with-failure-severity"], "failure", "failure")]
    fn severities(#[case] f: &[&str], #[case] fail: &str, #[case] okay: &str) {
        let f = faults(f);
        assert_eq!(failure(&f, "invalidUser").severity.as_deref(), Some(fail));
        assert_eq!(ok(&f).severity.as_deref(), Some(okay));
    }

    #[rstest]
    #[case("ok", false)]
    #[case("noScheduled", false)]
    #[case("lowBalance", false)]
    #[case("serviceUpdate", false)]
    #[case("invalidRecipient", true)]
    #[case("other", true)]
    fn failure_codes(#[case] code: &str, #[case] expected: bool) {
        assert_eq!(is_failure(&DeliveryError::new(code, "neutral")), expected);
    }

    #[test]
    fn recipient_lists_are_deduplicated_in_order() {
        assert_eq!(recipient_list(&["b", "a", "b"]), ["b", "a"]);
    }
}
