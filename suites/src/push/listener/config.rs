//! The push-listener profile: where the listener under test is and how it treats
//! subscription ids it does not know.

use crate::oms::profile_keys::resolve;
use harness::profile::{ProfileError, ProfileReader};
use mocks::net::UserUrl;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

pub const DEFAULT_RESPONSE_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Slower answers are warned about (NTIF-R040): Exchange gives no number, so this is the
/// suite's own, settable with `push.answer_deadline`.
pub const DEFAULT_ANSWER_DEADLINE: Duration = Duration::from_secs(5);

/// What the listener answers for a subscription id it does not hold (`push.unknown_subscription`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unknown {
    Unsubscribe,
    Ok,
    /// Either is accepted.
    Any,
}

impl Unknown {
    pub fn as_str(self) -> &'static str {
        match self {
            Unknown::Unsubscribe => "unsubscribe",
            Unknown::Ok => "ok",
            Unknown::Any => "any",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListenerProfile {
    pub url: UserUrl,
    pub ca_pem: Option<String>,
    pub ca_file: Option<PathBuf>,
    pub connect_timeout: Duration,
    pub response_timeout: Duration,
    pub unknown_subscription: Unknown,
    /// An id the listener treats as its own (`push.subscription_id`).
    pub subscription_id: Option<String>,
    pub answer_deadline: Duration,
    pub claims: BTreeSet<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListenerConfig {
    Reference,
    Profile(Box<ListenerProfile>),
}

impl ListenerProfile {
    pub fn read(r: &mut ProfileReader<'_>) -> Result<ListenerProfile, ProfileError> {
        let url = r.req_parsed("target.url", UserUrl::parse)?;
        let ca_file = r.opt_str("target.ca_file")?.map(|v| resolve(r.path(), &v));
        let response_timeout = r
            .opt_duration("target.response_timeout")?
            .unwrap_or(DEFAULT_RESPONSE_TIMEOUT);
        let connect_timeout = r
            .opt_duration("target.connect_timeout")?
            .unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        if connect_timeout.is_zero() || response_timeout.is_zero() {
            return Err(r.invalid("target.response_timeout", "timeouts must be longer than 0s"));
        }
        let unknown_subscription = match r.opt_str("push.unknown_subscription")?.as_deref() {
            None | Some("any") => Unknown::Any,
            Some("unsubscribe") => Unknown::Unsubscribe,
            Some("ok") => Unknown::Ok,
            Some(other) => {
                return Err(r.invalid(
                    "push.unknown_subscription",
                    format!("`{other}`: use \"unsubscribe\", \"ok\" or \"any\""),
                ))
            }
        };
        let subscription_id = r.opt_str("push.subscription_id")?;
        if subscription_id.as_deref() == Some("") {
            return Err(r.invalid("push.subscription_id", "must not be empty"));
        }
        let answer_deadline = r
            .opt_duration("push.answer_deadline")?
            .unwrap_or(DEFAULT_ANSWER_DEADLINE);
        let mut claims = BTreeSet::new();
        r.allow_table("claims");
        if r.opt_bool("claims.soap12")?.unwrap_or(false) {
            claims.insert(super::claims::SOAP12.name.to_string());
        }
        Ok(ListenerProfile {
            url,
            ca_pem: None,
            ca_file,
            connect_timeout,
            response_timeout,
            unknown_subscription,
            subscription_id,
            answer_deadline,
            claims,
        })
    }

    /// The explicit claims, plus what the URL implies.
    pub fn all_claims(&self) -> BTreeSet<String> {
        let mut c = self.claims.clone();
        if self.url.is_https() {
            c.insert(super::claims::HTTPS.name.to_string());
        }
        c
    }
}
