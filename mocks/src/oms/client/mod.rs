//! The reference MS-OMS client: sends text messages, multimedia messages and batches the way
//! the specification asks a client to, and concludes per logical message whether it was
//! delivered. The oms-server suite uses it as a well-behaved peer; with named faults it is the
//! misbehaving client the oms-client suite must catch.
//!
//! Before the first send to a service it asks GetServiceInfo and keeps the answer per URL, so
//! every request can respect the announced limits; a serviceUpdate in any answer drops the
//! kept answer, so the next send asks again.

mod compose;
mod error;
mod faults;
mod judge;
mod outcome;
mod plan;
mod requests;
mod service;
mod settings;

use wire::oms::{HttpSoap, Operation, ServiceInfo, SmsLimits};

use self::compose::Composer;
use self::judge::Sent;
use self::outcome::{Tally, Verdict};
use self::service::ServiceCache;
use crate::net::HttpClient;
use crate::oms::caller::{Call, OmsCaller};

pub use self::compose::{BACKGROUND, CLIENT_NAME};
pub use self::error::ClientError;
pub use self::faults::{ClientFault, ClientFaults, Faults, FAULTS, RENUMBER_BATCH_ITEMS, VARIANTS};
pub use self::outcome::{Conclusion, TextMessage};
pub use self::requests::{WRONG_DELIVER_ACTION, WRONG_NAMESPACE};
pub use self::settings::ClientSettings;

/// Send + Sync: one client can serve concurrent sends; they share the service cache.
#[derive(Debug)]
pub struct ReferenceClient {
    settings: ClientSettings,
    http: HttpClient,
    cache: ServiceCache,
}

/// Whether any message request of the current send has been answered: until then a transport
/// failure means nothing went out, and the send as a whole fails.
#[derive(Default)]
struct Progress {
    answered: bool,
}

/// One message request of a batch send: which message of the send it belongs to and what it
/// carries.
struct Item {
    message: usize,
    id: u32,
    unit: plan::Unit,
}

impl ReferenceClient {
    pub fn new(settings: ClientSettings) -> ReferenceClient {
        let http = HttpClient::new(settings.tls.clone());
        ReferenceClient {
            settings,
            http,
            cache: ServiceCache::default(),
        }
    }

    pub fn settings(&self) -> &ClientSettings {
        &self.settings
    }

    /// What is cached for `url`, without asking the server.
    pub fn cached_service_info(&self, url: &str) -> Option<ServiceInfo> {
        self.cache.get(url)
    }

    /// One logical text message to several recipients => exactly one outcome (id 0).
    pub async fn send_sms(
        &self,
        url: &str,
        to: &[String],
        text: &str,
    ) -> Result<Vec<Conclusion>, ClientError> {
        self.admit(url)?;
        if to.is_empty() {
            return Err(ClientError::NoRecipients { id: 0 });
        }
        let info = self.service_info(url).await?;
        let limits = sms_limits(&info, url)?;
        let composer = Composer::new(&self.settings);
        let mut progress = Progress::default();
        let mut tally = Tally::new(0, to);
        for unit in plan::sms_units(&limits, to, text, &self.settings.faults) {
            let doc = composer.xms_data(
                Composer::sms_head(&unit.recipients),
                composer.sms_body(&unit.parts),
            );
            let verdict = self
                .deliver(url, &doc, &unit.recipients, false, &mut progress)
                .await?;
            tally.add(&verdict);
        }
        Ok(vec![tally.finish()])
    }

    /// One MMS (a SMIL slide with the image and the text) => one outcome (id 0). Only the
    /// recipient limit of MMS_SENDER can be met by splitting; size and slide limits are the
    /// server's to enforce (sizeLimit, slidesLimit).
    pub async fn send_mms(
        &self,
        url: &str,
        to: &[String],
        text: &str,
        gif: &[u8],
    ) -> Result<Vec<Conclusion>, ClientError> {
        self.admit(url)?;
        if to.is_empty() {
            return Err(ClientError::NoRecipients { id: 0 });
        }
        let info = self.service_info(url).await?;
        let Some(mms) = info.supported_service.mms.as_ref() else {
            return Err(ClientError::ServiceNotOffered {
                url: url.to_owned(),
                service: "MMS_SENDER",
            });
        };
        let composer = Composer::new(&self.settings);
        let body = composer.mms_body(text, gif);
        let mut progress = Progress::default();
        let mut tally = Tally::new(0, to);
        let groups = plan::recipient_groups(
            to,
            mms.max_recipients_per_message,
            self.settings.faults.on(ClientFault::IgnoreMaxRecipients),
        );
        for group in groups {
            let doc = composer.xms_data(Composer::mms_head(&group), body.clone());
            let verdict = self.deliver(url, &doc, &group, true, &mut progress).await?;
            tally.add(&verdict);
        }
        Ok(vec![tally.finish()])
    }

    /// Several text messages => one conclusion per message, in their order (a repeated id gives
    /// repeated conclusions). With batchSize > 0 they travel in DeliverXmsBatch requests of at
    /// most batchSize messages with unique ids (OMS-R144, OMS-R147); otherwise each message is
    /// sent as by `send_sms`. A message cut to the limits becomes several batch messages under
    /// the same id, which therefore land in different batches.
    pub async fn send_batch(
        &self,
        url: &str,
        batch: &[TextMessage],
    ) -> Result<Vec<Conclusion>, ClientError> {
        self.admit(url)?;
        if let Some(m) = batch.iter().find(|m| m.to.is_empty()) {
            return Err(ClientError::NoRecipients { id: m.id });
        }
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let info = self.service_info(url).await?;
        let limits = sms_limits(&info, url)?;
        let faults = &self.settings.faults;
        let mut tallies: Vec<Tally> = batch.iter().map(|m| Tally::new(m.id, &m.to)).collect();
        let items: Vec<Item> = batch
            .iter()
            .enumerate()
            .flat_map(|(message, m)| {
                plan::sms_units(&limits, &m.to, &m.text, faults)
                    .into_iter()
                    .map(move |unit| Item {
                        message,
                        id: m.id,
                        unit,
                    })
            })
            .collect();
        let batch_size = info.batch_size.unwrap_or(0);
        let mut progress = Progress::default();
        if batch_size == 0 && !faults.on(ClientFault::BatchDespiteZero) {
            for item in items {
                let composer = Composer::new(&self.settings);
                let doc = composer.xms_data(
                    Composer::sms_head(&item.unit.recipients),
                    composer.sms_body(&item.unit.parts),
                );
                let verdict = self
                    .deliver(url, &doc, &item.unit.recipients, false, &mut progress)
                    .await?;
                tallies[item.message].add(&verdict);
            }
        } else {
            let cap = if batch_size == 0 || faults.on(ClientFault::IgnoreBatchSize) {
                usize::MAX
            } else {
                usize::try_from(batch_size).unwrap_or(usize::MAX)
            };
            for group in plan::batches(items, cap, |i| i.id) {
                let composer = Composer::new(&self.settings);
                let sent: Vec<Sent> = group
                    .iter()
                    .enumerate()
                    .map(|(position, i)| Sent {
                        id: if faults.on(ClientFault::DuplicateBatchIds) {
                            0
                        } else if self.settings.renumber_batch_items {
                            u32::try_from(position).unwrap_or(u32::MAX)
                        } else {
                            i.id
                        },
                        recipients: i.unit.recipients.clone(),
                    })
                    .collect();
                let doc = composer.batch(
                    group
                        .iter()
                        .zip(&sent)
                        .map(|(i, s)| {
                            (
                                s.id,
                                Composer::sms_head(&i.unit.recipients),
                                composer.sms_body(&i.unit.parts),
                            )
                        })
                        .collect(),
                );
                let verdicts = self.deliver_batch(url, &doc, &sent, &mut progress).await?;
                for (item, verdict) in group.iter().zip(&verdicts) {
                    tallies[item.message].add(verdict);
                }
            }
        }
        Ok(tallies.into_iter().map(Tally::finish).collect())
    }

    /// The cached serviceInfo for `url`, asking GetServiceInfo first when there is none.
    pub async fn service_info(&self, url: &str) -> Result<ServiceInfo, ClientError> {
        if let Some(info) = self.cache.get(url) {
            return Ok(info);
        }
        let soap = requests::get_service_info(self.settings.soap, &self.settings.faults);
        let call = self.post(url, Operation::GetServiceInfo, soap).await;
        let unusable = |reason: String| ClientError::ServiceInfo {
            url: url.to_owned(),
            reason,
        };
        if let Some(error) = call.transport_error() {
            return Err(ClientError::Transport {
                url: url.to_owned(),
                op: Operation::GetServiceInfo,
                error: error.clone(),
            });
        }
        if let Some(fault) = call.fault() {
            return Err(unusable(format!(
                "SOAP fault {}: {}",
                fault.code, fault.reason
            )));
        }
        let status = call.status().unwrap_or(0);
        if !(200..300).contains(&status) {
            return Err(unusable(format!("HTTP status {status}")));
        }
        if let Some(e) = call.unreadable() {
            return Err(unusable(e.to_string()));
        }
        let payload = call.result_payload().unwrap_or_default();
        let info = ServiceInfo::parse(payload)
            .map_err(|e| unusable(e.to_string()))?
            .value;
        self.cache.put(url, info.clone());
        Ok(info)
    }

    fn admit(&self, url: &str) -> Result<(), ClientError> {
        let https = url
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"));
        if https && self.settings.faults.on(ClientFault::HttpsUnsupported) {
            return Err(ClientError::TlsUnsupported {
                url: url.to_owned(),
            });
        }
        Ok(())
    }

    async fn post(&self, url: &str, op: Operation, soap: HttpSoap) -> Call {
        OmsCaller::new(self.http.clone(), url)
            .call_raw(op, self.settings.soap, soap.headers, soap.body)
            .await
    }

    /// Sends a message request; a transport failure before any message request was answered
    /// ends the send.
    async fn post_message(
        &self,
        url: &str,
        op: Operation,
        soap: HttpSoap,
        progress: &mut Progress,
    ) -> Result<Call, ClientError> {
        let call = self.post(url, op, soap).await;
        match call.transport_error() {
            Some(error) if !progress.answered => Err(ClientError::Transport {
                url: url.to_owned(),
                op,
                error: error.clone(),
            }),
            Some(_) => Ok(call),
            None => {
                progress.answered = true;
                Ok(call)
            }
        }
    }

    async fn deliver(
        &self,
        url: &str,
        xms_data: &str,
        recipients: &[String],
        multimedia: bool,
        progress: &mut Progress,
    ) -> Result<Verdict, ClientError> {
        let soap = requests::deliver_xms(
            self.settings.soap,
            &self.settings.faults,
            xms_data,
            multimedia,
        );
        let call = self
            .post_message(url, Operation::DeliverXms, soap, progress)
            .await?;
        let (verdict, service_update) =
            judge::judge_delivery(&call, recipients, &self.settings.faults);
        self.note_service_update(url, service_update);
        Ok(verdict)
    }

    async fn deliver_batch(
        &self,
        url: &str,
        package_xml: &str,
        sent: &[Sent],
        progress: &mut Progress,
    ) -> Result<Vec<Verdict>, ClientError> {
        let soap =
            requests::deliver_xms_batch(self.settings.soap, &self.settings.faults, package_xml);
        let call = self
            .post_message(url, Operation::DeliverXmsBatch, soap, progress)
            .await?;
        let (verdicts, service_update) = judge::judge_batch(&call, sent, &self.settings.faults);
        self.note_service_update(url, service_update);
        Ok(verdicts)
    }

    /// serviceUpdate, in any letter case (E-OMS-06, E-OMS-28): the next send refreshes.
    fn note_service_update(&self, url: &str, service_update: bool) {
        if service_update && !self.settings.faults.on(ClientFault::NoServiceRefresh) {
            self.cache.forget(url);
        }
    }
}

fn sms_limits(info: &ServiceInfo, url: &str) -> Result<SmsLimits, ClientError> {
    info.supported_service
        .sms
        .as_ref()
        .map(|s| s.limits.clone())
        .ok_or_else(|| ClientError::ServiceNotOffered {
            url: url.to_owned(),
            service: "SMS_SENDER",
        })
}
