//! The push-listener environment: the client that plays Exchange towards the listener, and,
//! with no profile, the reference listener itself.

use super::claims;
use super::config::{
    ListenerConfig, ListenerProfile, Unknown, DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT,
};
use crate::common::http::{reachable, sut_client, Trust};
use harness::{Prepared, SetupError};
use mocks::ews::listener::{Faults, ListenerOptions, MockListener};
use mocks::net::{HttpClient, UserUrl};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

/// The subscription id the reference listener holds; every other id is foreign to it.
pub const REFERENCE_SUBSCRIPTION: &str = "oxconf-reference-subscription";
/// The reference profile's answer deadline: short, so `slow-answer` is caught quickly.
pub const REFERENCE_ANSWER_DEADLINE: Duration = Duration::from_secs(1);

pub struct ListenerEnv {
    pub http: HttpClient,
    pub url: String,
    pub is_https: bool,
    pub unknown: Unknown,
    pub subscription_id: Option<String>,
    pub deadline: Duration,
    /// The reference listener, when no profile was given; dropping the env stops it.
    pub reference: Option<Arc<MockListener>>,
}

fn http_client(p: &ListenerProfile) -> Result<HttpClient, SetupError> {
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

fn prepared(p: &ListenerProfile, env: ListenerEnv, target: String) -> Prepared {
    let mut prepared = Prepared::new(env, target);
    prepared.claims = p.all_claims();
    prepared
}

/// The reference listener as if a user had written a profile for it.
pub fn reference_profile(url: UserUrl, ca_pem: Option<String>) -> ListenerProfile {
    ListenerProfile {
        url,
        ca_pem,
        ca_file: None,
        connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        response_timeout: DEFAULT_RESPONSE_TIMEOUT,
        unknown_subscription: Unknown::Unsubscribe,
        subscription_id: Some(REFERENCE_SUBSCRIPTION.to_string()),
        answer_deadline: REFERENCE_ANSWER_DEADLINE,
        claims: claims::ALL.iter().map(|c| c.name.to_string()).collect(),
    }
}

async fn setup_reference(faults: Vec<String>) -> Result<Prepared, SetupError> {
    let faults = Faults::parse(&faults).map_err(SetupError::Other)?;
    let listener = MockListener::start(
        ListenerOptions {
            tls: true,
            own_ids: Some(BTreeSet::from([REFERENCE_SUBSCRIPTION.to_string()])),
            ..ListenerOptions::default()
        },
        faults,
    )
    .await
    .map_err(|e| SetupError::Local(format!("cannot start the reference push listener: {e}")))?;
    let url = UserUrl::parse(&listener.url())
        .map_err(|e| SetupError::Other(format!("the reference listener's URL: {e}")))?;
    let p = reference_profile(url, listener.ca_pem().map(str::to_string));
    let target = format!("reference push listener at {}", listener.url());
    let env = env_from(&p, http_client(&p)?, Some(Arc::new(listener)));
    Ok(prepared(&p, env, target))
}

fn env_from(
    p: &ListenerProfile,
    http: HttpClient,
    reference: Option<Arc<MockListener>>,
) -> ListenerEnv {
    ListenerEnv {
        http,
        url: p.url.to_string(),
        is_https: p.url.is_https(),
        unknown: p.unknown_subscription,
        subscription_id: p.subscription_id.clone(),
        deadline: p.answer_deadline,
        reference,
    }
}

async fn setup_profile(p: ListenerProfile) -> Result<Prepared, SetupError> {
    let http = http_client(&p)?;
    reachable("the push listener", &p.url, p.connect_timeout).await?;
    let target = p.url.to_string();
    let env = env_from(&p, http, None);
    Ok(prepared(&p, env, target))
}

pub async fn setup(config: ListenerConfig, setup: harness::Setup) -> Result<Prepared, SetupError> {
    match config {
        ListenerConfig::Reference => setup_reference(setup.faults).await,
        ListenerConfig::Profile(p) => setup_profile(*p).await,
    }
}
