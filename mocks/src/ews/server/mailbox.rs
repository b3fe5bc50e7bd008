//! The mock's mailbox: a few distinguished folders, messages, and the event log every action
//! appends to. Watermarks are positions in the log, so a Subscribe with a watermark resumes
//! from there, and notifications chain without a gap by construction.

use base64::Engine as _;
use std::collections::{BTreeMap, BTreeSet};
use wire::ews::{BaseId, Event, EventKind, ObjectId};

/// The distinguished folders and their display names. `root` (the mailbox's root, above the
/// message folder root) is where client libraries such as exchangelib start: their first
/// GetFolder asks for it.
pub const FOLDERS: &[(&str, &str)] = &[
    ("root", "Root"),
    ("msgfolderroot", "Top of Information Store"),
    ("inbox", "Inbox"),
    ("drafts", "Drafts"),
    ("sentitems", "Sent Items"),
    ("deleteditems", "Deleted Items"),
];

/// A watermark as Exchange writes them: an opaque base64 string (here of the log position).
pub fn watermark(seq: u64) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("oxconf-watermark:{seq:010}"))
}

/// The log position a watermark names, if it is one of ours.
pub fn position(watermark: &str) -> Option<u64> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(watermark.trim())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix("oxconf-watermark:")?.parse().ok()
}

#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub(crate) id: BaseId,
    pub(crate) folder: String,
    pub(crate) subject: String,
}

/// One logged event and the folders it concerns (its parent, and for moves its old parent).
#[derive(Clone, Debug)]
pub(crate) struct Logged {
    pub(crate) seq: u64,
    pub(crate) event: Event,
    pub(crate) folders: Vec<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Mailbox {
    /// Folder id by distinguished name.
    pub(crate) folders: BTreeMap<String, String>,
    pub(crate) items: BTreeMap<String, Item>,
    pub(crate) log: Vec<Logged>,
    next_item: u64,
}

/// Events kept for resumption; older ones are forgotten (an older watermark is then invalid,
/// as Exchange's 30-day window makes it).
const MAX_LOG: usize = 100_000;

impl Mailbox {
    pub(crate) fn new() -> Mailbox {
        let mut m = Mailbox::default();
        for (name, _) in FOLDERS {
            m.folders.insert(
                (*name).to_string(),
                format!("AQMkADAwATM0MDAAoxconf-{name}"),
            );
        }
        m
    }

    /// The log position of the last event (0 before any).
    pub(crate) fn head(&self) -> u64 {
        self.log.last().map_or(0, |l| l.seq)
    }

    /// Whether `seq` is a position a subscription can resume from.
    pub(crate) fn knows(&self, seq: u64) -> bool {
        seq == 0 || seq == self.head() || self.log.iter().any(|l| l.seq == seq)
    }

    /// A folder id from a distinguished name or an id.
    pub(crate) fn resolve(&self, name_or_id: &str) -> Option<String> {
        if let Some(id) = self.folders.get(name_or_id) {
            return Some(id.clone());
        }
        self.folders.values().find(|v| *v == name_or_id).cloned()
    }

    pub(crate) fn folder_name(&self, id: &str) -> Option<&str> {
        self.folders
            .iter()
            .find(|(_, v)| v.as_str() == id)
            .map(|(k, _)| k.as_str())
    }

    fn base(folder: &str) -> BaseId {
        BaseId {
            id: folder.to_string(),
            change_key: Some("AQAAAA==".into()),
        }
    }

    fn log_event(
        &mut self,
        kind: EventKind,
        object: ObjectId,
        parent: &str,
        old: Option<(ObjectId, &str)>,
        stamp: &str,
    ) -> u64 {
        let seq = self.head() + 1;
        let mut event = Event::object(kind, watermark(seq), stamp, object, Self::base(parent));
        let mut folders = vec![parent.to_string()];
        if let Some((o, p)) = old {
            event = event.from_old(o, Self::base(p));
            folders.push(p.to_string());
        }
        self.log.push(Logged {
            seq,
            event,
            folders,
        });
        if self.log.len() > MAX_LOG {
            self.log.remove(0);
        }
        seq
    }

    fn new_item(&mut self, folder: &str, subject: &str) -> Item {
        self.next_item += 1;
        let item = Item {
            id: BaseId {
                id: format!("AAMkADAwATM0MDAAoxconf-item-{}", self.next_item),
                change_key: Some(format!("CQAAABYAAAoxconf{}", self.next_item)),
            },
            folder: folder.to_string(),
            subject: subject.to_string(),
        };
        self.items.insert(item.id.id.clone(), item.clone());
        item
    }

    /// CreateItem: CreatedEvent, and NewMailEvent when the folder is the Inbox.
    pub(crate) fn create(
        &mut self,
        folder: &str,
        subject: &str,
        stamp: &str,
        new_mail: bool,
    ) -> Item {
        let item = self.new_item(folder, subject);
        self.log_event(
            EventKind::Created,
            ObjectId::Item(item.id.clone()),
            folder,
            None,
            stamp,
        );
        if new_mail && self.folders.get("inbox").map(String::as_str) == Some(folder) {
            self.log_event(
                EventKind::NewMail,
                ObjectId::Item(item.id.clone()),
                folder,
                None,
                stamp,
            );
        }
        item
    }

    /// MoveItem (and a soft DeleteItem): MovedEvent with the old id and parent.
    pub(crate) fn move_item(&mut self, id: &str, to: &str, stamp: &str) -> Option<Item> {
        let old = self.items.remove(id)?;
        let moved = self.new_item(to, &old.subject);
        self.log_event(
            EventKind::Moved,
            ObjectId::Item(moved.id.clone()),
            to,
            Some((ObjectId::Item(old.id.clone()), &old.folder)),
            stamp,
        );
        Some(moved)
    }

    /// CopyItem: CopiedEvent, the new id with the original's.
    pub(crate) fn copy_item(&mut self, id: &str, to: &str, stamp: &str) -> Option<Item> {
        let old = self.items.get(id)?.clone();
        let copy = self.new_item(to, &old.subject);
        self.log_event(
            EventKind::Copied,
            ObjectId::Item(copy.id.clone()),
            to,
            Some((ObjectId::Item(old.id.clone()), &old.folder)),
            stamp,
        );
        Some(copy)
    }

    /// A hard DeleteItem: DeletedEvent.
    pub(crate) fn delete(&mut self, id: &str, stamp: &str) -> Option<Item> {
        let old = self.items.remove(id)?;
        self.log_event(
            EventKind::Deleted,
            ObjectId::Item(old.id.clone()),
            &old.folder,
            None,
            stamp,
        );
        Some(old)
    }

    /// UpdateItem: a ModifiedEvent for the item and one for its folder with UnreadCount
    /// (digest 1.8: each modification produces both).
    pub(crate) fn modify(&mut self, id: &str, subject: &str, stamp: &str) -> Option<Item> {
        let item = self.items.get_mut(id)?;
        item.subject = subject.to_string();
        let item = item.clone();
        self.log_event(
            EventKind::Modified,
            ObjectId::Item(item.id.clone()),
            &item.folder,
            None,
            stamp,
        );
        let unread = self
            .items
            .values()
            .filter(|i| i.folder == item.folder)
            .count() as i64;
        let root = self
            .folders
            .get("msgfolderroot")
            .cloned()
            .unwrap_or_default();
        let seq = self.log_event(
            EventKind::Modified,
            ObjectId::Folder(Self::base(&item.folder)),
            &root,
            None,
            stamp,
        );
        if let Some(last) = self.log.iter_mut().rev().find(|l| l.seq == seq) {
            last.event = last.event.clone().with_unread_count(unread);
        }
        Some(item)
    }

    /// Logged events after `after` that a subscription with this scope sees.
    pub(crate) fn after(
        &self,
        after: u64,
        kinds: &BTreeSet<EventKind>,
        folders: Option<&BTreeSet<String>>,
    ) -> Vec<Logged> {
        self.log
            .iter()
            .filter(|l| l.seq > after)
            .filter(|l| kinds.contains(&l.event.kind))
            .filter(|l| folders.is_none_or(|f| l.folders.iter().any(|x| f.contains(x))))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watermarks_name_their_position() {
        assert_eq!(position(&watermark(42)), Some(42));
        assert_eq!(position("AQAAAA=="), None);
        assert_eq!(position("not base64!"), None);
    }

    #[test]
    fn actions_log_their_events() {
        let mut m = Mailbox::new();
        let inbox = m.resolve("inbox").unwrap();
        let drafts = m.resolve("drafts").unwrap();
        let a = m.create(&inbox, "a", "2026-12-03T00:00:00Z", true);
        let moved = m
            .move_item(&a.id.id, &drafts, "2026-12-03T00:00:00Z")
            .unwrap();
        m.modify(&moved.id.id, "b", "2026-12-03T00:00:00Z").unwrap();
        let kinds: Vec<EventKind> = m.log.iter().map(|l| l.event.kind).collect();
        assert_eq!(
            kinds,
            [
                EventKind::Created,
                EventKind::NewMail,
                EventKind::Moved,
                EventKind::Modified,
                EventKind::Modified
            ]
        );
        let all: BTreeSet<EventKind> = EventKind::ALL.into_iter().collect();
        let only_inbox = BTreeSet::from([inbox]);
        assert_eq!(m.after(0, &all, Some(&only_inbox)).len(), 3);
    }
}
