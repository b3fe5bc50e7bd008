//! `cargo test --test interop`: one test per peer folder under suites/interop/ (found at run
//! time), each running the peer's suite against it exactly as suites/interop/README.md
//! describes and asserting that every verdict equals the committed expected.json. A peer that
//! is not installed is skipped with the install command, unless `OXCONF_INTEROP=required` (CI),
//! where that is a failure. Each run's JSON report is kept as target/interop/<peer-id>.json
//! (and its transcripts beside it) for `oxconf matrix`.

use libtest_mimic::{Arguments, Completion, Failed, Trial};
use oxconf::interop::{self, Peer};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long the installed-check may take.
const CHECK_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a `serve` command has to accept connections.
const SERVE_TIMEOUT: Duration = Duration::from_secs(20);
/// The whole `oxconf run` against one peer.
const RUN_TIMEOUT: Duration = Duration::from_secs(600);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn required() -> bool {
    std::env::var("OXCONF_INTEROP").is_ok_and(|v| v == "required")
}

/// Waits for `child` at most `limit`; kills its process group past it.
fn wait_bounded(child: &mut Child, limit: Duration) -> Result<std::process::ExitStatus, String> {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if start.elapsed() > limit => {
                kill_group(child);
                return Err(format!("still running after {}s: killed", limit.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// Ends a child started in its own process group, and everything it started.
fn kill_group(child: &mut Child) {
    let group = format!("-{}", child.id());
    for signal in ["-TERM", "-KILL"] {
        let _ = Command::new("kill")
            .args([signal, "--", &group])
            .stderr(Stdio::null())
            .status();
        std::thread::sleep(Duration::from_millis(300));
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
    }
    let _ = child.wait();
}

fn sh(command: &str, dir: &Path) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c").arg(command).current_dir(dir).process_group(0);
    c
}

fn installed(peer: &Peer) -> bool {
    let mut child = match sh(&peer.manifest.check, &peer.dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(_) => return false,
    };
    wait_bounded(&mut child, CHECK_TIMEOUT).is_ok_and(|s| s.success())
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

/// The `serve` process, killed (with its group) when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        kill_group(&mut self.0);
    }
}

fn serve(peer: &Peer, command: &str, port: u16, log: &Path) -> Result<Server, String> {
    let command = command.replace("{port}", &port.to_string());
    let out = std::fs::File::create(log).map_err(|e| e.to_string())?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let child = sh(&command, &peer.dir)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cannot start `{command}`: {e}"))?;
    let mut server = Server(child);
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let start = Instant::now();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err() {
        if let Ok(Some(status)) = server.0.try_wait() {
            return Err(format!(
                "`{command}` exited ({status}) before accepting connections; its output is in {}",
                log.display()
            ));
        }
        if start.elapsed() > SERVE_TIMEOUT {
            return Err(format!(
                "`{command}` did not accept connections on port {port} within {}s; its output is in {}",
                SERVE_TIMEOUT.as_secs(),
                log.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(server)
}

fn run_peer(peer: Peer) -> Result<Completion, Failed> {
    let id = peer.manifest.id.clone();
    if !installed(&peer) {
        let message = format!(
            "{id}: {} {} is not installed (`{}` failed): {}",
            peer.manifest.peer,
            peer.manifest.version,
            peer.manifest.check,
            peer.install_hint()
        );
        if required() {
            return Err(format!("{message} (OXCONF_INTEROP=required)").into());
        }
        eprintln!("skipped: {message}");
        return Ok(Completion::ignored_with(message));
    }
    let expected = peer.expected()?;
    let problems = interop::lint(&expected);
    if !problems.is_empty() {
        return Err(format!("{id}: expected.json: {}", problems.join("; ")).into());
    }

    let keep = root().join("target").join("interop");
    let transcripts = keep.join(&id);
    let _ = std::fs::remove_dir_all(&transcripts);
    std::fs::create_dir_all(&transcripts).map_err(|e| e.to_string())?;
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;

    let port = match &peer.manifest.serve {
        Some(_) => Some(free_port()?),
        None => None,
    };
    let _server = match (&peer.manifest.serve, port) {
        (Some(command), Some(port)) => Some(serve(
            &peer,
            command,
            port,
            &keep.join(format!("{id}.serve.log")),
        )?),
        _ => None,
    };

    let profile = scratch.path().join("profile.toml");
    std::fs::write(&profile, peer.profile(port)?).map_err(|e| e.to_string())?;
    let json = scratch.path().join("report.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_oxconf"))
        .arg("run")
        .arg("--profile")
        .arg(&profile)
        .arg("--json")
        .arg(&json)
        .arg("--junit")
        .arg(scratch.path().join("junit.xml"))
        .arg("--transcripts")
        .arg(&transcripts)
        .arg("-q")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start oxconf: {e}"))?;
    // Drain the pipes while waiting so a chatty run cannot block on a full pipe.
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(p) = stdout.as_mut() {
            let _ = std::io::Read::read_to_string(p, &mut s);
        }
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(p) = stderr.as_mut() {
            let _ = std::io::Read::read_to_string(p, &mut s);
        }
        s
    });
    let status =
        wait_bounded(&mut child, RUN_TIMEOUT).map_err(|e| format!("{id}: oxconf run {e}"))?;
    let console = format!(
        "{}{}",
        out_reader.join().unwrap_or_default(),
        err_reader.join().unwrap_or_default()
    );
    // 0 no failure, 1 failures, 3 all inconclusive: all judged below. 2 and 4 mean the
    // profile or this machine is wrong, which no expected file can describe.
    if matches!(status.code(), Some(2) | Some(4) | None) {
        return Err(format!("{id}: oxconf run exited {status}:\n{console}").into());
    }
    let text = std::fs::read_to_string(&json)
        .map_err(|e| format!("{id}: no JSON report ({e}); oxconf said:\n{console}"))?;
    std::fs::write(keep.join(format!("{id}.json")), &text).map_err(|e| e.to_string())?;
    let report: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{id}: unreadable report: {e}"))?;
    let diff = interop::compare(&expected, &interop::verdicts(&report));
    if diff.is_empty() {
        return Ok(Completion::Completed);
    }
    let detail: Vec<String> = diff
        .iter()
        .map(|d| {
            let scenario = d
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .trim_end_matches(':');
            let reason = interop::reason(&report, scenario);
            if reason.is_empty() {
                format!("  {d}")
            } else {
                format!("  {d}\n      reason: {reason}")
            }
        })
        .collect();
    Err(format!(
        "{id}: the verdicts differ from {}:\n{}\ntranscripts: {}",
        peer.dir.join(&peer.manifest.expected).display(),
        detail.join("\n"),
        transcripts.display()
    )
    .into())
}

fn main() {
    let args = Arguments::from_args();
    let trials = match interop::discover(&root().join("suites").join("interop")) {
        Ok(peers) => peers
            .into_iter()
            .map(|peer| {
                let name = format!("interop::{}", peer.manifest.id);
                Trial::ignorable_test(name, move || run_peer(peer))
            })
            .collect(),
        Err(e) => vec![Trial::test("interop::peer-folders", move || {
            Err(Failed::from(e.clone()))
        })],
    };
    libtest_mimic::run(&args, trials).exit();
}
