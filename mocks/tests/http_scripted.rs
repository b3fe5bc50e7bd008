//! The scripted HTTP peer over real loopback HTTP: routing, sequences, defaults and the
//! fallback, delays, hangs that end when the peer is dropped, resets, expectations, the
//! exchange log with raw bytes and arrival times, waiting for callbacks, TLS, and an
//! advertised URL apart from the bound address.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use oxconf_mocks::http::{
    Answer, AnsweredBy, Calls, Given, Reply, Route, ScriptedHttp, ScriptedHttpConfig,
};
use oxconf_mocks::net::{HttpClient, Listen, Request, TestPki, TransportError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const ENVELOPE: &str = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>";
const END: &str = "</s:Body></s:Envelope>";

fn soap(element: &str) -> String {
    format!("{ENVELOPE}<m:{element} xmlns:m=\"urn:test\"/>{END}")
}

async fn peer() -> ScriptedHttp {
    ScriptedHttp::start(ScriptedHttpConfig::new(Route::by_soap_body_element()))
        .await
        .unwrap()
}

fn client() -> HttpClient {
    let mut c = HttpClient::new(None);
    c.connect_timeout = Duration::from_secs(2);
    c.response_timeout = Duration::from_secs(5);
    c
}

async fn call(peer: &ScriptedHttp, element: &str) -> Result<(u16, String), TransportError> {
    let req = Request::new("POST", &format!("{}/push", peer.url()))
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(soap(element));
    client()
        .send(req)
        .await
        .result
        .map(|r| (r.status, r.text()))
}

fn soon(secs: u64) -> Instant {
    Instant::now() + Duration::from_secs(secs)
}

#[tokio::test]
async fn successive_answers_then_the_last_repeats() {
    let p = peer().await;
    p.script(
        "SendNotification",
        vec![Answer::text(200, "one"), Answer::text(201, "two")],
    )
    .await;
    let mut got = Vec::new();
    for _ in 0..4 {
        got.push(call(&p, "SendNotification").await.unwrap());
    }
    assert_eq!(
        got,
        [
            (200, "one".to_string()),
            (201, "two".to_string()),
            (201, "two".to_string()),
            (201, "two".to_string())
        ]
    );
    // Scripting again starts over; an empty script falls back to the default.
    p.script("SendNotification", vec![Answer::text(202, "again")])
        .await;
    assert_eq!(call(&p, "SendNotification").await.unwrap().0, 202);
    p.set_default("SendNotification", Answer::text(203, "default"))
        .await;
    assert_eq!(call(&p, "SendNotification").await.unwrap().0, 202);
    p.script("SendNotification", vec![]).await;
    assert_eq!(call(&p, "SendNotification").await.unwrap().0, 203);
    let by: Vec<AnsweredBy> = p.exchanges().iter().map(|a| a.item.answered_by).collect();
    assert_eq!(by[..4], [AnsweredBy::Script; 4]);
    assert_eq!(by.last(), Some(&AnsweredBy::Default));
}

#[tokio::test]
async fn keys_are_scripted_apart() {
    let p = peer().await;
    p.script("A", vec![Answer::text(200, "a")]).await;
    p.script("B", vec![Answer::text(200, "b")]).await;
    assert_eq!(call(&p, "B").await.unwrap().1, "b");
    assert_eq!(call(&p, "A").await.unwrap().1, "a");
    assert_eq!((p.calls("A"), p.calls("B"), p.unrouted()), (1, 1, 0));
}

#[tokio::test]
async fn unrouted_and_unscripted_requests_get_the_fallback() {
    let p = peer().await;
    // No key at all (not SOAP), and a key nothing is scripted for.
    let ex = client()
        .send(Request::new("GET", &format!("{}/nothing", p.url())))
        .await;
    assert_eq!(ex.response().map(|r| r.status), Some(404));
    assert_eq!(call(&p, "Unknown").await.unwrap().0, 404);
    p.set_fallback(Answer::computed(|r| {
        Reply::text(418, &format!("no script for {} {}", r.method, r.path))
    }))
    .await;
    assert_eq!(
        call(&p, "Unknown").await.unwrap(),
        (418, "no script for POST /push".to_string())
    );
    let log = p.exchanges();
    assert_eq!(log.len(), 3);
    assert!(log
        .iter()
        .all(|a| a.item.answered_by == AnsweredBy::Fallback));
    assert_eq!(log[0].item.key, None);
    assert_eq!(log[0].item.target, "/nothing");
    // The key is recorded even when the fallback answered, and counted for expectations.
    assert_eq!(log[1].item.key.as_deref(), Some("Unknown"));
    assert_eq!((p.calls("Unknown"), p.unrouted()), (2, 1));
}

#[tokio::test]
async fn computed_answers_read_the_request() {
    let p = peer().await;
    p.script(
        "Echo",
        vec![Answer::computed(|r| {
            Reply::new(200)
                .body("text/xml", r.body.clone())
                .header("X-Seen-Query", r.query.as_deref().unwrap_or("-"))
        })],
    )
    .await;
    let req = Request::new("POST", &format!("{}/push?id=7", p.url())).body(soap("Echo"));
    let ex = client().send(req).await;
    let resp = ex.response().expect("an answer");
    assert_eq!(resp.text(), soap("Echo"));
    assert_eq!(resp.header("x-seen-query"), Some("id=7"));
    assert_eq!(resp.header("content-type"), Some("text/xml"));
    let given = &p.exchanges()[0].item.answer;
    assert_eq!(given.reply().map(|r| r.status), Some(200));
}

#[tokio::test]
async fn a_status_http_cannot_carry_goes_out_as_500() {
    let p = peer().await;
    p.script("Odd", vec![Answer::status(42)]).await;
    assert_eq!(call(&p, "Odd").await.unwrap().0, 500);
    assert_eq!(
        p.exchanges()[0].item.answer.reply().map(|r| r.status),
        Some(500)
    );
}

#[tokio::test]
async fn delayed_answers_arrive_late() {
    let p = peer().await;
    let delay = Duration::from_millis(300);
    p.script("Slow", vec![Answer::text(200, "late").after(delay)])
        .await;
    let started = Instant::now();
    assert_eq!(call(&p, "Slow").await.unwrap().1, "late");
    assert!(started.elapsed() >= delay, "{:?}", started.elapsed());
    assert_eq!(p.exchanges()[0].item.delay, delay);
}

#[tokio::test]
async fn a_hang_holds_the_caller_until_it_times_out() {
    let p = peer().await;
    p.script("Stuck", vec![Answer::hang()]).await;
    let mut c = client();
    c.response_timeout = Duration::from_millis(400);
    let ex = c
        .send(Request::new("POST", &format!("{}/push", p.url())).body(soap("Stuck")))
        .await;
    assert!(
        matches!(ex.result, Err(TransportError::Timeout { .. })),
        "{:?}",
        ex.result
    );
    assert_eq!(p.exchanges()[0].item.answer, Given::Hang);
}

#[tokio::test]
async fn a_hang_ends_when_the_peer_is_dropped() {
    let p = peer().await;
    p.script("Stuck", vec![Answer::hang()]).await;
    let log = p.log();
    let url = format!("{}/push", p.url());
    let mut c = client();
    c.response_timeout = Duration::from_secs(30);
    let pending = tokio::spawn(async move {
        let started = Instant::now();
        let ex = c.send(Request::new("POST", &url).body(soap("Stuck"))).await;
        (ex.result, started.elapsed())
    });
    // Dropped once the request is in.
    assert!(log.wait_for_count(1, soon(5)).await.is_ok());
    drop(p);
    let (result, waited) = tokio::time::timeout(Duration::from_secs(5), pending)
        .await
        .expect("the hang ended with the peer")
        .unwrap();
    assert!(
        matches!(result, Err(TransportError::Reset(_))),
        "{result:?}"
    );
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    // The log outlives the peer.
    assert_eq!(log.len(), 1);
}

#[tokio::test]
async fn a_reset_closes_without_a_response() {
    let p = peer().await;
    p.script("Crash", vec![Answer::reset(), Answer::text(200, "back")])
        .await;
    let first = call(&p, "Crash").await;
    assert!(matches!(first, Err(TransportError::Reset(_))), "{first:?}");
    assert_eq!(call(&p, "Crash").await.unwrap().1, "back");
    let log = p.exchanges();
    assert_eq!(log[0].item.answer, Given::Reset);
    assert_eq!(log[0].item.key.as_deref(), Some("Crash"));
}

/// Seen from the socket: a TCP reset, not an orderly close.
#[tokio::test]
async fn a_reset_is_a_tcp_reset() {
    let p = peer().await;
    p.script("Crash", vec![Answer::reset()]).await;
    let body = soap("Crash");
    let head = format!(
        "POST /push HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut s = TcpStream::connect(p.local_addr()).await.unwrap();
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body.as_bytes()).await.unwrap();
    let mut buf = [0u8; 64];
    let read = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
        .await
        .expect("the peer acts at once");
    match read {
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
        Ok(n) => panic!("expected a reset, read {n} bytes"),
    }
}

#[tokio::test]
async fn expectations_report_what_is_unmet() {
    let p = peer().await;
    p.expect("SendNotification", Calls::Exactly(2));
    p.expect("GetStreamingEvents", Calls::AtLeast(1));
    p.expect("Unsubscribe", Calls::AtMost(0));
    p.set_default("SendNotification", Answer::status(200)).await;
    call(&p, "SendNotification").await.unwrap();
    assert_eq!(
        p.verify(),
        [
            "SendNotification: expected exactly 2 calls, got 1",
            "GetStreamingEvents: expected at least 1 call, got 0"
        ]
    );
    call(&p, "SendNotification").await.unwrap();
    call(&p, "GetStreamingEvents").await.unwrap();
    assert_eq!(p.verify(), Vec::<String>::new());
    call(&p, "Unsubscribe").await.unwrap();
    assert_eq!(p.verify(), ["Unsubscribe: expected at most 0 calls, got 1"]);
}

#[tokio::test]
async fn waiting_for_a_callback_and_for_expectations() {
    let p = Arc::new(peer().await);
    p.set_default("SendNotification", Answer::text(200, "OK"))
        .await;
    p.expect("SendNotification", Calls::AtLeast(2));
    // Nothing comes: the wait ends at the deadline with the unmet expectation.
    let unmet = p
        .wait_satisfied(Instant::now() + Duration::from_millis(100))
        .await;
    assert_eq!(
        unmet,
        ["SendNotification: expected at least 2 calls, got 0"]
    );
    let caller = Arc::clone(&p);
    let sender = tokio::spawn(async move {
        for _ in 0..2 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            call(&caller, "SendNotification").await.unwrap();
        }
    });
    let got = p
        .wait_for_key("SendNotification", 2, soon(10))
        .await
        .expect("two callbacks");
    assert_eq!(got.len(), 2);
    assert_eq!(p.wait_satisfied(soon(10)).await, Vec::<String>::new());
    sender.await.unwrap();
    // A key that never comes: Err with what there is (none of that key).
    let none = p
        .wait_for_key("Other", 1, Instant::now() + Duration::from_millis(50))
        .await;
    assert_eq!(none.map_err(|v| v.len()), Err(0));
}

#[tokio::test]
async fn exchanges_keep_raw_bytes_heads_and_arrival_times() {
    let p = peer().await;
    let epoch = Instant::now();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    p.on_exchange(Arc::new(move |a| {
        sink.lock().unwrap().push(a.item.key.clone());
    }));
    let mut body = soap("Raw").into_bytes();
    body.extend_from_slice(b"\xff\xfe trailing");
    let req = Request::new("POST", &format!("{}/push", p.url()))
        .header("X-Custom", "v")
        .body(body.clone());
    client().send(req).await;
    let log = p.exchanges();
    let a = &log[0];
    assert_eq!(&a.raw[..], &body[..]);
    assert_eq!(a.item.method, "POST");
    assert_eq!(a.item.header("x-custom"), Some("v"));
    assert!(a.since(epoch) < Duration::from_secs(5));
    assert!(a.at >= epoch);
    // Not SOAP any more once garbage trails the envelope: no key, the fallback answered.
    assert_eq!(a.item.key, None);
    assert_eq!(*seen.lock().unwrap(), [None]);
}

#[tokio::test]
async fn the_log_is_bounded() {
    let mut cfg = ScriptedHttpConfig::new(Route::by_path());
    cfg.limits = oxconf_mocks::record::RecordLimits::new(2, 1 << 20);
    let p = ScriptedHttp::start(cfg).await.unwrap();
    for i in 0..4 {
        client()
            .send(Request::new("GET", &format!("{}/{i}", p.url())))
            .await;
    }
    let log = p.log();
    assert_eq!((log.len(), log.dropped()), (2, 2));
    // Counting goes on past the log's bounds.
    assert_eq!(p.calls("/3"), 1);
}

#[tokio::test]
async fn advertised_url_differs_from_the_bound_address() {
    let mut cfg = ScriptedHttpConfig::new(Route::by_soap_body_element());
    cfg.listen = Listen::on(SocketAddr::from(([127, 0, 0, 1], 0)))
        .advertise("https://runner.example:8443/oxconf/");
    let p = ScriptedHttp::start(cfg).await.unwrap();
    assert_eq!(p.url(), "https://runner.example:8443/oxconf");
    let bound = p.local_addr();
    assert!(bound.ip().is_loopback());
    assert_ne!(bound.port(), 0);
    // Reached at the bound address, whatever is advertised.
    p.script("Ping", vec![Answer::text(200, "pong")]).await;
    let req = Request::new("POST", &format!("http://{bound}/push")).body(soap("Ping"));
    assert_eq!(
        client().send(req).await.response().map(|r| r.text()),
        Some("pong".to_string())
    );
    // Without advertising, the URL is the bound one.
    let plain = peer().await;
    assert_eq!(plain.url(), format!("http://{}", plain.local_addr()));
}

#[tokio::test]
async fn serves_https_with_its_ca() {
    let mut cfg = ScriptedHttpConfig::new(Route::by_soap_body_element());
    cfg.tls = Some(TestPki::generate(&["127.0.0.1"]).unwrap());
    let p = ScriptedHttp::start(cfg).await.unwrap();
    assert!(p.is_tls());
    assert!(p.url().starts_with("https://127.0.0.1:"));
    assert!(p
        .ca_pem()
        .is_some_and(|pem| pem.contains("BEGIN CERTIFICATE")));
    p.script("Ping", vec![Answer::text(200, "pong"), Answer::reset()])
        .await;
    let mut c = client();
    c.tls = p.client_tls();
    let ping = || Request::new("POST", &format!("{}/push", p.url())).body(soap("Ping"));
    assert_eq!(
        c.send(ping()).await.response().map(|r| r.text()),
        Some("pong".to_string())
    );
    let reset = c.send(ping()).await.result;
    assert!(matches!(reset, Err(TransportError::Reset(_))), "{reset:?}");
}
