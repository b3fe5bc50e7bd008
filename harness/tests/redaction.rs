//! Secrets from `Prepared.secrets` reach no output: not the files, not the console.

extern crate oxconf_harness as harness;

mod common;

use common::{files_below, options, FakeSuite, Setup, TOOL};
use harness::report::{console, write_all, Outputs};
use harness::{Direction, Field, Scenario, Stop};
use std::time::Duration;

const PASSWORD: &str = "hunter2";
/// A secret whose escaped forms differ from it: XML escaping turns it into other bytes, and
/// the wire writer (which escapes `&<>` only in text) and a five-character escaper disagree.
const MARKUP: &str = "Zx7&Q<u>\"'pw";

fn xml_escape(s: &str) -> String {
    text_escape(s)
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// What the wire writer does to element text.
fn text_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn numeric_escape(s: &str) -> String {
    text_escape(s).replace('"', "&#34;").replace('\'', "&#39;")
}

fn url_encode(s: &str) -> String {
    url_encode_hex(s, false)
}

fn url_encode_hex(s: &str, lower: bool) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ if lower => format!("%{b:02x}"),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn basic(user: &str, password: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}

/// Every spelling of a secret an output could carry: raw, escaped for XML once and twice (a
/// SOAP payload inside a string) by each escaper, URL-encoded, and escaped for JSON.
fn forms(secret: &str) -> Vec<String> {
    let mut out = vec![secret.to_string()];
    for esc in [xml_escape, text_escape, numeric_escape] {
        let once = esc(secret);
        out.push(esc(&once));
        out.push(once);
    }
    out.push(url_encode(secret));
    out.push(url_encode_hex(secret, true));
    let json = serde_json::to_string(secret).unwrap();
    out.push(json.trim_matches('"').to_string());
    out.push(basic("admin", secret));
    out.sort();
    out.dedup();
    out
}

/// Each scenario hands the secrets to a different recording path.
fn leaky_scenarios() -> Vec<Scenario> {
    let both = format!("{PASSWORD} {MARKUP}");
    let once = format!(
        "{} {} {}",
        xml_escape(MARKUP),
        text_escape(MARKUP),
        numeric_escape(MARKUP)
    );
    let twice = format!(
        "{} {} {}",
        xml_escape(&xml_escape(MARKUP)),
        text_escape(&text_escape(MARKUP)),
        numeric_escape(&numeric_escape(MARKUP))
    );
    vec![
        Scenario::new("leak/transcript").run({
            let both = both.clone();
            move |cx| {
                let both = both.clone();
                let (once, twice) = (once.clone(), twice.clone());
                async move {
                    cx.sent("http", &format!("POST as {PASSWORD}"), &both);
                    cx.received("http", "echo", &format!("<pw>{once}</pw> <s>{twice}</s>"));
                    cx.local("trigger", "cmd", &format!("send --password {PASSWORD}"));
                    cx.sent(
                        "http",
                        "form post",
                        &format!(
                            "POST /login?user=admin&pw={} HTTP/1.1\r\nAuthorization: Basic {}\r\n\r\npw={}",
                            url_encode(MARKUP),
                            basic("admin", MARKUP),
                            url_encode_hex(MARKUP, true)
                        ),
                    );
                    cx.note(format!("token was {}", basic("admin", MARKUP)));
                    cx.binary(
                        Direction::Received,
                        "udp",
                        &format!("frame for {PASSWORD}"),
                        &[1, 2, 3],
                        vec![Field {
                            offset: 0,
                            len: 3,
                            name: "user".into(),
                            value: both.clone(),
                        }],
                    );
                    cx.note(format!("logged in with {both}"));
                    cx.expect_eq("transcript recorded", 1, 1)
                }
            }
        }),
        Scenario::new("leak/check").run({
            let both = both.clone();
            move |cx| {
                let both = both.clone();
                async move {
                    cx.at_level(harness::Level::Should).expect(
                        &format!("password {PASSWORD} echoed"),
                        false,
                        "nothing",
                        &both,
                    )?;
                    cx.checks().deviation("user", "E-OMS-01", MARKUP, PASSWORD);
                    cx.expect_eq("credentials", PASSWORD.to_string(), both)
                }
            }
        }),
        Scenario::new("leak/inconclusive").run(|cx| async move {
            cx.sent("http", "login", "x");
            Err(Stop::inconclusive(format!("login as {PASSWORD} refused")))
        }),
        Scenario::new("leak/error")
            .run(|_cx| async move { Err(Stop::error(format!("cannot parse `{MARKUP}`"))) }),
        Scenario::new("leak/skip")
            .run(|_cx| async move { Err(Stop::skip(format!("{PASSWORD} has no mailbox"))) }),
        Scenario::new("leak/panic").run(|_cx| async move {
            let reply: Result<u8, String> = Err(format!("bad password {PASSWORD}"));
            match reply {
                Ok(_) => Ok(()),
                Err(e) => panic!("{e}"),
            }
        }),
        Scenario::new("leak/timeout").run(|cx| async move {
            cx.received("http", "partial", PASSWORD);
            tokio::time::sleep(Duration::from_secs(600)).await;
            Ok(())
        }),
    ]
}

/// Up to 60 characters before a leak, to say where it came from.
fn context(text: &str, at: usize) -> &str {
    let from = text[..at]
        .char_indices()
        .rev()
        .nth(60)
        .map_or(0, |(i, _)| i);
    &text[from..at]
}

#[tokio::test]
async fn secrets_reach_no_output() {
    let suite = FakeSuite::new("leak", leaky_scenarios()).setup(Setup::Ready {
        claims: Vec::new(),
        secrets: vec!["admin".into(), PASSWORD.into(), MARKUP.into()],
        target: format!("http://admin:{PASSWORD}@sut.example/oms"),
    });
    let report = harness::run(
        vec![suite.planned()],
        harness::RunOptions {
            timeout: Duration::from_millis(500),
            ..options()
        },
    )
    .await;

    let dir = tempfile::tempdir().unwrap();
    let out = Outputs::in_dir(&dir.path().join("reports"));
    let written = write_all(&report, &out, TOOL).unwrap();
    let mut outputs: Vec<(String, String)> = files_below(dir.path())
        .into_iter()
        .map(|p| {
            let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
            (p.display().to_string(), text)
        })
        .collect();
    assert_eq!(outputs.len(), written.len());
    outputs.push((
        "console".into(),
        console::render(&report, "reports/transcripts", true),
    ));
    outputs.push((
        "console (quiet)".into(),
        console::render(&report, "t", false),
    ));

    let mut leaks = Vec::new();
    for secret in [PASSWORD, MARKUP] {
        for form in forms(secret) {
            for (name, text) in &outputs {
                if let Some(at) = text.find(&form) {
                    leaks.push(format!("{form:?} in {name}: {:?}", context(text, at)));
                }
            }
        }
    }
    assert!(leaks.is_empty(), "secrets leaked:\n{}", leaks.join("\n"));

    assert_eq!(
        report.suites[0].target,
        "http://[REDACTED]:[REDACTED]@sut.example/oms"
    );
    // The scenarios did record what they were given, masked.
    let json = &outputs
        .iter()
        .find(|(n, _)| n.ends_with("report.json"))
        .unwrap()
        .1;
    assert!(json.contains("[REDACTED]"));
    let kinds: Vec<_> = report
        .results()
        .map(|r| (r.id.as_str(), r.verdict.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("leak/transcript", "pass"),
            ("leak/check", "fail"),
            ("leak/inconclusive", "inconclusive"),
            ("leak/error", "error"),
            ("leak/skip", "skip"),
            ("leak/panic", "error"),
            ("leak/timeout", "inconclusive"),
        ]
    );
}
