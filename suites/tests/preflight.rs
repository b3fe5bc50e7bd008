//! The oms-server preflight and setup against endpoints that are not (or not quite) an OMS
//! service: each must end the run once, with a hint, rather than fail every scenario.

extern crate oxconf_suites as suites;

use harness::runner::{Planned, RunOptions};
use harness::{SetupError, Suite, VerdictKind};
use mocks::oms::server::{Faults, MockOmsServer, ServerConfig as MockConfig, StartOptions};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use suites::oms::server::config::{ServerConfig, ServerProfile};
use suites::oms::server::env::{reference_profile, setup_profile, INSECURE_NOTICE};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A profile for `url` with the reference accounts, nothing optional claimed.
fn profile(url: &str) -> ServerProfile {
    let mut p = reference_profile(mocks::net::UserUrl::parse(url).expect("test URL"));
    p.claims.clear();
    p.accounts = Default::default();
    p.cross_carrier_recipient = None;
    p.unreachable_recipient = None;
    p.blocked_text = None;
    p.connect_timeout = Duration::from_millis(800);
    p.response_timeout = Duration::from_secs(2);
    p
}

async fn unreachable(p: ServerProfile) -> String {
    match setup_profile(p).await {
        Err(SetupError::Unreachable(m)) => {
            println!("preflight: {m}");
            m
        }
        Err(other) => panic!("want Unreachable, got {} {other}", other.kind()),
        Ok(_) => panic!("want Unreachable, setup succeeded"),
    }
}

async fn mock(tls: bool, faults: &[&str]) -> MockOmsServer {
    let names: Vec<String> = faults.iter().map(|s| s.to_string()).collect();
    MockOmsServer::start(
        MockConfig::reference(),
        Faults::parse(&names).unwrap(),
        StartOptions {
            tls,
            ..StartOptions::default()
        },
    )
    .await
    .unwrap()
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A tiny HTTP server answering every connection with `response`.
async fn fixed_http(response: &'static str) -> SocketAddr {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let _ = s.write_all(response.as_bytes()).await;
                let _ = s.shutdown().await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn closed_port_is_unreachable_with_connection_refused() {
    let m = unreachable(profile(&format!("http://127.0.0.1:{}/oms", free_port()))).await;
    assert!(m.contains("connection refused"), "{m}");
}

#[tokio::test]
async fn unresolvable_name_is_unreachable() {
    let m = unreachable(profile("http://nonexistent.invalid:8080/oms")).await;
    assert!(m.contains("name does not resolve"), "{m}");
}

#[tokio::test]
async fn a_connect_that_never_completes_times_out_as_unreachable() {
    // A listener with a backlog of one that never accepts: once the backlog is full, the
    // kernel drops further SYNs, as a firewall filtering the port would.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut held = Vec::new();
    for _ in 0..8 {
        match tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(addr),
        )
        .await
        {
            Ok(Ok(s)) => held.push(s),
            _ => break,
        }
    }
    let started = Instant::now();
    let m = unreachable(profile(&format!("http://{addr}/oms"))).await;
    assert!(
        m.contains("connect timed out after 0.8s (filtered port?)"),
        "{m}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(held);
}

#[tokio::test]
async fn a_tls_handshake_that_never_completes_is_unreachable() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let m = unreachable(profile(&format!("https://{addr}/oms"))).await;
    assert!(m.contains("TLS handshake did not complete"), "{m}");
    drop(l);
}

#[tokio::test]
async fn an_html_501_is_not_an_oms_service() {
    let addr = fixed_http(
        "HTTP/1.1 501 Not Implemented\r\nContent-Type: text/html\r\nContent-Length: 27\r\n\
         Connection: close\r\n\r\n<html><h1>501</h1></html>\r\n",
    )
    .await;
    let m = unreachable(profile(&format!("http://{addr}/oms"))).await;
    assert!(
        m.contains("HTTP 501 text/html") && m.contains("is this the OMS service URL?"),
        "{m}"
    );
}

#[tokio::test]
async fn a_non_xml_200_is_not_an_oms_service() {
    let addr = fixed_http(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\
         Connection: close\r\n\r\nhello",
    )
    .await;
    let m = unreachable(profile(&format!("http://{addr}/oms"))).await;
    assert!(m.contains("HTTP 200 text/plain"), "{m}");
}

#[tokio::test]
async fn a_tls_port_spoken_to_in_plain_http_says_use_https() {
    let server = mock(true, &[]).await;
    let url = server.url().replace("https://", "http://");
    let m = unreachable(profile(&url)).await;
    assert!(m.contains("this port speaks TLS: use https://"), "{m}");
}

#[tokio::test]
async fn a_plain_port_spoken_to_in_https_says_use_http() {
    let server = mock(false, &[]).await;
    let url = server.url().replace("http://", "https://");
    let m = unreachable(profile(&url)).await;
    assert!(
        m.contains("this port speaks plain HTTP, not TLS: use http://"),
        "{m}"
    );
}

#[tokio::test]
async fn an_untrusted_certificate_asks_for_ca_file() {
    let server = mock(true, &[]).await;
    let m = unreachable(profile(&server.url())).await;
    assert!(
        m.contains("set target.ca_file (the server's certificate is not trusted)"),
        "{m}"
    );
}

#[tokio::test]
async fn a_reachable_reference_passes_the_preflight() {
    let server = mock(false, &[]).await;
    let prepared = setup_profile(profile(&server.url())).await.unwrap();
    assert!(prepared.notices.is_empty(), "{:?}", prepared.notices);
}

#[tokio::test]
async fn an_smtp_listen_address_in_use_is_a_local_problem() {
    let server = mock(false, &[]).await;
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut p = profile(&server.url());
    p.reply = Some(suites::oms::server::config::ReplySettings {
        trigger: harness::TriggerCommand::parse("true", &[], Duration::from_secs(1)).unwrap(),
        smtp_listen: taken.local_addr().unwrap(),
        reply_address: "alice@mail.oxconf.test".into(),
        phones: vec!["13800000001".into()],
    });
    match setup_profile(p).await {
        Err(SetupError::Local(m)) => assert!(m.contains("cannot listen for SMTP replies"), "{m}"),
        Err(e) => panic!("want Local, got {} {e}", e.kind()),
        Ok(_) => panic!("want Local, setup succeeded"),
    }
}

#[tokio::test]
async fn an_unreadable_ca_file_is_a_local_problem() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = profile("https://127.0.0.1:1/oms");
    p.ca_file = Some(dir.path().join("missing-ca.pem"));
    match setup_profile(p).await {
        Err(SetupError::Local(m)) => assert!(m.contains("cannot read target.ca_file"), "{m}"),
        Err(e) => panic!("want Local, got {} {e}", e.kind()),
        Ok(_) => panic!("want Local, setup succeeded"),
    }
}

#[test]
fn the_connect_timeout_is_a_profile_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    std::fs::write(
        &path,
        "suite = \"oms-server\"\n[target]\nurl = \"http://127.0.0.1:1/oms\"\n\
         connect_timeout = \"1500ms\"\n[oms]\nuser = \"a\"\npassword = \"b\"\n\
         recipients = [\"13800000001\"]\n",
    )
    .unwrap();
    let profile = harness::profile::Profile::load(&path).unwrap();
    let mut r = profile.reader();
    let p = ServerProfile::read(&mut r).unwrap();
    assert_eq!(p.connect_timeout, Duration::from_millis(1500));
}

async fn run_profile(p: ServerProfile, filter: Option<&str>) -> harness::RunReport {
    let suite: Arc<dyn Suite> = harness::erase(suites::oms::server::OmsServerSuite);
    let opts = RunOptions {
        filter: match filter {
            Some(f) => harness::runner::Filter::exact(&[f.to_string()]),
            None => Default::default(),
        },
        jobs: 16,
        timeout: Duration::from_secs(20),
        ..RunOptions::default()
    };
    harness::run(
        vec![Planned::new(
            suite,
            Box::new(ServerConfig::Profile(Box::new(p))),
        )],
        opts,
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_sut_is_one_inconclusive_run() {
    let report = run_profile(
        profile(&format!("http://127.0.0.1:{}/oms", free_port())),
        None,
    )
    .await;
    assert!(report.results().count() > 20);
    for r in report.results() {
        assert_eq!(r.verdict.kind, VerdictKind::Inconclusive, "{}", r.id);
    }
    assert_eq!(report.exit_code(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_account_makes_its_scenarios_inconclusive_not_failed() {
    let server = mock(false, &[]).await;
    let mut p = profile(&server.url());
    p.account.password = "not-the-password".into();
    let report = run_profile(p, None).await;
    let failed: Vec<&str> = report
        .results()
        .filter(|r| r.verdict.kind == VerdictKind::Fail)
        .map(|r| r.id.as_str())
        .collect();
    assert!(failed.is_empty(), "failed: {failed:?}");
    let inconclusive: Vec<_> = report
        .results()
        .filter(|r| r.verdict.kind == VerdictKind::Inconclusive)
        .collect();
    assert!(inconclusive.len() > 10, "{}", inconclusive.len());
    for r in &inconclusive {
        assert!(
            r.verdict.reason.contains("oms.user and oms.password"),
            "{}: {}",
            r.id,
            r.verdict.reason
        );
    }
    // Scenarios that do not need the account still run and pass.
    let passed: Vec<&str> = report
        .results()
        .filter(|r| r.verdict.kind == VerdictKind::Pass)
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        passed.contains(&"oms-server/service-info/at-least-one-service"),
        "{passed:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn insecure_makes_the_certificate_scenario_inconclusive_and_warns() {
    let server = mock(true, &["tls-wrong-name"]).await;
    let mut p = profile(&server.url());
    p.insecure = true;
    p.claims.insert("https".into());
    let prepared = setup_profile(p.clone()).await.unwrap();
    assert_eq!(prepared.notices, vec![INSECURE_NOTICE.to_string()]);
    let report = run_profile(p, Some("oms-server/transport/https")).await;
    let r = report
        .results()
        .find(|r| r.id == "oms-server/transport/https")
        .unwrap();
    assert_eq!(
        r.verdict.kind,
        VerdictKind::Inconclusive,
        "{}",
        r.verdict.reason
    );
    assert!(
        r.verdict.reason.contains("target.insecure"),
        "{}",
        r.verdict.reason
    );
    for c in &r.evidence.checks {
        assert!(!c.actual.contains("verified"), "{c:?}");
    }
}
