//! What a protocol suite provides to the engine. The engine never looks inside the suite's
//! configuration or environment; it only passes them back to the suite's own scenarios.

use crate::level::Level;
use crate::profile::{ProfileError, ProfileReader};
use crate::scenario::Scenario;
use futures::future::BoxFuture;
use std::any::Any;
use std::collections::BTreeSet;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuiteInfo {
    /// "oms-server": also the value of `suite` in profiles and the JUnit testsuite name.
    pub name: &'static str,
    /// "MS-OMS": matched against the catalogue's `spec`.
    pub spec: &'static str,
    /// The SUT's role ("server", "client"); catalogue entries with this role or "both" apply.
    pub role: &'static str,
    pub title: &'static str,
}

/// A named fault of the suite's reference peer, or (in `Suite::variants`) a named conformant
/// configuration of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FaultInfo {
    pub name: &'static str,
    pub description: &'static str,
}

/// What the catalogue says of one requirement id, so the engine can cite it properly: the
/// level a check citing it defaults to, the section it names, and the paraphrase reports show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequirementInfo {
    pub id: String,
    /// "MS-OMS": from the catalogue entry, never guessed from the id.
    pub spec: String,
    /// As in the spec: "2.2.4.4".
    pub section: String,
    pub level: Level,
    /// "server", "client" or "both".
    pub role: String,
    /// "black-box", "needs-trigger", "not-testable", ...
    pub testability: String,
    pub paraphrase: String,
}

impl RequirementInfo {
    /// "MS-OMS 2.2.4.4".
    pub fn cited_section(&self) -> String {
        format!("{} {}", self.spec, self.section)
    }

    pub fn testable(&self) -> bool {
        self.testability != "not-testable"
    }
}

/// Why a suite could not be set up. The kind decides the run's exit code: an unreachable SUT
/// is inconclusive (exit 3), a local problem (a port in use, an unreadable file) is the user's
/// machine, not the SUT (exit 4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetupError {
    /// The SUT could not be reached, or answers something that is not the protocol at all.
    Unreachable(String),
    /// Something on this machine: a listen address in use, a file that cannot be read.
    Local(String),
    /// Anything else (the harness or the reference peer went wrong).
    Other(String),
}

impl SetupError {
    pub fn message(&self) -> &str {
        match self {
            SetupError::Unreachable(m) | SetupError::Local(m) | SetupError::Other(m) => m,
        }
    }

    /// "unreachable", "local" or "other", as reports name the kind.
    pub fn kind(&self) -> &'static str {
        match self {
            SetupError::Unreachable(_) => "unreachable",
            SetupError::Local(_) => "local",
            SetupError::Other(_) => "other",
        }
    }
}

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl From<String> for SetupError {
    fn from(s: String) -> Self {
        SetupError::Other(s)
    }
}

impl From<&str> for SetupError {
    fn from(s: &str) -> Self {
        SetupError::Other(s.to_string())
    }
}

/// The suite's validated profile settings (or its reference-peer settings); opaque here.
pub type SuiteConfig = Box<dyn Any + Send + Sync>;

/// What `setup` hands the runner.
pub struct Prepared {
    /// Given to every scenario through `Cx::env`. Dropping it stops the peers it holds.
    pub env: Arc<dyn Any + Send + Sync>,
    /// Capabilities the SUT claims (see `Claim`).
    pub claims: BTreeSet<String>,
    /// Values to redact everywhere (passwords, user ids).
    pub secrets: Vec<String>,
    /// What is being tested, for reports: "reference peer at http://..." or the SUT URL.
    pub target: String,
    /// Warnings about the run as a whole ("target.insecure: certificates are not checked"),
    /// shown once on the console and kept in the reports.
    pub notices: Vec<String>,
}

pub trait Suite: Send + Sync {
    fn info(&self) -> SuiteInfo;

    fn scenarios(&self) -> Vec<Scenario>;

    /// A commented example profile (`oxconf profile --example NAME`).
    fn example_profile(&self) -> &'static str;

    /// The faults the reference peer can inject, for negative self-tests and `oxconf mock`.
    fn faults(&self) -> Vec<FaultInfo>;

    /// Named conformant configurations of the reference peer (batchSize 0, say), handed to
    /// `setup` like faults. Scenarios whose pass path the default reference never takes name
    /// one with `Scenario::passes_with`, so every scenario is shown to pass somewhere.
    fn variants(&self) -> Vec<FaultInfo> {
        Vec::new()
    }

    /// The catalogue entry of a requirement id: its spec, section, level and paraphrase.
    /// `None` for an id the catalogue does not hold (a check citing it is a harness error).
    fn requirement(&self, _id: &str) -> Option<RequirementInfo> {
        None
    }

    /// Reads the suite's own profile keys, or, with no profile, settles on the reference peer.
    /// No network here: errors are profile errors (exit code 2).
    fn configure(
        &self,
        profile: Option<&mut ProfileReader<'_>>,
    ) -> Result<SuiteConfig, ProfileError>;

    /// The capabilities a configuration claims, when they are known without setting anything
    /// up, so a test listing (nextest) can show unclaimed scenarios as skipped. No I/O.
    fn static_claims(&self, _config: &SuiteConfig) -> Option<BTreeSet<String>> {
        None
    }

    /// Starts what the run needs: reference peers (with `faults` and variants injected) or the
    /// connections to a real SUT. An error here makes every scenario of the suite
    /// inconclusive; its kind decides the exit code.
    fn setup(
        &self,
        config: SuiteConfig,
        faults: Vec<String>,
    ) -> BoxFuture<'static, Result<Prepared, SetupError>>;
}
