//! Text-message checks (step 5 of a delivery): how many parts, what they carry, how long
//! they are (MS-OMS 3.1.4.1.3.3-3.1.4.1.3.4, 2.2.4.4) and whether policy allows them.

use wire::media_type::essence;
use wire::oms::service_info::SmsSender;
use wire::oms::text::{char_len, is_sbcs, limit_for, MAX_SEGMENTS};
use wire::oms::xms_data::TEXT_PLAIN;
use wire::oms::{codes, Content, DeliveryError};

use super::errors::failure;
use super::faults::Faults;
use super::policy::{content_ids_unique_and_qualified, offends};

/// Media type essence "text/plain", parameters and letter case aside.
pub(crate) fn is_text_plain(content_type: &str) -> bool {
    essence(content_type) == TEXT_PLAIN
}

/// The character limit a text part must keep (OMS-R120, OMS-R121).
fn length_limit(sender: &SmsSender, text: &str, faults: &Faults) -> u64 {
    match sender
        .long
        .as_ref()
        .filter(|_| !faults.on("long-sms-rejected"))
    {
        Some(long) => MAX_SEGMENTS * u64::from(limit_for(long, text)),
        None => u64::from(limit_for(&sender.limits, text)),
    }
}

/// The length of a text as the server measures it: characters (OMS-R120), or, with
/// `dbcs-counted-as-bytes`, UTF-16 bytes for a text that is not pure US-ASCII.
fn measured(text: &str, faults: &Faults) -> u64 {
    if faults.on("dbcs-counted-as-bytes") && !is_sbcs(text) {
        2 * text.encode_utf16().count() as u64
    } else {
        char_len(text) as u64
    }
}

/// The first problem of a text message, or `None` when it may be sent. The subject is not
/// looked at (OMS-R092), unless a fault counts it.
pub(crate) fn check(
    sender: &SmsSender,
    subject: Option<&str>,
    contents: &[Content],
    blocked_words: &[String],
    faults: &Faults,
) -> Option<DeliveryError> {
    let max_parts = sender.limits.max_messages_per_send;
    if faults.over(contents.len() as u64, u64::from(max_parts))
        && !faults.on("ignore-max-messages-per-send")
    {
        return Some(failure(faults, codes::OTHER).with_content(&format!(
            "{} text messages exceed the limit of {max_parts} per send",
            contents.len()
        )));
    }
    if contents.iter().any(|c| !is_text_plain(&c.content_type)) {
        return Some(failure(faults, codes::INVALID_FORMAT));
    }
    if faults.on("content-id-checked")
        && !content_ids_unique_and_qualified(contents.iter().map(|c| c.content_id.as_str()))
    {
        return Some(failure(faults, codes::INVALID_FORMAT));
    }
    if !faults.on("ignore-length-limit") {
        // Each part is a text message of its own (OMS-R084); a fault measures them joined.
        let texts: Vec<String> = if faults.on("merges-parts-for-limit") {
            vec![contents.iter().map(|c| c.text.as_str()).collect()]
        } else {
            contents.iter().map(|c| c.text.clone()).collect()
        };
        for body in texts {
            let text = match subject.filter(|_| faults.on("sms-subject-counted")) {
                Some(s) => format!("{s}{body}"),
                None => body,
            };
            if faults.over(measured(&text, faults), length_limit(sender, &text, faults)) {
                let (db, sb) = (
                    sender.limits.max_dbcs_per_message,
                    sender.limits.max_sbcs_per_message,
                );
                let limits = if faults.on("length-limit-sb-db-swapped") {
                    format!("{sb};{db}")
                } else {
                    format!("{db};{sb}")
                };
                return Some(failure(faults, codes::LENGTH_LIMIT).with_content(&limits));
            }
        }
    }
    if !faults.on("blocked-text-ok") && contents.iter().any(|c| offends(&c.text, blocked_words)) {
        return Some(failure(faults, codes::INVALID_CHAR));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::reference;
    use super::*;
    use rstest::rstest;

    fn text(t: &str) -> Content {
        Content {
            content_type: "text/plain".into(),
            content_id: "Att0.txt".into(),
            content_location: "1.txt".into(),
            text: t.into(),
        }
    }

    fn run(
        faults: &[&str],
        subject: Option<&str>,
        contents: &[Content],
    ) -> Option<(String, Option<String>)> {
        let names: Vec<String> = faults.iter().map(|s| s.to_string()).collect();
        let info = reference::service_info();
        let sender = info.supported_service.sms.unwrap();
        check(
            &sender,
            subject,
            contents,
            &[reference::BLOCKED_TEXT.to_string()],
            &Faults::parse(&names).unwrap(),
        )
        .map(|e| (e.code.unwrap_or_default(), e.content))
    }

    fn code(faults: &[&str], subject: Option<&str>, contents: &[Content]) -> Option<String> {
        run(faults, subject, contents).map(|(c, _)| c)
    }

    #[rstest]
    #[case::short("hello", None)]
    #[case::single_sms_limit_is_not_binding(&"a".repeat(141), None)]
    #[case::at_long_ceiling(&"a".repeat(255 * 153), None)]
    #[case::over_long_ceiling(&"a".repeat(255 * 153 + 1), Some("lengthLimit"))]
    #[case::double_byte_over(&"\u{4f60}".repeat(255 * 67 + 1), Some("lengthLimit"))]
    #[case::double_byte_at(&"\u{4f60}".repeat(255 * 67), None)]
    #[case::blocked("say forbidden-word", Some("invalidChar"))]
    #[case::control("bell \u{7}", Some("invalidChar"))]
    fn reference_judgement(#[case] t: &str, #[case] expected: Option<&str>) {
        assert_eq!(code(&[], None, &[text(t)]).as_deref(), expected);
    }

    #[test]
    fn length_limit_content_is_db_then_sb() {
        let long = "a".repeat(255 * 153 + 1);
        assert_eq!(
            run(&[], None, &[text(&long)]),
            Some(("lengthLimit".into(), Some("70;140".into())))
        );
        assert_eq!(
            run(&["length-limit-sb-db-swapped"], None, &[text(&long)]),
            Some(("lengthLimit".into(), Some("140;70".into())))
        );
    }

    #[test]
    fn too_many_parts_is_other() {
        let parts: Vec<Content> = (0..21).map(|_| text("x")).collect();
        let (c, content) = run(&[], None, &parts).unwrap();
        assert_eq!(c, "other");
        assert!(content.unwrap().contains("20"));
        assert_eq!(code(&["ignore-max-messages-per-send"], None, &parts), None);
    }

    #[test]
    fn subject_is_ignored_unless_counted() {
        let blocked_subject = Some("forbidden-word");
        assert_eq!(code(&[], blocked_subject, &[text("hi")]), None);
        let body = "a".repeat(255 * 153);
        assert_eq!(code(&[], Some("subject"), &[text(&body)]), None);
        assert_eq!(
            code(&["sms-subject-counted"], Some("subject"), &[text(&body)]).as_deref(),
            Some("lengthLimit")
        );
    }

    #[rstest]
    #[case(&["long-sms-rejected"], "a", 141, Some("lengthLimit"))]
    #[case(&["long-sms-rejected"], "a", 140, None)]
    #[case(&["ignore-length-limit"], "a", 255 * 153 + 1, None)]
    #[case(&["blocked-text-ok"], "forbidden-word ", 1, None)]
    fn faults_bend_the_rules(
        #[case] faults: &[&str],
        #[case] unit: &str,
        #[case] times: usize,
        #[case] expected: Option<&str>,
    ) {
        assert_eq!(
            code(faults, None, &[text(&unit.repeat(times))]).as_deref(),
            expected
        );
    }

    #[rstest]
    #[case::sbcs_at(&[], "a", 255 * 153, None)]
    #[case::dbcs_at(&[], "\u{4f60}", 255 * 67, None)]
    #[case::dbcs_bytes_at(&["dbcs-counted-as-bytes"], "\u{4f60}", 255 * 67, Some("lengthLimit"))]
    #[case::dbcs_bytes_half(&["dbcs-counted-as-bytes"], "\u{4f60}", 255 * 67 / 2, None)]
    #[case::dbcs_bytes_sbcs_untouched(&["dbcs-counted-as-bytes"], "a", 255 * 153, None)]
    #[case::off_by_one_sbcs(&["limit-off-by-one"], "a", 255 * 153, Some("lengthLimit"))]
    #[case::off_by_one_dbcs(&["limit-off-by-one"], "\u{4f60}", 255 * 67, Some("lengthLimit"))]
    #[case::off_by_one_below(&["limit-off-by-one"], "a", 255 * 153 - 1, None)]
    fn at_the_limit(
        #[case] faults: &[&str],
        #[case] unit: &str,
        #[case] times: usize,
        #[case] expected: Option<&str>,
    ) {
        assert_eq!(
            code(faults, None, &[text(&unit.repeat(times))]).as_deref(),
            expected
        );
    }

    #[test]
    fn parts_are_measured_alone_unless_merged() {
        let half = "a".repeat(255 * 153 / 2 + 1);
        let parts = [text(&half), text(&half)];
        assert_eq!(code(&[], None, &parts), None);
        assert_eq!(
            code(&["merges-parts-for-limit"], None, &parts).as_deref(),
            Some("lengthLimit")
        );
    }

    #[test]
    fn exactly_max_parts_pass_unless_off_by_one() {
        let parts: Vec<Content> = (0..20).map(|_| text("x")).collect();
        assert_eq!(code(&[], None, &parts), None);
        assert_eq!(
            code(&["limit-off-by-one"], None, &parts).as_deref(),
            Some("other")
        );
    }

    #[test]
    fn only_text_plain() {
        let mut c = text("x");
        c.content_type = "Text/Plain; charset=utf-8".into();
        assert_eq!(code(&[], None, &[c.clone()]), None);
        c.content_type = "image/gif".into();
        assert_eq!(code(&[], None, &[c]).as_deref(), Some("invalidFormat"));
    }

    #[test]
    fn content_ids_are_ignored_unless_checked() {
        let parts = [text("a"), text("b")];
        assert_eq!(code(&[], None, &parts), None);
        assert_eq!(
            code(&["content-id-checked"], None, &parts).as_deref(),
            Some("invalidFormat")
        );
    }
}
