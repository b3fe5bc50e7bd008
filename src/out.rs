//! Console output that survives a closed pipe (`oxconf run | head -1`): a write that fails
//! ends printing quietly for the rest of the process instead of panicking, so the run still
//! finishes and writes its reports. Also the colour decision (`--color`, `NO_COLOR`).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

fn write_to(closed: &AtomicBool, mut w: impl Write, text: &str) {
    if closed.load(Ordering::Relaxed) {
        return;
    }
    if w.write_all(text.as_bytes())
        .and_then(|_| w.flush())
        .is_err()
    {
        closed.store(true, Ordering::Relaxed);
    }
}

/// Writes `text` to stdout; after a failed write (EPIPE, a full disk) later writes are dropped.
pub fn stdout(text: &str) {
    write_to(&STDOUT_CLOSED, std::io::stdout().lock(), text);
}

/// Writes `text` to stderr, as quietly as `stdout` when stderr is gone.
pub fn stderr(text: &str) {
    write_to(&STDERR_CLOSED, std::io::stderr().lock(), text);
}

/// Whether a write to stdout has failed (the reader went away).
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

/// `println!` that never panics on a closed stdout.
#[macro_export]
macro_rules! say {
    () => { $crate::out::stdout("\n") };
    ($($arg:tt)*) => { $crate::out::stdout(&format!("{}\n", format_args!($($arg)*))) };
}

/// `eprintln!` that never panics on a closed stderr.
#[macro_export]
macro_rules! complain {
    ($($arg:tt)*) => { $crate::out::stderr(&format!("{}\n", format_args!($($arg)*))) };
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// `always` wins over `NO_COLOR` (an explicit flag beats the environment).
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
                !no_color && !dumb && std::io::stdout().is_terminal()
            }
        }
    }
}
