//! The console summary: one line per problem in the style of EXAMPLES.md, then counts per
//! verdict and per level.

use super::model::RunReport;
use super::transcripts::{file_name, has_file, headline};
use crate::evidence::CheckOutcome;
use crate::level::Level;
use crate::verdict::VerdictKind;
use std::fmt::Write as _;

/// `transcripts` is the directory shown in "transcript:" lines.
pub fn render(report: &RunReport, transcripts: &str, verbose: bool) -> String {
    let mut out = String::new();
    for r in report.results() {
        let interesting = verbose || r.verdict.kind != VerdictKind::Pass;
        if !interesting {
            continue;
        }
        let _ = writeln!(out, "{}", headline(r));
        let mut detailed = false;
        for c in r
            .evidence
            .checks
            .iter()
            .filter(|c| matches!(c.outcome, CheckOutcome::Fail | CheckOutcome::Warn))
        {
            let _ = writeln!(out, "      {}", c.summary());
            detailed = true;
        }
        if !detailed {
            let _ = writeln!(out, "      {}", r.verdict.reason);
        }
        if let Some(x) = &r.expected_failure {
            let _ = writeln!(out, "      expected failure ({})", x.reason);
        }
        if has_file(r) && r.verdict.kind != VerdictKind::Skip {
            let _ = writeln!(out, "      transcript: {}/{}", transcripts, file_name(r));
        }
    }
    if let Some(why) = &report.interrupted {
        let _ = writeln!(
            out,
            "\nrun stopped early: {why}; the report below is partial"
        );
    }
    let total = report.results().count();
    let _ = writeln!(
        out,
        "\n{} scenarios in {:.2}s{}",
        total,
        report.duration.as_secs_f64(),
        if report.strict { " (strict)" } else { "" }
    );
    let counts: Vec<String> = VerdictKind::ALL
        .iter()
        .map(|k| format!("{} {}", report.count(*k), k))
        .collect();
    let _ = writeln!(out, "  verdicts: {}", counts.join(", "));
    if report.expected_failures() > 0 {
        let _ = writeln!(out, "  expected failures: {}", report.expected_failures());
    }
    let by_level = report.by_level();
    for level in Level::ALL {
        if let Some(m) = by_level.get(&level) {
            let parts: Vec<String> = VerdictKind::ALL
                .iter()
                .filter_map(|k| m.get(k).map(|n| format!("{n} {k}")))
                .collect();
            let _ = writeln!(out, "  {:<9} {}", level.as_str(), parts.join(", "));
        }
    }
    out
}
