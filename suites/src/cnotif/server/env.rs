//! The notif-server environment: the HTTP client with the account, the mailbox DN and folder,
//! protocol time, and, with no profile, the reference MAPI/HTTP server.

use super::config::{NotifConfig, NotifProfile, DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT};
use crate::common::http::{reachable, sut_client, Trust};
use harness::{Prepared, SetupError};
use mocks::cnotif::server::{
    Faults, MapiOptions, MockMapiServer, DEFAULT_MAILBOX_DN, DEFAULT_PASSWORD, DEFAULT_USER,
};
use mocks::net::{HttpClient, UserUrl};
use std::sync::Arc;
use std::time::Duration;

/// The reference server's protocol minute: NotificationWait times out after 2.5 s.
pub const REFERENCE_MINUTE: Duration = Duration::from_millis(500);

pub struct NotifEnv {
    pub http: HttpClient,
    pub url: String,
    pub user: String,
    pub password: String,
    pub mailbox_dn: String,
    pub folder: usize,
    pub response_timeout: Duration,
    /// One protocol minute in wall time.
    pub minute: Duration,
    /// The reference server, when no profile was given; dropping the env stops it.
    pub reference: Option<Arc<MockMapiServer>>,
}

fn http_client(p: &NotifProfile) -> Result<HttpClient, SetupError> {
    sut_client(
        p.url.is_https(),
        Trust {
            ca_pem: p.ca_pem.as_deref(),
            ca_file: p.ca_file.as_deref(),
            insecure: false,
            key: "target.ca_file",
        },
        p.connect_timeout,
        p.response_timeout,
    )
}

fn env_from(
    p: &NotifProfile,
    http: HttpClient,
    minute: Duration,
    reference: Option<Arc<MockMapiServer>>,
) -> NotifEnv {
    NotifEnv {
        http,
        url: p.url.to_string(),
        user: p.user.clone(),
        password: p.password.clone(),
        mailbox_dn: p.mailbox_dn.clone(),
        folder: p.folder,
        response_timeout: p.response_timeout,
        minute,
        reference,
    }
}

fn prepared(p: &NotifProfile, env: NotifEnv, target: String) -> Prepared {
    let mut prepared = Prepared::new(env, target);
    prepared.secrets = p.secrets();
    prepared
}

async fn setup_reference(faults: Vec<String>) -> Result<Prepared, SetupError> {
    let faults = Faults::parse(&faults).map_err(SetupError::Other)?;
    let server = MockMapiServer::start(
        MapiOptions {
            tls: true,
            minute: REFERENCE_MINUTE,
            ..MapiOptions::default()
        },
        faults,
    )
    .await
    .map_err(|e| SetupError::Local(format!("cannot start the reference MAPI/HTTP server: {e}")))?;
    let url = UserUrl::parse(&server.url())
        .map_err(|e| SetupError::Other(format!("the reference server's URL: {e}")))?;
    let p = NotifProfile {
        url,
        ca_pem: server.ca_pem().map(str::to_string),
        ca_file: None,
        user: DEFAULT_USER.to_string(),
        password: DEFAULT_PASSWORD.to_string(),
        mailbox_dn: DEFAULT_MAILBOX_DN.to_string(),
        folder: 4,
        connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        response_timeout: DEFAULT_RESPONSE_TIMEOUT,
    };
    let target = format!("reference MAPI/HTTP server at {}", server.url());
    let env = env_from(
        &p,
        http_client(&p)?,
        REFERENCE_MINUTE,
        Some(Arc::new(server)),
    );
    Ok(prepared(&p, env, target))
}

pub async fn setup(config: NotifConfig, setup: harness::Setup) -> Result<Prepared, SetupError> {
    match config {
        NotifConfig::Reference => setup_reference(setup.faults).await,
        NotifConfig::Profile(p) => {
            let http = http_client(&p)?;
            reachable("the MAPI/HTTP server", &p.url, p.connect_timeout).await?;
            let target = p.url.to_string();
            let env = env_from(&p, http, setup.clock.minute(), None);
            Ok(prepared(&p, env, target))
        }
    }
}
