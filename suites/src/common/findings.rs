//! Turning what `wire`'s validators found into checks, weighted by the catalogue's level for
//! the requirement each finding comes from, so a suite never decides a finding's weight by
//! hand and every document a scenario reads shows up in its evidence as validated.

use super::catalogue::{level_of, section_of};
use harness::{Check, CheckOutcome, Cx, Level, Stop};
use wire::{Finding, Severity};

/// Records every finding as a check. Violations fail at MUST/STRUCTURE, warn at SHOULD;
/// deviations and advice warn. With no finding at all, one passing check says so, so the
/// evidence shows the document was validated. Returns `Err(Stop::Failed)` after recording when
/// a binding rule was broken, so `?` ends the scenario with every finding on record.
pub fn record_findings(
    cx: &Cx,
    what: &str,
    findings: &[Finding],
    default_requirements: &[&str],
) -> Result<(), Stop> {
    if findings.is_empty() {
        let reqs: Vec<String> = default_requirements.iter().map(|s| s.to_string()).collect();
        let section = reqs.first().map(|r| section_of(r)).unwrap_or_default();
        let mut checks = cx.checks();
        if !reqs.is_empty() {
            checks = checks.cite(reqs).section(section);
        }
        checks.check(
            what,
            true,
            "no schema or structure findings",
            "conforms: no findings",
        );
        return Ok(());
    }
    let mut binding_failure = false;
    for f in findings {
        let reqs: Vec<String> = match f.requirement {
            Some(r) => vec![r.to_string()],
            None => default_requirements.iter().map(|s| s.to_string()).collect(),
        };
        let level = match f.severity {
            Severity::Violation => reqs.first().map(|r| level_of(r)).unwrap_or(Level::Must),
            Severity::Advice | Severity::Deviation { .. } => Level::Should,
        };
        let outcome = match f.severity {
            Severity::Violation => Check::failed_outcome(level),
            Severity::Advice | Severity::Deviation { .. } => CheckOutcome::Warn,
        };
        if outcome == CheckOutcome::Fail {
            binding_failure = true;
        }
        let note = match f.severity {
            Severity::Deviation { erratum } => Some(format!("tolerated per erratum {erratum}")),
            _ => None,
        };
        cx.record(Check {
            what: format!("{what} [{}]", f.rule),
            section: reqs.first().map(|r| section_of(r)).unwrap_or_default(),
            requirements: reqs,
            level,
            outcome,
            expected: format!("conforms at {}", f.path),
            actual: f.message.clone(),
            note,
        });
    }
    if binding_failure {
        Err(Stop::Failed)
    } else {
        Ok(())
    }
}

/// Records only the findings citing one of `reqs` (a clean pass check when there are none),
/// for scenarios about one aspect of a document whose other rules belong to other scenarios.
pub fn record_findings_for(
    cx: &Cx,
    what: &str,
    findings: &[Finding],
    reqs: &[&str],
) -> Result<(), Stop> {
    let relevant: Vec<Finding> = findings
        .iter()
        .filter(|f| f.requirement.is_some_and(|r| reqs.contains(&r)))
        .cloned()
        .collect();
    record_findings(cx, what, &relevant, reqs)
}

/// One check per requirement of `reqs` over the findings a parser reported under it, at the
/// catalogue's level for that requirement, so the evidence shows each rule as verified even
/// when nothing was found. Violations fail the check; tolerated deviations and advice are
/// recorded as warnings. Findings under other requirements, or under none, are left to the
/// scenarios that own them.
/// Returns `Err(Stop::Failed)` after recording everything when a binding check failed.
pub fn judge_by_requirement(
    cx: &Cx,
    what: &str,
    findings: &[Finding],
    reqs: &[&str],
) -> Result<(), Stop> {
    let mut binding_failure = false;
    for req in reqs {
        let mine: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.requirement == Some(*req))
            .collect();
        let checks = cx.cite([*req]);
        let violations: Vec<String> = mine
            .iter()
            .filter(|f| f.is_violation())
            .map(|f| f.to_string())
            .collect();
        let level = level_of(req);
        let held = checks.clone().level(level).check(
            &format!("{what} follows the {req} rules"),
            violations.is_empty(),
            "no violation",
            if violations.is_empty() {
                "none".to_string()
            } else {
                violations.join("; ")
            },
        );
        binding_failure |= !held && level.is_binding();
        for f in mine.iter().filter(|f| !f.is_violation()) {
            let title = format!("{what} [{}]", f.rule);
            let expected = format!("conforms at {}", f.path);
            match f.severity {
                Severity::Deviation { erratum } => {
                    checks.deviation(&title, erratum, &expected, &f.message)
                }
                Severity::Advice | Severity::Violation => {
                    checks
                        .clone()
                        .level(Level::Should)
                        .check(&title, false, &expected, &f.message);
                }
            }
        }
    }
    if binding_failure {
        Err(Stop::Failed)
    } else {
        Ok(())
    }
}
