//! The named fault switches. Each turns the reference server into a specific broken server, so
//! that every conformance scenario has a failing twin that proves it can catch the breakage.
//! The names are a contract: scenarios and profiles cite them.

use crate::fault::{Fault, FaultSet, FaultTable, Variant};

/// Every fault, with what the server then does wrong.
pub const FAULTS: &[Fault] = &[
    // serviceInfo (GetServiceInfo)
    Fault::protocol("service-info-not-escaped", "GetServiceInfoResult carries serviceInfo as child elements, not escaped text"),
    Fault::protocol("service-info-wrong-order", "serviceUri is written before serviceProvider"),
    Fault::protocol("auth-type-capitalised", "authenticationType is \"Other\" instead of \"other\""),
    Fault::protocol("no-supported-service", "supportedService is empty"),
    Fault::protocol("sms-sender-missing-limit", "SMS_SENDER lacks maxDbcsPerMessage"),
    Fault::protocol("legacy-attribute-names", "character limits spelled maxSbccsPerMessage / maxDbccsPerMessage (E-OMS-01)"),
    Fault::protocol("inconsistent-limits", "SMS_SENDER advertises maxDbcsPerMessage 200 above maxSbcsPerMessage 140"),
    Fault::protocol("relative-service-uri", "serviceUri is the relative \"/oms\""),
    // transport and SOAP
    Fault::protocol("tls-wrong-name", "with TLS, the certificate names only \"wrong.invalid\""),
    Fault::protocol("soap11-answers-soap12", "SOAP 1.1 requests are answered with a SOAP 1.2 envelope"),
    Fault::protocol("soap12-unsupported", "SOAP 1.2 requests get a Sender fault \"SOAP 1.2 not supported\""),
    Fault::protocol("malformed-fault", "faults are sent as HTTP 200 with a body that is not well-formed XML"),
    Fault::protocol("requires-default-prefix", "a wrapper element written with a namespace prefix is an unknown operation"),
    Fault::protocol("rejects-utf16-declaration", "payloads starting with an encoding=\"utf-16\" declaration get invalidFormat"),
    // GetUserInfo and credentials
    Fault::protocol("user-info-no-error-element", "a successful userInfo has no error element"),
    Fault::protocol("user-info-lowercase-ok", "GetUserInfo success code is \"ok\" instead of \"OK\""),
    Fault::protocol("user-info-mixed-case-ok", "GetUserInfo success code is \"Ok\" (neither the text's \"OK\" nor the example's \"ok\")"),
    Fault::protocol("accept-any-password", "any password is accepted (GetUserInfo and deliveries)"),
    Fault::protocol("accept-no-credentials", "deliveries without a user element are accepted"),
    Fault::protocol("unregistered-code-short", "unregistered users get \"unregistered\" instead of \"unregisteredUser\""),
    Fault::protocol("expired-as-ok", "expired users are served normally"),
    Fault::protocol("echo-custom-data", "userInfo echoes the request's xmsUser/customData"),
    Fault::protocol("custom-data-breaks-delivery", "a non-empty user/customData makes delivery fail with invalidFormat"),
    // DeliverXms / SendXms
    Fault::protocol("ok-with-failure-severity", "success is reported as code \"ok\" with severity \"failure\""),
    Fault::protocol("ok-with-failure-severity-on-partial", "a partial delivery also carries code \"ok\" for the delivered recipients, with severity \"failure\""),
    Fault::protocol("deliver-result-not-escaped", "DeliverXmsResult carries xmsResponse as child elements, not escaped text"),
    Fault::protocol("ignore-max-messages-per-send", "maxMessagesPerSend is not enforced"),
    Fault::protocol("ignore-max-recipients", "maxRecipientsPerMessage is not enforced"),
    Fault::protocol("ignore-length-limit", "the text length limit is not enforced"),
    Fault::protocol("dbcs-counted-as-bytes", "a text with double-byte characters is measured in UTF-16 bytes, not characters"),
    Fault::protocol("limit-off-by-one", "a message exactly at a limit (characters, parts, recipients, slides, batchSize) is refused"),
    Fault::protocol("merges-parts-for-limit", "the length limit is applied to the parts of an SMS joined together, not to each part"),
    Fault::protocol("ignore-size-limit", "maxSizePerMessage is not enforced"),
    Fault::protocol("ignore-slides-limit", "maxSlidesPerMessage is not enforced"),
    Fault::protocol("ignore-batch-size", "batchSize is not enforced"),
    Fault::protocol("length-limit-sb-db-swapped", "lengthLimit content is \"<SB>;<DB>\" instead of \"<DB>;<SB>\""),
    Fault::protocol("long-sms-rejected", "texts over the single-SMS limit get lengthLimit despite LONG_SMS_SENDER"),
    Fault::protocol("reject-mms-slides", "an MMS with mmsSlides gets invalidFormat"),
    Fault::protocol("reject-mms-without-slides", "an MMS without mmsSlides gets invalidFormat"),
    Fault::protocol("reject-amr", "audio/AMR media get invalidMedia"),
    Fault::protocol("accept-any-media", "unsupported media types are accepted"),
    Fault::protocol("invalid-media-no-content", "invalidMedia has no content element"),
    Fault::protocol("invalid-recipient-no-list", "invalidRecipient has no recipientList"),
    Fault::protocol("accept-malformed-xms-data", "an unreadable xmsData is answered ok"),
    Fault::protocol("reject-scheduled-past", "a scheduled time in the past gets other/failure"),
    Fault::protocol("scheduled-future-error", "a scheduled time in the future gets other/failure"),
    Fault::protocol("sms-subject-counted", "the SMS subject counts towards the length limit"),
    Fault::protocol("meta-validated", "an MMS meta name other than \"author\" gets invalidFormat"),
    Fault::protocol("content-id-checked", "SMS and non-slide MMS contentIds must be unique and contain \"@\", else invalidFormat"),
    Fault::protocol("reject-required-service", "any requiredService element gets invalidFormat"),
    Fault::protocol("failure-codes-neutral", "every failure code is sent with severity \"neutral\""),
    Fault::protocol("unregistered-delivers", "deliveries of unregistered users are answered ok"),
    Fault::protocol("sms-only-sends-mms", "an MMS from a user without MMS is answered ok"),
    Fault::protocol("cross-carrier-ok", "cross-carrier recipients are answered ok"),
    Fault::protocol("blocked-text-ok", "blocked words and control characters are answered ok"),
    Fault::protocol("daily-limit-ignored", "the daily message limit is not enforced"),
    Fault::protocol("monthly-limit-ignored", "the monthly message limit is not enforced"),
    Fault::protocol("network-failure-ok", "recipients behind an SMSC outage are answered ok"),
    Fault::protocol("ceased-as-ok", "users whose service ceased are served normally"),
    Fault::protocol("low-balance-silent", "no lowBalance element for a low balance"),
    Fault::protocol("low-balance-bad-content", "lowBalance content without currency symbols (\"5.00;0.10\")"),
    Fault::protocol("service-update-missing", "no serviceUpdate element after a service change"),
    Fault::protocol("service-update-bad-timestamp", "serviceUpdate content has seconds \"37\""),
    Fault::protocol("service-update-failure-severity", "serviceUpdate is sent with severity \"failure\""),
    Fault::protocol("service-update-lowercase", "serviceUpdate is spelled \"serviceupdate\" (E-OMS-06)"),
    Fault::protocol("send-xms-missing", "SendXms is an unknown operation"),
    // DeliverXmsBatch
    Fault::protocol("batch-renumber-ids", "batch response ids are renumbered 0..n-1"),
    Fault::protocol("batch-error-spreads", "a failure of one batch message is reported for every message"),
    Fault::protocol("batch-size-zero-accepts", "advertises batchSize 0 but processes batches"),
    Fault::protocol("batch-duplicate-crash", "duplicate batch ids crash: HTTP 500 with a non-XML body"),
    Fault::protocol("batch-drop-last", "the last batch message gets no xmsResponse"),
    Fault::protocol("over-batch-drops-last", "a batch over batchSize is refused per message, but the message past the limit gets no xmsResponse"),
    // reply mail
    Fault::protocol("reply-wrong-content-class", "reply Content-class swapped (SMS <-> MMS)"),
    Fault::protocol("reply-no-reply-to-mobile", "replies lack X-MS-Reply-To-Mobile"),
    Fault::protocol("reply-subject-whole-text", "reply subject is the whole text"),
    Fault::protocol("reply-text-base64", "reply text part is base64 instead of quoted-printable"),
    Fault::protocol("reply-no-charset", "reply text part has no charset parameter"),
    Fault::protocol("reply-shared-from", "every phone replies From the same address"),
    Fault::protocol("reply-smil-last", "the SMIL part comes after the media"),
    Fault::protocol("reply-mms-nosmil-related", "an MMS reply without SMIL is multipart/related"),
    Fault::protocol("reply-mms-subject-lost", "an MMS reply does not carry the MMS subject"),
    Fault::protocol("reply-wrong-to", "replies go to someone-else@mail.oxconf.test"),
    // hostile, for robustness scenarios: every SOAP request
    Fault::hostile("hang", "never answers"),
    Fault::hostile("reset", "drops the connection without an answer"),
    Fault::hostile("garbage", "answers HTTP 200 text/xml with random non-XML bytes"),
    Fault::hostile("huge-body", "answers HTTP 200 with a 64 MiB streamed body"),
    Fault::hostile("xml-bomb", "answers HTTP 200 with a DTD entity-expansion document"),
];

/// Named conformant configurations of the reference server: each makes it behave in another way
/// MS-OMS allows, so scenarios whose pass path the default configuration never takes (or that
/// must accept both readings of the spec) are shown to pass. Given in the same list as faults.
pub const VARIANTS: &[Variant] = &[
    Variant::new(
        "no-batch",
        "advertises batchSize 0 and refuses DeliverXmsBatch with a SOAP fault",
    ),
    Variant::new(
        "no-long-sms",
        "advertises SMS_SENDER without LONG_SMS_SENDER, so texts are held to one SMS",
    ),
    Variant::new(
        "faults-as-400",
        "SOAP faults travel with HTTP 400 instead of 500 (MS-OMS 2.1 allows either)",
    ),
];

/// The reference server's table, as [`FaultSet`] reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerFaults;

impl FaultTable for ServerFaults {
    const PEER: &'static str = "oms-server";
    const FAULTS: &'static [Fault] = FAULTS;
    const VARIANTS: &'static [Variant] = VARIANTS;
}

/// The faults and variants a reference server runs with; empty for the reference behaviour.
pub type Faults = FaultSet<ServerFaults>;

impl FaultSet<ServerFaults> {
    /// `is_on` under the short name the server's code has always used.
    pub(crate) fn on(&self, name: &str) -> bool {
        self.is_on(name)
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fault::{table_problems, FaultKind};
    use rstest::rstest;

    #[test]
    fn names_are_unique_and_described() {
        assert_eq!(table_problems::<ServerFaults>(), Vec::<String>::new());
        assert_eq!(FAULTS.len(), 87);
    }

    #[test]
    fn hostile_faults_are_the_five_robustness_ones() {
        assert_eq!(
            ServerFaults::names_of(FaultKind::Hostile),
            ["hang", "reset", "garbage", "huge-body", "xml-bomb"]
        );
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
        for v in VARIANTS {
            assert!(ServerFaults::fault(v.name).is_none(), "{} is both", v.name);
        }
    }

    #[test]
    fn none_has_nothing() {
        assert!(Faults::none().is_empty());
        assert!(!Faults::none().has("hang"));
    }
}
