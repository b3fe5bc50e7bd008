//! The scenario context: everything a scenario body needs besides the protocol, and the place
//! where evidence is recorded as the body runs.

use crate::evidence::{Check, CheckOutcome, Evidence};
use crate::level::Level;
use crate::redact::Redactor;
use crate::stop::Stop;
use crate::suite::RequirementInfo;
use crate::timing::Clock;
use crate::transcript::{Direction, Field, Transcript};
use std::any::Any;
use std::collections::BTreeSet;
use std::fmt::Debug;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// What a wait for a peer leaves the scenario to judge and report in (see `Cx::wait_budget`).
pub const REPORT_MARGIN: Duration = Duration::from_millis(1500);
/// The least a wait for a peer lasts, however late the scenario got to it.
pub const MIN_WAIT: Duration = Duration::from_secs(2);

/// What a scenario leaves behind, whether it finished or was cut off.
#[derive(Clone, Debug, Default)]
pub struct Record {
    /// The checks and notes recorded so far, already redacted.
    pub evidence: Evidence,
    /// The wire exchanges recorded so far, already redacted, timed from `Cx::epoch`.
    pub transcript: Transcript,
    /// Requirement ids cited by checks that the catalogue does not hold (a typo would otherwise
    /// drop out of coverage silently); the runner makes the scenario an error.
    pub unknown_requirements: BTreeSet<String>,
}

/// Looks a requirement id up in the suite's catalogue (`Suite::requirement`).
pub type RequirementLookup = Arc<dyn Fn(&str) -> Option<RequirementInfo> + Send + Sync>;

struct Inner {
    id: String,
    requirements: Vec<String>,
    section: String,
    sections: Option<RequirementLookup>,
    timeout: Option<Duration>,
    level: Level,
    env: Arc<dyn Any + Send + Sync>,
    claims: Arc<BTreeSet<String>>,
    redactor: Arc<Redactor>,
    clock: Clock,
    started: Instant,
    record: Mutex<Record>,
    /// The `--jobs` slot the scenario holds while it drives the SUT; `idle` gives it back
    /// while the scenario only waits.
    slot: Mutex<Option<OwnedSemaphorePermit>>,
    jobs: Option<Arc<Semaphore>>,
}

/// Cheap to clone; every clone records into the same evidence.
#[derive(Clone)]
pub struct Cx {
    inner: Arc<Inner>,
}

/// Defaults a `Cx` is built from.
pub struct CxSetup {
    /// The scenario id (`suite/group/name`), as `Cx::id` returns it.
    pub id: String,
    /// The scenario's own requirement ids: what checks cite unless they `cite` others.
    pub requirements: Vec<String>,
    /// The section that checks under the scenario's own requirements name: the scenario's
    /// first `Scenario::section`.
    pub section: String,
    /// The catalogue, so a check citing another requirement names its section and takes its
    /// level; with it, a cited id the catalogue lacks is recorded as unknown.
    pub sections: Option<RequirementLookup>,
    /// The scenario's timeout, so bodies waiting on a peer can leave time to report.
    pub timeout: Option<Duration>,
    /// The scenario's level (already resolved: `Scenario::resolved_level`), the level of
    /// checks under the scenario's own requirements.
    pub level: Level,
    /// The suite's environment (`Prepared::env`), handed back through `Cx::env`.
    pub env: Arc<dyn Any + Send + Sync>,
    /// The capability names the SUT claims (`Prepared::claims`), for `Cx::claimed`.
    pub claims: Arc<BTreeSet<String>>,
    /// Masks the suite's secrets in everything the context records.
    pub redactor: Arc<Redactor>,
    /// The run's protocol time, for `Cx::sleep` and the suite's own waits.
    pub clock: Clock,
}

impl Cx {
    /// A context that holds no `--jobs` slot (unit tests, tools); `idle` then has nothing to give
    /// back. The runner uses `with_slot`.
    pub fn new(setup: CxSetup) -> Cx {
        Cx::build(setup, None)
    }

    fn build(setup: CxSetup, slot: Option<(Arc<Semaphore>, OwnedSemaphorePermit)>) -> Cx {
        let (jobs, slot) = match slot {
            Some((jobs, slot)) => (Some(jobs), Some(slot)),
            None => (None, None),
        };
        Cx {
            inner: Arc::new(Inner {
                id: setup.id,
                requirements: setup.requirements,
                section: setup.section,
                sections: setup.sections,
                timeout: setup.timeout,
                level: setup.level,
                env: setup.env,
                claims: setup.claims,
                redactor: setup.redactor,
                clock: setup.clock,
                started: Instant::now(),
                record: Mutex::new(Record::default()),
                slot: Mutex::new(slot),
                jobs,
            }),
        }
    }

    /// A context holding a `--jobs` slot of `jobs` (the runner's), so `idle` can give it back.
    pub fn with_slot(setup: CxSetup, jobs: Arc<Semaphore>, slot: OwnedSemaphorePermit) -> Cx {
        Cx::build(setup, Some((jobs, slot)))
    }

    /// Gives the scenario's `--jobs` slot back (the runner does when the body ends).
    pub fn release_slot(&self) {
        drop(self.take_slot());
    }

    fn take_slot(&self) -> Option<OwnedSemaphorePermit> {
        self.inner
            .slot
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }

    /// Runs `wait` without holding a `--jobs` slot: `--jobs` bounds the load on the SUT, not
    /// waiting, so a scenario waiting minutes for a callback or a ping lets others drive the
    /// SUT meanwhile. The slot is taken again before `idle` returns (unless the run is
    /// shutting down, in which case the scenario is about to be stopped anyway).
    pub async fn idle<F: Future>(&self, wait: F) -> F::Output {
        // Dropped here, not at the end of the scope: the slot is free while `wait` runs.
        let held = self.take_slot().map(drop).is_some();
        let out = wait.await;
        if let (true, Some(jobs)) = (held, &self.inner.jobs) {
            if let Ok(slot) = Arc::clone(jobs).acquire_owned().await {
                *self.inner.slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(slot);
            }
        }
        out
    }

    /// Sleeps `protocol` in protocol time (scaled by `[timing] minute`) without a job slot.
    pub async fn sleep(&self, protocol: Duration) {
        let wall = self.clock().scale(protocol);
        self.idle(tokio::time::sleep(wall)).await
    }

    /// The instant the scenario started: the zero of its transcript and of recorders' arrival
    /// times.
    pub fn epoch(&self) -> Instant {
        self.inner.started
    }

    /// How long a wait for a peer (a mail, a callback) may last: the time left, less a margin
    /// to judge and report, so a peer that never comes is reported missing rather than the
    /// scenario timing out with no evidence; at least `MIN_WAIT`.
    pub fn wait_budget(&self) -> Duration {
        wait_budget(self.remaining())
    }

    /// The instant `wait_budget` ends.
    pub fn wait_deadline(&self) -> Instant {
        Instant::now() + self.wait_budget()
    }

    /// The scenario id, for file names and messages that must name the scenario.
    pub fn id(&self) -> &str {
        &self.inner.id
    }

    /// The suite's environment (target settings, peers). Suites know its concrete type.
    pub fn env<T: Any + Send + Sync>(&self) -> Result<Arc<T>, Stop> {
        Arc::clone(&self.inner.env)
            .downcast::<T>()
            .map_err(|_| Stop::error("scenario given the environment of another suite"))
    }

    /// The run's protocol time (`[timing] minute`): scale spec durations with it before waiting.
    pub fn clock(&self) -> Clock {
        self.inner.clock
    }

    /// Wall-clock time since `epoch`; transcript entries are stamped with it.
    pub fn elapsed(&self) -> Duration {
        self.inner.started.elapsed()
    }

    /// Time left before the runner stops this scenario (a long wait for a peer should end
    /// earlier, so its absence is reported as a finding rather than a timeout).
    pub fn remaining(&self) -> Duration {
        match self.inner.timeout {
            Some(t) => t.saturating_sub(self.elapsed()),
            None => Duration::from_secs(3600),
        }
    }

    /// Whether the SUT claims the capability `name` (a `Claim::name`), for scenarios whose checks
    /// differ with an optional feature rather than being skipped without it.
    pub fn claimed(&self, name: &str) -> bool {
        self.inner.claims.contains(name)
    }

    /// `text` with the suite's secrets masked. Everything recorded through the context already
    /// is; use this for text that leaves the scenario by another way.
    pub fn redact(&self, text: &str) -> String {
        self.inner.redactor.redact(text)
    }

    fn lock(&self) -> MutexGuard<'_, Record> {
        // A poisoned lock only means another clone panicked mid-record; the data is still usable.
        self.inner
            .record
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A copy of what has been recorded so far.
    pub fn snapshot(&self) -> Record {
        self.lock().clone()
    }

    // --- transcript -----------------------------------------------------------------------

    /// Appends a text exchange to the transcript: `channel` names the transport ("http", "smtp",
    /// "trigger"), `title` heads the entry; both and `text` are redacted and capped in size.
    pub fn transcript_text(&self, direction: Direction, channel: &str, title: &str, text: &str) {
        let text = self.redact(text);
        let title = self.redact(title);
        let at = self.elapsed();
        self.lock()
            .transcript
            .push_text(at, direction, channel, &title, &text);
    }

    /// A text the harness (or a mock answering the SUT) sent; see `transcript_text`.
    pub fn sent(&self, channel: &str, title: &str, text: &str) {
        self.transcript_text(Direction::Sent, channel, title, text);
    }

    /// A text the harness received from the SUT; see `transcript_text`.
    pub fn received(&self, channel: &str, title: &str, text: &str) {
        self.transcript_text(Direction::Received, channel, title, text);
    }

    /// A local event, neither sent nor received (a trigger command run); see `transcript_text`.
    pub fn local(&self, channel: &str, title: &str, text: &str) {
        self.transcript_text(Direction::Local, channel, title, text);
    }

    /// Binary frames are not redacted byte-wise; field values are.
    pub fn binary(
        &self,
        direction: Direction,
        channel: &str,
        title: &str,
        bytes: &[u8],
        fields: Vec<Field>,
    ) {
        let fields = fields
            .into_iter()
            .map(|f| Field {
                value: self.redact(&f.value),
                ..f
            })
            .collect();
        let title = self.redact(title);
        let at = self.elapsed();
        let mut bytes = bytes.to_vec();
        self.inner.redactor.redact_bytes(&mut bytes);
        self.lock()
            .transcript
            .push_binary(at, direction, channel, &title, &bytes, fields);
    }

    /// A free note for the reader of the report, redacted; it never changes the verdict.
    pub fn note(&self, text: impl AsRef<str>) {
        let text = self.redact(text.as_ref());
        self.lock().evidence.notes.push(text);
    }

    // --- checks ---------------------------------------------------------------------------

    /// Checks under the scenario's own requirement ids, section and level.
    pub fn checks(&self) -> Checks<'_> {
        Checks {
            cx: self,
            requirements: None,
            section: None,
            level: None,
        }
    }

    /// Checks that cite specific requirement ids instead of the scenario's.
    pub fn cite<I, S>(&self, ids: I) -> Checks<'_>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.checks().cite(ids)
    }

    /// Checks under the scenario's requirements, judged at `level` instead of the scenario's.
    pub fn at_level(&self, level: Level) -> Checks<'_> {
        self.checks().level(level)
    }

    /// A check of `expected == actual` under the scenario's own requirements (both shown in
    /// `{:?}` form); a binding failure returns `Err(Stop::Failed)` for `?`. See
    /// `Checks::expect_eq`.
    pub fn expect_eq<T: PartialEq + Debug>(
        &self,
        what: &str,
        expected: T,
        actual: T,
    ) -> Result<(), Stop> {
        self.checks().expect_eq(what, expected, actual)
    }

    /// A check under the scenario's own requirements; a binding failure returns
    /// `Err(Stop::Failed)` for `?`. See `Checks::expect`.
    pub fn expect(
        &self,
        what: &str,
        ok: bool,
        expected: impl AsRef<str>,
        actual: impl AsRef<str>,
    ) -> Result<(), Stop> {
        self.checks().expect(what, ok, expected, actual)
    }

    /// Records a check built elsewhere (a suite's own evidence helpers), redacting its texts.
    /// Unlike `Checks`, it neither resolves the level nor notes unknown requirement ids.
    pub fn record(&self, check: Check) {
        let check = Check {
            what: self.redact(&check.what),
            expected: self.redact(&check.expected),
            actual: self.redact(&check.actual),
            note: check.note.map(|n| self.redact(&n)),
            ..check
        };
        self.lock().evidence.checks.push(check);
    }
}

/// See `Cx::wait_budget`.
pub fn wait_budget(remaining: Duration) -> Duration {
    remaining.saturating_sub(REPORT_MARGIN).max(MIN_WAIT)
}

/// A set of checks sharing requirement ids, section and level. Failing a binding check returns
/// `Err(Stop::Failed)` so `?` ends the scenario; SHOULD and MAY failures are recorded and the
/// scenario goes on.
#[derive(Clone)]
pub struct Checks<'a> {
    cx: &'a Cx,
    requirements: Option<Vec<String>>,
    section: Option<String>,
    level: Option<Level>,
}

impl<'a> Checks<'a> {
    /// Cite these requirement ids instead of the scenario's; the level and section then come from
    /// the catalogue entries of the ids, unless set explicitly.
    pub fn cite<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.requirements = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Names this section in the checks, instead of the one the scenario or the catalogue gives.
    pub fn section(mut self, section: impl Into<String>) -> Self {
        self.section = Some(section.into());
        self
    }

    /// Judges the checks at `level`, whatever the scenario or the cited requirements say.
    pub fn level(mut self, level: Level) -> Self {
        self.level = Some(level);
        self
    }

    /// An explicit `.level()` wins; checks citing other requirements take the most binding
    /// catalogue level of those; checks under the scenario's own take the scenario's level.
    fn level_now(&self) -> Level {
        if let Some(l) = self.level {
            return l;
        }
        let cited = self
            .requirements
            .as_ref()
            .zip(self.cx.inner.sections.as_ref())
            .and_then(|(ids, lookup)| {
                crate::scenario::most_binding(
                    ids.iter().filter_map(|id| lookup(id)).map(|i| i.level),
                )
            });
        cited.unwrap_or(self.cx.inner.level)
    }

    /// Cited ids the catalogue does not hold, noted for the runner.
    fn note_unknown(&self) {
        if let (Some(ids), Some(lookup)) = (&self.requirements, &self.cx.inner.sections) {
            let unknown: Vec<&String> = ids.iter().filter(|id| lookup(id).is_none()).collect();
            if !unknown.is_empty() {
                let mut rec = self.cx.lock();
                rec.unknown_requirements
                    .extend(unknown.into_iter().cloned());
            }
        }
    }

    fn section_now(&self) -> String {
        if let Some(s) = &self.section {
            return s.clone();
        }
        let cited = self
            .requirements
            .as_ref()
            .and_then(|r| r.first())
            .zip(self.cx.inner.sections.as_ref())
            .and_then(|(id, lookup)| lookup(id))
            .map(|info| info.cited_section());
        cited.unwrap_or_else(|| self.cx.inner.section.clone())
    }

    fn make(&self, what: &str, outcome: CheckOutcome, expected: &str, actual: &str) -> Check {
        self.note_unknown();
        Check {
            what: what.to_string(),
            requirements: self
                .requirements
                .clone()
                .unwrap_or_else(|| self.cx.inner.requirements.clone()),
            section: self.section_now(),
            level: self.level_now(),
            outcome,
            expected: expected.to_string(),
            actual: actual.to_string(),
            note: None,
        }
    }

    /// Records the check; returns whether it held.
    pub fn check(
        &self,
        what: &str,
        ok: bool,
        expected: impl AsRef<str>,
        actual: impl AsRef<str>,
    ) -> bool {
        let outcome = if ok {
            CheckOutcome::Pass
        } else {
            Check::failed_outcome(self.level_now())
        };
        self.cx
            .record(self.make(what, outcome, expected.as_ref(), actual.as_ref()));
        ok
    }

    /// Like `check`, comparing `expected == actual` and recording both in `{:?}` form.
    pub fn check_eq<T: PartialEq + Debug>(&self, what: &str, expected: T, actual: T) -> bool {
        let ok = expected == actual;
        self.check(what, ok, format!("{expected:?}"), format!("{actual:?}"))
    }

    /// Records the check; a failure at a binding level (MUST, STRUCTURE) returns
    /// `Err(Stop::Failed)` so `?` ends the scenario, any other outcome returns `Ok`.
    pub fn expect(
        &self,
        what: &str,
        ok: bool,
        expected: impl AsRef<str>,
        actual: impl AsRef<str>,
    ) -> Result<(), Stop> {
        if self.check(what, ok, expected, actual) || !self.level_now().is_binding() {
            Ok(())
        } else {
            Err(Stop::Failed)
        }
    }

    /// Like `expect`, comparing `expected == actual` and recording both in `{:?}` form.
    pub fn expect_eq<T: PartialEq + Debug>(
        &self,
        what: &str,
        expected: T,
        actual: T,
    ) -> Result<(), Stop> {
        let ok = expected == actual;
        self.expect(what, ok, format!("{expected:?}"), format!("{actual:?}"))
    }

    /// Records a binding failure and returns the `Stop` to propagate.
    pub fn fail(&self, what: &str, expected: impl AsRef<str>, actual: impl AsRef<str>) -> Stop {
        let level = self.level_now();
        self.cx.record(self.make(
            what,
            Check::failed_outcome(level),
            expected.as_ref(),
            actual.as_ref(),
        ));
        if level.is_binding() {
            Stop::Failed
        } else {
            Stop::error(format!(
                "`{what}` failed at level {level}, which cannot stop a scenario"
            ))
        }
    }

    /// Records a failure at whatever level the checks have and returns the `Stop` that ends
    /// the scenario: `Failed` when the level binds, `Unfinished` (the verdict is the warning)
    /// when it does not. For checks whose failure leaves nothing more to judge.
    pub fn give_up(&self, what: &str, expected: impl AsRef<str>, actual: impl AsRef<str>) -> Stop {
        let level = self.level_now();
        self.cx.record(self.make(
            what,
            Check::failed_outcome(level),
            expected.as_ref(),
            actual.as_ref(),
        ));
        if level.is_binding() {
            Stop::Failed
        } else {
            Stop::Unfinished
        }
    }

    /// Accepted under a documented tolerance: recorded as a warning naming the erratum.
    pub fn deviation(
        &self,
        what: &str,
        erratum: &str,
        expected: impl AsRef<str>,
        actual: impl AsRef<str>,
    ) {
        let mut check = self.make(what, CheckOutcome::Warn, expected.as_ref(), actual.as_ref());
        check.note = Some(format!("tolerated per erratum {erratum}"));
        self.cx.record(check);
    }

    /// Recorded for the reader only (MAY behaviour, probes).
    pub fn info(&self, what: &str, observed: impl AsRef<str>) {
        let check = self.make(
            what,
            CheckOutcome::Info,
            "(informational)",
            observed.as_ref(),
        );
        self.cx.record(check);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx(level: Level) -> Cx {
        Cx::new(CxSetup {
            id: "t/one".into(),
            requirements: vec!["R-1".into()],
            section: "1.2".into(),
            sections: Some(Arc::new(|id: &str| {
                (id == "R-9" || id == "R-S").then(|| RequirementInfo {
                    id: id.into(),
                    spec: "MS-T".into(),
                    section: "9.9".into(),
                    level: if id == "R-S" {
                        Level::Should
                    } else {
                        Level::Must
                    },
                    role: "both".into(),
                    testability: "black-box".into(),
                    paraphrase: String::new(),
                })
            })),
            timeout: Some(Duration::from_secs(10)),
            level,
            env: Arc::new(()),
            claims: Arc::new(BTreeSet::new()),
            redactor: Arc::new(Redactor::with_secrets(["hunter2"])),
            clock: Clock::default(),
        })
    }

    #[test]
    fn a_wait_leaves_a_margin_to_report_but_never_less_than_the_minimum() {
        assert_eq!(
            wait_budget(Duration::from_secs(10)),
            Duration::from_secs(10) - REPORT_MARGIN
        );
        assert_eq!(wait_budget(Duration::from_millis(500)), MIN_WAIT);
        assert_eq!(wait_budget(Duration::ZERO), MIN_WAIT);
    }

    #[test]
    fn binding_failure_stops_and_is_recorded() {
        let cx = cx(Level::Must);
        assert_eq!(
            cx.expect_eq("ids", vec![1, 2], vec![0, 1]),
            Err(Stop::Failed)
        );
        let rec = cx.snapshot();
        assert_eq!(rec.evidence.checks[0].outcome, CheckOutcome::Fail);
        assert_eq!(rec.evidence.checks[0].expected, "[1, 2]");
        assert!(rec.evidence.mentions("R-1"));
    }

    #[test]
    fn should_failure_warns_and_continues() {
        let cx = cx(Level::Must);
        let r = cx.cite(["R-S"]).expect_eq("x", 1, 2);
        assert_eq!(r, Ok(()));
        let rec = cx.snapshot();
        assert_eq!(rec.evidence.checks[0].outcome, CheckOutcome::Warn);
        assert_eq!(rec.evidence.checks[0].requirements, vec!["R-S".to_string()]);
        assert_eq!(rec.evidence.checks[0].level, Level::Should);
        assert_eq!(rec.evidence.checks[0].section, "MS-T 9.9");
    }

    #[test]
    fn secrets_never_reach_the_record() {
        let cx = cx(Level::Must);
        cx.sent("http", "POST", "<password>hunter2</password>");
        let _ = cx.expect_eq("pw", "hunter2", "nope");
        let rec = cx.snapshot();
        let all = format!("{:?}", rec);
        assert!(!all.contains("hunter2"), "{all}");
    }

    #[test]
    fn a_cited_check_takes_its_requirements_level() {
        let cx = cx(Level::Must);
        let mut lookup_level = cx.cite(["R-9"]);
        assert_eq!(lookup_level.level_now(), Level::Must);
        // Unknown ids do not decide the level; they are noted.
        lookup_level = cx.cite(["R-404"]);
        assert_eq!(lookup_level.level_now(), Level::Must);
        lookup_level.info("probe", "x");
        assert!(cx.snapshot().unknown_requirements.contains("R-404"));
        // An explicit level wins.
        assert_eq!(cx.cite(["R-9"]).level(Level::May).level_now(), Level::May);
    }

    #[test]
    fn env_of_wrong_type_is_an_error() {
        let cx = cx(Level::Must);
        assert!(matches!(cx.env::<String>(), Err(Stop::Error(_))));
    }
}
