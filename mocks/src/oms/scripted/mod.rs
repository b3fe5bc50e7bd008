//! A scripted MS-OMS server for testing clients: per scenario a fresh server on loopback
//! that gives canned, possibly broken, answers and records every request.
//!
//! Built on wiremock: one mock per operation, chosen by a custom matcher (SOAP action first,
//! body element second), answering through a responder that reads the script, so answers can
//! follow the request's SOAP version and be computed from the request. A last-resort mock
//! answers everything else with a SOAP fault, so a client never waits for nothing.

mod canned;
mod documents;
mod record;
mod routing;

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use wire::oms::{fault_response, HttpSoap, Operation, ServiceInfo};
use wire::soap::FaultCode;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

use self::canned::template;
use self::routing::{unmatched_reason, AnyRequest, OperationMatcher};
use crate::net::{TestPki, TlsFront};

pub use self::canned::{Canned, Computed};
pub use self::documents::{
    batch_ids, batch_response, echo_batch_ok, example_service_info, user_info_ok, xms_response,
};
pub use self::record::Recorded;
pub use self::routing::{route, version_of, PATH};

/// Successive replies for one operation; the last one repeats.
#[derive(Debug, Default)]
struct Sequence {
    replies: Vec<Canned>,
    served: usize,
}

impl Sequence {
    fn next(&mut self) -> Option<Canned> {
        let i = self.served.min(self.replies.len().checked_sub(1)?);
        self.served += 1;
        self.replies.get(i).cloned()
    }
}

#[derive(Debug, Default)]
struct Script {
    sequences: HashMap<Operation, Sequence>,
    defaults: HashMap<Operation, Canned>,
}

type Shared = Arc<Mutex<Script>>;

/// One request the scripted server answered and the answer it gave, when it happened.
#[derive(Clone, Debug)]
pub struct Served {
    pub request: Recorded,
    /// The answer as sent (status, headers, body); a status outside 100-999 went out as 500.
    pub response: HttpSoap,
    pub at: Instant,
}

/// Called for every exchange as it happens (from the server's task: keep it quick).
pub type ExchangeHook = Arc<dyn Fn(&Served) + Send + Sync>;

/// Every exchange of one server, in arrival order, readable without awaiting.
#[derive(Clone, Default)]
pub struct ServedLog {
    exchanges: Arc<Mutex<Vec<Served>>>,
    hook: Arc<Mutex<Option<ExchangeHook>>>,
}

impl fmt::Debug for ServedLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServedLog")
            .field("exchanges", &self.snapshot().len())
            .finish()
    }
}

impl ServedLog {
    fn push(&self, request: Recorded, mut response: HttpSoap) {
        if !(100..=999).contains(&response.status) {
            response.status = 500;
        }
        let served = Served {
            request,
            response,
            at: Instant::now(),
        };
        let hook = self.hook.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(hook) = hook {
            hook(&served);
        }
        self.exchanges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(served);
    }

    /// Every exchange so far, in arrival order.
    pub fn snapshot(&self) -> Vec<Served> {
        self.exchanges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.snapshot().into_iter().map(|s| s.request).collect()
    }
}

/// A panic inside a responder leaves at worst a sequence advanced by one; the script stays
/// usable, so a poisoned lock is taken over.
fn lock(script: &Shared) -> MutexGuard<'_, Script> {
    script.lock().unwrap_or_else(|e| e.into_inner())
}

struct ScriptResponder {
    op: Operation,
    script: Shared,
    log: ServedLog,
}

impl Respond for ScriptResponder {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let recorded = Recorded::from_wiremock(request);
        let version = version_of(&recorded.headers, &recorded.body);
        let reply = {
            let mut script = lock(&self.script);
            let scripted = script.sequences.get_mut(&self.op).and_then(Sequence::next);
            scripted.or_else(|| script.defaults.get(&self.op).cloned())
        };
        let answer = match reply {
            Some(canned) => canned.render(self.op, version, &recorded),
            None => fault_response(
                version,
                FaultCode::Server,
                &format!("nothing is scripted for {}", self.op.name()),
            ),
        };
        self.log.push(recorded, answer.clone());
        template(answer)
    }
}

struct UnmatchedResponder {
    log: ServedLog,
}

impl Respond for UnmatchedResponder {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let recorded = Recorded::from_wiremock(request);
        let version = version_of(&recorded.headers, &recorded.body);
        let answer = fault_response(version, FaultCode::Client, &unmatched_reason(request));
        self.log.push(recorded, answer.clone());
        template(answer)
    }
}

/// Dropping it stops the server (and the TLS front end).
pub struct ScriptedOms {
    // Declared first so it is dropped first: no connection is proxied to a stopped server.
    front: Option<TlsFront>,
    pki: Option<TestPki>,
    server: MockServer,
    script: Shared,
    log: ServedLog,
    base_url: String,
}

impl fmt::Debug for ScriptedOms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScriptedOms")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

impl ScriptedOms {
    /// Plain HTTP, or HTTPS through a [`TlsFront`] with a fresh [`TestPki`] for 127.0.0.1 and
    /// localhost.
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
        let listener = TcpListener::bind(SocketAddr::new(host, 0))
            .map_err(|e| format!("cannot listen on {host}: {e}"))?;
        let server = MockServer::builder().listener(listener).start().await;
        let script: Shared = Arc::default();
        let log = ServedLog::default();
        for op in Operation::ALL {
            Mock::given(OperationMatcher { op })
                .respond_with(ScriptResponder {
                    op,
                    script: script.clone(),
                    log: log.clone(),
                })
                .with_priority(1)
                .named(op.name())
                .mount(&server)
                .await;
        }
        Mock::given(AnyRequest)
            .respond_with(UnmatchedResponder { log: log.clone() })
            .with_priority(u8::MAX)
            .named("unmatched")
            .mount(&server)
            .await;
        let (front, pki, base_url) = if let Some(pki) = pki {
            let listen = SocketAddr::new(host, 0);
            let front = TlsFront::start(listen, pki.server_config(), *server.address())
                .await
                .map_err(|e| format!("cannot start the TLS front end: {e}"))?;
            let base = front.base_url();
            (Some(front), Some(pki), base)
        } else {
            (None, None, server.uri())
        };
        Ok(ScriptedOms {
            front,
            pki,
            server,
            script,
            log,
            base_url,
        })
    }

    /// The exchanges so far (requests with the answers given), readable without awaiting and
    /// after the server stopped.
    pub fn log(&self) -> ServedLog {
        self.log.clone()
    }

    /// Calls `hook` for every later exchange, as it happens (replacing an earlier hook), so a
    /// transcript can hold each request and answer at the time it travelled.
    pub fn on_exchange(&self, hook: ExchangeHook) {
        *self.log.hook.lock().unwrap_or_else(|e| e.into_inner()) = Some(hook);
    }

    /// The service URL: "http(s)://127.0.0.1:PORT/oms".
    pub fn url(&self) -> String {
        format!("{}{PATH}", self.base_url)
    }

    /// The CA that signed the server certificate, when serving HTTPS.
    pub fn ca_pem(&self) -> Option<&str> {
        self.pki.as_ref().map(|p| p.ca_pem.as_str())
    }

    /// A client configuration trusting exactly this server's CA, when serving HTTPS.
    pub fn client_tls(&self) -> Option<Arc<rustls::ClientConfig>> {
        self.pki.as_ref().map(TestPki::client_config)
    }

    pub fn is_tls(&self) -> bool {
        self.front.is_some()
    }

    /// Replies for an operation: successive requests get successive entries; the last
    /// repeats. Replaces an earlier script for `op`; an empty list removes it, so the default
    /// answers again.
    pub async fn script(&self, op: Operation, replies: Vec<Canned>) {
        let mut script = lock(&self.script);
        if replies.is_empty() {
            script.sequences.remove(&op);
        } else {
            script.sequences.insert(op, Sequence { replies, served: 0 });
        }
    }

    /// Default answers so any client can complete: GetServiceInfo => `info`; GetUserInfo =>
    /// userInfo with code "OK"; DeliverXms/SendXms => "ok"/"neutral"; DeliverXmsBatch =>
    /// "ok"/"neutral" for every id of the request (echoed). `script` overrides per operation.
    pub async fn defaults(&self, info: &ServiceInfo) {
        let mut script = lock(&self.script);
        let d = &mut script.defaults;
        d.insert(Operation::GetServiceInfo, Canned::Result(info.to_xml()));
        d.insert(Operation::GetUserInfo, Canned::Result(user_info_ok()));
        d.insert(Operation::DeliverXms, Canned::ok());
        d.insert(Operation::SendXms, Canned::ok());
        d.insert(Operation::DeliverXmsBatch, Canned::computed(echo_batch_ok));
    }

    /// Every request received, in arrival order.
    pub async fn requests(&self) -> Vec<Recorded> {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .map(Recorded::from_wiremock)
            .collect()
    }

    /// The received requests the server answered as `op`.
    pub async fn requests_for(&self, op: Operation) -> Vec<Recorded> {
        let mut all = self.requests().await;
        all.retain(|r| r.op == Some(op));
        all
    }
}
