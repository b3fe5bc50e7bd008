//! `oxconf mock notif-client`: the reference MAPI client as a command following the
//! notif-client trigger contract, with `--fault` to make it misbehave, so a profile can point
//! the notif-client suite at a separate process (and a user can watch a client work against
//! `oxconf mock notif-server`). It runs until it is signalled.

use crate::peers::{Console, Peer};
use clap::{Arg, ArgMatches, Command};
use futures::future::BoxFuture;
use mocks::cnotif::client::{ClientArgs, Faults, ReferenceClient};
use mocks::fault::Fault;
use std::sync::Arc;

pub struct NotifClientPeer;

fn text_arg(name: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .value_name("VALUE")
        .default_value("")
        .help(help)
}

impl Peer for NotifClientPeer {
    fn name(&self) -> &'static str {
        super::NAME
    }

    fn about(&self) -> &'static str {
        "the reference MAPI client: logs on, registers on the Inbox, prints one JSON line per notification (a trigger for notif-client profiles)"
    }

    fn faults(&self) -> &'static [Fault] {
        mocks::cnotif::client::FAULTS
    }

    fn command(&self) -> Command {
        Command::new(super::NAME)
            .arg(
                Arg::new("url")
                    .long("url")
                    .value_name("URL")
                    .required(true)
                    .help("The mailbox endpoint ({url})"),
            )
            .arg(text_arg("user", "The account ({user})"))
            .arg(text_arg("password", "Its password ({password})"))
            .arg(text_arg(
                "mailbox-dn",
                "The ESSDN for Connect and Logon ({mailbox_dn})",
            ))
            .arg(text_arg(
                "ca-file",
                "A PEM file of CAs to trust for https ({ca_file})",
            ))
            .arg(text_arg(
                "udp-port",
                "A loopback port to take datagrams on ({udp_port})",
            ))
            .arg(text_arg(
                "udp-context",
                "The hex context valid datagrams carry ({udp_context})",
            ))
    }

    fn run<'a>(
        &'a self,
        args: &'a ArgMatches,
        faults: Vec<String>,
        console: Console,
    ) -> BoxFuture<'a, i32> {
        Box::pin(async move {
            let faults = match Faults::parse(&faults) {
                Ok(f) => f,
                Err(e) => {
                    console.complain(e);
                    return 2;
                }
            };
            let get = |k: &str| args.get_one::<String>(k).cloned().unwrap_or_default();
            let ca_file = get("ca-file");
            let ca_pem = if ca_file.is_empty() {
                None
            } else {
                match std::fs::read_to_string(&ca_file) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        console.complain(format_args!("cannot read --ca-file {ca_file}: {e}"));
                        return 4;
                    }
                }
            };
            let (port, context) = (get("udp-port"), get("udp-context"));
            let udp = if port.is_empty() {
                None
            } else {
                let Ok(p) = port.parse::<u16>() else {
                    console.complain(format_args!("--udp-port `{port}` is not a port"));
                    return 2;
                };
                let Ok(c) = wire::binary::parse_hex(&context) else {
                    console.complain(format_args!("--udp-context `{context}` is not hex"));
                    return 2;
                };
                Some((p, c))
            };
            let client = ReferenceClient::new(faults);
            let out_console = console.clone();
            let err_console = console.clone();
            client
                .run(
                    ClientArgs {
                        url: get("url"),
                        user: get("user"),
                        password: get("password"),
                        mailbox_dn: get("mailbox-dn"),
                        ca_pem,
                        udp,
                    },
                    Arc::new(move |l: &str| out_console.print(&format!("{l}\n"))),
                    Arc::new(move |l: &str| err_console.complain(l)),
                )
                .await;
            // The client only returns when its session failed.
            1
        })
    }
}
