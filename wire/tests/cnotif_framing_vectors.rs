//! The framing vectors (`vectors/cnotif/rop-buffers.json`, `mapihttp-responses.json`) against
//! `wire::rop` and `wire::mapihttp`: each valid case reads as the ROPs or the stream and body
//! it lists, each invalid one is refused with its rule. The cases were built field by field by
//! `vectors/cnotif/generate_framing.py`, not by these codecs.

use oxconf_wire::binary::{hex, parse_hex, BinError};
use oxconf_wire::mapihttp::{
    self, Body, MetaTag, StreamError, StreamEvent, StreamLimits, StreamReader,
};
use oxconf_wire::rop::{read_responses, read_rop_buffer, read_rpc_ext, ResponseError, RopResponse};
use serde_json::{json, Value};

fn cases(text: &str) -> Vec<Value> {
    let doc: Value = serde_json::from_str(text).expect("vector file");
    doc["cases"].as_array().expect("cases").clone()
}

fn bin_rule(e: &BinError) -> String {
    match e {
        BinError::Incomplete { field, .. } => format!("truncated:{field}"),
        BinError::Malformed { rule, .. } => (*rule).to_string(),
    }
}

fn rop_json(r: &RopResponse<'_>) -> Value {
    match r {
        RopResponse::Notify {
            handle,
            logon_id,
            raw,
            ..
        } => {
            json!({"rop": "RopNotify", "handle": handle, "logon_id": logon_id, "data_hex": hex(raw)})
        }
        RopResponse::Pending { session_index } => {
            json!({"rop": "RopPending", "session_index": session_index})
        }
        RopResponse::RegisterNotification { output_index } => {
            json!({"rop": "RopRegisterNotification", "output_index": output_index, "return_value": 0})
        }
        RopResponse::Failure {
            index,
            return_value,
            ..
        } => {
            json!({"rop": r.name(), "output_index": index, "return_value": return_value})
        }
        RopResponse::BufferTooSmall {
            size_needed,
            request,
        } => {
            json!({"rop": "RopBufferTooSmall", "size_needed": size_needed, "request_hex": hex(request)})
        }
        other => json!({"rop": other.name()}),
    }
}

/// What the codec makes of one ROP-buffer case: its ROPs and handles, or the rule it broke.
fn read_rop_case(bytes: &[u8]) -> Result<(Vec<Value>, Vec<u32>), String> {
    let payload = read_rpc_ext(bytes).map_err(|e| bin_rule(&e))?;
    let buffer = read_rop_buffer(&payload).map_err(|e| bin_rule(&e))?;
    let rops = read_responses(buffer.rops).map_err(|e| match e {
        ResponseError::UnknownRop { .. } => "unknown-rop".to_string(),
        ResponseError::BadNotification { error, .. } => error.rule.id().into_owned(),
        ResponseError::Bytes(b) => bin_rule(&b),
    })?;
    Ok((
        rops.iter().map(|(_, r)| rop_json(r)).collect(),
        buffer.handles,
    ))
}

#[test]
fn rop_buffer_vectors() {
    let all = cases(include_str!("../../vectors/cnotif/rop-buffers.json"));
    assert!(all.len() >= 15);
    for c in all {
        let bytes = parse_hex(c["hex"].as_str().expect("hex")).expect("hex parses");
        let got = read_rop_case(&bytes);
        match c["result"].as_str() {
            Some("valid") => {
                let (rops, handles) = got.unwrap_or_else(|e| panic!("case {}: {e}", c["id"]));
                assert_eq!(
                    Value::from(rops),
                    c["rops"],
                    "case {}: {}",
                    c["id"],
                    c["comment"]
                );
                assert_eq!(json!(handles), c["handles"], "case {}", c["id"]);
            }
            _ => assert_eq!(
                got.err().as_deref(),
                c["rule"].as_str(),
                "case {}: {}",
                c["id"],
                c["comment"]
            ),
        }
    }
}

fn stream_rule(e: &StreamError) -> &'static str {
    match e {
        StreamError::BadLine(_) => "bad-line",
        StreamError::LineTooLong => "line-too-long",
        StreamError::BodyTooLarge => "body-too-large",
        StreamError::TooManyTags => "too-many-tags",
        StreamError::Unfinished => "unfinished",
    }
}

fn body_json(kind: &str, body: &[u8]) -> Result<Value, String> {
    let e = |e: BinError| bin_rule(&e);
    Ok(match kind {
        "NotificationWait" => match mapihttp::read_wait_response(body).map_err(e)? {
            Body::Success(w) => {
                json!({"status_code": 0, "error_code": w.error_code, "event_pending": w.event_pending})
            }
            Body::Failure { status_code } => json!({"status_code": status_code}),
        },
        "Execute" => match mapihttp::read_execute_response(body).map_err(e)? {
            Body::Success(s) => {
                json!({"status_code": 0, "error_code": s.error_code, "flags": s.flags, "rop_buffer_hex": hex(&s.rop_buffer)})
            }
            Body::Failure { status_code } => json!({"status_code": status_code}),
        },
        "Connect" => match mapihttp::read_connect_response(body).map_err(e)? {
            Body::Success(s) => {
                json!({"status_code": 0, "error_code": s.error_code, "polls_max": s.polls_max,
                "retry_count": s.retry_count, "retry_delay": s.retry_delay, "dn_prefix": s.dn_prefix,
                "display_name": s.display_name})
            }
            Body::Failure { status_code } => json!({"status_code": status_code}),
        },
        other => panic!("no request type {other}"),
    })
}

#[test]
fn mapihttp_response_vectors() {
    let all = cases(include_str!("../../vectors/cnotif/mapihttp-responses.json"));
    assert!(all.len() >= 10);
    for c in all {
        let bytes = parse_hex(c["hex"].as_str().expect("hex")).expect("hex parses");
        // Fed in two pieces, as chunks arrive.
        let mut reader = StreamReader::new(StreamLimits::default());
        let split = bytes.len() / 2;
        let read = reader
            .feed(&bytes[..split])
            .and_then(|mut a| {
                a.extend(reader.feed(&bytes[split..])?);
                Ok(a)
            })
            .map_err(|e| stream_rule(&e).to_string());
        let got = read.and_then(|events| {
            let body = reader.finish().map_err(|e| stream_rule(&e).to_string())?;
            let tags: Vec<String> = events
                .iter()
                .filter_map(|e| match e {
                    StreamEvent::Tag(MetaTag::Processing) => Some("PROCESSING".to_string()),
                    StreamEvent::Tag(MetaTag::Pending) => Some("PENDING".to_string()),
                    StreamEvent::Tag(MetaTag::Done) => Some("DONE".to_string()),
                    _ => None,
                })
                .collect();
            Ok((
                tags,
                body_json(c["request_type"].as_str().expect("type"), &body)?,
            ))
        });
        match c["result"].as_str() {
            Some("valid") => {
                let (tags, body) = got.unwrap_or_else(|e| panic!("case {}: {e}", c["id"]));
                assert_eq!(json!(tags), c["tags"], "case {}", c["id"]);
                assert_eq!(body, c["body"], "case {}: {}", c["id"], c["comment"]);
            }
            _ => assert_eq!(
                got.err().as_deref(),
                c["rule"].as_str(),
                "case {}: {}",
                c["id"],
                c["comment"]
            ),
        }
    }
}
