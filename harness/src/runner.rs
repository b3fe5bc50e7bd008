//! The runner: sets suites up, runs their scenarios concurrently under per-scenario timeouts,
//! and always comes back with a report, even after Ctrl-C or the run deadline.

use crate::context::{Cx, CxSetup, Record};
use crate::evidence::Evidence;
use crate::expect::ExpectedFailures;
use crate::redact::Redactor;
use crate::report::model::{ExpectedNote, RunReport, ScenarioResult, SuiteResult};
use crate::scenario::{Outcome, Scenario, Stop};
use crate::suite::RequirementInfo;
use crate::suite::{Prepared, Setup, SetupError, Suite, SuiteConfig};
use crate::timing::Clock;
use crate::verdict::{Verdict, VerdictKind};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// The per-scenario timeout when neither `--timeout` nor `[run] timeout` sets one; it also
/// bounds each suite's setup.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Which scenario ids to run: glob patterns (`*` also crosses `/`), or everything.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    set: Option<GlobSet>,
}

impl Filter {
    /// Every scenario.
    pub fn all() -> Filter {
        Filter::default()
    }

    /// Scenarios whose id matches any of `patterns` (no patterns: every scenario). A bad pattern
    /// is an error naming `--filter`.
    pub fn globs<S: AsRef<str>>(patterns: &[S]) -> Result<Filter, String> {
        if patterns.is_empty() {
            return Ok(Filter::all());
        }
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            b.add(Glob::new(p.as_ref()).map_err(|e| format!("bad --filter pattern: {e}"))?);
        }
        Ok(Filter {
            set: Some(b.build().map_err(|e| e.to_string())?),
        })
    }

    /// Exactly these ids (glob characters in ids are escaped).
    pub fn exact(ids: &[String]) -> Filter {
        let mut b = GlobSetBuilder::new();
        for id in ids {
            if let Ok(g) = Glob::new(&globset::escape(id)) {
                b.add(g);
            }
        }
        Filter {
            set: b.build().ok(),
        }
    }

    /// Whether the scenario id is selected.
    pub fn matches(&self, id: &str) -> bool {
        self.set.as_ref().is_none_or(|s| s.is_match(id))
    }
}

/// How `run` runs: concurrency, time limits, judgement. `Default` is what the tests use; the
/// CLI builds its own from flags and the profile.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// How many scenarios drive the SUT at once (default 8; 0 counts as 1). A scenario waiting in
    /// `Cx::idle` does not hold one.
    pub jobs: usize,
    /// Per-scenario wall-clock time beyond its protocol time (`Scenario::timeout`); also the
    /// limit on each suite's setup. Past it the scenario is stopped: inconclusive, unless it
    /// had already recorded a failure.
    pub timeout: Duration,
    /// The whole run's limit, from when `run` starts; when it passes the report is partial and the
    /// run fails. `None`: no limit.
    pub deadline: Option<Duration>,
    /// Warnings (SHOULD, tolerated errata) become failures.
    pub strict: bool,
    /// Which scenarios to run; the others do not appear in the report.
    pub filter: Filter,
    /// Failures to excuse (`--expect-failures`); stale or unmatched entries are errors.
    pub expected: ExpectedFailures,
    /// Protocol time for the run (`[timing] minute`), handed to suites and scenarios.
    pub clock: Clock,
    /// Listen for Ctrl-C (the CLI does; tests do not).
    pub handle_ctrl_c: bool,
    /// The profile path, recorded in the report; `None` for the reference peers.
    pub profile: Option<String>,
    /// Called once per finished scenario, as it finishes (progress lines on the console).
    pub progress: Option<Progress>,
}

/// A per-result callback; see `RunOptions::progress`.
#[derive(Clone)]
pub struct Progress(pub Arc<dyn Fn(&ScenarioResult) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress(..)")
    }
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            jobs: 8,
            timeout: DEFAULT_TIMEOUT,
            deadline: None,
            strict: false,
            filter: Filter::all(),
            expected: ExpectedFailures::default(),
            clock: Clock::default(),
            handle_ctrl_c: false,
            profile: None,
            progress: None,
        }
    }
}

/// One suite to run, with its validated configuration.
pub struct Planned {
    /// The suite to run.
    pub suite: Arc<dyn Suite>,
    /// What the suite's `configure` returned; passed back to its `setup` untouched.
    pub config: SuiteConfig,
    /// Faults to inject into the reference peer (negative self-tests, `oxconf mock`).
    pub faults: Vec<String>,
    /// An environment that is already up (the `cargo test` harness sets each suite up once
    /// for all its trials): the runner uses it instead of calling `setup`.
    pub ready: Option<Arc<Prepared>>,
}

impl Planned {
    /// The suite with its configuration, to be set up by the runner.
    pub fn new(suite: Arc<dyn Suite>, config: SuiteConfig) -> Planned {
        Planned {
            suite,
            config,
            faults: Vec::new(),
            ready: None,
        }
    }

    /// With these faults (or variants) injected into the reference peer.
    pub fn with_faults<I, S>(mut self, faults: I) -> Planned
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.faults = faults.into_iter().map(Into::into).collect();
        self
    }

    /// Over an environment that is already up.
    pub fn over(suite: Arc<dyn Suite>, ready: Arc<Prepared>) -> Planned {
        Planned {
            suite,
            config: Box::new(()),
            faults: Vec::new(),
            ready: Some(ready),
        }
    }
}

/// How a scenario task ended, before it is judged.
#[derive(Clone, Debug)]
enum End {
    Finished(Outcome),
    TimedOut(Duration),
    Panicked(String),
    Interrupted(String),
    NotStarted(String),
}

struct Slot {
    suite: usize,
    scenario: Scenario,
    /// Set when the scenario cannot run as declared (a requirement id the catalogue lacks).
    invalid: Option<String>,
    cx: Option<Cx>,
    started: Option<Instant>,
    result: Option<ScenarioResult>,
}

type Slots = Arc<Mutex<Vec<Slot>>>;

/// Per suite: the target as reports name it, why setup failed if it did, and its notices.
#[derive(Clone, Default)]
struct SuiteState {
    target: Option<String>,
    error: Option<SetupError>,
    notices: Vec<String>,
}

type Targets = Arc<Mutex<Vec<SuiteState>>>;

/// Whether a suite has a catalogue: `Suite::requirement` knows at least one id its scenarios
/// cite. Without one (the default `requirement`), ids are not validated and levels are the
/// scenarios' own.
fn has_catalogue(suite: &dyn Suite, scenarios: &[Scenario]) -> bool {
    scenarios
        .iter()
        .flat_map(|s| s.requirements.iter())
        .any(|id| suite.requirement(id).is_some())
}

fn lock(slots: &Slots) -> std::sync::MutexGuard<'_, Vec<Slot>> {
    slots.lock().unwrap_or_else(|p| p.into_inner())
}

/// Runs the plans and returns the report. Never panics on SUT behaviour; never hangs past the
/// deadline.
pub async fn run(plans: Vec<Planned>, opts: RunOptions) -> RunReport {
    let started_at = SystemTime::now();
    let clock_start = Instant::now();
    let mut suite_results: Vec<SuiteResult> = Vec::new();
    let mut slots = Vec::new();
    let suites: Vec<Arc<dyn Suite>> = plans.iter().map(|p| Arc::clone(&p.suite)).collect();
    let mut catalogues = Vec::new();
    let mut all_ids: Vec<String> = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        let info = plan.suite.info();
        suite_results.push(SuiteResult {
            name: info.name.to_string(),
            spec: info.spec.to_string(),
            role: info.role.to_string(),
            target: "not set up".into(),
            setup_error: None,
            notices: Vec::new(),
            scenarios: Vec::new(),
        });
        let scenarios = plan.suite.scenarios();
        let catalogue = has_catalogue(plan.suite.as_ref(), &scenarios);
        catalogues.push(catalogue);
        for mut scenario in scenarios {
            all_ids.push(scenario.id.clone());
            if !opts.filter.matches(&scenario.id) {
                continue;
            }
            let mut invalid = None;
            if catalogue {
                scenario.level = scenario.resolved_level(|id| plan.suite.requirement(id));
                let unknown: Vec<&str> = scenario
                    .requirements
                    .iter()
                    .filter(|id| plan.suite.requirement(id).is_none())
                    .map(String::as_str)
                    .collect();
                if !unknown.is_empty() {
                    invalid = Some(format!(
                        "the scenario cites {}, which the {} catalogue does not hold",
                        unknown
                            .iter()
                            .map(|id| format!("`{id}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        info.spec
                    ));
                }
            }
            slots.push(Slot {
                suite: i,
                scenario,
                invalid,
                cx: None,
                started: None,
                result: None,
            });
        }
    }
    let slots: Slots = Arc::new(Mutex::new(slots));
    let targets: Targets = Arc::new(Mutex::new(vec![SuiteState::default(); plans.len()]));

    let semaphore = Arc::new(Semaphore::new(opts.jobs.max(1)));
    let mut work = Box::pin(run_all(
        plans,
        catalogues.clone(),
        opts.clone(),
        Arc::clone(&slots),
        Arc::clone(&targets),
        Arc::clone(&semaphore),
    ));
    let interrupted = tokio::select! {
        _ = &mut work => None,
        reason = cancelled(opts.handle_ctrl_c, opts.deadline) => Some(reason),
    };
    // Closed before the work is dropped: aborting a running scenario frees its permit, and a
    // waiting scenario must not take it and start after the run has ended.
    semaphore.close();
    drop(work);

    {
        let targets = targets.lock().unwrap_or_else(|p| p.into_inner());
        for (i, st) in targets.iter().enumerate() {
            if let Some(t) = &st.target {
                suite_results[i].target = t.clone();
            }
            suite_results[i].setup_error = st.error.clone();
            suite_results[i].notices = st.notices.clone();
        }
    }
    let mut slots = lock(&slots);
    for slot in slots.iter_mut() {
        let mut result = match slot.result.take() {
            Some(r) => r,
            None => {
                let why = interrupted
                    .clone()
                    .unwrap_or_else(|| "run ended early".to_string());
                let end = if slot.started.is_some() {
                    End::Interrupted(why)
                } else {
                    End::NotStarted(why)
                };
                let record = slot.cx.as_ref().map(Cx::snapshot).unwrap_or_default();
                let elapsed = slot.started.map(|s| s.elapsed()).unwrap_or_default();
                judge(&slot.scenario, end, record, elapsed, &opts)
            }
        };
        // Stop reasons and panic messages are free text from the body; checks already are redacted.
        if let Some(cx) = &slot.cx {
            result.verdict.reason = cx.redact(&result.verdict.reason);
        }
        result.started = slot
            .started
            .map(|s| started_at + s.saturating_duration_since(clock_start));
        suite_results[slot.suite].scenarios.push(result);
    }
    drop(slots);
    let errors = judge_expected(&mut suite_results, &all_ids, &opts);
    let requirements = cited_requirements(&suite_results, &suites, &catalogues);
    RunReport {
        started: started_at,
        duration: clock_start.elapsed(),
        strict: opts.strict,
        interrupted,
        profile: opts.profile.clone(),
        suites: suite_results,
        requirements,
        errors,
    }
}

/// Expected-failure entries are judged as a whole: an entry is stale when none of the
/// scenarios it matches still fails while at least one passes (reported once, on the first
/// passing match, as an error naming the entry); an entry that matches no scenario of the
/// planned suites at all is a run error.
fn judge_expected(
    suites: &mut [SuiteResult],
    all_ids: &[String],
    opts: &RunOptions,
) -> Vec<String> {
    let mut errors = Vec::new();
    for entry in opts.expected.entries() {
        if !all_ids.iter().any(|id| entry.matches(id)) {
            errors.push(format!(
                "expected-failure entry `{}` ({}) matches no scenario: fix the pattern or remove the entry",
                entry.pattern, entry.reason
            ));
            continue;
        }
        let claimed = |r: &ScenarioResult| {
            opts.expected
                .find(&r.id)
                .is_some_and(|e| e.pattern == entry.pattern)
        };
        let mut results = suites
            .iter_mut()
            .flat_map(|s| s.scenarios.iter_mut())
            .filter(|r| claimed(r));
        let mut still_fails = false;
        let mut first_pass: Option<&mut ScenarioResult> = None;
        for r in &mut results {
            match r.verdict.kind {
                VerdictKind::Fail => still_fails = true,
                VerdictKind::Pass | VerdictKind::Warn if first_pass.is_none() => {
                    first_pass = Some(r)
                }
                _ => {}
            }
        }
        if let (false, Some(r)) = (still_fails, first_pass) {
            r.verdict = Verdict::new(
                VerdictKind::Error,
                format!(
                    "stale expected-failure entry `{}` ({}): no scenario it matches fails any more; remove the entry",
                    entry.pattern, entry.reason
                ),
            );
        }
    }
    errors
}

/// The catalogue entries of every id the results cite, from the suite that ran them.
fn cited_requirements(
    suites: &[SuiteResult],
    plans: &[Arc<dyn Suite>],
    catalogues: &[bool],
) -> BTreeMap<String, RequirementInfo> {
    let mut out = BTreeMap::new();
    for (i, s) in suites.iter().enumerate() {
        if !catalogues.get(i).copied().unwrap_or(false) {
            continue;
        }
        let Some(suite) = plans.get(i) else { continue };
        for r in &s.scenarios {
            let ids = r
                .requirements
                .iter()
                .chain(r.evidence.checks.iter().flat_map(|c| c.requirements.iter()));
            for id in ids {
                if !out.contains_key(id) {
                    if let Some(info) = suite.requirement(id) {
                        out.insert(id.clone(), info);
                    }
                }
            }
        }
    }
    out
}

async fn cancelled(ctrl_c: bool, deadline: Option<Duration>) -> String {
    let signal = async {
        if ctrl_c && tokio::signal::ctrl_c().await.is_ok() {
            return;
        }
        std::future::pending::<()>().await
    };
    let timer = async {
        match deadline {
            Some(d) => tokio::time::sleep(d).await,
            None => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = signal => "interrupted by Ctrl-C".to_string(),
        _ = timer => format!("run deadline of {} reached", human(deadline.unwrap_or_default())),
    }
}

fn human(d: Duration) -> String {
    if d.as_secs() >= 60 && d.as_secs().is_multiple_of(60) {
        format!("{}m", d.as_secs() / 60)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// Sets one suite up within `timeout`; a setup that takes longer is an unreachable SUT. The
/// runner uses it for every plan, and a caller that shares one environment across several
/// runs (`Planned::over`) uses it too, so both judge a slow setup alike.
pub async fn set_up(
    suite: &dyn Suite,
    config: SuiteConfig,
    setup: Setup,
    timeout: Duration,
) -> Result<Prepared, SetupError> {
    match tokio::time::timeout(timeout, suite.setup(config, setup)).await {
        Ok(r) => r,
        Err(_) => Err(SetupError::Unreachable(format!(
            "setup timed out after {:.1}s",
            timeout.as_secs_f64()
        ))),
    }
}

async fn run_all(
    plans: Vec<Planned>,
    catalogues: Vec<bool>,
    opts: RunOptions,
    slots: Slots,
    targets: Targets,
    semaphore: Arc<Semaphore>,
) {
    // Set every suite up first, concurrently: a slow reference peer must not serialise the run.
    let timeout = opts.timeout;
    let clock = opts.clock;
    let suites: Vec<Arc<dyn Suite>> = plans.iter().map(|p| Arc::clone(&p.suite)).collect();
    let handles: Vec<_> = plans
        .into_iter()
        .map(|plan| {
            tokio::spawn(async move {
                if let Some(ready) = plan.ready {
                    return Ok(ready.share());
                }
                let setup = Setup {
                    faults: plan.faults,
                    clock,
                };
                set_up(plan.suite.as_ref(), plan.config, setup, timeout).await
            })
        })
        .collect();
    let _abort_setups = AbortOnDrop(handles.iter().map(|h| h.abort_handle()).collect());
    let mut prepared: Vec<Option<Result<Arc<Prepared>, SetupError>>> = Vec::new();
    for handle in handles {
        let res = match handle.await {
            Ok(r) => r.map(Arc::new),
            Err(e) => Err(SetupError::Other(format!(
                "setup panicked: {}",
                panic_message(e)
            ))),
        };
        prepared.push(Some(res));
    }

    {
        let mut t = targets.lock().unwrap_or_else(|p| p.into_inner());
        for (i, p) in prepared.iter().enumerate() {
            if let (Some(Ok(p)), Some(slot)) = (p, t.get_mut(i)) {
                // A SUT URL may carry credentials ("http://user:password@host").
                let redactor = Redactor::with_secrets(p.secrets.iter().map(String::as_str));
                slot.target = Some(redactor.redact(&p.target));
                slot.notices = p.notices.iter().map(|n| redactor.redact(n)).collect();
            } else if let (Some(Err(e)), Some(slot)) = (p, t.get_mut(i)) {
                slot.target = Some(format!("setup failed: {e}"));
                slot.error = Some(e.clone());
            }
        }
    }

    // Judged at once: scenarios that cannot run (invalid, setup failed, unclaimed).
    let count = lock(&slots).len();
    let mut runnable = Vec::new();
    for index in 0..count {
        let (scenario, suite, invalid) = {
            let s = lock(&slots);
            (
                s[index].scenario.clone(),
                s[index].suite,
                s[index].invalid.clone(),
            )
        };
        let stop = match (invalid, prepared.get(suite).cloned().flatten()) {
            (Some(why), _) => Err(Stop::Error(why)),
            (None, Some(Ok(p))) => match scenario.needs.iter().find(|c| !p.claims.contains(c.name))
            {
                Some(missing) => Err(Stop::Skip(format!(
                    "capability `{}` not claimed: {}",
                    missing.name, missing.hint
                ))),
                None => Ok(p),
            },
            (None, Some(Err(e))) => Err(Stop::Inconclusive(format!("suite setup failed: {e}"))),
            (None, None) => Err(Stop::Error("suite was never set up".into())),
        };
        match stop {
            Ok(prep) => runnable.push((index, scenario, suite, prep)),
            Err(stop) => {
                let result = judge(
                    &scenario,
                    End::Finished(Err(stop)),
                    Record::default(),
                    Duration::ZERO,
                    &opts,
                );
                finish(&slots, index, result, &opts);
            }
        }
    }
    // Longest first (stable, so equal scenarios keep their order): a run then lasts about as
    // long as its longest scenario instead of ending with it.
    runnable.sort_by_key(|(_, scenario, _, _)| std::cmp::Reverse(scenario.protocol_time));

    let mut tasks = JoinSet::new();
    for (index, scenario, suite, prep) in runnable {
        let suite_for_sections = Arc::clone(&suites[suite]);
        let lookup: Option<crate::context::RequirementLookup> =
            if catalogues.get(suite).copied().unwrap_or(false) {
                Some(Arc::new(move |id: &str| suite_for_sections.requirement(id)))
            } else {
                None
            };
        let timeout = scenario.timeout(opts.timeout, opts.clock);
        let setup = CxSetup {
            id: scenario.id.clone(),
            requirements: scenario.requirements.clone(),
            section: scenario.sections.first().cloned().unwrap_or_default(),
            sections: lookup,
            timeout: Some(timeout),
            level: scenario.level,
            env: Arc::clone(&prep.env),
            claims: Arc::new(prep.claims.iter().cloned().collect::<BTreeSet<_>>()),
            redactor: Arc::new(Redactor::with_secrets(
                prep.secrets.iter().map(String::as_str),
            )),
            clock: opts.clock,
        };
        // Slots are taken here, in order, so the longest scenarios start first; a scenario
        // gives its slot back while it only waits (`Cx::idle`).
        let Ok(slot) = Arc::clone(&semaphore).acquire_owned().await else {
            break;
        };
        let jobs = Arc::clone(&semaphore);
        let slots_for_task = Arc::clone(&slots);
        let opts_for_task = opts.clone();
        tasks.spawn(async move {
            // Built once the scenario may run, so its clock (transcript times, `remaining`)
            // does not count the wait for a job slot.
            let cx = Cx::with_slot(setup, jobs, slot);
            let start = Instant::now();
            {
                let mut s = lock(&slots_for_task);
                s[index].cx = Some(cx.clone());
                s[index].started = Some(start);
            }
            let end = match scenario.body() {
                None => End::Finished(Err(Stop::Error("scenario has no body".into()))),
                Some(body) => {
                    // The body runs in its own task so a panic is caught and reported.
                    let inner = tokio::spawn(body(cx.clone()));
                    let abort = inner.abort_handle();
                    // A cancelled run drops this task; the detached body must stop with it.
                    let _stop_body = AbortOnDrop(vec![abort.clone()]);
                    match tokio::time::timeout(timeout, inner).await {
                        Ok(Ok(outcome)) => End::Finished(outcome),
                        Ok(Err(e)) => End::Panicked(panic_message(e)),
                        Err(_) => {
                            abort.abort();
                            End::TimedOut(timeout)
                        }
                    }
                }
            };
            cx.release_slot();
            let elapsed = start.elapsed();
            let result = judge(&scenario, end, cx.snapshot(), elapsed, &opts_for_task);
            finish(&slots_for_task, index, result, &opts_for_task);
        });
    }
    while tasks.join_next().await.is_some() {}
    // Keep the environments (and the peers they own) alive until every scenario is done.
    drop(prepared);
}

/// Stores a scenario's result and tells the progress callback, outside the slots' lock.
fn finish(slots: &Slots, index: usize, result: ScenarioResult, opts: &RunOptions) {
    if let Some(progress) = &opts.progress {
        (progress.0)(&result);
    }
    lock(slots)[index].result = Some(result);
}

/// Aborts spawned work when the run is cancelled and the future holding it is dropped.
struct AbortOnDrop(Vec<tokio::task::AbortHandle>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        for h in &self.0 {
            h.abort();
        }
    }
}

fn panic_message(e: tokio::task::JoinError) -> String {
    if e.is_cancelled() {
        return "cancelled".into();
    }
    match e.try_into_panic() {
        Ok(payload) => {
            if let Some(s) = payload.downcast_ref::<&str>() {
                s.to_string()
            } else if let Some(s) = payload.downcast_ref::<String>() {
                s.clone()
            } else {
                "non-string panic payload".into()
            }
        }
        Err(_) => "task failed".into(),
    }
}

fn judge(
    scenario: &Scenario,
    end: End,
    record: Record,
    duration: Duration,
    opts: &RunOptions,
) -> ScenarioResult {
    let mut verdict = decide(&end, &record.evidence, opts.strict);
    if !record.unknown_requirements.is_empty() {
        verdict = Verdict::new(
            VerdictKind::Error,
            format!(
                "a check cites {}, which the catalogue does not hold (fix the id: it would drop out of coverage)",
                record
                    .unknown_requirements
                    .iter()
                    .map(|id| format!("`{id}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    let mut expected_failure = None;
    // Staleness is judged per entry once every result is in (`judge_expected`).
    if let Some(entry) = opts.expected.find(&scenario.id) {
        if verdict.kind == VerdictKind::Fail {
            expected_failure = Some(ExpectedNote {
                pattern: entry.pattern.clone(),
                reason: entry.reason.clone(),
            });
        }
    }
    ScenarioResult {
        id: scenario.id.clone(),
        title: scenario.title.clone(),
        role: scenario.role.clone(),
        level: scenario.level,
        requirements: scenario.requirements.clone(),
        sections: scenario.sections.clone(),
        verdict,
        expected_failure,
        evidence: record.evidence,
        transcript: record.transcript,
        duration,
        started: None,
    }
}

fn decide(end: &End, evidence: &Evidence, strict: bool) -> Verdict {
    use VerdictKind::*;
    let first_failure = evidence.failures().next();
    match (end, first_failure) {
        (End::NotStarted(why), _) => Verdict::new(Skip, format!("not run: {why}")),
        (End::Panicked(msg), _) => Verdict::new(Error, format!("scenario panicked: {msg}")),
        // A recorded violation is a finding whatever happened afterwards.
        (_, Some(c)) => Verdict::new(Fail, c.summary()),
        (End::Finished(Err(Stop::Unfinished)), None) if evidence.warnings().next().is_none() => {
            Verdict::new(
                Error,
                "scenario stopped unfinished without recording a failing non-binding check",
            )
        }
        (End::Finished(Ok(()) | Err(Stop::Unfinished)), None) => {
            if evidence.checks.is_empty() {
                return Verdict::new(Error, "scenario recorded no checks: it cannot fail");
            }
            match evidence.warnings().next() {
                Some(w) if strict => Verdict::new(
                    Fail,
                    format!("{} (warning made fatal by --strict)", w.summary()),
                ),
                Some(w) => Verdict::new(Warn, w.summary()),
                None => Verdict::new(Pass, format!("{} checks passed", evidence.checks.len())),
            }
        }
        (End::Finished(Err(Stop::Failed)), None) => Verdict::new(
            Error,
            "scenario stopped as failed without recording a failing check",
        ),
        (End::Finished(Err(Stop::Skip(r))), None) => Verdict::new(Skip, r.clone()),
        (End::Finished(Err(Stop::Inconclusive(r))), None) => Verdict::new(Inconclusive, r.clone()),
        (End::Finished(Err(Stop::Error(r))), None) => Verdict::new(Error, r.clone()),
        (End::TimedOut(d), None) => Verdict::new(
            Inconclusive,
            format!("scenario timed out after {:.1}s", d.as_secs_f64()),
        ),
        (End::Interrupted(why), None) => Verdict::new(Error, format!("interrupted: {why}")),
    }
}
