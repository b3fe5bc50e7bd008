//! Where a peer prints. The CLI hands its own writers (which end quietly on a closed pipe),
//! so peers never write to the process's streams directly and tests can capture them.

use std::fmt;
use std::sync::Arc;

type Sink = Arc<dyn Fn(&str) + Send + Sync>;

/// A peer's stdout and stderr.
#[derive(Clone)]
pub struct Console {
    out: Sink,
    err: Sink,
}

impl Console {
    pub fn new(
        out: impl Fn(&str) + Send + Sync + 'static,
        err: impl Fn(&str) + Send + Sync + 'static,
    ) -> Console {
        Console {
            out: Arc::new(out),
            err: Arc::new(err),
        }
    }

    /// `text` to stdout as it is.
    pub fn print(&self, text: &str) {
        (self.out)(text)
    }

    /// One line to stdout.
    pub fn say(&self, line: impl fmt::Display) {
        (self.out)(&format!("{line}\n"))
    }

    /// One line to stderr (problems, prefixed `oxconf: ` like every CLI message).
    pub fn complain(&self, line: impl fmt::Display) {
        (self.err)(&format!("oxconf: {line}\n"))
    }
}

impl fmt::Debug for Console {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Console")
    }
}
