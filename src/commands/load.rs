//! `oxconf load`: drives a push listener with SendNotifications at a set rate and reports
//! throughput, latency percentiles, errors and what was not acknowledged (or acknowledged
//! twice); exit 0 only when nothing was lost. Without --profile it loads an in-process
//! reference listener and, in the same run, measures the raw loopback baseline against it.

use super::exit;
use crate::cli::LoadArgs;
use crate::{complain, say};
use harness::profile::{CommonSettings, Profile};
use harness::report::atomic::write_atomic;
use harness::timing::parse_duration;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use suites::push::listener::config::ListenerProfile;
use suites::push::listener::NAME as LISTENER_SUITE;
use suites::push::load::{
    self, run_baseline, run_load, Baseline, LoadPlan, LoadRun, Percentiles, Supply, Target,
};

/// What the listener's own record says (the reference listener only).
struct Ledger {
    twice: u64,
    /// Acknowledged by the answer but absent from the listener's record.
    missing: u64,
}

/// Everything the summary and the JSON show.
struct Outcome {
    target: String,
    reference: bool,
    subscriptions: usize,
    run: LoadRun,
    ledger: Option<Ledger>,
    baseline: Option<Baseline>,
}

impl Outcome {
    fn lost(&self) -> u64 {
        let l = self
            .ledger
            .as_ref()
            .map(|l| l.twice + l.missing)
            .unwrap_or(0);
        self.run.tally.not_acknowledged() + l
    }

    fn ratio(&self) -> Option<f64> {
        let b = self.baseline?.throughput();
        (b > 0.0).then(|| self.run.throughput() / b)
    }
}

/// Reads `path` as a push-listener profile with the suite's own reader.
fn read_profile(path: &std::path::Path) -> Result<ListenerProfile, String> {
    let profile = Profile::load(path).map_err(|e| e.to_string())?;
    let suite = profile.suite_name().map_err(|e| e.to_string())?;
    if suite != LISTENER_SUITE {
        return Err(format!(
            "{}: `oxconf load` takes a {LISTENER_SUITE} profile, not {suite}",
            path.display()
        ));
    }
    let mut reader = profile.reader();
    CommonSettings::read(&mut reader).map_err(|e| e.to_string())?;
    let p = ListenerProfile::read(&mut reader).map_err(|e| e.to_string())?;
    reader.finish().map_err(|e| e.to_string())?;
    Ok(p)
}

pub fn run(args: &LoadArgs) -> i32 {
    let Some(duration) = parse_duration(&args.duration) else {
        complain!(
            "oxconf: --duration: `{}` is not a duration (e.g. 10s, 500ms, 2m)",
            args.duration
        );
        return exit::USAGE;
    };
    let plan = match LoadPlan::new(args.rate, duration, args.connections, args.subscriptions) {
        Ok(p) => p,
        Err(e) => {
            complain!("oxconf: {e}");
            return exit::USAGE;
        }
    };
    let profile = match &args.profile {
        Some(path) if !args.reference => match read_profile(path) {
            Ok(p) => Some(p),
            Err(e) => {
                complain!("oxconf: {e}");
                return exit::USAGE;
            }
        },
        _ => None,
    };
    if profile.is_some() && !args.faults.is_empty() {
        complain!("oxconf: --fault switches the reference listener's faults; it does not go with --profile");
        return exit::USAGE;
    }
    if let Some(json) = &args.json {
        if let Err(e) = harness::report::atomic::check_writable(json) {
            complain!("oxconf: --json: {e}");
            return exit::USAGE;
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            complain!("oxconf: cannot start the async runtime: {e}");
            return exit::LOCAL;
        }
    };
    runtime.block_on(drive(args, plan, profile))
}

async fn drive(args: &LoadArgs, plan: LoadPlan, profile: Option<ListenerProfile>) -> i32 {
    let nonce = format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    );
    let (reference, target) = match &profile {
        Some(p) => match Target::from_profile(p) {
            Ok(t) => (None, t),
            Err(e) => {
                complain!("oxconf: {e}");
                return exit::LOCAL;
            }
        },
        None => match load::start_reference(&args.faults).await {
            Ok((l, t)) => (Some(l), t),
            Err(e) => {
                complain!("oxconf: cannot start the reference listener: {e}");
                return exit::USAGE;
            }
        },
    };
    if let Err(e) = load::reachable(&target.dial.endpoint, target.dial.connect_timeout).await {
        complain!(
            "oxconf: the push listener at {} could not be reached: {e}",
            target.url
        );
        return exit::UNREACHABLE;
    }
    let supply = Arc::new(Supply::new(&nonce, &target, plan.subscriptions));
    say!(
        "load: {} notifications at {}/s for {} ms over {} connection(s), {} subscription(s), to {}{}",
        plan.total(),
        plan.rate,
        plan.duration.as_millis(),
        plan.connections,
        supply.subscriptions(),
        target.url,
        if reference.is_some() { " (reference listener)" } else { "" }
    );
    let run = run_load(&target, plan, Arc::clone(&supply)).await;
    if run.tally.unreachable > 0 && run.tally.unreachable == run.tally.sent() {
        complain!(
            "oxconf: the push listener at {} could not be reached",
            target.url
        );
        return exit::UNREACHABLE;
    }
    let ledger = reference.as_ref().map(|l| {
        let record = l.acknowledged();
        let twice = record.per_watermark.values().filter(|n| **n > 1).count() as u64;
        let missing = run
            .acknowledged
            .iter()
            .filter(|k| record.count(&supply.watermark(**k)) == 0)
            .count() as u64;
        Ledger { twice, missing }
    });
    let baseline = if reference.is_some() && args.faults.is_empty() && !args.no_baseline {
        Some(
            run_baseline(
                &target.dial,
                supply.headers(),
                supply.body(0),
                plan.connections,
                plan.duration,
                load::plan::MAX_REQUESTS,
            )
            .await,
        )
    } else {
        None
    };
    drop(reference);
    let outcome = Outcome {
        target: target.url.clone(),
        reference: profile.is_none(),
        subscriptions: supply.subscriptions(),
        run,
        ledger,
        baseline,
    };
    print_summary(&outcome);
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&to_json(&outcome)).unwrap_or_default();
        if let Err(e) = write_atomic(path, format!("{text}\n").as_bytes()) {
            complain!("oxconf: cannot write the JSON report: {e}");
            return exit::LOCAL;
        }
    }
    if outcome.lost() == 0 {
        exit::OK
    } else {
        exit::FAILURES
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

fn percentiles(run: &LoadRun) -> Option<Percentiles> {
    let mut latencies = run.tally.latencies.clone();
    Percentiles::of(&mut latencies)
}

fn print_summary(o: &Outcome) {
    let t = &o.run.tally;
    say!(
        "sent {} of {} in {} ms; acknowledged {} (OK {}, Unsubscribe {}): {:.0} notifications/s",
        t.sent(),
        o.run.total,
        o.run.elapsed.as_millis(),
        t.acknowledged(),
        t.ok,
        t.unsubscribe,
        o.run.throughput()
    );
    match percentiles(&o.run) {
        Some(p) => say!(
            "latency: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            ms(p.p50),
            ms(p.p90),
            ms(p.p99),
            ms(p.max)
        ),
        None => say!("latency: no answer to measure"),
    }
    say!(
        "not acknowledged: {} (HTTP errors {}, SOAP faults {}, invalid answers {}, no answer {}, not sent {})",
        t.not_acknowledged(),
        t.http_errors,
        t.soap_faults,
        t.invalid,
        t.no_answer,
        t.not_sent
    );
    match &o.ledger {
        Some(l) => say!(
            "listener's record: acknowledged twice {}, acknowledged but not recorded {}",
            l.twice,
            l.missing
        ),
        None => say!("acknowledged twice: not observable for a listener other than the reference (each request has one answer)"),
    }
    say!("connections opened: {}", o.run.connections_opened);
    for s in &t.samples {
        say!("  {s}");
    }
    if let Some(b) = &o.baseline {
        say!(
            "baseline (same bytes, bare hyper client, {} connection(s), back to back): {:.0} requests/s ({} HTTP 200, {} other)",
            o.run.plan.connections,
            b.throughput(),
            b.answered_200,
            b.other
        );
        if let Some(r) = o.ratio() {
            say!("ratio load/baseline: {r:.2}");
        }
    }
    let lost = o.lost();
    if lost == 0 {
        say!("PASS: nothing lost");
    } else {
        say!("FAIL: {lost} notification(s) lost");
    }
}

fn to_json(o: &Outcome) -> Value {
    let t = &o.run.tally;
    let latency = percentiles(&o.run)
        .map(|p| json!({"p50": ms(p.p50), "p90": ms(p.p90), "p99": ms(p.p99), "max": ms(p.max)}));
    json!({
        "schema": "oxconf-load/1",
        "tool": {"name": "oxconf", "version": env!("CARGO_PKG_VERSION")},
        "target": o.target,
        "reference": o.reference,
        "plan": {
            "rate": o.run.plan.rate,
            "duration_ms": o.run.plan.duration.as_millis() as u64,
            "connections": o.run.plan.connections,
            "subscriptions": o.subscriptions,
            "notifications": o.run.total,
        },
        "sent": t.sent(),
        "acknowledged": {"ok": t.ok, "unsubscribe": t.unsubscribe, "total": t.acknowledged()},
        "not_acknowledged": {
            "http_errors": t.http_errors,
            "soap_faults": t.soap_faults,
            "invalid_answers": t.invalid,
            "no_answer": t.no_answer,
            "not_sent": t.not_sent,
            "total": t.not_acknowledged(),
        },
        "acknowledged_twice": o.ledger.as_ref().map(|l| l.twice),
        "acknowledged_not_recorded": o.ledger.as_ref().map(|l| l.missing),
        "lost": o.lost(),
        "passed": o.lost() == 0,
        "elapsed_ms": ms(o.run.elapsed),
        "throughput_per_s": o.run.throughput(),
        "latency_ms": latency,
        "connections_opened": o.run.connections_opened,
        "baseline": o.baseline.map(|b| json!({
            "throughput_per_s": b.throughput(),
            "answered_200": b.answered_200,
            "other": b.other,
            "elapsed_ms": ms(b.elapsed),
            "ratio": o.ratio(),
        })),
    })
}
