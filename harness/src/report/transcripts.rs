//! One text file per scenario: verdict, every check with expected and actual, notes, and the
//! wire transcript. This is what a failure report points the user to.

use super::atomic::write_atomic;
use super::model::{RunReport, ScenarioResult};
use crate::evidence::CheckOutcome;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The header line used by the console and the files: `FAIL  id  [MUST OMS-R146, MS-OMS 3.1]`.
pub fn headline(r: &ScenarioResult) -> String {
    let mut tags = vec![r.level.as_str().to_string()];
    tags.extend(r.requirements.iter().cloned());
    let mut line = format!(
        "{:<5} {}  [{}",
        r.verdict.kind.as_str().to_uppercase(),
        r.id,
        tags.join(" ")
    );
    if !r.sections.is_empty() {
        line.push_str(&format!(", {}", r.sections.join(", ")));
    }
    line.push(']');
    line
}

/// Checks and notes, one per line, failures first.
pub fn checks_text(r: &ScenarioResult) -> String {
    let mut out = String::new();
    let mut ordered: Vec<_> = r.evidence.checks.iter().collect();
    ordered.sort_by_key(|c| match c.outcome {
        CheckOutcome::Fail => 0,
        CheckOutcome::Warn => 1,
        CheckOutcome::Info => 2,
        CheckOutcome::Pass => 3,
    });
    for c in ordered {
        let _ = writeln!(
            out,
            "  {:<4} {} [{} {}{}]",
            c.outcome.as_str(),
            c.summary(),
            c.level,
            c.requirements.join(" "),
            if c.section.is_empty() {
                String::new()
            } else {
                format!(", {}", c.section)
            }
        );
    }
    for n in &r.evidence.notes {
        let _ = writeln!(out, "  note {n}");
    }
    out
}

/// The transcript file of one scenario. Everything in it may come from the SUT, so control
/// characters are escaped (`\u{1b}`): reading the file with `cat` must not let the SUT drive
/// the terminal.
pub fn render_scenario(r: &ScenarioResult) -> String {
    super::sanitize::terminal(&render_raw(r))
}

fn render_raw(r: &ScenarioResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", headline(r));
    let _ = writeln!(out, "title: {}", r.title);
    let _ = writeln!(out, "verdict: {} - {}", r.verdict.kind, r.verdict.reason);
    if let Some(x) = &r.expected_failure {
        let _ = writeln!(out, "expected failure: `{}` ({})", x.pattern, x.reason);
    }
    let _ = writeln!(out, "duration: {:.3}s", r.duration.as_secs_f64());
    let _ = writeln!(out, "\nchecks:");
    out.push_str(&checks_text(r));
    if !r.transcript.is_empty() {
        let _ = writeln!(out, "\ntranscript (credentials redacted):");
        out.push_str(&r.transcript.render());
    }
    out
}

/// The transcript's file name inside the transcripts directory: the id's file stem plus `.txt`.
pub fn file_name(r: &ScenarioResult) -> String {
    format!("{}.txt", r.file_stem())
}

/// Writes one file per scenario that ran; returns their paths.
pub fn write(report: &RunReport, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for r in report.results() {
        if r.evidence.checks.is_empty() && r.transcript.is_empty() && r.evidence.notes.is_empty() {
            continue;
        }
        let path = dir.join(file_name(r));
        write_atomic(&path, render_scenario(r).as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// Whether `write` produces a file for this result (so reports only link existing files).
pub fn has_file(r: &ScenarioResult) -> bool {
    !(r.evidence.checks.is_empty() && r.transcript.is_empty() && r.evidence.notes.is_empty())
}
