//! The push-listener suite against "our" listener, from `cargo test`.

use oxconf::library::Run;
use oxconf::mocks::ews::listener::{ListenerOptions, MockListener};
use std::net::SocketAddr;

#[tokio::test(flavor = "multi_thread")]
async fn our_listener_conforms_to_ms_oxwspsntif() {
    // Your listener here, on a loopback port.
    let listener = MockListener::start(
        ListenerOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            ..ListenerOptions::default()
        },
        Default::default(),
    )
    .await
    .expect("the listener starts");

    let profile = format!(
        "suite = \"push-listener\"\n[target]\nurl = \"{}\"\n",
        listener.url()
    );
    let outcome = Run::suite("push-listener")
        .profile_toml(profile)
        .reports(std::env::temp_dir().join("listener-conformance-reports"))
        .run_async()
        .await
        .expect("the suite runs");

    for v in outcome.verdicts() {
        println!("{:<50} {:<12} {}", v.id, v.verdict.to_string(), v.reason);
    }
    assert!(outcome.passed(), "{}", outcome.summary());
}
