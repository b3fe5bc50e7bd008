//! A scripted MS-OMS server for testing clients: per scenario a fresh server on loopback
//! that gives canned, possibly broken, answers and records every request.
//!
//! Built on the scripted HTTP peer ([`crate::http::ScriptedHttp`]) with the OMS routing key
//! (SOAP action first, body element second, for POSTs to [`PATH`]): every canned answer is a
//! computed answer, so it follows the request's SOAP version and can be computed from the
//! request. The fallback answers everything else with a SOAP fault, so a client never waits
//! for nothing. Delays, hangs and resets are scripted on [`ScriptedOms::http`] with the
//! operation's name as key.

mod canned;
mod documents;
mod record;
mod routing;

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use wire::oms::{fault_response, HttpSoap, Operation, ServiceInfo};
use wire::soap::FaultCode;

use self::canned::to_reply;
use self::routing::{key, operation, unmatched_reason};
use crate::http::{Answer, Calls, Exchange, Given, Route, ScriptedHttp, ScriptedHttpConfig};
use crate::net::{Listen, TestPki};
use crate::record::{Arrival, Recorder};

pub use self::canned::{Canned, Computed};
pub use self::documents::{
    batch_ids, batch_response, echo_batch_ok, example_service_info, user_info_ok, xms_response,
};
pub use self::record::Recorded;
pub use self::routing::{route, version_of, PATH};

/// One request the scripted server answered and the answer it gave, when it arrived.
#[derive(Clone, Debug)]
pub struct Served {
    pub request: Recorded,
    /// The answer as sent (status, headers, body); a status outside 100-999 went out as 500.
    /// Status 0 with an empty body: no response was sent (a hang or a reset scripted on
    /// [`ScriptedOms::http`]).
    pub response: HttpSoap,
    pub at: Instant,
}

impl Served {
    fn from_exchange(exchange: &Arrival<Exchange>) -> Served {
        let response = match &exchange.item.answer {
            Given::Reply(r) => HttpSoap {
                status: r.status,
                headers: r.headers.clone(),
                body: String::from_utf8_lossy(&r.body).into_owned(),
            },
            Given::Hang | Given::Reset => HttpSoap {
                status: 0,
                headers: Vec::new(),
                body: String::new(),
            },
        };
        Served {
            request: Recorded::from_exchange(exchange),
            response,
            at: exchange.at,
        }
    }
}

/// Called for every exchange as it happens (from the server's task: keep it quick).
pub type ExchangeHook = Arc<dyn Fn(&Served) + Send + Sync>;

/// Every exchange of one server, in arrival order, readable without awaiting and after the
/// server stopped.
#[derive(Clone, Default)]
pub struct ServedLog {
    log: Recorder<Exchange>,
}

impl fmt::Debug for ServedLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServedLog")
            .field("exchanges", &self.log.len())
            .finish()
    }
}

impl ServedLog {
    /// Every exchange so far, in arrival order.
    pub fn snapshot(&self) -> Vec<Served> {
        // Parsed outside the log's lock, which the server needs to record.
        self.log
            .snapshot()
            .iter()
            .map(Served::from_exchange)
            .collect()
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.log
            .snapshot()
            .iter()
            .map(Recorded::from_exchange)
            .collect()
    }

    /// The underlying exchanges, with raw bodies and arrival times, to wait on.
    pub fn recorder(&self) -> Recorder<Exchange> {
        self.log.clone()
    }
}

/// A canned reply as an answer: rendered for the request it answers.
fn answer(op: Operation, canned: Canned) -> Answer {
    Answer::computed(move |request| {
        let recorded = Recorded::from_request(request);
        let version = version_of(&recorded.headers, &recorded.body);
        to_reply(canned.render(op, version, &recorded))
    })
}

/// What answers a request no script or default claims: a Server fault for an operation that
/// has nothing scripted, a Client fault for a request that names no operation.
fn fallback() -> Answer {
    Answer::computed(|request| {
        let version = version_of(&request.headers, &request.body_text());
        let reply = match key(request).as_deref().and_then(operation) {
            Some(op) => fault_response(
                version,
                FaultCode::Server,
                &format!("nothing is scripted for {}", op.name()),
            ),
            None => fault_response(version, FaultCode::Client, &unmatched_reason(request)),
        };
        to_reply(reply)
    })
}

/// Dropping it stops the server (and the TLS front end).
pub struct ScriptedOms {
    http: ScriptedHttp,
}

impl fmt::Debug for ScriptedOms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScriptedOms")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

impl ScriptedOms {
    /// Plain HTTP, or HTTPS with a fresh [`TestPki`] for 127.0.0.1 and localhost.
    pub async fn start(tls: bool) -> Result<ScriptedOms, String> {
        let pki = if tls {
            Some(
                TestPki::generate(&["127.0.0.1", "localhost"])
                    .map_err(|e| format!("cannot make TLS material: {e}"))?,
            )
        } else {
            None
        };
        ScriptedOms::start_with(IpAddr::from([127, 0, 0, 1]), pki).await
    }

    /// Listens on `host` (an ephemeral port); HTTPS with the given CA (a client under test
    /// trusts one CA for a whole run), or plain HTTP without one.
    pub async fn start_with(host: IpAddr, pki: Option<TestPki>) -> Result<ScriptedOms, String> {
        ScriptedOms::start_on(Listen::on(SocketAddr::new(host, 0)), pki).await
    }

    /// Listens as `listen` says, and hands out its advertised URL (plus [`PATH`]).
    pub async fn start_on(listen: Listen, pki: Option<TestPki>) -> Result<ScriptedOms, String> {
        let bind = listen.bind;
        let mut cfg = ScriptedHttpConfig::new(Route::new(key));
        cfg.listen = listen;
        cfg.tls = pki;
        cfg.fallback = fallback();
        let http = ScriptedHttp::start(cfg)
            .await
            .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
        Ok(ScriptedOms { http })
    }

    /// The scripted HTTP peer underneath: for delays, hangs and resets (keyed by the
    /// operation's name), waits and expectations.
    pub fn http(&self) -> &ScriptedHttp {
        &self.http
    }

    /// The exchanges so far (requests with the answers given), readable without awaiting and
    /// after the server stopped.
    pub fn log(&self) -> ServedLog {
        ServedLog {
            log: self.http.log(),
        }
    }

    /// Calls `hook` for every later exchange, as it happens (replacing an earlier hook), so a
    /// transcript can hold each request and answer at the time it travelled.
    pub fn on_exchange(&self, hook: ExchangeHook) {
        self.http
            .on_exchange(Arc::new(move |e| hook(&Served::from_exchange(e))));
    }

    /// The service URL: "http(s)://127.0.0.1:PORT/oms", or the advertised base plus "/oms".
    pub fn url(&self) -> String {
        format!("{}{PATH}", self.http.url())
    }

    /// The CA that signed the server certificate, when serving HTTPS.
    pub fn ca_pem(&self) -> Option<&str> {
        self.http.ca_pem()
    }

    /// A client configuration trusting exactly this server's CA, when serving HTTPS.
    pub fn client_tls(&self) -> Option<Arc<rustls::ClientConfig>> {
        self.http.client_tls()
    }

    pub fn is_tls(&self) -> bool {
        self.http.is_tls()
    }

    /// Replies for an operation: successive requests get successive entries; the last
    /// repeats. Replaces an earlier script for `op`; an empty list removes it, so the default
    /// answers again.
    pub async fn script(&self, op: Operation, replies: Vec<Canned>) {
        let answers = replies.into_iter().map(|c| answer(op, c)).collect();
        self.http.script(op.name(), answers).await;
    }

    /// Default answers so any client can complete: GetServiceInfo => `info`; GetUserInfo =>
    /// userInfo with code "OK"; DeliverXms/SendXms => "ok"/"neutral"; DeliverXmsBatch =>
    /// "ok"/"neutral" for every id of the request (echoed). `script` overrides per operation.
    pub async fn defaults(&self, info: &ServiceInfo) {
        let defaults = [
            (Operation::GetServiceInfo, Canned::Result(info.to_xml())),
            (Operation::GetUserInfo, Canned::Result(user_info_ok())),
            (Operation::DeliverXms, Canned::ok()),
            (Operation::SendXms, Canned::ok()),
            (Operation::DeliverXmsBatch, Canned::computed(echo_batch_ok)),
        ];
        for (op, canned) in defaults {
            self.http.set_default(op.name(), answer(op, canned)).await;
        }
    }

    /// Requires `calls` requests for `op` by the time [`ScriptedOms::verify`] runs.
    pub fn expect(&self, op: Operation, calls: Calls) {
        self.http.expect(op.name(), calls);
    }

    /// The expectations that do not hold, as messages; empty when all hold.
    pub fn verify(&self) -> Vec<String> {
        self.http.verify()
    }

    /// Every request received, in arrival order.
    pub async fn requests(&self) -> Vec<Recorded> {
        self.log().requests()
    }

    /// The received requests the server answered as `op`.
    pub async fn requests_for(&self, op: Operation) -> Vec<Recorded> {
        let mut all = self.requests().await;
        all.retain(|r| r.op == Some(op));
        all
    }
}
