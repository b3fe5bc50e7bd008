//! The EWS namespaces and SOAPActions (digest 1.1, 1.2; MS-OXWSPSNTIF 6.1).

/// `m:`: message-level elements (SendNotification, SendNotificationResult,
/// SubscriptionStatus, Subscribe, SubscribeResponse...).
pub const MESSAGES: &str = "http://schemas.microsoft.com/exchange/services/2006/messages";
/// `t:`: type-level elements (RequestServerVersion, the Notification's children, the
/// PushSubscriptionRequest's children).
pub const TYPES: &str = "http://schemas.microsoft.com/exchange/services/2006/types";

/// The SOAPAction of an operation: the messages namespace, a slash, the operation name.
pub fn action(operation: &str) -> String {
    format!("{MESSAGES}/{operation}")
}

/// `ExchangeVersionType` (MS-OXWSCDATA 2.2.5.14, with Exchange2015 from the openspec).
pub const EXCHANGE_VERSIONS: &[&str] = &[
    "Exchange2007",
    "Exchange2007_SP1",
    "Exchange2010",
    "Exchange2010_SP1",
    "Exchange2010_SP2",
    "Exchange2013",
    "Exchange2013_SP1",
    "Exchange2015",
    "Exchange2016",
];
