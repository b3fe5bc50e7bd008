//! `oxconf load` as a user runs it: a short load against the in-process reference listener
//! loses nothing (exit 0); the reference with `serial-only` (503 to concurrent requests) has
//! its losses reported (exit 1); a standalone `oxconf mock push-listener` over HTTPS is
//! loaded through its profile; a listener that is not there is exit 3; bad bounds are exit 2.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

fn oxconf() -> Command {
    Command::new(env!("CARGO_BIN_EXE_oxconf"))
}

fn run(args: &[&str], dir: &Path) -> Output {
    oxconf()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("oxconf runs")
}

fn report(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("the JSON report is written");
    serde_json::from_str(&text).expect("the JSON report parses")
}

fn says(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn reference_listener_loses_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("load.json");
    let out = run(
        &[
            "load",
            "--rate",
            "200",
            "--duration",
            "1s",
            "--connections",
            "4",
            "--json",
            json.to_str().expect("utf-8 path"),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", says(&out));
    let r = report(&json);
    assert_eq!(r["plan"]["notifications"], 200);
    assert_eq!(r["sent"], 200);
    assert_eq!(r["acknowledged"]["total"], 200);
    assert_eq!(r["not_acknowledged"]["total"], 0);
    assert_eq!(r["acknowledged_twice"], 0);
    assert_eq!(r["acknowledged_not_recorded"], 0);
    assert_eq!(r["lost"], 0);
    assert_eq!(r["passed"], true);
    assert!(r["latency_ms"]["p99"].as_f64().is_some());
    assert!(r["baseline"]["throughput_per_s"].as_f64().unwrap_or(0.0) > 0.0);
    assert!(says(&out).contains("PASS: nothing lost"));
}

#[test]
fn losses_are_reported_with_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("load.json");
    let out = run(
        &[
            "load",
            "--rate",
            "200",
            "--duration",
            "1s",
            "--connections",
            "4",
            "--fault",
            "serial-only",
            "--json",
            json.to_str().expect("utf-8 path"),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", says(&out));
    let r = report(&json);
    let errors = r["not_acknowledged"]["http_errors"].as_u64().unwrap_or(0);
    assert!(errors > 0, "503s counted as HTTP errors: {r}");
    assert_eq!(
        r["lost"].as_u64(),
        Some(200 - r["acknowledged"]["total"].as_u64().unwrap_or(0))
    );
    assert_eq!(r["passed"], false);
    assert!(
        r["baseline"].is_null(),
        "no baseline against a faulty listener"
    );
    assert!(says(&out).contains("FAIL:"));
}

struct MockProcess(Child);

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_standalone_listener_is_loaded_through_its_profile() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = oxconf()
        .args([
            "mock",
            "push-listener",
            "--tls",
            "--profile-out",
            "listener.toml",
        ])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("mock starts");
    let stdout = child.stdout.take().expect("stdout");
    let _mock = MockProcess(child);
    let mut lines = BufReader::new(stdout).lines();
    loop {
        let line = lines
            .next()
            .expect("the mock prints its URL")
            .expect("stdout");
        if line.starts_with("url: ") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    let json = dir.path().join("load.json");
    let out = run(
        &[
            "load",
            "--profile",
            "listener.toml",
            "--rate",
            "100",
            "--duration",
            "500ms",
            "--json",
            json.to_str().expect("utf-8 path"),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", says(&out));
    let r = report(&json);
    assert_eq!(r["reference"], false);
    assert_eq!(r["acknowledged"]["total"], 50);
    assert!(r["target"].as_str().unwrap_or("").starts_with("https://"));
    assert!(
        r["acknowledged_twice"].is_null(),
        "not observable for a foreign listener"
    );
    assert!(r["baseline"].is_null());
}

#[test]
fn a_listener_that_is_not_there_is_exit_3() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let profile = format!(
        "suite = \"push-listener\"\n[target]\nurl = \"http://127.0.0.1:{port}/push\"\nconnect_timeout = \"1s\"\n"
    );
    std::fs::write(dir.path().join("gone.toml"), profile).expect("write profile");
    let out = run(
        &[
            "load",
            "--profile",
            "gone.toml",
            "--rate",
            "10",
            "--duration",
            "1s",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(3), "{}", says(&out));
}

#[test]
fn bounds_and_profiles_are_checked_before_any_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    for args in [
        &["load", "--rate", "0"][..],
        &["load", "--rate", "20001"],
        &["load", "--duration", "11m"],
        &["load", "--duration", "soon"],
        &["load", "--connections", "0"],
        &["load", "--rate", "20000", "--duration", "60s"],
        &["load", "--fault", "no-such-fault", "--duration", "1s"],
        &["load", "--profile", "missing.toml"],
    ] {
        let out = run(args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", says(&out));
    }
    std::fs::write(dir.path().join("oms.toml"), "suite = \"oms-server\"\n").expect("write");
    let out = run(&["load", "--profile", "oms.toml"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", says(&out));
}
