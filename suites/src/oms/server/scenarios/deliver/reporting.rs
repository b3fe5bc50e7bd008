//! How outcomes are reported (MS-OMS 2.2.4.4): every error element pairs its code with the
//! right severity and content, and a change of the service information is announced with
//! serviceUpdate.

use super::material::{ascii_text, is_code, MAX_PROVOKED};
use crate::common::trigger;
use crate::oms::server::claims;
use crate::oms::server::probe::{codes_of, shown, text_ceiling, DeliverAnswer, Oms};
use harness::{Cx, Level, Scenario, Stop};
use std::sync::Arc;
use wire::oms::schedule::is_minute_precision;
use wire::oms::{codes, DeliveryError, XmsData};

/// MS-OMS 2.2.4.4: in answers to a valid message, an invalid recipient, a partial delivery, an
/// over-long text and a wrong password, every error element pairs its code with the right
/// severity and content.
pub(super) fn severity_pairs() -> Scenario {
    Scenario::new("oms-server/deliver/severity-pairs")
        .title("ok is neutral, failure codes are failure, contents have their form")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R036", "OMS-R037", "OMS-R033"])
        .level(Level::Must)
        .caught_by("failure-codes-neutral")
        .caught_by_breaking("ok-with-failure-severity-on-partial", ["OMS-R036"])
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let to = oms.recipients(1);
            let mut cases: Vec<(&str, &str, XmsData)> = vec![
                (
                    "valid message",
                    codes::OK,
                    oms.text_message(&info, &to, "oxconf pairs"),
                ),
                (
                    "message to an invalid recipient",
                    codes::INVALID_RECIPIENT,
                    oms.text_message(
                        &info,
                        std::slice::from_ref(&oms.env.invalid_recipient),
                        "oxconf pairs",
                    ),
                ),
            ];
            let mut partial = oms.recipients(1);
            partial.push(oms.env.invalid_recipient.clone());
            cases.push((
                "partial delivery (a valid and an invalid recipient)",
                codes::INVALID_RECIPIENT,
                oms.text_message(&info, &partial, "oxconf pairs"),
            ));
            if let Some(sender) = &info.supported_service.sms {
                let (sb, _) = text_ceiling(sender);
                if sb < MAX_PROVOKED {
                    cases.push((
                        "over-long text",
                        codes::LENGTH_LIMIT,
                        oms.sms(&to, &ascii_text(sb + 1)),
                    ));
                }
            }
            let mut wrong = oms.text_message(&info, &to, "oxconf pairs");
            if let Some(user) = wrong.user.as_mut() {
                user.password = Some("oxconf-not-the-password".into());
            }
            for (what, code, data) in cases {
                let r = oms.deliver_citing(&data, &["OMS-R094", "OMS-R033"]).await?;
                note_provoked(&cx, what, code, &r.errors);
                oms.expect_pairing(&format!("answer to the {what}"), &r.errors)?;
            }
            match oms.deliver_answer(&wrong.to_xml()).await? {
                DeliverAnswer::Response(r) => {
                    note_provoked(&cx, "wrong password", codes::INVALID_USER, &r.errors);
                    oms.expect_pairing("answer to the wrong password", &r.errors)?;
                }
                other => cx.checks().info(
                    "wrong password",
                    format!(
                        "answered outside the xmsResponse, nothing to pair: {}",
                        other.describe()
                    ),
                ),
            }
            Ok(())
        })
}

fn note_provoked(cx: &Cx, what: &str, code: &str, errors: &[DeliveryError]) {
    let seen = if errors.iter().any(|e| is_code(e, code)) {
        format!("{code} provoked: {}", codes_of(errors))
    } else {
        format!(
            "{code} not provoked (its own scenario judges that): {}",
            codes_of(errors)
        )
    };
    cx.checks().info(what, seen);
}

/// MS-OMS 2.2.4.4: after a change of the service information, responses SHOULD carry
/// serviceUpdate; when one does, its code is "serviceUpdate" exactly (E-OMS-06), its severity
/// neutral and its content the change's minute in UTC. The scenario is MUST-level because
/// only those MUST rules fail it; a missing serviceUpdate warns (its own check is SHOULD).
pub(super) fn service_update() -> Scenario {
    Scenario::new("oms-server/deliver/service-update")
        .title("After a service change, DeliverXms answers carry serviceUpdate with a UTC minute")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R057", "OMS-R058", "OMS-R059"])
        .level(Level::Must)
        .needs(claims::SERVICE_UPDATE)
        .caught_by("service-update-bad-timestamp")
        .caught_by("service-update-missing")
        .caught_by_breaking("service-update-failure-severity", ["OMS-R058"])
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            // The reference peer's change would show in every scenario running meanwhile:
            // change a private one instead.
            let oms = match oms.env.private_reference().await {
                Ok(Some(env)) => {
                    cx.note(format!(
                        "the service information is changed on a private reference peer at {}",
                        env.caller.url
                    ));
                    Oms::with_env(&cx, Arc::new(env))
                }
                Ok(None) => oms,
                Err(e) => {
                    return Err(Stop::error(format!(
                        "cannot start a private reference peer: {e}"
                    )))
                }
            };
            let Some(change) = oms.env.service_update.clone() else {
                return Err(Stop::skip(claims::SERVICE_UPDATE.hint));
            };
            let run = trigger::fire(&cx, &change, "service-update trigger", &[]).await;
            trigger::succeeded(&run, "the service information could not be changed")?;
            let info = oms.limits().await?;
            let data = oms.text_message(&info, &oms.recipients(1), "oxconf after a service change");
            let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
            let found = r.errors.iter().find(|e| {
                e.code
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(codes::SERVICE_UPDATE))
            });
            cx.cite(["OMS-R057"]).level(Level::Should).check(
                "serviceUpdate after a change of the service information",
                found.is_some(),
                "an error element with code \"serviceUpdate\"",
                codes_of(&r.errors),
            );
            let Some(e) = found else {
                return Ok(());
            };
            let code = e.code.clone().unwrap_or_default();
            // The spelling check of OMS-R058 cannot fail: another letter case is tolerated
            // (E-OMS-06, E-OMS-28), and a code that is not "serviceUpdate" in some letter case
            // cannot be told from a provider-defined code, so it counts as no serviceUpdate
            // (OMS-R057, SHOULD). OMS-R058 fails on the severity, below.
            if code == codes::SERVICE_UPDATE {
                cx.cite(["OMS-R058"]).level(Level::Must).check(
                    "code spelling",
                    true,
                    "\"serviceUpdate\"",
                    format!("{code:?}"),
                );
            } else {
                cx.cite(["OMS-R058"]).deviation(
                    "code spelling",
                    "E-OMS-06",
                    "\"serviceUpdate\" exactly",
                    format!("{code:?}"),
                );
            }
            let severity_ok = cx.cite(["OMS-R058"]).level(Level::Must).check(
                "severity of serviceUpdate",
                e.severity.as_deref() == Some(codes::NEUTRAL),
                "\"neutral\"",
                shown(e.severity.as_deref()),
            );
            let content_ok = cx.cite(["OMS-R059"]).level(Level::Must).check(
                "content of serviceUpdate",
                e.content
                    .as_deref()
                    .is_some_and(|c| is_minute_precision(c.trim())),
                "a UTC time YYYY-MM-DDThh:mm:00Z (seconds \"00\")",
                shown(e.content.as_deref()),
            );
            if severity_ok && content_ok {
                Ok(())
            } else {
                Err(Stop::Failed)
            }
        })
}
