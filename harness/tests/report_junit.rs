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
    assert_eq!(
        doc.root_element()
            .children()
            .filter(Node::is_element)
            .count(),
        0
    );
    assert_eq!(doc.root_element().attribute("tests"), Some("0"));
}

#[tokio::test]
async fn counts_totals_times_and_timestamps() {
    let report = two_suites().await;
    let (_dir, xml) = written_junit(&report);
    let doc = Document::parse(&xml).unwrap();
    let root = doc.root_element();
    // fake: fail + hostile fail, inconclusive + error, skip + expected failure; other: the
    // same but its skip scenario runs.
    assert_eq!(root.attribute("tests"), Some("16"));
    assert_eq!(root.attribute("failures"), Some("4"));
    assert_eq!(root.attribute("errors"), Some("4"));
    assert_eq!(root.attribute("skipped"), Some("3"));
    assert!(root.attribute("time").is_some());
    let suites: Vec<Node> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites[0].attribute("skipped"), Some("2"));
    assert_eq!(suites[1].attribute("skipped"), Some("1"));
    for s in &suites {
        let stamp = s.attribute("timestamp").unwrap();
        assert_eq!(stamp.len(), "2024-05-01T12:00:00".len(), "{stamp}");
        assert!(!stamp.contains('.'), "{stamp}");
        // Wall time, not a sum: never more than the whole run.
        let t: f64 = s.attribute("time").unwrap().parse().unwrap();
        assert!(t <= report.duration.as_secs_f64() + 0.001, "{t}");
    }
    for tc in doc.descendants().filter(|n| n.has_tag_name("testcase")) {
        let t = tc.attribute("time").expect("every testcase has a time");
        assert!(t.parse::<f64>().is_ok(), "{t}");
    }
}

#[tokio::test]
async fn suite_time_is_first_start_to_last_end() {
    use harness::Scenario;
    use std::time::Duration;
    let slow = |id: &str| {
        Scenario::new(id).run(|cx| async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            cx.expect_eq("v", 1, 1)
        })
    };
    let report = harness::run(
        vec![FakeSuite::new("par", vec![slow("par/a"), slow("par/b"), slow("par/c")]).planned()],
        options(),
    )
    .await;
    let xml = String::from_utf8(harness::report::junit::render(&report, "t").unwrap()).unwrap();
    let doc = Document::parse(&xml).unwrap();
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    let t: f64 = suite.attribute("time").unwrap().parse().unwrap();
    assert!(
        (0.29..0.8).contains(&t),
        "three concurrent 0.3 s scenarios: {t}"
    );
    let skipped_time = |id: &str| -> f64 {
        testcase(&doc, id)
            .attribute("time")
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(skipped_time("par/a") >= 0.29);
}

#[tokio::test]
async fn filtered_out_suites_get_no_testsuite_and_links_work_from_elsewhere() {
    let fake = FakeSuite::new("fake", every_verdict("fake"));
    let other = FakeSuite::new("other", every_verdict("other"));
    let report = harness::run(
        vec![fake.planned(), other.planned()],
        RunOptions {
            filter: harness::Filter::globs(&["fake/*"]).unwrap(),
            expected: known_failures("fake"),
            ..options()
        },
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let out = Outputs {
        junit: dir.path().join("elsewhere/junit.xml"),
        json: dir.path().join("reports/report.json"),
        transcripts: dir.path().join("reports/transcripts"),
    };
    write_all(&report, &out, TOOL).unwrap();
    let xml = std::fs::read_to_string(&out.junit).unwrap();
    let doc = Document::parse(&xml).unwrap();
    let names: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .map(|n| n.attribute("name").unwrap().to_string())
        .collect();
    assert_eq!(names, ["fake"]);
    let fail = testcase(&doc, "fake/fail");
    let text = text_of(child(fail, "system-out").unwrap());
    let link = text
        .lines()
        .find_map(|l| l.strip_prefix("transcript: "))
        .unwrap();
    let path = std::path::Path::new(link);
    assert!(path.is_absolute(), "{link}");
    assert!(path.exists(), "{link}");
}

#[tokio::test]
async fn skipped_and_expected_failures_have_their_real_time() {
    use harness::Scenario;
    use std::time::Duration;
    let report = harness::run(
        vec![FakeSuite::new(
            "fake",
            vec![
                Scenario::new("fake/known/slow-fail").run(|cx| async move {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    cx.expect_eq("v", 1, 2)
                }),
                Scenario::new("fake/slow-skip").run(|_cx| async move {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    Err(harness::Stop::skip("not here"))
                }),
            ],
        )
        .planned()],
        RunOptions {
            expected: known_failures("fake"),
            ..options()
        },
    )
    .await;
    let xml = String::from_utf8(harness::report::junit::render(&report, "t").unwrap()).unwrap();
    let doc = Document::parse(&xml).unwrap();
    for id in ["fake/known/slow-fail", "fake/slow-skip"] {
        let tc = testcase(&doc, id);
        assert_eq!(shape(tc), ["skipped", "system-out"], "{id}");
        let t: f64 = tc.attribute("time").unwrap().parse().unwrap();
        assert!(t >= 0.19, "{id}: {t}");
    }
}
