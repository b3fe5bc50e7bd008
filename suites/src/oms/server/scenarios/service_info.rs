//! GetServiceInfo (MS-OMS 3.1.4.1): the document clients configure themselves from.

use crate::oms::server::probe::Oms;
use harness::{Level, Scenario};

pub(super) fn all() -> Vec<Scenario> {
    vec![
        schema(),
        enumerations(),
        at_least_one_service(),
        sender_attributes(),
        limits_consistent(),
        uris(),
    ]
}

/// MS-OMS 3.1.4.1.2.2, 3.1.4.1.3.1: the result is an escaped serviceInfo document following
/// tServiceInfo, in the OMS namespace.
fn schema() -> Scenario {
    Scenario::new("oms-server/service-info/schema")
        .title("GetServiceInfo returns a tServiceInfo document as escaped text in GetServiceInfoResult")
        .section("MS-OMS 3.1.4.1.2.2")
        .section("MS-OMS 3.1.4.1.3.1")
        .requirements(["OMS-R109", "OMS-R110", "OMS-R111", "OMS-R107", "OMS-R155", "OMS-R007"])
        .level(Level::Must)
        .caught_by("service-info-not-escaped")
        .caught_by("service-info-wrong-order")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.service_info().await?;
            cx.cite(["OMS-R111"]).expect(
                "serviceProvider, localName and englishName",
                !info.service_provider.trim().is_empty()
                    && !info.local_name.trim().is_empty()
                    && !info.english_name.trim().is_empty(),
                "non-empty names",
                format!(
                    "{:?} / {:?} / {:?}",
                    info.service_provider, info.local_name, info.english_name
                ),
            )
        })
}

/// MS-OMS 3.1.4.1.4.1, 3.1.4.1.3.1: authenticationType is one of the three lower-case values;
/// targetLocale and batchSize have their schema types.
fn enumerations() -> Scenario {
    Scenario::new("oms-server/service-info/enumerations")
        .title("authenticationType is passport, fulltrust or other; targetLocale and batchSize are typed")
        .section("MS-OMS 3.1.4.1.4.1")
        .requirements(["OMS-R115", "OMS-R113", "OMS-R114", "OMS-R123"])
        .level(Level::Must)
        .caught_by("auth-type-capitalised")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let parsed = oms.service_info_parsed().await?;
            oms.record_findings_for(
                "authenticationType, targetLocale, batchSize",
                &parsed.findings,
                &["OMS-R115", "OMS-R113", "OMS-R114"],
            )?;
            cx.cite(["OMS-R123"]).info(
                "authentication method",
                parsed.value.authentication_type.as_str(),
            );
            Ok(())
        })
}

/// MS-OMS 3.1.4.1.3.2: at least one of SMS_SENDER and MMS_SENDER, SMS_SENDER first
/// (E-OMS-27: the schema alone would allow neither).
fn at_least_one_service() -> Scenario {
    Scenario::new("oms-server/service-info/at-least-one-service")
        .title("supportedService offers SMS_SENDER, MMS_SENDER or both, in that order")
        .section("MS-OMS 3.1.4.1.3.2")
        .requirements(["OMS-R116"])
        .level(Level::Must)
        .caught_by("no-supported-service")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let parsed = oms.service_info_parsed().await?;
            let s = &parsed.value.supported_service;
            let offered: Vec<&str> = [
                ("SMS_SENDER", s.sms.is_some()),
                ("MMS_SENDER", s.mms.is_some()),
            ]
            .iter()
            .filter(|(_, on)| *on)
            .map(|(n, _)| *n)
            .collect();
            cx.expect(
                "services offered",
                !offered.is_empty(),
                "SMS_SENDER and/or MMS_SENDER",
                if offered.is_empty() {
                    "none".to_string()
                } else {
                    offered.join(", ")
                },
            )?;
            oms.record_findings_for("supportedService", &parsed.findings, &["OMS-R116"])
        })
}

/// MS-OMS 3.1.4.1.3.3-3.1.4.1.3.5: the sender elements carry their four required attributes
/// (the WSDL spellings maxSbccsPerMessage/maxDbccsPerMessage are tolerated with a warning,
/// E-OMS-01).
fn sender_attributes() -> Scenario {
    Scenario::new("oms-server/service-info/sender-attributes")
        .title("SMS_SENDER, LONG_SMS_SENDER and MMS_SENDER carry all their required limits")
        .section("MS-OMS 3.1.4.1.3.3")
        .section("MS-OMS 3.1.4.1.3.5")
        .requirements(["OMS-R117", "OMS-R121", "OMS-R122"])
        .level(Level::Must)
        .caught_by("sms-sender-missing-limit")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let parsed = oms.service_info_parsed().await?;
            oms.record_findings_for(
                "sender limits",
                &parsed.findings,
                &["OMS-R117", "OMS-R121", "OMS-R122"],
            )
        })
}

/// MS-OMS 3.1.1: the limits a server keeps are what it advertises, so they must make sense
/// together (a double-byte limit above the single-byte one, an offered service allowing no
/// recipient...).
fn limits_consistent() -> Scenario {
    Scenario::new("oms-server/service-info/limits-consistent")
        .title("Advertised limits are consistent with each other")
        .section("MS-OMS 3.1.1")
        .section("MS-OMS 3.1.4.1.3.3")
        .requirements(["OMS-R100", "OMS-R117", "OMS-R120", "OMS-R122"])
        .level(Level::Structure)
        .caught_by("inconsistent-limits")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            crate::common::findings::record_findings(
                &cx,
                "limits",
                &info.consistency_findings(),
                &["OMS-R100"],
            )
        })
}

fn is_absolute_uri(uri: &str) -> bool {
    match uri.split_once("://") {
        Some((scheme, rest)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !rest.is_empty()
                && !rest.starts_with('/')
        }
        None => false,
    }
}

/// MS-OMS 3.1.4.1.3.1: serviceUri and signUpPage are URIs of the service and its sign-up page;
/// https is expected (E-OMS-17: an http URI is a warning).
fn uris() -> Scenario {
    Scenario::new("oms-server/service-info/uris")
        .title("serviceUri and signUpPage are absolute URIs (https recommended)")
        .section("MS-OMS 3.1.4.1.3.1")
        .requirements(["OMS-R112"])
        .level(Level::Structure)
        .caught_by("relative-service-uri")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let parsed = oms.service_info_parsed().await?;
            let info = &parsed.value;
            let both_ok = cx.checks().check(
                "serviceUri is an absolute URI",
                is_absolute_uri(&info.service_uri),
                "scheme://host/...",
                format!("{:?}", info.service_uri),
            ) & cx.checks().check(
                "signUpPage is an absolute URI",
                is_absolute_uri(&info.sign_up_page),
                "scheme://host/...",
                format!("{:?}", info.sign_up_page),
            );
            oms.record_findings_for("service URIs", &parsed.findings, &["OMS-R112"])?;
            if both_ok {
                Ok(())
            } else {
                Err(harness::Stop::Failed)
            }
        })
}

#[cfg(test)]
mod tests {
    use super::is_absolute_uri;

    #[test]
    fn absolute_uris() {
        assert!(is_absolute_uri("https://oms.example.com/OMS3/XMS.asmx"));
        assert!(!is_absolute_uri("/oms"));
        assert!(!is_absolute_uri("https:///oms"));
        assert!(!is_absolute_uri("oms.example.com/oms"));
    }
}
