//! Text-message length rules: which character limit of SMS_SENDER applies to a text
//! (OMS-R120) and how a long text is cut into parts that respect it.
//!
//! "Characters" are Unicode scalar values: the specification counts characters, not bytes
//! or UTF-16 units, and gives the double-byte limit for any text that is not pure US-ASCII.

use super::service_info::SmsLimits;

/// Segments a concatenated text may have at most: the ceiling of SMS concatenation (one octet
/// counts the segments). With LONG_SMS_SENDER, a text may be this many per-segment limits
/// long; the reference peer and the suites both rely on it.
pub const MAX_SEGMENTS: u64 = 255;

/// Only US-ASCII characters: the single-byte limit applies.
pub fn is_sbcs(text: &str) -> bool {
    text.is_ascii()
}

pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// maxSbcsPerMessage for pure US-ASCII text, maxDbcsPerMessage otherwise.
pub fn limit_for(limits: &SmsLimits, text: &str) -> u32 {
    if is_sbcs(text) {
        limits.max_sbcs_per_message
    } else {
        limits.max_dbcs_per_message
    }
}

/// Cuts `text` into pieces of at most `limit` characters, on character boundaries, in order.
/// An empty text is one empty piece (a message always has a part); a limit of 0 cannot be
/// met by any piece, so the text is returned whole for the caller to reject.
pub fn split(text: &str, limit: u32) -> Vec<String> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    if text.is_empty() || limit == 0 {
        return vec![text.to_owned()];
    }
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut count = 0;
    for c in text.chars() {
        if count == limit {
            pieces.push(std::mem::take(&mut current));
            count = 0;
        }
        current.push(c);
        count += 1;
    }
    pieces.push(current);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    fn limits() -> SmsLimits {
        SmsLimits {
            max_recipients_per_message: 1,
            max_messages_per_send: 1,
            max_sbcs_per_message: 140,
            max_dbcs_per_message: 70,
        }
    }

    #[rstest]
    #[case("hello", true, 140)]
    #[case("", true, 140)]
    #[case("caf\u{e9}", false, 70)]
    #[case("\u{4f60}\u{597d}", false, 70)]
    fn picks_the_limit(#[case] text: &str, #[case] sbcs: bool, #[case] limit: u32) {
        assert_eq!(is_sbcs(text), sbcs);
        assert_eq!(limit_for(&limits(), text), limit);
    }

    #[rstest]
    #[case("abcdef", 2, &["ab", "cd", "ef"][..])]
    #[case("abcde", 2, &["ab", "cd", "e"][..])]
    #[case("\u{4f60}\u{597d}\u{5417}", 2, &["\u{4f60}\u{597d}", "\u{5417}"][..])]
    #[case("", 5, &[""][..])]
    #[case("abc", 0, &["abc"][..])]
    #[case("abc", 10, &["abc"][..])]
    fn splits(#[case] text: &str, #[case] limit: u32, #[case] expected: &[&str]) {
        assert_eq!(split(text, limit), expected);
    }

    proptest! {
        #[test]
        fn split_pieces_respect_the_limit_and_rejoin(text in "\\PC{0,200}", limit in 1u32..50) {
            let pieces = split(&text, limit);
            prop_assert_eq!(pieces.concat(), text.clone());
            for p in &pieces {
                prop_assert!(char_len(p) <= limit as usize);
            }
            prop_assert_eq!(char_len(&text), pieces.iter().map(|p| char_len(p)).sum::<usize>());
        }
    }
}
