//! Subject derivation (MS-OMS 2.2.2.1.1.5) and the tolerant reading of it (E-OMS-25, E-OMS-22).

/// How many characters a single-line text contributes to the subject.
pub(super) const SUBJECT_CHARS: usize = 40;

/// The hint the rule's own example appends to an MMS subject.
pub const MMS_HINT: &str = " (open the message to view content)";

/// First line if several lines, else first 40 chars.
pub fn text_subject(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    match lines.as_slice() {
        [] => String::new(),
        [only] => only.chars().take(SUBJECT_CHARS).collect(),
        [first, ..] => first.to_string(),
    }
}

/// subject + " (open the message to view content)"
pub fn mms_subject(subject: &str) -> String {
    format!("{subject}{MMS_HINT}")
}

/// Subjects a conformant server may derive from `text` (E-OMS-25): for several lines the
/// first line, possibly cut to 40 characters; for one line its first min(40, len) characters.
/// Compared after trimming surrounding white space.
pub fn acceptable_text_subjects(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = match lines.as_slice() {
        [] => vec![String::new()],
        [only] => vec![only.chars().take(SUBJECT_CHARS).collect()],
        [first, ..] => vec![
            first.to_string(),
            first.chars().take(SUBJECT_CHARS).collect(),
        ],
    };
    for s in &mut out {
        *s = s.trim().to_string();
    }
    out.dedup();
    out
}

pub(super) fn text_subject_ok(subject: &str, text: &str) -> bool {
    let subject = subject.trim();
    acceptable_text_subjects(text).iter().any(|s| s == subject)
}

/// Whether `subject` contains a hint to open the message (E-OMS-22: any wording), looking only
/// at what is left after removing the MMS subject itself.
pub fn has_open_hint(subject: &str, mms_subject: &str) -> bool {
    let rest = match mms_subject.trim() {
        "" => subject.to_string(),
        s => subject.replacen(s, " ", 1),
    };
    let rest = rest.to_lowercase();
    let mentions_open = rest.contains("open");
    let mentions_viewing = ["view", "see", "content", "display", "read", "show"]
        .iter()
        .any(|w| rest.contains(w));
    mentions_open && mentions_viewing
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const SIXTY: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567";

    #[rstest]
    #[case("short", "short")]
    #[case(SIXTY, &SIXTY[..40])]
    #[case("line one\nline two", "line one")]
    #[case("line one\r\nline two\r\n", "line one")]
    #[case("only line\n", "only line")]
    #[case("", "")]
    fn derives_text_subjects(#[case] text: &str, #[case] expected: &str) {
        assert_eq!(text_subject(text), expected);
        assert!(text_subject_ok(expected, text));
    }

    #[test]
    fn counts_characters_not_bytes() {
        let text = "你好世界".repeat(11);
        let subject = text_subject(&text);
        assert_eq!(subject.chars().count(), 40);
        assert_eq!(subject, "你好世界".repeat(10));
    }

    #[rstest]
    #[case(&format!("{SIXTY}\nsecond"), SIXTY, true)]
    #[case(&format!("{SIXTY}\nsecond"), &SIXTY[..40], true)]
    #[case(&format!("{SIXTY}\nsecond"), &SIXTY[..30], false)]
    #[case(SIXTY, SIXTY, false)]
    #[case("one\ntwo", "one two", false)]
    #[case("hello", "  hello ", true)]
    fn tolerant_text_subjects(#[case] text: &str, #[case] subject: &str, #[case] ok: bool) {
        assert_eq!(text_subject_ok(subject, text), ok);
    }

    #[rstest]
    #[case("Holiday (open the message to view content)", "Holiday", true)]
    #[case("Holiday (Open the message to view its content)", "Holiday", true)]
    #[case("Holiday - open to see the pictures", "Holiday", true)]
    #[case("Holiday", "Holiday", false)]
    #[case("Open house view", "Open house view", false)]
    #[case("MMS: please open", "MMS", false)]
    fn detects_open_hints(#[case] subject: &str, #[case] mms: &str, #[case] expected: bool) {
        assert_eq!(has_open_hint(subject, mms), expected);
    }

    #[test]
    fn mms_subject_appends_the_rule_hint() {
        assert_eq!(
            mms_subject("Pics"),
            "Pics (open the message to view content)"
        );
        assert!(has_open_hint(&mms_subject("Pics"), "Pics"));
    }
}
