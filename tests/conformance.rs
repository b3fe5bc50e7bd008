//! `cargo test` entry point: one libtest test per scenario, named by its id.
//!
//! Without `OXCONF_PROFILE`, every suite runs against its built-in reference peer. With
//! `OXCONF_PROFILE=FILE`, the profile's suite runs against that SUT. `OXCONF_STRICT=1` turns
//! SHOULD warnings into failures. Listing (`--list`, which nextest uses) reads the profile but
//! never touches the network; suites are set up lazily, once per process, on first use.
//! Scenarios needing a capability the profile does not claim are listed as ignored, with
//! their reasons on stderr when the tests run.

use harness::report::transcripts::render_scenario;
use harness::runner::{Filter, Planned, RunOptions};
use harness::{Prepared, Suite, SuiteConfig, VerdictKind};
use libtest_mimic::{Arguments, Completion, Failed, Trial};
use oxconf::session::{self, Overrides};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

/// Lazily set-up environments, shared by every trial of this process.
struct Shared {
    runtime: tokio::runtime::Runtime,
    pending: Mutex<HashMap<String, SuiteConfig>>,
    ready: Mutex<HashMap<String, Result<Arc<Prepared>, String>>>,
    /// One trial's options; each trial narrows the filter to its scenario.
    opts: RunOptions,
}

static SHARED: OnceLock<Shared> = OnceLock::new();

fn prepared(shared: &Shared, suite: &Arc<dyn Suite>) -> Result<Arc<Prepared>, String> {
    let name = suite.info().name.to_string();
    let mut ready = shared.ready.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(r) = ready.get(&name) {
        return r.clone();
    }
    let config = shared
        .pending
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&name)
        .ok_or_else(|| format!("suite {name} has no configuration"))?;
    let result = shared
        .runtime
        .block_on(session::set_up(suite, config, &shared.opts))
        .map_err(|e| e.to_string());
    ready.insert(name, result.clone());
    result
}

fn run_trial(suite: Arc<dyn Suite>, id: String) -> Result<Completion, Failed> {
    let shared = SHARED.get().ok_or("harness not initialised")?;
    let prep =
        prepared(shared, &suite).map_err(|e| format!("inconclusive: suite setup failed: {e}"))?;
    let opts = RunOptions {
        filter: Filter::exact(std::slice::from_ref(&id)),
        ..shared.opts.clone()
    };
    let report = shared
        .runtime
        .block_on(harness::run(vec![Planned::over(suite, prep)], opts));
    let result = report
        .results()
        .find(|r| r.id == id)
        .ok_or_else(|| format!("scenario {id} did not run"))?;
    match result.verdict.kind {
        VerdictKind::Pass => Ok(Completion::Completed),
        VerdictKind::Warn => {
            println!("{}", render_scenario(result));
            Ok(Completion::Completed)
        }
        VerdictKind::Skip => Ok(Completion::ignored_with(result.verdict.reason.clone())),
        VerdictKind::Fail | VerdictKind::Inconclusive | VerdictKind::Error => {
            Err(render_scenario(result).into())
        }
    }
}

fn main() {
    let args = Arguments::from_args();
    let profile = std::env::var_os("OXCONF_PROFILE").map(PathBuf::from);
    let plan = match oxconf::plan::plan(profile.as_deref(), &[]) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("oxconf: {e}");
            std::process::exit(2);
        }
    };
    let common = plan.common.as_ref();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("oxconf: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    let mut trials = Vec::new();
    let mut pending = HashMap::new();
    let mut unclaimed = Vec::new();
    for configured in plan.suites {
        let suite = configured.suite;
        let name = suite.info().name.to_string();
        // Claims known from the profile alone decide skips at listing time, so nextest and
        // libtest show unclaimed scenarios as ignored rather than passed. Run with
        // `--ignored` and the runner reports each skip with its reason.
        let claims = suite.static_claims(&configured.config);
        for scenario in suite.scenarios() {
            let skip = oxconf::select::skip_reason(&scenario, claims.as_ref());
            let suite = Arc::clone(&suite);
            let id = scenario.id.clone();
            let trial = Trial::ignorable_test(scenario.id.clone(), move || run_trial(suite, id));
            if let Some(why) = &skip {
                unclaimed.push(format!("{}: {why}", scenario.id));
            }
            trials.push(trial.with_ignored_flag(skip.is_some()));
        }
        pending.insert(name, configured.config);
    }
    if !args.list && !unclaimed.is_empty() {
        eprintln!(
            "oxconf: {} scenarios ignored, the profile does not claim what they need:",
            unclaimed.len()
        );
        for line in &unclaimed {
            eprintln!("  {line}");
        }
    }
    let overrides = Overrides {
        jobs: Some(1),
        strict: std::env::var("OXCONF_STRICT").is_ok_and(|v| v == "1" || v == "true"),
        ..Overrides::default()
    };
    let shared = Shared {
        runtime,
        pending: Mutex::new(pending),
        ready: Mutex::new(HashMap::new()),
        opts: session::options(common, overrides),
    };
    let _ = SHARED.set(shared);
    libtest_mimic::run(&args, trials).exit();
}
