//! The scenario-side view of an OMS server under test: typed operations that record the
//! exchange and every finding as they go, message builders with the profile's account and
//! recipients, and checks that recur across scenarios.
//!
//! Transport failures split two ways: a failure to establish the connection (bad URL, a name
//! that does not resolve, refused, connect or TLS handshake failed or timed out) makes the
//! scenario inconclusive; a SUT that accepted the request and then answers badly (hangs, resets,
//! garbage) fails it.

use super::env::ServerEnv;
use crate::common::catalogue::level_of;
use crate::common::findings::{self, record_findings};
use crate::common::http::{self, record_exchange};
use crate::common::nonce::Nonces;
use harness::{Cx, Level, Stop};
use mocks::oms::Call;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use wire::oms::{
    codes, Content, DeliveryError, Operation, ServiceInfo, User, UserInfo, XmsBatch, XmsBody,
    XmsData, XmsDataInBatch, XmsHead, XmsResponse, XmsResponses, XmsUser,
};
use wire::soap::SoapVersion;
use wire::Parsed;
// For the DeliverXms and account scenarios' builders.
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use wire::oms::smil::{cid, FIT_SLICE, REGION_IMAGE, REGION_TEXT};
use wire::oms::{Audio, Img, Layout, Meta, MmsSlides, Par, Region, RootLayout, SmilHead, Text};

/// Requirement ids for "the SOAP layer of a response is readable and well-formed".
const SOAP_REQS: &[&str] = &["OMS-R004", "OMS-R155"];

pub struct Oms {
    pub cx: Cx,
    pub env: Arc<ServerEnv>,
    nonces: Nonces,
    /// Set once a request was built with the profile's own account (`user`, `xms_user`).
    uses_account: AtomicBool,
}

impl Oms {
    pub fn new(cx: &Cx) -> Result<Oms, Stop> {
        Ok(Oms {
            env: cx.env::<ServerEnv>()?,
            cx: cx.clone(),
            nonces: Nonces::new(),
            uses_account: AtomicBool::new(false),
        })
    }

    /// The helpers over another environment (a private reference peer, see
    /// `ServerEnv::private_reference`).
    pub fn with_env(cx: &Cx, env: Arc<ServerEnv>) -> Oms {
        Oms {
            env,
            cx: cx.clone(),
            nonces: Nonces::new(),
            uses_account: AtomicBool::new(false),
        }
    }

    /// The SOAP version scenarios use unless they test the bindings.
    pub fn soap(&self) -> SoapVersion {
        self.env.soap
    }

    /// A short token unique to this scenario and call, to recognise our own messages (for
    /// example reply mails) among those of scenarios running at the same time.
    pub fn nonce(&self) -> String {
        self.nonces.next(self.cx.id())
    }

    /// Checks for the protocol's basic obligations (a response arrives, it is readable): binding
    /// whatever the scenario's own level, so a SHOULD-level scenario still fails, rather than
    /// errs, against a SUT that resets or sends garbage.
    fn binding(&self, reqs: &[&str]) -> harness::Checks<'_> {
        self.cx.cite(reqs.iter().copied()).level(Level::Must)
    }

    // --- raw calls ----------------------------------------------------------------------------

    /// A request built with the profile's own account cannot be judged when the preflight found
    /// that account refused: the scenario is inconclusive, naming the keys to check.
    pub fn account_usable(&self) -> Result<(), Stop> {
        match &self.env.account_refused {
            Some(hint) if self.uses_account.load(Ordering::Relaxed) => {
                Err(Stop::inconclusive(hint.clone()))
            }
            _ => Ok(()),
        }
    }

    /// Calls `op`, recording the exchange. Unreachable => inconclusive; no usable HTTP response
    /// (timeout, reset, oversized, not HTTP) => a failed check.
    pub async fn call(
        &self,
        op: Operation,
        version: SoapVersion,
        payload: Option<&str>,
    ) -> Result<Call, Stop> {
        self.account_usable()?;
        if let Some(p) = payload {
            // The payload travels escaped inside the SOAP element; show it readable too.
            self.cx.local(
                "oms",
                &format!("{} payload to send (unescaped)", op.name()),
                p,
            );
        }
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
        self.account_usable()?;
        let call = self.env.caller.call_raw(op, version, headers, body).await;
        self.settle(call)
    }

    fn settle(&self, call: Call) -> Result<Call, Stop> {
        let title = format!("{} ({})", call.op.name(), call.version.label());
        record_exchange(&self.cx, &title, &call.exchange);
        if let Some(result) = call.result_payload() {
            self.cx.received(
                "oms",
                &format!("{}Result payload (unescaped)", call.op.name()),
                result,
            );
        }
        match call.transport_error() {
            None => Ok(call),
            Some(e) if e.unreachable() => Err(http::unreachable(&self.env.caller.url, e)),
            Some(e) => Err(self.binding(SOAP_REQS).fail(
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
            Some(Err(e)) => Err(self.binding(SOAP_REQS).fail(
                &format!("{what} readable"),
                "a well-formed SOAP envelope",
                e.to_string(),
            )),
            Some(Ok(resp)) => {
                record_findings(
                    &self.cx,
                    &format!("{what} envelope"),
                    &resp.findings,
                    SOAP_REQS,
                )?;
                match call.result_payload() {
                    Some(p) => Ok(p.to_string()),
                    None => {
                        let fault = call
                            .fault()
                            .map(|f| format!("SOAP fault {}: {}", f.code, f.reason))
                            .unwrap_or_else(|| "no result".into());
                        Err(self.binding(&["OMS-R107", "OMS-R103"]).fail(
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
            Err(e) => Err(self.binding(reqs).fail(
                &format!("{what} readable"),
                "a well-formed document",
                e.to_string(),
            )),
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
        findings::record_findings_for(&self.cx, what, findings, reqs)
    }

    pub async fn user_info(&self, user: &XmsUser) -> Result<UserInfo, Stop> {
        let call = self
            .call(Operation::GetUserInfo, self.soap(), Some(&user.to_xml()))
            .await?;
        let payload = self.expect_result(&call)?;
        self.read_payload(
            "userInfo",
            &payload,
            UserInfo::parse,
            &["OMS-R127", "OMS-R128"],
        )
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
        let r = self.read_payload(
            "xmsResponse",
            &payload,
            XmsResponse::parse,
            &["OMS-R140", "OMS-R094", "OMS-R033"],
        )?;
        self.expect_pairing("code/severity pairs of the xmsResponse", &r.errors)?;
        Ok(r)
    }

    /// DeliverXmsBatch; every message of the batch must get its own xmsResponse (OMS-R146),
    /// checked here for every batch a scenario sends.
    pub async fn deliver_batch(&self, batch: &XmsBatch) -> Result<XmsResponses, Stop> {
        let call = self
            .call(
                Operation::DeliverXmsBatch,
                self.soap(),
                Some(&batch.to_xml()),
            )
            .await?;
        let responses = self.xms_responses(&call)?;
        self.expect_one_response_each(&responses, &batch.ids())?;
        Ok(responses)
    }

    /// One xmsResponse per message of the batch, and none for a message it did not hold.
    pub fn expect_one_response_each(
        &self,
        responses: &XmsResponses,
        ids: &[u32],
    ) -> Result<(), Stop> {
        record_findings(
            &self.cx,
            &format!("one xmsResponse for each of the {} messages", ids.len()),
            &responses.coverage_findings(ids),
            &["OMS-R146"],
        )
    }

    /// xmsResponses read, with the code/severity pairing (OMS-R036, OMS-R037) checked for every
    /// error element of every xmsResponse.
    pub fn xms_responses(&self, call: &Call) -> Result<XmsResponses, Stop> {
        let payload = self.expect_result(call)?;
        let responses =
            self.read_payload("xmsResponses", &payload, XmsResponses::parse, &["OMS-R145"])?;
        let errors: Vec<DeliveryError> = responses
            .items
            .iter()
            .flat_map(|i| i.errors.iter().cloned())
            .collect();
        self.expect_pairing("code/severity pairs of every xmsResponse", &errors)?;
        Ok(responses)
    }

    // --- builders -----------------------------------------------------------------------------

    /// The profile's main account as a tUser.
    pub fn user(&self) -> User {
        self.uses_account.store(true, Ordering::Relaxed);
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
        self.uses_account.store(true, Ordering::Relaxed);
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
        self.cx.expect(
            what,
            found.is_some(),
            format!("an error element with code {code:?}"),
            seen,
        )?;
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

    // --- DeliverXms and account scenarios (scenarios/deliver.rs, scenarios/accounts.rs) -------

    /// DeliverXms with a typed message; the xmsResponse findings are recorded against `reqs`
    /// (so a scenario's clean-parse check names the requirements it is about).
    pub async fn deliver_citing(&self, data: &XmsData, reqs: &[&str]) -> Result<XmsResponse, Stop> {
        let call = self
            .call(Operation::DeliverXms, self.soap(), Some(&data.to_xml()))
            .await?;
        let payload = self.expect_result(&call)?;
        let r = self.read_payload("xmsResponse", &payload, XmsResponse::parse, reqs)?;
        self.expect_pairing("code/severity pairs of the xmsResponse", &r.errors)?;
        Ok(r)
    }

    /// DeliverXms where a SOAP fault or an HTTP error status is an answer the scenario judges
    /// itself (authorization failures may be reported that way, OMS-R099). A result is read
    /// and its findings recorded as by `deliver`; a readable fault envelope is judged for its
    /// SOAP layer; anything else unreadable with a 2xx status fails as by `expect_result`.
    pub async fn deliver_answer(&self, payload: &str) -> Result<DeliverAnswer, Stop> {
        let call = self
            .call(Operation::DeliverXms, self.soap(), Some(payload))
            .await?;
        if let Some(fault) = call.fault() {
            if let Some(resp) = call.response() {
                record_findings(
                    &self.cx,
                    "DeliverXms fault envelope",
                    &resp.findings,
                    SOAP_REQS,
                )?;
            }
            return Ok(DeliverAnswer::Fault {
                status: call.status().unwrap_or_default(),
                code: fault.code.clone(),
                reason: fault.reason.clone(),
            });
        }
        if call.result_payload().is_none() {
            if let Some(status) = call.status().filter(|s| !(200..300).contains(s)) {
                return Ok(DeliverAnswer::Http { status });
            }
        }
        self.xms_response(&call).map(DeliverAnswer::Response)
    }

    /// A text message from `account` (SMS_SENDER when advertised, else a one-page MMS), for
    /// scenarios about who sends rather than what.
    pub fn text_message_as(
        &self,
        info: &ServiceInfo,
        account: &crate::oms::profile_keys::Account,
        to: &[String],
        text: &str,
    ) -> XmsData {
        let mut data = self.text_message(info, to, text);
        data.user = Some(self.user_as(account));
        data
    }

    /// A text message from the main account: SMS when SMS_SENDER is advertised, else a
    /// one-page MMS carrying the text.
    pub fn text_message(&self, info: &ServiceInfo, to: &[String], text: &str) -> XmsData {
        if info.supported_service.sms.is_some() || info.supported_service.mms.is_none() {
            self.sms(to, text)
        } else {
            self.mms(to, None, vec![self.text_content(0, text)])
        }
    }

    /// A multimedia message from the main account: slide mode when `slides` is given, else
    /// non-slide mode (each content a page, MS-OMS 2.2.4.16).
    pub fn mms(&self, to: &[String], slides: Option<MmsSlides>, contents: Vec<Content>) -> XmsData {
        XmsData {
            client: Some("oxconf".into()),
            user: Some(self.user()),
            head: Some(XmsHead {
                required_service: Some("MMS_SENDER".into()),
                to: to.to_vec(),
                subject: Some(format!("oxconf {}", self.nonce())),
                ..XmsHead::default()
            }),
            body: XmsBody {
                format: "MMS".into(),
                slides,
                contents,
            },
        }
    }

    /// A media object: `bytes` base64-encoded, named "<index>.<extension>".
    pub fn media(
        &self,
        index: usize,
        content_type: &str,
        extension: &str,
        bytes: &[u8],
    ) -> Content {
        Content {
            content_type: content_type.to_string(),
            content_id: format!("{index}.{extension}@{}", self.nonce()),
            content_location: format!("{index}.{extension}"),
            text: BASE64.encode(bytes),
        }
    }

    /// A SMIL presentation with one slide per entry of `slides`, each showing the contents at
    /// those indexes (images in the Image region, text in the Text region, audio played),
    /// referenced as "cid:" + contentId and laid out as the corrected 4.3 example (E-OMS-13).
    pub fn smil(&self, contents: &[Content], slides: &[Vec<usize>]) -> MmsSlides {
        let region = |id: &str, top: &str, height: &str| Region {
            id: id.to_string(),
            left: "0".into(),
            top: top.into(),
            width: "120".into(),
            height: height.into(),
            fit: Some(FIT_SLICE.into()),
        };
        let body = slides
            .iter()
            .map(|indexes| {
                let mut par = Par {
                    dur: "3000".into(),
                    ..Par::default()
                };
                for c in indexes.iter().filter_map(|i| contents.get(*i)) {
                    let src = cid(&c.content_id);
                    let kind = c.content_type.to_ascii_lowercase();
                    if kind.starts_with("image/") {
                        par.img = Some(Img {
                            src,
                            region: REGION_IMAGE.into(),
                        });
                    } else if kind.starts_with("audio/") {
                        par.audio = Some(Audio { src });
                    } else {
                        par.text = Some(Text {
                            src,
                            region: REGION_TEXT.into(),
                            foreground_color: None,
                        });
                    }
                }
                par
            })
            .collect();
        MmsSlides {
            head: Some(SmilHead {
                meta: Some(Meta {
                    name: "author".into(),
                    content: "oxconf".into(),
                }),
                layout: Layout {
                    root: RootLayout {
                        width: 120,
                        height: 120,
                        background_color: "#ffffff".into(),
                    },
                    regions: vec![
                        region(REGION_IMAGE, "0", "90"),
                        region(REGION_TEXT, "90", "30"),
                    ],
                },
            }),
            body,
        }
    }

    /// Delivered, as `expect_delivered`, but citing `reqs`: an "ok"/"neutral" element and no
    /// element with severity "failure".
    pub fn expect_delivered_citing(
        &self,
        what: &str,
        errors: &[DeliveryError],
        reqs: &[&str],
    ) -> Result<(), Stop> {
        let ok = errors.iter().any(|e| {
            e.code.as_deref() == Some(codes::OK) && e.severity.as_deref() == Some(codes::NEUTRAL)
        });
        let failed = errors
            .iter()
            .any(|e| e.severity.as_deref() == Some(codes::FAILURE));
        self.cx.cite(reqs.iter().copied()).expect(
            what,
            ok && !failed,
            "code \"ok\" with severity \"neutral\" and no failure",
            codes_of(errors),
        )
    }

    /// The provoked situation must be reported with the listed `code` (exact spelling,
    /// E-OMS-28) and its severity: "failure", or either severity for noScheduled and
    /// lowBalance (E-OMS-33). Another listed code, or none, fails; a provider-defined code with
    /// severity "failure" is accepted with a warning (E-OMS-31) and gives `None`, as there is
    /// nothing more to judge.
    pub fn expect_reported<'r>(
        &self,
        what: &str,
        errors: &'r [DeliveryError],
        code: &str,
        reqs: &[&str],
    ) -> Result<Option<&'r DeliveryError>, Stop> {
        let seen = codes_of(errors);
        let checks = self
            .cx
            .cite(reqs.iter().copied())
            .level(level_of(reqs.first().copied().unwrap_or("OMS-R037")));
        if let Some(e) = errors.iter().find(|e| e.code.as_deref() == Some(code)) {
            checks.check(
                what,
                true,
                format!("an error element with code {code:?}"),
                &seen,
            );
            let severity = e.severity.as_deref();
            let either = codes::NEUTRAL_OR_FAILURE.contains(&code);
            let (ok, expected) = if either {
                (
                    matches!(severity, Some(codes::NEUTRAL | codes::FAILURE)),
                    "severity \"neutral\" or \"failure\" (E-OMS-33)",
                )
            } else {
                (severity == Some(codes::FAILURE), "severity \"failure\"")
            };
            let mut ids: Vec<&str> = reqs.to_vec();
            ids.push("OMS-R037");
            self.cx
                .cite(ids.iter().copied())
                .level(Level::Must)
                .expect(
                    &format!("severity of {code}"),
                    ok,
                    expected,
                    shown(severity),
                )?;
            return Ok(Some(e));
        }
        let code_of = |e: &DeliveryError| e.code.clone().unwrap_or_default();
        if let Some(e) = errors
            .iter()
            .find(|e| e.code.as_deref().and_then(codes::canonical) == Some(code))
        {
            checks.expect(
                what,
                false,
                format!("code {code:?} exactly (case-sensitive, E-OMS-28)"),
                format!("code {:?}; all: {seen}", code_of(e)),
            )?;
            return Ok(None);
        }
        let listed_failure = errors.iter().find(|e| {
            e.code.as_deref().is_some_and(|c| {
                codes::TABLE.contains(&c) && !codes::NEUTRAL_OR_FAILURE.contains(&c)
            })
        });
        let provider_defined = errors.iter().find(|e| {
            e.severity.as_deref() == Some(codes::FAILURE)
                && e.code
                    .as_deref()
                    .is_some_and(|c| !c.is_empty() && codes::canonical(c).is_none())
        });
        match (listed_failure, provider_defined) {
            (None, Some(e)) => {
                checks.deviation(
                    what,
                    "E-OMS-31",
                    format!("the listed code {code:?}"),
                    format!(
                        "provider-defined code {:?} with severity failure; all: {seen}",
                        code_of(e)
                    ),
                );
                Ok(None)
            }
            _ => {
                checks.expect(
                    what,
                    false,
                    format!("an error element with code {code:?}"),
                    seen,
                )?;
                Ok(None)
            }
        }
    }

    /// recipientList names exactly `expected` (as a set: order and repeats are not specified).
    pub fn expect_recipient_list(
        &self,
        what: &str,
        error: &DeliveryError,
        expected: &[String],
        reqs: &[&str],
    ) -> Result<(), Stop> {
        let want = recipient_set(expected.iter().map(String::as_str));
        let checks = self.cx.cite(reqs.iter().copied());
        match error.recipients() {
            None => checks.expect(
                what,
                false,
                format!("recipientList {}", want.join(";")),
                "no recipientList (which would mean every recipient, OMS-R035)",
            ),
            Some(list) => {
                let got = recipient_set(list.iter().map(String::as_str));
                checks.expect(
                    what,
                    got == want,
                    format!("recipientList {}", want.join(";")),
                    format!(
                        "recipientList {:?}",
                        error.recipient_list.as_deref().unwrap_or("")
                    ),
                )
            }
        }
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

// --- DeliverXms and account scenarios: answers, recipient sets, media samples ---------------

/// How a DeliverXms request was answered, when a fault or an HTTP error is an acceptable
/// answer to judge rather than a transport failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeliverAnswer {
    Response(XmsResponse),
    Fault {
        status: u16,
        code: String,
        reason: String,
    },
    Http {
        status: u16,
    },
}

impl DeliverAnswer {
    /// One line for the actual side of checks.
    pub fn describe(&self) -> String {
        match self {
            DeliverAnswer::Response(r) => format!("xmsResponse: {}", codes_of(&r.errors)),
            DeliverAnswer::Fault {
                status,
                code,
                reason,
            } => format!("HTTP {status} SOAP fault {code}: {reason}"),
            DeliverAnswer::Http { status } => format!("HTTP {status} without a SOAP envelope"),
        }
    }
}

/// An optional element's text for the actual side of checks: quoted, or "absent".
pub fn shown(text: Option<&str>) -> String {
    match text {
        Some(t) => format!("{t:?}"),
        None => "absent".to_string(),
    }
}

/// Recipients trimmed, deduplicated and sorted, for comparisons as sets.
pub fn recipient_set<'a>(recipients: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut v: Vec<String> = recipients
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Whether a code is a notice that may accompany any answer: "ok" and serviceUpdate (in any
/// letter case; another scenario may have changed the service information meanwhile).
fn is_background(e: &DeliveryError) -> bool {
    e.code
        .as_deref()
        .is_some_and(|c| c == codes::OK || c.eq_ignore_ascii_case(codes::SERVICE_UPDATE))
}

/// The outcome of a delivery as sorted "code/severity" pairs, serviceUpdate left out, so two
/// deliveries that must be treated alike can be compared.
pub fn outcome_of(errors: &[DeliveryError]) -> Vec<String> {
    let mut v: Vec<String> = errors
        .iter()
        .filter(|e| {
            !e.code
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(codes::SERVICE_UPDATE))
        })
        .map(|e| {
            format!(
                "{}/{}",
                e.code.as_deref().unwrap_or("(no code)"),
                e.severity.as_deref().unwrap_or("(no severity)")
            )
        })
        .collect();
    v.sort();
    v
}

/// The error elements that report something other than "ok" or serviceUpdate.
pub fn reports(errors: &[DeliveryError]) -> impl Iterator<Item = &DeliveryError> {
    errors.iter().filter(|e| !is_background(e))
}

/// Tiny but well-formed media of each MMS type of MS-OMS 2.2.4.3, and one type outside it.
pub mod samples {
    /// A 1x1 GIF89a.
    pub const GIF: &[u8] = &[
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xff, 0xff,
        0xff, 0x00, 0x00, 0x00, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00,
        0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
    ];

    /// A 1x1 grey baseline JPEG: one quantisation table, one-code Huffman tables, one block.
    pub fn jpeg() -> Vec<u8> {
        let mut v = vec![0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x00];
        v.extend([1u8; 64]);
        v.extend([
            0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00,
        ]);
        for class in [0x00u8, 0x10] {
            v.extend([0xff, 0xc4, 0x00, 0x14, class, 0x01]);
            v.extend([0u8; 15]);
            v.push(0x00);
        }
        v.extend([
            0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x3f, 0xff, 0xd9,
        ]);
        v
    }

    /// A format-0 standard MIDI file with one empty track.
    pub const MIDI: &[u8] = &[
        0x4d, 0x54, 0x68, 0x64, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x01, 0x00, 0x60, 0x4d,
        0x54, 0x72, 0x6b, 0x00, 0x00, 0x00, 0x04, 0x00, 0xff, 0x2f, 0x00,
    ];

    /// An AMR-NB file (RFC 4867 storage format) with one NO_DATA frame.
    pub const AMR: &[u8] = b"#!AMR\n\x7c";

    /// An MP4 file type box: a video container MS-OMS does not list.
    pub const MP4: &[u8] = &[
        0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0x00, 0x00, 0x02,
        0x00, 0x69, 0x73, 0x6f, 0x6d, 0x6d, 0x70, 0x34, 0x31,
    ];

    /// A GIF of at least `size` bytes: the 1x1 image padded with comment extension blocks
    /// before its trailer, so it stays a valid GIF89a.
    pub fn gif_of_size(size: usize) -> Vec<u8> {
        let (image, trailer) = GIF.split_at(GIF.len() - 1);
        let mut v = image.to_vec();
        v.extend([0x21, 0xfe]);
        while v.len() + 2 < size {
            let n = (size - v.len() - 2).clamp(1, 255);
            v.push(n as u8);
            v.extend(std::iter::repeat_n(b'x', n));
        }
        v.push(0x00);
        v.extend(trailer);
        v
    }
}

// --- additions for the soap, batch, send-xms and reply scenarios --------------------------------

impl Oms {
    /// The advertised batchSize, 0 when absent: the default means batches are not supported
    /// (OMS-R114).
    pub async fn batch_size(&self) -> Result<u32, Stop> {
        Ok(self.limits().await?.batch_size.unwrap_or(0))
    }
}
