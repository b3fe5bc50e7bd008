//! What the listener acknowledged, per watermark: a load run sends every watermark once, so a
//! count of two means the listener answered the same notification twice (or was sent it
//! twice), and a watermark the sender saw answered but the ledger lacks was never judged here.
//!
//! Bounded: at most `MAX_TRACKED` distinct watermarks are kept; later ones are only counted,
//! so a standalone listener receiving notifications for days keeps its memory.

use std::collections::HashMap;
use std::sync::Mutex;

/// The most distinct watermarks remembered.
pub const MAX_TRACKED: usize = 1 << 20;

#[derive(Debug, Default)]
pub(crate) struct Ledger {
    inner: Mutex<Counts>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Counts {
    per_watermark: HashMap<String, u32>,
    untracked: u64,
}

/// A copy of the ledger at one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Acknowledged {
    /// How often each watermark was acknowledged.
    pub per_watermark: HashMap<String, u32>,
    /// Acknowledgements of watermarks past `MAX_TRACKED`, not attributed.
    pub untracked: u64,
}

impl Acknowledged {
    /// Watermarks acknowledged more than once.
    pub fn duplicates(&self) -> usize {
        self.per_watermark.values().filter(|n| **n > 1).count()
    }

    pub fn count(&self, watermark: &str) -> u32 {
        self.per_watermark.get(watermark).copied().unwrap_or(0)
    }
}

impl Ledger {
    /// Records one acknowledgement of each of `watermarks`.
    pub(crate) fn record<'a>(&self, watermarks: impl Iterator<Item = &'a str>) {
        let mut c = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        for w in watermarks {
            if let Some(n) = c.per_watermark.get_mut(w) {
                *n = n.saturating_add(1);
            } else if c.per_watermark.len() < MAX_TRACKED {
                c.per_watermark.insert(w.to_string(), 1);
            } else {
                c.untracked += 1;
            }
        }
    }

    pub(crate) fn snapshot(&self) -> Acknowledged {
        let c = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        Acknowledged {
            per_watermark: c.per_watermark.clone(),
            untracked: c.untracked,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_repeats() {
        let l = Ledger::default();
        l.record(["a", "b"].into_iter());
        l.record(["a"].into_iter());
        let s = l.snapshot();
        assert_eq!(s.count("a"), 2);
        assert_eq!(s.count("b"), 1);
        assert_eq!(s.count("c"), 0);
        assert_eq!(s.duplicates(), 1);
    }
}
