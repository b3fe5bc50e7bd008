//! What the reference client concludes per logical message, the text messages of a batch send,
//! and how the verdicts of several requests add up to one conclusion. These are the client's
//! own types: the JSON a trigger command reads and writes is the oms-client suite's contract
//! (`suites::oms::client::contract`), which converts to and from them.

/// One text message of a batch send.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextMessage {
    /// The identifier to use on the wire; a batch may repeat one.
    pub id: u32,
    pub to: Vec<String>,
    pub text: String,
}

/// What the client concluded about one logical message: delivered, or failed for these
/// recipients (empty when no answer named any).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Conclusion {
    pub id: u32,
    pub delivered: bool,
    pub failed_recipients: Vec<String>,
}

impl Conclusion {
    pub fn delivered(id: u32) -> Conclusion {
        Conclusion {
            id,
            delivered: true,
            failed_recipients: Vec::new(),
        }
    }

    pub fn failed(id: u32, failed_recipients: Vec<String>) -> Conclusion {
        Conclusion {
            id,
            delivered: false,
            failed_recipients,
        }
    }

    pub fn is_delivered(&self) -> bool {
        self.delivered
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

    pub(super) fn finish(self) -> Conclusion {
        if !self.failed {
            return Conclusion::delivered(self.id);
        }
        let mut ordered: Vec<String> = Vec::new();
        let sent = self.to.iter().filter(|r| self.named.contains(r));
        let unknown = self.named.iter().filter(|n| !self.to.contains(n));
        for r in sent.chain(unknown) {
            if !ordered.contains(r) {
                ordered.push(r.clone());
            }
        }
        Conclusion::failed(self.id, ordered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn rs(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
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
            None => assert_eq!(out, Conclusion::delivered(4)),
            Some(list) => assert_eq!(out, Conclusion::failed(4, rs(list))),
        }
    }
}
