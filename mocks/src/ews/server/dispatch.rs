//! The EWS operations and the control endpoint.

use super::mailbox::{position, watermark, FOLDERS};
use super::{delivery, Caused, EwsArrival, Shared, Sub, SubscriptionInfo, CONTROL_PATH, EWS_PATH};
use crate::net::{Behaviour, ServerRequest, ServerResponse};
use base64::Engine as _;
use std::collections::BTreeSet;
use std::sync::Arc;
use wire::ews::{
    read_request, rules, write_response, BaseId, EventKind, EwsRequest, EwsResponse, FolderInfo,
    FolderRef, FolderResponse, ItemResponse, PushSubscriptionRequest, ResponseMessage,
    ServerVersionInfo, SubscribeResponse,
};
use wire::soap::SoapVersion;
use wire::xml::Limits;

fn content_type(version: SoapVersion) -> &'static str {
    match version {
        SoapVersion::V11 => "text/xml; charset=utf-8",
        SoapVersion::V12 => "application/soap+xml; charset=utf-8",
    }
}

fn xml(status: u16, version: SoapVersion, body: String) -> ServerResponse {
    ServerResponse::new(
        status,
        vec![("Content-Type".into(), content_type(version).into())],
        body.into_bytes(),
    )
}

fn json(status: u16, value: serde_json::Value) -> ServerResponse {
    ServerResponse::new(
        status,
        vec![("Content-Type".into(), "application/json".into())],
        value.to_string().into_bytes(),
    )
}

fn svi() -> ServerVersionInfo {
    ServerVersionInfo {
        major_version: Some(15),
        minor_version: Some(1),
        major_build_number: Some(2507),
        minor_build_number: Some(6),
        version: Some("V2017_07_11".into()),
    }
}

/// The time stamp of an event caused now.
fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let minute = wire::oms::schedule::format_utc_minute(secs);
    // format_utc_minute ends "…:00Z"; put the seconds back.
    format!(
        "{}{:02}Z",
        &minute[..minute.len().saturating_sub(3)],
        secs % 60
    )
}

fn authorized(shared: &Shared, req: &ServerRequest) -> bool {
    req.basic_auth_is(&shared.user, &shared.password)
}

pub(crate) async fn handle(shared: &Arc<Shared>, req: ServerRequest) -> ServerResponse {
    let path = req.path.split('?').next().unwrap_or_default().to_string();
    if path.starts_with(CONTROL_PATH) {
        return control(shared, &req, &path);
    }
    if !path.eq_ignore_ascii_case(EWS_PATH) {
        return ServerResponse::new(404, vec![], b"not the EWS endpoint".to_vec());
    }
    if shared.faults.is_on("hang") {
        return ServerResponse::new(200, vec![], vec![]).with_behaviour(Behaviour::Hang);
    }
    if shared.faults.is_on("reset") {
        return ServerResponse::new(200, vec![], vec![]).with_behaviour(Behaviour::Reset);
    }
    let record = |parsed, status| {
        shared.requests.push(
            req.body.clone(),
            EwsArrival {
                method: req.method.clone(),
                path: req.path.clone(),
                headers: req.headers.clone(),
                parsed,
                status,
            },
        );
    };
    if !authorized(shared, &req) {
        record(Err("no valid Basic credentials".into()), 401);
        shared.log(|| {
            format!(
                "← {} {} from {}: 401 (credentials missing or wrong)",
                req.method, req.path, req.peer
            )
        });
        return ServerResponse::new(
            401,
            vec![("WWW-Authenticate".into(), "Basic realm=\"oxconf\"".into())],
            vec![],
        );
    }
    if req.method != "POST" {
        record(Err("not a POST".into()), 405);
        return ServerResponse::new(405, vec![], vec![]);
    }
    let text = String::from_utf8_lossy(&req.body).into_owned();
    let received = match read_request(&text, Limits::default()) {
        Ok(r) => r,
        Err(e) => {
            record(Err(e.to_string()), 500);
            return xml(
                500,
                SoapVersion::V11,
                wire::soap::write_fault(
                    SoapVersion::V11,
                    wire::soap::FaultCode::Client,
                    &format!("The request failed schema validation: {e}"),
                ),
            );
        }
    };
    let version = received.soap;
    let (response, name) = answer(shared, &received.value, &received.findings);
    let status = if matches!(response, EwsResponse::Fault { .. }) {
        500
    } else {
        200
    };
    let info = (!shared.faults.is_on("no-server-version-info")).then(svi);
    let mut body = write_response(version, info.as_ref(), &response);
    if shared.faults.is_on("subscribe-ids-in-types-ns")
        && matches!(response, EwsResponse::Subscribe(_))
    {
        for el in ["SubscriptionId", "Watermark"] {
            body = body
                .replace(&format!("<m:{el}>"), &format!("<t:{el}>"))
                .replace(&format!("</m:{el}>"), &format!("</t:{el}>"));
        }
    }
    shared.log(|| format!("← {name} from {}: HTTP {status}", req.peer));
    record(Ok(received), status);
    xml(status, version, body)
}

fn error_code(response: &EwsResponse) -> Option<String> {
    match response {
        EwsResponse::Subscribe(l) => l.first().and_then(|r| r.response.response_code.clone()),
        _ => None,
    }
}

fn answer(
    shared: &Arc<Shared>,
    req: &EwsRequest,
    findings: &[wire::Finding],
) -> (EwsResponse, String) {
    match req {
        EwsRequest::Subscribe(p) => {
            let r = subscribe(shared, p, findings);
            let what = match error_code(&r) {
                Some(c) if c != "NoError" => format!("Subscribe (refused: {c})"),
                _ => format!("Subscribe for {}", p.url),
            };
            (r, what)
        }
        EwsRequest::SubscribeOther(kind) => (
            EwsResponse::Subscribe(vec![refusal(
                "ErrorInvalidSubscriptionRequest",
                &format!("oxconf mock: {kind} is not supported; only push subscriptions are"),
            )]),
            "Subscribe (not push)".into(),
        ),
        EwsRequest::Unsubscribe { subscription_id } => {
            let known = shared.lock().subs.contains_key(subscription_id);
            let r = if !known {
                ResponseMessage::error(
                    "ErrorSubscriptionNotFound",
                    "The specified subscription was not found.",
                )
            } else if shared.faults.is_on("unsubscribe-push-succeeds") {
                ResponseMessage::success()
            } else {
                ResponseMessage::error(
                    "ErrorInvalidSubscription",
                    "Unsubscribe does not apply to push subscriptions.",
                )
            };
            (EwsResponse::Unsubscribe(vec![r]), "Unsubscribe".into())
        }
        EwsRequest::GetEvents {
            subscription_id, ..
        } => {
            let known = shared.lock().subs.contains_key(subscription_id);
            let code = if known {
                "ErrorInvalidPullSubscriptionId"
            } else {
                "ErrorSubscriptionNotFound"
            };
            (
                EwsResponse::GetEvents(vec![wire::ews::SendNotificationMessage {
                    response: ResponseMessage::error(
                        code,
                        "GetEvents applies to pull subscriptions only.",
                    ),
                    notification: None,
                }]),
                "GetEvents".into(),
            )
        }
        EwsRequest::CreateItem {
            saved_item_folder,
            items,
        } => {
            let r = create(shared, saved_item_folder.as_ref(), items);
            (EwsResponse::CreateItem(r), "CreateItem".into())
        }
        EwsRequest::DeleteItem { item_ids, hard } => {
            let r = each_item(shared, item_ids, |m, id, stamp| {
                if *hard {
                    m.delete(id, stamp).map(|_| None)
                } else {
                    let to = m.resolve("deleteditems")?;
                    m.move_item(id, &to, stamp).map(|_| None)
                }
            });
            (EwsResponse::DeleteItem(r), "DeleteItem".into())
        }
        EwsRequest::MoveItem {
            item_ids,
            to_folder,
        }
        | EwsRequest::CopyItem {
            item_ids,
            to_folder,
        } => {
            let copy = matches!(req, EwsRequest::CopyItem { .. });
            let to = folder_id(shared, to_folder);
            let r = match to {
                None => vec![ItemResponse {
                    response: ResponseMessage::error(
                        "ErrorFolderNotFound",
                        "The folder was not found.",
                    ),
                    items: vec![],
                }],
                Some(to) => each_item(shared, item_ids, |m, id, stamp| {
                    let item = if copy {
                        m.copy_item(id, &to, stamp)
                    } else {
                        m.move_item(id, &to, stamp)
                    };
                    item.map(|i| Some(i.id))
                }),
            };
            if copy {
                (EwsResponse::CopyItem(r), "CopyItem".into())
            } else {
                (EwsResponse::MoveItem(r), "MoveItem".into())
            }
        }
        EwsRequest::UpdateItem { item_id, subject } => {
            let r = each_item(shared, std::slice::from_ref(item_id), |m, id, stamp| {
                m.modify(id, subject, stamp).map(|i| Some(i.id))
            });
            (EwsResponse::UpdateItem(r), "UpdateItem".into())
        }
        EwsRequest::GetFolder { folder_ids } => {
            let state = shared.lock();
            let list = folder_ids
                .iter()
                .map(|f| {
                    let id = match f {
                        FolderRef::Id(b) => state.mailbox.resolve(&b.id),
                        FolderRef::Distinguished { id, .. } => state.mailbox.resolve(id),
                    };
                    match id {
                        None => FolderResponse {
                            response: ResponseMessage::error(
                                "ErrorFolderNotFound",
                                "The folder was not found.",
                            ),
                            folders: vec![],
                        },
                        Some(id) => {
                            let name = state.mailbox.folder_name(&id).unwrap_or_default();
                            let display = FOLDERS
                                .iter()
                                .find(|(n, _)| *n == name)
                                .map(|(_, d)| d.to_string());
                            FolderResponse {
                                response: ResponseMessage::success(),
                                folders: vec![FolderInfo {
                                    id: BaseId {
                                        id,
                                        change_key: Some("AQAAAA==".into()),
                                    },
                                    display_name: display,
                                }],
                            }
                        }
                    }
                })
                .collect();
            (EwsResponse::GetFolder(list), "GetFolder".into())
        }
        EwsRequest::Other(name) => (
            EwsResponse::Fault {
                code: "Client".into(),
                reason: format!("oxconf mock: the operation {name:?} is not implemented"),
            },
            name.clone(),
        ),
    }
}

fn refusal(code: &str, text: &str) -> SubscribeResponse {
    SubscribeResponse {
        response: ResponseMessage::error(code, text),
        subscription_id: None,
        watermark: None,
    }
}

fn folder_id(shared: &Shared, f: &FolderRef) -> Option<String> {
    let state = shared.lock();
    match f {
        FolderRef::Id(b) => state.mailbox.resolve(&b.id),
        FolderRef::Distinguished { id, .. } => state.mailbox.resolve(id),
    }
}

fn subscribe(
    shared: &Arc<Shared>,
    p: &PushSubscriptionRequest,
    findings: &[wire::Finding],
) -> EwsResponse {
    let f = &shared.faults;
    let one = |r| EwsResponse::Subscribe(vec![r]);
    if let Some(code) = shared.lock().subscribe_error.clone() {
        return one(refusal(&code, "oxconf mock: the scenario chose this error"));
    }
    let has = |rule: &str| findings.iter().any(|x| x.rule == rule);
    if has(rules::URL_INVALID) && !f.is_on("accepts-bad-url") {
        let code = if f.is_on("wrong-url-error-code") {
            "ErrorInvalidSubscription"
        } else {
            "ErrorInvalidPushSubscriptionUrl"
        };
        return one(refusal(code, "The push subscription URL is invalid."));
    }
    let frequency = match p.status_frequency_minutes() {
        None if p.status_frequency.is_none() => 30,
        Some(n) if (1..=1440).contains(&n) => n as u32,
        _ if f.is_on("accepts-bad-frequency") => 1,
        _ => {
            return one(refusal(
                "ErrorSchemaValidation",
                "StatusFrequency must be an integer from 1 to 1440.",
            ))
        }
    };
    let bad_types =
        p.event_types.is_empty() || has(rules::EVENT_TYPE_STATUS) || has(rules::EVENT_TYPE_UNKNOWN);
    if bad_types && !f.is_on("accepts-status-event") {
        return one(refusal(
            "ErrorSchemaValidation",
            "EventTypes holds a value that is not a NotificationEventTypeType.",
        ));
    }
    let mut state = shared.lock();
    let head = state.mailbox.head();
    let start = match &p.watermark {
        None => head,
        Some(_) if f.is_on("ignores-watermark") => head,
        Some(w) => match position(w).filter(|s| state.mailbox.knows(*s)) {
            Some(s) => s,
            None => {
                return one(refusal(
                    "ErrorInvalidWatermark",
                    "The watermark is invalid.",
                ))
            }
        },
    };
    let folders = if p.subscribe_to_all_folders == Some(true) || p.folder_ids.is_empty() {
        None
    } else {
        let mut set = BTreeSet::new();
        for fr in &p.folder_ids {
            let id = match fr {
                FolderRef::Id(b) => state.mailbox.resolve(&b.id),
                FolderRef::Distinguished { id, .. } => state.mailbox.resolve(id),
            };
            match id {
                Some(id) => {
                    set.insert(id);
                }
                None => {
                    return one(refusal(
                        "ErrorFolderNotFound",
                        "A folder of FolderIds was not found.",
                    ))
                }
            }
        }
        Some(set)
    };
    state.next_sub += 1;
    let id = base64::engine::general_purpose::STANDARD
        .encode(format!("oxconf-push-subscription-{}", state.next_sub));
    let info = SubscriptionInfo {
        id: id.clone(),
        url: p.url.clone(),
        watermark: watermark(start),
        status_frequency: frequency,
        folders,
        kinds: p.subscribable_kinds(),
        active: true,
    };
    state.subs.insert(
        id.clone(),
        Sub {
            info: info.clone(),
            cursor: start,
            wake: Arc::new(tokio::sync::Notify::new()),
        },
    );
    drop(state);
    let task = tokio::spawn(delivery::run(Arc::clone(shared), id.clone()));
    shared
        .tasks
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(task);
    one(SubscribeResponse {
        response: ResponseMessage::success(),
        subscription_id: Some(id),
        watermark: Some(info.watermark),
    })
}

fn create(
    shared: &Shared,
    folder: Option<&FolderRef>,
    items: &[wire::ews::MessageDraft],
) -> Vec<ItemResponse> {
    let target = match folder {
        Some(f) => folder_id(shared, f),
        None => shared.lock().mailbox.resolve("drafts"),
    };
    let Some(target) = target else {
        return vec![ItemResponse {
            response: ResponseMessage::error("ErrorFolderNotFound", "The folder was not found."),
            items: vec![],
        }];
    };
    let new_mail = !shared.faults.is_on("wrong-event-kind");
    let stamp = now();
    let out = {
        let mut state = shared.lock();
        items
            .iter()
            .map(|d| {
                let item = state.mailbox.create(
                    &target,
                    d.subject.as_deref().unwrap_or(""),
                    &stamp,
                    new_mail,
                );
                ItemResponse {
                    response: ResponseMessage::success(),
                    items: vec![item.id],
                }
            })
            .collect()
    };
    shared.wake_all();
    out
}

/// Applies `act` to each item; `Ok(Some(id))` reports a new id.
fn each_item(
    shared: &Shared,
    ids: &[BaseId],
    act: impl Fn(&mut super::mailbox::Mailbox, &str, &str) -> Option<Option<BaseId>>,
) -> Vec<ItemResponse> {
    let stamp = now();
    let out = {
        let mut state = shared.lock();
        ids.iter()
            .map(|id| match act(&mut state.mailbox, &id.id, &stamp) {
                None => ItemResponse {
                    response: ResponseMessage::error(
                        "ErrorItemNotFound",
                        "The item was not found.",
                    ),
                    items: vec![],
                },
                Some(new) => ItemResponse {
                    response: ResponseMessage::success(),
                    items: new.into_iter().collect(),
                },
            })
            .collect()
    };
    shared.wake_all();
    out
}

/// The control endpoint's cause, also the in-process trigger's.
pub(crate) fn cause(
    shared: &Shared,
    kind: EventKind,
    folder: Option<&str>,
) -> Result<Caused, String> {
    let stamp = now();
    let caused = {
        let mut state = shared.lock();
        let m = &mut state.mailbox;
        let resolve = |m: &super::mailbox::Mailbox, name: &str| {
            m.resolve(name).ok_or_else(|| format!("no folder {name:?}"))
        };
        let new_mail = !shared.faults.is_on("wrong-event-kind");
        let item = match kind {
            EventKind::NewMail => {
                let f = resolve(m, folder.unwrap_or("inbox"))?;
                m.create(&f, "oxconf: new mail", &stamp, new_mail)
            }
            EventKind::Created => {
                let f = resolve(m, folder.unwrap_or("drafts"))?;
                m.create(&f, "oxconf: created", &stamp, new_mail)
            }
            EventKind::Deleted => {
                let f = resolve(m, folder.unwrap_or("drafts"))?;
                let i = m.create(&f, "oxconf: to delete", &stamp, new_mail);
                m.delete(&i.id.id, &stamp).ok_or("delete failed")?
            }
            EventKind::Moved => {
                let from = resolve(m, "drafts")?;
                let to = resolve(m, folder.unwrap_or("inbox"))?;
                let i = m.create(&from, "oxconf: to move", &stamp, new_mail);
                m.move_item(&i.id.id, &to, &stamp).ok_or("move failed")?
            }
            EventKind::Copied => {
                let from = resolve(m, "drafts")?;
                let to = resolve(m, folder.unwrap_or("sentitems"))?;
                let i = m.create(&from, "oxconf: to copy", &stamp, new_mail);
                m.copy_item(&i.id.id, &to, &stamp).ok_or("copy failed")?
            }
            EventKind::Modified => {
                let f = resolve(m, folder.unwrap_or("drafts"))?;
                let i = m.create(&f, "oxconf: to modify", &stamp, new_mail);
                m.modify(&i.id.id, "oxconf: modified", &stamp)
                    .ok_or("modify failed")?
            }
            EventKind::Status | EventKind::FreeBusyChanged => {
                return Err(format!(
                    "{} cannot be caused by a mailbox action here",
                    kind.element()
                ))
            }
        };
        let logged = m.log.iter().rev().find(|l| {
            l.event.kind == kind
                && l.event.object.as_ref().map(|o| o.base().id.as_str())
                    == Some(item.id.id.as_str())
        });
        Caused {
            kind,
            item_id: item.id.id.clone(),
            watermark: logged
                .map(|l| l.event.watermark.clone().unwrap_or_default())
                .unwrap_or_default(),
        }
    };
    shared.wake_all();
    shared.log(|| format!("control: caused {} ({})", kind.element(), caused.item_id));
    Ok(caused)
}

fn control(shared: &Shared, req: &ServerRequest, path: &str) -> ServerResponse {
    let query = req.path.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let param = |name: &str| {
        query.split('&').find_map(|kv| {
            kv.split_once('=')
                .filter(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    };
    match (req.method.as_str(), path.trim_end_matches('/')) {
        ("POST", p) if p == format!("{CONTROL_PATH}/event") => {
            let kind = match param("kind").as_deref() {
                Some("newmail") => EventKind::NewMail,
                Some("created") => EventKind::Created,
                Some("deleted") => EventKind::Deleted,
                Some("moved") => EventKind::Moved,
                Some("copied") => EventKind::Copied,
                Some("modified") => EventKind::Modified,
                other => {
                    return json(
                        400,
                        serde_json::json!({"error": format!("kind {other:?}: use newmail, created, deleted, moved, copied or modified")}),
                    )
                }
            };
            match cause(shared, kind, param("folder").as_deref()) {
                Ok(c) => json(200, serde_json::to_value(&c).unwrap_or_default()),
                Err(e) => json(400, serde_json::json!({"error": e})),
            }
        }
        ("GET", p) if p == format!("{CONTROL_PATH}/subscriptions") => {
            let subs: Vec<SubscriptionInfo> = shared
                .lock()
                .subs
                .values()
                .map(|s| s.info.clone())
                .collect();
            json(200, serde_json::to_value(&subs).unwrap_or_default())
        }
        _ => json(
            404,
            serde_json::json!({"error": "POST /control/event?kind=… or GET /control/subscriptions"}),
        ),
    }
}
