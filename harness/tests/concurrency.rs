//! `jobs` bounds how many scenario bodies run at once, and the bound is reached.

extern crate oxconf_harness as harness;

mod common;

use common::{options, run_one, FakeSuite};
use harness::{RunOptions, Scenario, VerdictKind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Barrier;

#[derive(Default)]
struct Gauge {
    running: AtomicUsize,
    peak: AtomicUsize,
}

impl Gauge {
    fn enter(&self) {
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
    }

    fn leave(&self) {
        self.running.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Each body waits at a barrier sized `jobs`: the run only completes if `jobs` bodies really
/// run together, and the gauge shows whether more ever did.
fn gated(id: String, gauge: Arc<Gauge>, barrier: Arc<Barrier>) -> Scenario {
    Scenario::new(id).run(move |cx| {
        let gauge = gauge.clone();
        let barrier = barrier.clone();
        async move {
            gauge.enter();
            barrier.wait().await;
            // Give any excess scenario the chance to start while this one still counts.
            for _ in 0..10 {
                tokio::task::yield_now().await;
            }
            gauge.leave();
            cx.expect_eq("ran", true, true)
        }
    })
}

async fn peak_with(jobs: usize, scenarios: usize) -> (usize, Vec<VerdictKind>) {
    let gauge = Arc::new(Gauge::default());
    let barrier = Arc::new(Barrier::new(jobs));
    let list = (0..scenarios)
        .map(|i| gated(format!("fake/c{i}"), gauge.clone(), barrier.clone()))
        .collect();
    let opts = RunOptions {
        jobs,
        // Generous: only reached if the runner ran fewer than `jobs` bodies at once.
        timeout: Duration::from_secs(30),
        ..options()
    };
    let report = run_one(FakeSuite::new("fake", list), opts).await;
    let kinds = report.results().map(|r| r.verdict.kind).collect();
    (gauge.peak.load(Ordering::SeqCst), kinds)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_jobs_run_exactly_three_at_once() {
    let (peak, kinds) = peak_with(3, 9).await;
    assert_eq!(kinds, vec![VerdictKind::Pass; 9]);
    assert_eq!(peak, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_job_runs_scenarios_one_by_one() {
    let (peak, kinds) = peak_with(1, 6).await;
    assert_eq!(kinds, vec![VerdictKind::Pass; 6]);
    assert_eq!(peak, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn zero_jobs_is_treated_as_one() {
    let gauge = Arc::new(Gauge::default());
    let barrier = Arc::new(Barrier::new(1));
    let list = (0..3)
        .map(|i| gated(format!("fake/z{i}"), gauge.clone(), barrier.clone()))
        .collect();
    let report = run_one(
        FakeSuite::new("fake", list),
        RunOptions {
            jobs: 0,
            ..options()
        },
    )
    .await;
    assert_eq!(report.count(VerdictKind::Pass), 3);
    assert_eq!(gauge.peak.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn results_keep_declaration_order_whatever_the_finishing_order() {
    // Later scenarios finish first: the first one waits until all others are done.
    let done = Arc::new(AtomicUsize::new(0));
    let n = 6;
    let list: Vec<Scenario> = (0..n)
        .map(|i| {
            let done = done.clone();
            Scenario::new(format!("fake/o{i}")).run(move |cx| {
                let done = done.clone();
                async move {
                    if i == 0 {
                        while done.load(Ordering::SeqCst) < n - 1 {
                            tokio::task::yield_now().await;
                        }
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                    cx.expect_eq("ran", true, true)
                }
            })
        })
        .collect();
    let report = run_one(
        FakeSuite::new("fake", list),
        RunOptions {
            jobs: n,
            ..options()
        },
    )
    .await;
    let ids: Vec<String> = report.results().map(|r| r.id.clone()).collect();
    let want: Vec<String> = (0..n).map(|i| format!("fake/o{i}")).collect();
    assert_eq!(ids, want);
    assert_eq!(report.count(VerdictKind::Pass), n);
}
