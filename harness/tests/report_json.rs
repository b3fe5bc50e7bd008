//! The JSON report against its published schema, and the files it points to.

extern crate oxconf_harness as harness;

mod common;

use common::{
    every_verdict, files_below, known_failures, options, passing, FakeSuite, HOSTILE,
    HOSTILE_IN_TEXT, TOOL,
};
use harness::report::{write_all, Outputs};
use harness::{RunOptions, RunReport, VerdictKind};
use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;

const SCHEMA: &str = include_str!("../schema/report.schema.json");

/// Validates with the schema compiled from the file shipped in the crate.
fn validate(doc: &Value) -> Result<(), String> {
    let schema: Value = serde_json::from_str(SCHEMA).map_err(|e| e.to_string())?;
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler
        .add_resource("urn:oxconf:schema:oxconf-report:1", schema)
        .map_err(|e| format!("{e:#}"))?;
    let index = compiler
        .compile("urn:oxconf:schema:oxconf-report:1", &mut schemas)
        .map_err(|e| format!("{e:#}"))?;
    schemas.validate(doc, index).map_err(|e| format!("{e:#}"))
}

async fn full_run() -> RunReport {
    let mut report = harness::run(
        vec![FakeSuite::new("fake", every_verdict("fake")).planned()],
        RunOptions {
            expected: known_failures("fake"),
            profile: Some("profiles/sut.toml".into()),
            ..options()
        },
    )
    .await;
    // A deviation so that a check carries a note.
    let deviation = harness::Check {
        what: "order".into(),
        requirements: vec!["FAKE-R009".into()],
        section: "2.2".into(),
        level: harness::Level::Should,
        outcome: harness::CheckOutcome::Warn,
        expected: "a, b".into(),
        actual: "b, a".into(),
        note: Some("tolerated per erratum E-OMS-05".into()),
    };
    report.suites[0].scenarios[1]
        .evidence
        .checks
        .push(deviation);
    report
}

fn write(report: &RunReport) -> (tempfile::TempDir, Outputs, Value) {
    let dir = tempfile::tempdir().unwrap();
    let out = Outputs::in_dir(&dir.path().join("reports"));
    write_all(report, &out, TOOL).unwrap();
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out.json).unwrap()).unwrap();
    (dir, out, doc)
}

#[tokio::test]
async fn report_validates_against_the_schema() {
    let report = full_run().await;
    let (_dir, _out, doc) = write(&report);
    validate(&doc).unwrap();
    assert_eq!(doc["schema"], "oxconf-report/1");
    assert_eq!(
        doc["tool"],
        json!({"name": "oxconf", "version": "0.0.0-test"})
    );
    assert_eq!(doc["profile"], "profiles/sut.toml");
    assert_eq!(doc["interrupted"], Value::Null);
    assert_eq!(doc["exit_code"], report.exit_code());
}

#[tokio::test]
async fn summary_agrees_with_the_scenarios() {
    let report = full_run().await;
    let (_dir, _out, doc) = write(&report);
    let scenarios = doc["suites"][0]["scenarios"].as_array().unwrap();
    let verdicts = doc["summary"]["verdicts"].as_object().unwrap();
    let sum: u64 = verdicts.values().filter_map(Value::as_u64).sum();
    assert_eq!(doc["summary"]["total"], scenarios.len());
    assert_eq!(sum, scenarios.len() as u64);
    for kind in VerdictKind::ALL {
        let n = scenarios
            .iter()
            .filter(|s| s["verdict"] == kind.as_str())
            .count();
        assert_eq!(verdicts[kind.as_str()], n, "{kind}");
    }
    assert_eq!(doc["summary"]["expected_failures"], 1);
    assert_eq!(
        doc["summary"]["levels"]["STRUCTURE"],
        json!({"fail": 1}),
        "only the hostile scenario is STRUCTURE"
    );
    let known = scenarios
        .iter()
        .find(|s| s["id"] == "fake/known/fail")
        .unwrap();
    assert_eq!(
        known["expected_failure"],
        json!({"pattern": "fake/known/*", "reason": "known gap"})
    );
}

#[tokio::test]
async fn hostile_text_is_kept_verbatim_in_json() {
    let report = full_run().await;
    let (_dir, _out, doc) = write(&report);
    let hostile = doc["suites"][0]["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == HOSTILE)
        .expect("hostile scenario by title");
    assert_eq!(hostile["id"], format!("fake/hostile{HOSTILE}"));
    assert_eq!(hostile["checks"][0]["actual"], HOSTILE);
    assert_eq!(hostile["notes"], json!([HOSTILE]));
    assert_eq!(hostile["sections"], json!([HOSTILE]));
}

#[tokio::test]
async fn transcript_files_exist_exactly_where_the_json_says() {
    let report = full_run().await;
    let (_dir, out, doc) = write(&report);
    let base = out.json.parent().unwrap();
    let mut linked = Vec::new();
    for s in doc["suites"][0]["scenarios"].as_array().unwrap() {
        match &s["transcript_file"] {
            Value::String(rel) => {
                assert!(!Path::new(rel).is_absolute(), "{rel}");
                let path = base.join(rel);
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let id = harness::report::sanitize::terminal(s["id"].as_str().unwrap());
                assert!(text.contains(&id), "{rel}");
                linked.push(path);
            }
            Value::Null => {
                // Nothing recorded: no check, note or transcript entry.
                assert_eq!(s["checks"], json!([]), "{}", s["id"]);
                assert_eq!(s["notes"], json!([]), "{}", s["id"]);
            }
            other => panic!("transcript_file is {other}"),
        }
    }
    linked.sort();
    let on_disk = files_below(&out.transcripts);
    assert_eq!(
        on_disk, linked,
        "every transcript file is linked, and only those"
    );
    let hostile = std::fs::read_to_string(
        linked
            .iter()
            .find(|p| p.to_string_lossy().contains("hostile"))
            .unwrap(),
    )
    .unwrap();
    // The SUT's control bytes are shown, not written raw: `cat` must not drive the terminal.
    assert!(
        hostile.contains(&format!(">> http {HOSTILE_IN_TEXT}\n{HOSTILE_IN_TEXT}\n")),
        "{hostile}"
    );
    assert!(
        !hostile.contains('\u{1b}') && !hostile.contains('\u{0}'),
        "{hostile:?}"
    );
    assert!(
        hostile.contains(&format!("note {HOSTILE_IN_TEXT}")),
        "{hostile}"
    );
}

#[tokio::test]
async fn no_temporary_files_are_left_behind() {
    let report = full_run().await;
    let (_dir, out, _doc) = write(&report);
    // Writing again replaces every file in place.
    write_all(&report, &out, TOOL).unwrap();
    let all = files_below(out.json.parent().unwrap());
    assert!(all.len() > 2);
    let tmp: Vec<_> = all
        .iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(".tmp"))
        })
        .collect();
    assert!(tmp.is_empty(), "{tmp:?}");
}

#[tokio::test]
async fn interrupted_run_validates_and_says_why() {
    let slow = harness::Scenario::new("fake/slow").run(|cx| async move {
        cx.expect_eq("started", 1, 1)?;
        tokio::time::sleep(Duration::from_secs(600)).await;
        Ok(())
    });
    let report = harness::run(
        vec![FakeSuite::new("fake", vec![slow, passing("fake/later")]).planned()],
        RunOptions {
            jobs: 1,
            deadline: Some(Duration::from_millis(300)),
            ..options()
        },
    )
    .await;
    let (_dir, _out, doc) = write(&report);
    validate(&doc).unwrap();
    assert!(doc["interrupted"]
        .as_str()
        .is_some_and(|s| s.starts_with("run deadline")));
    assert_eq!(doc["exit_code"], 1);
    assert_eq!(doc["summary"]["verdicts"]["error"], 1);
    assert_eq!(doc["summary"]["verdicts"]["skip"], 1);
}

#[tokio::test]
async fn requirements_section_lists_every_cited_id() {
    let report = full_run().await;
    let (_dir, _out, doc) = write(&report);
    let reqs = doc["requirements"].as_array().unwrap();
    let ids: Vec<&str> = reqs.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "FAKE-R001",
            "FAKE-R002",
            "FAKE-R003",
            "FAKE-R004",
            "FAKE-R009"
        ]
    );
    let r002 = &reqs[1];
    assert_eq!(r002["verdict"], "fail");
    assert_eq!(r002["scenarios"], json!(["fake/fail", "fake/known/fail"]));
    assert_eq!(
        reqs[4]["verdict"], "warn",
        "the deviation check cites FAKE-R009"
    );
}

#[rstest::rstest]
#[case::unknown_property(json!({"surprise": true}), "")]
#[case::bad_verdict(json!("maybe"), "/suites/0/scenarios/0/verdict")]
#[case::bad_level(json!("MUST NOT"), "/suites/0/scenarios/0/level")]
#[case::missing_reason(Value::Null, "/suites/0/scenarios/0")]
#[case::bad_check_outcome(json!("meh"), "/suites/0/scenarios/0/checks/0/outcome")]
#[tokio::test]
async fn schema_rejects_what_the_writer_never_emits(#[case] value: Value, #[case] at: &str) {
    let report = full_run().await;
    let (_dir, _out, mut doc) = write(&report);
    match at {
        "" => {
            doc.as_object_mut()
                .unwrap()
                .insert("surprise".into(), value);
        }
        "/suites/0/scenarios/0" => {
            doc["suites"][0]["scenarios"][0]
                .as_object_mut()
                .unwrap()
                .remove("reason");
        }
        pointer => *doc.pointer_mut(pointer).unwrap() = value,
    }
    assert!(validate(&doc).is_err(), "mutation at `{at}` was accepted");
}
