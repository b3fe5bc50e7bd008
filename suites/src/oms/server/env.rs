//! The oms-server environment: how scenarios reach the SUT, and the peers that the SUT reaches
//! (the SMTP sink for phone replies).

use super::claims;
use super::config::{
    ServerConfig, ServerProfile, SpecialAccounts, DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT,
};
use crate::common::http::{sut_client, Trust};
use crate::oms::profile_keys::Account;
use harness::trigger::{Trigger, TriggerRun};
use harness::{Prepared, SetupError};
use mocks::net::HttpClient;
use mocks::net::UserUrl;
use mocks::oms::server::{
    reference, Faults, MockOmsServer, ReplyKind, ReplyRequest, ServerConfig as MockConfig,
    StartOptions,
};
use mocks::oms::OmsCaller;
use mocks::smtp::{SinkConfig, SmtpSink};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use wire::soap::SoapVersion;

/// Where phone replies arrive and how to provoke them.
pub struct Replies {
    pub trigger: Trigger,
    pub sink: SmtpSink,
    pub reply_address: String,
    pub phones: Vec<String>,
}

pub struct ServerEnv {
    pub caller: OmsCaller,
    pub soap: SoapVersion,
    pub account: Account,
    pub recipients: Vec<String>,
    pub invalid_recipient: String,
    pub accounts: SpecialAccounts,
    pub cross_carrier_recipient: Option<String>,
    pub unreachable_recipient: Option<String>,
    pub blocked_text: Option<String>,
    pub replies: Option<Replies>,
    pub service_update: Option<Trigger>,
    pub is_https: bool,
    /// `target.insecure`: certificates are not verified, so no scenario may judge them.
    pub insecure: bool,
    /// Set when the preflight found the profile's own account refused: the hint that makes the
    /// scenarios needing that account inconclusive.
    pub account_refused: Option<String>,
    /// The built-in reference peer, when no profile was given; dropping the env stops it.
    pub reference: Option<Arc<MockOmsServer>>,
}

fn account(user: &str) -> Account {
    Account {
        user: user.to_string(),
        password: reference::password_of(user),
    }
}

/// The reference peer's own URL, typed like a profile's.
fn reference_url(url: &str) -> Result<UserUrl, SetupError> {
    UserUrl::parse(url)
        .map_err(|e| SetupError::Other(format!("the reference peer's URL {url:?}: {e}")))
}

/// The reference peer as if a user had written a profile for it.
pub fn reference_profile(url: UserUrl) -> ServerProfile {
    ServerProfile {
        url,
        ca_pem: None,
        ca_file: None,
        insecure: false,
        connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        soap: SoapVersion::V11,
        response_timeout: DEFAULT_RESPONSE_TIMEOUT,
        account: Account {
            user: reference::USER.to_string(),
            password: reference::PASSWORD.to_string(),
        },
        recipients: reference::RECIPIENTS
            .iter()
            .map(|s| s.to_string())
            .collect(),
        invalid_recipient: reference::INVALID_RECIPIENT.to_string(),
        accounts: SpecialAccounts {
            unregistered: Some(account(reference::UNREGISTERED_USER)),
            expired: Some(account(reference::EXPIRED_USER)),
            sms_only: Some(account(reference::SMS_ONLY_USER)),
            low_balance: Some(account(reference::LOW_BALANCE_USER)),
            day_limited: Some(account(reference::DAY_LIMITED_USER)),
            month_limited: Some(account(reference::MONTH_LIMITED_USER)),
            ceased: Some(account(reference::CEASED_USER)),
        },
        cross_carrier_recipient: Some(reference::CROSS_CARRIER_RECIPIENT.to_string()),
        unreachable_recipient: Some(reference::UNREACHABLE_RECIPIENT.to_string()),
        blocked_text: Some(reference::BLOCKED_TEXT.to_string()),
        reply: None,
        service_update_trigger: None,
        claims: claims::ALL.iter().map(|c| c.name.to_string()).collect(),
    }
}

/// The HTTP client for the SUT (`target.ca_file` is read here).
fn http_client(p: &ServerProfile) -> Result<HttpClient, SetupError> {
    sut_client(
        p.url.is_https(),
        Trust {
            ca_pem: p.ca_pem.as_deref(),
            ca_file: p.ca_file.as_deref(),
            insecure: p.insecure,
            key: "target.ca_file",
        },
        p.connect_timeout,
        p.response_timeout,
    )
}

/// Opens the SMTP sink; a listen address that is taken is a local problem (exit 4).
async fn start_sink(listen: SocketAddr, address: &str) -> Result<SmtpSink, SetupError> {
    SmtpSink::start(SinkConfig {
        listen,
        ..SinkConfig::new(vec![address.to_string()])
    })
    .await
    .map_err(|e| {
        SetupError::Local(format!(
            "cannot listen for SMTP replies on {listen} (oms.smtp_listen): {e}"
        ))
    })
}

/// An in-process trigger that asks the reference peer for a phone reply.
fn reply_trigger(server: Arc<MockOmsServer>) -> Trigger {
    Trigger::InProcess {
        name: "reference peer: emit phone reply".into(),
        run: Arc::new(move |vars: Vec<(String, String)>| {
            let server = Arc::clone(&server);
            Box::pin(async move {
                let get = |k: &str| {
                    vars.iter()
                        .find(|(n, _)| n == k)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                };
                let started = Instant::now();
                let kind = match get("kind").as_str() {
                    "mms" => ReplyKind::Mms,
                    "mms-nosmil" => ReplyKind::MmsNoSmil,
                    _ => ReplyKind::Sms,
                };
                let user = Some(get("user")).filter(|u| !u.is_empty());
                let result = server
                    .emit_reply(ReplyRequest {
                        user,
                        phone: get("recipient"),
                        text: get("text"),
                        kind,
                    })
                    .await;
                let mut run = TriggerRun {
                    command: format!(
                        "reference peer: emit {} reply from {}",
                        get("kind"),
                        get("recipient")
                    ),
                    elapsed: started.elapsed(),
                    ..TriggerRun::default()
                };
                match result {
                    Ok(dialogue) => {
                        run.status = Some(0);
                        run.stderr = dialogue;
                    }
                    Err(e) => {
                        run.status = Some(1);
                        run.stderr = e;
                    }
                }
                run
            })
        }),
    }
}

fn service_update_trigger(server: Arc<MockOmsServer>) -> Trigger {
    Trigger::InProcess {
        name: "reference peer: change service information".into(),
        run: Arc::new(move |_vars| {
            let server = Arc::clone(&server);
            Box::pin(async move {
                server.bump_service_info();
                TriggerRun {
                    command: "reference peer: change service information".into(),
                    status: Some(0),
                    elapsed: Duration::ZERO,
                    ..TriggerRun::default()
                }
            })
        }),
    }
}

impl ServerEnv {
    /// For a scenario that changes the reference peer's state (the service information): a
    /// private reference peer with the same faults and variants, so that the change is not
    /// seen by the scenarios running at the same time. `None` against a real SUT, whose state
    /// the profile's trigger changes for everyone.
    pub async fn private_reference(&self) -> Result<Option<ServerEnv>, String> {
        let Some(shared) = &self.reference else {
            return Ok(None);
        };
        let server = MockOmsServer::start(
            MockConfig::reference(),
            shared.faults().clone(),
            StartOptions {
                listen: SocketAddr::from(([127, 0, 0, 1], 0)),
                tls: false,
                smtp_relay: None,
            },
        )
        .await?;
        let server = Arc::new(server);
        let p = reference_profile(reference_url(&server.url()).map_err(|e| e.to_string())?);
        let http = http_client(&p).map_err(|e| e.to_string())?;
        let trigger = service_update_trigger(Arc::clone(&server));
        Ok(Some(env_from(&p, http, None, Some(trigger), Some(server))))
    }
}

fn env_from(
    p: &ServerProfile,
    http: HttpClient,
    replies: Option<Replies>,
    service_update: Option<Trigger>,
    reference: Option<Arc<MockOmsServer>>,
) -> ServerEnv {
    ServerEnv {
        caller: OmsCaller::new(http, p.url.to_string()),
        soap: p.soap,
        account: p.account.clone(),
        recipients: p.recipients.clone(),
        invalid_recipient: p.invalid_recipient.clone(),
        accounts: p.accounts.clone(),
        cross_carrier_recipient: p.cross_carrier_recipient.clone(),
        unreachable_recipient: p.unreachable_recipient.clone(),
        blocked_text: p.blocked_text.clone(),
        replies,
        service_update,
        is_https: p.url.is_https(),
        insecure: p.insecure && p.url.is_https(),
        account_refused: None,
        reference,
    }
}

/// The run-wide warning `target.insecure` puts in the report.
pub const INSECURE_NOTICE: &str =
    "target.insecure: certificates are not verified; certificate scenarios are inconclusive";

fn prepared(p: &ServerProfile, env: ServerEnv, target: String) -> Prepared {
    let claims: BTreeSet<String> = p.all_claims();
    let mut notices = Vec::new();
    if env.insecure {
        notices.push(INSECURE_NOTICE.to_string());
    }
    if let Some(hint) = &env.account_refused {
        notices.push(hint.clone());
    }
    Prepared {
        env: Arc::new(env),
        claims,
        secrets: p.secrets(),
        target,
        notices,
    }
}

/// Starts the reference peer (HTTPS, with `faults`) and an SMTP sink for its replies.
pub async fn setup_reference(faults: Vec<String>) -> Result<Prepared, harness::SetupError> {
    let faults = Faults::parse(&faults).map_err(SetupError::Other)?;
    let sink = start_sink(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        reference::REPLY_ADDRESS,
    )
    .await?;
    let server = MockOmsServer::start(
        MockConfig::reference(),
        faults,
        StartOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            tls: true,
            smtp_relay: Some(sink.local_addr()),
        },
    )
    .await
    .map_err(|e| SetupError::Local(format!("cannot start the reference OMS server: {e}")))?;
    let server = Arc::new(server);
    let mut p = reference_profile(reference_url(&server.url())?);
    p.ca_pem = server.ca_pem().map(str::to_string);
    let http = http_client(&p)?;
    let replies = Replies {
        trigger: reply_trigger(Arc::clone(&server)),
        sink,
        reply_address: reference::REPLY_ADDRESS.to_string(),
        phones: p.recipients.clone(),
    };
    let target = format!("reference OMS server at {}", server.url());
    let env = env_from(
        &p,
        http,
        Some(replies),
        Some(service_update_trigger(Arc::clone(&server))),
        Some(server),
    );
    Ok(prepared(&p, env, target))
}

/// Reads the CA, runs the preflight against the SUT described by a profile (one GetServiceInfo,
/// one GetUserInfo: see `preflight`) and opens the SMTP sink.
pub async fn setup_profile(p: ServerProfile) -> Result<Prepared, harness::SetupError> {
    let http = http_client(&p)?;
    let replies = match &p.reply {
        None => None,
        Some(r) => Some(Replies {
            trigger: Trigger::Command(r.trigger.clone()),
            sink: start_sink(r.smtp_listen, &r.reply_address).await?,
            reply_address: r.reply_address.clone(),
            phones: r.phones.clone(),
        }),
    };
    // Local problems first (exit 4), then the SUT.
    let caller = OmsCaller::new(http.clone(), p.url.to_string());
    let xms_user = wire::oms::XmsUser {
        client: Some("oxconf".into()),
        user_id: Some(p.account.user.clone()),
        password: Some(p.account.password.clone()),
        custom_data: None,
    };
    let account_refused =
        super::preflight::run(&p.url, &caller, p.soap, &xms_user, p.connect_timeout)
            .await
            .map_err(SetupError::Unreachable)?;
    let service_update = p
        .service_update_trigger
        .as_ref()
        .map(|t| Trigger::Command(t.clone()));
    let target = p.url.to_string();
    let mut env = env_from(&p, http, replies, service_update, None);
    env.account_refused = account_refused;
    Ok(prepared(&p, env, target))
}

pub async fn setup(
    config: ServerConfig,
    setup: harness::Setup,
) -> Result<Prepared, harness::SetupError> {
    let faults = setup.faults;
    match config {
        ServerConfig::Reference => setup_reference(faults).await,
        ServerConfig::Profile(p) => setup_profile(*p).await,
    }
}
