//! Recipients: as many as maxRecipientsPerMessage are delivered and one more is refused; an
//! invalid one is reported by itself, the valid one unaffected.

use super::material::{mms_pages, MAX_COUNT};
use crate::oms::server::probe::{codes_of, Oms};
use harness::{Level, Scenario, Stop};
use wire::oms::{codes, DeliveryError};

/// MS-OMS 3.1.4.1.3.3, 3.1.1: maxRecipientsPerMessage recipients are accepted, one more is
/// refused; for SMS_SENDER and, when advertised, MMS_SENDER. Recipients cycle through the
/// profile's list, so numbers repeat: the limit counts recipient elements.
pub(super) fn too_many_recipients() -> Scenario {
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
                    r.errors.iter().any(DeliveryError::is_failure),
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

/// MS-OMS 2.2.4.4: an invalid recipient is reported with invalidRecipient/failure, listing
/// exactly that recipient (the valid one is not affected).
pub(super) fn invalid_recipient() -> Scenario {
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
