//! The answer (MS-OXWSPSNTIF 3.1.4.1.2.3, 3.1.4.1.4.2, 6.3): HTTP 200, the request's SOAP
//! version and media type, exactly m:SendNotificationResult/m:SubscriptionStatus holding OK
//! or Unsubscribe, promptly.

use super::Push;
use crate::push::common::{judge_answer, Post};
use harness::Scenario;
use wire::ews::{ns, Prefixes};
use wire::soap::SoapVersion;

pub(super) fn all() -> Vec<Scenario> {
    vec![
        result_namespace(),
        status_value(),
        single_result(),
        soap_version(),
        media_type(),
        deadline(),
    ]
}

/// E-PS-11: SubscriptionStatus is declared locally in the messages schema, so it is
/// m:SubscriptionStatus although its type is t:SubscriptionStatusType.
fn result_namespace() -> Scenario {
    Scenario::new("push-listener/answer/messages-namespace")
        .title("SendNotificationResult and SubscriptionStatus are in the messages namespace")
        .section("MS-OXWSPSNTIF 2.3")
        .requirements(["PSNTIF-R006", "PSNTIF-R019"])
        .caught_by_breaking("status-in-types-ns", ["PSNTIF-R019"])
        .caught_by_breaking("result-in-types-ns", ["PSNTIF-R006"])
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            p.notify("a status ping", &p.n.status_ping(1), &["PSNTIF-R006"])
                .await?;
            Ok(())
        })
}

/// PSNTIF-R018: exactly "OK" or "Unsubscribe"; case matters.
fn status_value() -> Scenario {
    Scenario::new("push-listener/answer/status-value")
        .title("SubscriptionStatus is exactly OK or Unsubscribe (case-sensitive)")
        .section("MS-OXWSPSNTIF 3.1.4.1.1.1")
        .requirements(["PSNTIF-R018"])
        .caught_by("lowercase-ok")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            let send = p.n.send(p.n.notification(
                Some(1),
                false,
                p.n.events(&[wire::ews::EventKind::NewMail], 2),
            ));
            let answered = p
                .notify("a NewMail notification", &send, &["PSNTIF-R018"])
                .await?;
            cx.note(format!("SubscriptionStatus {}", answered.status.as_str()));
            Ok(())
        })
}

/// PSNTIF-R016, R017: the Body holds one SendNotificationResult holding one SubscriptionStatus
/// and nothing else. The SOAPAction is also probed, informationally only: SOAP 1.1 asks
/// senders to send one, but receivers need not look at it.
fn single_result() -> Scenario {
    Scenario::new("push-listener/answer/single-result")
        .title("The Body holds only SendNotificationResult, which holds only SubscriptionStatus")
        .section("MS-OXWSPSNTIF 3.1.4.1.4.2")
        .requirements(["PSNTIF-R016", "PSNTIF-R017"])
        .caught_by_breaking("wrapped-result", ["PSNTIF-R016"])
        .caught_by_breaking("extra-element", ["PSNTIF-R017"])
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            p.notify("a status ping", &p.n.status_ping(1), &["PSNTIF-R016"])
                .await?;
            for (label, post) in [
                (
                    "without SOAPAction",
                    Post::notification(
                        SoapVersion::V11,
                        &p.n.status_ping(2),
                        &Prefixes::Conventional,
                    )
                    .without_action(),
                ),
                (
                    "with another operation's SOAPAction",
                    Post::notification(
                        SoapVersion::V11,
                        &p.n.status_ping(3),
                        &Prefixes::Conventional,
                    )
                    .with_action(&ns::action("GetEvents")),
                ),
            ] {
                let exchange = p.post(&format!("a status ping {label}"), &post).await;
                let observed = match &exchange.result {
                    Ok(r) => format!("HTTP {}", r.status),
                    Err(e) => format!("no answer: {e}"),
                };
                cx.checks().info(
                    &format!(
                        "a status ping {label} (informational: receivers may ignore SOAPAction)"
                    ),
                    observed,
                );
            }
            Ok(())
        })
}

/// PSNTIF-R004: a SOAP 1.1 request gets a SOAP 1.1 answer.
fn soap_version() -> Scenario {
    Scenario::new("push-listener/answer/soap-version")
        .title("A SOAP 1.1 notification is answered with a SOAP 1.1 envelope")
        .section("MS-OXWSPSNTIF 2.1")
        .requirements(["PSNTIF-R004"])
        .caught_by("soap12-answers")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            p.notify("a status ping", &p.n.status_ping(1), &["PSNTIF-R004"])
                .await?;
            Ok(())
        })
}

/// SOAP 1.1's HTTP binding: the answer is text/xml.
fn media_type() -> Scenario {
    Scenario::new("push-listener/answer/media-type")
        .title("The answer has the SOAP binding's XML media type")
        .section("MS-OXWSPSNTIF 2.1")
        .requirements(["PSNTIF-R004"])
        .caught_by("plain-text-content-type")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            p.notify("a status ping", &p.n.status_ping(1), &["PSNTIF-R004"])
                .await?;
            Ok(())
        })
}

/// NTIF-R040: answer at once, do slow work afterwards (digest 3.5); the deadline is the
/// profile's `push.answer_deadline`, a SHOULD.
fn deadline() -> Scenario {
    Scenario::new("push-listener/answer/deadline")
        .title("Notifications are answered within push.answer_deadline")
        .section("MS-OXWSNTIF 3.1.4.3")
        .requirements(["NTIF-R040"])
        .caught_by("slow-answer")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            let mut slowest = std::time::Duration::ZERO;
            for i in 1..=3 {
                let exchange = p
                    .post(
                        &format!("status ping {i}"),
                        &Post::notification(
                            SoapVersion::V11,
                            &p.n.status_ping(i),
                            &Prefixes::Conventional,
                        ),
                    )
                    .await;
                let answered = judge_answer(
                    &cx,
                    &exchange,
                    &p.expect("a status ping", SoapVersion::V11, &["NTIF-R040"]),
                )?;
                slowest = slowest.max(answered.elapsed);
            }
            cx.note(format!(
                "slowest answer {} ms (deadline {} ms)",
                slowest.as_millis(),
                p.env.deadline.as_millis()
            ));
            Ok(())
        })
}
