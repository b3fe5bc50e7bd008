//! Trigger commands: the one mechanism by which the harness makes a SUT act out of protocol
//! (send a message, emit a reply, raise an event).
//!
//! A trigger is a shell command template with `{placeholder}`s. Values are shell-quoted when
//! substituted, the command runs under a timeout in its own process group, and it reports back
//! with one JSON object per stdout line. Its stderr is kept for the transcript.
//!
//! Placeholders: a template may use any of the placeholders its suite allows, and no others
//! (`parse` rejects an unknown one). A value the suite supplies for a placeholder the template
//! does not use is simply not substituted (the command never sees it); a placeholder the
//! template uses but the suite supplies no value for becomes an empty string (`''`).
//!
//! Working directory: a trigger runs in the directory set with `TriggerCommand::in_dir` (the
//! suites set the profile's directory, so relative paths in a trigger resolve as relative paths
//! in the profile do); without one, in the caller's current directory.
//!
//! The command line recorded in a transcript goes through the scenario's redactor, so a
//! password substituted into it (shell-quoted) is masked like any other secret.
//! Reference peers use the same contract in-process, so both paths are judged alike.

pub mod running;

pub use running::{LiveLines, Running};

use futures::future::BoxFuture;
use serde_json::Value;
use std::fmt::Write as _;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;

/// Output beyond this is dropped: a runaway trigger must not exhaust memory.
const MAX_OUTPUT: usize = 1024 * 1024;

/// What one trigger invocation produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TriggerRun {
    /// The command as run (or the in-process peer's name), after substitution.
    pub command: String,
    /// Exit status; `None` when killed or never started.
    pub status: Option<i32>,
    /// The command outlived its timeout; its process group was killed.
    pub timed_out: bool,
    /// Set when the command could not be started at all.
    pub spawn_error: Option<String>,
    /// One entry per stdout line that parsed as JSON.
    pub json: Vec<Value>,
    /// Stdout lines that were not JSON, kept for the reader.
    pub other_stdout: Vec<String>,
    /// Every non-empty stdout line, trimmed, in order: for contracts where a line's position
    /// means something (a decoder's `--lines` mode answers line for line).
    pub lines: Vec<String>,
    /// Everything the command wrote to stderr (capped at 1 MiB), for the transcript.
    pub stderr: String,
    /// Wall-clock time from spawn to exit (or to the kill).
    pub elapsed: Duration,
}

impl TriggerRun {
    /// True when the command started, finished in time and exited 0.
    pub fn succeeded(&self) -> bool {
        self.spawn_error.is_none() && !self.timed_out && self.status == Some(0)
    }

    /// Why the run did not succeed, in one line.
    pub fn failure_reason(&self) -> Option<String> {
        if let Some(e) = &self.spawn_error {
            return Some(format!("trigger could not start: {e}"));
        }
        if self.timed_out {
            return Some(format!(
                "trigger timed out after {:.1}s",
                self.elapsed.as_secs_f64()
            ));
        }
        match self.status {
            Some(0) => None,
            Some(code) => Some(format!("trigger exited with status {code}")),
            None => Some("trigger was killed by a signal".into()),
        }
    }

    /// The transcript rendering: command, status, JSON lines, other output, stderr.
    pub fn render(&self) -> String {
        let mut out = format!("$ {}\n", self.command);
        let status = match (&self.spawn_error, self.timed_out, self.status) {
            (Some(e), _, _) => format!("not started: {e}"),
            (None, true, _) => "timed out (process group killed)".to_string(),
            (None, false, Some(c)) => format!("exit {c}"),
            (None, false, None) => "killed by signal".to_string(),
        };
        let _ = writeln!(
            out,
            "status: {status} after {:.3}s",
            self.elapsed.as_secs_f64()
        );
        for v in &self.json {
            let _ = writeln!(out, "stdout json: {v}");
        }
        for l in &self.other_stdout {
            let _ = writeln!(out, "stdout: {l}");
        }
        for l in self.stderr.lines() {
            let _ = writeln!(out, "stderr: {l}");
        }
        out
    }
}

/// A trigger command template from a profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriggerCommand {
    template: String,
    timeout: Duration,
    dir: Option<std::path::PathBuf>,
}

impl TriggerCommand {
    /// Checks that the template only uses `allowed` placeholders.
    pub fn parse(template: &str, allowed: &[&str], timeout: Duration) -> Result<Self, String> {
        if template.trim().is_empty() {
            return Err("the command is empty".into());
        }
        for name in placeholders(template) {
            if !allowed.contains(&name.as_str()) {
                return Err(format!(
                    "unknown placeholder {{{name}}}; allowed: {}",
                    allowed
                        .iter()
                        .map(|a| format!("{{{a}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        Ok(TriggerCommand {
            template: template.to_string(),
            timeout,
            dir: None,
        })
    }

    /// Runs the command in `dir` (the profile's directory).
    pub fn in_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.dir = Some(dir.into());
        self
    }

    /// The working directory set with `in_dir`, if any.
    pub fn dir(&self) -> Option<&std::path::Path> {
        self.dir.as_deref()
    }

    /// The template as the profile wrote it, before substitution.
    pub fn template(&self) -> &str {
        &self.template
    }

    /// How long a run may last before its process group is killed.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Substitutes shell-quoted values; placeholders without a value become empty strings.
    pub fn render(&self, vars: &[(&str, String)]) -> String {
        let mut out = String::with_capacity(self.template.len());
        let mut rest = self.template.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) if is_placeholder_name(&after[..close]) => {
                    out.push_str(&rest[..open]);
                    let name = &after[..close];
                    let value = vars
                        .iter()
                        .find(|(k, _)| *k == name)
                        .map(|(_, v)| v.as_str())
                        .unwrap_or("");
                    out.push_str(&shell_quote(value));
                    rest = &after[close + 1..];
                }
                _ => {
                    out.push_str(&rest[..=open]);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Renders the command with `vars` and runs it with `sh -c` in its own process group, under
    /// the timeout. Never fails: problems are in the `TriggerRun`, which the caller records.
    pub async fn run(&self, vars: &[(&str, String)]) -> TriggerRun {
        let command = self.render(vars);
        run_shell(&command, self.timeout, self.dir.as_deref(), None).await
    }

    /// Like `run`, writing `input` to the command's stdin and then closing it (a decoder
    /// under test reads its buffers there). A command that does not read its input, or exits
    /// early, is not an error here: what it printed is judged.
    pub async fn run_with_input(&self, vars: &[(&str, String)], input: Vec<u8>) -> TriggerRun {
        let command = self.render(vars);
        run_shell(&command, self.timeout, self.dir.as_deref(), Some(input)).await
    }
}

fn is_placeholder_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

fn placeholders(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_placeholder_name(&after[..close]) => {
                names.push(after[..close].to_string());
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    names
}

/// POSIX single-quote quoting: safe for any byte string the SUT could be given.
pub fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

async fn run_shell(
    command: &str,
    timeout: Duration,
    dir: Option<&std::path::Path>,
    input: Option<Vec<u8>>,
) -> TriggerRun {
    let started = Instant::now();
    let mut cmd = tokio::process::Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    #[cfg(unix)]
    cmd.process_group(0);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return TriggerRun {
                command: command.to_string(),
                spawn_error: Some(e.to_string()),
                elapsed: started.elapsed(),
                ..TriggerRun::default()
            }
        }
    };
    let pid = child.id();
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        // Written from its own task so a command that prints before it reads cannot deadlock
        // against a full pipe; dropping the handle closes stdin.
        tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            let _ = stdin.write_all(&input).await;
            let _ = stdin.shutdown().await;
        });
    }
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let out_task = tokio::spawn(read_capped(stdout));
    let err_task = tokio::spawn(read_capped(stderr));
    let (status, timed_out) = match tokio::time::timeout(timeout, child.wait()).await {
        Ok(Ok(s)) => (s.code(), false),
        Ok(Err(_)) => (None, false),
        Err(_) => {
            kill_group(pid);
            let _ = child.wait().await;
            (None, true)
        }
    };
    // The pipes close when the group dies; a grandchild that escaped the group is cut off here.
    let out = tokio::time::timeout(Duration::from_secs(2), out_task)
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    let err = tokio::time::timeout(Duration::from_secs(2), err_task)
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    let mut run = TriggerRun {
        command: command.to_string(),
        status,
        timed_out,
        stderr: String::from_utf8_lossy(&err).into_owned(),
        elapsed: started.elapsed(),
        ..TriggerRun::default()
    };
    split_stdout(&String::from_utf8_lossy(&out), &mut run);
    run
}

/// Sorts stdout lines into JSON objects and other text.
pub fn split_stdout(stdout: &str, run: &mut TriggerRun) {
    for line in stdout.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        run.lines.push(trimmed.to_string());
        match serde_json::from_str::<Value>(trimmed) {
            Ok(v) if v.is_object() => run.json.push(v),
            _ => run.other_stdout.push(line.to_string()),
        }
    }
}

async fn read_capped<R: tokio::io::AsyncRead + Unpin>(reader: Option<R>) -> Vec<u8> {
    let Some(mut reader) = reader else {
        return Vec::new();
    };
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match reader.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if buf.len() < MAX_OUTPUT {
                    let room = MAX_OUTPUT - buf.len();
                    buf.extend_from_slice(&chunk[..n.min(room)]);
                }
            }
        }
    }
    buf
}

/// Kills the whole process group the trigger was started in (`process_group(0)` makes the
/// child's pid its group id), so a shell's background children die with it.
/// (std and tokio only kill the child itself, never its group; rustix wraps kill(2) safely.)
fn kill_group(pid: Option<u32>) {
    signal_group(pid, true);
}

/// Sends SIGKILL (`kill`) or SIGTERM to the trigger's process group. Callers do so only
/// before they reap the child: its group id cannot have been recycled then; `Pid` is never 0,
/// and a pid of 1 is refused, so this never signals our own group or every process.
fn signal_group(pid: Option<u32>, kill: bool) {
    #[cfg(unix)]
    if let Some(pgid) = pid
        .and_then(|p| i32::try_from(p).ok())
        .filter(|&p| p > 1)
        .and_then(rustix::process::Pid::from_raw)
    {
        let signal = if kill {
            rustix::process::Signal::KILL
        } else {
            rustix::process::Signal::TERM
        };
        let _ = rustix::process::kill_process_group(pgid, signal);
    }
    #[cfg(not(unix))]
    let _ = (pid, kill);
}

/// A peer that plays the trigger contract inside the harness process.
pub type InProcessTrigger =
    Arc<dyn Fn(Vec<(String, String)>) -> BoxFuture<'static, TriggerRun> + Send + Sync>;

/// Either a user's command or a built-in reference peer.
#[derive(Clone)]
pub enum Trigger {
    /// A shell command from the profile, for a real SUT.
    Command(TriggerCommand),
    /// A reference peer that acts in-process under the same contract (placeholder values in,
    /// a `TriggerRun` out), so both paths are judged alike.
    InProcess {
        /// The peer's name ("reference peer: emit phone reply"), as `Debug` shows it; the
        /// `TriggerRun` it returns names the command itself.
        name: String,
        /// Plays the trigger: gets the placeholder values, returns what a command would.
        run: InProcessTrigger,
    },
}

impl std::fmt::Debug for Trigger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Trigger::Command(c) => f.debug_tuple("Command").field(&c.template).finish(),
            Trigger::InProcess { name, .. } => f.debug_tuple("InProcess").field(name).finish(),
        }
    }
}

impl Trigger {
    /// Runs the trigger with these placeholder values. The caller records `TriggerRun::render` in
    /// the transcript (`Cx::local` redacts it) and judges `succeeded` and the JSON lines.
    pub async fn fire(&self, vars: &[(&str, String)]) -> TriggerRun {
        match self {
            Trigger::Command(c) => c.run(vars).await,
            Trigger::InProcess { run, .. } => {
                let owned = vars
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect();
                run(owned).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_placeholders_are_rejected() {
        let err = TriggerCommand::parse("send {url} {too}", &["url", "to"], Duration::from_secs(1))
            .unwrap_err();
        assert!(err.contains("{too}"), "{err}");
    }

    #[test]
    fn values_are_shell_quoted() {
        let t = TriggerCommand::parse("echo {text}", &["text"], Duration::from_secs(1)).unwrap();
        assert_eq!(
            t.render(&[("text", "it's $(rm -rf /)".into())]),
            r"echo 'it'\''s $(rm -rf /)'"
        );
    }

    #[test]
    fn braces_that_are_not_placeholders_stay() {
        let t = TriggerCommand::parse("echo '{\"a\":1}' {to}", &["to"], Duration::from_secs(1))
            .unwrap();
        assert_eq!(t.render(&[("to", "1".into())]), "echo '{\"a\":1}' '1'");
    }

    #[tokio::test]
    async fn input_reaches_stdin_and_closes_it() {
        let t = TriggerCommand::parse("tr a-z A-Z", &[], Duration::from_secs(5)).unwrap();
        let run = t.run_with_input(&[], b"0280ab\n".to_vec()).await;
        assert!(run.succeeded(), "{}", run.render());
        assert_eq!(run.other_stdout, vec!["0280AB".to_string()]);
    }

    #[tokio::test]
    async fn json_lines_and_stderr_are_collected() {
        let t = TriggerCommand::parse(
            r#"echo '{"id":0,"outcome":"delivered"}'; echo noise; echo oops >&2; exit 3"#,
            &[],
            Duration::from_secs(5),
        )
        .unwrap();
        let run = t.run(&[]).await;
        assert_eq!(run.status, Some(3));
        assert_eq!(run.json.len(), 1);
        assert_eq!(run.json[0]["outcome"], "delivered");
        assert_eq!(run.other_stdout, vec!["noise".to_string()]);
        assert!(run.stderr.contains("oops"));
        assert!(!run.succeeded());
    }

    #[tokio::test]
    async fn hanging_commands_are_killed() {
        let t =
            TriggerCommand::parse("sleep 30 & sleep 30", &[], Duration::from_millis(200)).unwrap();
        let run = t.run(&[]).await;
        assert!(run.timed_out);
        assert!(run.elapsed < Duration::from_secs(5));
    }
}
