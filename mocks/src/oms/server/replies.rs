//! Phone replies forwarded to the client by SMTP (MS-OMS 2.1, 2.2.2.1, 3.1.4.5).

use std::str::FromStr;
use std::time::Duration;

use wire::mail::{build_reply, BuildOptions, MediaPart, Reply, ReplyBody, TextEncoding, MMS_HINT};
use wire::mail::{MMS_CONTENT_CLASS, SMS_CONTENT_CLASS};
use wire::oms::schedule::format_utc_minute;

use crate::smtp::send_mail;

use super::state::{now_unix, Shared};

/// Per SMTP step (connect, each reply, the message).
const SMTP_STEP_TIMEOUT: Duration = Duration::from_secs(10);
/// Where replies go under `reply-wrong-to`.
pub const WRONG_TO: &str = "someone-else@mail.oxconf.test";
/// The local part every phone shares under `reply-shared-from`.
const SHARED_FROM_LOCAL: &str = "replies";

/// A 1x1 transparent GIF89a: the picture of every multimedia reply.
pub(super) const PIXEL_GIF: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];
pub(super) const IMAGE_NAME: &str = "image.gif";
pub(super) const TEXT_NAME: &str = "text.txt";

/// A reply as the phone sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyRequest {
    /// Whose client receives it; `None` means the first active user.
    pub user: Option<String>,
    /// The replying phone's number.
    pub phone: String,
    pub text: String,
    pub kind: ReplyKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReplyKind {
    Sms,
    /// With a SMIL presentation: multipart/related.
    Mms,
    /// Without SMIL: multipart/mixed.
    MmsNoSmil,
}

impl ReplyKind {
    /// Every kind, in the order a command line offers them.
    pub const ALL: [ReplyKind; 3] = [ReplyKind::Sms, ReplyKind::Mms, ReplyKind::MmsNoSmil];

    /// As the control endpoint spells it (`"kind"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyKind::Sms => "sms",
            ReplyKind::Mms => "mms",
            ReplyKind::MmsNoSmil => "mms-nosmil",
        }
    }

    /// One line for a command line's help.
    pub fn description(self) -> &'static str {
        match self {
            ReplyKind::Sms => "a text reply",
            ReplyKind::Mms => "an MMS reply with a SMIL presentation",
            ReplyKind::MmsNoSmil => "an MMS reply without SMIL",
        }
    }
}

impl FromStr for ReplyKind {
    type Err = String;

    fn from_str(s: &str) -> Result<ReplyKind, String> {
        let s = s.trim();
        ReplyKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown reply kind {s:?}; expected sms, mms or mms-nosmil"))
    }
}

/// The presentation of a multimedia reply: the picture above the text, one slide.
fn smil() -> String {
    format!(
        "<smil><head><layout><root-layout width=\"120\" height=\"120\" background-color=\"#ffffff\"/><region id=\"Image\" left=\"0\" top=\"0\" width=\"120\" height=\"90\" fit=\"slice\"/><region id=\"Text\" left=\"0\" top=\"90\" width=\"120\" height=\"30\" fit=\"slice\"/></layout></head><body><par dur=\"3000\"><img src=\"cid:{IMAGE_NAME}\" region=\"Image\"/><text src=\"cid:{TEXT_NAME}\" region=\"Text\"/></par></body></smil>"
    )
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// RFC 5322 date-time in UTC, e.g. "Thu, 1 Jan 1970 00:00:00 +0000".
pub(crate) fn rfc5322_date(unix: i64) -> String {
    // "YYYY-MM-DDThh:mm:00Z"; the calendar arithmetic lives in wire::oms::schedule.
    let minute = format_utc_minute(unix);
    let field = |range: std::ops::Range<usize>| -> u32 {
        minute.get(range).and_then(|s| s.parse().ok()).unwrap_or(0)
    };
    let year = minute.get(..4).unwrap_or("1970");
    let (month, day, hour, min) = (field(5..7), field(8..10), field(11..13), field(14..16));
    let weekday = (unix.div_euclid(86_400) + 4).rem_euclid(7) as usize;
    let month_name = MONTHS
        .get((month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("Jan");
    format!(
        "{}, {day} {month_name} {year} {hour:02}:{min:02}:{:02} +0000",
        WEEKDAYS[weekday],
        unix.rem_euclid(60)
    )
}

/// The phone's MMS subject: the text's first line, since a Subject header holds one line
/// (for a one-line text, the text itself).
pub fn mms_subject_of(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_string()
}

/// The reply as the server packages it, and the SMTP envelope recipient.
pub(crate) fn package(
    shared: &Shared,
    req: &ReplyRequest,
    now: i64,
) -> Result<(Reply, BuildOptions, String), String> {
    let faults = &shared.faults;
    let config = &shared.config;
    let user = match &req.user {
        Some(id) => config
            .user(id)
            .ok_or_else(|| format!("no user {id:?} to forward the reply to"))?,
        None => config
            .first_active_user()
            .ok_or("no active user to forward the reply to")?,
    };
    let phone = req.phone.trim();
    if phone.is_empty()
        || phone
            .chars()
            .any(|c| c.is_whitespace() || c == '@' || c == '<' || c == '>')
    {
        return Err(format!("{phone:?} is not a phone number"));
    }
    let digits = phone.strip_prefix('+').unwrap_or(phone);
    let local = if faults.on("reply-shared-from") {
        SHARED_FROM_LOCAL
    } else {
        digits
    };
    let from = format!("{local}@{}", config.reply_from_domain);
    let to = if faults.on("reply-wrong-to") {
        WRONG_TO.to_string()
    } else {
        user.smtp_address.clone()
    };
    let body = match req.kind {
        ReplyKind::Sms => ReplyBody::Text {
            text: req.text.clone(),
            charset: "utf-8".into(),
        },
        ReplyKind::Mms | ReplyKind::MmsNoSmil => ReplyBody::Mms {
            subject: mms_subject_of(&req.text),
            smil: (req.kind == ReplyKind::Mms).then(smil),
            media: vec![
                MediaPart {
                    content_type: "image/gif".into(),
                    name: IMAGE_NAME.into(),
                    data: PIXEL_GIF.to_vec(),
                },
                MediaPart {
                    content_type: "text/plain; charset=utf-8".into(),
                    name: TEXT_NAME.into(),
                    data: req.text.as_bytes().to_vec(),
                },
            ],
        },
    };
    let is_sms = req.kind == ReplyKind::Sms;
    let mut opts = BuildOptions::default();
    if faults.on("reply-wrong-content-class") {
        let swapped = if is_sms {
            MMS_CONTENT_CLASS
        } else {
            SMS_CONTENT_CLASS
        };
        opts.content_class = Some(swapped.to_string());
    }
    opts.reply_to_mobile = !faults.on("reply-no-reply-to-mobile");
    if faults.on("reply-subject-whole-text") {
        opts.subject = Some(req.text.clone());
    }
    if faults.on("reply-mms-subject-lost") && !is_sms {
        opts.subject = Some(MMS_HINT.trim().to_string());
    }
    if faults.on("reply-text-base64") {
        opts.text_encoding = TextEncoding::Base64;
    }
    opts.charset_param = !faults.on("reply-no-charset");
    opts.smil_first = !faults.on("reply-smil-last");
    if faults.on("reply-mms-nosmil-related") && req.kind == ReplyKind::MmsNoSmil {
        opts.container = Some("related".into());
    }
    let reply = Reply {
        from,
        to: to.clone(),
        phone: format!("+{digits}"),
        date: rfc5322_date(now),
        body,
    };
    Ok((reply, opts, to))
}

/// Packages the reply and sends it to the relay; the SMTP dialogue on success.
pub(crate) async fn emit(shared: &Shared, req: &ReplyRequest) -> Result<String, String> {
    let relay = shared
        .relay()
        .ok_or("no SMTP relay is configured for replies")?;
    let (reply, opts, rcpt) = package(shared, req, now_unix())?;
    let data = build_reply(&reply, &opts);
    send_mail(
        relay,
        &shared.config.reply_from_domain,
        &reply.from,
        &[rcpt],
        &data,
        SMTP_STEP_TIMEOUT,
    )
    .await
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(0, "Thu, 1 Jan 1970 00:00:00 +0000")]
    #[case(1_000_000_000, "Sun, 9 Sep 2001 01:46:40 +0000")]
    #[case(951_782_400 + 59, "Tue, 29 Feb 2000 00:00:59 +0000")]
    fn dates(#[case] unix: i64, #[case] expected: &str) {
        assert_eq!(rfc5322_date(unix), expected);
    }

    #[rstest]
    #[case("sms", Ok(ReplyKind::Sms))]
    #[case("mms", Ok(ReplyKind::Mms))]
    #[case("mms-nosmil", Ok(ReplyKind::MmsNoSmil))]
    fn kinds(#[case] s: &str, #[case] expected: Result<ReplyKind, String>) {
        assert_eq!(s.parse::<ReplyKind>(), expected);
    }

    #[rstest]
    #[case("Holiday", "Holiday")]
    #[case("First\nsecond", "First")]
    #[case(" padded \r\nrest", "padded")]
    #[case("", "")]
    fn mms_subjects(#[case] text: &str, #[case] subject: &str) {
        assert_eq!(mms_subject_of(text), subject);
    }

    #[test]
    fn unknown_kind_is_an_error() {
        assert!("fax".parse::<ReplyKind>().unwrap_err().contains("fax"));
    }

    #[test]
    fn pixel_is_a_gif() {
        assert!(PIXEL_GIF.starts_with(b"GIF89a"));
        assert_eq!(PIXEL_GIF.last(), Some(&0x3b));
    }
}
