//! Whose subscription a notification is for, and notifications seen twice.

use super::Push;
use crate::push::listener::config::Unknown;
use harness::Scenario;
use wire::ews::{EventKind, SubscriptionStatus};

pub(super) fn all() -> Vec<Scenario> {
    vec![unknown_subscription(), duplicate_watermark()]
}

/// NTIF-R043: a listener answers Unsubscribe for a subscription it does not hold, so the
/// server stops; `push.unknown_subscription` says which answer this listener gives ("any"
/// accepts both), and the listener's own id (`push.subscription_id`) must get OK.
fn unknown_subscription() -> Scenario {
    Scenario::new("push-listener/identity/unknown-subscription")
        .title("Unknown subscription ids are answered as push.unknown_subscription says, its own id with OK")
        .section("MS-OXWSPSNTIF 3.1.4.1.1.1")
        .requirements(["NTIF-R043"])
        .caught_by("unknown-id-ok")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            let id = p.n.foreign_subscription();
            let foreign = crate::push::common::Notifications::new(&id, Some(&id));
            let answered = p
                .notify("a notification for a subscription the listener does not hold", &foreign.status_ping(1), &["NTIF-R043"])
                .await?;
            let expected = match p.env.unknown {
                Unknown::Unsubscribe => Some(SubscriptionStatus::Unsubscribe),
                Unknown::Ok => Some(SubscriptionStatus::Ok),
                Unknown::Any => None,
            };
            match expected {
                Some(status) => {
                    cx.checks().check(
                        &format!("an unknown subscription id is answered as push.unknown_subscription = \"{}\" says", p.env.unknown.as_str()),
                        answered.status == status,
                        status.as_str(),
                        answered.status.as_str(),
                    );
                }
                None => cx.checks().info("the answer to an unknown subscription id (push.unknown_subscription = \"any\")", answered.status.as_str()),
            }
            if p.env.subscription_id.is_some() {
                let own = p
                    .notify("a notification for the listener's own subscription", &p.n.status_ping(2), &["NTIF-R043"])
                    .await?;
                cx.checks().check(
                    "the listener's own subscription (push.subscription_id) is kept",
                    own.status == SubscriptionStatus::Ok,
                    "OK",
                    own.status.as_str(),
                );
            }
            Ok(())
        })
}

/// NTIF-R044: Exchange re-sends a notification it saw no answer to; the listener answers the
/// repeat like the first.
fn duplicate_watermark() -> Scenario {
    Scenario::new("push-listener/identity/duplicate-watermark")
        .title("The same notification delivered twice is answered both times")
        .section("MS-OXWSNTIF 2.2.4.8")
        .requirements(["NTIF-R044"])
        .caught_by("rejects-duplicate")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            let send =
                p.n.send(p.n.notification(Some(1), false, p.n.events(&[EventKind::NewMail], 2)));
            let first = p
                .notify("a NewMail notification", &send, &["NTIF-R044"])
                .await?;
            let again = p
                .notify("the same notification again", &send, &["NTIF-R044"])
                .await?;
            cx.checks().check(
                "the repeat is answered like the first",
                first.status == again.status,
                first.status.as_str(),
                again.status.as_str(),
            );
            Ok(())
        })
}
