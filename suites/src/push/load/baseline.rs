//! The raw loopback baseline: the same bytes POSTed as fast as a bare hyper client can over
//! the same number of keep-alive connections, counting only HTTP 200s. What `oxconf load`
//! reaches against the reference listener divided by this says how much of the listener's
//! capacity the load engine's own work (building, judging, counting) leaves unused.

use super::conn::{self, Conn, Dial, Reply};
use super::per_second;
use bytes::Bytes;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// What the baseline measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Baseline {
    pub answered_200: u64,
    pub other: u64,
    pub elapsed: Duration,
}

impl Baseline {
    pub fn throughput(&self) -> f64 {
        per_second(self.answered_200, self.elapsed)
    }
}

/// POSTs `body` back to back for `duration` (at most `cap` requests) over `connections`.
pub async fn run_baseline(
    dial: &Dial,
    headers: &[(String, String)],
    body: Bytes,
    connections: usize,
    duration: Duration,
    cap: u64,
) -> Baseline {
    let start = Instant::now();
    let end = start + duration;
    let next = Arc::new(AtomicU64::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..connections {
        let dial = dial.clone();
        let headers = headers.to_vec();
        let body = body.clone();
        let next = Arc::clone(&next);
        workers.spawn(async move {
            let (mut ok, mut other) = (0u64, 0u64);
            let mut conn = Conn::default();
            while Instant::now() < end && next.fetch_add(1, Ordering::Relaxed) < cap {
                let reply = match conn::post(&dial.endpoint, &headers, body.clone()) {
                    Ok(req) => conn.send(&dial, req).await,
                    Err(e) => Reply::Broken(e),
                };
                match reply {
                    Reply::Answered { status: 200, .. } => ok += 1,
                    _ => other += 1,
                }
            }
            (ok, other)
        });
    }
    let mut b = Baseline {
        answered_200: 0,
        other: 0,
        elapsed: Duration::ZERO,
    };
    while let Some(done) = workers.join_next().await {
        if let Ok((ok, other)) = done {
            b.answered_200 += ok;
            b.other += other;
        }
    }
    b.elapsed = start.elapsed();
    b
}
