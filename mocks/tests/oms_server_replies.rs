//! Phone replies from the reference server (MS-OMS 2.2.2.1, 3.1.4.5) into an SMTP sink,
//! judged by the reply checker, and the JSON control endpoint.

mod oms_server_support;

use oms_server_support::*;
use oxconf_mocks::oms::server::{
    mms_subject_of, reference, Faults, MockOmsServer, ReplyKind, ReplyRequest, ServerConfig,
    StartOptions, REPLY_PATH, SERVICE_UPDATE_PATH,
};
use oxconf_mocks::record::Arrival;
use oxconf_mocks::smtp::ReceivedMail;
use rstest::rstest;
use wire::mail::{check_reply, ExpectedReply, ReplyExpectation, ReplyReport};

const PHONE: &str = reference::RECIPIENTS[0];

pub fn expectation(kind: ReplyKind, text: &str, phone: &str) -> ReplyExpectation {
    let media_types = vec!["image/gif".to_string(), "text/plain".to_string()];
    ReplyExpectation {
        to: reference::REPLY_ADDRESS.to_string(),
        phone: Some(format!("+{}", phone.trim_start_matches('+'))),
        kind: match kind {
            ReplyKind::Sms => ExpectedReply::Text { text: text.into() },
            ReplyKind::Mms => ExpectedReply::Mms {
                subject: mms_subject_of(text),
                smil: true,
                media_types,
            },
            ReplyKind::MmsNoSmil => ExpectedReply::Mms {
                subject: mms_subject_of(text),
                smil: false,
                media_types,
            },
        },
    }
}

fn report(mail: &Arrival<ReceivedMail>, kind: ReplyKind, text: &str, phone: &str) -> ReplyReport {
    check_reply(&mail.raw, &expectation(kind, text, phone)).expect("readable mail")
}

fn request(kind: ReplyKind, text: &str, phone: &str) -> ReplyRequest {
    ReplyRequest {
        user: None,
        phone: phone.into(),
        text: text.into(),
        kind,
    }
}

#[rstest]
#[case::sms(ReplyKind::Sms, "Thanks, see you at 8!")]
#[case::sms_multi_line(ReplyKind::Sms, "First line\nsecond line with more words")]
#[case::sms_long_chinese(ReplyKind::Sms, &"\u{4f60}\u{597d}".repeat(30))]
#[case::mms(ReplyKind::Mms, "Holiday pictures")]
#[case::mms_without_smil(ReplyKind::MmsNoSmil, "Holiday pictures")]
#[case::mms_multi_line(ReplyKind::Mms, "Pictures\nfrom the beach")]
#[tokio::test]
async fn reference_replies_are_clean(#[case] kind: ReplyKind, #[case] text: &str) {
    let peer = Peer::start(&[]).await;
    let dialogue = peer
        .server
        .emit_reply(request(kind, text, PHONE))
        .await
        .expect("sent");
    assert!(dialogue.contains("DATA"), "{dialogue}");
    let mails = peer.wait_mail(1).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.item.rcpt_to, [reference::REPLY_ADDRESS]);
    assert_eq!(
        mail.item.mail_from,
        format!("{PHONE}@{}", reference::REPLY_FROM_DOMAIN)
    );
    let r = report(mail, kind, text, PHONE);
    assert_eq!(r.findings, vec![], "{}", mail.text_lossy());
    assert_eq!(r.decoded.to, [reference::REPLY_ADDRESS]);
    assert_eq!(r.decoded.reply_to_mobile.as_deref(), Some("+13800000001"));
    if kind == ReplyKind::Sms {
        // Mail text travels with CRLF line ends and a final line break.
        let decoded = r
            .decoded
            .text
            .clone()
            .unwrap_or_default()
            .replace("\r\n", "\n");
        assert_eq!(decoded.trim_end_matches('\n'), text);
    }
}

#[tokio::test]
async fn each_phone_has_its_own_from_address() {
    let peer = Peer::start(&[]).await;
    for phone in [reference::RECIPIENTS[0], "+8613800000002"] {
        peer.server
            .emit_reply(request(ReplyKind::Sms, "hi", phone))
            .await
            .expect("sent");
    }
    let mails = peer.wait_mail(2).await;
    let froms: Vec<Vec<String>> = mails
        .iter()
        .map(|m| report(m, ReplyKind::Sms, "hi", PHONE).decoded.from)
        .collect();
    assert_eq!(
        froms,
        [
            vec!["13800000001@reply.oxconf.test".to_string()],
            vec!["8613800000002@reply.oxconf.test".to_string()],
        ]
    );
    let second = report(&mails[1], ReplyKind::Sms, "hi", "+8613800000002");
    assert_eq!(
        second.decoded.reply_to_mobile.as_deref(),
        Some("+8613800000002")
    );
}

#[tokio::test]
async fn replies_go_to_the_named_user() {
    let peer = Peer::start(&[]).await;
    let sink = oxconf_mocks::smtp::SmtpSink::start(oxconf_mocks::smtp::SinkConfig::new(vec![
        "dave@mail.oxconf.test".to_string(),
    ]))
    .await
    .unwrap();
    peer.server.set_smtp_relay(sink.local_addr());
    peer.server
        .emit_reply(ReplyRequest {
            user: Some(reference::SMS_ONLY_USER.into()),
            ..request(ReplyKind::Sms, "for dave", PHONE)
        })
        .await
        .expect("sent");
    let mails = sink.wait_for(1, std::time::Duration::from_secs(10)).await;
    assert_eq!(mails[0].item.rcpt_to, ["dave@mail.oxconf.test"]);
    assert!(peer.sink.received().is_empty());
}

#[rstest]
#[case::unknown_user(Some("mallory"), "13800000001")]
#[case::not_a_phone(None, "")]
#[case::address_as_phone(None, "a@b")]
#[tokio::test]
async fn bad_reply_requests_are_errors(#[case] user: Option<&str>, #[case] phone: &str) {
    let peer = Peer::start(&[]).await;
    let err = peer
        .server
        .emit_reply(ReplyRequest {
            user: user.map(str::to_owned),
            ..request(ReplyKind::Sms, "x", phone)
        })
        .await
        .unwrap_err();
    assert!(!err.is_empty());
    assert!(peer.sink.received().is_empty());
}

#[tokio::test]
async fn no_relay_no_reply() {
    let server = MockOmsServer::start(
        ServerConfig::reference(),
        Faults::none(),
        StartOptions::default(),
    )
    .await
    .unwrap();
    let err = server
        .emit_reply(request(ReplyKind::Sms, "x", PHONE))
        .await
        .unwrap_err();
    assert!(err.contains("relay"), "{err}");
}

#[tokio::test]
async fn control_endpoint_sends_replies() {
    let peer = Peer::start(&[]).await;
    let (status, body) = peer
        .control(
            REPLY_PATH,
            r#"{"recipient": "13800000002", "text": "via control", "kind": "mms"}"#,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["sent"], true);
    let mails = peer.wait_mail(1).await;
    let r = report(&mails[0], ReplyKind::Mms, "via control", "13800000002");
    assert_eq!(r.findings, vec![]);
}

#[tokio::test]
async fn control_reply_defaults_to_sms_and_takes_a_user() {
    let peer = Peer::start(&[]).await;
    let (status, _) = peer
        .control(
            REPLY_PATH,
            r#"{"recipient": "13800000002", "text": "plain", "user": "alice"}"#,
        )
        .await;
    assert_eq!(status, 200);
    let mails = peer.wait_mail(1).await;
    assert_eq!(
        report(&mails[0], ReplyKind::Sms, "plain", "13800000002").findings,
        vec![]
    );
}

#[rstest]
#[case::not_json("nope", 400)]
#[case::missing_text(r#"{"recipient": "13800000002"}"#, 400)]
#[case::unknown_kind(r#"{"recipient": "1", "text": "x", "kind": "fax"}"#, 400)]
#[case::unknown_user(r#"{"recipient": "13800000002", "text": "x", "user": "mallory"}"#, 502)]
#[tokio::test]
async fn control_reply_errors(#[case] json: &str, #[case] status: u16) {
    let peer = Peer::start(&[]).await;
    let (got, body) = peer.control(REPLY_PATH, json).await;
    assert_eq!(got, status, "{body}");
    let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(parsed["sent"], false);
    assert!(parsed["error"].as_str().is_some_and(|e| !e.is_empty()));
}

#[tokio::test]
async fn control_reply_without_a_reachable_relay_is_502() {
    let peer = Peer::start(&[]).await;
    // A port nobody listens on: bind, read the port, release it.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    peer.server.set_smtp_relay(addr);
    let (status, body) = peer
        .control(REPLY_PATH, r#"{"recipient": "13800000002", "text": "x"}"#)
        .await;
    assert_eq!(status, 502, "{body}");
}

#[tokio::test]
async fn control_service_update_marks_deliveries() {
    let peer = Peer::start(&[]).await;
    let (status, body) = peer.control(SERVICE_UPDATE_PATH, "").await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let stamp = json["serviceUpdate"].as_str().unwrap().to_string();
    let r = peer.deliver(&sms(&["x"])).await;
    assert_eq!(code_names(&r), ["ok", "serviceUpdate"]);
    assert_eq!(r.errors[1].content.as_deref(), Some(stamp.as_str()));
}
