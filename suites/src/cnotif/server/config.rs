//! The notif-server profile: the mailbox endpoint, the account, the mailbox DN and the folder
//! events are caused in.

use crate::oms::profile_keys::resolve;
use harness::profile::{ProfileError, ProfileReader};
use mocks::net::UserUrl;
use std::path::PathBuf;
use std::time::Duration;

pub const DEFAULT_RESPONSE_TIMEOUT: Duration = Duration::from_secs(15);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The special folders a profile may name, with their index in RopLogon's FolderIds.
pub const FOLDERS: &[(&str, usize)] = &[("inbox", 4), ("outbox", 5), ("sent", 6), ("deleted", 7)];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotifProfile {
    pub url: UserUrl,
    pub ca_pem: Option<String>,
    pub ca_file: Option<PathBuf>,
    pub user: String,
    pub password: String,
    pub mailbox_dn: String,
    /// Index in RopLogon's FolderIds of the folder events are caused in.
    pub folder: usize,
    pub connect_timeout: Duration,
    pub response_timeout: Duration,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotifConfig {
    Reference,
    Profile(Box<NotifProfile>),
}

impl NotifProfile {
    pub fn read(r: &mut ProfileReader<'_>) -> Result<NotifProfile, ProfileError> {
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
        if response_timeout.is_zero() || connect_timeout.is_zero() {
            return Err(r.invalid("target.response_timeout", "timeouts must be longer than 0s"));
        }
        let mailbox_dn = r.req_str("notif.mailbox_dn")?;
        if mailbox_dn.is_empty() || !mailbox_dn.is_ascii() || mailbox_dn.contains('\0') {
            return Err(r.invalid(
                "notif.mailbox_dn",
                "an ESSDN in ASCII, e.g. /o=Example/ou=Exchange Administrative Group/cn=Recipients/cn=alice",
            ));
        }
        let folder_name = r.opt_str("notif.folder")?.unwrap_or_else(|| "inbox".into());
        let Some(&(_, folder)) = FOLDERS.iter().find(|(n, _)| *n == folder_name) else {
            return Err(r.invalid(
                "notif.folder",
                format!(
                    "`{folder_name}`: one of {}",
                    FOLDERS
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        Ok(NotifProfile {
            url,
            ca_pem: None,
            ca_file,
            user,
            password,
            mailbox_dn,
            folder,
            connect_timeout,
            response_timeout,
        })
    }

    pub fn secrets(&self) -> Vec<String> {
        vec![self.password.clone()]
    }
}
