//! What a load run counts: every notification ends in exactly one outcome, and the latencies
//! of those the listener answered make the percentiles.

use std::time::Duration;

/// How one notification ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A SendNotificationResult with SubscriptionStatus OK.
    Ok,
    /// A SendNotificationResult with SubscriptionStatus Unsubscribe (still an acknowledgement).
    Unsubscribe,
    /// An HTTP status other than 200.
    HttpError,
    /// A SOAP fault.
    SoapFault,
    /// HTTP 200 without a readable SendNotificationResult.
    Invalid,
    /// No complete answer: a reset, a timeout, a connection that could not be opened.
    NoAnswer,
    /// Not sent: the run's time bound passed first.
    NotSent,
}

/// Counts per outcome and the latencies of the answered requests.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub ok: u64,
    pub unsubscribe: u64,
    pub http_errors: u64,
    pub soap_faults: u64,
    pub invalid: u64,
    pub no_answer: u64,
    pub not_sent: u64,
    /// Connections that could not be opened (part of `no_answer`).
    pub unreachable: u64,
    /// Every answered request's latency (send to full answer).
    pub latencies: Vec<Duration>,
    /// The first few problems, for the console.
    pub samples: Vec<String>,
}

/// Problems kept for the console.
const MAX_SAMPLES: usize = 5;

impl Tally {
    pub fn add(&mut self, outcome: Outcome, latency: Option<Duration>) {
        match outcome {
            Outcome::Ok => self.ok += 1,
            Outcome::Unsubscribe => self.unsubscribe += 1,
            Outcome::HttpError => self.http_errors += 1,
            Outcome::SoapFault => self.soap_faults += 1,
            Outcome::Invalid => self.invalid += 1,
            Outcome::NoAnswer => self.no_answer += 1,
            Outcome::NotSent => self.not_sent += 1,
        }
        if let Some(l) = latency {
            self.latencies.push(l);
        }
    }

    pub fn sample(&mut self, problem: impl FnOnce() -> String) {
        if self.samples.len() < MAX_SAMPLES {
            self.samples.push(problem());
        }
    }

    pub fn merge(&mut self, other: Tally) {
        self.ok += other.ok;
        self.unsubscribe += other.unsubscribe;
        self.http_errors += other.http_errors;
        self.soap_faults += other.soap_faults;
        self.invalid += other.invalid;
        self.no_answer += other.no_answer;
        self.not_sent += other.not_sent;
        self.unreachable += other.unreachable;
        self.latencies.extend(other.latencies);
        for s in other.samples {
            if self.samples.len() < MAX_SAMPLES {
                self.samples.push(s);
            }
        }
    }

    pub fn acknowledged(&self) -> u64 {
        self.ok + self.unsubscribe
    }

    pub fn not_acknowledged(&self) -> u64 {
        self.http_errors + self.soap_faults + self.invalid + self.no_answer + self.not_sent
    }

    pub fn sent(&self) -> u64 {
        self.acknowledged() + self.not_acknowledged() - self.not_sent
    }
}

/// p50, p90, p99 and max of a set of latencies (nearest rank).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Percentiles {
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Percentiles {
    pub fn of(latencies: &mut [Duration]) -> Option<Percentiles> {
        if latencies.is_empty() {
            return None;
        }
        latencies.sort_unstable();
        let rank = |p: f64| {
            let i = ((p * latencies.len() as f64).ceil() as usize).saturating_sub(1);
            latencies[i.min(latencies.len() - 1)]
        };
        Some(Percentiles {
            p50: rank(0.50),
            p90: rank(0.90),
            p99: rank(0.99),
            max: latencies[latencies.len() - 1],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let mut l: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
        let p = Percentiles::of(&mut l).expect("some");
        assert_eq!(p.p50, Duration::from_millis(50));
        assert_eq!(p.p90, Duration::from_millis(90));
        assert_eq!(p.p99, Duration::from_millis(99));
        assert_eq!(p.max, Duration::from_millis(100));
        assert!(Percentiles::of(&mut []).is_none());
    }

    #[test]
    fn every_outcome_is_counted_once() {
        let mut t = Tally::default();
        t.add(Outcome::Ok, Some(Duration::from_millis(1)));
        t.add(Outcome::Unsubscribe, Some(Duration::from_millis(1)));
        t.add(Outcome::HttpError, Some(Duration::from_millis(1)));
        t.add(Outcome::NotSent, None);
        assert_eq!(t.acknowledged(), 2);
        assert_eq!(t.not_acknowledged(), 2);
        assert_eq!(t.sent(), 3);
    }
}
