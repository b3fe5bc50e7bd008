//! The notifications themselves: the first one at once, the SendNotification request, the
//! events matching the actions taken, watermarks chained, 50 events at most, resumption from
//! a watermark and folder scope.

use super::super::ews;
use super::super::judge::{judge_chain, judge_request};
use super::{find_event, Probe, Subscribed};
use harness::{Scenario, Stop};
use wire::ews::{EventKind, FolderRef, Notification};

pub(super) fn all() -> Vec<Scenario> {
    vec![
        first_notification(),
        request_format(),
        event_kinds(),
        watermark_chain(),
        more_events(),
        resume(),
        scope(),
    ]
}

/// Every notification the listener received so far, judged as requests.
fn judged(p: &Probe, s: &Subscribed, from: usize) -> Result<Vec<Notification>, Stop> {
    let all = s.listener.notifications().snapshot();
    let mut out = Vec::new();
    for (i, a) in all.iter().enumerate().skip(from) {
        out.extend(judge_request(
            &p.cx,
            &format!("SendNotification {}", i + 1),
            a,
            &s.id,
        )?);
    }
    Ok(out)
}

fn first_notification() -> Scenario {
    Scenario::new("push-server/notify/first-notification")
        .title("The first notification arrives at once after Subscribe")
        .section("MS-OXWSNTIF 3.1.4.3")
        .requirements(["NTIF-R008"])
        .caught_by("no-initial-notification")
        .run(|cx| async move {
            let p = Probe::new(&cx)?;
            let s = p.subscribe(&[EventKind::NewMail]).await?;
            let started = std::time::Instant::now();
            let got = p.wait_for(&s, 1, p.prompt()).await;
            cx.checks().expect(
                "a notification arrives right after Subscribe",
                !got.is_empty(),
                format!("within {} ms", p.prompt().as_millis()),
                if got.is_empty() {
                    "none".to_string()
                } else {
                    format!(
                        "after {} ms",
                        got[0].at.saturating_duration_since(started).as_millis()
                    )
                },
            )?;
            judged(&p, &s, 0)?;
            Ok(())
        })
}

/// MS-OXWSPSNTIF 2.1, 3.1.4.1, 6.1: a SOAP 1.1 POST, the SOAPAction, RequestServerVersion,
/// the schema of SendNotification, Success/NoError, the right SubscriptionId.
fn request_format() -> Scenario {
    Scenario::new("push-server/notify/request-format")
        .title("SendNotification is a SOAP 1.1 POST with SOAPAction, a valid RequestServerVersion, Success/NoError and the subscription's id")
        .section("MS-OXWSPSNTIF 3.1.4.1")
        .requirements(["PSNTIF-R003", "PSNTIF-R010", "PSNTIF-R011", "PSNTIF-R012", "PSNTIF-R013", "PSNTIF-R014", "PSNTIF-R015", "PSNTIF-R005", "PSNTIF-R002", "PSNTIF-R007"])
        // Prefixes carry no meaning (PSNTIF-R007): a server writing default namespaces passes.
        .passes_with("default-ns-notifications")
        .caught_by_breaking("soap12-notifications", ["PSNTIF-R003"])
        .caught_by_breaking("bad-server-version", ["PSNTIF-R011"])
        .caught_by_breaking("wrong-soap-action", ["PSNTIF-R012"])
        .caught_by_breaking("error-response-class", ["PSNTIF-R014"])
        .caught_by_breaking("wrong-subscription-id", ["PSNTIF-R015"])
        .run(|cx| async move {
            let p = Probe::new(&cx)?;
            let s = p.subscribe(&[EventKind::NewMail, EventKind::Created]).await?;
            p.wait_for(&s, 1, p.prompt()).await;
            let mail = ews::cause(&cx, &p.env, EventKind::NewMail).await?;
            p.wait_for_events(&s, &[mail], p.soon()).await;
            let n = judged(&p, &s, 0)?;
            cx.cite(["PSNTIF-R010"]).expect("the server sent notifications", !n.is_empty(), "at least one", "none")?;
            Ok(())
        })
}

/// NTIF-R009, R016: each action shows up as its event kind with the item's id, the children
/// in the types namespace and schema order, TimeStamp an xs:dateTime. Extra events (folder
/// ModifiedEvents, which Exchange sends too) are fine.
fn event_kinds() -> Scenario {
    Scenario::new("push-server/notify/event-kinds")
        .title("Each mailbox action is notified as its event kind with the right item id, children in schema order")
        .section("MS-OXWSNTIF 2.2.4.8")
        .requirements(["NTIF-R016", "NTIF-R009"])
        .caught_by_breaking("wrong-event-kind", ["NTIF-R016"])
        .caught_by_breaking("wrong-item-id", ["NTIF-R016"])
        .caught_by_breaking("events-in-messages-ns", ["NTIF-R009"])
        .caught_by_breaking("bad-timestamp", ["NTIF-R009"])
        .run(|cx| async move {
            let p = Probe::new(&cx)?;
            let kinds = [EventKind::NewMail, EventKind::Created, EventKind::Deleted, EventKind::Moved, EventKind::Copied, EventKind::Modified];
            let s = p.subscribe(&EventKind::SUBSCRIBABLE).await?;
            p.wait_for(&s, 1, p.prompt()).await;
            let mut expected = Vec::new();
            for kind in kinds {
                expected.push(ews::cause(&cx, &p.env, kind).await?);
            }
            p.wait_for_events(&s, &expected, p.soon()).await;
            let n = judged(&p, &s, 0)?;
            for want in &expected {
                let found = find_event(&n, want);
                cx.cite(["NTIF-R016"]).expect(
                    &format!("the {} action is notified", want.kind.element()),
                    found.is_some(),
                    format!("a {} for item {}", want.kind.element(), want.item_id.as_deref().unwrap_or("(any)")),
                    {
                        let got: Vec<String> = n.iter().flat_map(|x| x.events.iter()).map(|e| format!("{} {}", e.kind.element(), e.object.as_ref().map(|o| o.base().id.clone()).unwrap_or_default())).collect();
                        if got.is_empty() { "no events".to_string() } else { got.join(", ") }
                    },
                )?;
            }
            Ok(())
        })
}

/// NTIF-R010: PreviousWatermark chains the notifications without a gap.
fn watermark_chain() -> Scenario {
    Scenario::new("push-server/notify/watermark-chain")
        .title("Each PreviousWatermark is the last watermark delivered before it")
        .section("MS-OXWSNTIF 2.2.4.8")
        .requirements(["NTIF-R010"])
        .caught_by("watermark-gap")
        .run(|cx| async move {
            let p = Probe::new(&cx)?;
            let s = p.subscribe(&[EventKind::NewMail]).await?;
            p.wait_for(&s, 1, p.prompt()).await;
            for i in 0..3 {
                ews::cause(&cx, &p.env, EventKind::NewMail).await?;
                p.wait_for(&s, i + 2, p.soon()).await;
            }
            let n = judged(&p, &s, 0)?;
            cx.cite(["NTIF-R010"]).expect(
                "several notifications arrived",
                n.len() >= 2,
                "at least 2",
                n.len().to_string(),
            )?;
            judge_chain(&cx, &n)
        })
}

/// NTIF-R011: at most 50 events a notification; MoreEvents=true while more are queued.
fn more_events() -> Scenario {
    Scenario::new("push-server/notify/more-events")
        .title("60 new messages arrive in notifications of at most 50 events, MoreEvents=true until drained")
        .section("MS-OXWSNTIF 2.2.4.8")
        .requirements(["NTIF-R011"])
        .needs(super::super::claims::CREATE_ITEM)
        .caught_by("more-than-50")
        .run(|cx| async move {
            let p = Probe::new(&cx)?;
            let s = p.subscribe(&[EventKind::NewMail]).await?;
            p.wait_for(&s, 1, p.prompt()).await;
            let ids = ews::create(&cx, &p.env, "inbox", 60).await?;
            let deadline = std::time::Instant::now() + p.soon();
            let log = s.listener.notifications();
            let count = |all: &[mocks::record::Arrival<mocks::ews::listener::Notified>]| -> usize {
                all.iter().filter_map(|a| a.item.notification()).flat_map(|n| n.messages.iter().filter_map(|m| m.notification.as_ref())).map(|n| n.events.iter().filter(|e| e.kind == EventKind::NewMail).count()).sum()
            };
            let _ = cx.idle(log.wait_until(|all| count(all) >= ids.len(), deadline)).await;
            let n = judged(&p, &s, 0)?;
            let delivered: usize = n.iter().map(|x| x.events.iter().filter(|e| e.kind == EventKind::NewMail).count()).sum();
            cx.checks().expect("every new message is notified", delivered >= ids.len(), format!("{} NewMailEvents", ids.len()), delivered.to_string())?;
            for (i, x) in n.iter().enumerate() {
                cx.checks().expect(&format!("notification {} holds at most 50 events", i + 1), x.events.len() <= 50, "≤ 50", x.events.len().to_string())?;
            }
            let big: Vec<&Notification> = n.iter().filter(|x| x.events.len() == 50).collect();
            cx.checks().expect(
                "a full notification says MoreEvents=true",
                !big.is_empty() && big.iter().all(|x| x.more_events == Some(true)) || n.iter().all(|x| x.events.len() < 50),
                "MoreEvents true on notifications cut at 50",
                big.iter().map(|x| format!("{:?}", x.more_events)).collect::<Vec<_>>().join(", "),
            )?;
            Ok(())
        })
}

/// NTIF-R014: a Subscribe with a Watermark gets the events after it.
fn resume() -> Scenario {
    Scenario::new("push-server/notify/resume-from-watermark")
        .title("A Subscribe with a Watermark resumes from it: events after it are delivered")
        .section("MS-OXWSNTIF 3.1.4.3.3.3")
        .requirements(["NTIF-R014"])
        .caught_by("ignores-watermark")
        .run(|cx| async move {
            let p = Probe::new(&cx)?;
            let unsub =
                mocks::ews::listener::Script::always(mocks::ews::listener::Answer::Unsubscribe);
            let first = p
                .subscribe_with(unsub, &[EventKind::NewMail], |_| {})
                .await?;
            let missed = ews::cause(&cx, &p.env, EventKind::NewMail).await?;
            let watermark = first.watermark.clone();
            let s = p
                .subscribe_with(Default::default(), &[EventKind::NewMail], move |r| {
                    r.watermark = Some(watermark)
                })
                .await?;
            p.wait_for_events(&s, std::slice::from_ref(&missed), p.soon())
                .await;
            let n = judged(&p, &s, 0)?;
            cx.checks().expect(
                "the event after the watermark is delivered to the resumed subscription",
                find_event(&n, &missed).is_some(),
                format!(
                    "NewMailEvent for {}",
                    missed.item_id.as_deref().unwrap_or("(any)")
                ),
                format!("{} events", n.iter().map(|x| x.events.len()).sum::<usize>()),
            )?;
            Ok(())
        })
}

/// NTIF-R015: a folder-scoped subscription gets only its folders' events; SubscribeToAllFolders
/// gets every folder's.
fn scope() -> Scenario {
    Scenario::new("push-server/notify/folder-scope")
        .title("A subscription to the Inbox gets only Inbox events; SubscribeToAllFolders gets every folder's")
        .section("MS-OXWSNTIF 3.1.4.3.3.3")
        .requirements(["NTIF-R015"])
        .caught_by("ignores-folder-scope")
        .run(|cx| async move {
            let p = Probe::new(&cx)?;
            let inbox = p.subscribe_with(Default::default(), &[EventKind::Created, EventKind::NewMail], |r| r.folder_ids = vec![FolderRef::distinguished("inbox")]).await?;
            let all = p.subscribe_with(Default::default(), &[EventKind::Created, EventKind::NewMail], |r| {
                r.folder_ids.clear();
                r.subscribe_to_all_folders = Some(true);
            }).await?;
            p.wait_for(&inbox, 1, p.prompt()).await;
            p.wait_for(&all, 1, p.prompt()).await;
            let drafts = ews::cause(&cx, &p.env, EventKind::Created).await?;
            let mail = ews::cause(&cx, &p.env, EventKind::NewMail).await?;
            p.wait_for_events(&inbox, std::slice::from_ref(&mail), p.soon()).await;
            p.wait_for_events(&all, &[drafts.clone(), mail.clone()], p.soon()).await;
            let got_inbox = judged(&p, &inbox, 0)?;
            let got_all = judged(&p, &all, 0)?;
            cx.checks().expect("the Inbox subscription gets the Inbox's NewMailEvent", find_event(&got_inbox, &mail).is_some(), "present", "missing")?;
            cx.checks().expect("the Inbox subscription does not get the Drafts folder's CreatedEvent", find_event(&got_inbox, &drafts).is_none() || drafts.item_id.is_none(), "absent", "present")?;
            cx.checks().expect("the all-folders subscription gets the Drafts folder's CreatedEvent", find_event(&got_all, &drafts).is_some(), "present", "missing")?;
            Ok(())
        })
}
