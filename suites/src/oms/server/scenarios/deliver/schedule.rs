//! Scheduled sending (MS-OMS 2.2.4.18): a time in the past means now, a time ahead is honoured
//! or the message goes out at once with noScheduled.

use super::material::{is_code, minute_in_days};
use crate::oms::server::probe::{codes_of, reports, shown, Oms};
use harness::{Level, Scenario};
use wire::oms::{codes, DeliveryError};

/// MS-OMS 2.2.4.18: a scheduled time in the past means "send now": delivered, possibly with
/// noScheduled (either severity, E-OMS-33).
pub(super) fn scheduled_past() -> Scenario {
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
                r.errors.iter().any(DeliveryError::is_ok) && only_notices,
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
pub(super) fn scheduled_future() -> Scenario {
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
                (r.errors.iter().any(DeliveryError::is_ok) || no_scheduled.is_some()) && only_notices,
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
