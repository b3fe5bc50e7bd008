//! push-subscriber scenarios: the Subscribe request the app sends (MS-OXWSNTIF 3.1.4.3), what
//! it understood of the answer, and its own listener when it has one. Only what the schema
//! and the specs require is judged: no SOAPAction is a warning at most, other legal headers
//! and any ExchangeVersionType value are accepted.

use super::claims;
use super::env::{Reported, Session};
use crate::common::findings::record_findings_for;
use crate::push::common::{judge_answer, post_notification, Expect, Notifications, Post};
use harness::{Level, Scenario, Stop};
use wire::ews::{ns, EwsRequest, Prefixes};
use wire::soap::SoapVersion;

pub fn all() -> Vec<Scenario> {
    vec![
        schema(
            "push-subscribe",
            "The Subscribe body is one m:Subscribe holding one m:PushSubscriptionRequest",
            "MS-OXWSNTIF 3.1.4.3",
            "NTIF-R020",
            &["pull-request"],
        ),
        schema(
            "element-order",
            "PushSubscriptionRequest's children are t: elements in schema order",
            "MS-OXWSNTIF 3.1.4.3.3.6",
            "NTIF-R021",
            &["wrong-order", "types-in-messages-ns"],
        ),
        schema(
            "event-types",
            "EventTypes holds NotificationEventTypeType values, never StatusEvent",
            "MS-OXWSNTIF 3.1.4.3.4.1",
            "NTIF-R022",
            &["status-event-type"],
        ),
        schema(
            "status-frequency",
            "StatusFrequency is an integer from 1 to 1440",
            "MS-OXWSNTIF 3.1.4.3.4.3",
            "NTIF-R023",
            &["bad-frequency"],
        ),
        schema(
            "url",
            "URL is an absolute http(s) URI shorter than 2083 characters",
            "MS-OXWSNTIF 3.1.4.3.3.6",
            "NTIF-R025",
            &["relative-url"],
        ),
        schema(
            "server-version",
            "RequestServerVersion, when sent, names an ExchangeVersionType value",
            "MS-OXWSNTIF 3.1.4.3",
            "NTIF-R026",
            &["bad-version"],
        ),
        sends_frequency(),
        sends_server_version(),
        soap_action(),
        credentials(),
        reports_ids(),
        reports_error(),
        own_listener(),
    ]
}

fn id(s: &str) -> String {
    format!("push-subscriber/{s}")
}

/// The Subscribe request's findings for one requirement (the wire reader's rules).
fn schema(name: &str, title: &str, section: &str, req: &'static str, faults: &[&str]) -> Scenario {
    let mut s = Scenario::new(id(&format!("request/{name}")))
        .title(title)
        .section(section)
        .requirements([req]);
    for f in faults {
        s = s.caught_by(*f);
    }
    s.passes_with("time-zone-header").run(move |cx| async move {
        let session = Session::run(&cx, None).await?;
        let a = session.subscribe_request()?;
        let received = a.item.parsed.as_ref().map_err(|e| {
            cx.cite([req]).fail(
                "the Subscribe request is a readable SOAP envelope",
                "a SOAP envelope",
                e.as_str(),
            )
        })?;
        if req == "NTIF-R020" {
            cx.cite([req]).expect(
                "the body is a push Subscribe",
                matches!(received.value, EwsRequest::Subscribe(_)),
                "m:Subscribe/m:PushSubscriptionRequest",
                format!("{:?}", received.value),
            )?;
        }
        record_findings_for(&cx, "the Subscribe request", &received.findings, &[req])
    })
}

fn push_request(session: &Session) -> Result<wire::ews::PushSubscriptionRequest, Stop> {
    match session
        .subscribe_request()?
        .item
        .parsed
        .as_ref()
        .map(|r| &r.value)
    {
        Ok(EwsRequest::Subscribe(p)) => Ok(p.clone()),
        _ => Err(Stop::inconclusive(
            "the app sent no readable push Subscribe (see push-subscriber/request/push-subscribe)",
        )),
    }
}

/// NTIF-R024: the schema requires StatusFrequency; the EWS reference calls it optional with a
/// default of 30, so a missing one is a warning.
fn sends_frequency() -> Scenario {
    Scenario::new(id("request/sends-status-frequency"))
        .title("The app sends StatusFrequency")
        .section("MS-OXWSNTIF 3.1.4.3.3.6")
        .requirements(["NTIF-R024"])
        .caught_by("no-frequency")
        .run(|cx| async move {
            let session = Session::run(&cx, None).await?;
            let p = push_request(&session)?;
            cx.checks().check(
                "StatusFrequency is sent",
                p.status_frequency.is_some(),
                "t:StatusFrequency",
                "absent (servers default to 30)",
            );
            Ok(())
        })
}

/// NTIF-R027: Exchange 2010 and later require RequestServerVersion; a SHOULD here.
fn sends_server_version() -> Scenario {
    Scenario::new(id("request/sends-server-version"))
        .title("The app sends t:RequestServerVersion")
        .section("MS-OXWSNTIF 3.1.4.3")
        .requirements(["NTIF-R027"])
        .caught_by("no-version-header")
        .run(|cx| async move {
            let session = Session::run(&cx, None).await?;
            let a = session.subscribe_request()?;
            let version = a
                .item
                .parsed
                .as_ref()
                .ok()
                .and_then(|r| r.server_version.clone());
            cx.checks().check(
                "RequestServerVersion is sent",
                version.is_some(),
                "t:RequestServerVersion Version=…",
                version.unwrap_or_else(|| "absent".into()),
            );
            Ok(())
        })
}

/// NTIF-R028: SOAP 1.1 asks for a SOAPAction; Exchange does not require one and the major
/// libraries send none: a missing one is a warning, a wrong one a failure of the SHOULD.
fn soap_action() -> Scenario {
    Scenario::new(id("request/soap-action"))
        .title("A SOAPAction, when sent, is the Subscribe operation's")
        .section("MS-OXWSNTIF 3.1.4.3")
        .requirements(["NTIF-R028"])
        .caught_by("wrong-soap-action")
        .run(|cx| async move {
            let session = Session::run(&cx, None).await?;
            let a = session.subscribe_request()?;
            let expected = ns::action("Subscribe");
            match a.item.header("soapaction") {
                None => cx.checks().level(Level::Should).check(
                    "a SOAPAction is sent",
                    false,
                    format!("\"{expected}\""),
                    "none (Exchange does not require one)",
                ),
                Some(v) => cx.checks().check(
                    "the SOAPAction names Subscribe",
                    v.trim().trim_matches('"') == expected,
                    &expected,
                    v,
                ),
            };
            Ok(())
        })
}

fn credentials() -> Scenario {
    Scenario::new(id("request/credentials"))
        .title("The Subscribe request carries the user's credentials")
        .section("MS-OXWSNTIF 3.1.4.3")
        .requirements(["NTIF-R029"])
        .caught_by("no-credentials")
        .run(|cx| async move {
            let session = Session::run(&cx, None).await?;
            let first = session.exchange.requests().snapshot();
            let authorized = first.iter().any(|a| a.item.status != 401);
            cx.checks().expect(
                "the app authenticates with the account it was given",
                authorized,
                "an accepted Authorization header",
                format!("{} request(s), all refused with 401", first.len()),
            )?;
            Ok(())
        })
}

/// NTIF-R030: the app keeps the SubscriptionId and Watermark the server returned.
fn reports_ids() -> Scenario {
    Scenario::new(id("understood/subscription"))
        .title("The app reports the SubscriptionId and Watermark the server returned")
        .section("MS-OXWSNTIF 3.1.4.3")
        .requirements(["NTIF-R030"])
        .caught_by("wrong-id-reported")
        .run(|cx| async move {
            let session = Session::run(&cx, None).await?;
            let subs = session.exchange.subscriptions();
            let Some(sub) = subs.last() else {
                return Err(Stop::inconclusive(
                    "the mock EWS endpoint made no subscription",
                ));
            };
            let expected = Reported::Subscribed {
                id: sub.id.clone(),
                watermark: sub.watermark.clone(),
            };
            cx.checks().expect_eq(
                "what the app understood",
                expected,
                session.reported.clone(),
            )?;
            Ok(())
        })
}

/// NTIF-R031: a Subscribe refused with ResponseClass Error is reported as an error.
fn reports_error() -> Scenario {
    Scenario::new(id("understood/error"))
        .title("A refused Subscribe (ErrorInvalidPushSubscriptionUrl) is reported as an error")
        .section("MS-OXWSNTIF 3.1.4.3")
        .requirements(["NTIF-R031"])
        .caught_by("error-as-success")
        .run(|cx| async move {
            let session = Session::run(&cx, Some("ErrorInvalidPushSubscriptionUrl")).await?;
            let ok = matches!(session.reported, Reported::Error(_));
            cx.checks().expect(
                "the refusal is reported as an error",
                ok,
                "{\"error\":\"ErrorInvalidPushSubscriptionUrl\"}",
                format!("{:?}", session.reported),
            )?;
            if let Reported::Error(code) = &session.reported {
                cx.checks().info("the error the app reported", code);
            }
            Ok(())
        })
}

/// With its own listener, the app answers the notifications pushed to the URL it gave, by
/// the push-listener checks.
fn own_listener() -> Scenario {
    Scenario::new(id("listener/answers"))
        .title("The app's own listener answers notifications for its subscription (push-listener checks)")
        .section("MS-OXWSPSNTIF 3.1.4.1")
        .requirements(["PSNTIF-R004", "PSNTIF-R018"])
        .needs(claims::OWN_LISTENER)
        .caught_by_breaking("listener-lowercase-ok", ["PSNTIF-R018"])
        .run(|cx| async move {
            let session = Session::run(&cx, None).await?;
            let p = push_request(&session)?;
            let Reported::Subscribed { id, .. } = &session.reported else {
                return Err(Stop::inconclusive("the app did not subscribe"));
            };
            let n = Notifications::new(&crate::common::nonce::Nonces::new().next(cx.id()), Some(id));
            let http = mocks::net::HttpClient::new(None);
            for (i, send) in [n.status_ping(1), n.send(n.notification(Some(1), false, n.events(&[wire::ews::EventKind::NewMail], 2)))].iter().enumerate() {
                let what = if i == 0 { "a status ping" } else { "a NewMail notification" };
                let post = Post::notification(SoapVersion::V11, send, &Prefixes::Conventional);
                let exchange = post_notification(&cx, &http, &p.url, what, &post).await;
                judge_answer(&cx, &exchange, &Expect { what, version: SoapVersion::V11, accept: &["PSNTIF-R004"], deadline: None })?;
            }
            Ok(())
        })
}
