//! The notif-client suite against a MAPI client oxconf did not write in Rust:
//! `vectors/cnotif/client.py`, a second client written from MS-OXCNOTIF 3.2 and the referenced
//! specs alone. It is run as a user runs it, through a profile naming the client as the
//! trigger, with UDP push claimed, so that every one of the 14 scenarios applies.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

#[test]
fn the_client_suite_passes_the_independent_python_client() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipped: python3 is not installed, so vectors/cnotif/client.py cannot run");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/cnotif/client.py");
    let trigger = format!(
        "python3 '{}' --url {{url}} --user {{user}} --password {{password}} \
         --mailbox-dn {{mailbox_dn}} --ca-file {{ca_file}} \
         --udp-port {{udp_port}} --udp-context {{udp_context}}",
        script.display()
    );
    let profile = dir.path().join("client.toml");
    std::fs::write(
        &profile,
        format!(
            "suite = \"notif-client\"\n[target]\ntrigger = {}\n[claims]\nudp_push = true\n",
            Value::from(trigger)
        ),
    )
    .expect("profile written");
    let out = Command::new(env!("CARGO_BIN_EXE_oxconf"))
        .args(["run", "--profile"])
        .arg(&profile)
        .arg("--json")
        .arg(dir.path().join("report.json"))
        .current_dir(dir.path())
        .output()
        .expect("oxconf runs");
    let console = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{console}");
    assert!(console.contains("14 pass"), "{console}");
}
