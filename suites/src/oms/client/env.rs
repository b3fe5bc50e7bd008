//! The oms-client environment: the trigger that makes the client act, the CA its scripted
//! servers use, and the files handed to the client ({ca_file}, {image_file}, {batch_file}).

use super::claims;
use super::config::{ClientConfig, ClientProfile, DEFAULT_RECIPIENTS};
use super::contract::{self, BatchFile};
use crate::common::media;
use crate::oms::profile_keys::Account;
use harness::trigger::{split_stdout, Trigger, TriggerRun};
use harness::Prepared;
use mocks::net::TestPki;
use mocks::oms::client::{ClientSettings, Faults, ReferenceClient, VARIANTS};
use std::collections::BTreeSet;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

pub struct ClientEnv {
    pub trigger: Trigger,
    pub account: Option<Account>,
    pub recipients: Vec<String>,
    pub host: IpAddr,
    pub tls_always: bool,
    /// One CA for the whole run, so a client configured once can trust every scripted server.
    pub pki: TestPki,
    pub workdir: tempfile::TempDir,
    pub ca_file: PathBuf,
    pub image_file: PathBuf,
}

fn workdir(pki: &TestPki) -> Result<(tempfile::TempDir, PathBuf, PathBuf), String> {
    let dir = tempfile::Builder::new()
        .prefix("oxconf-oms-client-")
        .tempdir()
        .map_err(|e| format!("cannot create a work directory: {e}"))?;
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &pki.ca_pem).map_err(|e| format!("cannot write the CA file: {e}"))?;
    let image = dir.path().join("image.gif");
    // The image handed to clients for MMS scenarios.
    std::fs::write(&image, media::GIF).map_err(|e| format!("cannot write the image file: {e}"))?;
    Ok((dir, ca, image))
}

fn var<'a>(vars: &'a [(String, String)], name: &str) -> &'a str {
    vars.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// The reference client playing the trigger contract in-process: same inputs, same JSON lines.
fn reference_trigger(client: Arc<ReferenceClient>) -> Trigger {
    Trigger::InProcess {
        name: "reference OMS client".into(),
        run: Arc::new(move |vars: Vec<(String, String)>| {
            let client = Arc::clone(&client);
            Box::pin(async move {
                let started = Instant::now();
                let url = var(&vars, "url").to_string();
                let to: Vec<String> = var(&vars, "to")
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                let text = var(&vars, "text").to_string();
                let result = match var(&vars, "kind") {
                    "batch" => {
                        let path = var(&vars, "batch_file").to_string();
                        match BatchFile::read(Path::new(&path)) {
                            Ok(batch) => client
                                .send_batch(&url, &batch.messages())
                                .await
                                .map_err(|e| e.to_string()),
                            Err(e) => Err(format!("cannot read the batch file {path}: {e}")),
                        }
                    }
                    "mms" => {
                        let image = std::fs::read(var(&vars, "image_file")).unwrap_or_default();
                        client
                            .send_mms(&url, &to, &text, &image)
                            .await
                            .map_err(|e| e.to_string())
                    }
                    _ => client
                        .send_sms(&url, &to, &text)
                        .await
                        .map_err(|e| e.to_string()),
                };
                let mut run = TriggerRun {
                    command: format!("reference OMS client: {} to {url}", var(&vars, "kind")),
                    ..TriggerRun::default()
                };
                match result {
                    Ok(conclusions) => {
                        split_stdout(&contract::lines(&conclusions), &mut run);
                        run.status = Some(0);
                    }
                    Err(e) => {
                        run.stderr = e;
                        run.status = Some(1);
                    }
                }
                run.elapsed = started.elapsed();
                run
            })
        }),
    }
}

pub async fn setup(
    config: ClientConfig,
    setup: harness::Setup,
) -> Result<Prepared, harness::SetupError> {
    let faults = setup.faults;
    let host = match &config {
        ClientConfig::Reference => IpAddr::from([127, 0, 0, 1]),
        ClientConfig::Profile(p) => p.host,
    };
    let host_name = host.to_string();
    let pki =
        TestPki::generate(&["127.0.0.1", "localhost", &host_name]).map_err(|e| e.to_string())?;
    let (dir, ca_file, image_file) = workdir(&pki)?;
    match config {
        ClientConfig::Reference => {
            let account = Account {
                user: "alice".into(),
                password: "alice-client-pw".into(),
            };
            let (variants, faults): (Vec<String>, Vec<String>) = faults
                .into_iter()
                .partition(|n| VARIANTS.iter().any(|v| v.name == n));
            let settings = ClientSettings {
                tls: Some(pki.client_config()),
                faults: Faults::parse(&faults)?,
                renumber_batch_items: variants
                    .iter()
                    .any(|v| v == mocks::oms::client::RENUMBER_BATCH_ITEMS),
                ..ClientSettings::new(&account.user, &account.password)
            };
            let client = Arc::new(ReferenceClient::new(settings));
            let env = ClientEnv {
                trigger: reference_trigger(client),
                account: Some(account.clone()),
                recipients: DEFAULT_RECIPIENTS.iter().map(|s| s.to_string()).collect(),
                host: IpAddr::from([127, 0, 0, 1]),
                tls_always: false,
                pki,
                workdir: dir,
                ca_file,
                image_file,
            };
            Ok(Prepared {
                env: Arc::new(env),
                claims: claims::ALL.iter().map(|c| c.name.to_string()).collect(),
                secrets: vec![account.user, account.password],
                target: "reference OMS client (in-process trigger)".into(),
                notices: Vec::new(),
            })
        }
        ClientConfig::Profile(p) => {
            let p: ClientProfile = *p;
            let secrets = p.secrets();
            let claims: BTreeSet<String> = p.claims.clone();
            let target = format!("client driven by `{}`", p.trigger.template());
            let env = ClientEnv {
                trigger: Trigger::Command(p.trigger),
                account: p.account,
                recipients: p.recipients,
                host: p.host,
                tls_always: p.tls,
                pki,
                workdir: dir,
                ca_file,
                image_file,
            };
            Ok(Prepared {
                env: Arc::new(env),
                claims,
                secrets,
                target,
                notices: Vec::new(),
            })
        }
    }
}
