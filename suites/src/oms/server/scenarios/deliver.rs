//! DeliverXms (MS-OMS 3.1.4.3): what a server does with one message, judged by the xmsResponse
//! it answers (2.2.4.4, 2.2.4.19) against the limits it advertises (3.1.4.1.3.3-3.1.4.1.3.5).
//!
//! Text-length decision (the specification gives per-message limits only): without
//! LONG_SMS_SENDER a text part may be as long as the SMS_SENDER limit for its characters; with
//! LONG_SMS_SENDER it may be 255 segments of the LONG_SMS_SENDER per-segment limit, 255 being
//! the most segments a concatenated SMS can have (its segment count is one octet). A server
//! answering lengthLimit may name either sender's pair in its content.

use crate::common::trigger;
use crate::oms::server::claims;
use crate::oms::server::probe::{
    codes_of, outcome_of, reports, samples, shown, DeliverAnswer, Oms,
};
use harness::{Cx, Level, Scenario, Stop};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use wire::oms::schedule::{format_utc_minute, is_minute_precision};
use wire::oms::{
    codes, AuthenticationType, Content, DeliveryError, Meta, MmsSender, ServiceInfo, SmsLimits,
    SmsSender, XmsData,
};

pub fn all() -> Vec<Scenario> {
    vec![
        sms_ok(),
        multi_part_sms(),
        mms_slides(),
        mms_no_slides(),
        invalid_media(),
        too_many_recipients(),
        length_limit(),
        long_sms(),
        invalid_recipient(),
        invalid_format(),
        wrong_password(),
        no_credentials(),
        scheduled_past(),
        scheduled_future(),
        subject_ignored_for_sms(),
        custom_data_ignored(),
        meta_ignored(),
        content_id_ignored(),
        required_service(),
        size_limit(),
        slides_limit(),
        severity_pairs(),
        service_update(),
    ]
}

// --- what the service advertises -------------------------------------------------------------

/// Segments a concatenated SMS may have at most (one octet counts them).
pub const MAX_SEGMENTS: u64 = 255;

/// Text limits (characters) above this are not provoked: building the message would cost more
/// than it proves.
const MAX_PROVOKED: u64 = 100_000;

/// Count limits (parts, recipients, slides) above this are not provoked either.
const MAX_COUNT: u64 = 1_000;

fn sms_sender(info: &ServiceInfo) -> Result<&SmsSender, Stop> {
    info.supported_service
        .sms
        .as_ref()
        .ok_or_else(|| Stop::skip("the service does not advertise SMS_SENDER"))
}

fn mms_sender(info: &ServiceInfo) -> Result<&MmsSender, Stop> {
    info.supported_service
        .mms
        .as_ref()
        .ok_or_else(|| Stop::skip("the service does not advertise MMS_SENDER"))
}

fn slide_sender(info: &ServiceInfo) -> Result<&MmsSender, Stop> {
    let mms = mms_sender(info)?;
    if mms.support_slide {
        Ok(mms)
    } else {
        Err(Stop::skip(
            "MMS_SENDER advertises supportSlide=\"false\": no SMIL presentations",
        ))
    }
}

/// The longest text part the service accepts: (single-byte, double-byte) characters.
pub fn text_ceiling(sender: &SmsSender) -> (u64, u64) {
    match &sender.long {
        Some(long) => (
            MAX_SEGMENTS * u64::from(long.max_sbcs_per_message),
            MAX_SEGMENTS * u64::from(long.max_dbcs_per_message),
        ),
        None => (
            u64::from(sender.limits.max_sbcs_per_message),
            u64::from(sender.limits.max_dbcs_per_message),
        ),
    }
}

/// How a lengthLimit content relates to the advertised limits (E-OMS-29: "DB;SB").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LengthContent {
    /// "<DB>;<SB>" of SMS_SENDER or LONG_SMS_SENDER.
    DbSb,
    /// The pair of one of them in the attribute order "<SB>;<DB>".
    SbDb,
    Other,
}

pub fn judge_length_content(content: &str, sender: &SmsSender) -> LengthContent {
    let Some((a, b)) = content.split_once(';') else {
        return LengthContent::Other;
    };
    let (Ok(a), Ok(b)) = (a.trim().parse::<u32>(), b.trim().parse::<u32>()) else {
        return LengthContent::Other;
    };
    let pairs: Vec<&SmsLimits> = std::iter::once(&sender.limits)
        .chain(sender.long.as_ref())
        .collect();
    if pairs
        .iter()
        .any(|l| (a, b) == (l.max_dbcs_per_message, l.max_sbcs_per_message))
    {
        LengthContent::DbSb
    } else if pairs
        .iter()
        .any(|l| (a, b) == (l.max_sbcs_per_message, l.max_dbcs_per_message))
    {
        LengthContent::SbDb
    } else {
        LengthContent::Other
    }
}

/// The "DB;SB" pairs a lengthLimit content may carry, for the expected side of checks.
fn length_pairs(sender: &SmsSender) -> String {
    let mut s = format!(
        "\"{};{}\" (SMS_SENDER DB;SB)",
        sender.limits.max_dbcs_per_message, sender.limits.max_sbcs_per_message
    );
    if let Some(long) = &sender.long {
        s.push_str(&format!(
            " or \"{};{}\" (LONG_SMS_SENDER DB;SB)",
            long.max_dbcs_per_message, long.max_sbcs_per_message
        ));
    }
    s
}

// --- message material --------------------------------------------------------------------------

/// `n` US-ASCII characters of readable text.
pub fn ascii_text(n: u64) -> String {
    "oxconf ascii text "
        .chars()
        .cycle()
        .take(n as usize)
        .collect()
}

/// `n` CJK ideographs (double-byte characters for every SMS encoding that has them).
pub fn cjk_text(n: u64) -> String {
    "\u{6f22}\u{5b57}\u{6e2c}\u{8a66}"
        .chars()
        .cycle()
        .take(n as usize)
        .collect()
}

/// A minute-precision UTC time `days` away from now (OMS-R088).
fn minute_in_days(days: i64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    format_utc_minute(now.saturating_add(days * 86_400))
}

/// The main account's text message with the same text, for scenarios that need an SMS.
fn sms_to_one(oms: &Oms, text: &str) -> XmsData {
    oms.sms(&oms.recipients(1), text)
}

/// A non-slide MMS: a text page and an image page.
fn mms_pages(oms: &Oms, to: &[String], text: &str) -> XmsData {
    let contents = vec![
        oms.text_content(0, text),
        oms.media(1, "image/gif", "gif", samples::GIF),
    ];
    oms.mms(to, None, contents)
}

/// A one-slide MMS showing an image above a text.
fn mms_one_slide(oms: &Oms, to: &[String], text: &str) -> XmsData {
    let contents = vec![
        oms.text_content(0, text),
        oms.media(1, "image/gif", "gif", samples::GIF),
    ];
    let slides = oms.smil(&contents, &[vec![1, 0]]);
    oms.mms(to, Some(slides), contents)
}

fn set_subject(data: &mut XmsData, subject: Option<String>) {
    if let Some(head) = data.head.as_mut() {
        head.subject = subject;
    }
}

fn is_code(e: &DeliveryError, code: &str) -> bool {
    e.code.as_deref() == Some(code)
}

fn has_ok(errors: &[DeliveryError]) -> bool {
    errors
        .iter()
        .any(|e| is_code(e, codes::OK) && e.severity.as_deref() == Some(codes::NEUTRAL))
}

// --- scenarios ---------------------------------------------------------------------------------

/// MS-OMS 3.1.4.3.2.2, 2.2.4.19, 2.2.4.4: an SMS to one valid recipient is answered with an
/// escaped xmsResponse of well-formed error elements reporting "ok"/"neutral". The same SMS
/// with the user's replyPhone is then recorded: a provider without callback numbers may ignore
/// it (2.2.4.15, MAY).
fn sms_ok() -> Scenario {
    Scenario::new("oms-server/deliver/sms-ok")
        .title("A valid SMS is answered with an escaped xmsResponse reporting ok/neutral")
        .section("MS-OMS 3.1.4.3.2.2")
        .section("MS-OMS 2.2.4.4")
        .section("MS-OMS 2.2.4.15")
        .requirements([
            "OMS-R140", "OMS-R094", "OMS-R033", "OMS-R034", "OMS-R036", "OMS-R080",
        ])
        .level(Level::Must)
        .caught_by("ok-with-failure-severity")
        .caught_by("deliver-result-not-escaped")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            sms_sender(&oms.limits().await?)?;
            let data = sms_to_one(&oms, "oxconf: a plain text message");
            let r = oms
                .deliver_citing(&data, &["OMS-R140", "OMS-R094", "OMS-R033", "OMS-R034"])
                .await?;
            oms.expect_pairing("error elements", &r.errors)?;
            oms.expect_delivered_citing("SMS to one valid recipient", &r.errors, &["OMS-R036"])?;

            let phone = own_reply_phone(&oms)
                .await?
                .unwrap_or_else(|| oms.recipients(1)[0].clone());
            let mut with_phone = data.clone();
            if let Some(user) = with_phone.user.as_mut() {
                user.reply_phone = Some(phone);
            }
            let r2 = oms
                .deliver_citing(&with_phone, &["OMS-R094", "OMS-R033"])
                .await?;
            let seen = if has_ok(&r2.errors) && outcome_of(&r2.errors) == outcome_of(&r.errors) {
                format!(
                    "accepted like the SMS without it ({})",
                    codes_of(&r2.errors)
                )
            } else {
                format!("answered differently: {}", codes_of(&r2.errors))
            };
            cx.cite(["OMS-R080"])
                .level(Level::May)
                .info("the same SMS with user/replyPhone", seen);
            Ok(())
        })
}

/// The replyPhone GetUserInfo gives for the main account, read without judging the answer
/// (the user-info scenarios do that).
async fn own_reply_phone(oms: &Oms) -> Result<Option<String>, Stop> {
    let call = oms
        .call(
            wire::oms::Operation::GetUserInfo,
            oms.soap(),
            Some(&oms.xms_user().to_xml()),
        )
        .await?;
    Ok(call
        .result_payload()
        .and_then(|p| wire::oms::UserInfo::parse(p).ok())
        .and_then(|p| p.value.reply_phone)
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty()))
}

/// MS-OMS 2.2.4.16, 3.1.4.1.3.3: several content elements are several text messages, up to
/// SMS_SENDER's maxMessagesPerSend (short parts: none is concatenated, so LONG_SMS_SENDER's
/// count does not apply): exactly that many are delivered, one more is refused. Each part is
/// its own text message (OMS-R084), so the length limit applies to each part alone: two parts
/// that each hold just over half the ceiling are delivered, though together they would cross it.
fn multi_part_sms() -> Scenario {
    Scenario::new("oms-server/deliver/multi-part-sms")
        .title(
            "maxMessagesPerSend parts are delivered, each measured alone; one part more is refused",
        )
        .section("MS-OMS 2.2.4.16")
        .section("MS-OMS 3.1.4.1.3.3")
        .requirements(["OMS-R084", "OMS-R119", "OMS-R120", "OMS-R056"])
        .level(Level::Must)
        .caught_by("ignore-max-messages-per-send")
        .caught_by_breaking("limit-off-by-one", ["OMS-R119"])
        .caught_by_breaking("merges-parts-for-limit", ["OMS-R084"])
        .passes_with("no-long-sms")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let sender = sms_sender(&info)?;
            let max = u64::from(sender.limits.max_messages_per_send);
            if max == 0 || max >= MAX_COUNT {
                return Err(Stop::skip(format!(
                    "maxMessagesPerSend {max} cannot be provoked sensibly"
                )));
            }
            let to = oms.recipients(1);
            let texts: Vec<String> = (1..=max)
                .map(|i| format!("oxconf part {i} of {max}"))
                .collect();
            let parts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let r = oms
                .deliver_citing(&oms.sms_parts(&to, &parts), &["OMS-R094"])
                .await?;
            oms.expect_delivered_citing(
                &format!("SMS of exactly {max} content elements (maxMessagesPerSend {max})"),
                &r.errors,
                &["OMS-R084", "OMS-R119"],
            )?;

            let (sb, _) = text_ceiling(sender);
            if max >= 2 && (2..MAX_PROVOKED).contains(&sb) {
                let (level, ceiling_is) = ceiling_level(sender);
                let half = ascii_text(sb / 2 + 1);
                let r = oms
                    .deliver_citing(&oms.sms_parts(&to, &[&half, &half]), &["OMS-R094"])
                    .await?;
                expect_accepted(
                    &oms,
                    &format!(
                        "SMS of two parts of {} ASCII characters each ({} together, over the \
                         ceiling of {sb}, {ceiling_is}: each part is measured alone)",
                        sb / 2 + 1,
                        2 * (sb / 2 + 1)
                    ),
                    &r.errors,
                    level,
                    &["OMS-R084", "OMS-R120"],
                )?;
            }

            let texts: Vec<String> = (1..=max + 1).map(|i| format!("oxconf {i}")).collect();
            let parts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let r = oms
                .deliver_citing(&oms.sms_parts(&to, &parts), &["OMS-R094"])
                .await?;
            let refused = r
                .errors
                .iter()
                .any(|e| e.severity.as_deref() == Some(codes::FAILURE));
            cx.cite(["OMS-R119"]).expect(
                &format!(
                    "SMS of {} content elements (one over maxMessagesPerSend {max})",
                    max + 1
                ),
                refused,
                "refused: an error element with severity \"failure\"",
                codes_of(&r.errors),
            )?;
            for other in r.errors.iter().filter(|e| is_code(e, codes::OTHER)) {
                let content = other.content.as_deref().unwrap_or("");
                cx.cite(["OMS-R056"]).expect(
                    "content of code \"other\"",
                    !content.trim().is_empty(),
                    "an error message",
                    shown(other.content.as_deref()),
                )?;
            }
            Ok(())
        })
}

/// MS-OMS 2.2.4.16, 2.2.4.3, 2.2.4.18: with supportSlide, an MMS in slide mode carrying each
/// listed media type is delivered. An MMS without subject may be refused or sent without one
/// (MAY): either is recorded, the answer must be well-formed.
fn mms_slides() -> Scenario {
    Scenario::new("oms-server/deliver/mms-slides")
        .title("An MMS with SMIL slides and every listed media type is delivered")
        .section("MS-OMS 2.2.4.16")
        .section("MS-OMS 2.2.4.3")
        .section("MS-OMS 2.2.4.18")
        .requirements(["OMS-R085", "OMS-R029", "OMS-R093"])
        .level(Level::Structure)
        .caught_by("reject-mms-slides")
        .caught_by("reject-amr")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let mms = slide_sender(&info)?;
            if mms.max_slides_per_message < 2 {
                return Err(Stop::skip(format!(
                    "maxSlidesPerMessage {} leaves no room for the two slides five media need",
                    mms.max_slides_per_message
                )));
            }
            let jpeg = samples::jpeg();
            let contents: Vec<Content> = vec![
                oms.text_content(0, "oxconf slide text"),
                oms.media(1, "image/gif", "gif", samples::GIF),
                oms.media(2, "image/jpeg", "jpg", &jpeg),
                oms.media(3, "audio/mid", "mid", samples::MIDI),
                oms.media(4, "audio/AMR", "amr", samples::AMR),
            ];
            let slides = oms.smil(&contents, &[vec![1, 0, 3], vec![2, 4]]);
            let data = oms.mms(&oms.recipients(1), Some(slides), contents);
            let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
            oms.expect_delivered_citing(
                "MMS of two slides with text/plain, image/gif, image/jpeg, audio/mid and audio/AMR",
                &r.errors,
                &["OMS-R085", "OMS-R029"],
            )?;

            let mut bare = data.clone();
            set_subject(&mut bare, None);
            let r = oms
                .deliver_citing(&bare, &["OMS-R093", "OMS-R094", "OMS-R033"])
                .await?;
            oms.expect_pairing("answer to the MMS without subject", &r.errors)?;
            let seen = if has_ok(&r.errors) {
                format!("sent without a subject ({})", codes_of(&r.errors))
            } else {
                format!("refused: {}", codes_of(&r.errors))
            };
            cx.cite(["OMS-R093"])
                .level(Level::May)
                .info("the same MMS without subject", seen);
            Ok(())
        })
}

/// MS-OMS 2.2.4.16: without mmsSlides, the contents are the successive pages of the message
/// (non-slide mode), which the server delivers as well.
fn mms_no_slides() -> Scenario {
    Scenario::new("oms-server/deliver/mms-no-slides")
        .title("An MMS without mmsSlides (non-slide mode) is delivered")
        .section("MS-OMS 2.2.4.16")
        .requirements(["OMS-R085"])
        .level(Level::Structure)
        .caught_by("reject-mms-without-slides")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            mms_sender(&info)?;
            let jpeg = samples::jpeg();
            let contents = vec![
                oms.text_content(0, "oxconf page one"),
                oms.media(1, "image/gif", "gif", samples::GIF),
                oms.media(2, "image/jpeg", "jpg", &jpeg),
            ];
            let data = oms.mms(&oms.recipients(1), None, contents);
            let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
            oms.expect_delivered_citing(
                "MMS of three pages without mmsSlides",
                &r.errors,
                &["OMS-R085"],
            )
        })
}

/// MS-OMS 2.2.4.4: a media type outside the 2.2.4.3 table is invalidMedia, whose content
/// names the offending object by contentId or contentLocation (E-OMS-30).
fn invalid_media() -> Scenario {
    Scenario::new("oms-server/deliver/invalid-media")
        .title("An MMS with a video/mp4 object gets invalidMedia naming that object")
        .section("MS-OMS 2.2.4.4")
        .section("MS-OMS 2.2.4.3")
        .requirements(["OMS-R045"])
        .level(Level::Structure)
        .caught_by("accept-any-media")
        .caught_by("invalid-media-no-content")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            mms_sender(&info)?;
            let contents = vec![
                oms.text_content(0, "oxconf with a video"),
                oms.media(1, "image/gif", "gif", samples::GIF),
                oms.media(2, "video/mp4", "mp4", samples::MP4),
            ];
            let video = contents[2].clone();
            let data = oms.mms(&oms.recipients(1), None, contents.clone());
            let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
            let Some(e) = oms.expect_reported(
                "MMS with a video/mp4 object",
                &r.errors,
                codes::INVALID_MEDIA,
                &["OMS-R045"],
            )?
            else {
                return Ok(());
            };
            let content = e.content.as_deref().unwrap_or("");
            let items: Vec<&str> = content
                .split(';')
                .map(str::trim)
                .filter(|i| !i.is_empty())
                .collect();
            let names = |c: &Content, i: &str| c.content_id == i || c.content_location == i;
            let names_video = items.iter().any(|i| names(&video, i));
            let all_known = items
                .iter()
                .all(|i| contents.iter().any(|c| names(c, i)));
            cx.cite(["OMS-R045"]).expect(
                "content of invalidMedia",
                names_video && all_known,
                format!(
                    "a ';'-separated list naming the video by contentId {:?} or contentLocation {:?} (E-OMS-30)",
                    video.content_id, video.content_location
                ),
                shown(e.content.as_deref()),
            )
        })
}

/// MS-OMS 3.1.4.1.3.3, 3.1.1: maxRecipientsPerMessage recipients are accepted, one more is
/// refused; for SMS_SENDER and, when advertised, MMS_SENDER. Recipients cycle through the
/// profile's list, so numbers repeat: the limit counts recipient elements.
fn too_many_recipients() -> Scenario {
    Scenario::new("oms-server/deliver/too-many-recipients")
        .title("maxRecipientsPerMessage recipients are delivered; one more is refused")
        .section("MS-OMS 3.1.4.1.3.3")
        .section("MS-OMS 3.1.4.1.3.5")
        .requirements(["OMS-R118", "OMS-R100"])
        .level(Level::Structure)
        .caught_by("ignore-max-recipients")
        .caught_by_breaking("limit-off-by-one", ["OMS-R118"])
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let mut senders: Vec<(&str, u64, &str)> = Vec::new();
            if let Some(sms) = &info.supported_service.sms {
                let n = u64::from(sms.limits.max_recipients_per_message);
                senders.push(("SMS_SENDER", n, "OMS-R118"));
            }
            if let Some(mms) = &info.supported_service.mms {
                let n = u64::from(mms.max_recipients_per_message);
                senders.push(("MMS_SENDER", n, "OMS-R100"));
            }
            let mut tested = 0;
            for (sender, max, req) in senders {
                if max == 0 || max >= MAX_COUNT {
                    cx.checks().info(
                        &format!("{sender} maxRecipientsPerMessage"),
                        format!("{max}: not provoked"),
                    );
                    continue;
                }
                tested += 1;
                let message = |n: u64| {
                    let to = oms.recipients(n as usize);
                    if sender == "SMS_SENDER" {
                        oms.sms(&to, "oxconf recipients limit")
                    } else {
                        mms_pages(&oms, &to, "oxconf recipients limit")
                    }
                };
                let r = oms.deliver_citing(&message(max), &["OMS-R094"]).await?;
                oms.expect_delivered_citing(
                    &format!("{sender} message to {max} recipients (the limit)"),
                    &r.errors,
                    &[req],
                )?;
                let r = oms.deliver_citing(&message(max + 1), &["OMS-R094"]).await?;
                cx.cite([req]).expect(
                    &format!(
                        "{sender} message to {} recipients (one over the limit)",
                        max + 1
                    ),
                    r.errors
                        .iter()
                        .any(|e| e.severity.as_deref() == Some(codes::FAILURE)),
                    "refused: an error element with severity \"failure\"",
                    codes_of(&r.errors),
                )?;
            }
            if tested == 0 {
                return Err(Stop::skip("no advertised recipient limit can be provoked"));
            }
            Ok(())
        })
}

/// Refusal of an over-long text: lengthLimit/failure with "DB;SB" content (E-OMS-29).
fn expect_length_refusal(
    oms: &Oms,
    cx: &Cx,
    what: &str,
    errors: &[DeliveryError],
    sender: &SmsSender,
) -> Result<(), Stop> {
    let Some(e) =
        oms.expect_reported(what, errors, codes::LENGTH_LIMIT, &["OMS-R048", "OMS-R120"])?
    else {
        return Ok(());
    };
    let content = e.content.clone().unwrap_or_default();
    let expected = length_pairs(sender);
    match judge_length_content(&content, sender) {
        LengthContent::DbSb => cx.cite(["OMS-R048"]).expect(
            "content of lengthLimit",
            true,
            expected,
            format!("{content:?}"),
        ),
        LengthContent::SbDb => cx.cite(["OMS-R048"]).expect(
            "content of lengthLimit",
            false,
            format!("{expected}: double-byte limit first (E-OMS-29)"),
            format!("{content:?}: the single-byte limit first"),
        ),
        LengthContent::Other => cx.cite(["OMS-R048"]).expect(
            "content of lengthLimit",
            false,
            expected,
            shown(e.content.as_deref()),
        ),
    }
}

/// How firmly a text at the ceiling must be accepted. Without LONG_SMS_SENDER the ceiling is
/// the advertised SMS_SENDER limit itself (binding, OMS-R120). With it, the ceiling is the
/// suite's 255-segment reading: the specification caps no segment count, so a server may
/// refuse a text that long without breaking a stated rule (a warning, not a failure).
fn ceiling_level(sender: &SmsSender) -> (Level, &'static str) {
    match sender.long {
        None => (Level::Structure, "the SMS_SENDER limit"),
        Some(_) => (
            Level::Should,
            "the 255-segment LONG_SMS_SENDER ceiling; the specification caps no segment count",
        ),
    }
}

/// A text within every advertised limit must be delivered: checked at `level`, citing `reqs`.
fn expect_accepted(
    oms: &Oms,
    what: &str,
    errors: &[DeliveryError],
    level: Level,
    reqs: &[&str],
) -> Result<(), Stop> {
    let ok = has_ok(errors)
        && !errors
            .iter()
            .any(|e| e.severity.as_deref() == Some(codes::FAILURE));
    oms.cx.cite(reqs.iter().copied()).level(level).expect(
        what,
        ok,
        "delivered: code \"ok\" with severity \"neutral\" and no failure",
        codes_of(errors),
    )
}

/// MS-OMS 2.2.4.4, 3.1.4.1.3.3: every limit is probed at the limit and one past it. A text of
/// exactly SMS_SENDER's maxSbcsPerMessage US-ASCII characters, and one of exactly its
/// maxDbcsPerMessage CJK characters, fit one SMS and are delivered (characters are counted,
/// not bytes: a server measuring a double-byte text in bytes refuses the second). A text at
/// the ceiling for its characters (see the module documentation) is delivered, and one
/// character more is refused with lengthLimit and the limits as "DB;SB": an ASCII text over the
/// single-byte ceiling, and a CJK text over the double-byte one (but under the single-byte
/// one, so only the double-byte limit can refuse it).
fn length_limit() -> Scenario {
    Scenario::new("oms-server/deliver/length-limit")
        .title("Texts at the single- or double-byte limit are delivered; one character more gets lengthLimit with \"DB;SB\"")
        .section("MS-OMS 2.2.4.4")
        .section("MS-OMS 3.1.4.1.3.3")
        .section("MS-OMS 3.1.4.1.3.4")
        .requirements(["OMS-R048", "OMS-R120"])
        .level(Level::Structure)
        .caught_by("ignore-length-limit")
        .caught_by("length-limit-sb-db-swapped")
        .caught_by_breaking("dbcs-counted-as-bytes", ["OMS-R120"])
        .caught_by_breaking("limit-off-by-one", ["OMS-R120"])
        .passes_with("no-long-sms")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let sender = sms_sender(&info)?;
            let (sb, db) = text_ceiling(sender);
            if sb >= MAX_PROVOKED {
                return Err(Stop::skip(format!(
                    "a text ceiling of {sb} characters cannot be provoked sensibly"
                )));
            }
            let (level, ceiling_is) = ceiling_level(sender);
            let one_sb = u64::from(sender.limits.max_sbcs_per_message);
            let one_db = u64::from(sender.limits.max_dbcs_per_message);
            if sender.long.is_some() {
                // One SMS's worth is within any reading of the limits.
                for (what, text) in [
                    (
                        format!("ASCII text of exactly {one_sb} characters (SMS_SENDER maxSbcsPerMessage)"),
                        ascii_text(one_sb),
                    ),
                    (
                        format!("CJK text of exactly {one_db} characters (SMS_SENDER maxDbcsPerMessage)"),
                        cjk_text(one_db),
                    ),
                ] {
                    let r = oms
                        .deliver_citing(&sms_to_one(&oms, &text), &["OMS-R094"])
                        .await?;
                    expect_accepted(&oms, &what, &r.errors, Level::Structure, &["OMS-R120"])?;
                }
            }
            let r = oms
                .deliver_citing(&sms_to_one(&oms, &ascii_text(sb)), &["OMS-R094"])
                .await?;
            expect_accepted(
                &oms,
                &format!("ASCII text of exactly {sb} characters ({ceiling_is})"),
                &r.errors,
                level,
                &["OMS-R120"],
            )?;
            let r = oms
                .deliver_citing(&sms_to_one(&oms, &ascii_text(sb + 1)), &["OMS-R094"])
                .await?;
            expect_length_refusal(
                &oms,
                &cx,
                &format!(
                    "ASCII text of {} characters (single-byte ceiling {sb})",
                    sb + 1
                ),
                &r.errors,
                sender,
            )?;
            if db >= sb {
                cx.checks().info(
                    "double-byte ceiling",
                    format!("{db} is not below the single-byte ceiling {sb}: not provoked"),
                );
                return Ok(());
            }
            let r = oms
                .deliver_citing(&sms_to_one(&oms, &cjk_text(db)), &["OMS-R094"])
                .await?;
            expect_accepted(
                &oms,
                &format!(
                    "CJK text of exactly {db} characters ({ceiling_is}; characters, not bytes)"
                ),
                &r.errors,
                level,
                &["OMS-R120"],
            )?;
            let r = oms
                .deliver_citing(&sms_to_one(&oms, &cjk_text(db + 1)), &["OMS-R094"])
                .await?;
            expect_length_refusal(
                &oms,
                &cx,
                &format!(
                    "CJK text of {} characters (double-byte ceiling {db})",
                    db + 1
                ),
                &r.errors,
                sender,
            )
        })
}

/// MS-OMS 3.1.4.1.3.4: LONG_SMS_SENDER announces concatenated texts, so a text longer than
/// one SMS but far below the concatenation ceiling is delivered.
fn long_sms() -> Scenario {
    Scenario::new("oms-server/deliver/long-sms")
        .title("With LONG_SMS_SENDER, a text longer than one SMS is delivered")
        .section("MS-OMS 3.1.4.1.3.4")
        .requirements(["OMS-R121"])
        .level(Level::Must)
        .caught_by("long-sms-rejected")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let sender = sms_sender(&info)?;
            if sender.long.is_none() {
                return Err(Stop::skip("the service does not advertise LONG_SMS_SENDER"));
            }
            let single = u64::from(sender.limits.max_sbcs_per_message);
            let (ceiling, _) = text_ceiling(sender);
            let length = single * 2 + 1;
            if length > ceiling / 2 {
                return Err(Stop::skip(format!(
                    "a text of {length} characters is not well within the ceiling of {ceiling}"
                )));
            }
            let r = oms
                .deliver_citing(&sms_to_one(&oms, &ascii_text(length)), &["OMS-R094"])
                .await?;
            oms.expect_delivered_citing(
                &format!(
                    "ASCII text of {length} characters (one SMS holds {single}, the concatenated ceiling is {ceiling})"
                ),
                &r.errors,
                &["OMS-R121"],
            )
        })
}

/// MS-OMS 2.2.4.4: an invalid recipient is reported with invalidRecipient/failure, listing
/// exactly that recipient (the valid one is not affected).
fn invalid_recipient() -> Scenario {
    Scenario::new("oms-server/deliver/invalid-recipient")
        .title("An invalid recipient gets invalidRecipient listing exactly that recipient")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R042", "OMS-R035", "OMS-R037"])
        .level(Level::Structure)
        .caught_by("invalid-recipient-no-list")
        .caught_by_breaking("ok-with-failure-severity-on-partial", ["OMS-R036"])
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let invalid = oms.env.invalid_recipient.clone();
            let mut to = oms.recipients(1);
            to.push(invalid.clone());
            let data = oms.text_message(&info, &to, "oxconf invalid recipient");
            let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
            let Some(e) = oms.expect_reported(
                "message to a valid and an invalid recipient",
                &r.errors,
                codes::INVALID_RECIPIENT,
                &["OMS-R042"],
            )?
            else {
                return Ok(());
            };
            oms.expect_recipient_list(
                "recipientList of invalidRecipient",
                e,
                &[invalid],
                &["OMS-R042", "OMS-R035"],
            )
        })
}

/// MS-OMS 2.2.4.4: xmsData the server cannot read is invalidFormat. A SOAP fault or an HTTP
/// error says less to the client (warning); "ok" fails.
fn invalid_format() -> Scenario {
    Scenario::new("oms-server/deliver/invalid-format")
        .title("Unreadable xmsData and xmsData without xmsBody get invalidFormat")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R051"])
        .level(Level::Structure)
        .caught_by("accept-malformed-xms-data")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let xml = oms
                .text_message(&info, &oms.recipients(1), "oxconf invalid format")
                .to_xml();
            let broken = xml.replacen("</to>", "", 1);
            let bodiless = match (xml.find("<xmsBody"), xml.find("</xmsBody>")) {
                (Some(start), Some(end)) => {
                    format!("{}{}", &xml[..start], &xml[end + "</xmsBody>".len()..])
                }
                _ => return Err(Stop::error("the xmsData writer produced no xmsBody")),
            };
            for (what, payload) in [
                (
                    "xmsData that is not well-formed (an end tag missing)",
                    broken,
                ),
                ("well-formed xmsData without xmsBody", bodiless),
            ] {
                match oms.deliver_answer(&payload).await? {
                    DeliverAnswer::Response(r) => {
                        oms.expect_reported(what, &r.errors, codes::INVALID_FORMAT, &["OMS-R051"])?;
                    }
                    other => {
                        cx.cite(["OMS-R051"]).level(Level::Should).check(
                            what,
                            false,
                            "an xmsResponse with invalidFormat/failure",
                            other.describe(),
                        );
                    }
                }
            }
            Ok(())
        })
}

/// A refused submission (wrong or missing credentials): invalidUser in an xmsResponse, or a
/// SOAP fault or HTTP 401/403 (MS-OMS 3: authorization failures may be reported that way).
async fn expect_refused_user(
    oms: &Oms,
    cx: &Cx,
    what: &str,
    payload: &str,
    code_reqs: &[&str],
) -> Result<(), Stop> {
    match oms.deliver_answer(payload).await? {
        DeliverAnswer::Response(r) => {
            let refused = r
                .errors
                .iter()
                .any(|e| e.severity.as_deref() == Some(codes::FAILURE));
            cx.cite(["OMS-R101"]).expect(
                what,
                refused,
                "refused: an error element with severity \"failure\"",
                codes_of(&r.errors),
            )?;
            oms.expect_reported(
                &format!("{what}: code"),
                &r.errors,
                codes::INVALID_USER,
                code_reqs,
            )?;
            Ok(())
        }
        answer @ (DeliverAnswer::Fault { .. } | DeliverAnswer::Http { status: 401 | 403 }) => {
            cx.cite(["OMS-R101"])
                .check(what, true, "refused", answer.describe());
            cx.cite(["OMS-R099"]).level(Level::May).info(
                "refusal reported outside the xmsResponse",
                answer.describe(),
            );
            Ok(())
        }
        answer => cx.cite(["OMS-R101", "OMS-R099"]).expect(
            what,
            false,
            "invalidUser in an xmsResponse, a SOAP fault, or HTTP 401/403",
            answer.describe(),
        ),
    }
}

/// MS-OMS 3.1.1, 2.2.4.4, 3.1.4.1.4.1: only authenticated users submit. With authentication
/// "other" or "passport" the password is checked, so a wrong one is refused: invalidUser, or
/// a SOAP fault or HTTP 401/403 (MS-OMS 3, MAY).
fn wrong_password() -> Scenario {
    Scenario::new("oms-server/deliver/wrong-password")
        .title("A message with a wrong password is refused (invalidUser, or a fault / 401 / 403)")
        .section("MS-OMS 2.2.4.4")
        .section("MS-OMS 3.1.1")
        .section("MS-OMS 3.1.4.1.4.1")
        .requirements(["OMS-R038", "OMS-R101", "OMS-R099", "OMS-R123"])
        .level(Level::Structure)
        .caught_by("accept-any-password")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            if info.authentication_type == AuthenticationType::FullTrust {
                return Err(Stop::skip(
                    "authenticationType fulltrust: a client certificate, no password, authenticates",
                ));
            }
            cx.cite(["OMS-R123"]).info(
                "authenticationType",
                format!(
                    "{}: the user name and password authenticate the sender",
                    info.authentication_type.as_str()
                ),
            );
            let mut data = oms.text_message(&info, &oms.recipients(1), "oxconf wrong password");
            if let Some(user) = data.user.as_mut() {
                user.password = Some("oxconf-not-the-password".into());
            }
            expect_refused_user(
                &oms,
                &cx,
                "message with a wrong password",
                &data.to_xml(),
                &["OMS-R038"],
            )
            .await
        })
}

/// MS-OMS 3.1.1: without a user element the sender is unknown, so the message is refused.
fn no_credentials() -> Scenario {
    Scenario::new("oms-server/deliver/no-credentials")
        .title("A message without user element is refused")
        .section("MS-OMS 3.1.1")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R101"])
        .level(Level::Structure)
        .caught_by("accept-no-credentials")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let mut data = oms.text_message(&info, &oms.recipients(1), "oxconf no credentials");
            data.user = None;
            expect_refused_user(
                &oms,
                &cx,
                "message without user element",
                &data.to_xml(),
                &["OMS-R101"],
            )
            .await
        })
}

/// MS-OMS 2.2.4.18: a scheduled time in the past means "send now": delivered, possibly with
/// noScheduled (either severity, E-OMS-33).
fn scheduled_past() -> Scenario {
    Scenario::new("oms-server/deliver/scheduled-past")
        .title("A message scheduled in the past is sent at once")
        .section("MS-OMS 2.2.4.18")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R089", "OMS-R053"])
        .level(Level::Structure)
        .caught_by("reject-scheduled-past")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let when = minute_in_days(-1);
            let mut data =
                oms.text_message(&info, &oms.recipients(1), "oxconf scheduled in the past");
            if let Some(head) = data.head.as_mut() {
                head.scheduled = Some(when.clone());
            }
            let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
            let only_notices = reports(&r.errors).all(|e| is_code(e, codes::NO_SCHEDULED));
            cx.cite(["OMS-R089"]).expect(
                &format!("message scheduled at {when} (a day ago)"),
                has_ok(&r.errors) && only_notices,
                "\"ok\"/neutral, possibly with noScheduled: sent immediately",
                codes_of(&r.errors),
            )?;
            if let Some(n) = r.errors.iter().find(|e| is_code(e, codes::NO_SCHEDULED)) {
                cx.cite(["OMS-R053"]).info(
                    "noScheduled with a past time",
                    format!(
                        "severity {} (E-OMS-33: neutral or failure)",
                        shown(n.severity.as_deref())
                    ),
                );
            }
            oms.expect_pairing("error elements", &r.errors)
        })
}

/// MS-OMS 2.2.4.18, 2.2.4.4: a time in the future is honoured ("ok") or, without scheduled
/// sending, the message goes out at once with noScheduled, neutral or failure (E-OMS-33).
fn scheduled_future() -> Scenario {
    Scenario::new("oms-server/deliver/scheduled-future")
        .title("A message scheduled a day ahead is accepted or sent at once with noScheduled")
        .section("MS-OMS 2.2.4.18")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R053", "OMS-R089"])
        .level(Level::Structure)
        .caught_by("scheduled-future-error")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let when = minute_in_days(1);
            let mut data = oms.text_message(&info, &oms.recipients(1), "oxconf scheduled tomorrow");
            if let Some(head) = data.head.as_mut() {
                head.scheduled = Some(when.clone());
            }
            let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
            let no_scheduled = r.errors.iter().find(|e| is_code(e, codes::NO_SCHEDULED));
            let only_notices = reports(&r.errors).all(|e| {
                is_code(e, codes::NO_SCHEDULED)
                    && matches!(e.severity.as_deref(), Some(codes::NEUTRAL | codes::FAILURE))
            });
            cx.cite(["OMS-R053", "OMS-R089"]).expect(
                &format!("message scheduled at {when} (a day ahead)"),
                (has_ok(&r.errors) || no_scheduled.is_some()) && only_notices,
                "\"ok\"/neutral, or noScheduled with severity neutral or failure",
                codes_of(&r.errors),
            )?;
            let seen = match no_scheduled {
                Some(n) => format!(
                    "noScheduled with severity {:?}: sent at once (E-OMS-33 accepts either severity)",
                    n.severity.as_deref().unwrap_or("")
                ),
                None => "ok: accepted for sending at the scheduled time".to_string(),
            };
            cx.cite(["OMS-R053"]).info("how the schedule was handled", seen);
            Ok(())
        })
}

/// MS-OMS 2.2.4.18: the subject of a text message is ignored, so a text exactly at the
/// single-byte ceiling fares the same with and without a long subject.
fn subject_ignored_for_sms() -> Scenario {
    Scenario::new("oms-server/deliver/subject-ignored-for-sms")
        .title("An SMS at the length limit is delivered with and without a long subject")
        .section("MS-OMS 2.2.4.18")
        .requirements(["OMS-R092"])
        .level(Level::Must)
        .caught_by("sms-subject-counted")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let (sb, _) = text_ceiling(sms_sender(&info)?);
            if sb == 0 || sb >= MAX_PROVOKED {
                return Err(Stop::skip(format!(
                    "a text ceiling of {sb} characters cannot be provoked sensibly"
                )));
            }
            let plain = sms_to_one(&oms, &ascii_text(sb));
            let mut with_subject = plain.clone();
            set_subject(
                &mut with_subject,
                Some("oxconf subject that a text message ignores ".repeat(3)),
            );
            let r1 = oms.deliver_citing(&plain, &["OMS-R094"]).await?;
            let r2 = oms.deliver_citing(&with_subject, &["OMS-R094"]).await?;
            oms.expect_delivered_citing(
                &format!("SMS of {sb} characters (the single-byte ceiling) without subject"),
                &r1.errors,
                &["OMS-R092"],
            )?;
            oms.expect_delivered_citing(
                &format!("the same SMS with a subject of {} characters", 3 * 43),
                &r2.errors,
                &["OMS-R092"],
            )?;
            cx.cite(["OMS-R092"]).expect_eq(
                "outcome with subject vs without",
                outcome_of(&r1.errors),
                outcome_of(&r2.errors),
            )
        })
}

/// MS-OMS 2.2.4.15: user/customData is ignored: no, empty and unusual values give the same
/// outcome.
fn custom_data_ignored() -> Scenario {
    Scenario::new("oms-server/deliver/custom-data-ignored")
        .title("user/customData does not change the outcome of a delivery")
        .section("MS-OMS 2.2.4.15")
        .requirements(["OMS-R081"])
        .level(Level::Must)
        .caught_by("custom-data-breaks-delivery")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let base = oms.text_message(&info, &oms.recipients(1), "oxconf custom data");
            let r = oms.deliver_citing(&base, &["OMS-R094"]).await?;
            oms.expect_delivered_citing("message without customData", &r.errors, &["OMS-R081"])?;
            let baseline = outcome_of(&r.errors);
            let odd = format!(
                "<not-xml a=\"1\"> & {} ;;; {{\"json\": true}} {}",
                "\u{4e2d}\u{6587} \u{00e9}\u{00e8}",
                "x".repeat(300)
            );
            for (what, value) in [
                ("empty customData", String::new()),
                ("unusual customData", odd),
            ] {
                let mut data = base.clone();
                if let Some(user) = data.user.as_mut() {
                    user.custom_data = Some(value);
                }
                let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
                cx.cite(["OMS-R081"]).expect_eq(
                    &format!("outcome with {what} vs without"),
                    baseline.clone(),
                    outcome_of(&r.errors),
                )?;
            }
            Ok(())
        })
}

/// MS-OMS 2.2.4.8: meta/@name and meta/@content are ignored: empty strings and other names
/// fare like the usual "author".
fn meta_ignored() -> Scenario {
    Scenario::new("oms-server/deliver/meta-ignored")
        .title("SMIL meta name and content do not change the outcome of an MMS")
        .section("MS-OMS 2.2.4.8")
        .requirements(["OMS-R068"])
        .level(Level::Must)
        .caught_by("meta-validated")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            slide_sender(&info)?;
            let base = mms_one_slide(&oms, &oms.recipients(1), "oxconf meta");
            let r = oms.deliver_citing(&base, &["OMS-R094"]).await?;
            oms.expect_delivered_citing("MMS with meta name=\"author\"", &r.errors, &["OMS-R068"])?;
            let baseline = outcome_of(&r.errors);
            for (name, content) in [
                ("", ""),
                (
                    "generator",
                    "\u{00dc}n\u{00ef}c\u{00f6}d\u{00e9} <&> \u{2603}",
                ),
                ("Author", "x"),
            ] {
                let mut data = base.clone();
                if let Some(head) = data.body.slides.as_mut().and_then(|s| s.head.as_mut()) {
                    head.meta = Some(Meta {
                        name: name.into(),
                        content: content.into(),
                    });
                }
                let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
                cx.cite(["OMS-R068"]).expect_eq(
                    &format!("outcome with meta name={name:?} content={content:?} vs \"author\""),
                    baseline.clone(),
                    outcome_of(&r.errors),
                )?;
            }
            Ok(())
        })
}

/// MS-OMS 2.2.4.3: contentId is ignored for text messages and non-slide MMS, so odd and
/// duplicate values fare like unique "name@domain" ones.
fn content_id_ignored() -> Scenario {
    Scenario::new("oms-server/deliver/content-id-ignored")
        .title("Odd and duplicate contentIds do not matter in SMS and non-slide MMS")
        .section("MS-OMS 2.2.4.3")
        .requirements(["OMS-R031"])
        .level(Level::Must)
        .caught_by("content-id-checked")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let to = oms.recipients(1);
            let mut cases: Vec<(&str, XmsData)> = Vec::new();
            if let Some(sms) = &info.supported_service.sms {
                if sms.limits.max_messages_per_send >= 2 {
                    cases.push((
                        "SMS of two parts",
                        oms.sms_parts(&to, &["oxconf one", "oxconf two"]),
                    ));
                }
            }
            if info.supported_service.mms.is_some() {
                cases.push(("non-slide MMS", mms_pages(&oms, &to, "oxconf content ids")));
            }
            if cases.is_empty() {
                return Err(Stop::skip(
                    "neither an SMS of two parts nor an MMS can be sent",
                ));
            }
            for (what, normal) in cases {
                let r = oms.deliver_citing(&normal, &["OMS-R094"]).await?;
                oms.expect_delivered_citing(
                    &format!("{what} with unique contentIds"),
                    &r.errors,
                    &["OMS-R031"],
                )?;
                let mut odd = normal.clone();
                for c in odd.body.contents.iter_mut() {
                    c.content_id = "same id".into();
                }
                let r2 = oms.deliver_citing(&odd, &["OMS-R094"]).await?;
                cx.cite(["OMS-R031"]).expect_eq(
                    &format!(
                        "outcome of the {what} with every contentId \"same id\" vs unique ones"
                    ),
                    outcome_of(&r.errors),
                    outcome_of(&r2.errors),
                )?;
            }
            Ok(())
        })
}

/// MS-OMS 2.2.5.1: requiredService SMS_SENDER and MMS_SENDER are honoured; the "SMS SENDER"
/// of the 4.4 example is outside the enumeration and may be refused (E-OMS-02).
fn required_service() -> Scenario {
    Scenario::new("oms-server/deliver/required-service")
        .title("requiredService SMS_SENDER and MMS_SENDER messages are delivered")
        .section("MS-OMS 2.2.5.1")
        .section("MS-OMS 2.2.4.18")
        .requirements(["OMS-R095"])
        .level(Level::Structure)
        .caught_by("reject-required-service")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let to = oms.recipients(1);
            if info.supported_service.sms.is_some() {
                let data = oms.sms(&to, "oxconf required service");
                let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
                oms.expect_delivered_citing(
                    "SMS with requiredService SMS_SENDER",
                    &r.errors,
                    &["OMS-R095"],
                )?;
                let mut spaced = data.clone();
                if let Some(head) = spaced.head.as_mut() {
                    head.required_service = Some("SMS SENDER".into());
                }
                let answer = oms.deliver_answer(&spaced.to_xml()).await?;
                cx.cite(["OMS-R095"]).info(
                    "requiredService \"SMS SENDER\" (not in the enumeration; invalidFormat is conformant, E-OMS-02)",
                    answer.describe(),
                );
            }
            if info.supported_service.mms.is_some() {
                let data = mms_pages(&oms, &to, "oxconf required service");
                let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
                oms.expect_delivered_citing(
                    "MMS with requiredService MMS_SENDER",
                    &r.errors,
                    &["OMS-R095"],
                )?;
            }
            Ok(())
        })
}

/// MS-OMS 2.2.4.4, 3.1.4.1.3.5, 3.1.1: media over maxSizePerMessage get sizeLimit whose
/// content is the advertised limit. Not probed at the limit: "the size of the multimedia
/// message" may count the decoded media, the base64 text or the whole xmsData, so no message
/// is exactly at the limit under every reading.
fn size_limit() -> Scenario {
    Scenario::new("oms-server/deliver/size-limit")
        .title("An MMS over maxSizePerMessage gets sizeLimit with the advertised limit")
        .section("MS-OMS 2.2.4.4")
        .section("MS-OMS 3.1.4.1.3.5")
        .requirements(["OMS-R049", "OMS-R122", "OMS-R100"])
        .level(Level::Structure)
        .caught_by("ignore-size-limit")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let max = u64::from(mms_sender(&info)?.max_size_per_message);
            if max > 16 * 1024 * 1024 {
                return Err(Stop::skip(format!(
                    "maxSizePerMessage {max} is too large to provoke sensibly"
                )));
            }
            let image = samples::gif_of_size(max as usize + 1);
            let contents = vec![
                oms.text_content(0, "oxconf size"),
                oms.media(1, "image/gif", "gif", &image),
            ];
            let data = oms.mms(&oms.recipients(1), None, contents);
            let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
            let Some(e) = oms.expect_reported(
                &format!(
                    "MMS with a GIF of {} bytes (maxSizePerMessage {max})",
                    image.len()
                ),
                &r.errors,
                codes::SIZE_LIMIT,
                &["OMS-R049", "OMS-R100"],
            )?
            else {
                return Ok(());
            };
            cx.cite(["OMS-R049", "OMS-R122"]).expect(
                "content of sizeLimit",
                e.content.as_deref().map(str::trim) == Some(max.to_string().as_str()),
                format!("\"{max}\" (the advertised maxSizePerMessage)"),
                shown(e.content.as_deref()),
            )
        })
}

/// MS-OMS 2.2.4.4, 3.1.4.1.3.5: exactly maxSlidesPerMessage slides are delivered; one slide
/// more gets slidesLimit whose content is the advertised limit.
fn slides_limit() -> Scenario {
    Scenario::new("oms-server/deliver/slides-limit")
        .title("An MMS of maxSlidesPerMessage slides is delivered; one slide more gets slidesLimit with the limit")
        .section("MS-OMS 2.2.4.4")
        .section("MS-OMS 3.1.4.1.3.5")
        .requirements(["OMS-R050", "OMS-R100"])
        .level(Level::Structure)
        .caught_by("ignore-slides-limit")
        .caught_by_breaking("limit-off-by-one", ["OMS-R050"])
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let max = slide_sender(&info)?.max_slides_per_message as usize;
            if max as u64 >= MAX_COUNT {
                return Err(Stop::skip(format!(
                    "maxSlidesPerMessage {max} is too large to provoke sensibly"
                )));
            }
            if max > 0 {
                let contents: Vec<Content> = (0..max)
                    .map(|i| oms.text_content(i, &format!("oxconf slide {}", i + 1)))
                    .collect();
                let pages: Vec<Vec<usize>> = (0..max).map(|i| vec![i]).collect();
                let slides = oms.smil(&contents, &pages);
                let data = oms.mms(&oms.recipients(1), Some(slides), contents);
                let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
                oms.expect_delivered_citing(
                    &format!("MMS of exactly {max} slides (maxSlidesPerMessage {max})"),
                    &r.errors,
                    &["OMS-R050", "OMS-R100"],
                )?;
            }
            let contents: Vec<Content> = (0..=max)
                .map(|i| oms.text_content(i, &format!("oxconf slide {}", i + 1)))
                .collect();
            let pages: Vec<Vec<usize>> = (0..=max).map(|i| vec![i]).collect();
            let slides = oms.smil(&contents, &pages);
            let data = oms.mms(&oms.recipients(1), Some(slides), contents);
            let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
            let Some(e) = oms.expect_reported(
                &format!("MMS of {} slides (maxSlidesPerMessage {max})", max + 1),
                &r.errors,
                codes::SLIDES_LIMIT,
                &["OMS-R050"],
            )?
            else {
                return Ok(());
            };
            cx.cite(["OMS-R050"]).expect(
                "content of slidesLimit",
                e.content.as_deref().map(str::trim) == Some(max.to_string().as_str()),
                format!("\"{max}\" (the advertised maxSlidesPerMessage)"),
                shown(e.content.as_deref()),
            )
        })
}

/// MS-OMS 2.2.4.4: in answers to a valid message, an invalid recipient, a partial delivery, an
/// over-long text and a wrong password, every error element pairs its code with the right
/// severity and content.
fn severity_pairs() -> Scenario {
    Scenario::new("oms-server/deliver/severity-pairs")
        .title("ok is neutral, failure codes are failure, contents have their form")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R036", "OMS-R037", "OMS-R033"])
        .level(Level::Must)
        .caught_by("failure-codes-neutral")
        .caught_by_breaking("ok-with-failure-severity-on-partial", ["OMS-R036"])
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let to = oms.recipients(1);
            let mut cases: Vec<(&str, &str, XmsData)> = vec![
                (
                    "valid message",
                    codes::OK,
                    oms.text_message(&info, &to, "oxconf pairs"),
                ),
                (
                    "message to an invalid recipient",
                    codes::INVALID_RECIPIENT,
                    oms.text_message(
                        &info,
                        std::slice::from_ref(&oms.env.invalid_recipient),
                        "oxconf pairs",
                    ),
                ),
            ];
            let mut partial = oms.recipients(1);
            partial.push(oms.env.invalid_recipient.clone());
            cases.push((
                "partial delivery (a valid and an invalid recipient)",
                codes::INVALID_RECIPIENT,
                oms.text_message(&info, &partial, "oxconf pairs"),
            ));
            if let Some(sender) = &info.supported_service.sms {
                let (sb, _) = text_ceiling(sender);
                if sb < MAX_PROVOKED {
                    cases.push((
                        "over-long text",
                        codes::LENGTH_LIMIT,
                        oms.sms(&to, &ascii_text(sb + 1)),
                    ));
                }
            }
            let mut wrong = oms.text_message(&info, &to, "oxconf pairs");
            if let Some(user) = wrong.user.as_mut() {
                user.password = Some("oxconf-not-the-password".into());
            }
            for (what, code, data) in cases {
                let r = oms.deliver_citing(&data, &["OMS-R094", "OMS-R033"]).await?;
                note_provoked(&cx, what, code, &r.errors);
                oms.expect_pairing(&format!("answer to the {what}"), &r.errors)?;
            }
            match oms.deliver_answer(&wrong.to_xml()).await? {
                DeliverAnswer::Response(r) => {
                    note_provoked(&cx, "wrong password", codes::INVALID_USER, &r.errors);
                    oms.expect_pairing("answer to the wrong password", &r.errors)?;
                }
                other => cx.checks().info(
                    "wrong password",
                    format!(
                        "answered outside the xmsResponse, nothing to pair: {}",
                        other.describe()
                    ),
                ),
            }
            Ok(())
        })
}

fn note_provoked(cx: &Cx, what: &str, code: &str, errors: &[DeliveryError]) {
    let seen = if errors.iter().any(|e| is_code(e, code)) {
        format!("{code} provoked: {}", codes_of(errors))
    } else {
        format!(
            "{code} not provoked (its own scenario judges that): {}",
            codes_of(errors)
        )
    };
    cx.checks().info(what, seen);
}

/// MS-OMS 2.2.4.4: after a change of the service information, responses SHOULD carry
/// serviceUpdate; when one does, its code is "serviceUpdate" exactly (E-OMS-06), its severity
/// neutral and its content the change's minute in UTC. The scenario is MUST-level because
/// only those MUST rules fail it; a missing serviceUpdate warns (its own check is SHOULD).
fn service_update() -> Scenario {
    Scenario::new("oms-server/deliver/service-update")
        .title("After a service change, DeliverXms answers carry serviceUpdate with a UTC minute")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R057", "OMS-R058", "OMS-R059"])
        .level(Level::Must)
        .needs(claims::SERVICE_UPDATE)
        .caught_by("service-update-bad-timestamp")
        .caught_by("service-update-missing")
        .caught_by_breaking("service-update-failure-severity", ["OMS-R058"])
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            // The reference peer's change would show in every scenario running meanwhile:
            // change a private one instead.
            let oms = match oms.env.private_reference().await {
                Ok(Some(env)) => {
                    cx.note(format!(
                        "the service information is changed on a private reference peer at {}",
                        env.caller.url
                    ));
                    Oms::with_env(&cx, Arc::new(env))
                }
                Ok(None) => oms,
                Err(e) => {
                    return Err(Stop::error(format!(
                        "cannot start a private reference peer: {e}"
                    )))
                }
            };
            let Some(change) = oms.env.service_update.clone() else {
                return Err(Stop::skip(claims::SERVICE_UPDATE.hint));
            };
            let run = trigger::fire(&cx, &change, "service-update trigger", &[]).await;
            trigger::succeeded(&run, "the service information could not be changed")?;
            let info = oms.limits().await?;
            let data = oms.text_message(&info, &oms.recipients(1), "oxconf after a service change");
            let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
            let found = r.errors.iter().find(|e| {
                e.code
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(codes::SERVICE_UPDATE))
            });
            cx.cite(["OMS-R057"]).level(Level::Should).check(
                "serviceUpdate after a change of the service information",
                found.is_some(),
                "an error element with code \"serviceUpdate\"",
                codes_of(&r.errors),
            );
            let Some(e) = found else {
                return Ok(());
            };
            let code = e.code.clone().unwrap_or_default();
            // The spelling check of OMS-R058 cannot fail: another letter case is tolerated
            // (E-OMS-06, E-OMS-28), and a code that is not "serviceUpdate" in some letter case
            // cannot be told from a provider-defined code, so it counts as no serviceUpdate
            // (OMS-R057, SHOULD). OMS-R058 fails on the severity, below.
            if code == codes::SERVICE_UPDATE {
                cx.cite(["OMS-R058"]).level(Level::Must).check(
                    "code spelling",
                    true,
                    "\"serviceUpdate\"",
                    format!("{code:?}"),
                );
            } else {
                cx.cite(["OMS-R058"]).deviation(
                    "code spelling",
                    "E-OMS-06",
                    "\"serviceUpdate\" exactly",
                    format!("{code:?}"),
                );
            }
            let severity_ok = cx.cite(["OMS-R058"]).level(Level::Must).check(
                "severity of serviceUpdate",
                e.severity.as_deref() == Some(codes::NEUTRAL),
                "\"neutral\"",
                shown(e.severity.as_deref()),
            );
            let content_ok = cx.cite(["OMS-R059"]).level(Level::Must).check(
                "content of serviceUpdate",
                e.content
                    .as_deref()
                    .is_some_and(|c| is_minute_precision(c.trim())),
                "a UTC time YYYY-MM-DDThh:mm:00Z (seconds \"00\")",
                shown(e.content.as_deref()),
            );
            if severity_ok && content_ok {
                Ok(())
            } else {
                Err(Stop::Failed)
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn limits(sb: u32, db: u32) -> SmsLimits {
        SmsLimits {
            max_recipients_per_message: 10,
            max_messages_per_send: 10,
            max_sbcs_per_message: sb,
            max_dbcs_per_message: db,
        }
    }

    fn sender(long: bool) -> SmsSender {
        SmsSender {
            limits: limits(140, 70),
            long: long.then(|| limits(153, 67)),
        }
    }

    #[rstest]
    #[case(false, (140, 70))]
    #[case(true, (255 * 153, 255 * 67))]
    fn ceilings(#[case] long: bool, #[case] expected: (u64, u64)) {
        assert_eq!(text_ceiling(&sender(long)), expected);
    }

    #[test]
    fn ceiling_is_the_reference_rule() {
        assert_eq!(MAX_SEGMENTS, mocks::oms::server::MAX_SEGMENTS);
    }

    #[rstest]
    #[case("70;140", true, LengthContent::DbSb)]
    #[case(" 70 ; 140 ", true, LengthContent::DbSb)]
    #[case("67;153", true, LengthContent::DbSb)]
    #[case("67;153", false, LengthContent::Other)]
    #[case("140;70", true, LengthContent::SbDb)]
    #[case("153;67", true, LengthContent::SbDb)]
    #[case("70", true, LengthContent::Other)]
    #[case("70;140;1", true, LengthContent::Other)]
    #[case("seventy;140", true, LengthContent::Other)]
    #[case("", true, LengthContent::Other)]
    fn length_contents(#[case] content: &str, #[case] long: bool, #[case] expected: LengthContent) {
        assert_eq!(judge_length_content(content, &sender(long)), expected);
    }

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

    #[rstest]
    #[case(10)]
    #[case(300)]
    #[case(30_001)]
    fn padded_gifs_are_gifs_of_at_least_the_size(#[case] size: usize) {
        let gif = samples::gif_of_size(size);
        assert!(gif.len() >= size && gif.len() < size + 260, "{}", gif.len());
        assert!(gif.starts_with(b"GIF89a"));
        assert_eq!(gif.last(), Some(&0x3b));
    }

    #[test]
    fn media_samples_carry_their_signatures() {
        let jpeg = samples::jpeg();
        assert!(jpeg.starts_with(&[0xff, 0xd8]) && jpeg.ends_with(&[0xff, 0xd9]));
        assert!(samples::MIDI.starts_with(b"MThd"));
        assert!(samples::AMR.starts_with(b"#!AMR\n"));
        assert_eq!(&samples::MP4[4..8], b"ftyp");
    }
}
