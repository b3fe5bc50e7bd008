//! The one path from a plan to a run: run options from the profile's common settings and the
//! caller's overrides, planned suites, and setting a suite up on its own. `oxconf run` and the
//! `cargo test` harness (`tests/conformance.rs`) both go through it, so a profile means the
//! same to both.

use crate::plan::Plan;
use harness::expect::ExpectedFailures;
use harness::runner::{Filter, Planned, RunOptions, DEFAULT_TIMEOUT};
use harness::{Clock, CommonSettings, Prepared, Setup, SetupError, Suite, SuiteConfig};
use std::sync::Arc;
use std::time::Duration;

/// What the caller decides; `None` takes the profile's value, then the default.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub jobs: Option<usize>,
    pub timeout: Option<Duration>,
    pub deadline: Option<Duration>,
    pub strict: bool,
    pub filter: Option<Filter>,
    pub expected: Option<ExpectedFailures>,
    pub handle_ctrl_c: bool,
    pub profile: Option<String>,
}

/// The clock of `[timing] minute`, or real protocol time.
pub fn clock(common: Option<&CommonSettings>) -> Clock {
    common
        .and_then(|c| c.minute)
        .map(Clock::with_minute)
        .unwrap_or_default()
}

/// Run options: the caller's overrides, else the profile's `[timing]`, else the defaults.
pub fn options(common: Option<&CommonSettings>, o: Overrides) -> RunOptions {
    let defaults = RunOptions::default();
    RunOptions {
        jobs: o.jobs.unwrap_or(defaults.jobs).max(1),
        timeout: o
            .timeout
            .or(common.and_then(|c| c.timeout))
            .unwrap_or(DEFAULT_TIMEOUT),
        deadline: o.deadline.or(common.and_then(|c| c.deadline)),
        strict: o.strict,
        filter: o.filter.unwrap_or_default(),
        expected: o.expected.unwrap_or_default(),
        clock: clock(common),
        handle_ctrl_c: o.handle_ctrl_c,
        profile: o.profile,
        progress: None,
    }
}

impl Plan {
    /// The configured suites as the runner takes them.
    pub fn planned(self) -> Vec<Planned> {
        self.suites
            .into_iter()
            .map(|c| Planned::new(c.suite, c.config))
            .collect()
    }
}

/// Sets one suite up outside a run, within the run's timeout, so several runs can share the
/// environment (`Planned::over`).
pub async fn set_up(
    suite: &Arc<dyn Suite>,
    config: SuiteConfig,
    opts: &RunOptions,
) -> Result<Arc<Prepared>, SetupError> {
    let setup = Setup {
        faults: Vec::new(),
        clock: opts.clock,
    };
    harness::runner::set_up(suite.as_ref(), config, setup, opts.timeout)
        .await
        .map(Arc::new)
}
