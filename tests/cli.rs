//! The `oxconf` command as a user runs it: exit codes, profile errors, reports that validate,
//! and an end-to-end run against a mock started as a separate process.

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

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).expect("write file");
    p
}

/// A loopback port nobody listens on (bound, then released).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn assert_junit_valid(path: &Path) -> roxmltree::Document<'static> {
    let xml = std::fs::read_to_string(path).expect("junit written");
    let leaked: &'static str = Box::leak(xml.into_boxed_str());
    roxmltree::Document::parse(leaked).expect("JUnit is well-formed XML")
}

fn assert_json_valid(path: &Path) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("json written"))
            .expect("JSON parses");
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("harness/schema/report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).expect("schema"))
            .expect("schema parses");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("urn:report-schema", schema)
        .expect("schema resource");
    let id = compiler
        .compile("urn:report-schema", &mut schemas)
        .expect("schema compiles");
    if let Err(e) = schemas.validate(&json, id) {
        panic!("report.json does not match its schema: {e:#}");
    }
    json
}

#[test]
fn reference_run_is_green_and_reports_validate() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["run"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let junit = assert_junit_valid(&dir.path().join("reports/junit.xml"));
    let suites: Vec<_> = junit
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .map(|n| n.attribute("name").unwrap_or_default().to_string())
        .collect();
    assert!(suites.contains(&"oms-server".to_string()), "{suites:?}");
    let cases = junit
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    assert!(cases > 20, "only {cases} testcases");
    let json = assert_json_valid(&dir.path().join("reports/report.json"));
    assert_eq!(json["exit_code"], 0);
    assert_eq!(json["summary"]["verdicts"]["fail"], 0);
}

#[test]
fn list_needs_no_network_and_names_requirements() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["list", "--suite", "oms-server"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    assert!(s.contains("oms-server/service-info/schema"), "{s}");
    assert!(s.contains("OMS-R109"), "{s}");
}

#[test]
fn coverage_lists_uncovered_ids_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &["coverage", "--suite", "oms-server", "--format", "json"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("coverage JSON");
    assert_eq!(v[0]["suite"], "oms-server");
    assert!(v[0]["total"].as_u64().unwrap_or(0) > 50);
    assert_eq!(v[0]["unknown_ids"].as_array().map(Vec::len), Some(0));
}

#[test]
fn example_profile_is_valid_and_an_unreachable_sut_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["profile", "--example", "oms-server"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let port = free_port();
    let example = text(&out.stdout).replace("127.0.0.1:8080", &format!("127.0.0.1:{port}"));
    let p = write(dir.path(), "p.toml", &example);
    let out = run(
        &["run", "--profile", p.to_str().unwrap(), "--timeout", "5s"],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_junit_valid(&dir.path().join("reports/junit.xml"));
    assert_json_valid(&dir.path().join("reports/report.json"));
}

#[test]
fn profile_errors_are_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "suite = \"oms-server\"\n[target]\nurl = \"http://127.0.0.1:1/oms\"\n[oms]\nuser = \"a\"\npassword = \"b\"\nrecipients = [\"1\"]\npasword = \"typo\"\n",
            "unknown key `oms.pasword`",
        ),
        (
            "suite = \"oms-server\"\n[target]\nurl = \"http://127.0.0.1:1/oms\"\n[oms]\nuser = \"a\"\nrecipients = [\"1\"]\n",
            "missing required key `oms.password`",
        ),
        ("suite = \"nope\"\n", "unknown suite `nope`"),
        ("suite = \n", "TOML syntax error"),
    ];
    for (i, (body, want)) in cases.iter().enumerate() {
        let p = write(dir.path(), &format!("bad{i}.toml"), body);
        let out = run(&["run", "--profile", p.to_str().unwrap()], dir.path());
        assert_eq!(
            out.status.code(),
            Some(2),
            "case {i}: {}",
            text(&out.stderr)
        );
        let err = text(&out.stderr);
        assert!(err.contains(want), "case {i}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "case {i}: {err}");
    }
}

#[test]
fn expected_failures_need_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let x = write(
        dir.path(),
        "x.toml",
        "[[expected]]\nscenario = \"oms-server/*\"\n",
    );
    let out = run(
        &["run", "--expect-failures", x.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("expected[0].reason"));
}

#[test]
fn unknown_suite_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["run", "--suite", "nope"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

/// A mock started by `oxconf mock`, killed when dropped.
struct MockProcess {
    child: Child,
    url: String,
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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
    let url = loop {
        let line = lines
            .next()
            .expect("mock printed its URL")
            .expect("readable stdout");
        if let Some(url) = line.strip_prefix("url: ") {
            break url.trim().to_string();
        }
    };
    // Keep draining stdout so the mock never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    MockProcess { child, url }
}

fn mock_profile(dir: &Path, mock: &MockProcess, smtp_port: u16) -> PathBuf {
    let bin = env!("CARGO_BIN_EXE_oxconf");
    let ca = dir.join("ca.pem");
    write(
        dir,
        "mock.toml",
        &format!(
            r#"suite = "oms-server"
[target]
url = "{url}"
ca_file = "{ca}"
[oms]
user = "alice"
password = "alice-pw-1"
recipients = ["13800000001", "13800000002", "13800000003"]
invalid_recipient = "99912345"
unregistered_user = "bob"
unregistered_password = "bob-pw-1"
reply_trigger = "'{bin}' mock-reply {url} {{recipient}} {{text}} --kind {{kind}} --ca-file '{ca}'"
reply_address = "alice@mail.oxconf.test"
smtp_listen = "127.0.0.1:{smtp_port}"
[claims]
send_xms = true
mms_replies = true
"#,
            url = mock.url,
            ca = ca.display(),
        ),
    )
}

#[test]
fn end_to_end_against_a_separate_mock_process() {
    let dir = tempfile::tempdir().unwrap();
    let (_mock, profile) = tls_mock(dir.path(), free_port(), &[]);
    let out = run(&["run", "--profile", profile.to_str().unwrap()], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let json = assert_json_valid(&dir.path().join("reports/report.json"));
    assert!(
        json["summary"]["verdicts"]["pass"].as_u64().unwrap_or(0) > 20,
        "{json}"
    );
    // The password never reaches a report, a transcript or the console.
    let mut all = text(&out.stdout);
    for entry in walk(&dir.path().join("reports")) {
        all.push_str(&std::fs::read_to_string(entry).unwrap_or_default());
    }
    assert!(!all.contains("alice-pw-1"), "password leaked");
}

#[test]
fn a_faulty_sut_exits_1_with_the_failure_named() {
    let dir = tempfile::tempdir().unwrap();
    let (_mock, profile) = tls_mock(dir.path(), free_port(), &["batch-renumber-ids"]);
    let out = run(
        &[
            "run",
            "--profile",
            profile.to_str().unwrap(),
            "--filter",
            "oms-server/batch/*",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let s = text(&out.stdout);
    assert!(s.contains("FAIL  oms-server/batch/ids-echoed"), "{s}");
    assert!(s.contains("OMS-R146"), "{s}");
}

#[test]
fn deadline_still_writes_a_partial_report() {
    let dir = tempfile::tempdir().unwrap();
    let (_mock, profile) = hanging_sut(dir.path());
    let out = run(
        &[
            "run",
            "--profile",
            profile.to_str().unwrap(),
            "--deadline",
            "1s",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let json = assert_json_valid(&dir.path().join("reports/report.json"));
    assert!(
        json["interrupted"]
            .as_str()
            .unwrap_or("")
            .contains("deadline"),
        "{json}"
    );
    assert_junit_valid(&dir.path().join("reports/junit.xml"));
}

/// `oxconf mock oms-server` over TLS with `faults`, relaying phone replies to `smtp_port`, and a
/// profile pointing at it.
fn tls_mock(dir: &Path, smtp_port: u16, faults: &[&str]) -> (MockProcess, PathBuf) {
    let ca = dir.join("ca.pem");
    let relay = format!("127.0.0.1:{smtp_port}");
    let mut args = vec![
        "mock",
        "oms-server",
        "--listen",
        "127.0.0.1:0",
        "--tls",
        "--ca-out",
        ca.to_str().unwrap(),
        "--smtp-relay",
        &relay,
    ];
    for f in faults {
        args.extend(["--fault", f]);
    }
    let mock = start_mock(&args, dir);
    let profile = mock_profile(dir, &mock, smtp_port);
    (mock, profile)
}

/// A mock OMS server that never answers, and a profile pointing at it.
fn hanging_sut(dir: &Path) -> (MockProcess, PathBuf) {
    tls_mock(dir, free_port(), &["hang"])
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn oms_client_suite_drives_a_real_trigger_command() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_oxconf");
    let profile = write(
        dir.path(),
        "client.toml",
        &format!(
            r#"suite = "oms-client"
[target]
trigger = "'{bin}' mock oms-client --url {{url}} --to {{to}} --text {{text}} --kind {{kind}} --batch-file {{batch_file}} --image-file {{image_file}} --ca-file {{ca_file}}"
[oms]
user = "alice"
password = "alice-pw-1"
[claims]
batch = true
mms = true
https = true
"#
        ),
    );
    let out = run(&["run", "--profile", profile.to_str().unwrap()], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let json = assert_json_valid(&dir.path().join("reports/report.json"));
    assert!(
        json["summary"]["verdicts"]["pass"].as_u64().unwrap_or(0) >= 20,
        "{json}"
    );
    assert_eq!(json["summary"]["verdicts"]["skip"], 0, "{json}");
}

#[test]
fn ctrl_c_still_writes_a_partial_report() {
    let dir = tempfile::tempdir().unwrap();
    let (_mock, profile) = hanging_sut(dir.path());
    let child = oxconf()
        .args(["run", "--profile", profile.to_str().unwrap()])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run starts");
    // Every request hangs, so the run is certainly still going when the signal arrives.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let out = child.wait_with_output().expect("run ends");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let json = assert_json_valid(&dir.path().join("reports/report.json"));
    assert_eq!(json["interrupted"], "interrupted by Ctrl-C", "{json}");
    assert_junit_valid(&dir.path().join("reports/junit.xml"));
}
