//! The named fault switches. Each turns the reference server into a specific broken server, so
//! that every conformance scenario has a failing twin that proves it can catch the breakage.
//! The names are a contract: scenarios and profiles cite them.

use std::collections::BTreeSet;

/// Every fault: (name, what the server then does wrong).
pub const FAULTS: &[(&str, &str)] = &[
    // serviceInfo (GetServiceInfo)
    (
        "service-info-not-escaped",
        "GetServiceInfoResult carries serviceInfo as child elements, not escaped text",
    ),
    (
        "service-info-wrong-order",
        "serviceUri is written before serviceProvider",
    ),
    (
        "auth-type-capitalised",
        "authenticationType is \"Other\" instead of \"other\"",
    ),
    ("no-supported-service", "supportedService is empty"),
    (
        "sms-sender-missing-limit",
        "SMS_SENDER lacks maxDbcsPerMessage",
    ),
    (
        "legacy-attribute-names",
        "character limits spelled maxSbccsPerMessage / maxDbccsPerMessage (E-OMS-01)",
    ),
    (
        "inconsistent-limits",
        "SMS_SENDER advertises maxDbcsPerMessage 200 above maxSbcsPerMessage 140",
    ),
    (
        "relative-service-uri",
        "serviceUri is the relative \"/oms\"",
    ),
    // transport and SOAP
    (
        "tls-wrong-name",
        "with TLS, the certificate names only \"wrong.invalid\"",
    ),
    (
        "soap11-answers-soap12",
        "SOAP 1.1 requests are answered with a SOAP 1.2 envelope",
    ),
    (
        "soap12-unsupported",
        "SOAP 1.2 requests get a Sender fault \"SOAP 1.2 not supported\"",
    ),
    (
        "malformed-fault",
        "faults are sent as HTTP 200 with a body that is not well-formed XML",
    ),
    (
        "requires-default-prefix",
        "a wrapper element written with a namespace prefix is an unknown operation",
    ),
    (
        "rejects-utf16-declaration",
        "payloads starting with an encoding=\"utf-16\" declaration get invalidFormat",
    ),
    // GetUserInfo and credentials
    (
        "user-info-no-error-element",
        "a successful userInfo has no error element",
    ),
    (
        "user-info-lowercase-ok",
        "GetUserInfo success code is \"ok\" instead of \"OK\"",
    ),
    (
        "user-info-mixed-case-ok",
        "GetUserInfo success code is \"Ok\" (neither the text's \"OK\" nor the example's \"ok\")",
    ),
    (
        "accept-any-password",
        "any password is accepted (GetUserInfo and deliveries)",
    ),
    (
        "accept-no-credentials",
        "deliveries without a user element are accepted",
    ),
    (
        "unregistered-code-short",
        "unregistered users get \"unregistered\" instead of \"unregisteredUser\"",
    ),
    ("expired-as-ok", "expired users are served normally"),
    (
        "echo-custom-data",
        "userInfo echoes the request's xmsUser/customData",
    ),
    (
        "custom-data-breaks-delivery",
        "a non-empty user/customData makes delivery fail with invalidFormat",
    ),
    // DeliverXms / SendXms
    (
        "ok-with-failure-severity",
        "success is reported as code \"ok\" with severity \"failure\"",
    ),
    (
        "ok-with-failure-severity-on-partial",
        "a partial delivery also carries code \"ok\" for the delivered recipients, with severity \"failure\"",
    ),
    (
        "deliver-result-not-escaped",
        "DeliverXmsResult carries xmsResponse as child elements, not escaped text",
    ),
    (
        "ignore-max-messages-per-send",
        "maxMessagesPerSend is not enforced",
    ),
    (
        "ignore-max-recipients",
        "maxRecipientsPerMessage is not enforced",
    ),
    (
        "ignore-length-limit",
        "the text length limit is not enforced",
    ),
    (
        "dbcs-counted-as-bytes",
        "a text with double-byte characters is measured in UTF-16 bytes, not characters",
    ),
    (
        "limit-off-by-one",
        "a message exactly at a limit (characters, parts, recipients, slides, batchSize) is refused",
    ),
    (
        "merges-parts-for-limit",
        "the length limit is applied to the parts of an SMS joined together, not to each part",
    ),
    ("ignore-size-limit", "maxSizePerMessage is not enforced"),
    ("ignore-slides-limit", "maxSlidesPerMessage is not enforced"),
    ("ignore-batch-size", "batchSize is not enforced"),
    (
        "length-limit-sb-db-swapped",
        "lengthLimit content is \"<SB>;<DB>\" instead of \"<DB>;<SB>\"",
    ),
    (
        "long-sms-rejected",
        "texts over the single-SMS limit get lengthLimit despite LONG_SMS_SENDER",
    ),
    (
        "reject-mms-slides",
        "an MMS with mmsSlides gets invalidFormat",
    ),
    (
        "reject-mms-without-slides",
        "an MMS without mmsSlides gets invalidFormat",
    ),
    ("reject-amr", "audio/AMR media get invalidMedia"),
    ("accept-any-media", "unsupported media types are accepted"),
    (
        "invalid-media-no-content",
        "invalidMedia has no content element",
    ),
    (
        "invalid-recipient-no-list",
        "invalidRecipient has no recipientList",
    ),
    (
        "accept-malformed-xms-data",
        "an unreadable xmsData is answered ok",
    ),
    (
        "reject-scheduled-past",
        "a scheduled time in the past gets other/failure",
    ),
    (
        "scheduled-future-error",
        "a scheduled time in the future gets other/failure",
    ),
    (
        "sms-subject-counted",
        "the SMS subject counts towards the length limit",
    ),
    (
        "meta-validated",
        "an MMS meta name other than \"author\" gets invalidFormat",
    ),
    (
        "content-id-checked",
        "SMS and non-slide MMS contentIds must be unique and contain \"@\", else invalidFormat",
    ),
    (
        "reject-required-service",
        "any requiredService element gets invalidFormat",
    ),
    (
        "failure-codes-neutral",
        "every failure code is sent with severity \"neutral\"",
    ),
    (
        "unregistered-delivers",
        "deliveries of unregistered users are answered ok",
    ),
    (
        "sms-only-sends-mms",
        "an MMS from a user without MMS is answered ok",
    ),
    (
        "cross-carrier-ok",
        "cross-carrier recipients are answered ok",
    ),
    (
        "blocked-text-ok",
        "blocked words and control characters are answered ok",
    ),
    (
        "daily-limit-ignored",
        "the daily message limit is not enforced",
    ),
    (
        "monthly-limit-ignored",
        "the monthly message limit is not enforced",
    ),
    (
        "network-failure-ok",
        "recipients behind an SMSC outage are answered ok",
    ),
    (
        "ceased-as-ok",
        "users whose service ceased are served normally",
    ),
    (
        "low-balance-silent",
        "no lowBalance element for a low balance",
    ),
    (
        "low-balance-bad-content",
        "lowBalance content without currency symbols (\"5.00;0.10\")",
    ),
    (
        "service-update-missing",
        "no serviceUpdate element after a service change",
    ),
    (
        "service-update-bad-timestamp",
        "serviceUpdate content has seconds \"37\"",
    ),
    (
        "service-update-failure-severity",
        "serviceUpdate is sent with severity \"failure\"",
    ),
    (
        "service-update-lowercase",
        "serviceUpdate is spelled \"serviceupdate\" (E-OMS-06)",
    ),
    ("send-xms-missing", "SendXms is an unknown operation"),
    // DeliverXmsBatch
    (
        "batch-renumber-ids",
        "batch response ids are renumbered 0..n-1",
    ),
    (
        "batch-error-spreads",
        "a failure of one batch message is reported for every message",
    ),
    (
        "batch-size-zero-accepts",
        "advertises batchSize 0 but processes batches",
    ),
    (
        "batch-duplicate-crash",
        "duplicate batch ids crash: HTTP 500 with a non-XML body",
    ),
    (
        "batch-drop-last",
        "the last batch message gets no xmsResponse",
    ),
    (
        "over-batch-drops-last",
        "a batch over batchSize is refused per message, but the message past the limit gets no xmsResponse",
    ),
    // reply mail
    (
        "reply-wrong-content-class",
        "reply Content-class swapped (SMS <-> MMS)",
    ),
    (
        "reply-no-reply-to-mobile",
        "replies lack X-MS-Reply-To-Mobile",
    ),
    (
        "reply-subject-whole-text",
        "reply subject is the whole text",
    ),
    (
        "reply-text-base64",
        "reply text part is base64 instead of quoted-printable",
    ),
    (
        "reply-no-charset",
        "reply text part has no charset parameter",
    ),
    (
        "reply-shared-from",
        "every phone replies From the same address",
    ),
    ("reply-smil-last", "the SMIL part comes after the media"),
    (
        "reply-mms-nosmil-related",
        "an MMS reply without SMIL is multipart/related",
    ),
    (
        "reply-mms-subject-lost",
        "an MMS reply does not carry the MMS subject",
    ),
    (
        "reply-wrong-to",
        "replies go to someone-else@mail.oxconf.test",
    ),
    // hostile, for robustness scenarios: every SOAP request
    ("hang", "never answers"),
    ("reset", "drops the connection without an answer"),
    (
        "garbage",
        "answers HTTP 200 text/xml with random non-XML bytes",
    ),
    ("huge-body", "answers HTTP 200 with a 64 MiB streamed body"),
    (
        "xml-bomb",
        "answers HTTP 200 with a DTD entity-expansion document",
    ),
];

/// Named conformant configurations of the reference server: each makes it behave in another way
/// MS-OMS allows, so scenarios whose pass path the default configuration never takes (or that
/// must accept both readings of the spec) are shown to pass. Given in the same list as faults.
pub const VARIANTS: &[(&str, &str)] = &[
    (
        "no-batch",
        "advertises batchSize 0 and refuses DeliverXmsBatch with a SOAP fault",
    ),
    (
        "no-long-sms",
        "advertises SMS_SENDER without LONG_SMS_SENDER, so texts are held to one SMS",
    ),
    (
        "faults-as-400",
        "SOAP faults travel with HTTP 400 instead of 500 (MS-OMS 2.1 allows either)",
    ),
];

/// A set of enabled faults; empty for the reference behaviour.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults(BTreeSet<&'static str>);

impl Faults {
    /// The reference behaviour.
    pub fn none() -> Faults {
        Faults::default()
    }

    /// Enables the named faults. Surrounding white space is ignored and empty names are
    /// skipped; an unknown name is an error naming it and listing the valid ones.
    pub fn parse(names: &[String]) -> Result<Faults, String> {
        let mut set = BTreeSet::new();
        for raw in names {
            let name = raw.trim();
            if name.is_empty() {
                continue;
            }
            match FAULTS.iter().chain(VARIANTS).find(|(n, _)| *n == name) {
                Some((n, _)) => {
                    set.insert(*n);
                }
                None => {
                    let valid: Vec<&str> = FAULTS.iter().map(|(n, _)| *n).collect();
                    let variants: Vec<&str> = VARIANTS.iter().map(|(n, _)| *n).collect();
                    return Err(format!(
                        "unknown fault `{name}`; valid faults: {}; variants: {}",
                        valid.join(", "),
                        variants.join(", ")
                    ));
                }
            }
        }
        Ok(Faults(set))
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.contains(name)
    }

    /// `has` for the server's own checks: a misspelt name would silently disable a fault, so
    /// debug builds insist that it is one of `FAULTS`.
    pub(crate) fn on(&self, name: &str) -> bool {
        debug_assert!(
            FAULTS.iter().chain(VARIANTS).any(|(n, _)| *n == name),
            "fault name {name:?} is not in FAULTS or VARIANTS"
        );
        self.0.contains(name)
    }

    /// Whether `n` is over the advertised `limit`: more than it, or, with `limit-off-by-one`,
    /// as many as it already.
    pub(crate) fn over(&self, n: u64, limit: u64) -> bool {
        if self.on("limit-off-by-one") {
            n >= limit
        } else {
            n > limit
        }
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.0.iter().copied().collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[test]
    fn names_are_unique_and_described() {
        let mut seen = BTreeSet::new();
        for (name, description) in FAULTS {
            assert!(seen.insert(*name), "{name} listed twice");
            assert!(!description.is_empty());
            assert!(name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
        }
        assert_eq!(FAULTS.len(), 87);
    }

    #[rstest]
    #[case(&[], &[])]
    #[case(&["hang"], &["hang"])]
    #[case(&[" reset ", "", "hang"], &["hang", "reset"])]
    fn parses_known_names(#[case] input: &[&str], #[case] enabled: &[&str]) {
        let names: Vec<String> = input.iter().map(|s| s.to_string()).collect();
        let faults = Faults::parse(&names).unwrap();
        assert_eq!(faults.names(), enabled);
        for name in enabled {
            assert!(faults.has(name));
        }
    }

    #[test]
    fn unknown_names_are_refused_with_the_valid_list() {
        let err = Faults::parse(&["hang".into(), "no-such-fault".into()]).unwrap_err();
        assert!(err.contains("no-such-fault"), "{err}");
        assert!(err.contains("batch-drop-last"), "{err}");
    }

    #[test]
    fn variants_parse_and_are_not_faults() {
        let faults = Faults::parse(&["no-batch".into(), "faults-as-400".into()]).unwrap();
        assert!(faults.has("no-batch") && faults.has("faults-as-400"));
        for (v, _) in VARIANTS {
            assert!(!FAULTS.iter().any(|(f, _)| f == v), "{v} is both");
        }
    }

    #[test]
    fn none_has_nothing() {
        assert!(Faults::none().is_empty());
        assert!(!Faults::none().has("hang"));
    }
}
