//! Every kind of notification Exchange sends (MS-OXWSPSNTIF 3.1.4.1.3.1, MS-OXWSNTIF 2.2.4.8):
//! a listener answers each with a SendNotificationResult.

use super::Push;
use harness::Scenario;
use wire::ews::{ns, EventKind, ResponseMessage, SendNotification, SendNotificationMessage};

pub(super) fn all() -> Vec<Scenario> {
    vec![
        status_ping(),
        each_event_kind(),
        mixed_kinds(),
        more_events(),
        several_messages(),
        error_notification(),
    ]
}

/// Digest 3.3: a status ping must be answered like any other notification, or the
/// subscription times out.
fn status_ping() -> Scenario {
    Scenario::new("push-listener/notify/status-ping")
        .title("A status ping (a StatusEvent only) is answered with a SendNotificationResult")
        .section("MS-OXWSPSNTIF 3.1.4.1")
        .requirements(["NTIF-R042", "PSNTIF-R004"])
        .caught_by("ignores-status-ping")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            p.notify(
                "a status ping",
                &p.n.status_ping(1),
                &["NTIF-R042", "PSNTIF-R004"],
            )
            .await?;
            Ok(())
        })
}

/// MS-OXWSNTIF 2.2.4.8: eight event elements, each with its own children (the old ids of
/// moved and copied events, the unread count of a modified folder).
fn each_event_kind() -> Scenario {
    Scenario::new("push-listener/notify/each-event-kind")
        .title("A notification of each event kind alone is answered")
        .section("MS-OXWSPSNTIF 3.1.4.1")
        .requirements(["PSNTIF-R004", "PSNTIF-R001"])
        .caught_by("rejects-moved-copied")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            for (i, kind) in EventKind::ALL.into_iter().enumerate() {
                let n = 10 * (i + 1);
                let send =
                    p.n.send(p.n.notification(Some(n - 1), false, vec![p.n.event(kind, n)]));
                let what = format!("a notification holding one {}", kind.element());
                p.notify(&what, &send, &["PSNTIF-R004", "PSNTIF-R001"])
                    .await?;
            }
            cx.note("answered a notification of each of the eight event kinds");
            Ok(())
        })
}

/// The event choice is unbounded and in any order (digest 1.7).
fn mixed_kinds() -> Scenario {
    Scenario::new("push-listener/notify/mixed-kinds")
        .title("One notification mixing every event kind is answered")
        .section("MS-OXWSNTIF 2.2.4.8")
        .requirements(["PSNTIF-R004"])
        .caught_by("rejects-moved-copied")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            let mut kinds = EventKind::ALL.to_vec();
            kinds.reverse();
            let events = p.n.events(&kinds, 2);
            let send = p.n.send(p.n.notification(Some(1), false, events));
            p.notify(
                "a notification of eight mixed events",
                &send,
                &["PSNTIF-R004"],
            )
            .await?;
            Ok(())
        })
}

/// Digest 1.8: with more than 50 events queued, Exchange sends MoreEvents=true and the next
/// notification straight away, the watermarks chained.
fn more_events() -> Scenario {
    Scenario::new("push-listener/notify/more-events")
        .title("A MoreEvents=true sequence of notifications is answered, each in turn")
        .section("MS-OXWSNTIF 2.2.4.8")
        .requirements(["PSNTIF-R004"])
        .caught_by("rejects-more-events")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            let kinds = vec![EventKind::Created; 50];
            for part in 0..3usize {
                let first = 1 + part * 50;
                let last = part == 2;
                let events = if last {
                    p.n.events(&[EventKind::NewMail], first)
                } else {
                    p.n.events(&kinds, first)
                };
                let previous = if part == 0 { None } else { Some(first - 1) };
                let send = p.n.send(p.n.notification(previous, !last, events));
                let what = format!("part {} of 3 (MoreEvents={})", part + 1, !last);
                p.notify(&what, &send, &["PSNTIF-R004"]).await?;
            }
            Ok(())
        })
}

/// MS-OXWSCDATA 2.2.4.12: ResponseMessages is a list; one SendNotification may carry several
/// messages.
fn several_messages() -> Scenario {
    Scenario::new("push-listener/notify/several-messages")
        .title("A SendNotification with several response messages is answered")
        .section("MS-OXWSPSNTIF 3.1.4.1.2.2")
        .requirements(["PSNTIF-R004"])
        .caught_by("rejects-several-messages")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            let messages = (0..3)
                .map(|i| SendNotificationMessage {
                    response: ResponseMessage::success(),
                    notification: Some(p.n.notification(
                        Some(10 * i),
                        false,
                        p.n.events(&[EventKind::NewMail], 10 * i + 1),
                    )),
                })
                .collect();
            let send = SendNotification {
                server_version: Some(crate::push::common::build::SERVER_VERSION.into()),
                messages,
            };
            p.notify(
                "a SendNotification of three response messages",
                &send,
                &["PSNTIF-R004"],
            )
            .await?;
            Ok(())
        })
}

/// Digest 3.2: when Exchange cannot read events it pushes ResponseClass="Error" with
/// ErrorReadEventsFailed and a MessageXml naming the subscription.
fn error_notification() -> Scenario {
    Scenario::new("push-listener/notify/error-notification")
        .title("An error notification (ErrorReadEventsFailed with MessageXml) is answered, not crashed on")
        .section("MS-OXWSPSNTIF 3.1.4.1.2.1")
        .requirements(["PSNTIF-R004"])
        .caught_by("crash-on-error-notification")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            let mut response = ResponseMessage::error("ErrorReadEventsFailed", "The events couldn't be read.");
            response.message_xml = Some(format!(
                "<t:Value xmlns:t=\"{}\" Name=\"SubscriptionId\">{}</t:Value>",
                ns::TYPES,
                p.n.subscription()
            ));
            let send = SendNotification {
                server_version: Some(crate::push::common::build::SERVER_VERSION.into()),
                messages: vec![SendNotificationMessage {
                    response,
                    notification: Some(p.n.notification(Some(1), false, vec![p.n.event(EventKind::Status, 1)])),
                }],
            };
            let answered = p
                .notify("an ErrorReadEventsFailed notification", &send, &["PSNTIF-R004"])
                .await?;
            cx.note(format!("answered {}", answered.status.as_str()));
            Ok(())
        })
}
