//! Message material the DeliverXms scenarios share: how far limits are provoked, texts of a
//! given length and character class, scheduled times, and the usual messages.

use crate::common::media;
use crate::common::time::unix_now;
use crate::oms::server::probe::Oms;
use wire::oms::schedule::format_utc_minute;
use wire::oms::{DeliveryError, XmsData};

/// Text limits (characters) above this are not provoked: building the message would cost more
/// than it proves.
pub(super) const MAX_PROVOKED: u64 = 100_000;

/// Count limits (parts, recipients, slides) above this are not provoked either.
pub(super) const MAX_COUNT: u64 = 1_000;

/// `n` US-ASCII characters of readable text.
pub(super) fn ascii_text(n: u64) -> String {
    "oxconf ascii text "
        .chars()
        .cycle()
        .take(n as usize)
        .collect()
}

/// `n` CJK ideographs (double-byte characters for every SMS encoding that has them).
pub(super) fn cjk_text(n: u64) -> String {
    "\u{6f22}\u{5b57}\u{6e2c}\u{8a66}"
        .chars()
        .cycle()
        .take(n as usize)
        .collect()
}

/// A minute-precision UTC time `days` away from now (OMS-R088).
pub(super) fn minute_in_days(days: i64) -> String {
    format_utc_minute(unix_now().saturating_add(days * 86_400))
}

/// The main account's text message with the same text, for scenarios that need an SMS.
pub(super) fn sms_to_one(oms: &Oms, text: &str) -> XmsData {
    oms.sms(&oms.recipients(1), text)
}

/// A non-slide MMS: a text page and an image page.
pub(super) fn mms_pages(oms: &Oms, to: &[String], text: &str) -> XmsData {
    let contents = vec![
        oms.text_content(0, text),
        oms.media(1, "image/gif", "gif", media::GIF),
    ];
    oms.mms(to, None, contents)
}

/// A one-slide MMS showing an image above a text.
pub(super) fn mms_one_slide(oms: &Oms, to: &[String], text: &str) -> XmsData {
    let contents = vec![
        oms.text_content(0, text),
        oms.media(1, "image/gif", "gif", media::GIF),
    ];
    let slides = oms.smil(&contents, &[vec![1, 0]]);
    oms.mms(to, Some(slides), contents)
}

pub(super) fn set_subject(data: &mut XmsData, subject: Option<String>) {
    if let Some(head) = data.head.as_mut() {
        head.subject = subject;
    }
}

pub(super) fn is_code(e: &DeliveryError, code: &str) -> bool {
    e.code.as_deref() == Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wire::oms::schedule::is_minute_precision;

    #[test]
    fn texts_have_the_asked_length_and_class() {
        let a = ascii_text(1000);
        assert_eq!(a.chars().count(), 1000);
        assert!(wire::oms::text::is_sbcs(&a));
        let c = cjk_text(71);
        assert_eq!(c.chars().count(), 71);
        assert!(!wire::oms::text::is_sbcs(&c));
    }

    #[test]
    fn scheduled_times_have_minute_precision() {
        let past = minute_in_days(-1);
        let future = minute_in_days(1);
        assert!(is_minute_precision(&past), "{past}");
        assert!(is_minute_precision(&future), "{future}");
        assert!(past < future);
    }
}
