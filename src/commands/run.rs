//! `oxconf run`.

use super::exit;
use super::paths;
use crate::cli::RunArgs;
use crate::out;
use crate::plan::{plan, PlanError};
use crate::select::{self, SuiteChoice};
use crate::session::{self, Overrides};
use crate::{complain, say};
use harness::expect::ExpectedFailures;
use harness::report::{console, write_all, Outputs, Tool};
use harness::runner::{Filter, Planned, Progress, RunOptions};
use harness::timing::parse_duration;
use harness::{RunReport, ScenarioResult, SetupError};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const TOOL: Tool = Tool {
    name: "oxconf",
    version: env!("CARGO_PKG_VERSION"),
};

/// Without a deadline from the CLI or the profile, a run stops after this long.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30 * 60);

/// The reason the runner gives every scenario of a suite whose setup failed.
const SETUP_FAILED: &str = "suite setup failed";

fn duration_arg(flag: &str, value: &Option<String>) -> Result<Option<Duration>, PlanError> {
    match value {
        None => Ok(None),
        Some(v) => parse_duration(v).map(Some).ok_or_else(|| {
            PlanError::Usage(format!("{flag}: `{v}` is not a duration like \"10s\""))
        }),
    }
}

/// What `prepare` settles before anything runs.
pub struct Prepared {
    pub planned: Vec<Planned>,
    pub opts: RunOptions,
    pub choice: Vec<SuiteChoice>,
}

/// Builds the plan, the selection and the options; usage and profile errors come back before
/// anything runs.
pub fn prepare(args: &RunArgs) -> Result<Prepared, PlanError> {
    let plan = plan(args.profile.as_deref(), &args.select.suites)?;
    let choice = select::choose(&plan, &args.select)?;
    let expected = match &args.expect_failures {
        Some(p) => ExpectedFailures::load(p)?,
        None => ExpectedFailures::default(),
    };
    let filter = if select::narrows(&args.select) {
        Filter::exact(&select::ids(&choice))
    } else {
        Filter::all()
    };
    if args.jobs == 0 {
        return Err(PlanError::Usage("--jobs must be at least 1".into()));
    }
    let overrides = Overrides {
        jobs: Some(args.jobs),
        timeout: duration_arg("--timeout", &args.timeout)?,
        deadline: duration_arg("--deadline", &args.deadline)?,
        strict: args.strict,
        filter: Some(filter),
        expected: Some(expected),
        handle_ctrl_c: true,
        profile: args.profile.as_ref().map(|p| p.display().to_string()),
    };
    let mut opts = session::options(plan.common.as_ref(), overrides);
    opts.deadline = opts.deadline.or(Some(DEFAULT_DEADLINE));
    let planned = plan.planned();
    Ok(Prepared {
        planned,
        opts,
        choice,
    })
}

/// Where the reports go; the paths are checked (not written) here.
fn outputs(args: &RunArgs) -> Result<Outputs, PlanError> {
    paths::outputs(&args.junit, &args.json, args.transcripts.as_deref()).map_err(PlanError::Usage)
}

/// `--dry-run` and `list --profile`: what would run, and what the profile would skip.
pub fn describe(choice: &[SuiteChoice], profile_known: bool, clock: harness::Clock) -> String {
    let mut out = String::new();
    let (mut run, mut skip) = (0, 0);
    for s in choice {
        if s.scenarios.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "{} ({}): {} of {} scenarios selected",
            s.name,
            s.title,
            s.scenarios.len(),
            s.total
        );
        for c in &s.scenarios {
            let sc = &c.scenario;
            match &c.skip {
                None => {
                    run += 1;
                    let _ = writeln!(
                        out,
                        "  run   {:<58} {:<9} {}{}",
                        sc.id,
                        sc.level.as_str(),
                        sc.requirements.join(" "),
                        super::list::duration(sc, clock)
                    );
                }
                Some(why) => {
                    skip += 1;
                    let _ = writeln!(out, "  skip  {:<58} {why}", sc.id);
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "\n{run} would run, {skip} would be skipped for an unclaimed capability{}",
        if profile_known {
            ""
        } else {
            " (without a profile, the reference peers claim everything)"
        }
    );
    out
}

/// One line per finished scenario; a suite's setup failure is told once, not per scenario.
fn progress(total: usize, color: bool) -> Progress {
    let done = AtomicUsize::new(0);
    let told: Mutex<HashSet<String>> = Mutex::new(HashSet::new());
    let width = total.to_string().len();
    Progress(Arc::new(move |r: &ScenarioResult| {
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if r.verdict.reason.starts_with(SETUP_FAILED) {
            let mut told = told.lock().unwrap_or_else(|p| p.into_inner());
            if !told.insert(r.verdict.reason.clone()) {
                return;
            }
            say!(
                "[{n:>width$}/{total}] {}",
                harness::report::sanitize::terminal(&r.verdict.reason)
            );
            return;
        }
        say!("[{n:>width$}/{total}] {}", console::progress_line(r, color));
    }))
}

/// Each suite's setup error, once, with what to do about it.
fn setup_errors(report: &RunReport) -> Vec<String> {
    report
        .suites
        .iter()
        .filter_map(|s| {
            let e = s.setup_error.as_ref()?;
            let msg = harness::report::sanitize::xml_chars(e.message());
            Some(match e {
                SetupError::Local(_) => format!(
                    "oxconf: {}: local setup problem on this machine (exit 4): {msg}",
                    s.name
                ),
                SetupError::Unreachable(_) => {
                    format!("oxconf: {}: the SUT is unreachable: {msg}", s.name)
                }
                SetupError::Other(_) => format!("oxconf: {}: setup failed: {msg}", s.name),
            })
        })
        .collect()
}

/// Runs and reports; returns the exit code.
pub fn run(args: &RunArgs) -> i32 {
    let prepared = match prepare(args) {
        Ok(p) => p,
        Err(e) => {
            complain!("oxconf: {e}");
            return exit::USAGE;
        }
    };
    if args.dry_run {
        out::stdout(&describe(
            &prepared.choice,
            args.profile.is_some(),
            prepared.opts.clock,
        ));
        return exit::OK;
    }
    let outputs = match outputs(args) {
        Ok(o) => o,
        Err(e) => {
            complain!("oxconf: {e}");
            return exit::USAGE;
        }
    };
    if let Some(html) = &args.html {
        if let Err(e) = super::report::check_html_path(html, &outputs) {
            complain!("oxconf: --html: {e}");
            return exit::USAGE;
        }
    }
    let Prepared {
        planned, mut opts, ..
    } = prepared;
    let color = args.color.enabled();
    if !args.quiet {
        let total = select::ids(&prepared.choice).len();
        opts.progress = Some(progress(total, color));
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            complain!("oxconf: cannot start the async runtime: {e}");
            return exit::FAILURES;
        }
    };
    let report = runtime.block_on(harness::run(planned, opts));
    // Reports first: whatever happens to the console (a closed pipe), they are written.
    let written = write_all(&report, &outputs, TOOL).and_then(|mut files| {
        if let Some(html) = &args.html {
            harness::report::html::write_run(&report, TOOL, html)?;
            files.push(html.clone());
        }
        Ok(files)
    });
    if !args.quiet {
        say!();
    }
    out::stdout(&console::render_with(
        &report,
        &console::ConsoleOptions {
            transcripts: outputs.transcripts.display().to_string(),
            verbose: args.verbose,
            color,
        },
    ));
    for line in setup_errors(&report) {
        complain!("{line}");
    }
    let mut code = report.exit_code();
    match written {
        Ok(_) => say!(
            "reports: {} and {}{} (transcripts in {})",
            outputs.junit.display(),
            outputs.json.display(),
            args.html
                .as_ref()
                .map(|h| format!(", HTML {}", h.display()))
                .unwrap_or_default(),
            outputs.transcripts.display()
        ),
        Err(e) => {
            complain!("oxconf: could not write the reports: {e}");
            code = code.max(exit::FAILURES);
        }
    }
    // Peers started by the suites live on this runtime; do not wait for stragglers.
    runtime.shutdown_timeout(Duration::from_millis(200));
    code
}
