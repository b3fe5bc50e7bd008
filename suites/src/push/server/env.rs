//! The push-server environment: the EWS client (with the account's Basic credentials), where
//! the harness's listeners bind, protocol time, and, with no profile, the reference server.

use super::config::{
    ServerConfig, ServerProfile, DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT,
};
use crate::common::http::{sut_client, Trust};
use harness::trigger::Trigger;
use harness::{Prepared, SetupError};
use mocks::ews::server::{ExchangeOptions, Faults, MockExchange, DEFAULT_PASSWORD, DEFAULT_USER};
use mocks::net::{HttpClient, UserUrl};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

/// The reference server's protocol minute: short, so the reference run of the push suites
/// takes seconds (a status ping at StatusFrequency 1 after half a second).
pub const REFERENCE_MINUTE: Duration = Duration::from_millis(500);

pub struct ServerEnv {
    pub http: HttpClient,
    pub url: String,
    pub user: String,
    pub password: String,
    pub callback_host: IpAddr,
    pub status_frequency: u32,
    /// One protocol minute in wall time, for every wait (the profile's `[timing] minute`, or
    /// `REFERENCE_MINUTE` for the reference server).
    pub minute: Duration,
    pub trigger: Option<Trigger>,
    /// The reference server, when no profile was given; dropping the env stops it.
    pub reference: Option<Arc<MockExchange>>,
}

impl ServerEnv {
    /// `protocol_secs` in wall time.
    pub fn scale(&self, protocol_secs: f64) -> Duration {
        self.minute.mul_f64(protocol_secs / 60.0)
    }
}

fn http_client(p: &ServerProfile) -> Result<HttpClient, SetupError> {
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

fn prepared(p: &ServerProfile, env: ServerEnv, target: String) -> Prepared {
    let mut prepared = Prepared::new(env, target);
    prepared.secrets = p.secrets();
    if p.trigger.is_none() {
        prepared
            .claims
            .insert(super::claims::CREATE_ITEM.name.to_string());
    }
    prepared
}

async fn setup_reference(faults: Vec<String>) -> Result<Prepared, SetupError> {
    let faults = Faults::parse(&faults).map_err(SetupError::Other)?;
    let server = MockExchange::start(
        ExchangeOptions {
            tls: true,
            minute: REFERENCE_MINUTE,
            ..ExchangeOptions::default()
        },
        faults,
    )
    .await
    .map_err(|e| SetupError::Local(format!("cannot start the reference push server: {e}")))?;
    let url = UserUrl::parse(&server.url())
        .map_err(|e| SetupError::Other(format!("the reference server's URL: {e}")))?;
    let p = ServerProfile {
        url,
        ca_pem: server.ca_pem().map(str::to_string),
        ca_file: None,
        user: DEFAULT_USER.to_string(),
        password: DEFAULT_PASSWORD.to_string(),
        connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        response_timeout: DEFAULT_RESPONSE_TIMEOUT,
        callback_host: IpAddr::V4(Ipv4Addr::LOCALHOST),
        // Two protocol minutes: the first status ping then comes a clear 500 ms after the
        // "at once" window of the first notification (at least 500 ms), so a server that sends
        // no initial notification cannot pass first-notification on a busy machine.
        status_frequency: 2,
        trigger: None,
    };
    let target = format!("reference push server at {}", server.url());
    let env = env_from(
        &p,
        http_client(&p)?,
        REFERENCE_MINUTE,
        Some(Arc::new(server)),
    );
    Ok(prepared(&p, env, target))
}

fn env_from(
    p: &ServerProfile,
    http: HttpClient,
    minute: Duration,
    reference: Option<Arc<MockExchange>>,
) -> ServerEnv {
    ServerEnv {
        http,
        url: p.url.to_string(),
        user: p.user.clone(),
        password: p.password.clone(),
        callback_host: p.callback_host,
        status_frequency: p.status_frequency,
        minute,
        trigger: p.trigger.clone().map(Trigger::Command),
        reference,
    }
}

pub async fn setup(config: ServerConfig, setup: harness::Setup) -> Result<Prepared, SetupError> {
    match config {
        ServerConfig::Reference => setup_reference(setup.faults).await,
        ServerConfig::Profile(p) => {
            let http = http_client(&p)?;
            // The first call tells an unreachable server (exit 3) from a working one.
            super::ews::preflight(&http, &p).await?;
            let target = p.url.to_string();
            let env = env_from(&p, http, setup.clock.minute(), None);
            Ok(prepared(&p, env, target))
        }
    }
}
