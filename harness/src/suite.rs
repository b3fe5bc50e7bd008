//! What a protocol suite provides to the engine. The engine never looks inside the suite's
//! configuration or environment; it only passes them back to the suite's own scenarios.

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

/// A named fault of the suite's reference peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FaultInfo {
    pub name: &'static str,
    pub description: &'static str,
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
}

pub trait Suite: Send + Sync {
    fn info(&self) -> SuiteInfo;

    fn scenarios(&self) -> Vec<Scenario>;

    /// A commented example profile (`oxconf profile --example NAME`).
    fn example_profile(&self) -> &'static str;

    /// The faults the reference peer can inject, for negative self-tests and `oxconf mock`.
    fn faults(&self) -> Vec<FaultInfo>;

    /// The spec section a requirement id comes from, so checks citing it say where to read.
    fn section_of(&self, _requirement: &str) -> Option<String> {
        None
    }

    /// Reads the suite's own profile keys, or, with no profile, settles on the reference peer.
    /// No network here: errors are profile errors (exit code 2).
    fn configure(
        &self,
        profile: Option<&mut ProfileReader<'_>>,
    ) -> Result<SuiteConfig, ProfileError>;

    /// Starts what the run needs: reference peers (with `faults` injected) or the connections
    /// to a real SUT. An error here makes every scenario of the suite inconclusive.
    fn setup(
        &self,
        config: SuiteConfig,
        faults: Vec<String>,
    ) -> BoxFuture<'static, Result<Prepared, String>>;
}
