//! `oxconf mock push-server` (and `oxconf mock ews`): the reference Exchange push server
//! standalone. A listener author subscribes their listener to it, causes events through its
//! control endpoint and watches every delivery in its log.

use crate::peers::{toml_str, Console, Peer};
use clap::{Arg, ArgAction, ArgMatches, Command};
use futures::future::BoxFuture;
use harness::report::model::exit;
use harness::timing::parse_duration;
use mocks::ews::server::{ExchangeOptions, Faults, MockExchange, DEFAULT_PASSWORD, DEFAULT_USER};
use mocks::fault::{Fault, Variant};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The peer under two names: `push-server` (the reference of the push-server suite) and `ews`
/// (the EWS endpoint a push-subscriber application is pointed at).
pub struct PushServerPeer {
    pub name: &'static str,
    pub about: &'static str,
}

pub const PUSH_SERVER: PushServerPeer = PushServerPeer {
    name: super::NAME,
    about: "the reference Exchange push server (subscribe a push listener to it)",
};

pub const EWS: PushServerPeer = PushServerPeer {
    name: "ews",
    about: "a mock EWS endpoint for push-subscriber applications (Subscribe, GetFolder, then notifications)",
};

impl Peer for PushServerPeer {
    fn name(&self) -> &'static str {
        self.name
    }

    fn suite(&self) -> &'static str {
        super::NAME
    }

    fn about(&self) -> &'static str {
        self.about
    }

    fn faults(&self) -> &'static [Fault] {
        mocks::ews::server::FAULTS
    }

    fn variants(&self) -> &'static [Variant] {
        mocks::ews::server::VARIANTS
    }

    fn command(&self) -> Command {
        Command::new(self.name)
            .arg(Arg::new("listen").long("listen").value_name("ADDR").value_parser(clap::value_parser!(SocketAddr)).default_value("127.0.0.1:0").help("Address to listen on"))
            .arg(Arg::new("tls").long("tls").action(ArgAction::SetTrue).help("Serve HTTPS with a throwaway CA (its certificate is written to --ca-out)"))
            .arg(Arg::new("ca-out").long("ca-out").value_name("FILE").value_parser(clap::value_parser!(PathBuf)).default_value("oxconf-ews-ca.pem").help("Where to write the CA certificate when --tls is set"))
            .arg(Arg::new("minute").long("minute").value_name("DURATION").default_value("60s").help("How long one protocol minute lasts (status pings, retries): \"1s\" makes StatusFrequency 1 ping every second"))
            .arg(Arg::new("user").long("user").value_name("USER").default_value(DEFAULT_USER).help("The account's user name (HTTP Basic)"))
            .arg(Arg::new("password").long("password").value_name("PASSWORD").default_value(DEFAULT_PASSWORD).help("The account's password (HTTP Basic)"))
            .arg(Arg::new("listener-ca").long("listener-ca").value_name("FILE").value_parser(clap::value_parser!(PathBuf)).help("A CA to trust when delivering to https listeners"))
            .arg(Arg::new("profile-out").long("profile-out").value_name("FILE").value_parser(clap::value_parser!(PathBuf)).help("Write a ready push-server profile for this mock to FILE before announcing the URL"))
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

/// A push-server profile for the running mock.
pub fn ready_profile(
    url: &str,
    ca: Option<&std::path::Path>,
    user: &str,
    password: &str,
    minute: Duration,
) -> String {
    let mut p = format!(
        "suite = \"{}\"\n\n[target]\nurl = {}\nuser = {}\npassword = {}\n",
        super::NAME,
        toml_str(url),
        toml_str(user),
        toml_str(password)
    );
    if let Some(ca) = ca {
        p.push_str(&format!(
            "ca_file = {}\n",
            toml_str(&ca.display().to_string())
        ));
    }
    p.push_str("\n[push]\ncallback_host = \"127.0.0.1\"\nstatus_frequency = 1\n");
    p.push_str(&format!(
        "\n[timing]\nminute = \"{}ms\"\n",
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
    let listener_ca = match args.get_one::<PathBuf>("listener-ca") {
        None => None,
        Some(path) => match std::fs::read_to_string(path) {
            Ok(pem) => Some(pem),
            Err(e) => {
                console.complain(format!("cannot read --listener-ca {}: {e}", path.display()));
                return exit::USAGE;
            }
        },
    };
    let user = args
        .get_one::<String>("user")
        .cloned()
        .unwrap_or_else(|| DEFAULT_USER.into());
    let password = args
        .get_one::<String>("password")
        .cloned()
        .unwrap_or_else(|| DEFAULT_PASSWORD.into());
    let log_console = console.clone();
    let opts = ExchangeOptions {
        listen: args
            .get_one::<SocketAddr>("listen")
            .copied()
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0))),
        tls: args.get_flag("tls"),
        minute,
        user: user.clone(),
        password: password.clone(),
        listener_ca_pem: listener_ca,
        on_log: Some(Arc::new(move |line: String| log_console.say(line))),
    };
    let server = match MockExchange::start(opts, faults).await {
        Ok(s) => s,
        Err(e) => {
            console.complain(format!("cannot start the mock: {e}"));
            return exit::FAILURES;
        }
    };
    let ca_out = args
        .get_one::<PathBuf>("ca-out")
        .cloned()
        .unwrap_or_else(|| PathBuf::from("oxconf-ews-ca.pem"));
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
        let profile = ready_profile(&server.url(), ca.as_deref(), &user, &password, minute);
        if let Err(e) = std::fs::write(path, profile) {
            console.complain(format!("cannot write {}: {e}", path.display()));
            return exit::FAILURES;
        }
        console.say(format!("profile: {}", path.display()));
    }
    console.say(format!("url: {}", server.url()));
    if let Some(ca) = &ca {
        console.say(format!("ca: {}", ca.display()));
    }
    console.say(format!("account: {user} / {password} (HTTP Basic)"));
    console.say(format!("protocol minute: {} ms", minute.as_millis()));
    console.say(format!(
        "cause an event: curl -X POST '{}/event?kind=newmail'   (kinds: newmail created deleted moved copied modified)",
        server.control_url()
    ));
    console.say(format!(
        "subscriptions: curl '{}/subscriptions'",
        server.control_url()
    ));
    if !names.is_empty() {
        console.say(format!("faults: {}", names.join(", ")));
    }
    console.say("every EWS request and delivery is logged here; press Ctrl-C to stop");
    let _ = tokio::signal::ctrl_c().await;
    drop(server);
    exit::OK
}
