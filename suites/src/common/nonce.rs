//! Scenario nonces: short tokens unique to one scenario and call, by which a scenario
//! recognises its own messages (reply mails, notifications) among those of scenarios running
//! at the same time against the same peer.

use std::sync::atomic::{AtomicU32, Ordering};

/// Hands out the nonces of one scenario: a hash of its id, then a running number.
#[derive(Debug, Default)]
pub struct Nonces {
    seq: AtomicU32,
}

impl Nonces {
    pub fn new() -> Nonces {
        Nonces::default()
    }

    /// The next nonce of the scenario `scenario_id` (FNV-1a of the id, 24 bits in hex, then
    /// the call's number).
    pub fn next(&self, scenario_id: &str) -> String {
        let mut h: u32 = 2166136261;
        for b in scenario_id.bytes() {
            h = (h ^ b as u32).wrapping_mul(16777619);
        }
        let n = self.seq.fetch_add(1, Ordering::Relaxed);
        format!("{:06x}{n}", h & 0xff_ffff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_differ_per_call_and_per_scenario() {
        let a = Nonces::new();
        let first = a.next("oms-server/replies/sms");
        let second = a.next("oms-server/replies/sms");
        assert_ne!(first, second);
        assert_eq!(first.len(), 7);
        assert!(first.ends_with('0') && second.ends_with('1'));
        let other = Nonces::new().next("oms-server/replies/mms");
        assert_ne!(first[..6], other[..6]);
    }
}
