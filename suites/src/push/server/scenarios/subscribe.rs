//! Subscribe and Unsubscribe for push (MS-OXWSNTIF 3.1.4.3, 3.1.4.4).

use super::Probe;
use crate::common::findings::record_findings_for;
use harness::Scenario;
use wire::ews::{EventKind, EwsRequest, EwsResponse, ResponseClass};

pub(super) fn all() -> Vec<Scenario> {
    vec![
        success(),
        invalid_frequency(),
        invalid_url(),
        invalid_event_types(),
        unsubscribe_push(),
    ]
}

/// NTIF-R001, R002, R017: Success/NoError with m:SubscriptionId and m:Watermark after the
/// ResponseMessageType children, and t:ServerVersionInfo in the header.
fn success() -> Scenario {
    Scenario::new("push-server/subscribe/success")
        .title("A push Subscribe succeeds with m:SubscriptionId and m:Watermark, and the answer carries ServerVersionInfo")
        .section("MS-OXWSNTIF 3.1.4.3")
        .requirements(["NTIF-R001", "NTIF-R002", "NTIF-R017"])
        .caught_by_breaking("subscribe-ids-in-types-ns", ["NTIF-R002"])
        .caught_by_breaking("no-server-version-info", ["NTIF-R017"])
        .run(|cx| async move {
            let p = Probe::new(&cx)?;
            let listener = p.listener(Default::default()).await?;
            let r = p.subscribe_raw(p.request(&listener.url(), &[EventKind::NewMail])).await?;
            cx.cite(["NTIF-R017"]).expect(
                "the response header carries t:ServerVersionInfo",
                r.server_version.is_some(),
                "t:ServerVersionInfo",
                "none",
            )?;
            record_findings_for(&cx, "the SubscribeResponse", &r.findings, &["NTIF-R002"])?;
            let m = Probe::subscribe_message(&r).map_err(|e| cx.cite(["NTIF-R001"]).fail("Subscribe answers a SubscribeResponseMessage", "Success", e))?;
            cx.cite(["NTIF-R001"]).expect(
                "the push Subscribe succeeds",
                m.response.class == ResponseClass::Success && m.response.response_code.as_deref() == Some("NoError"),
                "Success / NoError",
                format!("{} / {}", m.response.class.as_str(), m.response.response_code.as_deref().unwrap_or("(none)")),
            )?;
            cx.cite(["NTIF-R001"]).expect("a SubscriptionId is returned", m.subscription_id.as_deref().is_some_and(|s| !s.is_empty()), "a non-empty m:SubscriptionId", format!("{:?}", m.subscription_id))?;
            cx.cite(["NTIF-R001"]).expect("a Watermark is returned", m.watermark.as_deref().is_some_and(|s| !s.is_empty()), "a non-empty m:Watermark", format!("{:?}", m.watermark))?;
            // Stop the subscription: the listener answers Unsubscribe from now on.
            listener.set_script(mocks::ews::listener::Script::always(mocks::ews::listener::Answer::Unsubscribe));
            Ok(())
        })
}

/// A Subscribe the server must refuse: an Error response message, or a SOAP fault for a
/// request that fails schema validation (both are refusals; which one is the server's choice).
async fn refused(
    p: &Probe,
    what: &str,
    req: &[&str],
    edit: impl FnOnce(&mut wire::ews::PushSubscriptionRequest),
) -> Result<Option<String>, harness::Stop> {
    let listener = p
        .listener(mocks::ews::listener::Script::always(
            mocks::ews::listener::Answer::Unsubscribe,
        ))
        .await?;
    let mut r = p.request(&listener.url(), &[EventKind::NewMail]);
    edit(&mut r);
    let answer = p.subscribe_raw(r).await?;
    let (refused, code) = match &answer.value {
        EwsResponse::Fault { code, .. } => (true, Some(format!("SOAP fault {code}"))),
        EwsResponse::Subscribe(list) => match list.first() {
            Some(m) => (
                m.response.class == ResponseClass::Error,
                m.response.response_code.clone(),
            ),
            None => (false, None),
        },
        _ => (false, None),
    };
    p.cx.cite(req.iter().copied()).expect(
        &format!("a Subscribe with {what} is refused"),
        refused,
        "ResponseClass Error (or a SOAP fault)",
        code.clone().unwrap_or_else(|| "accepted".into()),
    )?;
    Ok(code)
}

fn invalid_frequency() -> Scenario {
    Scenario::new("push-server/subscribe/invalid-status-frequency")
        .title("StatusFrequency 0 and 1441 are refused")
        .section("MS-OXWSNTIF 3.1.4.3.4.3")
        .requirements(["NTIF-R003"])
        .caught_by("accepts-bad-frequency")
        .run(|cx| async move {
            let p = Probe::new(&cx)?;
            for value in ["0", "1441"] {
                refused(
                    &p,
                    &format!("StatusFrequency {value}"),
                    &["NTIF-R003"],
                    |r| r.status_frequency = Some(value.into()),
                )
                .await?;
            }
            Ok(())
        })
}

fn invalid_url() -> Scenario {
    Scenario::new("push-server/subscribe/invalid-url")
        .title("A push URL that is not an absolute http(s) URI is refused with ErrorInvalidPushSubscriptionUrl")
        .section("MS-OXWSNTIF 3.1.4.3.3.6")
        .requirements(["NTIF-R004", "NTIF-R005"])
        .caught_by_breaking("accepts-bad-url", ["NTIF-R004"])
        .caught_by_breaking("wrong-url-error-code", ["NTIF-R005"])
        .run(|cx| async move {
            let p = Probe::new(&cx)?;
            for url in ["ftp://127.0.0.1/push", "not a url"] {
                let code = refused(&p, &format!("URL {url:?}"), &["NTIF-R004"], |r| r.url = url.into()).await?;
                cx.cite(["NTIF-R005"]).check(
                    &format!("the refusal of {url:?} names ErrorInvalidPushSubscriptionUrl"),
                    code.as_deref() == Some("ErrorInvalidPushSubscriptionUrl"),
                    "ErrorInvalidPushSubscriptionUrl",
                    code.unwrap_or_default(),
                );
            }
            Ok(())
        })
}

fn invalid_event_types() -> Scenario {
    Scenario::new("push-server/subscribe/invalid-event-types")
        .title("EventTypes with StatusEvent or an unknown value is refused")
        .section("MS-OXWSNTIF 3.1.4.3.4.1")
        .requirements(["NTIF-R006"])
        .caught_by("accepts-status-event")
        .run(|cx| async move {
            let p = Probe::new(&cx)?;
            for value in ["StatusEvent", "NewMail"] {
                refused(&p, &format!("EventType {value:?}"), &["NTIF-R006"], |r| {
                    r.event_types = vec![value.into()]
                })
                .await?;
            }
            Ok(())
        })
}

/// NTIF-R007: Unsubscribe is for pull and streaming; a push id gets ErrorInvalidSubscription
/// (openspec) or ErrorInvalidPullSubscriptionId (EWS reference): either is accepted.
fn unsubscribe_push() -> Scenario {
    Scenario::new("push-server/subscribe/unsubscribe-push-id")
        .title("Unsubscribe with a push SubscriptionId fails")
        .section("MS-OXWSNTIF 3.1.4.4")
        .requirements(["NTIF-R007"])
        .caught_by("unsubscribe-push-succeeds")
        .run(|cx| async move {
            let p = Probe::new(&cx)?;
            let s = p
                .subscribe_with(
                    mocks::ews::listener::Script::always(mocks::ews::listener::Answer::Unsubscribe),
                    &[EventKind::NewMail],
                    |_| {},
                )
                .await?;
            let r = super::ews::call(
                &cx,
                &p.env,
                &EwsRequest::Unsubscribe {
                    subscription_id: s.id.clone(),
                },
            )
            .await?;
            let (class, code) = match &r.value {
                EwsResponse::Unsubscribe(list) => list
                    .first()
                    .map(|m| (m.class, m.response_code.clone()))
                    .unwrap_or((ResponseClass::Success, None)),
                EwsResponse::Fault { code, .. } => {
                    (ResponseClass::Error, Some(format!("SOAP fault {code}")))
                }
                _ => (ResponseClass::Success, None),
            };
            let code = code.unwrap_or_default();
            cx.checks().expect(
                "Unsubscribe of a push subscription fails",
                class == ResponseClass::Error,
                "ResponseClass Error (ErrorInvalidSubscription or ErrorInvalidPullSubscriptionId)",
                format!("{} {code}", class.as_str()),
            )?;
            if !matches!(
                code.as_str(),
                "ErrorInvalidSubscription" | "ErrorInvalidPullSubscriptionId"
            ) {
                cx.checks().info("the ResponseCode of the refusal", code);
            }
            Ok(())
        })
}
