//! Fields a server ignores: a text message's subject, user/customData, SMIL meta and the
//! contentIds of messages without slides change nothing about the outcome.

use super::material::{
    ascii_text, mms_one_slide, mms_pages, set_subject, sms_to_one, MAX_PROVOKED,
};
use crate::oms::server::probe::{outcome_of, slide_sender, sms_sender, text_ceiling, Oms};
use harness::{Level, Scenario, Stop};
use wire::oms::{Meta, XmsData};

/// MS-OMS 2.2.4.18: the subject of a text message is ignored, so a text exactly at the
/// single-byte ceiling fares the same with and without a long subject.
pub(super) fn subject_ignored_for_sms() -> Scenario {
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
pub(super) fn custom_data_ignored() -> Scenario {
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
pub(super) fn meta_ignored() -> Scenario {
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
pub(super) fn content_id_ignored() -> Scenario {
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
