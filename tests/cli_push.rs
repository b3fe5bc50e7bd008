//! The push suites as a user runs them: `oxconf mock push-server` and `oxconf mock
//! push-listener` started as separate processes, each judged by its suite through a profile
//! file, and a listener that is not there reported as unreachable.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
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

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

struct MockProcess {
    child: Child,
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a mock and waits for its `url: ` line (written after any --profile-out file).
fn start_mock(args: &[&str], dir: &Path) -> MockProcess {
    let mut child = oxconf()
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("mock starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    loop {
        let line = lines
            .next()
            .expect("mock printed its URL")
            .expect("readable stdout");
        if line.starts_with("url: ") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    MockProcess { child }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("report written"))
        .expect("JSON report")
}

fn passes(dir: &Path) -> u64 {
    json(&dir.join("reports/report.json"))["summary"]["verdicts"]["pass"]
        .as_u64()
        .unwrap_or(0)
}

#[test]
fn push_server_suite_against_a_separate_mock_push_server() {
    let dir = tempfile::tempdir().unwrap();
    let profile: PathBuf = dir.path().join("server.toml");
    let _mock = start_mock(
        &[
            "mock",
            "push-server",
            "--tls",
            "--minute",
            "500ms",
            "--profile-out",
            profile.to_str().unwrap(),
        ],
        dir.path(),
    );
    let out = run(&["run", "--profile", profile.to_str().unwrap()], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(passes(dir.path()) >= 15, "{}", text(&out.stdout));
    // The password never reaches a report or the console, in any encoding.
    let mut all = text(&out.stdout);
    for entry in std::fs::read_dir(dir.path().join("reports/transcripts"))
        .unwrap()
        .flatten()
    {
        all.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
    }
    all.push_str(
        &std::fs::read_to_string(dir.path().join("reports/report.json")).unwrap_or_default(),
    );
    assert!(!all.contains("oxconf-secret"), "password leaked");
    assert!(
        !all.contains("YWxpY2VAZXhhbXBsZS5jb206b3hjb25mLXNlY3JldA"),
        "Basic credentials leaked"
    );
}

#[test]
fn push_server_suite_catches_a_faulty_mock() {
    let dir = tempfile::tempdir().unwrap();
    let profile: PathBuf = dir.path().join("server.toml");
    let _mock = start_mock(
        &[
            "mock",
            "push-server",
            "--minute",
            "500ms",
            "--fault",
            "watermark-gap",
            "--profile-out",
            profile.to_str().unwrap(),
        ],
        dir.path(),
    );
    let out = run(
        &[
            "run",
            "--profile",
            profile.to_str().unwrap(),
            "--filter",
            "push-server/notify/*",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let s = text(&out.stdout);
    assert!(
        s.contains("FAIL  push-server/notify/watermark-chain"),
        "{s}"
    );
    assert!(s.contains("NTIF-R010"), "{s}");
}

#[test]
fn push_listener_suite_against_a_separate_mock_listener() {
    let dir = tempfile::tempdir().unwrap();
    let profile: PathBuf = dir.path().join("listener.toml");
    let _mock = start_mock(
        &[
            "mock",
            "push-listener",
            "--tls",
            "--own-id",
            "mine",
            "--profile-out",
            profile.to_str().unwrap(),
        ],
        dir.path(),
    );
    let out = run(&["run", "--profile", profile.to_str().unwrap()], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(passes(dir.path()) >= 20, "{}", text(&out.stdout));
}

#[test]
fn an_unreachable_listener_is_inconclusive_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("gone.toml");
    std::fs::write(
        &profile,
        format!(
            "suite = \"push-listener\"\n[target]\nurl = \"http://127.0.0.1:{}/push\"\n",
            free_port()
        ),
    )
    .unwrap();
    let out = run(&["run", "--profile", profile.to_str().unwrap()], dir.path());
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(dir.path().join("reports/report.json").exists());
}
