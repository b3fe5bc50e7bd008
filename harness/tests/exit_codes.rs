//! `RunReport::exit_code`, the contract CI pipelines rely on.

extern crate oxconf_harness as harness;

use harness::report::model::{exit, ExpectedNote, RunReport, ScenarioResult, SuiteResult};
use harness::transcript::Transcript;
use harness::{Evidence, Level, Verdict, VerdictKind};
use rstest::rstest;
use std::time::{Duration, SystemTime};
use VerdictKind::{Error, Fail, Inconclusive, Pass, Skip, Warn};

fn scenario(i: usize, kind: VerdictKind) -> ScenarioResult {
    ScenarioResult {
        id: format!("fake/s{i}"),
        title: String::new(),
        role: "server".into(),
        level: Level::Must,
        requirements: Vec::new(),
        sections: Vec::new(),
        verdict: Verdict::new(kind, kind.as_str()),
        expected_failure: None,
        evidence: Evidence::default(),
        transcript: Transcript::default(),
        duration: Duration::ZERO,
        started: None,
    }
}

fn report(kinds: &[VerdictKind], interrupted: bool) -> RunReport {
    RunReport {
        started: SystemTime::UNIX_EPOCH,
        duration: Duration::ZERO,
        strict: false,
        interrupted: interrupted.then(|| "run deadline of 1.0s reached".to_string()),
        profile: None,
        suites: vec![SuiteResult {
            name: "fake".into(),
            spec: "MS-FAKE".into(),
            role: "server".into(),
            target: "fake peer".into(),
            setup_error: None,
            notices: Vec::new(),
            scenarios: kinds
                .iter()
                .enumerate()
                .map(|(i, k)| scenario(i, *k))
                .collect(),
        }],
        requirements: Default::default(),
        errors: Vec::new(),
    }
}

#[rstest]
#[case::empty(&[], false, exit::OK)]
#[case::all_pass(&[Pass, Pass], false, exit::OK)]
#[case::pass_warn_skip(&[Pass, Warn, Skip], false, exit::OK)]
#[case::only_skips(&[Skip, Skip], false, exit::OK)]
#[case::a_failure(&[Pass, Fail, Warn], false, exit::FAILURES)]
#[case::an_error(&[Pass, Error], false, exit::FAILURES)]
#[case::inconclusive_among_passes(&[Pass, Inconclusive], false, exit::FAILURES)]
#[case::inconclusive_and_fail(&[Fail, Inconclusive], false, exit::FAILURES)]
#[case::all_inconclusive(&[Inconclusive, Inconclusive], false, exit::UNREACHABLE)]
#[case::inconclusive_or_skipped(&[Skip, Inconclusive, Skip], false, exit::UNREACHABLE)]
#[case::inconclusive_and_error(&[Inconclusive, Error], false, exit::FAILURES)]
#[case::only_errors(&[Error, Skip], false, exit::FAILURES)]
#[case::interrupted_all_pass(&[Pass, Pass], true, exit::FAILURES)]
#[case::interrupted_nothing_ran(&[Skip, Skip], true, exit::FAILURES)]
#[case::interrupted_inconclusive(&[Inconclusive, Skip], true, exit::FAILURES)]
fn exit_code_follows_the_verdicts(
    #[case] kinds: &[VerdictKind],
    #[case] interrupted: bool,
    #[case] want: i32,
) {
    assert_eq!(report(kinds, interrupted).exit_code(), want);
}

#[test]
fn expected_failures_do_not_fail_the_run() {
    let mut r = report(&[Pass, Fail], false);
    r.suites[0].scenarios[1].expected_failure = Some(ExpectedNote {
        pattern: "fake/*".into(),
        reason: "known gap".into(),
    });
    assert!(!r.suites[0].scenarios[1].counts_as_bad());
    assert_eq!(r.exit_code(), exit::OK);
    assert_eq!(r.expected_failures(), 1);
}

#[test]
fn counts_span_every_suite() {
    let mut r = report(&[Pass, Fail], false);
    let mut second = r.suites[0].clone();
    second.name = "other".into();
    second.scenarios = vec![scenario(9, Inconclusive), scenario(10, Fail)];
    r.suites.push(second);
    assert_eq!(r.results().count(), 4);
    assert_eq!(r.count(Fail), 2);
    assert_eq!(r.count(Inconclusive), 1);
    assert_eq!(r.by_level()[&Level::Must][&Fail], 2);
    assert_eq!(r.exit_code(), exit::FAILURES);
}
