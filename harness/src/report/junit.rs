//! JUnit XML: one testsuite per suite, one testcase per scenario, named by its id.
//!
//! | verdict | JUnit |
//! |---|---|
//! | pass | success |
//! | warn | success, warning in system-out |
//! | fail | failure (type = level) |
//! | fail, expected | skipped ("expected failure: reason") |
//! | skip | skipped (reason) |
//! | inconclusive, error | error |

use super::model::{RunReport, ScenarioResult};
use super::sanitize::{attribute, cdata};
use super::transcripts::{checks_text, file_name, has_file, headline};
use crate::verdict::VerdictKind;
use junit_report::{Duration, OffsetDateTime, ReportBuilder, TestCase, TestSuiteBuilder};

fn testcase(r: &ScenarioResult, suite: &str, transcripts_dir: &str) -> TestCase {
    let name = attribute(&r.id);
    let time = Duration::milliseconds(r.duration.as_millis().min(i64::MAX as u128) as i64);
    let mut detail = format!("{}\n{}", headline(r), checks_text(r));
    if has_file(r) {
        detail.push_str(&format!(
            "transcript: {}/{}\n",
            transcripts_dir,
            file_name(r)
        ));
    }
    let reason = attribute(&r.verdict.reason);
    let mut tc = match (r.verdict.kind, &r.expected_failure) {
        (VerdictKind::Fail, Some(x)) => TestCase::skipped_with_cause(
            &name,
            "expected-failure",
            &attribute(&format!("expected failure: {}", x.reason)),
        ),
        (VerdictKind::Pass | VerdictKind::Warn, _) => TestCase::success(&name, time),
        (VerdictKind::Fail, None) => TestCase::failure(&name, time, r.level.as_str(), &reason),
        (VerdictKind::Skip, _) => TestCase::skipped_with_cause(&name, "skip", &reason),
        (VerdictKind::Inconclusive, _) => TestCase::error(&name, time, "inconclusive", &reason),
        (VerdictKind::Error, _) => TestCase::error(&name, time, "error", &reason),
    };
    tc.set_classname(&attribute(suite));
    if r.verdict.kind == VerdictKind::Warn {
        detail = format!("WARNING: {}\n{}", r.verdict.reason, detail);
    }
    tc.set_system_out(&cdata(&detail));
    if let junit_report::TestResult::Failure { cause, .. }
    | junit_report::TestResult::Error { cause, .. }
    | junit_report::TestResult::SkippedWithCause { cause, .. } = &mut tc.result
    {
        *cause = Some(cdata(&detail));
    }
    tc
}

/// Renders the whole run; every string has been sanitised for XML first.
pub fn render(report: &RunReport, transcripts_dir: &str) -> Result<Vec<u8>, String> {
    let stamp = OffsetDateTime::from(report.started);
    let mut builder = ReportBuilder::new();
    for suite in &report.suites {
        let mut sb = TestSuiteBuilder::new(&attribute(&suite.name));
        sb.set_timestamp(stamp);
        for r in &suite.scenarios {
            sb.add_testcase(testcase(r, &suite.name, transcripts_dir));
        }
        if let Some(why) = &report.interrupted {
            sb.set_system_err(&cdata(&format!("run stopped early: {why}")));
        }
        builder.add_testsuite(sb.build());
    }
    let mut out = Vec::new();
    builder
        .build()
        .write_xml(&mut out)
        .map_err(|e| format!("JUnit report could not be written: {e}"))?;
    Ok(out)
}
