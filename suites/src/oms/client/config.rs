//! The oms-client profile: how oxconf makes the client under test act.

use super::claims;
use crate::oms::profile_keys::Account;
use harness::profile::{ProfileError, ProfileReader};
use harness::TriggerCommand;
use std::collections::BTreeSet;
use std::net::IpAddr;
use std::time::Duration;

/// Placeholders the trigger may use; see the README's trigger contract.
pub const PLACEHOLDERS: &[&str] = &[
    "url",
    "to",
    "text",
    "batch_file",
    "kind",
    "image_file",
    "ca_file",
    "user",
    "password",
];
pub const DEFAULT_TRIGGER_TIMEOUT: Duration = Duration::from_secs(20);

/// Recipients handed to the client when the profile names none; the scripted server accepts
/// any number, so these never reach a phone.
pub const DEFAULT_RECIPIENTS: [&str; 6] = [
    "13800000001",
    "13800000002",
    "13800000003",
    "13800000004",
    "13800000005",
    "13800000006",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientProfile {
    pub trigger: TriggerCommand,
    /// Address the scripted servers bind to (the client must reach it).
    pub host: IpAddr,
    /// Serve every scenario over HTTPS (a client that only speaks https).
    pub tls: bool,
    pub account: Option<Account>,
    pub recipients: Vec<String>,
    pub claims: BTreeSet<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientConfig {
    Reference,
    Profile(Box<ClientProfile>),
}

impl ClientProfile {
    pub fn read(r: &mut ProfileReader<'_>) -> Result<ClientProfile, ProfileError> {
        let timeout = r
            .opt_duration("target.timeout")?
            .unwrap_or(DEFAULT_TRIGGER_TIMEOUT);
        let template = r.req_str("target.trigger")?;
        let trigger = TriggerCommand::parse(&template, PLACEHOLDERS, timeout)
            .map_err(|e| r.invalid("target.trigger", e))?
            .in_dir(crate::oms::profile_keys::trigger_dir(r.path()));
        let host_text = r
            .opt_str("server.host")?
            .unwrap_or_else(|| "127.0.0.1".to_string());
        let host = host_text
            .parse::<IpAddr>()
            .map_err(|e| r.invalid("server.host", format!("`{host_text}`: {e}")))?;
        let tls = r.opt_bool("server.tls")?.unwrap_or(false);
        let account = match (r.opt_str("oms.user")?, r.opt_str("oms.password")?) {
            (Some(user), Some(password)) => Some(Account { user, password }),
            (None, None) => None,
            (Some(_), None) => return Err(r.invalid("oms.user", "needs oms.password too")),
            (None, Some(_)) => return Err(r.invalid("oms.password", "needs oms.user too")),
        };
        let recipients = r
            .opt_str_list("oms.recipients")?
            .unwrap_or_else(|| DEFAULT_RECIPIENTS.iter().map(|s| s.to_string()).collect());
        if recipients.len() < 3 {
            return Err(r.invalid(
                "oms.recipients",
                "list at least 3 numbers (limit scenarios split them)",
            ));
        }
        let mut claims = BTreeSet::new();
        r.allow_table("claims");
        for (key, claim) in [
            ("claims.batch", claims::BATCH),
            ("claims.mms", claims::MMS),
            ("claims.https", claims::HTTPS),
        ] {
            if r.opt_bool(key)?.unwrap_or(false) {
                claims.insert(claim.name.to_string());
            }
        }
        if tls {
            claims.insert(claims::HTTPS.name.to_string());
        }
        if account.is_some() {
            claims.insert(claims::CREDENTIALS.name.to_string());
        }
        Ok(ClientProfile {
            trigger,
            host,
            tls,
            account,
            recipients,
            claims,
        })
    }

    pub fn secrets(&self) -> Vec<String> {
        match &self.account {
            Some(a) => vec![a.user.clone(), a.password.clone()],
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's reference-client trigger must be valid and hand the client the profile's
    /// account, or it fails `request/user-credentials` with the README's own profile.
    #[test]
    fn readme_reference_trigger_passes_the_account() {
        let readme = include_str!("../../../../README.md");
        let line = readme
            .lines()
            .find(|l| l.contains("trigger = \"oxconf mock oms-client"))
            .expect("the README shows the reference client as a trigger");
        let template = line.split('"').nth(1).expect("a quoted trigger template");
        let trigger = TriggerCommand::parse(template, PLACEHOLDERS, DEFAULT_TRIGGER_TIMEOUT)
            .expect("the README's trigger parses");
        let rendered = trigger.render(&[("user", "alice".into()), ("password", "pw".into())]);
        assert!(rendered.contains("--user 'alice'"), "{rendered}");
        assert!(rendered.contains("--password 'pw'"), "{rendered}");
        // An unused placeholder becomes the empty string, quoted.
        assert!(rendered.contains("--batch-file ''"), "{rendered}");
    }

    #[test]
    fn the_trigger_runs_in_the_profile_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("client.toml");
        let text = "suite = \"oms-client\"\n[target]\ntrigger = \"./adapter {url}\"\n";
        let profile = harness::Profile::parse(&path, text).expect("profile parses");
        let mut reader = profile.reader();
        let _ = reader.req_str("suite");
        let p = ClientProfile::read(&mut reader).expect("client profile reads");
        let want = std::path::absolute(dir.path()).expect("absolute");
        assert_eq!(p.trigger.dir(), Some(want.as_path()));
    }
}
