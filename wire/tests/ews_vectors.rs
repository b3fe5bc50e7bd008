//! Golden vectors: every case of `vectors/push/*.json` read by the EWS readers and compared
//! with its expected result, rule names, requirements and decoded fields (format in
//! `vectors/README.md`).

use oxconf_wire::ews::{self, rules};
use oxconf_wire::xml::Limits;
use oxconf_wire::{Finding, LayerError, Severity};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct VectorFile {
    description: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    id: u32,
    comment: String,
    flags: Vec<String>,
    #[serde(rename = "type")]
    typ: String,
    xml: String,
    result: String,
    rules: Vec<String>,
    requirements: Vec<String>,
    decoded: Option<Value>,
}

const FLAGS: &[&str] = &[
    "Valid",
    "Invalid",
    "Malformed",
    "Prefixes",
    "Soap12",
    "FutureElement",
    "Fault",
];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/push")
}

fn files() -> Vec<(String, VectorFile)> {
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        let f: VectorFile =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        out.push((p.file_name().unwrap().to_string_lossy().into_owned(), f));
    }
    out
}

/// Every key of `want` is in `got` with an equal value (arrays element-wise, same length).
fn subset(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => w.iter().all(|(k, v)| match g.get(k) {
            Some(gv) => subset(v, gv),
            None => v.is_null(),
        }),
        (Value::Array(w), Value::Array(g)) => {
            w.len() == g.len() && w.iter().zip(g).all(|(a, b)| subset(a, b))
        }
        _ => want == got,
    }
}

fn read(typ: &str, xml: &str) -> Result<(Vec<Finding>, Value), LayerError> {
    let l = Limits::default();
    Ok(match typ {
        "SendNotification" => {
            let r = ews::read_send_notification(xml, l)?;
            (r.findings, serde_json::to_value(&r.value).unwrap())
        }
        "SendNotificationResult" => {
            let r = ews::read_listener_answer(xml, l)?;
            (r.findings, serde_json::to_value(&r.value).unwrap())
        }
        "Subscribe" => {
            let r = ews::read_request(xml, l)?;
            (r.findings, serde_json::to_value(&r.value).unwrap())
        }
        other => panic!("unknown type {other}"),
    })
}

#[test]
fn every_vector_reads_as_it_says() {
    let mut problems = Vec::new();
    let mut count = 0;
    for (name, file) in files() {
        assert!(!file.description.is_empty(), "{name}: no description");
        for (i, c) in file.cases.iter().enumerate() {
            count += 1;
            let at = format!("{name}#{}", c.id);
            assert_eq!(c.id as usize, i + 1, "{at}: ids are 1..n");
            assert!(!c.comment.is_empty(), "{at}: no comment");
            for f in &c.flags {
                assert!(FLAGS.contains(&f.as_str()), "{at}: unknown flag {f}");
            }
            for r in &c.rules {
                assert!(
                    rules::RULES.contains(&r.as_str())
                        || oxconf_wire::soap::RULES.contains(&r.as_str()),
                    "{at}: unknown rule {r}"
                );
            }
            match read(&c.typ, &c.xml) {
                Err(e) => {
                    if c.result != "invalid" || !c.flags.iter().any(|f| f == "Malformed") {
                        problems.push(format!(
                            "{at}: unreadable ({e}) but result {} without Malformed",
                            c.result
                        ));
                    }
                }
                Ok((findings, value)) => {
                    if c.flags.iter().any(|f| f == "Malformed") {
                        problems.push(format!("{at}: Malformed but readable"));
                    }
                    let violations = findings.iter().any(|f| f.severity == Severity::Violation);
                    let result = if violations {
                        "invalid"
                    } else if findings.is_empty() {
                        "valid"
                    } else {
                        "acceptable"
                    };
                    if result != c.result {
                        problems.push(format!(
                            "{at}: result {result}, expected {}: {findings:?}",
                            c.result
                        ));
                    }
                    let got: BTreeSet<&str> = findings.iter().map(|f| f.rule).collect();
                    let want: BTreeSet<&str> = c.rules.iter().map(String::as_str).collect();
                    if got != want {
                        problems.push(format!("{at}: rules {got:?}, expected {want:?}"));
                    }
                    for f in &findings {
                        if let Some(r) = f.requirement {
                            if !c.requirements.iter().any(|x| x == r) {
                                problems.push(format!(
                                    "{at}: finding {} cites {r}, not in the case's requirements",
                                    f.rule
                                ));
                            }
                        }
                    }
                    if let Some(d) = &c.decoded {
                        if !subset(d, &value) {
                            problems.push(format!("{at}: decoded {value} does not hold {d}"));
                        }
                    }
                }
            }
        }
    }
    assert!(count >= 70, "only {count} vectors");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_rule_is_exercised_by_a_vector() {
    let used: BTreeSet<String> = files()
        .into_iter()
        .flat_map(|(_, f)| f.cases.into_iter().flat_map(|c| c.rules))
        .collect();
    let unused: Vec<&&str> = rules::RULES
        .iter()
        .filter(|r| !used.contains(**r))
        .collect();
    assert!(unused.is_empty(), "rules no vector exercises: {unused:?}");
}
