//! What the scripted server received, request by request, as evidence for client verdicts.

use bytes::Bytes;
use wire::oms::{parse_request, OmsRequest, Operation};
use wire::soap::header;
use wire::LayerError;

use super::routing::route;
use crate::http::{Exchange, HttpRequest};
use crate::record::Arrival;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub method: String,
    /// Path and query as requested.
    pub path: String,
    /// Names in lower case (as received by the HTTP stack), in arrival order.
    pub headers: Vec<(String, String)>,
    /// Decoded lossily: a client sending invalid UTF-8 is visible in the text, not a crash.
    pub body: String,
    /// The body exactly as received.
    pub raw: Bytes,
    /// The request as a server reads it (`wire::oms::parse_request`), with its findings.
    pub parsed: Result<OmsRequest, LayerError>,
    /// The operation the server answered as (action first, body element second); `None` for
    /// requests that matched no operation and got a fault.
    pub op: Option<Operation>,
}

impl Recorded {
    /// A request with a text body (as a test or a scenario builds one).
    pub fn new(method: &str, path: &str, headers: Vec<(String, String)>, body: String) -> Recorded {
        Recorded::read(method, path, headers, Bytes::from(body.into_bytes()))
    }

    fn read(method: &str, path: &str, headers: Vec<(String, String)>, raw: Bytes) -> Recorded {
        let body = String::from_utf8_lossy(&raw).into_owned();
        let parsed = parse_request(&headers, &body);
        let op = route(&headers, &body);
        Recorded {
            method: method.to_owned(),
            path: path.to_owned(),
            headers,
            body,
            raw,
            parsed,
            op,
        }
    }

    pub(crate) fn from_request(request: &HttpRequest) -> Recorded {
        Recorded::read(
            &request.method,
            &request.target(),
            request.headers.clone(),
            request.body.clone(),
        )
    }

    /// The request of one exchange the scripted HTTP peer logged.
    pub fn from_exchange(exchange: &Arrival<Exchange>) -> Recorded {
        let e = &exchange.item;
        Recorded::read(
            &e.method,
            &e.target,
            e.headers.clone(),
            exchange.raw.clone(),
        )
    }

    /// The first header called `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// The unescaped parameter document, when the request could be read.
    pub fn payload(&self) -> Option<&str> {
        self.parsed.as_ref().ok()?.payload.as_deref()
    }

    /// The stable names of the findings `parse_request` reported.
    pub fn rules(&self) -> Vec<&'static str> {
        match &self.parsed {
            Ok(r) => r.findings.iter().map(|f| f.rule).collect(),
            Err(_) => Vec::new(),
        }
    }
}
