//! How much load a run may put on a listener, and the bounds that keep every run finite.

use std::time::Duration;

/// Notifications per second at most.
pub const MAX_RATE: u32 = 20_000;
/// The longest run.
pub const MAX_DURATION: Duration = Duration::from_secs(600);
/// Concurrent connections at most (the reference listener serves up to 256).
pub const MAX_CONNECTIONS: usize = 64;
/// Distinct subscriptions at most.
pub const MAX_SUBSCRIPTIONS: usize = 10_000;
/// Notifications in one run at most, whatever the rate and duration.
pub const MAX_REQUESTS: u64 = 1_000_000;

/// A validated load: `rate` notifications a second for `duration`, over `connections`
/// keep-alive connections, spread over `subscriptions` subscription ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadPlan {
    pub rate: u32,
    pub duration: Duration,
    pub connections: usize,
    pub subscriptions: usize,
}

impl LoadPlan {
    /// Every bound checked; the message says which one a value breaks.
    pub fn new(
        rate: u32,
        duration: Duration,
        connections: usize,
        subscriptions: usize,
    ) -> Result<LoadPlan, String> {
        if rate == 0 || rate > MAX_RATE {
            return Err(format!(
                "--rate must be 1..={MAX_RATE} notifications a second"
            ));
        }
        if duration.is_zero() || duration > MAX_DURATION {
            return Err(format!(
                "--duration must be longer than 0s and at most {}s",
                MAX_DURATION.as_secs()
            ));
        }
        if connections == 0 || connections > MAX_CONNECTIONS {
            return Err(format!("--connections must be 1..={MAX_CONNECTIONS}"));
        }
        if subscriptions == 0 || subscriptions > MAX_SUBSCRIPTIONS {
            return Err(format!("--subscriptions must be 1..={MAX_SUBSCRIPTIONS}"));
        }
        let plan = LoadPlan {
            rate,
            duration,
            connections,
            subscriptions,
        };
        let wanted = (f64::from(rate) * duration.as_secs_f64()).ceil();
        if wanted > MAX_REQUESTS as f64 {
            return Err(format!(
                "--rate × --duration asks for {wanted} notifications; at most {MAX_REQUESTS} a run"
            ));
        }
        Ok(plan)
    }

    /// The notifications the run sends: rate × duration, at least one.
    pub fn total(&self) -> u64 {
        ((f64::from(self.rate) * self.duration.as_secs_f64()).ceil() as u64).clamp(1, MAX_REQUESTS)
    }

    /// When notification `k` is due, counted from the start.
    pub fn due(&self, k: u64) -> Duration {
        Duration::from_secs_f64(k as f64 / f64::from(self.rate))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_enforced() {
        let s = Duration::from_secs(1);
        assert!(LoadPlan::new(0, s, 1, 1).is_err());
        assert!(LoadPlan::new(MAX_RATE + 1, s, 1, 1).is_err());
        assert!(LoadPlan::new(10, MAX_DURATION + s, 1, 1).is_err());
        assert!(LoadPlan::new(10, s, 0, 1).is_err());
        assert!(LoadPlan::new(10, s, MAX_CONNECTIONS + 1, 1).is_err());
        assert!(LoadPlan::new(10, s, 1, 0).is_err());
        assert!(LoadPlan::new(MAX_RATE, MAX_DURATION, 1, 1).is_err());
        let p = LoadPlan::new(200, s, 4, 16).expect("valid");
        assert_eq!(p.total(), 200);
        assert_eq!(p.due(100), Duration::from_millis(500));
    }
}
