//! `oxconf mock NAME`: run a mock peer standalone, as a user would point their SUT at it, and
//! `oxconf mock-reply`, the reply trigger of the standalone OMS server.

use super::exit;
use crate::cli::{MockArgs, MockReplyArgs};
use mocks::net::{client_config, Endpoint, HttpClient, Request};
use mocks::oms::client::{BatchFile, ClientSettings, ReferenceClient};
use mocks::oms::server::{
    reference, Faults, MockOmsServer, ServerConfig, StartOptions, REPLY_PATH,
};
use std::path::Path;

/// A peer `oxconf mock` can start.
pub struct PeerInfo {
    pub name: &'static str,
    pub description: &'static str,
    pub faults: &'static [(&'static str, &'static str)],
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
            eprintln!("oxconf: cannot start the async runtime: {e}");
            exit::FAILURES
        })
}

pub fn run(args: &MockArgs) -> i32 {
    let Some(name) = args.name.as_deref().filter(|_| !args.list) else {
        println!("mock peers:");
        for p in peers() {
            println!("  {:<12} {}", p.name, p.description);
        }
        return exit::OK;
    };
    let Some(peer) = peers().into_iter().find(|p| p.name == name) else {
        eprintln!("oxconf: unknown mock `{name}`; see `oxconf mock --list`");
        return exit::USAGE;
    };
    if args.list_faults {
        println!("faults of {}:", peer.name);
        for (f, d) in peer.faults {
            println!("  {f:<28} {d}");
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
            eprintln!("oxconf: {e}");
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
            eprintln!("oxconf: cannot start the mock: {e}");
            return exit::FAILURES;
        }
    };
    let url = server.url();
    // The CA file exists before the URL is announced: whoever waits for the URL line (a test,
    // a script) may read the file at once.
    if let Some(pem) = server.ca_pem() {
        if let Err(e) = std::fs::write(&args.ca_out, pem) {
            eprintln!("oxconf: cannot write {}: {e}", args.ca_out.display());
            return exit::FAILURES;
        }
    }
    println!("url: {url}");
    if server.ca_pem().is_some() {
        println!("ca: {}", args.ca_out.display());
    }
    println!(
        "account: {} / {}  recipients: {}  invalid recipient: {}",
        reference::USER,
        reference::PASSWORD,
        reference::RECIPIENTS.join(", "),
        reference::INVALID_RECIPIENT
    );
    match args.smtp_relay {
        Some(relay) => println!(
            "phone replies go by SMTP to {relay}, for {}; trigger one with:\n  oxconf mock-reply {url} {{recipient}} {{text}} --kind {{kind}}{}",
            reference::REPLY_ADDRESS,
            if args.tls {
                format!(" --ca-file {}", args.ca_out.display())
            } else {
                String::new()
            }
        ),
        None => println!("no --smtp-relay: phone replies are disabled"),
    }
    println!(
        "faults: {}",
        if args.faults.is_empty() {
            "none".to_string()
        } else {
            args.faults.join(", ")
        }
    );
    println!("press Ctrl-C to stop");
    let _ = tokio::signal::ctrl_c().await;
    drop(server);
    exit::OK
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
        eprintln!("oxconf: mock oms-client needs --url");
        return exit::USAGE;
    };
    let faults = match mocks::oms::client::Faults::parse(&args.faults) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("oxconf: {e}");
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
            eprintln!("oxconf: {e}");
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
                        eprintln!("oxconf: cannot read {p}: {e}");
                        return exit::USAGE;
                    }
                },
                None => {
                    eprintln!("oxconf: --kind mms needs --image-file");
                    return exit::USAGE;
                }
            };
            client.send_mms(url, &to, text, &image).await
        }
        (_, Some(path)) => {
            let batch = match std::fs::read_to_string(path)
                .map_err(|e| e.to_string())
                .and_then(|t| serde_json::from_str::<BatchFile>(&t).map_err(|e| e.to_string()))
            {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("oxconf: cannot read {}: {e}", path.display());
                    return exit::USAGE;
                }
            };
            client.send_batch(url, &batch).await
        }
        _ => client.send_sms(url, &to, text).await,
    };
    match result {
        Ok(outcomes) => {
            for o in outcomes {
                println!("{}", o.to_line());
            }
            exit::OK
        }
        Err(e) => {
            eprintln!("oxconf: {e}");
            exit::FAILURES
        }
    }
}

/// Posts to the standalone mock's control endpoint, which emits the reply by SMTP.
pub fn reply(args: &MockReplyArgs) -> i32 {
    let endpoint = match Endpoint::parse(&args.url) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("oxconf: {e}");
            return exit::USAGE;
        }
    };
    let control = format!(
        "{}://{}{REPLY_PATH}",
        endpoint.scheme.as_str(),
        endpoint.authority()
    );
    let tls = match tls_for(&args.url, args.ca_file.as_deref()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("oxconf: {e}");
            return exit::USAGE;
        }
    };
    let body = serde_json::json!({
        "recipient": args.recipient,
        "text": args.text,
        "kind": args.kind,
    })
    .to_string();
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let exchange = rt.block_on(
        HttpClient::new(tls).send(
            Request::new("POST", &control)
                .header("Content-Type", "application/json")
                .body(body.into_bytes()),
        ),
    );
    match exchange.response() {
        Some(r) if (200..300).contains(&r.status) => {
            println!("{}", r.text());
            exit::OK
        }
        Some(r) => {
            eprintln!("oxconf: the mock refused: HTTP {} {}", r.status, r.text());
            exit::FAILURES
        }
        None => {
            eprintln!("oxconf: {}", exchange.response_text());
            exit::FAILURES
        }
    }
}
