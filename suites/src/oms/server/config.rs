//! The oms-server profile: what the user tells oxconf about their OMS web service.

use super::claims;
use crate::oms::profile_keys::{opt_account, resolve, trigger_dir, Account};
use harness::profile::{ProfileError, ProfileReader};
use harness::TriggerCommand;
use mocks::net::UserUrl;
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use wire::soap::SoapVersion;

/// Placeholders a reply trigger may use.
pub const REPLY_PLACEHOLDERS: &[&str] = &["recipient", "text", "kind", "user"];
pub const DEFAULT_SMTP_LISTEN: &str = "127.0.0.1:2525";
pub const DEFAULT_TRIGGER_TIMEOUT: Duration = Duration::from_secs(20);
pub const DEFAULT_RESPONSE_TIMEOUT: Duration = Duration::from_secs(8);
/// How long to wait for name resolution, TCP connect and TLS handshake together.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Accounts in particular states, each enabling the scenarios that need it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpecialAccounts {
    pub unregistered: Option<Account>,
    pub expired: Option<Account>,
    pub sms_only: Option<Account>,
    pub low_balance: Option<Account>,
    pub day_limited: Option<Account>,
    pub month_limited: Option<Account>,
    pub ceased: Option<Account>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplySettings {
    pub trigger: TriggerCommand,
    pub smtp_listen: SocketAddr,
    /// The To address the service sends replies to (the account's registered address).
    pub reply_address: String,
    /// Phones that reply; two distinct ones let the unique-From check run.
    pub phones: Vec<String>,
}

/// Everything about the SUT, from a profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerProfile {
    /// `target.url`, parsed once when the profile is read.
    pub url: UserUrl,
    /// The CA to trust, as PEM text (the reference peer's), or...
    pub ca_pem: Option<String>,
    /// ...a file to read it from at setup: a file that cannot be read then is a local problem
    /// (exit 4), not a profile error and not an unreachable SUT.
    pub ca_file: Option<PathBuf>,
    pub insecure: bool,
    pub connect_timeout: Duration,
    pub soap: SoapVersion,
    pub response_timeout: Duration,
    pub account: Account,
    pub recipients: Vec<String>,
    pub invalid_recipient: String,
    pub accounts: SpecialAccounts,
    pub cross_carrier_recipient: Option<String>,
    pub unreachable_recipient: Option<String>,
    pub blocked_text: Option<String>,
    pub reply: Option<ReplySettings>,
    pub service_update_trigger: Option<TriggerCommand>,
    pub claims: BTreeSet<String>,
}

/// Reference peer, or a real SUT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerConfig {
    Reference,
    Profile(Box<ServerProfile>),
}

/// Used when the profile names no invalid recipient: no service can deliver to it.
pub const DEFAULT_INVALID_RECIPIENT: &str = "not-a-phone-number";

impl ServerProfile {
    pub fn read(r: &mut ProfileReader<'_>) -> Result<ServerProfile, ProfileError> {
        let url = r.req_parsed("target.url", UserUrl::parse)?;
        let ca_file = r.opt_str("target.ca_file")?.map(|v| resolve(r.path(), &v));
        let insecure = r.opt_bool("target.insecure")?.unwrap_or(false);
        let soap = match r.opt_str("target.soap")?.as_deref() {
            None | Some("1.1") => SoapVersion::V11,
            Some("1.2") => SoapVersion::V12,
            Some(other) => {
                return Err(r.invalid("target.soap", format!("`{other}`: use \"1.1\" or \"1.2\"")))
            }
        };
        let response_timeout = r
            .opt_duration("target.response_timeout")?
            .unwrap_or(DEFAULT_RESPONSE_TIMEOUT);
        let connect_timeout = r
            .opt_duration("target.connect_timeout")?
            .unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        if connect_timeout.is_zero() {
            return Err(r.invalid("target.connect_timeout", "must be longer than 0s"));
        }

        let user = r.req_str("oms.user")?;
        let password = r.req_str("oms.password")?;
        let recipients = r.req_str_list("oms.recipients")?;
        let invalid_recipient = r
            .opt_str("oms.invalid_recipient")?
            .unwrap_or_else(|| DEFAULT_INVALID_RECIPIENT.to_string());
        let accounts = SpecialAccounts {
            unregistered: opt_account(r, "unregistered", &password)?,
            expired: opt_account(r, "expired", &password)?,
            sms_only: opt_account(r, "sms_only", &password)?,
            low_balance: opt_account(r, "low_balance", &password)?,
            day_limited: opt_account(r, "day_limited", &password)?,
            month_limited: opt_account(r, "month_limited", &password)?,
            ceased: opt_account(r, "ceased", &password)?,
        };
        let cross_carrier_recipient = r.opt_str("oms.cross_carrier_recipient")?;
        let unreachable_recipient = r.opt_str("oms.unreachable_recipient")?;
        let blocked_text = r.opt_str("oms.blocked_text")?;
        let trigger_timeout = r
            .opt_duration("oms.trigger_timeout")?
            .unwrap_or(DEFAULT_TRIGGER_TIMEOUT);

        let reply = match r.opt_str("oms.reply_trigger")? {
            None => {
                for key in ["oms.reply_address", "oms.smtp_listen", "oms.reply_phones"] {
                    if r.has(key) {
                        return Err(r.invalid(key, "only meaningful with oms.reply_trigger"));
                    }
                }
                None
            }
            Some(template) => {
                let trigger = TriggerCommand::parse(&template, REPLY_PLACEHOLDERS, trigger_timeout)
                    .map_err(|e| r.invalid("oms.reply_trigger", e))?
                    .in_dir(trigger_dir(r.path()));
                let listen = r
                    .opt_str("oms.smtp_listen")?
                    .unwrap_or_else(|| DEFAULT_SMTP_LISTEN.to_string());
                let smtp_listen = listen
                    .parse::<SocketAddr>()
                    .map_err(|e| r.invalid("oms.smtp_listen", format!("`{listen}`: {e}")))?;
                let reply_address = r.req_str("oms.reply_address")?;
                let phones = r
                    .opt_str_list("oms.reply_phones")?
                    .unwrap_or_else(|| recipients.clone());
                if phones.is_empty() {
                    return Err(r.invalid("oms.reply_phones", "must not be empty"));
                }
                Some(ReplySettings {
                    trigger,
                    smtp_listen,
                    reply_address,
                    phones,
                })
            }
        };
        let service_update_trigger = match r.opt_str("oms.service_update_trigger")? {
            None => None,
            Some(t) => Some(
                TriggerCommand::parse(&t, &[], trigger_timeout)
                    .map_err(|e| r.invalid("oms.service_update_trigger", e))?
                    .in_dir(trigger_dir(r.path())),
            ),
        };

        let mut claims = BTreeSet::new();
        r.allow_table("claims");
        if r.opt_bool("claims.send_xms")?.unwrap_or(false) {
            claims.insert(claims::SEND_XMS.name.to_string());
        }
        if r.opt_bool("claims.mms_replies")?.unwrap_or(false) {
            if reply.is_none() {
                return Err(r.invalid("claims.mms_replies", "needs oms.reply_trigger"));
            }
            claims.insert(claims::MMS_REPLIES.name.to_string());
        }
        Ok(ServerProfile {
            url,
            ca_pem: None,
            ca_file,
            insecure,
            connect_timeout,
            soap,
            response_timeout,
            account: Account { user, password },
            recipients,
            invalid_recipient,
            accounts,
            cross_carrier_recipient,
            unreachable_recipient,
            blocked_text,
            reply,
            service_update_trigger,
            claims,
        })
    }

    /// Claims implied by what the profile configures, plus the explicit `[claims]`.
    pub fn all_claims(&self) -> BTreeSet<String> {
        let mut c = self.claims.clone();
        let mut add = |cond: bool, claim: harness::Claim| {
            if cond {
                c.insert(claim.name.to_string());
            }
        };
        add(self.url.is_https(), claims::HTTPS);
        add(self.reply.is_some(), claims::REPLIES);
        add(
            self.service_update_trigger.is_some(),
            claims::SERVICE_UPDATE,
        );
        let a = &self.accounts;
        add(a.unregistered.is_some(), claims::UNREGISTERED_USER);
        add(a.expired.is_some(), claims::EXPIRED_USER);
        add(a.sms_only.is_some(), claims::SMS_ONLY_USER);
        add(a.low_balance.is_some(), claims::LOW_BALANCE_USER);
        add(a.day_limited.is_some(), claims::DAY_LIMITED_USER);
        add(a.month_limited.is_some(), claims::MONTH_LIMITED_USER);
        add(a.ceased.is_some(), claims::CEASED_USER);
        add(
            self.cross_carrier_recipient.is_some(),
            claims::CROSS_CARRIER,
        );
        add(self.unreachable_recipient.is_some(), claims::UNREACHABLE);
        add(self.blocked_text.is_some(), claims::BLOCKED_TEXT);
        c
    }

    /// Values redacted everywhere: every user id and password the profile names.
    pub fn secrets(&self) -> Vec<String> {
        let mut out = vec![self.account.user.clone(), self.account.password.clone()];
        let a = &self.accounts;
        for acc in [
            &a.unregistered,
            &a.expired,
            &a.sms_only,
            &a.low_balance,
            &a.day_limited,
            &a.month_limited,
            &a.ceased,
        ]
        .into_iter()
        .flatten()
        {
            out.push(acc.user.clone());
            out.push(acc.password.clone());
        }
        out
    }
}
