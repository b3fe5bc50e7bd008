//! Pending signalling (MS-OXCNOTIF 3.1.5.5 to 3.1.5.7, MS-OXCROPS 3.1.5.1.3): as many
//! RopNotify as fit in MaxRopOut, then RopPending when some are left, at the end of the
//! response; follow-up Executes deliver the rest in order, none lost or repeated.

use super::super::mapi::{Notified, LARGE};
use super::{describe, Collected, Mailbox, SUB_A};
use harness::{Cx, Scenario, Stop};
use wire::cnotif::{Id, NotificationType};
use wire::rop::types;

/// Messages saved per scenario: each brings an ObjectCreated (and a NewMail in the Inbox).
const SAVES: usize = 4;

pub(super) fn all() -> Vec<Scenario> {
    vec![
        signalled(),
        none_when_all_fit(),
        drained_in_order(),
        after_responses(),
        within_limit(),
    ]
}

/// The RopBuffer bytes an Execute response needs besides its ROPs: RPC_HEADER_EXT, RopSize
/// and the handle table.
fn overhead(b: &Mailbox) -> u32 {
    let slots = b.m.table.lock().map(|t| t.len()).unwrap_or(8) as u32;
    8 + 2 + 4 * slots
}

/// A MaxRopOut with room for about two ObjectCreated notifications (26 bytes each) and a
/// RopPending.
fn small(b: &Mailbox) -> u32 {
    overhead(b) + 2 * 26 + 3 + 4
}

/// Saves `SAVES` messages with notifications left queued: the saves' own responses get a
/// MaxRopOut too small for any notification, so they stay pending.
async fn queue_up(b: &Mailbox) -> Result<(u32, Vec<Id>, Vec<Notified>), Stop> {
    let handle = b.register(SUB_A, types::OBJECT_CREATED, None).await?;
    let mut mids = Vec::new();
    let mut early = Vec::new();
    // RopCreateMessage (7 bytes) and RopSaveChangesMessage (15) responses, and a RopPending.
    let tight = overhead(b) + 7 + 15 + 3;
    for _ in 0..SAVES {
        let (mid, c) = b.create_and_save_with(b.folder, tight).await?;
        mids.push(mid);
        early.extend(c.notes);
    }
    Ok((handle, mids, early))
}

fn record(cx: &Cx, what: &str, c: &Collected) {
    cx.note(format!(
        "{what}: {} RopNotify{}{}",
        c.notes.len(),
        match c.pending {
            Some(i) => format!(", RopPending (SessionIndex {i})"),
            None => String::new(),
        },
        if c.notes.is_empty() {
            String::new()
        } else {
            format!(
                " [{}]",
                c.notes.iter().map(describe).collect::<Vec<_>>().join("; ")
            )
        }
    ));
}

/// The ObjectCreated MessageIds of `notes` for `handle`, in order.
fn created_ids(notes: &[Notified], handle: u32) -> Vec<Id> {
    notes
        .iter()
        .filter(|n| n.handle == handle)
        .filter_map(|n| {
            n.decoded()
                .ok()
                .filter(|d| d.kind == NotificationType::ObjectCreated)
        })
        .filter_map(|d| d.message_id)
        .collect()
}

/// With the saves' notifications delivered at once (a server that empties the queue into
/// each response), nothing is left to signal: the scenario cannot judge RopPending.
fn needs_leftovers(early: &[Notified]) -> Result<(), Stop> {
    if early.len() >= SAVES {
        return Err(Stop::skip(
            "the server delivered every notification with the saves' own responses, so none was left pending to signal",
        ));
    }
    Ok(())
}

fn signalled() -> Scenario {
    Scenario::new("notif-server/pending/signalled")
        .title("With a small MaxRopOut, the RopNotify that fit are followed by a RopPending as the last ROP")
        .section("MS-OXCNOTIF 3.1.5.7")
        .requirements(["OXCNOTIF-R064", "OXCNOTIF-R095", "OXCNOTIF-R097", "OXCNOTIF-R100", "OXCNOTIF-R101", "OXCNOTIF-R022", "ROPS-R452201"])
        .caught_by_breaking("no-pending", ["OXCNOTIF-R095", "OXCNOTIF-R097", "OXCNOTIF-R101"])
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            let (_, _, early) = queue_up(&b).await?;
            needs_leftovers(&early)?;
            let c = b.poll(small(&b)).await?;
            record(&cx, "small Execute", &c);
            cx.checks().expect(
                "some RopNotify fit in the small buffer",
                !c.notes.is_empty(),
                "at least one RopNotify",
                "none",
            )?;
            let left = b.drain(SAVES + 2).await?;
            if left.is_empty() {
                return Err(Stop::skip(
                    "every notification fit in the small buffer: nothing was left to signal",
                ));
            }
            cx.cite(["OXCNOTIF-R095", "OXCNOTIF-R097", "OXCNOTIF-R101"])
                .give_up_unless(
                    c.pending.is_some(),
                    "a RopPending follows when notifications are left over",
                    "RopPending",
                    format!("no RopPending; {} notifications came later", left.len()),
                )?;
            cx.cite(["ROPS-R452201", "OXCNOTIF-R022"]).expect(
                "RopPending is the last ROP of the response",
                c.pending_last,
                "RopPending last",
                "another ROP after RopPending",
            )?;
            Ok(())
        })
}

fn none_when_all_fit() -> Scenario {
    Scenario::new("notif-server/pending/none-when-all-fit")
        .title("When every pending RopNotify fits, no RopPending is sent")
        .section("MS-OXCROPS 3.1.5.1.3")
        .requirements(["ROPS-R452202"])
        .caught_by("pending-always")
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            b.register(SUB_A, types::OBJECT_CREATED, None).await?;
            let (_, c) = b.create_and_save(b.folder).await?;
            let c = if c.notes.is_empty() {
                b.poll(LARGE).await?
            } else {
                c
            };
            record(&cx, "large Execute", &c);
            cx.checks().expect(
                "the notification arrived",
                !c.notes.is_empty(),
                "a RopNotify",
                "none",
            )?;
            cx.checks().check(
                "no RopPending when everything fit",
                c.pending.is_none(),
                "no RopPending",
                "RopPending",
            );
            Ok(())
        })
}

fn drained_in_order() -> Scenario {
    Scenario::new("notif-server/pending/drained-in-order")
        .title("Follow-up Executes deliver the leftover notifications in event order, none lost or repeated")
        .section("MS-OXCNOTIF 3.1.5.5")
        .requirements(["OXCNOTIF-R094", "OXCNOTIF-R099"])
        .caught_by("drops-leftovers")
        .caught_by("repeats-leftovers")
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            let (handle, mids, early) = queue_up(&b).await?;
            let mut all = early;
            let c = b.poll(small(&b)).await?;
            record(&cx, "small Execute", &c);
            all.extend(c.notes);
            all.extend(b.drain(SAVES + 2).await?);
            let got: Vec<Id> = created_ids(&all, handle)
                .into_iter()
                .filter(|m| mids.contains(m))
                .collect();
            let hex = |ids: &[Id]| {
                ids.iter()
                    .map(|i| wire::binary::hex(i))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let mut unique = got.clone();
            unique.dedup();
            cx.checks().expect(
                "no notification is delivered twice",
                unique.len() == got.len() && {
                    let mut s = got.clone();
                    s.sort();
                    s.dedup();
                    s.len() == got.len()
                },
                "each ObjectCreated once",
                hex(&got),
            )?;
            cx.checks().expect(
                "every notification is delivered, in the order of the events",
                got == mids,
                hex(&mids),
                hex(&got),
            )?;
            Ok(())
        })
}

fn after_responses() -> Scenario {
    Scenario::new("notif-server/pending/after-responses")
        .title("RopNotify and RopPending come after the responses to every ROP request of the buffer")
        .section("MS-OXCROPS 3.1.5.1.3")
        .requirements(["ROPS-R452201", "OXCNOTIF-R023"])
        .caught_by("notify-first")
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            b.register(SUB_A, types::OBJECT_CREATED, None).await?;
            // The first save leaves a notification queued for the second's response.
            let (_, first) = b.create_and_save(b.folder).await?;
            let (_, second) = b.create_and_save(b.folder).await?;
            let carried = [&first, &second]
                .into_iter()
                .filter(|c| !c.notes.is_empty())
                .count();
            if carried == 0 {
                return Err(Stop::skip(
                    "the server sent no notification with ROP responses (only on empty Executes), so their order cannot be judged",
                ));
            }
            for c in [&first, &second] {
                cx.checks().expect(
                    "no RopNotify or RopPending precedes a ROP response",
                    !c.notify_before_response,
                    "ROP responses first, then RopNotify, then RopPending",
                    super::summary(&c.executed),
                )?;
            }
            Ok(())
        })
}

fn within_limit() -> Scenario {
    Scenario::new("notif-server/pending/within-limit")
        .title("A response with pending notifications never exceeds the client's MaxRopOut")
        .section("MS-OXCROPS 3.1.5.1.2")
        .requirements(["ROPS-R4517"])
        .caught_by("ignores-buffer-limit")
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            b.register(SUB_A, types::OBJECT_CREATED, None).await?;
            let tight = overhead(&b) + 7 + 15 + 3;
            for _ in 0..SAVES {
                let (_, c) = b.create_and_save_with(b.folder, tight).await?;
                cx.checks().expect(
                    "the RopBuffer of a save's response fits MaxRopOut",
                    c.executed.rop_buffer_len as u32 <= tight,
                    format!("at most {tight} bytes"),
                    format!("{} bytes", c.executed.rop_buffer_len),
                )?;
            }
            let limit = small(&b);
            let c = b.poll(limit).await?;
            record(&cx, "small Execute", &c);
            cx.checks().expect(
                "the RopBuffer of a notifications-only response fits MaxRopOut",
                c.executed.rop_buffer_len as u32 <= limit,
                format!("at most {limit} bytes"),
                format!("{} bytes", c.executed.rop_buffer_len),
            )?;
            Ok(())
        })
}

/// `give_up` when `ok` is false, for SHOULD checks whose failure leaves nothing to judge.
trait GiveUpUnless {
    fn give_up_unless(
        self,
        ok: bool,
        what: &str,
        expected: impl AsRef<str>,
        actual: impl AsRef<str>,
    ) -> Result<(), Stop>;
}

impl GiveUpUnless for harness::Checks<'_> {
    fn give_up_unless(
        self,
        ok: bool,
        what: &str,
        expected: impl AsRef<str>,
        actual: impl AsRef<str>,
    ) -> Result<(), Stop> {
        if ok {
            self.check(what, true, expected, actual);
            Ok(())
        } else {
            Err(self.give_up(what, expected, actual))
        }
    }
}
