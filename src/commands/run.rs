//! `oxconf run`.

use super::exit;
use crate::cli::RunArgs;
use crate::plan::{plan, PlanError};
use harness::expect::ExpectedFailures;
use harness::report::{console, write_all, Outputs, Tool};
use harness::runner::{Filter, Planned, RunOptions, DEFAULT_TIMEOUT};
use harness::timing::parse_duration;
use harness::Clock;
use std::time::Duration;

pub const TOOL: Tool = Tool {
    name: "oxconf",
    version: env!("CARGO_PKG_VERSION"),
};

/// Without a deadline from the CLI or the profile, a run stops after this long.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30 * 60);

fn duration_arg(flag: &str, value: &Option<String>) -> Result<Option<Duration>, PlanError> {
    match value {
        None => Ok(None),
        Some(v) => parse_duration(v).map(Some).ok_or_else(|| {
            PlanError::Usage(format!("{flag}: `{v}` is not a duration like \"10s\""))
        }),
    }
}

/// Builds the plan and options; usage and profile errors come back before anything runs.
pub fn prepare(args: &RunArgs) -> Result<(Vec<Planned>, RunOptions), PlanError> {
    let plan = plan(args.profile.as_deref(), &args.suites)?;
    let expected = match &args.expect_failures {
        Some(p) => ExpectedFailures::load(p)?,
        None => ExpectedFailures::default(),
    };
    let filter = Filter::globs(&args.filters).map_err(PlanError::Usage)?;
    let common = plan.common.as_ref();
    let timeout = duration_arg("--timeout", &args.timeout)?
        .or(common.and_then(|c| c.timeout))
        .unwrap_or(DEFAULT_TIMEOUT);
    let deadline = duration_arg("--deadline", &args.deadline)?
        .or(common.and_then(|c| c.deadline))
        .unwrap_or(DEFAULT_DEADLINE);
    let clock = common
        .and_then(|c| c.minute)
        .map(Clock::with_minute)
        .unwrap_or_default();
    if args.jobs == 0 {
        return Err(PlanError::Usage("--jobs must be at least 1".into()));
    }
    let opts = RunOptions {
        jobs: args.jobs,
        timeout,
        deadline: Some(deadline),
        strict: args.strict,
        filter,
        expected,
        clock,
        handle_ctrl_c: true,
        profile: args.profile.as_ref().map(|p| p.display().to_string()),
        progress: None,
    };
    let planned = plan
        .suites
        .into_iter()
        .map(|c| Planned {
            suite: c.suite,
            config: c.config,
            faults: Vec::new(),
        })
        .collect();
    Ok((planned, opts))
}

/// Runs and reports; returns the exit code.
pub fn run(args: &RunArgs) -> i32 {
    let (planned, opts) = match prepare(args) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("oxconf: {e}");
            return exit::USAGE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("oxconf: cannot start the async runtime: {e}");
            return exit::FAILURES;
        }
    };
    let verbose = args.verbose;
    let report = runtime.block_on(harness::run(planned, opts));
    let outputs = Outputs {
        junit: args.junit.clone(),
        json: args.json.clone(),
        transcripts: args
            .json
            .parent()
            .map(|p| p.join("transcripts"))
            .unwrap_or_else(|| "transcripts".into()),
    };
    print!(
        "{}",
        console::render(&report, &outputs.transcripts.display().to_string(), verbose)
    );
    let mut code = report.exit_code();
    match write_all(&report, &outputs, TOOL) {
        Ok(_) => println!(
            "reports: {} and {} (transcripts in {})",
            outputs.junit.display(),
            outputs.json.display(),
            outputs.transcripts.display()
        ),
        Err(e) => {
            eprintln!("oxconf: could not write the reports: {e}");
            code = code.max(exit::FAILURES);
        }
    }
    // Peers started by the suites live on this runtime; do not wait for stragglers.
    runtime.shutdown_timeout(Duration::from_millis(200));
    code
}
