//! Scenario verdicts and how they combine.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The outcome of one scenario. See the README's verdict table for the JUnit mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictKind {
    /// Every check held.
    Pass,
    /// No binding rule was violated, but a SHOULD was not met or a tolerance was used
    /// (`--strict` makes it `Fail`).
    Warn,
    /// The scenario does not apply (an unclaimed capability, the scenario said so) or never ran.
    Skip,
    /// A MUST or STRUCTURE check failed: a finding about the SUT.
    Fail,
    /// The SUT could not be exercised: setup failed, the SUT was unreachable, the scenario timed
    /// out.
    Inconclusive,
    /// The harness or the suite went wrong (a panic, no checks, an unknown requirement id, a
    /// stale expected-failures entry): not a finding about the SUT.
    Error,
}

impl VerdictKind {
    /// Every verdict, in the order the console summary lists them.
    pub const ALL: [VerdictKind; 6] = [
        VerdictKind::Pass,
        VerdictKind::Warn,
        VerdictKind::Fail,
        VerdictKind::Skip,
        VerdictKind::Inconclusive,
        VerdictKind::Error,
    ];

    /// The lowercase word reports use ("pass", "inconclusive"), as in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Pass => "pass",
            VerdictKind::Warn => "warn",
            VerdictKind::Skip => "skip",
            VerdictKind::Fail => "fail",
            VerdictKind::Inconclusive => "inconclusive",
            VerdictKind::Error => "error",
        }
    }

    /// Verdicts that make `oxconf run` exit non-zero.
    pub fn is_bad(self) -> bool {
        matches!(
            self,
            VerdictKind::Fail | VerdictKind::Inconclusive | VerdictKind::Error
        )
    }

    /// Verdicts that show the SUT was actually exercised.
    pub fn reached_sut(self) -> bool {
        matches!(
            self,
            VerdictKind::Pass | VerdictKind::Warn | VerdictKind::Fail
        )
    }
}

impl fmt::Display for VerdictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A verdict with the one-line reason a reader sees first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// What the scenario came out as.
    pub kind: VerdictKind,
    /// One line, redacted: the first failing check or warning, why the scenario was skipped,
    /// inconclusive or in error, or how many checks passed.
    pub reason: String,
}

impl Verdict {
    /// A verdict of `kind` with this reason.
    pub fn new(kind: VerdictKind, reason: impl Into<String>) -> Self {
        Verdict {
            kind,
            reason: reason.into(),
        }
    }
}
