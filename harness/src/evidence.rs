//! What a scenario observed: one record per check, plus free notes.
//!
//! Checks carry their own requirement ids, section and level so that a report can answer
//! "which requirement failed, and why" without re-running anything.

use crate::level::Level;
use serde::{Deserialize, Serialize};

/// How one check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckOutcome {
    /// The expectation held.
    Pass,
    /// A SHOULD was not met, or an errata tolerance was used.
    Warn,
    /// A MUST or STRUCTURE rule was violated.
    Fail,
    /// Recorded for the reader (a MAY, a probe): never changes the verdict.
    Info,
}

impl CheckOutcome {
    /// The lowercase word reports use ("pass", "warn", "fail", "info"), as in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckOutcome::Pass => "pass",
            CheckOutcome::Warn => "warn",
            CheckOutcome::Fail => "fail",
            CheckOutcome::Info => "info",
        }
    }
}

/// One expectation and what was actually seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// What was checked, in a few words ("response ids").
    pub what: String,
    /// The requirement ids the check is evidence for: the scenario's own or the ones it cited.
    pub requirements: Vec<String>,
    /// The spec section the check names ("MS-OMS 2.2.4.4" when taken from the catalogue).
    pub section: String,
    /// The level the check was judged at; it decided `outcome` when the expectation failed.
    pub level: Level,
    /// How the check came out; only `Fail` fails the scenario.
    pub outcome: CheckOutcome,
    /// What the rule asks for, as the reader should see it (redacted).
    pub expected: String,
    /// What the SUT actually did (redacted).
    pub actual: String,
    /// Extra context, e.g. the erratum that allowed a tolerance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Check {
    /// The outcome a failed expectation gets at a given level.
    pub fn failed_outcome(level: Level) -> CheckOutcome {
        match level {
            Level::Must | Level::Structure => CheckOutcome::Fail,
            Level::Should => CheckOutcome::Warn,
            Level::May => CheckOutcome::Info,
        }
    }

    /// One line in the style of the console report. A check that held reads as a pass
    /// (`what: actual`); "expected X, got Y" is kept for checks that did not.
    pub fn summary(&self) -> String {
        let mut line = match self.outcome {
            CheckOutcome::Pass | CheckOutcome::Info => format!("{}: {}", self.what, self.actual),
            CheckOutcome::Fail | CheckOutcome::Warn => format!(
                "{}: expected {}, got {}",
                self.what, self.expected, self.actual
            ),
        };
        if let Some(note) = &self.note {
            line.push_str(&format!(" ({note})"));
        }
        line
    }
}

/// Everything a scenario recorded, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The checks, in the order the scenario made them.
    pub checks: Vec<Check>,
    /// Free notes for the reader (`Cx::note`), redacted; they never change the verdict.
    pub notes: Vec<String>,
}

impl Evidence {
    /// True when any check or note names the requirement id.
    pub fn mentions(&self, requirement: &str) -> bool {
        self.checks
            .iter()
            .any(|c| c.requirements.iter().any(|r| r == requirement))
            || self.notes.iter().any(|n| n.contains(requirement))
    }

    /// The checks that failed (binding rules violated); the first one is the verdict's reason.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks
            .iter()
            .filter(|c| c.outcome == CheckOutcome::Fail)
    }

    /// The checks that only warned (SHOULD, tolerated errata); `--strict` makes them fail.
    pub fn warnings(&self) -> impl Iterator<Item = &Check> {
        self.checks
            .iter()
            .filter(|c| c.outcome == CheckOutcome::Warn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(outcome: CheckOutcome) -> Check {
        Check {
            what: "user element".into(),
            requirements: vec!["R-1".into()],
            section: String::new(),
            level: Level::Must,
            outcome,
            expected: "a user element".into(),
            actual: "none".into(),
            note: None,
        }
    }

    #[test]
    fn a_passing_check_reads_as_a_pass() {
        assert_eq!(check(CheckOutcome::Pass).summary(), "user element: none");
        assert_eq!(
            check(CheckOutcome::Fail).summary(),
            "user element: expected a user element, got none"
        );
    }
}
