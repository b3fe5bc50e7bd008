//! The EWS writers and readers agree: every message written in every prefix style and SOAP
//! version reads back to the same value with no finding.

use oxconf_wire::ews::{self, *};
use oxconf_wire::soap::SoapVersion;
use oxconf_wire::xml::Limits;
use rstest::rstest;

fn every_event() -> Vec<Event> {
    let item = ObjectId::Item(BaseId {
        id: "AAMkAD=".into(),
        change_key: Some("CQAAAB".into()),
    });
    let folder = BaseId::new("AQMkInbox");
    let drafts = BaseId::new("AQMkDrafts");
    vec![
        Event::status("wm-0"),
        Event::object(
            EventKind::NewMail,
            "wm-1",
            "2026-12-03T05:47:53Z",
            item.clone(),
            folder.clone(),
        ),
        Event::object(
            EventKind::Created,
            "wm-2",
            "2026-12-03T05:47:53Z",
            item.clone(),
            folder.clone(),
        ),
        Event::object(
            EventKind::Deleted,
            "wm-3",
            "2026-12-03T05:47:53Z",
            item.clone(),
            folder.clone(),
        ),
        Event::object(
            EventKind::Modified,
            "wm-4",
            "2026-12-03T05:47:53Z",
            ObjectId::Folder(folder.clone()),
            BaseId::new("root"),
        )
        .with_unread_count(3),
        Event::object(
            EventKind::Moved,
            "wm-5",
            "2026-12-03T05:47:53Z",
            item.clone(),
            folder.clone(),
        )
        .from_old(item.clone(), drafts.clone()),
        Event::object(
            EventKind::Copied,
            "wm-6",
            "2026-12-03T05:47:53Z",
            ObjectId::Item(BaseId::new("copy")),
            folder.clone(),
        )
        .from_old(item, drafts),
        Event::object(
            EventKind::FreeBusyChanged,
            "wm-7",
            "2026-12-03T05:47:53.5+01:00",
            ObjectId::Item(BaseId::new("cal")),
            folder,
        ),
    ]
}

fn notification() -> SendNotification {
    let mut error = ResponseMessage::error("ErrorReadEventsFailed", "events could not be read");
    // In the form the reader hands it back (serialize_subtree declares namespaces itself).
    error.message_xml = Some(format!(
        "<Value xmlns=\"{}\" Name=\"SubscriptionId\">sub-1</Value>",
        ews::ns::TYPES
    ));
    SendNotification {
        server_version: Some("Exchange2013".into()),
        messages: vec![
            SendNotificationMessage {
                response: ResponseMessage::success(),
                notification: Some(Notification {
                    subscription_id: "sub-1".into(),
                    previous_watermark: Some("wm-prev".into()),
                    more_events: Some(false),
                    events: every_event(),
                }),
            },
            SendNotificationMessage {
                response: error,
                notification: Some(Notification {
                    subscription_id: "sub-1".into(),
                    previous_watermark: None,
                    more_events: None,
                    events: vec![Event::status("wm-8")],
                }),
            },
        ],
    }
}

#[rstest]
fn send_notification_round_trips(
    #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
    #[values(Prefixes::Conventional, Prefixes::Default, Prefixes::Custom("msg".into(), "typ".into()))]
    prefixes: Prefixes,
) {
    let n = notification();
    let xml = write_send_notification(version, &n, &prefixes);
    let got = read_send_notification(&xml, Limits::default()).unwrap();
    assert!(got.findings.is_empty(), "{:#?}\n{xml}", got.findings);
    assert_eq!(got.soap, version);
    assert_eq!(got.server_version.as_deref(), Some("Exchange2013"));
    assert_eq!(got.value, n);
}

#[rstest]
fn listener_answer_round_trips(
    #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
    #[values(SubscriptionStatus::Ok, SubscriptionStatus::Unsubscribe)] status: SubscriptionStatus,
) {
    let xml = write_listener_answer(version, status);
    let got = read_listener_answer(&xml, Limits::default()).unwrap();
    assert!(got.findings.is_empty(), "{:#?}", got.findings);
    assert_eq!(
        got.value,
        ListenerAnswer::Result {
            status_text: Some(status.as_str().into()),
            status: Some(status)
        }
    );
}

fn requests() -> Vec<EwsRequest> {
    let mut push = PushSubscriptionRequest::new(
        "https://client.example/push?x=1&y=2",
        &EventKind::SUBSCRIBABLE,
        1,
    );
    push.folder_ids = vec![
        FolderRef::distinguished("inbox"),
        FolderRef::Distinguished {
            id: "drafts".into(),
            mailbox: Some("alice@example.com".into()),
        },
        FolderRef::Id(BaseId::new("AQMk")),
    ];
    push.watermark = Some("wm-9".into());
    push.caller_data = Some("ctx".into());
    let mut all =
        PushSubscriptionRequest::new("http://127.0.0.1:9000/", &[EventKind::NewMail], 1440);
    all.subscribe_to_all_folders = Some(true);
    vec![
        EwsRequest::Subscribe(push),
        EwsRequest::Subscribe(all),
        EwsRequest::SubscribeOther("PullSubscriptionRequest".into()),
        EwsRequest::Unsubscribe {
            subscription_id: "sub".into(),
        },
        EwsRequest::GetEvents {
            subscription_id: "sub".into(),
            watermark: "wm".into(),
        },
        EwsRequest::CreateItem {
            saved_item_folder: Some(FolderRef::distinguished("inbox")),
            items: vec![MessageDraft {
                subject: Some("hello".into()),
                body: Some("body".into()),
            }],
        },
        EwsRequest::DeleteItem {
            item_ids: vec![BaseId::new("a"), BaseId::new("b")],
            hard: true,
        },
        EwsRequest::MoveItem {
            item_ids: vec![BaseId::new("a")],
            to_folder: FolderRef::distinguished("deleteditems"),
        },
        EwsRequest::CopyItem {
            item_ids: vec![BaseId::new("a")],
            to_folder: FolderRef::Id(BaseId::new("f")),
        },
        EwsRequest::UpdateItem {
            item_id: BaseId::new("a"),
            subject: "new subject".into(),
        },
        EwsRequest::GetFolder {
            folder_ids: vec![FolderRef::distinguished("inbox")],
        },
        EwsRequest::Other("ResolveNames".into()),
    ]
}

#[rstest]
fn requests_round_trip(#[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion) {
    for req in requests() {
        let xml = write_request(version, Some("Exchange2010_SP2"), &req);
        let got = read_request(&xml, Limits::default()).unwrap();
        assert!(got.findings.is_empty(), "{:#?}\n{xml}", got.findings);
        assert_eq!(got.server_version.as_deref(), Some("Exchange2010_SP2"));
        assert_eq!(got.value, req, "{xml}");
    }
}

fn responses() -> Vec<EwsResponse> {
    let ok = ResponseMessage::success();
    vec![
        EwsResponse::Subscribe(vec![SubscribeResponse {
            response: ok.clone(),
            subscription_id: Some("sub".into()),
            watermark: Some("wm".into()),
        }]),
        EwsResponse::Subscribe(vec![SubscribeResponse {
            response: ResponseMessage::error("ErrorInvalidPushSubscriptionUrl", "bad url"),
            subscription_id: None,
            watermark: None,
        }]),
        EwsResponse::Unsubscribe(vec![ResponseMessage::error(
            "ErrorInvalidSubscription",
            "push",
        )]),
        EwsResponse::GetEvents(vec![SendNotificationMessage {
            response: ok.clone(),
            notification: notification().messages[0].notification.clone(),
        }]),
        EwsResponse::CreateItem(vec![ItemResponse {
            response: ok.clone(),
            items: vec![BaseId {
                id: "i".into(),
                change_key: Some("c".into()),
            }],
        }]),
        EwsResponse::DeleteItem(vec![ItemResponse {
            response: ok.clone(),
            items: vec![],
        }]),
        EwsResponse::MoveItem(vec![ItemResponse {
            response: ok.clone(),
            items: vec![BaseId::new("m")],
        }]),
        EwsResponse::CopyItem(vec![ItemResponse {
            response: ok.clone(),
            items: vec![BaseId::new("c")],
        }]),
        EwsResponse::GetFolder(vec![FolderResponse {
            response: ok,
            folders: vec![FolderInfo {
                id: BaseId::new("inbox-id"),
                display_name: Some("Inbox".into()),
            }],
        }]),
    ]
}

#[rstest]
fn responses_round_trip(#[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion) {
    let svi = ServerVersionInfo {
        major_version: Some(15),
        minor_version: Some(1),
        major_build_number: Some(2507),
        minor_build_number: Some(6),
        version: Some("V2017_07_11".into()),
    };
    for resp in responses() {
        let xml = write_response(version, Some(&svi), &resp);
        let got = read_response(&xml, Limits::default()).unwrap();
        assert!(got.findings.is_empty(), "{:#?}\n{xml}", got.findings);
        assert_eq!(got.value, resp, "{xml}");
        assert_eq!(
            response_server_version_info(&xml, Limits::default()),
            Some(svi.clone())
        );
    }
}

#[test]
fn faults_read_as_faults() {
    let xml = write_response(
        SoapVersion::V11,
        None,
        &EwsResponse::Fault {
            code: "Client".into(),
            reason: "schema validation".into(),
        },
    );
    let got = read_response(&xml, Limits::default()).unwrap();
    assert!(
        matches!(got.value, EwsResponse::Fault { ref reason, .. } if reason == "schema validation")
    );
}

#[test]
fn push_urls_are_judged_as_the_digest_says() {
    assert!(push_url_problem("https://a.example/x").is_none());
    assert!(push_url_problem("http://127.0.0.1:9/").is_none());
    for bad in [
        "",
        "ftp://a.example/",
        "not a url",
        "/relative",
        "mailto:a@b",
    ] {
        assert!(push_url_problem(bad).is_some(), "{bad}");
    }
    let long = format!("http://a.example/{}", "x".repeat(2070));
    assert!(push_url_problem(&long).is_some());
}
