//! JUnit XML: one testsuite per suite that has scenarios in the run, one testcase per scenario,
//! named by its id.
//!
//! | verdict | JUnit |
//! |---|---|
//! | pass | success |
//! | warn | success, warning in system-out |
//! | fail | failure (type = level) |
//! | fail, expected | skipped ("expected failure: reason") |
//! | skip | skipped (reason) |
//! | inconclusive, error | error |
//!
//! `<testsuites>` carries the run's totals (tests, failures, errors, skipped, time = the run's
//! wall time); each `<testsuite>` its own counts, `time` = wall time from its first scenario's
//! start to its last one's end (scenarios run concurrently, so this is not a sum), and
//! `timestamp` = when its first scenario started, in UTC, to the second
//! (`2024-05-01T12:00:00`, as the JUnit schema has it). Every testcase has its real `time`,
//! skipped and expected failures included. A suite a filter removed entirely gets no
//! `<testsuite>`.
//!
//! The transcript link in system-out is relative to the directory of the JUnit file when the
//! transcripts lie below it, and absolute otherwise (`report::link_dir`).
//!
//! The writer is our own: every attribute and text is escaped, and text that XML cannot carry
//! (control characters, `]]>`) is sanitised first.

use super::model::{RunReport, ScenarioResult, SuiteResult};
use super::sanitize::{attribute, cdata};
use super::transcripts::{checks_text, file_name, has_file, headline};
use crate::verdict::VerdictKind;
use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// An attribute value: one line, sanitised, escaped.
fn attr(s: &str) -> String {
    escape_attr(&attribute(s))
}

fn secs(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

/// `2024-05-01T12:00:00`: UTC, whole seconds.
pub fn timestamp(t: SystemTime) -> String {
    let t = time::OffsetDateTime::from(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

fn counts<'a>(results: impl Iterator<Item = &'a ScenarioResult>) -> Counts {
    let mut c = Counts::default();
    for r in results {
        c.tests += 1;
        match (r.verdict.kind, &r.expected_failure) {
            (VerdictKind::Fail, Some(_)) | (VerdictKind::Skip, _) => c.skipped += 1,
            (VerdictKind::Fail, None) => c.failures += 1,
            (VerdictKind::Inconclusive | VerdictKind::Error, _) => c.errors += 1,
            (VerdictKind::Pass | VerdictKind::Warn, _) => {}
        }
    }
    c
}

/// First start to last end of the suite's scenarios that ran; zero when none did.
fn wall_time(suite: &SuiteResult) -> (Option<SystemTime>, Duration) {
    let first = suite.scenarios.iter().filter_map(|r| r.started).min();
    let last = suite
        .scenarios
        .iter()
        .filter_map(|r| r.started.map(|s| s + r.duration))
        .max();
    match (first, last) {
        (Some(f), Some(l)) => (Some(f), l.duration_since(f).unwrap_or_default()),
        _ => (None, Duration::ZERO),
    }
}

fn testcase(out: &mut String, r: &ScenarioResult, suite: &str, transcripts_dir: &str) {
    let mut detail = format!("{}\n{}", headline(r), checks_text(r));
    if has_file(r) {
        let _ = writeln!(detail, "transcript: {}/{}", transcripts_dir, file_name(r));
    }
    if r.verdict.kind == VerdictKind::Warn {
        detail = format!("WARNING: {}\n{}", r.verdict.reason, detail);
    }
    let body = cdata(&detail);
    let _ = writeln!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\" time=\"{}\">",
        attr(&r.id),
        attr(suite),
        secs(r.duration)
    );
    let reason = &r.verdict.reason;
    let element = match (r.verdict.kind, &r.expected_failure) {
        (VerdictKind::Fail, Some(x)) => {
            Some(("skipped", None, format!("expected failure: {}", x.reason)))
        }
        (VerdictKind::Pass | VerdictKind::Warn, _) => None,
        (VerdictKind::Fail, None) => Some(("failure", Some(r.level.as_str()), reason.clone())),
        (VerdictKind::Skip, _) => Some(("skipped", None, reason.clone())),
        (VerdictKind::Inconclusive, _) => Some(("error", Some("inconclusive"), reason.clone())),
        (VerdictKind::Error, _) => Some(("error", Some("error"), reason.clone())),
    };
    if let Some((tag, kind, message)) = element {
        let kind = kind
            .map(|k| format!(" type=\"{}\"", attr(k)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "      <{tag}{kind} message=\"{}\"><![CDATA[{body}]]></{tag}>",
            attr(&message)
        );
    }
    let _ = writeln!(out, "      <system-out><![CDATA[{body}]]></system-out>");
    out.push_str("    </testcase>\n");
}

/// Renders the whole run; every string has been sanitised for XML first.
pub fn render(report: &RunReport, transcripts_dir: &str) -> Result<Vec<u8>, String> {
    let suites: Vec<&SuiteResult> = report
        .suites
        .iter()
        .filter(|s| !s.scenarios.is_empty())
        .collect();
    let total = counts(suites.iter().flat_map(|s| s.scenarios.iter()));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"oxconf\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\" timestamp=\"{}\">",
        total.tests,
        total.failures,
        total.errors,
        total.skipped,
        secs(report.duration),
        timestamp(report.started)
    );
    for (i, suite) in suites.iter().enumerate() {
        let c = counts(suite.scenarios.iter());
        let (first, wall) = wall_time(suite);
        let _ = writeln!(
            out,
            "  <testsuite id=\"{i}\" name=\"{}\" package=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\" timestamp=\"{}\" hostname=\"localhost\">",
            attr(&suite.name),
            attr(&suite.name),
            c.tests,
            c.failures,
            c.errors,
            c.skipped,
            secs(wall),
            timestamp(first.unwrap_or(report.started))
        );
        for r in &suite.scenarios {
            testcase(&mut out, r, &suite.name, transcripts_dir);
        }
        let mut err = String::new();
        if let Some(e) = &suite.setup_error {
            let _ = writeln!(err, "suite setup failed ({}): {}", e.kind(), e.message());
        }
        for n in &suite.notices {
            let _ = writeln!(err, "notice: {n}");
        }
        if let Some(why) = &report.interrupted {
            let _ = writeln!(err, "run stopped early: {why}");
        }
        if !err.is_empty() {
            let _ = writeln!(
                out,
                "    <system-err><![CDATA[{}]]></system-err>",
                cdata(&err)
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    Ok(out.into_bytes())
}
