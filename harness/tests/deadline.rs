//! The run deadline: the report always comes back, partial but honest.

extern crate oxconf_harness as harness;

mod common;

use common::{options, run_one, FakeSuite};
use harness::report::model::exit;
use harness::{RunOptions, Scenario, VerdictKind};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Tells the test when the body's future is dropped, i.e. when the runner stopped it.
struct DropSignal(mpsc::UnboundedSender<String>, String);

impl Drop for DropSignal {
    fn drop(&mut self) {
        let _ = self.0.send(self.1.clone());
    }
}

/// Records a passing check, a transcript entry and a note, then outlives any deadline.
fn slow(id: &str, dropped: mpsc::UnboundedSender<String>) -> Scenario {
    Scenario::new(id).run(move |cx| {
        let guard = DropSignal(dropped.clone(), cx.id().to_string());
        async move {
            let _guard = guard;
            cx.sent("http", "POST /slow", "<Request/>");
            cx.note("request sent, waiting for the reply");
            cx.expect_eq("request accepted", true, true)?;
            tokio::time::sleep(Duration::from_secs(600)).await;
            cx.expect_eq("reply", 1, 1)
        }
    })
}

fn deadline_options(jobs: usize) -> RunOptions {
    RunOptions {
        jobs,
        timeout: Duration::from_secs(600),
        deadline: Some(Duration::from_millis(400)),
        ..options()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadline_interrupts_running_and_skips_waiting_scenarios() {
    let (tx, mut dropped) = mpsc::unbounded_channel();
    let ids = ["fake/slow-1", "fake/slow-2", "fake/slow-3"];
    let scenarios = ids.iter().map(|id| slow(id, tx.clone())).collect();
    let report = run_one(FakeSuite::new("fake", scenarios), deadline_options(1)).await;

    let why = report
        .interrupted
        .as_deref()
        .expect("run marked as interrupted");
    assert!(why.contains("deadline"), "{why}");
    assert_eq!(report.results().count(), 3, "every scenario is reported");

    let interrupted: Vec<_> = report
        .results()
        .filter(|r| r.verdict.kind == VerdictKind::Error)
        .collect();
    assert_eq!(interrupted.len(), 1, "exactly one scenario was running");
    let running = interrupted[0];
    assert!(
        running
            .verdict
            .reason
            .starts_with("interrupted: run deadline"),
        "{}",
        running.verdict.reason
    );
    // What the body recorded before the deadline is kept.
    assert_eq!(running.evidence.checks.len(), 1);
    assert_eq!(running.evidence.checks[0].what, "request accepted");
    assert_eq!(
        running.evidence.notes,
        ["request sent, waiting for the reply"]
    );
    assert_eq!(running.transcript.entries.len(), 1);

    for r in report.results().filter(|r| r.id != running.id) {
        assert_eq!(r.verdict.kind, VerdictKind::Skip, "{}", r.id);
        assert!(
            r.verdict.reason.starts_with("not run: run deadline"),
            "{}",
            r.verdict.reason
        );
        assert!(r.evidence.checks.is_empty());
    }
    assert_eq!(report.exit_code(), exit::FAILURES);

    // The interrupted body must not keep talking to the SUT after the report is made.
    let stopped = tokio::time::timeout(Duration::from_secs(10), dropped.recv()).await;
    assert_eq!(
        stopped.ok().flatten().as_deref(),
        Some(running.id.as_str()),
        "the interrupted body was left running"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failure_recorded_before_the_deadline_still_fails() {
    let (tx, _dropped) = mpsc::unbounded_channel();
    let failing_then_slow = Scenario::new("fake/fails-then-waits").run(|cx| async move {
        let _ = cx.checks().check_eq("first reply", "ok", "garbage");
        tokio::time::sleep(Duration::from_secs(600)).await;
        Ok(())
    });
    let report = run_one(
        FakeSuite::new("fake", vec![failing_then_slow, slow("fake/slow", tx)]),
        deadline_options(2),
    )
    .await;
    let kinds: Vec<(&str, VerdictKind)> = report
        .results()
        .map(|r| (r.id.as_str(), r.verdict.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("fake/fails-then-waits", VerdictKind::Fail),
            ("fake/slow", VerdictKind::Error)
        ]
    );
    assert!(report.interrupted.is_some());
}

#[tokio::test]
async fn finished_scenarios_keep_their_verdicts_when_the_deadline_hits() {
    let (tx, _dropped) = mpsc::unbounded_channel();
    let gate = Arc::new(tokio::sync::Notify::new());
    let opened = gate.clone();
    // The slow scenario only starts waiting once the quick one has finished.
    let quick = Scenario::new("fake/quick").run(move |cx| {
        let opened = opened.clone();
        async move {
            let r = cx.expect_eq("quick", 1, 1);
            opened.notify_one();
            r
        }
    });
    let waits = slow("fake/slow", tx);
    let gated = Scenario::new("fake/gated").run(move |cx| {
        let gate = gate.clone();
        async move {
            gate.notified().await;
            cx.expect_eq("gated", 1, 1)?;
            tokio::time::sleep(Duration::from_secs(600)).await;
            Ok(())
        }
    });
    let report = run_one(
        FakeSuite::new("fake", vec![quick, gated, waits]),
        deadline_options(3),
    )
    .await;
    let kinds: Vec<VerdictKind> = report.results().map(|r| r.verdict.kind).collect();
    assert_eq!(
        kinds,
        [VerdictKind::Pass, VerdictKind::Error, VerdictKind::Error]
    );
}
