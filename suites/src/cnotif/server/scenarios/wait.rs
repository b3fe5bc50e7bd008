//! NotificationWait (MS-OXCMAPIHTTP 3.1.5.5, MS-OXCNOTIF 3.1.5.3 as MAPI/HTTP maps it): held
//! until an event (EventPending set) or the 5-minute timeout (EventPending clear), with
//! PENDING keep-alives while held; a second concurrent wait on the session is rejected.

use super::{Mailbox, SUB_A};
use harness::{Scenario, Stop};
use std::time::Duration;
use wire::mapihttp::{Body, DEFAULT_PENDING_PERIOD_MS};
use wire::rop::ec;

const MINUTE: Duration = Duration::from_secs(60);

pub(super) fn all() -> Vec<Scenario> {
    vec![event_pending(), timeout(), keep_alive(), concurrent()]
}

/// The keep-alive period the server announced (X-PendingPeriod), or the default.
fn period(b: &Mailbox) -> Duration {
    Duration::from_millis(b.m.pending_period.unwrap_or(DEFAULT_PENDING_PERIOD_MS))
}

/// The wait's own HTTP timeout: the 5 protocol minutes and some.
fn wait_limit(b: &Mailbox) -> Duration {
    b.scale(5.0 * 60.0) * 2 + Duration::from_secs(5)
}

fn event_pending() -> Scenario {
    Scenario::new("notif-server/wait/event-pending")
        .title("A held NotificationWait completes with EventPending when an event occurs, and the next Execute brings its RopNotify")
        .section("MS-OXCMAPIHTTP 2.2.4.4.2")
        .requirements(["MAPIHTTP-R317", "OXCNOTIF-R002", "OXCNOTIF-R004", "OXCNOTIF-R065", "OXCNOTIF-R083"])
        .caught_by_breaking("wait-no-event-pending", ["MAPIHTTP-R317", "OXCNOTIF-R083"])
        .takes(MINUTE)
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            let (_, handle) = b.watch_own_message(SUB_A).await?;
            let waiting = b.m.wait(wait_limit(&b));
            let cause = async {
                cx.idle(tokio::time::sleep(b.scale(10.0))).await;
                b.save_again_with(b.tight()).await
            };
            let (waited, caused) = tokio::join!(waiting, cause);
            let (answer, body) = waited?;
            let _ = caused?;
            let Body::Success(w) = body else {
                return Err(cx.checks().fail(
                    "NotificationWait succeeds",
                    "a success body",
                    "a failure body",
                ));
            };
            cx.checks().expect(
                "the wait completed because of the event (well before its timeout)",
                answer.elapsed < b.scale(4.0 * 60.0),
                "completion soon after the event",
                format!("after {:.2} s", answer.elapsed.as_secs_f64()),
            )?;
            cx.checks().expect(
                "EventPending is set",
                w.event_pending,
                "EventPending 0x00000001",
                "EventPending 0",
            )?;
            let notes = b.drain(5).await?;
            cx.cite(["OXCNOTIF-R004"]).expect(
                "the Execute after the wait brings the RopNotify",
                notes.iter().any(|n| n.handle == handle),
                "a RopNotify for the subscription",
                format!("{} RopNotify", notes.len()),
            )?;
            Ok(())
        })
}

fn timeout() -> Scenario {
    Scenario::new("notif-server/wait/timeout")
        .title("With no event, NotificationWait completes without EventPending at the 5-minute timeout, not before and not far beyond")
        .section("MS-OXCMAPIHTTP 3.1.5.5")
        .requirements(["MAPIHTTP-R1169", "MAPIHTTP-R317", "OXCNOTIF-R084"])
        .caught_by_breaking("wait-returns-at-once", ["MAPIHTTP-R1169"])
        .caught_by_breaking("wait-past-timeout", ["MAPIHTTP-R1169"])
        .takes(MINUTE * 7)
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            b.watch_own_message(SUB_A).await?;
            let five = b.scale(5.0 * 60.0);
            let (answer, body) = b.m.wait(wait_limit(&b)).await?;
            let took = answer.elapsed;
            let early = five.mul_f64(0.9);
            let late = five.mul_f64(1.1) + Duration::from_secs(2);
            cx.cite(["MAPIHTTP-R1169"]).expect(
                "the wait is held until the timeout",
                took >= early,
                format!("at least {:.2} s (90% of 5 protocol minutes)", early.as_secs_f64()),
                format!("{:.2} s", took.as_secs_f64()),
            )?;
            cx.cite(["MAPIHTTP-R1169"]).expect(
                "the wait completes at the timeout, not far beyond",
                took <= late,
                format!("at most {:.2} s", late.as_secs_f64()),
                format!("{:.2} s", took.as_secs_f64()),
            )?;
            let Body::Success(w) = body else {
                return Err(cx.checks().fail(
                    "NotificationWait succeeds",
                    "a success body",
                    "a failure body",
                ));
            };
            cx.cite(["MAPIHTTP-R317", "OXCNOTIF-R084"]).expect(
                "EventPending is clear after a timeout",
                !w.event_pending,
                "EventPending 0",
                "EventPending 0x00000001",
            )?;
            Ok(())
        })
}

fn keep_alive() -> Scenario {
    Scenario::new("notif-server/wait/keep-alive")
        .title("A held NotificationWait sends PENDING every X-PendingPeriod")
        .section("MS-OXCMAPIHTTP 2.2.7")
        .requirements(["MAPIHTTP-R1239"])
        .caught_by("no-keepalive")
        .takes(MINUTE * 2)
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            b.watch_own_message(SUB_A).await?;
            let p = period(&b);
            let hold = p.mul_f64(2.5);
            if hold + Duration::from_secs(1) > cx.remaining() {
                return Err(Stop::inconclusive(format!(
                    "X-PendingPeriod is {} ms: holding the wait for 2.5 periods does not fit the scenario's time; set [timing] minute to at least twice X-PendingPeriod",
                    p.as_millis()
                )));
            }
            let waiting = b.m.wait(wait_limit(&b));
            let cause = async {
                cx.idle(tokio::time::sleep(hold)).await;
                b.save_again_with(b.tight()).await
            };
            let (waited, caused) = tokio::join!(waiting, cause);
            let (answer, _) = waited?;
            let _ = caused?;
            let times = answer.pending_times();
            cx.note(format!(
                "X-PendingPeriod {} ms; PENDING at {}",
                p.as_millis(),
                times
                    .iter()
                    .map(|t| format!("{:.3}s", t.as_secs_f64()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            cx.checks().expect(
                "PENDING keep-alives arrive while the wait is held",
                times.len() >= 2,
                format!("at least 2 PENDING in {:.2} s", hold.as_secs_f64()),
                format!("{}", times.len()),
            )?;
            // Generous: keep-alives are timer-driven on a possibly busy server and client; a
            // server that sends none fails the count above.
            let slack = p * 2 + Duration::from_secs(1);
            let mut last = Duration::ZERO;
            for t in &times {
                cx.checks().expect(
                    "no gap between keep-alives is much longer than X-PendingPeriod",
                    t.saturating_sub(last) <= slack,
                    format!("at most {} ms apart", slack.as_millis()),
                    format!("{} ms", t.saturating_sub(last).as_millis()),
                )?;
                last = *t;
            }
            Ok(())
        })
}

fn concurrent() -> Scenario {
    Scenario::new("notif-server/wait/concurrent")
        .title("A second NotificationWait on a session with one held is rejected at once")
        .section("MS-OXCNOTIF 3.1.5.3")
        .requirements(["OXCNOTIF-R082"])
        .caught_by("accepts-second-wait")
        .takes(MINUTE)
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            b.watch_own_message(SUB_A).await?;
            let first = b.m.wait(wait_limit(&b));
            let second = async {
                cx.idle(tokio::time::sleep(b.scale(10.0))).await;
                let r = b.m.wait(wait_limit(&b)).await;
                // Releases the first wait whatever the second did.
                let _ = b.save_again_with(b.tight()).await;
                r
            };
            let (_, second) = tokio::join!(first, second);
            match second {
                Ok((answer, Body::Success(w))) => {
                    let at_once = answer.elapsed < b.scale(30.0);
                    if w.error_code == ec::REJECTED && at_once {
                        cx.checks().check(
                            "the second wait is rejected with ecRejected",
                            true,
                            "ErrorCode 0x000007EE at once",
                            "ErrorCode 0x000007EE",
                        );
                        Ok(())
                    } else if w.error_code != 0 && at_once {
                        cx.checks().info(
                            "the second wait is refused with another error",
                            format!("ErrorCode 0x{:08X}", w.error_code),
                        );
                        Ok(())
                    } else {
                        Err(cx.checks().give_up(
                            "the second wait is rejected at once",
                            "ErrorCode 0x000007EE without being held",
                            format!(
                                "ErrorCode 0x{:08X} after {:.2} s",
                                w.error_code,
                                answer.elapsed.as_secs_f64()
                            ),
                        ))
                    }
                }
                Ok((_, Body::Failure { status_code })) => {
                    cx.checks().info(
                        "the second wait is refused with a failure body",
                        format!("StatusCode 0x{status_code:08X}"),
                    );
                    Ok(())
                }
                Err(Stop::Inconclusive(why)) if why.contains("X-ResponseCode") => {
                    cx.checks()
                        .info("the second wait is refused at the HTTP layer", why);
                    Ok(())
                }
                Err(other) => Err(other),
            }
        })
}
