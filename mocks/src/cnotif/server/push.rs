//! UDP push notifications (MS-OXCNOTIF 3.1.5.4, 3.2.5.5.2): given a callback address and an
//! opaque context, the server sends datagrams carrying exactly that context while
//! notifications are pending for the session: one as soon as something is queued, then one per
//! interval (the spec's 60 seconds, scaled) until everything has been fetched.
//!
//! On Exchange the registration is the RPC call EcRRegisterPushNotification, which MAPI/HTTP
//! does not carry; the mock takes it on its control endpoint instead (`POST`
//! [`CONTROL_PATH`] with the session cookie and `{"callback": "127.0.0.1:PORT", "context":
//! "HEX"}`), and the suites register in process through the same code.

use std::net::SocketAddr;
use std::sync::{Arc, Weak};
use std::time::Duration;

use super::store::Session;

/// The control endpoint that stands in for EcRRegisterPushNotification.
pub const CONTROL_PATH: &str = "/oxconf/push-registration";
/// The longest context accepted (rgbContext is at most 0x10000 bytes; datagrams stay small).
pub const MAX_CONTEXT: usize = 1024;
/// A bound on datagrams per registration, so a client that never fetches cannot keep the mock
/// sending forever.
const MAX_DATAGRAMS: u32 = 10_000;

/// One registration: where datagrams go and what they carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushTarget {
    pub callback: SocketAddr,
    pub context: Vec<u8>,
}

/// The registration request of the control endpoint.
#[derive(Debug, serde::Deserialize)]
pub struct Registration {
    pub callback: String,
    /// Hex.
    pub context: String,
    /// Overrides the interval (milliseconds).
    pub interval_ms: Option<u64>,
}

impl Registration {
    /// Checks the request: a loopback-or-literal socket address and a non-empty hex context.
    pub fn target(&self) -> Result<PushTarget, String> {
        let callback: SocketAddr = self
            .callback
            .trim()
            .parse()
            .map_err(|e| format!("callback `{}` is not IP:PORT: {e}", self.callback))?;
        let context = wire::binary::parse_hex(&self.context)
            .map_err(|e| format!("context is not hex: {e}"))?;
        if context.is_empty() || context.len() > MAX_CONTEXT {
            return Err(format!(
                "context must be 1 to {MAX_CONTEXT} bytes, not {}",
                context.len()
            ));
        }
        Ok(PushTarget { callback, context })
    }
}

/// Starts sending datagrams for `session`; `on_send` runs after every datagram (the script
/// counts it as a prompt). Ends when the session is gone.
pub async fn start(
    session: &Arc<Session>,
    target: PushTarget,
    interval: Duration,
    on_send: impl Fn() + Send + 'static,
) -> std::io::Result<()> {
    let bind: SocketAddr = if target.callback.is_ipv6() {
        "[::1]:0".parse().map_err(std::io::Error::other)?
    } else {
        "127.0.0.1:0".parse().map_err(std::io::Error::other)?
    };
    let socket = tokio::net::UdpSocket::bind(bind).await?;
    let weak: Weak<Session> = Arc::downgrade(session);
    let interval = interval.max(Duration::from_millis(10));
    tokio::spawn(async move {
        let mut sent = 0u32;
        while sent < MAX_DATAGRAMS {
            let Some(session) = weak.upgrade() else {
                break;
            };
            let wake = session.push_wake.notified();
            tokio::pin!(wake);
            wake.as_mut().enable();
            let pending = !session.lock().queue.is_empty();
            if pending
                && socket
                    .send_to(&target.context, target.callback)
                    .await
                    .is_ok()
            {
                sent += 1;
                on_send();
            }
            // The strong reference held through the interval is dropped before the next
            // upgrade, so a closed session ends the loop.
            let _ = tokio::time::timeout(interval, wake).await;
        }
    });
    Ok(())
}
