//! The mock peers `oxconf mock` can start standalone, registered beside the suites: each is a
//! suite's reference peer, with its own flags, its fault and variant tables, and what it prints
//! for a user to point a SUT at it. The CLI builds `oxconf mock <peer> ...` from this registry
//! alone, so a new peer needs no edit to the command or to another protocol's code.

mod command;
mod console;

pub use command::{command, expand_aliases, fault_listing, launch, FAULT, LIST_FAULTS};
pub use console::Console;

use clap::ArgMatches;
use futures::future::BoxFuture;
use mocks::fault::{Fault, Variant};
use std::sync::Arc;

/// A TOML basic string (JSON's escapes are valid TOML), for the ready profiles peers print.
pub fn toml_str(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// One mock peer as `oxconf mock` runs it.
pub trait Peer: Send + Sync {
    /// The subcommand: `oxconf mock NAME`.
    fn name(&self) -> &'static str;

    /// The suite whose reference peer this is (its fault table is the suite's).
    fn suite(&self) -> &'static str {
        self.name()
    }

    /// One line for `oxconf mock --list` and `--help`.
    fn about(&self) -> &'static str;

    /// Its faults, for `--fault` and `--list-faults`.
    fn faults(&self) -> &'static [Fault];

    /// Its conformant variants, switched on with `--fault` too.
    fn variants(&self) -> &'static [Variant] {
        &[]
    }

    /// Its own flags and subcommands (clap's builder, so the registry stays dynamic). The
    /// registry names the command and adds `--fault` and `--list-faults`.
    fn command(&self) -> clap::Command;

    /// Former top-level commands that are now subcommands of this peer; they keep working,
    /// hidden, so existing trigger commands and scripts do not break.
    fn aliases(&self) -> &'static [Alias] {
        &[]
    }

    /// Starts the peer (or runs one of its subcommands) with the command line `args` parsed by
    /// `command()` and the `--fault` names given, already checked against its tables. Prints
    /// what a user needs through `console`; resolves to the process exit code.
    fn run<'a>(
        &'a self,
        args: &'a ArgMatches,
        faults: Vec<String>,
        console: Console,
    ) -> BoxFuture<'a, i32>;
}

/// `oxconf NAME ARGS...` kept as `oxconf mock PEER SUBCOMMAND ARGS...`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alias {
    pub name: &'static str,
    pub subcommand: &'static str,
}

/// Every peer oxconf ships, in the order `oxconf mock --list` shows them.
pub fn peers() -> Vec<Arc<dyn Peer>> {
    vec![
        Arc::new(crate::oms::server::peer::OmsServerPeer),
        Arc::new(crate::oms::client::peer::OmsClientPeer),
        Arc::new(crate::push::listener::peer::PushListenerPeer),
        Arc::new(crate::push::server::peer::PUSH_SERVER),
        Arc::new(crate::push::server::peer::EWS),
        Arc::new(crate::cnotif::server::peer::NotifServerPeer),
        Arc::new(crate::cnotif::client::peer::NotifClientPeer),
        Arc::new(crate::cnotif::decoder::peer::NotifDecoderPeer),
    ]
}

/// Looks a peer up by its subcommand name ("oms-server").
pub fn by_name(name: &str) -> Option<Arc<dyn Peer>> {
    peers().into_iter().find(|p| p.name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Each peer is the reference peer of a suite and shares its fault table, so self-tests
    /// and `oxconf mock --fault` know the same names.
    #[test]
    fn peers_serve_the_suites_fault_tables() {
        for peer in peers() {
            let suite = crate::by_name(peer.suite()).expect("the suite the peer serves");
            let suite_faults: Vec<&str> = suite.faults().iter().map(|f| f.name).collect();
            let peer_faults: Vec<&str> = peer.faults().iter().map(|f| f.name).collect();
            assert_eq!(suite_faults, peer_faults, "{}", peer.name());
            let suite_variants: Vec<&str> = suite.variants().iter().map(|f| f.name).collect();
            let peer_variants: Vec<&str> = peer.variants().iter().map(|f| f.name).collect();
            assert_eq!(suite_variants, peer_variants, "{}", peer.name());
        }
    }

    #[test]
    fn names_and_aliases_are_unique_and_every_command_is_well_formed() {
        let mut names = BTreeSet::new();
        for peer in peers() {
            assert!(names.insert(peer.name()), "{} twice", peer.name());
            assert!(!peer.about().is_empty());
            command(peer.as_ref()).debug_assert();
            for alias in peer.aliases() {
                assert!(names.insert(alias.name), "{} twice", alias.name);
                assert!(
                    peer.command()
                        .get_subcommands()
                        .any(|s| s.get_name() == alias.subcommand),
                    "{}: no subcommand {}",
                    alias.name,
                    alias.subcommand
                );
            }
        }
    }
}
