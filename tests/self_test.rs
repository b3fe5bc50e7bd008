//! Negative self-tests: every scenario must FAIL against its reference peer with a named fault
//! injected (its failing twin). A check that cannot fail is a defect, so this file also asserts
//! that no scenario lacks a twin, and that hostile peers (hangs, resets, garbage, huge bodies,
//! XML bombs) never crash the harness.
//!
//! One libtest test per (scenario, fault): `twin/<scenario id>/<fault>`.

use harness::report::transcripts::render_scenario;
use harness::runner::{Filter, Planned, RunOptions};
use harness::{CheckOutcome, Suite, Twin, VerdictKind};
use libtest_mimic::{Arguments, Failed, Trial};
use std::sync::Arc;
use std::time::Duration;

/// Faults of the reference peers that make a peer hostile rather than wrong.
const HOSTILE: &[&str] = &["hang", "reset", "garbage", "huge-body", "xml-bomb"];

fn runtime() -> Result<tokio::runtime::Runtime, Failed> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failed::from(format!("runtime: {e}")))
}

fn twin(suite: Arc<dyn Suite>, id: String, twin: Twin) -> Result<(), Failed> {
    let fault = twin.fault.clone();
    let config = suite.configure(None).map_err(|e| e.to_string())?;
    let scenario = suite
        .scenarios()
        .into_iter()
        .find(|s| s.id == id)
        .ok_or("scenario vanished")?;
    let opts = RunOptions {
        filter: Filter::exact(std::slice::from_ref(&id)),
        // A SHOULD-level scenario's twin shows up as a warning; strict makes it count.
        strict: true,
        ..RunOptions::default()
    };
    let report = runtime()?.block_on(harness::run(
        vec![Planned {
            suite,
            config,
            faults: vec![fault.clone()],
        }],
        opts,
    ));
    let result = report
        .results()
        .find(|r| r.id == id)
        .ok_or("scenario did not run")?;
    if result.verdict.kind != VerdictKind::Fail {
        return Err(format!(
            "with fault `{fault}` the scenario should fail, but it came out {}\n{}",
            result.verdict.kind,
            render_scenario(result)
        )
        .into());
    }
    // The fault must be caught for the right reason: a *failing* check citing a requirement
    // the fault breaks, not merely any check mentioning one. The run is strict, so a broken
    // SHOULD (a warning that is not an erratum's tolerance) counts as failing.
    let breaks = twin.required(&scenario);
    let caught = result
        .evidence
        .checks
        .iter()
        .filter(|c| match c.outcome {
            CheckOutcome::Fail => true,
            CheckOutcome::Warn => c.note.as_deref().is_none_or(|n| !n.contains("erratum")),
            _ => false,
        })
        .any(|c| c.requirements.iter().any(|r| breaks.contains(r)));
    if !caught {
        return Err(format!(
            "with fault `{fault}` no failing check cites {breaks:?}\n{}",
            render_scenario(result)
        )
        .into());
    }
    Ok(())
}

fn every_scenario_has_a_twin() -> Result<(), Failed> {
    let mut problems = Vec::new();
    for suite in suites::all() {
        let faults: Vec<&str> = suite.faults().iter().map(|f| f.name).collect();
        for s in suite.scenarios() {
            if s.caught_by.is_empty() {
                problems.push(format!("{}: no failing twin", s.id));
            }
            for t in &s.caught_by {
                if !faults.contains(&t.fault.as_str()) {
                    problems.push(format!("{}: unknown fault `{}`", s.id, t.fault));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

fn hostile(suite: Arc<dyn Suite>, fault: String) -> Result<(), Failed> {
    let config = suite.configure(None).map_err(|e| e.to_string())?;
    let opts = RunOptions {
        jobs: 64,
        timeout: Duration::from_secs(3),
        deadline: Some(Duration::from_secs(60)),
        ..RunOptions::default()
    };
    let report = runtime()?.block_on(harness::run(
        vec![Planned {
            suite,
            config,
            faults: vec![fault.clone()],
        }],
        opts,
    ));
    let mut problems = Vec::new();
    for r in report.results() {
        // Fail, inconclusive or skip are all fine; an error means the harness itself broke.
        if r.verdict.kind == VerdictKind::Error {
            problems.push(format!("{}: harness error: {}", r.id, r.verdict.reason));
        }
    }
    if report.results().count() == 0 {
        problems.push("no scenario ran".into());
    }
    harness::report::junit::render(&report, "transcripts").map_err(|e| e.to_string())?;
    if report.interrupted.is_some() {
        problems.push("the run hit its deadline".into());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = vec![Trial::test(
        "self-test/every-scenario-has-a-twin",
        every_scenario_has_a_twin,
    )];
    for suite in suites::all() {
        let faults: Vec<String> = suite.faults().iter().map(|f| f.name.to_string()).collect();
        for s in suite.scenarios() {
            for t in &s.caught_by {
                let (suite, id, t) = (Arc::clone(&suite), s.id.clone(), t.clone());
                trials.push(Trial::test(format!("twin/{id}/{}", t.fault), move || {
                    twin(suite, id, t)
                }));
            }
        }
        for fault in HOSTILE.iter().filter(|f| faults.iter().any(|x| x == *f)) {
            let (suite, fault) = (Arc::clone(&suite), fault.to_string());
            let name = format!("hostile/{}/{fault}", suite.info().name);
            trials.push(Trial::test(name, move || hostile(suite, fault)));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
