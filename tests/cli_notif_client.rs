//! The notif-client suite run as a user runs it: a profile whose trigger starts a separate
//! client process (`oxconf mock notif-client`), once conformant and once with faults, plus a
//! client that never registers and one that cannot start. This is the path of every real
//! client: spawned in its own process group, watched line by line, ended with SIGTERM.

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, trigger: &str) -> Output {
    let profile = dir.join("client.toml");
    std::fs::write(
        &profile,
        format!(
            "suite = \"notif-client\"\n[target]\ntrigger = {}\nready_timeout = \"3s\"\n[server]\npolls_max = \"500ms\"\n[claims]\nudp_push = true\n",
            serde_json::Value::from(trigger)
        ),
    )
    .expect("profile written");
    Command::new(env!("CARGO_BIN_EXE_oxconf"))
        .args(["run", "--profile"])
        .arg(&profile)
        .current_dir(dir)
        .output()
        .expect("oxconf runs")
}

fn client(faults: &str) -> String {
    format!(
        "'{}' mock notif-client{faults} --url {{url}} --user {{user}} --password {{password}} \
         --mailbox-dn {{mailbox_dn}} --ca-file {{ca_file}} --udp-port {{udp_port}} --udp-context {{udp_context}}",
        env!("CARGO_BIN_EXE_oxconf")
    )
}

#[test]
fn the_client_suite_judges_a_separate_client_process() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(dir.path(), &client(""));
    let console = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{console}");
    assert!(console.contains("14 pass"), "{console}");

    let out = run(
        dir.path(),
        &client(" --fault ignores-pending --fault accepts-any-datagram"),
    );
    let console = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{console}");
    assert!(
        console.contains("notif-client/pending/follows-own"),
        "{console}"
    );
    assert!(
        console.contains("FAIL  notif-client/udp/ignores-mismatch"),
        "{console}"
    );
    // The password given to the client never reaches the reports.
    for entry in std::fs::read_dir(dir.path().join("reports/transcripts")).expect("transcripts") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("readable");
        assert!(!text.contains("oxconf-secret"), "{text}");
    }
}

#[test]
fn a_client_that_never_registers_or_cannot_start_is_inconclusive() {
    let dir = tempfile::tempdir().expect("temp dir");
    for trigger in ["sleep 30", "/nonexistent/mapi-client {url}"] {
        let out = run(dir.path(), trigger);
        let console = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(3), "{trigger}: {console}");
        assert!(console.contains("did not register"), "{console}");
    }
}
