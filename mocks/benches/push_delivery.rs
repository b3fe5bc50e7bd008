//! How fast the mock Exchange push server delivers SendNotifications to a loopback listener
//! that answers OK, beside a raw baseline measured in the same run: the same bytes POSTed by
//! a bare HTTP client to the same listener. Run: `cargo bench -p oxconf-mocks --bench push_delivery`.

use oxconf_mocks::ews::listener::{ListenerOptions, MockListener};
use oxconf_mocks::ews::server::{ExchangeOptions, MockExchange};
use oxconf_mocks::net::{HttpClient, Request};
use std::time::{Duration, Instant};
use wire::ews::{ns, write_request, EventKind, EwsRequest, FolderRef, PushSubscriptionRequest};
use wire::soap::{request_headers, SoapVersion};

const N: usize = 400;

#[tokio::main]
async fn main() {
    let listener = MockListener::start(ListenerOptions::default(), Default::default())
        .await
        .expect("listener");
    let server = MockExchange::start(ExchangeOptions::default(), Default::default())
        .await
        .expect("server");
    let http = HttpClient::new(None);
    let mut p = PushSubscriptionRequest::new(listener.url(), &[EventKind::NewMail], 30);
    p.folder_ids = vec![FolderRef::distinguished("inbox")];
    let body = write_request(
        SoapVersion::V11,
        Some("Exchange2013"),
        &EwsRequest::Subscribe(p),
    );
    let basic = "Basic YWxpY2VAZXhhbXBsZS5jb206b3hjb25mLXNlY3JldA==";
    let mut req = Request::new("POST", &server.url())
        .body(body.into_bytes())
        .header("Authorization", basic);
    for (n, v) in request_headers(SoapVersion::V11, &ns::action("Subscribe")) {
        req = req.header(&n, &v);
    }
    let ex = http.send(req).await;
    assert_eq!(ex.result.as_ref().map(|r| r.status).ok(), Some(200));
    let deliveries = server.deliveries();
    let far = Instant::now() + Duration::from_secs(30);
    deliveries
        .wait_for_count(1, far)
        .await
        .expect("initial notification");

    // The mock: one NewMail at a time, each waited for until delivered and answered.
    let started = Instant::now();
    for i in 0..N {
        server.cause(EventKind::NewMail, None).await.expect("cause");
        deliveries
            .wait_for_count(i + 2, far)
            .await
            .expect("delivered");
    }
    let mock = started.elapsed();
    let sample = deliveries
        .snapshot()
        .last()
        .map(|a| a.raw.to_vec())
        .expect("a delivery");

    // The baseline: the same bytes, POSTed one after another by a bare client.
    let started = Instant::now();
    for _ in 0..N {
        let mut req = Request::new("POST", &listener.url()).body(sample.clone());
        for (n, v) in request_headers(SoapVersion::V11, &ns::action("SendNotification")) {
            req = req.header(&n, &v);
        }
        let ex = http.send(req).await;
        assert_eq!(ex.result.as_ref().map(|r| r.status).ok(), Some(200));
    }
    let raw = started.elapsed();
    let rate = |d: Duration| N as f64 / d.as_secs_f64();
    println!(
        "mock push server: {N} SendNotifications in {:.3} s = {:.0}/s",
        mock.as_secs_f64(),
        rate(mock)
    );
    println!(
        "raw loopback POST: {N} of the same bytes in {:.3} s = {:.0}/s",
        raw.as_secs_f64(),
        rate(raw)
    );
    println!(
        "ratio mock/raw: {:.2} ({} bytes each)",
        rate(mock) / rate(raw),
        sample.len()
    );
}
