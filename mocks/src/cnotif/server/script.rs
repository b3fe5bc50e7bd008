//! The scripted side of the mock MAPI/HTTP server, for the `notif-client` suite: the suite
//! decides what the client under test is sent and when it is told, and reads back how every
//! request of the client was classified.
//!
//! Without a script the server behaves as the reference (`notif-server`): a NotificationWait
//! completes as soon as anything is queued. With one, a wait completes with EventPending only
//! when the suite signals it (so leftovers announced with RopPending reach only a client that
//! follows RopPending), or is rejected outright; the suite injects RopNotify entries of its
//! choosing (foreign handles, undecodable buffers); and a response may carry a RopPending of
//! another session index.
//!
//! The classification follows the contract: an Execute with ROP requests is setup; an empty
//! Execute is a follow-up when something prompted it (a NotificationWait completed with
//! EventPending, a RopPending of the client's own session, a datagram carrying its context)
//! and a poll otherwise.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::store::{Queued, Session};

/// How NotificationWait requests are answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitMode {
    /// Held until the suite signals (EventPending set) or the wait times out (clear).
    Signalled,
    /// Completed at once with a non-zero ErrorCode (EcDoAsyncWaitEx's rejection).
    Reject,
}

/// How the client is told about injected notifications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// A held NotificationWait completes with EventPending.
    Wait,
    /// A datagram with the registered context goes to the push callback.
    Datagram,
    /// Not at all: only a poll or a RopPending follow-up fetches them.
    None,
}

/// What a request of the client was, as the contract counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Connect,
    /// An Execute carrying ROP requests.
    Setup,
    /// An empty Execute nothing prompted.
    Poll,
    /// An empty Execute after EventPending, an own RopPending or a matching datagram.
    FollowUp,
    Wait,
    Disconnect,
    Other,
}

/// One request as the scripted server saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    /// Since the script started.
    pub at: Duration,
    pub class: Class,
    /// The ROP names of an Execute, in order.
    pub rops: Vec<&'static str>,
    /// The RopsList of an Execute as sent (empty for an empty Execute).
    pub raw: Vec<u8>,
    pub max_rop_out: u32,
    /// For a NotificationWait: when it was answered and whether EventPending was set
    /// (`None` while held, and for a rejected wait).
    pub answered: Option<(Duration, bool)>,
    /// Session index of the RopPending entries this response carried.
    pub pendings: Vec<u16>,
    /// How many RopNotify entries this response carried.
    pub notifies: usize,
}

impl Seen {
    /// A request that is not an Execute.
    pub fn of(script: &Script, class: Class) -> Seen {
        Seen {
            at: script.elapsed(),
            class,
            rops: Vec::new(),
            raw: Vec::new(),
            max_rop_out: 0,
            answered: None,
            pendings: Vec::new(),
            notifies: 0,
        }
    }
}

/// The client's subscriptions as registered with the scripted server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registered {
    pub session_index: u16,
    /// (handle, LogonId) of every RopRegisterNotification answered with success.
    pub subscriptions: Vec<(u32, u8)>,
}

#[derive(Debug)]
struct State {
    wait: WaitMode,
    per_response: Option<usize>,
    foreign_pending: Option<u16>,
    credits: u32,
    signals: u32,
    log: Vec<Seen>,
    client: Option<Arc<Session>>,
}

/// The script of one scenario; shared between the suite and the server.
#[derive(Debug)]
pub struct Script {
    started: Instant,
    /// PollsMax in the Connect response, in milliseconds.
    pub polls_max: u32,
    state: Mutex<State>,
    /// Woken when the client's first RopRegisterNotification has been answered, and on every
    /// request logged.
    pub changed: Notify,
}

impl Script {
    pub fn new(polls_max: u32) -> Arc<Script> {
        Arc::new(Script {
            started: Instant::now(),
            polls_max,
            state: Mutex::new(State {
                wait: WaitMode::Signalled,
                per_response: None,
                foreign_pending: None,
                credits: 0,
                signals: 0,
                log: Vec::new(),
                client: None,
            }),
            changed: Notify::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    pub fn set_wait(&self, mode: WaitMode) {
        self.lock().wait = mode;
    }

    pub fn wait_mode(&self) -> WaitMode {
        self.lock().wait
    }

    /// At most `n` RopNotify entries per Execute response; the rest wait, announced with
    /// RopPending of the client's own session.
    pub fn set_per_response(&self, n: Option<usize>) {
        self.lock().per_response = n;
    }

    pub fn per_response(&self) -> Option<usize> {
        self.lock().per_response
    }

    /// The next response that announces nothing of the client's own carries a RopPending of
    /// session index `index` (another session's).
    pub fn send_foreign_pending(&self, index: u16) {
        self.lock().foreign_pending = Some(index);
    }

    pub(super) fn take_foreign_pending(&self) -> Option<u16> {
        self.lock().foreign_pending.take()
    }

    /// Every request so far.
    pub fn log(&self) -> Vec<Seen> {
        self.lock().log.clone()
    }

    /// The client's session and subscriptions, once it has registered.
    pub fn registered(&self) -> Option<Registered> {
        let client = self.lock().client.clone()?;
        let st = client.lock();
        Some(Registered {
            session_index: client.index,
            subscriptions: st
                .subscriptions
                .iter()
                .filter(|s| !s.released)
                .map(|s| (s.handle, s.logon_id))
                .collect(),
        })
    }

    /// The client's Session Context cookie, once it has registered.
    pub fn client_cookie(&self) -> Option<String> {
        self.lock().client.as_ref().map(|c| c.cookie.clone())
    }

    /// Waits until the client has registered, up to `timeout`.
    pub async fn until_registered(&self, timeout: Duration) -> Option<Registered> {
        self.until(timeout, |s| s.registered()).await
    }

    /// Waits until `probe` gives something, re-checking on every logged request.
    pub async fn until<T>(
        &self,
        timeout: Duration,
        probe: impl Fn(&Script) -> Option<T>,
    ) -> Option<T> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(v) = probe(self) {
                return Some(v);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return probe(self);
            }
        }
    }

    /// Queues RopNotify entries for the client's session and tells it as `signal` says.
    /// Returns false when the client has not registered yet.
    pub fn inject(&self, entries: Vec<Queued>, signal: Signal) -> bool {
        let Some(client) = self.lock().client.clone() else {
            return false;
        };
        client.lock().queue.extend(entries);
        match signal {
            Signal::Wait => {
                self.lock().signals += 1;
                client.wake.notify_one();
            }
            Signal::Datagram => client.push_wake.notify_one(),
            Signal::None => {}
        }
        true
    }

    /// Completes a held NotificationWait with EventPending set (or the next one).
    pub fn signal_wait(&self) {
        let client = {
            let mut st = self.lock();
            st.signals += 1;
            st.client.clone()
        };
        if let Some(c) = client {
            c.wake.notify_one();
        }
    }

    pub(super) fn take_signal(&self) -> bool {
        let mut st = self.lock();
        if st.signals > 0 {
            st.signals -= 1;
            st.credits += 1;
            true
        } else {
            false
        }
    }

    /// A prompt the client may follow with one empty Execute (a datagram was sent).
    pub(super) fn credit(&self) {
        self.lock().credits += 1;
    }

    /// Classifies an Execute before it is processed.
    pub(super) fn classify_execute(&self, rops: &[&'static str]) -> Class {
        if !rops.is_empty() {
            return Class::Setup;
        }
        let mut st = self.lock();
        if st.credits > 0 {
            st.credits -= 1;
            Class::FollowUp
        } else {
            Class::Poll
        }
    }

    /// Records a request; returns its index in the log.
    pub(super) fn record(&self, seen: Seen) -> usize {
        let n = {
            let mut st = self.lock();
            st.log.push(seen);
            st.log.len() - 1
        };
        self.changed.notify_waiters();
        n
    }

    /// After an Execute: what its response carried; an own RopPending is a prompt; the first
    /// session that registers is the client's.
    pub(super) fn executed(
        &self,
        at: usize,
        session: &Arc<Session>,
        pendings: Vec<u16>,
        notifies: usize,
    ) {
        {
            let mut st = self.lock();
            if pendings.contains(&session.index) {
                st.credits += 1;
            }
            if let Some(s) = st.log.get_mut(at) {
                s.pendings = pendings;
                s.notifies = notifies;
            }
            if st.client.is_none() && !session.lock().subscriptions.is_empty() {
                st.client = Some(Arc::clone(session));
            }
        }
        self.changed.notify_waiters();
    }

    pub(super) fn answered(&self, at: usize, event_pending: bool) {
        let now = self.elapsed();
        if let Some(s) = self.lock().log.get_mut(at) {
            s.answered = Some((now, event_pending));
        }
        self.changed.notify_waiters();
    }
}
