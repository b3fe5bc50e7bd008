//! Every named fault of the reference client changes what can be observed from outside: the
//! requests the scripted server records, or the outcomes the client reports. Each scenario
//! runs twice, without and with the fault, and checks the specific difference.

use oxconf_mocks::net::client_config;
use oxconf_mocks::oms::client::{
    ClientSettings, Conclusion, Faults, ReferenceClient, TextMessage, FAULTS,
};
use oxconf_mocks::oms::scripted::{example_service_info, Canned, Recorded, ScriptedOms};
use rstest::rstest;
use wire::oms::{rules, DeliveryError, Operation, ServiceInfo, XmsBatch, XmsData};

fn rs(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[derive(Clone, Debug)]
enum Send {
    Sms(Vec<String>, String),
    Mms(Vec<String>, String),
    Batch(Vec<TextMessage>),
}

#[derive(Clone, Debug)]
struct Setup {
    info: ServiceInfo,
    script: Vec<(Operation, Vec<Canned>)>,
    sends: Vec<Send>,
    tls: bool,
}

/// What one run left behind.
#[derive(Debug)]
struct Observed {
    outcomes: Vec<Result<Vec<Conclusion>, String>>,
    requests: Vec<Recorded>,
}

impl Observed {
    fn of(&self, op: Operation) -> Vec<&Recorded> {
        self.requests.iter().filter(|r| r.op == Some(op)).collect()
    }

    fn count(&self, op: Operation) -> usize {
        self.of(op).len()
    }

    /// The xmsData documents of the DeliverXms requests, with their findings.
    fn documents(&self) -> Vec<(XmsData, Vec<&'static str>)> {
        self.of(Operation::DeliverXms)
            .iter()
            .map(|r| {
                let parsed = XmsData::parse(r.payload().expect("a payload")).unwrap();
                (
                    parsed.value,
                    parsed.findings.iter().map(|f| f.rule).collect(),
                )
            })
            .collect()
    }

    fn document_rules(&self) -> Vec<&'static str> {
        self.documents().into_iter().flat_map(|(_, r)| r).collect()
    }

    fn envelope_rules(&self, op: Operation) -> Vec<&'static str> {
        self.of(op).iter().flat_map(|r| r.rules()).collect()
    }

    fn batches(&self) -> Vec<(XmsBatch, Vec<&'static str>)> {
        self.of(Operation::DeliverXmsBatch)
            .iter()
            .map(|r| {
                let parsed = XmsBatch::parse(r.payload().expect("a payload")).unwrap();
                (
                    parsed.value,
                    parsed.findings.iter().map(|f| f.rule).collect(),
                )
            })
            .collect()
    }

    fn outcomes(&self, send: usize) -> &[Conclusion] {
        match &self.outcomes[send] {
            Ok(o) => o,
            Err(e) => panic!("send {send} failed: {e}"),
        }
    }
}

async fn observe(setup: &Setup, faults: Faults) -> Observed {
    let server = ScriptedOms::start(setup.tls).await.unwrap();
    server.defaults(&setup.info).await;
    for (op, replies) in &setup.script {
        server.script(*op, replies.clone()).await;
    }
    let mut settings = ClientSettings::new("alice", "secret");
    settings.faults = faults;
    settings.tls = server
        .ca_pem()
        .map(|ca| client_config(Some(ca), false).unwrap());
    let client = ReferenceClient::new(settings);
    let url = server.url();
    let mut outcomes = Vec::new();
    for send in &setup.sends {
        let result = match send {
            Send::Sms(to, text) => client.send_sms(&url, to, text).await,
            Send::Mms(to, text) => client.send_mms(&url, to, text, b"GIF89a").await,
            Send::Batch(file) => client.send_batch(&url, file).await,
        };
        outcomes.push(result.map_err(|e| e.to_string()));
    }
    Observed {
        outcomes,
        requests: server.requests().await,
    }
}

fn info(batch: u32, recipients: u32, per_send: u32, sbcs: u32) -> ServiceInfo {
    let mut i = example_service_info();
    i.batch_size = Some(batch);
    if let Some(sms) = i.supported_service.sms.as_mut() {
        sms.limits.max_recipients_per_message = recipients;
        sms.limits.max_messages_per_send = per_send;
        sms.limits.max_sbcs_per_message = sbcs;
        sms.limits.max_dbcs_per_message = sbcs;
    }
    i
}

fn sms(to: &[&str], text: &str) -> Setup {
    Setup {
        info: info(0, 50, 20, 140),
        script: Vec::new(),
        sends: vec![Send::Sms(rs(to), text.to_owned())],
        tls: false,
    }
}

/// A text message to a and b whose DeliverXms answer carries `errors`.
fn answered(errors: Vec<DeliveryError>) -> Setup {
    let mut s = sms(&["a", "b"], "hi");
    s.script = vec![(Operation::DeliverXms, vec![Canned::errors(&errors)])];
    s
}

fn batch(size: u32, ids: &[u32]) -> Setup {
    Setup {
        info: info(size, 50, 20, 140),
        script: Vec::new(),
        sends: vec![Send::Batch(
            ids.iter()
                .map(|id| TextMessage {
                    id: *id,
                    to: vec![format!("t{id}")],
                    text: format!("m{id}"),
                })
                .collect(),
        )],
        tls: false,
    }
}

fn err(code: Option<&str>, severity: Option<&str>, list: Option<&str>) -> DeliveryError {
    DeliveryError {
        code: code.map(str::to_owned),
        severity: severity.map(str::to_owned),
        content: None,
        recipient_list: list.map(str::to_owned),
    }
}

fn delivered() -> Vec<Conclusion> {
    vec![Conclusion::delivered(0)]
}

fn failed(list: &[&str]) -> Vec<Conclusion> {
    vec![Conclusion::failed(0, rs(list))]
}

type Check = fn(&Observed, &Observed);

/// The scenario that exposes a fault, and what must differ (reference first, faulty second).
fn scenario(name: &str) -> Option<(Setup, Check)> {
    let s: (Setup, Check) = match name {
        "wrong-soap-action" => (sms(&["a"], "hi"), |r, f| {
            assert_eq!(r.envelope_rules(Operation::DeliverXms), Vec::<&str>::new());
            assert_eq!(
                f.envelope_rules(Operation::DeliverXms),
                vec![rules::SOAP_ACTION_MISMATCH]
            );
            let action = f.of(Operation::DeliverXms)[0]
                .header("soapaction")
                .unwrap_or_default()
                .to_owned();
            assert!(action.ends_with("/OMS/Deliver\""), "{action}");
        }),
        "payload-as-child-elements" => (sms(&["a"], "hi"), |r, f| {
            assert!(r.envelope_rules(Operation::DeliverXms).is_empty());
            assert_eq!(
                f.envelope_rules(Operation::DeliverXms),
                vec![rules::REQUEST_NOT_ESCAPED_TEXT]
            );
            assert_eq!(f.documents()[0].0.recipients(), rs(&["a"]));
        }),
        "head-after-body" => (sms(&["a"], "hi"), |r, f| {
            assert!(r.document_rules().is_empty());
            assert!(f.document_rules().contains(&rules::SCHEMA_ELEMENT_ORDER));
        }),
        "sms-content-type-html" => (sms(&["a"], "hi"), |r, f| {
            assert!(r.document_rules().is_empty());
            assert_eq!(f.document_rules(), vec![rules::XMS_BODY_SMS_CONTENT_TYPE]);
            assert_eq!(
                f.documents()[0].0.body.contents[0].content_type,
                "text/html"
            );
        }),
        "get-service-info-with-children" => (sms(&["a"], "hi"), |r, f| {
            assert!(r.envelope_rules(Operation::GetServiceInfo).is_empty());
            assert_eq!(
                f.envelope_rules(Operation::GetServiceInfo),
                vec![rules::REQUEST_PARAMETER_UNEXPECTED]
            );
        }),
        "no-user-element" => (sms(&["a"], "hi"), |r, f| {
            assert!(r.documents()[0].0.user.is_some());
            assert_eq!(f.documents()[0].0.user, None);
        }),
        "ignore-max-recipients" => {
            let mut s = sms(&["1", "2", "3", "4", "5"], "hi");
            s.info = info(0, 2, 20, 140);
            (s, |r, f| {
                let sizes = |o: &Observed| -> Vec<usize> {
                    o.documents()
                        .iter()
                        .map(|(d, _)| d.recipients().len())
                        .collect()
                };
                assert_eq!(sizes(r), vec![2, 2, 1]);
                assert_eq!(sizes(f), vec![5]);
            })
        }
        "ignore-length-limit" => {
            let mut s = sms(&["a"], "abcdefghijklmnopqrstuvwxy");
            s.info = info(0, 50, 20, 10);
            (s, |r, f| {
                let parts = |o: &Observed| -> Vec<usize> {
                    o.documents()
                        .iter()
                        .flat_map(|(d, _)| d.body.contents.iter().map(|c| c.text.len()))
                        .collect()
                };
                assert_eq!(parts(r), vec![10, 10, 5]);
                assert_eq!(parts(f), vec![25]);
            })
        }
        "ignore-max-messages-per-send" => {
            let mut s = sms(&["a"], "abcdefghijklmnopqrstuvwxy");
            s.info = info(0, 50, 1, 10);
            (s, |r, f| {
                assert_eq!(r.count(Operation::DeliverXms), 3);
                assert_eq!(f.count(Operation::DeliverXms), 1);
                assert_eq!(f.documents()[0].0.body.contents.len(), 3);
            })
        }
        "ignore-batch-size" => (batch(2, &[1, 2, 3, 4, 5]), |r, f| {
            let ids = |o: &Observed| -> Vec<Vec<u32>> {
                o.batches().iter().map(|(b, _)| b.ids()).collect()
            };
            assert_eq!(ids(r), vec![vec![1, 2], vec![3, 4], vec![5]]);
            assert_eq!(ids(f), vec![vec![1, 2, 3, 4, 5]]);
        }),
        "batch-despite-zero" => (batch(0, &[1, 2]), |r, f| {
            assert_eq!(r.count(Operation::DeliverXmsBatch), 0);
            assert_eq!(r.count(Operation::DeliverXms), 2);
            assert_eq!(f.count(Operation::DeliverXmsBatch), 1);
            assert_eq!(f.count(Operation::DeliverXms), 0);
        }),
        "duplicate-batch-ids" => (batch(10, &[1, 2, 3]), |r, f| {
            let (rb, rr) = &r.batches()[0];
            assert_eq!(rb.ids(), vec![1, 2, 3]);
            assert!(!rr.contains(&rules::BATCH_ID_DUPLICATE));
            let (fb, fr) = &f.batches()[0];
            assert_eq!(fb.ids(), vec![0, 0, 0]);
            assert!(fr.contains(&rules::BATCH_ID_DUPLICATE));
        }),
        "batch-results-by-position" => {
            let mut s = batch(10, &[1, 2]);
            s.script = vec![(
                Operation::DeliverXmsBatch,
                vec![Canned::batch(&[
                    (2, vec![DeliveryError::new("other", "failure")]),
                    (1, vec![DeliveryError::ok()]),
                ])],
            )];
            (s, |r, f| {
                assert_eq!(
                    r.outcomes(0),
                    [Conclusion::delivered(1), Conclusion::failed(2, rs(&["t2"]))]
                );
                assert_eq!(
                    f.outcomes(0),
                    [Conclusion::failed(1, rs(&["t1"])), Conclusion::delivered(2)]
                );
            })
        }
        "batch-missing-id-ok" => {
            let mut s = batch(10, &[1, 2]);
            s.script = vec![(
                Operation::DeliverXmsBatch,
                vec![Canned::batch(&[(1, vec![DeliveryError::ok()])])],
            )];
            (s, |r, f| {
                assert_eq!(r.outcomes(0)[1], Conclusion::failed(2, rs(&["t2"])));
                assert_eq!(f.outcomes(0)[1], Conclusion::delivered(2));
            })
        }
        "missing-error-is-success" => (answered(vec![]), |r, f| {
            assert_eq!(r.outcomes(0), failed(&["a", "b"]));
            assert_eq!(f.outcomes(0), delivered());
        }),
        "missing-code-is-success" => (answered(vec![err(None, Some("neutral"), None)]), |r, f| {
            assert_eq!(r.outcomes(0), failed(&["a", "b"]));
            assert_eq!(f.outcomes(0), delivered());
        }),
        "missing-severity-is-failure" => {
            (answered(vec![err(Some("other"), None, None)]), |r, f| {
                assert_eq!(r.outcomes(0), delivered());
                assert_eq!(f.outcomes(0), failed(&["a", "b"]));
            })
        }
        "first-error-decides" => (
            answered(vec![
                DeliveryError::ok(),
                err(Some("invalidRecipient"), Some("failure"), Some("b")),
            ]),
            |r, f| {
                assert_eq!(r.outcomes(0), failed(&["b"]));
                assert_eq!(f.outcomes(0), delivered());
            },
        ),
        "ignore-recipient-list" => (
            answered(vec![err(
                Some("invalidRecipient"),
                Some("failure"),
                Some("b"),
            )]),
            |r, f| {
                assert_eq!(r.outcomes(0), failed(&["b"]));
                assert_eq!(f.outcomes(0), failed(&["a", "b"]));
            },
        ),
        "unknown-code-is-success" => (
            answered(vec![err(Some("quotaExceeded"), Some("failure"), None)]),
            |r, f| {
                assert_eq!(r.outcomes(0), failed(&["a", "b"]));
                assert_eq!(f.outcomes(0), delivered());
            },
        ),
        "case-sensitive-severity" => (
            answered(vec![err(Some("other"), Some("FAILURE"), None)]),
            |r, f| {
                assert_eq!(r.outcomes(0), failed(&["a", "b"]));
                assert_eq!(f.outcomes(0), delivered());
            },
        ),
        "no-service-refresh" => {
            let mut s = sms(&["a"], "hi");
            s.sends.push(Send::Sms(rs(&["a"]), "again".into()));
            s.script = vec![(
                Operation::DeliverXms,
                vec![
                    Canned::errors(&[
                        DeliveryError::ok(),
                        DeliveryError::new("serviceUpdate", "neutral")
                            .with_content("2008-08-28T08:59:00Z"),
                    ]),
                    Canned::ok(),
                ],
            )];
            (s, |r, f| {
                assert_eq!(r.count(Operation::GetServiceInfo), 2);
                assert_eq!(f.count(Operation::GetServiceInfo), 1);
                assert_eq!(f.count(Operation::DeliverXms), 2);
            })
        }
        "http-error-is-success" => {
            let mut s = sms(&["a"], "hi");
            s.script = vec![(Operation::DeliverXms, vec![Canned::status(503, "busy")])];
            (s, |r, f| {
                assert_eq!(r.outcomes(0), failed(&["a"]));
                assert_eq!(f.outcomes(0), delivered());
            })
        }
        "fault-is-success" => {
            let mut s = sms(&["a"], "hi");
            s.script = vec![(Operation::DeliverXms, vec![Canned::fault("database down")])];
            (s, |r, f| {
                assert_eq!(r.outcomes(0), failed(&["a"]));
                assert_eq!(f.outcomes(0), delivered());
            })
        }
        "https-unsupported" => {
            let mut s = sms(&["a"], "hi");
            s.tls = true;
            (s, |r, f| {
                assert_eq!(r.outcomes(0), delivered());
                assert!(f.outcomes[0].as_ref().is_err_and(|e| e.contains("https")));
                assert!(f.requests.is_empty());
            })
        }
        "smil-bad-colour" => {
            let mut s = sms(&["a"], "hi");
            s.sends = vec![Send::Mms(rs(&["a"]), "look".into())];
            (s, |r, f| {
                assert!(r.document_rules().is_empty());
                assert!(f.document_rules().contains(&rules::SMIL_COLOR_FORMAT));
                let (doc, _) = &f.documents()[0];
                let colour = &doc
                    .body
                    .slides
                    .as_ref()
                    .unwrap()
                    .head
                    .as_ref()
                    .unwrap()
                    .layout
                    .root
                    .background_color;
                assert_eq!(colour, "#ffffffff");
            })
        }
        "batch-wrong-soap-action" => (batch(10, &[1, 2]), |r, f| {
            assert_eq!(
                r.envelope_rules(Operation::DeliverXmsBatch),
                Vec::<&str>::new()
            );
            // The scripted server routes by the (wrong) action, so look at every request.
            let all: Vec<&str> = f.requests.iter().flat_map(|r| r.rules()).collect();
            assert_eq!(all, vec![rules::SOAP_ACTION_MISMATCH]);
        }),
        "batch-wrong-namespace" => (batch(10, &[1, 2]), |r, f| {
            assert_eq!(
                r.envelope_rules(Operation::DeliverXmsBatch),
                Vec::<&str>::new()
            );
            assert!(f
                .envelope_rules(Operation::DeliverXmsBatch)
                .contains(&rules::SOAP_WRAPPER_NAMESPACE));
        }),
        "batch-format-lowercase" => (batch(10, &[1, 2]), |r, f| {
            let formats = |o: &Observed| -> Vec<String> {
                o.batches()
                    .iter()
                    .flat_map(|(b, _)| b.items.iter().map(|i| i.body.format.clone()))
                    .collect()
            };
            assert_eq!(formats(r), vec!["SMS", "SMS"]);
            assert_eq!(formats(f), vec!["sms", "sms"]);
        }),
        "batch-content-type-plain-text" => (batch(10, &[1]), |r, f| {
            let types = |o: &Observed| -> Vec<String> {
                o.batches()
                    .iter()
                    .flat_map(|(b, _)| b.items.iter())
                    .flat_map(|i| i.body.contents.iter().map(|c| c.content_type.clone()))
                    .collect()
            };
            assert_eq!(types(r), vec!["text/plain"]);
            assert_eq!(types(f), vec!["plain/text"]);
        }),
        "batch-password-in-reply-phone" => (batch(10, &[1]), |r, f| {
            let user = |o: &Observed| {
                o.batches()[0].0.items[0]
                    .user
                    .clone()
                    .expect("a user element")
            };
            assert_eq!(user(r).password.as_deref(), Some("secret"));
            assert_eq!(user(f).password, None);
            assert_eq!(user(f).reply_phone.as_deref(), Some("secret"));
        }),
        "mms-wrong-soap-action" | "mms-wrong-namespace" => {
            let mut s = sms(&["a"], "hi");
            s.sends = vec![
                Send::Sms(rs(&["a"]), "text".into()),
                Send::Mms(rs(&["a"]), "look".into()),
            ];
            (s, |r, f| {
                let per_request = |o: &Observed| -> Vec<Vec<&'static str>> {
                    o.of(Operation::DeliverXms)
                        .iter()
                        .map(|r| r.rules())
                        .collect()
                };
                assert_eq!(per_request(r), vec![Vec::<&str>::new(), vec![]]);
                let faulty = per_request(f);
                // The text goes out clean, only the MMS is broken.
                assert_eq!(faulty[0], Vec::<&str>::new());
                assert!(
                    faulty[1].contains(&rules::SOAP_ACTION_MISMATCH)
                        || faulty[1].contains(&rules::SOAP_WRAPPER_NAMESPACE),
                    "{faulty:?}"
                );
            })
        }
        "utf16-declaration-unreadable" => {
            let mut s = sms(&["a"], "hi");
            let doc = oxconf_mocks::oms::scripted::xms_response(&[DeliveryError::ok()]).replacen(
                "encoding=\"utf-8\"",
                "encoding=\"utf-16\"",
                1,
            );
            assert!(doc.contains("utf-16"));
            s.script = vec![(Operation::DeliverXms, vec![Canned::Result(doc)])];
            (s, |r, f| {
                assert_eq!(r.outcomes(0), delivered());
                assert_eq!(f.outcomes(0), failed(&["a"]));
            })
        }
        "case-sensitive-service-update" => {
            let mut s = sms(&["a"], "hi");
            s.sends = vec![
                Send::Sms(rs(&["a"]), "one".into()),
                Send::Sms(rs(&["a"]), "two".into()),
            ];
            s.script = vec![(
                Operation::DeliverXms,
                vec![
                    Canned::errors(&[
                        DeliveryError::ok(),
                        DeliveryError::new("serviceupdate", "neutral")
                            .with_content("2008-08-28T08:59:00Z"),
                    ]),
                    Canned::ok(),
                ],
            )];
            (s, |r, f| {
                assert_eq!(r.outcomes(0), delivered());
                assert_eq!(r.count(Operation::GetServiceInfo), 2);
                assert_eq!(f.outcomes(0), delivered());
                assert_eq!(f.count(Operation::GetServiceInfo), 1);
            })
        }
        _ => return None,
    };
    Some(s)
}

/// The renumbering variant writes 0, 1, ... per request and still maps every answer back to
/// its file message: the item carrying message 2 fails, under the id the client wrote.
#[tokio::test]
async fn renumbered_batch_items_map_answers_back() {
    let server = ScriptedOms::start(false).await.unwrap();
    server.defaults(&info(2, 50, 20, 140)).await;
    server
        .script(
            Operation::DeliverXmsBatch,
            vec![
                Canned::batch(&[
                    (1, vec![DeliveryError::new("other", "failure")]),
                    (0, vec![DeliveryError::ok()]),
                ]),
                Canned::batch(&[(0, vec![DeliveryError::ok()])]),
            ],
        )
        .await;
    let mut settings = ClientSettings::new("alice", "secret");
    settings.renumber_batch_items = true;
    let client = ReferenceClient::new(settings);
    let file: Vec<TextMessage> = [7, 9, 11]
        .iter()
        .map(|id| TextMessage {
            id: *id,
            to: vec![format!("n{id}")],
            text: format!("m{id}"),
        })
        .collect();
    let outcomes = client.send_batch(&server.url(), &file).await.unwrap();
    assert_eq!(
        outcomes,
        vec![
            Conclusion::delivered(7),
            Conclusion::failed(9, vec!["n9".into()]),
            Conclusion::delivered(11),
        ]
    );
    let ids: Vec<Vec<u32>> = server
        .requests_for(Operation::DeliverXmsBatch)
        .await
        .iter()
        .map(|r| XmsBatch::parse(r.payload().unwrap()).unwrap().value.ids())
        .collect();
    assert_eq!(ids, vec![vec![0, 1], vec![0]]);
}

#[test]
fn every_fault_has_a_scenario() {
    let missing: Vec<&str> = FAULTS
        .iter()
        .map(|f| f.name)
        .filter(|name| scenario(name).is_none())
        .collect();
    assert_eq!(missing, Vec::<&str>::new());
}

#[rstest]
#[case("wrong-soap-action")]
#[case("payload-as-child-elements")]
#[case("head-after-body")]
#[case("sms-content-type-html")]
#[case("get-service-info-with-children")]
#[case("no-user-element")]
#[case("ignore-max-recipients")]
#[case("ignore-length-limit")]
#[case("ignore-max-messages-per-send")]
#[case("ignore-batch-size")]
#[case("batch-despite-zero")]
#[case("duplicate-batch-ids")]
#[case("batch-results-by-position")]
#[case("batch-missing-id-ok")]
#[case("missing-error-is-success")]
#[case("missing-code-is-success")]
#[case("missing-severity-is-failure")]
#[case("first-error-decides")]
#[case("ignore-recipient-list")]
#[case("unknown-code-is-success")]
#[case("case-sensitive-severity")]
#[case("no-service-refresh")]
#[case("http-error-is-success")]
#[case("fault-is-success")]
#[case("https-unsupported")]
#[case("smil-bad-colour")]
#[case("batch-wrong-soap-action")]
#[case("batch-wrong-namespace")]
#[case("batch-format-lowercase")]
#[case("batch-content-type-plain-text")]
#[case("batch-password-in-reply-phone")]
#[case("mms-wrong-soap-action")]
#[case("mms-wrong-namespace")]
#[case("utf16-declaration-unreadable")]
#[case("case-sensitive-service-update")]
#[tokio::test]
async fn fault_changes_observable_behaviour(#[case] name: &str) {
    let (setup, check) = scenario(name).expect("a scenario");
    let reference = observe(&setup, Faults::none()).await;
    let faults = Faults::parse(&[name.to_owned()]).unwrap();
    let faulty = observe(&setup, faults).await;
    check(&reference, &faulty);
}

/// The reference run of every scenario is itself clean: no envelope or document findings.
#[tokio::test]
async fn reference_runs_are_clean() {
    for name in FAULTS.iter().map(|f| f.name) {
        let (setup, _) = scenario(name).expect("a scenario");
        let observed = observe(&setup, Faults::none()).await;
        for r in &observed.requests {
            assert_eq!(r.rules(), Vec::<&str>::new(), "{name}: {:?}", r.op);
        }
        assert!(observed.document_rules().is_empty(), "{name}");
        for (_, findings) in observed.batches() {
            assert!(findings.is_empty(), "{name}: {findings:?}");
        }
    }
}
