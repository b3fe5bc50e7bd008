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

struct MockProcess(std::process::Child);

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `oxconf mock notif-server` as a separate process, judged by the notif-server suite through
/// the profile it writes; then the same with a fault, which must fail.
#[test]
fn the_server_suite_judges_the_standalone_mock() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("temp dir");
    for (fault, want) in [(None, 0), (Some("no-pending"), 1)] {
        let profile = dir.path().join("notif.toml");
        let mut args = vec![
            "mock".to_string(),
            "notif-server".into(),
            "--minute".into(),
            "400ms".into(),
            "--profile-out".into(),
            profile.display().to_string(),
        ];
        if let Some(f) = fault {
            args.extend(["--fault".into(), f.to_string()]);
        }
        let mut child = oxconf()
            .args(&args)
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
                .expect("the mock printed its URL")
                .expect("stdout");
            if line.starts_with("url: ") {
                break;
            }
        }
        std::thread::spawn(move || for _ in lines {});
        let out = oxconf()
            .args(["run", "--profile"])
            .arg(&profile)
            .arg("--strict")
            .arg("--json")
            .arg(dir.path().join("report.json"))
            .current_dir(dir.path())
            .output()
            .expect("oxconf runs");
        let console = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(want), "fault {fault:?}\n{console}");
        if fault.is_some() {
            assert!(
                console.contains("notif-server/pending/signalled"),
                "{console}"
            );
        } else {
            assert!(console.contains("20 pass"), "{console}");
        }
    }
}

#[test]
fn decode_rop_buffer_mapihttp_and_soap_name_their_fields() {
    // RPC_HEADER_EXT (Last) + RopSize + a RopNotify (V11, TableChanged) + RopPending + 1 handle.
    let rops = "2A0100000000000101006E0300";
    let buffer = format!("{:02X}00{rops}07000000", rops.len() / 2 + 2);
    let size = buffer.len() / 2;
    let framed = format!("00000400{size:02X}00{size:02X}00{buffer}");
    let out = decode(&["decode", "rop-buffer"], &framed);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for want in ["RopNotify", "TableEventType", "RopPending", "0x00000007"] {
        assert!(text.contains(want), "{want} in {text}");
    }
    let stream = "PROCESSING\r\nDONE\r\n\r\n"
        .bytes()
        .map(|b| format!("{b:02X}"))
        .collect::<String>()
        + "000000000000000001000000"
        + "00000000";
    let out = decode(
        &["decode", "mapihttp", "--request-type", "NotificationWait"],
        &stream,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("event_pending: true"), "{text}");
    let xml = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>\
        <m:SendNotificationResult xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">\
        <m:SubscriptionStatus>Unsubscribe</m:SubscriptionStatus></m:SendNotificationResult></s:Body></s:Envelope>";
    let out = decode(&["decode", "soap", "--json"], xml);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["value"]["result"]["status_text"], "Unsubscribe");
}

/// The suite against a decoder oxconf did not write in Rust: `vectors/cnotif/decode.py`, a
/// second implementation of the decode format from the spec text.
#[test]
fn the_decoder_suite_passes_the_independent_python_decoder() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipped: python3 is not installed, so vectors/cnotif/decode.py cannot run");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/cnotif/decode.py");
    let out = run_profile(dir.path(), &format!("python3 '{}'", script.display()), true);
    let console = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{console}");
    assert!(console.contains("15 pass"), "{console}");
}
