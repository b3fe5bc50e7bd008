//! `oxconf list`: scenarios with their requirement ids, from data only.

use crate::cli::ListArgs;
use crate::plan::select_suites;
use std::fmt::Write as _;

pub fn run(args: &ListArgs) -> Result<String, crate::plan::PlanError> {
    let mut out = String::new();
    for suite in select_suites(&args.suites)? {
        let info = suite.info();
        let scenarios = suite.scenarios();
        let _ = writeln!(
            out,
            "{} ({} {}, SUT role {}): {} scenarios",
            info.name,
            info.spec,
            info.title,
            info.role,
            scenarios.len()
        );
        for s in scenarios {
            let needs: Vec<&str> = s.needs.iter().map(|c| c.name).collect();
            let _ = writeln!(
                out,
                "  {:<58} {:<9} {}{}",
                s.id,
                s.level.as_str(),
                s.requirements.join(" "),
                if needs.is_empty() {
                    String::new()
                } else {
                    format!("  (needs {})", needs.join(", "))
                }
            );
        }
    }
    Ok(out)
}
