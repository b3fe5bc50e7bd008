//! The strict readers: every message passes the strict XML gate and the SOAP envelope
//! reader first, then its body is checked against the schema's content models (`schema`),
//! each deviation becoming a finding with its rule and requirement.

use super::model::*;
use super::ns::{EXCHANGE_VERSIONS, MESSAGES, TYPES};
use super::schema::{many, one, opt, push, sequence, simple, text, Check, Slot, Unknown};
use super::{
    rules, EwsResponse, FolderResponse, ItemResponse, ListenerAnswer, Received, ServerVersionInfo,
};
use crate::finding::{Finding, Layer, LayerError};
use crate::soap::{parse_envelope, Body, SoapVersion};
use crate::xml::datatypes::{is_datetime, parse_boolean, parse_int};
use crate::xml::{namespace_of, parse_strict, serialize_subtree, Limits};
use roxmltree::Node;

/// A message's envelope, read once by the SOAP layer (for its findings and faults) and once
/// here for the EWS header and body.
struct Message<'a, 'i> {
    soap: SoapVersion,
    header: Option<Node<'a, 'i>>,
    body: Option<Node<'a, 'i>>,
    soap_body: Body,
    findings: Vec<Finding>,
}

fn open<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    text: &'i str,
    limits: Limits,
) -> Result<Message<'a, 'i>, LayerError> {
    let env = parse_envelope(text, limits)?;
    let env_ns = env.version.envelope_ns();
    let root = doc.root_element();
    let mut header = None;
    let mut body = None;
    for c in root.children().filter(Node::is_element) {
        if c.tag_name().namespace() != Some(env_ns) {
            continue;
        }
        match c.tag_name().name() {
            "Header" if header.is_none() && body.is_none() => header = Some(c),
            "Body" if body.is_none() => body = Some(c),
            _ => {}
        }
    }
    Ok(Message {
        soap: env.version,
        header,
        body: body.and_then(|b| b.first_element_child()),
        soap_body: env.body,
        findings: env.findings,
    })
}

fn parse<'i>(text: &'i str, limits: Limits) -> Result<roxmltree::Document<'i>, LayerError> {
    parse_strict(text, Layer::Envelope, limits)
}

/// `t:RequestServerVersion`'s Version, checked against ExchangeVersionType (NTIF-R026).
fn request_server_version(header: Option<Node<'_, '_>>, f: &mut Vec<Finding>) -> Option<String> {
    let node = header?
        .children()
        .filter(Node::is_element)
        .find(|c| c.tag_name().name() == "RequestServerVersion")?;
    let path = "/Envelope/Header/RequestServerVersion";
    if namespace_of(node) != Some(TYPES) {
        f.push(
            Finding::violation(
                rules::ELEMENT_NAMESPACE,
                path,
                format!(
                    "RequestServerVersion is in {}; it is t:RequestServerVersion",
                    super::schema::ns_label(namespace_of(node))
                ),
            )
            .requirement("PSNTIF-R011"),
        );
    }
    let Some(version) = node.attribute("Version") else {
        f.push(
            Finding::violation(
                rules::ATTRIBUTE_MISSING,
                path,
                "RequestServerVersion without its required Version attribute",
            )
            .requirement("NTIF-R026"),
        );
        return Some(String::new());
    };
    if !EXCHANGE_VERSIONS.contains(&version) {
        f.push(
            Finding::violation(
                rules::SERVER_VERSION_VALUE,
                format!("{path}/@Version"),
                format!(
                    "Version {version:?} is not an ExchangeVersionType value ({})",
                    EXCHANGE_VERSIONS.join(", ")
                ),
            )
            .requirement("NTIF-R026"),
        );
    }
    Some(version.to_owned())
}

fn server_version_info(header: Option<Node<'_, '_>>) -> Option<ServerVersionInfo> {
    let node = header?
        .children()
        .filter(Node::is_element)
        .find(|c| c.tag_name().name() == "ServerVersionInfo" && namespace_of(*c) == Some(TYPES))?;
    let int = |name| node.attribute(name).and_then(parse_int);
    Some(ServerVersionInfo {
        major_version: int("MajorVersion"),
        minor_version: int("MinorVersion"),
        major_build_number: int("MajorBuildNumber"),
        minor_build_number: int("MinorBuildNumber"),
        version: node.attribute("Version").map(str::to_owned),
    })
}

/// Checks the body element's name and namespace; `false` when it is another operation.
fn expect_operation(
    body: Option<Node<'_, '_>>,
    name: &str,
    requirement: &'static str,
    f: &mut Vec<Finding>,
) -> bool {
    let Some(node) = body else {
        f.push(
            Finding::violation(
                rules::BODY_OPERATION,
                "/Envelope/Body",
                format!("the Body is empty; it must hold m:{name}"),
            )
            .requirement(requirement),
        );
        return false;
    };
    let local = node.tag_name().name();
    if local != name {
        f.push(
            Finding::violation(
                rules::BODY_OPERATION,
                format!("/Envelope/Body/{local}"),
                format!("the Body holds {local}; it must hold m:{name}"),
            )
            .requirement(requirement),
        );
        return false;
    }
    check_ns(
        node,
        MESSAGES,
        &format!("/Envelope/Body/{name}"),
        Some(requirement),
        f,
    );
    true
}

fn check_ns(
    node: Node<'_, '_>,
    expected: &str,
    path: &str,
    requirement: Option<&'static str>,
    f: &mut Vec<Finding>,
) {
    let ns = namespace_of(node);
    if ns != Some(expected) {
        push(
            f,
            Finding::violation(
                rules::ELEMENT_NAMESPACE,
                path,
                format!(
                    "{} is in {}; the schema declares it in {}",
                    node.tag_name().name(),
                    super::schema::ns_label(ns),
                    super::schema::ns_label(Some(expected))
                ),
            ),
            requirement,
        );
    }
}

// ---- common types ----

const RESPONSE_MESSAGE: [Slot; 4] = [
    opt(&["MessageText"], MESSAGES),
    opt(&["ResponseCode"], MESSAGES),
    opt(&["DescriptiveLinkKey"], MESSAGES),
    opt(&["MessageXml"], MESSAGES),
];

fn response_class(
    node: Node<'_, '_>,
    path: &str,
    check: Check,
    f: &mut Vec<Finding>,
) -> ResponseClass {
    match node.attribute("ResponseClass") {
        None => {
            push(
                f,
                Finding::violation(
                    rules::ATTRIBUTE_MISSING,
                    path,
                    "the required ResponseClass attribute is missing",
                ),
                check.requirement,
            );
            ResponseClass::Error
        }
        Some(v) => ResponseClass::parse(v).unwrap_or_else(|| {
            push(
                f,
                Finding::violation(
                    rules::VALUE_ENUMERATION,
                    format!("{path}/@ResponseClass"),
                    format!("ResponseClass {v:?} is not Success, Warning or Error"),
                ),
                check.requirement,
            );
            ResponseClass::Error
        }),
    }
}

/// The ResponseMessageType part of a response message whose children are `m` (the first
/// four slots are always RESPONSE_MESSAGE).
fn response_message(
    node: Node<'_, '_>,
    m: &super::schema::Matched<'_, '_>,
    path: &str,
    check: Check,
    f: &mut Vec<Finding>,
) -> ResponseMessage {
    let class = response_class(node, path, check, f);
    let descriptive_link_key = m.first(2).and_then(|n| {
        let t = simple(n, &format!("{path}/DescriptiveLinkKey"), check, f);
        let v = parse_int(&t);
        if v.is_none() && check.strict {
            push(
                f,
                Finding::violation(
                    rules::VALUE_INT,
                    format!("{path}/DescriptiveLinkKey"),
                    format!("{t:?} is not an xs:int"),
                ),
                check.requirement,
            );
        }
        v
    });
    ResponseMessage {
        class,
        message_text: m.first(0).map(text),
        response_code: m.first(1).map(|n| text(n).trim().to_owned()),
        descriptive_link_key,
        message_xml: m.first(3).map(|n| {
            n.children()
                .filter(Node::is_element)
                .map(serialize_subtree)
                .collect::<String>()
        }),
    }
}

fn non_empty(value: String, path: &str, check: Check, f: &mut Vec<Finding>) -> String {
    if check.strict && value.is_empty() {
        push(
            f,
            Finding::violation(
                rules::VALUE_EMPTY,
                path,
                "an empty string where the type is a NonEmptyString",
            ),
            check.requirement,
        );
    }
    value
}

fn base_id(node: Node<'_, '_>, path: &str, check: Check, f: &mut Vec<Finding>) -> BaseId {
    let id = match node.attribute("Id") {
        Some(id) => id.to_owned(),
        None => {
            if check.strict {
                push(
                    f,
                    Finding::violation(
                        rules::ATTRIBUTE_MISSING,
                        path,
                        format!(
                            "{} without its required Id attribute",
                            node.tag_name().name()
                        ),
                    ),
                    check.requirement,
                );
            }
            String::new()
        }
    };
    BaseId {
        id,
        change_key: node.attribute("ChangeKey").map(str::to_owned),
    }
}

fn object_id(node: Node<'_, '_>, path: &str, check: Check, f: &mut Vec<Finding>) -> ObjectId {
    let id = base_id(node, path, check, f);
    if node.tag_name().name().ends_with("FolderId") {
        ObjectId::Folder(id)
    } else {
        ObjectId::Item(id)
    }
}

fn folder_ref(node: Node<'_, '_>, path: &str, check: Check, f: &mut Vec<Finding>) -> FolderRef {
    if node.tag_name().name() == "DistinguishedFolderId" {
        let id = node.attribute("Id").unwrap_or_default().to_owned();
        let mailbox = node
            .descendants()
            .find(|d| d.tag_name().name() == "EmailAddress")
            .map(|d| text(d).trim().to_owned());
        FolderRef::Distinguished { id, mailbox }
    } else {
        FolderRef::Id(base_id(node, path, check, f))
    }
}

// ---- notifications ----

const EVENTS: &[&str] = &[
    "CopiedEvent",
    "CreatedEvent",
    "DeletedEvent",
    "ModifiedEvent",
    "MovedEvent",
    "NewMailEvent",
    "StatusEvent",
    "FreeBusyChangedEvent",
];

const NOTIFICATION: [Slot; 4] = [
    one(&["SubscriptionId"], TYPES),
    opt(&["PreviousWatermark"], TYPES),
    opt(&["MoreEvents"], TYPES),
    many(EVENTS, TYPES, 1),
];

const STATUS_EVENT: [Slot; 1] = [opt(&["Watermark"], TYPES)];

const OBJECT_EVENT: [Slot; 7] = [
    opt(&["Watermark"], TYPES),
    one(&["TimeStamp"], TYPES),
    one(&["FolderId", "ItemId"], TYPES),
    one(&["ParentFolderId"], TYPES),
    // Modified only:
    opt(&["UnreadCount"], TYPES),
    // Moved and Copied only:
    one(&["OldFolderId", "OldItemId"], TYPES),
    one(&["OldParentFolderId"], TYPES),
];

/// Reads a `t:NotificationType` (as `m:Notification` of SendNotification and GetEvents).
pub(crate) fn notification(node: Node<'_, '_>, path: &str, f: &mut Vec<Finding>) -> Notification {
    let check = Check {
        unknown: Unknown::Advice(rules::EVENT_UNKNOWN),
        strict: true,
        requirement: Some("NTIF-R009"),
    };
    let m = sequence(node, path, &NOTIFICATION, check, f);
    let subscription_id = m.first(0).map_or_else(String::new, |n| {
        let p = format!("{path}/SubscriptionId");
        let v = simple(n, &p, check, f);
        non_empty(v, &p, check, f)
    });
    let previous_watermark = m.first(1).map(|n| {
        let p = format!("{path}/PreviousWatermark");
        let v = simple(n, &p, check, f);
        non_empty(v, &p, check, f)
    });
    let more_events = m.first(2).and_then(|n| {
        let p = format!("{path}/MoreEvents");
        let t = simple(n, &p, check, f);
        let v = parse_boolean(&t);
        if v.is_none() {
            push(
                f,
                Finding::violation(
                    rules::VALUE_BOOLEAN,
                    p,
                    format!("{t:?} is not an xs:boolean"),
                ),
                check.requirement,
            );
        }
        v
    });
    let mut counts = std::collections::HashMap::new();
    let events = m
        .all(3)
        .iter()
        .filter_map(|e| {
            let name = e.tag_name().name();
            let n = counts.entry(name).or_insert(0);
            *n += 1;
            let kind = EventKind::from_element(name)?;
            Some(event(*e, kind, &format!("{path}/{name}[{n}]"), check, f))
        })
        .collect();
    Notification {
        subscription_id,
        previous_watermark,
        more_events,
        events,
    }
}

fn event(
    node: Node<'_, '_>,
    kind: EventKind,
    path: &str,
    check: Check,
    f: &mut Vec<Finding>,
) -> Event {
    let strict = Check {
        unknown: Unknown::Violation,
        ..check
    };
    if kind == EventKind::Status {
        let m = sequence(node, path, &STATUS_EVENT, strict, f);
        let watermark = m.first(0).map(|n| {
            let p = format!("{path}/Watermark");
            let v = simple(n, &p, check, f);
            non_empty(v, &p, check, f)
        });
        let mut e = Event::status(String::new());
        e.watermark = watermark;
        return e;
    }
    // Slots that do not belong to this kind are left out, so their elements are "unexpected".
    let mut slots: Vec<Slot> = OBJECT_EVENT[..4].to_vec();
    let empty = Slot {
        names: &[],
        ..OBJECT_EVENT[4]
    };
    slots.push(if kind == EventKind::Modified {
        OBJECT_EVENT[4]
    } else {
        empty
    });
    if kind.is_moved_or_copied() {
        slots.extend_from_slice(&OBJECT_EVENT[5..]);
    }
    let m = sequence(node, path, &slots, strict, f);
    let watermark = m.first(0).map(|n| {
        let p = format!("{path}/Watermark");
        let v = simple(n, &p, check, f);
        non_empty(v, &p, check, f)
    });
    let time_stamp = m.first(1).map(|n| {
        let p = format!("{path}/TimeStamp");
        let v = simple(n, &p, check, f);
        if !is_datetime(&v) {
            push(
                f,
                Finding::violation(
                    rules::VALUE_DATETIME,
                    p,
                    format!("{v:?} is not an xs:dateTime"),
                ),
                check.requirement,
            );
        }
        v
    });
    let object = m.first(2).map(|n| {
        let p = format!("{path}/{}", n.tag_name().name());
        object_id(n, &p, check, f)
    });
    let parent_folder_id = m
        .first(3)
        .map(|n| base_id(n, &format!("{path}/ParentFolderId"), check, f));
    let unread_count = m.first(4).map(|n| {
        let p = format!("{path}/UnreadCount");
        let v = simple(n, &p, check, f);
        if parse_int(&v).is_none() {
            push(
                f,
                Finding::violation(rules::VALUE_INT, p, format!("{v:?} is not an xs:int")),
                check.requirement,
            );
        }
        v.trim().to_owned()
    });
    let (old_object, old_parent_folder_id) = if kind.is_moved_or_copied() {
        (
            m.first(5).map(|n| {
                let p = format!("{path}/{}", n.tag_name().name());
                object_id(n, &p, check, f)
            }),
            m.first(6)
                .map(|n| base_id(n, &format!("{path}/OldParentFolderId"), check, f)),
        )
    } else {
        (None, None)
    };
    Event {
        kind,
        watermark,
        time_stamp,
        object,
        parent_folder_id,
        old_object,
        old_parent_folder_id,
        unread_count,
    }
}

const SEND_NOTIFICATION: [Slot; 1] = [one(&["ResponseMessages"], MESSAGES)];
const SN_MESSAGES: [Slot; 1] = [many(&["SendNotificationResponseMessage"], MESSAGES, 1)];
const SN_MESSAGE: [Slot; 5] = [
    RESPONSE_MESSAGE[0],
    RESPONSE_MESSAGE[1],
    RESPONSE_MESSAGE[2],
    RESPONSE_MESSAGE[3],
    one(&["Notification"], MESSAGES),
];

pub(crate) fn send_notification(
    body: &str,
    limits: Limits,
) -> Result<Received<SendNotification>, LayerError> {
    let doc = parse(body, limits)?;
    let msg = open(&doc, body, limits)?;
    let mut f = msg.findings;
    let server_version = request_server_version(msg.header, &mut f);
    let mut messages = Vec::new();
    if expect_operation(msg.body, "SendNotification", "PSNTIF-R010", &mut f) {
        if let Some(node) = msg.body {
            let path = "/Envelope/Body/SendNotification";
            let top = sequence(
                node,
                path,
                &SEND_NOTIFICATION,
                Check::strict(Some("PSNTIF-R013")),
                &mut f,
            );
            if let Some(list) = top.first(0) {
                let lpath = format!("{path}/ResponseMessages");
                let items = sequence(
                    list,
                    &lpath,
                    &SN_MESSAGES,
                    Check::strict(Some("PSNTIF-R013")),
                    &mut f,
                );
                for (i, item) in items.all(0).iter().enumerate() {
                    let ipath = format!("{lpath}/SendNotificationResponseMessage[{}]", i + 1);
                    let check = Check::strict(Some("PSNTIF-R014"));
                    let m = sequence(*item, &ipath, &SN_MESSAGE, check, &mut f);
                    let response = response_message(*item, &m, &ipath, check, &mut f);
                    let notification = m
                        .first(4)
                        .map(|n| notification(n, &format!("{ipath}/Notification"), &mut f));
                    messages.push(SendNotificationMessage {
                        response,
                        notification,
                    });
                }
            }
        }
    }
    Ok(Received {
        soap: msg.soap,
        server_version: server_version.clone(),
        value: SendNotification {
            server_version,
            messages,
        },
        findings: f,
    })
}

// ---- the listener's answer ----

const ANSWER: [Slot; 1] = [one(&["SubscriptionStatus"], MESSAGES)];

pub(crate) fn listener_answer(
    body: &str,
    limits: Limits,
) -> Result<Received<ListenerAnswer>, LayerError> {
    let doc = parse(body, limits)?;
    let msg = open(&doc, body, limits)?;
    let mut f = msg.findings;
    let value = match (&msg.soap_body, msg.body) {
        (Body::Fault(fault), _) => ListenerAnswer::Fault {
            code: fault.code.clone(),
            reason: fault.reason.clone(),
        },
        (_, None) => ListenerAnswer::Empty,
        (_, Some(node)) => {
            let name = node.tag_name().name();
            let result = if name == "SendNotificationResult" {
                check_ns(
                    node,
                    MESSAGES,
                    "/Envelope/Body/SendNotificationResult",
                    Some("PSNTIF-R006"),
                    &mut f,
                );
                Some((node, "/Envelope/Body/SendNotificationResult".to_owned()))
            } else if let Some(inner) = node
                .descendants()
                .find(|d| d.is_element() && d.tag_name().name() == "SendNotificationResult")
            {
                f.push(
                    Finding::violation(
                        rules::ANSWER_WRAPPED,
                        format!("/Envelope/Body/{name}"),
                        format!(
                            "SendNotificationResult is wrapped inside {name}; it must be the Body's only child"
                        ),
                    )
                    .requirement("PSNTIF-R016"),
                );
                Some((
                    inner,
                    format!("/Envelope/Body/{name}//SendNotificationResult"),
                ))
            } else {
                None
            };
            match result {
                None => ListenerAnswer::Other(name.to_owned()),
                Some((node, path)) => {
                    let check = Check::strict(Some("PSNTIF-R017"));
                    let m = sequence(node, &path, &ANSWER, check, &mut f);
                    if let Some(s) = m.first(0) {
                        if namespace_of(s) == Some(TYPES) {
                            // The namespace trap of E-PS-11: name the requirement it breaks.
                            if let Some(last) = f
                                .iter_mut()
                                .rev()
                                .find(|x| x.rule == rules::ELEMENT_NAMESPACE)
                            {
                                last.requirement = Some("PSNTIF-R019");
                            }
                        }
                    }
                    let status_text = m
                        .first(0)
                        .map(|n| simple(n, &format!("{path}/SubscriptionStatus"), check, &mut f));
                    let status = status_text.as_deref().and_then(|t| {
                        // xs:token-like whitespace is collapsed by a validating reader, but
                        // the value itself is case-sensitive (PSNTIF-R018).
                        SubscriptionStatus::parse(
                            t.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n')),
                        )
                    });
                    if let (Some(t), None) = (&status_text, status) {
                        f.push(
                            Finding::violation(
                                rules::VALUE_ENUMERATION,
                                format!("{path}/SubscriptionStatus"),
                                format!("SubscriptionStatus {t:?} is neither \"OK\" nor \"Unsubscribe\" (case matters)"),
                            )
                            .requirement("PSNTIF-R018"),
                        );
                    }
                    ListenerAnswer::Result {
                        status_text,
                        status,
                    }
                }
            }
        }
    };
    let server_version = request_server_version(msg.header, &mut Vec::new());
    Ok(Received {
        soap: msg.soap,
        server_version,
        value,
        findings: f,
    })
}

// ---- requests (the mocks' side) ----

const SUBSCRIBE: [Slot; 1] = [one(
    &[
        "PullSubscriptionRequest",
        "PushSubscriptionRequest",
        "StreamingSubscriptionRequest",
    ],
    MESSAGES,
)];

const PUSH_REQUEST: [Slot; 6] = [
    opt(&["FolderIds"], TYPES),
    one(&["EventTypes"], TYPES),
    opt(&["Watermark"], TYPES),
    // Required by the schema, optional (default 30) by the EWS reference (digest 1.9): a
    // missing one is judged by the suite (NTIF-R024), not reported here.
    opt(&["StatusFrequency"], TYPES),
    one(&["URL"], TYPES),
    opt(&["CallerData"], TYPES),
];

const FOLDER_IDS: [Slot; 1] = [many(&["FolderId", "DistinguishedFolderId"], TYPES, 1)];
const EVENT_TYPES: [Slot; 1] = [many(&["EventType"], TYPES, 1)];

/// Why a push URL is refused (digest 1.3: non-empty, shorter than 2083, http or https, a
/// valid URI), or `None` when it is acceptable.
pub fn push_url_problem(url: &str) -> Option<String> {
    if url.is_empty() {
        return Some("the URL is empty".into());
    }
    if url.chars().count() >= 2083 {
        return Some(format!(
            "the URL is {} characters long; it must be shorter than 2083",
            url.chars().count()
        ));
    }
    match url::Url::parse(url) {
        Err(e) => Some(format!("{url:?} is not an absolute URI: {e}")),
        Ok(u) if u.scheme() != "http" && u.scheme() != "https" => Some(format!(
            "the scheme is {:?}; only http and https are allowed",
            u.scheme()
        )),
        Ok(u) if u.host_str().is_none_or(str::is_empty) => Some(format!("{url:?} has no host")),
        Ok(_) => None,
    }
}

fn push_request(node: Node<'_, '_>, path: &str, f: &mut Vec<Finding>) -> PushSubscriptionRequest {
    let check = Check::strict(Some("NTIF-R021"));
    let subscribe_to_all_folders = node.attribute("SubscribeToAllFolders").and_then(|v| {
        let b = parse_boolean(v);
        if b.is_none() {
            f.push(
                Finding::violation(
                    rules::VALUE_BOOLEAN,
                    format!("{path}/@SubscribeToAllFolders"),
                    format!("{v:?} is not an xs:boolean"),
                )
                .requirement("NTIF-R021"),
            );
        }
        b
    });
    let m = sequence(node, path, &PUSH_REQUEST, check, f);
    let folder_ids = m.first(0).map_or_else(Vec::new, |n| {
        let p = format!("{path}/FolderIds");
        let ids = sequence(n, &p, &FOLDER_IDS, check, f);
        ids.all(0)
            .iter()
            .map(|i| folder_ref(*i, &format!("{p}/{}", i.tag_name().name()), check, f))
            .collect()
    });
    let event_types = m.first(1).map_or_else(Vec::new, |n| {
        let p = format!("{path}/EventTypes");
        let types = sequence(n, &p, &EVENT_TYPES, check, f);
        types
            .all(0)
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let tp = format!("{p}/EventType[{}]", i + 1);
                let v = simple(*t, &tp, check, f).trim().to_owned();
                match EventKind::from_element(&v) {
                    Some(EventKind::Status) => f.push(
                        Finding::violation(
                            rules::EVENT_TYPE_STATUS,
                            tp,
                            "StatusEvent cannot be subscribed to: it is not a NotificationEventTypeType value",
                        )
                        .requirement("NTIF-R022"),
                    ),
                    Some(_) => {}
                    None => f.push(
                        Finding::violation(
                            rules::EVENT_TYPE_UNKNOWN,
                            tp,
                            format!("{v:?} is not a NotificationEventTypeType value (CopiedEvent, CreatedEvent, DeletedEvent, ModifiedEvent, MovedEvent, NewMailEvent, FreeBusyChangedEvent)"),
                        )
                        .requirement("NTIF-R022"),
                    ),
                }
                v
            })
            .collect()
    });
    let watermark = m.first(2).map(|n| {
        let p = format!("{path}/Watermark");
        let v = simple(n, &p, check, f);
        non_empty(v, &p, check, f)
    });
    let status_frequency = m.first(3).map(|n| {
        let p = format!("{path}/StatusFrequency");
        let v = simple(n, &p, check, f);
        match parse_int(&v) {
            None => f.push(
                Finding::violation(rules::VALUE_INT, p, format!("{v:?} is not an xs:int"))
                    .requirement("NTIF-R023"),
            ),
            Some(n) if !(1..=1440).contains(&n) => f.push(
                Finding::violation(
                    rules::VALUE_RANGE,
                    p,
                    format!("StatusFrequency {n} is outside 1..1440 minutes"),
                )
                .requirement("NTIF-R023"),
            ),
            Some(_) => {}
        }
        v
    });
    let url = m.first(4).map_or_else(String::new, |n| {
        let p = format!("{path}/URL");
        let v = simple(n, &p, check, f).trim().to_owned();
        if let Some(problem) = push_url_problem(&v) {
            f.push(Finding::violation(rules::URL_INVALID, p, problem).requirement("NTIF-R025"));
        }
        v
    });
    let caller_data = m
        .first(5)
        .map(|n| simple(n, &format!("{path}/CallerData"), check, f));
    PushSubscriptionRequest {
        subscribe_to_all_folders,
        folder_ids,
        event_types,
        watermark,
        status_frequency,
        url,
        caller_data,
    }
}

fn child_text(node: Node<'_, '_>, name: &str) -> Option<String> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
        .map(|c| text(c).trim().to_owned())
}

fn descendants_named<'a, 'i>(
    node: Node<'a, 'i>,
    names: &'a [&'a str],
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.descendants()
        .filter(move |d| d.is_element() && names.contains(&d.tag_name().name()))
}

fn folder_under(node: Node<'_, '_>, container: &str) -> Option<FolderRef> {
    let c = node
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == container)?;
    let first = descendants_named(c, &["FolderId", "DistinguishedFolderId"]).next()?;
    Some(folder_ref(first, "", Check::lax(), &mut Vec::new()))
}

fn item_ids(node: Node<'_, '_>) -> Vec<BaseId> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == "ItemIds")
        .map(|c| {
            descendants_named(c, &["ItemId"])
                .map(|i| base_id(i, "", Check::lax(), &mut Vec::new()))
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn request(body: &str, limits: Limits) -> Result<Received<EwsRequest>, LayerError> {
    let doc = parse(body, limits)?;
    let msg = open(&doc, body, limits)?;
    let mut f = msg.findings;
    let server_version = request_server_version(msg.header, &mut f);
    let value = match msg.body {
        None => EwsRequest::Other(String::new()),
        Some(node) => {
            let name = node.tag_name().name();
            let path = format!("/Envelope/Body/{name}");
            if namespace_of(node) != Some(MESSAGES) {
                check_ns(node, MESSAGES, &path, Some("NTIF-R020"), &mut f);
            }
            match name {
                "Subscribe" => {
                    let m = sequence(
                        node,
                        &path,
                        &SUBSCRIBE,
                        Check::strict(Some("NTIF-R020")),
                        &mut f,
                    );
                    match m.first(0) {
                        Some(r) if r.tag_name().name() == "PushSubscriptionRequest" => {
                            EwsRequest::Subscribe(push_request(
                                r,
                                &format!("{path}/PushSubscriptionRequest"),
                                &mut f,
                            ))
                        }
                        Some(r) => EwsRequest::SubscribeOther(r.tag_name().name().to_owned()),
                        None => EwsRequest::SubscribeOther(String::new()),
                    }
                }
                "Unsubscribe" => EwsRequest::Unsubscribe {
                    subscription_id: child_text(node, "SubscriptionId").unwrap_or_default(),
                },
                "GetEvents" => EwsRequest::GetEvents {
                    subscription_id: child_text(node, "SubscriptionId").unwrap_or_default(),
                    watermark: child_text(node, "Watermark").unwrap_or_default(),
                },
                "CreateItem" => EwsRequest::CreateItem {
                    saved_item_folder: folder_under(node, "SavedItemFolderId"),
                    items: node
                        .children()
                        .find(|c| c.is_element() && c.tag_name().name() == "Items")
                        .map(|items| {
                            items
                                .children()
                                .filter(Node::is_element)
                                .map(|m| MessageDraft {
                                    subject: child_text(m, "Subject"),
                                    body: child_text(m, "Body"),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                },
                "DeleteItem" => EwsRequest::DeleteItem {
                    item_ids: item_ids(node),
                    hard: node.attribute("DeleteType") == Some("HardDelete"),
                },
                "MoveItem" | "CopyItem" => {
                    let item_ids = item_ids(node);
                    let to_folder = folder_under(node, "ToFolderId")
                        .unwrap_or_else(|| FolderRef::distinguished(""));
                    if name == "MoveItem" {
                        EwsRequest::MoveItem {
                            item_ids,
                            to_folder,
                        }
                    } else {
                        EwsRequest::CopyItem {
                            item_ids,
                            to_folder,
                        }
                    }
                }
                "UpdateItem" => EwsRequest::UpdateItem {
                    item_id: descendants_named(node, &["ItemId"])
                        .next()
                        .map(|i| base_id(i, "", Check::lax(), &mut Vec::new()))
                        .unwrap_or_default(),
                    subject: descendants_named(node, &["Subject"])
                        .find(|s| {
                            s.parent()
                                .is_some_and(|p| p.tag_name().name() != "FieldURI")
                        })
                        .map(|s| text(s))
                        .unwrap_or_default(),
                },
                "GetFolder" => EwsRequest::GetFolder {
                    folder_ids: node
                        .children()
                        .find(|c| c.is_element() && c.tag_name().name() == "FolderIds")
                        .map(|c| {
                            descendants_named(c, &["FolderId", "DistinguishedFolderId"])
                                .map(|i| folder_ref(i, "", Check::lax(), &mut Vec::new()))
                                .collect()
                        })
                        .unwrap_or_default(),
                },
                other => EwsRequest::Other(other.to_owned()),
            }
        }
    };
    Ok(Received {
        soap: msg.soap,
        server_version,
        value,
        findings: f,
    })
}

// ---- responses (the push-server suite's side) ----

fn items_of<'a, 'i>(node: Node<'a, 'i>, list: &str) -> Vec<Node<'a, 'i>> {
    node.children()
        .filter(|c| c.is_element() && c.tag_name().name() == list)
        .flat_map(|c| c.children().filter(Node::is_element))
        .collect()
}

const SUBSCRIBE_MESSAGE: [Slot; 6] = [
    RESPONSE_MESSAGE[0],
    RESPONSE_MESSAGE[1],
    RESPONSE_MESSAGE[2],
    RESPONSE_MESSAGE[3],
    opt(&["SubscriptionId"], MESSAGES),
    opt(&["Watermark"], MESSAGES),
];
const GET_EVENTS_MESSAGE: [Slot; 5] = [
    RESPONSE_MESSAGE[0],
    RESPONSE_MESSAGE[1],
    RESPONSE_MESSAGE[2],
    RESPONSE_MESSAGE[3],
    opt(&["Notification"], MESSAGES),
];

fn response_item<'a, 'i>(
    item: Node<'a, 'i>,
    lpath: &str,
    i: usize,
    slots: &[Slot],
    check: Check,
    f: &mut Vec<Finding>,
) -> (ResponseMessage, super::schema::Matched<'a, 'i>, String) {
    let ipath = format!("{lpath}/{}[{}]", item.tag_name().name(), i + 1);
    let m = sequence(item, &ipath, slots, check, f);
    let r = response_message(item, &m, &ipath, check, f);
    (r, m, ipath)
}

pub(crate) fn response(body: &str, limits: Limits) -> Result<Received<EwsResponse>, LayerError> {
    let doc = parse(body, limits)?;
    let msg = open(&doc, body, limits)?;
    let mut f = msg.findings;
    let svi = server_version_info(msg.header);
    let value = match (&msg.soap_body, msg.body) {
        (Body::Fault(fault), _) => EwsResponse::Fault {
            code: fault.code.clone(),
            reason: fault.reason.clone(),
        },
        (_, None) => {
            return Err(LayerError::new(
                Layer::Envelope,
                "the response Body is empty",
            ));
        }
        (_, Some(node)) => {
            let name = node.tag_name().name();
            let path = format!("/Envelope/Body/{name}");
            let lpath = format!("{path}/ResponseMessages");
            let strict = Check::strict(Some("NTIF-R002"));
            let common = |item, i, slots: &[Slot], check, f: &mut Vec<Finding>| {
                response_item(item, &lpath, i, slots, check, f)
            };
            let items = items_of(node, "ResponseMessages");
            match name {
                "SubscribeResponse" => {
                    check_ns(node, MESSAGES, &path, Some("NTIF-R002"), &mut f);
                    EwsResponse::Subscribe(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, item)| {
                                let (response, m, _) =
                                    common(*item, i, &SUBSCRIBE_MESSAGE, strict, &mut f);
                                SubscribeResponse {
                                    response,
                                    subscription_id: m.first(4).map(|n| text(n).trim().to_owned()),
                                    watermark: m.first(5).map(|n| text(n).trim().to_owned()),
                                }
                            })
                            .collect(),
                    )
                }
                "UnsubscribeResponse" => EwsResponse::Unsubscribe(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            common(*item, i, &RESPONSE_MESSAGE, Check::lax(), &mut f).0
                        })
                        .collect(),
                ),
                "GetEventsResponse" => EwsResponse::GetEvents(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            let (response, m, ipath) =
                                common(*item, i, &GET_EVENTS_MESSAGE, Check::lax(), &mut f);
                            SendNotificationMessage {
                                response,
                                notification: m.first(4).map(|n| {
                                    notification(n, &format!("{ipath}/Notification"), &mut f)
                                }),
                            }
                        })
                        .collect(),
                ),
                "CreateItemResponse" | "DeleteItemResponse" | "MoveItemResponse"
                | "CopyItemResponse" | "UpdateItemResponse" => {
                    let list: Vec<ItemResponse> = items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            let (response, _, _) =
                                common(*item, i, &RESPONSE_MESSAGE, Check::lax(), &mut f);
                            let ids = items_of(*item, "Items")
                                .into_iter()
                                .filter_map(|it| {
                                    it.children()
                                        .find(|c| c.is_element() && c.tag_name().name() == "ItemId")
                                        .map(|c| base_id(c, "", Check::lax(), &mut Vec::new()))
                                })
                                .collect();
                            ItemResponse {
                                response,
                                items: ids,
                            }
                        })
                        .collect();
                    match name {
                        "CreateItemResponse" => EwsResponse::CreateItem(list),
                        "DeleteItemResponse" => EwsResponse::DeleteItem(list),
                        "MoveItemResponse" => EwsResponse::MoveItem(list),
                        "CopyItemResponse" => EwsResponse::CopyItem(list),
                        _ => EwsResponse::UpdateItem(list),
                    }
                }
                "GetFolderResponse" => EwsResponse::GetFolder(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            let (response, _, _) =
                                common(*item, i, &RESPONSE_MESSAGE, Check::lax(), &mut f);
                            let folders = items_of(*item, "Folders")
                                .into_iter()
                                .filter_map(|folder| {
                                    let id = folder.children().find(|c| {
                                        c.is_element() && c.tag_name().name() == "FolderId"
                                    })?;
                                    Some(FolderInfo {
                                        id: base_id(id, "", Check::lax(), &mut Vec::new()),
                                        display_name: child_text(folder, "DisplayName"),
                                    })
                                })
                                .collect();
                            FolderResponse { response, folders }
                        })
                        .collect(),
                ),
                other => {
                    return Err(LayerError::new(
                        Layer::Envelope,
                        format!("the response Body holds {other}, which is not an EWS response this reader knows"),
                    ));
                }
            }
        }
    };
    Ok(Received {
        soap: msg.soap,
        // Present whenever t:ServerVersionInfo is (empty when it has no Version attribute).
        server_version: svi.map(|s| s.version.unwrap_or_default()),
        value,
        findings: f,
    })
}

/// The `t:ServerVersionInfo` of a response, for callers that need all its attributes.
pub fn response_server_version_info(body: &str, limits: Limits) -> Option<ServerVersionInfo> {
    let doc = parse(body, limits).ok()?;
    let msg = open(&doc, body, limits).ok()?;
    server_version_info(msg.header)
}
