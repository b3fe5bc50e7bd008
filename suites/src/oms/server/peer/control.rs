//! `oxconf mock oms-server reply` and `... service-update`: the reply and service-update
//! triggers of a running standalone mock, which POST to its control endpoint.

use crate::oms::trust::tls_for;
use crate::peers::Console;
use clap::builder::PossibleValue;
use clap::{Arg, ArgMatches, Command};
use harness::report::model::exit;
use mocks::net::{Endpoint, HttpClient, Request};
use mocks::oms::server::{ControlReply, ReplyKind, REPLY_PATH, SERVICE_UPDATE_PATH};
use std::path::PathBuf;

pub(super) const REPLY: &str = "reply";
pub(super) const SERVICE_UPDATE: &str = "service-update";

fn url_arg() -> Arg {
    Arg::new("url")
        .required(true)
        .value_name("URL")
        .help("The mock's service URL, as `oxconf mock oms-server` printed it")
}

fn ca_file_arg() -> Arg {
    Arg::new("ca-file")
        .long("ca-file")
        .value_name("FILE")
        .value_parser(clap::value_parser!(PathBuf))
        .help("Trust this CA certificate (PEM) when the mock serves HTTPS")
}

pub(super) fn reply_command() -> Command {
    let kinds = ReplyKind::ALL.map(|k| PossibleValue::new(k.as_str()).help(k.description()));
    Command::new(REPLY)
        .about("Ask a running mock to emit a phone reply over SMTP (its reply trigger)")
        .arg(url_arg())
        .arg(
            Arg::new("recipient")
                .required(true)
                .value_name("RECIPIENT")
                .help("The phone number the reply comes from"),
        )
        .arg(
            Arg::new("text")
                .required(true)
                .value_name("TEXT")
                .help("The reply text (or the MMS subject)"),
        )
        .arg(
            Arg::new("kind")
                .long("kind")
                .value_name("KIND")
                .value_parser(kinds)
                .default_value(ReplyKind::Sms.as_str())
                .help("What kind of reply"),
        )
        .arg(ca_file_arg())
}

pub(super) fn service_update_command() -> Command {
    Command::new(SERVICE_UPDATE)
        .about("Ask a running mock to change its service information (its service-update trigger)")
        .arg(url_arg())
        .arg(ca_file_arg())
}

fn text<'a>(args: &'a ArgMatches, id: &str) -> &'a str {
    args.get_one::<String>(id).map(String::as_str).unwrap_or("")
}

/// `reply`: the mock's control endpoint emits the reply by SMTP.
pub(super) async fn reply(args: &ArgMatches, console: Console) -> i32 {
    let body = ControlReply {
        recipient: text(args, "recipient").to_string(),
        text: text(args, "text").to_string(),
        kind: Some(text(args, "kind").to_string()),
        user: None,
    };
    match serde_json::to_string(&body) {
        Ok(body) => control(args, REPLY_PATH, body, console).await,
        Err(e) => {
            console.complain(format!("cannot write the reply request: {e}"));
            exit::FAILURES
        }
    }
}

/// `service-update`: the mock moves its serviceUpdate time to now.
pub(super) async fn service_update(args: &ArgMatches, console: Console) -> i32 {
    control(args, SERVICE_UPDATE_PATH, "{}".to_string(), console).await
}

/// POSTs `body` to a control path of a running standalone mock and prints its answer.
async fn control(args: &ArgMatches, path: &str, body: String, console: Console) -> i32 {
    let url = text(args, "url");
    if let Err(e) = Endpoint::parse(url) {
        console.complain(e);
        return exit::USAGE;
    }
    let target = format!("{}{path}", super::profile::control_base(url));
    let ca_file = args.get_one::<PathBuf>("ca-file");
    let tls = match tls_for(url, ca_file.map(PathBuf::as_path)) {
        Ok(t) => t,
        Err(e) => {
            console.complain(e);
            return exit::USAGE;
        }
    };
    let exchange = HttpClient::new(tls)
        .send(
            Request::new("POST", &target)
                .header("Content-Type", "application/json")
                .body(body.into_bytes()),
        )
        .await;
    match exchange.response() {
        Some(r) if (200..300).contains(&r.status) => {
            console.say(r.text());
            exit::OK
        }
        Some(r) => {
            console.complain(format!("the mock refused: HTTP {} {}", r.status, r.text()));
            exit::FAILURES
        }
        None => {
            console.complain(exchange.response_text());
            exit::FAILURES
        }
    }
}
