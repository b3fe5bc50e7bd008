//! What the running server shares between its connections: the configuration, the faults,
//! the service-change clock, the SMTP relay and the request log.

use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use wire::oms::{codes, schedule, DeliveryError};

use super::config::ServerConfig;
use super::faults::Faults;
use crate::record::{RecordLimits, Recorder};

/// How long after a service change every delivery response carries serviceUpdate, so a client
/// that was busy elsewhere still sees it.
pub const SERVICE_UPDATE_WINDOW_SECS: i64 = 600;
/// Requests kept by the log; later ones are only counted, so a long-running mock stays
/// bounded.
pub const MAX_RECORDED: usize = 4096;
/// Request body bytes kept by the log, over all requests.
pub const MAX_RECORDED_BYTES: usize = 64 * 1024 * 1024;

/// The head of one HTTP request as received; its body, exactly as received, is the
/// arrival's raw bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    /// Path and query as sent.
    pub path: String,
    /// Names in lower case, in arrival order.
    pub headers: Vec<(String, String)>,
}

pub(crate) struct Shared {
    pub config: ServerConfig,
    pub faults: Faults,
    /// The real SOAP URL, known once the listener is bound.
    pub service_uri: OnceLock<String>,
    changed_at: Mutex<Option<i64>>,
    relay: Mutex<Option<SocketAddr>>,
    requests: Recorder<RecordedRequest>,
}

/// A poisoned lock only means another request panicked mid-update; the data is still usable
/// and the server must keep answering.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub(crate) fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Shared {
    pub(super) fn new(config: ServerConfig, faults: Faults, relay: Option<SocketAddr>) -> Shared {
        Shared {
            config,
            faults,
            service_uri: OnceLock::new(),
            changed_at: Mutex::new(None),
            relay: Mutex::new(relay),
            requests: Recorder::new(RecordLimits::new(MAX_RECORDED, MAX_RECORDED_BYTES)),
        }
    }

    pub(super) fn record(&self, request: RecordedRequest, body: &[u8]) {
        self.requests.push(body.to_vec(), request);
    }

    pub(super) fn requests(&self) -> Recorder<RecordedRequest> {
        self.requests.clone()
    }

    pub(super) fn relay(&self) -> Option<SocketAddr> {
        *lock(&self.relay)
    }

    pub(super) fn set_relay(&self, relay: SocketAddr) {
        *lock(&self.relay) = Some(relay);
    }

    /// Records a change of the service information at `now`; returns its minute as the
    /// serviceUpdate content shows it.
    pub(super) fn bump_service_info(&self, now: i64) -> String {
        *lock(&self.changed_at) = Some(now);
        schedule::format_utc_minute(now)
    }

    /// The serviceUpdate element (MS-OMS 2.2.4.4, OMS-R057-R059) while a change is recent.
    pub(super) fn service_update(&self, now: i64) -> Option<DeliveryError> {
        let changed = (*lock(&self.changed_at))?;
        if now.saturating_sub(changed) >= SERVICE_UPDATE_WINDOW_SECS
            || self.faults.on("service-update-missing")
        {
            return None;
        }
        let code = if self.faults.on("service-update-lowercase") {
            "serviceupdate"
        } else {
            codes::SERVICE_UPDATE
        };
        let mut stamp = schedule::format_utc_minute(changed);
        if self.faults.on("service-update-bad-timestamp") {
            stamp = stamp.replace(":00Z", ":37Z");
        }
        let severity = if self.faults.on("service-update-failure-severity") {
            codes::FAILURE
        } else {
            codes::NEUTRAL
        };
        Some(DeliveryError::new(code, severity).with_content(&stamp))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn shared(faults: &[&str]) -> Shared {
        let names: Vec<String> = faults.iter().map(|s| s.to_string()).collect();
        Shared::new(
            ServerConfig::reference(),
            Faults::parse(&names).unwrap(),
            None,
        )
    }

    #[test]
    fn no_service_update_before_a_change() {
        assert_eq!(shared(&[]).service_update(1_000_000), None);
    }

    #[rstest]
    #[case(&[], Some(("serviceUpdate", "2001-09-09T01:46:00Z")))]
    #[case(&["service-update-lowercase"], Some(("serviceupdate", "2001-09-09T01:46:00Z")))]
    #[case(&["service-update-bad-timestamp"], Some(("serviceUpdate", "2001-09-09T01:46:37Z")))]
    #[case(&["service-update-missing"], None)]
    fn service_update_element(#[case] faults: &[&str], #[case] expected: Option<(&str, &str)>) {
        let s = shared(faults);
        let changed = 1_000_000_000;
        assert_eq!(s.bump_service_info(changed), "2001-09-09T01:46:00Z");
        let got = s.service_update(changed + 5);
        let got = got.map(|e| (e.code.unwrap(), e.content.unwrap()));
        assert_eq!(got, expected.map(|(c, t)| (c.to_string(), t.to_string())));
    }

    #[test]
    fn service_update_severity_is_neutral_unless_broken() {
        for (faults, severity) in [
            (&[][..], "neutral"),
            (&["service-update-failure-severity"][..], "failure"),
        ] {
            let s = shared(faults);
            s.bump_service_info(1_000);
            let e = s.service_update(1_005).unwrap();
            assert_eq!(e.severity.as_deref(), Some(severity));
        }
    }

    #[test]
    fn service_update_expires_after_the_window() {
        let s = shared(&[]);
        s.bump_service_info(100);
        assert!(s
            .service_update(100 + SERVICE_UPDATE_WINDOW_SECS - 1)
            .is_some());
        assert!(s.service_update(100 + SERVICE_UPDATE_WINDOW_SECS).is_none());
    }

    #[test]
    fn request_log_is_bounded() {
        let s = shared(&[]);
        for i in 0..MAX_RECORDED + 3 {
            let head = RecordedRequest {
                method: "POST".into(),
                path: format!("/{i}"),
                headers: vec![],
            };
            s.record(head, b"\xffbody");
        }
        let log = s.requests();
        assert_eq!((log.len(), log.dropped()), (MAX_RECORDED, 3));
        let first: crate::record::Arrival<RecordedRequest> = log.snapshot().remove(0);
        assert_eq!(first.item.path, "/0");
        assert_eq!(&first.raw[..], b"\xffbody");
    }
}
