//! What every peer's command line has besides its own flags: `--fault NAME` checked against
//! its tables (with descriptions, so shell completions show them), `--list-faults` with each
//! fault's kind, and the hidden top-level aliases of former commands.

use super::{Console, Peer};
use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{Arg, ArgAction, ArgMatches};
use futures::future::BoxFuture;
use harness::report::model::exit;
use std::ffi::OsString;
use std::fmt::Write as _;

/// The id of the repeatable `--fault NAME`.
pub const FAULT: &str = "fault";
/// The id of `--list-faults`.
pub const LIST_FAULTS: &str = "list-faults";

/// `oxconf mock <peer>` as clap sees it: the peer's own command, named and described by the
/// registry, with `--fault` and `--list-faults`.
pub fn command(peer: &dyn Peer) -> clap::Command {
    let names = peer
        .faults()
        .iter()
        .map(|f| PossibleValue::new(f.name).help(f.description))
        .chain(
            peer.variants()
                .iter()
                .map(|v| PossibleValue::new(v.name).help(v.description)),
        );
    peer.command()
        .name(peer.name())
        .about(peer.about())
        .arg(
            Arg::new(FAULT)
                .long("fault")
                .value_name("NAME")
                .action(ArgAction::Append)
                .value_parser(PossibleValuesParser::new(names))
                .hide_possible_values(true)
                .help("Inject a named fault or variant (repeatable); see --list-faults"),
        )
        .arg(
            Arg::new(LIST_FAULTS)
                .long("list-faults")
                .action(ArgAction::SetTrue)
                .exclusive(true)
                .help("List this peer's faults and variants, with their kind, and exit"),
        )
}

/// Runs `oxconf mock <peer>` once clap has parsed `args` with [`command`].
pub fn launch<'a>(
    peer: &'a dyn Peer,
    args: &'a ArgMatches,
    console: Console,
) -> BoxFuture<'a, i32> {
    let listing = args
        .try_get_one::<bool>(LIST_FAULTS)
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false);
    if listing {
        console.print(&fault_listing(peer));
        return Box::pin(async { exit::OK });
    }
    let faults: Vec<String> = args
        .try_get_many::<String>(FAULT)
        .ok()
        .flatten()
        .map(|names| names.cloned().collect())
        .unwrap_or_default();
    peer.run(args, faults, console)
}

/// `--list-faults`: one line per fault and variant, with its kind, in table order.
pub fn fault_listing(peer: &dyn Peer) -> String {
    let rows: Vec<(&str, &str, &str)> = peer
        .faults()
        .iter()
        .map(|f| (f.name, f.kind.as_str(), f.description))
        .chain(
            peer.variants()
                .iter()
                .map(|v| (v.name, "variant", v.description)),
        )
        .collect();
    let width = rows.iter().map(|(n, _, _)| n.len()).max().unwrap_or(0);
    let mut out = format!(
        "faults of {} (--fault NAME; a variant is a conformant configuration):\n",
        peer.name()
    );
    for (name, kind, description) in rows {
        let _ = writeln!(out, "  {name:<width$}  {kind:<8}  {description}");
    }
    out
}

/// The command line with a former top-level command (`oxconf mock-reply ...`) spelt the
/// current way (`oxconf mock oms-server reply ...`); any other command line as it is.
pub fn expand_aliases(args: Vec<OsString>) -> Vec<OsString> {
    let Some(first) = args.get(1).and_then(|a| a.to_str()) else {
        return args;
    };
    for peer in super::peers() {
        if let Some(alias) = peer.aliases().iter().find(|a| a.name == first) {
            let mut expanded: Vec<OsString> = args.iter().take(1).cloned().collect();
            expanded.extend(["mock", peer.name(), alias.subcommand].map(OsString::from));
            expanded.extend(args.iter().skip(2).cloned());
            return expanded;
        }
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::peers::peers;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn aliases_expand_only_in_first_place() {
        assert_eq!(
            expand_aliases(os(&["oxconf", "mock-reply", "u", "1", "t"])),
            os(&["oxconf", "mock", "oms-server", "reply", "u", "1", "t"])
        );
        assert_eq!(
            expand_aliases(os(&["oxconf", "mock-service-update", "u"])),
            os(&["oxconf", "mock", "oms-server", "service-update", "u"])
        );
        for untouched in [
            &["oxconf", "run", "mock-reply"][..],
            &["oxconf"][..],
            &["oxconf", "mock", "oms-server"][..],
        ] {
            assert_eq!(expand_aliases(os(untouched)), os(untouched));
        }
    }

    #[test]
    fn the_listing_names_every_fault_with_its_kind() {
        for peer in peers() {
            let listing = fault_listing(peer.as_ref());
            for f in peer.faults() {
                let line = listing
                    .lines()
                    .find(|l| l.split_whitespace().next() == Some(f.name))
                    .unwrap_or_else(|| panic!("{} not listed", f.name));
                assert!(line.contains(f.kind.as_str()), "{line}");
            }
            for v in peer.variants() {
                assert!(listing.contains(v.name) && listing.contains("variant"));
            }
        }
    }

    #[test]
    fn faults_are_checked_and_list_faults_stands_alone() {
        let peer = crate::peers::by_name("oms-server").expect("registered");
        let cmd = command(peer.as_ref());
        let ok = cmd
            .clone()
            .try_get_matches_from(["oms-server", "--fault", "hang", "--fault", "no-batch"])
            .expect("known names");
        let names: Vec<&String> = ok.get_many::<String>(FAULT).expect("faults").collect();
        assert_eq!(names, ["hang", "no-batch"]);
        let err = cmd
            .clone()
            .try_get_matches_from(["oms-server", "--fault", "hnag"])
            .unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(cmd
            .clone()
            .try_get_matches_from(["oms-server", "--list-faults", "--tls"])
            .is_err());
        let client = crate::peers::by_name("oms-client").expect("registered");
        command(client.as_ref())
            .try_get_matches_from(["oms-client", "--list-faults"])
            .expect("--list-faults needs no --url");
    }
}
