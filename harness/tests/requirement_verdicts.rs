//! Per-requirement verdicts, combined across the scenarios that cite a requirement.

extern crate oxconf_harness as harness;

mod common;

use common::{options, run_one, FakeSuite, Setup};
use harness::report::model::RequirementVerdict;
use harness::{Level, Scenario, Stop, VerdictKind};
use rstest::rstest;
use std::collections::BTreeMap;

fn cites(id: &str, req: &str, ok: bool) -> Scenario {
    Scenario::new(id)
        .requirements([req])
        .run(move |cx| async move { cx.expect("value", ok, "x", if ok { "x" } else { "y" }) })
}

fn ends_with(id: &str, req: &str, stop: Stop) -> Scenario {
    Scenario::new(id).requirements([req]).run(move |_cx| {
        let stop = stop.clone();
        async move { Err(stop) }
    })
}

async fn verdicts_of(scenarios: Vec<Scenario>) -> BTreeMap<String, RequirementVerdict> {
    run_one(
        FakeSuite::new("fake", scenarios).setup(Setup::ready()),
        options(),
    )
    .await
    .requirement_verdicts()
}

#[rstest]
#[case::pass_then_fail(
    cites("fake/a", "R-1", true),
    cites("fake/b", "R-1", false),
    VerdictKind::Fail
)]
#[case::fail_then_pass(
    cites("fake/a", "R-1", false),
    cites("fake/b", "R-1", true),
    VerdictKind::Fail
)]
#[case::pass_and_pass(
    cites("fake/a", "R-1", true),
    cites("fake/b", "R-1", true),
    VerdictKind::Pass
)]
#[case::skip_and_pass(
    ends_with("fake/a", "R-1", Stop::skip("n/a")),
    cites("fake/b", "R-1", true),
    VerdictKind::Pass
)]
#[case::inconclusive_and_pass(
    ends_with("fake/a", "R-1", Stop::inconclusive("down")),
    cites("fake/b", "R-1", true),
    VerdictKind::Inconclusive
)]
#[case::error_and_inconclusive(
    ends_with("fake/a", "R-1", Stop::error("bug")),
    ends_with("fake/b", "R-1", Stop::inconclusive("down")),
    VerdictKind::Error
)]
#[case::fail_and_error(
    cites("fake/a", "R-1", false),
    ends_with("fake/b", "R-1", Stop::error("bug")),
    VerdictKind::Fail
)]
#[case::only_skips(
    ends_with("fake/a", "R-1", Stop::skip("n/a")),
    ends_with("fake/b", "R-1", Stop::skip("n/a")),
    VerdictKind::Skip
)]
#[tokio::test]
async fn worst_outcome_across_scenarios_wins(
    #[case] first: Scenario,
    #[case] second: Scenario,
    #[case] want: VerdictKind,
) {
    let v = verdicts_of(vec![first, second]).await;
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v["R-1"].verdict, want);
    assert_eq!(v["R-1"].scenarios, ["fake/a", "fake/b"]);
}

#[tokio::test]
async fn checks_count_for_the_ids_they_cite() {
    // The scenario cites R-2; one of its checks cites R-3 instead, at SHOULD level.
    let mixed = Scenario::new("fake/mixed")
        .requirements(["R-2"])
        .run(|cx| async move {
            cx.expect_eq("own", 1, 1)?;
            cx.cite(["R-3"])
                .level(Level::Should)
                .expect_eq("cited", "a", "b")?;
            cx.cite(["R-4", "R-5"]).expect_eq("both", 1, 1)
        });
    let elsewhere = cites("fake/elsewhere", "R-3", true);
    let v = verdicts_of(vec![mixed, elsewhere]).await;
    let summary: Vec<(&str, VerdictKind, usize)> = v
        .iter()
        .map(|(id, r)| (id.as_str(), r.verdict, r.scenarios.len()))
        .collect();
    assert_eq!(
        summary,
        [
            ("R-2", VerdictKind::Pass, 1),
            ("R-3", VerdictKind::Warn, 2),
            ("R-4", VerdictKind::Pass, 1),
            ("R-5", VerdictKind::Pass, 1),
        ]
    );
}

#[tokio::test]
async fn a_requirement_cited_by_no_check_shares_the_scenario_verdict() {
    let s = Scenario::new("fake/untargeted")
        .requirements(["R-6", "R-7"])
        .run(|cx| async move { cx.cite(["R-7"]).expect_eq("only R-7", 1, 2) });
    let v = verdicts_of(vec![s]).await;
    assert_eq!(v["R-7"].verdict, VerdictKind::Fail);
    assert_eq!(v["R-6"].verdict, VerdictKind::Fail);
}

#[tokio::test]
async fn a_scenario_is_listed_once_per_requirement() {
    let s = Scenario::new("fake/twice")
        .requirements(["R-8"])
        .run(|cx| async move {
            cx.expect_eq("one", 1, 1)?;
            cx.cite(["R-8"]).expect_eq("two", 2, 2)
        });
    let v = verdicts_of(vec![s]).await;
    assert_eq!(v["R-8"].scenarios, ["fake/twice"]);
}

#[tokio::test]
async fn strict_and_expected_failures_do_not_change_what_checks_found() {
    let should = Scenario::new("fake/should")
        .requirements(["R-9"])
        .run(|cx| async move {
            cx.at_level(Level::Should).expect_eq("hint", 1, 2)?;
            cx.expect_eq("status", 200, 200)
        });
    let known = common::failing("fake/known");
    let report = run_one(
        FakeSuite::new("fake", vec![should, known]),
        harness::RunOptions {
            strict: true,
            expected: harness::expect::ExpectedFailures::parse(
                std::path::Path::new("x.toml"),
                "[[expected]]\nscenario = \"fake/known\"\nreason = \"gap\"\n",
            )
            .unwrap(),
            ..options()
        },
    )
    .await;
    assert_eq!(
        common::result(&report, "fake/should").verdict.kind,
        VerdictKind::Fail
    );
    let v = report.requirement_verdicts();
    assert_eq!(v["R-9"].verdict, VerdictKind::Warn);
    assert_eq!(v["FAKE-R002"].verdict, VerdictKind::Fail);
}
