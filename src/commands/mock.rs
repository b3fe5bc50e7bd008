//! `oxconf mock NAME`: run a mock peer standalone, as a user would point their SUT at it, and
//! `oxconf mock-reply`, the reply trigger of the standalone OMS server.

use super::exit;
use crate::cli::{MockArgs, MockReplyArgs, MockServiceUpdateArgs};
use crate::{complain, out, say};
use mocks::net::{client_config, Endpoint, HttpClient, Request};
use mocks::oms::client::{ClientSettings, ReferenceClient};
use mocks::oms::server::{
    reference, Faults, MockOmsServer, ServerConfig, StartOptions, REPLY_PATH, SERVICE_UPDATE_PATH,
    SOAP_PATH,
};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use suites::oms::client::contract::{self, BatchFile};

/// A peer `oxconf mock` can start.
pub struct PeerInfo {
    pub name: &'static str,
    pub description: &'static str,
    pub faults: &'static [mocks::fault::Fault],
}

pub fn peers() -> Vec<PeerInfo> {
    vec![
        PeerInfo {
            name: "oms-server",
            description: "the reference MS-OMS web service (point an OMS client at it)",
            faults: mocks::oms::server::FAULTS,
        },
        PeerInfo {
            name: "oms-client",
            description: "the reference MS-OMS client, one send per run (usable as a trigger)",
            faults: mocks::oms::client::FAULTS,
        },
    ]
}

fn runtime() -> Result<tokio::runtime::Runtime, i32> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            complain!("oxconf: cannot start the async runtime: {e}");
            exit::FAILURES
        })
}

pub fn run(args: &MockArgs) -> i32 {
    let Some(name) = args.name.as_deref().filter(|_| !args.list) else {
        say!("mock peers:");
        for p in peers() {
            say!("  {:<12} {}", p.name, p.description);
        }
        return exit::OK;
    };
    let Some(peer) = peers().into_iter().find(|p| p.name == name) else {
        complain!("oxconf: unknown mock `{name}`; see `oxconf mock --list`");
        return exit::USAGE;
    };
    if args.list_faults {
        say!("faults of {}:", peer.name);
        for f in peer.faults {
            say!("  {:<28} {}", f.name, f.description);
        }
        return exit::OK;
    }
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    match name {
        "oms-server" => rt.block_on(oms_server(args)),
        _ => rt.block_on(oms_client(args)),
    }
}

async fn oms_server(args: &MockArgs) -> i32 {
    let faults = match Faults::parse(&args.faults) {
        Ok(f) => f,
        Err(e) => {
            complain!("oxconf: {e}");
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
            complain!("oxconf: cannot start the mock: {e}");
            return exit::FAILURES;
        }
    };
    let url = server.url();
    // The CA file (and the profile) exist before the URL is announced: whoever waits for the
    // URL line (a test, a script) may read them at once.
    if let Some(pem) = server.ca_pem() {
        if let Err(e) = std::fs::write(&args.ca_out, pem) {
            complain!("oxconf: cannot write {}: {e}", args.ca_out.display());
            return exit::FAILURES;
        }
    }
    let ca = server
        .ca_pem()
        .map(|_| std::path::absolute(&args.ca_out).unwrap_or_else(|_| args.ca_out.clone()));
    let profile = ready_profile(&url, ca.as_deref(), args.smtp_relay);
    if let Some(path) = &args.profile_out {
        if let Err(e) = std::fs::write(path, &profile) {
            complain!("oxconf: cannot write {}: {e}", path.display());
            return exit::FAILURES;
        }
    }
    let mut info = String::new();
    let _ = writeln!(info, "url: {url}");
    if let Some(ca) = &ca {
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
    match args.smtp_relay {
        Some(relay) => {
            let _ = writeln!(
                info,
                "phone replies go by SMTP to {relay}, for {}; trigger one with:\n  {}",
                reference::REPLY_ADDRESS,
                control_command(
                    "mock-reply",
                    &url,
                    ca.as_deref(),
                    " {recipient} {text} --kind {kind}"
                )
            );
        }
        None => {
            let _ = writeln!(info, "no --smtp-relay: phone replies are disabled");
        }
    }
    let _ = writeln!(
        info,
        "service update: POST {}{SERVICE_UPDATE_PATH}, or: {}",
        control_base(&url),
        control_command("mock-service-update", &url, ca.as_deref(), "")
    );
    let _ = writeln!(
        info,
        "faults: {}",
        if args.faults.is_empty() {
            "none".to_string()
        } else {
            args.faults.join(", ")
        }
    );
    if args.print_profile {
        let commented: String = info.lines().map(|l| format!("# {l}\n")).collect();
        out::stdout(&format!("{commented}\n{profile}"));
    } else {
        out::stdout(&info);
        match &args.profile_out {
            Some(path) => say!(
                "profile: {} (oxconf run --profile {})",
                path.display(),
                path.display()
            ),
            None => say!(
                "a ready profile for this mock (or write it with --profile-out FILE):\n\n{profile}"
            ),
        }
        say!("press Ctrl-C to stop");
    }
    let _ = tokio::signal::ctrl_c().await;
    drop(server);
    exit::OK
}

/// The reference accounts besides the main one, by the profile key that names them.
const OTHER_ACCOUNTS: &[(&str, &str)] = &[
    ("unregistered", reference::UNREGISTERED_USER),
    ("expired", reference::EXPIRED_USER),
    ("sms_only", reference::SMS_ONLY_USER),
    ("low_balance", reference::LOW_BALANCE_USER),
    ("day_limited", reference::DAY_LIMITED_USER),
    ("month_limited", reference::MONTH_LIMITED_USER),
    ("ceased", reference::CEASED_USER),
];

/// A TOML basic string (JSON's escapes are valid TOML).
fn toml_str(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// Single-quoted for `sh -c`, which runs trigger commands.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// This program, as a trigger command should call it (the running binary, so the profile works
/// without `oxconf` on PATH).
fn self_command() -> String {
    std::env::current_exe()
        .map(|p| sh_quote(&p.display().to_string()))
        .unwrap_or_else(|_| "oxconf".to_string())
}

/// `scheme://host:port` of the mock's service URL.
fn control_base(url: &str) -> String {
    match Endpoint::parse(url) {
        Ok(e) => format!("{}://{}", e.scheme.as_str(), e.authority()),
        Err(_) => url.trim_end_matches(SOAP_PATH).to_string(),
    }
}

/// `oxconf SUBCOMMAND URL ARGS [--ca-file CA]`: a trigger talking to the control endpoint.
fn control_command(sub: &str, url: &str, ca: Option<&Path>, args: &str) -> String {
    let mut cmd = format!("{} {sub} {}{args}", self_command(), sh_quote(url));
    if let Some(ca) = ca {
        cmd.push_str(&format!(
            " --ca-file {}",
            sh_quote(&ca.display().to_string())
        ));
    }
    cmd
}

/// A profile for `oxconf run` against this mock: its URL, CA, every reference account with
/// its password, the recipients with a known fate, and triggers for phone replies (with an
/// SMTP relay) and service updates.
pub fn ready_profile(url: &str, ca: Option<&Path>, smtp_relay: Option<SocketAddr>) -> String {
    let mut p = String::new();
    let _ = writeln!(
        p,
        "# oxconf profile for the mock OMS server at {url}\n# (printed by `oxconf mock oms-server`)\nsuite = \"oms-server\"\n\n[target]\nurl = {}",
        toml_str(url)
    );
    if let Some(ca) = ca {
        let _ = writeln!(p, "ca_file = {}", toml_str(&ca.display().to_string()));
    }
    let recipients: Vec<String> = reference::RECIPIENTS.iter().map(|r| toml_str(r)).collect();
    let _ = writeln!(
        p,
        "\n[oms]\nuser = {}\npassword = {}\nrecipients = [{}]\ninvalid_recipient = {}",
        toml_str(reference::USER),
        toml_str(reference::PASSWORD),
        recipients.join(", "),
        toml_str(reference::INVALID_RECIPIENT)
    );
    for (key, user) in OTHER_ACCOUNTS {
        let _ = writeln!(
            p,
            "{key}_user = {}\n{key}_password = {}",
            toml_str(user),
            toml_str(&reference::password_of(user))
        );
    }
    let _ = writeln!(
        p,
        "cross_carrier_recipient = {}\nunreachable_recipient = {}\nblocked_text = {}",
        toml_str(reference::CROSS_CARRIER_RECIPIENT),
        toml_str(reference::UNREACHABLE_RECIPIENT),
        toml_str(reference::BLOCKED_TEXT)
    );
    let _ = writeln!(
        p,
        "# POST {}{SERVICE_UPDATE_PATH} makes the mock change its service information\nservice_update_trigger = {}",
        control_base(url),
        toml_str(&control_command("mock-service-update", url, ca, ""))
    );
    if let Some(relay) = smtp_relay {
        let _ = writeln!(
            p,
            "reply_trigger = {}\nreply_address = {}\nsmtp_listen = {}",
            toml_str(&control_command(
                "mock-reply",
                url,
                ca,
                " {recipient} {text} --kind {kind}"
            )),
            toml_str(reference::REPLY_ADDRESS),
            toml_str(&relay.to_string())
        );
    }
    let _ = writeln!(p, "\n[claims]\nsend_xms = true");
    if smtp_relay.is_some() {
        let _ = writeln!(p, "mms_replies = true");
    }
    p
}

/// TLS settings for reaching `url`: none for http; for https, trust `ca_file` when given, else
/// the system's roots.
fn tls_for(
    url: &str,
    ca_file: Option<&Path>,
) -> Result<Option<std::sync::Arc<rustls::ClientConfig>>, String> {
    if !url.starts_with("https://") {
        return Ok(None);
    }
    let ca = match ca_file {
        None => None,
        Some(p) => Some(
            std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?,
        ),
    };
    client_config(ca.as_deref(), false)
        .map(Some)
        .map_err(|e| e.to_string())
}

async fn oms_client(args: &MockArgs) -> i32 {
    let Some(url) = args.url.as_deref() else {
        complain!("oxconf: mock oms-client needs --url");
        return exit::USAGE;
    };
    let faults = match mocks::oms::client::Faults::parse(&args.faults) {
        Ok(f) => f,
        Err(e) => {
            complain!("oxconf: {e}");
            return exit::USAGE;
        }
    };
    let ca_file = args
        .ca_file
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(Path::new);
    let tls = match tls_for(url, ca_file) {
        Ok(t) => t,
        Err(e) => {
            complain!("oxconf: {e}");
            return exit::USAGE;
        }
    };
    let settings = ClientSettings {
        tls,
        faults,
        ..ClientSettings::new(
            args.user.as_deref().unwrap_or(reference::USER),
            args.password.as_deref().unwrap_or(reference::PASSWORD),
        )
    };
    let client = ReferenceClient::new(settings);
    let to: Vec<String> = args
        .to
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let text = args.text.as_deref().unwrap_or("");
    let batch_file = args
        .batch_file
        .as_deref()
        .filter(|p| !p.is_empty())
        .map(Path::new);
    let result = match (args.kind.as_deref().unwrap_or(""), batch_file) {
        ("mms", _) => {
            let image = match args.image_file.as_deref().filter(|p| !p.is_empty()) {
                Some(p) => match std::fs::read(p) {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        complain!("oxconf: cannot read {p}: {e}");
                        return exit::USAGE;
                    }
                },
                None => {
                    complain!("oxconf: --kind mms needs --image-file");
                    return exit::USAGE;
                }
            };
            client.send_mms(url, &to, text, &image).await
        }
        (_, Some(path)) => {
            let batch = match BatchFile::read(path) {
                Ok(b) => b,
                Err(e) => {
                    complain!("oxconf: cannot read {}: {e}", path.display());
                    return exit::USAGE;
                }
            };
            client.send_batch(url, &batch.messages()).await
        }
        _ => client.send_sms(url, &to, text).await,
    };
    match result {
        Ok(conclusions) => {
            say!("{}", contract::lines(&conclusions));
            exit::OK
        }
        Err(e) => {
            complain!("oxconf: {e}");
            exit::FAILURES
        }
    }
}

/// POSTs `body` to a control path of a running standalone mock and prints its answer.
fn control(url: &str, path: &str, ca_file: Option<&Path>, body: String) -> i32 {
    if let Err(e) = Endpoint::parse(url) {
        complain!("oxconf: {e}");
        return exit::USAGE;
    }
    let target = format!("{}{path}", control_base(url));
    let tls = match tls_for(url, ca_file) {
        Ok(t) => t,
        Err(e) => {
            complain!("oxconf: {e}");
            return exit::USAGE;
        }
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let exchange = rt.block_on(
        HttpClient::new(tls).send(
            Request::new("POST", &target)
                .header("Content-Type", "application/json")
                .body(body.into_bytes()),
        ),
    );
    match exchange.response() {
        Some(r) if (200..300).contains(&r.status) => {
            say!("{}", r.text());
            exit::OK
        }
        Some(r) => {
            complain!("oxconf: the mock refused: HTTP {} {}", r.status, r.text());
            exit::FAILURES
        }
        None => {
            complain!("oxconf: {}", exchange.response_text());
            exit::FAILURES
        }
    }
}

/// `oxconf mock-reply`: the mock's control endpoint emits the reply by SMTP.
pub fn reply(args: &MockReplyArgs) -> i32 {
    let body = serde_json::json!({
        "recipient": args.recipient,
        "text": args.text,
        "kind": args.kind.as_str(),
    })
    .to_string();
    control(&args.url, REPLY_PATH, args.ca_file.as_deref(), body)
}

/// `oxconf mock-service-update`: the mock changes its service information (a new
/// serviceUpdate time), as the service-update trigger of a profile needs.
pub fn service_update(args: &MockServiceUpdateArgs) -> i32 {
    control(
        &args.url,
        SERVICE_UPDATE_PATH,
        args.ca_file.as_deref(),
        "{}".to_string(),
    )
}
