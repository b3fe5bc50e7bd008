//! The typed model of the EWS messages the push suites exchange: SendNotification and its
//! answer (MS-OXWSPSNTIF), Subscribe / Unsubscribe / GetEvents (MS-OXWSNTIF), and the few item
//! and folder operations the mocks need to cause events (CreateItem, DeleteItem, MoveItem,
//! CopyItem, GetFolder). Readers fill these from what a peer sent, writers produce the wire
//! text from them; values a validator must judge (an event type, a StatusFrequency, a
//! timestamp) are kept as the peer's text so a wrong one can be reported, not lost.

use serde::{Deserialize, Serialize};

/// The eight event elements of `t:NotificationType` (MS-OXWSNTIF 2.2.4.8), in schema order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EventKind {
    Copied,
    Created,
    Deleted,
    Modified,
    Moved,
    NewMail,
    Status,
    FreeBusyChanged,
}

impl EventKind {
    /// Every kind, in schema order.
    pub const ALL: [EventKind; 8] = [
        EventKind::Copied,
        EventKind::Created,
        EventKind::Deleted,
        EventKind::Modified,
        EventKind::Moved,
        EventKind::NewMail,
        EventKind::Status,
        EventKind::FreeBusyChanged,
    ];

    /// The kinds a Subscribe may name in `t:EventTypes` (`NotificationEventTypeType`):
    /// every kind but Status (digest 1.4).
    pub const SUBSCRIBABLE: [EventKind; 7] = [
        EventKind::Copied,
        EventKind::Created,
        EventKind::Deleted,
        EventKind::Modified,
        EventKind::Moved,
        EventKind::NewMail,
        EventKind::FreeBusyChanged,
    ];

    /// The event element's local name, which is also its `t:EventType` value
    /// ("NewMailEvent").
    pub fn element(self) -> &'static str {
        match self {
            EventKind::Copied => "CopiedEvent",
            EventKind::Created => "CreatedEvent",
            EventKind::Deleted => "DeletedEvent",
            EventKind::Modified => "ModifiedEvent",
            EventKind::Moved => "MovedEvent",
            EventKind::NewMail => "NewMailEvent",
            EventKind::Status => "StatusEvent",
            EventKind::FreeBusyChanged => "FreeBusyChangedEvent",
        }
    }

    /// The kind whose element (or `t:EventType` value) is `name`, case-sensitively.
    pub fn from_element(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.element() == name)
    }

    /// Moved and Copied events carry the old id and old parent folder id.
    pub fn is_moved_or_copied(self) -> bool {
        matches!(self, EventKind::Moved | EventKind::Copied)
    }
}

/// `t:ItemIdType` / `t:FolderIdType`: an `Id` and an optional `ChangeKey`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BaseId {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_key: Option<String>,
}

impl BaseId {
    pub fn new(id: impl Into<String>) -> Self {
        BaseId {
            id: id.into(),
            change_key: None,
        }
    }
}

/// The `ItemId | FolderId` choice of an object event (and `OldItemId | OldFolderId`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectId {
    Item(BaseId),
    Folder(BaseId),
}

impl ObjectId {
    pub fn base(&self) -> &BaseId {
        match self {
            ObjectId::Item(b) | ObjectId::Folder(b) => b,
        }
    }
}

/// One event of a notification. Status events carry only a watermark; object events carry a
/// timestamp, the object and its parent folder; Moved and Copied add where the object was;
/// Modified may add the folder's unread count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark: Option<String>,
    /// `t:TimeStamp` as sent (an `xs:dateTime`); `None` for Status events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_stamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_folder_id: Option<BaseId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_object: Option<ObjectId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_parent_folder_id: Option<BaseId>,
    /// `t:UnreadCount` of a ModifiedEvent, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread_count: Option<String>,
}

impl Event {
    /// A status ping's event.
    pub fn status(watermark: impl Into<String>) -> Self {
        Event {
            kind: EventKind::Status,
            watermark: Some(watermark.into()),
            time_stamp: None,
            object: None,
            parent_folder_id: None,
            old_object: None,
            old_parent_folder_id: None,
            unread_count: None,
        }
    }

    /// An object event (every kind but Status).
    pub fn object(
        kind: EventKind,
        watermark: impl Into<String>,
        time_stamp: impl Into<String>,
        object: ObjectId,
        parent_folder_id: BaseId,
    ) -> Self {
        Event {
            kind,
            watermark: Some(watermark.into()),
            time_stamp: Some(time_stamp.into()),
            object: Some(object),
            parent_folder_id: Some(parent_folder_id),
            old_object: None,
            old_parent_folder_id: None,
            unread_count: None,
        }
    }

    /// Where a Moved or Copied object was.
    pub fn from_old(mut self, old_object: ObjectId, old_parent_folder_id: BaseId) -> Self {
        self.old_object = Some(old_object);
        self.old_parent_folder_id = Some(old_parent_folder_id);
        self
    }

    /// A ModifiedEvent's unread count.
    pub fn with_unread_count(mut self, count: i64) -> Self {
        self.unread_count = Some(count.to_string());
        self
    }
}

/// `t:NotificationType`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub subscription_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_watermark: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more_events: Option<bool>,
    pub events: Vec<Event>,
}

/// `t:ResponseClassType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResponseClass {
    Success,
    Warning,
    Error,
}

impl ResponseClass {
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseClass::Success => "Success",
            ResponseClass::Warning => "Warning",
            ResponseClass::Error => "Error",
        }
    }

    pub fn parse(text: &str) -> Option<ResponseClass> {
        match text {
            "Success" => Some(ResponseClass::Success),
            "Warning" => Some(ResponseClass::Warning),
            "Error" => Some(ResponseClass::Error),
            _ => None,
        }
    }
}

/// The `m:ResponseMessageType` part every response message shares (MS-OXWSCDATA 2.2.4.65).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseMessage {
    pub class: ResponseClass,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptive_link_key: Option<i32>,
    /// The content of `m:MessageXml`, as XML text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_xml: Option<String>,
}

impl ResponseMessage {
    /// Success with `NoError`.
    pub fn success() -> Self {
        ResponseMessage {
            class: ResponseClass::Success,
            message_text: None,
            response_code: Some("NoError".into()),
            descriptive_link_key: None,
            message_xml: None,
        }
    }

    /// An error with its ResponseCode and text.
    pub fn error(code: impl Into<String>, text: impl Into<String>) -> Self {
        ResponseMessage {
            class: ResponseClass::Error,
            message_text: Some(text.into()),
            response_code: Some(code.into()),
            descriptive_link_key: Some(0),
            message_xml: None,
        }
    }
}

/// One `m:SendNotificationResponseMessage`. The schema requires the Notification; a reader
/// reports a missing one and leaves `None`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendNotificationMessage {
    pub response: ResponseMessage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification: Option<Notification>,
}

/// `m:SendNotification` with the request's `t:RequestServerVersion` header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendNotification {
    /// The `Version` attribute of `t:RequestServerVersion`, when the header was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_version: Option<String>,
    pub messages: Vec<SendNotificationMessage>,
}

/// `t:SubscriptionStatusType`: exactly `OK` or `Unsubscribe`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SubscriptionStatus {
    Ok,
    Unsubscribe,
}

impl SubscriptionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Ok => "OK",
            SubscriptionStatus::Unsubscribe => "Unsubscribe",
        }
    }

    /// Case-sensitive, as PSNTIF-R018 requires.
    pub fn parse(text: &str) -> Option<SubscriptionStatus> {
        match text {
            "OK" => Some(SubscriptionStatus::Ok),
            "Unsubscribe" => Some(SubscriptionStatus::Unsubscribe),
            _ => None,
        }
    }
}

/// A folder named in a request: `t:FolderId` or `t:DistinguishedFolderId` (with an optional
/// mailbox SMTP address).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FolderRef {
    Id(BaseId),
    Distinguished {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mailbox: Option<String>,
    },
}

impl FolderRef {
    pub fn distinguished(id: impl Into<String>) -> Self {
        FolderRef::Distinguished {
            id: id.into(),
            mailbox: None,
        }
    }
}

/// `m:PushSubscriptionRequest` (MS-OXWSNTIF 3.1.4.3.3.6). Event types and StatusFrequency are
/// the sender's text, so a validator (or the mock server) can judge them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSubscriptionRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribe_to_all_folders: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub folder_ids: Vec<FolderRef>,
    /// The `t:EventType` texts, in order.
    pub event_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark: Option<String>,
    /// `t:StatusFrequency` as sent (minutes, 1..=1440 when valid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_frequency: Option<String>,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_data: Option<String>,
}

impl PushSubscriptionRequest {
    /// A request for `kinds` on `folders` (or every folder when `folders` is empty) with
    /// StatusFrequency `minutes`.
    pub fn new(url: impl Into<String>, kinds: &[EventKind], minutes: u32) -> Self {
        PushSubscriptionRequest {
            subscribe_to_all_folders: None,
            folder_ids: Vec::new(),
            event_types: kinds.iter().map(|k| k.element().to_owned()).collect(),
            watermark: None,
            status_frequency: Some(minutes.to_string()),
            url: url.into(),
            caller_data: None,
        }
    }

    /// StatusFrequency as an integer, when it is one.
    pub fn status_frequency_minutes(&self) -> Option<i64> {
        self.status_frequency.as_deref()?.trim().parse().ok()
    }

    /// The event types that are subscribable kinds; unknown texts and StatusEvent are left out.
    pub fn subscribable_kinds(&self) -> Vec<EventKind> {
        self.event_types
            .iter()
            .filter_map(|t| EventKind::from_element(t))
            .filter(|k| *k != EventKind::Status)
            .collect()
    }
}

/// `m:SubscribeResponseMessage`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscribeResponse {
    pub response: ResponseMessage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark: Option<String>,
}

/// A message to create (`t:Message` inside `m:CreateItem/m:Items`), as far as the mocks need.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageDraft {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// A folder as GetFolder returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderInfo {
    pub id: BaseId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// The EWS requests the mocks answer, as a server reads them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EwsRequest {
    Subscribe(PushSubscriptionRequest),
    /// A pull or streaming Subscribe: not a push subscription (the element name is kept).
    SubscribeOther(String),
    Unsubscribe {
        subscription_id: String,
    },
    GetEvents {
        subscription_id: String,
        watermark: String,
    },
    /// `m:CreateItem` of messages into `saved_item_folder` (the Drafts folder when `None`).
    CreateItem {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        saved_item_folder: Option<FolderRef>,
        items: Vec<MessageDraft>,
    },
    /// `m:DeleteItem` (`hard`: DeleteType HardDelete; otherwise moved to Deleted Items).
    DeleteItem {
        item_ids: Vec<BaseId>,
        hard: bool,
    },
    MoveItem {
        item_ids: Vec<BaseId>,
        to_folder: FolderRef,
    },
    CopyItem {
        item_ids: Vec<BaseId>,
        to_folder: FolderRef,
    },
    /// `m:UpdateItem` setting a message's subject (it causes ModifiedEvents).
    UpdateItem {
        item_id: BaseId,
        subject: String,
    },
    GetFolder {
        folder_ids: Vec<FolderRef>,
    },
    /// Any other body element, by local name: answered with a fault or an error.
    Other(String),
}
