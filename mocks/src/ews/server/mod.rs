//! The mock Exchange push server: the reference implementation of the `push-server` role
//! (an EWS server that delivers push notifications, MS-OXWSPSNTIF with MS-OXWSNTIF), and the
//! EWS endpoint `push-subscriber` points applications at.
//!
//! An EWS endpoint over a small mailbox (`mailbox`): push Subscribe with its validation
//! errors, Unsubscribe and GetEvents (which push ids cannot use), CreateItem, DeleteItem,
//! MoveItem, CopyItem, UpdateItem and GetFolder, enough to cause every event kind. Each push
//! subscription has a delivery task (`delivery`) that POSTs SendNotification to its URL: at
//! once after Subscribe, as events happen (at most 50 per notification, MoreEvents), status
//! pings after StatusFrequency idle minutes, retries on Exchange's schedule while the
//! listener fails, nothing after Unsubscribe. Protocol time is scaled by `minute`.
//!
//! A control endpoint causes events from outside (for users and trigger commands):
//! `POST {base}/control/event?kind=newmail|created|deleted|moved|copied|modified[&folder=NAME]`
//! answers `{"kind":…,"item_id":…,"watermark":…}`; `GET {base}/control/subscriptions` lists
//! the subscriptions as JSON. It has no authentication: the mock listens on loopback.

mod delivery;
mod dispatch;
mod faults;
mod mailbox;

pub use delivery::{retry_due, MAX_EVENTS, SERVER_VERSION};
pub use faults::{ExchangeFaults, Faults, FAULTS, VARIANTS};
pub use mailbox::{position, watermark, FOLDERS};

use crate::net::{client_config, handler, reachable, HttpClient, HttpServer, TestPki};
use crate::record::{RecordLimits, Recorder};
use mailbox::Mailbox;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use wire::ews::{EventKind, EwsRequest, Received, SubscriptionStatus};

/// The EWS endpoint's path, as on Exchange.
pub const EWS_PATH: &str = "/EWS/Exchange.asmx";
/// The control endpoint's path prefix.
pub const CONTROL_PATH: &str = "/control";
pub const DEFAULT_USER: &str = "alice@example.com";
pub const DEFAULT_PASSWORD: &str = "oxconf-secret";
/// EWS request bodies above this get 413.
pub const MAX_REQUEST_BODY: usize = 1024 * 1024;
pub const TLS_NAMES: &[&str] = &["127.0.0.1", "localhost", "::1"];
const MAX_RECORDED: usize = 2000;
const MAX_RECORDED_BYTES: usize = 64 * 1024 * 1024;

pub type LogSink = Arc<dyn Fn(String) + Send + Sync>;

#[derive(Clone)]
pub struct ExchangeOptions {
    pub listen: SocketAddr,
    pub tls: bool,
    /// One protocol minute in wall time (60 s for real time).
    pub minute: Duration,
    pub user: String,
    pub password: String,
    /// A CA to trust when delivering to https listeners (besides none: there is no fallback
    /// to the system roots on loopback).
    pub listener_ca_pem: Option<String>,
    pub on_log: Option<LogSink>,
}

impl Default for ExchangeOptions {
    fn default() -> Self {
        ExchangeOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            tls: false,
            minute: Duration::from_secs(60),
            user: DEFAULT_USER.to_string(),
            password: DEFAULT_PASSWORD.to_string(),
            listener_ca_pem: None,
            on_log: None,
        }
    }
}

impl fmt::Debug for ExchangeOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExchangeOptions")
            .field("listen", &self.listen)
            .field("tls", &self.tls)
            .field("minute", &self.minute)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// A push subscription as the mock holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SubscriptionInfo {
    pub id: String,
    pub url: String,
    /// The watermark Subscribe returned (where delivery starts).
    pub watermark: String,
    /// Minutes.
    pub status_frequency: u32,
    /// Folder ids; `None` for SubscribeToAllFolders.
    pub folders: Option<BTreeSet<String>>,
    pub kinds: Vec<EventKind>,
    pub active: bool,
}

/// One EWS request received.
#[derive(Clone, Debug)]
pub struct EwsArrival {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub parsed: Result<Received<EwsRequest>, String>,
    pub status: u16,
}

impl EwsArrival {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One delivery attempt.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub subscription_id: String,
    pub url: String,
    /// 0 for the first attempt of a notification, then the retry's number.
    pub attempt: u32,
    pub events: Vec<EventKind>,
    pub status: Option<u16>,
    pub answered: Option<SubscriptionStatus>,
    /// "OK", "Unsubscribe", "HTTP 500", "connection failed: …".
    pub outcome: String,
}

/// What `cause` did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Caused {
    pub kind: EventKind,
    /// The id the event of `kind` carries.
    pub item_id: String,
    /// The watermark of that event.
    pub watermark: String,
}

pub(crate) struct Sub {
    pub(crate) info: SubscriptionInfo,
    /// The log position of the last event delivered.
    pub(crate) cursor: u64,
    pub(crate) wake: Arc<Notify>,
}

pub(crate) struct State {
    pub(crate) mailbox: Mailbox,
    pub(crate) subs: BTreeMap<String, Sub>,
    pub(crate) next_sub: u64,
    pub(crate) subscribe_error: Option<String>,
}

pub(crate) struct Shared {
    pub(crate) faults: Faults,
    pub(crate) minute: Duration,
    pub(crate) user: String,
    pub(crate) password: String,
    pub(crate) state: Mutex<State>,
    pub(crate) requests: Recorder<EwsArrival>,
    pub(crate) deliveries: Recorder<Delivery>,
    pub(crate) http: HttpClient,
    pub(crate) on_log: Option<LogSink>,
    pub(crate) tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `protocol` seconds in wall time.
    pub(crate) fn scale(&self, protocol_secs: f64) -> Duration {
        self.minute.mul_f64(protocol_secs / 60.0)
    }

    /// Logs a line made only when someone listens (deliveries are the hot path).
    pub(crate) fn log(&self, line: impl FnOnce() -> String) {
        if let Some(log) = &self.on_log {
            log(line());
        }
    }

    /// Wakes every delivery task after a mailbox change.
    pub(crate) fn wake_all(&self) {
        for sub in self.lock().subs.values() {
            sub.wake.notify_one();
        }
    }
}

/// A running mock Exchange; dropping it stops the endpoint and every delivery.
pub struct MockExchange {
    _http: HttpServer,
    shared: Arc<Shared>,
    base: String,
    ca_pem: Option<String>,
}

impl fmt::Debug for MockExchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockExchange")
            .field("url", &self.url())
            .field("faults", &self.shared.faults.names())
            .finish_non_exhaustive()
    }
}

impl Drop for MockExchange {
    fn drop(&mut self) {
        for task in self
            .shared
            .tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain(..)
        {
            task.abort();
        }
    }
}

/// The delivery client's answer timeout: half a protocol minute, within 1..10 s, so a hanging
/// listener counts as failed long before the next retry is due.
fn answer_timeout(minute: Duration) -> Duration {
    (minute / 2).clamp(Duration::from_secs(1), Duration::from_secs(10))
}

impl MockExchange {
    pub async fn start(opts: ExchangeOptions, faults: Faults) -> Result<MockExchange, String> {
        if opts.minute.is_zero() {
            return Err("the protocol minute must be longer than 0s".into());
        }
        let (tls, ca_pem) = if opts.tls {
            let pki = TestPki::generate(TLS_NAMES).map_err(|e| e.to_string())?;
            (Some(pki.server_config()), Some(pki.ca_pem.clone()))
        } else {
            (None, None)
        };
        let client_tls = client_config(opts.listener_ca_pem.as_deref(), false)
            .map_err(|e| format!("listener CA: {e}"))?;
        let mut http = HttpClient::new(Some(client_tls));
        http.response_timeout = answer_timeout(opts.minute);
        http.connect_timeout = answer_timeout(opts.minute);
        http.max_body = 64 * 1024;
        let shared = Arc::new(Shared {
            faults,
            minute: opts.minute,
            user: opts.user,
            password: opts.password,
            state: Mutex::new(State {
                mailbox: Mailbox::new(),
                subs: BTreeMap::new(),
                next_sub: 0,
                subscribe_error: None,
            }),
            requests: Recorder::new(RecordLimits::new(MAX_RECORDED, MAX_RECORDED_BYTES)),
            deliveries: Recorder::new(RecordLimits::new(MAX_RECORDED, MAX_RECORDED_BYTES)),
            http,
            on_log: opts.on_log,
            tasks: Mutex::new(Vec::new()),
        });
        let for_handler = Arc::clone(&shared);
        let serve = handler(move |req| {
            let shared = Arc::clone(&for_handler);
            async move { dispatch::handle(&shared, req).await }
        });
        let https = tls.is_some();
        let server = HttpServer::start(opts.listen, tls, MAX_REQUEST_BODY, serve)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", opts.listen))?;
        let scheme = if https { "https" } else { "http" };
        let base = format!("{scheme}://{}", reachable(server.local_addr()));
        Ok(MockExchange {
            _http: server,
            shared,
            base,
            ca_pem,
        })
    }

    /// The EWS endpoint.
    pub fn url(&self) -> String {
        format!("{}{EWS_PATH}", self.base)
    }

    pub fn base_url(&self) -> String {
        self.base.clone()
    }

    pub fn control_url(&self) -> String {
        format!("{}{CONTROL_PATH}", self.base)
    }

    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    pub fn requests(&self) -> Recorder<EwsArrival> {
        self.shared.requests.clone()
    }

    pub fn deliveries(&self) -> Recorder<Delivery> {
        self.shared.deliveries.clone()
    }

    pub fn subscriptions(&self) -> Vec<SubscriptionInfo> {
        self.shared
            .lock()
            .subs
            .values()
            .map(|s| s.info.clone())
            .collect()
    }

    /// From now on every push Subscribe is answered with this ResponseCode (an Error), or
    /// normally again with `None`.
    pub fn set_subscribe_error(&self, code: Option<String>) {
        self.shared.lock().subscribe_error = code;
    }

    /// Performs the mailbox action that causes an event of `kind` (in `folder`, a
    /// distinguished name, when given) and wakes the deliveries.
    pub async fn cause(&self, kind: EventKind, folder: Option<&str>) -> Result<Caused, String> {
        dispatch::cause(&self.shared, kind, folder)
    }

    /// A distinguished folder's id ("inbox").
    pub fn folder_id(&self, distinguished: &str) -> Option<String> {
        self.shared
            .lock()
            .mailbox
            .folders
            .get(distinguished)
            .cloned()
    }
}
