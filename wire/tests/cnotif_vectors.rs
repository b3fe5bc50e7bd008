//! The RopNotify NotificationData vectors (`vectors/cnotif/notification-data.json`) against the
//! codec in `wire::cnotif`.
//!
//! The vectors were built field by field by a second implementation written from the spec text
//! (`vectors/cnotif/generate.py`), so each assertion here is one implementation checking the
//! other: every valid buffer decodes to exactly its canonical JSON and encodes back byte for
//! byte, every invalid one is refused with its rule, and every rule of the decode-format
//! document is exercised.

use std::collections::BTreeSet;

use oxconf_wire::binary::parse_hex;
use oxconf_wire::cnotif::{self, Rule, FIELDS};
use serde_json::Value;

fn vectors() -> Value {
    let text = include_str!("../../vectors/cnotif/notification-data.json");
    serde_json::from_str(text).expect("the vector file is JSON")
}

fn tests(doc: &Value) -> Vec<&Value> {
    doc["testGroups"]
        .as_array()
        .expect("testGroups")
        .iter()
        .flat_map(|g| g["tests"].as_array().expect("tests").iter())
        .collect()
}

fn bytes(t: &Value) -> Vec<u8> {
    parse_hex(t["hex"].as_str().expect("hex")).expect("hex parses")
}

/// The keys of a canonical decode appear in the document's order: NotificationType, flags,
/// then the fields in wire order.
fn keys_in_order(json: &str) {
    let mut order = vec!["NotificationType", "flags"];
    order.extend(FIELDS.iter().skip(1));
    let mut last = 0;
    for key in order {
        if let Some(at) = json.find(&format!("\"{key}\":")) {
            assert!(at >= last, "{key} is out of order in {json}");
            last = at;
        }
    }
}

#[test]
fn the_file_counts_what_it_holds() {
    let doc = vectors();
    let all = tests(&doc);
    assert_eq!(doc["numberOfTests"].as_u64(), Some(all.len() as u64));
    assert!(all.len() > 200, "the issue asks for well over 200 vectors");
    let spec = all
        .iter()
        .filter(|t| {
            t["flags"]
                .as_array()
                .is_some_and(|f| f.contains(&"SpecExample".into()))
        })
        .count();
    assert_eq!(spec, 18, "all 18 examples of section 4");
    let ids: BTreeSet<u64> = all.iter().filter_map(|t| t["tcId"].as_u64()).collect();
    assert_eq!(ids.len(), all.len(), "tcIds are unique");
}

#[test]
fn valid_vectors_decode_to_their_canonical_json_and_encode_back() {
    let doc = vectors();
    let valid: Vec<&Value> = tests(&doc)
        .into_iter()
        .filter(|t| t["result"] == "valid")
        .collect();
    assert_eq!(Some(valid.len() as u64), doc["results"]["valid"].as_u64());
    for t in valid {
        let id = &t["tcId"];
        let data = bytes(t);
        let decoded = cnotif::decode(&data).unwrap_or_else(|e| panic!("tcId {id}: {e}"));
        let json = cnotif::to_json(&decoded);
        keys_in_order(&json);
        let ours: Value = serde_json::from_str(&json).expect("to_json writes JSON");
        assert_eq!(ours, t["decoded"], "tcId {id}: {}", t["comment"]);
        assert_eq!(
            decoded.encode().expect("encodes"),
            data,
            "tcId {id} re-encoded"
        );
        let from_vector = cnotif::from_json(&t["decoded"]).expect("the decode reads back");
        assert_eq!(
            from_vector.encode().expect("encodes"),
            data,
            "tcId {id} from JSON"
        );
        let (out, ok) = cnotif::decode_to_json(&data);
        assert!(ok);
        assert_eq!(out, json);
    }
}

#[test]
fn invalid_and_acceptable_vectors_get_their_rule() {
    for t in tests(&vectors())
        .into_iter()
        .filter(|t| t["result"] != "valid")
    {
        let id = &t["tcId"];
        let data = bytes(t);
        let err = cnotif::decode(&data)
            .map(|n| cnotif::to_json(&n))
            .expect_err(&format!("tcId {id} must be refused: {}", t["comment"]));
        assert_eq!(
            err.rule.id(),
            t["rule"].as_str().expect("rule"),
            "tcId {id}: {}",
            t["comment"]
        );
        assert!(err.offset() <= data.len());
        let (out, ok) = cnotif::decode_to_json(&data);
        assert!(!ok);
        let out: Value = serde_json::from_str(&out).expect("error JSON");
        assert_eq!(out["error"], t["rule"]);
    }
}

#[test]
fn every_rule_of_the_decode_format_has_a_vector() {
    let doc = vectors();
    let used: BTreeSet<&str> = tests(&doc)
        .into_iter()
        .filter_map(|t| t["rule"].as_str())
        .collect();
    for rule in Rule::FIXED {
        assert!(
            used.contains(rule.id().as_ref()),
            "no vector for {}",
            rule.id()
        );
    }
    for field in FIELDS {
        if matches!(field, "Tags" | "TableRowData") {
            continue; // truncation inside them reports the count rules
        }
        let id = format!("truncated:{field}");
        assert!(used.contains(id.as_str()), "no vector for {id}");
        assert_eq!(Rule::from_id(&id).map(|r| r.id().into_owned()), Some(id));
    }
}

#[test]
fn annotation_names_every_byte_of_a_valid_buffer() {
    for t in tests(&vectors())
        .into_iter()
        .filter(|t| t["result"] == "valid")
    {
        let data = bytes(t);
        let (fields, result) = cnotif::annotate(&data);
        assert!(result.is_ok());
        let mut next = 0;
        for f in &fields {
            assert_eq!(f.offset, next, "tcId {}: fields are contiguous", t["tcId"]);
            next += f.len;
        }
        assert_eq!(next, data.len());
    }
}
