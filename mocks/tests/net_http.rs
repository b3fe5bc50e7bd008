//! HttpClient against HttpServer and TlsFront over loopback, plain and TLS, including the
//! fault behaviours a mock can inject.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use oxconf_mocks::net::{
    client_config, handler, Behaviour, HttpClient, HttpServer, Request, ResponseBody, ServerLimits,
    ServerRequest, ServerResponse, TestPki, TlsFront, TransportError,
};
use rstest::rstest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const LOOPBACK: &str = "127.0.0.1:0";
const SHORT: Duration = Duration::from_millis(300);

fn loopback() -> SocketAddr {
    LOOPBACK.parse().unwrap()
}

/// Echoes method, path, one header and the body back.
async fn echo(req: ServerRequest) -> ServerResponse {
    let mut body = format!(
        "{} {} ct={} peer-loopback={}\n",
        req.method,
        req.path,
        req.header("content-type").unwrap_or("-"),
        req.peer.ip().is_loopback()
    )
    .into_bytes();
    body.extend_from_slice(&req.body);
    ServerResponse::new(
        200,
        vec![
            ("Content-Type".into(), "text/plain".into()),
            ("X-Mock".into(), "echo".into()),
        ],
        body,
    )
}

fn short_client(tls: Option<Arc<rustls::ClientConfig>>) -> HttpClient {
    let mut c = HttpClient::new(tls);
    c.connect_timeout = SHORT;
    c.response_timeout = SHORT;
    c
}

fn post(url: String) -> Request {
    Request::new("POST", &url)
        .header("Content-Type", "text/xml; charset=utf-8")
        .body("<ping/>")
}

#[tokio::test]
async fn plain_round_trip() {
    let server = HttpServer::start(loopback(), None, 1024, handler(echo))
        .await
        .unwrap();
    assert!(server.base_url().starts_with("http://127.0.0.1:"));
    let ex = short_client(None)
        .send(post(format!("{}/oms?x=1", server.base_url())))
        .await;
    let resp = ex.response().expect("a response");
    assert_eq!(resp.status, 200);
    assert_eq!(resp.reason, "OK");
    assert_eq!(resp.header("x-mock"), Some("echo"));
    assert_eq!(
        resp.text(),
        "POST /oms?x=1 ct=text/xml; charset=utf-8 peer-loopback=true\n<ping/>"
    );
    assert!(ex
        .request_text()
        .starts_with("POST /oms?x=1 HTTP/1.1\r\nHost: 127.0.0.1:"));
    assert!(ex.response_text().starts_with("HTTP/1.1 200 OK\r\n"));
    assert!(ex.response_text().ends_with("<ping/>"));
}

#[tokio::test]
async fn tls_round_trip_with_test_pki() {
    let pki = TestPki::generate(&["127.0.0.1", "localhost"]).unwrap();
    let server = HttpServer::start(loopback(), Some(pki.server_config()), 1024, handler(echo))
        .await
        .unwrap();
    assert!(server.base_url().starts_with("https://"));
    let ex = short_client(Some(pki.client_config()))
        .send(post(format!("{}/secure", server.base_url())))
        .await;
    assert_eq!(
        ex.response().map(|r| r.status),
        Some(200),
        "{:?}",
        ex.result
    );

    // The same CA handed over as PEM text, as a SUT profile would.
    let from_pem = client_config(Some(&pki.ca_pem), false).unwrap();
    let ex = short_client(Some(from_pem))
        .send(post(format!("{}/pem", server.base_url())))
        .await;
    assert_eq!(
        ex.response().map(|r| r.status),
        Some(200),
        "{:?}",
        ex.result
    );
}

#[tokio::test]
async fn wrong_ca_is_a_tls_error() {
    let served = TestPki::generate(&["127.0.0.1"]).unwrap();
    let other = TestPki::generate(&["127.0.0.1"]).unwrap();
    let server = HttpServer::start(
        loopback(),
        Some(served.server_config()),
        1024,
        handler(echo),
    )
    .await
    .unwrap();
    let ex = short_client(Some(other.client_config()))
        .send(post(server.base_url()))
        .await;
    match &ex.result {
        Err(e @ TransportError::Tls(_)) => assert!(e.unreachable()),
        other => panic!("expected a TLS error, got {other:?}"),
    }
}

#[tokio::test]
async fn insecure_client_accepts_an_unknown_ca() {
    let pki = TestPki::generate(&["127.0.0.1"]).unwrap();
    let server = HttpServer::start(loopback(), Some(pki.server_config()), 1024, handler(echo))
        .await
        .unwrap();
    let ex = short_client(Some(client_config(None, true).unwrap()))
        .send(post(server.base_url()))
        .await;
    assert_eq!(
        ex.response().map(|r| r.status),
        Some(200),
        "{:?}",
        ex.result
    );
}

#[tokio::test]
async fn https_without_tls_config_is_a_tls_error() {
    let ex = short_client(None)
        .send(post("https://127.0.0.1:9/".into()))
        .await;
    assert!(
        matches!(ex.result, Err(TransportError::Tls(_))),
        "{:?}",
        ex.result
    );
}

#[tokio::test]
async fn connection_refused_is_unreachable() {
    // Bind then drop to get a port nobody listens on.
    let port = {
        let l = TcpListener::bind(LOOPBACK).await.unwrap();
        l.local_addr().unwrap().port()
    };
    let ex = short_client(None)
        .send(post(format!("http://127.0.0.1:{port}/")))
        .await;
    match &ex.result {
        Err(e @ TransportError::Connect(_)) => assert!(e.unreachable()),
        other => panic!("expected Connect, got {other:?}"),
    }
    assert!(ex
        .response_text()
        .starts_with("no response: connection failed"));
}

#[rstest]
#[case::declared_length(ResponseBody::Bytes(vec![b'x'; 5000]), vec![])]
#[case::chunked_stream(
    ResponseBody::Repeat { chunk: vec![b'y'; 1000], times: 1_000_000 },
    vec![]
)]
#[case::explicit_chunked(
    ResponseBody::Repeat { chunk: vec![b'z'; 1000], times: 10 },
    vec![("Transfer-Encoding".to_string(), "chunked".to_string())]
)]
#[tokio::test]
async fn large_response_bodies_are_cut_off(
    #[case] body: ResponseBody,
    #[case] headers: Vec<(String, String)>,
) {
    let body = Arc::new(body);
    let server = HttpServer::start(
        loopback(),
        None,
        1024,
        handler(move |_req| {
            let body = body.clone();
            let headers = headers.clone();
            async move {
                let mut r = ServerResponse::new(200, headers, vec![]);
                r.body = (*body).clone();
                r
            }
        }),
    )
    .await
    .unwrap();
    let mut client = short_client(None);
    client.response_timeout = Duration::from_secs(5);
    client.max_body = 4096;
    let ex = client.send(post(server.base_url())).await;
    assert_eq!(
        ex.result.unwrap_err(),
        TransportError::TooLarge { limit: 4096 }
    );
}

#[tokio::test]
async fn hanging_server_times_out() {
    let server = HttpServer::start(
        loopback(),
        None,
        1024,
        handler(|_req| async {
            ServerResponse::new(200, vec![], vec![]).with_behaviour(Behaviour::Hang)
        }),
    )
    .await
    .unwrap();
    let ex = short_client(None).send(post(server.base_url())).await;
    match ex.result {
        Err(TransportError::Timeout { stage, after }) => {
            assert_eq!(stage, "response head");
            assert_eq!(after, SHORT);
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn delayed_answer_arrives_within_the_limit() {
    let server = HttpServer::start(
        loopback(),
        None,
        1024,
        handler(|_req| async {
            ServerResponse::new(202, vec![], b"late".to_vec())
                .with_behaviour(Behaviour::Delay(Duration::from_millis(20)))
        }),
    )
    .await
    .unwrap();
    let mut client = short_client(None);
    client.response_timeout = Duration::from_secs(5);
    let ex = client.send(post(server.base_url())).await;
    let resp = ex.response().expect("response");
    assert_eq!((resp.status, resp.text().as_str()), (202, "late"));
}

#[rstest]
#[case::http(false)]
#[case::https(true)]
#[tokio::test]
async fn resetting_server_is_reported_as_reset(#[case] tls: bool) {
    let pki = TestPki::generate(&["127.0.0.1"]).unwrap();
    let server = HttpServer::start(
        loopback(),
        tls.then(|| pki.server_config()),
        1024,
        handler(|_req| async {
            ServerResponse::new(200, vec![], vec![]).with_behaviour(Behaviour::Reset)
        }),
    )
    .await
    .unwrap();
    let ex = short_client(Some(pki.client_config()))
        .send(post(server.base_url()))
        .await;
    assert!(
        matches!(ex.result, Err(TransportError::Reset(_))),
        "{:?}",
        ex.result
    );
    assert!(!ex.result.unwrap_err().unreachable());
}

#[tokio::test]
async fn oversized_request_bodies_get_413() {
    let server = HttpServer::start(loopback(), None, 16, handler(echo))
        .await
        .unwrap();
    let req = Request::new("POST", &server.base_url()).body(vec![b'a'; 17]);
    let ex = short_client(None).send(req).await;
    assert_eq!(ex.response().map(|r| r.status), Some(413));
    // Exactly at the limit is fine.
    let req = Request::new("POST", &server.base_url()).body(vec![b'a'; 16]);
    let ex = short_client(None).send(req).await;
    assert_eq!(ex.response().map(|r| r.status), Some(200));
}

/// A raw TCP peer that answers every connection with fixed bytes, then closes.
async fn raw_peer(reply: &'static [u8]) -> SocketAddr {
    let listener = TcpListener::bind(LOOPBACK).await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let _ = s.write_all(reply).await;
                let _ = s.shutdown().await;
            });
        }
    });
    addr
}

#[rstest]
#[case::not_http(b"SSH-2.0-OpenSSH\r\n\r\n", "protocol")]
#[case::bad_status(b"HTTP/1.1 abc OK\r\n\r\n", "protocol")]
#[case::truncated_body(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", "reset")]
#[case::nothing(b"", "reset")]
#[case::bad_chunking(
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "protocol"
)]
#[tokio::test]
async fn broken_peers_are_classified(#[case] reply: &'static [u8], #[case] class: &str) {
    let addr = raw_peer(reply).await;
    let ex = short_client(None)
        .send(post(format!("http://{addr}/")))
        .await;
    let got = match &ex.result {
        Err(TransportError::Protocol(_)) => "protocol",
        Err(TransportError::Reset(_)) => "reset",
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(got, class, "{:?}", ex.result);
}

#[tokio::test]
async fn close_delimited_body_is_accepted() {
    let addr = raw_peer(b"HTTP/1.1 200 Fine\r\nX-A: b\r\n\r\nuntil close").await;
    let ex = short_client(None)
        .send(post(format!("http://{addr}/")))
        .await;
    let resp = ex.response().expect("response");
    assert_eq!(resp.reason, "Fine");
    assert_eq!(resp.text(), "until close");
}

#[tokio::test]
async fn silent_peer_times_out_on_response_head() {
    let listener = TcpListener::bind(LOOPBACK).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    let ex = short_client(None)
        .send(post(format!("http://{addr}/")))
        .await;
    assert!(
        matches!(
            ex.result,
            Err(TransportError::Timeout {
                stage: "response head",
                ..
            })
        ),
        "{:?}",
        ex.result
    );
    holder.abort();
}

#[tokio::test]
async fn tls_front_serves_a_plain_upstream() {
    let pki = TestPki::generate(&["127.0.0.1"]).unwrap();
    let upstream = HttpServer::start(loopback(), None, 1024, handler(echo))
        .await
        .unwrap();
    let front = TlsFront::start(loopback(), pki.server_config(), upstream.local_addr())
        .await
        .unwrap();
    assert!(front.base_url().starts_with("https://127.0.0.1:"));
    let client = short_client(Some(pki.client_config()));
    for i in 0..3 {
        let ex = client
            .send(post(format!("{}/via-front/{i}", front.base_url())))
            .await;
        let resp = ex.response().unwrap_or_else(|| panic!("{:?}", ex.result));
        assert_eq!(resp.status, 200);
        assert!(resp.text().starts_with(&format!("POST /via-front/{i} ")));
    }
}

#[tokio::test]
async fn tls_front_in_front_of_wiremock() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oms"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<ok/>"))
        .mount(&mock)
        .await;
    let pki = TestPki::generate(&["127.0.0.1"]).unwrap();
    let front = TlsFront::start(loopback(), pki.server_config(), *mock.address())
        .await
        .unwrap();
    let ex = short_client(Some(pki.client_config()))
        .send(post(format!("{}/oms", front.base_url())))
        .await;
    assert_eq!(
        ex.response().map(|r| r.text()),
        Some("<ok/>".to_string()),
        "{:?}",
        ex.result
    );
}

#[tokio::test]
async fn dropped_server_stops_listening() {
    let server = HttpServer::start(loopback(), None, 1024, handler(echo))
        .await
        .unwrap();
    let url = server.base_url();
    drop(server);
    tokio::task::yield_now().await;
    let ex = short_client(None).send(post(url)).await;
    assert!(ex.result.is_err());
}

fn tight_limits() -> ServerLimits {
    let mut limits = ServerLimits::new(1024);
    limits.header_timeout = Duration::from_millis(200);
    limits.body_timeout = Duration::from_millis(200);
    limits.tls_handshake_timeout = Duration::from_millis(200);
    limits.hang_limit = Duration::from_millis(100);
    limits
}

/// Reads until the server closes and returns what it sent; panics if the server keeps the
/// connection open past a generous guard.
async fn read_until_closed(stream: &mut tokio::net::TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut got)).await;
    assert!(closed.is_ok(), "the server did not close the connection");
    got
}

#[rstest]
#[case::plain(false)]
#[case::tls_handshake_never_starts(true)]
#[tokio::test]
async fn silent_client_is_disconnected(#[case] tls: bool) {
    let pki = TestPki::generate(&["127.0.0.1"]).unwrap();
    let server = HttpServer::start_with_limits(
        loopback(),
        tls.then(|| pki.server_config()),
        tight_limits(),
        handler(echo),
    )
    .await
    .unwrap();
    let mut stream = tokio::net::TcpStream::connect(server.local_addr())
        .await
        .unwrap();
    let got = read_until_closed(&mut stream).await;
    // At most a 408 is said before closing.
    assert!(
        got.is_empty() || got.starts_with(b"HTTP/1.1 408"),
        "{got:?}"
    );
}

#[tokio::test]
async fn trickling_body_gets_408() {
    let server = HttpServer::start_with_limits(loopback(), None, tight_limits(), handler(echo))
        .await
        .unwrap();
    let mut stream = tokio::net::TcpStream::connect(server.local_addr())
        .await
        .unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b")
        .await
        .unwrap();
    let got = read_until_closed(&mut stream).await;
    assert!(
        got.starts_with(b"HTTP/1.1 408"),
        "{}",
        String::from_utf8_lossy(&got)
    );
}

#[tokio::test]
async fn hang_gives_up_at_the_hang_limit() {
    let server = HttpServer::start_with_limits(
        loopback(),
        None,
        tight_limits(),
        handler(|_req| async {
            ServerResponse::new(200, vec![], vec![]).with_behaviour(Behaviour::Hang)
        }),
    )
    .await
    .unwrap();
    let mut client = short_client(None);
    client.response_timeout = Duration::from_secs(5);
    let ex = client.send(post(server.base_url())).await;
    assert!(
        matches!(ex.result, Err(TransportError::Reset(_))),
        "{:?}",
        ex.result
    );
}

#[tokio::test]
async fn connections_beyond_the_cap_are_closed() {
    let mut limits = tight_limits();
    limits.max_connections = 1;
    limits.header_timeout = Duration::from_secs(5);
    let server = HttpServer::start_with_limits(loopback(), None, limits, handler(echo))
        .await
        .unwrap();
    // The first connection occupies the only slot by saying nothing.
    let _first = tokio::net::TcpStream::connect(server.local_addr())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut second = tokio::net::TcpStream::connect(server.local_addr())
        .await
        .unwrap();
    let _ = second.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await;
    let got = read_until_closed(&mut second).await;
    assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got));
}

/// A plain front that resets what its server leaves unanswered: by closing, or by staying
/// silent for the idle time. An answered request is closed in order.
#[rstest]
#[case::server_closes(true)]
#[case::server_stays_silent(false)]
#[tokio::test]
async fn front_resets_unanswered_connections(#[case] server_closes: bool) {
    use oxconf_mocks::net::{Front, FrontOptions};

    let upstream = TcpListener::bind(loopback()).await.unwrap();
    let addr = upstream.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (mut s, _) = upstream.accept().await.unwrap();
        let mut buf = [0u8; 64];
        let _ = s.read(&mut buf).await;
        if server_closes {
            drop(s);
        } else {
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    });
    let opts = FrontOptions {
        idle: Duration::from_millis(200),
        reset_unanswered: true,
        ..FrontOptions::default()
    };
    let front = Front::start(loopback(), addr, opts).await.unwrap();
    assert!(front.base_url().starts_with("http://127.0.0.1:"));
    let mut c = tokio::net::TcpStream::connect(front.local_addr())
        .await
        .unwrap();
    c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 64];
    let read = tokio::time::timeout(Duration::from_secs(5), c.read(&mut buf))
        .await
        .expect("the front acts");
    assert!(
        matches!(&read, Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset),
        "{read:?}"
    );
    server.abort();
}

#[tokio::test]
async fn front_closes_answered_connections_in_order() {
    use oxconf_mocks::net::{Front, FrontOptions};

    let upstream = TcpListener::bind(loopback()).await.unwrap();
    let addr = upstream.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut s, _) = upstream.accept().await.unwrap();
        let mut buf = [0u8; 64];
        let _ = s.read(&mut buf).await;
        let _ = s.write_all(b"answer").await;
    });
    let opts = FrontOptions {
        reset_unanswered: true,
        ..FrontOptions::default()
    };
    let front = Front::start(loopback(), addr, opts).await.unwrap();
    let mut c = tokio::net::TcpStream::connect(front.local_addr())
        .await
        .unwrap();
    c.write_all(b"question").await.unwrap();
    let mut got = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), c.read_to_end(&mut got)).await;
    assert!(matches!(read, Ok(Ok(6))), "{read:?}");
    assert_eq!(got, b"answer");
}
