//! One push subscription's deliveries: the initial notification, events as they happen (50 at
//! most per notification, MoreEvents), status pings when idle, retries on Exchange's schedule
//! (digest 3.1: 30 s after the failed attempt, each gap doubling, ending when the next retry
//! would fall after StatusFrequency minutes), and nothing after Unsubscribe.

use super::mailbox::{watermark, Logged};
use super::{Delivery, Shared};
use crate::hostile::{garbage, xml_bomb};
use crate::net::Request;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use wire::ews::{
    ns, read_listener_answer, write_send_notification, Event, EventKind, ListenerAnswer,
    Notification, ObjectId, Prefixes, ResponseMessage, SendNotification, SendNotificationMessage,
    SubscriptionStatus,
};
use wire::soap::{request_headers, SoapVersion};
use wire::xml::Limits;

/// Events per notification (digest 1.8, EWSDOC:getevents-operation).
pub const MAX_EVENTS: usize = 50;
/// The RequestServerVersion the mock's notifications carry.
pub const SERVER_VERSION: &str = "Exchange2016";
/// Bounds `retry-forever`, so even the broken mock stops one day.
const MAX_ATTEMPTS: u32 = 64;

enum Sent {
    Ok,
    Unsubscribe,
    /// The retry window closed: the subscription is dead.
    Dead,
}

struct Scope {
    id: String,
    url: String,
    kinds: BTreeSet<EventKind>,
    folders: Option<BTreeSet<String>>,
    frequency: u32,
    wake: Arc<tokio::sync::Notify>,
}

fn scope(shared: &Shared, id: &str) -> Option<Scope> {
    let state = shared.lock();
    let sub = state.subs.get(id)?;
    let mut kinds: BTreeSet<EventKind> = sub.info.kinds.iter().copied().collect();
    kinds.insert(EventKind::Status);
    let folders = if shared.faults.is_on("ignores-folder-scope") {
        None
    } else {
        sub.info.folders.clone()
    };
    Some(Scope {
        id: id.to_string(),
        url: sub.info.url.clone(),
        kinds,
        folders,
        frequency: sub.info.status_frequency,
        wake: Arc::clone(&sub.wake),
    })
}

fn end(shared: &Shared, id: &str) {
    if let Some(sub) = shared.lock().subs.get_mut(id) {
        sub.info.active = false;
    }
}

/// The delivery task of subscription `id`; returns when the subscription ends.
pub(crate) async fn run(shared: Arc<Shared>, id: String) {
    let Some(scope) = scope(&shared, &id) else {
        return;
    };
    let f = &shared.faults;
    let idle = shared.minute * scope.frequency;
    let mut due_ping = !f.is_on("no-initial-notification");
    let mut sent_once = false;
    // The idle clock runs from the last delivery: wake-ups for other subscriptions' events
    // must not postpone this one's status ping.
    let mut last_sent = Instant::now();
    loop {
        let (pending, cursor) = {
            let state = shared.lock();
            let Some(sub) = state.subs.get(&id) else {
                return;
            };
            if !sub.info.active {
                return;
            }
            (
                state
                    .mailbox
                    .after(sub.cursor, &scope.kinds, scope.folders.as_ref()),
                sub.cursor,
            )
        };
        let previous = if sent_once && f.is_on("watermark-gap") {
            watermark(cursor + 1000)
        } else {
            watermark(cursor)
        };
        let take = if f.is_on("more-than-50") {
            pending.len()
        } else {
            MAX_EVENTS
        };
        let batch: Vec<Logged> = pending.iter().take(take).cloned().collect();
        let more = pending.len() > batch.len();
        let events: Vec<Event> = if batch.is_empty() {
            if !due_ping {
                // Idle: wait for an action or the StatusFrequency point.
                let ping_at = last_sent + idle;
                if tokio::time::timeout_at(ping_at, scope.wake.notified())
                    .await
                    .is_err()
                {
                    due_ping = !f.is_on("no-status-ping");
                    if !due_ping {
                        last_sent = Instant::now();
                    }
                }
                continue;
            }
            vec![Event::status(watermark(cursor))]
        } else {
            batch.iter().map(|l| l.event.clone()).collect()
        };
        let notification = Notification {
            subscription_id: if f.is_on("wrong-subscription-id") {
                format!("{}-other", scope.id)
            } else {
                scope.id.clone()
            },
            previous_watermark: Some(previous),
            more_events: Some(more),
            events,
        };
        let last = batch.last().map(|l| l.seq).unwrap_or(cursor);
        match deliver(&shared, &scope, notification).await {
            Sent::Ok => {}
            Sent::Unsubscribe if f.is_on("ignores-unsubscribe") => {}
            Sent::Unsubscribe | Sent::Dead => {
                end(&shared, &id);
                return;
            }
        }
        sent_once = true;
        due_ping = false;
        last_sent = Instant::now();
        if let Some(sub) = shared.lock().subs.get_mut(&id) {
            sub.cursor = last;
        }
    }
}

fn body(shared: &Shared, notification: Notification) -> (SoapVersion, String) {
    let f = &shared.faults;
    if f.is_on("garbage-notification") {
        return (
            SoapVersion::V11,
            String::from_utf8_lossy(&garbage()).into_owned(),
        );
    }
    if f.is_on("xml-bomb-notification") {
        return (SoapVersion::V11, xml_bomb());
    }
    let mut notification = notification;
    for e in &mut notification.events {
        if f.is_on("bad-timestamp") && e.time_stamp.is_some() {
            e.time_stamp = Some("yesterday".into());
        }
        if f.is_on("wrong-item-id") {
            if let Some(ObjectId::Item(id)) = &mut e.object {
                id.id = "AAMkADAwATM0MDAAoxconf-no-such-item".into();
            }
        }
    }
    let response = if f.is_on("error-response-class") {
        ResponseMessage::error(
            "ErrorInternalServerError",
            "oxconf mock: error-response-class",
        )
    } else {
        ResponseMessage::success()
    };
    let n = SendNotification {
        server_version: Some(
            if f.is_on("bad-server-version") {
                "Exchange2099"
            } else {
                SERVER_VERSION
            }
            .into(),
        ),
        messages: vec![SendNotificationMessage {
            response,
            notification: Some(notification),
        }],
    };
    let version = if f.is_on("soap12-notifications") {
        SoapVersion::V12
    } else {
        SoapVersion::V11
    };
    let prefixes = if f.is_on("default-ns-notifications") {
        Prefixes::Default
    } else {
        Prefixes::Conventional
    };
    let mut text = write_send_notification(version, &n, &prefixes);
    if f.is_on("events-in-messages-ns") {
        for kind in EventKind::ALL {
            let el = kind.element();
            text = text
                .replace(&format!("<t:{el}>"), &format!("<m:{el}>"))
                .replace(&format!("</t:{el}>"), &format!("</m:{el}>"));
        }
    }
    if f.is_on("huge-notification") {
        let pad = " ".repeat(16 * 1024 * 1024);
        text = text.replacen("<soap:Body>", &format!("<soap:Body>{pad}"), 1);
    }
    (version, text)
}

/// Sends one notification, retrying on the schedule while the listener fails.
async fn deliver(shared: &Shared, scope: &Scope, notification: Notification) -> Sent {
    let f = &shared.faults;
    let kinds: Vec<EventKind> = notification.events.iter().map(|e| e.kind).collect();
    let (version, text) = body(shared, notification);
    let action = if f.is_on("wrong-soap-action") {
        ns::action("GetEvents")
    } else {
        ns::action("SendNotification")
    };
    let window = shared.minute * scope.frequency;
    let mut first_failure: Option<Instant> = None;
    for attempt in 0..MAX_ATTEMPTS {
        let mut req = Request::new("POST", &scope.url).body(text.clone().into_bytes());
        for (n, v) in request_headers(version, &action) {
            req = req.header(&n, &v);
        }
        let exchange = shared.http.send(req).await;
        let (status, answered, outcome) = match &exchange.result {
            Err(e) => (None, None, e.to_string()),
            Ok(r) => {
                let answer =
                    read_listener_answer(&String::from_utf8_lossy(&r.body), Limits::default());
                let status = match answer.map(|a| a.value) {
                    Ok(ListenerAnswer::Result {
                        status: Some(s), ..
                    }) if r.status == 200 => Some(s),
                    _ => None,
                };
                let outcome = match status {
                    Some(s) => s.as_str().to_string(),
                    None => format!(
                        "HTTP {} without a readable SendNotificationResult",
                        r.status
                    ),
                };
                (Some(r.status), status, outcome)
            }
        };
        shared.log(|| {
            format!(
                "→ SendNotification to {} ({}{}): {} → {outcome}",
                scope.url,
                if kinds.is_empty() {
                    "no event".to_string()
                } else {
                    kinds
                        .iter()
                        .map(|k| k.element())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                if attempt > 0 {
                    format!(", retry {attempt}")
                } else {
                    String::new()
                },
                scope.id,
            )
        });
        shared.deliveries.push(
            text.clone().into_bytes(),
            Delivery {
                subscription_id: scope.id.clone(),
                url: scope.url.clone(),
                attempt,
                events: kinds.clone(),
                status,
                answered,
                outcome,
            },
        );
        match answered {
            Some(SubscriptionStatus::Ok) => return Sent::Ok,
            Some(SubscriptionStatus::Unsubscribe) => return Sent::Unsubscribe,
            None => {}
        }
        if f.is_on("no-retry") {
            return Sent::Dead;
        }
        let failed_at = *first_failure.get_or_insert_with(Instant::now);
        let n = attempt + 1;
        let due = if f.is_on("retry-forever") {
            shared.scale(30.0 * f64::from(n))
        } else {
            let due = shared.scale(30.0 * 2f64.powi(n as i32 - 1));
            if due > window {
                shared.log(|| {
                    format!(
                        "✗ subscription {} ended: the next retry would pass StatusFrequency",
                        scope.id
                    )
                });
                return Sent::Dead;
            }
            due
        };
        tokio::time::sleep_until(failed_at + due).await;
    }
    Sent::Dead
}

/// When retry `retry` (1, 2, …) is due after the first failed attempt, in wall time.
pub fn retry_due(minute: Duration, retry: u32) -> Duration {
    minute.mul_f64(30.0 * 2f64.powi(retry as i32 - 1) / 60.0)
}
