//! Negative self-tests: every scenario must FAIL against its reference peer with a named fault
//! injected (its failing twin). A check that cannot fail is a defect, so this file also asserts
//! that no scenario lacks a twin, and that hostile peers (hangs, resets, garbage, huge bodies,
//! XML bombs) never crash the harness.
//!
//! One libtest test per (scenario, fault): `twin/<scenario id>/<fault>`; one per scenario that
//! passes only in a variant of the reference peer: `pass/<scenario id>/<variant>`. A scenario
//! must be shown to pass as well as to fail, and to cite only catalogued requirements that
//! bind its SUT's role.

use harness::report::transcripts::render_scenario;
use harness::runner::{Filter, Planned, RunOptions};
use harness::{CheckOutcome, FaultKind, RunReport, Suite, Twin, VerdictKind};
use libtest_mimic::{Arguments, Failed, Trial};
use std::sync::Arc;
use std::time::Duration;

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
        vec![Planned::new(suite, config).with_faults(vec![fault.clone()])],
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

/// Runs a whole suite against its reference peer, optionally in a variant.
fn reference_run(suite: &Arc<dyn Suite>, variants: Vec<String>) -> Result<RunReport, Failed> {
    let config = suite.configure(None).map_err(|e| e.to_string())?;
    Ok(runtime()?.block_on(harness::run(
        vec![Planned::new(Arc::clone(suite), config).with_faults(variants)],
        RunOptions::default(),
    )))
}

/// A scenario must also be shown to pass: against the default reference configuration, or
/// against a named variant of it (`Scenario::passes_with`). None may only ever be skipped.
fn every_scenario_passes_somewhere() -> Result<(), Failed> {
    let mut problems = Vec::new();
    for suite in suites::all() {
        let variants: Vec<&str> = suite.variants().iter().map(|v| v.name).collect();
        let report = reference_run(&suite, Vec::new())?;
        for s in suite.scenarios() {
            for v in &s.passes_with {
                if !variants.contains(&v.as_str()) {
                    problems.push(format!("{}: unknown variant `{v}`", s.id));
                }
            }
            let passed = report
                .results()
                .any(|r| r.id == s.id && matches!(r.verdict.kind, VerdictKind::Pass));
            if !passed && s.passes_with.is_empty() {
                problems.push(format!(
                    "{}: does not pass against the reference peer and names no variant it \
                     passes with",
                    s.id
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

/// The pass path of a scenario the default reference does not take.
fn passes_with(suite: Arc<dyn Suite>, id: String, variant: String) -> Result<(), Failed> {
    let report = reference_run(&suite, vec![variant.clone()])?;
    let result = report
        .results()
        .find(|r| r.id == id)
        .ok_or("scenario did not run")?;
    if result.verdict.kind != VerdictKind::Pass {
        return Err(format!(
            "in variant `{variant}` the scenario should pass, but it came out {}\n{}",
            result.verdict.kind,
            render_scenario(result)
        )
        .into());
    }
    Ok(())
}

/// Every requirement id a scenario or one of its checks cites is in the catalogue, and fits
/// the role of the suite's SUT (a client suite never cites a server-only requirement).
fn cited_requirements_exist_and_fit_the_role() -> Result<(), Failed> {
    let mut problems = Vec::new();
    for suite in suites::all() {
        let role = suite.info().role;
        let report = reference_run(&suite, Vec::new())?;
        let mut cited: Vec<(String, String)> = Vec::new();
        for s in suite.scenarios() {
            for r in &s.requirements {
                cited.push((s.id.clone(), r.clone()));
            }
        }
        for r in report.results() {
            for c in &r.evidence.checks {
                for id in &c.requirements {
                    cited.push((format!("{} (check `{}`)", r.id, c.what), id.clone()));
                }
            }
        }
        cited.sort();
        cited.dedup();
        for (who, id) in cited {
            match suite.requirement(&id) {
                None => problems.push(format!("{who}: {id} is not in the catalogue")),
                Some(info) if info.role != role && info.role != "both" => problems.push(format!(
                    "{who}: {id} binds the {}, not the {role}",
                    info.role
                )),
                Some(_) => {}
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
        vec![Planned::new(suite, config).with_faults(vec![fault.clone()])],
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
    let mut trials = vec![
        Trial::test(
            "self-test/every-scenario-has-a-twin",
            every_scenario_has_a_twin,
        ),
        Trial::test(
            "self-test/every-scenario-passes-somewhere",
            every_scenario_passes_somewhere,
        ),
        Trial::test(
            "self-test/cited-requirements-exist-and-fit-the-role",
            cited_requirements_exist_and_fit_the_role,
        ),
    ];
    for suite in suites::all() {
        for s in suite.scenarios() {
            for t in &s.caught_by {
                let (suite, id, t) = (Arc::clone(&suite), s.id.clone(), t.clone());
                trials.push(Trial::test(format!("twin/{id}/{}", t.fault), move || {
                    twin(suite, id, t)
                }));
            }
        }
        for s in suite.scenarios() {
            for v in &s.passes_with {
                let (suite, id, v) = (Arc::clone(&suite), s.id.clone(), v.clone());
                trials.push(Trial::test(format!("pass/{id}/{v}"), move || {
                    passes_with(suite, id, v)
                }));
            }
        }
        // The suite's own table says which faults make its peer hostile.
        let hostile_faults = suite
            .faults()
            .into_iter()
            .filter(|f| f.kind == FaultKind::Hostile);
        for fault in hostile_faults {
            let (suite, fault) = (Arc::clone(&suite), fault.name.to_string());
            let name = format!("hostile/{}/{fault}", suite.info().name);
            trials.push(Trial::test(name, move || hostile(suite, fault)));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
