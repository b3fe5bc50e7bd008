//! `oxconf list`: scenarios with their requirement ids, from data only. With `--profile`, or
//! with a selection, it shows what a run would take and what the profile would skip.

use crate::cli::ListArgs;
use crate::plan::{plan, PlanError};
use crate::select;
use std::fmt::Write as _;

pub fn run(args: &ListArgs) -> Result<String, PlanError> {
    let plan = plan(args.profile.as_deref(), &args.select.suites)?;
    if args.profile.is_some() || select::narrows(&args.select) {
        let choice = select::choose(&plan, &args.select)?;
        return Ok(super::run::describe(&choice, args.profile.is_some()));
    }
    let mut out = String::new();
    for c in &plan.suites {
        let info = c.suite.info();
        let scenarios = c.suite.scenarios();
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
