//! What a client reports per logical message (the trigger contract's JSON lines), the batch
//! file it is given, and how the verdicts of several requests add up to one outcome.

use serde::{Deserialize, Serialize};

pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";

/// A batch of text messages as a client is handed it: `{"messages":[{"id":1,"to":[..],"text":".."}]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchFile {
    pub messages: Vec<BatchMessage>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchMessage {
    /// The identifier the client must use on the wire; the file may repeat one.
    pub id: u32,
    pub to: Vec<String>,
    pub text: String,
}

/// One line of the trigger contract, e.g. `{"id":0,"outcome":"delivered","failed_recipients":[]}`.
/// `outcome` stays a string so a line from a client under test that says something else still
/// deserialises and can be judged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageOutcome {
    pub id: u32,
    /// "delivered" or "failed".
    pub outcome: String,
    pub failed_recipients: Vec<String>,
}

impl MessageOutcome {
    pub fn delivered(id: u32) -> MessageOutcome {
        MessageOutcome {
            id,
            outcome: DELIVERED.to_owned(),
            failed_recipients: Vec::new(),
        }
    }

    pub fn failed(id: u32, failed_recipients: Vec<String>) -> MessageOutcome {
        MessageOutcome {
            id,
            outcome: FAILED.to_owned(),
            failed_recipients,
        }
    }

    pub fn is_delivered(&self) -> bool {
        self.outcome == DELIVERED
    }

    /// The JSON line of the trigger contract.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// What the client concluded from one request, for the recipients that request carried.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub failed: bool,
    pub failed_recipients: Vec<String>,
}

impl Verdict {
    pub(super) fn delivered() -> Verdict {
        Verdict::default()
    }

    /// Every recipient of the request failed: no usable answer concerns a subset.
    pub(super) fn all_failed(recipients: &[String]) -> Verdict {
        Verdict {
            failed: true,
            failed_recipients: recipients.to_vec(),
        }
    }
}

/// A logical message sent as several requests: failed if any request failed; the failed
/// recipients are the union, in the message's recipient order, then any names a server
/// reported that were not sent, in the order they came.
#[derive(Clone, Debug)]
pub(crate) struct Tally {
    id: u32,
    to: Vec<String>,
    failed: bool,
    named: Vec<String>,
}

impl Tally {
    pub(super) fn new(id: u32, to: &[String]) -> Tally {
        Tally {
            id,
            to: to.to_vec(),
            failed: false,
            named: Vec::new(),
        }
    }

    pub(super) fn add(&mut self, verdict: &Verdict) {
        self.failed |= verdict.failed;
        for r in &verdict.failed_recipients {
            if !self.named.contains(r) {
                self.named.push(r.clone());
            }
        }
    }

    pub(super) fn finish(self) -> MessageOutcome {
        if !self.failed {
            return MessageOutcome::delivered(self.id);
        }
        let mut ordered: Vec<String> = Vec::new();
        let sent = self.to.iter().filter(|r| self.named.contains(r));
        let unknown = self.named.iter().filter(|n| !self.to.contains(n));
        for r in sent.chain(unknown) {
            if !ordered.contains(r) {
                ordered.push(r.clone());
            }
        }
        MessageOutcome::failed(self.id, ordered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn rs(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn serialises_to_the_contract_line() {
        assert_eq!(
            MessageOutcome::delivered(0).to_line(),
            r#"{"id":0,"outcome":"delivered","failed_recipients":[]}"#
        );
        assert_eq!(
            MessageOutcome::failed(7, rs(&["a"])).to_line(),
            r#"{"id":7,"outcome":"failed","failed_recipients":["a"]}"#
        );
    }

    #[test]
    fn batch_file_reads() {
        let f: BatchFile =
            serde_json::from_str(r#"{"messages":[{"id":3,"to":["1","2"],"text":"hi"}]}"#).unwrap();
        assert_eq!(
            f.messages,
            vec![BatchMessage {
                id: 3,
                to: rs(&["1", "2"]),
                text: "hi".into()
            }]
        );
    }

    #[rstest]
    #[case::none(vec![], None)]
    #[case::all_ok(vec![Verdict::delivered(), Verdict::delivered()], None)]
    #[case::one_failed(vec![Verdict::delivered(), Verdict { failed: true, failed_recipients: rs(&["c", "a"]) }], Some(&["a", "c"][..]))]
    #[case::union(vec![Verdict { failed: true, failed_recipients: rs(&["c"]) }, Verdict { failed: true, failed_recipients: rs(&["b", "c"]) }], Some(&["b", "c"][..]))]
    #[case::unknown_last(vec![Verdict { failed: true, failed_recipients: rs(&["z", "b"]) }], Some(&["b", "z"][..]))]
    fn tallies(#[case] verdicts: Vec<Verdict>, #[case] failed: Option<&[&str]>) {
        let mut t = Tally::new(4, &rs(&["a", "b", "c"]));
        for v in &verdicts {
            t.add(v);
        }
        let out = t.finish();
        assert_eq!(out.id, 4);
        match failed {
            None => assert_eq!(out, MessageOutcome::delivered(4)),
            Some(list) => assert_eq!(out, MessageOutcome::failed(4, rs(list))),
        }
    }
}
