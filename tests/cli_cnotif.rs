//! `oxconf decode ropnotify` as the decoder contract, checked against every NotificationData
//! vector, and the notif-decoder suite run as a user runs it: through a profile file naming a
//! decoder command, once conformant and once with a fault of the reference decoder.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn oxconf() -> Command {
    Command::new(env!("CARGO_BIN_EXE_oxconf"))
}

fn decode(args: &[&str], input: &str) -> Output {
    let mut child = oxconf()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("oxconf runs");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input.as_bytes()).expect("input written");
    drop(stdin);
    child.wait_with_output().expect("oxconf finishes")
}

fn vectors() -> Vec<Value> {
    let doc: Value = serde_json::from_str(include_str!("../vectors/cnotif/notification-data.json"))
        .expect("vector file");
    doc["testGroups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["tests"].as_array().expect("tests").clone())
        .collect()
}

#[test]
fn decode_lines_agrees_with_every_vector() {
    let all = vectors();
    let input: String = all
        .iter()
        .map(|t| format!("{}\n", t["hex"].as_str().expect("hex")))
        .collect();
    let out = decode(&["decode", "ropnotify", "--lines"], &input);
    assert_eq!(out.status.code(), Some(1), "some vectors are refused");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), all.len(), "one line per buffer");
    for (t, line) in all.iter().zip(lines) {
        let got: Value = serde_json::from_str(line).expect("a JSON line");
        match t["result"].as_str() {
            Some("valid") => assert_eq!(got, t["decoded"], "tcId {}", t["tcId"]),
            _ => assert_eq!(got["error"], t["rule"], "tcId {}", t["tcId"]),
        }
    }
}

#[test]
fn decode_one_buffer_follows_the_exit_status_contract() {
    let ok = decode(&["decode", "ropnotify"], "0001 0100\n");
    assert_eq!(ok.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&ok.stdout).expect("JSON");
    assert_eq!(v["TableEventType"], "TableChanged");
    let bad = decode(&["decode", "ropnotify"], "1000");
    assert_eq!(bad.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&bad.stdout).expect("JSON");
    assert_eq!(v["error"], "truncated:FolderId");
    let annotated = decode(&["decode", "ropnotify", "--annotate"], "0280");
    let text = String::from_utf8_lossy(&annotated.stdout);
    assert!(
        text.contains("NotificationFlags") && text.contains("truncated:FolderId"),
        "{text}"
    );
}

fn run_profile(dir: &Path, decode: &str, lines: bool) -> Output {
    let profile = dir.join("decoder.toml");
    std::fs::write(
        &profile,
        format!(
            "suite = \"notif-decoder\"\n[target]\ndecode = {}\ndecode_lines = {lines}\n",
            Value::from(decode)
        ),
    )
    .expect("profile written");
    oxconf()
        .args(["run", "--profile"])
        .arg(&profile)
        .arg("--json")
        .arg(dir.join("report.json"))
        .current_dir(dir)
        .output()
        .expect("oxconf runs")
}

#[test]
fn the_decoder_suite_passes_oxconf_decode_and_fails_a_faulty_decoder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bin = env!("CARGO_BIN_EXE_oxconf");
    for lines in [true, false] {
        let out = run_profile(dir.path(), &format!("'{bin}' decode ropnotify"), lines);
        let console = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "lines={lines}\n{console}");
        assert!(console.contains("15 pass"), "{console}");
    }
    let out = run_profile(
        dir.path(),
        &format!("'{bin}' mock notif-decoder --fault counts-swapped"),
        true,
    );
    let console = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{console}");
    assert!(
        console.contains("FAIL  notif-decoder/valid/object-modified"),
        "{console}"
    );
    let out = run_profile(dir.path(), "/nonexistent/decoder", false);
    let console = String::from_utf8_lossy(&out.stdout);
    assert!(console.contains("INCONCLUSIVE"), "{console}");
    assert_ne!(out.status.code(), Some(0));
}
