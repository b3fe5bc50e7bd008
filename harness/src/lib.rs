//! oxconf's engine: the scenario model, verdicts, evidence, profiles, triggers, the runner and
//! the reporters. It knows no protocol; suites bring that.

#![warn(missing_docs)]

pub mod context;
pub mod coverage;
pub mod evidence;
pub mod expect;
pub mod level;
pub mod profile;
pub mod redact;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod stop;
pub mod suite;
pub mod timing;
pub mod transcript;
pub mod trigger;
pub mod verdict;

pub use context::{Checks, Cx};
pub use evidence::{Check, CheckOutcome, Evidence};
pub use level::Level;
pub use profile::{CommonSettings, Profile, ProfileError, ProfileReader};
pub use report::model::{RunReport, ScenarioResult, SuiteResult};
pub use runner::{run, Filter, Planned, RunOptions};
pub use scenario::{Claim, Scenario, Twin};
pub use stop::{Outcome, Stop};
pub use suite::{
    erase, FaultInfo, FaultKind, Prepared, RequirementInfo, Setup, SetupError, Suite, SuiteConfig,
    SuiteInfo, TypedSuite,
};
pub use timing::Clock;
pub use transcript::{Direction, Field};
pub use trigger::{Trigger, TriggerCommand, TriggerRun};
pub use verdict::{Verdict, VerdictKind};
