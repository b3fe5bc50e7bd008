//! Every fault switch against the reference: one probe per fault, run against a reference
//! server and against a server with only that fault; the predicate (the described deviation)
//! must hold for the faulty server and not for the reference.

mod oms_server_support;

use std::collections::BTreeSet;
use std::time::Duration;

use oms_server_support::*;
use oxconf_mocks::net::TransportError;
use oxconf_mocks::oms::server::{
    mms_subject_of, reference, Faults, ReplyKind, ReplyRequest, FAULTS, WRONG_TO,
};
use oxconf_mocks::oms::{Call, OmsCaller};
use oxconf_mocks::record::Arrival;
use oxconf_mocks::smtp::ReceivedMail;
use wire::finding::Parsed;
use wire::mail::{check_reply, rule, ExpectedReply, ReplyExpectation, ReplyReport};
use wire::oms::rules as r;
use wire::oms::{
    DeliveryError, Operation, ServiceInfo, UserInfo, XmsData, XmsResponse, XmsResponses,
};
use wire::soap::{request_headers, SoapVersion};

const OMS_NS: &str = "http://schemas.microsoft.com/office/Outlook/2006/OMS";
const REPLY_PHONE: &str = reference::RECIPIENTS[0];
const REPLY_TEXT: &str = "First line of the reply\nand a second one";

/// What a probe does to a server.
#[derive(Clone)]
enum Probe {
    ServiceInfo(SoapVersion),
    UserInfo(&'static str, &'static str, Option<&'static str>),
    Deliver(fn() -> XmsData),
    DeliverText(fn() -> String),
    Send(fn() -> XmsData),
    Batch(fn() -> String),
    /// SOAP 1.1 with this action and Body content.
    Raw(&'static str, &'static str),
    /// bump_service_info, then deliver a plain text message.
    BumpDeliver,
    Reply(ReplyKind),
}

/// What a client could see.
struct Obs {
    call: Option<Call>,
    mail: Option<(Arrival<ReceivedMail>, ReplyReport)>,
}

impl Obs {
    fn status(&self) -> Option<u16> {
        self.call.as_ref().and_then(Call::status)
    }

    fn transport(&self) -> Option<&TransportError> {
        self.call.as_ref().and_then(Call::transport_error)
    }

    fn unreadable(&self) -> bool {
        self.call.as_ref().is_some_and(|c| c.unreadable().is_some())
    }

    fn body(&self) -> String {
        self.call
            .as_ref()
            .and_then(|c| c.exchange.response())
            .map(|r| r.text())
            .unwrap_or_default()
    }

    fn has_finding(&self, rule: &str) -> bool {
        self.call
            .as_ref()
            .and_then(Call::response)
            .is_some_and(|r| r.findings.iter().any(|f| f.rule == rule))
    }

    fn fault_reason(&self) -> Option<String> {
        self.call
            .as_ref()
            .and_then(Call::fault)
            .map(|f| f.reason.clone())
    }

    fn payload(&self) -> Option<&str> {
        self.call.as_ref().and_then(Call::result_payload)
    }

    fn service_info(&self) -> Option<Parsed<ServiceInfo>> {
        ServiceInfo::parse(self.payload()?).ok()
    }

    /// Rules of the serviceInfo document, consistency checks included.
    fn si_rules(&self) -> Vec<&'static str> {
        let Some(parsed) = self.service_info() else {
            return Vec::new();
        };
        let mut rules: Vec<&'static str> = parsed.findings.iter().map(|f| f.rule).collect();
        rules.extend(parsed.value.consistency_findings().iter().map(|f| f.rule));
        rules
    }

    fn user_info(&self) -> Option<UserInfo> {
        UserInfo::parse(self.payload()?).ok().map(|p| p.value)
    }

    fn user_code(&self) -> Option<String> {
        self.user_info()?.error?.code
    }

    fn errors(&self) -> Vec<DeliveryError> {
        self.payload()
            .and_then(|p| XmsResponse::parse(p).ok())
            .map(|p| p.value.errors)
            .unwrap_or_default()
    }

    fn codes(&self) -> Vec<String> {
        self.errors()
            .into_iter()
            .map(|e| e.code.unwrap_or_default())
            .collect()
    }

    fn only_ok(&self) -> bool {
        self.codes() == ["ok"]
    }

    fn first_is(&self, code: &str) -> bool {
        self.codes().first().is_some_and(|c| c == code)
    }

    fn first(&self) -> DeliveryError {
        self.errors().into_iter().next().unwrap_or_default()
    }

    fn batch(&self) -> Option<XmsResponses> {
        XmsResponses::parse(self.payload()?).ok().map(|p| p.value)
    }

    fn batch_ids(&self) -> Vec<u32> {
        self.batch()
            .map(|b| b.items.iter().map(|i| i.id).collect())
            .unwrap_or_default()
    }

    fn mail_has(&self, rule: &str) -> bool {
        self.mail
            .as_ref()
            .is_some_and(|(_, rep)| rep.has_rule(rule))
    }

    fn describe(&self) -> String {
        match (&self.call, &self.mail) {
            (Some(c), _) => c.exchange.response_text().chars().take(600).collect(),
            (None, Some((m, rep))) => {
                format!("{}\n{:?}", m.text_lossy(), rep.findings)
            }
            (None, None) => "nothing observed".into(),
        }
    }
}

fn reply_expectation(kind: ReplyKind) -> ReplyExpectation {
    let media_types = vec!["image/gif".to_string(), "text/plain".to_string()];
    ReplyExpectation {
        to: reference::REPLY_ADDRESS.into(),
        phone: Some(format!("+{REPLY_PHONE}")),
        kind: match kind {
            ReplyKind::Sms => ExpectedReply::Text {
                text: REPLY_TEXT.into(),
            },
            ReplyKind::Mms | ReplyKind::MmsNoSmil => ExpectedReply::Mms {
                subject: mms_subject_of(REPLY_TEXT),
                smil: kind == ReplyKind::Mms,
                media_types,
            },
        },
    }
}

async fn run(peer: &Peer, probe: &Probe) -> Obs {
    let v11 = SoapVersion::V11;
    let call = match probe {
        Probe::ServiceInfo(version) => peer.call(Operation::GetServiceInfo, *version, None).await,
        Probe::UserInfo(user, password, custom) => {
            let xml = wire::oms::XmsUser {
                client: None,
                user_id: Some(user.to_string()),
                password: Some(password.to_string()),
                custom_data: custom.map(str::to_owned),
            }
            .to_xml();
            peer.call(Operation::GetUserInfo, v11, Some(&xml)).await
        }
        Probe::Deliver(data) => {
            peer.call(Operation::DeliverXms, v11, Some(&data().to_xml()))
                .await
        }
        Probe::DeliverText(text) => peer.call(Operation::DeliverXms, v11, Some(&text())).await,
        Probe::Send(data) => {
            peer.call(Operation::SendXms, v11, Some(&data().to_xml()))
                .await
        }
        Probe::Batch(package) => {
            peer.call(Operation::DeliverXmsBatch, v11, Some(&package()))
                .await
        }
        Probe::Raw(action, body) => {
            let headers = request_headers(v11, &format!("{OMS_NS}/{action}"));
            let envelope = wire::soap::write_envelope(v11, body);
            peer.caller
                .call_raw(Operation::GetServiceInfo, v11, headers, envelope)
                .await
        }
        Probe::BumpDeliver => {
            peer.server.bump_service_info();
            peer.call(Operation::DeliverXms, v11, Some(&sms(&["x"]).to_xml()))
                .await
        }
        Probe::Reply(kind) => {
            let sent = peer
                .server
                .emit_reply(ReplyRequest {
                    user: None,
                    phone: REPLY_PHONE.into(),
                    text: REPLY_TEXT.into(),
                    kind: *kind,
                })
                .await;
            let mail = match sent {
                Ok(_) => peer.wait_mail(1).await.into_iter().next(),
                Err(_) => None,
            };
            let mail = mail.and_then(|m| {
                let report = check_reply(&m.raw, &reply_expectation(*kind)).ok()?;
                Some((m, report))
            });
            return Obs { call: None, mail };
        }
    };
    Obs {
        call: Some(call),
        mail: None,
    }
}

fn with(edit: fn(&mut XmsData)) -> XmsData {
    let mut d = sms(&["hello"]);
    edit(&mut d);
    d
}

fn with_mms(edit: fn(&mut XmsData)) -> XmsData {
    let mut d = mms(true);
    edit(&mut d);
    d
}

fn to(d: &mut XmsData, recipients: &[&str]) {
    d.head.as_mut().unwrap().to = recipients.iter().map(|s| s.to_string()).collect();
}

fn batch_xml(ids: &[u32]) -> String {
    batch_of(ids.iter().map(|id| (*id, sms(&["x"]))).collect()).to_xml()
}

type Check = fn(&Obs) -> bool;

fn table() -> Vec<(&'static str, Probe, Check)> {
    use Probe::*;
    let si = ServiceInfo(SoapVersion::V11);
    vec![
        ("service-info-not-escaped", si.clone(), |o| o.has_finding(r::RESULT_NOT_ESCAPED_TEXT)),
        ("service-info-wrong-order", si.clone(), |o| o.si_rules().contains(&r::SCHEMA_ELEMENT_ORDER)),
        ("auth-type-capitalised", si.clone(), |o| {
            o.si_rules().contains(&r::SERVICE_INFO_AUTHENTICATION_TYPE)
                && o.payload().is_some_and(|p| p.contains(">Other<"))
        }),
        ("no-supported-service", si.clone(), |o| o.si_rules().contains(&r::SERVICE_INFO_SUPPORTED_SERVICE_EMPTY)),
        ("sms-sender-missing-limit", si.clone(), |o| {
            o.si_rules().contains(&r::SCHEMA_ATTRIBUTE_MISSING)
                && o.payload().is_some_and(|p| !p.contains("maxDbcsPerMessage=\"70\""))
        }),
        ("legacy-attribute-names", si.clone(), |o| {
            o.si_rules().contains(&r::SERVICE_INFO_ATTRIBUTE_LEGACY_NAME)
                && o.payload().is_some_and(|p| p.contains("maxSbccsPerMessage") && p.contains("maxDbccsPerMessage"))
        }),
        ("inconsistent-limits", si.clone(), |o| o.si_rules().contains(&r::SERVICE_INFO_LIMITS_DBCS_ABOVE_SBCS)),
        ("relative-service-uri", si.clone(), |o| o.service_info().is_some_and(|s| s.value.service_uri == "/oms")),
        ("tls-wrong-name", si.clone(), |o| matches!(o.transport(), Some(TransportError::Tls(_)))),
        ("soap11-answers-soap12", si.clone(), |o| {
            o.has_finding(r::SOAP_VERSION_MISMATCH)
                && o.call.as_ref().and_then(Call::response).is_some_and(|x| x.version == SoapVersion::V12)
        }),
        ("soap12-unsupported", ServiceInfo(SoapVersion::V12), |o| {
            o.fault_reason().as_deref() == Some("SOAP 1.2 not supported")
        }),
        ("malformed-fault", Raw("Frobnicate", "<Frobnicate xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"/>"), |o| {
            o.status() == Some(200) && o.unreadable()
        }),
        ("requires-default-prefix", Raw("GetServiceInfo", "<o:GetServiceInfo xmlns:o=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"/>"), |o| {
            o.fault_reason().is_some()
        }),
        ("rejects-utf16-declaration", DeliverText(|| {
            let xml = sms(&["x"]).to_xml();
            format!("<?xml version=\"1.0\" encoding=\"utf-16\"?>{}", xml.split_once("?>").unwrap().1)
        }), |o| o.first_is("invalidFormat")),
        ("user-info-no-error-element", UserInfo("alice", "alice-pw-1", None), |o| {
            o.user_info().is_some_and(|u| u.error.is_none() && u.smtp_address.is_some())
        }),
        ("user-info-lowercase-ok", UserInfo("alice", "alice-pw-1", None), |o| o.user_code().as_deref() == Some("ok")),
        ("user-info-mixed-case-ok", UserInfo("alice", "alice-pw-1", None), |o| o.user_code().as_deref() == Some("Ok")),
        ("accept-any-password", UserInfo("alice", "wrong", None), |o| o.user_code().as_deref() == Some("OK")),
        ("accept-no-credentials", Deliver(|| with(|d| d.user = None)), Obs::only_ok),
        ("unregistered-code-short", UserInfo("bob", "bob-pw-1", None), |o| o.user_code().as_deref() == Some("unregistered")),
        ("expired-as-ok", Deliver(|| sms_from("carol", &["x"])), Obs::only_ok),
        ("echo-custom-data", UserInfo("alice", "alice-pw-1", Some("echo-me")), |o| {
            o.user_info().and_then(|u| u.custom_data).as_deref() == Some("echo-me")
        }),
        ("custom-data-breaks-delivery", Deliver(|| with(|d| d.user.as_mut().unwrap().custom_data = Some("opaque".into()))), |o| o.first_is("invalidFormat")),
        ("ok-with-failure-severity", Deliver(|| sms(&["x"])), |o| {
            let e = o.first();
            e.code.as_deref() == Some("ok") && e.severity.as_deref() == Some("failure")
        }),
        ("ok-with-failure-severity-on-partial", Deliver(|| with(|d| to(d, &["13800000001", reference::INVALID_RECIPIENT]))), |o| {
            let errors = o.errors();
            errors.iter().any(|e| e.code.as_deref() == Some("invalidRecipient"))
                && errors.iter().any(|e| {
                    e.code.as_deref() == Some("ok")
                        && e.severity.as_deref() == Some("failure")
                        && e.recipient_list.as_deref() == Some("13800000001")
                })
        }),
        ("deliver-result-not-escaped", Deliver(|| sms(&["x"])), |o| o.has_finding(r::RESULT_NOT_ESCAPED_TEXT)),
        ("ignore-max-messages-per-send", Deliver(|| sms(&["x"; 21])), Obs::only_ok),
        ("ignore-max-recipients", Deliver(|| with(|d| d.head.as_mut().unwrap().to = many_recipients(51))), Obs::only_ok),
        ("ignore-length-limit", Deliver(|| sms(&[&"a".repeat(255 * 153 + 1)])), Obs::only_ok),
        ("dbcs-counted-as-bytes", Deliver(|| sms(&[&"\u{6f22}".repeat(255 * 67)])), |o| o.first_is("lengthLimit")),
        ("limit-off-by-one", Deliver(|| sms(&["x"; 20])), |o| o.first_is("other")),
        ("merges-parts-for-limit", Deliver(|| {
            let half = "a".repeat(255 * 153 / 2 + 1);
            sms(&[&half, &half])
        }), |o| o.first_is("lengthLimit")),
        ("ignore-size-limit", Deliver(|| with_mms(|d| d.body.contents[0].text = "x".repeat(30_001))), Obs::only_ok),
        ("ignore-slides-limit", Deliver(|| with_mms(|d| d.body.slides = Some(slides_for(11, "cid:")))), Obs::only_ok),
        ("ignore-batch-size", Batch(|| batch_xml(&(0..256).collect::<Vec<u32>>())), |o| {
            o.batch().is_some_and(|b| b.items.len() == 256 && b.items.iter().all(|i| i.errors[0].code.as_deref() == Some("ok")))
        }),
        ("length-limit-sb-db-swapped", Deliver(|| sms(&[&"a".repeat(255 * 153 + 1)])), |o| {
            o.first().content.as_deref() == Some("140;70")
        }),
        ("long-sms-rejected", Deliver(|| sms(&[&"a".repeat(141)])), |o| o.first_is("lengthLimit")),
        ("reject-mms-slides", Deliver(|| mms(true)), |o| o.first_is("invalidFormat")),
        ("reject-mms-without-slides", Deliver(|| mms(false)), |o| o.first_is("invalidFormat")),
        ("reject-amr", Deliver(|| with_mms(|d| d.body.contents.push(media(3, "audio/AMR", "a.amr", AMR_B64)))), |o| {
            o.first_is("invalidMedia") && o.first().content.as_deref() == Some("a.amr")
        }),
        ("accept-any-media", Deliver(|| with_mms(|d| d.body.contents.push(media(3, "video/mp4", "v.mp4", GIF_B64)))), Obs::only_ok),
        ("invalid-media-no-content", Deliver(|| with_mms(|d| d.body.contents.push(media(3, "video/mp4", "v.mp4", GIF_B64)))), |o| {
            o.first_is("invalidMedia") && o.first().content.is_none()
        }),
        ("invalid-recipient-no-list", Deliver(|| with(|d| to(d, &["13800000001", reference::INVALID_RECIPIENT]))), |o| {
            o.first_is("invalidRecipient") && o.first().recipient_list.is_none()
        }),
        ("accept-malformed-xms-data", DeliverText(|| "<xmsData".to_string()), Obs::only_ok),
        ("reject-scheduled-past", Deliver(|| with(|d| d.head.as_mut().unwrap().scheduled = Some("2005-04-20T14:20:00Z".into()))), |o| o.first_is("other")),
        ("scheduled-future-error", Deliver(|| with(|d| d.head.as_mut().unwrap().scheduled = Some("2099-04-20T14:20:00Z".into()))), |o| {
            o.first_is("other") && !o.codes().contains(&"noScheduled".to_string())
        }),
        ("sms-subject-counted", Deliver(|| {
            let mut d = sms(&[&"a".repeat(255 * 153)]);
            d.head.as_mut().unwrap().subject = Some("subject".into());
            d
        }), |o| o.first_is("lengthLimit")),
        ("meta-validated", Deliver(|| with_mms(|d| d.body.slides.as_mut().unwrap().head.as_mut().unwrap().meta.as_mut().unwrap().name = "generator".into())), |o| o.first_is("invalidFormat")),
        ("content-id-checked", Deliver(|| with(|d| {
            d.body.contents = vec![text_content(0, "a"), text_content(1, "b")];
            for c in &mut d.body.contents { c.content_id = "part".into(); }
        })), |o| o.first_is("invalidFormat")),
        ("reject-required-service", Deliver(|| with(|d| d.head.as_mut().unwrap().required_service = Some("SMS_SENDER".into()))), |o| o.first_is("invalidFormat")),
        ("failure-codes-neutral", Deliver(|| with(|d| d.user.as_mut().unwrap().password = Some("wrong".into()))), |o| {
            let e = o.first();
            e.code.as_deref() == Some("invalidUser") && e.severity.as_deref() == Some("neutral")
        }),
        ("unregistered-delivers", Deliver(|| sms_from("bob", &["x"])), Obs::only_ok),
        ("sms-only-sends-mms", Deliver(|| mms_from("dave", true)), Obs::only_ok),
        ("cross-carrier-ok", Deliver(|| with(|d| to(d, &[reference::CROSS_CARRIER_RECIPIENT]))), Obs::only_ok),
        ("blocked-text-ok", Deliver(|| sms(&["forbidden-word"])), Obs::only_ok),
        ("daily-limit-ignored", Deliver(|| sms_from("frank", &["x"])), Obs::only_ok),
        ("monthly-limit-ignored", Deliver(|| sms_from("grace", &["x"])), Obs::only_ok),
        ("network-failure-ok", Deliver(|| with(|d| to(d, &[reference::UNREACHABLE_RECIPIENT]))), Obs::only_ok),
        ("ceased-as-ok", Deliver(|| sms_from("heidi", &["x"])), Obs::only_ok),
        ("low-balance-silent", Deliver(|| sms_from("erin", &["x"])), Obs::only_ok),
        ("low-balance-bad-content", Deliver(|| sms_from("erin", &["x"])), |o| {
            o.errors().iter().any(|e| e.code.as_deref() == Some("lowBalance") && e.content.as_deref() == Some("0.20;0.10"))
        }),
        ("service-update-missing", BumpDeliver, |o| !o.codes().iter().any(|c| c.eq_ignore_ascii_case("serviceUpdate"))),
        ("service-update-bad-timestamp", BumpDeliver, |o| {
            o.errors().iter().any(|e| e.code.as_deref() == Some("serviceUpdate") && e.content.as_deref().is_some_and(|c| c.ends_with(":37Z")))
        }),
        ("service-update-failure-severity", BumpDeliver, |o| {
            o.errors().iter().any(|e| e.code.as_deref() == Some("serviceUpdate") && e.severity.as_deref() == Some("failure"))
        }),
        ("service-update-lowercase", BumpDeliver, |o| o.codes().contains(&"serviceupdate".to_string())),
        ("send-xms-missing", Send(|| sms(&["x"])), |o| o.fault_reason().is_some_and(|r| r.contains("SendXms"))),
        ("batch-renumber-ids", Batch(|| batch_xml(&[5, 9])), |o| o.batch_ids() == [0, 1]),
        ("batch-error-spreads", Batch(|| {
            let mut bad = sms(&["x"]);
            bad.user.as_mut().unwrap().password = Some("wrong".into());
            batch_of(vec![(1, sms(&["x"])), (2, bad)]).to_xml()
        }), |o| {
            o.batch().is_some_and(|b| b.items[0].errors[0].code.as_deref() == Some("invalidUser"))
        }),
        ("batch-size-zero-accepts", si.clone(), |o| o.service_info().is_some_and(|s| s.value.batch_size == Some(0))),
        ("batch-duplicate-crash", Batch(|| batch_xml(&[4, 4])), |o| o.status() == Some(500) && o.unreadable()),
        ("batch-drop-last", Batch(|| batch_xml(&[1, 2])), |o| o.batch_ids() == [1]),
        ("over-batch-drops-last", Batch(|| batch_xml(&(0..256).collect::<Vec<u32>>())), |o| {
            o.batch_ids() == (0..255).collect::<Vec<u32>>()
        }),
        ("reply-wrong-content-class", Reply(ReplyKind::Sms), |o| o.mail_has(rule::CONTENT_CLASS)),
        ("reply-no-reply-to-mobile", Reply(ReplyKind::Sms), |o| o.mail_has(rule::REPLY_TO_MOBILE_MISSING)),
        ("reply-subject-whole-text", Reply(ReplyKind::Sms), |o| o.mail_has(rule::SUBJECT_TEXT)),
        ("reply-text-base64", Reply(ReplyKind::Sms), |o| o.mail_has(rule::TEXT_NOT_QUOTED_PRINTABLE)),
        ("reply-no-charset", Reply(ReplyKind::Sms), |o| o.mail_has(rule::TEXT_CHARSET_MISSING)),
        ("reply-shared-from", Reply(ReplyKind::Sms), |o| {
            o.mail.as_ref().is_some_and(|(_, rep)| {
                rep.decoded.from.len() == 1 && !rep.decoded.from[0].starts_with(REPLY_PHONE)
            })
        }),
        ("reply-smil-last", Reply(ReplyKind::Mms), |o| o.mail_has(rule::MMS_SMIL_NOT_FIRST)),
        ("reply-mms-nosmil-related", Reply(ReplyKind::MmsNoSmil), |o| o.mail_has(rule::MMS_NOT_MIXED)),
        ("reply-mms-subject-lost", Reply(ReplyKind::Mms), |o| o.mail_has(rule::SUBJECT_MMS)),
        ("reply-wrong-to", Reply(ReplyKind::Sms), |o| {
            o.mail_has(rule::TO) && o.mail.as_ref().is_some_and(|(m, _)| m.item.rcpt_to == [WRONG_TO])
        }),
        ("hang", si.clone(), |o| matches!(o.transport(), Some(TransportError::Timeout { .. }))),
        ("reset", si.clone(), |o| matches!(o.transport(), Some(TransportError::Reset(_)))),
        ("garbage", si.clone(), |o| o.status() == Some(200) && o.unreadable()),
        ("huge-body", si.clone(), |o| matches!(o.transport(), Some(TransportError::TooLarge { .. }))),
        ("xml-bomb", si, |o| o.status() == Some(200) && o.unreadable() && o.body().contains("<!ENTITY")),
    ]
}

/// A peer whose client gives up after a few seconds, so `hang` is observed as a timeout.
async fn peer(faults: &[&str]) -> Peer {
    let mut p = Peer::start_tls(faults).await;
    let mut http = p.caller.http.clone();
    http.response_timeout = Duration::from_secs(3);
    p.caller = OmsCaller::new(http, p.server.url());
    p
}

#[test]
fn every_fault_has_a_probe() {
    let probed: BTreeSet<&str> = table().iter().map(|(name, _, _)| *name).collect();
    let all: BTreeSet<&str> = FAULTS.iter().map(|f| f.name).collect();
    assert_eq!(probed, all);
    assert_eq!(table().len(), FAULTS.len(), "a fault is probed twice");
}

#[tokio::test]
async fn every_fault_changes_what_a_client_observes() {
    let checks = table()
        .into_iter()
        .map(|(fault, probe, broken)| async move {
            let reference = peer(&[]).await;
            let faulty = peer(&[fault]).await;
            let before = run(&reference, &probe).await;
            let after = run(&faulty, &probe).await;
            let mut problems = Vec::new();
            if broken(&before) {
                problems.push(format!(
                    "{fault}: the reference already shows the deviation: {}",
                    before.describe()
                ));
            }
            if !broken(&after) {
                problems.push(format!(
                    "{fault}: deviation not observed: {}",
                    after.describe()
                ));
            }
            problems
        });
    let problems: Vec<String> = futures::future::join_all(checks)
        .await
        .into_iter()
        .flatten()
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn unknown_fault_names_are_refused() {
    let err = Faults::parse(&["hang".to_string(), "hnag".to_string()]).unwrap_err();
    assert!(err.contains("`hnag`"), "{err}");
    for f in FAULTS {
        assert!(err.contains(f.name), "{} missing from {err}", f.name);
    }
}

#[test]
fn every_fault_parses_alone() {
    for fault in FAULTS {
        let f = Faults::parse(&[fault.name.to_string()]).unwrap();
        assert!(f.has(fault.name));
        assert_eq!(f.names(), [fault.name]);
        assert!(!fault.description.is_empty());
    }
}
