//! serviceInfo, the GetServiceInfo result (MS-OMS 3.1.4.1.2.3, 3.1.4.1.3).

use serde::{Deserialize, Serialize};

use super::ns::{LEGACY_SERVICE_INFO_NS, OMS_NS};
use super::rules;
use super::schema::{attr_path, Checker, Slot};
use crate::finding::{Finding, LayerError, Parsed};
use crate::xml::XmlWriter;

/// tAuthenticationTypeEnum (3.1.4.1.4.1). The wire spellings are lower-case and compared
/// case-sensitively (E-OMS-03).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuthenticationType {
    #[serde(rename = "passport")]
    Passport,
    #[serde(rename = "fulltrust")]
    FullTrust,
    /// User name and password.
    #[default]
    #[serde(rename = "other")]
    Other,
}

impl AuthenticationType {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthenticationType::Passport => "passport",
            AuthenticationType::FullTrust => "fulltrust",
            AuthenticationType::Other => "other",
        }
    }

    /// Exact wire spelling only.
    pub fn from_wire(s: &str) -> Option<AuthenticationType> {
        [
            AuthenticationType::Passport,
            AuthenticationType::FullTrust,
            AuthenticationType::Other,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// Limits of SMS_SENDER and LONG_SMS_SENDER (3.1.4.1.3.3, 3.1.4.1.3.4).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SmsLimits {
    pub max_recipients_per_message: u32,
    pub max_messages_per_send: u32,
    /// Characters of a message made only of US-ASCII.
    pub max_sbcs_per_message: u32,
    /// Characters of a message containing double-byte characters.
    pub max_dbcs_per_message: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SmsSender {
    pub limits: SmsLimits,
    /// LONG_SMS_SENDER: concatenated messages supported, with per-segment limits.
    pub long: Option<SmsLimits>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MmsSender {
    pub support_slide: bool,
    pub max_recipients_per_message: u32,
    pub max_size_per_message: u32,
    pub max_slides_per_message: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupportedService {
    pub sms: Option<SmsSender>,
    pub mms: Option<MmsSender>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceInfo {
    pub service_provider: String,
    pub service_uri: String,
    pub sign_up_page: String,
    /// LCID; absent means 0 (worldwide).
    pub target_locale: Option<u16>,
    pub local_name: String,
    pub english_name: String,
    pub authentication_type: AuthenticationType,
    /// Absent means 0 (no batches).
    pub batch_size: Option<u32>,
    pub supported_service: SupportedService,
}

const SBCS: &str = "maxSbcsPerMessage";
const DBCS: &str = "maxDbcsPerMessage";
/// Spellings of the WSDL appendix and the 4.1 example (E-OMS-01).
const SBCS_LEGACY: &[&str] = &["maxSbccsPerMessage"];
const DBCS_LEGACY: &[&str] = &["maxDbccsPerMessage", "maxDccsPerMessage"];
const SMS_ATTRS: &[&str] = &[
    "maxRecipientsPerMessage",
    "maxMessagesPerSend",
    SBCS,
    DBCS,
    "maxSbccsPerMessage",
    "maxDbccsPerMessage",
    "maxDccsPerMessage",
];
const MMS_ATTRS: &[&str] = &[
    "supportSlide",
    "maxRecipientsPerMessage",
    "maxSizePerMessage",
    "maxSlidesPerMessage",
];

const ROOT_SEQUENCE: &[Slot] = &[
    Slot::one("serviceProvider"),
    Slot::one("serviceUri"),
    Slot::one("signUpPage"),
    Slot::opt("targetLocale"),
    Slot::one("localName"),
    Slot::one("englishName"),
    Slot::one("authenticationType"),
    Slot::opt("batchSize"),
    Slot::one("supportedService"),
];

impl SmsLimits {
    fn attrs(&self) -> [(&'static str, String); 4] {
        [
            (
                "maxRecipientsPerMessage",
                self.max_recipients_per_message.to_string(),
            ),
            ("maxMessagesPerSend", self.max_messages_per_send.to_string()),
            (SBCS, self.max_sbcs_per_message.to_string()),
            (DBCS, self.max_dbcs_per_message.to_string()),
        ]
    }
}

fn borrowed<'a>(attrs: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    attrs.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

impl ServiceInfo {
    /// The GetServiceInfo example of MS-OMS 4.1 as corrected by E-OMS-02 (underscored element
    /// names, LONG_SMS_SENDER nested), E-OMS-01 (canonical limit names) and E-OMS-17 (https).
    pub fn spec_example() -> ServiceInfo {
        ServiceInfo {
            service_provider: "ABC Company".into(),
            service_uri: "https://www.abc.com.cn/OMS3/XMS.asmx".into(),
            sign_up_page: "https://www.abc.com.cn/ws/xmssignup.aspx/".into(),
            target_locale: Some(2052),
            local_name: "ABC Mobile Service".into(),
            english_name: "ABC Mobile Service".into(),
            authentication_type: AuthenticationType::Other,
            batch_size: Some(255),
            supported_service: SupportedService {
                sms: Some(SmsSender {
                    limits: SmsLimits {
                        max_recipients_per_message: 50,
                        max_messages_per_send: 20,
                        max_sbcs_per_message: 140,
                        max_dbcs_per_message: 70,
                    },
                    long: Some(SmsLimits {
                        max_recipients_per_message: 50,
                        max_messages_per_send: 255,
                        max_sbcs_per_message: 153,
                        max_dbcs_per_message: 67,
                    }),
                }),
                mms: Some(MmsSender {
                    support_slide: true,
                    max_recipients_per_message: 100,
                    max_size_per_message: 30000,
                    max_slides_per_message: 10,
                }),
            },
        }
    }

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::document();
        w.start("serviceInfo", &[("xmlns", OMS_NS)]);
        w.text_element("serviceProvider", &[], &self.service_provider);
        w.text_element("serviceUri", &[], &self.service_uri);
        w.text_element("signUpPage", &[], &self.sign_up_page);
        if let Some(locale) = self.target_locale {
            w.text_element("targetLocale", &[], &locale.to_string());
        }
        w.text_element("localName", &[], &self.local_name);
        w.text_element("englishName", &[], &self.english_name);
        w.text_element("authenticationType", &[], self.authentication_type.as_str());
        if let Some(size) = self.batch_size {
            w.text_element("batchSize", &[], &size.to_string());
        }
        w.start("supportedService", &[]);
        if let Some(sms) = &self.supported_service.sms {
            let attrs = sms.limits.attrs();
            match &sms.long {
                None => w.empty("SMS_SENDER", &borrowed(&attrs)),
                Some(long) => {
                    w.start("SMS_SENDER", &borrowed(&attrs));
                    w.empty("LONG_SMS_SENDER", &borrowed(&long.attrs()));
                    w.end("SMS_SENDER");
                }
            }
        }
        if let Some(mms) = &self.supported_service.mms {
            let attrs = [
                ("supportSlide", mms.support_slide.to_string()),
                (
                    "maxRecipientsPerMessage",
                    mms.max_recipients_per_message.to_string(),
                ),
                ("maxSizePerMessage", mms.max_size_per_message.to_string()),
                (
                    "maxSlidesPerMessage",
                    mms.max_slides_per_message.to_string(),
                ),
            ];
            w.empty("MMS_SENDER", &borrowed(&attrs));
        }
        w.end("supportedService");
        w.end("serviceInfo");
        w.finish()
    }

    pub fn parse(text: &str) -> Result<Parsed<Self>, LayerError> {
        let (doc, mut c) = Checker::open(text, "serviceInfo")?;
        let root = doc.root_element();
        let path = c.root_path();
        match c.namespace() {
            Some(OMS_NS) => {}
            ns @ (Some(LEGACY_SERVICE_INFO_NS) | None) => {
                let found = ns.unwrap_or("no namespace").to_owned();
                c.push(
                    Finding::deviation(
                        rules::SERVICE_INFO_NAMESPACE_LEGACY,
                        "E-OMS-03",
                        path.clone(),
                        format!("serviceInfo in {found}; the schema puts it in {OMS_NS}"),
                    )
                    .requirement("OMS-R110"),
                );
            }
            Some(_) => c.require_oms_namespace(),
        }
        c.attributes(root, &path, &[], &[], "OMS-R110");
        let kids = c.sequence(root, &path, ROOT_SEQUENCE, "OMS-R111");

        let text_of = |c: &mut Checker, name: &str| {
            c.opt_simple(kids.first(name), &format!("{path}/{name}"), "OMS-R111")
                .unwrap_or_default()
        };
        let service_provider = text_of(&mut c, "serviceProvider");
        let service_uri = text_of(&mut c, "serviceUri");
        let sign_up_page = text_of(&mut c, "signUpPage");
        let target_locale = kids.first("targetLocale").and_then(|n| {
            let p = format!("{path}/targetLocale");
            let raw = c.simple(n, &p, "OMS-R113");
            c.unsigned_short(&raw, &p, "OMS-R113")
        });
        let local_name = text_of(&mut c, "localName");
        let english_name = text_of(&mut c, "englishName");
        let authentication_type = match kids.first("authenticationType") {
            None => AuthenticationType::default(),
            Some(n) => {
                let p = format!("{path}/authenticationType");
                let raw = c.simple(n, &p, "OMS-R115");
                read_authentication_type(&mut c, &raw, &p)
            }
        };
        let batch_size = kids.first("batchSize").and_then(|n| {
            let p = format!("{path}/batchSize");
            let raw = c.simple(n, &p, "OMS-R114");
            c.unsigned_int(&raw, &p, "OMS-R114")
        });
        for (name, value) in [("serviceUri", &service_uri), ("signUpPage", &sign_up_page)] {
            if kids.first(name).is_some() && !is_https(value) {
                c.push(
                    Finding::deviation(
                        rules::SERVICE_INFO_URI_NOT_HTTPS,
                        "E-OMS-17",
                        format!("{path}/{name}"),
                        format!("{name} {value:?} is not an https URI"),
                    )
                    .requirement("OMS-R112"),
                );
            }
        }
        let supported_service = kids
            .first("supportedService")
            .map(|n| read_supported_service(&mut c, n, &format!("{path}/supportedService")))
            .unwrap_or_default();

        Ok(Parsed {
            value: ServiceInfo {
                service_provider,
                service_uri,
                sign_up_page,
                target_locale,
                local_name,
                english_name,
                authentication_type,
                batch_size,
                supported_service,
            },
            findings: c.finish(),
        })
    }

    /// Whether the limits make sense together: each offered service can carry at least one
    /// message to one recipient, and the double-byte limit does not exceed the single-byte
    /// one (a message with double-byte characters is never allowed to be longer). Separate
    /// from `parse` because a well-formed document can still announce nonsense, and a client
    /// suite wants to check the documents it generates too.
    pub fn consistency_findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        let base = "/serviceInfo/supportedService";
        if let Some(sms) = &self.supported_service.sms {
            let path = format!("{base}/SMS_SENDER");
            sms_consistency(&sms.limits, &path, "OMS-R117", &mut out);
            if let Some(long) = &sms.long {
                sms_consistency(
                    long,
                    &format!("{path}/LONG_SMS_SENDER"),
                    "OMS-R121",
                    &mut out,
                );
            }
        }
        if let Some(mms) = &self.supported_service.mms {
            let path = format!("{base}/MMS_SENDER");
            if mms.max_recipients_per_message == 0 {
                out.push(
                    Finding::violation(
                        rules::SERVICE_INFO_LIMITS_ZERO_RECIPIENTS,
                        attr_path(&path, "maxRecipientsPerMessage"),
                        "MMS is offered but no recipient is allowed",
                    )
                    .requirement("OMS-R122"),
                );
            }
            if mms.max_size_per_message == 0 {
                out.push(
                    Finding::violation(
                        rules::SERVICE_INFO_LIMITS_ZERO_SIZE,
                        attr_path(&path, "maxSizePerMessage"),
                        "MMS is offered with a maximum size of 0 bytes",
                    )
                    .requirement("OMS-R122"),
                );
            }
            if mms.support_slide && mms.max_slides_per_message == 0 {
                out.push(
                    Finding::violation(
                        rules::SERVICE_INFO_LIMITS_NO_SLIDES,
                        attr_path(&path, "maxSlidesPerMessage"),
                        "supportSlide is true but no slide is allowed",
                    )
                    .requirement("OMS-R122"),
                );
            }
        }
        out
    }
}

fn sms_consistency(l: &SmsLimits, path: &str, requirement: &'static str, out: &mut Vec<Finding>) {
    if l.max_recipients_per_message == 0 {
        out.push(
            Finding::violation(
                rules::SERVICE_INFO_LIMITS_ZERO_RECIPIENTS,
                attr_path(path, "maxRecipientsPerMessage"),
                "text messages are offered but no recipient is allowed",
            )
            .requirement(requirement),
        );
    }
    if l.max_messages_per_send == 0 {
        out.push(
            Finding::violation(
                rules::SERVICE_INFO_LIMITS_ZERO_MESSAGES,
                attr_path(path, "maxMessagesPerSend"),
                "text messages are offered but no message per send is allowed",
            )
            .requirement(requirement),
        );
    }
    if l.max_sbcs_per_message == 0 || l.max_dbcs_per_message == 0 {
        out.push(
            Finding::violation(
                rules::SERVICE_INFO_LIMITS_ZERO_LENGTH,
                path,
                "a character limit of 0 leaves no room for any text",
            )
            .requirement(requirement),
        );
    }
    if l.max_dbcs_per_message > l.max_sbcs_per_message {
        out.push(
            Finding::violation(
                rules::SERVICE_INFO_LIMITS_DBCS_ABOVE_SBCS,
                attr_path(path, DBCS),
                format!(
                    "double-byte limit {} exceeds single-byte limit {}",
                    l.max_dbcs_per_message, l.max_sbcs_per_message
                ),
            )
            .requirement("OMS-R120"),
        );
    }
}

fn is_https(uri: &str) -> bool {
    uri.trim()
        .get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
}

fn read_authentication_type(c: &mut Checker, raw: &str, path: &str) -> AuthenticationType {
    if let Some(a) = AuthenticationType::from_wire(raw) {
        return a;
    }
    c.push(
        Finding::violation(
            rules::SERVICE_INFO_AUTHENTICATION_TYPE,
            path,
            format!(
                "authenticationType {raw:?} is not passport, fulltrust or other (case-sensitive, E-OMS-03)"
            ),
        )
        .requirement("OMS-R115"),
    );
    // Read what the peer evidently meant, so later checks can go on.
    let lower = raw.trim().to_ascii_lowercase();
    AuthenticationType::from_wire(&lower).unwrap_or_default()
}

fn read_supported_service(
    c: &mut Checker,
    node: roxmltree::Node<'_, '_>,
    path: &str,
) -> SupportedService {
    c.attributes(node, path, &[], &[], "OMS-R116");
    let kids = c.sequence_with_order_rule(
        node,
        path,
        &[Slot::opt("SMS_SENDER"), Slot::opt("MMS_SENDER")],
        "OMS-R116",
        rules::SERVICE_INFO_SUPPORTED_SERVICE_ORDER,
    );
    let sms = kids
        .first("SMS_SENDER")
        .map(|n| read_sms_sender(c, n, &format!("{path}/SMS_SENDER")));
    let mms = kids
        .first("MMS_SENDER")
        .map(|n| read_mms_sender(c, n, &format!("{path}/MMS_SENDER")));
    if sms.is_none() && mms.is_none() {
        c.push(
            Finding::violation(
                rules::SERVICE_INFO_SUPPORTED_SERVICE_EMPTY,
                path,
                "supportedService names neither SMS_SENDER nor MMS_SENDER (E-OMS-27)",
            )
            .requirement("OMS-R116"),
        );
    }
    SupportedService { sms, mms }
}

/// A character-limit attribute under its canonical name or, as a deviation, a legacy one.
fn limit_attr(
    c: &mut Checker,
    node: roxmltree::Node<'_, '_>,
    path: &str,
    canonical: &str,
    legacy: &[&str],
    requirement: &'static str,
) -> u32 {
    let mut value = node
        .attribute(canonical)
        .map(|raw| c.unsigned_int(raw, &attr_path(path, canonical), requirement));
    for name in legacy {
        if let Some(raw) = node.attribute(*name) {
            c.push(
                Finding::deviation(
                    rules::SERVICE_INFO_ATTRIBUTE_LEGACY_NAME,
                    "E-OMS-01",
                    attr_path(path, name),
                    format!(
                        "{name} is the WSDL/example spelling; the canonical name is {canonical}"
                    ),
                )
                .requirement(requirement),
            );
            if value.is_none() {
                value = Some(c.unsigned_int(raw, &attr_path(path, name), requirement));
            }
        }
    }
    match value {
        Some(v) => v.unwrap_or(0),
        None => {
            c.push(
                Finding::violation(
                    rules::SCHEMA_ATTRIBUTE_MISSING,
                    attr_path(path, canonical),
                    format!("required attribute {canonical} is missing"),
                )
                .requirement(requirement),
            );
            0
        }
    }
}

fn read_sms_limits(
    c: &mut Checker,
    node: roxmltree::Node<'_, '_>,
    path: &str,
    requirement: &'static str,
) -> SmsLimits {
    c.attributes(
        node,
        path,
        SMS_ATTRS,
        &["maxRecipientsPerMessage", "maxMessagesPerSend"],
        requirement,
    );
    SmsLimits {
        max_recipients_per_message: c.u32_attr(node, path, "maxRecipientsPerMessage", requirement),
        max_messages_per_send: c.u32_attr(node, path, "maxMessagesPerSend", requirement),
        max_sbcs_per_message: limit_attr(c, node, path, SBCS, SBCS_LEGACY, requirement),
        max_dbcs_per_message: limit_attr(c, node, path, DBCS, DBCS_LEGACY, requirement),
    }
}

fn read_sms_sender(c: &mut Checker, node: roxmltree::Node<'_, '_>, path: &str) -> SmsSender {
    let limits = read_sms_limits(c, node, path, "OMS-R117");
    let kids = c.sequence(node, path, &[Slot::opt("LONG_SMS_SENDER")], "OMS-R117");
    let long = kids.first("LONG_SMS_SENDER").map(|n| {
        let p = format!("{path}/LONG_SMS_SENDER");
        c.empty_content(n, &p, "OMS-R121");
        read_sms_limits(c, n, &p, "OMS-R121")
    });
    SmsSender { limits, long }
}

fn read_mms_sender(c: &mut Checker, node: roxmltree::Node<'_, '_>, path: &str) -> MmsSender {
    c.attributes(node, path, MMS_ATTRS, MMS_ATTRS, "OMS-R122");
    c.empty_content(node, path, "OMS-R122");
    let support_slide = node
        .attribute("supportSlide")
        .and_then(|raw| c.boolean(raw, &attr_path(path, "supportSlide"), "OMS-R122"))
        .unwrap_or(false);
    MmsSender {
        support_slide,
        max_recipients_per_message: c.u32_attr(node, path, "maxRecipientsPerMessage", "OMS-R122"),
        max_size_per_message: c.u32_attr(node, path, "maxSizePerMessage", "OMS-R122"),
        max_slides_per_message: c.u32_attr(node, path, "maxSlidesPerMessage", "OMS-R122"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use rstest::rstest;

    pub(crate) fn sample() -> ServiceInfo {
        ServiceInfo::spec_example()
    }

    fn rules_of(xml: &str) -> Vec<&'static str> {
        let parsed = ServiceInfo::parse(xml).unwrap();
        let mut r: Vec<_> = parsed.findings.iter().map(|f| f.rule).collect();
        r.extend(parsed.value.consistency_findings().iter().map(|f| f.rule));
        r
    }

    fn with_services(services: &str) -> String {
        format!(
            "<serviceInfo xmlns=\"{OMS_NS}\"><serviceProvider>p</serviceProvider><serviceUri>https://a/</serviceUri><signUpPage>https://b/</signUpPage><localName>l</localName><englishName>e</englishName><authenticationType>passport</authenticationType><supportedService>{services}</supportedService></serviceInfo>"
        )
    }

    #[test]
    fn writes_canonical_document_that_reads_back() {
        let si = sample();
        let xml = si.to_xml();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><serviceInfo xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\">"));
        assert!(xml.contains("maxSbcsPerMessage=\"140\""));
        let parsed = ServiceInfo::parse(&xml).unwrap();
        assert_eq!(parsed.findings, vec![]);
        assert_eq!(parsed.value, si);
        assert_eq!(si.consistency_findings(), vec![]);
    }

    #[rstest]
    #[case::empty("", &[rules::SERVICE_INFO_SUPPORTED_SERVICE_EMPTY][..])]
    #[case::mms_first(
        "<MMS_SENDER supportSlide=\"false\" maxRecipientsPerMessage=\"1\" maxSizePerMessage=\"1\" maxSlidesPerMessage=\"0\"/><SMS_SENDER maxRecipientsPerMessage=\"1\" maxMessagesPerSend=\"1\" maxSbcsPerMessage=\"1\" maxDbcsPerMessage=\"1\"/>",
        &[rules::SERVICE_INFO_SUPPORTED_SERVICE_ORDER][..]
    )]
    #[case::legacy_names(
        "<SMS_SENDER maxRecipientsPerMessage=\"1\" maxMessagesPerSend=\"1\" maxSbccsPerMessage=\"140\" maxDccsPerMessage=\"70\"/>",
        &[rules::SERVICE_INFO_ATTRIBUTE_LEGACY_NAME, rules::SERVICE_INFO_ATTRIBUTE_LEGACY_NAME][..]
    )]
    #[case::missing_limit(
        "<SMS_SENDER maxRecipientsPerMessage=\"1\" maxMessagesPerSend=\"1\" maxSbcsPerMessage=\"140\"/>",
        &[rules::SCHEMA_ATTRIBUTE_MISSING, rules::SERVICE_INFO_LIMITS_ZERO_LENGTH][..]
    )]
    #[case::bad_boolean(
        "<MMS_SENDER supportSlide=\"yes\" maxRecipientsPerMessage=\"1\" maxSizePerMessage=\"1\" maxSlidesPerMessage=\"1\"/>",
        &[rules::SCHEMA_VALUE_TYPE][..]
    )]
    #[case::dbcs_above_sbcs(
        "<SMS_SENDER maxRecipientsPerMessage=\"1\" maxMessagesPerSend=\"1\" maxSbcsPerMessage=\"70\" maxDbcsPerMessage=\"140\"/>",
        &[rules::SERVICE_INFO_LIMITS_DBCS_ABOVE_SBCS][..]
    )]
    #[case::zero_limits(
        "<SMS_SENDER maxRecipientsPerMessage=\"0\" maxMessagesPerSend=\"0\" maxSbcsPerMessage=\"1\" maxDbcsPerMessage=\"1\"/><MMS_SENDER supportSlide=\"true\" maxRecipientsPerMessage=\"0\" maxSizePerMessage=\"0\" maxSlidesPerMessage=\"0\"/>",
        &[rules::SERVICE_INFO_LIMITS_ZERO_RECIPIENTS, rules::SERVICE_INFO_LIMITS_ZERO_MESSAGES, rules::SERVICE_INFO_LIMITS_ZERO_RECIPIENTS, rules::SERVICE_INFO_LIMITS_ZERO_SIZE, rules::SERVICE_INFO_LIMITS_NO_SLIDES][..]
    )]
    #[case::long_outside(
        "<SMS_SENDER maxRecipientsPerMessage=\"1\" maxMessagesPerSend=\"1\" maxSbcsPerMessage=\"1\" maxDbcsPerMessage=\"1\"/><LONG_SMS_SENDER maxRecipientsPerMessage=\"1\" maxMessagesPerSend=\"1\" maxSbcsPerMessage=\"1\" maxDbcsPerMessage=\"1\"/>",
        &[rules::SCHEMA_ELEMENT_UNEXPECTED][..]
    )]
    fn supported_service_rules(#[case] services: &str, #[case] expected: &[&str]) {
        assert_eq!(rules_of(&with_services(services)), expected);
    }

    #[test]
    fn legacy_names_are_deviations_and_read() {
        let xml = with_services("<SMS_SENDER maxRecipientsPerMessage=\"1\" maxMessagesPerSend=\"1\" maxSbccsPerMessage=\"140\" maxDbccsPerMessage=\"70\"/>");
        let parsed = ServiceInfo::parse(&xml).unwrap();
        assert!(parsed.findings.iter().all(|f| f.severity
            == Severity::Deviation {
                erratum: "E-OMS-01"
            }));
        let sms = parsed.value.supported_service.sms.unwrap();
        assert_eq!(sms.limits.max_sbcs_per_message, 140);
        assert_eq!(sms.limits.max_dbcs_per_message, 70);
    }

    #[rstest]
    #[case::capitalised("Other", AuthenticationType::Other)]
    #[case::upper("PASSPORT", AuthenticationType::Passport)]
    #[case::unknown("kerberos", AuthenticationType::Other)]
    fn authentication_type_is_case_sensitive(#[case] raw: &str, #[case] read: AuthenticationType) {
        let xml = with_services("<MMS_SENDER supportSlide=\"0\" maxRecipientsPerMessage=\"1\" maxSizePerMessage=\"1\" maxSlidesPerMessage=\"0\"/>")
            .replace(">passport<", &format!(">{raw}<"));
        let parsed = ServiceInfo::parse(&xml).unwrap();
        assert!(parsed.has_rule(rules::SERVICE_INFO_AUTHENTICATION_TYPE));
        assert_eq!(parsed.value.authentication_type, read);
    }

    #[rstest]
    #[case::legacy_ns(format!(" xmlns=\"{LEGACY_SERVICE_INFO_NS}\""), rules::SERVICE_INFO_NAMESPACE_LEGACY)]
    #[case::no_ns(String::new(), rules::SERVICE_INFO_NAMESPACE_LEGACY)]
    #[case::other_ns(" xmlns=\"urn:other\"".to_string(), rules::SCHEMA_ROOT_NAMESPACE)]
    fn namespaces(#[case] decl: String, #[case] rule: &str) {
        let xml = sample()
            .to_xml()
            .replace(&format!(" xmlns=\"{OMS_NS}\""), &decl);
        let parsed = ServiceInfo::parse(&xml).unwrap();
        let rules: Vec<_> = parsed.findings.iter().map(|f| f.rule).collect();
        assert_eq!(rules, [rule]);
    }

    #[test]
    fn http_uris_are_deviations() {
        let mut si = sample();
        si.service_uri = "http://x/".into();
        si.sign_up_page = "HTTPS://y/".into();
        let parsed = ServiceInfo::parse(&si.to_xml()).unwrap();
        let rules: Vec<_> = parsed.findings.iter().map(|f| f.rule).collect();
        assert_eq!(rules, [rules::SERVICE_INFO_URI_NOT_HTTPS]);
        assert_eq!(parsed.findings[0].path, "/serviceInfo/serviceUri");
    }

    #[test]
    fn order_and_types_of_the_root_sequence() {
        let xml = sample()
            .to_xml()
            .replace("<targetLocale>2052</targetLocale>", "")
            .replace(
                "<batchSize>255</batchSize>",
                "<batchSize>-1</batchSize><targetLocale>70000</targetLocale>",
            );
        let parsed = ServiceInfo::parse(&xml).unwrap();
        let rules: Vec<_> = parsed.findings.iter().map(|f| f.rule).collect();
        assert_eq!(
            rules,
            [
                rules::SCHEMA_ELEMENT_ORDER,
                rules::SCHEMA_VALUE_TYPE,
                rules::SCHEMA_VALUE_TYPE
            ]
        );
        assert_eq!(parsed.value.target_locale, None);
        assert_eq!(parsed.value.batch_size, None);
    }
}
