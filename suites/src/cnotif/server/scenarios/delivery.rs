//! Delivery (MS-OXCNOTIF 2.2.1.4.1, 3.1.5.5): after an event, an Execute returns a RopNotify
//! for the subscription, framed for it and carrying the fields of the action taken.

use super::{about, describe, is_inbox, Mailbox, LOGON_ID, SUB_A};
use harness::{Scenario, Stop};
use wire::binary::hex;
use wire::cnotif::{NotificationType, FLAG_M};
use wire::rop::types;

pub(super) fn all() -> Vec<Scenario> {
    vec![
        new_mail(),
        object_created(),
        object_modified(),
        presence_rules(),
    ]
}

/// Registers for `types`, causes one save, and returns the subscription's notifications.
async fn one_save(
    b: &Mailbox,
    wanted: u16,
) -> Result<(u32, wire::cnotif::Id, Vec<super::Notified>), Stop> {
    let handle = b.register(SUB_A, wanted, None).await?;
    let (mid, first) = b.create_and_save(b.folder).await?;
    let mut notes = first.notes;
    notes.extend(b.drain(5).await?);
    Ok((handle, mid, notes))
}

fn new_mail() -> Scenario {
    Scenario::new("notif-server/delivery/new-mail")
        .title("A message saved in the Inbox brings a NewMail RopNotify for the subscription's handle and logon, naming the message")
        .section("MS-OXCNOTIF 2.2.1.4.1.1")
        .requirements(["OXCNOTIF-R009", "OXCNOTIF-R024", "OXCNOTIF-R025", "OXCNOTIF-R044", "OXCNOTIF-R094"])
        .caught_by_breaking("wrong-handle", ["OXCNOTIF-R025"])
        .caught_by_breaking("wrong-logon-id", ["OXCNOTIF-R024"])
        .caught_by_breaking("wrong-message-id", ["OXCNOTIF-R044"])
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            if !is_inbox(&b) {
                return Err(Stop::skip("notif.folder is not the Inbox: NewMail is raised there only"));
            }
            let (handle, mid, notes) = one_save(&b, types::NEW_MAIL).await?;
            cx.note(format!(
                "received: {}",
                notes.iter().map(describe).collect::<Vec<_>>().join("; ")
            ));
            let mail: Vec<_> = about(&notes, &[mid])
                .into_iter()
                .filter(|n| n.decoded().is_ok_and(|d| d.kind == NotificationType::NewMail))
                .collect();
            let Some(n) = mail.first() else {
                return Err(cx.cite(["OXCNOTIF-R009", "OXCNOTIF-R044", "OXCNOTIF-R094"]).fail(
                    "a NewMail RopNotify naming the saved message arrives after the save",
                    format!("a RopNotify NewMail with MessageId {}", hex(&mid)),
                    format!("{} RopNotify, none such", notes.len()),
                ));
            };
            cx.cite(["OXCNOTIF-R025"]).expect(
                "NotificationHandle is the subscription's handle",
                n.handle == handle,
                format!("0x{handle:08X}"),
                format!("0x{:08X}", n.handle),
            )?;
            cx.cite(["OXCNOTIF-R024"]).expect_eq(
                "LogonId is the logon the subscription was made on",
                LOGON_ID,
                n.logon_id,
            )?;
            let d = n.decoded().map_err(|e| Stop::error(e.to_string()))?;
            cx.cite(["OXCNOTIF-R043"]).expect(
                "FolderId is the folder the message was saved in",
                d.folder_id == Some(b.folder),
                hex(&b.folder),
                d.folder_id.map_or("(none)".into(), |f| hex(&f)),
            )?;
            cx.cite(["OXCNOTIF-R044"]).expect(
                "MessageId is the saved message's",
                d.message_id == Some(mid),
                hex(&mid),
                d.message_id.map_or("(none)".into(), |m| hex(&m)),
            )?;
            Ok(())
        })
}

fn object_created() -> Scenario {
    Scenario::new("notif-server/delivery/object-created")
        .title("A new message brings an ObjectCreated RopNotify with the M bit and its MessageId")
        .section("MS-OXCNOTIF 2.2.1.4.1.1")
        .requirements(["OXCNOTIF-R010", "OXCNOTIF-R031", "OXCNOTIF-R044"])
        .caught_by("folder-flags-on-message")
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            let (handle, mid, notes) = one_save(&b, types::OBJECT_CREATED).await?;
            let created: Vec<_> = about(&notes, &[mid])
                .into_iter()
                .filter(|n| n.handle == handle)
                .filter(|n| n.decoded().is_ok_and(|d| d.kind == NotificationType::ObjectCreated))
                .collect();
            let Some(n) = created.first() else {
                return Err(cx.cite(["OXCNOTIF-R010", "OXCNOTIF-R031", "OXCNOTIF-R044"]).fail(
                    "an ObjectCreated RopNotify naming the new message (M bit, MessageId) arrives for the subscription",
                    format!("ObjectCreated with M and MessageId {}", hex(&mid)),
                    notes.iter().map(describe).collect::<Vec<_>>().join("; "),
                ));
            };
            let d = n.decoded().map_err(|e| Stop::error(e.to_string()))?;
            cx.cite(["OXCNOTIF-R031"]).expect(
                "the M bit is set: the event is on a message",
                d.flag_bits & FLAG_M != 0,
                "M set",
                format!("NotificationFlags 0x{:04X}", d.flags()),
            )?;
            cx.cite(["OXCNOTIF-R044"]).expect(
                "MessageId is the new message's",
                d.message_id == Some(mid),
                hex(&mid),
                d.message_id.map_or("(none)".into(), |m| hex(&m)),
            )?;
            Ok(())
        })
}

fn object_modified() -> Scenario {
    Scenario::new("notif-server/delivery/object-modified")
        .title("Saving a saved message again brings an ObjectModified RopNotify naming it")
        .section("MS-OXCNOTIF 2.2.1.4.1.1")
        .requirements(["OXCNOTIF-R012", "OXCNOTIF-R044", "OXCNOTIF-R050"])
        .caught_by_breaking("no-modified-event", ["OXCNOTIF-R012"])
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            let handle = b.register(SUB_A, types::OBJECT_MODIFIED, None).await?;
            let (mid, first) = b.create_and_save(b.folder).await?;
            let mut notes = first.notes;
            notes.extend(b.drain(5).await?);
            let again = b.save_again().await?;
            let mut after = again.notes;
            after.extend(b.drain(5).await?);
            let modified: Vec<_> = about(&after, &[mid])
                .into_iter()
                .filter(|n| n.handle == handle)
                .filter(|n| {
                    n.decoded().is_ok_and(|d| {
                        d.kind == NotificationType::ObjectModified && d.message_id == Some(mid)
                    })
                })
                .collect();
            cx.checks().expect(
                "an ObjectModified RopNotify for the message arrives after the second save",
                !modified.is_empty(),
                format!("ObjectModified with MessageId {}", hex(&mid)),
                if after.is_empty() {
                    "no RopNotify".to_string()
                } else {
                    after.iter().map(describe).collect::<Vec<_>>().join("; ")
                },
            )?;
            if let Some(d) = modified.first().and_then(|n| n.decoded().ok()) {
                if let Some(tags) = &d.tags {
                    if tags.count != 0 && tags.count != 0xFFFF {
                        cx.cite(["OXCNOTIF-R050"]).deviation(
                            "TagCount of ObjectModified is 0x0000",
                            "E-CN-21",
                            "0x0000",
                            format!("{} tags", tags.count),
                        );
                    }
                }
            }
            Ok(())
        })
}

/// Every RopNotify of a run of events decodes under the presence rules; `Mailbox::collect`
/// fails the scenario on the first that does not, naming the rule.
fn presence_rules() -> Scenario {
    Scenario::new("notif-server/delivery/presence-rules")
        .title("Every RopNotify of a create, save and re-save follows the NotificationFlags and field-presence rules")
        .section("MS-OXCNOTIF 2.2.1.4.1.1")
        .requirements(["OXCNOTIF-R026", "OXCNOTIF-R027", "OXCNOTIF-R028", "OXCNOTIF-R029", "OXCNOTIF-R030", "OXCNOTIF-R043", "OXCNOTIF-R045", "OXCNOTIF-R049", "OXCNOTIF-R052", "OXCNOTIF-R055", "OXCNOTIF-R056", "OXCNOTIF-R058", "OXCNOTIF-R059"])
        .caught_by_breaking("t-bit-on-created", ["OXCNOTIF-R028"])
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            b.register(SUB_A, types::ALL_EVENTS, None).await?;
            let (_, first) = b.create_and_save(b.folder).await?;
            let mut notes = first.notes;
            notes.extend(b.save_again().await?.notes);
            notes.extend(b.drain(5).await?);
            cx.checks().expect(
                "the events brought notifications to judge",
                !notes.is_empty(),
                "at least one RopNotify",
                "none",
            )?;
            for n in &notes {
                if let Err(e) = n.decoded() {
                    return Err(cx.cite([e.rule.requirement()]).fail(
                        "each NotificationData follows the presence rules",
                        "a buffer that decodes",
                        format!("{} ({})", e.rule.id(), hex(&n.raw)),
                    ));
                }
            }
            cx.checks().check(
                "every NotificationData follows the presence rules",
                true,
                "all decode",
                format!("{} decoded", notes.len()),
            );
            Ok(())
        })
}
