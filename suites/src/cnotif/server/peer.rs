//! `oxconf mock notif-server`: the reference MAPI/HTTP server standalone, for a client author
//! (or a server author comparing answers) to Connect, register and watch RopNotify arrive.

use crate::peers::{toml_str, Console, Peer};
use clap::{Arg, ArgAction, ArgMatches, Command};
use futures::future::BoxFuture;
use harness::report::model::exit;
use harness::timing::parse_duration;
use mocks::cnotif::server::{
    Faults, MapiOptions, MockMapiServer, DEFAULT_MAILBOX_DN, DEFAULT_PASSWORD, DEFAULT_USER,
};
use mocks::fault::Fault;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub struct NotifServerPeer;

impl Peer for NotifServerPeer {
    fn name(&self) -> &'static str {
        super::NAME
    }

    fn about(&self) -> &'static str {
        "the reference MAPI/HTTP server with core notifications (Connect, Execute, NotificationWait)"
    }

    fn faults(&self) -> &'static [Fault] {
        mocks::cnotif::server::FAULTS
    }

    fn command(&self) -> Command {
        Command::new(super::NAME)
            .arg(Arg::new("listen").long("listen").value_name("ADDR").value_parser(clap::value_parser!(SocketAddr)).default_value("127.0.0.1:0").help("Address to listen on"))
            .arg(Arg::new("tls").long("tls").action(ArgAction::SetTrue).help("Serve HTTPS with a throwaway CA (its certificate is written to --ca-out)"))
            .arg(Arg::new("ca-out").long("ca-out").value_name("FILE").value_parser(clap::value_parser!(PathBuf)).default_value("oxconf-mapi-ca.pem").help("Where to write the CA certificate when --tls is set"))
            .arg(Arg::new("minute").long("minute").value_name("DURATION").default_value("60s").help("How long one protocol minute lasts: NotificationWait is held up to five, PENDING every half"))
            .arg(Arg::new("profile-out").long("profile-out").value_name("FILE").value_parser(clap::value_parser!(PathBuf)).help("Write a ready notif-server profile for this mock to FILE before announcing the URL"))
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

/// A notif-server profile for the running mock.
pub fn ready_profile(url: &str, ca: Option<&std::path::Path>, minute: Duration) -> String {
    let mut p = format!(
        "suite = \"{}\"\n\n[target]\nurl = {}\nuser = {}\npassword = {}\n",
        super::NAME,
        toml_str(url),
        toml_str(DEFAULT_USER),
        toml_str(DEFAULT_PASSWORD)
    );
    if let Some(ca) = ca {
        p.push_str(&format!(
            "ca_file = {}\n",
            toml_str(&ca.display().to_string())
        ));
    }
    p.push_str(&format!(
        "\n[notif]\nmailbox_dn = {}\n\n[timing]\nminute = \"{}ms\"\n",
        toml_str(DEFAULT_MAILBOX_DN),
        minute.as_millis()
    ));
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
    let minute_text = args
        .get_one::<String>("minute")
        .cloned()
        .unwrap_or_else(|| "60s".into());
    let Some(minute) = parse_duration(&minute_text).filter(|d| !d.is_zero()) else {
        console.complain(format!(
            "--minute {minute_text:?}: give a duration such as \"1s\" or \"60s\""
        ));
        return exit::USAGE;
    };
    let opts = MapiOptions {
        listen: args
            .get_one::<SocketAddr>("listen")
            .copied()
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0))),
        tls: args.get_flag("tls"),
        minute,
        ..MapiOptions::default()
    };
    let server = match MockMapiServer::start(opts, faults).await {
        Ok(s) => s,
        Err(e) => {
            console.complain(format!("cannot start the mock: {e}"));
            return exit::FAILURES;
        }
    };
    let ca_out = args
        .get_one::<PathBuf>("ca-out")
        .cloned()
        .unwrap_or_else(|| PathBuf::from("oxconf-mapi-ca.pem"));
    if let Some(pem) = server.ca_pem() {
        if let Err(e) = std::fs::write(&ca_out, pem) {
            console.complain(format!("cannot write {}: {e}", ca_out.display()));
            return exit::FAILURES;
        }
    }
    let ca = server
        .ca_pem()
        .map(|_| std::path::absolute(&ca_out).unwrap_or_else(|_| ca_out.clone()));
    if let Some(path) = args.get_one::<PathBuf>("profile-out") {
        if let Err(e) = std::fs::write(path, ready_profile(&server.url(), ca.as_deref(), minute)) {
            console.complain(format!("cannot write {}: {e}", path.display()));
            return exit::FAILURES;
        }
        console.say(format!("profile: {}", path.display()));
    }
    console.say(format!("url: {}", server.url()));
    if let Some(ca) = &ca {
        console.say(format!("ca: {}", ca.display()));
    }
    console.say(format!(
        "account: {DEFAULT_USER} / {DEFAULT_PASSWORD} (HTTP Basic); mailbox DN: {DEFAULT_MAILBOX_DN}"
    ));
    console.say(format!(
        "protocol minute: {} ms (NotificationWait held up to {} ms, PENDING every {} ms)",
        minute.as_millis(),
        (minute * 5).as_millis(),
        (minute / 2).as_millis()
    ));
    if !names.is_empty() {
        console.say(format!("faults: {}", names.join(", ")));
    }
    console.say("press Ctrl-C to stop");
    let _ = tokio::signal::ctrl_c().await;
    drop(server);
    exit::OK
}
