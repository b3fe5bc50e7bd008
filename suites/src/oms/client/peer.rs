//! `oxconf mock oms-client`: the reference OMS client, one send per run, speaking the suite's
//! trigger contract (`contract`), so it can stand in for a real client's trigger command:
//! its flags take the contract's placeholders and it prints the contract's outcome lines.

use super::contract::{self, BatchFile};
use crate::oms::trust::tls_for;
use crate::peers::{Console, Peer};
use clap::{Arg, ArgMatches, Command};
use futures::future::BoxFuture;
use harness::report::model::exit;
use mocks::fault::{Fault, FaultTable, Variant};
use mocks::oms::client::{
    ClientFaults, ClientSettings, Faults, ReferenceClient, RENUMBER_BATCH_ITEMS,
};
use mocks::oms::server::reference;
use std::path::Path;

pub struct OmsClientPeer;

/// A string flag of the one-shot client.
fn flag(id: &'static str, value_name: &'static str, help: &'static str) -> Arg {
    Arg::new(id).long(id).value_name(value_name).help(help)
}

impl Peer for OmsClientPeer {
    fn name(&self) -> &'static str {
        super::NAME
    }

    fn about(&self) -> &'static str {
        "the reference MS-OMS client, one send per run (usable as a trigger)"
    }

    fn faults(&self) -> &'static [Fault] {
        ClientFaults::FAULTS
    }

    fn variants(&self) -> &'static [Variant] {
        ClientFaults::VARIANTS
    }

    fn command(&self) -> Command {
        Command::new(super::NAME)
            .arg(flag("url", "URL", "The service URL ({url})").required(true))
            .arg(flag("to", "LIST", "Recipients, comma-separated ({to})"))
            .arg(flag("text", "TEXT", "The message text ({text})").allow_hyphen_values(true))
            .arg(flag(
                "kind",
                "KIND",
                "\"sms\", \"mms\" (with --image-file) or \"batch\" (with --batch-file) ({kind})",
            ))
            .arg(flag(
                "batch-file",
                "FILE",
                "A JSON batch file ({batch_file}); an empty value means none, so a trigger \
                 template can always pass it",
            ))
            .arg(flag(
                "image-file",
                "FILE",
                "The GIF of an MMS slide ({image_file})",
            ))
            .arg(flag(
                "ca-file",
                "FILE",
                "Trust this CA certificate (PEM) for https URLs ({ca_file}; empty: the system's)",
            ))
            .arg(flag(
                "user",
                "USER",
                "User id (default: the reference account)",
            ))
            .arg(flag(
                "password",
                "PASSWORD",
                "Password (default: the reference account's)",
            ))
    }

    fn run<'a>(
        &'a self,
        args: &'a ArgMatches,
        faults: Vec<String>,
        console: Console,
    ) -> BoxFuture<'a, i32> {
        Box::pin(send(args, faults, console))
    }
}

/// A flag's value; absent and empty alike are `None` (trigger templates pass empty values).
fn value<'a>(args: &'a ArgMatches, id: &str) -> Option<&'a str> {
    args.get_one::<String>(id)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

async fn send(args: &ArgMatches, names: Vec<String>, console: Console) -> i32 {
    let url = value(args, "url").unwrap_or("");
    let faults = match Faults::parse(&names) {
        Ok(f) => f,
        Err(e) => {
            console.complain(e);
            return exit::USAGE;
        }
    };
    let tls = match tls_for(url, value(args, "ca-file").map(Path::new)) {
        Ok(t) => t,
        Err(e) => {
            console.complain(e);
            return exit::USAGE;
        }
    };
    let settings = ClientSettings {
        tls,
        renumber_batch_items: faults.has(RENUMBER_BATCH_ITEMS),
        faults,
        ..ClientSettings::new(
            value(args, "user").unwrap_or(reference::USER),
            value(args, "password").unwrap_or(reference::PASSWORD),
        )
    };
    let client = ReferenceClient::new(settings);
    let to: Vec<String> = value(args, "to")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let text = args.get_one::<String>("text").map_or("", String::as_str);
    let result = match (value(args, "kind").unwrap_or(""), value(args, "batch-file")) {
        ("mms", _) => {
            let Some(path) = value(args, "image-file") else {
                console.complain("--kind mms needs --image-file");
                return exit::USAGE;
            };
            let image = match std::fs::read(path) {
                Ok(bytes) => bytes,
                Err(e) => {
                    console.complain(format!("cannot read {path}: {e}"));
                    return exit::USAGE;
                }
            };
            client.send_mms(url, &to, text, &image).await
        }
        (_, Some(path)) => {
            let batch = match BatchFile::read(Path::new(path)) {
                Ok(b) => b,
                Err(e) => {
                    console.complain(format!("cannot read {path}: {e}"));
                    return exit::USAGE;
                }
            };
            client.send_batch(url, &batch.messages()).await
        }
        _ => client.send_sms(url, &to, text).await,
    };
    match result {
        Ok(conclusions) => {
            if !conclusions.is_empty() {
                console.say(contract::lines(&conclusions));
            }
            exit::OK
        }
        Err(e) => {
            console.complain(e);
            exit::FAILURES
        }
    }
}
