//! The reference MS-OMS server: a mock OMS web service that behaves as MS-OMS and the errata
//! decisions say a server must (the reference implementation of the server role), with a named
//! fault switch for every way a conformance scenario must be able to catch a broken server.
//!
//! One listener serves the SOAP endpoint (`/oms`, SOAP 1.1 and 1.2, over HTTP or HTTPS) and a
//! small JSON control endpoint (`/oxconf/...`) for triggers from outside the process. Phone
//! replies are packaged as MS-OMS 2.2.2.1 mail and sent by SMTP to a relay.

mod batch;
mod config;
mod control;
mod deliver;
mod dispatch;
mod envelope;
mod errors;
mod faults;
mod hostile;
mod mms;
mod policy;
mod recipients;
pub mod reference;
mod replies;
mod service_info;
mod sms;
mod state;
mod user_info;
mod users;

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

use crate::net::{handler, reachable, HttpServer, TestPki};
use crate::record::{Arrival, Recorder};

pub use config::{Money, RecipientRules, ServerConfig, UserRecord, UserStatus};
pub use control::{ControlReply, REPLY_PATH, SERVICE_UPDATE_PATH};
pub use dispatch::SOAP_PATH;
pub use faults::{Faults, ServerFaults, FAULTS, VARIANTS};
pub use mms::MEDIA_TYPES;
pub use replies::{mms_subject_of, ReplyKind, ReplyRequest, WRONG_TO};
pub use state::{RecordedRequest, MAX_RECORDED, MAX_RECORDED_BYTES, SERVICE_UPDATE_WINDOW_SECS};

/// Request bodies above this get 413.
pub const MAX_REQUEST_BODY: usize = 4 * 1024 * 1024;
/// The names the TLS certificate is issued for.
pub const TLS_NAMES: &[&str] = &["127.0.0.1", "localhost", "::1"];
/// The only name under `tls-wrong-name`.
pub const WRONG_TLS_NAME: &str = "wrong.invalid";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartOptions {
    pub listen: SocketAddr,
    /// Serve HTTPS with a throwaway CA (see `MockOmsServer::ca_pem`).
    pub tls: bool,
    /// Where phone replies are sent by SMTP; can also be set later.
    pub smtp_relay: Option<SocketAddr>,
}

impl Default for StartOptions {
    /// Loopback, any free port, plain HTTP, no relay.
    fn default() -> Self {
        StartOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            tls: false,
            smtp_relay: None,
        }
    }
}

/// A running reference server; dropping it stops it.
pub struct MockOmsServer {
    http: HttpServer,
    shared: Arc<state::Shared>,
    url: String,
    ca_pem: Option<String>,
}

impl fmt::Debug for MockOmsServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockOmsServer")
            .field("url", &self.url)
            .field("faults", &self.shared.faults.names())
            .finish_non_exhaustive()
    }
}

impl MockOmsServer {
    pub async fn start(
        mut config: ServerConfig,
        faults: Faults,
        opts: StartOptions,
    ) -> Result<MockOmsServer, String> {
        if faults.on("no-batch") {
            config.service_info.batch_size = Some(0);
        }
        if faults.on("no-long-sms") {
            if let Some(sms) = config.service_info.supported_service.sms.as_mut() {
                sms.long = None;
            }
        }
        let (tls, ca_pem) = if opts.tls {
            let names: &[&str] = if faults.on("tls-wrong-name") {
                &[WRONG_TLS_NAME]
            } else {
                TLS_NAMES
            };
            let pki = TestPki::generate(names).map_err(|e| e.to_string())?;
            (Some(pki.server_config()), Some(pki.ca_pem.clone()))
        } else {
            (None, None)
        };
        let shared = Arc::new(state::Shared::new(config, faults, opts.smtp_relay));
        let for_handler = Arc::clone(&shared);
        let serve = handler(move |req| {
            let shared = Arc::clone(&for_handler);
            async move { dispatch::handle(&shared, req).await }
        });
        let https = tls.is_some();
        let http = HttpServer::start(opts.listen, tls, MAX_REQUEST_BODY, serve)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", opts.listen))?;
        let scheme = if https { "https" } else { "http" };
        let url = format!("{scheme}://{}{SOAP_PATH}", reachable(http.local_addr()));
        // Set once, right here, before anyone can know the address to send a request to.
        let _ = shared.service_uri.set(url.clone());
        Ok(MockOmsServer {
            http,
            shared,
            url,
            ca_pem,
        })
    }

    /// "<base>/oms", the SOAP endpoint.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// "<base>" without the SOAP path, for the control endpoint.
    pub fn base_url(&self) -> String {
        self.url
            .strip_suffix(SOAP_PATH)
            .unwrap_or(&self.url)
            .to_string()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.http.local_addr()
    }

    /// With TLS: the throwaway CA to trust.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    pub fn set_smtp_relay(&self, relay: SocketAddr) {
        self.shared.set_relay(relay);
    }

    /// A phone reply, packaged per MS-OMS 2.2.2.1 and sent by SMTP to the user's smtp_address.
    /// Returns the SMTP dialogue; without a relay, or when the relay refuses, an error.
    pub async fn emit_reply(&self, req: ReplyRequest) -> Result<String, String> {
        replies::emit(&self.shared, &req).await
    }

    /// Changes the service information (as an operator would) so that for the next
    /// `SERVICE_UPDATE_WINDOW_SECS` every delivery response carries serviceUpdate with the
    /// minute of the change. The advertised limits stay as they are, so scenarios running
    /// meanwhile keep their expectations.
    pub fn bump_service_info(&self) {
        self.shared.bump_service_info(state::now_unix());
    }

    /// Every HTTP request received, in order (the first [`MAX_RECORDED`]; later ones are
    /// counted as dropped), with its body as received.
    pub fn requests(&self) -> Vec<Arrival<RecordedRequest>> {
        self.shared.requests().snapshot()
    }

    /// The request log, to wait on; it stays readable after the server stopped.
    pub fn request_log(&self) -> Recorder<RecordedRequest> {
        self.shared.requests()
    }
}
