//! Batches (MS-OMS 3.1.4.4): when a client may use DeliverXmsBatch, how it fills a batch, and
//! how it reads the per-message answers of an xmsResponses.
//!
//! Every message of a batch file goes to its own recipient with its own text, so a message can
//! be recognised on the wire whichever operation carried it and whatever id the client gave
//! it: MS-OMS 3.1.4.4.3.2 only asks that an id tell the messages of one batch apart, and the
//! spec's own example numbers its items 0 and 1. A client may put the file's ids on the wire
//! or number each request's items itself and map the answers back; both are judged alike, by
//! content on the wire and per file message in the outcome lines.

use crate::oms::client::claims;
use crate::oms::client::contract::{BatchFile, BatchMessage, MessageOutcome, DELIVERED, FAILED};
use crate::oms::client::probe::{with_client, Client};
use harness::{Cx, Level, Scenario, Stop};
use mocks::oms::client::RENUMBER_BATCH_ITEMS;
use mocks::oms::scripted::{example_service_info, Canned, Recorded};
use wire::oms::{DeliveryError, Operation, ServiceInfo, XmsBatch, XmsDataInBatch};
use wire::Finding;

pub(super) fn all() -> Vec<Scenario> {
    vec![
        size(),
        no_batch_when_zero(),
        unique_ids(),
        per_id_errors(),
        missing_id(),
    ]
}

/// The example service announcing this batchSize.
fn service_with_batch_size(size: u32) -> ServiceInfo {
    ServiceInfo {
        batch_size: Some(size),
        ..example_service_info()
    }
}

/// A batch file with one message per id, each to its own recipient.
fn batch_file(client: &Client, ids: &[u32]) -> BatchFile {
    let to = client.recipients(ids.len());
    BatchFile {
        messages: ids
            .iter()
            .zip(to)
            .map(|(id, recipient)| BatchMessage {
                id: *id,
                to: vec![recipient],
                text: format!("oxconf: batch message {id}"),
            })
            .collect(),
    }
}

/// The text an xmsData carries: its contents, in order, joined.
fn item_text(item: &XmsDataInBatch) -> String {
    item.body.contents.iter().map(|c| c.text.as_str()).collect()
}

/// The recipients of an xmsData.
fn item_recipients(item: &XmsDataInBatch) -> &[String] {
    item.head.as_ref().map_or(&[], |h| h.to.as_slice())
}

/// The message of `file` a batch item carries, recognised by content (its text and its
/// recipients), not by the id the client wrote.
fn message_of<'f>(file: &'f BatchFile, item: &XmsDataInBatch) -> Option<&'f BatchMessage> {
    let text = item_text(item);
    let to = item_recipients(item);
    file.messages
        .iter()
        .find(|m| m.text == text && m.to.iter().all(|r| to.contains(r)))
}

/// The items of a recorded DeliverXmsBatch, when its packageXml can be read.
fn batch_items(request: &Recorded) -> Option<Vec<XmsDataInBatch>> {
    XmsBatch::parse(request.payload()?)
        .ok()
        .map(|p| p.value.items)
}

/// Which file messages the items of all requests carried, by content: `(file id, wire id)`.
fn carried(file: &BatchFile, batches: &[XmsBatch]) -> Vec<(u32, u32)> {
    batches
        .iter()
        .flat_map(|b| b.items.iter())
        .filter_map(|item| message_of(file, item).map(|m| (m.id, item.id)))
        .collect()
}

/// Checks that every message of `file` travelled in some batch item (recognised by content).
fn every_message_carried(
    cx: &Cx,
    file: &BatchFile,
    batches: &[XmsBatch],
    reqs: &[&str],
) -> Result<(), Stop> {
    let found = carried(file, batches);
    let missing: Vec<u32> = file
        .messages
        .iter()
        .map(|m| m.id)
        .filter(|id| !found.iter().any(|(f, _)| f == id))
        .collect();
    let pairs: Vec<String> = found
        .iter()
        .map(|(f, w)| format!("file id {f} as wire id {w}"))
        .collect();
    cx.cite(reqs.iter().copied()).expect(
        "every message of the batch file travels in a DeliverXmsBatch item (matched by recipients and text)",
        missing.is_empty(),
        format!(
            "each of {:?}",
            file.messages.iter().map(|m| m.id).collect::<Vec<_>>()
        ),
        if missing.is_empty() {
            format!("all carried ({})", pairs.join(", "))
        } else {
            format!("missing {missing:?} (carried: {})", pairs.join(", "))
        },
    )
}

/// The client's outcome line for message `id`; the trigger contract asks for one per message,
/// so a missing line is the adapter's fault.
fn outcome_of(all: &[MessageOutcome], id: u32) -> Result<&MessageOutcome, Stop> {
    all.iter().find(|o| o.id == id).ok_or_else(|| {
        Stop::inconclusive(format!(
            "the trigger printed no outcome line for message id {id}"
        ))
    })
}

/// MS-OMS 3.1.4.1.3.1, 3.1.4.4: with batchSize n a client puts at most n messages into one
/// DeliverXmsBatch, every message of the file travels, and packageXml is an escaped xmsBatch
/// with one or more xmsData.
fn size() -> Scenario {
    Scenario::new("oms-client/batch/size")
        .title("No DeliverXmsBatch holds more than batchSize messages; every message is sent in an escaped xmsBatch")
        .section("MS-OMS 3.1.4.1.3.1")
        .section("MS-OMS 3.1.4.4.2.1")
        .section("MS-OMS 3.1.4.4.3.1")
        .requirements(["OMS-R147", "OMS-R141", "OMS-R142"])
        .level(Level::Must)
        .needs(claims::BATCH)
        .caught_by("ignore-batch-size")
        // The request checks run over every request: a batch-only envelope or document
        // defect fails here too.
        .caught_by_breaking("batch-wrong-soap-action", ["OMS-R106"])
        .caught_by_breaking("batch-wrong-namespace", ["OMS-R007"])
        .caught_by_breaking("batch-format-lowercase", ["OMS-R083"])
        .caught_by_breaking("batch-content-type-plain-text", ["OMS-R028"])
        .caught_by_breaking("batch-password-in-reply-phone", ["OMS-R079"])
        .passes_with(RENUMBER_BATCH_ITEMS)
        .run(with_client(|cx, client| async move {
            let limit = 2;
            let server = client.server(&service_with_batch_size(limit), false).await?;
            let file = batch_file(&client, &[21, 22, 23, 24, 25]);
            client.send_batch(&server, &file).await?;
            let requests = client
                .requests_for(&server, Operation::DeliverXmsBatch, &["OMS-R147"])
                .await?;
            let mut sizes: Vec<usize> = Vec::new();
            let mut batches = Vec::new();
            for r in &requests {
                client.judge_findings(
                    "DeliverXmsBatch request",
                    Client::envelope_findings(r),
                    &["OMS-R141"],
                )?;
                let parsed = client.parse_xms_batch(r)?;
                client.judge_findings("xmsBatch", &parsed.findings, &["OMS-R142"])?;
                cx.cite(["OMS-R142"]).expect(
                    "xmsData elements in the xmsBatch",
                    !parsed.value.items.is_empty(),
                    "one or more",
                    format!("{}", parsed.value.items.len()),
                )?;
                sizes.push(parsed.value.items.len());
                batches.push(parsed.value);
            }
            cx.cite(["OMS-R147"]).expect(
                "messages per DeliverXmsBatch",
                sizes.iter().all(|n| *n <= limit as usize),
                format!("at most batchSize = {limit} in each request"),
                format!("{sizes:?}"),
            )?;
            every_message_carried(&cx, &file, &batches, &["OMS-R147"])
        }))
}

/// MS-OMS 3.1.4.1.3.1: batchSize 0 means the server cannot deliver several messages in one
/// document, so the client sends each message with DeliverXms.
fn no_batch_when_zero() -> Scenario {
    Scenario::new("oms-client/batch/no-batch-when-zero")
        .title("With batchSize 0 the client sends every message with DeliverXms, never DeliverXmsBatch")
        .section("MS-OMS 3.1.4.1.3.1")
        .requirements(["OMS-R147"])
        .level(Level::Structure)
        .needs(claims::BATCH)
        .caught_by("batch-despite-zero")
        .passes_with(RENUMBER_BATCH_ITEMS)
        .run(with_client(|cx, client| async move {
            let server = client.server(&service_with_batch_size(0), false).await?;
            let file = batch_file(&client, &[31, 32, 33]);
            client.send_batch(&server, &file).await?;
            let batches = server.requests_for(Operation::DeliverXmsBatch).await;
            cx.expect(
                "DeliverXmsBatch requests",
                batches.is_empty(),
                "none (batchSize is 0)",
                format!("{}", batches.len()),
            )?;
            let requests = client
                .requests_for(&server, Operation::DeliverXms, &["OMS-R147"])
                .await?;
            let mut carried: Vec<(Vec<String>, String)> = Vec::new();
            for r in &requests {
                let data = client.parse_xms_data(r)?.value;
                let text: String = data.body.contents.iter().map(|c| c.text.as_str()).collect();
                carried.push((data.recipients().to_vec(), text));
            }
            for m in &file.messages {
                let found = carried
                    .iter()
                    .any(|(to, text)| *text == m.text && m.to.iter().all(|r| to.contains(r)));
                cx.expect(
                    &format!("message {} sent with DeliverXms", m.id),
                    found,
                    format!("a DeliverXms to {:?} with the text {:?}", m.to, m.text),
                    if found {
                        "sent".to_string()
                    } else {
                        format!("not among the DeliverXms requests: {carried:?}")
                    },
                )?;
            }
            Ok(())
        }))
}

/// MS-OMS 3.1.4.4.3.2: every xmsData of a batch has an unsignedInt id, unique within its
/// batch. Which ids is the client's choice (the file's, or its own per request).
fn unique_ids() -> Scenario {
    Scenario::new("oms-client/batch/unique-ids")
        .title("Every message of a DeliverXmsBatch carries an id, unique within its batch")
        .section("MS-OMS 3.1.4.4.3.2")
        .requirements(["OMS-R144", "OMS-R143"])
        .level(Level::Structure)
        .needs(claims::BATCH)
        .caught_by("duplicate-batch-ids")
        .passes_with(RENUMBER_BATCH_ITEMS)
        .run(with_client(|cx, client| async move {
            let server = client.server(&service_with_batch_size(10), false).await?;
            let file = batch_file(&client, &[3, 7, 21, 42]);
            client.send_batch(&server, &file).await?;
            let requests = client
                .requests_for(&server, Operation::DeliverXmsBatch, &["OMS-R143"])
                .await?;
            let mut batches = Vec::new();
            for r in &requests {
                let parsed = client.parse_xms_batch(r)?;
                // Only what the parser found about the identifiers; the rest of the document
                // is the other checks' business.
                let id_findings: Vec<Finding> = parsed
                    .findings
                    .iter()
                    .filter(|f| f.path.ends_with("/@id") || f.path.ends_with("/@Id"))
                    .cloned()
                    .collect();
                client.judge_findings(
                    "xmsData identifiers",
                    &id_findings,
                    &["OMS-R143", "OMS-R144"],
                )?;
                let batch_ids = parsed.value.ids();
                let mut repeated: Vec<u32> = batch_ids
                    .iter()
                    .enumerate()
                    .filter(|(i, id)| batch_ids[..*i].contains(id))
                    .map(|(_, id)| *id)
                    .collect();
                repeated.dedup();
                cx.cite(["OMS-R144"]).expect(
                    "ids within one DeliverXmsBatch",
                    repeated.is_empty(),
                    "each id once",
                    if repeated.is_empty() {
                        format!("{batch_ids:?}, each once")
                    } else {
                        format!("{batch_ids:?} (repeated: {repeated:?})")
                    },
                )?;
                batches.push(parsed.value);
            }
            every_message_carried(&cx, &file, &batches, &["OMS-R143"])
        }))
}

/// A DeliverXmsBatch answer computed from the request: an xmsResponse per item under the id
/// the client wrote, in reverse order, with `answer(file id)` for the file message the item
/// carries (recognised by content; items carrying none get ok/neutral). Items for which it
/// gives `None` are left out. An unreadable batch gets a Client/Sender fault.
fn reply_by_message(
    file: BatchFile,
    answer: impl Fn(u32) -> Option<Vec<DeliveryError>> + Send + Sync + 'static,
) -> Canned {
    Canned::computed(move |request: &Recorded| match batch_items(request) {
        Some(items) => Canned::batch(
            &items
                .iter()
                .rev()
                .filter_map(|item| {
                    let errors = match message_of(&file, item) {
                        Some(m) => answer(m.id)?,
                        None => vec![DeliveryError::ok()],
                    };
                    Some((item.id, errors))
                })
                .collect::<Vec<_>>(),
        ),
        None => Canned::SenderFault {
            reason: "the packageXml of this DeliverXmsBatch request cannot be read as an xmsBatch"
                .to_owned(),
        },
    })
}

/// Checks the outcome line of every message of `file`: failed with all its recipients for
/// `failed`, delivered otherwise.
fn judge_outcomes(
    cx: &Cx,
    file: &BatchFile,
    outcomes: &[MessageOutcome],
    failed: u32,
    reqs: &[&str],
    why: &str,
) -> Result<(), Stop> {
    for m in &file.messages {
        let o = outcome_of(outcomes, m.id)?;
        let (expected, recipients) = if m.id == failed {
            (FAILED, m.to.clone())
        } else {
            (DELIVERED, Vec::new())
        };
        cx.cite(reqs.iter().copied()).expect(
            &format!("outcome of message id {}", m.id),
            o.outcome == expected && o.failed_recipients == recipients,
            if m.id == failed {
                format!("failed for {recipients:?} ({why})")
            } else {
                "delivered (its own xmsResponse says ok/neutral)".to_string()
            },
            format!("{} {:?}", o.outcome, o.failed_recipients),
        )?;
    }
    Ok(())
}

/// MS-OMS 3.1.4.4.3.3, 2.2.4.4: answers carry the id of the message they are about, in any
/// order; a client matches them by the id it wrote. The scripted answer lists the items in
/// reverse order and fails the item carrying the first message of the file.
fn per_id_errors() -> Scenario {
    Scenario::new("oms-client/batch/per-id-errors")
        .title("Batch answers are matched to messages by id, not by position")
        .section("MS-OMS 3.1.4.4.3.3")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R144", "OMS-R063"])
        .level(Level::Structure)
        .needs(claims::BATCH)
        .caught_by("batch-results-by-position")
        .passes_with(RENUMBER_BATCH_ITEMS)
        .run(with_client(|cx, client| async move {
            let server = client.server(&service_with_batch_size(10), false).await?;
            let file = batch_file(&client, &[7, 3, 12]);
            let failing = 7;
            client
                .script(
                    &server,
                    Operation::DeliverXmsBatch,
                    vec![reply_by_message(file.clone(), move |id| {
                        Some(if id == failing {
                            vec![DeliveryError::new("other", "failure")
                                .with_content("oxconf: scripted failure")]
                        } else {
                            vec![DeliveryError::ok()]
                        })
                    })],
                    &format!(
                        "an xmsResponse per item of the request under the id the client wrote, in \
                         reverse order: the item carrying file message {failing} other/failure, \
                         every other item ok/neutral"
                    ),
                )
                .await;
            let run = client.send_batch(&server, &file).await?;
            client
                .requests_for(&server, Operation::DeliverXmsBatch, &["OMS-R144"])
                .await?;
            let outcomes = client.outcomes(&run)?;
            judge_outcomes(
                &cx,
                &file,
                &outcomes,
                failing,
                &["OMS-R144", "OMS-R063"],
                "its own xmsResponse has a failure",
            )
        }))
}

/// MS-OMS 3.1.4.4.3.3, 2.2.4.4: a message the answer does not mention has no error element,
/// which a client reads as a failure (applied per message); the others stand on their own
/// answers.
fn missing_id() -> Scenario {
    Scenario::new("oms-client/batch/missing-id")
        .title("A message missing from the batch answer is reported failed, the others delivered")
        .section("MS-OMS 3.1.4.4.3.3")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R060", "OMS-R144"])
        .level(Level::Structure)
        .needs(claims::BATCH)
        .caught_by("batch-missing-id-ok")
        .passes_with(RENUMBER_BATCH_ITEMS)
        .run(with_client(|cx, client| async move {
            let server = client.server(&service_with_batch_size(10), false).await?;
            let file = batch_file(&client, &[7, 3, 12]);
            let missing = 3;
            client
                .script(
                    &server,
                    Operation::DeliverXmsBatch,
                    vec![reply_by_message(file.clone(), move |id| {
                        (id != missing).then(|| vec![DeliveryError::ok()])
                    })],
                    &format!(
                        "ok/neutral for every item of the request except the one carrying file \
                         message {missing}, which is left out"
                    ),
                )
                .await;
            let run = client.send_batch(&server, &file).await?;
            client
                .requests_for(&server, Operation::DeliverXmsBatch, &["OMS-R144"])
                .await?;
            let outcomes = client.outcomes(&run)?;
            judge_outcomes(
                &cx,
                &file,
                &outcomes,
                missing,
                &["OMS-R060", "OMS-R144"],
                "no xmsResponse, hence no error element, names it",
            )
        }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wire::oms::{
        parse_response, request, Content, ResponseBody, XmsBody, XmsHead, XmsResponses,
    };
    use wire::soap::SoapVersion;

    fn file(ids: &[u32]) -> BatchFile {
        BatchFile {
            messages: ids
                .iter()
                .map(|id| BatchMessage {
                    id: *id,
                    to: vec![format!("1380000{id:04}")],
                    text: format!("oxconf: batch message {id}"),
                })
                .collect(),
        }
    }

    /// A DeliverXmsBatch request carrying these file messages under these wire ids.
    fn recorded(file: &BatchFile, wire: &[(u32, u32)]) -> Recorded {
        let batch = XmsBatch {
            client: None,
            items: wire
                .iter()
                .map(|(wire_id, file_id)| {
                    let m = file
                        .messages
                        .iter()
                        .find(|m| m.id == *file_id)
                        .cloned()
                        .unwrap_or_default();
                    XmsDataInBatch {
                        id: *wire_id,
                        user: None,
                        head: Some(XmsHead {
                            to: m.to.clone(),
                            ..XmsHead::default()
                        }),
                        body: XmsBody {
                            format: "SMS".into(),
                            slides: None,
                            contents: vec![Content {
                                content_type: "text/plain".into(),
                                content_id: "1.txt@x".into(),
                                content_location: "1.txt".into(),
                                text: m.text.clone(),
                            }],
                        },
                    }
                })
                .collect(),
        };
        let soap = request(
            Operation::DeliverXmsBatch,
            SoapVersion::V11,
            Some(&batch.to_xml()),
        );
        Recorded::new("POST", "/oms", soap.headers, soap.body)
    }

    /// What `reply` answers: (wire id, codes) per xmsResponse, in order.
    fn answered(reply: &Canned, request: &Recorded) -> Vec<(u32, Vec<String>)> {
        let http = reply.render(Operation::DeliverXmsBatch, SoapVersion::V11, request);
        let response = parse_response(
            Operation::DeliverXmsBatch,
            SoapVersion::V11,
            &http.headers,
            &http.body,
        )
        .unwrap();
        let ResponseBody::Result(payload) = response.body else {
            panic!("expected a result, got {:?}", response.body);
        };
        XmsResponses::parse(&payload)
            .unwrap()
            .value
            .items
            .into_iter()
            .map(|i| (i.id, i.errors.into_iter().filter_map(|e| e.code).collect()))
            .collect()
    }

    fn fail_seven(id: u32) -> Option<Vec<DeliveryError>> {
        Some(vec![DeliveryError::new(
            if id == 7 { "other" } else { "ok" },
            "neutral",
        )])
    }

    #[test]
    fn replies_under_the_file_ids_in_reverse_order() {
        let f = file(&[7, 3, 12]);
        let reply = reply_by_message(f.clone(), fail_seven);
        assert_eq!(
            answered(&reply, &recorded(&f, &[(7, 7), (3, 3), (12, 12)])),
            vec![
                (12, vec!["ok".to_string()]),
                (3, vec!["ok".to_string()]),
                (7, vec!["other".to_string()])
            ]
        );
    }

    /// A client numbering its items 0, 1, ... gets the failure under the id it wrote for the
    /// message, not under the file's id (the old scripted answer failed a renumbering client).
    #[test]
    fn replies_under_the_ids_the_client_wrote() {
        let f = file(&[7, 3, 12]);
        let reply = reply_by_message(f.clone(), fail_seven);
        assert_eq!(
            answered(&reply, &recorded(&f, &[(0, 3), (1, 7), (2, 12)])),
            vec![
                (2, vec!["ok".to_string()]),
                (1, vec!["other".to_string()]),
                (0, vec!["ok".to_string()])
            ]
        );
    }

    #[test]
    fn leaves_out_messages_without_answer() {
        let f = file(&[7, 3, 12]);
        let reply = reply_by_message(f.clone(), |id| (id != 3).then(|| vec![DeliveryError::ok()]));
        let ids: Vec<u32> = answered(&reply, &recorded(&f, &[(0, 7), (1, 3), (2, 12)]))
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids, vec![2, 0]);
    }

    #[test]
    fn messages_are_recognised_by_content() {
        let f = file(&[21, 22, 23]);
        let r = recorded(&f, &[(0, 23), (1, 21)]);
        let batches: Vec<XmsBatch> = vec![XmsBatch::parse(r.payload().unwrap()).unwrap().value];
        assert_eq!(carried(&f, &batches), vec![(23, 0), (21, 1)]);
    }

    #[test]
    fn unreadable_batches_get_a_fault() {
        let reply = reply_by_message(file(&[1]), |_| Some(vec![DeliveryError::ok()]));
        let soap = request(
            Operation::DeliverXmsBatch,
            SoapVersion::V11,
            Some("not xml"),
        );
        let bad = Recorded::new("POST", "/oms", soap.headers, soap.body);
        let http = reply.render(Operation::DeliverXmsBatch, SoapVersion::V11, &bad);
        assert_eq!(http.status, 500);
        assert!(http.body.contains("cannot be read"), "{}", http.body);
    }

    #[test]
    fn outcome_lookup_by_id() {
        let all = vec![
            MessageOutcome::delivered(3),
            MessageOutcome::failed(7, vec!["a".into()]),
        ];
        assert_eq!(outcome_of(&all, 7).map(|o| o.outcome.as_str()), Ok(FAILED));
        assert!(matches!(outcome_of(&all, 12), Err(Stop::Inconclusive(_))));
    }
}
