//! What a protocol suite provides to the engine. The engine never looks inside the suite's
//! configuration or environment; it only passes them back to the suite's own scenarios.

use crate::level::Level;
use crate::profile::{ProfileError, ProfileReader};
use crate::scenario::Scenario;
use crate::timing::Clock;
use futures::future::BoxFuture;
use std::any::Any;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Who a suite is: its name, the spec and role it tests. Constant for a suite; the engine
/// reads it for reports, coverage and the catalogue's role filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuiteInfo {
    /// "oms-server": also the value of `suite` in profiles and the JUnit testsuite name.
    pub name: &'static str,
    /// "MS-OMS": matched against the catalogue's `spec`.
    pub spec: &'static str,
    /// The SUT's role ("server", "client"); catalogue entries with this role or "both" apply.
    pub role: &'static str,
    /// A human title for `oxconf list` and `oxconf profile` ("Office Mobile Service web service").
    pub title: &'static str,
}

/// What a fault makes of the reference peer, so self-tests know what to expect of it without a
/// list of names: a protocol fault breaks a rule a scenario must catch (a failing twin); a
/// hostile fault makes the peer unusable (hangs, resets, garbage, huge or explosive bodies),
/// and the harness must survive it with an inconclusive or failed verdict, never a hang.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultKind {
    /// Breaks a rule: some scenario must fail against it (a failing twin, `Scenario::caught_by`).
    Protocol,
    /// Makes the peer unusable (hang, reset, garbage, huge or explosive bodies): the harness must
    /// come back with an inconclusive or failed verdict, never hang.
    Hostile,
    /// Not a fault: a conformant configuration (`Suite::variants`).
    Variant,
}

impl FaultKind {
    /// The lowercase name of the kind ("protocol", "hostile", "variant"), for listings.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::Protocol => "protocol",
            FaultKind::Hostile => "hostile",
            FaultKind::Variant => "variant",
        }
    }
}

/// A named fault of the suite's reference peer, or (in `Suite::variants`) a named conformant
/// configuration of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FaultInfo {
    /// The name `Setup::faults`, `Scenario::caught_by` and `oxconf mock --fault` use.
    pub name: &'static str,
    /// One line on what the fault (or variant) makes the peer do, for listings.
    pub description: &'static str,
    /// Whether it breaks a rule, makes the peer hostile, or is a conformant variant.
    pub kind: FaultKind,
}

impl FaultInfo {
    /// A fault that breaks a rule (see `FaultKind::Protocol`).
    pub const fn protocol(name: &'static str, description: &'static str) -> FaultInfo {
        FaultInfo {
            name,
            description,
            kind: FaultKind::Protocol,
        }
    }

    /// A fault that makes the peer hostile (see `FaultKind::Hostile`).
    pub const fn hostile(name: &'static str, description: &'static str) -> FaultInfo {
        FaultInfo {
            name,
            description,
            kind: FaultKind::Hostile,
        }
    }

    /// A conformant configuration (see `Suite::variants`).
    pub const fn variant(name: &'static str, description: &'static str) -> FaultInfo {
        FaultInfo {
            name,
            description,
            kind: FaultKind::Variant,
        }
    }
}

/// What the catalogue says of one requirement id, so the engine can cite it properly: the
/// level a check citing it defaults to, the section it names, and the paraphrase reports show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequirementInfo {
    /// The requirement id ("OMS-R146").
    pub id: String,
    /// "MS-OMS": from the catalogue entry, never guessed from the id.
    pub spec: String,
    /// As in the spec: "2.2.4.4".
    pub section: String,
    /// The catalogue level (MUST NOT read as MUST): the default level of checks citing the id.
    pub level: Level,
    /// "server", "client" or "both".
    pub role: String,
    /// "black-box", "needs-trigger", "not-testable", ...
    pub testability: String,
    /// The statement in the catalogue's words, as the JSON report's requirement entries show it.
    pub paraphrase: String,
}

impl RequirementInfo {
    /// "MS-OMS 2.2.4.4".
    pub fn cited_section(&self) -> String {
        format!("{} {}", self.spec, self.section)
    }

    /// False for "not-testable" entries: reports never call those passed (see
    /// `report::json::requirement_status`).
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
    /// The message, whatever the kind.
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

/// What the runner hands `setup` besides the configuration.
#[derive(Clone, Debug, Default)]
pub struct Setup {
    /// Faults and variants to inject into the reference peer (self-tests, `oxconf mock`).
    pub faults: Vec<String>,
    /// Protocol time for this run (`[timing] minute`): reference peers scale their own timers
    /// (a status ping every protocol minute) with it, as scenarios scale their waits.
    pub clock: Clock,
}

impl Setup {
    /// Faults (or variants) to inject, with real protocol time; for tests and tools that call
    /// `setup` themselves.
    pub fn with_faults<I, S>(faults: I) -> Setup
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Setup {
            faults: faults.into_iter().map(Into::into).collect(),
            clock: Clock::default(),
        }
    }

    /// Whether the fault (or variant) named `fault` is to be injected.
    pub fn has(&self, fault: &str) -> bool {
        self.faults.iter().any(|f| f == fault)
    }
}

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

impl Prepared {
    /// An environment with no claims, secrets or notices yet; `target` names what is tested.
    pub fn new<E: Any + Send + Sync>(env: E, target: impl Into<String>) -> Prepared {
        Prepared {
            env: Arc::new(env),
            claims: BTreeSet::new(),
            secrets: Vec::new(),
            target: target.into(),
            notices: Vec::new(),
        }
    }

    /// The same environment again, for a second run over peers that are already up (the
    /// `cargo test` harness sets each suite up once and runs one scenario per trial). Notices
    /// are left out: they were shown with the first run.
    pub fn share(&self) -> Prepared {
        Prepared {
            env: Arc::clone(&self.env),
            claims: self.claims.clone(),
            secrets: self.secrets.clone(),
            target: self.target.clone(),
            notices: Vec::new(),
        }
    }
}

/// A protocol suite as the engine runs it. The shipped suites implement `TypedSuite` and
/// pass through `erase`; the harness's test fakes implement `Suite` directly.
pub trait Suite: Send + Sync {
    /// Name, spec, role and title.
    fn info(&self) -> SuiteInfo;

    /// Every scenario of the suite, in report order. `list`, `coverage` and every run call it,
    /// so it should stay cheap and free of I/O.
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
        setup: Setup,
    ) -> BoxFuture<'static, Result<Prepared, SetupError>>;
}

/// A suite written against its own configuration type. `erase` turns it into the `Suite` the
/// engine runs, so a suite never downcasts its configuration and never repeats the glue.
/// The environment a typed suite's `setup` returns is reached from scenarios with
/// `Cx::env::<T>()` (the one downcast, in the engine).
pub trait TypedSuite: Send + Sync + 'static {
    /// The suite's validated profile settings, or its reference-peer settings.
    type Config: Send + Sync + 'static;

    /// See `Suite::info`.
    fn info(&self) -> SuiteInfo;

    /// The scenarios; `erase` gives each the suite's role.
    fn scenarios(&self) -> Vec<Scenario>;

    /// See `Suite::example_profile`.
    fn example_profile(&self) -> &'static str;

    /// See `Suite::faults`.
    fn faults(&self) -> Vec<FaultInfo>;

    /// See `Suite::variants`.
    fn variants(&self) -> Vec<FaultInfo> {
        Vec::new()
    }

    /// See `Suite::requirement`.
    fn requirement(&self, _id: &str) -> Option<RequirementInfo> {
        None
    }

    /// `None` without a profile: the reference peer.
    fn configure(
        &self,
        profile: Option<&mut ProfileReader<'_>>,
    ) -> Result<Self::Config, ProfileError>;

    /// See `Suite::static_claims`.
    fn static_claims(&self, _config: &Self::Config) -> Option<BTreeSet<String>> {
        None
    }

    /// See `Suite::setup`; `config` is the suite's own type, not a boxed `Any`.
    fn setup(
        &self,
        config: Self::Config,
        setup: Setup,
    ) -> BoxFuture<'static, Result<Prepared, SetupError>>;
}

/// The one wrapper between typed suites and the engine.
pub struct Erased<T>(pub T);

/// A typed suite as the engine sees it.
pub fn erase<T: TypedSuite>(suite: T) -> Arc<dyn Suite> {
    Arc::new(Erased(suite))
}

impl<T: TypedSuite> Suite for Erased<T> {
    fn info(&self) -> SuiteInfo {
        self.0.info()
    }

    fn scenarios(&self) -> Vec<Scenario> {
        let role = self.0.info().role;
        self.0
            .scenarios()
            .into_iter()
            .map(|s| if s.role.is_empty() { s.role(role) } else { s })
            .collect()
    }

    fn example_profile(&self) -> &'static str {
        self.0.example_profile()
    }

    fn faults(&self) -> Vec<FaultInfo> {
        self.0.faults()
    }

    fn variants(&self) -> Vec<FaultInfo> {
        self.0.variants()
    }

    fn requirement(&self, id: &str) -> Option<RequirementInfo> {
        self.0.requirement(id)
    }

    fn configure(
        &self,
        profile: Option<&mut ProfileReader<'_>>,
    ) -> Result<SuiteConfig, ProfileError> {
        Ok(Box::new(self.0.configure(profile)?))
    }

    fn static_claims(&self, config: &SuiteConfig) -> Option<BTreeSet<String>> {
        self.0.static_claims(config.downcast_ref::<T::Config>()?)
    }

    fn setup(
        &self,
        config: SuiteConfig,
        setup: Setup,
    ) -> BoxFuture<'static, Result<Prepared, SetupError>> {
        match config.downcast::<T::Config>() {
            Ok(config) => self.0.setup(*config, setup),
            Err(_) => {
                let name = self.0.info().name;
                Box::pin(async move {
                    Err(SetupError::Other(format!(
                        "{name} was given another suite's configuration"
                    )))
                })
            }
        }
    }
}
