//! The answers a scripted server can give, and how each becomes an HTTP response in the
//! request's SOAP version.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;

use wire::oms::{fault_response, response, DeliveryError, HttpSoap, Operation};
use wire::soap::{FaultCode, SoapVersion};

use super::documents::{batch_response, xms_response};
use super::record::Recorded;
use crate::http::Reply;

/// A reply computed from the request it answers (e.g. echoing a batch's ids).
#[derive(Clone)]
pub struct Computed(Arc<dyn Fn(&Recorded) -> Canned + Send + Sync>);

impl fmt::Debug for Computed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Computed(..)")
    }
}

#[derive(Clone, Debug)]
pub enum Canned {
    /// A payload document; wrapped in <Op>Response/<Op>Result, escaped, in the request's SOAP
    /// version, HTTP 200.
    Result(String),
    /// A raw SOAP envelope, sent as is with HTTP 200 and the request version's content type.
    Envelope(String),
    /// A well-formed SOAP fault with code Server (1.1) / Receiver (1.2), HTTP 500.
    Fault {
        reason: String,
    },
    /// A well-formed SOAP fault with code Client (1.1, HTTP 500) / Sender (1.2, HTTP 400).
    SenderFault {
        reason: String,
    },
    /// Any status and body. The content type is the request version's SOAP type when the body
    /// looks like markup, text/plain otherwise.
    Status {
        status: u16,
        body: String,
    },
    /// A well-formed result (as [`Canned::Result`]) sent with another HTTP status, e.g. a 503
    /// whose body says "ok": a client reading only the body is caught.
    ResultWithStatus {
        status: u16,
        payload: String,
    },
    Computed(Computed),
}

/// Computed replies may compute further replies; this many levels are followed.
const MAX_COMPUTE_DEPTH: usize = 4;

impl Canned {
    pub fn computed(f: impl Fn(&Recorded) -> Canned + Send + Sync + 'static) -> Canned {
        Canned::Computed(Computed(Arc::new(f)))
    }

    /// A DeliverXms/SendXms result holding these error elements.
    pub fn errors(errors: &[DeliveryError]) -> Canned {
        Canned::Result(xms_response(errors))
    }

    /// The successful DeliverXms/SendXms result: one error "ok"/"neutral".
    pub fn ok() -> Canned {
        Canned::errors(&[DeliveryError::ok()])
    }

    /// A DeliverXmsBatch result with these items, in this order.
    pub fn batch(items: &[(u32, Vec<DeliveryError>)]) -> Canned {
        Canned::Result(batch_response(items))
    }

    pub fn fault(reason: &str) -> Canned {
        Canned::Fault {
            reason: reason.to_owned(),
        }
    }

    pub fn status(status: u16, body: &str) -> Canned {
        Canned::Status {
            status,
            body: body.to_owned(),
        }
    }

    /// The HTTP message this reply is for `request`, answering `op` in `version`.
    pub fn render(&self, op: Operation, version: SoapVersion, request: &Recorded) -> HttpSoap {
        let mut reply = self.clone();
        for _ in 0..MAX_COMPUTE_DEPTH {
            let Canned::Computed(Computed(f)) = &reply else {
                break;
            };
            reply = f(request);
        }
        match reply {
            Canned::Result(payload) => response(op, version, &payload),
            Canned::ResultWithStatus { status, payload } => HttpSoap {
                status,
                ..response(op, version, &payload)
            },
            Canned::Envelope(body) => HttpSoap {
                status: 200,
                headers: soap_content_type(version),
                body,
            },
            Canned::Fault { reason } => fault_response(version, FaultCode::Server, &reason),
            Canned::SenderFault { reason } => fault_response(version, FaultCode::Client, &reason),
            Canned::Status { status, body } => {
                let headers = if body.trim_start().starts_with('<') {
                    soap_content_type(version)
                } else {
                    vec![(
                        "Content-Type".to_owned(),
                        "text/plain; charset=utf-8".to_owned(),
                    )]
                };
                HttpSoap {
                    status,
                    headers,
                    body,
                }
            }
            Canned::Computed(_) => fault_response(
                version,
                FaultCode::Server,
                "scripted reply computed replies more than four levels deep",
            ),
        }
    }
}

fn soap_content_type(version: SoapVersion) -> Vec<(String, String)> {
    vec![("Content-Type".to_owned(), version.content_type(""))]
}

/// As an answer of the scripted HTTP peer (which sends a status outside 100-999 as 500).
pub(crate) fn to_reply(reply: HttpSoap) -> Reply {
    Reply {
        status: reply.status,
        headers: reply.headers,
        body: Bytes::from(reply.body.into_bytes()),
    }
}
