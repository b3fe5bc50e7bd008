//! The mock push listener's faults: each breaks one rule a `push-listener` scenario judges,
//! or makes the listener hostile.

use crate::fault::{Fault, FaultSet, FaultTable, Variant};

pub const FAULTS: &[Fault] = &[
    Fault::protocol("status-in-types-ns", "writes t:SubscriptionStatus (types namespace) instead of m:SubscriptionStatus"),
    Fault::protocol("result-in-types-ns", "writes t:SendNotificationResult (types namespace)"),
    Fault::protocol("lowercase-ok", "answers SubscriptionStatus \"ok\" instead of \"OK\""),
    Fault::protocol("wrapped-result", "wraps SendNotificationResult in an m:SendNotificationResponse element"),
    Fault::protocol("extra-element", "adds an element after SubscriptionStatus inside SendNotificationResult"),
    Fault::protocol("soap12-answers", "answers every request with a SOAP 1.2 envelope"),
    Fault::protocol("plain-text-content-type", "answers with Content-Type text/plain"),
    Fault::protocol("ignores-status-ping", "answers HTTP 500 to a notification holding only a StatusEvent"),
    Fault::protocol("crash-on-error-notification", "answers HTTP 500 to a ResponseClass=\"Error\" notification"),
    Fault::protocol("rejects-moved-copied", "answers HTTP 500 to MovedEvent and CopiedEvent (its parser knows no OldItemId)"),
    Fault::protocol("rejects-more-events", "answers HTTP 500 when MoreEvents is true"),
    Fault::protocol("rejects-several-messages", "answers HTTP 500 to more than one SendNotificationResponseMessage"),
    Fault::protocol("rejects-unknown-events", "answers HTTP 500 to an event element it does not know"),
    Fault::protocol("prefix-bound", "finds elements by the literal prefixes m: and t:, so other prefix styles fail with HTTP 500"),
    Fault::protocol("slow-answer", "answers after 1.5 s, past the profile's answer deadline"),
    Fault::protocol("accepts-malformed", "answers OK to a request that is not a SendNotification envelope"),
    Fault::protocol("dies-after-malformed", "answers HTTP 500 to everything after its first malformed request"),
    Fault::protocol("unknown-id-ok", "answers OK to subscription ids it does not hold"),
    Fault::protocol("rejects-duplicate", "answers HTTP 500 to a notification whose watermarks it has already seen"),
    Fault::protocol("serial-only", "serves one notification at a time and answers 503 to the others"),
    Fault::protocol("small-body-limit", "refuses request bodies over 64 KiB with 413"),
    Fault::protocol("no-soap12", "refuses SOAP 1.2 requests with 415"),
    Fault::protocol("tls-wrong-name", "serves HTTPS with a certificate for another host name"),
    Fault::hostile("hang", "never answers"),
    Fault::hostile("reset", "drops the connection without an answer"),
    Fault::hostile("garbage", "answers 200 with bytes that are not XML"),
    Fault::hostile("huge-body", "answers 200 with a 64 MiB body"),
    Fault::hostile("xml-bomb", "answers 200 with an entity-expansion bomb"),
];

pub const VARIANTS: &[Variant] = &[
    Variant::new(
        "default-ns-answer",
        "writes its answer with default namespace declarations instead of the m: prefix",
    ),
    Variant::new(
        "answer-with-header",
        "adds an empty soap:Header to its answer",
    ),
];

/// The mock push listener's switches.
pub struct ListenerFaults;

impl FaultTable for ListenerFaults {
    const PEER: &'static str = "push-listener";
    const FAULTS: &'static [Fault] = FAULTS;
    const VARIANTS: &'static [Variant] = VARIANTS;
}

pub type Faults = FaultSet<ListenerFaults>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_well_formed() {
        assert!(crate::fault::table_problems::<ListenerFaults>().is_empty());
    }
}
