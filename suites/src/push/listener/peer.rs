//! `oxconf mock push-listener`: the reference push listener standalone, for a push-server
//! author to subscribe to (its URL goes into a Subscribe's t:URL), printing one line per
//! notification it receives and the answer it gave.

use super::env::REFERENCE_SUBSCRIPTION;
use crate::peers::{toml_str, Console, Peer};
use clap::{Arg, ArgAction, ArgMatches, Command};
use futures::future::BoxFuture;
use harness::report::model::exit;
use mocks::ews::listener::{Faults, ListenerOptions, MockListener, DEFAULT_MAX_BODY};
use mocks::fault::{Fault, Variant};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub struct PushListenerPeer;

impl Peer for PushListenerPeer {
    fn name(&self) -> &'static str {
        super::NAME
    }

    fn about(&self) -> &'static str {
        "the reference EWS push listener (subscribe it to a push server under test)"
    }

    fn faults(&self) -> &'static [Fault] {
        mocks::ews::listener::FAULTS
    }

    fn variants(&self) -> &'static [Variant] {
        mocks::ews::listener::VARIANTS
    }

    fn command(&self) -> Command {
        Command::new(super::NAME)
            .arg(
                Arg::new("listen")
                    .long("listen")
                    .value_name("ADDR")
                    .value_parser(clap::value_parser!(SocketAddr))
                    .default_value("127.0.0.1:0")
                    .help("Address to listen on"),
            )
            .arg(
                Arg::new("tls")
                    .long("tls")
                    .action(ArgAction::SetTrue)
                    .help("Serve HTTPS with a throwaway CA (its certificate is written to --ca-out)"),
            )
            .arg(
                Arg::new("ca-out")
                    .long("ca-out")
                    .value_name("FILE")
                    .value_parser(clap::value_parser!(PathBuf))
                    .default_value("oxconf-listener-ca.pem")
                    .help("Where to write the CA certificate when --tls is set"),
            )
            .arg(
                Arg::new("own-id")
                    .long("own-id")
                    .value_name("ID")
                    .action(ArgAction::Append)
                    .help("A subscription id the listener holds; with any, other ids are answered Unsubscribe (default: every id is its own)"),
            )
            .arg(
                Arg::new("max-body")
                    .long("max-body")
                    .value_name("BYTES")
                    .value_parser(clap::value_parser!(usize))
                    .help("Request bodies above this get 413 (default 4 MiB)"),
            )
            .arg(
                Arg::new("profile-out")
                    .long("profile-out")
                    .value_name("FILE")
                    .value_parser(clap::value_parser!(PathBuf))
                    .help("Write a ready push-listener profile for this mock to FILE before announcing the URL"),
            )
    }

    fn run<'a>(
        &'a self,
        args: &'a ArgMatches,
        faults: Vec<String>,
        console: Console,
    ) -> BoxFuture<'a, i32> {
        Box::pin(serve(args, faults, console))
    }
}

/// A push-listener profile for the running mock, as `oxconf run --profile` takes it.
pub fn ready_profile(url: &str, ca: Option<&std::path::Path>, own: Option<&str>) -> String {
    let mut p = format!(
        "suite = \"{}\"\n\n[target]\nurl = {}\n",
        super::NAME,
        toml_str(url)
    );
    if let Some(ca) = ca {
        p.push_str(&format!(
            "ca_file = {}\n",
            toml_str(&ca.display().to_string())
        ));
    }
    p.push_str("\n[push]\n");
    match own {
        Some(id) => p.push_str(&format!(
            "unknown_subscription = \"unsubscribe\"\nsubscription_id = {}\n",
            toml_str(id)
        )),
        None => p.push_str("unknown_subscription = \"ok\"\n"),
    }
    p.push_str("\n[claims]\nsoap12 = true\n");
    p
}

async fn serve(args: &ArgMatches, names: Vec<String>, console: Console) -> i32 {
    let faults = match Faults::parse(&names) {
        Ok(f) => f,
        Err(e) => {
            console.complain(e);
            return exit::USAGE;
        }
    };
    let own: Vec<String> = args
        .get_many::<String>("own-id")
        .map(|v| v.cloned().collect())
        .unwrap_or_default();
    let ca_out = args
        .get_one::<PathBuf>("ca-out")
        .cloned()
        .unwrap_or_else(|| PathBuf::from("oxconf-listener-ca.pem"));
    let log_console = console.clone();
    let opts = ListenerOptions {
        listen: args
            .get_one::<SocketAddr>("listen")
            .copied()
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0))),
        tls: args.get_flag("tls"),
        max_body: args
            .get_one::<usize>("max-body")
            .copied()
            .unwrap_or(DEFAULT_MAX_BODY),
        own_ids: (!own.is_empty()).then(|| own.iter().cloned().collect::<BTreeSet<_>>()),
        on_log: Some(Arc::new(move |line: String| log_console.say(line))),
        ..ListenerOptions::default()
    };
    let listener = match MockListener::start(opts, faults).await {
        Ok(l) => l,
        Err(e) => {
            console.complain(format!("cannot start the mock: {e}"));
            return exit::FAILURES;
        }
    };
    if let Some(pem) = listener.ca_pem() {
        if let Err(e) = std::fs::write(&ca_out, pem) {
            console.complain(format!("cannot write {}: {e}", ca_out.display()));
            return exit::FAILURES;
        }
    }
    let ca = listener
        .ca_pem()
        .map(|_| std::path::absolute(&ca_out).unwrap_or_else(|_| ca_out.clone()));
    let url = listener.url();
    let profile = ready_profile(&url, ca.as_deref(), own.first().map(String::as_str));
    if let Some(path) = args.get_one::<PathBuf>("profile-out") {
        if let Err(e) = std::fs::write(path, &profile) {
            console.complain(format!("cannot write {}: {e}", path.display()));
            return exit::FAILURES;
        }
        console.say(format!("profile: {}", path.display()));
    }
    console.say(format!("url: {url}"));
    if let Some(ca) = &ca {
        console.say(format!("ca: {}", ca.display()));
    }
    match own.first() {
        Some(_) => console.say(format!("holds subscriptions: {} (others are answered Unsubscribe)", own.join(", "))),
        None => console.say(format!(
            "treats every subscription id as its own (pass --own-id {REFERENCE_SUBSCRIPTION} to answer Unsubscribe to others)"
        )),
    }
    if !names.is_empty() {
        console.say(format!("faults: {}", names.join(", ")));
    }
    console.say("put the url in a push Subscribe's t:URL; every notification is logged here; press Ctrl-C to stop");
    let _ = tokio::signal::ctrl_c().await;
    drop(listener);
    exit::OK
}
