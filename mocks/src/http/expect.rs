//! How often a kind of request must come, checked when the scenario ends. A broken
//! expectation is a message for the verdict, never a panic (wiremock's own expectations panic
//! when the server is dropped, so the peer counts calls itself).

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Calls {
    Exactly(u64),
    AtLeast(u64),
    AtMost(u64),
    /// Inclusive on both ends.
    Between(u64, u64),
}

impl Calls {
    pub fn holds(self, n: u64) -> bool {
        match self {
            Calls::Exactly(e) => n == e,
            Calls::AtLeast(min) => n >= min,
            Calls::AtMost(max) => n <= max,
            Calls::Between(min, max) => (min..=max).contains(&n),
        }
    }

    /// The fewest calls that can satisfy it: what waiting can still bring about.
    pub fn minimum(self) -> u64 {
        match self {
            Calls::Exactly(n) | Calls::AtLeast(n) | Calls::Between(n, _) => n,
            Calls::AtMost(_) => 0,
        }
    }

    /// "DeliverXms: expected at least 1 call, got 0"
    pub(crate) fn unmet(self, key: &str, got: u64) -> Option<String> {
        (!self.holds(got)).then(|| format!("{key}: expected {self}, got {got}"))
    }
}

fn calls(n: u64) -> &'static str {
    if n == 1 {
        "call"
    } else {
        "calls"
    }
}

impl fmt::Display for Calls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Calls::Exactly(n) => write!(f, "exactly {n} {}", calls(n)),
            Calls::AtLeast(n) => write!(f, "at least {n} {}", calls(n)),
            Calls::AtMost(n) => write!(f, "at most {n} {}", calls(n)),
            Calls::Between(a, b) => write!(f, "between {a} and {b} calls"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_messages() {
        assert!(Calls::Exactly(2).holds(2) && !Calls::Exactly(2).holds(3));
        assert!(Calls::AtLeast(1).holds(5) && !Calls::AtLeast(1).holds(0));
        assert!(Calls::AtMost(1).holds(0) && !Calls::AtMost(1).holds(2));
        assert!(Calls::Between(1, 2).holds(2) && !Calls::Between(1, 2).holds(3));
        assert_eq!(
            Calls::AtLeast(1).unmet("DeliverXms", 0).as_deref(),
            Some("DeliverXms: expected at least 1 call, got 0")
        );
        assert_eq!(
            Calls::Between(1, 3).unmet("k", 4).as_deref(),
            Some("k: expected between 1 and 3 calls, got 4")
        );
        assert_eq!(Calls::Exactly(2).unmet("k", 2), None);
    }
}
