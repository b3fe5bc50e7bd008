//! One way for every mock peer to keep what it received: each arrival with its time, its raw
//! bytes exactly as they came off the wire and the protocol's parsed view of them.
//!
//! Checks judge the parsed view, transcripts show the raw bytes, and timing checks (a
//! notification within a minute, a retry after a back-off) need the arrival time; keeping all
//! three in one entry means none of them has to be reconstructed from the others. Waiting is
//! part of the recorder because a listener's traffic arrives on its own schedule: a scenario
//! waits for "the second callback" or "a mail carrying this nonce" up to a deadline, without
//! polling and without missing an arrival that lands between its check and its wait.
//!
//! A peer under test may be hostile, so a recorder is bounded in entries and in raw bytes.
//! What does not fit is not kept, but it is counted, so a check can still say that more came.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::sync::watch;

/// One thing a peer received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrival<T> {
    /// When it was received (for a request, when it was complete and handed to the peer).
    pub at: Instant,
    /// The bytes exactly as received: the protocol decides which bytes (an HTTP body, an SMTP
    /// DATA payload), but they are never decoded or normalised here.
    pub raw: Bytes,
    /// The protocol's view of it.
    pub item: T,
}

impl<T> Arrival<T> {
    /// How long after `epoch` it arrived (zero if it arrived before), so a suite can place it
    /// on the scenario's clock (`cx.epoch()`).
    pub fn since(&self, epoch: Instant) -> Duration {
        self.at.saturating_duration_since(epoch)
    }

    /// The raw bytes as text for transcripts; invalid UTF-8 shows as U+FFFD rather than
    /// failing, so a peer sending garbage is visible, not fatal.
    pub fn text_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.raw)
    }
}

/// How much one recorder keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordLimits {
    /// Entries kept; later ones are dropped (and counted).
    pub max_entries: usize,
    /// Raw bytes kept over all entries; an entry that would exceed it is dropped (and counted).
    pub max_raw_bytes: usize,
}

impl RecordLimits {
    pub const fn new(max_entries: usize, max_raw_bytes: usize) -> RecordLimits {
        RecordLimits {
            max_entries,
            max_raw_bytes,
        }
    }
}

impl Default for RecordLimits {
    /// 10 000 entries and 64 MiB: far more than a scenario produces, far less than a machine has.
    fn default() -> Self {
        RecordLimits::new(10_000, 64 * 1024 * 1024)
    }
}

struct State<T> {
    entries: Vec<Arrival<T>>,
    raw_bytes: usize,
    dropped: u64,
}

struct Inner<T> {
    limits: RecordLimits,
    state: Mutex<State<T>>,
    /// Bumped on every change. Waiters compare versions, so a change between their check and
    /// their wait is seen as a change: there is no lost wake-up.
    version: watch::Sender<u64>,
}

/// A bounded, shared log of arrivals; clones share the same log.
pub struct Recorder<T> {
    inner: Arc<Inner<T>>,
}

impl<T> Clone for Recorder<T> {
    fn clone(&self) -> Self {
        Recorder {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> fmt::Debug for Recorder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Recorder")
            .field("entries", &state.entries.len())
            .field("raw_bytes", &state.raw_bytes)
            .field("dropped", &state.dropped)
            .field("limits", &self.inner.limits)
            .finish()
    }
}

impl<T> Default for Recorder<T> {
    fn default() -> Self {
        Recorder::new(RecordLimits::default())
    }
}

impl<T> Recorder<T> {
    pub fn new(limits: RecordLimits) -> Recorder<T> {
        let (version, _) = watch::channel(0);
        Recorder {
            inner: Arc::new(Inner {
                limits,
                state: Mutex::new(State {
                    entries: Vec::new(),
                    raw_bytes: 0,
                    dropped: 0,
                }),
                version,
            }),
        }
    }

    /// A panic elsewhere while holding the lock leaves at worst one entry missing; the peer
    /// must keep recording, so a poisoned lock is taken over.
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.inner.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn changed(&self) {
        self.inner.version.send_modify(|v| *v = v.wrapping_add(1));
    }

    pub fn limits(&self) -> RecordLimits {
        self.inner.limits
    }

    /// Records an arrival stamped now. Returns false when it did not fit the limits (it is
    /// then only counted, see [`Recorder::dropped`]).
    pub fn push(&self, raw: impl Into<Bytes>, item: T) -> bool {
        self.push_arrival(Arrival {
            at: Instant::now(),
            raw: raw.into(),
            item,
        })
    }

    /// Records an arrival stamped by the caller (when the time of receipt is known earlier
    /// than the moment of recording).
    pub fn push_arrival(&self, arrival: Arrival<T>) -> bool {
        let kept = {
            let mut state = self.lock();
            let limits = self.inner.limits;
            let bytes = state.raw_bytes.saturating_add(arrival.raw.len());
            // The same test as `has_room`, under the same lock as the push.
            if state.entries.len() >= limits.max_entries || bytes > limits.max_raw_bytes {
                state.dropped = state.dropped.saturating_add(1);
                false
            } else {
                state.raw_bytes = bytes;
                state.entries.push(arrival);
                true
            }
        };
        // Waiters are woken for a dropped arrival too: "more came than was kept" may be what
        // they wait for, and they recheck anyway.
        self.changed();
        kept
    }

    /// Whether an arrival of `raw_len` bytes would be kept now, so a peer can refuse in its
    /// protocol (an SMTP 452) what it could not keep.
    pub fn has_room(&self, raw_len: usize) -> bool {
        let state = self.lock();
        state.entries.len() < self.inner.limits.max_entries
            && state.raw_bytes.saturating_add(raw_len) <= self.inner.limits.max_raw_bytes
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Arrivals that did not fit the limits since the start (or the last `clear`).
    pub fn dropped(&self) -> u64 {
        self.lock().dropped
    }

    /// Raw bytes held.
    pub fn raw_bytes(&self) -> usize {
        self.lock().raw_bytes
    }

    /// Forgets everything, the dropped count included: a fresh start for the next step.
    pub fn clear(&self) {
        {
            let mut state = self.lock();
            state.entries.clear();
            state.raw_bytes = 0;
            state.dropped = 0;
        }
        self.changed();
    }

    /// Applies `f` to the entries under the lock, without copying them.
    pub fn with<R>(&self, f: impl FnOnce(&[Arrival<T>]) -> R) -> R {
        f(&self.lock().entries)
    }
}

impl<T: Clone> Recorder<T> {
    /// Every arrival kept so far, in arrival order.
    pub fn snapshot(&self) -> Vec<Arrival<T>> {
        self.lock().entries.clone()
    }

    /// Waits until `pred` holds for the arrivals kept, or `deadline` passes. `Ok` with the
    /// arrivals when it holds, `Err` with what had arrived when the deadline passed. The
    /// predicate is evaluated at once, then after every change, under the recorder's lock:
    /// keep it quick and do not record from inside it.
    pub async fn wait_until(
        &self,
        pred: impl Fn(&[Arrival<T>]) -> bool,
        deadline: Instant,
    ) -> Result<Vec<Arrival<T>>, Vec<Arrival<T>>> {
        let deadline = tokio::time::Instant::from_std(deadline);
        // Subscribing marks the current version as seen; every change after it, including one
        // between the check below and the wait, makes `changed()` return at once.
        let mut changes = self.inner.version.subscribe();
        loop {
            changes.borrow_and_update();
            {
                let state = self.lock();
                if pred(&state.entries) {
                    return Ok(state.entries.clone());
                }
            }
            match tokio::time::timeout_at(deadline, changes.changed()).await {
                Ok(Ok(())) => continue,
                // The sender lives in `inner`, which `self` keeps alive: cannot close. Treat it
                // like the deadline rather than spin.
                Ok(Err(_)) | Err(_) => {
                    let state = self.lock();
                    return if pred(&state.entries) {
                        Ok(state.entries.clone())
                    } else {
                        Err(state.entries.clone())
                    };
                }
            }
        }
    }

    /// Waits until at least `n` arrivals are kept, or `deadline` passes.
    pub async fn wait_for_count(
        &self,
        n: usize,
        deadline: Instant,
    ) -> Result<Vec<Arrival<T>>, Vec<Arrival<T>>> {
        self.wait_until(|entries| entries.len() >= n, deadline)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn soon(ms: u64) -> Instant {
        Instant::now() + Duration::from_millis(ms)
    }

    #[test]
    fn keeps_raw_bytes_and_items_in_order() {
        let r: Recorder<u32> = Recorder::default();
        assert!(r.push(&b"one\xff"[..], 1));
        assert!(r.push(Bytes::from_static(b"two"), 2));
        let all = r.snapshot();
        assert_eq!(all.len(), 2);
        assert_eq!(&all[0].raw[..], b"one\xff");
        assert_eq!(all[0].text_lossy(), "one\u{fffd}");
        assert_eq!(all.iter().map(|a| a.item).collect::<Vec<_>>(), [1, 2]);
        assert!(all[0].at <= all[1].at);
        assert_eq!(r.raw_bytes(), 7);
        r.clear();
        assert!(r.is_empty());
        assert_eq!(r.raw_bytes(), 0);
    }

    #[test]
    fn since_puts_arrivals_on_a_scenario_clock() {
        let epoch = Instant::now();
        let a = Arrival {
            at: epoch + Duration::from_millis(250),
            raw: Bytes::new(),
            item: (),
        };
        assert_eq!(a.since(epoch), Duration::from_millis(250));
        // An arrival before the epoch is at zero, not a panic.
        assert_eq!(a.since(epoch + Duration::from_secs(1)), Duration::ZERO);
    }

    #[test]
    fn entry_bound_drops_and_counts() {
        let r: Recorder<usize> = Recorder::new(RecordLimits::new(3, usize::MAX));
        for i in 0..5 {
            assert_eq!(r.push(Bytes::new(), i), i < 3);
        }
        assert_eq!(r.len(), 3);
        assert_eq!(r.dropped(), 2);
        // The first ones stay: the start of an exchange is what checks read.
        assert_eq!(r.snapshot()[2].item, 2);
        r.clear();
        assert_eq!(r.dropped(), 0);
        assert!(r.push(Bytes::new(), 9));
    }

    #[test]
    fn byte_bound_drops_and_counts() {
        let r: Recorder<()> = Recorder::new(RecordLimits::new(100, 10));
        assert!(r.push(vec![0u8; 6], ()));
        // Would make 12 bytes.
        assert!(!r.has_room(6));
        assert!(!r.push(vec![0u8; 6], ()));
        // Still fits.
        assert!(r.has_room(4));
        assert!(r.push(vec![0u8; 4], ()));
        assert!(!r.push(vec![0u8; 1], ()));
        assert_eq!((r.len(), r.raw_bytes(), r.dropped()), (2, 10, 2));
        // One entry larger than the whole budget is dropped, not truncated.
        let big: Recorder<()> = Recorder::new(RecordLimits::new(100, 10));
        assert!(!big.push(vec![0u8; 11], ()));
        assert_eq!(big.dropped(), 1);
    }

    #[tokio::test]
    async fn wait_returns_at_once_when_it_already_holds() {
        let r: Recorder<u8> = Recorder::default();
        r.push(Bytes::new(), 7);
        let got = r.wait_for_count(1, Instant::now()).await;
        assert_eq!(got.map(|v| v.len()), Ok(1));
    }

    #[tokio::test]
    async fn deadline_returns_what_arrived() {
        let r: Recorder<u8> = Recorder::default();
        r.push(Bytes::new(), 1);
        let started = Instant::now();
        let got = r.wait_for_count(2, soon(60)).await;
        let waited = started.elapsed();
        assert_eq!(got.map_err(|v| v.len()), Err(1));
        assert!(waited >= Duration::from_millis(60), "{waited:?}");
        assert!(waited < Duration::from_secs(2), "{waited:?}");
    }

    #[tokio::test]
    async fn predicate_sees_every_change() {
        let r: Recorder<&'static str> = Recorder::default();
        let pusher = r.clone();
        let task = tokio::spawn(async move {
            for item in ["a", "b", "needle", "c"] {
                tokio::time::sleep(Duration::from_millis(5)).await;
                pusher.push(Bytes::from_static(item.as_bytes()), item);
            }
        });
        let got = r
            .wait_until(|e| e.iter().any(|a| a.item == "needle"), soon(5000))
            .await
            .expect("the needle arrives");
        assert!(got.iter().any(|a| &a.raw[..] == b"needle"));
        task.await.unwrap();
    }

    /// A push racing the waiter's check must never be missed: each round the waiter and the
    /// pusher start together on different threads, and the wait must end with the push, long
    /// before the generous deadline.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_lost_wake_up_under_concurrent_pushes() {
        for round in 0..500 {
            let r: Recorder<usize> = Recorder::default();
            let pusher = r.clone();
            let barrier = Arc::new(tokio::sync::Barrier::new(2));
            let go = Arc::clone(&barrier);
            let task = tokio::spawn(async move {
                go.wait().await;
                pusher.push(Bytes::new(), round);
            });
            barrier.wait().await;
            let got = r.wait_for_count(1, soon(10_000)).await;
            assert_eq!(got.map(|v| v.len()), Ok(1), "round {round}");
            task.await.unwrap();
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_pushers_many_waiters() {
        let r: Recorder<usize> = Recorder::default();
        let mut pushers = Vec::new();
        for t in 0..4 {
            let r = r.clone();
            pushers.push(tokio::spawn(async move {
                for i in 0..50 {
                    r.push(Bytes::new(), t * 100 + i);
                    tokio::task::yield_now().await;
                }
            }));
        }
        let mut waiters = Vec::new();
        for n in [1, 50, 150, 200] {
            let r = r.clone();
            waiters.push(tokio::spawn(async move {
                r.wait_for_count(n, soon(10_000)).await.map(|v| v.len())
            }));
        }
        for p in pushers {
            p.await.unwrap();
        }
        for (w, n) in waiters.into_iter().zip([1, 50, 150, 200]) {
            let got = w.await.unwrap().expect("reached before the deadline");
            assert!(got >= n);
        }
        assert_eq!(r.len(), 200);
    }

    #[tokio::test]
    async fn clear_wakes_waiters_whose_predicate_it_satisfies() {
        let r: Recorder<()> = Recorder::default();
        r.push(Bytes::new(), ());
        let waiter = {
            let r = r.clone();
            tokio::spawn(async move { r.wait_until(|e| e.is_empty(), soon(5000)).await })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        r.clear();
        assert_eq!(waiter.await.unwrap().map(|v| v.len()), Ok(0));
    }
}
