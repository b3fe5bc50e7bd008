//! oxconf as a library: run one suite against your system under test from your own
//! `cargo test`, with one call, and get a typed verdict per scenario.
//!
//! Add oxconf as a dev-dependency, start your SUT (or point at it), describe it with a profile
//! (a file, or TOML text built in code: the same keys as `oxconf profile --example SUITE`), and
//! run the suite. The run is the one `oxconf run --profile` makes: the same scenarios, the same
//! verdicts, and, if asked, the same reports (JUnit, JSON, transcripts).
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let rt = tokio::runtime::Runtime::new()?;
//! # rt.block_on(async {
//! // Your MAPI/HTTP server would be here; the reference one stands in for it.
//! let server = oxconf::mocks::cnotif::server::MockMapiServer::start(
//!     oxconf::mocks::cnotif::server::MapiOptions {
//!         minute: std::time::Duration::from_millis(300),
//!         ..Default::default()
//!     },
//!     Default::default(),
//! )
//! .await?;
//! let profile = format!(
//!     r#"suite = "notif-server"
//! [target]
//! url = "{}"
//! user = "alice"
//! password = "oxconf-secret"
//! [notif]
//! mailbox_dn = "/o=Example/ou=Exchange Administrative Group/cn=Recipients/cn=alice"
//! [timing]
//! minute = "300ms"
//! "#,
//!     server.url()
//! );
//! let outcome = oxconf::library::Run::suite("notif-server")
//!     .profile_toml(profile)
//!     .run_async()
//!     .await?;
//! for v in outcome.verdicts() {
//!     println!("{:<45} {}", v.id, v.verdict);
//! }
//! assert!(outcome.passed(), "{}", outcome.summary());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok(())
//! # }
//! ```

use crate::plan::{plan, plan_profile, PlanError};
use crate::session::{options, Overrides};
use harness::report::{write_all, Outputs};
use harness::{Profile, RunReport, ScenarioResult, VerdictKind};
use std::fmt;
use std::path::{Path, PathBuf};

/// What the suite is run against.
#[derive(Clone, Debug)]
enum Target {
    /// The suite's built-in reference peer (no profile).
    Reference,
    File(PathBuf),
    /// Profile text; relative paths in it resolve against `dir`.
    Toml {
        text: String,
        dir: PathBuf,
    },
}

/// One run of one suite; build it, then `run` or `run_async`.
#[derive(Clone, Debug)]
pub struct Run {
    suite: String,
    target: Target,
    reports: Option<PathBuf>,
    strict: bool,
    jobs: Option<usize>,
}

/// Why a run could not be made (a scenario that fails is not an error: it is in the outcome).
#[derive(Debug)]
pub enum Error {
    /// An unknown suite, a profile that does not read, or one for another suite.
    Profile(String),
    /// The reports could not be written.
    Reports(std::io::Error),
    /// No async runtime could be started, or its thread died.
    Runtime(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Profile(m) => f.write_str(m),
            Error::Reports(e) => write!(f, "could not write the reports: {e}"),
            Error::Runtime(m) => write!(f, "could not run: {m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<PlanError> for Error {
    fn from(e: PlanError) -> Self {
        Error::Profile(e.to_string())
    }
}

/// One scenario's verdict, typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioVerdict {
    pub id: String,
    pub verdict: VerdictKind,
    /// The verdict's one-line reason (the first failing check, what made it inconclusive).
    pub reason: String,
    /// The scenario's requirement ids.
    pub requirements: Vec<String>,
}

/// What a run gave: every scenario's verdict, and the full report.
#[derive(Debug)]
pub struct Outcome {
    pub report: RunReport,
    /// The report files written, when `reports` was set.
    pub written: Vec<PathBuf>,
}

impl Outcome {
    /// One entry per scenario, in the order the suite lists them.
    pub fn verdicts(&self) -> Vec<ScenarioVerdict> {
        self.report
            .results()
            .map(|r| ScenarioVerdict {
                id: r.id.clone(),
                verdict: r.verdict.kind,
                reason: r.verdict.reason.clone(),
                requirements: r.requirements.clone(),
            })
            .collect()
    }

    /// The verdict of one scenario, by id.
    pub fn verdict(&self, id: &str) -> Option<VerdictKind> {
        self.report
            .results()
            .find(|r| r.id == id)
            .map(|r| r.verdict.kind)
    }

    /// True when nothing failed and the SUT could be judged: `oxconf run`'s exit code 0.
    pub fn passed(&self) -> bool {
        self.report.exit_code() == 0
    }

    /// The scenarios that make the run fail, with all their evidence.
    pub fn failures(&self) -> Vec<&ScenarioResult> {
        self.report
            .results()
            .filter(|r| r.counts_as_bad())
            .collect()
    }

    /// The console summary `oxconf run` prints, for an assertion message.
    pub fn summary(&self) -> String {
        harness::report::console::render_with(
            &self.report,
            &harness::report::console::ConsoleOptions {
                transcripts: "(transcripts)".into(),
                verbose: false,
                color: false,
            },
        )
    }
}

impl Run {
    /// A run of `suite` against its reference peer, until a profile is given.
    pub fn suite(suite: impl Into<String>) -> Run {
        Run {
            suite: suite.into(),
            target: Target::Reference,
            reports: None,
            strict: false,
            jobs: None,
        }
    }

    /// The SUT as a profile file says.
    pub fn profile_file(mut self, path: impl Into<PathBuf>) -> Run {
        self.target = Target::File(path.into());
        self
    }

    /// The SUT as profile text built in code says; relative paths in it (a CA file, a trigger's
    /// working directory) resolve against the current directory.
    pub fn profile_toml(mut self, text: impl Into<String>) -> Run {
        let dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        self.target = Target::Toml {
            text: text.into(),
            dir,
        };
        self
    }

    /// Write `junit.xml`, `report.json` and `transcripts/` under `dir`, as `oxconf run` does.
    pub fn reports(mut self, dir: impl Into<PathBuf>) -> Run {
        self.reports = Some(dir.into());
        self
    }

    /// SHOULD failures fail the run (`--strict`).
    pub fn strict(mut self, strict: bool) -> Run {
        self.strict = strict;
        self
    }

    /// How many scenarios run at once.
    pub fn jobs(mut self, jobs: usize) -> Run {
        self.jobs = Some(jobs);
        self
    }

    /// Runs the suite on the caller's tokio runtime (inside `#[tokio::test]`).
    pub async fn run_async(self) -> Result<Outcome, Error> {
        let names = vec![self.suite.clone()];
        let plan = match &self.target {
            Target::Reference => plan(None, &names)?,
            Target::File(path) => plan(Some(path), &names)?,
            Target::Toml { text, dir } => {
                let profile = Profile::parse(&dir.join("profile.toml"), text)
                    .map_err(|e| Error::Profile(e.to_string()))?;
                plan_profile(profile, &names)?
            }
        };
        let profile_name = match &self.target {
            Target::Reference => None,
            Target::File(p) => Some(p.display().to_string()),
            Target::Toml { .. } => Some("(profile built in code)".to_string()),
        };
        let opts = options(
            plan.common.as_ref(),
            Overrides {
                jobs: self.jobs,
                strict: self.strict,
                profile: profile_name,
                ..Overrides::default()
            },
        );
        let report = harness::run(plan.planned(), opts).await;
        let written = match &self.reports {
            None => Vec::new(),
            Some(dir) => write_reports(&report, dir)?,
        };
        Ok(Outcome { report, written })
    }

    /// Runs the suite on a runtime of its own (in a plain `#[test]`). Safe to call from
    /// inside another runtime too: the run has its own thread.
    pub fn run(self) -> Result<Outcome, Error> {
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::Runtime(e.to_string()))?;
            let outcome = rt.block_on(self.run_async());
            rt.shutdown_timeout(std::time::Duration::from_millis(200));
            outcome
        })
        .join()
        .map_err(|_| Error::Runtime("the run's thread panicked".into()))?
    }
}

fn write_reports(report: &RunReport, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let outputs = Outputs {
        junit: dir.join("junit.xml"),
        json: dir.join("report.json"),
        transcripts: dir.join("transcripts"),
    };
    std::fs::create_dir_all(dir).map_err(Error::Reports)?;
    write_all(report, &outputs, crate::commands::run::TOOL).map_err(Error::Reports)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_run_gives_a_verdict_per_scenario_and_writes_reports() {
        let dir = tempfile::tempdir().expect("temp dir");
        let outcome = Run::suite("notif-decoder")
            .reports(dir.path())
            .run()
            .expect("the run is made");
        assert!(outcome.passed(), "{}", outcome.summary());
        assert_eq!(outcome.verdicts().len(), 15);
        assert!(dir.path().join("report.json").is_file());
        assert_eq!(
            outcome.verdict("notif-decoder/valid/spec-examples"),
            Some(VerdictKind::Pass)
        );
    }

    #[test]
    fn a_profile_for_another_suite_or_an_unknown_suite_is_an_error() {
        let e = Run::suite("notif-server")
            .profile_toml("suite = \"notif-decoder\"\n[target]\ndecode = \"true\"\n")
            .run()
            .expect_err("refused");
        assert!(e.to_string().contains("notif-decoder"), "{e}");
        let e = Run::suite("no-such-suite").run().expect_err("refused");
        assert!(e.to_string().contains("unknown suite"), "{e}");
    }

    #[tokio::test]
    async fn a_failing_sut_fails_with_its_evidence() {
        let outcome = Run::suite("notif-decoder")
            .profile_toml("suite = \"notif-decoder\"\n[target]\ndecode = \"echo '{}'\"\n")
            .run_async()
            .await
            .expect("the run is made");
        assert!(!outcome.passed());
        assert!(!outcome.failures().is_empty());
        assert!(outcome
            .verdicts()
            .iter()
            .any(|v| v.verdict == VerdictKind::Fail));
    }
}
