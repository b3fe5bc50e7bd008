//! DeliverXmsBatch (MS-OMS 3.1.4.4): each item is a message of its own, answered with its id
//! echoed exactly (OMS-R146), in request order, also for duplicate ids and the schema's `Id`
//! spelling (E-OMS-05).

use wire::oms::{codes, XmsBatch, XmsResponseWithId, XmsResponses};

use super::deliver::{deliver, has_utf16_declaration, Message};
use super::errors::{failure, is_failure};
use super::state::Shared;

/// What a batch request comes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum BatchAnswer {
    Responses(XmsResponses),
    /// A SOAP fault (Client) with this reason: the request cannot be answered per item.
    Fault(String),
    /// The `batch-duplicate-crash` fault: HTTP 500 with a non-XML body.
    Crash,
}

pub(crate) fn answer(shared: &Shared, payload: Option<&str>, now: i64) -> BatchAnswer {
    let faults = &shared.faults;
    let limit = shared.config.service_info.batch_size.unwrap_or(0);
    if limit == 0 && !faults.on("batch-size-zero-accepts") {
        return BatchAnswer::Fault("batches are not supported (batchSize is 0)".into());
    }
    let Some(text) = payload else {
        return BatchAnswer::Fault("DeliverXmsBatch without packageXml".into());
    };
    let batch = match XmsBatch::parse(text) {
        Ok(parsed) => parsed.value,
        Err(e) => {
            return BatchAnswer::Fault(format!("packageXml is not an xmsBatch: {}", e.message))
        }
    };
    if batch.items.is_empty() {
        return BatchAnswer::Fault("the batch holds no message".into());
    }
    let ids = batch.ids();
    let duplicates = ids.iter().enumerate().any(|(i, id)| ids[..i].contains(id));
    if duplicates && faults.on("batch-duplicate-crash") {
        return BatchAnswer::Crash;
    }
    let utf16 = faults.on("rejects-utf16-declaration") && has_utf16_declaration(text);
    let over = limit > 0
        && faults.over(batch.items.len() as u64, u64::from(limit))
        && !faults.on("ignore-batch-size");

    let mut items: Vec<XmsResponseWithId> = batch
        .items
        .iter()
        .map(|item| {
            let errors = if utf16 {
                vec![failure(faults, codes::INVALID_FORMAT)]
            } else if over {
                vec![failure(faults, codes::OTHER).with_content(&format!(
                    "the batch holds {} messages; batchSize is {limit}",
                    batch.items.len()
                ))]
            } else {
                deliver(
                    shared,
                    Message {
                        user: item.user.as_ref(),
                        head: item.head.as_ref(),
                        body: &item.body,
                    },
                    now,
                )
            };
            XmsResponseWithId {
                id: item.id,
                errors,
            }
        })
        .collect();

    if faults.on("batch-error-spreads") {
        let failed = items
            .iter()
            .find(|i| i.errors.iter().any(is_failure))
            .map(|i| i.errors.clone());
        if let Some(errors) = failed {
            for item in &mut items {
                item.errors = errors.clone();
            }
        }
    }
    if let Some(update) = shared.service_update(now) {
        for item in &mut items {
            item.errors.push(update.clone());
        }
    }
    if faults.on("batch-renumber-ids") {
        for (i, item) in items.iter_mut().enumerate() {
            item.id = u32::try_from(i).unwrap_or(u32::MAX);
        }
    }
    if faults.on("batch-drop-last") || (over && faults.on("over-batch-drops-last")) {
        items.pop();
    }
    BatchAnswer::Responses(XmsResponses { items })
}
