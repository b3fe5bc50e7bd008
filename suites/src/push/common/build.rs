//! Notifications as Exchange sends them (MS-OXWSPSNTIF 3.1.4.1.3.1, digest 3.6), with ids and
//! watermarks unique to the scenario, so a listener serving several scenarios at once (or the
//! same notification twice, on purpose) is always answered for the right one.

use wire::ews::{
    BaseId, Event, EventKind, Notification, ObjectId, ResponseMessage, SendNotification,
    SendNotificationMessage,
};

/// The RequestServerVersion the suites' notifications carry (a value seen from Exchange).
pub const SERVER_VERSION: &str = "Exchange2013";
/// A fixed TimeStamp: the listener must not care which, only that it reads one.
pub const TIME_STAMP: &str = "2026-12-03T08:15:00Z";

/// One scenario's supply of subscription ids, watermarks and item ids.
#[derive(Clone, Debug)]
pub struct Notifications {
    nonce: String,
    subscription: String,
}

impl Notifications {
    /// `subscription`: the id to notify for (the listener's own, from the profile), or `None`
    /// for one made from the nonce.
    pub fn new(nonce: &str, subscription: Option<&str>) -> Self {
        Notifications {
            nonce: nonce.to_string(),
            subscription: subscription
                .map(str::to_string)
                .unwrap_or_else(|| format!("oxconf-sub-{nonce}")),
        }
    }

    pub fn subscription(&self) -> &str {
        &self.subscription
    }

    /// A subscription id the listener cannot hold.
    pub fn foreign_subscription(&self) -> String {
        format!("oxconf-unknown-{}", self.nonce)
    }

    /// The watermark numbered `n` (opaque, like Exchange's base64 bookmarks).
    pub fn watermark(&self, n: usize) -> String {
        format!("AQAAAG94Y29uZi{}-{n}", self.nonce)
    }

    fn item(&self, n: usize) -> ObjectId {
        ObjectId::Item(BaseId {
            id: format!("AAMkAGI2oxconf{}-item-{n}", self.nonce),
            change_key: Some(format!("CQAAABYAAAA{n}")),
        })
    }

    fn folder(name: &str) -> BaseId {
        BaseId {
            id: format!("AAMkAGI2oxconf-folder-{name}"),
            change_key: Some("AQAAAA==".into()),
        }
    }

    /// An event of `kind` with watermark `n`, its children as Exchange fills them.
    pub fn event(&self, kind: EventKind, n: usize) -> Event {
        let wm = self.watermark(n);
        let inbox = Self::folder("inbox");
        match kind {
            EventKind::Status => Event::status(wm),
            EventKind::Moved | EventKind::Copied => {
                let new = if kind == EventKind::Moved {
                    self.item(n)
                } else {
                    self.item(n + 100_000)
                };
                Event::object(kind, wm, TIME_STAMP, new, Self::folder("archive"))
                    .from_old(self.item(n), inbox)
            }
            EventKind::Modified => Event::object(
                kind,
                wm,
                TIME_STAMP,
                ObjectId::Folder(inbox),
                Self::folder("msgfolderroot"),
            )
            .with_unread_count(3),
            _ => Event::object(kind, wm, TIME_STAMP, self.item(n), inbox),
        }
    }

    /// One `t:Notification` for the scenario's subscription.
    pub fn notification(
        &self,
        previous: Option<usize>,
        more: bool,
        events: Vec<Event>,
    ) -> Notification {
        Notification {
            subscription_id: self.subscription.clone(),
            previous_watermark: previous.map(|n| self.watermark(n)),
            more_events: Some(more),
            events,
        }
    }

    /// A SendNotification of one Success/NoError message.
    pub fn send(&self, notification: Notification) -> SendNotification {
        SendNotification {
            server_version: Some(SERVER_VERSION.into()),
            messages: vec![SendNotificationMessage {
                response: ResponseMessage::success(),
                notification: Some(notification),
            }],
        }
    }

    /// A status ping: a StatusEvent repeating watermark `n` (digest 3.3).
    pub fn status_ping(&self, n: usize) -> SendNotification {
        self.send(self.notification(Some(n), false, vec![self.event(EventKind::Status, n)]))
    }

    /// Events of `kinds`, watermarks from `first` on.
    pub fn events(&self, kinds: &[EventKind], first: usize) -> Vec<Event> {
        kinds
            .iter()
            .enumerate()
            .map(|(i, k)| self.event(*k, first + i))
            .collect()
    }
}
