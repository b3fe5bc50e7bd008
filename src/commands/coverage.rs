//! `oxconf coverage`: the requirement catalogue against the scenarios.

use crate::cli::{CoverageArgs, Format};
use crate::plan::{select_suites, PlanError};
use harness::coverage::{coverage, SuiteCoverage};
use std::fmt::Write as _;

pub fn compute(names: &[String]) -> Result<Vec<SuiteCoverage>, PlanError> {
    let catalog = suites::catalog();
    Ok(select_suites(names)?
        .iter()
        .map(|s| coverage(&catalog, &s.info(), &s.scenarios()))
        .collect())
}

pub fn run(args: &CoverageArgs) -> Result<String, PlanError> {
    let reports = compute(&args.suites)?;
    if args.format == Format::Json {
        return serde_json::to_string_pretty(&reports)
            .map(|s| s + "\n")
            .map_err(|e| PlanError::Usage(format!("cannot render coverage: {e}")));
    }
    let mut out = String::new();
    for c in &reports {
        let _ = writeln!(
            out,
            "{} ({}, role {} and both): {} of {} requirements covered by {} scenarios",
            c.suite, c.spec, c.role, c.covered, c.total, c.scenarios
        );
        let _ = writeln!(out, "  by level:");
        for (level, t) in &c.by_level {
            let _ = writeln!(out, "    {:<11} {:>3} / {:<3}", level, t.covered, t.total);
        }
        let _ = writeln!(out, "  by testability:");
        for (kind, t) in &c.by_testability {
            let _ = writeln!(out, "    {:<13} {:>3} / {:<3}", kind, t.covered, t.total);
        }
        if !c.uncovered.is_empty() {
            let _ = writeln!(out, "  not covered:");
            for u in &c.uncovered {
                let _ = writeln!(
                    out,
                    "    {:<9} {:<10} {:<13} {}",
                    u.id,
                    u.level,
                    u.testability,
                    u.reason.as_deref().unwrap_or("(no reason recorded)")
                );
            }
        }
        if !c.unknown_ids.is_empty() {
            let _ = writeln!(
                out,
                "  cited but not in the catalogue: {}",
                c.unknown_ids.join(", ")
            );
        }
        out.push('\n');
    }
    Ok(out)
}
