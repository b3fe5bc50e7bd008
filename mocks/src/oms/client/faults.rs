//! Named deviations of the reference client. Each one makes the client break exactly one rule
//! the oms-client suite judges, so the suite can be shown to catch it; the names are a contract
//! with profiles and the command line.

use std::collections::BTreeSet;
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
pub const VARIANTS: &[(&str, &str)] = &[(
    RENUMBER_BATCH_ITEMS,
    "every DeliverXmsBatch numbers its items 0, 1, ... itself (MS-OMS 3.1.4.4.3.2 asks only \
     uniqueness within the batch) and maps the answers back to the batch file's messages",
)];

/// The variant that numbers batch items per request.
pub const RENUMBER_BATCH_ITEMS: &str = "renumber-batch-items";

/// Every fault by name, with what it changes.
pub const FAULTS: &[(&str, &str)] = &[
    ("wrong-soap-action", "DeliverXms is sent with the action \".../OMS/Deliver\" instead of \".../OMS/DeliverXms\""),
    ("payload-as-child-elements", "the xmsData document is inserted as child elements of the xmsData parameter instead of escaped text"),
    ("head-after-body", "xmsHead is written after xmsBody"),
    ("sms-content-type-html", "text message parts are labelled text/html"),
    ("get-service-info-with-children", "the GetServiceInfo request element has a child element"),
    ("no-user-element", "xmsData is sent without the user element (no credentials)"),
    ("ignore-max-recipients", "all recipients go into one request regardless of maxRecipientsPerMessage"),
    ("ignore-length-limit", "the text is sent as one part regardless of the SBCS/DBCS character limit"),
    ("ignore-max-messages-per-send", "all parts go into one request regardless of maxMessagesPerSend"),
    ("ignore-batch-size", "all messages go into one batch regardless of batchSize"),
    ("batch-despite-zero", "DeliverXmsBatch is used even when batchSize is 0"),
    ("duplicate-batch-ids", "every message of a batch gets id 0"),
    ("batch-results-by-position", "batch results are matched to messages by position, not by id"),
    ("batch-missing-id-ok", "a message missing from the batch response counts as delivered"),
    ("missing-error-is-success", "an xmsResponse without error element counts as delivered"),
    ("missing-code-is-success", "an error without code is treated as ok"),
    ("missing-severity-is-failure", "an error without severity counts as a failure"),
    ("first-error-decides", "only the first error element is considered"),
    ("ignore-recipient-list", "a failure always fails every recipient"),
    ("unknown-code-is-success", "an unknown code with severity failure counts as delivered"),
    ("case-sensitive-severity", "a severity other than exactly \"failure\" (e.g. \"FAILURE\") is not a failure"),
    ("no-service-refresh", "serviceUpdate does not invalidate the cached service information"),
    ("http-error-is-success", "HTTP 5xx answers count as delivered"),
    ("fault-is-success", "SOAP faults count as delivered"),
    ("https-unsupported", "https:// URLs are refused: the client cannot use TLS"),
    ("smil-bad-colour", "the SMIL root-layout background-color is \"#ffffffff\""),
    ("batch-wrong-soap-action", "DeliverXmsBatch is sent with the action \".../OMS/DeliverXms\""),
    ("batch-wrong-namespace", "the DeliverXmsBatch element and its packageXml are in the namespace \"http://tempuri.org/\""),
    ("batch-format-lowercase", "the messages of a batch carry xmsBody format=\"sms\" (lower case)"),
    ("batch-content-type-plain-text", "the text parts of a batch are labelled \"plain/text\""),
    ("batch-password-in-reply-phone", "the messages of a batch carry the password in user/replyPhone instead of user/password"),
    ("mms-wrong-soap-action", "an MMS is sent with the action \".../OMS/Deliver\" instead of \".../OMS/DeliverXms\""),
    ("mms-wrong-namespace", "the DeliverXms element of an MMS and its xmsData are in the namespace \"http://tempuri.org/\""),
    ("utf16-declaration-unreadable", "an answer document declaring encoding=\"utf-16\" is not read (the send counts as failed)"),
    ("case-sensitive-service-update", "only the exact code \"serviceUpdate\" refreshes the service information (\"serviceupdate\" does not)"),
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

    pub fn name(self) -> &'static str {
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

/// The set of deviations a client runs with; empty for the reference behaviour.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults(BTreeSet<ClientFault>);

impl Faults {
    /// Every name must be one of [`FAULTS`]; the error names the unknown ones.
    pub fn parse(names: &[String]) -> Result<Faults, String> {
        let mut set = BTreeSet::new();
        let mut unknown = Vec::new();
        for name in names {
            match ClientFault::from_name(name.trim()) {
                Some(f) => {
                    set.insert(f);
                }
                None => unknown.push(format!("{name:?}")),
            }
        }
        if unknown.is_empty() {
            Ok(Faults(set))
        } else {
            Err(format!(
                "unknown client fault(s) {}; known: {}",
                unknown.join(", "),
                FAULTS
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
    }

    pub fn none() -> Faults {
        Faults::default()
    }

    /// Whether the fault called `n` is on; unknown names are never on.
    pub fn has(&self, n: &str) -> bool {
        ClientFault::from_name(n).is_some_and(|f| self.0.contains(&f))
    }

    pub fn on(&self, fault: ClientFault) -> bool {
        self.0.contains(&fault)
    }

    pub fn with(mut self, fault: ClientFault) -> Faults {
        self.0.insert(fault);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = ClientFault> + '_ {
        self.0.iter().copied()
    }
}

impl FromIterator<ClientFault> for Faults {
    fn from_iter<I: IntoIterator<Item = ClientFault>>(iter: I) -> Self {
        Faults(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[test]
    fn names_and_table_agree() {
        assert_eq!(FAULTS.len(), ClientFault::ALL.len());
        for ((name, description), fault) in FAULTS.iter().zip(ClientFault::ALL) {
            assert_eq!(*name, fault.name());
            assert_eq!(ClientFault::from_name(name), Some(fault));
            assert!(!description.is_empty());
        }
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
