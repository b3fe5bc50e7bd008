//! Calls to the SUT, each recorded as it goes. Transport failures split two ways: a failure to
//! establish the connection (bad URL, a name that does not resolve, refused, connect or TLS
//! handshake failed or timed out) makes the scenario inconclusive; a SUT that accepted the
//! request and then answers badly (hangs, resets, garbage) fails it.

use super::{Oms, SOAP_REQS};
use crate::common::findings::record_findings;
use crate::common::http::{self, record_exchange};
use harness::Stop;
use mocks::oms::Call;
use wire::oms::Operation;
use wire::soap::SoapVersion;
use wire::Parsed;

impl Oms {
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
}
