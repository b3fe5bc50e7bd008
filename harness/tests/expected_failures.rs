//! Expected failures: known gaps do not fail the run, and entries that no longer fail are caught.

extern crate oxconf_harness as harness;

mod common;

use common::{failing, options, passing, result, run_one, FakeSuite};
use harness::expect::ExpectedFailures;
use harness::report::model::exit;
use harness::{RunOptions, Scenario, Stop, VerdictKind};
use rstest::rstest;
use std::path::Path;

const LIST: &str = r#"
[[expected]]
scenario = "fake/known/*"
reason = "SOAP 1.2 binding not built yet"

[[expected]]
scenario = "fake/exact-one"
reason = "tracked in issue 12"
"#;

fn expected() -> ExpectedFailures {
    ExpectedFailures::parse(Path::new("expected.toml"), LIST).unwrap()
}

fn inconclusive(id: &str) -> Scenario {
    Scenario::new(id).run(|_cx| async move { Err(Stop::inconclusive("peer down")) })
}

async fn run_with_expected(scenarios: Vec<Scenario>) -> harness::RunReport {
    run_one(
        FakeSuite::new("fake", scenarios),
        RunOptions {
            expected: expected(),
            ..options()
        },
    )
    .await
}

#[tokio::test]
async fn matched_failure_is_kept_but_not_counted() {
    let report = run_with_expected(vec![
        failing("fake/known/a"),
        failing("fake/exact-one"),
        passing("fake/other"),
    ])
    .await;
    let r = result(&report, "fake/known/a");
    assert_eq!(r.verdict.kind, VerdictKind::Fail);
    let note = r.expected_failure.as_ref().expect("marked as expected");
    assert_eq!(note.pattern, "fake/known/*");
    assert_eq!(note.reason, "SOAP 1.2 binding not built yet");
    assert!(!r.counts_as_bad());
    assert_eq!(report.expected_failures(), 2);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.exit_code(), exit::OK);
}

#[tokio::test]
async fn a_glob_entry_is_stale_only_when_none_of_its_matches_fails() {
    // One match still fails: the passing matches are simply passes.
    let report = run_with_expected(vec![
        passing("fake/known/a"),
        failing("fake/known/b"),
        passing("fake/known/c"),
        failing("fake/exact-one"),
    ])
    .await;
    for id in ["fake/known/a", "fake/known/c"] {
        assert_eq!(result(&report, id).verdict.kind, VerdictKind::Pass, "{id}");
    }
    assert!(result(&report, "fake/known/b").expected_failure.is_some());
    assert_eq!(report.exit_code(), exit::OK);

    // None fails any more: reported once, naming the entry.
    let report = run_with_expected(vec![
        passing("fake/known/a"),
        passing("fake/known/b"),
        failing("fake/exact-one"),
    ])
    .await;
    let errors: Vec<_> = report
        .results()
        .filter(|r| r.verdict.kind == VerdictKind::Error)
        .collect();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].verdict.reason.contains("`fake/known/*`"));
    assert_eq!(
        result(&report, "fake/known/b").verdict.kind,
        VerdictKind::Pass
    );
    assert_eq!(report.exit_code(), exit::FAILURES);
}

#[tokio::test]
async fn an_entry_matching_no_scenario_is_a_run_error() {
    let report = run_with_expected(vec![failing("fake/known/a")]).await;
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(report.errors[0].contains("`fake/exact-one`"));
    assert!(report.errors[0].contains("matches no scenario"));
    assert_eq!(report.exit_code(), exit::FAILURES);

    // A scenario a filter left out still counts as matched.
    let report = run_one(
        FakeSuite::new(
            "fake",
            vec![failing("fake/known/a"), failing("fake/exact-one")],
        ),
        RunOptions {
            expected: expected(),
            filter: harness::Filter::globs(&["fake/known/*"]).unwrap(),
            ..options()
        },
    )
    .await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.exit_code(), exit::OK);
}

#[tokio::test]
async fn matched_pass_is_a_stale_entry_error() {
    let report = run_with_expected(vec![passing("fake/exact-one")]).await;
    let r = result(&report, "fake/exact-one");
    assert_eq!(r.verdict.kind, VerdictKind::Error);
    assert!(r
        .verdict
        .reason
        .starts_with("stale expected-failure entry `fake/exact-one`"));
    assert!(r.verdict.reason.contains("tracked in issue 12"));
    assert!(r.expected_failure.is_none());
    assert_eq!(report.exit_code(), exit::FAILURES);
}

#[tokio::test]
async fn matched_inconclusive_is_neither_excused_nor_stale() {
    let report = run_with_expected(vec![inconclusive("fake/known/b"), passing("fake/p")]).await;
    let r = result(&report, "fake/known/b");
    assert_eq!(r.verdict.kind, VerdictKind::Inconclusive);
    assert!(r.expected_failure.is_none());
    assert!(r.counts_as_bad());
}

#[tokio::test]
async fn junit_reports_an_expected_failure_as_skipped() {
    let report = run_with_expected(vec![
        failing("fake/known/a"),
        failing("fake/unexpected"),
        passing("fake/exact-one"),
    ])
    .await;
    let xml = harness::report::junit::render(&report, "transcripts").unwrap();
    let text = String::from_utf8(xml).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let case = |name: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("testcase") && n.attribute("name") == Some(name))
            .unwrap_or_else(|| panic!("no testcase {name}"))
    };
    let child_tags = |name: &str| -> Vec<String> {
        case(name)
            .children()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name().to_string())
            .collect()
    };
    assert_eq!(child_tags("fake/known/a"), ["skipped", "system-out"]);
    let skipped = case("fake/known/a")
        .children()
        .find(|n| n.has_tag_name("skipped"))
        .unwrap();
    assert_eq!(
        skipped.attribute("message"),
        Some("expected failure: SOAP 1.2 binding not built yet")
    );
    assert_eq!(child_tags("fake/unexpected"), ["failure", "system-out"]);
    assert_eq!(child_tags("fake/exact-one"), ["error", "system-out"]);
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("failures"), Some("1"));
    assert_eq!(suite.attribute("errors"), Some("1"));
}

#[test]
fn list_loads_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("expected.toml");
    std::fs::write(&path, LIST).unwrap();
    let list = ExpectedFailures::load(&path).unwrap();
    assert!(!list.is_empty());
    assert_eq!(
        list.find("fake/known/x/y").map(|e| e.pattern.as_str()),
        Some("fake/known/*")
    );
    assert!(list.find("fake/exact-two").is_none());
}

#[test]
fn missing_file_is_reported_with_its_path() {
    let err = ExpectedFailures::load(Path::new("no-such-dir/expected.toml")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("no-such-dir/expected.toml: cannot read expected-failures file"),
        "{err}"
    );
}

#[rstest]
#[case::blank_reason(
    "[[expected]]\nscenario = \"a\"\nreason = \"  \"\n",
    "missing required key `expected[0].reason`"
)]
#[case::no_scenario(
    "[[expected]]\nreason = \"r\"\n",
    "missing required key `expected[0].scenario`"
)]
#[case::not_tables("expected = [\"a\"]\n", "invalid value for `expected[0]`")]
#[case::not_array("expected = \"a\"\n", "invalid value for `expected`")]
#[case::unknown_top_level(
    "[[expected]]\nscenario = \"a\"\nreason = \"r\"\n[extra]\n",
    "unknown key `extra`"
)]
#[case::bad_glob(
    "[[expected]]\nscenario = \"a[\"\nreason = \"r\"\n",
    "invalid value for `expected[0].scenario`"
)]
#[case::syntax("[[expected]\n", "TOML syntax error")]
fn malformed_lists_are_rejected(#[case] text: &str, #[case] message: &str) {
    let err = ExpectedFailures::parse(Path::new("x.toml"), text).unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains(message), "{shown}");
    assert!(!shown.contains('\n'), "one line: {shown}");
}

#[test]
fn empty_list_matches_nothing() {
    let list = ExpectedFailures::parse(Path::new("x.toml"), "").unwrap();
    assert!(list.is_empty());
    assert!(list.find("anything").is_none());
}
