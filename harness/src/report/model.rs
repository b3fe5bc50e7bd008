//! The results of a run, as every reporter sees them.

use crate::evidence::{CheckOutcome, Evidence};
use crate::level::Level;
use crate::transcript::Transcript;
use crate::verdict::{Verdict, VerdictKind};
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

/// Which expected-failures entry excused a failure, as reports show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpectedNote {
    /// The entry's `scenario` glob.
    pub pattern: String,
    /// The entry's reason.
    pub reason: String,
}

/// One scenario's result: identity, verdict and everything it recorded, already redacted.
#[derive(Clone, Debug)]
pub struct ScenarioResult {
    /// The scenario id; also the JUnit testcase name.
    pub id: String,
    /// The scenario's one-line title (may be empty).
    pub title: String,
    /// The SUT role the scenario tests ("server", "client").
    pub role: String,
    /// The scenario's level as judged (`Scenario::resolved_level` when the suite has a catalogue).
    pub level: Level,
    /// The scenario's own requirement ids.
    pub requirements: Vec<String>,
    /// The spec sections the scenario names.
    pub sections: Vec<String>,
    /// The verdict and its one-line reason.
    pub verdict: Verdict,
    /// Set when the verdict is a failure that an `--expect-failures` entry anticipated.
    pub expected_failure: Option<ExpectedNote>,
    /// The checks and notes the scenario recorded.
    pub evidence: Evidence,
    /// The wire exchanges the scenario recorded.
    pub transcript: Transcript,
    /// Wall-clock time the body ran; zero when it never started.
    pub duration: Duration,
    /// When the scenario's body started; `None` when it never ran (skipped before it started,
    /// suite setup failed).
    pub started: Option<SystemTime>,
}

impl ScenarioResult {
    /// Whether this result should make the run exit non-zero.
    pub fn counts_as_bad(&self) -> bool {
        self.verdict.kind.is_bad() && self.expected_failure.is_none()
    }

    /// The id as a file name (see `scenario::file_stem`).
    pub fn file_stem(&self) -> String {
        crate::scenario::file_stem(&self.id)
    }
}

/// One suite's part of a run: what was tested and each selected scenario's result.
#[derive(Clone, Debug)]
pub struct SuiteResult {
    /// The suite's name (`SuiteInfo::name`); the JUnit testsuite name.
    pub name: String,
    /// The spec the suite tests ("MS-OMS").
    pub spec: String,
    /// The SUT's role in the suite ("server", "client").
    pub role: String,
    /// What was tested (`Prepared::target`, redacted), "setup failed: ..." or "not set up".
    pub target: String,
    /// Why the suite could not be set up (its scenarios are then inconclusive).
    pub setup_error: Option<crate::suite::SetupError>,
    /// `Prepared.notices`: warnings about the whole suite run, shown once.
    pub notices: Vec<String>,
    /// The results of the scenarios the filter selected, in the suite's order.
    pub scenarios: Vec<ScenarioResult>,
}

/// A whole run as every reporter sees it; built by `runner::run`, even for a partial run.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// When the run started (wall clock), for report timestamps.
    pub started: SystemTime,
    /// How long the run took, wall clock.
    pub duration: Duration,
    /// Whether `--strict` made warnings fatal in this run.
    pub strict: bool,
    /// Why the run stopped early ("interrupted by Ctrl-C", "run deadline of 5m reached").
    pub interrupted: Option<String>,
    /// The profile path, or `None` for the built-in reference peers.
    pub profile: Option<String>,
    /// One entry per planned suite, in plan order.
    pub suites: Vec<SuiteResult>,
    /// The catalogue entry of every requirement id the run's scenarios and checks cite, as the
    /// suites' `Suite::requirement` knows it.
    pub requirements: BTreeMap<String, crate::suite::RequirementInfo>,
    /// Problems with the run itself rather than a scenario (an expected-failure entry that
    /// matches no scenario); each makes the run fail.
    pub errors: Vec<String>,
}

/// Exit codes of `oxconf run`; see the README.
pub mod exit {
    /// Nothing failed: every scenario passed, warned, was skipped or failed as expected.
    pub const OK: i32 = 0;
    /// A finding, a scenario in error or inconclusive, a run error (an expected-failures entry
    /// that is stale or matches nothing), or a partial run.
    pub const FAILURES: i32 = 1;
    /// A usage or profile error: nothing was run.
    pub const USAGE: i32 = 2;
    /// Every scenario that was not skipped is inconclusive: the SUT was probably not reached.
    pub const UNREACHABLE: i32 = 3;
    /// A local setup problem: a listen address in use, a file that cannot be read or written.
    pub const LOCAL: i32 = 4;
}

impl RunReport {
    /// Every scenario result, suite by suite.
    pub fn results(&self) -> impl Iterator<Item = &ScenarioResult> {
        self.suites.iter().flat_map(|s| s.scenarios.iter())
    }

    /// How many scenarios got this verdict.
    pub fn count(&self, kind: VerdictKind) -> usize {
        self.results().filter(|r| r.verdict.kind == kind).count()
    }

    /// How many failures an expected-failures entry excused.
    pub fn expected_failures(&self) -> usize {
        self.results()
            .filter(|r| r.expected_failure.is_some())
            .count()
    }

    /// Verdict counts per scenario level.
    pub fn by_level(&self) -> BTreeMap<Level, BTreeMap<VerdictKind, usize>> {
        let mut out: BTreeMap<Level, BTreeMap<VerdictKind, usize>> = BTreeMap::new();
        for r in self.results() {
            *out.entry(r.level)
                .or_default()
                .entry(r.verdict.kind)
                .or_default() += 1;
        }
        out
    }

    /// A partial report is never a success; "unreachable" needs every scenario that was not
    /// skipped to be inconclusive, so a harness error or a finding still reads as a failure.
    pub fn exit_code(&self) -> i32 {
        if self.interrupted.is_some() {
            return exit::FAILURES;
        }
        if self
            .suites
            .iter()
            .any(|s| matches!(s.setup_error, Some(crate::suite::SetupError::Local(_))))
        {
            return exit::LOCAL;
        }
        if !self.errors.is_empty() {
            return exit::FAILURES;
        }
        let mut judged = self
            .results()
            .filter(|r| r.verdict.kind != VerdictKind::Skip)
            .peekable();
        if judged.peek().is_some() && judged.all(|r| r.verdict.kind == VerdictKind::Inconclusive) {
            return exit::UNREACHABLE;
        }
        if self.results().any(ScenarioResult::counts_as_bad) {
            return exit::FAILURES;
        }
        exit::OK
    }

    /// Per-requirement verdicts: what each cited requirement id came out as, across scenarios.
    pub fn requirement_verdicts(&self) -> BTreeMap<String, RequirementVerdict> {
        let mut out: BTreeMap<String, RequirementVerdict> = BTreeMap::new();
        for r in self.results() {
            let mut ids: Vec<&String> = r.requirements.iter().collect();
            for c in &r.evidence.checks {
                ids.extend(c.requirements.iter());
            }
            ids.sort();
            ids.dedup();
            for id in ids {
                let v = requirement_outcome(r, id);
                let entry = out.entry(id.clone()).or_insert(RequirementVerdict {
                    verdict: v,
                    scenarios: Vec::new(),
                });
                if rank(v) > rank(entry.verdict) {
                    entry.verdict = v;
                }
                entry.scenarios.push(r.id.clone());
            }
        }
        out
    }
}

/// What one requirement id came out as across the scenarios that cite it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequirementVerdict {
    /// The worst outcome over those scenarios (fail, then error, inconclusive, warn, pass, skip).
    pub verdict: VerdictKind,
    /// The ids of the scenarios that cite it, themselves or in a check.
    pub scenarios: Vec<String>,
}

fn requirement_outcome(r: &ScenarioResult, id: &str) -> VerdictKind {
    match r.verdict.kind {
        VerdictKind::Skip | VerdictKind::Inconclusive | VerdictKind::Error => {
            return r.verdict.kind
        }
        _ => {}
    }
    let citing = r
        .evidence
        .checks
        .iter()
        .filter(|c| c.requirements.iter().any(|x| x == id));
    let mut worst = VerdictKind::Pass;
    let mut any = false;
    for c in citing {
        any = true;
        let v = match c.outcome {
            CheckOutcome::Fail => VerdictKind::Fail,
            CheckOutcome::Warn => VerdictKind::Warn,
            CheckOutcome::Pass | CheckOutcome::Info => VerdictKind::Pass,
        };
        if rank(v) > rank(worst) {
            worst = v;
        }
    }
    if any {
        worst
    } else {
        // Cited by the scenario but by no check: it shares the scenario's verdict.
        r.verdict.kind
    }
}

/// Combining order across scenarios: one failing scenario outweighs passing ones.
fn rank(v: VerdictKind) -> u8 {
    match v {
        VerdictKind::Skip => 0,
        VerdictKind::Pass => 1,
        VerdictKind::Warn => 2,
        VerdictKind::Inconclusive => 3,
        VerdictKind::Error => 4,
        VerdictKind::Fail => 5,
    }
}
