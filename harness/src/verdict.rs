//! Scenario verdicts and how they combine.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The outcome of one scenario. See the README's verdict table for the JUnit mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictKind {
    Pass,
    Warn,
    Skip,
    Fail,
    Inconclusive,
    Error,
}

impl VerdictKind {
    pub const ALL: [VerdictKind; 6] = [
        VerdictKind::Pass,
        VerdictKind::Warn,
        VerdictKind::Fail,
        VerdictKind::Skip,
        VerdictKind::Inconclusive,
        VerdictKind::Error,
    ];

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
    pub kind: VerdictKind,
    pub reason: String,
}

impl Verdict {
    pub fn new(kind: VerdictKind, reason: impl Into<String>) -> Self {
        Verdict {
            kind,
            reason: reason.into(),
        }
    }
}
