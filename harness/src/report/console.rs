//! The console summary: suite notices and setup errors first, then one block per problem
//! (failures, errors, inconclusive, warnings, then skips), identical reasons reported once with
//! their count, a recap of the failing ids, and counts per verdict and per level.

use super::model::{RunReport, ScenarioResult};
use super::sanitize::terminal;
use super::transcripts::{file_name, has_file, headline};
use crate::evidence::CheckOutcome;
use crate::level::Level;
use crate::verdict::VerdictKind;
use std::fmt::Write as _;

/// How the console report is rendered. The CLI decides `color` (from `--color` and
/// `NO_COLOR`); the report only follows it.
#[derive(Clone, Debug, Default)]
pub struct ConsoleOptions {
    /// The directory shown in "transcript:" lines.
    pub transcripts: String,
    /// Also list passing scenarios.
    pub verbose: bool,
    /// ANSI colours on the verdict words.
    pub color: bool,
}

/// Kept for callers of the first API: no colour.
pub fn render(report: &RunReport, transcripts: &str, verbose: bool) -> String {
    render_with(
        report,
        &ConsoleOptions {
            transcripts: transcripts.to_string(),
            verbose,
            color: false,
        },
    )
}

fn paint(kind: VerdictKind, text: &str, color: bool) -> String {
    if !color {
        return text.to_string();
    }
    let code = match kind {
        VerdictKind::Pass => "32",
        VerdictKind::Warn => "33",
        VerdictKind::Fail | VerdictKind::Error => "31;1",
        VerdictKind::Inconclusive => "35",
        VerdictKind::Skip => "2",
    };
    format!("\u{1b}[{code}m{text}\u{1b}[0m")
}

/// Problems first: the order in which blocks are shown.
fn order(r: &ScenarioResult) -> u8 {
    match (r.verdict.kind, r.expected_failure.is_some()) {
        (VerdictKind::Fail, false) => 0,
        (VerdictKind::Error, _) => 1,
        (VerdictKind::Inconclusive, _) => 2,
        (VerdictKind::Warn, _) => 3,
        (VerdictKind::Fail, true) => 4,
        (VerdictKind::Skip, _) => 5,
        (VerdictKind::Pass, _) => 6,
    }
}

/// The headline with its verdict word coloured.
fn coloured_headline(r: &ScenarioResult, color: bool) -> String {
    let line = terminal(&headline(r));
    let word = r.verdict.kind.as_str().to_uppercase();
    match line.strip_prefix(&word) {
        Some(rest) if color => format!("{}{rest}", paint(r.verdict.kind, &word, true)),
        _ => line,
    }
}

/// One line per finished scenario, for progress output: `PASS  id (0.12s)`.
pub fn progress_line(r: &ScenarioResult, color: bool) -> String {
    let word = r.verdict.kind.as_str().to_uppercase();
    // Padded outside the colour, so the coloured word is the word alone.
    let pad = " ".repeat(5usize.saturating_sub(word.len()));
    let mut line = format!(
        "{}{pad} {} ({:.2}s)",
        paint(r.verdict.kind, &word, color),
        terminal(&r.id),
        r.duration.as_secs_f64()
    );
    if r.expected_failure.is_some() {
        line.push_str(" expected failure");
    } else if r.verdict.kind != VerdictKind::Pass {
        let reason = terminal(r.verdict.reason.lines().next().unwrap_or(""));
        let _ = write!(line, ": {reason}");
    }
    line
}

/// Results that carry nothing but a reason (no checks, no transcript): these are grouped when
/// several share a verdict and a reason (a suite whose setup failed, an unclaimed capability).
fn bare(r: &ScenarioResult) -> bool {
    !has_file(r)
        && matches!(
            r.verdict.kind,
            VerdictKind::Inconclusive | VerdictKind::Skip | VerdictKind::Error
        )
}

/// The console summary of a finished (or partial) run, as described in the module
/// documentation; every text from the SUT is escaped for the terminal.
pub fn render_with(report: &RunReport, opts: &ConsoleOptions) -> String {
    let color = opts.color;
    let mut out = String::new();
    for s in &report.suites {
        for n in &s.notices {
            let _ = writeln!(out, "{}: notice: {}", s.name, terminal(n));
        }
        if let Some(e) = &s.setup_error {
            let _ = writeln!(
                out,
                "{}: {} ({}): {}",
                s.name,
                paint(VerdictKind::Inconclusive, "suite setup failed", color),
                e.kind(),
                terminal(e.message())
            );
        }
    }
    for e in &report.errors {
        let _ = writeln!(
            out,
            "{} {}",
            paint(VerdictKind::Error, "ERROR", color),
            terminal(e)
        );
    }

    let mut shown: Vec<&ScenarioResult> = report
        .results()
        .filter(|r| opts.verbose || r.verdict.kind != VerdictKind::Pass)
        .collect();
    shown.sort_by_key(|r| order(r));
    let mut grouped: Vec<(VerdictKind, String)> = Vec::new();
    for r in &shown {
        if bare(r) {
            let key = (r.verdict.kind, r.verdict.reason.clone());
            let same: Vec<&&ScenarioResult> = shown
                .iter()
                .filter(|x| bare(x) && x.verdict.kind == key.0 && x.verdict.reason == key.1)
                .collect();
            if same.len() > 1 {
                if grouped.contains(&key) {
                    continue;
                }
                let word = r.verdict.kind.as_str().to_uppercase();
                let _ = writeln!(
                    out,
                    "{} {} scenarios: {}",
                    paint(r.verdict.kind, &format!("{word:<5}"), color),
                    same.len(),
                    terminal(&r.verdict.reason)
                );
                let ids: Vec<String> = same.iter().take(5).map(|x| terminal(&x.id)).collect();
                let more = same.len().saturating_sub(5);
                let _ = writeln!(
                    out,
                    "      {}{}",
                    ids.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                );
                grouped.push(key);
                continue;
            }
        }
        let _ = writeln!(out, "{}", coloured_headline(r, color));
        let mut detailed = false;
        for c in r
            .evidence
            .checks
            .iter()
            .filter(|c| matches!(c.outcome, CheckOutcome::Fail | CheckOutcome::Warn))
        {
            let _ = writeln!(out, "      {}", terminal(&c.summary()));
            detailed = true;
        }
        if !detailed {
            let _ = writeln!(out, "      {}", terminal(&r.verdict.reason));
        }
        if let Some(x) = &r.expected_failure {
            let _ = writeln!(out, "      expected failure ({})", terminal(&x.reason));
        }
        if has_file(r) && r.verdict.kind != VerdictKind::Skip {
            let _ = writeln!(
                out,
                "      transcript: {}/{}",
                opts.transcripts,
                terminal(&file_name(r))
            );
        }
    }
    if let Some(why) = &report.interrupted {
        let _ = writeln!(
            out,
            "\nrun stopped early: {}; the report below is partial",
            terminal(why)
        );
    }
    let failing: Vec<String> = report
        .results()
        .filter(|r| r.counts_as_bad())
        .map(|r| terminal(&r.id))
        .collect();
    if !failing.is_empty() {
        let _ = writeln!(
            out,
            "\n{} ({}):",
            paint(VerdictKind::Fail, "not passed", color),
            failing.len()
        );
        for id in &failing {
            let _ = writeln!(out, "  {id}");
        }
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
        .map(|k| {
            let n = report.count(*k);
            let text = format!("{n} {k}");
            if n > 0 {
                paint(*k, &text, color)
            } else {
                text
            }
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::SuiteResult;
    use crate::suite::SetupError;
    use crate::verdict::Verdict;
    use std::time::{Duration, SystemTime};

    fn result(id: &str, kind: VerdictKind, reason: &str) -> ScenarioResult {
        ScenarioResult {
            id: id.into(),
            title: String::new(),
            role: "server".into(),
            level: Level::Must,
            requirements: vec!["R-1".into()],
            sections: Vec::new(),
            verdict: Verdict::new(kind, reason),
            expected_failure: None,
            evidence: Default::default(),
            transcript: Default::default(),
            duration: Duration::from_millis(120),
            started: None,
        }
    }

    fn report(scenarios: Vec<ScenarioResult>, setup_error: Option<SetupError>) -> RunReport {
        RunReport {
            started: SystemTime::UNIX_EPOCH,
            duration: Duration::ZERO,
            strict: false,
            interrupted: None,
            profile: None,
            suites: vec![SuiteResult {
                name: "s".into(),
                spec: "MS-T".into(),
                role: "server".into(),
                target: "t".into(),
                setup_error,
                notices: vec!["target.insecure: certificates are not checked".into()],
                scenarios,
            }],
            requirements: Default::default(),
            errors: Vec::new(),
        }
    }

    #[test]
    fn identical_inconclusive_reasons_are_reported_once_with_the_count() {
        let why = "suite setup failed: SUT unreachable: connection refused (is the URL right?)";
        let r = report(
            (0..42)
                .map(|i| result(&format!("s/{i}"), VerdictKind::Inconclusive, why))
                .collect(),
            Some(SetupError::Unreachable("connection refused".into())),
        );
        let text = render(&r, "t", false);
        assert_eq!(text.matches(why).count(), 1, "{text}");
        assert!(
            text.contains("INCONCLUSIVE 42 scenarios") || text.contains("42 scenarios: "),
            "{text}"
        );
        assert!(
            text.contains("s: suite setup failed (unreachable): connection refused"),
            "{text}"
        );
        assert_eq!(text.matches("certificates are not checked").count(), 1);
        assert!(text.contains("and 37 more"));
    }

    #[test]
    fn failures_come_before_skips_and_are_recapped() {
        let r = report(
            vec![
                result(
                    "s/skipped",
                    VerdictKind::Skip,
                    "capability `mms` not claimed",
                ),
                result("s/broken", VerdictKind::Fail, "answer: expected 1, got 2"),
            ],
            None,
        );
        let text = render(&r, "t", false);
        let fail_at = text.find("FAIL  s/broken").unwrap();
        let skip_at = text.find("SKIP  s/skipped").unwrap();
        assert!(fail_at < skip_at, "{text}");
        let recap = text.find("not passed (1):\n  s/broken\n").unwrap();
        assert!(recap > skip_at, "{text}");
    }

    #[test]
    fn colour_only_when_asked_and_progress_lines() {
        let r = report(vec![result("s/broken", VerdictKind::Fail, "bad")], None);
        assert!(!render(&r, "t", false).contains('\u{1b}'));
        let coloured = render_with(
            &r,
            &ConsoleOptions {
                transcripts: "t".into(),
                verbose: false,
                color: true,
            },
        );
        assert!(
            coloured.contains("\u{1b}[31;1mFAIL\u{1b}[0m"),
            "{coloured:?}"
        );
        let line = progress_line(&r.suites[0].scenarios[0], false);
        assert_eq!(line, "FAIL  s/broken (0.12s): bad");
        assert!(progress_line(&r.suites[0].scenarios[0], true).starts_with("\u{1b}["));
    }

    #[test]
    fn hostile_ids_and_reasons_cannot_drive_the_terminal() {
        let r = report(
            vec![result(
                "s/\u{1b}[2J",
                VerdictKind::Fail,
                "got \u{1b}]0;pwned\u{7}",
            )],
            None,
        );
        let text = render(&r, "t", false);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        assert!(!progress_line(&r.suites[0].scenarios[0], false).contains('\u{1b}'));
    }
}
