//! Named deviations of the reference client. Each one makes the client break exactly one rule
//! the oms-client suite judges, so the suite can be shown to catch it; the names are a contract
//! with profiles and the command line.

use crate::fault::{Fault, FaultSet, FaultTable, Variant};
use std::fmt;

/// One deviation. The enum keeps the client code typo-proof; the names are what users see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClientFault {
    WrongSoapAction,
    PayloadAsChildElements,
    HeadAfterBody,
    SmsContentTypeHtml,
    GetServiceInfoWithChildren,
    NoUserElement,
    IgnoreMaxRecipients,
    IgnoreLengthLimit,
    IgnoreMaxMessagesPerSend,
    IgnoreBatchSize,
    BatchDespiteZero,
    DuplicateBatchIds,
    BatchResultsByPosition,
    BatchMissingIdOk,
    MissingErrorIsSuccess,
    MissingCodeIsSuccess,
    MissingSeverityIsFailure,
    FirstErrorDecides,
    IgnoreRecipientList,
    UnknownCodeIsSuccess,
    CaseSensitiveSeverity,
    NoServiceRefresh,
    HttpErrorIsSuccess,
    FaultIsSuccess,
    HttpsUnsupported,
    SmilBadColour,
    BatchWrongSoapAction,
    BatchWrongNamespace,
    BatchFormatLowercase,
    BatchContentTypePlainText,
    BatchPasswordInReplyPhone,
    MmsWrongSoapAction,
    MmsWrongNamespace,
    Utf16DeclarationUnreadable,
    CaseSensitiveServiceUpdate,
}

/// Named conformant configurations of the reference client (`Suite::variants`): each one
/// takes a path the spec allows and the default client does not, so the suite can be shown
/// to accept it.
pub const VARIANTS: &[Variant] = &[Variant::new(
    RENUMBER_BATCH_ITEMS,
    "every DeliverXmsBatch numbers its items 0, 1, ... itself (MS-OMS 3.1.4.4.3.2 asks only \
     uniqueness within the batch) and maps the answers back to the batch file's messages",
)];

/// The variant that numbers batch items per request.
pub const RENUMBER_BATCH_ITEMS: &str = "renumber-batch-items";

/// Every fault by name, with what it changes.
pub const FAULTS: &[Fault] = &[
    protocol(ClientFault::WrongSoapAction, "DeliverXms is sent with the action \".../OMS/Deliver\" instead of \".../OMS/DeliverXms\""),
    protocol(ClientFault::PayloadAsChildElements, "the xmsData document is inserted as child elements of the xmsData parameter instead of escaped text"),
    protocol(ClientFault::HeadAfterBody, "xmsHead is written after xmsBody"),
    protocol(ClientFault::SmsContentTypeHtml, "text message parts are labelled text/html"),
    protocol(ClientFault::GetServiceInfoWithChildren, "the GetServiceInfo request element has a child element"),
    protocol(ClientFault::NoUserElement, "xmsData is sent without the user element (no credentials)"),
    protocol(ClientFault::IgnoreMaxRecipients, "all recipients go into one request regardless of maxRecipientsPerMessage"),
    protocol(ClientFault::IgnoreLengthLimit, "the text is sent as one part regardless of the SBCS/DBCS character limit"),
    protocol(ClientFault::IgnoreMaxMessagesPerSend, "all parts go into one request regardless of maxMessagesPerSend"),
    protocol(ClientFault::IgnoreBatchSize, "all messages go into one batch regardless of batchSize"),
    protocol(ClientFault::BatchDespiteZero, "DeliverXmsBatch is used even when batchSize is 0"),
    protocol(ClientFault::DuplicateBatchIds, "every message of a batch gets id 0"),
    protocol(ClientFault::BatchResultsByPosition, "batch results are matched to messages by position, not by id"),
    protocol(ClientFault::BatchMissingIdOk, "a message missing from the batch response counts as delivered"),
    protocol(ClientFault::MissingErrorIsSuccess, "an xmsResponse without error element counts as delivered"),
    protocol(ClientFault::MissingCodeIsSuccess, "an error without code is treated as ok"),
    protocol(ClientFault::MissingSeverityIsFailure, "an error without severity counts as a failure"),
    protocol(ClientFault::FirstErrorDecides, "only the first error element is considered"),
    protocol(ClientFault::IgnoreRecipientList, "a failure always fails every recipient"),
    protocol(ClientFault::UnknownCodeIsSuccess, "an unknown code with severity failure counts as delivered"),
    protocol(ClientFault::CaseSensitiveSeverity, "a severity other than exactly \"failure\" (e.g. \"FAILURE\") is not a failure"),
    protocol(ClientFault::NoServiceRefresh, "serviceUpdate does not invalidate the cached service information"),
    protocol(ClientFault::HttpErrorIsSuccess, "HTTP 5xx answers count as delivered"),
    protocol(ClientFault::FaultIsSuccess, "SOAP faults count as delivered"),
    protocol(ClientFault::HttpsUnsupported, "https:// URLs are refused: the client cannot use TLS"),
    protocol(ClientFault::SmilBadColour, "the SMIL root-layout background-color is \"#ffffffff\""),
    protocol(ClientFault::BatchWrongSoapAction, "DeliverXmsBatch is sent with the action \".../OMS/DeliverXms\""),
    protocol(ClientFault::BatchWrongNamespace, "the DeliverXmsBatch element and its packageXml are in the namespace \"http://tempuri.org/\""),
    protocol(ClientFault::BatchFormatLowercase, "the messages of a batch carry xmsBody format=\"sms\" (lower case)"),
    protocol(ClientFault::BatchContentTypePlainText, "the text parts of a batch are labelled \"plain/text\""),
    protocol(ClientFault::BatchPasswordInReplyPhone, "the messages of a batch carry the password in user/replyPhone instead of user/password"),
    protocol(ClientFault::MmsWrongSoapAction, "an MMS is sent with the action \".../OMS/Deliver\" instead of \".../OMS/DeliverXms\""),
    protocol(ClientFault::MmsWrongNamespace, "the DeliverXms element of an MMS and its xmsData are in the namespace \"http://tempuri.org/\""),
    protocol(ClientFault::Utf16DeclarationUnreadable, "an answer document declaring encoding=\"utf-16\" is not read (the send counts as failed)"),
    protocol(ClientFault::CaseSensitiveServiceUpdate, "only the exact code \"serviceUpdate\" refreshes the service information (\"serviceupdate\" does not)"),
];

impl ClientFault {
    /// In the order of [`FAULTS`].
    pub const ALL: [ClientFault; 35] = [
        ClientFault::WrongSoapAction,
        ClientFault::PayloadAsChildElements,
        ClientFault::HeadAfterBody,
        ClientFault::SmsContentTypeHtml,
        ClientFault::GetServiceInfoWithChildren,
        ClientFault::NoUserElement,
        ClientFault::IgnoreMaxRecipients,
        ClientFault::IgnoreLengthLimit,
        ClientFault::IgnoreMaxMessagesPerSend,
        ClientFault::IgnoreBatchSize,
        ClientFault::BatchDespiteZero,
        ClientFault::DuplicateBatchIds,
        ClientFault::BatchResultsByPosition,
        ClientFault::BatchMissingIdOk,
        ClientFault::MissingErrorIsSuccess,
        ClientFault::MissingCodeIsSuccess,
        ClientFault::MissingSeverityIsFailure,
        ClientFault::FirstErrorDecides,
        ClientFault::IgnoreRecipientList,
        ClientFault::UnknownCodeIsSuccess,
        ClientFault::CaseSensitiveSeverity,
        ClientFault::NoServiceRefresh,
        ClientFault::HttpErrorIsSuccess,
        ClientFault::FaultIsSuccess,
        ClientFault::HttpsUnsupported,
        ClientFault::SmilBadColour,
        ClientFault::BatchWrongSoapAction,
        ClientFault::BatchWrongNamespace,
        ClientFault::BatchFormatLowercase,
        ClientFault::BatchContentTypePlainText,
        ClientFault::BatchPasswordInReplyPhone,
        ClientFault::MmsWrongSoapAction,
        ClientFault::MmsWrongNamespace,
        ClientFault::Utf16DeclarationUnreadable,
        ClientFault::CaseSensitiveServiceUpdate,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            ClientFault::WrongSoapAction => "wrong-soap-action",
            ClientFault::PayloadAsChildElements => "payload-as-child-elements",
            ClientFault::HeadAfterBody => "head-after-body",
            ClientFault::SmsContentTypeHtml => "sms-content-type-html",
            ClientFault::GetServiceInfoWithChildren => "get-service-info-with-children",
            ClientFault::NoUserElement => "no-user-element",
            ClientFault::IgnoreMaxRecipients => "ignore-max-recipients",
            ClientFault::IgnoreLengthLimit => "ignore-length-limit",
            ClientFault::IgnoreMaxMessagesPerSend => "ignore-max-messages-per-send",
            ClientFault::IgnoreBatchSize => "ignore-batch-size",
            ClientFault::BatchDespiteZero => "batch-despite-zero",
            ClientFault::DuplicateBatchIds => "duplicate-batch-ids",
            ClientFault::BatchResultsByPosition => "batch-results-by-position",
            ClientFault::BatchMissingIdOk => "batch-missing-id-ok",
            ClientFault::MissingErrorIsSuccess => "missing-error-is-success",
            ClientFault::MissingCodeIsSuccess => "missing-code-is-success",
            ClientFault::MissingSeverityIsFailure => "missing-severity-is-failure",
            ClientFault::FirstErrorDecides => "first-error-decides",
            ClientFault::IgnoreRecipientList => "ignore-recipient-list",
            ClientFault::UnknownCodeIsSuccess => "unknown-code-is-success",
            ClientFault::CaseSensitiveSeverity => "case-sensitive-severity",
            ClientFault::NoServiceRefresh => "no-service-refresh",
            ClientFault::HttpErrorIsSuccess => "http-error-is-success",
            ClientFault::FaultIsSuccess => "fault-is-success",
            ClientFault::HttpsUnsupported => "https-unsupported",
            ClientFault::SmilBadColour => "smil-bad-colour",
            ClientFault::BatchWrongSoapAction => "batch-wrong-soap-action",
            ClientFault::BatchWrongNamespace => "batch-wrong-namespace",
            ClientFault::BatchFormatLowercase => "batch-format-lowercase",
            ClientFault::BatchContentTypePlainText => "batch-content-type-plain-text",
            ClientFault::BatchPasswordInReplyPhone => "batch-password-in-reply-phone",
            ClientFault::MmsWrongSoapAction => "mms-wrong-soap-action",
            ClientFault::MmsWrongNamespace => "mms-wrong-namespace",
            ClientFault::Utf16DeclarationUnreadable => "utf16-declaration-unreadable",
            ClientFault::CaseSensitiveServiceUpdate => "case-sensitive-service-update",
        }
    }

    pub fn from_name(name: &str) -> Option<ClientFault> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl fmt::Display for ClientFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A table entry whose name comes from the enum, so the two cannot drift apart.
const fn protocol(fault: ClientFault, description: &'static str) -> Fault {
    Fault::protocol(fault.name(), description)
}

/// The reference client's table, as [`FaultSet`] reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientFaults;

impl FaultTable for ClientFaults {
    const PEER: &'static str = "oms-client";
    const FAULTS: &'static [Fault] = FAULTS;
    const VARIANTS: &'static [Variant] = VARIANTS;
}

/// The deviations (and variants) a client runs with; empty for the reference behaviour.
pub type Faults = FaultSet<ClientFaults>;

impl FaultSet<ClientFaults> {
    pub fn on(&self, fault: ClientFault) -> bool {
        self.has(fault.name())
    }

    pub fn with(mut self, fault: ClientFault) -> Faults {
        self.insert(fault.name());
        self
    }

    /// The deviations that are on, in enum order (variants are not deviations).
    pub fn iter(&self) -> impl Iterator<Item = ClientFault> + '_ {
        ClientFault::ALL.into_iter().filter(|f| self.on(*f))
    }
}

impl FromIterator<ClientFault> for Faults {
    fn from_iter<I: IntoIterator<Item = ClientFault>>(iter: I) -> Self {
        iter.into_iter().fold(Faults::none(), Faults::with)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[test]
    fn names_and_table_agree() {
        assert_eq!(FAULTS.len(), ClientFault::ALL.len());
        for (entry, fault) in FAULTS.iter().zip(ClientFault::ALL) {
            assert_eq!(entry.name, fault.name());
            assert_eq!(ClientFault::from_name(entry.name), Some(fault));
            assert_eq!(entry.kind, crate::fault::FaultKind::Protocol);
        }
        assert_eq!(
            crate::fault::table_problems::<ClientFaults>(),
            Vec::<String>::new()
        );
    }

    #[rstest]
    #[case(&[][..], true)]
    #[case(&["wrong-soap-action"][..], true)]
    #[case(&["wrong-soap-action", " head-after-body "][..], true)]
    #[case(&["wrong-soap-action", "nonsense"][..], false)]
    #[case(&["Wrong-Soap-Action"][..], false)]
    fn parses(#[case] names: &[&str], #[case] ok: bool) {
        let owned: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let parsed = Faults::parse(&owned);
        assert_eq!(parsed.is_ok(), ok, "{parsed:?}");
        if let Err(e) = parsed {
            assert!(
                e.contains("nonsense") || e.contains("Wrong-Soap-Action"),
                "{e}"
            );
        }
    }

    #[test]
    fn has_by_name() {
        let f = Faults::parse(&["first-error-decides".to_string()]).unwrap();
        assert!(f.has("first-error-decides"));
        assert!(f.on(ClientFault::FirstErrorDecides));
        assert!(!f.has("fault-is-success"));
        assert!(!f.has("no-such-fault"));
        assert!(Faults::none().is_empty());
        assert!(!Faults::none().has("first-error-decides"));
    }
}
