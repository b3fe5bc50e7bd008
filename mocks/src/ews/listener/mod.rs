//! The mock push listener: the reference implementation of the `push-listener` role (a client
//! application's notification web service, MS-OXWSPSNTIF 3.1), and the listener the
//! `push-server` suite runs to receive what the server under test sends.
//!
//! It reads every request through the strict `wire::ews` reader, records it with the answer
//! it gave, and answers as its script says: `OK` by default, `Unsubscribe` for subscriptions
//! it does not hold (when told which it holds). Request bodies are bounded (`max_body`, 4 MiB
//! by default, 413 beyond), so a server posting a huge body or an entity bomb gets a 4xx and
//! the harness keeps its memory.

mod answer;
mod faults;
mod ledger;
mod script;

pub use faults::{Faults, ListenerFaults, FAULTS, VARIANTS};
pub use ledger::{Acknowledged, MAX_TRACKED};
pub use script::{Answer, Script, Step};

use crate::net::{handler, reachable, HttpServer, ServerLimits, TestPki};
use crate::record::{RecordLimits, Recorder};
use std::collections::BTreeSet;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wire::ews::{Received, SendNotification, SubscriptionStatus};

/// Where the listener serves by default.
pub const DEFAULT_PATH: &str = "/push";
/// Request bodies above this get 413 (settable with `ListenerOptions::max_body`).
pub const DEFAULT_MAX_BODY: usize = 4 * 1024 * 1024;
/// Host names the listener's throwaway certificate is valid for.
pub const TLS_NAMES: &[&str] = &["127.0.0.1", "localhost", "::1"];
/// The only name the certificate holds under `tls-wrong-name`.
pub const WRONG_TLS_NAME: &str = "wrong.invalid";
/// The most requests kept (later ones are counted, not kept).
pub const MAX_RECORDED: usize = 2000;
const MAX_RECORDED_BYTES: usize = 64 * 1024 * 1024;

/// A log line sink (the standalone peer prints them).
pub type LogSink = Arc<dyn Fn(String) + Send + Sync>;

#[derive(Clone)]
pub struct ListenerOptions {
    pub listen: SocketAddr,
    pub tls: bool,
    /// The path notifications are POSTed to; other paths get 404.
    pub path: String,
    pub max_body: usize,
    /// The subscription ids the listener holds; `None`: it treats every id as its own.
    pub own_ids: Option<BTreeSet<String>>,
    pub script: Script,
    pub on_log: Option<LogSink>,
    /// Serve several requests per connection (a load run's pool reuses its connections).
    pub keep_alive: bool,
}

impl Default for ListenerOptions {
    fn default() -> Self {
        ListenerOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            tls: false,
            path: DEFAULT_PATH.to_string(),
            max_body: DEFAULT_MAX_BODY,
            own_ids: None,
            script: Script::default(),
            on_log: None,
            keep_alive: false,
        }
    }
}

impl fmt::Debug for ListenerOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListenerOptions")
            .field("listen", &self.listen)
            .field("tls", &self.tls)
            .field("path", &self.path)
            .field("max_body", &self.max_body)
            .field("own_ids", &self.own_ids)
            .field("script", &self.script)
            .field("keep_alive", &self.keep_alive)
            .finish_non_exhaustive()
    }
}

/// What the listener made of one request and what it answered.
#[derive(Clone, Debug)]
pub struct Notified {
    pub method: String,
    pub path: String,
    /// Names in lower case, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The request read by the strict reader, or why it could not be read.
    pub parsed: Result<Received<SendNotification>, String>,
    /// The HTTP status answered.
    pub status: u16,
    /// The SubscriptionStatus answered, when the answer was a result.
    pub answered: Option<SubscriptionStatus>,
    /// How long the answer was held back.
    pub delay: Duration,
}

impl Notified {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The notification, when the request was a readable SendNotification.
    pub fn notification(&self) -> Option<&SendNotification> {
        self.parsed.as_ref().ok().map(|r| &r.value)
    }
}

/// State the handler shares.
pub(crate) struct Shared {
    pub(crate) faults: Faults,
    pub(crate) path: String,
    pub(crate) own_ids: Option<BTreeSet<String>>,
    pub(crate) script: Mutex<Script>,
    /// Requests answered so far (the script's position).
    pub(crate) answered: Mutex<usize>,
    pub(crate) seen_watermarks: Mutex<BTreeSet<String>>,
    pub(crate) dead: std::sync::atomic::AtomicBool,
    pub(crate) busy: tokio::sync::Mutex<()>,
    pub(crate) log: Recorder<Notified>,
    pub(crate) on_log: Option<LogSink>,
    pub(crate) ledger: ledger::Ledger,
}

/// A running mock listener; dropping it stops it.
pub struct MockListener {
    _http: HttpServer,
    shared: Arc<Shared>,
    url: String,
    ca_pem: Option<String>,
}

impl fmt::Debug for MockListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockListener")
            .field("url", &self.url)
            .field("faults", &self.shared.faults.names())
            .finish_non_exhaustive()
    }
}

impl MockListener {
    pub async fn start(opts: ListenerOptions, faults: Faults) -> Result<MockListener, String> {
        let (tls, ca_pem) = if opts.tls {
            let names: &[&str] = if faults.is_on("tls-wrong-name") {
                &[WRONG_TLS_NAME]
            } else {
                TLS_NAMES
            };
            let pki = TestPki::generate(names).map_err(|e| e.to_string())?;
            (Some(pki.server_config()), Some(pki.ca_pem.clone()))
        } else {
            (None, None)
        };
        let shared = Arc::new(Shared {
            faults,
            path: opts.path.clone(),
            own_ids: opts.own_ids,
            script: Mutex::new(opts.script),
            answered: Mutex::new(0),
            seen_watermarks: Mutex::new(BTreeSet::new()),
            dead: std::sync::atomic::AtomicBool::new(false),
            busy: tokio::sync::Mutex::new(()),
            log: Recorder::new(RecordLimits::new(MAX_RECORDED, MAX_RECORDED_BYTES)),
            on_log: opts.on_log,
            ledger: ledger::Ledger::default(),
        });
        let for_handler = Arc::clone(&shared);
        let serve = handler(move |req| {
            let shared = Arc::clone(&for_handler);
            async move { answer::handle(&shared, req).await }
        });
        let https = tls.is_some();
        let mut limits = ServerLimits::new(opts.max_body);
        limits.keep_alive = opts.keep_alive;
        let http = HttpServer::start_with_limits(opts.listen, tls, limits, serve)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", opts.listen))?;
        let scheme = if https { "https" } else { "http" };
        let url = format!("{scheme}://{}{}", reachable(http.local_addr()), opts.path);
        Ok(MockListener {
            _http: http,
            shared,
            url,
            ca_pem,
        })
    }

    /// The URL to put in a push Subscribe.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// With TLS: the throwaway CA that signed the listener's certificate.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Every request received, with the answer given, to wait on; readable after the
    /// listener stopped.
    pub fn notifications(&self) -> Recorder<Notified> {
        self.shared.log.clone()
    }

    /// The watermarks of every notification answered with a SendNotificationResult, each
    /// with how often it was (see `Acknowledged`).
    pub fn acknowledged(&self) -> Acknowledged {
        self.shared.ledger.snapshot()
    }

    /// Replaces the script; the position in it starts again at the next request.
    pub fn set_script(&self, script: Script) {
        *self.shared.script.lock().unwrap_or_else(|p| p.into_inner()) = script;
        *self
            .shared
            .answered
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = 0;
    }
}
