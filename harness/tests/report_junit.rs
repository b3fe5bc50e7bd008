//! The JUnit file: well-formed whatever the SUT sent, with the documented verdict mapping.

extern crate oxconf_harness as harness;

mod common;

use common::{
    every_verdict, known_failures, options, FakeSuite, Setup, HOSTILE, HOSTILE_IN_XML, TOOL,
};
use harness::report::{write_all, Outputs};
use harness::{RunOptions, RunReport};
use roxmltree::{Document, Node};

async fn two_suites() -> RunReport {
    let fake = FakeSuite::new("fake", every_verdict("fake"));
    let other = FakeSuite::new("other", every_verdict("other")).setup(Setup::with_claims(&["mms"]));
    harness::run(
        vec![fake.planned(), other.planned()],
        RunOptions {
            expected: known_failures("*"),
            ..options()
        },
    )
    .await
}

fn written_junit(report: &RunReport) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = Outputs::in_dir(&dir.path().join("reports"));
    write_all(report, &out, TOOL).unwrap();
    let xml = std::fs::read_to_string(&out.junit).unwrap();
    (dir, xml)
}

fn testcase<'a, 'i>(doc: &'a Document<'i>, name: &str) -> Node<'a, 'i> {
    doc.descendants()
        .find(|n| n.has_tag_name("testcase") && n.attribute("name") == Some(name))
        .unwrap_or_else(|| panic!("no testcase named {name:?}"))
}

fn child<'a, 'i>(node: Node<'a, 'i>, tag: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name(tag))
}

/// Element children's tag names, to see at a glance how a testcase was reported.
fn shape(node: Node<'_, '_>) -> Vec<String> {
    node.children()
        .filter(Node::is_element)
        .map(|n| n.tag_name().name().to_string())
        .collect()
}

/// All text below a node: CDATA split into several sections reads back as one string.
fn text_of(node: Node<'_, '_>) -> String {
    node.descendants().filter_map(|n| n.text()).collect()
}

#[tokio::test]
async fn junit_is_well_formed_and_maps_every_verdict() {
    let report = two_suites().await;
    let (_dir, xml) = written_junit(&report);
    let doc = Document::parse(&xml).expect("JUnit must be well-formed XML");

    let suites: Vec<Node> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<_> = suites.iter().map(|s| s.attribute("name")).collect();
    assert_eq!(names, [Some("fake"), Some("other")]);
    for s in &suites {
        assert_eq!(s.attribute("tests"), Some("8"));
        // "other" claims mms, so its skip scenario runs and passes.
        assert_eq!(s.attribute("failures"), Some("2"), "fail + hostile");
        assert_eq!(s.attribute("errors"), Some("2"), "inconclusive + error");
        let cases: Vec<_> = s
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(cases.len(), 8);
        let prefix = format!("{}/", s.attribute("name").unwrap());
        assert!(cases
            .iter()
            .all(|c| c.attribute("name").is_some_and(|n| n.starts_with(&prefix))));
        assert!(cases
            .iter()
            .all(|c| c.attribute("classname") == s.attribute("name")));
    }

    assert_eq!(shape(testcase(&doc, "fake/pass")), ["system-out"]);
    let fail = testcase(&doc, "fake/fail");
    assert_eq!(shape(fail), ["failure", "system-out"]);
    let failure = child(fail, "failure").unwrap();
    assert_eq!(failure.attribute("type"), Some("MUST"));
    assert_eq!(
        failure.attribute("message"),
        Some("answer: expected 42, got 41")
    );

    let warn = testcase(&doc, "fake/warn");
    assert_eq!(shape(warn), ["system-out"], "a warning is a success");
    assert!(text_of(child(warn, "system-out").unwrap()).starts_with("WARNING: keep-alive"));

    let skip = testcase(&doc, "fake/skip");
    assert_eq!(shape(skip), ["skipped", "system-out"]);
    assert!(child(skip, "skipped")
        .and_then(|n| n.attribute("message"))
        .is_some_and(|m| m.contains("claims.mms = true")));
    assert_eq!(shape(testcase(&doc, "other/skip")), ["system-out"]);

    let known = testcase(&doc, "fake/known/fail");
    assert_eq!(shape(known), ["skipped", "system-out"]);
    assert_eq!(
        child(known, "skipped").and_then(|n| n.attribute("message")),
        Some("expected failure: known gap")
    );

    for (id, kind) in [
        ("fake/inconclusive", "inconclusive"),
        ("fake/error", "error"),
    ] {
        let tc = testcase(&doc, id);
        assert_eq!(shape(tc), ["error", "system-out"], "{id}");
        assert_eq!(
            child(tc, "error").and_then(|n| n.attribute("type")),
            Some(kind)
        );
    }
}

#[tokio::test]
async fn hostile_text_survives_the_round_trip() {
    let report = two_suites().await;
    let (_dir, xml) = written_junit(&report);
    let doc = Document::parse(&xml).expect("JUnit must be well-formed XML");

    // Attributes carry the id with forbidden characters made visible, markup intact.
    let name = format!("fake/hostile{HOSTILE_IN_XML}");
    let tc = testcase(&doc, &name);
    let failure = child(tc, "failure").expect("a STRUCTURE failure");
    assert_eq!(failure.attribute("type"), Some("STRUCTURE"));

    // The body text reads back exactly, `]]>` included, through the CDATA split.
    let details = text_of(child(tc, "system-out").unwrap());
    let expected_line = format!("{HOSTILE_IN_XML}: expected clean, got {HOSTILE_IN_XML}");
    assert!(details.contains(&expected_line), "{details}");
    assert_eq!(failure.attribute("message"), Some(expected_line.as_str()));
    assert!(
        details.contains(&format!("note {HOSTILE_IN_XML}")),
        "{details}"
    );
    assert_eq!(text_of(failure), details, "the cause repeats the details");
    assert!(details.contains("transcript: transcripts/fake__hostile"));

    // The raw characters XML cannot carry never reach the file.
    for bad in ['\u{0}', '\u{1b}', '\u{fffe}'] {
        assert!(!xml.contains(bad), "{bad:?} written raw");
    }
    assert!(HOSTILE.contains("]]>"));
}

#[tokio::test]
async fn interrupted_run_is_flagged_in_every_testsuite() {
    let slow = harness::Scenario::new("fake/slow").run(|cx| async move {
        cx.expect_eq("started", 1, 1)?;
        tokio::time::sleep(std::time::Duration::from_secs(600)).await;
        Ok(())
    });
    let report = harness::run(
        vec![
            FakeSuite::new("fake", vec![slow]).planned(),
            FakeSuite::new("other", vec![common::passing("other/p")]).planned(),
        ],
        RunOptions {
            deadline: Some(std::time::Duration::from_millis(300)),
            ..options()
        },
    )
    .await;
    let (_dir, xml) = written_junit(&report);
    let doc = Document::parse(&xml).unwrap();
    for s in doc.descendants().filter(|n| n.has_tag_name("testsuite")) {
        let err = child(s, "system-err").expect("system-err on every testsuite");
        assert!(text_of(err).starts_with("run stopped early: run deadline"));
    }
    let slow = testcase(&doc, "fake/slow");
    assert_eq!(shape(slow), ["error", "system-out"]);
}

#[test]
fn empty_report_is_still_valid_junit() {
    let report = RunReport {
        started: std::time::SystemTime::UNIX_EPOCH,
        duration: std::time::Duration::ZERO,
        strict: false,
        interrupted: None,
        profile: None,
        suites: Vec::new(),
        requirements: Default::default(),
        errors: Vec::new(),
    };
    let xml = harness::report::junit::render(&report, "transcripts").unwrap();
    let text = String::from_utf8(xml).unwrap();
    let doc = Document::parse(&text).unwrap();
    assert!(doc.root_element().has_tag_name("testsuites"));
    assert_eq!(doc.root_element().children().count(), 0);
}
