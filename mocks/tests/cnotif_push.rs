//! UDP push through the mock MAPI/HTTP server's control endpoint, as a user of the standalone
//! mock registers it (the stand-in for EcRRegisterPushNotification): refusals first, then a
//! registration for a real client's session and the datagram carrying its context.

use base64::Engine as _;
use oxconf_mocks::cnotif::client::{ClientArgs, ReferenceClient};
use oxconf_mocks::cnotif::server::push::CONTROL_PATH;
use oxconf_mocks::cnotif::server::store::Queued;
use oxconf_mocks::cnotif::server::{
    MapiOptions, MockMapiServer, Script, Signal, CONTEXT_COOKIE, DEFAULT_MAILBOX_DN,
    DEFAULT_PASSWORD, DEFAULT_USER,
};
use oxconf_mocks::net::{HttpClient, Request};
use std::sync::Arc;
use std::time::Duration;

fn auth() -> String {
    let token = base64::engine::general_purpose::STANDARD
        .encode(format!("{DEFAULT_USER}:{DEFAULT_PASSWORD}"));
    format!("Basic {token}")
}

async fn register(base: &str, cookie: Option<&str>, body: &str, with_auth: bool) -> u16 {
    let mut req = Request::new("POST", &format!("{base}{CONTROL_PATH}"))
        .header("Content-Type", "application/json");
    if with_auth {
        req = req.header("Authorization", &auth());
    }
    if let Some(c) = cookie {
        req = req.header("Cookie", &format!("{CONTEXT_COOKIE}={c}"));
    }
    let exchange = HttpClient::new(None)
        .send(req.body(body.as_bytes().to_vec()))
        .await;
    exchange.result.map(|r| r.status).unwrap_or(0)
}

#[tokio::test]
async fn a_registered_callback_gets_datagrams_carrying_its_context() {
    let script = Script::new(200);
    let server = MockMapiServer::start_scripted(
        MapiOptions {
            minute: Duration::from_millis(200),
            ..MapiOptions::default()
        },
        Default::default(),
        Arc::clone(&script),
    )
    .await
    .expect("the server starts");
    let base = server
        .url()
        .trim_end_matches(oxconf_mocks::cnotif::server::EMSMDB_PATH)
        .to_string();
    let client = ReferenceClient::new(Default::default());
    let args = ClientArgs {
        url: server.url(),
        user: DEFAULT_USER.into(),
        password: DEFAULT_PASSWORD.into(),
        mailbox_dn: DEFAULT_MAILBOX_DN.into(),
        ca_pem: None,
        udp: None,
    };
    let task = tokio::spawn(async move {
        client
            .run(args, Arc::new(|_: &str| {}), Arc::new(|_: &str| {}))
            .await;
    });
    let registered = script
        .until_registered(Duration::from_secs(10))
        .await
        .expect("the client registers");
    let cookie = server.client_cookie().expect("the client's session");
    let socket = tokio::net::UdpSocket::bind("127.0.0.1:0")
        .await
        .expect("udp");
    let callback = socket.local_addr().expect("addr").to_string();
    let good = format!("{{\"callback\": \"{callback}\", \"context\": \"0A0B0C0D\"}}");

    assert_eq!(register(&base, Some(&cookie), &good, false).await, 401);
    assert_eq!(register(&base, None, &good, true).await, 400);
    assert_eq!(
        register(&base, Some("no-such-session"), &good, true).await,
        404
    );
    let bad_hex = format!("{{\"callback\": \"{callback}\", \"context\": \"xyz\"}}");
    assert_eq!(register(&base, Some(&cookie), &bad_hex, true).await, 400);
    assert_eq!(register(&base, Some(&cookie), "not json", true).await, 400);
    assert_eq!(register(&base, Some(&cookie), &good, true).await, 200);

    let (handle, logon_id) = registered.subscriptions[0];
    script.inject(
        vec![Queued {
            handle,
            logon_id,
            data: vec![
                0x04, 0x00, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 4, 0, 0,
            ],
        }],
        Signal::Datagram,
    );
    let mut buf = [0u8; 64];
    let (n, _) = tokio::time::timeout(Duration::from_secs(5), socket.recv_from(&mut buf))
        .await
        .expect("a datagram within 5 s")
        .expect("received");
    assert_eq!(&buf[..n], &[0x0A, 0x0B, 0x0C, 0x0D]);
    task.abort();
}
