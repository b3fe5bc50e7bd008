//! How a scenario body ends early. A module of its own because both the scenario model and the
//! context (whose checks return `Stop`) need it, and neither should import the other for it.

/// How a scenario body ends early.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// A binding check failed; the evidence holds the details.
    Failed,
    /// The scenario does not apply to this SUT.
    Skip(String),
    /// Preconditions could not be established (SUT unreachable, trigger broken...).
    Inconclusive(String),
    /// The harness itself went wrong.
    Error(String),
}

impl Stop {
    pub fn skip(reason: impl Into<String>) -> Stop {
        Stop::Skip(reason.into())
    }
    pub fn inconclusive(reason: impl Into<String>) -> Stop {
        Stop::Inconclusive(reason.into())
    }
    pub fn error(reason: impl Into<String>) -> Stop {
        Stop::Error(reason.into())
    }
}

pub type Outcome = Result<(), Stop>;
