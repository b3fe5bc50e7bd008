//! Stable names of the findings the EWS readers report. Golden vectors (`vectors/push/`) name
//! these strings, so they never change meaning; new ones are added at the end of `RULES`.

/// The body's element is not the operation the reader expects (or is in no EWS namespace).
pub const BODY_OPERATION: &str = "ews.body.operation";
/// An element is in the wrong namespace: `t:` where the schema declares `m:`, or the reverse
/// (the namespace trap of E-PS-11), or none at all.
pub const ELEMENT_NAMESPACE: &str = "ews.element.namespace";
/// An element comes before one the schema's sequence puts ahead of it.
pub const ELEMENT_ORDER: &str = "ews.element.order";
/// A required element is missing.
pub const ELEMENT_MISSING: &str = "ews.element.missing";
/// An element the type does not allow there.
pub const ELEMENT_UNEXPECTED: &str = "ews.element.unexpected";
/// An element occurs more often than its maxOccurs.
pub const ELEMENT_REPEATED: &str = "ews.element.repeated";
/// Character data inside element-only content.
pub const ELEMENT_TEXT: &str = "ews.element.text";
/// An event element the schema version the reader knows does not define: ignored, as
/// NTIF-R041 asks of listeners (a warning, since later schema versions add kinds).
pub const EVENT_UNKNOWN: &str = "ews.event.unknown";
/// A required attribute (ResponseClass, Id, Version) is missing.
pub const ATTRIBUTE_MISSING: &str = "ews.attribute.missing";
/// A value outside its enumeration (ResponseClass, SubscriptionStatus, which is
/// case-sensitive, PSNTIF-R018).
pub const VALUE_ENUMERATION: &str = "ews.value.enumeration";
/// A number outside its range (StatusFrequency 1..1440).
pub const VALUE_RANGE: &str = "ews.value.range";
/// Not an `xs:dateTime`.
pub const VALUE_DATETIME: &str = "ews.value.datetime";
/// Not an `xs:boolean`.
pub const VALUE_BOOLEAN: &str = "ews.value.boolean";
/// Not an `xs:int`.
pub const VALUE_INT: &str = "ews.value.int";
/// An empty string where the type is a NonEmptyString (ids, watermarks).
pub const VALUE_EMPTY: &str = "ews.value.empty";
/// A `t:EventType` outside NotificationEventTypeType.
pub const EVENT_TYPE_UNKNOWN: &str = "ews.eventType.unknown";
/// `StatusEvent` named in EventTypes: it cannot be subscribed to (digest 1.4).
pub const EVENT_TYPE_STATUS: &str = "ews.eventType.status";
/// A push URL that is empty, 2083 characters or longer, not http(s), or not a URI.
pub const URL_INVALID: &str = "ews.url.invalid";
/// A RequestServerVersion Version outside ExchangeVersionType.
pub const SERVER_VERSION_VALUE: &str = "ews.serverVersion.value";
/// The listener's SendNotificationResult is wrapped inside another element instead of
/// being the Body's child (PSNTIF-R016).
pub const ANSWER_WRAPPED: &str = "ews.answer.wrapped";

/// Every rule name this module can report, in the order they were introduced.
pub const RULES: &[&str] = &[
    BODY_OPERATION,
    ELEMENT_NAMESPACE,
    ELEMENT_ORDER,
    ELEMENT_MISSING,
    ELEMENT_UNEXPECTED,
    ELEMENT_REPEATED,
    ELEMENT_TEXT,
    EVENT_UNKNOWN,
    ATTRIBUTE_MISSING,
    VALUE_ENUMERATION,
    VALUE_RANGE,
    VALUE_DATETIME,
    VALUE_BOOLEAN,
    VALUE_INT,
    VALUE_EMPTY,
    EVENT_TYPE_UNKNOWN,
    EVENT_TYPE_STATUS,
    URL_INVALID,
    SERVER_VERSION_VALUE,
    ANSWER_WRAPPED,
];
