//! A fake protocol suite for driving the engine end to end. Each test binary uses a different
//! part of it, hence the `dead_code` allowance.
#![allow(dead_code)]

use futures::future::BoxFuture;
use harness::report::model::{RunReport, ScenarioResult};
use harness::SetupError;
use harness::{
    FaultInfo, Planned, Prepared, ProfileError, ProfileReader, RunOptions, Scenario, Suite,
    SuiteConfig, SuiteInfo,
};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

/// How the fake suite's `setup` behaves.
#[derive(Clone, Debug)]
pub(crate) enum Setup {
    Ready {
        claims: Vec<String>,
        secrets: Vec<String>,
        target: String,
    },
    Fails(String),
    Panics(String),
    Hangs,
}

impl Setup {
    pub(crate) fn ready() -> Setup {
        Setup::Ready {
            claims: Vec::new(),
            secrets: Vec::new(),
            target: "fake peer".into(),
        }
    }

    pub(crate) fn with_claims(claims: &[&str]) -> Setup {
        Setup::Ready {
            claims: claims.iter().map(|c| c.to_string()).collect(),
            secrets: Vec::new(),
            target: "fake peer".into(),
        }
    }
}

pub(crate) struct FakeSuite {
    pub name: &'static str,
    pub scenarios: Vec<Scenario>,
    pub setup: Setup,
    /// What `Suite::requirement` knows; empty means no catalogue.
    pub catalogue: Vec<harness::RequirementInfo>,
}

/// A catalogue entry of the fake spec.
pub(crate) fn entry(
    id: &str,
    level: harness::Level,
    testability: &str,
) -> harness::RequirementInfo {
    harness::RequirementInfo {
        id: id.into(),
        spec: "MS-FAKE".into(),
        section: format!("2.{}", id.len()),
        level,
        role: "server".into(),
        testability: testability.into(),
        paraphrase: format!("the server does {id}"),
    }
}

impl FakeSuite {
    pub(crate) fn new(name: &'static str, scenarios: Vec<Scenario>) -> FakeSuite {
        FakeSuite {
            name,
            scenarios,
            setup: Setup::ready(),
            catalogue: Vec::new(),
        }
    }

    pub(crate) fn catalogue(mut self, entries: Vec<harness::RequirementInfo>) -> FakeSuite {
        self.catalogue = entries;
        self
    }

    pub(crate) fn setup(mut self, setup: Setup) -> FakeSuite {
        self.setup = setup;
        self
    }

    pub(crate) fn planned(self) -> Planned {
        Planned::new(Arc::new(self), Box::new(()))
    }
}

impl Suite for FakeSuite {
    fn info(&self) -> SuiteInfo {
        SuiteInfo {
            name: self.name,
            spec: "MS-FAKE",
            role: "server",
            title: "fake suite",
        }
    }

    fn scenarios(&self) -> Vec<Scenario> {
        self.scenarios.clone()
    }

    fn example_profile(&self) -> &'static str {
        "suite = \"fake\"\n"
    }

    fn faults(&self) -> Vec<FaultInfo> {
        Vec::new()
    }

    fn requirement(&self, id: &str) -> Option<harness::RequirementInfo> {
        self.catalogue.iter().find(|e| e.id == id).cloned()
    }

    fn configure(
        &self,
        _profile: Option<&mut ProfileReader<'_>>,
    ) -> Result<SuiteConfig, ProfileError> {
        Ok(Box::new(()))
    }

    fn setup(
        &self,
        _config: SuiteConfig,
        _setup: harness::Setup,
    ) -> BoxFuture<'static, Result<Prepared, SetupError>> {
        let setup = self.setup.clone();
        Box::pin(async move {
            match setup {
                Setup::Ready {
                    claims,
                    secrets,
                    target,
                } => Ok(Prepared {
                    env: Arc::new(()),
                    claims: claims.into_iter().collect::<BTreeSet<_>>(),
                    secrets,
                    target,
                    notices: Vec::new(),
                }),
                Setup::Fails(why) => Err(SetupError::Other(why)),
                Setup::Panics(why) => panic!("{why}"),
                Setup::Hangs => {
                    std::future::pending::<()>().await;
                    Err(SetupError::Other("unreachable".into()))
                }
            }
        })
    }
}

/// A scenario whose single binding check holds.
pub(crate) fn passing(id: &str) -> Scenario {
    Scenario::new(id)
        .title(format!("passing {id}"))
        .requirements(["FAKE-R001"])
        .run(|cx| async move { cx.expect_eq("answer", 42, 42) })
}

/// A scenario whose single MUST check fails.
pub(crate) fn failing(id: &str) -> Scenario {
    Scenario::new(id)
        .title(format!("failing {id}"))
        .requirements(["FAKE-R002"])
        .run(|cx| async move { cx.expect_eq("answer", 42, 41) })
}

/// Options for tests: no Ctrl-C handling, a timeout short enough that a hung test is obvious.
pub(crate) fn options() -> RunOptions {
    RunOptions {
        timeout: Duration::from_secs(20),
        ..RunOptions::default()
    }
}

pub(crate) async fn run_one(suite: FakeSuite, opts: RunOptions) -> RunReport {
    harness::run(vec![suite.planned()], opts).await
}

/// The result of one scenario, by id.
pub(crate) fn result<'r>(report: &'r RunReport, id: &str) -> &'r ScenarioResult {
    report
        .results()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no result for {id}"))
}

/// Text a SUT could send back that is hard on XML and JSON writers: a CDATA terminator, control
/// characters XML cannot carry, a noncharacter, markup, quotes and non-ASCII.
pub(crate) const HOSTILE: &str = "]]> nul\u{0} esc\u{1b} nonchar\u{fffe} <&\"' naïve 日本 🚀";

/// `HOSTILE` as the XML sanitiser renders it (characters XML 1.0 forbids become visible).
pub(crate) const HOSTILE_IN_XML: &str =
    "]]> nul\\u{0} esc\\u{1b} nonchar\\u{fffe} <&\"' naïve 日本 🚀";

/// `HOSTILE` as transcript files and the console show it (control characters made visible).
pub(crate) const HOSTILE_IN_TEXT: &str =
    "]]> nul\\u{0} esc\\u{1b} nonchar\u{fffe} <&\"' naïve 日本 🚀";

pub(crate) const CLAIM: harness::Claim = harness::Claim::new("mms", "set `claims.mms = true`");

/// One scenario per verdict (plus an expected failure and a hostile one), ids `PREFIX/...`.
pub(crate) fn every_verdict(prefix: &str) -> Vec<Scenario> {
    use harness::{Level, Stop};
    vec![
        passing(&format!("{prefix}/pass")),
        Scenario::new(format!("{prefix}/warn"))
            .requirements(["FAKE-R003"])
            .run(|cx| async move {
                cx.at_level(Level::Should)
                    .expect_eq("keep-alive", true, false)?;
                cx.expect_eq("status", 200, 200)
            }),
        failing(&format!("{prefix}/fail")),
        failing(&format!("{prefix}/known/fail")),
        Scenario::new(format!("{prefix}/skip"))
            .needs(CLAIM)
            .run(|cx| async move { cx.expect_eq("mms", 1, 1) }),
        Scenario::new(format!("{prefix}/inconclusive"))
            .run(|_cx| async move { Err(Stop::inconclusive("connection refused")) }),
        Scenario::new(format!("{prefix}/error"))
            .run(|_cx| async move { Err(Stop::error("fixture missing")) }),
        Scenario::new(format!("{prefix}/hostile{HOSTILE}"))
            .title(HOSTILE)
            .section(HOSTILE)
            .requirements(["FAKE-R004"])
            .level(Level::Structure)
            .run(|cx| async move {
                cx.sent("http", HOSTILE, HOSTILE);
                cx.note(HOSTILE);
                cx.expect(HOSTILE, false, "clean", HOSTILE)
            }),
    ]
}

/// The expected-failures list `every_verdict` is meant to run with.
pub(crate) fn known_failures(prefix: &str) -> harness::expect::ExpectedFailures {
    let text = format!("[[expected]]\nscenario = \"{prefix}/known/*\"\nreason = \"known gap\"\n");
    harness::expect::ExpectedFailures::parse(std::path::Path::new("expected.toml"), &text).unwrap()
}

/// Every file below `dir`, recursively.
pub(crate) fn files_below(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

pub(crate) const TOOL: harness::report::Tool = harness::report::Tool {
    name: "oxconf",
    version: "0.0.0-test",
};
