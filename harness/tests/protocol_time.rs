//! Protocol time: a scenario declares how long it lasts in protocol minutes, the runner gives it
//! that much more time on the run's clock, starts long scenarios first, and a scenario that
//! only waits (`Cx::idle`, `Cx::sleep`) holds no `--jobs` slot. A run of sleeping scenarios
//! then lasts about as long as its longest one, whatever `--jobs` is.

extern crate oxconf_harness as harness;

mod common;

use common::{options, result, run_one, FakeSuite};
use harness::{Clock, RunOptions, Scenario, VerdictKind};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One protocol minute lasts this long in these tests.
const MINUTE: Duration = Duration::from_millis(200);

/// Sleeps `minutes` protocol minutes without a job slot, then records a check.
fn sleeper(id: &str, minutes: u64) -> Scenario {
    let protocol = Duration::from_secs(60 * minutes);
    Scenario::new(id).takes(protocol).run(move |cx| async move {
        cx.sleep(protocol).await;
        cx.expect("slept its protocol time", true, "woke", "woke")
    })
}

fn opts(jobs: usize) -> RunOptions {
    RunOptions {
        jobs,
        // The base timeout is shorter than any sleep: only the protocol time lets them finish.
        timeout: Duration::from_millis(150),
        clock: Clock::with_minute(MINUTE),
        ..options()
    }
}

/// Five sleepers of 1 to 5 protocol minutes: 3 s of sleeping in all, the longest 1 s.
fn sleepers() -> Vec<Scenario> {
    (1..=5)
        .map(|m| sleeper(&format!("fake/sleep-{m}"), m))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_of_sleepers_lasts_about_its_longest_scenario_whatever_jobs_is() {
    let longest = MINUTE * 5;
    let serial: Duration = (1..=5).map(|m| MINUTE * m).sum();
    for jobs in [1, 2, 8] {
        let started = Instant::now();
        let report = run_one(FakeSuite::new("fake", sleepers()), opts(jobs)).await;
        let took = started.elapsed();
        for r in report.results() {
            assert_eq!(
                r.verdict.kind,
                VerdictKind::Pass,
                "{}: {}",
                r.id,
                r.verdict.reason
            );
        }
        // Generous bounds: well above the longest scenario, well below running them in turn.
        assert!(
            took >= longest,
            "jobs {jobs}: {took:?} is shorter than the longest sleep"
        );
        assert!(
            took < longest + (serial - longest) / 2,
            "jobs {jobs}: the run took {took:?}; the longest scenario takes {longest:?}, all of them in turn {serial:?}"
        );
    }
}

#[tokio::test]
async fn the_timeout_grows_with_protocol_time_and_still_cuts_off_an_overrun() {
    // Takes 1 protocol minute but sleeps 3: past its timeout (150 ms + 200 ms).
    let overrun = Scenario::new("fake/overrun")
        .takes(Duration::from_secs(60))
        .run(|cx| async move {
            cx.sleep(Duration::from_secs(180)).await;
            cx.expect("woke", true, "woke", "woke")
        });
    let suite = FakeSuite::new("fake", vec![sleeper("fake/on-time", 1), overrun]);
    let report = run_one(suite, opts(4)).await;
    assert_eq!(
        result(&report, "fake/on-time").verdict.kind,
        VerdictKind::Pass
    );
    let cut = result(&report, "fake/overrun");
    assert_eq!(cut.verdict.kind, VerdictKind::Inconclusive);
    assert!(
        cut.verdict.reason.contains("0.3s"),
        "{}",
        cut.verdict.reason
    );
}

#[tokio::test]
async fn long_scenarios_start_first() {
    // Busy scenarios (they keep their slot) with one job: they run one at a time, in the order
    // the runner starts them.
    let order = Arc::new(Mutex::new(Vec::new()));
    let busy = |id: &str, minutes: u64| {
        let order = Arc::clone(&order);
        let id = id.to_string();
        Scenario::new(id.clone())
            .takes(Duration::from_secs(60 * minutes))
            .run(move |cx| {
                let order = Arc::clone(&order);
                let id = id.clone();
                async move {
                    order.lock().unwrap().push(id);
                    cx.expect("ran", true, "ran", "ran")
                }
            })
    };
    let suite = FakeSuite::new(
        "fake",
        vec![
            busy("fake/short", 0),
            busy("fake/long", 3),
            busy("fake/middle", 1),
            busy("fake/also-short", 0),
        ],
    );
    let report = run_one(suite, opts(1)).await;
    assert!(report
        .results()
        .all(|r| r.verdict.kind == VerdictKind::Pass));
    assert_eq!(
        *order.lock().unwrap(),
        ["fake/long", "fake/middle", "fake/short", "fake/also-short"]
    );
}

#[tokio::test]
async fn a_busy_scenario_still_holds_its_slot() {
    // Two scenarios that do not idle, one job: they cannot overlap.
    let running = Arc::new(Mutex::new((0usize, 0usize)));
    let busy = |id: &str| {
        let running = Arc::clone(&running);
        Scenario::new(id).run(move |cx| {
            let running = Arc::clone(&running);
            async move {
                {
                    let mut r = running.lock().unwrap();
                    r.0 += 1;
                    r.1 = r.1.max(r.0);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                running.lock().unwrap().0 -= 1;
                cx.expect("ran", true, "ran", "ran")
            }
        })
    };
    let suite = FakeSuite::new("fake", vec![busy("fake/a"), busy("fake/b")]);
    let report = run_one(suite, opts(1)).await;
    assert!(report
        .results()
        .all(|r| r.verdict.kind == VerdictKind::Pass));
    assert_eq!(
        running.lock().unwrap().1,
        1,
        "two busy scenarios ran at once"
    );
}
