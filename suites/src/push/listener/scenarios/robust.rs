//! A listener survives what a broken or newer server sends: malformed requests, unknown
//! event elements, any prefix style, big notifications, many at once.

use super::Push;
use crate::push::common::{judge_answer, Post};
use harness::Scenario;
use wire::ews::{
    read_listener_answer, write_send_notification, EventKind, ListenerAnswer, Prefixes,
};
use wire::soap::SoapVersion;
use wire::xml::Limits;

pub(super) fn all() -> Vec<Scenario> {
    vec![
        malformed_request(),
        unknown_event(),
        prefixes(),
        large_notification(),
        concurrent(),
    ]
}

/// What a malformed request may get: anything but a SendNotificationResult that accepts it.
fn accepted_as_notification(exchange: &mocks::net::Exchange) -> Option<String> {
    let r = exchange.result.as_ref().ok()?;
    if r.status != 200 {
        return None;
    }
    let text = String::from_utf8_lossy(&r.body);
    match read_listener_answer(&text, Limits::default()) {
        Ok(read) => match read.value {
            ListenerAnswer::Result { status_text, .. } => Some(format!(
                "HTTP 200 with SendNotificationResult {}",
                status_text.unwrap_or_default()
            )),
            _ => None,
        },
        Err(_) => None,
    }
}

/// PSNTIF-R008: the endpoint offers SendNotification; a request that is not one gets a
/// non-200 answer or a SOAP fault, and the listener goes on serving (PSNTIF-R001).
fn malformed_request() -> Scenario {
    Scenario::new("push-listener/robust/malformed-request")
        .title("Malformed requests get an error or a SOAP fault, and the next valid notification is still served")
        .section("MS-OXWSPSNTIF 3.1.4.1")
        .requirements(["PSNTIF-R008", "PSNTIF-R001"])
        .caught_by_breaking("accepts-malformed", ["PSNTIF-R008"])
        .caught_by_breaking("dies-after-malformed", ["PSNTIF-R001"])
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            let bomb = mocks::hostile::xml_bomb();
            let other_op = write_send_notification(SoapVersion::V11, &p.n.status_ping(9), &Prefixes::Conventional)
                .replace("SendNotification>", "GetEvents>")
                .replace("<m:SendNotification", "<m:GetEvents");
            let cases = [
                ("bytes that are not XML", "\u{1}\u{2}not xml at all <".to_string()),
                ("an unclosed envelope", "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>".to_string()),
                ("an entity-expansion bomb", bomb),
                ("another operation's body", other_op),
                ("an empty body", String::new()),
            ];
            for (label, body) in cases {
                let exchange = p.post(&format!("{label} (malformed)"), &Post::raw(SoapVersion::V11, body)).await;
                if let Err(e) = &exchange.result {
                    if e.unreachable() {
                        return Err(crate::common::http::unreachable(&p.env.url, e));
                    }
                }
                let accepted = accepted_as_notification(&exchange);
                cx.cite(["PSNTIF-R008"]).expect(
                    &format!("{label} is not accepted as a notification"),
                    accepted.is_none(),
                    "a non-200 answer or a SOAP fault",
                    accepted.unwrap_or_default(),
                )?;
            }
            p.notify("a valid status ping after the malformed requests", &p.n.status_ping(1), &["PSNTIF-R001"])
                .await?;
            Ok(())
        })
}

/// NTIF-R041: the event choice grows with schema versions; an element the listener does not
/// know is ignored, the notification answered.
fn unknown_event() -> Scenario {
    Scenario::new("push-listener/robust/unknown-event")
        .title("An event element from a later schema version is ignored and the notification answered")
        .section("MS-OXWSNTIF 2.2.4.8")
        .requirements(["NTIF-R041"])
        .caught_by("rejects-unknown-events")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            let send = p.n.send(p.n.notification(Some(1), false, p.n.events(&[EventKind::NewMail], 2)));
            let future = format!("<t:FutureChangedEvent><t:Watermark>{}</t:Watermark></t:FutureChangedEvent></m:Notification>", p.n.watermark(3));
            let body = write_send_notification(SoapVersion::V11, &send, &Prefixes::Conventional)
                .replacen("</m:Notification>", &future, 1);
            let exchange = p.post("a notification with an unknown event element", &Post::raw(SoapVersion::V11, body)).await;
            judge_answer(&cx, &exchange, &p.expect("a notification with an unknown event element", SoapVersion::V11, &["NTIF-R041"]))?;
            Ok(())
        })
}

/// PSNTIF-R007: prefixes carry no meaning; default namespaces and other prefixes are the same
/// message.
fn prefixes() -> Scenario {
    Scenario::new("push-listener/robust/prefixes")
        .title("Notifications with default namespaces or unusual prefixes are read like m:/t: ones")
        .section("MS-OXWSPSNTIF 2.3")
        .requirements(["PSNTIF-R007"])
        .caught_by("prefix-bound")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            let styles = [
                ("default namespace declarations", Prefixes::Default),
                (
                    "the prefixes ews: and typ:",
                    Prefixes::Custom("ews".into(), "typ".into()),
                ),
            ];
            for (i, (label, style)) in styles.into_iter().enumerate() {
                let send = p.n.send(p.n.notification(
                    Some(10 * i),
                    false,
                    p.n.events(&[EventKind::NewMail], 10 * i + 1),
                ));
                p.notify_as(
                    &format!("a notification written with {label}"),
                    &send,
                    SoapVersion::V11,
                    &style,
                    &["PSNTIF-R007"],
                )
                .await?;
            }
            Ok(())
        })
}

/// NTIF-R046: 500 events in one notification (about 300 KB) are still one notification.
fn large_notification() -> Scenario {
    Scenario::new("push-listener/robust/large-notification")
        .title("A notification of 500 events is answered")
        .section("MS-OXWSNTIF 2.2.4.8")
        .requirements(["NTIF-R046"])
        .caught_by("small-body-limit")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            let kinds: Vec<EventKind> = (0..500)
                .map(|i| {
                    if i % 2 == 0 {
                        EventKind::Created
                    } else {
                        EventKind::NewMail
                    }
                })
                .collect();
            let send =
                p.n.send(p.n.notification(Some(0), false, p.n.events(&kinds, 1)));
            p.notify("a notification of 500 events", &send, &["NTIF-R046"])
                .await?;
            Ok(())
        })
}

/// NTIF-R045: one Exchange sends for many subscriptions at once.
fn concurrent() -> Scenario {
    Scenario::new("push-listener/robust/concurrent")
        .title("Eight notifications sent at the same time are all answered")
        .section("MS-OXWSPSNTIF 3.1.4.1")
        .requirements(["NTIF-R045"])
        .caught_by("serial-only")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            let posts: Vec<Post> = (0..8)
                .map(|i| {
                    Post::notification(
                        SoapVersion::V11,
                        &p.n.status_ping(100 + i),
                        &Prefixes::Conventional,
                    )
                })
                .collect();
            let sends = posts.iter().enumerate().map(|(i, post)| {
                let title = format!("concurrent status ping {}", i + 1);
                let p = &p;
                async move { p.post(&title, post).await }
            });
            let exchanges = futures::future::join_all(sends).await;
            for (i, exchange) in exchanges.iter().enumerate() {
                judge_answer(
                    &cx,
                    exchange,
                    &p.expect(
                        &format!("concurrent status ping {}", i + 1),
                        SoapVersion::V11,
                        &["NTIF-R045"],
                    ),
                )?;
            }
            Ok(())
        })
}
