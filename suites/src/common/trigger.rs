//! Firing a trigger (the user's adapter that makes the SUT act, or a reference peer playing
//! the same contract): run it, put the run in the transcript, and tell a broken adapter from
//! a SUT that misbehaved. An adapter that did not do its job leaves nothing to judge, so the
//! scenario is inconclusive rather than failed.

use harness::trigger::{Trigger, TriggerRun};
use harness::{Cx, Stop};
use std::fmt;

/// Runs `trigger` with `vars` and records the run (command, status, output) under `title`.
pub async fn fire(cx: &Cx, trigger: &Trigger, title: &str, vars: &[(&str, String)]) -> TriggerRun {
    let run = trigger.fire(vars).await;
    cx.local("trigger", title, &run.render());
    run
}

/// Why a run did not succeed: the reason and the first line the adapter wrote to stderr
/// (usually the one that says what went wrong).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub reason: String,
    /// Empty when the adapter wrote nothing.
    pub first_error_line: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason, self.first_error_line)
    }
}

/// How the run failed; `None` when it succeeded.
pub fn failure(run: &TriggerRun) -> Option<Failure> {
    let reason = run.failure_reason()?;
    let first_error_line = run
        .stderr
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .to_string();
    Some(Failure {
        reason,
        first_error_line,
    })
}

/// A run that never did its job (it could not start, or timed out) is a broken adapter,
/// whatever the SUT did: inconclusive. A run that ran and exited non-zero passes here; what
/// it reported may still be judged.
pub fn ran(run: &TriggerRun) -> Result<(), Stop> {
    if run.spawn_error.is_some() || run.timed_out {
        return Err(Stop::inconclusive(
            run.failure_reason()
                .unwrap_or_else(|| "the trigger did not run".into()),
        ));
    }
    Ok(())
}

/// A run that failed in any way leaves the scenario without the situation it needs:
/// inconclusive, saying what could not be done (`what`) and why.
pub fn succeeded(run: &TriggerRun, what: &str) -> Result<(), Stop> {
    match run.failure_reason() {
        Some(why) => Err(Stop::inconclusive(format!("{what}: {why}"))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn run(status: Option<i32>, stderr: &str) -> TriggerRun {
        TriggerRun {
            command: "adapter".into(),
            status,
            stderr: stderr.into(),
            elapsed: Duration::from_millis(10),
            ..TriggerRun::default()
        }
    }

    #[test]
    fn a_successful_run_has_no_failure() {
        let ok = run(Some(0), "chatter\n");
        assert_eq!(failure(&ok), None);
        assert_eq!(ran(&ok), Ok(()));
        assert_eq!(succeeded(&ok, "nothing"), Ok(()));
    }

    #[test]
    fn a_failed_run_names_its_first_error_line() {
        let bad = run(Some(2), "\n  \nno such phone\nsecond\n");
        let f = failure(&bad).expect("failed");
        assert_eq!(f.first_error_line, "no such phone");
        assert_eq!(f.to_string(), "trigger exited with status 2: no such phone");
        assert_eq!(ran(&bad), Ok(()));
        assert_eq!(
            succeeded(&bad, "the service could not be changed"),
            Err(Stop::inconclusive(
                "the service could not be changed: trigger exited with status 2"
            ))
        );
    }

    #[test]
    fn an_adapter_that_never_ran_is_inconclusive() {
        let mut hung = run(None, "");
        hung.timed_out = true;
        assert!(matches!(ran(&hung), Err(Stop::Inconclusive(m)) if m.contains("timed out")));
        let mut missing = run(None, "");
        missing.spawn_error = Some("not found".into());
        assert!(matches!(ran(&missing), Err(Stop::Inconclusive(m)) if m.contains("not found")));
    }
}
