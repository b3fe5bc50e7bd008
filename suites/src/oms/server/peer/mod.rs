//! `oxconf mock oms-server`: the reference OMS web service standalone, as a user points an OMS
//! client at it. It prints its URL, CA, accounts and triggers, and a ready profile for
//! `oxconf run`; its `reply` and `service-update` subcommands are the triggers of a running one.

mod control;
mod profile;

pub use profile::ready_profile;

use crate::peers::{Alias, Console, Peer};
use clap::{Arg, ArgAction, ArgMatches, Command};
use futures::future::BoxFuture;
use harness::report::model::exit;
use mocks::fault::{Fault, Variant};
use mocks::oms::server::{
    reference, Faults, MockOmsServer, ServerConfig, StartOptions, SERVICE_UPDATE_PATH,
};
use profile::{control_base, control_command, OTHER_ACCOUNTS, REPLY_ARGS};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;

pub struct OmsServerPeer;

impl Peer for OmsServerPeer {
    fn name(&self) -> &'static str {
        super::NAME
    }

    fn about(&self) -> &'static str {
        "the reference MS-OMS web service (point an OMS client at it)"
    }

    fn faults(&self) -> &'static [Fault] {
        mocks::oms::server::FAULTS
    }

    fn variants(&self) -> &'static [Variant] {
        mocks::oms::server::VARIANTS
    }

    fn command(&self) -> Command {
        Command::new(super::NAME)
            .args_conflicts_with_subcommands(true)
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
                    .default_value("oxconf-mock-ca.pem")
                    .help("Where to write the CA certificate when --tls is set"),
            )
            .arg(
                Arg::new("smtp-relay")
                    .long("smtp-relay")
                    .value_name("ADDR")
                    .value_parser(clap::value_parser!(SocketAddr))
                    .help("SMTP server that receives the phone replies the mock emits"),
            )
            .arg(
                Arg::new("print-profile")
                    .long("print-profile")
                    .action(ArgAction::SetTrue)
                    .help(
                        "Print only a ready oxconf profile for this mock (the other lines \
                         become TOML comments), so `--print-profile > p.toml` works",
                    ),
            )
            .arg(
                Arg::new("profile-out")
                    .long("profile-out")
                    .value_name("FILE")
                    .value_parser(clap::value_parser!(PathBuf))
                    .help("Write a ready oxconf profile for this mock to FILE before announcing the URL"),
            )
            .subcommand(control::reply_command())
            .subcommand(control::service_update_command())
    }

    fn aliases(&self) -> &'static [Alias] {
        &[
            Alias {
                name: "mock-reply",
                subcommand: control::REPLY,
            },
            Alias {
                name: "mock-service-update",
                subcommand: control::SERVICE_UPDATE,
            },
        ]
    }

    fn run<'a>(
        &'a self,
        args: &'a ArgMatches,
        faults: Vec<String>,
        console: Console,
    ) -> BoxFuture<'a, i32> {
        Box::pin(async move {
            match args.subcommand() {
                Some((control::REPLY, sub)) => control::reply(sub, console).await,
                Some((control::SERVICE_UPDATE, sub)) => control::service_update(sub, console).await,
                _ => serve(args, faults, console).await,
            }
        })
    }
}

/// The command line of a standalone server, read once.
struct Serve {
    listen: SocketAddr,
    tls: bool,
    ca_out: PathBuf,
    smtp_relay: Option<SocketAddr>,
    print_profile: bool,
    profile_out: Option<PathBuf>,
}

impl Serve {
    fn read(args: &ArgMatches) -> Serve {
        Serve {
            listen: args
                .get_one::<SocketAddr>("listen")
                .copied()
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0))),
            tls: args.get_flag("tls"),
            ca_out: args
                .get_one::<PathBuf>("ca-out")
                .cloned()
                .unwrap_or_else(|| PathBuf::from("oxconf-mock-ca.pem")),
            smtp_relay: args.get_one::<SocketAddr>("smtp-relay").copied(),
            print_profile: args.get_flag("print-profile"),
            profile_out: args.get_one::<PathBuf>("profile-out").cloned(),
        }
    }
}

async fn serve(args: &ArgMatches, names: Vec<String>, console: Console) -> i32 {
    let args = Serve::read(args);
    let faults = match Faults::parse(&names) {
        Ok(f) => f,
        Err(e) => {
            console.complain(e);
            return exit::USAGE;
        }
    };
    let opts = StartOptions {
        listen: args.listen,
        tls: args.tls,
        smtp_relay: args.smtp_relay,
    };
    let server = match MockOmsServer::start(ServerConfig::reference(), faults, opts).await {
        Ok(s) => s,
        Err(e) => {
            console.complain(format!("cannot start the mock: {e}"));
            return exit::FAILURES;
        }
    };
    let url = server.url();
    // The CA file (and the profile) exist before the URL is announced: whoever waits for the
    // URL line (a test, a script) may read them at once.
    if let Some(pem) = server.ca_pem() {
        if let Err(e) = std::fs::write(&args.ca_out, pem) {
            console.complain(format!("cannot write {}: {e}", args.ca_out.display()));
            return exit::FAILURES;
        }
    }
    let ca = server
        .ca_pem()
        .map(|_| std::path::absolute(&args.ca_out).unwrap_or_else(|_| args.ca_out.clone()));
    let profile = ready_profile(&url, ca.as_deref(), args.smtp_relay);
    if let Some(path) = &args.profile_out {
        if let Err(e) = std::fs::write(path, &profile) {
            console.complain(format!("cannot write {}: {e}", path.display()));
            return exit::FAILURES;
        }
    }
    let info = announcement(&url, ca.as_deref(), args.smtp_relay, &names);
    if args.print_profile {
        let commented: String = info.lines().map(|l| format!("# {l}\n")).collect();
        console.print(&format!("{commented}\n{profile}"));
    } else {
        console.print(&info);
        match &args.profile_out {
            Some(path) => console.say(format!(
                "profile: {} (oxconf run --profile {})",
                path.display(),
                path.display()
            )),
            None => console.say(format!(
                "a ready profile for this mock (or write it with --profile-out FILE):\n\n{profile}"
            )),
        }
        console.say("press Ctrl-C to stop");
    }
    let _ = tokio::signal::ctrl_c().await;
    drop(server);
    exit::OK
}

/// What a user needs to point a client at the running mock, one item a line (`url: ` first,
/// which scripts wait for).
fn announcement(
    url: &str,
    ca: Option<&std::path::Path>,
    smtp_relay: Option<SocketAddr>,
    faults: &[String],
) -> String {
    let mut info = String::new();
    let _ = writeln!(info, "url: {url}");
    if let Some(ca) = ca {
        let _ = writeln!(info, "ca: {}", ca.display());
    }
    let _ = writeln!(
        info,
        "account: {} / {}  recipients: {}  invalid recipient: {}",
        reference::USER,
        reference::PASSWORD,
        reference::RECIPIENTS.join(", "),
        reference::INVALID_RECIPIENT
    );
    let _ = writeln!(
        info,
        "other accounts (password <name>-pw-1): {}",
        OTHER_ACCOUNTS
            .iter()
            .map(|(key, user)| format!("{user} ({key})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    match smtp_relay {
        Some(relay) => {
            let _ = writeln!(
                info,
                "phone replies go by SMTP to {relay}, for {}; trigger one with:\n  {}",
                reference::REPLY_ADDRESS,
                control_command(control::REPLY, url, ca, REPLY_ARGS)
            );
        }
        None => {
            let _ = writeln!(info, "no --smtp-relay: phone replies are disabled");
        }
    }
    let _ = writeln!(
        info,
        "service update: POST {}{SERVICE_UPDATE_PATH}, or: {}",
        control_base(url),
        control_command(control::SERVICE_UPDATE, url, ca, "")
    );
    let _ = writeln!(
        info,
        "faults: {}",
        if faults.is_empty() {
            "none".to_string()
        } else {
            faults.join(", ")
        }
    );
    info
}
