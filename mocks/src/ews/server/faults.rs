//! The mock Exchange push server's faults: each breaks one rule a `push-server` scenario
//! judges, or makes the server hostile to the harness's listener and client.

use crate::fault::{Fault, FaultSet, FaultTable, Variant};

pub const FAULTS: &[Fault] = &[
    Fault::protocol(
        "no-initial-notification",
        "sends no notification right after Subscribe",
    ),
    Fault::protocol(
        "soap12-notifications",
        "sends SendNotification in a SOAP 1.2 envelope",
    ),
    Fault::protocol(
        "bad-server-version",
        "sends RequestServerVersion Version=\"Exchange2099\"",
    ),
    Fault::protocol("wrong-soap-action", "sends the SOAPAction of GetEvents"),
    Fault::protocol(
        "error-response-class",
        "marks ordinary notifications ResponseClass=\"Error\" with ErrorInternalServerError",
    ),
    Fault::protocol(
        "wrong-subscription-id",
        "names another subscription in SubscriptionId",
    ),
    Fault::protocol(
        "watermark-gap",
        "skips a watermark in PreviousWatermark after the first notification",
    ),
    Fault::protocol(
        "events-in-messages-ns",
        "writes event elements in the messages namespace",
    ),
    Fault::protocol("bad-timestamp", "writes TimeStamp \"yesterday\""),
    Fault::protocol(
        "wrong-event-kind",
        "reports a message created in the Inbox without its NewMailEvent",
    ),
    Fault::protocol(
        "wrong-item-id",
        "reports events with an ItemId no action produced",
    ),
    Fault::protocol("no-status-ping", "sends no status pings while idle"),
    Fault::protocol(
        "ignores-unsubscribe",
        "keeps notifying after the listener answered Unsubscribe",
    ),
    Fault::protocol("no-retry", "gives up after the first failed delivery"),
    Fault::protocol(
        "retry-forever",
        "keeps retrying every 30 s past the StatusFrequency window",
    ),
    Fault::protocol(
        "accepts-bad-frequency",
        "accepts StatusFrequency outside 1..1440",
    ),
    Fault::protocol(
        "accepts-bad-url",
        "accepts push URLs that are not absolute http(s) URIs",
    ),
    Fault::protocol(
        "accepts-status-event",
        "accepts StatusEvent (and unknown values) in EventTypes",
    ),
    Fault::protocol(
        "wrong-url-error-code",
        "refuses a bad push URL with ErrorInvalidSubscription",
    ),
    Fault::protocol(
        "ignores-watermark",
        "starts a Subscribe with a Watermark from the present, not from the watermark",
    ),
    Fault::protocol(
        "ignores-folder-scope",
        "delivers every folder's events to folder-scoped subscriptions",
    ),
    Fault::protocol(
        "unsubscribe-push-succeeds",
        "answers Unsubscribe of a push subscription with NoError",
    ),
    Fault::protocol(
        "more-than-50",
        "puts every queued event into one notification, without MoreEvents",
    ),
    Fault::protocol(
        "no-server-version-info",
        "omits t:ServerVersionInfo from its responses",
    ),
    Fault::protocol(
        "subscribe-ids-in-types-ns",
        "writes SubscribeResponse's SubscriptionId and Watermark in the types namespace",
    ),
    Fault::hostile(
        "garbage-notification",
        "POSTs bytes that are not XML to the listener",
    ),
    Fault::hostile("huge-notification", "POSTs a 16 MiB body to the listener"),
    Fault::hostile(
        "xml-bomb-notification",
        "POSTs an entity-expansion bomb to the listener",
    ),
    Fault::hostile("hang", "never answers EWS requests"),
    Fault::hostile("reset", "drops EWS connections without an answer"),
];

pub const VARIANTS: &[Variant] = &[Variant::new(
    "default-ns-notifications",
    "writes notifications with default namespace declarations instead of m:/t: prefixes",
)];

pub struct ExchangeFaults;

impl FaultTable for ExchangeFaults {
    const PEER: &'static str = "push-server";
    const FAULTS: &'static [Fault] = FAULTS;
    const VARIANTS: &'static [Variant] = VARIANTS;
}

pub type Faults = FaultSet<ExchangeFaults>;

#[cfg(test)]
mod tests {
    #[test]
    fn table_is_well_formed() {
        assert!(crate::fault::table_problems::<super::ExchangeFaults>().is_empty());
    }
}
