//! Cutting messages to the limits a server announced (MS-OMS 3.1.4.1.3.3, 3.1.4.1.3.5,
//! 3.1.4.4): recipients per request, characters per text part, parts per request, messages per
//! batch.
//!
//! The specification does not say what a limit of 0 means. A recipient or part count of 0
//! is read as 1, the smallest request that can still be sent; a character limit of 0 leaves
//! the text whole (it cannot be met by any part), so the server gets to reject it.

use wire::oms::text;
use wire::oms::SmsLimits;

use super::faults::{ClientFault, Faults};

/// One text part of a message, numbered from 1 across the whole message so content ids stay
/// unique however the parts are spread over requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Part {
    pub number: usize,
    pub text: String,
}

/// What one xmsData carries: some recipients and some parts of one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Unit {
    pub recipients: Vec<String>,
    pub parts: Vec<Part>,
}

fn count(limit: u32) -> usize {
    usize::try_from(limit).unwrap_or(usize::MAX).max(1)
}

/// Recipients in groups of at most `max` (all together with `ignore`).
pub(crate) fn recipient_groups(to: &[String], max: u32, ignore: bool) -> Vec<Vec<String>> {
    if ignore {
        return vec![to.to_vec()];
    }
    to.chunks(count(max)).map(<[String]>::to_vec).collect()
}

/// The parts of a text under the SBCS/DBCS limit (OMS-R120).
pub(crate) fn parts(limits: &SmsLimits, body: &str, faults: &Faults) -> Vec<Part> {
    let pieces = if faults.on(ClientFault::IgnoreLengthLimit) {
        vec![body.to_owned()]
    } else {
        text::split(body, text::limit_for(limits, body))
    };
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, text)| Part {
            number: i + 1,
            text,
        })
        .collect()
}

/// The requests a text message needs: every recipient group gets every part, at most
/// maxMessagesPerSend parts per request (OMS-R119).
pub(crate) fn sms_units(
    limits: &SmsLimits,
    to: &[String],
    body: &str,
    faults: &Faults,
) -> Vec<Unit> {
    let parts = parts(limits, body, faults);
    let per_request = if faults.on(ClientFault::IgnoreMaxMessagesPerSend) {
        usize::MAX
    } else {
        count(limits.max_messages_per_send)
    };
    let groups = recipient_groups(
        to,
        limits.max_recipients_per_message,
        faults.on(ClientFault::IgnoreMaxRecipients),
    );
    let mut units = Vec::new();
    for group in groups {
        for chunk in parts.chunks(per_request) {
            units.push(Unit {
                recipients: group.clone(),
                parts: chunk.to_vec(),
            });
        }
    }
    units
}

/// Splits items into batches of at most `cap`. Identifiers must be unique within a batch
/// (OMS-R144) and are never renumbered, so each item goes into the first batch that has room
/// and does not hold its id yet; items keep their relative order inside every batch.
pub(crate) fn batches<T>(items: Vec<T>, cap: usize, id: impl Fn(&T) -> u32) -> Vec<Vec<T>> {
    let cap = cap.max(1);
    let mut out: Vec<Vec<T>> = Vec::new();
    for item in items {
        let fits = |b: &Vec<T>| b.len() < cap && !b.iter().any(|c| id(c) == id(&item));
        match out.iter().position(fits) {
            Some(i) => out[i].push(item),
            None => out.push(vec![item]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn rs(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn limits(recipients: u32, per_send: u32, sbcs: u32, dbcs: u32) -> SmsLimits {
        SmsLimits {
            max_recipients_per_message: recipients,
            max_messages_per_send: per_send,
            max_sbcs_per_message: sbcs,
            max_dbcs_per_message: dbcs,
        }
    }

    #[rstest]
    #[case(&["a", "b", "c"][..], 2, false, vec![rs(&["a", "b"]), rs(&["c"])])]
    #[case(&["a", "b", "c"][..], 3, false, vec![rs(&["a", "b", "c"])])]
    #[case(&["a", "b"][..], 0, false, vec![rs(&["a"]), rs(&["b"])])]
    #[case(&["a", "b", "c"][..], 1, true, vec![rs(&["a", "b", "c"])])]
    fn groups(
        #[case] to: &[&str],
        #[case] max: u32,
        #[case] ignore: bool,
        #[case] expected: Vec<Vec<String>>,
    ) {
        assert_eq!(recipient_groups(&rs(to), max, ignore), expected);
    }

    #[rstest]
    #[case::fits("hello", 10, 5, 1, vec![vec![1]])]
    #[case::three_parts_two_requests("abcdefghijk", 4, 2, 2, vec![vec![1, 2], vec![3]])]
    #[case::dbcs_limit("\u{4f60}\u{597d}\u{5417}\u{4f60}", 10, 3, 4, vec![vec![1, 2]])]
    #[case::zero_limit_leaves_whole("abcdefghijk", 0, 0, 1, vec![vec![1]])]
    fn units(
        #[case] body: &str,
        #[case] sbcs: u32,
        #[case] dbcs: u32,
        #[case] per_send: u32,
        #[case] expected: Vec<Vec<usize>>,
    ) {
        let got = sms_units(
            &limits(5, per_send, sbcs, dbcs),
            &rs(&["a"]),
            body,
            &Faults::none(),
        );
        let numbers: Vec<Vec<usize>> = got
            .iter()
            .map(|u| u.parts.iter().map(|p| p.number).collect())
            .collect();
        assert_eq!(numbers, expected);
        let rejoined: String = got
            .iter()
            .flat_map(|u| u.parts.iter().map(|p| p.text.clone()))
            .collect();
        assert_eq!(rejoined, body);
    }

    #[test]
    fn units_cross_recipient_groups_with_part_chunks() {
        let l = limits(2, 2, 2, 1);
        let got = sms_units(&l, &rs(&["a", "b", "c"]), "abcde", &Faults::none());
        let shape: Vec<(Vec<String>, Vec<usize>)> = got
            .iter()
            .map(|u| {
                (
                    u.recipients.clone(),
                    u.parts.iter().map(|p| p.number).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (rs(&["a", "b"]), vec![1, 2]),
                (rs(&["a", "b"]), vec![3]),
                (rs(&["c"]), vec![1, 2]),
                (rs(&["c"]), vec![3]),
            ]
        );
    }

    /// (recipients, parts) per unit for two recipients, one recipient and one part per request,
    /// and a text of three parts.
    #[rstest]
    #[case::reference(None, vec![(1, 1); 6])]
    #[case::length(Some(ClientFault::IgnoreLengthLimit), vec![(1, 1); 2])]
    #[case::per_send(Some(ClientFault::IgnoreMaxMessagesPerSend), vec![(1, 3); 2])]
    #[case::recipients(Some(ClientFault::IgnoreMaxRecipients), vec![(2, 1); 3])]
    fn faults_lift_limits(
        #[case] fault: Option<ClientFault>,
        #[case] expected: Vec<(usize, usize)>,
    ) {
        let faults: Faults = fault.into_iter().collect();
        let got = sms_units(&limits(1, 1, 2, 1), &rs(&["a", "b"]), "abcdef", &faults);
        let shape: Vec<(usize, usize)> = got
            .iter()
            .map(|u| (u.recipients.len(), u.parts.len()))
            .collect();
        assert_eq!(shape, expected);
    }

    #[rstest]
    #[case(&[1, 2, 3, 4, 5][..], 2, vec![vec![1, 2], vec![3, 4], vec![5]])]
    #[case(&[1, 2, 1, 3][..], 10, vec![vec![1, 2, 3], vec![1]])]
    #[case(&[1, 1, 2, 3, 4][..], 2, vec![vec![1, 2], vec![1, 3], vec![4]])]
    #[case(&[7, 7, 7][..], 10, vec![vec![7], vec![7], vec![7]])]
    #[case(&[1, 2][..], 0, vec![vec![1], vec![2]])]
    #[case(&[][..], 3, vec![])]
    fn packs_batches(#[case] ids: &[u32], #[case] cap: usize, #[case] expected: Vec<Vec<u32>>) {
        assert_eq!(batches(ids.to_vec(), cap, |i| *i), expected);
    }
}
