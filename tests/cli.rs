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
reply_trigger = "'{bin}' mock oms-server reply {url} {{recipient}} {{text}} --kind {{kind}} --ca-file '{ca}'"
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
    // The failing ids are recapped at the end.
    let recap = s.split("not passed (").nth(1).expect("a recap");
    assert!(recap.contains("oms-server/batch/ids-echoed"), "{s}");
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

fn reports_exist(dir: &Path) {
    assert_junit_valid(&dir.join("reports/junit.xml"));
    assert_json_valid(&dir.join("reports/report.json"));
}

#[test]
fn a_closed_stdout_ends_printing_quietly_and_the_reports_are_still_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = oxconf()
        .args(["run", "--suite", "oms-client"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run starts");
    // The reader goes away before the first line, as `oxconf run | head -0` would.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("run ends");
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(out.status.code(), Some(101), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
    reports_exist(dir.path());
}

#[test]
fn the_same_report_path_twice_is_refused_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    for (junit, json) in [
        ("out/r.xml", "out/r.xml"),
        ("out/r.xml", "./out/../out/r.xml"),
    ] {
        let out = run(
            &[
                "run",
                "--suite",
                "oms-client",
                "--junit",
                junit,
                "--json",
                json,
            ],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(2), "{junit} {json}");
        let err = text(&out.stderr);
        assert!(err.contains("same file") && err.contains(json), "{err}");
        assert!(!dir.path().join("out/r.xml").exists());
    }
}

#[test]
fn an_unwritable_report_path_is_a_usage_error_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let keep = write(dir.path(), "keep.xml", "precious");
    write(dir.path(), "plain-file", "x");
    std::fs::create_dir(dir.path().join("a-dir")).unwrap();
    for (flag, bad) in [
        ("--json", "plain-file/report.json"),
        ("--json", "a-dir"),
        ("--junit", "plain-file/junit.xml"),
    ] {
        let other = if flag == "--json" {
            "--junit"
        } else {
            "--json"
        };
        let out = run(
            &["run", flag, bad, other, keep.to_str().unwrap()],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(2), "{flag} {bad}");
        let err = text(&out.stderr);
        assert!(err.contains(flag) && err.contains(bad), "{err}");
        // Nothing ran, and the existing file the other flag names is untouched.
        assert!(text(&out.stdout).is_empty(), "{}", text(&out.stdout));
        assert_eq!(std::fs::read_to_string(&keep).unwrap(), "precious");
    }
}

#[test]
fn a_filter_that_selects_nothing_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["run", "--filter", "nomatch*"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("nomatch*"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.path().join("reports").exists());
    let out = run(
        &[
            "run",
            "--filter",
            "oms-client/*",
            "--requirement",
            "OMS-R999",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("OMS-R999"),
        "{}",
        text(&out.stderr)
    );
    // Each pattern matches something, together nothing.
    let out = run(
        &[
            "run",
            "--filter",
            "oms-client/*",
            "--exclude",
            "oms-client/*",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("leaves no scenario"));
}

#[test]
fn a_suite_named_twice_runs_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &[
            "run",
            "--suite",
            "oms-client",
            "--suite",
            "oms-client",
            "-q",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json = assert_json_valid(&dir.path().join("reports/report.json"));
    let suites = json["suites"].as_array().expect("suites");
    assert_eq!(suites.len(), 1, "{json}");
    let once = run(&["list", "--suite", "oms-client"], dir.path());
    let listed = text(&once.stdout)
        .lines()
        .filter(|l| l.starts_with("  oms-client/"))
        .count();
    assert_eq!(
        suites[0]["scenarios"].as_array().map(Vec::len),
        Some(listed)
    );
}

/// The scenario ids a `--dry-run` or `list --profile` would run, and those it would skip.
fn planned(out: &Output) -> (Vec<String>, Vec<String>) {
    let s = text(&out.stdout);
    let pick = |tag: &str| {
        s.lines()
            .filter_map(|l| l.strip_prefix(tag))
            .map(|l| l.split_whitespace().next().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    (pick("  run   "), pick("  skip  "))
}

#[test]
fn selection_by_requirement_level_section_and_exclusion() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &["run", "--dry-run", "--requirement", "OMS-R146"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (ids, _) = planned(&out);
    assert!(
        ids.contains(&"oms-server/batch/ids-echoed".to_string()),
        "{ids:?}"
    );
    let out = run(
        &[
            "run",
            "--dry-run",
            "--requirement",
            "oms-r146",
            "--exclude",
            "*/ids-echoed",
        ],
        dir.path(),
    );
    let (fewer, _) = planned(&out);
    assert_eq!(fewer.len() + 1, ids.len(), "{fewer:?} vs {ids:?}");
    assert!(!fewer.contains(&"oms-server/batch/ids-echoed".to_string()));
    // Levels: every line shown has the level asked for.
    let out = run(&["run", "--dry-run", "--level", "should"], dir.path());
    let s = text(&out.stdout);
    let lines: Vec<&str> = s.lines().filter(|l| l.starts_with("  run ")).collect();
    assert!(!lines.is_empty(), "{s}");
    assert!(lines.iter().all(|l| l.contains(" SHOULD ")), "{s}");
    // Sections: a number selects its subsections; the dry run touched nothing.
    let out = run(
        &[
            "run",
            "--dry-run",
            "--section",
            "3.1.4.4",
            "--suite",
            "oms-server",
        ],
        dir.path(),
    );
    let (by_section, _) = planned(&out);
    assert!(by_section.contains(&"oms-server/batch/ids-echoed".to_string()));
    assert!(!by_section.contains(&"oms-server/service-info/schema".to_string()));
    assert!(!dir.path().join("reports").exists());
}

#[test]
fn list_with_a_profile_shows_what_it_would_skip_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let example = run(&["profile", "--example", "oms-server"], dir.path());
    let p = write(dir.path(), "p.toml", &text(&example.stdout));
    let out = run(
        &[
            "list",
            "--profile",
            p.to_str().unwrap(),
            "--filter",
            "oms-server/user-info/*",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (runs, skips) = planned(&out);
    assert!(
        runs.contains(&"oms-server/user-info/ok".to_string()),
        "{runs:?}"
    );
    assert!(
        skips.contains(&"oms-server/user-info/unregistered-user".to_string()),
        "{skips:?}"
    );
    assert!(text(&out.stdout).contains("set oms.unregistered_user"));
    // The same through `run --dry-run`, without network (the profile's URL is a closed port).
    let out = run(
        &["run", "--dry-run", "--profile", p.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let (_, dry_skips) = planned(&out);
    assert!(dry_skips.contains(&"oms-server/transport/https".to_string()));
}

#[test]
fn progress_lines_one_per_scenario_quiet_and_colour() {
    let dir = tempfile::tempdir().unwrap();
    let listed = text(&run(&["list", "--suite", "oms-client"], dir.path()).stdout)
        .lines()
        .filter(|l| l.starts_with("  oms-client/"))
        .count();
    let progress = |out: &Output| {
        text(&out.stdout)
            .lines()
            .filter(|l| l.starts_with('[') && l.contains(&format!("/{listed}] ")))
            .count()
    };
    let out = run(&["run", "--suite", "oms-client"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(progress(&out), listed, "{}", text(&out.stdout));
    assert!(!text(&out.stdout).contains('\x1b'), "no colour into a pipe");
    let out = run(&["run", "--suite", "oms-client", "--quiet"], dir.path());
    assert_eq!(progress(&out), 0);
    let out = run(
        &["run", "--suite", "oms-client", "--color", "always"],
        dir.path(),
    );
    assert!(text(&out.stdout).contains("\x1b[32mPASS\x1b[0m"));
    let out = oxconf()
        .args(["run", "--suite", "oms-client", "--color", "auto"])
        .env("NO_COLOR", "1")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!text(&out.stdout).contains('\x1b'));
}

#[test]
fn completions_and_value_lists_in_help() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&["completions", shell], dir.path());
        assert_eq!(out.status.code(), Some(0));
        assert!(text(&out.stdout).contains("oxconf"), "{shell}");
    }
    let help = text(&run(&["run", "--help"], dir.path()).stdout);
    for want in [
        "oms-server",
        "oms-client",
        "structure",
        "never",
        "4  a local setup",
    ] {
        assert!(help.contains(want), "{want}: {help}");
    }
    // The former top-level `mock-reply` is a hidden alias of `mock oms-server reply`.
    for reply in [&["mock", "oms-server", "reply"][..], &["mock-reply"][..]] {
        let help = text(&run(&[reply, &["--help"]].concat(), dir.path()).stdout);
        assert!(help.contains("mms-nosmil"), "{help}");
        let out = run(
            &[reply, &["http://x/oms", "1", "t", "--kind", "fax"]].concat(),
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(2));
    }
    let help = text(&run(&["coverage", "--help"], dir.path()).stdout);
    assert!(help.contains("table") && help.contains("json"), "{help}");
    // Completions know each peer and its own flags.
    let bash = text(&run(&["completions", "bash"], dir.path()).stdout);
    for want in [
        "oms-server",
        "oms-client",
        "--list-faults",
        "--smtp-relay",
        "service-update",
    ] {
        assert!(bash.contains(want), "{want}");
    }
}

#[test]
fn each_mock_peer_has_its_own_flags() {
    let dir = tempfile::tempdir().unwrap();
    for listing in [&["mock"][..], &["mock", "--list"][..]] {
        let out = run(listing, dir.path());
        assert_eq!(out.status.code(), Some(0));
        let peers = text(&out.stdout);
        assert!(
            peers.contains("oms-server") && peers.contains("oms-client"),
            "{peers}"
        );
    }
    let help = text(&run(&["mock", "--help"], dir.path()).stdout);
    assert!(
        help.contains("oms-server") && help.contains("oms-client"),
        "{help}"
    );
    for usage_error in [
        &["mock", "nope"][..],
        // Another peer's flag, either way round.
        &[
            "mock",
            "oms-client",
            "--url",
            "http://127.0.0.1:9/oms",
            "--tls",
        ][..],
        &["mock", "oms-server", "--url", "http://127.0.0.1:9/oms"][..],
        &["mock", "oms-server", "--fault", "hnag"][..],
        &[
            "mock",
            "oms-client",
            "--url",
            "http://127.0.0.1:9/oms",
            "--fault",
            "hang",
        ][..],
        &["mock", "oms-client"][..],
        &[
            "mock",
            "oms-server",
            "--tls",
            "reply",
            "http://x/oms",
            "1",
            "t",
        ][..],
        &["mock-service-update", "not a url"][..],
    ] {
        let out = run(usage_error, dir.path());
        assert_eq!(
            out.status.code(),
            Some(2),
            "{usage_error:?}: {}",
            text(&out.stderr)
        );
    }
    let err = text(&run(&["mock", "oms-server", "--fault", "hnag"], dir.path()).stderr);
    assert!(err.contains("hnag") && err.contains("hang"), "{err}");
}

#[test]
fn list_faults_shows_each_fault_with_its_kind() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["mock", "oms-server", "--list-faults"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let listing = text(&out.stdout);
    let kind_of = |name: &str| {
        listing
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .map(str::to_string)
    };
    assert_eq!(kind_of("hang").as_deref(), Some("hostile"), "{listing}");
    assert_eq!(kind_of("xml-bomb").as_deref(), Some("hostile"));
    assert_eq!(kind_of("batch-drop-last").as_deref(), Some("protocol"));
    assert_eq!(kind_of("no-batch").as_deref(), Some("variant"));
    let out = run(&["mock", "oms-client", "--list-faults"], dir.path());
    assert_eq!(out.status.code(), Some(0), "--list-faults needs no --url");
    let listing = text(&out.stdout);
    assert!(listing.contains("first-error-decides"), "{listing}");
    assert!(
        !listing.contains("batch-drop-last"),
        "another peer's fault: {listing}"
    );
}

#[test]
fn the_mocks_own_profile_runs_green_with_nothing_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    let profile = dir.path().join("ready.toml");
    let relay = format!("127.0.0.1:{}", free_port());
    let mock = start_mock(
        &[
            "mock",
            "oms-server",
            "--tls",
            "--ca-out",
            ca.to_str().unwrap(),
            "--smtp-relay",
            &relay,
            "--profile-out",
            profile.to_str().unwrap(),
        ],
        dir.path(),
    );
    let body = std::fs::read_to_string(&profile).expect("profile written before the URL");
    assert!(body.contains("service_update_trigger"), "{body}");
    let out = run(&["run", "--profile", profile.to_str().unwrap()], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let json = assert_json_valid(&dir.path().join("reports/report.json"));
    assert_eq!(json["summary"]["verdicts"]["fail"], 0);
    // Every capability is claimed: no scenario is skipped for a missing key (the batch-less
    // scenario may still skip, as the mock supports batches).
    let unclaimed: Vec<String> = json["suites"][0]["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .filter(|s| s["verdict"] == "skip")
        .filter(|s| s["reason"].as_str().unwrap_or("").contains("not claimed"))
        .map(|s| format!("{}: {}", s["id"], s["reason"]))
        .collect();
    assert!(unclaimed.is_empty(), "{unclaimed:#?}");
    let passed = json["summary"]["verdicts"]["pass"].as_u64().unwrap_or(0);
    assert!(passed >= 60, "only {passed} passed");
    // The former top-level trigger still reaches the running mock.
    let ca = ca.to_str().unwrap();
    let out = run(
        &["mock-service-update", &mock.url, "--ca-file", ca],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("serviceUpdate"));
}

#[test]
fn the_mock_prints_a_profile_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = oxconf()
        .args(["mock", "oms-server", "--print-profile"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .expect("mock starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut toml = String::new();
    for line in lines.by_ref() {
        let line = line.expect("line");
        let last = line.starts_with("send_xms");
        toml.push_str(&line);
        toml.push('\n');
        if last {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    // Every line is TOML (the information lines are comments), so the output is a profile.
    let p = write(dir.path(), "printed.toml", &toml);
    let out = run(
        &["list", "--profile", p.to_str().unwrap(), "--filter", "*"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}{toml}", text(&out.stderr));
    assert!(toml.contains("# url: http://127.0.0.1:"), "{toml}");
    assert!(toml.contains("password = \"alice-pw-1\""), "{toml}");
}

/// Enabled once the oms-server suite classifies SMTP bind errors as `SetupError::Local`.
#[test]
fn a_local_port_in_use_exits_4_with_one_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let (_mock, profile) = tls_mock(dir.path(), port, &[]);
    let out = run(
        &["run", "--profile", profile.to_str().unwrap(), "-q"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert_eq!(err.matches("local setup problem").count(), 1, "{err}");
    assert!(err.contains(&port.to_string()), "{err}");
    reports_exist(dir.path());
    drop(taken);
}

/// The conformance test binary cargo built beside this one (the newest, if several).
fn conformance_binary() -> PathBuf {
    let deps = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .expect("test binary directory");
    std::fs::read_dir(&deps)
        .expect("deps dir")
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("conformance-") && !name.contains('.')
        })
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .map(|e| e.path())
        .expect("build the conformance tests too: cargo test --test conformance --no-run")
}

#[test]
fn conformance_listing_marks_unclaimed_scenarios_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let example = run(&["profile", "--example", "oms-server"], dir.path());
    let p = write(dir.path(), "p.toml", &text(&example.stdout));
    let list = |ignored: bool| {
        let mut cmd = Command::new(conformance_binary());
        cmd.args(["--list", "--format", "terse"]);
        if ignored {
            cmd.arg("--ignored");
        }
        let out = cmd.env("OXCONF_PROFILE", &p).output().expect("lists");
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let ignored = list(true);
    assert!(
        ignored.contains("oms-server/transport/https: test"),
        "{ignored}"
    );
    assert!(
        !ignored.contains("oms-server/user-info/ok: test"),
        "{ignored}"
    );
    // Without a profile, nothing is ignored: the reference peers claim everything.
    let out = Command::new(conformance_binary())
        .args(["--list", "--ignored"])
        .env_remove("OXCONF_PROFILE")
        .output()
        .expect("lists");
    assert!(
        !text(&out.stdout).contains(": test"),
        "{}",
        text(&out.stdout)
    );
}

/// `oxconf matrix` renders a peer folder and its run's report into docs/..., with links
/// relative to the output file; an unreadable peer folder is a usage error.
#[test]
fn matrix_renders_peer_folders_and_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let peer = dir.path().join("interop").join("demo-peer");
    std::fs::create_dir_all(&peer).expect("peer dir");
    write(
        &peer,
        "peer.toml",
        "id = \"demo-peer\"\npeer = \"demo\"\nversion = \"1.0.0\"\nregistry = \"PyPI\"\n\
         suite = \"oms-client\"\nrole = \"OMS client\"\ncheck = \"true\"\n\
         profile = \"profile.toml\"\nexpected = \"expected.json\"\n",
    );
    write(
        &peer,
        "expected.json",
        r#"{"peer":"demo-peer","suite":"oms-client","scenarios":{
            "oms-client/a":{"verdict":"pass"},
            "oms-client/b":{"verdict":"warn","requirement":"OMS-R097","section":"MS-OMS 3","note":"reads a 503 as delivered"}}}"#,
    );
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(&reports).expect("reports dir");
    write(
        &reports,
        "demo-peer.json",
        r#"{"suites":[{"scenarios":[{"id":"oms-client/a","verdict":"pass"},{"id":"oms-client/b","verdict":"warn","reason":"r"}]}]}"#,
    );
    let out = run(
        &[
            "matrix",
            "--interop",
            "interop",
            "--reports",
            "reports",
            "--out",
            "docs/interop.md",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let md = std::fs::read_to_string(dir.path().join("docs/interop.md")).expect("matrix written");
    assert!(
        md.contains("| [demo-peer](../interop/demo-peer/) | demo 1.0.0 | PyPI | OMS client | `oms-client` | 1 | 1 | 0 | 0 | 0 | 0 | yes |"),
        "{md}"
    );
    assert!(
        md.contains("- **warn** `oms-client/b` - [OMS-R097](#oms-r097) (MS-OMS 3): reads a 503 as delivered"),
        "{md}"
    );
    assert!(md.contains("#### OMS-R097"), "{md}");

    write(&peer, "peer.toml", "id = \"other\"\n");
    let bad = run(
        &["matrix", "--interop", "interop", "--reports", "reports"],
        dir.path(),
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("peer.toml"),
        "{}",
        text(&bad.stderr)
    );
}
