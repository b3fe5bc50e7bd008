//! The scenario model: identity, traceability and the async body, kept apart so that `list`,
//! `coverage` and the reports work from data without running anything.

use crate::context::Cx;
use crate::level::Level;
pub use crate::stop::{Outcome, Stop};
use futures::future::BoxFuture;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// A capability the SUT must claim before a scenario runs; otherwise the scenario is skipped
/// and the hint tells the user how to claim it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Claim {
    /// The claim's name: the key under `[claims]` in a profile, and what `Cx::claimed` takes.
    pub name: &'static str,
    /// How to claim it, shown in the skip reason (`set [claims] send_xms = true`).
    pub hint: &'static str,
}

impl Claim {
    /// A claim; `const` so suites can declare their claims as constants.
    pub const fn new(name: &'static str, hint: &'static str) -> Self {
        Claim { name, hint }
    }
}

/// A failing twin: a fault of the reference peer and the requirements it breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Twin {
    /// The fault's name, one of the suite's `Suite::faults`.
    pub fault: String,
    /// Requirement ids the fault breaks; empty means any of the scenario's own.
    pub breaks: Vec<String>,
}

impl Twin {
    /// The requirement ids a failing check must cite for this twin to count.
    pub fn required<'a>(&'a self, scenario: &'a Scenario) -> &'a [String] {
        if self.breaks.is_empty() {
            &scenario.requirements
        } else {
            &self.breaks
        }
    }
}

/// A scenario body as the runner holds it: called once per run with a fresh `Cx`.
pub type Body = Arc<dyn Fn(Cx) -> BoxFuture<'static, Outcome> + Send + Sync>;

/// One scripted check of the SUT, taken from a clause of a specification.
#[derive(Clone)]
pub struct Scenario {
    /// The stable id, `suite/group/name` ("oms-server/batch/ids"): what `--filter`, expected
    /// failures and reports name it by.
    pub id: String,
    /// One line saying what the scenario checks, for listings and reports.
    pub title: String,
    /// The spec sections it checks, as `section` added them; the first one is the default section
    /// of its checks.
    pub sections: Vec<String>,
    /// The catalogue ids it covers: what coverage counts and what its checks cite by default.
    pub requirements: Vec<String>,
    /// The role of the SUT ("server", "client", ...).
    pub role: String,
    /// The level stated with `Scenario::level`; without it, the runner takes the most binding
    /// catalogue level of `requirements` (see `resolved_level`), and `Must` without a catalogue.
    pub level: Level,
    /// Whether `level` was set explicitly.
    pub level_explicit: bool,
    /// Capabilities the SUT must claim, or the scenario is skipped with the claim's hint.
    pub needs: Vec<Claim>,
    /// Named faults of the reference peer that this scenario must catch (its failing twins).
    pub caught_by: Vec<Twin>,
    /// Named variants of the reference peer (`Suite::variants`) under which this scenario
    /// passes, for scenarios the default reference configuration skips.
    pub passes_with: Vec<String>,
    /// How long the scenario lasts in protocol time (a status ping every minute for three
    /// minutes: 3 min). The runner gives it that much more time, scaled by `[timing] minute`,
    /// and starts long scenarios first.
    pub protocol_time: Duration,
    body: Option<Body>,
}

impl std::fmt::Debug for Scenario {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scenario")
            .field("id", &self.id)
            .field("level", &self.level)
            .field("requirements", &self.requirements)
            .finish_non_exhaustive()
    }
}

impl Scenario {
    /// A scenario with this id and nothing else: level MUST (not explicit), no requirements, no
    /// body (running it without `run` is a harness error).
    pub fn new(id: impl Into<String>) -> Self {
        Scenario {
            id: id.into(),
            title: String::new(),
            sections: Vec::new(),
            requirements: Vec::new(),
            role: String::new(),
            level: Level::Must,
            level_explicit: false,
            needs: Vec::new(),
            caught_by: Vec::new(),
            passes_with: Vec::new(),
            protocol_time: Duration::ZERO,
            body: None,
        }
    }

    /// The scenario lasts `protocol` in protocol time (see `protocol_time`).
    pub fn takes(mut self, protocol: Duration) -> Self {
        self.protocol_time = protocol;
        self
    }

    /// The wall-clock time the scenario may take: `base` (the run's per-scenario timeout, the
    /// margin for everything that is not waiting) plus its protocol time on `clock`.
    pub fn timeout(&self, base: Duration, clock: crate::timing::Clock) -> Duration {
        base.saturating_add(clock.scale(self.protocol_time))
    }

    /// Sets the one-line title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// The spec section(s), written as in the spec ("MS-OMS 3.1.4.4.3.3" or "3.1.4.4.3.3").
    pub fn section(mut self, section: impl Into<String>) -> Self {
        self.sections.push(section.into());
        self
    }

    /// Adds catalogue ids the scenario covers (see the `requirements` field).
    pub fn requirements<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.requirements.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Sets the SUT role; suites usually leave it, and `erase` fills in the suite's role.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.role = role.into();
        self
    }

    /// States the level explicitly, overriding the catalogue levels of its requirements.
    pub fn level(mut self, level: Level) -> Self {
        self.level = level;
        self.level_explicit = true;
        self
    }

    /// The level the scenario is judged and reported at: the explicit one, or else the most
    /// binding catalogue level of its own requirements, or else `level` (MUST).
    pub fn resolved_level(
        &self,
        lookup: impl Fn(&str) -> Option<crate::suite::RequirementInfo>,
    ) -> Level {
        if self.level_explicit {
            return self.level;
        }
        most_binding(
            self.requirements
                .iter()
                .filter_map(|id| lookup(id))
                .map(|i| i.level),
        )
        .unwrap_or(self.level)
    }

    /// The scenario runs only when the SUT claims `claim`; otherwise it is skipped.
    pub fn needs(mut self, claim: Claim) -> Self {
        self.needs.push(claim);
        self
    }

    /// A failing twin: with `fault` injected, a failing check must cite one of the
    /// scenario's requirements.
    pub fn caught_by(mut self, fault: impl Into<String>) -> Self {
        self.caught_by.push(Twin {
            fault: fault.into(),
            breaks: Vec::new(),
        });
        self
    }

    /// A failing twin that breaks particular requirements: with `fault` injected, a failing
    /// check must cite one of `breaks` (for scenarios that check several requirements).
    pub fn caught_by_breaking<I, S>(mut self, fault: impl Into<String>, breaks: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.caught_by.push(Twin {
            fault: fault.into(),
            breaks: breaks.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// The scenario passes against the reference peer in this variant (`Suite::variants`).
    pub fn passes_with(mut self, variant: impl Into<String>) -> Self {
        self.passes_with.push(variant.into());
        self
    }

    /// Sets the body: an async function of the `Cx`, returning `Ok(())` when it ran to the end
    /// (the verdict then comes from its checks) or a `Stop`.
    pub fn run<F, Fut>(mut self, body: F) -> Self
    where
        F: Fn(Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Outcome> + Send + 'static,
    {
        self.body = Some(Arc::new(move |cx| Box::pin(body(cx))));
        self
    }

    /// The body set with `run`, if any; the runner calls it in a task of its own.
    pub fn body(&self) -> Option<Body> {
        self.body.clone()
    }

    /// The id as a file name: `oms-server/batch/ids` becomes `oms-server__batch__ids`.
    pub fn file_stem(&self) -> String {
        file_stem(&self.id)
    }
}

/// The most binding of several levels: MUST, then STRUCTURE, SHOULD, MAY.
pub fn most_binding(levels: impl IntoIterator<Item = Level>) -> Option<Level> {
    levels.into_iter().min()
}

/// An id as a file name (see `Scenario::file_stem`): `/` becomes `__`, any character other
/// than ASCII letters, digits, `-`, `_` and `.` becomes `_`.
pub fn file_stem(id: &str) -> String {
    id.chars()
        .map(|c| match c {
            '/' => "__".to_string(),
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' => c.to_string(),
            _ => "_".to_string(),
        })
        .collect()
}
