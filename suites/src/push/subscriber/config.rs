//! The push-subscriber profile: the trigger that makes the application subscribe, and whether
//! it runs its own listener.

use crate::oms::profile_keys::trigger_dir;
use harness::profile::{ProfileError, ProfileReader};
use harness::TriggerCommand;
use std::net::IpAddr;
use std::time::Duration;

/// The trigger's placeholders (the subscriber contract).
pub const PLACEHOLDERS: &[&str] = &["ews_url", "user", "password", "callback_url", "ca_file"];
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriberProfile {
    pub trigger: TriggerCommand,
    /// The app puts its own listener's URL in Subscribe (`push.own_listener`).
    pub own_listener: bool,
    /// Where the mock EWS endpoint and the harness's listener bind (`server.host`).
    pub host: IpAddr,
    /// Serve the mock EWS endpoint over https (`server.tls`); the app trusts `{ca_file}`.
    pub tls: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubscriberConfig {
    Reference,
    Profile(Box<SubscriberProfile>),
}

impl SubscriberProfile {
    pub fn read(r: &mut ProfileReader<'_>) -> Result<SubscriberProfile, ProfileError> {
        let timeout = r.opt_duration("target.timeout")?.unwrap_or(DEFAULT_TIMEOUT);
        let template = r.req_str("target.trigger")?;
        let trigger = TriggerCommand::parse(&template, PLACEHOLDERS, timeout)
            .map_err(|e| r.invalid("target.trigger", e))?
            .in_dir(trigger_dir(r.path()));
        let own_listener = r.opt_bool("push.own_listener")?.unwrap_or(false);
        let host_text = r
            .opt_str("server.host")?
            .unwrap_or_else(|| "127.0.0.1".into());
        let host = host_text
            .parse::<IpAddr>()
            .map_err(|e| r.invalid("server.host", format!("`{host_text}`: {e}")))?;
        let tls = r.opt_bool("server.tls")?.unwrap_or(false);
        Ok(SubscriberProfile {
            trigger,
            own_listener,
            host,
            tls,
        })
    }
}
