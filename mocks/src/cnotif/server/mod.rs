//! The mock MAPI/HTTP server (reference peer of `notif-server`): the mailbox endpoint of
//! MS-OXCMAPIHTTP with session context cookies, Connect (PollsMax), Execute over the ROPs of
//! `wire::rop` with pending notifications appended as RopNotify and announced with RopPending,
//! NotificationWait held until an event or the 5-minute timeout with PENDING keep-alives, and
//! Disconnect. Protocol time is scaled by `minute`.

pub mod execute;
pub mod faults;
pub mod push;
pub mod script;
pub mod store;

pub use faults::{Faults, FAULTS};
pub use script::{Class, Registered, Script, Seen, Signal, WaitMode};

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::net::{
    handler, reachable, Behaviour, ChannelBody, HttpServer, ResponseBody, ServerRequest,
    ServerResponse, TestPki,
};
use store::{Session, Store};
use wire::mapihttp::{
    self, header, response_code as rc, ConnectRequest, ConnectSuccess, ExecuteRequest,
    ExecuteSuccess, RequestType, WaitSuccess,
};

/// The mailbox endpoint's path, as on Exchange.
pub const EMSMDB_PATH: &str = "/mapi/emsmdb/";
pub const DEFAULT_USER: &str = "alice";
pub const DEFAULT_PASSWORD: &str = "oxconf-secret";
pub const DEFAULT_MAILBOX_DN: &str =
    "/o=Example/ou=Exchange Administrative Group/cn=Recipients/cn=alice";
/// The session context cookie's name (implementation-specific, MS-OXCMAPIHTTP 3.1.5).
pub const CONTEXT_COOKIE: &str = "MapiContext";
pub const SEQUENCE_COOKIE: &str = "MapiSequence";
pub const MAX_REQUEST_BODY: usize = 1024 * 1024;
const TLS_NAMES: &[&str] = &["127.0.0.1", "localhost", "::1"];

#[derive(Clone, Debug)]
pub struct MapiOptions {
    pub listen: SocketAddr,
    pub tls: bool,
    /// One protocol minute in wall time (60 s for real time): NotificationWait is held up to
    /// five of them, keep-alives go every half minute, PollsMax is one minute.
    pub minute: Duration,
    pub user: String,
    pub password: String,
}

impl Default for MapiOptions {
    fn default() -> Self {
        MapiOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            tls: false,
            minute: Duration::from_secs(60),
            user: DEFAULT_USER.to_string(),
            password: DEFAULT_PASSWORD.to_string(),
        }
    }
}

struct Shared {
    opts: MapiOptions,
    faults: Faults,
    store: Store,
    nonce: u64,
    script: Option<Arc<Script>>,
}

impl Shared {
    fn wait_timeout(&self) -> Duration {
        let five = self.opts.minute * 5;
        if self.faults.is_on("wait-past-timeout") {
            five * 2
        } else {
            five
        }
    }

    fn pending_period(&self) -> Duration {
        (self.opts.minute / 2).max(Duration::from_millis(20))
    }
}

/// A running mock MAPI/HTTP server; dropping it stops it.
pub struct MockMapiServer {
    _http: HttpServer,
    shared: Arc<Shared>,
    base: String,
    ca_pem: Option<String>,
}

impl fmt::Debug for MockMapiServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockMapiServer")
            .field("url", &self.url())
            .field("faults", &self.shared.faults.names())
            .finish_non_exhaustive()
    }
}

impl MockMapiServer {
    pub async fn start(opts: MapiOptions, faults: Faults) -> Result<MockMapiServer, String> {
        Self::start_with(opts, faults, None).await
    }

    /// A server the `notif-client` suite scripts (see [`script`]).
    pub async fn start_scripted(
        opts: MapiOptions,
        faults: Faults,
        script: Arc<Script>,
    ) -> Result<MockMapiServer, String> {
        Self::start_with(opts, faults, Some(script)).await
    }

    async fn start_with(
        opts: MapiOptions,
        faults: Faults,
        script: Option<Arc<Script>>,
    ) -> Result<MockMapiServer, String> {
        if opts.minute.is_zero() {
            return Err("the protocol minute must be longer than 0s".into());
        }
        let (tls, ca_pem) = if opts.tls {
            let pki = TestPki::generate(TLS_NAMES).map_err(|e| e.to_string())?;
            (Some(pki.server_config()), Some(pki.ca_pem.clone()))
        } else {
            (None, None)
        };
        let listen = opts.listen;
        let nonce = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let shared = Arc::new(Shared {
            opts,
            faults,
            store: Store::default(),
            nonce,
            script,
        });
        let for_handler = Arc::clone(&shared);
        let serve = handler(move |req| {
            let shared = Arc::clone(&for_handler);
            async move { handle(&shared, req).await }
        });
        let https = tls.is_some();
        let server = HttpServer::start(listen, tls, MAX_REQUEST_BODY, serve)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        let scheme = if https { "https" } else { "http" };
        let base = format!("{scheme}://{}", reachable(server.local_addr()));
        Ok(MockMapiServer {
            _http: server,
            shared,
            base,
            ca_pem,
        })
    }

    /// The mailbox endpoint URL.
    pub fn url(&self) -> String {
        format!("{}{EMSMDB_PATH}", self.base)
    }

    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Registers a UDP push callback for the session with this context cookie (what the
    /// control endpoint does for a client; see [`push`]). Datagrams go every `interval` while
    /// notifications are pending.
    pub async fn register_push(
        &self,
        cookie: &str,
        target: push::PushTarget,
        interval: Duration,
    ) -> Result<(), String> {
        register_push(&self.shared, cookie, target, interval).await
    }

    /// The Session Context cookie of the client the script follows, once it has registered.
    pub fn client_cookie(&self) -> Option<String> {
        self.shared.script.as_ref().and_then(|s| s.client_cookie())
    }
}

async fn register_push(
    shared: &Arc<Shared>,
    cookie: &str,
    target: push::PushTarget,
    interval: Duration,
) -> Result<(), String> {
    let session = shared
        .store
        .session(cookie)
        .ok_or_else(|| "no such session context".to_string())?;
    let script = shared.script.clone();
    push::start(&session, target, interval, move || {
        if let Some(s) = &script {
            s.credit();
        }
    })
    .await
    .map_err(|e| format!("cannot open a UDP socket: {e}"))
}

fn authorized(shared: &Shared, req: &ServerRequest) -> bool {
    req.basic_auth_is(&shared.opts.user, &shared.opts.password)
}

fn cookie<'a>(req: &'a ServerRequest, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
        .flat_map(|(_, v)| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// The headers every response carries (MS-OXCMAPIHTTP 2.2.2.2).
fn headers(
    shared: &Shared,
    req: &ServerRequest,
    kind: &str,
    code: u32,
    session: Option<&Session>,
) -> Vec<(String, String)> {
    let mut h = vec![
        (
            "Content-Type".to_string(),
            if code == 0 {
                mapihttp::CONTENT_TYPE.to_string()
            } else {
                "text/html".to_string()
            },
        ),
        (header::REQUEST_TYPE.to_string(), kind.to_string()),
        (header::RESPONSE_CODE.to_string(), code.to_string()),
        (
            header::PENDING_PERIOD.to_string(),
            shared.pending_period().as_millis().to_string(),
        ),
        (
            header::EXPIRATION_INFO.to_string(),
            (shared.opts.minute * 15).as_millis().to_string(),
        ),
        (
            header::SERVER_APPLICATION.to_string(),
            "oxconf-mock/15.0".to_string(),
        ),
    ];
    for name in [header::REQUEST_ID, header::CLIENT_INFO] {
        if let Some(v) = req.header(name) {
            h.push((name.to_string(), v.to_string()));
        }
    }
    if let Some(s) = session {
        let seq = {
            let mut st = s.lock();
            st.sequence += 1;
            st.sequence
        };
        if !(shared.faults.is_on("no-cookie") && kind == "Connect") {
            h.push((
                "Set-Cookie".to_string(),
                format!("{CONTEXT_COOKIE}={}; path=/mapi/emsmdb", s.cookie),
            ));
            h.push((
                "Set-Cookie".to_string(),
                format!("{SEQUENCE_COOKIE}={seq}; path=/mapi/emsmdb"),
            ));
        }
    }
    h
}

/// A failure: X-ResponseCode ≠ 0 with a text/html diagnostic body.
fn refuse(
    shared: &Shared,
    req: &ServerRequest,
    kind: &str,
    code: u32,
    why: &str,
) -> ServerResponse {
    let body = format!("<html><body>X-ResponseCode {code}: {why}</body></html>");
    ServerResponse::new(
        200,
        headers(shared, req, kind, code, None),
        body.into_bytes(),
    )
}

/// A complete response stream at once: PROCESSING, DONE, the additional headers, the body.
fn stream_now(body: &[u8], started: Instant) -> Vec<u8> {
    let mut out = mapihttp::PROCESSING.to_vec();
    out.extend_from_slice(&mapihttp::stream_tail(
        started.elapsed().as_millis() as u64,
        body,
    ));
    out
}

async fn handle(shared: &Arc<Shared>, req: ServerRequest) -> ServerResponse {
    let started = Instant::now();
    let path = req.path.split('?').next().unwrap_or_default();
    if path == push::CONTROL_PATH {
        return control(shared, &req).await;
    }
    if !path
        .trim_end_matches('/')
        .eq_ignore_ascii_case(EMSMDB_PATH.trim_end_matches('/'))
    {
        return ServerResponse::new(404, vec![], b"not the mailbox endpoint".to_vec());
    }
    if shared.faults.is_on("hang") {
        return ServerResponse::new(200, vec![], vec![]).with_behaviour(Behaviour::Hang);
    }
    if shared.faults.is_on("reset") {
        return ServerResponse::new(200, vec![], vec![]).with_behaviour(Behaviour::Reset);
    }
    if !authorized(shared, &req) {
        return ServerResponse::new(
            401,
            vec![(
                "WWW-Authenticate".to_string(),
                "Basic realm=\"oxconf\"".to_string(),
            )],
            b"authentication required".to_vec(),
        );
    }
    let kind = req
        .header(header::REQUEST_TYPE)
        .unwrap_or_default()
        .to_string();
    if shared.faults.is_on("garbage") {
        return ServerResponse::new(200, vec![], crate::hostile::garbage().to_vec());
    }
    if shared.faults.is_on("endless-pending") {
        let (body, tx) = ChannelBody::new(4);
        let period = shared.pending_period();
        tokio::spawn(async move {
            let _ = tx.send(mapihttp::PROCESSING.to_vec()).await;
            for _ in 0..10_000 {
                tokio::time::sleep(period).await;
                if tx.send(mapihttp::PENDING.to_vec()).await.is_err() {
                    break;
                }
            }
        });
        let mut r = ServerResponse::new(200, headers(shared, &req, &kind, 0, None), vec![]);
        r.body = ResponseBody::Channel(body);
        return r;
    }
    if !req.method.eq_ignore_ascii_case("POST") {
        return refuse(shared, &req, &kind, rc::INVALID_VERB, "only POST");
    }
    if kind.is_empty() {
        return refuse(shared, &req, &kind, rc::MISSING_HEADER, "no X-RequestType");
    }
    let Some(request_type) = RequestType::parse(&kind) else {
        return refuse(
            shared,
            &req,
            &kind,
            rc::INVALID_REQUEST_TYPE,
            "unknown X-RequestType",
        );
    };
    if request_type == RequestType::Connect {
        return connect(shared, &req, started);
    }
    let Some(cookie_value) = cookie(&req, CONTEXT_COOKIE) else {
        return refuse(
            shared,
            &req,
            &kind,
            rc::MISSING_COOKIE,
            "no session context cookie",
        );
    };
    let Some(session) = shared.store.session(cookie_value) else {
        return refuse(
            shared,
            &req,
            &kind,
            rc::CONTEXT_NOT_FOUND,
            "no such session context",
        );
    };
    match request_type {
        RequestType::Connect => unreachable!("handled above"),
        RequestType::Execute => {
            let Ok(body) = ExecuteRequest::read(&req.body) else {
                return refuse(
                    shared,
                    &req,
                    &kind,
                    rc::INVALID_REQUEST_BODY,
                    "unreadable Execute body",
                );
            };
            let (logged, delivery) = match &shared.script {
                Some(script) => {
                    let (rops, raw) = rop_names(&body.rop_buffer);
                    let class = script.classify_execute(&rops);
                    let at = script.record(Seen {
                        at: script.elapsed(),
                        class,
                        rops,
                        raw,
                        max_rop_out: body.max_rop_out,
                        answered: None,
                        pendings: Vec::new(),
                        notifies: 0,
                    });
                    let delivery = execute::Delivery {
                        per_response: script.per_response(),
                        foreign_pending: script.take_foreign_pending(),
                    };
                    (Some(at), delivery)
                }
                None => (None, execute::Delivery::default()),
            };
            let done = execute::execute(
                &shared.store,
                &session,
                &shared.faults,
                &body.rop_buffer,
                body.max_rop_out,
                delivery,
            );
            if let (Some(script), Some(at)) = (&shared.script, logged) {
                if let Some(foreign) = delivery.foreign_pending {
                    if !done.pendings.contains(&foreign) {
                        script.send_foreign_pending(foreign);
                    }
                }
                script.executed(at, &session, done.pendings.clone(), done.notifies);
            }
            let out = ExecuteSuccess {
                error_code: done.error_code,
                flags: 0,
                rop_buffer: done.rop_buffer,
            };
            ServerResponse::new(
                200,
                headers(shared, &req, &kind, 0, Some(&session)),
                stream_now(&out.write(), started),
            )
        }
        RequestType::Disconnect => {
            if let Some(script) = &shared.script {
                script.record(Seen::of(script, Class::Disconnect));
            }
            shared.store.close_session(cookie_value);
            ServerResponse::new(
                200,
                headers(shared, &req, &kind, 0, None),
                stream_now(&mapihttp::write_disconnect_success(), started),
            )
        }
        RequestType::Ping => ServerResponse::new(
            200,
            headers(shared, &req, &kind, 0, Some(&session)),
            stream_now(&[], started),
        ),
        RequestType::NotificationWait => wait(shared, &req, session, started),
    }
}

fn connect(shared: &Arc<Shared>, req: &ServerRequest, started: Instant) -> ServerResponse {
    let Ok(_body) = ConnectRequest::read(&req.body) else {
        return refuse(
            shared,
            req,
            "Connect",
            rc::INVALID_REQUEST_BODY,
            "unreadable Connect body",
        );
    };
    let session = shared.store.open_session(shared.nonce);
    let polls_max = match &shared.script {
        Some(script) => {
            script.record(Seen::of(script, Class::Connect));
            script.polls_max
        }
        None => shared.opts.minute.as_millis() as u32,
    };
    let out = ConnectSuccess {
        error_code: 0,
        polls_max,
        retry_count: 6,
        retry_delay: 10_000,
        dn_prefix: "/o=Example/ou=Exchange Administrative Group".to_string(),
        display_name: "Alice".to_string(),
    };
    ServerResponse::new(
        200,
        headers(shared, req, "Connect", 0, Some(&session)),
        stream_now(&out.write(), started),
    )
}

/// NotificationWait: at once when something is queued (or the wait is a second one, which is
/// rejected), else held with keep-alives until an event or the timeout.
fn wait(
    shared: &Arc<Shared>,
    req: &ServerRequest,
    session: Arc<Session>,
    started: Instant,
) -> ServerResponse {
    let kind = "NotificationWait";
    let hdrs = headers(shared, req, kind, 0, Some(&session));
    let now =
        |w: WaitSuccess| ServerResponse::new(200, hdrs.clone(), stream_now(&w.write(), started));
    if shared.faults.is_on("wait-returns-at-once") {
        return now(WaitSuccess {
            error_code: 0,
            event_pending: false,
        });
    }
    if let Some(script) = &shared.script {
        return scripted_wait(shared, script, hdrs, session, started);
    }
    if !session.begin_wait() && !shared.faults.is_on("accepts-second-wait") {
        return now(WaitSuccess {
            error_code: wire::rop::ec::REJECTED,
            event_pending: false,
        });
    }
    if !session.lock().queue.is_empty() {
        session.end_wait();
        return now(WaitSuccess {
            error_code: 0,
            event_pending: true,
        });
    }
    let (body, tx) = ChannelBody::new(8);
    let timeout = shared.wait_timeout();
    let period = shared.pending_period();
    let keepalive = !shared.faults.is_on("no-keepalive");
    let flag_on_event = !shared.faults.is_on("wait-no-event-pending");
    tokio::spawn(async move {
        if tx.send(mapihttp::PROCESSING.to_vec()).await.is_err() {
            session.end_wait();
            return;
        }
        let deadline = tokio::time::Instant::now() + timeout;
        let mut next_ping = tokio::time::Instant::now() + period;
        let event = loop {
            if !session.lock().queue.is_empty() {
                break true;
            }
            tokio::select! {
                _ = session.wake.notified() => {}
                _ = tokio::time::sleep_until(next_ping) => {
                    next_ping += period;
                    if keepalive && tx.send(mapihttp::PENDING.to_vec()).await.is_err() {
                        session.end_wait();
                        return;
                    }
                }
                _ = tokio::time::sleep_until(deadline) => break false,
            }
        };
        session.end_wait();
        let result = WaitSuccess {
            error_code: 0,
            event_pending: event && flag_on_event,
        };
        let _ = tx
            .send(mapihttp::stream_tail(
                started.elapsed().as_millis() as u64,
                &result.write(),
            ))
            .await;
    });
    let mut r = ServerResponse::new(200, hdrs, vec![]);
    r.body = ResponseBody::Channel(body);
    r
}

/// The ROP names of an Execute's RopBuffer; empty for an empty (polling) Execute or one that
/// cannot be read (the processing answers that one).
fn rop_names(rop_buffer: &[u8]) -> (Vec<&'static str>, Vec<u8>) {
    let Ok(payload) = wire::rop::read_rpc_ext(rop_buffer) else {
        return (Vec::new(), Vec::new());
    };
    if payload.is_empty() {
        return (Vec::new(), Vec::new());
    }
    match wire::rop::read_rop_buffer(&payload) {
        Ok(b) => {
            let names = wire::rop::read_requests(b.rops)
                .map(|reqs| reqs.iter().map(|r| r.name()).collect())
                .unwrap_or_else(|_| vec!["(unreadable)"]);
            (names, b.rops.to_vec())
        }
        Err(_) => (vec!["(unreadable)"], Vec::new()),
    }
}

/// NotificationWait under a script: rejected, or held until the suite signals (EventPending
/// set) or the timeout (clear), with keep-alives.
fn scripted_wait(
    shared: &Arc<Shared>,
    script: &Arc<Script>,
    hdrs: Vec<(String, String)>,
    session: Arc<Session>,
    started: Instant,
) -> ServerResponse {
    let at = script.record(Seen::of(script, Class::Wait));
    if script.wait_mode() == WaitMode::Reject {
        let w = WaitSuccess {
            error_code: wire::rop::ec::REJECTED,
            event_pending: false,
        };
        return ServerResponse::new(200, hdrs, stream_now(&w.write(), started));
    }
    let (body, tx) = ChannelBody::new(8);
    let timeout = shared.wait_timeout();
    let period = shared.pending_period();
    let script = Arc::clone(script);
    tokio::spawn(async move {
        if tx.send(mapihttp::PROCESSING.to_vec()).await.is_err() {
            return;
        }
        let deadline = tokio::time::Instant::now() + timeout;
        let mut next_ping = tokio::time::Instant::now() + period;
        let event = loop {
            let woken = session.wake.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            if script.take_signal() {
                break true;
            }
            tokio::select! {
                _ = woken => {}
                // A client that gave up on the wait must not consume the next signal.
                _ = tx.closed() => return,
                _ = tokio::time::sleep_until(next_ping) => {
                    next_ping += period;
                    if tx.send(mapihttp::PENDING.to_vec()).await.is_err() {
                        return;
                    }
                }
                _ = tokio::time::sleep_until(deadline) => break false,
            }
        };
        script.answered(at, event);
        let result = WaitSuccess {
            error_code: 0,
            event_pending: event,
        };
        let _ = tx
            .send(mapihttp::stream_tail(
                started.elapsed().as_millis() as u64,
                &result.write(),
            ))
            .await;
    });
    let mut r = ServerResponse::new(200, hdrs, vec![]);
    r.body = ResponseBody::Channel(body);
    r
}

/// The control endpoint: a push registration for the session in the Cookie header.
async fn control(shared: &Arc<Shared>, req: &ServerRequest) -> ServerResponse {
    let answer = |status: u16, text: String| {
        ServerResponse::new(
            status,
            vec![("Content-Type".to_string(), "application/json".to_string())],
            serde_json::json!({ "result": text })
                .to_string()
                .into_bytes(),
        )
    };
    if !authorized(shared, req) {
        return answer(401, "authentication required".into());
    }
    if !req.method.eq_ignore_ascii_case("POST") {
        return answer(405, "POST a registration".into());
    }
    let Some(cookie_value) = cookie(req, CONTEXT_COOKIE) else {
        return answer(400, format!("no {CONTEXT_COOKIE} cookie: Connect first"));
    };
    let registration: push::Registration = match serde_json::from_slice(&req.body) {
        Ok(r) => r,
        Err(e) => return answer(400, format!("not a registration: {e}")),
    };
    let target = match registration.target() {
        Ok(t) => t,
        Err(e) => return answer(400, e),
    };
    let interval = registration
        .interval_ms
        .map(Duration::from_millis)
        .unwrap_or(shared.opts.minute);
    match register_push(shared, cookie_value, target, interval).await {
        Ok(()) => answer(200, "registered".into()),
        Err(e) => answer(404, e),
    }
}
