//! How a scenario body ends early. A module of its own because both the scenario model and the
//! context (whose checks return `Stop`) need it, and neither should import the other for it.

/// How a scenario body ends early.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// A binding check failed; the evidence holds the details.
    Failed,
    /// A non-binding check (SHOULD, MAY) failed and the scenario cannot go on without what it
    /// would have given (the peer refused the one message the rest depends on). The verdict
    /// comes from the evidence, a warning, as if the scenario had finished.
    Unfinished,
    /// The scenario does not apply to this SUT.
    Skip(String),
    /// Preconditions could not be established (SUT unreachable, trigger broken...).
    Inconclusive(String),
    /// The harness itself went wrong.
    Error(String),
}

impl Stop {
    /// Ends the scenario as skipped, with the reason the report shows (say what would make it
    /// apply).
    pub fn skip(reason: impl Into<String>) -> Stop {
        Stop::Skip(reason.into())
    }
    /// Ends the scenario as inconclusive: the SUT could not be exercised, so nothing was judged.
    pub fn inconclusive(reason: impl Into<String>) -> Stop {
        Stop::Inconclusive(reason.into())
    }
    /// Ends the scenario as an error of the harness or the suite, not a finding about the SUT.
    pub fn error(reason: impl Into<String>) -> Stop {
        Stop::Error(reason.into())
    }
}

/// What a scenario body returns. A failing check recorded before the body stopped still
/// makes the verdict `fail`, whatever the `Stop`.
pub type Outcome = Result<(), Stop>;
