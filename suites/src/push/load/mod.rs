//! `oxconf load`: many SendNotifications at a set rate from many subscriptions, over a small
//! pool of keep-alive connections, each answer judged only as far as load needs: acknowledged
//! (a SendNotificationResult, OK or Unsubscribe, MS-OXWSPSNTIF 3.1.4.1.2.3), an HTTP error, a
//! SOAP fault, an invalid answer or none. The conformance of the answers is the
//! `push-listener` suite's job; this measures throughput and latency and counts what was lost.
//!
//! Every loop is bounded by the plan's count and by time (`LoadPlan` caps rate, duration and
//! total), and only the one target URL is ever connected to.

pub mod baseline;
pub mod conn;
pub mod plan;
pub mod tally;

pub use baseline::{run_baseline, Baseline};
pub use conn::Dial;
pub use plan::LoadPlan;
pub use tally::{Outcome, Percentiles, Tally};

use super::common::{answer::MAX_ANSWER, Notifications};
use super::listener::config::ListenerProfile;
use crate::common::http::{sut_client, Trust};
use bytes::Bytes;
use conn::{Conn, Reply};
use mocks::ews::listener::{Faults, ListenerOptions, MockListener};
use mocks::net::{Endpoint, UserUrl};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use wire::ews::{
    ns, read_listener_answer, write_send_notification, EventKind, ListenerAnswer, Prefixes,
    SubscriptionStatus,
};
use wire::soap::{request_headers, SoapVersion};
use wire::xml::Limits;

/// The listener to load and how to reach it.
#[derive(Clone)]
pub struct Target {
    pub url: String,
    pub dial: Dial,
    /// The one id a foreign listener holds (`push.subscription_id`), used for every
    /// notification; without it the run makes up `subscriptions` ids of its own.
    pub subscription_id: Option<String>,
}

impl Target {
    /// From a push-listener profile: its URL, CA and timeouts. A CA that cannot be read is a
    /// local problem (`Err`).
    pub fn from_profile(p: &ListenerProfile) -> Result<Target, String> {
        let http = sut_client(
            p.url.is_https(),
            Trust {
                ca_pem: p.ca_pem.as_deref(),
                ca_file: p.ca_file.as_deref(),
                insecure: false,
                key: "target.ca_file",
            },
            p.connect_timeout,
            p.response_timeout,
        )
        .map_err(|e| e.to_string())?;
        Ok(Target {
            url: p.url.to_string(),
            dial: Dial {
                endpoint: p.url.endpoint().clone(),
                tls: http.tls,
                connect_timeout: p.connect_timeout,
                response_timeout: p.response_timeout,
                max_answer: MAX_ANSWER,
            },
            subscription_id: p.subscription_id.clone(),
        })
    }

    /// A plain-HTTP loopback listener at `url` with the default timeouts.
    fn loopback(url: &str) -> Result<Target, String> {
        let url = UserUrl::parse(url)?;
        Ok(Target {
            url: url.to_string(),
            dial: Dial {
                endpoint: url.endpoint().clone(),
                tls: None,
                connect_timeout: super::listener::config::DEFAULT_CONNECT_TIMEOUT,
                response_timeout: super::listener::config::DEFAULT_RESPONSE_TIMEOUT,
                max_answer: MAX_ANSWER,
            },
            subscription_id: None,
        })
    }
}

/// Starts an in-process reference listener for a load run (plain HTTP on loopback,
/// keep-alive, every subscription id its own), with `faults` on.
pub async fn start_reference(faults: &[String]) -> Result<(MockListener, Target), String> {
    let faults = Faults::parse(faults)?;
    let listener = MockListener::start(
        ListenerOptions {
            keep_alive: true,
            ..ListenerOptions::default()
        },
        faults,
    )
    .await?;
    let target = Target::loopback(&listener.url())?;
    Ok((listener, target))
}

/// The notifications of one run: notification `k` belongs to subscription `k mod S` and
/// carries watermark `k`, unique in the run, so an acknowledgement names the one it was for.
pub struct Supply {
    subscriptions: Vec<Notifications>,
    headers: Vec<(String, String)>,
}

impl Supply {
    pub fn new(nonce: &str, target: &Target, subscriptions: usize) -> Supply {
        let subscriptions = match &target.subscription_id {
            Some(id) => vec![Notifications::new(nonce, Some(id))],
            None => (0..subscriptions.max(1))
                .map(|j| Notifications::new(&format!("{nonce}-s{j}"), None))
                .collect(),
        };
        Supply {
            subscriptions,
            headers: request_headers(SoapVersion::V11, &ns::action("SendNotification")),
        }
    }

    fn of(&self, k: u64) -> &Notifications {
        // The supply is never empty (see `new`).
        &self.subscriptions[(k % self.subscriptions.len() as u64) as usize]
    }

    /// The subscriptions notified for.
    pub fn subscriptions(&self) -> usize {
        self.subscriptions.len()
    }

    pub fn watermark(&self, k: u64) -> String {
        self.of(k).watermark(k as usize)
    }

    /// Notification `k` as Exchange would POST it: one NewMailEvent.
    pub fn body(&self, k: u64) -> Bytes {
        let n = self.of(k);
        let send =
            n.send(n.notification(None, false, vec![n.event(EventKind::NewMail, k as usize)]));
        Bytes::from(write_send_notification(
            SoapVersion::V11,
            &send,
            &Prefixes::Conventional,
        ))
    }

    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }
}

/// Judges one answer as far as load needs.
pub fn judge(status: u16, body: &[u8]) -> Outcome {
    let read = std::str::from_utf8(body)
        .ok()
        .and_then(|t| read_listener_answer(t, Limits::default()).ok());
    match read.map(|r| r.value) {
        Some(ListenerAnswer::Fault { .. }) => Outcome::SoapFault,
        _ if status != 200 => Outcome::HttpError,
        Some(ListenerAnswer::Result {
            status: Some(SubscriptionStatus::Ok),
            ..
        }) => Outcome::Ok,
        Some(ListenerAnswer::Result {
            status: Some(SubscriptionStatus::Unsubscribe),
            ..
        }) => Outcome::Unsubscribe,
        _ => Outcome::Invalid,
    }
}

/// What a load run measured.
#[derive(Clone, Debug)]
pub struct LoadRun {
    pub plan: LoadPlan,
    pub total: u64,
    pub tally: Tally,
    /// From the first send to the last answer.
    pub elapsed: Duration,
    pub connections_opened: u64,
    /// The notifications (by number) acknowledged, to compare with the listener's own record.
    pub acknowledged: Vec<u64>,
}

impl LoadRun {
    /// Acknowledged notifications per second.
    pub fn throughput(&self) -> f64 {
        per_second(self.tally.acknowledged(), self.elapsed)
    }
}

pub(crate) fn per_second(n: u64, elapsed: Duration) -> f64 {
    if elapsed.is_zero() {
        0.0
    } else {
        n as f64 / elapsed.as_secs_f64()
    }
}

struct Worker {
    tally: Tally,
    acknowledged: Vec<u64>,
    opened: u64,
}

/// Runs `plan` against `target`: `connections` workers take the next notification number,
/// wait until it is due and send it. Ends when every notification is sent and answered, or
/// the plan's duration plus one response timeout has passed (the rest count as not sent).
pub async fn run_load(target: &Target, plan: LoadPlan, supply: Arc<Supply>) -> LoadRun {
    let total = plan.total();
    let start = Instant::now();
    let hard_end = start + plan.duration + target.dial.response_timeout;
    let next = Arc::new(AtomicU64::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..plan.connections {
        let dial = target.dial.clone();
        let next = Arc::clone(&next);
        let supply = Arc::clone(&supply);
        workers.spawn(async move {
            let mut w = Worker {
                tally: Tally::default(),
                acknowledged: Vec::new(),
                opened: 0,
            };
            let mut conn = Conn::default();
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= total {
                    break;
                }
                let due = start + plan.due(k);
                if due.max(Instant::now()) >= hard_end {
                    w.tally.add(Outcome::NotSent, None);
                    continue;
                }
                tokio::time::sleep_until(due).await;
                send_one(&dial, &supply, k, &mut conn, &mut w).await;
            }
            w.opened = conn.opened;
            w
        });
    }
    let mut run = LoadRun {
        plan,
        total,
        tally: Tally::default(),
        elapsed: Duration::ZERO,
        connections_opened: 0,
        acknowledged: Vec::new(),
    };
    while let Some(done) = workers.join_next().await {
        // A worker cannot panic on peer input; a join error would be a bug, counted as lost.
        if let Ok(w) = done {
            run.tally.merge(w.tally);
            run.acknowledged.extend(w.acknowledged);
            run.connections_opened += w.opened;
        }
    }
    run.elapsed = start.elapsed();
    let counted = run.tally.acknowledged() + run.tally.not_acknowledged();
    run.tally.not_sent += total.saturating_sub(counted);
    run
}

async fn send_one(dial: &Dial, supply: &Supply, k: u64, conn: &mut Conn, w: &mut Worker) {
    let req = match conn::post(&dial.endpoint, supply.headers(), supply.body(k)) {
        Ok(r) => r,
        Err(e) => {
            w.tally.add(Outcome::NoAnswer, None);
            w.tally
                .sample(|| format!("notification {k}: cannot build the request: {e}"));
            return;
        }
    };
    let sent = Instant::now();
    match conn.send(dial, req).await {
        Reply::Answered { status, body } => {
            let outcome = judge(status, &body);
            w.tally.add(outcome, Some(sent.elapsed()));
            match outcome {
                Outcome::Ok | Outcome::Unsubscribe => w.acknowledged.push(k),
                other => w.tally.sample(|| {
                    format!(
                        "notification {k}: HTTP {status}, {other:?}: {}",
                        String::from_utf8_lossy(&body[..body.len().min(120)])
                    )
                }),
            }
        }
        Reply::Unreachable(e) => {
            w.tally.unreachable += 1;
            w.tally.add(Outcome::NoAnswer, None);
            w.tally.sample(|| format!("notification {k}: {e}"));
        }
        Reply::Broken(e) => {
            w.tally.add(Outcome::NoAnswer, Some(sent.elapsed()));
            w.tally.sample(|| format!("notification {k}: {e}"));
        }
    }
}

/// Whether `endpoint` accepts a TCP connection within `within` (exit 3 before any load).
pub async fn reachable(endpoint: &Endpoint, within: Duration) -> Result<(), String> {
    let addr = endpoint.host_port();
    match tokio::time::timeout(within, tokio::net::TcpStream::connect(&addr)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(format!("connect to {addr}: {e}")),
        Err(_) => Err(format!(
            "connect to {addr} timed out after {} ms",
            within.as_millis()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_classified() {
        let ok = wire::ews::write_listener_answer(SoapVersion::V11, SubscriptionStatus::Ok);
        let unsub =
            wire::ews::write_listener_answer(SoapVersion::V11, SubscriptionStatus::Unsubscribe);
        assert_eq!(judge(200, ok.as_bytes()), Outcome::Ok);
        assert_eq!(judge(200, unsub.as_bytes()), Outcome::Unsubscribe);
        assert_eq!(judge(500, b""), Outcome::HttpError);
        assert_eq!(judge(500, ok.as_bytes()), Outcome::HttpError);
        assert_eq!(judge(200, b"<oops"), Outcome::Invalid);
        let fault =
            wire::soap::write_fault(SoapVersion::V11, wire::soap::FaultCode::Server, "broken");
        assert_eq!(judge(500, fault.as_bytes()), Outcome::SoapFault);
    }
}
