//! The notif-client profile: the trigger that runs the client for one scenario, where the
//! scripted MAPI/HTTP server listens, PollsMax, and whether the client takes UDP datagrams.

use crate::oms::profile_keys::trigger_dir;
use harness::profile::{ProfileError, ProfileReader};
use harness::TriggerCommand;
use std::net::IpAddr;
use std::time::Duration;

/// The trigger's placeholders (the notif-client contract).
pub const PLACEHOLDERS: &[&str] = &[
    "url",
    "user",
    "password",
    "mailbox_dn",
    "ca_file",
    "udp_port",
    "udp_context",
];
/// The longest one client run may last before its process group is killed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the client has to log on and register before the scenario is inconclusive.
pub const DEFAULT_READY_TIMEOUT: Duration = Duration::from_secs(8);
/// PollsMax the scripted server announces; the held NotificationWait times out after five.
pub const DEFAULT_POLLS_MAX: Duration = Duration::from_secs(1);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientProfile {
    pub trigger: TriggerCommand,
    pub ready_timeout: Duration,
    /// Where the scripted server binds (`server.host`).
    pub host: IpAddr,
    /// Serve https; the client trusts `{ca_file}` (`server.tls`, default true).
    pub tls: bool,
    pub polls_max: Duration,
    /// `claims.udp_push`: the client listens on `{udp_port}` for datagrams carrying
    /// `{udp_context}`.
    pub udp_push: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientConfig {
    Reference,
    Profile(Box<ClientProfile>),
}

impl ClientProfile {
    pub fn read(r: &mut ProfileReader<'_>) -> Result<ClientProfile, ProfileError> {
        let timeout = r.opt_duration("target.timeout")?.unwrap_or(DEFAULT_TIMEOUT);
        let template = r.req_str("target.trigger")?;
        let trigger = TriggerCommand::parse(&template, PLACEHOLDERS, timeout)
            .map_err(|e| r.invalid("target.trigger", e))?
            .in_dir(trigger_dir(r.path()));
        let ready_timeout = r
            .opt_duration("target.ready_timeout")?
            .unwrap_or(DEFAULT_READY_TIMEOUT);
        let host_text = r
            .opt_str("server.host")?
            .unwrap_or_else(|| "127.0.0.1".into());
        let host = host_text
            .parse::<IpAddr>()
            .map_err(|e| r.invalid("server.host", format!("`{host_text}`: {e}")))?;
        let tls = r.opt_bool("server.tls")?.unwrap_or(true);
        let polls_max = r
            .opt_duration("server.polls_max")?
            .unwrap_or(DEFAULT_POLLS_MAX);
        if polls_max < Duration::from_millis(100) || polls_max > Duration::from_secs(60) {
            return Err(r.invalid("server.polls_max", "from 100ms to 60s"));
        }
        let udp_push = r.opt_bool("claims.udp_push")?.unwrap_or(false);
        Ok(ClientProfile {
            trigger,
            ready_timeout,
            host,
            tls,
            polls_max,
            udp_push,
        })
    }
}
