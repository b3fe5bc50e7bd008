//! The provider's content policy behind invalidChar (MS-OMS 2.2.4.4, OMS-R044): blocked words
//! and characters a phone network cannot carry.

/// C0 control characters other than TAB, LF and CR.
fn is_forbidden_control(c: char) -> bool {
    u32::from(c) < 0x20 && !matches!(c, '\t' | '\n' | '\r')
}

/// Whether `text` holds a blocked word (case-insensitive substring) or a forbidden control.
pub(crate) fn offends(text: &str, blocked_words: &[String]) -> bool {
    if text.chars().any(is_forbidden_control) {
        return true;
    }
    let lower = text.to_lowercase();
    blocked_words
        .iter()
        .map(|w| w.trim().to_lowercase())
        .any(|w| !w.is_empty() && lower.contains(&w))
}

/// The contentId rule of a broken server (fault `content-id-checked`): unique, and shaped like
/// "name@domain". The reference ignores contentId outside slide mode (OMS-R031).
pub(crate) fn content_ids_unique_and_qualified<'a>(ids: impl Iterator<Item = &'a str>) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    for id in ids {
        if !id.contains('@') || seen.contains(&id) {
            return false;
        }
        seen.push(id);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(&["a@b", "c@d"], true)]
    #[case(&[], true)]
    #[case(&["a@b", "a@b"], false)]
    #[case(&["plain"], false)]
    fn content_id_rule(#[case] ids: &[&str], #[case] expected: bool) {
        assert_eq!(
            content_ids_unique_and_qualified(ids.iter().copied()),
            expected
        );
    }

    #[rstest]
    #[case("hello", false)]
    #[case("line\r\nbreak\tand tab", false)]
    #[case("a forbidden-word here", true)]
    #[case("FORBIDDEN-WORD", true)]
    #[case("bell\u{7}", true)]
    #[case("nul\u{0}", true)]
    #[case("", false)]
    fn judges(#[case] text: &str, #[case] expected: bool) {
        assert_eq!(offends(text, &["forbidden-word".to_string()]), expected);
    }

    #[test]
    fn empty_blocked_words_block_nothing() {
        assert!(!offends("anything", &[String::new(), " ".to_string()]));
    }
}
