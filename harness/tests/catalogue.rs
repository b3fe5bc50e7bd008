//! What the engine takes from a suite's catalogue: levels, validation of cited ids, and the
//! per-requirement entries of the JSON report.

extern crate oxconf_harness as harness;

mod common;

use common::{entry, options, result, run_one, FakeSuite, TOOL};
use harness::report::model::exit;
use harness::{CheckOutcome, Level, Scenario, VerdictKind};

fn catalogue() -> Vec<harness::RequirementInfo> {
    vec![
        entry("FAKE-R001", Level::Must, "black-box"),
        entry("FAKE-R010", Level::Structure, "black-box"),
        entry("FAKE-R020", Level::Should, "black-box"),
        entry("FAKE-R030", Level::May, "black-box"),
        entry("FAKE-R040", Level::Must, "not-testable"),
    ]
}

#[tokio::test]
async fn levels_come_from_the_requirements_unless_stated() {
    let scenarios = vec![
        // No level stated: the most binding of its own requirements.
        Scenario::new("fake/structure")
            .requirements(["FAKE-R010", "FAKE-R020"])
            .run(|cx| async move { cx.expect_eq("shape", 1, 1) }),
        Scenario::new("fake/should-only")
            .requirements(["FAKE-R020"])
            .run(|cx| async move { cx.expect_eq("keep-alive", true, false) }),
        // Stated: it wins for the scenario's own checks; cited checks take their requirement's
        // level; an explicit check level wins over both.
        Scenario::new("fake/stated")
            .requirements(["FAKE-R001"])
            .level(Level::Should)
            .run(|cx| async move {
                cx.cite(["FAKE-R030", "FAKE-R010"])
                    .check("cited", true, "x", "x");
                cx.cite(["FAKE-R030"]).check("may", false, "x", "y");
                cx.cite(["FAKE-R010"])
                    .level(Level::May)
                    .check("explicit", true, "x", "x");
                cx.expect_eq("own", 1, 1)
            }),
    ];
    let report = run_one(
        FakeSuite::new("fake", scenarios).catalogue(catalogue()),
        options(),
    )
    .await;
    let structure = result(&report, "fake/structure");
    assert_eq!(structure.level, Level::Structure);
    assert_eq!(structure.evidence.checks[0].level, Level::Structure);
    assert_eq!(structure.verdict.kind, VerdictKind::Pass);

    let should = result(&report, "fake/should-only");
    assert_eq!(should.level, Level::Should);
    assert_eq!(should.evidence.checks[0].outcome, CheckOutcome::Warn);
    assert_eq!(should.verdict.kind, VerdictKind::Warn);

    let stated = result(&report, "fake/stated");
    assert_eq!(stated.level, Level::Should);
    let levels: Vec<_> = stated.evidence.checks.iter().map(|c| c.level).collect();
    assert_eq!(
        levels,
        [Level::Structure, Level::May, Level::May, Level::Should]
    );
    assert_eq!(stated.evidence.checks[1].outcome, CheckOutcome::Info);
}

#[tokio::test]
async fn without_a_catalogue_levels_are_the_scenarios() {
    let report = run_one(
        FakeSuite::new(
            "fake",
            vec![Scenario::new("fake/x")
                .requirements(["FAKE-R020"])
                .run(|cx| async move { cx.cite(["ANY-1"]).expect_eq("v", 1, 1) })],
        ),
        options(),
    )
    .await;
    let r = result(&report, "fake/x");
    assert_eq!(r.level, Level::Must);
    assert_eq!(r.verdict.kind, VerdictKind::Pass, "{}", r.verdict.reason);
    assert!(report.requirements.is_empty());
}

#[tokio::test]
async fn unknown_requirement_ids_make_the_scenario_an_error() {
    let scenarios = vec![
        Scenario::new("fake/typo-in-check")
            .requirements(["FAKE-R001"])
            .run(|cx| async move {
                cx.cite(["FAKE-R0O1"]).check("typo", true, "x", "x");
                cx.expect_eq("own", 1, 1)
            }),
        Scenario::new("fake/typo-in-scenario")
            .requirements(["FAKE-R001", "FAKE-R999"])
            .run(|cx| async move { cx.expect_eq("own", 1, 1) }),
        Scenario::new("fake/fine")
            .requirements(["FAKE-R001"])
            .run(|cx| async move { cx.expect_eq("own", 1, 1) }),
    ];
    let report = run_one(
        FakeSuite::new("fake", scenarios).catalogue(catalogue()),
        options(),
    )
    .await;
    let check = result(&report, "fake/typo-in-check");
    assert_eq!(check.verdict.kind, VerdictKind::Error);
    assert!(
        check.verdict.reason.contains("`FAKE-R0O1`"),
        "{}",
        check.verdict.reason
    );
    let scen = result(&report, "fake/typo-in-scenario");
    assert_eq!(scen.verdict.kind, VerdictKind::Error);
    assert!(
        scen.verdict.reason.contains("`FAKE-R999`"),
        "{}",
        scen.verdict.reason
    );
    assert!(!scen.verdict.reason.contains("`FAKE-R001`"));
    assert_eq!(result(&report, "fake/fine").verdict.kind, VerdictKind::Pass);
    assert_eq!(report.exit_code(), exit::FAILURES);
}

#[tokio::test]
async fn json_requirements_carry_the_catalogue_and_not_testable_is_never_passed() {
    let scenarios = vec![Scenario::new("fake/a")
        .requirements(["FAKE-R001", "FAKE-R040"])
        .run(|cx| async move {
            cx.cite(["FAKE-R020"]).check("should", true, "x", "x");
            cx.expect_eq("own", 1, 1)
        })];
    let report = run_one(
        FakeSuite::new("fake", scenarios).catalogue(catalogue()),
        options(),
    )
    .await;
    assert_eq!(report.requirements.len(), 3);
    let text = harness::report::json::render(&report, TOOL, "transcripts");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schema/report.schema.json")).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("urn:oxconf:schema:oxconf-report:1", schema)
        .unwrap();
    let id = compiler
        .compile("urn:oxconf:schema:oxconf-report:1", &mut schemas)
        .unwrap();
    if let Err(e) = schemas.validate(&doc, id) {
        panic!("{e:#}");
    }

    let reqs = doc["requirements"].as_array().unwrap();
    let r001 = reqs.iter().find(|r| r["id"] == "FAKE-R001").unwrap();
    assert_eq!(r001["verdict"], "pass");
    assert_eq!(r001["level"], "MUST");
    assert_eq!(r001["section"], "MS-FAKE 2.9");
    assert_eq!(r001["spec"], "MS-FAKE");
    assert_eq!(r001["testability"], "black-box");
    assert_eq!(r001["paraphrase"], "the server does FAKE-R001");
    let r020 = reqs.iter().find(|r| r["id"] == "FAKE-R020").unwrap();
    assert_eq!(r020["level"], "SHOULD");
    let r040 = reqs.iter().find(|r| r["id"] == "FAKE-R040").unwrap();
    assert_eq!(r040["verdict"], "not-testable");
    assert_eq!(r040["testability"], "not-testable");
}
