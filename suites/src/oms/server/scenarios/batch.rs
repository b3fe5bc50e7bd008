//! DeliverXmsBatch (MS-OMS 3.1.4.4): several messages in one call, each answered under its own
//! id, within the advertised batchSize.

use crate::common::findings::record_findings;
use crate::common::http::record_exchange;
use crate::oms::server::probe::{codes_of, text_ceiling, Oms};
use harness::{Level, Scenario, Stop};
use mocks::oms::Call;
use wire::oms::batch::LEGACY_ID_ATTRIBUTE;
use wire::oms::{codes, rules, DeliveryError, Operation, XmsBatch, XmsResponses};

pub(super) fn all() -> Vec<Scenario> {
    vec![
        ids_echoed(),
        error_isolation(),
        mixed_errors(),
        over_batch_size(),
        no_batch_support(),
        duplicate_ids(),
        embedded_utf16_declaration(),
    ]
}

/// The advertised batchSize, or a skip when batches are not supported or too small for a
/// batch of `needed` messages.
async fn batch_size_for(oms: &Oms, needed: u32) -> Result<u32, Stop> {
    let size = oms.batch_size().await?;
    if size == 0 {
        return Err(Stop::skip(
            "batchSize is 0 (or absent): the service does not support batches (OMS-R114); \
             oms-server/batch/no-batch-support covers that case",
        ));
    }
    if size < needed {
        return Err(Stop::skip(format!(
            "batchSize is {size}: this scenario needs a batch of {needed} messages"
        )));
    }
    Ok(size)
}

/// One text message per id, each to one of the profile's recipients.
fn items(oms: &Oms, ids: &[u32], label: &str) -> Vec<(u32, Vec<String>, String)> {
    let nonce = oms.nonce();
    let to = oms.recipients(ids.len());
    ids.iter()
        .zip(to)
        .map(|(id, r)| (*id, vec![r], format!("oxconf {label} {nonce} message {id}")))
        .collect()
}

/// The xmsResponse for `id`, or a failed check citing OMS-R146.
fn response_for<'r>(
    oms: &Oms,
    responses: &'r XmsResponses,
    id: u32,
) -> Result<&'r [DeliveryError], Stop> {
    match responses.get(id) {
        Some(item) => Ok(&item.errors),
        None => Err(oms.cx.cite(["OMS-R146"]).fail(
            &format!("xmsResponse for message {id}"),
            format!("an xmsResponse with id=\"{id}\""),
            format!(
                "ids {:?}",
                responses.items.iter().map(|i| i.id).collect::<Vec<_>>()
            ),
        )),
    }
}

/// MS-OMS 3.1.4.4.3.3: "the id attribute ... identical to the id of the xmsData" - one
/// xmsResponse per message, ids echoed exactly (not renumbered, none dropped). E-OMS-05:
/// the schema's "Id" spelling is probed and recorded without a verdict.
fn ids_echoed() -> Scenario {
    Scenario::new("oms-server/batch/ids-echoed")
        .title("Each batch message gets one xmsResponse whose id echoes the message's id")
        .section("MS-OMS 3.1.4.4.3.3")
        .section("MS-OMS 3.1.4.4.2.4")
        .requirements(["OMS-R145", "OMS-R146", "OMS-R105", "OMS-R114"])
        .level(Level::Must)
        .caught_by("batch-renumber-ids")
        .caught_by("batch-drop-last")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let size = batch_size_for(&oms, 1).await?;
            // Deliberately not 0..n, so renumbering shows.
            let ids: Vec<u32> = [7, 8, 42].into_iter().take(size as usize).collect();
            let batch = oms.sms_batch(&items(&oms, &ids, "batch ids"));
            let responses = oms.deliver_batch(&batch).await?;
            let mut got: Vec<u32> = responses.items.iter().map(|i| i.id).collect();
            got.sort_unstable();
            cx.cite(["OMS-R146"])
                .check_eq("xmsResponse ids (sorted)", ids.clone(), got);
            record_findings(
                &cx,
                "one xmsResponse per message",
                &responses.coverage_findings(&ids),
                &["OMS-R146"],
            )?;
            for id in &ids {
                let errors = response_for(&oms, &responses, *id)?;
                cx.cite(["OMS-R105", "OMS-R114"]).expect(
                    &format!("message {id} of a batch within batchSize {size}"),
                    wire::oms::delivered(errors),
                    "code \"ok\" with severity \"neutral\" and no failure",
                    codes_of(errors),
                )?;
            }
            probe_legacy_id(&oms).await;
            Ok(())
        })
}

/// E-OMS-05: the schema spells the request attribute "Id"; what the service makes of it is
/// recorded for the reader, whatever happens.
async fn probe_legacy_id(oms: &Oms) {
    let ids = [9, 10];
    let batch = oms.sms_batch(&items(oms, &ids, "batch Id probe"));
    let payload = batch.to_xml_with_id_attribute(LEGACY_ID_ATTRIBUTE);
    let call = oms
        .env
        .caller
        .call(Operation::DeliverXmsBatch, oms.soap(), Some(&payload))
        .await;
    record_exchange(
        &oms.cx,
        "DeliverXmsBatch with items identified by \"Id\" (probe)",
        &call.exchange,
    );
    let outcome = if let Some(e) = call.transport_error() {
        format!("no answer: {e}")
    } else if let Some(f) = call.fault() {
        format!(
            "HTTP {} with SOAP fault {}: {}",
            call.status().unwrap_or_default(),
            f.code,
            f.reason
        )
    } else {
        match call.result_payload().map(XmsResponses::parse) {
            Some(Ok(parsed)) => parsed
                .value
                .items
                .iter()
                .map(|i| format!("id {}: {}", i.id, codes_of(&i.errors)))
                .collect::<Vec<_>>()
                .join("; "),
            Some(Err(e)) => format!("an unreadable xmsResponses: {e}"),
            None => format!(
                "HTTP {} without a readable result",
                call.status().unwrap_or_default()
            ),
        }
    };
    oms.cx.cite(["OMS-R146"]).level(Level::May).info(
        &format!("batch items {ids:?} identified by \"Id\" (E-OMS-05 probe, no verdict)"),
        outcome,
    );
}

/// MS-OMS 3.1.4.4: each message of a batch is delivered on its own; one message failing says
/// nothing about the others.
fn error_isolation() -> Scenario {
    Scenario::new("oms-server/batch/error-isolation")
        .title("A failing batch message is reported under its own id only")
        .section("MS-OMS 3.1.4.4.3.3")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R146", "OMS-R035", "OMS-R037"])
        .level(Level::Must)
        .caught_by("batch-error-spreads")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            batch_size_for(&oms, 3).await?;
            let invalid = oms.env.invalid_recipient.clone();
            let mut list = items(&oms, &[3, 4, 5], "batch isolation");
            list[1].1 = vec![invalid.clone()];
            let responses = oms.deliver_batch(&oms.sms_batch(&list)).await?;
            record_findings(
                &cx,
                "one xmsResponse per message",
                &responses.coverage_findings(&[3, 4, 5]),
                &["OMS-R146"],
            )?;
            let failed = response_for(&oms, &responses, 4)?;
            oms.expect_failure("message 4 (to the invalid recipient)", failed)?;
            for e in failed.iter().filter(|e| e.is_failure()) {
                match e.recipients() {
                    Some(list) => cx.cite(["OMS-R035"]).expect_eq(
                        "recipientList of message 4's failure",
                        vec![invalid.clone()],
                        list,
                    )?,
                    None => {
                        cx.cite(["OMS-R035"]).check(
                            "recipientList of message 4's failure",
                            true,
                            format!("{invalid:?}, or none (every recipient, here the same)"),
                            "none: every recipient of message 4",
                        );
                    }
                }
            }
            for id in [3, 5] {
                let errors = response_for(&oms, &responses, id)?;
                cx.cite(["OMS-R146"]).expect(
                    &format!("message {id} (valid recipient) beside the failing message 4"),
                    wire::oms::delivered(errors),
                    "its own outcome: code \"ok\" with severity \"neutral\" and no failure",
                    codes_of(errors),
                )?;
            }
            Ok(())
        })
}

/// Text that no SMS_SENDER can carry: one character more than the largest concatenated text
/// (255 segments of the LONG_SMS_SENDER limit) or than one SMS without it.
fn over_long_text(info: &wire::oms::ServiceInfo) -> Option<String> {
    let (limit, _) = text_ceiling(info.supported_service.sms.as_ref()?);
    let n = usize::try_from(limit + 1).ok()?;
    Some("x".repeat(n))
}

/// MS-OMS 2.2.4.4: every xmsResponse of a batch pairs its codes and severities correctly,
/// whatever mix of outcomes the batch has.
fn mixed_errors() -> Scenario {
    Scenario::new("oms-server/batch/mixed-errors")
        .title("A batch mixing success, invalidRecipient, lengthLimit and invalidUser pairs each code with its severity")
        .section("MS-OMS 2.2.4.4")
        .section("MS-OMS 3.1.4.4.3.3")
        .requirements(["OMS-R036", "OMS-R037", "OMS-R146"])
        .level(Level::Must)
        .caught_by("failure-codes-neutral")
        .caught_by("accept-any-password")
        .caught_by("ignore-length-limit")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            batch_size_for(&oms, 4).await?;
            let info = oms.limits().await?;
            let Some(long_text) = over_long_text(&info) else {
                return Err(Stop::skip(
                    "no SMS_SENDER is advertised: a lengthLimit cannot be provoked",
                ));
            };
            let ids = [1, 2, 3, 4];
            let mut list = items(&oms, &ids, "batch mix");
            list[1].1 = vec![oms.env.invalid_recipient.clone()];
            list[2].2 = long_text;
            let mut batch = oms.sms_batch(&list);
            if let Some(user) = batch.items[3].user.as_mut() {
                user.password = Some(format!(
                    "{}-wrong",
                    user.password.as_deref().unwrap_or_default()
                ));
            }
            let responses = oms.deliver_batch(&batch).await?;
            record_findings(
                &cx,
                "one xmsResponse per message",
                &responses.coverage_findings(&ids),
                &["OMS-R146"],
            )?;
            let pairing = record_findings(
                &cx,
                "code/severity pairing of every xmsResponse",
                &responses.pairing_findings(),
                &["OMS-R036", "OMS-R037"],
            );
            let ok = response_for(&oms, &responses, 1)?;
            let first = oms.expect_delivered_citing("message 1 (valid)", ok, &["OMS-R036"]);
            let expected = [
                (2, "message 2 (invalid recipient)", codes::INVALID_RECIPIENT),
                (3, "message 3 (over-long text)", codes::LENGTH_LIMIT),
                (4, "message 4 (wrong password)", codes::INVALID_USER),
            ];
            let mut outcomes = vec![pairing, first];
            for (id, what, code) in expected {
                let errors = response_for(&oms, &responses, id)?;
                outcomes.push(
                    oms.expect_reported(what, errors, code, &["OMS-R037"])
                        .map(|_| ()),
                );
            }
            outcomes.into_iter().collect()
        })
}

/// How a batch the service should not deliver was answered. A fault, an HTTP error or
/// failures are all refusals; delivering every message is not.
fn judge_refused_batch(oms: &Oms, call: &Call, ids: &[u32], limit_what: &str) -> Result<(), Stop> {
    let cx = &oms.cx;
    let n = ids.len();
    let status = call.status().unwrap_or_default();
    let refused_as = if let Some(f) = call.fault() {
        Some(format!(
            "HTTP {status} with SOAP fault {}: {}",
            f.code, f.reason
        ))
    } else if call.result_payload().is_none() && !(200..300).contains(&status) {
        Some(format!("HTTP {status} without a result"))
    } else {
        None
    };
    if let Some(form) = refused_as {
        cx.cite(["OMS-R114"]).check(
            &format!("batch of {n} messages ({limit_what})"),
            true,
            "refused: an HTTP error, a SOAP fault, or failures",
            form,
        );
        return Ok(());
    }
    let responses = oms.xms_responses(call)?;
    // A refusal reported per message still owes each message its own xmsResponse.
    oms.expect_one_response_each(&responses, ids)?;
    let delivered = responses
        .items
        .iter()
        .filter(|i| wire::oms::delivered(&i.errors))
        .count();
    let sample = responses
        .items
        .iter()
        .find(|i| !wire::oms::delivered(&i.errors))
        .or(responses.items.first())
        .map(|i| format!("; e.g. id {}: {}", i.id, codes_of(&i.errors)))
        .unwrap_or_default();
    cx.cite(["OMS-R114"]).expect(
        &format!("batch of {n} messages ({limit_what})"),
        delivered < n,
        "refused: an HTTP error, a SOAP fault, or failures (not every message delivered)",
        format!(
            "{delivered} of {n} messages reported delivered ({} xmsResponse elements){sample}",
            responses.items.len()
        ),
    )
}

/// The largest batch this scenario sends as a probe.
const MAX_PROBED_BATCH: u32 = 1000;

/// MS-OMS 3.1.4.1.3.1: batchSize is "the largest number of messages accepted in one batch":
/// a batch of exactly that many is delivered, one of a message more is not.
fn over_batch_size() -> Scenario {
    Scenario::new("oms-server/batch/over-batch-size")
        .title("A batch of batchSize messages is delivered; one of batchSize+1 is not, and each message gets its own answer")
        .section("MS-OMS 3.1.4.1.3.1")
        .section("MS-OMS 3.1.4.4.3.3")
        .requirements(["OMS-R114", "OMS-R146"])
        .level(Level::Structure)
        .caught_by("ignore-batch-size")
        .caught_by_breaking("over-batch-drops-last", ["OMS-R146"])
        .caught_by_breaking("limit-off-by-one", ["OMS-R114"])
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let size = batch_size_for(&oms, 1).await?;
            if size > MAX_PROBED_BATCH {
                return Err(Stop::skip(format!(
                    "batchSize is {size}: a batch of {} messages is too large to send as a probe \
                     (limit {MAX_PROBED_BATCH})",
                    size + 1
                )));
            }
            // At the limit: every message is delivered, each with its own xmsResponse.
            let at: Vec<u32> = (1..=size).collect();
            let responses = oms
                .deliver_batch(&oms.sms_batch(&items(&oms, &at, "batch at size")))
                .await?;
            let delivered = responses
                .items
                .iter()
                .filter(|i| at.contains(&i.id) && wire::oms::delivered(&i.errors))
                .count();
            let sample = responses
                .items
                .iter()
                .find(|i| !wire::oms::delivered(&i.errors))
                .map(|i| format!("; id {}: {}", i.id, codes_of(&i.errors)))
                .unwrap_or_default();
            cx.cite(["OMS-R114"]).expect(
                &format!("batch of exactly {size} messages (batchSize {size})"),
                delivered == at.len(),
                format!("all {size} messages delivered"),
                format!("{delivered} of {size} messages delivered{sample}"),
            )?;

            let ids: Vec<u32> = (1..=size + 1).collect();
            let batch = oms.sms_batch(&items(&oms, &ids, "batch over size"));
            let call = oms
                .call(
                    Operation::DeliverXmsBatch,
                    oms.soap(),
                    Some(&batch.to_xml()),
                )
                .await?;
            judge_refused_batch(&oms, &call, &ids, &format!("batchSize is {size}"))
        })
}

/// MS-OMS 3.1.4.1.3.1: batchSize 0, the default, means batches are not supported, so a batch
/// must not be delivered.
fn no_batch_support() -> Scenario {
    Scenario::new("oms-server/batch/no-batch-support")
        .title("With batchSize 0 (or absent), DeliverXmsBatch does not deliver")
        .section("MS-OMS 3.1.4.1.3.1")
        .requirements(["OMS-R114"])
        .level(Level::Structure)
        .caught_by("batch-size-zero-accepts")
        .passes_with("no-batch")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let size = oms.batch_size().await?;
            if size > 0 {
                return Err(Stop::skip(format!(
                    "batchSize is {size}: the service supports batches \
                     (oms-server/batch/over-batch-size checks the limit)"
                )));
            }
            let batch = oms.sms_batch(&items(&oms, &[1], "batch unsupported"));
            let call = oms
                .call(
                    Operation::DeliverXmsBatch,
                    oms.soap(),
                    Some(&batch.to_xml()),
                )
                .await?;
            judge_refused_batch(
                &oms,
                &call,
                &[1],
                "batchSize is 0: batches are not supported",
            )
        })
}

/// MS-OMS 3.1.4.4.3.2 makes ids unique per batch (a client obligation, OMS-R144); a server
/// given duplicates must still answer sanely: a fault, or xmsResponses naming only the ids
/// it was given.
fn duplicate_ids() -> Scenario {
    Scenario::new("oms-server/batch/duplicate-ids")
        .title("A batch with duplicate ids still gets a well-formed answer naming only the request's ids")
        .section("MS-OMS 3.1.4.4.3.2")
        .section("MS-OMS 3.1.4.4.3.3")
        .requirements(["OMS-R145", "OMS-R146"])
        .level(Level::Must)
        .caught_by("batch-duplicate-crash")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            batch_size_for(&oms, 3).await?;
            let ids = [1, 1, 2];
            let batch = oms.sms_batch(&items(&oms, &ids, "batch duplicates"));
            let call = oms
                .call(Operation::DeliverXmsBatch, oms.soap(), Some(&batch.to_xml()))
                .await?;
            let status = call.status().unwrap_or_default();
            if let Some(f) = call.fault() {
                if let Some(resp) = call.response() {
                    record_findings(&cx, "fault envelope", &resp.findings, &["OMS-R145"])?;
                }
                cx.cite(["OMS-R146"]).level(Level::May).info(
                    "how duplicate ids were answered",
                    format!("the batch was refused: HTTP {status} with SOAP fault {}: {}", f.code, f.reason),
                );
                return Ok(());
            }
            if call.result_payload().is_none() && (400..500).contains(&status) {
                cx.cite(["OMS-R145"]).check(
                    "answer to a batch with duplicate ids",
                    true,
                    "a SOAP fault, an HTTP client error or xmsResponses",
                    format!("HTTP {status} (the request was refused as a client error)"),
                );
                return Ok(());
            }
            if call.result_payload().is_none() {
                let body = call
                    .exchange
                    .response()
                    .map(|r| r.text())
                    .unwrap_or_default();
                let excerpt: String = body.chars().take(120).collect();
                return Err(cx.cite(["OMS-R145"]).fail(
                    "answer to a batch with duplicate ids",
                    "a SOAP fault, an HTTP client error or a DeliverXmsBatchResponse with xmsResponses",
                    format!("HTTP {status} with {excerpt:?}"),
                ));
            }
            let payload = oms.expect_result(&call)?;
            let parsed = match XmsResponses::parse(&payload) {
                Ok(p) => p,
                Err(e) => {
                    return Err(cx.cite(["OMS-R145"]).fail(
                        "xmsResponses readable",
                        "a well-formed xmsResponses document",
                        e.to_string(),
                    ))
                }
            };
            // Two answers for id 1 are the natural echo of two requests with id 1.
            let findings: Vec<wire::Finding> = parsed
                .findings
                .into_iter()
                .filter(|f| f.rule != rules::BATCH_RESPONSE_DUPLICATE_ID)
                .collect();
            record_findings(&cx, "xmsResponses", &findings, &["OMS-R145"])?;
            let responses = parsed.value;
            record_findings(
                &cx,
                "every response id names a message of the batch, every id is answered",
                &responses.coverage_findings(&[1, 2]),
                &["OMS-R146"],
            )?;
            let answered: Vec<String> = responses
                .items
                .iter()
                .map(|i| format!("id {}: {}", i.id, codes_of(&i.errors)))
                .collect();
            cx.cite(["OMS-R146"])
                .level(Level::May)
                .info("how duplicate ids were answered", answered.join("; "));
            Ok(())
        })
}

/// packageXml starting with the 4.4 example's declaration (E-OMS-24).
fn with_utf16_declaration(batch: &XmsBatch) -> String {
    let xml = batch.to_xml();
    let body = match xml.trim_start().strip_prefix("<?xml") {
        Some(rest) => rest
            .split_once("?>")
            .map_or(xml.as_str(), |(_, after)| after),
        None => xml.as_str(),
    };
    format!("<?xml version=\"1.0\" encoding=\"utf-16\"?>{body}")
}

/// E-OMS-24: embedded documents may start with their own declaration, even encoding="utf-16"
/// (as in MS-OMS 4.4); the string is already decoded characters, so receivers ignore it.
fn embedded_utf16_declaration() -> Scenario {
    Scenario::new("oms-server/batch/embedded-utf16-declaration")
        .title("A packageXml starting with <?xml ... encoding=\"utf-16\"?> is processed like any batch")
        .section("MS-OMS 3.1.4.4.2.1")
        .section("MS-OMS 4.4")
        .requirements(["OMS-R105", "OMS-R145"])
        .level(Level::Must)
        .caught_by("rejects-utf16-declaration")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let size = batch_size_for(&oms, 1).await?;
            let ids: Vec<u32> = [1, 2].into_iter().take(size as usize).collect();
            let batch = oms.sms_batch(&items(&oms, &ids, "batch utf-16 declaration"));
            let call = oms
                .call(
                    Operation::DeliverXmsBatch,
                    oms.soap(),
                    Some(&with_utf16_declaration(&batch)),
                )
                .await?;
            let responses = oms.xms_responses(&call)?;
            for id in &ids {
                let errors = response_for(&oms, &responses, *id)?;
                cx.cite(["OMS-R105"]).expect(
                    &format!("message {id} of a packageXml declaring encoding=\"utf-16\""),
                    wire::oms::delivered(errors),
                    "delivered like any batch: code \"ok\" with severity \"neutral\" and no failure",
                    codes_of(errors),
                )?;
            }
            Ok(())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use wire::oms::{SmsLimits, SmsSender};

    fn limits(sbcs: u32) -> SmsLimits {
        SmsLimits {
            max_recipients_per_message: 1,
            max_messages_per_send: 1,
            max_sbcs_per_message: sbcs,
            max_dbcs_per_message: sbcs / 2,
        }
    }

    #[rstest]
    #[case(None, 141)]
    #[case(Some(153), 255 * 153 + 1)]
    fn over_long_texts(#[case] long: Option<u32>, #[case] len: usize) {
        let mut info = wire::oms::ServiceInfo::default();
        info.supported_service.sms = Some(SmsSender {
            limits: limits(140),
            long: long.map(limits),
        });
        assert_eq!(over_long_text(&info).map(|t| t.len()), Some(len));
        info.supported_service.sms = None;
        assert_eq!(over_long_text(&info), None);
    }

    #[test]
    fn utf16_declaration_replaces_the_writer_s() {
        let batch = XmsBatch {
            client: Some("c".into()),
            items: vec![],
        };
        let xml = with_utf16_declaration(&batch);
        assert!(
            xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-16\"?><xmsBatch"),
            "{xml}"
        );
        assert_eq!(xml.matches("<?xml").count(), 1);
    }
}
