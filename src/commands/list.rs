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
        let clock = crate::session::clock(plan.common.as_ref());
        return Ok(super::run::describe(&choice, args.profile.is_some(), clock));
    }
    let clock = crate::session::clock(plan.common.as_ref());
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
                "  {:<58} {:<9} {}{}{}",
                s.id,
                s.level.as_str(),
                s.requirements.join(" "),
                duration(&s, clock),
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

/// "  (takes 3m of protocol time: 3m)" for a scenario that lasts, with its wall-clock length
/// on the run's clock; nothing for a scenario that does not wait.
pub fn duration(s: &harness::Scenario, clock: harness::Clock) -> String {
    if s.protocol_time.is_zero() {
        return String::new();
    }
    format!(
        "  (takes {} of protocol time: {})",
        human(s.protocol_time),
        human(clock.scale(s.protocol_time))
    )
}

/// "90s", "3m", "1m30s", "250ms".
pub fn human(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let secs = d.as_secs();
    let (m, s) = (secs / 60, secs % 60);
    match (m, s) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use harness::{Clock, Scenario};
    use std::time::Duration;

    #[test]
    fn a_lasting_scenario_shows_protocol_and_wall_time() {
        let s = Scenario::new("x/y").takes(Duration::from_secs(180));
        assert_eq!(
            duration(&s, Clock::default()),
            "  (takes 3m of protocol time: 3m)"
        );
        assert_eq!(
            duration(&s, Clock::with_minute(Duration::from_secs(1))),
            "  (takes 3m of protocol time: 3s)"
        );
        assert_eq!(duration(&Scenario::new("x/z"), Clock::default()), "");
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(human(Duration::from_millis(250)), "250ms");
        assert_eq!(human(Duration::from_secs(90)), "1m30s");
        assert_eq!(human(Duration::from_secs(45)), "45s");
    }
}
