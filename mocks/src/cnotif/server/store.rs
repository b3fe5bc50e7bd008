//! The mock server's state: one mailbox (the 13 special folders of a private logon, and the
//! messages saved into them), the session contexts with their handle tables, subscriptions
//! and notification queues, and the fan-out of an event to every matching subscription.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;
use wire::cnotif::{Id, NewMail, NotificationData, NotificationType, TagList, FLAG_M, FLAG_T};
use wire::rop::types;

use super::faults::Faults;

/// The special folders RopLogon returns, in its order (MS-OXCSTOR 2.2.1.1.3).
pub const FOLDER_NAMES: [&str; 13] = [
    "Root",
    "Deferred Action",
    "Spooler Queue",
    "IPM Subtree",
    "Inbox",
    "Outbox",
    "Sent Items",
    "Deleted Items",
    "Common Views",
    "Schedule",
    "Search",
    "Views",
    "Shortcuts",
];
pub const INBOX: usize = 4;

/// A Folder or Message ID: ReplicaId 1, then the 6-byte GlobalCounter (big-endian, as ids
/// are commonly stored so that they sort; the protocol treats them as opaque).
pub fn make_id(counter: u64) -> Id {
    let mut id = [0u8; 8];
    id[..2].copy_from_slice(&1u16.to_le_bytes());
    id[2..].copy_from_slice(&counter.to_be_bytes()[2..]);
    id
}

/// The ids of the 13 special folders.
pub fn folder_ids() -> [Id; 13] {
    let mut ids = [[0u8; 8]; 13];
    for (i, id) in ids.iter_mut().enumerate() {
        *id = make_id(0x0001_0000 + i as u64);
    }
    ids
}

/// What a handle in a session's handle table stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Object {
    Logon {
        logon_id: u8,
    },
    Folder {
        folder: Id,
    },
    Message {
        folder: Id,
        id: Option<Id>,
        saves: u32,
    },
    Subscription,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    WholeStore,
    Folder(Id),
    Message(Id, Id),
}

#[derive(Clone, Debug)]
pub struct Subscription {
    pub handle: u32,
    pub logon_id: u8,
    pub types: u16,
    pub scope: Scope,
    pub released: bool,
}

/// One RopNotify waiting to be delivered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Queued {
    pub handle: u32,
    pub logon_id: u8,
    pub data: Vec<u8>,
}

#[derive(Debug, Default)]
pub struct SessionState {
    pub objects: HashMap<u32, Object>,
    next_handle: u32,
    pub subscriptions: Vec<Subscription>,
    pub queue: VecDeque<Queued>,
    pub sequence: u64,
}

impl SessionState {
    /// A new server handle: never 0xFFFFFFFF (MS-OXCROPS R4560) and never reused.
    pub fn add(&mut self, object: Object) -> u32 {
        self.next_handle += 1;
        let h = self.next_handle;
        self.objects.insert(h, object);
        h
    }
}

/// A Session Context: its cookie value, its index (MAPI/HTTP gives the client none, so the
/// server numbers sessions), and what the session holds.
#[derive(Debug)]
pub struct Session {
    pub cookie: String,
    pub index: u16,
    pub state: Mutex<SessionState>,
    /// Woken on every notification queued for the session (a held NotificationWait).
    pub wake: Notify,
    /// A NotificationWait is being held.
    pub waiting: AtomicBool,
    /// Woken on every notification queued, for the UDP push sender.
    pub push_wake: Notify,
}

impl Session {
    pub fn lock(&self) -> MutexGuard<'_, SessionState> {
        // A panic while holding the lock is a bug of the mock; the state stays usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn begin_wait(&self) -> bool {
        !self.waiting.swap(true, Ordering::SeqCst)
    }

    pub fn end_wait(&self) {
        self.waiting.store(false, Ordering::SeqCst);
    }
}

/// An event in the mailbox, as a save causes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Created { folder: Id, message: Id },
    NewMail { folder: Id, message: Id },
    Modified { folder: Id, message: Id },
}

impl Event {
    fn type_bit(self) -> u16 {
        match self {
            Event::Created { .. } => types::OBJECT_CREATED,
            Event::NewMail { .. } => types::NEW_MAIL,
            Event::Modified { .. } => types::OBJECT_MODIFIED,
        }
    }

    fn ids(self) -> (Id, Id) {
        match self {
            Event::Created { folder, message }
            | Event::NewMail { folder, message }
            | Event::Modified { folder, message } => (folder, message),
        }
    }

    /// The NotificationData the reference sends for this event.
    pub fn data(self, faults: &Faults) -> Vec<u8> {
        let (folder, message) = self.ids();
        let on_message = !faults.is_on("folder-flags-on-message");
        let bits = if on_message { FLAG_M } else { 0 };
        let mut n = match self {
            Event::Created { .. } => {
                let mut n = NotificationData::empty(NotificationType::ObjectCreated, bits);
                n.tags = Some(TagList::new(&[]));
                if !on_message {
                    n.parent_folder_id = Some(folder);
                }
                n
            }
            Event::NewMail { .. } => {
                let mut n = NotificationData::empty(NotificationType::NewMail, bits);
                n.new_mail = Some(NewMail::new(0, false, "IPM.Note"));
                n
            }
            Event::Modified { .. } => {
                let mut n = NotificationData::empty(NotificationType::ObjectModified, bits);
                n.tags = Some(TagList::new(&[]));
                n
            }
        };
        n.folder_id = Some(folder);
        if on_message {
            n.message_id = Some(if faults.is_on("wrong-message-id") {
                make_id(0x0EEE_EEEE)
            } else {
                message
            });
        }
        // The encoder refuses flags that break the presence rules; this fault writes the
        // bytes by hand after a valid encoding.
        let mut out = n.encode().unwrap_or_default();
        if faults.is_on("t-bit-on-created") && matches!(self, Event::Created { .. }) {
            let flags = u16::from_le_bytes([out[0], out[1]]) | FLAG_T;
            out[..2].copy_from_slice(&flags.to_le_bytes());
            out.extend_from_slice(&1u32.to_le_bytes());
        }
        out
    }

    fn matches(self, sub: &Subscription, faults: &Faults) -> bool {
        if sub.released && !faults.is_on("notifies-after-release") {
            return false;
        }
        if sub.types & self.type_bit() == 0 && !faults.is_on("ignores-types") {
            return false;
        }
        let (folder, message) = self.ids();
        match &sub.scope {
            Scope::WholeStore => true,
            _ if faults.is_on("ignores-scope") => true,
            Scope::Folder(f) => *f == folder,
            Scope::Message(f, m) => *f == folder && *m == message,
        }
    }
}

/// The mailbox and every session.
#[derive(Debug)]
pub struct Store {
    pub folders: [Id; 13],
    next_message: Mutex<u64>,
    sessions: Mutex<HashMap<String, Arc<Session>>>,
    next_session: Mutex<u16>,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            folders: folder_ids(),
            next_message: Mutex::new(0x0020_0000),
            sessions: Mutex::new(HashMap::new()),
            next_session: Mutex::new(0),
        }
    }
}

impl Store {
    pub fn is_folder(&self, id: &Id) -> bool {
        self.folders.contains(id)
    }

    pub fn new_message_id(&self) -> Id {
        let mut n = self.next_message.lock().unwrap_or_else(|p| p.into_inner());
        *n += 1;
        make_id(*n)
    }

    pub fn open_session(&self, nonce: u64) -> Arc<Session> {
        let index = {
            let mut n = self.next_session.lock().unwrap_or_else(|p| p.into_inner());
            *n = n.wrapping_add(1);
            *n
        };
        let session = Arc::new(Session {
            cookie: format!("oxconf-{nonce:016x}-{index}"),
            index,
            state: Mutex::new(SessionState::default()),
            wake: Notify::new(),
            waiting: AtomicBool::new(false),
            push_wake: Notify::new(),
        });
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(session.cookie.clone(), Arc::clone(&session));
        session
    }

    pub fn session(&self, cookie: &str) -> Option<Arc<Session>> {
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(cookie)
            .cloned()
    }

    pub fn close_session(&self, cookie: &str) {
        if let Some(s) = self
            .sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(cookie)
        {
            s.wake.notify_one();
        }
    }

    /// Queues the event's notification for every matching subscription of every session.
    /// Held locks never overlap: the session list is copied first.
    pub fn raise(&self, event: Event, faults: &Faults) {
        let sessions: Vec<Arc<Session>> = self
            .sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect();
        let data = event.data(faults);
        for session in sessions {
            let mut queued = false;
            {
                let mut st = session.lock();
                let targets: Vec<(u32, u8)> = st
                    .subscriptions
                    .iter()
                    .filter(|s| event.matches(s, faults))
                    .map(|s| {
                        let handle = if faults.is_on("wrong-handle") {
                            s.handle + 1
                        } else {
                            s.handle
                        };
                        let logon = if faults.is_on("wrong-logon-id") {
                            7
                        } else {
                            s.logon_id
                        };
                        (handle, logon)
                    })
                    .collect();
                for (handle, logon_id) in targets {
                    st.queue.push_back(Queued {
                        handle,
                        logon_id,
                        data: data.clone(),
                    });
                    queued = true;
                }
            }
            if queued {
                session.wake.notify_one();
                session.push_wake.notify_one();
            }
        }
    }
}
