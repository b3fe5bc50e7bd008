//! Why a send produced no outcomes at all. Once a message request has been answered, problems
//! become "failed" outcomes instead: the user must learn which messages did not go out.

use std::fmt;

use wire::oms::Operation;

use crate::net::TransportError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientError {
    /// The client was built without TLS support (fault `https-unsupported`).
    TlsUnsupported { url: String },
    /// The server could not be reached or did not answer before any message request was
    /// answered, so nothing is known to have been sent.
    Transport {
        url: String,
        op: Operation,
        error: TransportError,
    },
    /// GetServiceInfo gave nothing usable: without the limits no request can be built.
    ServiceInfo { url: String, reason: String },
    /// The service does not announce the sender this message needs ("SMS_SENDER" or
    /// "MMS_SENDER").
    ServiceNotOffered { url: String, service: &'static str },
    /// A message without recipients cannot be written (tTo needs one, OMS-R078).
    NoRecipients { id: u32 },
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::TlsUnsupported { url } => {
                write!(f, "{url}: this client does not support https")
            }
            ClientError::Transport { url, op, error } => {
                write!(
                    f,
                    "{url}: {} failed before anything was sent: {error}",
                    op.name()
                )
            }
            ClientError::ServiceInfo { url, reason } => {
                write!(f, "{url}: no usable service information: {reason}")
            }
            ClientError::ServiceNotOffered { url, service } => {
                write!(f, "{url}: the service does not offer {service}")
            }
            ClientError::NoRecipients { id } => write!(f, "message {id} has no recipients"),
        }
    }
}

impl std::error::Error for ClientError {}
