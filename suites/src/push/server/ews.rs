//! The harness as an EWS client of the server under test: calls recorded in the transcript,
//! Basic credentials (redacted), and the mailbox actions that cause each event kind.

use super::config::ServerProfile;
use super::env::ServerEnv;
use crate::common::http::{record_exchange, unreachable};
use base64::Engine as _;
use harness::{Cx, SetupError, Stop};
use mocks::net::{HttpClient, Request};
use wire::ews::{
    ns, read_response, write_request, BaseId, EventKind, EwsRequest, EwsResponse, FolderRef,
    MessageDraft, Received,
};
use wire::soap::{request_headers, SoapVersion};
use wire::xml::Limits;

/// The RequestServerVersion of the suite's requests.
pub const REQUEST_VERSION: &str = "Exchange2013";

fn operation(req: &EwsRequest) -> &'static str {
    match req {
        EwsRequest::Subscribe(_) | EwsRequest::SubscribeOther(_) => "Subscribe",
        EwsRequest::Unsubscribe { .. } => "Unsubscribe",
        EwsRequest::GetEvents { .. } => "GetEvents",
        EwsRequest::CreateItem { .. } => "CreateItem",
        EwsRequest::DeleteItem { .. } => "DeleteItem",
        EwsRequest::MoveItem { .. } => "MoveItem",
        EwsRequest::CopyItem { .. } => "CopyItem",
        EwsRequest::UpdateItem { .. } => "UpdateItem",
        EwsRequest::GetFolder { .. } => "GetFolder",
        EwsRequest::Other(_) => "Other",
    }
}

fn request(url: &str, user: &str, password: &str, req: &EwsRequest) -> Request {
    let op = operation(req);
    let body = write_request(SoapVersion::V11, Some(REQUEST_VERSION), req);
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    let mut r = Request::new("POST", url)
        .body(body.into_bytes())
        .header("Authorization", &format!("Basic {basic}"));
    for (n, v) in request_headers(SoapVersion::V11, &ns::action(op)) {
        r = r.header(&n, &v);
    }
    r
}

/// One call: `Err` inconclusive when the server cannot be reached, refuses the credentials,
/// or answers what is not an EWS response (nothing of the push protocol can be judged then).
pub async fn call(
    cx: &Cx,
    env: &ServerEnv,
    req: &EwsRequest,
) -> Result<Received<EwsResponse>, Stop> {
    let op = operation(req);
    let exchange = env
        .http
        .send(request(&env.url, &env.user, &env.password, req))
        .await;
    record_exchange(cx, op, &exchange);
    let response = match &exchange.result {
        Err(e) if e.unreachable() => return Err(unreachable(&env.url, e)),
        Err(e) => {
            return Err(Stop::inconclusive(format!(
                "{op}: no answer from the server: {e}"
            )))
        }
        Ok(r) => r,
    };
    if response.status == 401 || response.status == 403 {
        return Err(Stop::inconclusive(format!(
            "{op}: the server refused the credentials (HTTP {}): check target.user and target.password",
            response.status
        )));
    }
    read_response(&String::from_utf8_lossy(&response.body), Limits::default()).map_err(|e| {
        Stop::inconclusive(format!(
            "{op}: HTTP {} with an answer that is not an EWS response: {e}",
            response.status
        ))
    })
}

/// The setup's check: one GetFolder of the Inbox. Unreachable or refusing the credentials is
/// an unreachable SUT (exit 3).
pub async fn preflight(http: &HttpClient, p: &ServerProfile) -> Result<(), SetupError> {
    let req = EwsRequest::GetFolder {
        folder_ids: vec![FolderRef::distinguished("inbox")],
    };
    let exchange = http
        .send(request(p.url.as_str(), &p.user, &p.password, &req))
        .await;
    match &exchange.result {
        Err(e) => Err(SetupError::Unreachable(format!("the EWS server at {} could not be reached: {e}", p.url))),
        Ok(r) if r.status == 401 || r.status == 403 => Err(SetupError::Unreachable(format!(
            "the EWS server at {} refused the credentials (HTTP {}): check target.user and target.password",
            p.url, r.status
        ))),
        Ok(_) => Ok(()),
    }
}

fn first_item(r: &Received<EwsResponse>, op: &str) -> Result<BaseId, Stop> {
    let list = match &r.value {
        EwsResponse::CreateItem(l)
        | EwsResponse::MoveItem(l)
        | EwsResponse::CopyItem(l)
        | EwsResponse::UpdateItem(l)
        | EwsResponse::DeleteItem(l) => l,
        other => return Err(Stop::inconclusive(format!("{op} answered {other:?}"))),
    };
    let first = list
        .first()
        .ok_or_else(|| Stop::inconclusive(format!("{op} answered no response message")))?;
    if first
        .response
        .response_code
        .as_deref()
        .is_some_and(|c| c != "NoError")
    {
        return Err(Stop::inconclusive(format!(
            "{op} failed: {}",
            first.response.response_code.clone().unwrap_or_default()
        )));
    }
    Ok(first.items.first().cloned().unwrap_or_default())
}

/// Creates `n` messages in `folder` (a distinguished name); their ids.
pub async fn create(cx: &Cx, env: &ServerEnv, folder: &str, n: usize) -> Result<Vec<BaseId>, Stop> {
    let req = EwsRequest::CreateItem {
        saved_item_folder: Some(FolderRef::distinguished(folder)),
        items: (0..n)
            .map(|i| MessageDraft {
                subject: Some(format!("oxconf push-server {i}")),
                body: Some("Sent by the oxconf push-server suite.".into()),
            })
            .collect(),
    };
    let r = call(cx, env, &req).await?;
    match &r.value {
        EwsResponse::CreateItem(l) => Ok(l.iter().flat_map(|m| m.items.clone()).collect()),
        other => Err(Stop::inconclusive(format!("CreateItem answered {other:?}"))),
    }
}

/// What an action should produce: the kind and, when known, the item id its event carries.
#[derive(Clone, Debug)]
pub struct Expected {
    pub kind: EventKind,
    pub item_id: Option<String>,
}

/// Causes an event of `kind`: with `push.trigger` (ids unknown then), or with EWS item
/// operations on a fresh message.
pub async fn cause(cx: &Cx, env: &ServerEnv, kind: EventKind) -> Result<Expected, Stop> {
    if let Some(trigger) = &env.trigger {
        let name = match kind {
            EventKind::NewMail => "newmail",
            EventKind::Created => "created",
            EventKind::Deleted => "deleted",
            EventKind::Moved => "moved",
            EventKind::Copied => "copied",
            _ => "modified",
        };
        let run = crate::common::trigger::fire(
            cx,
            trigger,
            &format!("cause {name}"),
            &[("user", env.user.clone()), ("kind", name.to_string())],
        )
        .await;
        crate::common::trigger::succeeded(&run, "push.trigger")?;
        return Ok(Expected {
            kind,
            item_id: None,
        });
    }
    let folder = if kind == EventKind::NewMail {
        "inbox"
    } else {
        "drafts"
    };
    let created = create(cx, env, folder, 1).await?;
    let item = created
        .into_iter()
        .next()
        .ok_or_else(|| Stop::inconclusive("CreateItem returned no item id"))?;
    let id = match kind {
        EventKind::NewMail | EventKind::Created => item.id,
        EventKind::Deleted => {
            let r = call(
                cx,
                env,
                &EwsRequest::DeleteItem {
                    item_ids: vec![item.clone()],
                    hard: true,
                },
            )
            .await?;
            first_item(&r, "DeleteItem")?;
            item.id
        }
        EventKind::Moved | EventKind::Copied => {
            let to = FolderRef::distinguished(if kind == EventKind::Moved {
                "inbox"
            } else {
                "sentitems"
            });
            let req = if kind == EventKind::Moved {
                EwsRequest::MoveItem {
                    item_ids: vec![item],
                    to_folder: to,
                }
            } else {
                EwsRequest::CopyItem {
                    item_ids: vec![item],
                    to_folder: to,
                }
            };
            let r = call(cx, env, &req).await?;
            let new = first_item(
                &r,
                if kind == EventKind::Moved {
                    "MoveItem"
                } else {
                    "CopyItem"
                },
            )?;
            new.id
        }
        _ => {
            let r = call(
                cx,
                env,
                &EwsRequest::UpdateItem {
                    item_id: item.clone(),
                    subject: "oxconf push-server: modified".into(),
                },
            )
            .await?;
            first_item(&r, "UpdateItem")?;
            item.id
        }
    };
    Ok(Expected {
        kind,
        item_id: (!id.is_empty()).then_some(id),
    })
}
