//! Messages of each kind and form a server delivers (text, multimedia with and without
//! slides, every listed media type, both requiredService values), and the kinds it refuses
//! (a media type outside MS-OMS 2.2.4.3, unreadable xmsData).

use super::material::{mms_pages, set_subject, sms_to_one};
use crate::common::media;
use crate::oms::server::probe::{
    codes_of, mms_sender, outcome_of, shown, slide_sender, sms_sender, DeliverAnswer, Oms,
};
use harness::{Level, Scenario, Stop};
use wire::oms::{codes, Content, DeliveryError};

/// MS-OMS 3.1.4.3.2.2, 2.2.4.19, 2.2.4.4: an SMS to one valid recipient is answered with an
/// escaped xmsResponse of well-formed error elements reporting "ok"/"neutral". The same SMS
/// with the user's replyPhone is then recorded: a provider without callback numbers may ignore
/// it (2.2.4.15, MAY).
pub(super) fn sms_ok() -> Scenario {
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
            let seen = if r2.errors.iter().any(DeliveryError::is_ok)
                && outcome_of(&r2.errors) == outcome_of(&r.errors)
            {
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

/// MS-OMS 2.2.4.16, 2.2.4.3, 2.2.4.18: with supportSlide, an MMS in slide mode carrying each
/// listed media type is delivered. An MMS without subject may be refused or sent without one
/// (MAY): either is recorded, the answer must be well-formed.
pub(super) fn mms_slides() -> Scenario {
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
            let jpeg = media::jpeg();
            let contents: Vec<Content> = vec![
                oms.text_content(0, "oxconf slide text"),
                oms.media(1, "image/gif", "gif", media::GIF),
                oms.media(2, "image/jpeg", "jpg", &jpeg),
                oms.media(3, "audio/mid", "mid", media::MIDI),
                oms.media(4, "audio/AMR", "amr", media::AMR),
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
            let seen = if r.errors.iter().any(DeliveryError::is_ok) {
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
pub(super) fn mms_no_slides() -> Scenario {
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
            let jpeg = media::jpeg();
            let contents = vec![
                oms.text_content(0, "oxconf page one"),
                oms.media(1, "image/gif", "gif", media::GIF),
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
pub(super) fn invalid_media() -> Scenario {
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
                oms.media(1, "image/gif", "gif", media::GIF),
                oms.media(2, "video/mp4", "mp4", media::MP4),
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

/// MS-OMS 2.2.4.4: xmsData the server cannot read is invalidFormat. A SOAP fault or an HTTP
/// error says less to the client (warning); "ok" fails.
pub(super) fn invalid_format() -> Scenario {
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

/// MS-OMS 2.2.5.1: requiredService SMS_SENDER and MMS_SENDER are honoured; the "SMS SENDER"
/// of the 4.4 example is outside the enumeration and may be refused (E-OMS-02).
pub(super) fn required_service() -> Scenario {
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
