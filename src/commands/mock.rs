//! `oxconf mock <peer> ...`: the peers and their flags come from `suites::peers()`; this
//! module only attaches them to the `mock` command and dispatches, so a new peer needs no
//! edit here.

use super::exit;
use crate::cli::MockArgs;
use crate::{complain, out, say};
use clap::ArgMatches;
use suites::peers::{self, Console};

/// `oxconf mock` with one subcommand per registered peer.
pub fn attach(mock: clap::Command) -> clap::Command {
    mock.subcommands(peers::peers().iter().map(|p| peers::command(p.as_ref())))
        .args_conflicts_with_subcommands(true)
}

/// The CLI's console for peers: pipe-safe stdout and stderr.
fn console() -> Console {
    Console::new(out::stdout, out::stderr)
}

/// `matches` are those of `mock` itself, holding the peer's subcommand if one was given.
pub fn run(_args: &MockArgs, matches: Option<&ArgMatches>) -> i32 {
    let Some((name, peer_args)) = matches.and_then(ArgMatches::subcommand) else {
        say!("mock peers (oxconf mock PEER --help):");
        let all = peers::peers();
        let width = all.iter().map(|p| p.name().len()).max().unwrap_or(0);
        for p in all {
            say!("  {:<width$} {}", p.name(), p.about());
        }
        return exit::OK;
    };
    // clap only accepts registered names, so this finds one.
    let Some(peer) = peers::by_name(name) else {
        complain!("oxconf: unknown mock `{name}`; see `oxconf mock --list`");
        return exit::USAGE;
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            complain!("oxconf: cannot start the async runtime: {e}");
            return exit::FAILURES;
        }
    };
    runtime.block_on(peers::launch(peer.as_ref(), peer_args, console()))
}
