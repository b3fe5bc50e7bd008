//! How scenario endings and recorded checks become verdicts, run through the real runner.

extern crate oxconf_harness as harness;

mod common;

use common::{options, result, run_one, FakeSuite, Setup};
use harness::transcript::{Field, Payload};
use harness::{CheckOutcome, Claim, Direction, Level, Scenario, Stop, VerdictKind};
use rstest::rstest;
use std::time::Duration;

const TLS: Claim = Claim::new("tls", "set `claims.tls = true` in the profile");

fn must_failure() -> Scenario {
    Scenario::new("fake/must-failure").run(|cx| async move {
        cx.expect_eq("status", 200, 500)?;
        cx.expect_eq("never reached", 1, 1)
    })
}

fn structure_failure() -> Scenario {
    Scenario::new("fake/structure-failure").run(|cx| async move {
        cx.at_level(Level::Structure)
            .expect("envelope", false, "a SOAP envelope", "plain text")
    })
}

fn should_failure() -> Scenario {
    Scenario::new("fake/should-failure").run(|cx| async move {
        cx.at_level(Level::Should)
            .expect_eq("content type", "text/xml", "text/plain")?;
        cx.expect_eq("status", 200, 200)
    })
}

fn may_failure() -> Scenario {
    Scenario::new("fake/may-failure").run(|cx| async move {
        cx.at_level(Level::May)
            .expect_eq("optional header", true, false)?;
        cx.expect_eq("status", 200, 200)
    })
}

fn deviation() -> Scenario {
    Scenario::new("fake/deviation").run(|cx| async move {
        cx.checks()
            .deviation("element order", "E-OMS-05", "a, b", "b, a");
        cx.expect_eq("status", 200, 200)
    })
}

fn needs_claim() -> Scenario {
    Scenario::new("fake/needs-tls")
        .needs(TLS)
        .run(|cx| async move { cx.expect_eq("handshake", 1, 1) })
}

fn claim_present() -> Scenario {
    Scenario::new("fake/has-claim")
        .needs(Claim::new("present", "not shown"))
        .run(|cx| async move { cx.expect_eq("handshake", 1, 1) })
}

fn body_skip() -> Scenario {
    Scenario::new("fake/body-skip")
        .run(|_cx| async move { Err(Stop::skip("SUT does not offer MMS")) })
}

fn body_inconclusive() -> Scenario {
    Scenario::new("fake/body-inconclusive")
        .run(|_cx| async move { Err(Stop::inconclusive("connection refused")) })
}

fn body_error() -> Scenario {
    Scenario::new("fake/body-error").run(|_cx| async move { Err(Stop::error("fixture missing")) })
}

fn sleeps_past_timeout() -> Scenario {
    Scenario::new("fake/sleeps").run(|cx| async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        cx.expect_eq("never", 1, 1)
    })
}

fn fails_then_times_out() -> Scenario {
    Scenario::new("fake/fails-then-sleeps").run(|cx| async move {
        let _ = cx.checks().check_eq("first reply", "ok", "garbage");
        tokio::time::sleep(Duration::from_secs(60)).await;
        Ok(())
    })
}

fn panics() -> Scenario {
    Scenario::new("fake/panics").run(|_cx| async move {
        let reply: Option<u32> = None;
        if reply.is_none() {
            panic!("boom in the body");
        }
        Ok(())
    })
}

fn no_checks() -> Scenario {
    Scenario::new("fake/no-checks").run(|cx| async move {
        cx.note("looked around, asserted nothing");
        Ok(())
    })
}

fn failure_then_skip() -> Scenario {
    Scenario::new("fake/failure-then-skip").run(|cx| async move {
        let _ = cx.checks().check_eq("greeting", "220", "554");
        Err(Stop::skip("gave up"))
    })
}

fn failure_then_inconclusive() -> Scenario {
    Scenario::new("fake/failure-then-inconclusive").run(|cx| async move {
        let _ = cx.checks().check_eq("greeting", "220", "554");
        Err(Stop::inconclusive("peer went away"))
    })
}

fn failed_without_check() -> Scenario {
    Scenario::new("fake/failed-without-check").run(|cx| async move {
        cx.expect_eq("fine", 1, 1)?;
        Err(Stop::Failed)
    })
}

fn no_body() -> Scenario {
    Scenario::new("fake/no-body")
}

fn may_fail_helper() -> Scenario {
    Scenario::new("fake/fail-at-may").run(|cx| async move {
        cx.expect_eq("status", 200, 200)?;
        Err(cx.at_level(Level::May).fail("probe", "x", "y"))
    })
}

/// A SHOULD failure that leaves nothing to judge ends the scenario with its warning.
fn should_give_up() -> Scenario {
    Scenario::new("fake/should-give-up").run(|cx| async move {
        cx.expect_eq("status", 200, 200)?;
        Err(cx
            .at_level(Level::Should)
            .give_up("large body accepted", "200", "413"))
    })
}

fn unfinished_without_warning() -> Scenario {
    Scenario::new("fake/unfinished-silently").run(|cx| async move {
        cx.expect_eq("status", 200, 200)?;
        Err(Stop::Unfinished)
    })
}

#[rstest]
#[case::must(
    must_failure(),
    false,
    VerdictKind::Fail,
    "status: expected 200, got 500"
)]
#[case::structure(structure_failure(), false, VerdictKind::Fail, "envelope")]
#[case::should(should_failure(), false, VerdictKind::Warn, "content type")]
#[case::should_strict(should_failure(), true, VerdictKind::Fail, "--strict")]
#[case::may(may_failure(), false, VerdictKind::Pass, "2 checks passed")]
#[case::may_strict(may_failure(), true, VerdictKind::Pass, "2 checks passed")]
#[case::deviation(deviation(), false, VerdictKind::Warn, "E-OMS-05")]
#[case::deviation_strict(deviation(), true, VerdictKind::Fail, "E-OMS-05")]
#[case::missing_claim(needs_claim(), false, VerdictKind::Skip, "claims.tls = true")]
#[case::claim_present(claim_present(), false, VerdictKind::Pass, "1 checks passed")]
#[case::body_skip(body_skip(), false, VerdictKind::Skip, "SUT does not offer MMS")]
#[case::body_inconclusive(
    body_inconclusive(),
    false,
    VerdictKind::Inconclusive,
    "connection refused"
)]
#[case::body_error(body_error(), false, VerdictKind::Error, "fixture missing")]
#[case::timeout(sleeps_past_timeout(), false, VerdictKind::Inconclusive, "timed out")]
#[case::fail_then_timeout(fails_then_times_out(), false, VerdictKind::Fail, "first reply")]
#[case::panic(panics(), false, VerdictKind::Error, "panicked: boom in the body")]
#[case::no_checks(no_checks(), false, VerdictKind::Error, "recorded no checks")]
#[case::fail_then_skip(failure_then_skip(), false, VerdictKind::Fail, "greeting")]
#[case::fail_then_inconclusive(failure_then_inconclusive(), false, VerdictKind::Fail, "greeting")]
#[case::failed_without_check(
    failed_without_check(),
    false,
    VerdictKind::Error,
    "without recording"
)]
#[case::no_body(no_body(), false, VerdictKind::Error, "no body")]
#[case::fail_at_may(may_fail_helper(), false, VerdictKind::Error, "cannot stop a scenario")]
#[case::give_up_should(should_give_up(), false, VerdictKind::Warn, "large body accepted")]
#[case::give_up_should_strict(should_give_up(), true, VerdictKind::Fail, "--strict")]
#[case::unfinished_silently(unfinished_without_warning(), false, VerdictKind::Error, "unfinished")]
#[tokio::test]
async fn scenario_endings_map_to_verdicts(
    #[case] scenario: Scenario,
    #[case] strict: bool,
    #[case] want: VerdictKind,
    #[case] reason_part: &str,
) {
    let id = scenario.id.clone();
    let suite = FakeSuite::new("fake", vec![scenario]).setup(Setup::with_claims(&["present"]));
    let opts = harness::RunOptions {
        strict,
        timeout: Duration::from_millis(300),
        ..options()
    };
    let report = run_one(suite, opts).await;
    let r = result(&report, &id);
    assert_eq!(r.verdict.kind, want, "{id}: {}", r.verdict.reason);
    assert!(
        r.verdict.reason.contains(reason_part),
        "{id}: reason `{}` lacks `{reason_part}`",
        r.verdict.reason
    );
    assert!(report.interrupted.is_none());
}

#[tokio::test]
async fn missing_claim_names_the_claim_and_never_runs_the_body() {
    let ran = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = ran.clone();
    let scenario = Scenario::new("fake/needs-tls")
        .needs(Claim::new("present", "unused"))
        .needs(TLS)
        .run(move |cx| {
            let flag = flag.clone();
            async move {
                flag.store(true, std::sync::atomic::Ordering::SeqCst);
                cx.expect_eq("x", 1, 1)
            }
        });
    let report = run_one(
        FakeSuite::new("fake", vec![scenario]).setup(Setup::with_claims(&["present"])),
        options(),
    )
    .await;
    let r = result(&report, "fake/needs-tls");
    assert_eq!(r.verdict.kind, VerdictKind::Skip);
    assert!(r.verdict.reason.contains("`tls`"), "{}", r.verdict.reason);
    assert!(!ran.load(std::sync::atomic::Ordering::SeqCst));
    assert!(r.evidence.checks.is_empty());
}

#[tokio::test]
async fn may_failure_is_kept_as_an_info_check() {
    let report = run_one(FakeSuite::new("fake", vec![may_failure()]), options()).await;
    let r = result(&report, "fake/may-failure");
    let outcomes: Vec<CheckOutcome> = r.evidence.checks.iter().map(|c| c.outcome).collect();
    assert_eq!(outcomes, vec![CheckOutcome::Info, CheckOutcome::Pass]);
    assert_eq!(r.evidence.checks[0].level, Level::May);
}

#[tokio::test]
async fn should_failure_is_a_warn_check_at_should_level() {
    let report = run_one(FakeSuite::new("fake", vec![should_failure()]), options()).await;
    let c = &result(&report, "fake/should-failure").evidence.checks[0];
    assert_eq!((c.outcome, c.level), (CheckOutcome::Warn, Level::Should));
    assert_eq!(c.expected, "\"text/xml\"");
    assert_eq!(c.actual, "\"text/plain\"");
}

#[tokio::test]
async fn deviation_names_the_erratum_in_its_note() {
    let report = run_one(FakeSuite::new("fake", vec![deviation()]), options()).await;
    let c = &result(&report, "fake/deviation").evidence.checks[0];
    assert_eq!(c.outcome, CheckOutcome::Warn);
    assert_eq!(c.note.as_deref(), Some("tolerated per erratum E-OMS-05"));
}

#[tokio::test]
async fn checks_default_to_the_scenario_traceability_and_cite_overrides_it() {
    let scenario = Scenario::new("fake/trace")
        .section("MS-FAKE 3.1.4")
        .section("MS-FAKE 3.1.5")
        .requirements(["FAKE-R010", "FAKE-R011"])
        .level(Level::Should)
        .run(|cx| async move {
            cx.expect_eq("own", 1, 1)?;
            cx.cite(["FAKE-R020"])
                .section("MS-FAKE 2.2")
                .level(Level::Must)
                .expect_eq("cited", 1, 1)
        });
    let report = run_one(FakeSuite::new("fake", vec![scenario]), options()).await;
    let checks = &result(&report, "fake/trace").evidence.checks;
    assert_eq!(checks[0].requirements, ["FAKE-R010", "FAKE-R011"]);
    assert_eq!(checks[0].section, "MS-FAKE 3.1.4");
    assert_eq!(checks[0].level, Level::Should);
    assert_eq!(checks[1].requirements, ["FAKE-R020"]);
    assert_eq!(checks[1].section, "MS-FAKE 2.2");
    assert_eq!(checks[1].level, Level::Must);
}

#[tokio::test]
async fn transcripts_keep_text_and_binary_entries_in_order() {
    let scenario = Scenario::new("fake/wire").run(|cx| async move {
        cx.sent("http", "POST /oms", "<Envelope/>");
        cx.received("http", "200 OK", "<Response/>");
        cx.binary(
            Direction::Received,
            "udp",
            "notification",
            &[0x10, 0x30, 0x01, 0x00],
            vec![Field {
                offset: 0,
                len: 2,
                name: "Type".into(),
                value: "0x3010".into(),
            }],
        );
        cx.expect_eq("status", 200, 200)
    });
    let report = run_one(FakeSuite::new("fake", vec![scenario]), options()).await;
    let entries = &result(&report, "fake/wire").transcript.entries;
    let summary: Vec<(Direction, &str, &str)> = entries
        .iter()
        .map(|e| (e.direction, e.channel.as_str(), e.title.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (Direction::Sent, "http", "POST /oms"),
            (Direction::Received, "http", "200 OK"),
            (Direction::Received, "udp", "notification"),
        ]
    );
    match &entries[2].payload {
        Payload::Binary { bytes, fields } => {
            assert_eq!(bytes, &[0x10, 0x30, 0x01, 0x00]);
            assert_eq!(fields[0].name, "Type");
        }
        other => panic!("expected a binary payload, got {other:?}"),
    }
}

#[rstest]
#[case::fails(Setup::Fails("peer refused to start".into()), "suite setup failed: peer refused to start")]
#[case::panics(Setup::Panics("setup exploded".into()), "setup panicked: setup exploded")]
#[case::hangs(Setup::Hangs, "setup timed out")]
#[tokio::test]
async fn setup_problems_make_every_scenario_inconclusive(
    #[case] setup: Setup,
    #[case] reason_part: &str,
) {
    let suite = FakeSuite::new(
        "fake",
        vec![
            common::passing("fake/a"),
            common::failing("fake/b"),
            needs_claim(),
        ],
    )
    .setup(setup);
    let opts = harness::RunOptions {
        timeout: Duration::from_millis(300),
        ..options()
    };
    let report = run_one(suite, opts).await;
    assert_eq!(report.results().count(), 3);
    for r in report.results() {
        assert_eq!(r.verdict.kind, VerdictKind::Inconclusive, "{}", r.id);
        assert!(
            r.verdict.reason.contains(reason_part),
            "{}: {}",
            r.id,
            r.verdict.reason
        );
    }
    assert!(
        report.suites[0].target.starts_with("setup failed:"),
        "{}",
        report.suites[0].target
    );
    assert_eq!(
        report.exit_code(),
        harness::report::model::exit::UNREACHABLE
    );
}

#[tokio::test]
async fn one_failing_setup_does_not_affect_another_suite() {
    let broken = FakeSuite::new("broken", vec![common::passing("broken/a")])
        .setup(Setup::Fails("no peer".into()));
    let fine = FakeSuite::new("fine", vec![common::passing("fine/a")]);
    let report = harness::run(vec![broken.planned(), fine.planned()], options()).await;
    assert_eq!(
        result(&report, "broken/a").verdict.kind,
        VerdictKind::Inconclusive
    );
    assert_eq!(result(&report, "fine/a").verdict.kind, VerdictKind::Pass);
    assert_eq!(report.suites[1].target, "fake peer");
    assert_eq!(report.exit_code(), harness::report::model::exit::FAILURES);
}

#[tokio::test]
async fn filter_selects_scenarios_by_glob_and_by_exact_id() {
    let scenarios = vec![
        common::passing("fake/soap11/a"),
        common::passing("fake/soap12/a"),
        common::passing("fake/[x]"),
    ];
    let globbed = run_one(
        FakeSuite::new("fake", scenarios.clone()),
        harness::RunOptions {
            filter: harness::Filter::globs(&["fake/soap12/*"]).unwrap(),
            ..options()
        },
    )
    .await;
    let ids: Vec<&str> = globbed.results().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["fake/soap12/a"]);

    let exact = run_one(
        FakeSuite::new("fake", scenarios),
        harness::RunOptions {
            filter: harness::Filter::exact(&["fake/[x]".to_string()]),
            ..options()
        },
    )
    .await;
    let ids: Vec<&str> = exact.results().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["fake/[x]"]);
}

#[test]
fn bad_filter_patterns_are_reported() {
    let err = harness::Filter::globs(&["fake/[unclosed"]).unwrap_err();
    assert!(err.starts_with("bad --filter pattern"), "{err}");
}
