//! The GetServiceInfo result (MS-OMS 3.1.4.1). Written here rather than with
//! `ServiceInfo::to_xml` because several faults change the document's shape (element order,
//! attribute spellings, missing attributes), which the canonical writer cannot express; without
//! faults the output is byte-identical to it (tested).

use wire::oms::{ServiceInfo, SmsLimits, OMS_NS};
use wire::xml::XmlWriter;

use super::faults::Faults;

/// The document served: `info` with the server's real URL, and the advertising faults applied.
pub(crate) fn render(info: &ServiceInfo, service_uri: &str, faults: &Faults) -> String {
    let mut info = info.clone();
    info.service_uri = if faults.on("relative-service-uri") {
        "/oms".to_string()
    } else {
        service_uri.to_string()
    };
    if faults.on("batch-size-zero-accepts") {
        info.batch_size = Some(0);
    }
    if faults.on("inconsistent-limits") {
        if let Some(sms) = &mut info.supported_service.sms {
            sms.limits.max_dbcs_per_message = 200;
        }
    }
    write(&info, faults)
}

fn write(info: &ServiceInfo, faults: &Faults) -> String {
    let mut w = XmlWriter::document();
    w.start("serviceInfo", &[("xmlns", OMS_NS)]);
    if faults.on("service-info-wrong-order") {
        w.text_element("serviceUri", &[], &info.service_uri);
        w.text_element("serviceProvider", &[], &info.service_provider);
    } else {
        w.text_element("serviceProvider", &[], &info.service_provider);
        w.text_element("serviceUri", &[], &info.service_uri);
    }
    w.text_element("signUpPage", &[], &info.sign_up_page);
    if let Some(locale) = info.target_locale {
        w.text_element("targetLocale", &[], &locale.to_string());
    }
    w.text_element("localName", &[], &info.local_name);
    w.text_element("englishName", &[], &info.english_name);
    let auth = info.authentication_type.as_str();
    let auth = if faults.on("auth-type-capitalised") {
        capitalised(auth)
    } else {
        auth.to_string()
    };
    w.text_element("authenticationType", &[], &auth);
    if let Some(size) = info.batch_size {
        w.text_element("batchSize", &[], &size.to_string());
    }
    let services = &info.supported_service;
    if faults.on("no-supported-service") || (services.sms.is_none() && services.mms.is_none()) {
        w.empty("supportedService", &[]);
    } else {
        w.start("supportedService", &[]);
        if let Some(sms) = &services.sms {
            let attrs = sms_attrs(&sms.limits, faults, true);
            match &sms.long {
                None => w.empty("SMS_SENDER", &borrowed(&attrs)),
                Some(long) => {
                    w.start("SMS_SENDER", &borrowed(&attrs));
                    w.empty(
                        "LONG_SMS_SENDER",
                        &borrowed(&sms_attrs(long, faults, false)),
                    );
                    w.end("SMS_SENDER");
                }
            }
        }
        if let Some(mms) = &services.mms {
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
    }
    w.end("serviceInfo");
    w.finish()
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// SMS_SENDER (`outer`) or LONG_SMS_SENDER attributes, in the canonical order.
fn sms_attrs(l: &SmsLimits, faults: &Faults, outer: bool) -> Vec<(&'static str, String)> {
    let legacy = faults.on("legacy-attribute-names");
    let (sbcs, dbcs) = if legacy {
        ("maxSbccsPerMessage", "maxDbccsPerMessage")
    } else {
        ("maxSbcsPerMessage", "maxDbcsPerMessage")
    };
    let mut attrs = vec![
        (
            "maxRecipientsPerMessage",
            l.max_recipients_per_message.to_string(),
        ),
        ("maxMessagesPerSend", l.max_messages_per_send.to_string()),
        (sbcs, l.max_sbcs_per_message.to_string()),
    ];
    if !(outer && faults.on("sms-sender-missing-limit")) {
        attrs.push((dbcs, l.max_dbcs_per_message.to_string()));
    }
    attrs
}

fn borrowed<'a>(attrs: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    attrs.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[cfg(test)]
mod tests {
    use super::super::reference;
    use super::*;
    use rstest::rstest;
    use wire::oms::rules;

    const URI: &str = "https://127.0.0.1:1/oms";

    fn served(faults: &[&str]) -> String {
        let names: Vec<String> = faults.iter().map(|s| s.to_string()).collect();
        render(
            &reference::service_info(),
            URI,
            &Faults::parse(&names).unwrap(),
        )
    }

    #[test]
    fn reference_is_the_canonical_document() {
        let mut info = reference::service_info();
        info.service_uri = URI.into();
        assert_eq!(served(&[]), info.to_xml());
    }

    #[rstest]
    #[case("service-info-wrong-order", rules::SCHEMA_ELEMENT_ORDER)]
    #[case("auth-type-capitalised", rules::SERVICE_INFO_AUTHENTICATION_TYPE)]
    #[case("no-supported-service", rules::SERVICE_INFO_SUPPORTED_SERVICE_EMPTY)]
    #[case("sms-sender-missing-limit", rules::SCHEMA_ATTRIBUTE_MISSING)]
    #[case("legacy-attribute-names", rules::SERVICE_INFO_ATTRIBUTE_LEGACY_NAME)]
    #[case("inconsistent-limits", rules::SERVICE_INFO_LIMITS_DBCS_ABOVE_SBCS)]
    #[case("relative-service-uri", rules::SERVICE_INFO_URI_NOT_HTTPS)]
    fn each_fault_shows_in_the_validator(#[case] fault: &str, #[case] rule: &str) {
        let parsed = ServiceInfo::parse(&served(&[fault])).unwrap();
        let mut found: Vec<&str> = parsed.findings.iter().map(|f| f.rule).collect();
        found.extend(parsed.value.consistency_findings().iter().map(|f| f.rule));
        assert!(found.contains(&rule), "{fault}: {found:?}");
    }

    #[test]
    fn batch_size_zero_is_advertised() {
        let parsed = ServiceInfo::parse(&served(&["batch-size-zero-accepts"])).unwrap();
        assert_eq!(parsed.value.batch_size, Some(0));
    }
}
