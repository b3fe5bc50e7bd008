//! The push-server profile: the EWS endpoint under test, its account, where the harness's
//! listener binds, and how events are caused when the server has no CreateItem.

use crate::oms::profile_keys::{resolve, trigger_dir};
use harness::profile::{ProfileError, ProfileReader};
use harness::TriggerCommand;
use mocks::net::UserUrl;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Placeholders of `push.trigger`.
pub const TRIGGER_PLACEHOLDERS: &[&str] = &["user", "kind"];
pub const DEFAULT_TRIGGER_TIMEOUT: Duration = Duration::from_secs(20);
pub const DEFAULT_RESPONSE_TIMEOUT: Duration = Duration::from_secs(15);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerProfile {
    pub url: UserUrl,
    pub ca_pem: Option<String>,
    pub ca_file: Option<PathBuf>,
    pub user: String,
    pub password: String,
    pub connect_timeout: Duration,
    pub response_timeout: Duration,
    /// Where the harness's listener binds; its URL goes into Subscribe.
    pub callback_host: IpAddr,
    /// Minutes, for the subscriptions the suite makes.
    pub status_frequency: u32,
    pub trigger: Option<TriggerCommand>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerConfig {
    Reference,
    Profile(Box<ServerProfile>),
}

impl ServerProfile {
    pub fn read(r: &mut ProfileReader<'_>) -> Result<ServerProfile, ProfileError> {
        let url = r.req_parsed("target.url", UserUrl::parse)?;
        let ca_file = r.opt_str("target.ca_file")?.map(|v| resolve(r.path(), &v));
        let user = r.req_str("target.user")?;
        let password = r.req_str("target.password")?;
        let response_timeout = r
            .opt_duration("target.response_timeout")?
            .unwrap_or(DEFAULT_RESPONSE_TIMEOUT);
        let connect_timeout = r
            .opt_duration("target.connect_timeout")?
            .unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let host = r
            .opt_str("push.callback_host")?
            .unwrap_or_else(|| "127.0.0.1".to_string());
        let callback_host = host.parse::<IpAddr>().map_err(|e| {
            r.invalid(
                "push.callback_host",
                format!("`{host}`: {e} (an IP address this machine has)"),
            )
        })?;
        let status_frequency = match r.opt_u64("push.status_frequency")? {
            None => 1,
            Some(n @ 1..=1440) => n as u32,
            Some(n) => {
                return Err(r.invalid(
                    "push.status_frequency",
                    format!("{n}: minutes from 1 to 1440"),
                ))
            }
        };
        let timeout = r
            .opt_duration("push.trigger_timeout")?
            .unwrap_or(DEFAULT_TRIGGER_TIMEOUT);
        let trigger = match r.opt_str("push.trigger")? {
            None => None,
            Some(t) => Some(
                TriggerCommand::parse(&t, TRIGGER_PLACEHOLDERS, timeout)
                    .map_err(|e| r.invalid("push.trigger", e))?
                    .in_dir(trigger_dir(r.path())),
            ),
        };
        Ok(ServerProfile {
            url,
            ca_pem: None,
            ca_file,
            user,
            password,
            connect_timeout,
            response_timeout,
            callback_host,
            status_frequency,
            trigger,
        })
    }

    pub fn secrets(&self) -> Vec<String> {
        vec![self.password.clone()]
    }
}
