//! The reference MS-OMS server over real HTTP(S) on loopback: every operation, every error
//! code path of the reference behaviour, both SOAP versions, and a clean pairing on every
//! response (the helpers assert it).

mod oms_server_support;

use oms_server_support::*;
use oxconf_mocks::net::Request;
use oxconf_mocks::oms::server::{reference, ServerConfig, MAX_REQUEST_BODY};
use rstest::rstest;
use wire::oms::{Operation, ResponseBody};
use wire::soap::{request_headers, FaultCode, SoapVersion};

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[rstest]
#[tokio::test]
async fn service_info_in_both_versions(
    #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
) {
    let peer = Peer::start(&[]).await;
    let info = peer.service_info(version).await;
    assert_eq!(info.service_uri, peer.server.url());
    assert!(info.service_uri.ends_with("/oms"));
    assert_eq!(info.service_provider, reference::SERVICE_PROVIDER);
    assert_eq!(info.batch_size, Some(255));
    assert_eq!(info.consistency_findings(), vec![]);
    let mut expected = reference::service_info();
    expected.service_uri = peer.server.url();
    assert_eq!(info, expected);
}

#[tokio::test]
async fn https_serves_an_https_service_uri() {
    let peer = Peer::start_tls(&[]).await;
    assert!(peer.server.url().starts_with("https://127.0.0.1:"));
    assert!(peer
        .server
        .ca_pem()
        .is_some_and(|p| p.contains("BEGIN CERTIFICATE")));
    let info = peer.service_info(SoapVersion::V11).await;
    assert_eq!(info.service_uri, peer.server.url());
    let response = peer.deliver(&sms(&["over TLS"])).await;
    assert_eq!(code_names(&response), ["ok"]);
}

#[tokio::test]
async fn plain_http_has_no_ca() {
    let peer = Peer::start(&[]).await;
    assert!(peer.server.ca_pem().is_none());
    assert!(peer.server.url().starts_with("http://127.0.0.1:"));
}

#[rstest]
#[case::ok(Some("alice"), Some("alice-pw-1"), "OK", "neutral")]
#[case::wrong_password(Some("alice"), Some("nope"), "invalidUser", "failure")]
#[case::no_password(Some("alice"), None, "invalidUser", "failure")]
#[case::unknown(Some("mallory"), Some("mallory-pw-1"), "invalidUser", "failure")]
#[case::no_user(None, None, "invalidUser", "failure")]
#[case::unregistered(Some("bob"), Some("bob-pw-1"), "unregisteredUser", "failure")]
#[case::expired(Some("carol"), Some("carol-pw-1"), "expiredUser", "failure")]
#[case::ceased(Some("heidi"), Some("heidi-pw-1"), "ceasedService", "failure")]
#[case::sms_only(Some("dave"), Some("dave-pw-1"), "OK", "neutral")]
#[tokio::test]
async fn get_user_info(
    #[case] user: Option<&str>,
    #[case] password: Option<&str>,
    #[case] code: &str,
    #[case] severity: &str,
    #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
) {
    let peer = Peer::start(&[]).await;
    let info = peer.user_info(version, user, password, Some("")).await;
    let error = info.error.expect("error element");
    assert_eq!(error.code.as_deref(), Some(code));
    assert_eq!(error.severity.as_deref(), Some(severity));
    assert_eq!(info.custom_data, None);
    if code == "OK" {
        let record = ServerConfig::reference();
        let record = record.user(user.unwrap_or_default()).unwrap();
        assert_eq!(
            info.reply_phone.as_deref(),
            Some(record.reply_phone.as_str())
        );
        assert_eq!(
            info.smtp_address.as_deref(),
            Some(record.smtp_address.as_str())
        );
    } else {
        assert_eq!(info.reply_phone, None);
        assert_eq!(info.smtp_address, None);
    }
}

#[tokio::test]
async fn get_user_info_ignores_custom_data_and_reads_alice() {
    let peer = Peer::start(&[]).await;
    let info = peer
        .user_info(
            SoapVersion::V11,
            Some(reference::USER),
            Some(reference::PASSWORD),
            Some("<&> anything"),
        )
        .await;
    assert_eq!(info.reply_phone.as_deref(), Some(reference::REPLY_PHONE));
    assert_eq!(info.smtp_address.as_deref(), Some(reference::REPLY_ADDRESS));
    assert_eq!(info.custom_data, None);
}

#[rstest]
#[case::not_xml("<xmsUser")]
#[case::wrong_root("<userInfo xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"/>")]
#[tokio::test]
async fn unreadable_xms_user_is_invalid_user(#[case] payload: &str) {
    let peer = Peer::start(&[]).await;
    let call = peer
        .call(Operation::GetUserInfo, SoapVersion::V11, Some(payload))
        .await;
    let doc = clean_result(&call, SoapVersion::V11);
    let info = wire::oms::UserInfo::parse(&doc).unwrap().value;
    assert_eq!(info.error.unwrap().code.as_deref(), Some("invalidUser"));
}

#[rstest]
#[tokio::test]
async fn deliver_and_send_xms_answer_ok(
    #[values(Operation::DeliverXms, Operation::SendXms)] op: Operation,
    #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
) {
    let peer = Peer::start(&[]).await;
    let r = peer
        .deliver_text(op, version, &sms(&["hello \u{4f60}\u{597d}"]).to_xml())
        .await;
    assert_eq!(codes(&r), [("ok".to_string(), "neutral".to_string())]);
    assert_eq!(r.errors[0].content, None);
    assert_eq!(r.errors[0].recipient_list, None);
}

fn with_user(mut d: wire::oms::XmsData, name: &str) -> wire::oms::XmsData {
    d.user = Some(user(name));
    d
}

fn edited(edit: impl Fn(&mut wire::oms::XmsData)) -> wire::oms::XmsData {
    let mut d = sms(&["hello"]);
    edit(&mut d);
    d
}

fn edited_mms(edit: impl Fn(&mut wire::oms::XmsData)) -> wire::oms::XmsData {
    let mut d = mms(true);
    edit(&mut d);
    d
}

/// One failure code alone, with an expected content.
#[rstest]
// step 1: payload format
#[case::format(edited(|d| d.body.format = "TXT".into()), "invalidFormat", None)]
#[case::lower_case_format(edited(|d| d.body.format = "sms".into()), "invalidFormat", None)]
#[case::no_content(edited(|d| d.body.contents.clear()), "invalidFormat", None)]
#[case::no_head(edited(|d| d.head = None), "invalidFormat", None)]
#[case::no_recipient(edited(|d| d.head.as_mut().unwrap().to.clear()), "invalidFormat", None)]
#[case::required_service_with_space(edited(|d| d.head.as_mut().unwrap().required_service = Some("SMS SENDER".into())), "invalidFormat", None)]
// step 2: credentials
#[case::no_user(edited(|d| d.user = None), "invalidUser", None)]
#[case::wrong_password(edited(|d| d.user.as_mut().unwrap().password = Some("x".into())), "invalidUser", None)]
#[case::unknown_user(with_user(sms(&["x"]), "mallory"), "invalidUser", None)]
#[case::unregistered(with_user(sms(&["x"]), "bob"), "unregisteredUser", None)]
#[case::expired(with_user(sms(&["x"]), "carol"), "expiredUser", None)]
#[case::ceased(with_user(sms(&["x"]), "heidi"), "ceasedService", None)]
// step 3: service
#[case::sms_only_user_sends_mms(mms_from("dave", true), "unregisteredService", Some("MMS"))]
// step 4: recipient count
#[case::too_many_sms_recipients(edited(|d| d.head.as_mut().unwrap().to = many_recipients(51)), "other", Some("51 recipients exceed the limit of 50 recipients per message"))]
#[case::too_many_mms_recipients(edited_mms(|d| d.head.as_mut().unwrap().to = many_recipients(101)), "other", Some("101 recipients exceed the limit of 100 recipients per message"))]
// step 5: text messages
#[case::too_many_parts(sms(&["x"; 21]), "other", Some("21 text messages exceed the limit of 20 per send"))]
#[case::image_in_sms(edited(|d| d.body.contents[0].content_type = "image/gif".into()), "invalidFormat", None)]
#[case::too_long(sms(&[&"a".repeat(255 * 153 + 1)]), "lengthLimit", Some("70;140"))]
#[case::too_long_double_byte(sms(&[&"\u{4f60}".repeat(255 * 67 + 1)]), "lengthLimit", Some("70;140"))]
#[case::blocked_word(sms(&["a FORBIDDEN-word"]), "invalidChar", None)]
// step 6: multimedia messages
#[case::unresolved_src(edited_mms(|d| d.body.slides = Some(slides_for(1, "cid:missing-"))), "invalidFormat", None)]
#[case::unsupported_media(edited_mms(|d| d.body.contents.push(media(3, "video/mp4", "clip.mp4", GIF_B64))), "invalidMedia", Some("clip.mp4"))]
#[case::two_bad_media(edited_mms(|d| { d.body.contents.push(media(3, "video/mp4", "clip.mp4", GIF_B64)); d.body.contents.push(media(4, "image/gif", "broken.gif", "**not base64**")); }), "invalidMedia", Some("clip.mp4;broken.gif"))]
#[case::too_many_slides(edited_mms(|d| d.body.slides = Some(slides_for(11, "cid:"))), "slidesLimit", Some("10"))]
#[case::too_big(edited_mms(|d| d.body.contents[0].text = "x".repeat(30_000)), "sizeLimit", Some("30000"))]
#[case::blocked_mms_subject(edited_mms(|d| d.head.as_mut().unwrap().subject = Some("forbidden-word".into())), "invalidChar", None)]
#[tokio::test]
async fn single_failures(
    #[case] data: wire::oms::XmsData,
    #[case] code: &str,
    #[case] content: Option<&str>,
) {
    let peer = Peer::start(&[]).await;
    let r = peer.deliver(&data).await;
    assert_eq!(codes(&r), [(code.to_string(), "failure".to_string())]);
    assert_eq!(r.errors[0].content.as_deref(), content);
    assert_eq!(r.errors[0].recipient_list, None);
}

/// Tolerated deviations and ignored fields: the message goes out.
#[rstest]
#[case::sms_only_user_sends_sms(with_user(sms(&["x"]), "dave"))]
#[case::required_service(edited(|d| d.head.as_mut().unwrap().required_service = Some("SMS_SENDER".into())))]
#[case::long_sms(sms(&[&"a".repeat(255 * 153)]))]
#[case::long_double_byte(sms(&[&"\u{4f60}".repeat(255 * 67)]))]
#[case::twenty_parts(sms(&["x"; 20]))]
#[case::fifty_recipients(edited(|d| d.head.as_mut().unwrap().to = many_recipients(50)))]
#[case::sms_subject_ignored(edited(|d| d.head.as_mut().unwrap().subject = Some(format!("forbidden-word {}", "s".repeat(500)))))]
#[case::sms_content_ids_ignored(edited(|d| { d.body.contents = vec![text_content(0, "a"), text_content(0, "b")]; d.body.contents[1].content_id = String::new(); }))]
#[case::custom_data_ignored(edited(|d| d.user.as_mut().unwrap().custom_data = Some("<opaque/>".into())))]
#[case::reply_phone_ignored(edited(|d| d.user.as_mut().unwrap().reply_phone = Some("not a phone".into())))]
#[case::mms_pages(mms(false))]
#[case::mms_slides(mms(true))]
#[case::mms_bare_src(edited_mms(|d| d.body.slides = Some(slides_for(1, ""))))]
#[case::mms_ten_slides(edited_mms(|d| d.body.slides = Some(slides_for(10, "cid:"))))]
#[case::mms_meta_ignored(edited_mms(|d| d.body.slides.as_mut().unwrap().head.as_mut().unwrap().meta.as_mut().unwrap().name = "producer".into()))]
#[case::mms_eight_digit_colour(edited_mms(|d| d.body.slides.as_mut().unwrap().head.as_mut().unwrap().layout.root.background_color = "#ffffffff".into()))]
#[case::mms_region_without_fit(edited_mms(|d| d.body.slides.as_mut().unwrap().head.as_mut().unwrap().layout.regions[0].fit = None))]
#[case::mms_without_subject(edited_mms(|d| d.head.as_mut().unwrap().subject = None))]
#[case::mms_amr_and_jpeg(edited_mms(|d| { d.body.contents.push(media(3, "audio/AMR", "a.amr", AMR_B64)); d.body.contents.push(media(4, "IMAGE/JPEG", "b.jpg", GIF_B64)); }))]
#[case::mms_page_content_ids_ignored(edited_mms(|d| { d.body.slides = None; for c in &mut d.body.contents { c.content_id = "same".into(); } }))]
#[case::mms_at_size_limit(edited_mms(|d| d.body.contents[0].text = "x".repeat(30_000 - 42 - 14)))]
#[case::past_schedule(edited(|d| d.head.as_mut().unwrap().scheduled = Some("2005-04-20T14:20:00Z".into())))]
#[tokio::test]
async fn accepted(#[case] data: wire::oms::XmsData) {
    let peer = Peer::start(&[]).await;
    let r = peer.deliver(&data).await;
    assert_eq!(codes(&r), [("ok".to_string(), "neutral".to_string())]);
}

#[rstest]
#[case::utf16_declaration("<?xml version=\"1.0\" encoding=\"utf-16\"?>")]
#[case::no_declaration("")]
#[tokio::test]
async fn embedded_declarations_are_ignored(#[case] decl: &str) {
    let peer = Peer::start(&[]).await;
    let xml = sms(&["x"]).to_xml();
    let body = xml.split_once("?>").unwrap().1;
    let r = peer
        .deliver_text(
            Operation::DeliverXms,
            SoapVersion::V11,
            &format!("{decl}{body}"),
        )
        .await;
    assert_eq!(code_names(&r), ["ok"]);
}

#[rstest]
#[case::not_xml("<xmsData")]
#[case::wrong_root("<xmsResponse xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"/>")]
#[case::empty("")]
#[case::no_body("<xmsData xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><xmsHead><to><recipient>13800000001</recipient></to></xmsHead></xmsData>")]
#[tokio::test]
async fn unreadable_xms_data_is_invalid_format(#[case] payload: &str) {
    let peer = Peer::start(&[]).await;
    let r = peer
        .deliver_text(Operation::DeliverXms, SoapVersion::V11, payload)
        .await;
    assert_eq!(codes(&r), [("invalidFormat".into(), "failure".into())]);
}

#[tokio::test]
async fn missing_xms_data_parameter_is_invalid_format() {
    let peer = Peer::start(&[]).await;
    let call = peer
        .call(Operation::DeliverXms, SoapVersion::V11, None)
        .await;
    let doc = clean_result(&call, SoapVersion::V11);
    let r = wire::oms::XmsResponse::parse(&doc).unwrap().value;
    assert_eq!(code_names(&r), ["invalidFormat"]);
}

/// Each failing recipient kind once, with exactly its recipients (OMS-R035); the valid ones
/// are delivered and no "ok" is sent.
#[tokio::test]
async fn recipient_failures_list_exactly_the_affected() {
    let peer = Peer::start(&[]).await;
    let d = edited(|d| {
        d.head.as_mut().unwrap().to = [
            "13800000001",
            reference::INVALID_RECIPIENT,
            "12ab",
            reference::CROSS_CARRIER_RECIPIENT,
            reference::UNREACHABLE_RECIPIENT,
            reference::INVALID_RECIPIENT,
            "18800000002",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    });
    let r = peer.deliver(&d).await;
    let got: Vec<(String, Option<String>)> = r
        .errors
        .iter()
        .map(|e| (e.code.clone().unwrap(), e.recipient_list.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "invalidRecipient".to_string(),
                Some("99912345;12ab".to_string())
            ),
            ("crossCarrier".to_string(), Some("17000000001".to_string())),
            (
                "serviceNetwork".to_string(),
                Some("18800000001;18800000002".to_string())
            ),
        ]
    );
    assert!(r
        .errors
        .iter()
        .all(|e| e.severity.as_deref() == Some("failure")));
}

#[rstest]
#[case::invalid(reference::INVALID_RECIPIENT, "invalidRecipient")]
#[case::cross_carrier(reference::CROSS_CARRIER_RECIPIENT, "crossCarrier")]
#[case::unreachable(reference::UNREACHABLE_RECIPIENT, "serviceNetwork")]
#[tokio::test]
async fn one_bad_recipient_among_good(#[case] bad: &str, #[case] code: &str) {
    let peer = Peer::start(&[]).await;
    let d = edited(|d| d.head.as_mut().unwrap().to = vec!["13800000001".into(), bad.into()]);
    let r = peer.deliver(&d).await;
    assert_eq!(codes(&r), [(code.to_string(), "failure".to_string())]);
    assert_eq!(r.errors[0].recipients(), Some(vec![bad.to_string()]));
}

#[rstest]
#[case::daily_sms(sms_from(reference::DAY_LIMITED_USER, &["x"]), "perDayMsgLimit", "0 SMS")]
#[case::daily_mms(mms_from(reference::DAY_LIMITED_USER, true), "perDayMsgLimit", "0 MMS")]
#[case::monthly_sms(sms_from(reference::MONTH_LIMITED_USER, &["x"]), "perMonthMsgLimit", "0 SMS")]
#[case::monthly_mms(
    mms_from(reference::MONTH_LIMITED_USER, false),
    "perMonthMsgLimit",
    "0 MMS"
)]
#[tokio::test]
async fn quotas_list_the_unsent_recipients(
    #[case] data: wire::oms::XmsData,
    #[case] code: &str,
    #[case] content: &str,
) {
    let peer = Peer::start(&[]).await;
    let r = peer.deliver(&data).await;
    assert_eq!(codes(&r), [(code.to_string(), "failure".to_string())]);
    assert_eq!(r.errors[0].content.as_deref(), Some(content));
    assert_eq!(
        r.errors[0].recipients(),
        Some(
            reference::RECIPIENTS
                .iter()
                .map(|s| s.to_string())
                .collect()
        )
    );
}

#[tokio::test]
async fn future_schedule_is_sent_now_with_no_scheduled() {
    let peer = Peer::start(&[]).await;
    let d = edited(|d| d.head.as_mut().unwrap().scheduled = Some("2099-01-01T00:00:00Z".into()));
    let r = peer.deliver(&d).await;
    assert_eq!(
        codes(&r),
        [
            ("ok".to_string(), "neutral".to_string()),
            ("noScheduled".to_string(), "neutral".to_string())
        ]
    );
}

#[tokio::test]
async fn low_balance_accompanies_the_delivery() {
    let peer = Peer::start(&[]).await;
    let mut d = sms_from(reference::LOW_BALANCE_USER, &["x"]);
    d.head.as_mut().unwrap().to = vec!["13800000001".into(), reference::INVALID_RECIPIENT.into()];
    let r = peer.deliver(&d).await;
    let got: Vec<_> = r
        .errors
        .iter()
        .map(|e| {
            (
                e.code.clone().unwrap(),
                e.severity.clone().unwrap(),
                e.content.clone(),
                e.recipient_list.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "invalidRecipient".to_string(),
                "failure".to_string(),
                None,
                Some("99912345".to_string())
            ),
            (
                "lowBalance".to_string(),
                "neutral".to_string(),
                Some("$0.20;$0.10".to_string()),
                Some("13800000001".to_string())
            ),
        ]
    );
    let all = peer
        .deliver(&sms_from(reference::LOW_BALANCE_USER, &["x"]))
        .await;
    assert_eq!(code_names(&all), ["ok", "lowBalance"]);
}

#[tokio::test]
async fn service_update_after_a_change() {
    let peer = Peer::start(&[]).await;
    let before = peer.deliver(&sms(&["x"])).await;
    assert_eq!(code_names(&before), ["ok"]);
    peer.server.bump_service_info();
    let after = peer.deliver(&sms(&["x"])).await;
    assert_eq!(code_names(&after), ["ok", "serviceUpdate"]);
    let update = &after.errors[1];
    assert_eq!(update.severity.as_deref(), Some("neutral"));
    let stamp = update.content.clone().unwrap();
    assert!(wire::oms::schedule::is_minute_precision(&stamp), "{stamp}");
    let failed = peer.deliver(&with_user(sms(&["x"]), "bob")).await;
    assert_eq!(code_names(&failed), ["unregisteredUser", "serviceUpdate"]);
    // The service information itself stays valid and unchanged.
    let info = peer.service_info(SoapVersion::V11).await;
    assert_eq!(info.batch_size, Some(255));
}

#[rstest]
#[case::v11(SoapVersion::V11, "Client", 500)]
#[case::v12(SoapVersion::V12, "Sender", 400)]
#[tokio::test]
async fn unknown_operation_is_a_fault_in_the_request_version(
    #[case] version: SoapVersion,
    #[case] code: &str,
    #[case] status: u16,
) {
    let peer = Peer::start(&[]).await;
    let body = wire::soap::write_envelope(
        version,
        "<Frobnicate xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"/>",
    );
    let headers = request_headers(
        version,
        "http://schemas.microsoft.com/office/Outlook/2006/OMS/Frobnicate",
    );
    let call = peer
        .caller
        .call_raw(Operation::GetServiceInfo, version, headers, body)
        .await;
    assert_eq!(call.status(), Some(status));
    let response = call.response().expect("a readable fault");
    assert_eq!(response.version, version);
    assert_eq!(response.findings, vec![]);
    let fault = call.fault().expect("a fault");
    assert_eq!(fault.code, code);
    assert_eq!(fault.code_kind(), Some(FaultCode::Client));
    assert!(fault.reason.contains("Frobnicate"), "{}", fault.reason);
}

#[rstest]
#[case::not_xml(pairs(&[("Content-Type", "text/xml; charset=utf-8")]), "this is not XML", SoapVersion::V11)]
#[case::not_xml_12(pairs(&[("Content-Type", "application/soap+xml; charset=utf-8")]), "<soap:Envelope", SoapVersion::V12)]
#[case::empty_body(pairs(&[("Content-Type", "text/xml")]), "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body/></s:Envelope>", SoapVersion::V11)]
#[case::version_from_envelope(pairs(&[("Content-Type", "text/xml")]), "<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body/></e:Envelope>", SoapVersion::V12)]
#[case::json(pairs(&[("Content-Type", "application/json")]), "{}", SoapVersion::V11)]
#[tokio::test]
async fn unreadable_envelopes_get_faults(
    #[case] headers: Vec<(String, String)>,
    #[case] body: &str,
    #[case] version: SoapVersion,
) {
    let peer = Peer::start(&[]).await;
    let call = peer
        .caller
        .call_raw(
            Operation::GetServiceInfo,
            version,
            headers,
            body.to_string(),
        )
        .await;
    let fault = call.fault().expect("a SOAP fault");
    assert_eq!(fault.version, version);
    assert_eq!(fault.code_kind(), Some(FaultCode::Client));
    assert_eq!(call.response().unwrap().findings, vec![]);
}

#[tokio::test]
async fn non_utf8_body_gets_a_fault() {
    let peer = Peer::start(&[]).await;
    let req = Request::new("POST", &peer.server.url())
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(vec![0xff, 0xfe, b'<', 0x00]);
    let ex = peer.http().send(req).await;
    let r = ex.response().unwrap();
    assert_eq!(r.status, 500);
    let parsed = wire::oms::parse_response(
        Operation::DeliverXms,
        SoapVersion::V11,
        &r.headers,
        &r.text(),
    )
    .unwrap();
    assert!(matches!(parsed.body, ResponseBody::Fault(_)));
}

#[rstest]
#[case::get_soap("GET", "/oms")]
#[case::post_elsewhere("POST", "/other")]
#[case::post_root("POST", "/")]
#[case::get_control("GET", "/oxconf/reply")]
#[case::unknown_control("POST", "/oxconf/nothing")]
#[tokio::test]
async fn everything_else_is_404(#[case] method: &str, #[case] path: &str) {
    let peer = Peer::start(&[]).await;
    let url = format!("{}{path}", peer.server.base_url());
    let ex = peer.http().send(Request::new(method, &url)).await;
    assert_eq!(ex.response().map(|r| r.status), Some(404));
}

#[tokio::test]
async fn query_strings_do_not_change_the_endpoint() {
    let peer = Peer::start(&[]).await;
    let soap = wire::oms::request(Operation::GetServiceInfo, SoapVersion::V11, None);
    let mut req = Request::new("POST", &format!("{}?x=1", peer.server.url())).body(soap.body);
    req.headers = soap.headers;
    let ex = peer.http().send(req).await;
    assert_eq!(ex.response().map(|r| r.status), Some(200));
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let peer = Peer::start(&[]).await;
    let mut http = peer.http().clone();
    http.max_body = 1024;
    let req = Request::new("POST", &peer.server.url())
        .header("Content-Type", "text/xml")
        .body(vec![b' '; MAX_REQUEST_BODY + 1]);
    let ex = http.send(req).await;
    assert_eq!(ex.response().map(|r| r.status), Some(413));
}

#[tokio::test]
async fn requests_are_recorded_in_order() {
    let peer = Peer::start(&[]).await;
    peer.call(Operation::GetServiceInfo, SoapVersion::V11, None)
        .await;
    peer.deliver(&sms(&["recorded"])).await;
    let url = format!("{}/elsewhere", peer.server.base_url());
    peer.http().send(Request::new("GET", &url)).await;
    let log = peer.server.requests();
    let summary: Vec<(&str, &str)> = log
        .iter()
        .map(|r| (r.item.method.as_str(), r.item.path.as_str()))
        .collect();
    assert_eq!(
        summary,
        [("POST", "/oms"), ("POST", "/oms"), ("GET", "/elsewhere")]
    );
    assert!(log[0]
        .item
        .headers
        .iter()
        .any(|(n, v)| n == "soapaction" && v.contains("GetServiceInfo")));
    assert!(log[1].text_lossy().contains("recorded"));
    // Bodies are kept exactly as received, invalid UTF-8 included.
    let odd = b"<x>\xff\xfe</x>".to_vec();
    peer.http()
        .send(Request::new("POST", &peer.server.url()).body(odd.clone()))
        .await;
    let log = peer.server.request_log();
    assert_eq!(&log.snapshot()[3].raw[..], &odd[..]);
    assert!(log.snapshot()[0].at <= log.snapshot()[3].at);
}

#[tokio::test]
async fn hostile_payloads_do_not_break_the_server() {
    let peer = Peer::start(&[]).await;
    let bomb = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><xmsData>&b;</xmsData>";
    for payload in [bomb, "<xmsData><unclosed>", "<xmsData xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><xmsBody format=\"SMS\"><content/></xmsBody></xmsData>"] {
        let r = peer
            .deliver_text(Operation::DeliverXms, SoapVersion::V11, payload)
            .await;
        assert_eq!(code_names(&r), ["invalidFormat"], "{payload}");
    }
    // Still serving.
    assert_eq!(code_names(&peer.deliver(&sms(&["x"])).await), ["ok"]);
}

/// Every limit holds at the limit: exactly the limit is delivered, one more is refused, with
/// and without LONG_SMS_SENDER (the `no-long-sms` variant holds a text to one SMS).
#[rstest]
#[case::long_sbcs(&[], "a", 255 * 153)]
#[case::long_dbcs(&[], "\u{6f22}", 255 * 67)]
#[case::one_sms_sbcs(&["no-long-sms"], "a", 140)]
#[case::one_sms_dbcs(&["no-long-sms"], "\u{6f22}", 70)]
#[tokio::test]
async fn texts_at_the_limit_are_delivered_and_one_more_is_not(
    #[case] variant: &[&str],
    #[case] unit: &str,
    #[case] limit: usize,
) {
    let peer = Peer::start(variant).await;
    let at = peer.deliver(&sms(&[&unit.repeat(limit)])).await;
    assert_eq!(code_names(&at), ["ok"]);
    let over = peer.deliver(&sms(&[&unit.repeat(limit + 1)])).await;
    assert_eq!(code_names(&over), ["lengthLimit"]);
}

#[tokio::test]
async fn no_long_sms_advertises_no_long_sms_sender() {
    let peer = Peer::start(&["no-long-sms"]).await;
    let info = peer.service_info(SoapVersion::V11).await;
    let sender = info.supported_service.sms.unwrap();
    assert!(sender.long.is_none());
    assert_eq!(sender.limits.max_sbcs_per_message, 140);
    // Parts are measured alone: two of 71 characters pass although together they are 142.
    let half = "a".repeat(71);
    assert_eq!(
        code_names(&peer.deliver(&sms(&[&half, &half])).await),
        ["ok"]
    );
}

#[tokio::test]
async fn exactly_max_parts_are_delivered() {
    let peer = Peer::start(&[]).await;
    assert_eq!(code_names(&peer.deliver(&sms(&["x"; 20])).await), ["ok"]);
    assert_eq!(code_names(&peer.deliver(&sms(&["x"; 21])).await), ["other"]);
}
