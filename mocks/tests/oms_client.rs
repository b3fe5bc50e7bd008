//! The reference MS-OMS client against the scripted server over loopback: service information
//! caching and refresh, the announced limits, the MS-OMS 2.2.4.4 interpretation notes, batch
//! results matched by id, HTTP errors and SOAP faults, transport failures and TLS.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use oxconf_mocks::net::{client_config, handler, Behaviour, HttpServer, ServerResponse};
use oxconf_mocks::oms::client::{
    ClientError, ClientSettings, Conclusion, ReferenceClient, TextMessage,
};
use oxconf_mocks::oms::scripted::{example_service_info, Canned, Recorded, ScriptedOms};
use rstest::rstest;
use wire::oms::text::char_len;
use wire::oms::{
    codes, parse_request, response, DeliveryError, Operation, ServiceInfo, XmsBatch, XmsData,
};
use wire::soap::SoapVersion;

fn rs(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The example service with the SMS limits and batch size a test needs.
fn info(batch: Option<u32>, recipients: u32, per_send: u32, sbcs: u32, dbcs: u32) -> ServiceInfo {
    let mut i = example_service_info();
    i.batch_size = batch;
    if let Some(sms) = i.supported_service.sms.as_mut() {
        sms.limits.max_recipients_per_message = recipients;
        sms.limits.max_messages_per_send = per_send;
        sms.limits.max_sbcs_per_message = sbcs;
        sms.limits.max_dbcs_per_message = dbcs;
    }
    i
}

fn roomy() -> ServiceInfo {
    info(Some(0), 50, 20, 140, 70)
}

async fn server(info: &ServiceInfo) -> ScriptedOms {
    let s = ScriptedOms::start(false).await.unwrap();
    s.defaults(info).await;
    s
}

fn client() -> ReferenceClient {
    ReferenceClient::new(ClientSettings::new("alice", "secret"))
}

fn client_v(version: SoapVersion) -> ReferenceClient {
    let mut s = ClientSettings::new("alice", "secret");
    s.soap = version;
    ReferenceClient::new(s)
}

fn xms_data(r: &Recorded) -> XmsData {
    let parsed = XmsData::parse(r.payload().expect("a payload")).unwrap();
    assert_eq!(
        parsed.findings,
        vec![],
        "the reference client writes clean xmsData"
    );
    parsed.value
}

async fn deliveries(s: &ScriptedOms) -> Vec<XmsData> {
    s.requests_for(Operation::DeliverXms)
        .await
        .iter()
        .map(xms_data)
        .collect()
}

async fn batches(s: &ScriptedOms) -> Vec<XmsBatch> {
    s.requests_for(Operation::DeliverXmsBatch)
        .await
        .iter()
        .map(|r| {
            let parsed = XmsBatch::parse(r.payload().expect("a payload")).unwrap();
            assert_eq!(parsed.findings, vec![]);
            parsed.value
        })
        .collect()
}

fn delivered() -> Vec<Conclusion> {
    vec![Conclusion::delivered(0)]
}

fn failed(list: &[&str]) -> Vec<Conclusion> {
    vec![Conclusion::failed(0, rs(list))]
}

fn batch_file(messages: &[(u32, &[&str], &str)]) -> Vec<TextMessage> {
    messages
        .iter()
        .map(|(id, to, text)| TextMessage {
            id: *id,
            to: rs(to),
            text: text.to_string(),
        })
        .collect()
}

#[test]
fn client_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<ReferenceClient>();
}

#[rstest]
#[tokio::test]
async fn sends_a_clean_text_message(
    #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
) {
    let s = server(&roomy()).await;
    let out = client_v(version)
        .send_sms(
            &s.url(),
            &rs(&["13601391354", "13601391388"]),
            "hello & <bye>",
        )
        .await
        .unwrap();
    assert_eq!(out, delivered());

    let recorded = s.requests().await;
    let ops: Vec<Option<Operation>> = recorded.iter().map(|r| r.op).collect();
    assert_eq!(
        ops,
        vec![Some(Operation::GetServiceInfo), Some(Operation::DeliverXms)]
    );
    for r in &recorded {
        let parsed = r.parsed.as_ref().unwrap();
        assert_eq!(parsed.version, version);
        assert_eq!(parsed.findings, vec![], "{:?}", r.op);
    }
    assert_eq!(recorded[0].payload(), None);
    let data = xms_data(&recorded[1]);
    let user = data.user.unwrap();
    assert_eq!(user.user_id.as_deref(), Some("alice"));
    assert_eq!(user.password.as_deref(), Some("secret"));
    let head = data.head.unwrap();
    assert_eq!(head.required_service.as_deref(), Some("SMS_SENDER"));
    assert_eq!(head.to, rs(&["13601391354", "13601391388"]));
    assert_eq!(data.body.format, "SMS");
    assert_eq!(data.body.contents.len(), 1);
    let content = &data.body.contents[0];
    assert_eq!(content.content_type, "text/plain");
    assert_eq!(content.content_location, "1.txt");
    assert!(content.content_id.starts_with("1.txt@"));
    assert!(content.content_id.len() > "1.txt@".len());
    assert_eq!(content.text, "hello & <bye>");
}

#[tokio::test]
async fn service_info_is_asked_once_per_url() {
    let a = server(&roomy()).await;
    let b = server(&roomy()).await;
    let c = client();
    assert!(c.cached_service_info(&a.url()).is_none());
    for _ in 0..3 {
        c.send_sms(&a.url(), &rs(&["1"]), "x").await.unwrap();
    }
    c.send_sms(&b.url(), &rs(&["1"]), "x").await.unwrap();
    assert_eq!(a.requests_for(Operation::GetServiceInfo).await.len(), 1);
    assert_eq!(a.requests_for(Operation::DeliverXms).await.len(), 3);
    assert_eq!(b.requests_for(Operation::GetServiceInfo).await.len(), 1);
    assert_eq!(c.cached_service_info(&a.url()), Some(roomy()));
}

#[rstest]
#[case::fits(5, &["1", "2", "3"][..], vec![3])]
#[case::split(2, &["1", "2", "3", "4", "5"][..], vec![2, 2, 1])]
#[case::one_each(1, &["1", "2", "3"][..], vec![1, 1, 1])]
#[tokio::test]
async fn honours_max_recipients(#[case] max: u32, #[case] to: &[&str], #[case] groups: Vec<usize>) {
    let s = server(&info(Some(0), max, 20, 140, 70)).await;
    let out = client().send_sms(&s.url(), &rs(to), "hi").await.unwrap();
    assert_eq!(out, delivered());
    let sent = deliveries(&s).await;
    let sizes: Vec<usize> = sent.iter().map(|d| d.recipients().len()).collect();
    assert_eq!(sizes, groups);
    let all: Vec<String> = sent.iter().flat_map(|d| d.recipients().to_vec()).collect();
    assert_eq!(all, rs(to));
}

/// (text, SBCS limit, DBCS limit, maxMessagesPerSend) => part lengths per request.
#[rstest]
#[case::ascii_fits("abcdefghij", 10, 5, 20, vec![vec![10]])]
#[case::ascii_split("abcdefghijklmnopqrstuvwxy", 10, 5, 20, vec![vec![10, 10, 5]])]
#[case::dbcs_limit_for_non_ascii("\u{4f60}\u{597d}\u{4f60}\u{597d}\u{4f60}\u{597d}\u{4f60}", 10, 3, 20, vec![vec![3, 3, 1]])]
#[case::one_accent_makes_dbcs("caf\u{e9} au lait", 20, 4, 20, vec![vec![4, 4, 4]])]
#[case::parts_per_send("abcdefghijklmnopqrstuvwxy", 5, 5, 2, vec![vec![5, 5], vec![5, 5], vec![5]])]
#[tokio::test]
async fn honours_length_and_parts_per_send(
    #[case] text: &str,
    #[case] sbcs: u32,
    #[case] dbcs: u32,
    #[case] per_send: u32,
    #[case] expected: Vec<Vec<usize>>,
) {
    let s = server(&info(Some(0), 50, per_send, sbcs, dbcs)).await;
    let out = client()
        .send_sms(&s.url(), &rs(&["1"]), text)
        .await
        .unwrap();
    assert_eq!(out, delivered());
    let sent = deliveries(&s).await;
    let lengths: Vec<Vec<usize>> = sent
        .iter()
        .map(|d| d.body.contents.iter().map(|c| char_len(&c.text)).collect())
        .collect();
    assert_eq!(lengths, expected);
    let rejoined: String = sent
        .iter()
        .flat_map(|d| d.body.contents.iter().map(|c| c.text.clone()))
        .collect();
    assert_eq!(rejoined, text);
    let locations: Vec<String> = sent
        .iter()
        .flat_map(|d| d.body.contents.iter().map(|c| c.content_location.clone()))
        .collect();
    let numbered: Vec<String> = (1..=locations.len()).map(|n| format!("{n}.txt")).collect();
    assert_eq!(locations, numbered);
}

#[tokio::test]
async fn every_recipient_group_gets_every_part() {
    let s = server(&info(Some(0), 2, 2, 4, 2)).await;
    client()
        .send_sms(&s.url(), &rs(&["a", "b", "c"]), "abcdefghij")
        .await
        .unwrap();
    let shape: Vec<(Vec<String>, usize)> = deliveries(&s)
        .await
        .iter()
        .map(|d| (d.recipients().to_vec(), d.body.contents.len()))
        .collect();
    assert_eq!(
        shape,
        vec![
            (rs(&["a", "b"]), 2),
            (rs(&["a", "b"]), 1),
            (rs(&["c"]), 2),
            (rs(&["c"]), 1),
        ]
    );
}

#[tokio::test]
async fn sends_a_clean_multimedia_message() {
    let mut i = roomy();
    if let Some(mms) = i.supported_service.mms.as_mut() {
        mms.max_recipients_per_message = 2;
    }
    let s = server(&i).await;
    let out = client()
        .send_mms(&s.url(), &rs(&["1", "2", "3"]), "look", b"GIF89a\x01\x00")
        .await
        .unwrap();
    assert_eq!(out, delivered());
    let sent = deliveries(&s).await;
    let sizes: Vec<usize> = sent.iter().map(|d| d.recipients().len()).collect();
    assert_eq!(sizes, vec![2, 1]);
    let d = &sent[0];
    assert_eq!(
        d.head.as_ref().unwrap().required_service.as_deref(),
        Some("MMS_SENDER")
    );
    assert_eq!(d.body.format, "MMS");
    let slides = d.body.slides.as_ref().unwrap();
    let head = slides.head.as_ref().unwrap();
    assert_eq!(head.meta.as_ref().unwrap().name, "author");
    assert_eq!(head.layout.root.width, 120);
    assert_eq!(head.layout.root.height, 120);
    assert_eq!(head.layout.root.background_color, "#ffffff");
    let regions: Vec<(&str, Option<&str>)> = head
        .layout
        .regions
        .iter()
        .map(|r| (r.id.as_str(), r.fit.as_deref()))
        .collect();
    assert_eq!(
        regions,
        vec![("Image", Some("slice")), ("Text", Some("slice"))]
    );
    assert_eq!(slides.body.len(), 1);
    let par = &slides.body[0];
    let text = &d.body.contents[0];
    let image = &d.body.contents[1];
    assert_eq!(text.content_type, "text/plain");
    assert_eq!(text.text, "look");
    assert_eq!(image.content_type, "image/gif");
    assert_eq!(image.text, "R0lGODlhAQA=");
    assert_eq!(
        par.img.as_ref().unwrap().src,
        format!("cid:{}", image.content_id)
    );
    assert_eq!(par.img.as_ref().unwrap().region, "Image");
    assert_eq!(
        par.text.as_ref().unwrap().src,
        format!("cid:{}", text.content_id)
    );
    assert_eq!(par.text.as_ref().unwrap().region, "Text");
}

#[rstest]
#[case::two_full_and_one(Some(2), 5, vec![vec![1, 2], vec![3, 4], vec![5]])]
#[case::all_in_one(Some(255), 3, vec![vec![1, 2, 3]])]
#[case::single(Some(1), 2, vec![vec![1], vec![2]])]
#[tokio::test]
async fn honours_batch_size(
    #[case] batch: Option<u32>,
    #[case] messages: u32,
    #[case] expected: Vec<Vec<u32>>,
) {
    let s = server(&info(batch, 50, 20, 140, 70)).await;
    let file: Vec<TextMessage> = (1..=messages)
        .map(|id| TextMessage {
            id,
            to: vec![format!("{id}00")],
            text: format!("message {id}"),
        })
        .collect();
    let out = client().send_batch(&s.url(), &file).await.unwrap();
    let expected_out: Vec<Conclusion> = (1..=messages).map(Conclusion::delivered).collect();
    assert_eq!(out, expected_out);
    let ids: Vec<Vec<u32>> = batches(&s).await.iter().map(XmsBatch::ids).collect();
    assert_eq!(ids, expected);
    assert!(s.requests_for(Operation::DeliverXms).await.is_empty());
    let sent = batches(&s).await;
    let item = &sent[0].items[0];
    assert_eq!(
        item.user.as_ref().unwrap().user_id.as_deref(),
        Some("alice")
    );
    assert_eq!(item.head.as_ref().unwrap().to, rs(&["100"]));
    assert_eq!(item.body.contents[0].text, "message 1");
}

#[rstest]
#[case::zero(Some(0))]
#[case::absent(None)]
#[tokio::test]
async fn batch_size_zero_sends_one_request_per_message(#[case] batch: Option<u32>) {
    let s = server(&info(batch, 50, 20, 140, 70)).await;
    let file = batch_file(&[(4, &["1"], "a"), (9, &["2"], "b")]);
    let out = client().send_batch(&s.url(), &file).await.unwrap();
    assert_eq!(
        out,
        vec![Conclusion::delivered(4), Conclusion::delivered(9)]
    );
    assert!(s.requests_for(Operation::DeliverXmsBatch).await.is_empty());
    let texts: Vec<String> = deliveries(&s)
        .await
        .iter()
        .map(|d| d.body.contents[0].text.clone())
        .collect();
    assert_eq!(texts, rs(&["a", "b"]));
}

#[tokio::test]
async fn duplicate_file_ids_go_into_different_batches() {
    let s = server(&info(Some(10), 50, 20, 140, 70)).await;
    let file = batch_file(&[(1, &["a"], "x"), (2, &["b"], "y"), (1, &["c"], "z")]);
    let out = client().send_batch(&s.url(), &file).await.unwrap();
    let ids: Vec<u32> = out.iter().map(|o| o.id).collect();
    assert_eq!(ids, vec![1, 2, 1]);
    assert!(out.iter().all(Conclusion::is_delivered));
    let sent: Vec<Vec<u32>> = batches(&s).await.iter().map(XmsBatch::ids).collect();
    assert_eq!(sent, vec![vec![1, 2], vec![1]]);
}

#[tokio::test]
async fn a_message_cut_to_the_limits_spreads_over_batches_under_its_id() {
    let s = server(&info(Some(10), 2, 20, 140, 70)).await;
    let file = batch_file(&[(5, &["a", "b", "c"], "x"), (6, &["d"], "y")]);
    s.script(
        Operation::DeliverXmsBatch,
        vec![
            Canned::batch(&[
                (5, vec![DeliveryError::ok()]),
                (6, vec![DeliveryError::ok()]),
            ]),
            Canned::batch(&[(
                5,
                vec![DeliveryError::new(codes::INVALID_RECIPIENT, codes::FAILURE)
                    .with_recipients(&["c"])],
            )]),
        ],
    )
    .await;
    let out = client().send_batch(&s.url(), &file).await.unwrap();
    assert_eq!(
        out,
        vec![Conclusion::failed(5, rs(&["c"])), Conclusion::delivered(6)]
    );
    let sent: Vec<Vec<(u32, Vec<String>)>> = batches(&s)
        .await
        .iter()
        .map(|b| {
            b.items
                .iter()
                .map(|i| (i.id, i.head.as_ref().unwrap().to.clone()))
                .collect()
        })
        .collect();
    assert_eq!(
        sent,
        vec![
            vec![(5, rs(&["a", "b"])), (6, rs(&["d"]))],
            vec![(5, rs(&["c"]))]
        ]
    );
}

fn e(code: Option<&str>, severity: Option<&str>, list: Option<&str>) -> DeliveryError {
    DeliveryError {
        code: code.map(str::to_owned),
        severity: severity.map(str::to_owned),
        content: None,
        recipient_list: list.map(str::to_owned),
    }
}

/// The notes of MS-OMS 2.2.4.4 (OMS-R035, OMS-R060..R063) for recipients a, b, c.
#[rstest]
#[case::ok(vec![e(Some("ok"), Some("neutral"), None)], None)]
#[case::no_error_element(vec![], Some(&["a", "b", "c"][..]))]
#[case::no_code(vec![e(None, Some("neutral"), None)], Some(&["a", "b", "c"][..]))]
#[case::no_severity_is_neutral(vec![e(Some("invalidUser"), None, None)], None)]
#[case::failure_any_case(vec![e(Some("other"), Some("FAILURE"), None)], Some(&["a", "b", "c"][..]))]
#[case::failure_outranks_neutral(vec![e(Some("ok"), Some("neutral"), None), e(Some("invalidRecipient"), Some("failure"), Some("c;a"))], Some(&["a", "c"][..]))]
#[case::list_subset(vec![e(Some("crossCarrier"), Some("failure"), Some("b"))], Some(&["b"][..]))]
#[case::failure_without_list_is_everyone(vec![e(Some("x"), Some("failure"), Some("b")), e(Some("y"), Some("failure"), None)], Some(&["a", "b", "c"][..]))]
#[case::unknown_recipient_follows(vec![e(Some("other"), Some("failure"), Some("z;b"))], Some(&["b", "z"][..]))]
#[case::unknown_code_failure(vec![e(Some("quotaExceeded"), Some("failure"), None)], Some(&["a", "b", "c"][..]))]
#[case::unknown_code_neutral(vec![e(Some("welcome"), Some("neutral"), None)], None)]
#[case::neutral_low_balance(vec![e(Some("lowBalance"), Some("neutral"), None)], None)]
#[case::service_update_is_not_failure(vec![e(Some("ok"), Some("neutral"), None), e(Some("serviceUpdate"), Some("neutral"), None)], None)]
#[tokio::test]
async fn interprets_the_delivery_notes(
    #[case] errors: Vec<DeliveryError>,
    #[case] failed_list: Option<&[&str]>,
) {
    let s = server(&roomy()).await;
    s.script(Operation::DeliverXms, vec![Canned::errors(&errors)])
        .await;
    let out = client()
        .send_sms(&s.url(), &rs(&["a", "b", "c"]), "hi")
        .await
        .unwrap();
    match failed_list {
        None => assert_eq!(out, delivered()),
        Some(list) => assert_eq!(out, failed(list)),
    }
}

#[tokio::test]
async fn a_message_fails_if_any_of_its_requests_failed() {
    let s = server(&info(Some(0), 2, 20, 140, 70)).await;
    s.script(
        Operation::DeliverXms,
        vec![
            Canned::errors(&[
                DeliveryError::new("serviceNetwork", "failure").with_recipients(&["b"])
            ]),
            Canned::ok(),
            Canned::errors(&[
                DeliveryError::new("invalidRecipient", "failure").with_recipients(&["e"])
            ]),
        ],
    )
    .await;
    let out = client()
        .send_sms(&s.url(), &rs(&["a", "b", "c", "d", "e"]), "hi")
        .await
        .unwrap();
    assert_eq!(out, failed(&["b", "e"]));
    assert_eq!(s.requests_for(Operation::DeliverXms).await.len(), 3);
}

/// Batch items matched by id (OMS-R146): reordered, missing and extra ids.
#[rstest]
#[case::reordered(
    vec![(3, vec![DeliveryError::ok()]), (2, vec![DeliveryError::new("other", "failure")]), (1, vec![DeliveryError::ok()])],
    vec![Conclusion::delivered(1), Conclusion::failed(2, vec!["t2".into()]), Conclusion::delivered(3)]
)]
#[case::missing_id_fails_all_its_recipients(
    vec![(1, vec![DeliveryError::ok()]), (3, vec![DeliveryError::ok()])],
    vec![Conclusion::delivered(1), Conclusion::failed(2, vec!["t2".into()]), Conclusion::delivered(3)]
)]
#[case::extra_ids_ignored(
    vec![(9, vec![DeliveryError::new("other", "failure")]), (1, vec![DeliveryError::ok()]), (2, vec![DeliveryError::ok()]), (3, vec![DeliveryError::ok()])],
    vec![Conclusion::delivered(1), Conclusion::delivered(2), Conclusion::delivered(3)]
)]
#[case::item_without_error_fails(
    vec![(1, vec![]), (2, vec![DeliveryError::ok()]), (3, vec![DeliveryError::ok()])],
    vec![Conclusion::failed(1, vec!["t1".into()]), Conclusion::delivered(2), Conclusion::delivered(3)]
)]
#[case::repeated_id_first_counts(
    vec![(1, vec![DeliveryError::ok()]), (1, vec![DeliveryError::new("other", "failure")]), (2, vec![DeliveryError::ok()]), (3, vec![DeliveryError::ok()])],
    vec![Conclusion::delivered(1), Conclusion::delivered(2), Conclusion::delivered(3)]
)]
#[tokio::test]
async fn matches_batch_results_by_id(
    #[case] answer: Vec<(u32, Vec<DeliveryError>)>,
    #[case] expected: Vec<Conclusion>,
) {
    let s = server(&info(Some(10), 50, 20, 140, 70)).await;
    s.script(Operation::DeliverXmsBatch, vec![Canned::batch(&answer)])
        .await;
    let file = batch_file(&[(1, &["t1"], "a"), (2, &["t2"], "b"), (3, &["t3"], "c")]);
    let out = client().send_batch(&s.url(), &file).await.unwrap();
    assert_eq!(out, expected);
}

#[rstest]
#[case::canonical("serviceUpdate")]
#[case::lower_case("serviceupdate")]
#[case::upper_case("SERVICEUPDATE")]
#[tokio::test]
async fn service_update_refreshes_the_service_info(#[case] code: &str) {
    let s = server(&roomy()).await;
    s.script(
        Operation::DeliverXms,
        vec![
            Canned::errors(&[
                DeliveryError::ok(),
                DeliveryError::new(code, "neutral").with_content("2008-08-28T08:59:00Z"),
            ]),
            Canned::ok(),
        ],
    )
    .await;
    let c = client();
    assert_eq!(
        c.send_sms(&s.url(), &rs(&["1"]), "x").await.unwrap(),
        delivered()
    );
    assert!(c.cached_service_info(&s.url()).is_none());
    let changed = info(Some(0), 1, 20, 140, 70);
    s.script(
        Operation::GetServiceInfo,
        vec![Canned::Result(changed.to_xml())],
    )
    .await;
    c.send_sms(&s.url(), &rs(&["1", "2"]), "x").await.unwrap();
    assert_eq!(c.cached_service_info(&s.url()), Some(changed));
    let ops: Vec<Option<Operation>> = s.requests().await.iter().map(|r| r.op).collect();
    assert_eq!(
        ops,
        vec![
            Some(Operation::GetServiceInfo),
            Some(Operation::DeliverXms),
            Some(Operation::GetServiceInfo),
            Some(Operation::DeliverXms),
            Some(Operation::DeliverXms),
        ]
    );
}

#[tokio::test]
async fn service_update_in_a_batch_answer_refreshes_too() {
    let s = server(&info(Some(5), 50, 20, 140, 70)).await;
    s.script(
        Operation::DeliverXmsBatch,
        vec![Canned::batch(&[(
            1,
            vec![
                DeliveryError::ok(),
                DeliveryError::new("serviceUpdate", "neutral"),
            ],
        )])],
    )
    .await;
    let c = client();
    let out = c
        .send_batch(&s.url(), &batch_file(&[(1, &["a"], "x")]))
        .await
        .unwrap();
    assert_eq!(out, vec![Conclusion::delivered(1)]);
    assert!(c.cached_service_info(&s.url()).is_none());
}

#[rstest]
#[case::http_500(Canned::status(500, "internal error"))]
#[case::http_503_soap_body(Canned::Status { status: 503, body: wire::oms::response(Operation::DeliverXms, SoapVersion::V11, &oxconf_mocks::oms::scripted::xms_response(&[DeliveryError::ok()])).body })]
#[case::http_404(Canned::status(404, "not here"))]
#[case::soap_fault(Canned::fault("database down"))]
#[case::sender_fault(Canned::SenderFault { reason: "bad request".into() })]
#[case::not_soap(Canned::Envelope("this is not XML".into()))]
#[case::unreadable_payload(Canned::Result("not an xmsResponse".into()))]
#[case::wrong_document(Canned::Result("<serviceInfo/>".into()))]
#[tokio::test]
async fn unusable_answers_fail_every_recipient(#[case] reply: Canned) {
    let s = server(&roomy()).await;
    s.script(Operation::DeliverXms, vec![reply]).await;
    let out = client()
        .send_sms(&s.url(), &rs(&["a", "b"]), "hi")
        .await
        .unwrap();
    assert_eq!(out, failed(&["a", "b"]));
}

#[rstest]
#[case::http_500(Canned::status(500, "oops"))]
#[case::soap_fault(Canned::fault("down"))]
#[tokio::test]
async fn unusable_batch_answers_fail_every_message(#[case] reply: Canned) {
    let s = server(&info(Some(5), 50, 20, 140, 70)).await;
    s.script(Operation::DeliverXmsBatch, vec![reply]).await;
    let out = client()
        .send_batch(
            &s.url(),
            &batch_file(&[(1, &["a"], "x"), (2, &["b", "c"], "y")]),
        )
        .await
        .unwrap();
    assert_eq!(
        out,
        vec![
            Conclusion::failed(1, rs(&["a"])),
            Conclusion::failed(2, rs(&["b", "c"]))
        ]
    );
}

#[rstest]
#[case::fault(Canned::fault("no"), "SOAP fault")]
#[case::status(Canned::status(503, "busy"), "503")]
#[case::garbage(Canned::Result("garbage".into()), "serviceInfo")]
#[tokio::test]
async fn unusable_service_info_sends_nothing(#[case] reply: Canned, #[case] mentions: &str) {
    let s = server(&roomy()).await;
    s.script(Operation::GetServiceInfo, vec![reply]).await;
    let err = client()
        .send_sms(&s.url(), &rs(&["a"]), "hi")
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::ServiceInfo { .. }), "{err:?}");
    assert!(err.to_string().contains(mentions), "{err}");
    assert!(s.requests_for(Operation::DeliverXms).await.is_empty());
}

#[tokio::test]
async fn missing_sender_is_an_error() {
    let mut i = roomy();
    i.supported_service.mms = None;
    let s = server(&i).await;
    let err = client()
        .send_mms(&s.url(), &rs(&["a"]), "hi", b"GIF89a")
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ClientError::ServiceNotOffered {
            url: s.url(),
            service: "MMS_SENDER"
        }
    );
    assert!(s.requests_for(Operation::DeliverXms).await.is_empty());
}

#[tokio::test]
async fn messages_without_recipients_are_refused() {
    let s = server(&roomy()).await;
    let c = client();
    assert_eq!(
        c.send_sms(&s.url(), &[], "hi").await.unwrap_err(),
        ClientError::NoRecipients { id: 0 }
    );
    let file = batch_file(&[(1, &["a"], "x"), (7, &[], "y")]);
    assert_eq!(
        c.send_batch(&s.url(), &file).await.unwrap_err(),
        ClientError::NoRecipients { id: 7 }
    );
    assert!(s.requests().await.is_empty());
    assert_eq!(c.send_batch(&s.url(), &[]).await.unwrap(), vec![]);
}

async fn closed_port() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    addr
}

#[tokio::test]
async fn unreachable_server_is_an_error() {
    let url = format!("http://{}/oms", closed_port().await);
    let err = client()
        .send_sms(&url, &rs(&["a"]), "hi")
        .await
        .unwrap_err();
    match &err {
        ClientError::Transport { op, error, .. } => {
            assert_eq!(*op, Operation::GetServiceInfo);
            assert!(error.unreachable(), "{error}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(err.to_string().contains("GetServiceInfo"));
}

/// A server that answers GetServiceInfo and the first DeliverXms, then drops every further
/// connection without answering.
async fn dying_server(info: ServiceInfo, answered: usize) -> HttpServer {
    let deliveries = Arc::new(AtomicUsize::new(0));
    let info_xml = info.to_xml();
    let h = handler(move |req| {
        let deliveries = deliveries.clone();
        let info_xml = info_xml.clone();
        async move {
            let body = String::from_utf8_lossy(&req.body).into_owned();
            let parsed = parse_request(&req.headers, &body);
            let op = parsed.map(|p| p.op).unwrap_or(Operation::GetUserInfo);
            let answer = |payload: &str| {
                let soap = response(op, SoapVersion::V11, payload);
                ServerResponse::new(soap.status, soap.headers, soap.body.into_bytes())
            };
            if op == Operation::GetServiceInfo {
                return answer(&info_xml);
            }
            if deliveries.fetch_add(1, Ordering::SeqCst) < answered {
                return answer(&oxconf_mocks::oms::scripted::xms_response(&[
                    DeliveryError::ok(),
                ]));
            }
            ServerResponse::new(500, vec![], vec![]).with_behaviour(Behaviour::Reset)
        }
    });
    HttpServer::start("127.0.0.1:0".parse().unwrap(), None, 1 << 20, h)
        .await
        .unwrap()
}

#[tokio::test]
async fn transport_failure_after_an_answer_fails_those_recipients() {
    let srv = dying_server(info(Some(0), 1, 20, 140, 70), 1).await;
    let url = format!("{}/oms", srv.base_url());
    let out = client()
        .send_sms(&url, &rs(&["a", "b", "c"]), "hi")
        .await
        .unwrap();
    assert_eq!(out, failed(&["b", "c"]));
}

#[tokio::test]
async fn transport_failure_before_any_answer_is_an_error() {
    let srv = dying_server(info(Some(0), 1, 20, 140, 70), 0).await;
    let url = format!("{}/oms", srv.base_url());
    let err = client()
        .send_sms(&url, &rs(&["a", "b"]), "hi")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Transport {
                op: Operation::DeliverXms,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn speaks_tls_with_a_trusted_ca() {
    let s = ScriptedOms::start(true).await.unwrap();
    s.defaults(&roomy()).await;
    let ca = s.ca_pem().unwrap().to_owned();
    let mut settings = ClientSettings::new("alice", "secret");
    settings.tls = Some(client_config(Some(&ca), false).unwrap());
    let out = ReferenceClient::new(settings)
        .send_sms(&s.url(), &rs(&["1"]), "secure")
        .await
        .unwrap();
    assert_eq!(out, delivered());
    assert_eq!(deliveries(&s).await[0].body.contents[0].text, "secure");

    let err = client()
        .send_sms(&s.url(), &rs(&["1"]), "no tls config")
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::Transport { ref error, .. } if error.unreachable()),
        "{err:?}"
    );
}
