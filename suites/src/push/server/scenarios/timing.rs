//! Protocol time: status pings at StatusFrequency, silence after Unsubscribe, and the retry
//! schedule while the listener fails (digest 3.1, 3.3, 3.4).

use super::super::ews;
use super::super::judge::{judge_request, record_arrival};
use super::Probe;
use harness::{Level, Scenario};
use mocks::ews::listener::{Answer, Script};
use std::time::Duration;
use wire::ews::EventKind;

pub(super) fn all() -> Vec<Scenario> {
    vec![status_ping(), unsubscribe(), retries()]
}

const MINUTE: Duration = Duration::from_secs(60);

/// NTIF-R012: idle for StatusFrequency minutes, a subscription gets a StatusEvent.
fn status_ping() -> Scenario {
    Scenario::new("push-server/pacing/status-ping")
        .title("An idle subscription gets a status ping (StatusEvent) at StatusFrequency")
        .section("MS-OXWSNTIF 2.2.4.8")
        .requirements(["NTIF-R012"])
        .takes(MINUTE * 3)
        .caught_by("no-status-ping")
        .run(|cx| async move {
            let p = Probe::new(&cx)?;
            // FreeBusyChanged only: no scenario causes one, so the subscription stays idle
            // while others fill the shared mailbox.
            let s = p.subscribe(&[EventKind::FreeBusyChanged]).await?;
            let first = p.wait_for(&s, 1, p.prompt()).await;
            let start = first
                .first()
                .map(|a| a.at)
                .unwrap_or_else(std::time::Instant::now);
            let f = f64::from(p.env.status_frequency) * 60.0;
            let got = p.wait_for(&s, 2, p.env.scale(f * 2.0)).await;
            let ping = got.get(1);
            let notifications = ping
                .map(|a| judge_request(&cx, "the status ping", a, &s.id))
                .transpose()?
                .unwrap_or_default();
            let all_status = !notifications.is_empty()
                && notifications
                    .iter()
                    .all(|n| n.events.iter().all(|e| e.kind == EventKind::Status));
            cx.checks().expect(
                "a StatusEvent notification follows StatusFrequency idle minutes",
                all_status,
                format!(
                    "a StatusEvent within {} ms",
                    p.env.scale(f * 2.0).as_millis()
                ),
                match ping {
                    None => "nothing".to_string(),
                    Some(a) => format!(
                        "a notification after {} ms, status only: {all_status}",
                        a.at.saturating_duration_since(start).as_millis()
                    ),
                },
            )?;
            if let Some(a) = ping {
                let after = a.at.saturating_duration_since(start);
                cx.checks().level(Level::Should).check(
                    "the ping comes about StatusFrequency after the last notification",
                    after >= p.env.scale(f * 0.5),
                    format!("≥ {} ms", p.env.scale(f * 0.5).as_millis()),
                    format!("{} ms", after.as_millis()),
                );
            }
            Ok(())
        })
}

/// PSNTIF-R020, R021: OK keeps the subscription, Unsubscribe ends it: nothing more for at
/// least 2 × StatusFrequency.
fn unsubscribe() -> Scenario {
    Scenario::new("push-server/unsubscribe/answer-unsubscribe")
        .title("After OK notifications continue; after Unsubscribe nothing comes for 2 × StatusFrequency")
        .section("MS-OXWSPSNTIF 3.1.4.1.1.1")
        .requirements(["PSNTIF-R021", "PSNTIF-R020"])
        .takes(MINUTE * 4)
        .caught_by_breaking("ignores-unsubscribe", ["PSNTIF-R021"])
        .run(|cx| async move {
            let p = Probe::new(&cx)?;
            let s = p.subscribe_with(Script::unsubscribe_after(1), &[EventKind::NewMail], |_| {}).await?;
            p.wait_for(&s, 1, p.prompt()).await;
            ews::cause(&cx, &p.env, EventKind::NewMail).await?;
            let got = p.wait_for(&s, 2, p.soon()).await;
            cx.cite(["PSNTIF-R020"]).expect("after OK, the server goes on notifying", got.len() >= 2, "a second notification (the NewMail)", format!("{} notification(s)", got.len()))?;
            // The second was answered Unsubscribe: cause another event and listen.
            ews::cause(&cx, &p.env, EventKind::NewMail).await?;
            let f = f64::from(p.env.status_frequency) * 60.0;
            let later = p.wait_for(&s, 3, p.env.scale(f * 2.0)).await;
            for (i, a) in later.iter().enumerate().skip(2) {
                record_arrival(&cx, &format!("notification {} after Unsubscribe", i - 1), a);
            }
            cx.cite(["PSNTIF-R021"]).expect(
                "after Unsubscribe, nothing more is sent",
                later.len() <= 2,
                format!("no request for {} ms", p.env.scale(f * 2.0).as_millis()),
                format!("{} more request(s)", later.len().saturating_sub(2)),
            )?;
            Ok(())
        })
}

/// NTIF-R013: retry n is due 30·2^(n−1) s after the first failed attempt, and only while
/// that stays within StatusFrequency minutes; then the subscription ends. Timing is
/// approximate (digest 3.1): each retry is accepted from half to twice its due time.
fn retries() -> Scenario {
    Scenario::new("push-server/retries/schedule")
        .title("While the listener fails, retries come at 30 s, then doubling, and stop when the StatusFrequency window closes")
        .section("MS-OXWSNTIF 3.1.4.3.3.6")
        .requirements(["NTIF-R013"])
        .takes(MINUTE * 5)
        .caught_by("no-retry")
        .caught_by("retry-forever")
        .run(|cx| async move {
            let p = Probe::new(&cx)?;
            let s = p.subscribe_with(Script::always(Answer::Status(500)), &[EventKind::FreeBusyChanged], |_| {}).await?;
            let f = f64::from(p.env.status_frequency) * 60.0;
            // Expected retries: 30·2^(n−1) ≤ f.
            let due: Vec<f64> = (1..).map(|n: i32| 30.0 * 2f64.powi(n - 1)).take_while(|d| *d <= f).collect();
            let horizon = p.env.scale(f * 2.5);
            let got = p.wait_for(&s, usize::MAX, horizon).await;
            let Some(first) = got.first() else {
                return Err(harness::Stop::inconclusive("no notification arrived at all (see push-server/notify/first-notification)"));
            };
            let t0 = first.at;
            let times: Vec<Duration> = got.iter().map(|a| a.at.saturating_duration_since(t0)).collect();
            for (i, a) in got.iter().enumerate().take(12) {
                record_arrival(&cx, &format!("attempt {}", i + 1), a);
            }
            let shown = times.iter().map(|t| format!("{} ms", t.as_millis())).collect::<Vec<_>>().join(", ");
            let checks = cx.checks().level(Level::Should);
            checks.check(
                "the server retries a failed notification",
                got.len() >= 2,
                format!("{} retries", due.len()),
                format!("attempts at {shown}"),
            );
            let slack = Duration::from_millis(200);
            for (n, d) in due.iter().enumerate() {
                let at = times.get(n + 1);
                let lo = p.env.scale(d * 0.5);
                let hi = p.env.scale(d * 2.0) + slack;
                checks.check(
                    &format!("retry {} comes about {} s after the first attempt", n + 1, d),
                    at.is_some_and(|t| *t >= lo && *t <= hi),
                    format!("between {} and {} ms", lo.as_millis(), hi.as_millis()),
                    at.map(|t| format!("{} ms", t.as_millis())).unwrap_or_else(|| "none".into()),
                );
            }
            let window_end = p.env.scale(f * 2.0) + slack;
            let late = times.iter().filter(|t| **t > window_end).count();
            checks.check(
                "retries stop once the StatusFrequency window has closed",
                late == 0 && got.len() <= due.len() + 2,
                format!("at most {} attempts, none after {} ms", due.len() + 1, window_end.as_millis()),
                format!("{} attempts ({shown})", got.len()),
            );
            Ok(())
        })
}
