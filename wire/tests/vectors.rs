//! Golden vectors: every case of `vectors/oms/*.json` parsed by the codecs and compared with
//! its expected result, rule names, decoded fields and client interpretation. The format is
//! described in `vectors/README.md`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use oxconf_wire::oms::{
    self, rules, DeliveryError, ServiceInfo, UserInfo, XmsBatch, XmsData, XmsResponse,
    XmsResponses, XmsUser,
};
use oxconf_wire::{Finding, Layer, LayerError, Severity};
use serde::Deserialize;
use serde_json::Value;

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
    interpretation: Option<Expected>,
}

#[derive(Deserialize)]
struct Expected {
    recipients: Vec<String>,
    outcome: String,
    failed_recipients: Vec<String>,
    ndr: bool,
    service_update: bool,
}

const TYPES: &[&str] = &[
    "serviceInfo",
    "xmsUser",
    "userInfo",
    "xmsData",
    "xmsResponse",
    "xmsBatch",
    "xmsResponses",
];
const RESULTS: &[&str] = &["valid", "acceptable", "invalid"];
const FLAGS: &[&str] = &[
    "SpecExample",
    "Corrected",
    "Malformed",
    "LegacySpelling",
    "Utf16Declaration",
    "ClientRobustness",
];

fn vector_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/oms")
}

fn load() -> Vec<(String, VectorFile)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(vector_dir())
        .expect("vectors/oms exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no vector files found");
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap();
            let file: VectorFile =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, file)
        })
        .collect()
}

/// What one case yields: the findings the vector's rules are compared with, the decoded value
/// as JSON, and the delivery errors for interpretation.
struct Outcome {
    findings: Vec<Finding>,
    decoded: Value,
    errors: Option<Vec<DeliveryError>>,
}

fn evaluate(typ: &str, xml: &str) -> Result<Outcome, LayerError> {
    fn json<T: serde::Serialize>(v: &T) -> Value {
        serde_json::to_value(v).unwrap()
    }
    Ok(match typ {
        "serviceInfo" => {
            let p = ServiceInfo::parse(xml)?;
            let mut findings = p.findings;
            findings.extend(p.value.consistency_findings());
            Outcome {
                findings,
                decoded: json(&p.value),
                errors: None,
            }
        }
        "xmsUser" => {
            let p = XmsUser::parse(xml)?;
            Outcome {
                findings: p.findings,
                decoded: json(&p.value),
                errors: None,
            }
        }
        "userInfo" => {
            let p = UserInfo::parse(xml)?;
            Outcome {
                findings: p.findings,
                decoded: json(&p.value),
                errors: None,
            }
        }
        "xmsData" => {
            let p = XmsData::parse(xml)?;
            Outcome {
                findings: p.findings,
                decoded: json(&p.value),
                errors: None,
            }
        }
        "xmsResponse" => {
            let p = XmsResponse::parse(xml)?;
            let mut findings = p.findings;
            findings.extend(p.value.pairing_findings());
            let errors = Some(p.value.errors.clone());
            Outcome {
                findings,
                decoded: json(&p.value),
                errors,
            }
        }
        "xmsBatch" => {
            let p = XmsBatch::parse(xml)?;
            Outcome {
                findings: p.findings,
                decoded: json(&p.value),
                errors: None,
            }
        }
        "xmsResponses" => {
            let p = XmsResponses::parse(xml)?;
            let mut findings = p.findings;
            findings.extend(p.value.pairing_findings());
            Outcome {
                findings,
                decoded: json(&p.value),
                errors: None,
            }
        }
        other => panic!("unknown vector type {other}"),
    })
}

/// `expected` is contained in `actual`: objects by key, arrays element-wise with equal
/// length, scalars by equality.
fn subset(expected: &Value, actual: &Value, at: &str, problems: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                match a.get(k) {
                    Some(av) => subset(v, av, &format!("{at}.{k}"), problems),
                    None => problems.push(format!("{at}.{k}: no such field")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                problems.push(format!(
                    "{at}: {} items expected, {} decoded",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                subset(ev, av, &format!("{at}[{i}]"), problems);
            }
        }
        (e, a) if e == a => {}
        (e, a) => problems.push(format!("{at}: expected {e}, decoded {a}")),
    }
}

fn result_of(findings: &[Finding]) -> &'static str {
    if findings.is_empty() {
        "valid"
    } else if findings.iter().any(Finding::is_violation) {
        "invalid"
    } else {
        "acceptable"
    }
}

fn check_case(file: &str, case: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    let outcome = evaluate(&case.typ, &case.xml);
    if case.flags.iter().any(|f| f == "Malformed") {
        match outcome {
            Err(e) => {
                let expected =
                    Layer::Payload(TYPES.iter().copied().find(|t| *t == case.typ).unwrap());
                if e.layer != expected {
                    problems.push(format!(
                        "error names layer {:?}, expected {expected:?}",
                        e.layer
                    ));
                }
                if case.result != "invalid" {
                    problems.push("a malformed case must be \"invalid\"".into());
                }
            }
            Ok(o) => problems.push(format!(
                "expected an unreadable document, parsed with {:?}",
                o.findings.iter().map(|f| f.rule).collect::<Vec<_>>()
            )),
        }
        return prefix(file, case, problems);
    }
    let o = match outcome {
        Ok(o) => o,
        Err(e) => {
            problems.push(format!("unreadable: {e}"));
            return prefix(file, case, problems);
        }
    };
    let got: BTreeSet<&str> = o.findings.iter().map(|f| f.rule).collect();
    let want: BTreeSet<&str> = case.rules.iter().map(String::as_str).collect();
    if got != want {
        problems.push(format!(
            "rules: expected {want:?}, got {got:?} ({})",
            o.findings
                .iter()
                .map(|f| f.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    if result_of(&o.findings) != case.result {
        problems.push(format!(
            "result: expected {}, got {}",
            case.result,
            result_of(&o.findings)
        ));
    }
    for f in &o.findings {
        if let Some(req) = f.requirement {
            if !case.requirements.iter().any(|r| r == req) {
                problems.push(format!(
                    "finding {} cites {req}, which the case does not list",
                    f.rule
                ));
            }
        }
        if let Severity::Deviation { erratum } = f.severity {
            if !erratum.starts_with("E-OMS-") {
                problems.push(format!("deviation {} cites {erratum}", f.rule));
            }
        }
    }
    if let Some(decoded) = &case.decoded {
        subset(decoded, &o.decoded, "decoded", &mut problems);
    }
    if let Some(expected) = &case.interpretation {
        match &o.errors {
            None => problems.push("interpretation given for a type without delivery errors".into()),
            Some(errors) => {
                let i = oms::interpret(errors, &expected.recipients);
                let outcome = serde_json::to_value(i.outcome).unwrap();
                if outcome != Value::String(expected.outcome.clone()) {
                    problems.push(format!(
                        "outcome: expected {}, got {outcome}",
                        expected.outcome
                    ));
                }
                if i.failed_recipients != expected.failed_recipients {
                    problems.push(format!(
                        "failed_recipients: expected {:?}, got {:?}",
                        expected.failed_recipients, i.failed_recipients
                    ));
                }
                if i.ndr != expected.ndr {
                    problems.push(format!("ndr: expected {}, got {}", expected.ndr, i.ndr));
                }
                if i.service_update != expected.service_update {
                    problems.push(format!(
                        "service_update: expected {}, got {}",
                        expected.service_update, i.service_update
                    ));
                }
            }
        }
    }
    prefix(file, case, problems)
}

fn prefix(file: &str, case: &Case, problems: Vec<String>) -> Vec<String> {
    problems
        .into_iter()
        .map(|p| format!("{file} #{} ({}): {p}", case.id, case.comment))
        .collect()
}

#[test]
fn every_vector_case_holds() {
    let mut problems = Vec::new();
    let mut count = 0;
    for (name, file) in load() {
        for case in &file.cases {
            count += 1;
            problems.extend(check_case(&name, case));
        }
    }
    assert!(count >= 60, "only {count} cases");
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_rule_named_by_a_vector_exists() {
    for (name, file) in load() {
        for case in &file.cases {
            for rule in &case.rules {
                assert!(
                    rules::is_known(rule),
                    "{name} #{}: unknown rule {rule}",
                    case.id
                );
            }
        }
    }
}

#[test]
fn files_are_well_formed() {
    let mut types_seen = BTreeSet::new();
    for (name, file) in load() {
        assert!(!file.description.is_empty(), "{name}: empty description");
        for (i, case) in file.cases.iter().enumerate() {
            let at = format!("{name} #{}", case.id);
            assert_eq!(case.id as usize, i + 1, "{at}: ids must run 1..n");
            assert!(!case.comment.is_empty(), "{at}: empty comment");
            assert!(
                TYPES.contains(&case.typ.as_str()),
                "{at}: type {}",
                case.typ
            );
            assert!(
                RESULTS.contains(&case.result.as_str()),
                "{at}: result {}",
                case.result
            );
            for flag in &case.flags {
                assert!(FLAGS.contains(&flag.as_str()), "{at}: unknown flag {flag}");
            }
            for req in &case.requirements {
                let ok = req.len() == 8
                    && req.starts_with("OMS-R")
                    && req[5..].bytes().all(|b| b.is_ascii_digit());
                assert!(ok, "{at}: requirement id {req}");
            }
            if !case.flags.iter().any(|f| f == "Malformed") {
                assert_eq!(
                    case.result == "valid",
                    case.rules.is_empty(),
                    "{at}: valid <=> no rules"
                );
            }
            assert!(!case.requirements.is_empty(), "{at}: no requirement");
            types_seen.insert(case.typ.clone());
        }
    }
    for t in TYPES {
        assert!(types_seen.contains(*t), "no vector of type {t}");
    }
}
