//! The notif-decoder profile: the decoder command and how it is run.

use crate::oms::profile_keys::trigger_dir;
use harness::profile::{ProfileError, ProfileReader};
use harness::TriggerCommand;
use std::time::Duration;

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecoderProfile {
    /// The command; with `lines`, `--lines` is appended to it.
    pub command: TriggerCommand,
    pub lines: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecoderConfig {
    Reference,
    Profile(Box<DecoderProfile>),
}

impl DecoderProfile {
    pub fn read(r: &mut ProfileReader<'_>) -> Result<DecoderProfile, ProfileError> {
        let timeout = r.opt_duration("target.timeout")?.unwrap_or(DEFAULT_TIMEOUT);
        if timeout.is_zero() {
            return Err(r.invalid("target.timeout", "must be longer than 0s"));
        }
        let lines = r.opt_bool("target.decode_lines")?.unwrap_or(false);
        let template = r.req_str("target.decode")?;
        let template = if lines {
            format!("{template} --lines")
        } else {
            template
        };
        // The contract has no placeholders: the buffer travels on stdin.
        let command = TriggerCommand::parse(&template, &[], timeout)
            .map_err(|e| r.invalid("target.decode", e))?
            .in_dir(trigger_dir(r.path()));
        Ok(DecoderProfile { command, lines })
    }
}
