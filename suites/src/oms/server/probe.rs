//! The scenario-side view of an OMS server under test: typed operations that record the
//! exchange and every finding as they go, message builders with the profile's account and
//! recipients, and checks that recur across scenarios.
//!
//! Transport failures split two ways: an unreachable SUT (refused, TLS, bad URL) makes the
//! scenario inconclusive; a SUT that answers badly (hangs, resets, garbage) fails it.

use super::env::ServerEnv;
use crate::oms::evidence::{record_exchange, record_findings};
use harness::{Cx, Level, Stop};
use mocks::oms::Call;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use wire::oms::{
    codes, Content, DeliveryError, Operation, ServiceInfo, User, UserInfo, XmsBatch, XmsBody,
    XmsData, XmsDataInBatch, XmsHead, XmsResponse, XmsResponses, XmsUser,
};
use wire::soap::SoapVersion;
use wire::Parsed;

/// Requirement ids for "the SOAP layer of a response is readable and well-formed".
const SOAP_REQS: &[&str] = &["OMS-R004", "OMS-R155"];

pub struct Oms {
    pub cx: Cx,
    pub env: Arc<ServerEnv>,
    seq: AtomicU32,
}

impl Oms {
    pub fn new(cx: &Cx) -> Result<Oms, Stop> {
        Ok(Oms {
            env: cx.env::<ServerEnv>()?,
            cx: cx.clone(),
            seq: AtomicU32::new(0),
        })
    }

    /// The SOAP version scenarios use unless they test the bindings.
    pub fn soap(&self) -> SoapVersion {
        self.env.soap
    }

    /// A short token unique to this scenario and call, to recognise our own messages (for
    /// example reply mails) among those of scenarios running at the same time.
    pub fn nonce(&self) -> String {
        let mut h: u32 = 2166136261;
        for b in self.cx.id().bytes() {
            h = (h ^ b as u32).wrapping_mul(16777619);
        }
        let n = self.seq.fetch_add(1, Ordering::Relaxed);
        format!("{:06x}{n}", h & 0xff_ffff)
    }

    // --- raw calls ----------------------------------------------------------------------------

    /// Calls `op`, recording the exchange. Unreachable => inconclusive; no usable HTTP response
    /// (timeout, reset, oversized, not HTTP) => a failed check.
    pub async fn call(
        &self,
        op: Operation,
        version: SoapVersion,
        payload: Option<&str>,
    ) -> Result<Call, Stop> {
        let call = self.env.caller.call(op, version, payload).await;
        self.settle(call)
    }

    /// Sends exactly `headers` and `body`, reading the answer as a response to `op`.
    pub async fn call_raw(
        &self,
        op: Operation,
        version: SoapVersion,
        headers: Vec<(String, String)>,
        body: String,
    ) -> Result<Call, Stop> {
        let call = self.env.caller.call_raw(op, version, headers, body).await;
        self.settle(call)
    }

    fn settle(&self, call: Call) -> Result<Call, Stop> {
        let title = format!("{} ({})", call.op.name(), call.version.label());
        record_exchange(&self.cx, &title, &call.exchange);
        match call.transport_error() {
            None => Ok(call),
            Some(e) if e.unreachable() => Err(Stop::inconclusive(format!(
                "the SUT could not be reached at {}: {e}",
                self.env.caller.url
            ))),
            Some(e) => Err(self.cx.cite(SOAP_REQS.iter().copied()).fail(
                &format!("HTTP response to {}", call.op.name()),
                "a complete HTTP response",
                e.to_string(),
            )),
        }
    }

    /// The SOAP layer must be readable; its findings are recorded. Returns the result payload,
    /// or fails when the answer is a fault or unreadable.
    pub fn expect_result(&self, call: &Call) -> Result<String, Stop> {
        let what = format!("{} response", call.op.name());
        match &call.parsed {
            None => Err(Stop::error("no response to read")),
            Some(Err(e)) => Err(self.cx.cite(SOAP_REQS.iter().copied()).fail(
                &format!("{what} readable"),
                "a well-formed SOAP envelope",
                e.to_string(),
            )),
            Some(Ok(resp)) => {
                record_findings(&self.cx, &format!("{what} envelope"), &resp.findings, SOAP_REQS)?;
                match call.result_payload() {
                    Some(p) => Ok(p.to_string()),
                    None => {
                        let fault = call
                            .fault()
                            .map(|f| format!("SOAP fault {}: {}", f.code, f.reason))
                            .unwrap_or_else(|| "no result".into());
                        Err(self.cx.cite(["OMS-R107", "OMS-R103"]).fail(
                            &format!("{} answered", call.op.name()),
                            format!("{}Response with a result", call.op.name()),
                            fault,
                        ))
                    }
                }
            }
        }
    }

    /// Parses a payload layer, recording its findings against `reqs`.
    pub fn read_payload<T>(
        &self,
        what: &str,
        payload: &str,
        parse: impl Fn(&str) -> Result<Parsed<T>, wire::LayerError>,
        reqs: &[&str],
    ) -> Result<T, Stop> {
        match parse(payload) {
            Err(e) => Err(self
                .cx
                .cite(reqs.iter().copied())
                .fail(&format!("{what} readable"), "a well-formed document", e.to_string())),
            Ok(parsed) => {
                record_findings(&self.cx, what, &parsed.findings, reqs)?;
                Ok(parsed.value)
            }
        }
    }

    // --- typed operations ---------------------------------------------------------------------

    /// GetServiceInfo with every payload finding recorded (the service-info scenarios).
    pub async fn service_info(&self) -> Result<ServiceInfo, Stop> {
        let call = self
            .call(Operation::GetServiceInfo, self.soap(), None)
            .await?;
        let payload = self.expect_result(&call)?;
        self.read_payload(
            "serviceInfo",
            &payload,
            ServiceInfo::parse,
            &["OMS-R109", "OMS-R110"],
        )
    }

    /// GetServiceInfo read but not judged: value and findings, for scenarios that check one
    /// aspect (`record_findings_for`) or only need the limits.
    pub async fn service_info_parsed(&self) -> Result<Parsed<ServiceInfo>, Stop> {
        let call = self
            .call(Operation::GetServiceInfo, self.soap(), None)
            .await?;
        let payload = self.expect_result(&call)?;
        ServiceInfo::parse(&payload).map_err(|e| {
            Stop::inconclusive(format!(
                "the service information this scenario depends on is unreadable ({e}); \
                 see oms-server/service-info/schema"
            ))
        })
    }

    /// The advertised limits a scenario builds its messages from. Findings are only noted:
    /// judging them is the service-info scenarios' job.
    pub async fn limits(&self) -> Result<ServiceInfo, Stop> {
        let parsed = self.service_info_parsed().await?;
        let violations = parsed.violations().count();
        if violations > 0 {
            self.cx.note(format!(
                "serviceInfo has {violations} schema violation(s), judged by the service-info scenarios"
            ));
        }
        Ok(parsed.value)
    }

    /// Records only the findings citing one of `reqs`; a clean pass check when there are none.
    pub fn record_findings_for(
        &self,
        what: &str,
        findings: &[wire::Finding],
        reqs: &[&str],
    ) -> Result<(), Stop> {
        let relevant: Vec<wire::Finding> = findings
            .iter()
            .filter(|f| f.requirement.is_some_and(|r| reqs.contains(&r)))
            .cloned()
            .collect();
        record_findings(&self.cx, what, &relevant, reqs)
    }

    pub async fn user_info(&self, user: &XmsUser) -> Result<UserInfo, Stop> {
        let call = self
            .call(Operation::GetUserInfo, self.soap(), Some(&user.to_xml()))
            .await?;
        let payload = self.expect_result(&call)?;
        self.read_payload("userInfo", &payload, UserInfo::parse, &["OMS-R127", "OMS-R128"])
    }

    /// DeliverXms with a typed message.
    pub async fn deliver(&self, data: &XmsData) -> Result<XmsResponse, Stop> {
        self.deliver_payload(Operation::DeliverXms, &data.to_xml())
            .await
    }

    /// DeliverXms or SendXms with any payload text (malformed ones included).
    pub async fn deliver_payload(&self, op: Operation, payload: &str) -> Result<XmsResponse, Stop> {
        let call = self.call(op, self.soap(), Some(payload)).await?;
        self.xms_response(&call)
    }

    pub fn xms_response(&self, call: &Call) -> Result<XmsResponse, Stop> {
        let payload = self.expect_result(call)?;
        self.read_payload(
            "xmsResponse",
            &payload,
            XmsResponse::parse,
            &["OMS-R140", "OMS-R094", "OMS-R033"],
        )
    }

    pub async fn deliver_batch(&self, batch: &XmsBatch) -> Result<XmsResponses, Stop> {
        let call = self
            .call(Operation::DeliverXmsBatch, self.soap(), Some(&batch.to_xml()))
            .await?;
        self.xms_responses(&call)
    }

    pub fn xms_responses(&self, call: &Call) -> Result<XmsResponses, Stop> {
        let payload = self.expect_result(call)?;
        self.read_payload(
            "xmsResponses",
            &payload,
            XmsResponses::parse,
            &["OMS-R145"],
        )
    }

    // --- builders -----------------------------------------------------------------------------

    /// The profile's main account as a tUser.
    pub fn user(&self) -> User {
        User {
            user_id: Some(self.env.account.user.clone()),
            password: Some(self.env.account.password.clone()),
            reply_phone: None,
            custom_data: None,
        }
    }

    pub fn user_as(&self, account: &crate::oms::profile_keys::Account) -> User {
        User {
            user_id: Some(account.user.clone()),
            password: Some(account.password.clone()),
            reply_phone: None,
            custom_data: None,
        }
    }

    pub fn xms_user(&self) -> XmsUser {
        XmsUser {
            client: Some("oxconf".into()),
            user_id: Some(self.env.account.user.clone()),
            password: Some(self.env.account.password.clone()),
            custom_data: None,
        }
    }

    /// The profile's first `n` recipients, cycling when the profile lists fewer.
    pub fn recipients(&self, n: usize) -> Vec<String> {
        let list = &self.env.recipients;
        (0..n).map(|i| list[i % list.len()].clone()).collect()
    }

    pub fn text_content(&self, index: usize, text: &str) -> Content {
        Content {
            content_type: "text/plain".into(),
            content_id: format!("{index}.txt@{}", self.nonce()),
            content_location: format!("{index}.txt"),
            text: text.to_string(),
        }
    }

    /// A text message from the main account.
    pub fn sms(&self, to: &[String], text: &str) -> XmsData {
        self.sms_parts(to, &[text])
    }

    /// A text message with one content element per part (MS-OMS 2.2.4.16).
    pub fn sms_parts(&self, to: &[String], parts: &[&str]) -> XmsData {
        XmsData {
            client: Some("oxconf".into()),
            user: Some(self.user()),
            head: Some(XmsHead {
                required_service: Some("SMS_SENDER".into()),
                to: to.to_vec(),
                ..XmsHead::default()
            }),
            body: XmsBody {
                format: "SMS".into(),
                slides: None,
                contents: parts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| self.text_content(i, t))
                    .collect(),
            },
        }
    }

    /// A batch of text messages, one per (id, recipients, text).
    pub fn sms_batch(&self, items: &[(u32, Vec<String>, String)]) -> XmsBatch {
        XmsBatch {
            client: Some("oxconf".into()),
            items: items
                .iter()
                .map(|(id, to, text)| {
                    let d = self.sms(to, text);
                    XmsDataInBatch {
                        id: *id,
                        user: d.user,
                        head: d.head,
                        body: d.body,
                    }
                })
                .collect(),
        }
    }

    // --- recurring checks ---------------------------------------------------------------------

    /// The first error element with `code` (exact spelling), or a failed check listing what
    /// came instead.
    pub fn expect_code<'r>(
        &self,
        what: &str,
        errors: &'r [DeliveryError],
        code: &str,
    ) -> Result<&'r DeliveryError, Stop> {
        let found = errors.iter().find(|e| e.code.as_deref() == Some(code));
        let seen = codes_of(errors);
        self.cx
            .expect(what, found.is_some(), format!("an error element with code {code:?}"), seen)?;
        found.ok_or(Stop::Failed)
    }

    /// At least one error element with severity "failure": the message was not delivered.
    pub fn expect_failure(&self, what: &str, errors: &[DeliveryError]) -> Result<(), Stop> {
        let failed = errors
            .iter()
            .any(|e| e.severity.as_deref() == Some(codes::FAILURE));
        self.cx.cite(["OMS-R037"]).expect(
            what,
            failed,
            "an error element with severity \"failure\"",
            codes_of(errors),
        )
    }

    /// Delivered: an "ok"/"neutral" element and no failure.
    pub fn expect_delivered(&self, what: &str, errors: &[DeliveryError]) -> Result<(), Stop> {
        let ok = errors.iter().any(|e| {
            e.code.as_deref() == Some(codes::OK) && e.severity.as_deref() == Some(codes::NEUTRAL)
        });
        let failed = errors
            .iter()
            .any(|e| e.severity.as_deref() == Some(codes::FAILURE));
        self.cx.cite(["OMS-R036"]).expect(
            what,
            ok && !failed,
            "code \"ok\" with severity \"neutral\" and no failure",
            codes_of(errors),
        )
    }

    /// Code/severity/content pairing rules of MS-OMS 2.2.4.4 on every element.
    pub fn expect_pairing(&self, what: &str, errors: &[DeliveryError]) -> Result<(), Stop> {
        record_findings(
            &self.cx,
            what,
            &wire::oms::pairing_findings(errors),
            &["OMS-R036", "OMS-R037"],
        )
    }

    /// Records a MAY-level observation.
    pub fn observe(&self, what: &str, observed: impl AsRef<str>) {
        self.cx.at_level(Level::May).info(what, observed);
    }
}

/// "code/severity" of every error element, for the actual side of checks.
pub fn codes_of(errors: &[DeliveryError]) -> String {
    if errors.is_empty() {
        return "no error element".into();
    }
    errors
        .iter()
        .map(|e| {
            let mut s = format!(
                "{}/{}",
                e.code.as_deref().unwrap_or("(no code)"),
                e.severity.as_deref().unwrap_or("(no severity)")
            );
            if let Some(c) = &e.content {
                s.push_str(&format!(" content {c:?}"));
            }
            if let Some(r) = &e.recipient_list {
                s.push_str(&format!(" recipients {r:?}"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}
