//! Long-running triggers: a SUT that stays up for the whole scenario (a client that logs on,
//! waits for notifications and prints one line per notification). The suite watches its stdout
//! lines as they arrive, and at the end of the scenario sends SIGTERM to the process group;
//! nothing the SUT does after that is judged. A process still alive after the grace period is
//! killed with SIGKILL, so a client that ignores SIGTERM cannot hang the run.

use super::{kill_group, read_capped, signal_group, split_stdout, TriggerCommand, TriggerRun};
use futures::future::BoxFuture;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncBufReadExt as _;
use tokio::io::AsyncReadExt as _;
use tokio::sync::Notify;

/// How long a SUT has to exit after SIGTERM before its group is killed.
pub const GRACE: Duration = Duration::from_secs(2);
/// The most stdout lines kept from one run (the rest are dropped).
const MAX_LINES: usize = 10_000;
/// Lines longer than this are cut: a runaway SUT must not exhaust memory.
const MAX_LINE: u64 = 1024 * 1024;

/// The stdout lines a running trigger has printed so far, with their arrival times.
#[derive(Debug)]
pub struct LiveLines {
    lines: Mutex<Vec<(Duration, String)>>,
    changed: Notify,
    started: Instant,
}

impl LiveLines {
    /// No lines yet; arrival times count from now.
    pub fn new() -> Arc<LiveLines> {
        Arc::new(LiveLines {
            lines: Mutex::new(Vec::new()),
            changed: Notify::new(),
            started: Instant::now(),
        })
    }

    /// Adds one line (trimmed; empty lines are dropped). In-process peers print through this.
    pub fn push(&self, line: &str) {
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        let at = self.started.elapsed();
        if let Ok(mut lines) = self.lines.lock() {
            if lines.len() < MAX_LINES {
                lines.push((at, line.to_string()));
            }
        }
        self.changed.notify_waiters();
    }

    /// Every line so far, in order, with the time since the start it arrived at.
    pub fn snapshot(&self) -> Vec<(Duration, String)> {
        self.lines.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Waits until `done` holds for the lines printed so far, or `timeout` passes; returns
    /// whether it held.
    pub async fn wait_until(
        &self,
        timeout: Duration,
        done: impl Fn(&[(Duration, String)]) -> bool,
    ) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if done(&self.snapshot()) {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return done(&self.snapshot());
            }
        }
    }
}

type Finish = Box<dyn FnOnce() -> BoxFuture<'static, TriggerRun> + Send>;

/// A trigger that is running; `stop` ends it and gives what it printed, as a `TriggerRun`.
pub struct Running {
    /// What the trigger has printed so far.
    pub lines: Arc<LiveLines>,
    // In a mutex so that a `Running` can be shared across awaits (`Sync`).
    finish: Mutex<Option<Finish>>,
}

impl std::fmt::Debug for Running {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Running").finish_non_exhaustive()
    }
}

impl Running {
    /// A running peer in process: `finish` stops it and resolves to its run.
    pub fn in_process(
        lines: Arc<LiveLines>,
        finish: impl FnOnce() -> BoxFuture<'static, TriggerRun> + Send + 'static,
    ) -> Running {
        Running {
            lines,
            finish: Mutex::new(Some(Box::new(finish))),
        }
    }

    /// Ends the run (SIGTERM to the process group, SIGKILL after the grace period) and returns
    /// what it printed: `json`, `other_stdout` and `lines` hold the whole stdout.
    pub async fn stop(self) -> TriggerRun {
        let finish = self.finish.lock().ok().and_then(|mut f| f.take());
        match finish {
            Some(f) => f().await,
            None => TriggerRun::default(),
        }
    }
}

impl TriggerCommand {
    /// Starts the command in its own process group and returns at once; stdout lines arrive in
    /// `Running::lines` as they are printed. The command's timeout still bounds the run: after
    /// it the group is killed even if nobody calls `stop`.
    pub fn spawn(&self, vars: &[(&str, String)]) -> Running {
        let command = self.render(vars);
        let lines = LiveLines::new();
        let started = Instant::now();
        let mut cmd = tokio::process::Command::new("sh");
        cmd.arg("-c")
            .arg(&command)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(d) = self.dir() {
            cmd.current_dir(d);
        }
        #[cfg(unix)]
        cmd.process_group(0);
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                let run = TriggerRun {
                    command,
                    spawn_error: Some(e.to_string()),
                    elapsed: started.elapsed(),
                    ..TriggerRun::default()
                };
                return Running::in_process(lines, move || Box::pin(async move { run }));
            }
        };
        let pid = child.id();
        let out_lines = Arc::clone(&lines);
        let stdout = child.stdout.take();
        let out_task = tokio::spawn(async move {
            let Some(stdout) = stdout else {
                return;
            };
            let mut reader = tokio::io::BufReader::new(stdout);
            let mut line = Vec::new();
            loop {
                line.clear();
                match (&mut reader)
                    .take(MAX_LINE)
                    .read_until(b'\n', &mut line)
                    .await
                {
                    Ok(0) | Err(_) => break,
                    Ok(_) => out_lines.push(&String::from_utf8_lossy(&line)),
                }
            }
        });
        let err_task = tokio::spawn(read_capped(child.stderr.take()));
        let timeout = self.timeout();
        // The watchdog owns the child: it waits for an exit, the stop signal or the timeout.
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let watchdog = tokio::spawn(async move {
            let mut timed_out = false;
            let status = tokio::select! {
                s = child.wait() => s.ok().and_then(|s| s.code()),
                _ = stop_rx => {
                    signal_group(pid, false);
                    match tokio::time::timeout(GRACE, child.wait()).await {
                        Ok(s) => {
                            // The leader is gone; stragglers of its group (a client the shell
                            // did not exec) die with it. While they live the group id cannot
                            // be reused, and the leader was reaped only just now.
                            signal_group(pid, true);
                            s.ok().and_then(|s| s.code())
                        }
                        Err(_) => {
                            kill_group(pid);
                            let _ = child.wait().await;
                            None
                        }
                    }
                }
                _ = tokio::time::sleep(timeout) => {
                    timed_out = true;
                    kill_group(pid);
                    let _ = child.wait().await;
                    None
                }
            };
            (status, timed_out)
        });
        let for_finish = Arc::clone(&lines);
        Running::in_process(lines, move || {
            Box::pin(async move {
                let _ = stop_tx.send(());
                // The watchdog has reaped the child: its group is not signalled again, since
                // the id could be reused by now.
                let (status, timed_out) = watchdog.await.unwrap_or((None, false));
                let _ = tokio::time::timeout(Duration::from_secs(2), out_task).await;
                let err = tokio::time::timeout(Duration::from_secs(2), err_task)
                    .await
                    .ok()
                    .and_then(Result::ok)
                    .unwrap_or_default();
                let mut run = TriggerRun {
                    command,
                    status,
                    timed_out,
                    stderr: String::from_utf8_lossy(&err).into_owned(),
                    elapsed: started.elapsed(),
                    ..TriggerRun::default()
                };
                let text: Vec<String> = for_finish.snapshot().into_iter().map(|(_, l)| l).collect();
                split_stdout(&text.join("\n"), &mut run);
                run
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(t: &str) -> TriggerCommand {
        TriggerCommand::parse(t, &["x"], Duration::from_secs(20)).expect("a valid template")
    }

    #[tokio::test]
    async fn lines_arrive_while_the_command_runs_and_stop_terminates_it() {
        let running = cmd("echo '{\"n\":1}'; echo {x}; sleep 30").spawn(&[("x", "two".into())]);
        let seen = running
            .lines
            .wait_until(Duration::from_secs(10), |l| l.len() == 2)
            .await;
        assert!(seen, "{:?}", running.lines.snapshot());
        let started = Instant::now();
        let run = running.stop().await;
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(run.json.len(), 1);
        assert_eq!(run.other_stdout, vec!["two".to_string()]);
        assert!(!run.timed_out);
    }

    #[tokio::test]
    async fn a_command_ignoring_sigterm_is_killed_after_the_grace_period() {
        let running = cmd("trap '' TERM; echo up; while :; do sleep 1; done").spawn(&[]);
        assert!(
            running
                .lines
                .wait_until(Duration::from_secs(10), |l| !l.is_empty())
                .await
        );
        let started = Instant::now();
        let run = running.stop().await;
        assert!(started.elapsed() < GRACE + Duration::from_secs(3));
        assert_eq!(run.status, None);
    }

    #[tokio::test]
    async fn a_command_that_cannot_start_reports_why() {
        let c = cmd("true").in_dir("/nonexistent-oxconf-dir");
        let run = c.spawn(&[]).stop().await;
        assert!(run.spawn_error.is_some());
    }
}
