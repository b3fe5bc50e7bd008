//! The scripted HTTP peer: a fresh listener per scenario that answers each kind of request
//! (its routing key) as the scenario scripted, records every exchange, and checks at the end
//! how often each kind came.
//!
//! Built on wiremock: every scripted answer is one wiremock mock, the answers of a sequence
//! answer once each (`up_to_n_times(1)`) and the last one repeats, so wiremock's first match
//! in mounting order does the sequencing. Scripts are scoped mocks: replacing a key's script
//! drops the guards of the old one. Standing defaults answer a key without a script, and a
//! fallback answers what nothing claims, so a caller never waits for nothing unless the
//! scenario wants it to.
//!
//! The three layers are told apart by their matchers (a default steps back while its key has
//! a script, the fallback while its key has either), not by wiremock priorities: wiremock
//! sorts its mocks by priority in place, which moves the mocks the scoped guards point at, so
//! that dropping a guard would unmount another mock. With one priority the stable sort
//! moves nothing.
//!
//! wiremock cannot hold a connection past the peer's end or reset one, so every connection
//! goes through a [`Front`] (a TCP proxy, with TLS when asked): a reset answer makes wiremock
//! drop the connection without a response, which the front turns into a TCP reset towards the
//! caller; a hang is a reply held back for longer than [`HANG`], which the front cuts off
//! (with a reset) at [`HANG`], or when the peer is dropped (with a close).
//!
//! wiremock's own expectations panic when a server or guard is dropped unsatisfied, so the
//! peer counts calls per key itself and reports unmet expectations as messages.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use wiremock::{Mock, MockGuard, MockServer, Respond, ResponseTemplate};

use super::answer::{Answer, Reply, What};
use super::exchange::{AnsweredBy, Exchange, Given, HttpRequest};
use super::expect::Calls;
use super::route::Route;
use crate::net::server::HANG_LIMIT;
use crate::net::{Front, FrontOptions, Listen, Scheme, TestPki};
use crate::record::{Arrival, RecordLimits, Recorder};

/// How long a hanging answer holds the connection before the peer resets it.
pub const HANG: Duration = HANG_LIMIT;
/// wiremock's part of a hang: longer than [`HANG`], so the front always cuts it first and
/// the caller never gets a late reply.
const HANG_DELAY: Duration = Duration::from_secs(HANG_LIMIT.as_secs() + 60);

/// Called for every exchange as it is recorded, on the server's task: keep it quick and do
/// not call back into the peer from it.
pub type ExchangeHook = Arc<dyn Fn(&Arrival<Exchange>) + Send + Sync>;

#[derive(Clone, Debug)]
pub struct ScriptedHttpConfig {
    pub listen: Listen,
    /// Serve HTTPS with this CA's server certificate; plain HTTP without.
    pub tls: Option<TestPki>,
    pub route: Route,
    /// What the exchange log keeps.
    pub limits: RecordLimits,
    /// The answer for requests no script or default claims.
    pub fallback: Answer,
}

impl ScriptedHttpConfig {
    /// Loopback, any free port, plain HTTP, default record limits, and 404 for anything
    /// unscripted.
    pub fn new(route: Route) -> ScriptedHttpConfig {
        ScriptedHttpConfig {
            listen: Listen::default(),
            tls: None,
            route,
            limits: RecordLimits::default(),
            fallback: Answer::text(404, "nothing is scripted for this request"),
        }
    }
}

/// What the responders share with the peer.
struct Shared {
    route: Route,
    log: Recorder<Exchange>,
    /// Requests per routing key (`None`: no key), counted apart from the log so that the log's
    /// bounds cannot falsify an expectation.
    calls: Mutex<HashMap<Option<String>, u64>>,
    hook: Mutex<Option<ExchangeHook>>,
    claims: Mutex<Claims>,
}

/// The keys a script or a default answers, so the layers below step back.
#[derive(Default)]
struct Claims {
    scripted: HashSet<String>,
    defaulted: HashSet<String>,
}

/// A panic in a hook or a computed answer leaves the counters and the hook usable, so a
/// poisoned lock is taken over.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shared {
    fn record(
        &self,
        request: HttpRequest,
        key: Option<String>,
        by: AnsweredBy,
        answer: &Given,
        delay: Duration,
    ) {
        *lock(&self.calls).entry(key.clone()).or_default() += 1;
        let arrival = Arrival {
            at: Instant::now(),
            raw: request.body,
            item: Exchange {
                target: match &request.query {
                    Some(q) => format!("{}?{q}", request.path),
                    None => request.path,
                },
                method: request.method,
                headers: request.headers,
                key,
                answered_by: by,
                answer: answer.clone(),
                delay,
            },
        };
        let hook = lock(&self.hook).clone();
        if let Some(hook) = hook {
            hook(&arrival);
        }
        self.log.push_arrival(arrival);
    }
}

/// Matches the requests one layer answers: a script every request with its key, a default
/// those whose key has no script, the fallback those whose key (if any) has neither.
struct Claim {
    layer: AnsweredBy,
    key: Option<String>,
    shared: Arc<Shared>,
}

impl wiremock::Match for Claim {
    fn matches(&self, request: &wiremock::Request) -> bool {
        let key = self.shared.route.key(&HttpRequest::from_wiremock(request));
        let claims = lock(&self.shared.claims);
        match (self.layer, key) {
            (AnsweredBy::Script, key) => key.is_some() && key == self.key,
            (AnsweredBy::Default, Some(key)) => {
                Some(&key) == self.key.as_ref() && !claims.scripted.contains(&key)
            }
            (AnsweredBy::Default, None) => false,
            (AnsweredBy::Fallback, Some(key)) => {
                !claims.scripted.contains(&key) && !claims.defaulted.contains(&key)
            }
            (AnsweredBy::Fallback, None) => true,
        }
    }
}

/// Gives one answer and records the exchange.
struct Responder {
    /// The key it was mounted for; `None` for the fallback, which asks the route.
    key: Option<String>,
    by: AnsweredBy,
    answer: Answer,
    shared: Arc<Shared>,
}

impl Responder {
    fn key_of(&self, request: &HttpRequest) -> Option<String> {
        match &self.key {
            Some(k) => Some(k.clone()),
            None => self.shared.route.key(request),
        }
    }
}

impl Respond for Responder {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let request = HttpRequest::from_wiremock(request);
        let key = self.key_of(&request);
        let (given, delay) = match &self.answer.what {
            What::Reply(r) => (Given::Reply(r.clone().sendable()), self.answer.delay),
            What::Computed(f) => (Given::Reply(f(&request).sendable()), self.answer.delay),
            What::Hang => (Given::Hang, HANG_DELAY),
            // Mounted with `respond_with_err`; answered here only if mounted wrongly.
            What::Reset => (Given::Reset, Duration::ZERO),
        };
        self.shared.record(request, key, self.by, &given, delay);
        let template = match &given {
            Given::Reply(reply) => template(reply),
            Given::Hang | Given::Reset => ResponseTemplate::new(500),
        };
        if delay.is_zero() {
            template
        } else {
            template.set_delay(delay)
        }
    }
}

impl Responder {
    /// The reset answer: recorded, then an error for wiremock to drop the connection on.
    fn reset(&self, request: &wiremock::Request) -> ResetRequested {
        let request = HttpRequest::from_wiremock(request);
        let key = self.key_of(&request);
        self.shared
            .record(request, key, self.by, &Given::Reset, Duration::ZERO);
        ResetRequested
    }
}

/// Returned to wiremock's HTTP stack so that it drops the connection without a response.
#[derive(Debug)]
struct ResetRequested;

impl fmt::Display for ResetRequested {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the script resets this connection")
    }
}

impl std::error::Error for ResetRequested {}

fn template(reply: &Reply) -> ResponseTemplate {
    // wiremock panics on a Content-Type it cannot send; such a one is left out.
    let content_type = reply
        .header_value("content-type")
        .filter(|v| wiremock::http::HeaderValue::try_from(*v).is_ok())
        .unwrap_or_default();
    let mut t = ResponseTemplate::new(reply.status).set_body_raw(reply.body.to_vec(), content_type);
    for (name, value) in reply
        .headers
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("content-type"))
    {
        // A name or value HTTP cannot carry is left out rather than failing the answer.
        if let (Ok(n), Ok(v)) = (
            wiremock::http::HeaderName::try_from(name.as_str()),
            wiremock::http::HeaderValue::try_from(value.as_str()),
        ) {
            t = t.append_header(n, v);
        }
    }
    t
}

/// A running scripted peer; dropping it closes its listener and every connection to it.
pub struct ScriptedHttp {
    // Declared first so it is dropped first: callers are let go before the server stops.
    front: Front,
    scripts: Mutex<HashMap<String, Vec<MockGuard>>>,
    defaults: Mutex<HashMap<String, MockGuard>>,
    fallback: Mutex<Option<MockGuard>>,
    server: MockServer,
    shared: Arc<Shared>,
    expectations: Mutex<Vec<(String, Calls)>>,
    pki: Option<TestPki>,
    url: String,
}

impl fmt::Debug for ScriptedHttp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScriptedHttp")
            .field("url", &self.url)
            .field("bound", &self.front.local_addr())
            .finish_non_exhaustive()
    }
}

impl ScriptedHttp {
    pub async fn start(cfg: ScriptedHttpConfig) -> io::Result<ScriptedHttp> {
        // wiremock itself only ever sees the front, over loopback.
        let inner = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
        let server = MockServer::builder()
            .listener(inner)
            // The peer keeps its own, bounded, log.
            .disable_request_recording()
            .start()
            .await;
        let opts = FrontOptions {
            tls: cfg.tls.as_ref().map(TestPki::server_config),
            idle: HANG,
            reset_unanswered: true,
        };
        let front = Front::start(cfg.listen.bind, *server.address(), opts).await?;
        let scheme = if cfg.tls.is_some() {
            Scheme::Https
        } else {
            Scheme::Http
        };
        let url = cfg.listen.url(scheme, front.local_addr());
        let peer = ScriptedHttp {
            front,
            scripts: Mutex::default(),
            defaults: Mutex::default(),
            fallback: Mutex::default(),
            server,
            shared: Arc::new(Shared {
                route: cfg.route,
                log: Recorder::new(cfg.limits),
                calls: Mutex::default(),
                hook: Mutex::default(),
                claims: Mutex::default(),
            }),
            expectations: Mutex::default(),
            pki: cfg.tls,
            url,
        };
        peer.set_fallback(cfg.fallback).await;
        Ok(peer)
    }

    /// The URL the SUT is told to call: the advertised one, else derived from the bound
    /// address.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// Where the peer actually listens.
    pub fn local_addr(&self) -> SocketAddr {
        self.front.local_addr()
    }

    pub fn is_tls(&self) -> bool {
        self.front.is_tls()
    }

    /// The CA that signed the server certificate, when serving HTTPS.
    pub fn ca_pem(&self) -> Option<&str> {
        self.pki.as_ref().map(|p| p.ca_pem.as_str())
    }

    /// A client configuration trusting exactly this peer's CA, when serving HTTPS.
    pub fn client_tls(&self) -> Option<Arc<rustls::ClientConfig>> {
        self.pki.as_ref().map(TestPki::client_config)
    }

    fn mock(&self, key: Option<&str>, by: AnsweredBy, answer: Answer) -> Mock {
        let name = key.unwrap_or("fallback").to_owned();
        let builder = Mock::given(Claim {
            layer: by,
            key: key.map(str::to_owned),
            shared: Arc::clone(&self.shared),
        });
        let responder = Responder {
            key: key.map(str::to_owned),
            by,
            answer,
            shared: Arc::clone(&self.shared),
        };
        if responder.answer.is_reset() {
            builder.respond_with_err(move |r: &wiremock::Request| responder.reset(r))
        } else {
            builder.respond_with(responder)
        }
        .named(name)
    }

    /// Answers for `key`: successive requests get successive answers, the last repeats.
    /// Replaces an earlier script for `key` (starting over at its first answer); an empty list
    /// removes it, so the default or the fallback answers again.
    pub async fn script(&self, key: &str, answers: Vec<Answer>) {
        let last = answers.len().saturating_sub(1);
        let mut guards = Vec::with_capacity(answers.len());
        for (i, answer) in answers.into_iter().enumerate() {
            let mut mock = self.mock(Some(key), AnsweredBy::Script, answer);
            if i < last {
                mock = mock.up_to_n_times(1);
            }
            guards.push(self.server.register_as_scoped(mock).await);
        }
        let old = if guards.is_empty() {
            lock(&self.shared.claims).scripted.remove(key);
            lock(&self.scripts).remove(key)
        } else {
            lock(&self.shared.claims).scripted.insert(key.to_owned());
            lock(&self.scripts).insert(key.to_owned(), guards)
        };
        // Unmounted outside the lock: dropping a guard waits for wiremock's own lock.
        drop(old);
    }

    /// The standing answer for `key` whenever no script for it is left (replacing an earlier
    /// one).
    pub async fn set_default(&self, key: &str, answer: Answer) {
        let mock = self.mock(Some(key), AnsweredBy::Default, answer);
        let guard = self.server.register_as_scoped(mock).await;
        lock(&self.shared.claims).defaulted.insert(key.to_owned());
        let old = lock(&self.defaults).insert(key.to_owned(), guard);
        drop(old);
    }

    /// The answer for everything no script or default claims (replacing the earlier one).
    pub async fn set_fallback(&self, answer: Answer) {
        let mock = self.mock(None, AnsweredBy::Fallback, answer);
        let guard = self.server.register_as_scoped(mock).await;
        let old = lock(&self.fallback).replace(guard);
        drop(old);
    }

    /// Requires `calls` requests with `key` by the time [`ScriptedHttp::verify`] runs
    /// (whoever answered them). Several expectations for one key must all hold.
    pub fn expect(&self, key: &str, calls: Calls) {
        lock(&self.expectations).push((key.to_owned(), calls));
    }

    /// Requests with `key` so far (counted even when the log was full).
    pub fn calls(&self, key: &str) -> u64 {
        self.count(&Some(key.to_owned()))
    }

    /// Requests the route gave no key.
    pub fn unrouted(&self) -> u64 {
        self.count(&None)
    }

    fn count(&self, key: &Option<String>) -> u64 {
        lock(&self.shared.calls).get(key).copied().unwrap_or(0)
    }

    /// The expectations that do not hold now, as readable messages ("SendNotification:
    /// expected exactly 2 calls, got 1"); empty when all hold.
    pub fn verify(&self) -> Vec<String> {
        let expectations = lock(&self.expectations).clone();
        expectations
            .iter()
            .filter_map(|(key, calls)| calls.unmet(key, self.calls(key)))
            .collect()
    }

    /// Waits until every expectation has had its fewest calls, or `deadline` passes, then
    /// verifies: what waiting could not bring about (or went past) is returned.
    pub async fn wait_satisfied(&self, deadline: Instant) -> Vec<String> {
        let expectations = lock(&self.expectations).clone();
        let shared = Arc::clone(&self.shared);
        // Counters go up before the arrival is pushed, so each change the recorder signals
        // is already counted when the predicate runs.
        let _ = self
            .shared
            .log
            .wait_until(
                move |_| {
                    let calls = lock(&shared.calls);
                    expectations.iter().all(|(key, c)| {
                        calls.get(&Some(key.clone())).copied().unwrap_or(0) >= c.minimum()
                    })
                },
                deadline,
            )
            .await;
        self.verify()
    }

    /// Calls `hook` for every later exchange as it is recorded (replacing an earlier hook),
    /// so a transcript can hold each request and answer at the time it travelled.
    pub fn on_exchange(&self, hook: ExchangeHook) {
        *lock(&self.shared.hook) = Some(hook);
    }

    /// The exchange log; a clone shares it, and stays readable after the peer stopped.
    pub fn log(&self) -> Recorder<Exchange> {
        self.shared.log.clone()
    }

    /// Every exchange kept so far, in arrival order.
    pub fn exchanges(&self) -> Vec<Arrival<Exchange>> {
        self.shared.log.snapshot()
    }

    /// Waits until at least `n` exchanges with `key` are in the log, or `deadline` passes.
    pub async fn wait_for_key(
        &self,
        key: &str,
        n: usize,
        deadline: Instant,
    ) -> Result<Vec<Arrival<Exchange>>, Vec<Arrival<Exchange>>> {
        let of_key = |a: &Arrival<Exchange>| a.item.key.as_deref() == Some(key);
        let all = self
            .shared
            .log
            .wait_until(
                |log| log.iter().filter(|a| of_key(a)).count() >= n,
                deadline,
            )
            .await;
        match all {
            Ok(mut v) => {
                v.retain(of_key);
                Ok(v)
            }
            Err(mut v) => {
                v.retain(of_key);
                Err(v)
            }
        }
    }
}
