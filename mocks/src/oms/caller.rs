//! One MS-OMS operation over real HTTP(S), keeping the raw exchange: the harness needs the
//! exact bytes for evidence, and the reference client needs the parsed answer.

use crate::net::{Exchange, HttpClient, Request, TransportError};
use wire::oms::{parse_response, request, OmsResponse, Operation, ResponseBody};
use wire::soap::{Fault, SoapVersion};
use wire::LayerError;

/// An endpoint and the client used to reach it.
#[derive(Clone, Debug)]
pub struct OmsCaller {
    pub http: HttpClient,
    pub url: String,
}

/// What one call produced: the exchange as sent and received, and, when a response arrived,
/// how it read.
#[derive(Clone, Debug)]
pub struct Call {
    pub op: Operation,
    pub version: SoapVersion,
    pub exchange: Exchange,
    /// `None` when no response arrived (see `transport_error`).
    pub parsed: Option<Result<OmsResponse, LayerError>>,
}

impl Call {
    pub fn transport_error(&self) -> Option<&TransportError> {
        self.exchange.result.as_ref().err()
    }

    pub fn status(&self) -> Option<u16> {
        self.exchange.response().map(|r| r.status)
    }

    pub fn response(&self) -> Option<&OmsResponse> {
        self.parsed.as_ref().and_then(|p| p.as_ref().ok())
    }

    /// The unescaped result document, when the answer was a readable result.
    pub fn result_payload(&self) -> Option<&str> {
        match &self.response()?.body {
            ResponseBody::Result(s) => Some(s),
            ResponseBody::Fault(_) => None,
        }
    }

    pub fn fault(&self) -> Option<&Fault> {
        match &self.response()?.body {
            ResponseBody::Fault(f) => Some(f),
            ResponseBody::Result(_) => None,
        }
    }

    /// Why the response could not be read, naming the broken layer.
    pub fn unreadable(&self) -> Option<&LayerError> {
        self.parsed.as_ref().and_then(|p| p.as_ref().err())
    }
}

impl OmsCaller {
    pub fn new(http: HttpClient, url: impl Into<String>) -> Self {
        OmsCaller {
            http,
            url: url.into(),
        }
    }

    /// A well-formed request for `op`, the payload escaped into its parameter element.
    pub async fn call(&self, op: Operation, version: SoapVersion, payload: Option<&str>) -> Call {
        let soap = request(op, version, payload);
        self.call_raw(op, version, soap.headers, soap.body).await
    }

    /// Sends exactly these headers and body (probes and fault injection), reading the answer as
    /// a response to `op`.
    pub async fn call_raw(
        &self,
        op: Operation,
        version: SoapVersion,
        headers: Vec<(String, String)>,
        body: String,
    ) -> Call {
        let mut req = Request::new("POST", &self.url).body(body.into_bytes());
        req.headers = headers;
        let exchange = self.http.send(req).await;
        let parsed = exchange
            .response()
            .map(|r| parse_response(op, version, &r.headers, &r.text()));
        Call {
            op,
            version,
            exchange,
            parsed,
        }
    }
}
