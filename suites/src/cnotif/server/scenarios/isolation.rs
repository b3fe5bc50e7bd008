//! Isolation of subscriptions (MS-OXCNOTIF 2.2.1.2.1.1, 3.1.5.1): several subscriptions on one
//! session are each notified by their own NotificationTypes and scope; after RopRelease a
//! subscription gets nothing.

use super::{about, describe, is_inbox, Mailbox, Notified, LOGON_ID, SUB_A, SUB_B, SUB_C};
use harness::{Scenario, Stop};
use wire::cnotif::NotificationType;
use wire::rop::{types, LogonSuccess, RopRequest};

pub(super) fn all() -> Vec<Scenario> {
    vec![by_types(), folder_scope(), release()]
}

/// The kinds of the notifications for `handle` about `mid`.
fn kinds(notes: &[Notified], handle: u32, mid: wire::cnotif::Id) -> Vec<NotificationType> {
    about(notes, &[mid])
        .into_iter()
        .filter(|n| n.handle == handle)
        .filter_map(|n| n.decoded().ok().map(|d| d.kind))
        .collect()
}

fn by_types() -> Scenario {
    Scenario::new("notif-server/isolation/types")
        .title(
            "Two subscriptions on one session are each notified only of the types they asked for",
        )
        .section("MS-OXCNOTIF 2.2.1.2.1.1")
        .requirements([
            "OXCNOTIF-R009",
            "OXCNOTIF-R010",
            "OXCNOTIF-R074",
            "OXCNOTIF-R075",
        ])
        .caught_by("ignores-types")
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            if !is_inbox(&b) {
                return Err(Stop::skip(
                    "notif.folder is not the Inbox: NewMail is raised there only",
                ));
            }
            let mail = b.register(SUB_A, types::NEW_MAIL, None).await?;
            let created = b.register(SUB_B, types::OBJECT_CREATED, None).await?;
            let (mid, first) = b.create_and_save(b.folder).await?;
            let mut notes = first.notes;
            notes.extend(b.drain(5).await?);
            cx.note(format!(
                "received: {}",
                notes.iter().map(describe).collect::<Vec<_>>().join("; ")
            ));
            let to_mail = kinds(&notes, mail, mid);
            let to_created = kinds(&notes, created, mid);
            cx.cite(["OXCNOTIF-R009"]).expect(
                "the NewMail subscription gets NewMail and nothing else",
                to_mail == vec![NotificationType::NewMail],
                "[NewMail]",
                format!("{to_mail:?}"),
            )?;
            cx.cite(["OXCNOTIF-R010"]).expect(
                "the ObjectCreated subscription gets ObjectCreated and nothing else",
                to_created == vec![NotificationType::ObjectCreated],
                "[ObjectCreated]",
                format!("{to_created:?}"),
            )?;
            Ok(())
        })
}

fn folder_scope() -> Scenario {
    Scenario::new("notif-server/isolation/folder-scope")
        .title("A folder-scoped subscription hears of events in its folder only; a whole-store one of all")
        .section("MS-OXCNOTIF 2.2.1.2.1.1")
        .requirements(["OXCNOTIF-R018"])
        .caught_by("ignores-scope")
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            let other = if b.folder == b.folders[LogonSuccess::INBOX] {
                b.folders[6]
            } else {
                b.folders[LogonSuccess::INBOX]
            };
            let whole = b.register(SUB_A, types::OBJECT_CREATED, None).await?;
            let here = b
                .register(SUB_B, types::OBJECT_CREATED, Some((b.folder, [0; 8])))
                .await?;
            let elsewhere = b
                .register(SUB_C, types::OBJECT_CREATED, Some((other, [0; 8])))
                .await?;
            let (mid, first) = b.create_and_save(b.folder).await?;
            let mut notes = first.notes;
            notes.extend(b.drain(5).await?);
            cx.note(format!(
                "received: {}",
                notes.iter().map(describe).collect::<Vec<_>>().join("; ")
            ));
            let ours = about(&notes, &[mid]);
            let count = |h| ours.iter().filter(|n| n.handle == h).count();
            cx.checks().expect(
                "the whole-store subscription is notified",
                count(whole) == 1,
                "1 RopNotify",
                format!("{}", count(whole)),
            )?;
            cx.checks().expect(
                "the subscription on the event's folder is notified",
                count(here) == 1,
                "1 RopNotify",
                format!("{}", count(here)),
            )?;
            cx.checks().expect(
                "the subscription on another folder is not notified",
                count(elsewhere) == 0,
                "0 RopNotify",
                format!("{}", count(elsewhere)),
            )?;
            Ok(())
        })
}

fn release() -> Scenario {
    Scenario::new("notif-server/isolation/release")
        .title("After RopRelease of a subscription, its events bring no RopNotify for its handle")
        .section("MS-OXCROPS 2.2.15.3")
        .requirements(["ROPS-R4571"])
        .caught_by("notifies-after-release")
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            let kept = b.register(SUB_A, types::OBJECT_CREATED, None).await?;
            let released = b.register(SUB_B, types::OBJECT_CREATED, None).await?;
            let done =
                b.m.execute(
                    &[RopRequest::Release {
                        logon_id: LOGON_ID,
                        input_index: SUB_B,
                    }],
                    super::super::mapi::LARGE,
                )
                .await?;
            cx.checks().expect_eq(
                "the Execute carrying RopRelease succeeds",
                0u32,
                done.error_code,
            )?;
            let (mid, first) = b.create_and_save(b.folder).await?;
            let mut all = first.notes;
            all.extend(b.drain(5).await?);
            let notes: Vec<Notified> = about(&all, &[mid]).into_iter().cloned().collect();
            let for_handle = |h| notes.iter().filter(|n| n.handle == h).count();
            cx.checks().expect(
                "the kept subscription is still notified (the event happened)",
                for_handle(kept) > 0,
                "a RopNotify for the kept subscription",
                "none",
            )?;
            cx.checks().expect(
                "the released subscription is not notified",
                for_handle(released) == 0,
                "no RopNotify for the released handle",
                notes.iter().map(describe).collect::<Vec<_>>().join("; "),
            )?;
            Ok(())
        })
}
