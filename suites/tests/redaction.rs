//! End to end: a password with every character the XML writers and URL encoders treat
//! specially never appears, in any form it takes on the wire, in anything a run writes, when
//! the oms-server suite runs against a reference server whose account uses it.

extern crate oxconf_suites as suites;

use base64::Engine;
use harness::report::{console, write_all, Outputs, Tool};
use harness::runner::{Planned, RunOptions};
use harness::{Suite, VerdictKind};
use mocks::oms::server::{Faults, MockOmsServer, ServerConfig as MockConfig, StartOptions};
use std::sync::Arc;
use suites::oms::server::config::ServerConfig;
use suites::oms::server::env::reference_profile;

const PASSWORD: &str = "Zx7&Q<u>\"'pw";

/// The forms the password can take in what the suite sends and records.
fn forms() -> Vec<String> {
    let amp_lt_gt = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let all_five = |s: &str| amp_lt_gt(s).replace('"', "&quot;").replace('\'', "&apos;");
    let numeric = |s: &str| amp_lt_gt(s).replace('"', "&#34;").replace('\'', "&#39;");
    let url = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    vec![
        PASSWORD.to_string(),
        amp_lt_gt(PASSWORD),
        amp_lt_gt(&amp_lt_gt(PASSWORD)),
        all_five(PASSWORD),
        all_five(&all_five(PASSWORD)),
        numeric(PASSWORD),
        url(PASSWORD),
        url(PASSWORD).to_lowercase(),
        base64::engine::general_purpose::STANDARD.encode(format!("alice:{PASSWORD}")),
        // The distinctive middle of the secret, however the ends are escaped.
        "Q<u>".to_string(),
        "Q&lt;u&gt;".to_string(),
        "Q&amp;lt;u&amp;gt;".to_string(),
    ]
}

fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_password_never_reaches_any_output() {
    let mut config = MockConfig::reference();
    for u in config.users.iter_mut().filter(|u| u.user_id == "alice") {
        u.password = PASSWORD.to_string();
    }
    let server = MockOmsServer::start(
        config,
        Faults::parse(&[]).expect("no faults"),
        StartOptions {
            tls: true,
            ..StartOptions::default()
        },
    )
    .await
    .expect("reference server starts");
    let mut p =
        reference_profile(mocks::net::UserUrl::parse(&server.url()).expect("reference URL"));
    p.ca_pem = server.ca_pem().map(str::to_string);
    p.account.password = PASSWORD.to_string();
    p.reply = None;
    p.service_update_trigger = None;

    let suite: Arc<dyn Suite> = harness::erase(suites::oms::server::OmsServerSuite);
    let report = harness::run(
        vec![Planned::new(
            suite,
            Box::new(ServerConfig::Profile(Box::new(p))),
        )],
        RunOptions::default(),
    )
    .await;
    let passed = report.count(VerdictKind::Pass);
    assert!(
        passed > 30,
        "the account must work for the test to mean anything: {passed} passed\n{}",
        console::render(&report, "transcripts", true)
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let out = Outputs::in_dir(dir.path());
    write_all(
        &report,
        &out,
        Tool {
            name: "oxconf",
            version: "test",
        },
    )
    .expect("reports written");
    let mut texts = vec![(
        "console".to_string(),
        console::render(&report, "transcripts", true),
    )];
    let mut files = Vec::new();
    files_under(dir.path(), &mut files);
    assert!(files.len() > 10, "transcripts and reports: {files:?}");
    for f in files {
        let bytes = std::fs::read(&f).expect("read output");
        texts.push((
            f.display().to_string(),
            String::from_utf8_lossy(&bytes).into(),
        ));
    }
    let mut leaks = Vec::new();
    for (name, text) in &texts {
        for form in forms() {
            if text.contains(&form) {
                leaks.push(format!("{name}: contains {form:?}"));
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}
