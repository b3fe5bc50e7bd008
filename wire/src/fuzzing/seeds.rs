//! Seed inputs for the fuzz targets, derived from the golden vectors (`vectors/`).
//!
//! A coverage-guided fuzzer gets past the XML reader and into the schema checks much sooner
//! when it starts from real documents. The vectors already hold every document shape the
//! suites know about, so the seeds are computed from them instead of being copied into the
//! repository: `fuzz/src/bin/seed.rs` writes them to `fuzz/corpus/<target>/`, and
//! `wire/tests/fuzz_regressions.rs` runs the entry points over them in `cargo test`.
//!
//! The SOAP seeds wrap each vector document in the request or response that carries it, in
//! both SOAP versions. `vectors/` holds no mail, so the reply-mail seeds are the builder's
//! conformant and fault-injected replies.
//!
//! The binary seeds come from `vectors/cnotif/` (every NotificationData buffer for
//! `ropnotify` and the spec examples framed as RopNotify responses for `rop_buffer`; the
//! golden ROP buffers and MAPI/HTTP response streams) and from the writers (ROP buffers of
//! requests and responses, MAPI/HTTP streams and bodies). The EWS seeds
//! are the envelopes of `vectors/push/*.json`, for the reader of their type, and the writers'
//! requests and responses the vectors do not hold.

use serde::Deserialize;

use crate::binary::parse_hex;
use crate::cnotif;
use crate::ews::{
    self, BaseId, Event, EventKind, EwsRequest, EwsResponse, FolderInfo, FolderRef, FolderResponse,
    ItemResponse, MessageDraft, Notification, ObjectId, ResponseMessage, SendNotification,
    SendNotificationMessage, ServerVersionInfo, SubscribeResponse, SubscriptionStatus,
};
use crate::mail::{build_reply, BuildOptions, MediaPart, Reply, ReplyBody, TextEncoding};
use crate::mapihttp::{
    self, ConnectRequest, ConnectSuccess, ExecuteRequest, ExecuteSuccess, WaitSuccess,
};
use crate::oms::{fault_response, request, response, HttpSoap, Operation};
use crate::rop::{self, ec, types, LogonSuccess, RopRequest, RopResponse};
use crate::soap::{FaultCode, SoapVersion};

/// One seed input: the target it is for, a file name unique within that target, the bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seed {
    pub target: &'static str,
    pub name: String,
    pub data: Vec<u8>,
}

#[derive(Deserialize)]
struct VectorFile {
    cases: Vec<VectorCase>,
}

#[derive(Deserialize)]
struct VectorCase {
    id: u32,
    #[serde(rename = "type")]
    typ: String,
    xml: String,
}

/// The payload target that reads documents of root element `typ`.
fn payload_target(typ: &str) -> Option<&'static str> {
    Some(match typ {
        "serviceInfo" => "service_info",
        "xmsUser" | "userInfo" => "user",
        "xmsData" => "xms_data",
        "xmsResponse" => "xms_response",
        "xmsBatch" | "xmsResponses" => "batch",
        _ => return None,
    })
}

/// An HTTP message in the framing `fuzzing::soap_envelope` reads: header lines, an empty
/// line, the body.
fn http_bytes(message: &HttpSoap) -> Vec<u8> {
    let mut out = String::new();
    for (name, value) in &message.headers {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    out.push_str(&message.body);
    out.into_bytes()
}

fn version_tag(version: SoapVersion) -> &'static str {
    match version {
        SoapVersion::V11 => "soap11",
        SoapVersion::V12 => "soap12",
    }
}

/// Seeds from one vector file: each case's document for its payload target, and the SOAP
/// messages that carry it. `stem` is the file name without `.json` (it prefixes the seed
/// names); `json` the file's text. Err when the file is not in the vector format.
pub fn from_vector_file(stem: &str, json: &str) -> Result<Vec<Seed>, String> {
    let file: VectorFile =
        serde_json::from_str(json).map_err(|e| format!("{stem}.json is not a vector file: {e}"))?;
    let mut seeds = Vec::new();
    for case in &file.cases {
        let name = format!("{stem}-{:03}", case.id);
        if let Some(target) = payload_target(&case.typ) {
            seeds.push(Seed {
                target,
                name: format!("{name}.xml"),
                data: case.xml.clone().into_bytes(),
            });
        }
        for op in Operation::ALL {
            for version in SoapVersion::ALL {
                let tag = version_tag(version);
                if op.payload_in() == Some(case.typ.as_str()) {
                    seeds.push(Seed {
                        target: "soap_envelope",
                        name: format!("{name}-{}-request-{tag}.http", op.name()),
                        data: http_bytes(&request(op, version, Some(&case.xml))),
                    });
                }
                if op.payload_out() == case.typ {
                    seeds.push(Seed {
                        target: "soap_envelope",
                        name: format!("{name}-{}-response-{tag}.http", op.name()),
                        data: http_bytes(&response(op, version, &case.xml)),
                    });
                }
            }
        }
    }
    Ok(seeds)
}

#[derive(Deserialize)]
struct CnotifFile {
    #[serde(rename = "testGroups")]
    test_groups: Vec<CnotifGroup>,
}

#[derive(Deserialize)]
struct CnotifGroup {
    tests: Vec<CnotifTest>,
}

#[derive(Deserialize)]
struct CnotifTest {
    #[serde(rename = "tcId")]
    tc_id: u32,
    hex: String,
    #[serde(default)]
    flags: Vec<String>,
}

/// An Execute RopBuffer: `rops` in a ROP buffer with `handles`, in one RPC_HEADER_EXT.
fn execute_rop_buffer(rops: &[u8], handles: &[u32], xor_magic: bool) -> Result<Vec<u8>, String> {
    rop::write_rpc_ext(&rop::write_rop_buffer(rops, handles)?, xor_magic)
}

#[derive(Deserialize)]
struct HexFile {
    cases: Vec<HexCase>,
}

#[derive(Deserialize)]
struct HexCase {
    id: u32,
    hex: String,
}

/// Seeds from one `vectors/cnotif/` file, by its stem; files that hold no input buffers
/// (`spec-examples.json`, a list of the printed examples) give none. Err when a file is not in
/// its format.
///
/// * `notification-data`: every buffer for `ropnotify`, and each spec example framed as a
///   RopNotify response (RopId 0x2A, a NotificationHandle, a LogonId, the NotificationData)
///   in a ROP buffer and an RPC_HEADER_EXT for `rop_buffer`;
/// * `rop-buffers`: every Execute RopBuffer (RPC_HEADER_EXT and ROP buffer) for `rop_buffer`;
/// * `mapihttp-responses`: every response stream for `mapihttp_stream`.
pub fn from_cnotif_file(stem: &str, json: &str) -> Result<Vec<Seed>, String> {
    match stem {
        "notification-data" => from_notification_data(stem, json),
        "rop-buffers" => from_hex_cases(stem, json, "rop_buffer"),
        "mapihttp-responses" => from_hex_cases(stem, json, "mapihttp_stream"),
        _ => Ok(Vec::new()),
    }
}

/// Every case's `hex` for `target`.
fn from_hex_cases(stem: &str, json: &str, target: &'static str) -> Result<Vec<Seed>, String> {
    let file: HexFile = serde_json::from_str(json)
        .map_err(|e| format!("{stem}.json is not a vector file with hex cases: {e}"))?;
    file.cases
        .iter()
        .map(|case| {
            Ok(Seed {
                target,
                name: format!("{stem}-{:03}.bin", case.id),
                data: parse_hex(&case.hex).map_err(|e| format!("{stem}.json #{}: {e}", case.id))?,
            })
        })
        .collect()
}

fn from_notification_data(stem: &str, json: &str) -> Result<Vec<Seed>, String> {
    let file: CnotifFile = serde_json::from_str(json)
        .map_err(|e| format!("{stem}.json is not a NotificationData vector file: {e}"))?;
    let mut seeds = Vec::new();
    for test in file.test_groups.iter().flat_map(|g| &g.tests) {
        let data = parse_hex(&test.hex).map_err(|e| format!("{stem}.json #{}: {e}", test.tc_id))?;
        if test.flags.iter().any(|f| f == "SpecExample") {
            let handle: u32 = 1;
            let mut rops = vec![rop::ROP_NOTIFY];
            rops.extend_from_slice(&handle.to_le_bytes());
            rops.push(0);
            rops.extend_from_slice(&data);
            seeds.push(Seed {
                target: "rop_buffer",
                name: format!("{stem}-{:03}-ropnotify.bin", test.tc_id),
                data: execute_rop_buffer(&rops, &[handle], false)
                    .map_err(|e| format!("{stem}.json #{}: {e}", test.tc_id))?,
            });
        }
        seeds.push(Seed {
            target: "ropnotify",
            name: format!("{stem}-{:03}.bin", test.tc_id),
            data,
        });
    }
    Ok(seeds)
}

/// The EWS target that reads envelopes of vector type `typ`.
fn push_target(typ: &str) -> Option<&'static str> {
    Some(match typ {
        "SendNotification" => "ews_notification",
        "SendNotificationResult" => "ews_answer",
        "Subscribe" => "ews_request",
        _ => return None,
    })
}

/// Seeds from one `vectors/push/` file: each case's envelope for the reader of its type.
/// Err when the file is not in the vector format.
pub fn from_push_file(stem: &str, json: &str) -> Result<Vec<Seed>, String> {
    let file: VectorFile =
        serde_json::from_str(json).map_err(|e| format!("{stem}.json is not a vector file: {e}"))?;
    Ok(file
        .cases
        .iter()
        .filter_map(|case| {
            Some(Seed {
                target: push_target(&case.typ)?,
                name: format!("{stem}-{:03}.xml", case.id),
                data: case.xml.clone().into_bytes(),
            })
        })
        .collect())
}

/// Seeds that do not come from a vector file: requests without a parameter, faults, and the
/// reply mail; ROP buffers and MAPI/HTTP streams; the EWS requests and responses the push
/// vectors do not hold.
pub fn synthetic() -> Vec<Seed> {
    let mut seeds = Vec::new();
    for version in SoapVersion::ALL {
        let tag = version_tag(version);
        for op in Operation::ALL {
            seeds.push(Seed {
                target: "soap_envelope",
                name: format!("{}-request-no-parameter-{tag}.http", op.name()),
                data: http_bytes(&request(op, version, None)),
            });
        }
        for (code, label) in [(FaultCode::Client, "client"), (FaultCode::Server, "server")] {
            seeds.push(Seed {
                target: "soap_envelope",
                name: format!("fault-{label}-{tag}.http"),
                data: http_bytes(&fault_response(version, code, "fault <reason> & more")),
            });
        }
    }
    seeds.extend(mail_seeds());
    seeds.extend(binary_seeds());
    seeds.extend(ews_seeds());
    seeds
}

const FOLDER: [u8; 8] = [0x01, 0x00, 0x00, 0x00, 0x00, 0x78, 0x29, 0x1F];
const MESSAGE: [u8; 8] = [0x01, 0x00, 0x00, 0x00, 0x00, 0x78, 0x34, 0x84];
/// A NewMail NotificationData (the first spec example).
const NEW_MAIL: &[u8] = &[
    0x02, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x78, 0x29, 0x1F, 0x01, 0x00, 0x00, 0x00, 0x00, 0x78,
    0x34, 0x84, 0x22, 0x00, 0x00, 0x00, 0x00, 0x49, 0x50, 0x4D, 0x2E, 0x4E, 0x6F, 0x74, 0x65, 0x00,
];

/// RopsLists of requests a notification client sends, by name.
fn request_lists() -> Vec<(&'static str, Vec<RopRequest>)> {
    vec![
        (
            "logon-register-release",
            vec![
                RopRequest::Logon {
                    logon_id: 0,
                    output_index: 0,
                    logon_flags: 1,
                    open_flags: 0x0100_0000,
                    store_state: 0,
                    essdn: "/o=Example/ou=First Administrative Group/cn=Recipients/cn=alice"
                        .to_owned(),
                },
                RopRequest::RegisterNotification {
                    logon_id: 0,
                    input_index: 0,
                    output_index: 1,
                    types: types::NEW_MAIL | types::EXTENDED,
                    reserved: Some(0),
                    whole_store: false,
                    scope: Some((FOLDER, [0; 8])),
                },
                RopRequest::RegisterNotification {
                    logon_id: 0,
                    input_index: 0,
                    output_index: 2,
                    types: types::ALL_EVENTS,
                    reserved: None,
                    whole_store: true,
                    scope: None,
                },
                RopRequest::Release {
                    logon_id: 0,
                    input_index: 1,
                },
            ],
        ),
        (
            "open-create-save",
            vec![
                RopRequest::OpenFolder {
                    logon_id: 0,
                    input_index: 0,
                    output_index: 1,
                    folder_id: FOLDER,
                    open_mode: 0,
                },
                RopRequest::CreateMessage {
                    logon_id: 0,
                    input_index: 1,
                    output_index: 2,
                    code_page: 0x0FFF,
                    folder_id: FOLDER,
                    associated: 0,
                },
                RopRequest::SaveChangesMessage {
                    logon_id: 0,
                    response_index: 2,
                    input_index: 2,
                    save_flags: 0x0C,
                },
            ],
        ),
    ]
}

/// RopsLists of responses a server answers with, by name.
fn response_lists() -> Vec<(&'static str, Vec<u8>)> {
    let new_mail = cnotif::decode(NEW_MAIL).expect("the NewMail example decodes");
    let lists: Vec<(&'static str, Vec<RopResponse<'_>>)> = vec![
        (
            "logon-register",
            vec![
                RopResponse::Logon {
                    output_index: 0,
                    success: Box::new(LogonSuccess {
                        logon_flags: 1,
                        folder_ids: std::array::from_fn(|i| {
                            let mut id = FOLDER;
                            id[7] = i as u8;
                            id
                        }),
                        response_flags: 0x01,
                        mailbox_guid: [0x11; 16],
                        repl_id: 1,
                        repl_guid: [0x22; 16],
                        logon_time: [0, 0, 12, 1, 2, 5, 7, 0xE8],
                        gwart_time: 0,
                        store_state: 0,
                    }),
                },
                RopResponse::RegisterNotification { output_index: 1 },
                RopResponse::Failure {
                    rop_id: rop::ROP_REGISTER_NOTIFICATION,
                    index: 2,
                    return_value: ec::INVALID_PARAM,
                },
            ],
        ),
        (
            "notify-pending",
            vec![
                RopResponse::Notify {
                    handle: 1,
                    logon_id: 0,
                    raw: NEW_MAIL,
                    data: new_mail,
                },
                RopResponse::Pending { session_index: 3 },
            ],
        ),
        (
            "open-create-save",
            vec![
                RopResponse::OpenFolder {
                    output_index: 1,
                    has_rules: 0,
                    ghosted: None,
                },
                RopResponse::OpenFolder {
                    output_index: 1,
                    has_rules: 1,
                    ghosted: Some(b"\x01\x00\x01\x00server.example\x00"),
                },
                RopResponse::CreateMessage {
                    output_index: 2,
                    message_id: None,
                },
                RopResponse::CreateMessage {
                    output_index: 2,
                    message_id: Some(MESSAGE),
                },
                RopResponse::SaveChangesMessage {
                    response_index: 2,
                    input_index: 2,
                    message_id: MESSAGE,
                },
            ],
        ),
        (
            "backoff-too-small",
            vec![
                RopResponse::Backoff {
                    logon_id: 0,
                    duration_ms: 500,
                    rops: vec![(rop::ROP_REGISTER_NOTIFICATION, 1000)],
                    additional: b"\x01\x02",
                },
                RopResponse::BufferTooSmall {
                    size_needed: 0x4000,
                    request: &[rop::ROP_RELEASE, 0, 1],
                },
            ],
        ),
    ];
    lists
        .into_iter()
        .map(|(name, list)| {
            let rops = rop::write_responses(&list).expect("the example responses write");
            (name, rops)
        })
        .collect()
}

/// A whole MAPI/HTTP response stream around `body`.
fn stream(body: &[u8]) -> Vec<u8> {
    let mut out = mapihttp::PROCESSING.to_vec();
    out.extend_from_slice(mapihttp::PENDING);
    out.extend_from_slice(&mapihttp::stream_tail(0, body));
    out
}

/// ROP buffers for `rop_buffer`, and MAPI/HTTP streams and request bodies for
/// `mapihttp_stream`.
fn binary_seeds() -> Vec<Seed> {
    let mut seeds = Vec::new();
    let mut request_buffers = Vec::new();
    for (name, list) in request_lists() {
        let rops = rop::write_requests(&list);
        for xor in [false, true] {
            let data = execute_rop_buffer(&rops, &[0xFFFF_FFFF; 3], xor)
                .expect("the example requests fit a ROP buffer");
            seeds.push(Seed {
                target: "rop_buffer",
                name: format!("requests-{name}{}.bin", if xor { "-xor" } else { "" }),
                data: data.clone(),
            });
            request_buffers.push((name, data));
        }
    }
    let mut response_buffers = Vec::new();
    for (name, rops) in response_lists() {
        let data = execute_rop_buffer(&rops, &[7, 8, 9], false)
            .expect("the example responses fit a ROP buffer");
        seeds.push(Seed {
            target: "rop_buffer",
            name: format!("responses-{name}.bin"),
            data: data.clone(),
        });
        response_buffers.push((name, data));
    }

    let mut streams: Vec<(String, Vec<u8>)> = Vec::new();
    let connect = ConnectSuccess {
        error_code: 0,
        polls_max: 60_000,
        retry_count: 6,
        retry_delay: 10_000,
        dn_prefix: "/o=Example/ou=First Administrative Group".to_owned(),
        display_name: "Alice \u{4f60}\u{597d}".to_owned(),
    };
    streams.push(("connect".to_owned(), connect.write()));
    for (name, rop_buffer) in &response_buffers {
        let execute = ExecuteSuccess {
            error_code: 0,
            flags: 0,
            rop_buffer: rop_buffer.clone(),
        };
        streams.push((format!("execute-{name}"), execute.write()));
    }
    for event_pending in [false, true] {
        let wait = WaitSuccess {
            error_code: 0,
            event_pending,
        };
        streams.push((format!("wait-pending-{event_pending}"), wait.write()));
    }
    streams.push((
        "disconnect".to_owned(),
        mapihttp::write_disconnect_success(),
    ));
    streams.push((
        "failure".to_owned(),
        mapihttp::write_failure(mapihttp::response_code::CONTEXT_NOT_FOUND),
    ));
    for (name, body) in streams {
        seeds.push(Seed {
            target: "mapihttp_stream",
            name: format!("stream-{name}.bin"),
            data: stream(&body),
        });
    }
    for (name, rop_buffer) in request_buffers {
        let execute = ExecuteRequest {
            flags: mapihttp::EXECUTE_NO_COMPRESSION_NO_XOR,
            rop_buffer,
            max_rop_out: 0x8000,
        };
        seeds.push(Seed {
            target: "mapihttp_stream",
            name: format!("request-execute-{name}.bin"),
            data: execute.write(),
        });
    }
    let connect = ConnectRequest {
        user_dn: "/o=Example/ou=First Administrative Group/cn=Recipients/cn=alice".to_owned(),
        flags: 0,
        code_page: 1252,
        lcid_sort: 1033,
        lcid_string: 1033,
    };
    seeds.push(Seed {
        target: "mapihttp_stream",
        name: "request-connect.bin".to_owned(),
        data: connect.write(),
    });
    seeds.push(Seed {
        target: "mapihttp_stream",
        name: "request-wait.bin".to_owned(),
        data: mapihttp::write_wait_request(),
    });
    seeds
}

fn base_id(id: &str, change_key: Option<&str>) -> BaseId {
    BaseId {
        id: id.to_owned(),
        change_key: change_key.map(str::to_owned),
    }
}

/// EWS envelopes the push vectors do not hold: the writers' answers (both statuses), a
/// SendNotification with every event kind, each request the mocks read but Subscribe, and
/// each response the push-server suite reads; in both SOAP versions.
fn ews_seeds() -> Vec<Seed> {
    let item = ObjectId::Item(base_id("AAMkAGI2", Some("CQAAABYA")));
    let folder = base_id("AQMkADAw", None);
    let time = "2024-05-01T10:00:00Z";
    let events: Vec<Event> = EventKind::ALL
        .into_iter()
        .map(|kind| match kind {
            EventKind::Status => Event::status("AAAAAFwm"),
            EventKind::Modified => {
                Event::object(kind, "AAAAAFwn", time, item.clone(), folder.clone())
                    .with_unread_count(3)
            }
            k if k.is_moved_or_copied() => {
                Event::object(k, "AAAAAFwo", time, item.clone(), folder.clone())
                    .from_old(ObjectId::Item(base_id("AAMkAGI1", None)), folder.clone())
            }
            k => Event::object(k, "AAAAAFwp", time, item.clone(), folder.clone()),
        })
        .collect();
    let notification = Notification {
        subscription_id: "FQBzdWJzY3JpcHRpb24=".to_owned(),
        previous_watermark: Some("AAAAAFwl".to_owned()),
        more_events: Some(false),
        events,
    };
    let message = SendNotificationMessage {
        response: ResponseMessage::success(),
        notification: Some(notification),
    };
    let send = SendNotification {
        server_version: Some("Exchange2013".to_owned()),
        messages: vec![message.clone()],
    };
    let drafts = vec![MessageDraft {
        subject: Some("hello & <goodbye>".to_owned()),
        body: Some("line one\nline two".to_owned()),
    }];
    let requests = vec![
        (
            "subscribe-pull",
            EwsRequest::SubscribeOther("PullSubscriptionRequest".to_owned()),
        ),
        (
            "unsubscribe",
            EwsRequest::Unsubscribe {
                subscription_id: "FQBzdWJz".to_owned(),
            },
        ),
        (
            "getevents",
            EwsRequest::GetEvents {
                subscription_id: "FQBzdWJz".to_owned(),
                watermark: "AAAAAFwl".to_owned(),
            },
        ),
        (
            "createitem",
            EwsRequest::CreateItem {
                saved_item_folder: Some(FolderRef::Distinguished {
                    id: "inbox".to_owned(),
                    mailbox: Some("alice@example.com".to_owned()),
                }),
                items: drafts,
            },
        ),
        (
            "deleteitem",
            EwsRequest::DeleteItem {
                item_ids: vec![base_id("AAMkAGI2", Some("CQAAABYA"))],
                hard: true,
            },
        ),
        (
            "moveitem",
            EwsRequest::MoveItem {
                item_ids: vec![base_id("AAMkAGI2", None)],
                to_folder: FolderRef::distinguished("deleteditems"),
            },
        ),
        (
            "copyitem",
            EwsRequest::CopyItem {
                item_ids: vec![base_id("AAMkAGI2", None)],
                to_folder: FolderRef::Id(folder.clone()),
            },
        ),
        (
            "updateitem",
            EwsRequest::UpdateItem {
                item_id: base_id("AAMkAGI2", Some("CQAAABYA")),
                subject: "changed".to_owned(),
            },
        ),
        (
            "getfolder",
            EwsRequest::GetFolder {
                folder_ids: vec![
                    FolderRef::distinguished("inbox"),
                    FolderRef::Id(folder.clone()),
                ],
            },
        ),
        ("other", EwsRequest::Other("FindItem".to_owned())),
    ];
    let items = |ids: Vec<BaseId>| {
        vec![
            ItemResponse {
                response: ResponseMessage::success(),
                items: ids,
            },
            ItemResponse {
                response: ResponseMessage::error("ErrorItemNotFound", "The item was not found."),
                items: Vec::new(),
            },
        ]
    };
    let new_ids = vec![base_id("AAMkAGI3", Some("CQAAABYB"))];
    let responses = vec![
        (
            "subscribe",
            EwsResponse::Subscribe(vec![
                SubscribeResponse {
                    response: ResponseMessage::success(),
                    subscription_id: Some("FQBzdWJz".to_owned()),
                    watermark: Some("AAAAAFwl".to_owned()),
                },
                SubscribeResponse {
                    response: ResponseMessage::error("ErrorInvalidPushSubscriptionUrl", "bad URL"),
                    subscription_id: None,
                    watermark: None,
                },
            ]),
        ),
        (
            "unsubscribe",
            EwsResponse::Unsubscribe(vec![ResponseMessage::success()]),
        ),
        ("getevents", EwsResponse::GetEvents(vec![message])),
        (
            "createitem",
            EwsResponse::CreateItem(items(new_ids.clone())),
        ),
        ("deleteitem", EwsResponse::DeleteItem(items(Vec::new()))),
        ("moveitem", EwsResponse::MoveItem(items(new_ids.clone()))),
        ("copyitem", EwsResponse::CopyItem(items(new_ids.clone()))),
        ("updateitem", EwsResponse::UpdateItem(items(new_ids))),
        (
            "getfolder",
            EwsResponse::GetFolder(vec![FolderResponse {
                response: ResponseMessage::success(),
                folders: vec![FolderInfo {
                    id: folder,
                    display_name: Some("Inbox".to_owned()),
                }],
            }]),
        ),
        (
            "fault",
            EwsResponse::Fault {
                code: "Client".to_owned(),
                reason: "The request failed schema validation & more".to_owned(),
            },
        ),
    ];
    let server_info = ServerVersionInfo {
        major_version: Some(15),
        minor_version: Some(1),
        major_build_number: Some(2507),
        minor_build_number: Some(6),
        version: Some("V2017_07_11".to_owned()),
    };
    let mut seeds = Vec::new();
    for version in SoapVersion::ALL {
        let tag = version_tag(version);
        for status in [SubscriptionStatus::Ok, SubscriptionStatus::Unsubscribe] {
            seeds.push(Seed {
                target: "ews_answer",
                name: format!("answer-{}-{tag}.xml", status.as_str()),
                data: ews::write_listener_answer(version, status).into_bytes(),
            });
        }
        seeds.push(Seed {
            target: "ews_notification",
            name: format!("every-event-{tag}.xml"),
            data: ews::write_send_notification(version, &send, &ews::Prefixes::Default)
                .into_bytes(),
        });
        for (name, request) in &requests {
            seeds.push(Seed {
                target: "ews_request",
                name: format!("{name}-{tag}.xml"),
                data: ews::write_request(version, Some("Exchange2013"), request).into_bytes(),
            });
        }
        for (name, response) in &responses {
            seeds.push(Seed {
                target: "ews_response",
                name: format!("{name}-{tag}.xml"),
                data: ews::write_response(version, Some(&server_info), response).into_bytes(),
            });
        }
    }
    seeds
}

fn reply(body: ReplyBody) -> Reply {
    Reply {
        from: "\"Mobile Inbound Agent\" <incomingmessage@service-provider.example>".to_owned(),
        to: "someone@example.com".to_owned(),
        phone: "+8613601391354".to_owned(),
        date: String::new(),
        body,
    }
}

fn mail_seeds() -> Vec<Seed> {
    let texts = [
        ("ascii", "hello", "us-ascii"),
        (
            "utf8",
            "caf\u{e9} \u{4f60}\u{597d} = .dot\r\n.line",
            "utf-8",
        ),
        ("gb2312", "\u{4f60}\u{597d}\u{4e16}\u{754c}", "gb2312"),
        ("long", &"a message that needs folding ".repeat(12), "utf-8"),
    ];
    let text_options: Vec<(&str, BuildOptions)> = vec![
        ("default", BuildOptions::default()),
        (
            "base64",
            BuildOptions {
                text_encoding: TextEncoding::Base64,
                ..BuildOptions::default()
            },
        ),
        (
            "8bit-nocharset",
            BuildOptions {
                text_encoding: TextEncoding::EightBit,
                charset_param: false,
                ..BuildOptions::default()
            },
        ),
        (
            "html",
            BuildOptions {
                html_alternative: true,
                ..BuildOptions::default()
            },
        ),
        (
            "mixed-noclass",
            BuildOptions {
                container: Some("mixed".to_owned()),
                content_class: Some(String::new()),
                reply_to_mobile: false,
                ..BuildOptions::default()
            },
        ),
    ];
    let mut seeds = Vec::new();
    for (label, text, charset) in texts {
        for (option_label, options) in &text_options {
            let body = ReplyBody::Text {
                text: text.to_owned(),
                charset: charset.to_owned(),
            };
            seeds.push(Seed {
                target: "reply_mail",
                name: format!("text-{label}-{option_label}.eml"),
                data: build_reply(&reply(body), options),
            });
        }
    }
    let media = vec![
        MediaPart {
            content_type: "text/plain; charset=utf-8".to_owned(),
            name: "text.txt".to_owned(),
            data: "caption \u{4f60}\u{597d}".as_bytes().to_vec(),
        },
        MediaPart {
            content_type: "image/gif".to_owned(),
            name: "image.gif".to_owned(),
            data: b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!".to_vec(),
        },
        MediaPart {
            content_type: "audio/mid".to_owned(),
            name: "sound.mid".to_owned(),
            data: b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x00\x60".to_vec(),
        },
    ];
    let smil = "<smil><head><layout><root-layout width=\"176\" height=\"144\"/></layout></head>\
                <body><par dur=\"5000ms\"><img src=\"cid:image.gif\"/><audio src=\"cid:sound.mid\"/></par></body></smil>";
    let mms_options: Vec<(&str, BuildOptions)> = vec![
        ("default", BuildOptions::default()),
        (
            "smil-last",
            BuildOptions {
                smil_first: false,
                ..BuildOptions::default()
            },
        ),
        (
            "alternative-subject",
            BuildOptions {
                container: Some("alternative".to_owned()),
                subject: Some("=?utf-8?B?5L2g5aW9?= [open]".to_owned()),
                ..BuildOptions::default()
            },
        ),
    ];
    for (with_smil, label) in [(true, "smil"), (false, "nosmil")] {
        for (option_label, options) in &mms_options {
            let body = ReplyBody::Mms {
                subject: "Photo".to_owned(),
                smil: with_smil.then(|| smil.to_owned()),
                media: media.clone(),
            };
            seeds.push(Seed {
                target: "reply_mail",
                name: format!("mms-{label}-{option_label}.eml"),
                data: build_reply(&reply(body), options),
            });
        }
    }
    seeds
}
