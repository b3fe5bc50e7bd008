//! The control endpoint: triggers from outside the process (e.g. `oxconf mock oms-server
//! reply`) on the server's own listener. Not part of MS-OMS, so it speaks JSON and lives under
//! its own prefix.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::net::{ServerRequest, ServerResponse};

use super::replies::{emit, ReplyKind, ReplyRequest};
use super::state::{now_unix, Shared};

pub(super) const PREFIX: &str = "/oxconf/";
pub const REPLY_PATH: &str = "/oxconf/reply";
pub const SERVICE_UPDATE_PATH: &str = "/oxconf/service-update";

/// The body of a `POST` to [`REPLY_PATH`]: the control endpoint's own request, which
/// `oxconf mock oms-server reply` sends, so both ends share this one definition.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlReply {
    /// The phone that replies (a recipient of an earlier message).
    pub recipient: String,
    pub text: String,
    /// "sms" (the default), "mms" or "mms-nosmil" (`ReplyKind::as_str`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The account the reply goes to (default: the reference user).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

fn json_response(status: u16, value: serde_json::Value) -> ServerResponse {
    ServerResponse::new(
        status,
        vec![("Content-Type".to_string(), "application/json".to_string())],
        value.to_string().into_bytes(),
    )
}

pub(crate) fn not_found() -> ServerResponse {
    ServerResponse::new(
        404,
        vec![(
            "Content-Type".to_string(),
            "text/plain; charset=utf-8".to_string(),
        )],
        b"not found".to_vec(),
    )
}

fn refused(status: u16, error: String) -> ServerResponse {
    json_response(status, json!({ "sent": false, "error": error }))
}

/// `path` is the request path without query.
pub(crate) async fn handle(shared: &Shared, req: &ServerRequest, path: &str) -> ServerResponse {
    if req.method != "POST" {
        return not_found();
    }
    match path {
        REPLY_PATH => reply(shared, &req.body).await,
        SERVICE_UPDATE_PATH => {
            let at = shared.bump_service_info(now_unix());
            json_response(200, json!({ "serviceUpdate": at }))
        }
        _ => not_found(),
    }
}

async fn reply(shared: &Shared, body: &[u8]) -> ServerResponse {
    let parsed: ControlReply = match serde_json::from_slice(body) {
        Ok(p) => p,
        Err(e) => return refused(400, format!("not a reply request: {e}")),
    };
    let kind = match parsed.kind.as_deref().unwrap_or("sms").parse::<ReplyKind>() {
        Ok(k) => k,
        Err(e) => return refused(400, e),
    };
    let request = ReplyRequest {
        user: parsed.user.filter(|u| !u.trim().is_empty()),
        phone: parsed.recipient,
        text: parsed.text,
        kind,
    };
    match emit(shared, &request).await {
        Ok(_) => json_response(200, json!({ "sent": true })),
        Err(e) => refused(502, e),
    }
}
