//! The scripted MS-OMS server over loopback: routing by action and by body element in both
//! SOAP versions, reply sequences and defaults, every kind of canned reply, recording, and
//! requests that match nothing.

use oxconf_mocks::http::{Answer, Calls};
use oxconf_mocks::net::{client_config, HttpClient, Listen, Request, TransportError};
use oxconf_mocks::oms::scripted::{
    batch_response, example_service_info, xms_response, Canned, ScriptedOms,
};
use oxconf_mocks::oms::{Call, OmsCaller};
use rstest::rstest;
use wire::oms::ns::ACTION_PREFIX;
use wire::oms::{
    codes, rules, DeliveryError, Operation, ResponseBody, ServiceInfo, UserInfo, XmsBatch,
    XmsDataInBatch, XmsResponse, XmsResponses, OMS_NS,
};
use wire::soap::{write_envelope, FaultCode, SoapVersion};

const ALL_OPS: [Operation; 5] = Operation::ALL;

async fn plain() -> ScriptedOms {
    ScriptedOms::start(false).await.unwrap()
}

fn caller(server: &ScriptedOms) -> OmsCaller {
    OmsCaller::new(HttpClient::new(server.client_tls()), server.url())
}

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A request whose body is `element` (with OMS namespace) and whose headers are exactly
/// `headers`.
async fn raw_call(
    server: &ScriptedOms,
    op: Operation,
    version: SoapVersion,
    headers: &[(&str, &str)],
    element: &str,
) -> Call {
    let body = write_envelope(version, &format!("<{element} xmlns=\"{OMS_NS}\"/>"));
    caller(server).call_raw(op, version, h(headers), body).await
}

fn content_type(version: SoapVersion) -> &'static str {
    match version {
        SoapVersion::V11 => "text/xml; charset=utf-8",
        SoapVersion::V12 => "application/soap+xml; charset=utf-8",
    }
}

#[rstest]
#[tokio::test]
async fn routes_by_action_in_both_versions(
    #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
) {
    let server = plain().await;
    for op in ALL_OPS {
        server
            .script(
                op,
                vec![Canned::Result(format!("<answer>{}</answer>", op.name()))],
            )
            .await;
    }
    for op in ALL_OPS {
        let call = caller(&server).call(op, version, Some("<p/>")).await;
        assert_eq!(call.status(), Some(200));
        let response = call.response().expect("readable response");
        assert_eq!(response.version, version);
        assert_eq!(response.findings, vec![], "{op:?}");
        assert_eq!(
            call.result_payload(),
            Some(format!("<answer>{}</answer>", op.name()).as_str())
        );
    }
    let recorded = server.requests().await;
    let ops: Vec<Option<Operation>> = recorded.iter().map(|r| r.op).collect();
    assert_eq!(ops, ALL_OPS.map(Some).to_vec());
    assert!(recorded.iter().all(|r| r.rules().is_empty()));
}

#[rstest]
#[tokio::test]
async fn routes_by_body_element_without_action(
    #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
) {
    let server = plain().await;
    server
        .script(Operation::GetUserInfo, vec![Canned::Result("<u/>".into())])
        .await;
    let call = raw_call(
        &server,
        Operation::GetUserInfo,
        version,
        &[("Content-Type", content_type(version))],
        "GetUserInfo",
    )
    .await;
    assert_eq!(call.result_payload(), Some("<u/>"));
    let recorded = server.requests().await;
    assert_eq!(recorded[0].op, Some(Operation::GetUserInfo));
    assert!(recorded[0].rules().contains(&rules::SOAP_ACTION_MISSING));
}

#[rstest]
#[case::soap11_header(SoapVersion::V11)]
#[case::soap12_parameter(SoapVersion::V12)]
#[tokio::test]
async fn action_wins_over_body_element(#[case] version: SoapVersion) {
    let server = plain().await;
    server
        .script(
            Operation::GetUserInfo,
            vec![Canned::Result("<user/>".into())],
        )
        .await;
    server
        .script(
            Operation::DeliverXms,
            vec![Canned::Result("<deliver/>".into())],
        )
        .await;
    let action = format!("{ACTION_PREFIX}GetUserInfo");
    let soap_action = format!("\"{action}\"");
    let ct12 = format!("application/soap+xml; charset=utf-8; action=\"{action}\"");
    let headers: Vec<(&str, &str)> = match version {
        SoapVersion::V11 => vec![
            ("Content-Type", content_type(version)),
            ("SOAPAction", soap_action.as_str()),
        ],
        SoapVersion::V12 => vec![("Content-Type", ct12.as_str())],
    };
    let call = raw_call(
        &server,
        Operation::GetUserInfo,
        version,
        &headers,
        "DeliverXms",
    )
    .await;
    assert_eq!(call.result_payload(), Some("<user/>"));
    let recorded = server.requests().await;
    assert_eq!(recorded[0].op, Some(Operation::GetUserInfo));
    assert!(recorded[0].rules().contains(&rules::SOAP_ACTION_MISMATCH));
}

#[tokio::test]
async fn unknown_action_falls_back_to_the_body_element() {
    let server = plain().await;
    server
        .script(Operation::DeliverXms, vec![Canned::Result("<d/>".into())])
        .await;
    let action = format!("\"{ACTION_PREFIX}Deliver\"");
    let call = raw_call(
        &server,
        Operation::DeliverXms,
        SoapVersion::V11,
        &[
            ("Content-Type", "text/xml; charset=utf-8"),
            ("SOAPAction", &action),
        ],
        "DeliverXms",
    )
    .await;
    assert_eq!(call.result_payload(), Some("<d/>"));
}

#[tokio::test]
async fn sequences_advance_and_the_last_repeats() {
    let server = plain().await;
    server
        .script(
            Operation::DeliverXms,
            vec![
                Canned::Result("<first/>".into()),
                Canned::Result("<second/>".into()),
            ],
        )
        .await;
    let c = caller(&server);
    let mut got = Vec::new();
    for _ in 0..4 {
        let call = c
            .call(Operation::DeliverXms, SoapVersion::V11, Some("<x/>"))
            .await;
        got.push(call.result_payload().unwrap_or("-").to_owned());
    }
    assert_eq!(got, vec!["<first/>", "<second/>", "<second/>", "<second/>"]);
}

#[tokio::test]
async fn scripts_override_defaults_until_removed() {
    let server = plain().await;
    let info = example_service_info();
    server.defaults(&info).await;
    let c = caller(&server);
    let read = |call: Call| call.result_payload().unwrap_or("-").to_owned();

    let default = read(
        c.call(Operation::GetServiceInfo, SoapVersion::V12, None)
            .await,
    );
    assert_eq!(ServiceInfo::parse(&default).unwrap().value, info);

    server
        .script(
            Operation::GetServiceInfo,
            vec![Canned::Result("<mine/>".into())],
        )
        .await;
    assert_eq!(
        read(
            c.call(Operation::GetServiceInfo, SoapVersion::V12, None)
                .await
        ),
        "<mine/>"
    );

    server.script(Operation::GetServiceInfo, vec![]).await;
    assert_eq!(
        read(
            c.call(Operation::GetServiceInfo, SoapVersion::V12, None)
                .await
        ),
        default
    );
}

#[rstest]
#[tokio::test]
async fn defaults_answer_every_operation(
    #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
) {
    let server = plain().await;
    server.defaults(&example_service_info()).await;
    let c = caller(&server);

    let user = c
        .call(Operation::GetUserInfo, version, Some("<xmsUser/>"))
        .await;
    let info = UserInfo::parse(user.result_payload().unwrap())
        .unwrap()
        .value;
    assert_eq!(info.error.and_then(|e| e.code).as_deref(), Some("OK"));

    for op in [Operation::DeliverXms, Operation::SendXms] {
        let call = c.call(op, version, Some("<xmsData/>")).await;
        let parsed = XmsResponse::parse(call.result_payload().unwrap()).unwrap();
        assert_eq!(parsed.value.errors, vec![DeliveryError::ok()]);
    }

    let batch = XmsBatch {
        client: None,
        items: [7u32, 3, 9]
            .into_iter()
            .map(|id| XmsDataInBatch {
                id,
                ..Default::default()
            })
            .collect(),
    };
    let call = c
        .call(Operation::DeliverXmsBatch, version, Some(&batch.to_xml()))
        .await;
    let parsed = XmsResponses::parse(call.result_payload().unwrap()).unwrap();
    let ids: Vec<u32> = parsed.value.items.iter().map(|i| i.id).collect();
    assert_eq!(ids, vec![7, 3, 9]);
    assert!(parsed
        .value
        .items
        .iter()
        .all(|i| i.errors == vec![DeliveryError::ok()]));
}

#[rstest]
#[case(SoapVersion::V11, 500)]
#[case(SoapVersion::V12, 400)]
#[tokio::test]
async fn unreadable_batch_gets_a_sender_fault(#[case] version: SoapVersion, #[case] status: u16) {
    let server = plain().await;
    server.defaults(&example_service_info()).await;
    let call = caller(&server)
        .call(Operation::DeliverXmsBatch, version, Some("not a batch"))
        .await;
    assert_eq!(call.status(), Some(status));
    let fault = call.fault().expect("a fault");
    assert_eq!(fault.code_kind(), Some(FaultCode::Client));
}

#[rstest]
#[tokio::test]
async fn nothing_scripted_is_a_server_fault(
    #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
) {
    let server = plain().await;
    let call = caller(&server)
        .call(Operation::DeliverXms, version, Some("<x/>"))
        .await;
    assert_eq!(call.status(), Some(500));
    let fault = call.fault().expect("a fault");
    assert_eq!(fault.version, version);
    assert_eq!(fault.code_kind(), Some(FaultCode::Server));
    assert!(fault.reason.contains("DeliverXms"), "{}", fault.reason);
}

#[rstest]
#[case::fault_11(SoapVersion::V11, Canned::fault("boom"), 500, Some(FaultCode::Server))]
#[case::fault_12(SoapVersion::V12, Canned::fault("boom"), 500, Some(FaultCode::Server))]
#[case::sender_11(SoapVersion::V11, Canned::SenderFault { reason: "boom".into() }, 500, Some(FaultCode::Client))]
#[case::sender_12(SoapVersion::V12, Canned::SenderFault { reason: "boom".into() }, 400, Some(FaultCode::Client))]
#[case::status_text(SoapVersion::V11, Canned::status(503, "busy"), 503, None)]
#[case::status_out_of_range(SoapVersion::V11, Canned::status(42, "odd"), 500, None)]
#[tokio::test]
async fn faults_and_statuses(
    #[case] version: SoapVersion,
    #[case] reply: Canned,
    #[case] status: u16,
    #[case] fault: Option<FaultCode>,
) {
    let server = plain().await;
    server.script(Operation::DeliverXms, vec![reply]).await;
    let call = caller(&server)
        .call(Operation::DeliverXms, version, Some("<x/>"))
        .await;
    assert_eq!(call.status(), Some(status));
    match fault {
        Some(code) => {
            let f = call.fault().expect("a fault");
            assert_eq!(f.code_kind(), Some(code));
            assert_eq!(f.version, version);
            assert_eq!(f.reason, "boom");
        }
        None => {
            let response = call.exchange.response().unwrap();
            assert_eq!(
                response.header("content-type"),
                Some("text/plain; charset=utf-8")
            );
            assert!(call.unreadable().is_some());
        }
    }
}

#[rstest]
#[tokio::test]
async fn raw_envelopes_are_sent_as_is(
    #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
) {
    let server = plain().await;
    let envelope = write_envelope(version, "<Other xmlns=\"urn:x\">text</Other>");
    server
        .script(
            Operation::DeliverXms,
            vec![Canned::Envelope(envelope.clone())],
        )
        .await;
    let call = caller(&server)
        .call(Operation::DeliverXms, version, Some("<x/>"))
        .await;
    let response = call.exchange.response().unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), envelope);
    assert_eq!(response.header("content-type"), Some(content_type(version)));
    let parsed = call.response().unwrap();
    assert!(parsed
        .findings
        .iter()
        .any(|f| f.rule == rules::RESPONSE_ELEMENT_WRONG));
}

#[tokio::test]
async fn computed_replies_see_the_request() {
    let server = plain().await;
    server
        .script(
            Operation::SendXms,
            vec![Canned::computed(|r| {
                Canned::Result(format!(
                    "<echo>{}</echo>",
                    r.payload().unwrap_or("none").len()
                ))
            })],
        )
        .await;
    let call = caller(&server)
        .call(Operation::SendXms, SoapVersion::V12, Some("<abc/>"))
        .await;
    assert_eq!(call.result_payload(), Some("<echo>6</echo>"));
}

#[tokio::test]
async fn broken_documents_reach_the_client_as_written() {
    let server = plain().await;
    let broken = xms_response(&[DeliveryError {
        code: None,
        severity: Some(codes::FAILURE.into()),
        content: None,
        recipient_list: Some("1;2".into()),
    }]);
    let batch = batch_response(&[(9, vec![]), (1, vec![DeliveryError::ok()])]);
    server
        .script(Operation::DeliverXms, vec![Canned::Result(broken.clone())])
        .await;
    server
        .script(
            Operation::DeliverXmsBatch,
            vec![Canned::Result(batch.clone())],
        )
        .await;
    let c = caller(&server);
    let call = c
        .call(Operation::DeliverXms, SoapVersion::V11, Some("<x/>"))
        .await;
    assert_eq!(call.result_payload(), Some(broken.as_str()));
    let call = c
        .call(Operation::DeliverXmsBatch, SoapVersion::V11, Some("<x/>"))
        .await;
    let parsed = XmsResponses::parse(call.result_payload().unwrap()).unwrap();
    let ids: Vec<u32> = parsed.value.items.iter().map(|i| i.id).collect();
    assert_eq!(ids, vec![9, 1]);
}

#[tokio::test]
async fn records_every_request_in_order() {
    let server = plain().await;
    server.defaults(&example_service_info()).await;
    let c = caller(&server);
    c.call(Operation::GetServiceInfo, SoapVersion::V11, None)
        .await;
    c.call(Operation::DeliverXms, SoapVersion::V12, Some("<a>&</a>"))
        .await;
    let http = HttpClient::new(None);
    http.send(Request::new("GET", &format!("{}?q=1", server.url())))
        .await;

    let recorded = server.requests().await;
    assert_eq!(recorded.len(), 3);
    assert_eq!(recorded[0].method, "POST");
    assert_eq!(recorded[0].path, "/oms");
    assert_eq!(recorded[0].op, Some(Operation::GetServiceInfo));
    assert_eq!(
        recorded[0].header("SOAPAction"),
        Some(format!("\"{ACTION_PREFIX}GetServiceInfo\"").as_str())
    );
    let second = &recorded[1];
    assert_eq!(second.op, Some(Operation::DeliverXms));
    assert!(second.body.contains("&lt;a&gt;&amp;&lt;/a&gt;"));
    assert_eq!(second.payload(), Some("<a>&</a>"));
    let parsed = second.parsed.as_ref().unwrap();
    assert_eq!(parsed.version, SoapVersion::V12);
    assert_eq!(parsed.op, Operation::DeliverXms);
    assert_eq!(recorded[2].method, "GET");
    assert_eq!(recorded[2].path, "/oms?q=1");
    assert_eq!(recorded[2].op, None);
    assert!(recorded[2].parsed.is_err());

    let deliveries = server.requests_for(Operation::DeliverXms).await;
    assert_eq!(deliveries.len(), 1);
}

#[rstest]
#[case::get("GET", "/oms", "GetServiceInfo", "POST")]
#[case::wrong_path("POST", "/elsewhere", "GetServiceInfo", "/elsewhere")]
#[case::no_operation("POST", "/oms", "Nothing", "names no MS-OMS operation")]
#[tokio::test]
async fn unmatched_requests_get_a_fault(
    #[case] method: &str,
    #[case] path: &str,
    #[case] element: &str,
    #[case] reason_mentions: &str,
    #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
) {
    let server = plain().await;
    server.defaults(&example_service_info()).await;
    let base = server.url().trim_end_matches("/oms").to_owned();
    let body = write_envelope(version, &format!("<{element} xmlns=\"{OMS_NS}\"/>"));
    let req = Request::new(method, &format!("{base}{path}"))
        .header("Content-Type", content_type(version))
        .body(body);
    let exchange = HttpClient::new(None).send(req).await;
    let response = exchange.response().expect("an answer, not a hang");
    let expected_status = match version {
        SoapVersion::V11 => 500,
        SoapVersion::V12 => 400,
    };
    assert_eq!(response.status, expected_status);
    let parsed = wire::oms::parse_response(
        Operation::GetServiceInfo,
        version,
        &response.headers,
        &response.text(),
    )
    .unwrap();
    let ResponseBody::Fault(fault) = parsed.body else {
        panic!("expected a fault, got {:?}", parsed.body);
    };
    assert_eq!(fault.code_kind(), Some(FaultCode::Client));
    assert!(fault.reason.contains(reason_mentions), "{}", fault.reason);
}

#[tokio::test]
async fn serves_https_with_its_own_ca() {
    let server = ScriptedOms::start(true).await.unwrap();
    assert!(server.is_tls());
    assert!(server.url().starts_with("https://127.0.0.1:"));
    assert!(server.url().ends_with("/oms"));
    let ca = server.ca_pem().expect("a CA").to_owned();
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"));
    server.defaults(&example_service_info()).await;

    let trusting = OmsCaller::new(
        HttpClient::new(Some(client_config(Some(&ca), false).unwrap())),
        server.url(),
    );
    let call = trusting
        .call(Operation::GetServiceInfo, SoapVersion::V11, None)
        .await;
    assert_eq!(call.status(), Some(200));
    assert_eq!(
        ServiceInfo::parse(call.result_payload().unwrap())
            .unwrap()
            .value,
        example_service_info()
    );

    let other_ca = ScriptedOms::start(true).await.unwrap();
    let distrusting = OmsCaller::new(HttpClient::new(other_ca.client_tls()), server.url());
    let call = distrusting
        .call(Operation::GetServiceInfo, SoapVersion::V11, None)
        .await;
    assert!(call.transport_error().is_some());
    assert_eq!(server.requests().await.len(), 1);
}

#[tokio::test]
async fn plain_server_has_no_tls_material() {
    let server = plain().await;
    assert!(!server.is_tls());
    assert!(server.url().starts_with("http://127.0.0.1:"));
    assert_eq!(server.ca_pem(), None);
    assert!(server.client_tls().is_none());
    assert!(server.requests().await.is_empty());
}

/// Every answer is logged beside its request, in order, and handed to the hook as it goes
/// out, so a transcript holds the server's side of each exchange at the time it happened.
#[tokio::test]
async fn exchanges_are_logged_with_their_answers_as_they_happen() {
    let server = plain().await;
    server.defaults(&example_service_info()).await;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = std::sync::Arc::clone(&seen);
    server.on_exchange(std::sync::Arc::new(move |s| {
        sink.lock()
            .unwrap()
            .push((s.request.op, s.response.status, std::time::Instant::now()));
    }));
    server
        .script(
            Operation::DeliverXms,
            vec![Canned::ResultWithStatus {
                status: 503,
                payload: xms_response(&[DeliveryError::ok()]),
            }],
        )
        .await;
    let c = caller(&server);
    let first = c
        .call(Operation::GetServiceInfo, SoapVersion::V11, None)
        .await;
    let after_first = std::time::Instant::now();
    let second = c
        .call(Operation::DeliverXms, SoapVersion::V12, Some("<x/>"))
        .await;
    assert_eq!(first.status(), Some(200));
    // A 503 whose body is a well-formed ok result.
    assert_eq!(second.status(), Some(503));
    assert!(second
        .result_payload()
        .is_some_and(|p| XmsResponse::parse(p).is_ok()));
    let log = server.log().snapshot();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].request.op, Some(Operation::GetServiceInfo));
    assert!(log[0].response.body.contains("serviceInfo"));
    assert_eq!(log[1].response.status, 503);
    assert!(log[1]
        .response
        .headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("content-type") && v.contains("soap+xml")));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen.iter()
            .map(|(op, st, _)| (*op, *st))
            .collect::<Vec<_>>(),
        vec![
            (Some(Operation::GetServiceInfo), 200),
            (Some(Operation::DeliverXms), 503)
        ]
    );
    // The first exchange was handed over before the second request was made.
    assert!(seen[0].2 <= after_first);
}

/// Unrouted requests are logged with the fault that answered them.
#[tokio::test]
async fn unmatched_requests_are_logged_too() {
    let server = plain().await;
    let http = HttpClient::new(None);
    let _ = http
        .send(Request::new("GET", &format!("{}/elsewhere", server.url())))
        .await;
    let log = server.log().snapshot();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].request.op, None);
    assert_eq!(log[0].response.status, 500);
}

/// The raw bytes are kept beside the lossy text view, and the arrival time with them.
#[tokio::test]
async fn requests_keep_their_raw_bytes() {
    let server = plain().await;
    server.defaults(&example_service_info()).await;
    let mut body = write_envelope(
        SoapVersion::V11,
        &format!("<GetServiceInfo xmlns=\"{OMS_NS}\"/>"),
    )
    .into_bytes();
    body.extend_from_slice(b"<!-- \xff -->");
    let http = HttpClient::new(None);
    let _ = http
        .send(
            Request::new("POST", &server.url())
                .header("Content-Type", "text/xml; charset=utf-8")
                .body(body.clone()),
        )
        .await;
    let recorded = server.requests().await;
    assert_eq!(&recorded[0].raw[..], &body[..]);
    assert!(recorded[0].body.contains('\u{fffd}'));
    let exchanges = server.log().recorder().snapshot();
    assert_eq!(&exchanges[0].raw[..], &body[..]);
}

#[tokio::test]
async fn expectations_per_operation() {
    let server = plain().await;
    server.defaults(&example_service_info()).await;
    server.expect(Operation::GetServiceInfo, Calls::Exactly(1));
    server.expect(Operation::DeliverXms, Calls::AtLeast(1));
    caller(&server)
        .call(Operation::GetServiceInfo, SoapVersion::V11, None)
        .await;
    assert_eq!(
        server.verify(),
        ["DeliverXms: expected at least 1 call, got 0"]
    );
    caller(&server)
        .call(Operation::DeliverXms, SoapVersion::V12, Some("<x/>"))
        .await;
    assert_eq!(server.verify(), Vec::<String>::new());
}

/// Hangs and resets are scripted on the HTTP peer with the operation's name as key; the
/// canned answers of other operations are unaffected.
#[tokio::test]
async fn hang_and_reset_by_operation() {
    let server = plain().await;
    server.defaults(&example_service_info()).await;
    server
        .http()
        .script(Operation::DeliverXms.name(), vec![Answer::reset()])
        .await;
    server
        .http()
        .script(Operation::SendXms.name(), vec![Answer::hang()])
        .await;
    let mut http = HttpClient::new(None);
    http.response_timeout = std::time::Duration::from_millis(300);
    let c = OmsCaller::new(http, server.url());
    let reset = c
        .call(Operation::DeliverXms, SoapVersion::V11, Some("<x/>"))
        .await;
    assert!(
        matches!(reset.transport_error(), Some(TransportError::Reset(_))),
        "{:?}",
        reset.transport_error()
    );
    let hung = c
        .call(Operation::SendXms, SoapVersion::V11, Some("<x/>"))
        .await;
    assert!(
        matches!(hung.transport_error(), Some(TransportError::Timeout { .. })),
        "{:?}",
        hung.transport_error()
    );
    let ok = c
        .call(Operation::GetServiceInfo, SoapVersion::V11, None)
        .await;
    assert_eq!(ok.status(), Some(200));
    let statuses: Vec<u16> = server
        .log()
        .snapshot()
        .iter()
        .map(|s| s.response.status)
        .collect();
    // No response went out for the reset and the hang.
    assert_eq!(statuses, [0, 0, 200]);
}

#[tokio::test]
async fn advertised_url_keeps_the_service_path() {
    let listen = Listen::default().advertise("https://oms.example:8443");
    let server = ScriptedOms::start_on(listen, None).await.unwrap();
    assert_eq!(server.url(), "https://oms.example:8443/oms");
    assert!(server.http().local_addr().ip().is_loopback());
}
