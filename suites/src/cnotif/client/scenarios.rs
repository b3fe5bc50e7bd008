//! notif-client scenarios (MS-OXCNOTIF 3.2): what the client registers for, how it decodes
//! each notification kind, whom it takes RopNotify and RopPending from, and how it waits,
//! polls and follows datagrams. Timing checks compare with PollsMax (P): "promptly" is within
//! P/2, which a client that only polls every P cannot meet by chance.

use super::claims;
use super::env::{Options, Printed, Session};
use crate::cnotif::decoder::vectors;
use harness::{Scenario, Stop};
use mocks::cnotif::server::store::{make_id, Queued};
use mocks::cnotif::server::{Class, Seen, Signal};
use serde_json::Value;
use std::time::Duration;
use wire::cnotif::{NotificationData, NotificationType, TagList};
use wire::rop::{read_requests, types, RopRequest};

pub fn all() -> Vec<Scenario> {
    vec![
        register(),
        decode(
            "new-mail",
            "NewMail notifications decode, ASCII and Unicode MessageClass alike",
            "unicode-as-ascii",
            |d| kind(d) == "NewMail",
            |d| d.get("UnicodeFlag") == Some(&Value::Bool(true)),
        ),
        decode(
            "counts",
            "Folder notifications with the T and U counts decode with each count in its place",
            "swaps-counts",
            |d| d.get("TotalMessageCount").is_some() || d.get("UnreadMessageCount").is_some(),
            |d| d.get("TotalMessageCount") != d.get("UnreadMessageCount"),
        ),
        decode(
            "moved-copied",
            "ObjectMoved and ObjectCopied notifications decode with their old ids",
            "drops-old-ids",
            |d| matches!(kind(d), "ObjectMoved" | "ObjectCopied"),
            |d| d.get("OldFolderId").is_some(),
        ),
        decode(
            "table",
            "TableModified notifications decode with their row fields",
            "drops-table-row",
            |d| kind(d) == "TableModified",
            |d| d.get("TableRowDataSize").is_some(),
        ),
        follows_own_pending(),
        ignores_foreign_pending(),
        foreign_handle(),
        poll_interval(),
        rejected_wait(),
        event_pending(),
        wait_timeout(),
        datagram(),
        datagram_mismatch(),
    ]
}

/// What a scenario may take beyond the run's per-scenario margin: the client's start and
/// registration, and up to seven PollsMax of observation.
const PROTOCOL_TIME: Duration = Duration::from_secs(15);

fn id(s: &str) -> String {
    format!("notif-client/{s}")
}

fn kind(d: &Value) -> &str {
    d.get("NotificationType")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// A distinct, simple notification: ObjectCreated on folder `n`.
fn created(n: u64) -> Vec<u8> {
    let mut d = NotificationData::empty(NotificationType::ObjectCreated, 0);
    d.folder_id = Some(make_id(0x0077_0000 + n));
    d.parent_folder_id = Some(make_id(0x0001_0004));
    d.tags = Some(TagList::new(&[]));
    d.encode().unwrap_or_default()
}

fn canonical(data: &[u8]) -> Value {
    wire::cnotif::decode(data)
        .ok()
        .and_then(|n| serde_json::from_str(&wire::cnotif::to_json(&n)).ok())
        .unwrap_or(Value::Null)
}

fn shows(printed: &[Printed]) -> String {
    if printed.is_empty() {
        return "nothing".into();
    }
    printed
        .iter()
        .map(|p| {
            format!(
                "handle {} {}",
                p.handle.map_or("?".into(), |h| format!("0x{h:08X}")),
                p.notification
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// How long a delivery may take: five PollsMax (a polling client's worst case) and a margin.
fn delivery_time(s: &Session) -> Duration {
    s.polls_max * 5 + Duration::from_secs(3)
}

fn prompt(s: &Session) -> Duration {
    s.polls_max / 2
}

/// OXCNOTIF-R103, R117, R016: the subscription request itself.
fn register() -> Scenario {
    Scenario::new(id("register/request"))
        .takes(PROTOCOL_TIME)
        .title("The client registers with a valid RopRegisterNotification")
        .section("MS-OXCNOTIF 3.2.5.1")
        .requirements([
            "OXCNOTIF-R103",
            "OXCNOTIF-R116",
            "OXCNOTIF-R117",
            "OXCNOTIF-R008",
            "OXCNOTIF-R017",
            "OXCNOTIF-R016",
            "OXCNOTIF-R001",
            "OXCNOTIF-R002",
        ])
        .caught_by("reserved-nonzero")
        .run(|cx| async move {
            let mut s = Session::start(
                &cx,
                Options {
                    ready_on_request: true,
                    ..Options::default()
                },
            )
            .await?;
            let log = s.finish(&cx).await;
            let requests: Vec<RopRequest> = log
                .iter()
                .filter(|l| l.class == Class::Setup)
                .filter_map(|l| read_requests(&l.raw).ok())
                .flatten()
                .filter(|r| matches!(r, RopRequest::RegisterNotification { .. }))
                .collect();
            for r in &requests {
                let RopRequest::RegisterNotification {
                    types: wanted,
                    reserved,
                    whole_store,
                    scope,
                    ..
                } = r
                else {
                    continue;
                };
                cx.cite(["OXCNOTIF-R117", "OXCNOTIF-R008"]).check(
                    "NotificationTypes asks for at least one event and no undefined bit",
                    wanted & types::ALL_EVENTS != 0
                        && wanted & !(types::ALL_EVENTS | types::TABLE_MODIFIED | types::EXTENDED)
                            == 0,
                    "bits of 0x05FE with one of 0x00FE",
                    format!("0x{wanted:04X}"),
                );
                cx.cite(["OXCNOTIF-R117", "OXCNOTIF-R017"]).check(
                    "the scope is the whole store, or a folder/message given",
                    *whole_store || scope.is_some(),
                    "WantWholeStore 1, or FolderId and MessageId",
                    format!("WantWholeStore {}, scope {scope:?}", u8::from(*whole_store)),
                );
                if let Some(byte) = reserved {
                    cx.cite(["OXCNOTIF-R016"]).check(
                        "the Reserved byte (present with the Extended bit) is 0x00",
                        *byte == 0,
                        "0x00",
                        format!("0x{byte:02X}"),
                    );
                }
            }
            cx.cite([
                "OXCNOTIF-R103",
                "OXCNOTIF-R116",
                "OXCNOTIF-R001",
                "OXCNOTIF-R002",
            ])
            .expect(
                "the client sent RopRegisterNotification, in a ROP buffer of a MAPI/HTTP Execute",
                !requests.is_empty(),
                "at least one RopRegisterNotification",
                "none readable",
            )
        })
}

/// OXCNOTIF-R060: every vector of a kind, delivered to the client's subscription, printed as
/// its canonical decode.
fn decode(
    name: &'static str,
    title: &'static str,
    fault: &'static str,
    select: fn(&Value) -> bool,
    telling: fn(&Value) -> bool,
) -> Scenario {
    Scenario::new(id(&format!("decode/{name}")))
        .takes(PROTOCOL_TIME)
        .title(title)
        .section("MS-OXCNOTIF 2.2.1.4.1.1, 3.2.5.7")
        .requirements(["OXCNOTIF-R060"])
        .caught_by(fault)
        .run(move |cx| async move {
            // Up to eight valid vectors, those that tell a wrong decoding apart first.
            let mut chosen: Vec<&vectors::Vector> = vectors::all()
                .iter()
                .filter(|v| v.result == "valid")
                .filter(|v| v.decoded.as_ref().is_some_and(select))
                .collect();
            chosen.sort_by_key(|v| !v.decoded.as_ref().is_some_and(telling));
            chosen.truncate(8);
            if chosen.is_empty() {
                return Err(Stop::error("no vectors for this scenario"));
            }
            let mut s = Session::start(&cx, Options::default()).await?;
            let mut entries = Vec::new();
            for v in &chosen {
                let bytes = wire::binary::parse_hex(&v.hex).map_err(Stop::error)?;
                entries.push(s.for_own(bytes));
            }
            let n = entries.len();
            s.inject(&cx, entries, Signal::Wait);
            s.until_printed(delivery_time(&s), |p| p.len() >= n).await;
            let printed = s.printed();
            s.finish(&cx).await;
            let (own, _) = s.own();
            for v in &chosen {
                let expected = v.decoded.clone().unwrap_or(Value::Null);
                let got = printed.iter().find(|p| p.notification == expected);
                cx.checks().check(
                    &format!(
                        "vector {} ({}) is printed as its canonical decode",
                        v.id, v.hex
                    ),
                    got.is_some(),
                    expected.to_string(),
                    if got.is_some() {
                        "printed".to_string()
                    } else {
                        shows(&printed)
                    },
                );
            }
            cx.checks().check(
                "every line names the subscription's handle",
                printed.iter().all(|p| p.handle == Some(u64::from(own))),
                format!("handle 0x{own:08X}"),
                shows(&printed),
            );
            Ok(())
        })
}

/// The index in `log` of every Execute whose response carried a RopPending of `index`.
fn answered_with_pending(log: &[Seen], index: u16) -> Vec<usize> {
    log.iter()
        .enumerate()
        .filter(|(_, l)| l.pendings.contains(&index))
        .map(|(i, _)| i)
        .collect()
}

fn next_execute(log: &[Seen], after: usize) -> Option<&Seen> {
    log.iter()
        .skip(after + 1)
        .find(|l| matches!(l.class, Class::Poll | Class::FollowUp | Class::Setup))
}

/// OXCNOTIF-R140, R141, R144: leftovers announced with the client's own RopPending are fetched
/// at once; the scripted server does not signal them through NotificationWait.
fn follows_own_pending() -> Scenario {
    Scenario::new(id("pending/follows-own"))
        .takes(PROTOCOL_TIME)
        .title("After a RopPending of its own session the client sends another Execute at once")
        .section("MS-OXCNOTIF 3.2.5.5.3")
        .requirements(["OXCNOTIF-R140", "OXCNOTIF-R141", "OXCNOTIF-R144"])
        .caught_by("ignores-pending")
        .run(|cx| async move {
            let mut s = Session::start(&cx, Options::one_per_response()).await?;
            let entries: Vec<Queued> = (1..=3).map(|n| s.for_own(created(n))).collect();
            s.inject(&cx, entries, Signal::Wait);
            s.until_printed(delivery_time(&s), |p| p.len() >= 3).await;
            let printed = s.printed();
            let log = s.finish(&cx).await;
            let index = s.registered.session_index;
            let quick = prompt(&s);
            for at in answered_with_pending(&log, index) {
                let next = next_execute(&log, at);
                let gap = next.map(|n| n.at.saturating_sub(log[at].at));
                cx.cite(["OXCNOTIF-R141"]).check(
                    &format!(
                        "an Execute follows the RopPending (SessionIndex {index}) answered at {:.3}s",
                        log[at].at.as_secs_f64()
                    ),
                    gap.is_some_and(|g| g <= quick),
                    format!("within {quick:.0?} (PollsMax / 2)"),
                    gap.map_or("none".into(), |g| format!("after {g:.0?}")),
                );
            }
            let all: Vec<Value> = (1..=3).map(|n| canonical(&created(n))).collect();
            let got = all
                .iter()
                .filter(|e| printed.iter().any(|p| &p.notification == *e))
                .count();
            cx.cite(["OXCNOTIF-R144"]).expect(
                "the client got all three notifications, one per response",
                got == 3,
                "3 printed",
                format!("{got}: {}", shows(&printed)),
            )
        })
}

/// OXCNOTIF-R142: a RopPending of another session's index is not followed.
fn ignores_foreign_pending() -> Scenario {
    Scenario::new(id("pending/ignores-foreign"))
        .takes(PROTOCOL_TIME)
        .title("A RopPending of another session's index prompts nothing")
        .section("MS-OXCNOTIF 3.2.5.5.3")
        .requirements(["OXCNOTIF-R142"])
        .caught_by("follows-any-pending")
        .run(|cx| async move {
            let mut s = Session::start(&cx, Options::one_per_response()).await?;
            let foreign = s.registered.session_index.wrapping_add(7);
            // The first response teaches the client its own index; the one after carries the
            // foreign RopPending.
            s.script.send_foreign_pending(foreign);
            let entries: Vec<Queued> = (1..=2).map(|n| s.for_own(created(n))).collect();
            s.inject(&cx, entries, Signal::Wait);
            let sent = s
                .script
                .until(delivery_time(&s), |sc| {
                    let log = sc.log();
                    answered_with_pending(&log, foreign).first().copied()
                })
                .await;
            if sent.is_some() {
                s.observe(s.polls_max).await;
            }
            let log = s.finish(&cx).await;
            let Some(at) = sent else {
                return Err(Stop::inconclusive(
                    "the client never fetched the response carrying the foreign RopPending",
                ));
            };
            let answered = log[at].at;
            let quick = prompt(&s);
            let previous_poll = log[..=at].iter().rev().find(|l| l.class == Class::Poll).map(|l| l.at);
            // A poll on the client's own PollsMax schedule is no reaction to the RopPending.
            let reaction = log.iter().skip(at + 1).find(|l| {
                matches!(l.class, Class::Poll | Class::FollowUp)
                    && l.at.saturating_sub(answered) <= quick
                    && previous_poll.is_none_or(|p| l.at.saturating_sub(p) < s.polls_max * 4 / 5)
            });
            cx.checks().expect(
                &format!("no Execute answers the RopPending of SessionIndex {foreign} (the client's is {})", s.registered.session_index),
                reaction.is_none(),
                format!("no Execute within {quick:.0?}"),
                reaction.map_or("none".into(), |r| {
                    format!("an Execute {:.0?} later", r.at.saturating_sub(answered))
                }),
            )
        })
}

/// OXCNOTIF-R145, R146 (and R118): a RopNotify for a handle the client does not hold is
/// ignored. Then, without a verdict (the spec is silent): a RopNotify with the right handle and
/// another LogonId, and an undecodable one ahead of a valid one.
fn foreign_handle() -> Scenario {
    Scenario::new(id("notify/foreign-handle"))
        .takes(PROTOCOL_TIME)
        .title("A RopNotify whose handle is not one of the client's subscriptions is ignored")
        .section("MS-OXCNOTIF 3.2.5.7")
        .requirements(["OXCNOTIF-R145", "OXCNOTIF-R146", "OXCNOTIF-R118"])
        .caught_by("accepts-any-handle")
        .run(|cx| async move {
            let mut s = Session::start(&cx, Options::default()).await?;
            let (own, logon) = s.own();
            let stranger = own.wrapping_add(0x0100);
            let foreign_data = created(11);
            let own_data = created(12);
            s.inject(
                &cx,
                vec![
                    Queued {
                        handle: stranger,
                        logon_id: logon,
                        data: foreign_data.clone(),
                    },
                    s.for_own(own_data.clone()),
                ],
                Signal::Wait,
            );
            let mine = canonical(&own_data);
            s.until_printed(delivery_time(&s), |p| p.iter().any(|x| x.notification == mine))
                .await;
            // What the spec does not decide: recorded, not judged.
            let other_logon = created(13);
            let undecodable = vec![0x02, 0x80, 0x01];
            let after_undecodable = created(14);
            s.inject(
                &cx,
                vec![
                    Queued {
                        handle: own,
                        logon_id: logon.wrapping_add(1),
                        data: other_logon.clone(),
                    },
                    s.for_own(undecodable),
                    s.for_own(after_undecodable.clone()),
                ],
                Signal::Wait,
            );
            s.observe(s.polls_max * 2 + Duration::from_millis(500)).await;
            let printed = s.printed();
            s.finish(&cx).await;
            let took = |d: &[u8]| printed.iter().any(|p| p.notification == canonical(d));
            cx.checks().info(
                "a RopNotify with the subscription's handle and another LogonId (the spec is silent)",
                if took(&other_logon) { "the client took it" } else { "the client ignored it" },
            );
            cx.checks().info(
                "a valid RopNotify after an undecodable one in the same response (the spec is silent)",
                if took(&after_undecodable) { "the client took it" } else { "the client did not print it" },
            );
            cx.cite(["OXCNOTIF-R118"]).check(
                "the notification for the client's own handle is printed",
                printed.iter().any(|p| p.notification == mine),
                mine.to_string(),
                shows(&printed),
            );
            let strays: Vec<&Printed> = printed
                .iter()
                .filter(|p| p.handle == Some(u64::from(stranger)) || p.notification == canonical(&foreign_data))
                .collect();
            cx.cite(["OXCNOTIF-R146"]).expect(
                &format!("nothing is taken from the RopNotify for handle 0x{stranger:08X}"),
                strays.is_empty(),
                "not printed",
                shows(&strays.into_iter().cloned().collect::<Vec<_>>()),
            )
        })
}

/// The polls in `log` from `from` on.
fn polls(log: &[Seen], from: Duration) -> Vec<Duration> {
    log.iter()
        .filter(|l| l.class == Class::Poll && l.at >= from)
        .map(|l| l.at)
        .collect()
}

fn first_wait(log: &[Seen]) -> Option<Duration> {
    log.iter().find(|l| l.class == Class::Wait).map(|l| l.at)
}

/// OXCNOTIF-R113, R114: with NotificationWait refused, polls come every PollsMax, never
/// faster.
fn poll_interval() -> Scenario {
    Scenario::new(id("poll/interval"))
        .takes(PROTOCOL_TIME)
        .title("A polling client polls no more often than PollsMax")
        .section("MS-OXCNOTIF 3.2.4.5")
        .requirements(["OXCNOTIF-R114", "OXCNOTIF-R113"])
        .caught_by("polls-fast")
        .run(|cx| async move {
            let mut s = Session::start(&cx, Options::rejecting_waits()).await?;
            s.observe(s.polls_max * 5).await;
            let log = s.finish(&cx).await;
            let start = first_wait(&log).unwrap_or_default();
            let times = polls(&log, start);
            if times.len() < 2 {
                return Err(Stop::inconclusive(format!(
                    "the client sent {} poll(s) in {:.0?}; nothing to time (see notif-client/wait/rejected)",
                    times.len(),
                    s.polls_max * 5
                )));
            }
            let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
            let shortest = gaps.iter().min().copied().unwrap_or_default();
            let floor = s.polls_max * 4 / 5;
            cx.cite(["OXCNOTIF-R113"]).check(
                "polls come at a regular interval of about PollsMax",
                gaps.iter().all(|g| *g <= s.polls_max * 3),
                format!("every {:.0?} or so", s.polls_max),
                format!("gaps {gaps:.0?}"),
            );
            cx.cite(["OXCNOTIF-R114"]).expect(
                "no two polls closer than PollsMax",
                shortest >= floor,
                format!("at least {:.0?} apart (PollsMax {:.0?}, less 20%)", floor, s.polls_max),
                format!("shortest gap {shortest:.0?} of {gaps:.0?}"),
            )
        })
}

/// OXCNOTIF-R134, R136, R111: after a rejected NotificationWait the client neither retries the
/// wait at once nor falls silent: it polls.
fn rejected_wait() -> Scenario {
    Scenario::new(id("wait/rejected"))
        .takes(PROTOCOL_TIME)
        .title("After a rejected NotificationWait the client falls back to polling")
        .section("MS-OXCNOTIF 3.2.5.5.1, 3.2.4.5")
        .requirements([
            "OXCNOTIF-R134",
            "OXCNOTIF-R136",
            "OXCNOTIF-R111",
            "OXCNOTIF-R112",
            "OXCNOTIF-R110",
        ])
        .caught_by("retries-wait")
        .caught_by("no-poll-fallback")
        .run(|cx| async move {
            let mut s = Session::start(&cx, Options::rejecting_waits()).await?;
            s.observe(s.polls_max * 3).await;
            let log = s.finish(&cx).await;
            let Some(rejected) = first_wait(&log) else {
                return Err(Stop::inconclusive(
                    "the client sent no NotificationWait; this scenario judges what follows a rejected one",
                ));
            };
            let quick = prompt(&s);
            let retries = log
                .iter()
                .filter(|l| l.class == Class::Wait && l.at > rejected && l.at - rejected <= quick)
                .count();
            cx.cite(["OXCNOTIF-R134"]).check(
                "the rejected NotificationWait is not retried at once",
                retries == 0,
                format!("no NotificationWait within {quick:.0?}"),
                format!("{retries} more"),
            );
            let polled = polls(&log, rejected);
            cx.cite(["OXCNOTIF-R111", "OXCNOTIF-R112", "OXCNOTIF-R136", "OXCNOTIF-R110"]).check(
                "the client polls with (empty) Execute requests after the rejection",
                !polled.is_empty(),
                format!("a poll within {:.0?}", s.polls_max * 3),
                format!("{} poll(s)", polled.len()),
            );
            Ok(())
        })
}

/// OXCNOTIF-R131, R132, R133: EventPending is followed by an Execute, then another wait.
fn event_pending() -> Scenario {
    Scenario::new(id("wait/event-pending"))
        .takes(PROTOCOL_TIME)
        .title("After a NotificationWait with EventPending the client fetches, then waits again")
        .section("MS-OXCNOTIF 3.2.5.5.1")
        .requirements(["OXCNOTIF-R131", "OXCNOTIF-R132", "OXCNOTIF-R133"])
        .caught_by("ignores-event-pending")
        .run(|cx| async move {
            let mut s = Session::start(&cx, Options::default()).await?;
            let waiting = s
                .script
                .until(Duration::from_secs(5), |sc| first_wait(&sc.log()))
                .await;
            let data = created(21);
            s.inject(&cx, vec![s.for_own(data.clone())], Signal::Wait);
            let want = canonical(&data);
            s.until_printed(delivery_time(&s), |p| p.iter().any(|x| x.notification == want))
                .await;
            s.observe(Duration::from_millis(300)).await;
            let printed = s.printed();
            let log = s.finish(&cx).await;
            if waiting.is_none() {
                return Err(Stop::inconclusive(
                    "the client sent no NotificationWait within 5 s; this scenario judges how it handles one",
                ));
            }
            let Some(at) = log
                .iter()
                .position(|l| l.class == Class::Wait && l.answered.is_some_and(|(_, ev)| ev))
            else {
                return Err(Stop::inconclusive("no NotificationWait completed with EventPending"));
            };
            let done = log[at].answered.map(|(t, _)| t).unwrap_or_default();
            let fetch = log
                .iter()
                .skip(at + 1)
                .find(|l| matches!(l.class, Class::FollowUp | Class::Poll) && l.at >= done);
            let gap = fetch.map(|f| f.at.saturating_sub(done));
            let quick = prompt(&s);
            cx.cite(["OXCNOTIF-R132"]).check(
                "an Execute follows the EventPending completion",
                gap.is_some_and(|g| g <= quick),
                format!("within {quick:.0?}"),
                gap.map_or("none".into(), |g| format!("after {g:.0?}")),
            );
            cx.cite(["OXCNOTIF-R132"]).check(
                "the notification is printed",
                printed.iter().any(|p| p.notification == want),
                want.to_string(),
                shows(&printed),
            );
            let again = log.iter().skip(at + 1).any(|l| l.class == Class::Wait);
            cx.cite(["OXCNOTIF-R133"]).check(
                "another NotificationWait follows",
                again,
                "a NotificationWait",
                if again { "a NotificationWait" } else { "none" },
            );
            Ok(())
        })
}

/// OXCNOTIF-R131, R133: a wait that ends without EventPending is followed by another wait,
/// which then delivers.
fn wait_timeout() -> Scenario {
    Scenario::new(id("wait/timeout"))
        .takes(PROTOCOL_TIME)
        .title("After a NotificationWait that times out the client waits again and still gets events")
        .section("MS-OXCNOTIF 3.2.5.5.1")
        .requirements(["OXCNOTIF-R131", "OXCNOTIF-R133"])
        .caught_by("stops-after-timeout")
        .run(|cx| async move {
            let mut s = Session::start(&cx, Options::default()).await?;
            // The held wait ends without EventPending after five PollsMax.
            let second = s
                .script
                .until(s.polls_max * 7 + Duration::from_secs(2), |sc| {
                    let log = sc.log();
                    let first = log
                        .iter()
                        .position(|l| l.class == Class::Wait && l.answered.is_some_and(|(_, ev)| !ev))?;
                    log.iter().skip(first + 1).find(|l| l.class == Class::Wait).map(|l| l.at)
                })
                .await;
            let data = created(31);
            let want = canonical(&data);
            if second.is_some() {
                s.inject(&cx, vec![s.for_own(data)], Signal::Wait);
                s.until_printed(delivery_time(&s), |p| p.iter().any(|x| x.notification == want))
                    .await;
            }
            let printed = s.printed();
            let log = s.finish(&cx).await;
            let Some(timed_out) = log
                .iter()
                .find(|l| l.class == Class::Wait && l.answered.is_some_and(|(_, ev)| !ev))
            else {
                return Err(Stop::inconclusive(
                    "no NotificationWait of the client reached the timeout (a client that only polls has nothing to judge here)",
                ));
            };
            let t = timed_out.answered.map(|(t, _)| t).unwrap_or_default();
            cx.cite(["OXCNOTIF-R133"]).check(
                &format!("another NotificationWait follows the one that ended without EventPending at {:.3}s", t.as_secs_f64()),
                second.is_some(),
                "a NotificationWait",
                second.map_or("none".to_string(), |at| {
                    format!("a NotificationWait at {:.3}s", at.as_secs_f64())
                }),
            );
            cx.cite(["OXCNOTIF-R131"]).expect(
                "a later event still reaches the client",
                printed.iter().any(|p| p.notification == want),
                want.to_string(),
                shows(&printed),
            )
        })
}

/// OXCNOTIF-R137, R138: a datagram carrying the client's context makes it fetch.
fn datagram() -> Scenario {
    Scenario::new(id("udp/fetches"))
        .takes(PROTOCOL_TIME)
        .title("After a datagram carrying its context the client fetches the notifications")
        .section("MS-OXCNOTIF 3.2.5.5.2")
        .requirements(["OXCNOTIF-R137", "OXCNOTIF-R138"])
        .needs(claims::UDP_PUSH)
        .caught_by("ignores-datagram")
        .run(|cx| async move {
            let mut s = Session::start(&cx, Options::default()).await?;
            s.register_push().await?;
            // A moment for a client that opens its datagram socket after registering.
            s.observe(Duration::from_millis(200)).await;
            let data = created(41);
            let want = canonical(&data);
            let sent = s.now();
            s.inject(&cx, vec![s.for_own(data)], Signal::Datagram);
            let quick = prompt(&s) + Duration::from_millis(200);
            s.until_printed(quick, |p| p.iter().any(|x| x.notification == want))
                .await;
            let printed = s.printed();
            s.finish(&cx).await;
            let got = printed.iter().find(|p| p.notification == want);
            cx.checks().expect(
                "the notification is fetched and printed soon after the datagram",
                got.is_some(),
                format!("printed within {quick:.0?} of the datagram"),
                format!(
                    "{} ({:.3}s after the script started)",
                    shows(&printed),
                    sent.as_secs_f64()
                ),
            )
        })
}

/// OXCNOTIF-R139: a datagram whose content does not match is ignored.
fn datagram_mismatch() -> Scenario {
    Scenario::new(id("udp/ignores-mismatch"))
        .takes(PROTOCOL_TIME)
        .title("A datagram whose content is not the client's context prompts nothing")
        .section("MS-OXCNOTIF 3.2.5.5.2")
        .requirements(["OXCNOTIF-R139"])
        .needs(claims::UDP_PUSH)
        .caught_by("accepts-any-datagram")
        .run(|cx| async move {
            let mut s = Session::start(&cx, Options::default()).await?;
            let Some((port, context)) = s.udp.clone() else {
                return Err(Stop::inconclusive("no UDP port was given"));
            };
            s.inject(&cx, vec![s.for_own(created(51))], Signal::None);
            let mut wrong = context.clone();
            if let Some(b) = wrong.first_mut() {
                *b ^= 0xFF;
            }
            let socket = tokio::net::UdpSocket::bind("127.0.0.1:0")
                .await
                .map_err(|e| Stop::inconclusive(format!("cannot open a UDP socket: {e}")))?;
            let sent = s.now();
            for d in [wrong.clone(), b"oxconf".to_vec()] {
                let _ = socket.send_to(&d, ("127.0.0.1", port)).await;
                cx.binary(
                    harness::Direction::Sent,
                    "udp",
                    &format!("datagram to 127.0.0.1:{port} (not the context)"),
                    &d,
                    Vec::new(),
                );
            }
            s.observe(s.polls_max).await;
            let log = s.finish(&cx).await;
            let reaction = reacted(&log, sent, prompt(&s), s.polls_max);
            cx.checks().expect(
                "no Execute answers the datagrams",
                reaction.is_none(),
                format!("no Execute within {:.0?}", prompt(&s)),
                reaction.map_or("none".into(), |g| format!("an Execute {g:.0?} later")),
            )
        })
}

/// An Execute within `quick` after `at` that a PollsMax schedule does not explain.
fn reacted(log: &[Seen], at: Duration, quick: Duration, polls_max: Duration) -> Option<Duration> {
    let before: Vec<Duration> = log
        .iter()
        .filter(|l| l.class == Class::Poll && l.at < at)
        .map(|l| l.at)
        .collect();
    log.iter()
        .filter(|l| matches!(l.class, Class::Poll | Class::FollowUp) && l.at >= at)
        .find(|l| {
            l.at - at <= quick
                && before
                    .last()
                    .is_none_or(|p| l.at.saturating_sub(*p) < polls_max * 4 / 5)
        })
        .map(|l| l.at - at)
}
