//! Batches (MS-OMS 3.1.4.4): when a client may use DeliverXmsBatch, how it fills a batch, and
//! how it reads the per-message answers of an xmsResponses.
//!
//! Every message of a batch file goes to its own recipient with its own text, so a message can
//! be recognised on the wire whichever operation carried it.

use crate::oms::client::claims;
use crate::oms::client::probe::Client;
use harness::{Cx, Level, Scenario, Stop};
use mocks::oms::client::{BatchFile, BatchMessage, MessageOutcome, DELIVERED, FAILED};
use mocks::oms::scripted::{batch_ids, example_service_info, Canned, Recorded};
use wire::oms::{DeliveryError, Operation, ServiceInfo};
use wire::Finding;

pub fn all() -> Vec<Scenario> {
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
        .run(|cx| async move {
            let client = Client::new(&cx)?;
            let limit = 2;
            let server = client.server(&service_with_batch_size(limit), false).await?;
            let ids = [21, 22, 23, 24, 25];
            client.send_batch(&server, &batch_file(&client, &ids)).await?;
            let requests = client
                .requests_for(&server, Operation::DeliverXmsBatch, &["OMS-R147"])
                .await?;
            let mut sent: Vec<u32> = Vec::new();
            let mut sizes: Vec<usize> = Vec::new();
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
                sent.extend(parsed.value.ids());
            }
            cx.cite(["OMS-R147"]).expect(
                "messages per DeliverXmsBatch",
                sizes.iter().all(|n| *n <= limit as usize),
                format!("at most batchSize = {limit} in each request"),
                format!("{sizes:?}"),
            )?;
            let missing: Vec<&u32> = ids.iter().filter(|id| !sent.contains(id)).collect();
            cx.cite(["OMS-R147"]).expect(
                "message ids sent in batches",
                missing.is_empty(),
                format!("{ids:?}"),
                format!("{sent:?} (missing {missing:?})"),
            )
        })
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
        .run(|cx| async move {
            let client = Client::new(&cx)?;
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
                    format!("DeliverXms requests carried {carried:?}"),
                )?;
            }
            Ok(())
        })
}

/// MS-OMS 3.1.4.4.3.2: every xmsData of a batch has an unsignedInt id, unique within its
/// batch; the ids are those of the batch file (the trigger contract), so answers can be
/// matched.
fn unique_ids() -> Scenario {
    Scenario::new("oms-client/batch/unique-ids")
        .title("Every message of a DeliverXmsBatch carries an id, unique within its batch")
        .section("MS-OMS 3.1.4.4.3.2")
        .requirements(["OMS-R144", "OMS-R143"])
        .level(Level::Structure)
        .needs(claims::BATCH)
        .caught_by("duplicate-batch-ids")
        .run(|cx| async move {
            let client = Client::new(&cx)?;
            let server = client.server(&service_with_batch_size(10), false).await?;
            let ids = [3, 7, 21, 42];
            client
                .send_batch(&server, &batch_file(&client, &ids))
                .await?;
            let requests = client
                .requests_for(&server, Operation::DeliverXmsBatch, &["OMS-R143"])
                .await?;
            let mut sent: Vec<u32> = Vec::new();
            for r in &requests {
                let parsed = client.parse_xms_batch(r)?;
                // Only what the parser found about the identifiers; the rest of the document
                // is the other scenarios' business.
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
                    format!("{batch_ids:?} (repeated: {repeated:?})"),
                )?;
                sent.extend(batch_ids);
            }
            let mut sorted = sent.clone();
            sorted.sort_unstable();
            cx.cite(["OMS-R143"]).expect(
                "ids on the wire",
                sorted == ids,
                format!("the batch file's ids {ids:?}, each once"),
                format!("{sent:?}"),
            )
        })
}

/// A DeliverXmsBatch answer computed from the request: its ids in reverse order, each with
/// `answer(id)`; ids for which it gives `None` are left out. An unreadable batch gets a
/// Client/Sender fault.
fn reply_by_id(
    answer: impl Fn(u32) -> Option<Vec<DeliveryError>> + Send + Sync + 'static,
) -> Canned {
    Canned::computed(move |request: &Recorded| match batch_ids(request) {
        Some(ids) => Canned::batch(
            &ids.into_iter()
                .rev()
                .filter_map(|id| answer(id).map(|errors| (id, errors)))
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
                "delivered (answered ok/neutral under its id)".to_string()
            },
            format!("{} {:?}", o.outcome, o.failed_recipients),
        )?;
    }
    Ok(())
}

/// MS-OMS 3.1.4.4.3.3, 2.2.4.4: answers carry the id of the message they are about, in any
/// order; a client matches them by id. The scripted answer lists the ids in reverse order and
/// fails the first message of the file.
fn per_id_errors() -> Scenario {
    Scenario::new("oms-client/batch/per-id-errors")
        .title("Batch answers are matched to messages by id, not by position")
        .section("MS-OMS 3.1.4.4.3.3")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R145", "OMS-R063"])
        .level(Level::Must)
        .needs(claims::BATCH)
        .caught_by("batch-results-by-position")
        .run(|cx| async move {
            let client = Client::new(&cx)?;
            let server = client.server(&service_with_batch_size(10), false).await?;
            let file = batch_file(&client, &[7, 3, 12]);
            let failing = 7;
            client
                .script(
                    &server,
                    Operation::DeliverXmsBatch,
                    vec![reply_by_id(move |id| {
                        Some(if id == failing {
                            vec![DeliveryError::new("other", "failure")
                                .with_content("oxconf: scripted failure")]
                        } else {
                            vec![DeliveryError::ok()]
                        })
                    })],
                    &format!(
                        "an xmsResponse per id of the request, in reverse order: id {failing} \
                         other/failure, every other id ok/neutral"
                    ),
                )
                .await;
            let run = client.send_batch(&server, &file).await?;
            client
                .requests_for(&server, Operation::DeliverXmsBatch, &["OMS-R145"])
                .await?;
            let outcomes = client.outcomes(&run)?;
            judge_outcomes(
                &cx,
                &file,
                &outcomes,
                failing,
                &["OMS-R145", "OMS-R063"],
                "its own xmsResponse has a failure",
            )
        })
}

/// MS-OMS 3.1.4.4.3.3, 2.2.4.4: a message the answer does not mention has no error element,
/// which a client reads as a failure (applied per message); the others stand on their own
/// answers.
fn missing_id() -> Scenario {
    Scenario::new("oms-client/batch/missing-id")
        .title("A message missing from the batch answer is reported failed, the others delivered")
        .section("MS-OMS 3.1.4.4.3.3")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R060", "OMS-R145"])
        .level(Level::Must)
        .needs(claims::BATCH)
        .caught_by("batch-missing-id-ok")
        .run(|cx| async move {
            let client = Client::new(&cx)?;
            let server = client.server(&service_with_batch_size(10), false).await?;
            let file = batch_file(&client, &[7, 3, 12]);
            let missing = 3;
            client
                .script(
                    &server,
                    Operation::DeliverXmsBatch,
                    vec![reply_by_id(move |id| {
                        (id != missing).then(|| vec![DeliveryError::ok()])
                    })],
                    &format!("ok/neutral for every id of the request except {missing}, which is left out"),
                )
                .await;
            let run = client.send_batch(&server, &file).await?;
            client
                .requests_for(&server, Operation::DeliverXmsBatch, &["OMS-R145"])
                .await?;
            let outcomes = client.outcomes(&run)?;
            judge_outcomes(
                &cx,
                &file,
                &outcomes,
                missing,
                &["OMS-R060", "OMS-R145"],
                "no xmsResponse, hence no error element, names it",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wire::oms::{
        parse_response, request, ResponseBody, XmsBatch, XmsDataInBatch, XmsResponses,
    };
    use wire::soap::SoapVersion;

    /// A DeliverXmsBatch request for these ids, as the scripted server records it.
    fn recorded(ids: &[u32]) -> Recorded {
        let batch = XmsBatch {
            client: None,
            items: ids
                .iter()
                .map(|id| XmsDataInBatch {
                    id: *id,
                    ..XmsDataInBatch::default()
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

    /// What `reply` answers to a batch of `ids`: (id, codes) per xmsResponse, in order.
    fn answered(reply: &Canned, ids: &[u32]) -> Vec<(u32, Vec<String>)> {
        let http = reply.render(Operation::DeliverXmsBatch, SoapVersion::V11, &recorded(ids));
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

    #[test]
    fn replies_by_id_in_reverse_order() {
        let reply = reply_by_id(|id| {
            Some(vec![DeliveryError::new(
                if id == 7 { "other" } else { "ok" },
                "neutral",
            )])
        });
        assert_eq!(
            answered(&reply, &[7, 3, 12]),
            vec![
                (12, vec!["ok".to_string()]),
                (3, vec!["ok".to_string()]),
                (7, vec!["other".to_string()])
            ]
        );
    }

    #[test]
    fn leaves_out_ids_without_answer() {
        let reply = reply_by_id(|id| (id != 3).then(|| vec![DeliveryError::ok()]));
        let ids: Vec<u32> = answered(&reply, &[7, 3, 12])
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids, vec![12, 7]);
    }

    #[test]
    fn unreadable_batches_get_a_fault() {
        let reply = reply_by_id(|_| Some(vec![DeliveryError::ok()]));
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
