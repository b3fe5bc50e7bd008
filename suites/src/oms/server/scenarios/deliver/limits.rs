//! The advertised limits (MS-OMS 3.1.4.1.3.3-3.1.4.1.3.5), each probed at the limit and one
//! past it: parts per send, text length per character class, concatenated texts, media size
//! and slides. The text ceiling follows the decision documented in `probe::advertised`.

use super::material::{ascii_text, cjk_text, is_code, sms_to_one, MAX_COUNT, MAX_PROVOKED};
use crate::common::media;
use crate::oms::server::probe::{
    codes_of, mms_sender, shown, slide_sender, sms_sender, text_ceiling, Oms,
};
use harness::{Cx, Level, Scenario, Stop};
use wire::oms::{codes, delivered, Content, DeliveryError, SmsLimits, SmsSender};

/// MS-OMS 2.2.4.16, 3.1.4.1.3.3: several content elements are several text messages, up to
/// SMS_SENDER's maxMessagesPerSend (short parts: none is concatenated, so LONG_SMS_SENDER's
/// count does not apply): exactly that many are delivered, one more is refused. Each part is
/// its own text message (OMS-R084), so the length limit applies to each part alone: two parts
/// that each hold just over half the ceiling are delivered, though together they would cross it.
pub(super) fn multi_part_sms() -> Scenario {
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
            let refused = r.errors.iter().any(DeliveryError::is_failure);
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

/// How a lengthLimit content relates to the advertised limits (E-OMS-29: "DB;SB").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LengthContent {
    /// "<DB>;<SB>" of SMS_SENDER or LONG_SMS_SENDER.
    DbSb,
    /// The pair of one of them in the attribute order "<SB>;<DB>".
    SbDb,
    Other,
}

pub(super) fn judge_length_content(content: &str, sender: &SmsSender) -> LengthContent {
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
    oms.cx.cite(reqs.iter().copied()).level(level).expect(
        what,
        delivered(errors),
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
pub(super) fn length_limit() -> Scenario {
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
pub(super) fn long_sms() -> Scenario {
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

/// MS-OMS 2.2.4.4, 3.1.4.1.3.5, 3.1.1: media over maxSizePerMessage get sizeLimit whose
/// content is the advertised limit. Not probed at the limit: "the size of the multimedia
/// message" may count the decoded media, the base64 text or the whole xmsData, so no message
/// is exactly at the limit under every reading.
pub(super) fn size_limit() -> Scenario {
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
            let image = media::gif_of_size(max as usize + 1);
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
pub(super) fn slides_limit() -> Scenario {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oms::server::probe::test_sender as sender;
    use rstest::rstest;

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
}
