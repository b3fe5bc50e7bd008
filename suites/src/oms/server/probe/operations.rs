//! The typed operations: each call read into its wire model, with the findings of every layer
//! recorded, and the per-batch obligations checked for every batch a scenario sends.

use super::{DeliverAnswer, Oms, SOAP_REQS};
use crate::common::findings::{self, record_findings};
use harness::Stop;
use mocks::oms::Call;
use wire::oms::{
    DeliveryError, Operation, ServiceInfo, UserInfo, XmsBatch, XmsData, XmsResponse, XmsResponses,
    XmsUser,
};
use wire::Parsed;

impl Oms {
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

    /// The advertised batchSize, 0 when absent: the default means batches are not supported
    /// (OMS-R114).
    pub async fn batch_size(&self) -> Result<u32, Stop> {
        Ok(self.limits().await?.batch_size.unwrap_or(0))
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

    /// DeliverXms or SendXms with any payload text (malformed ones included).
    pub async fn deliver_payload(&self, op: Operation, payload: &str) -> Result<XmsResponse, Stop> {
        let call = self.call(op, self.soap(), Some(payload)).await?;
        self.xms_response(&call)
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
}
