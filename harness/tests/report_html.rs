//! The HTML report: hostile text stays text, the page fetches nothing, the evidence is all
//! there (from the run and from its saved JSON alike), and several reports make a matrix.

extern crate oxconf_harness as harness;

mod common;

use common::{every_verdict, known_failures, options, FakeSuite, HOSTILE, TOOL};
use harness::report::html::{self, Input, ReportDoc};
use harness::report::json;
use harness::transcript::Field;
use harness::{Direction, RunOptions, RunReport, Scenario};

/// Markup a SUT could send to break out of the page: a script, an attribute breakout and a
/// closing tag for the page's own script element.
const ATTACK: &str = "<script>alert(1)</script>\"><img src=x onerror=alert(2)></script><!--";

fn scenarios() -> Vec<Scenario> {
    let mut s = every_verdict("fake");
    s.push(
        Scenario::new("fake/wire")
            .title("wire evidence")
            .requirements(["FAKE-R005"])
            .run(|cx| async move {
                cx.sent(
                    "http",
                    "POST /ews",
                    "POST /ews HTTP/1.1\r\nContent-Type: text/xml\r\n\r\n<s:Envelope xmlns:s=\"u\"><s:Body><m:Id>abc</m:Id></s:Body></s:Envelope>",
                );
                cx.received("http", ATTACK, ATTACK);
                cx.binary(
                    Direction::Received,
                    "mapi",
                    "RopNotify",
                    &[0x2a, 0x00, 0x10, 0x30, b'<', b'/'],
                    vec![
                        Field {
                            offset: 0,
                            len: 2,
                            name: "RopId".into(),
                            value: "0x2a".into(),
                        },
                        Field {
                            offset: 2,
                            len: 2,
                            name: "NotificationType".into(),
                            value: ATTACK.into(),
                        },
                    ],
                );
                cx.expect_eq("ids", "abc", ATTACK)
            }),
    );
    s
}

async fn run() -> RunReport {
    harness::run(
        vec![FakeSuite::new("fake", scenarios()).planned()],
        RunOptions {
            expected: known_failures("fake"),
            profile: Some("profiles/sut-a.toml".into()),
            ..options()
        },
    )
    .await
}

fn page(report: &RunReport) -> String {
    html::render_run(report, TOOL).expect("page renders")
}

/// The page's own elements, outside every escaped value.
fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[tokio::test]
async fn hostile_text_is_escaped_everywhere() {
    let report = run().await;
    let p = page(&report);
    assert_eq!(
        count(&p, "<script"),
        1,
        "only the page's own script element"
    );
    assert_eq!(count(&p, "</script"), 1);
    assert!(!p.contains("<img"), "no markup from the SUT survives");
    assert!(!p.contains("<!--"), "no comment from the SUT survives");
    assert!(
        p.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "shown as text"
    );
    // HOSTILE's quotes and markup, in text and in attributes (the scenario id is an anchor).
    assert!(!p.contains(HOSTILE));
    assert!(p.contains("&lt;&amp;&quot;&#x27; naïve 日本 🚀"));
}

#[tokio::test]
async fn the_page_is_self_contained() {
    let report = run().await;
    let p = page(&report);
    for attr in ["src=", "href=", "action=", "url(", "@import"] {
        for (i, _) in p.match_indices(attr) {
            let rest = &p[i + attr.len()..];
            let rest = rest.trim_start_matches(['"', '\'']);
            assert!(
                !rest.starts_with("http:")
                    && !rest.starts_with("https:")
                    && !rest.starts_with("//"),
                "fetches {}",
                &p[i..(i + 60).min(p.len())]
            );
        }
    }
    assert!(!p.contains("<link"), "no external stylesheet");
    assert!(p.contains("default-src 'none'"), "the CSP forbids fetching");
    assert!(
        p.contains("script-src 'sha256-"),
        "only the page's script runs"
    );
}

#[tokio::test]
async fn every_piece_of_evidence_is_shown() {
    let report = run().await;
    let p = page(&report);
    // Summary: the target, the profile, the strictness, the verdict counts.
    assert!(
        p.contains("<code>profiles&#x2f;sut-a.toml</code>"),
        "profile"
    );
    assert!(p.contains("SHOULD findings warn"), "strictness");
    assert!(
        p.contains("id=\"fake&#x2f;fail\""),
        "one anchor per scenario"
    );
    // A check's expected and actual.
    assert!(
        p.contains("<td class=\"val\">&quot;abc&quot;</td>") || p.contains(">abc<"),
        "{}",
        "expected value"
    );
    // The SOAP body re-indented, the raw text offered too.
    assert!(
        p.contains("\n  <span class=\"tg\">&lt;s:Body&gt;</span>"),
        "SOAP indented"
    );
    assert!(p.contains("Exactly as exchanged"));
    // The binary frame as an annotated dump.
    assert!(
        p.contains("<span class=\"f0\" title=\"RopId\">2a</span>"),
        "annotated hex"
    );
    assert!(p.contains("NotificationType"));
}

#[tokio::test]
async fn a_saved_report_renders_the_same_page() {
    let report = run().await;
    let from_run = page(&report);
    let saved = json::render(&report, TOOL, "transcripts");
    let doc = ReportDoc::parse(&saved).expect("reads back");
    let from_json = html::render(&[Input { doc, source: None }]).expect("renders");
    assert_eq!(from_run, from_json);
}

#[tokio::test]
async fn an_older_report_without_transcripts_still_renders() {
    let report = run().await;
    let mut value: serde_json::Value =
        serde_json::from_str(&json::render(&report, TOOL, ".")).expect("json");
    for suite in value["suites"].as_array_mut().expect("suites") {
        for s in suite["scenarios"].as_array_mut().expect("scenarios") {
            s.as_object_mut().expect("object").remove("transcript");
        }
    }
    let doc = ReportDoc::parse(&value.to_string()).expect("reads back");
    let p = html::render(&[Input { doc, source: None }]).expect("renders");
    assert!(p.contains("id=\"fake&#x2f;wire\""));
    assert!(ReportDoc::parse("{\"schema\":\"other/9\"}").is_err());
}

#[tokio::test]
async fn several_reports_make_a_matrix() {
    let a = run().await;
    let mut b = run().await;
    b.profile = Some("profiles/sut-b.toml".into());
    // Implementation b passes what a fails, and never ran one scenario.
    for s in &mut b.suites[0].scenarios {
        if s.id == "fake/fail" {
            s.verdict = harness::Verdict::new(harness::VerdictKind::Pass, "");
        }
    }
    b.suites[0].scenarios.retain(|s| s.id != "fake/error");
    let inputs: Vec<Input> = [&a, &b]
        .iter()
        .map(|r| Input {
            doc: ReportDoc::parse(&json::render(r, TOOL, ".")).expect("json"),
            source: None,
        })
        .collect();
    let p = html::render(&inputs).expect("renders");
    assert!(p.contains("Scenarios × implementations"));
    assert!(p.contains("<th class=\"impl\">sut-a</th><th class=\"impl\">sut-b</th>"));
    assert!(
        p.contains("href=\"#r1:fake&#x2f;fail\""),
        "cell links to a's evidence"
    );
    assert!(p.contains("href=\"#r2:fake&#x2f;fail\""), "and to b's");
    assert!(p.contains("id=\"r2:fake&#x2f;fail\""));
    assert!(
        p.contains("data-verdict=\"fail pass\""),
        "the row carries both verdicts"
    );
    assert!(p.contains("not run"), "a scenario one report lacks");
}
