//! Who may submit (MS-OMS 3.1.1, 3.1.4.1.4.1): a wrong password or no user element is refused,
//! in an xmsResponse or as an authorization failure.

use crate::oms::server::probe::{codes_of, DeliverAnswer, Oms};
use harness::{Cx, Level, Scenario, Stop};
use wire::oms::{codes, AuthenticationType, DeliveryError};

/// A refused submission (wrong or missing credentials): invalidUser in an xmsResponse, or a
/// SOAP fault or HTTP 401/403 (MS-OMS 3: authorization failures may be reported that way).
async fn expect_refused_user(
    oms: &Oms,
    cx: &Cx,
    what: &str,
    payload: &str,
    code_reqs: &[&str],
) -> Result<(), Stop> {
    match oms.deliver_answer(payload).await? {
        DeliverAnswer::Response(r) => {
            let refused = r.errors.iter().any(DeliveryError::is_failure);
            cx.cite(["OMS-R101"]).expect(
                what,
                refused,
                "refused: an error element with severity \"failure\"",
                codes_of(&r.errors),
            )?;
            oms.expect_reported(
                &format!("{what}: code"),
                &r.errors,
                codes::INVALID_USER,
                code_reqs,
            )?;
            Ok(())
        }
        answer @ (DeliverAnswer::Fault { .. } | DeliverAnswer::Http { status: 401 | 403 }) => {
            cx.cite(["OMS-R101"])
                .check(what, true, "refused", answer.describe());
            cx.cite(["OMS-R099"]).level(Level::May).info(
                "refusal reported outside the xmsResponse",
                answer.describe(),
            );
            Ok(())
        }
        answer => cx.cite(["OMS-R101", "OMS-R099"]).expect(
            what,
            false,
            "invalidUser in an xmsResponse, a SOAP fault, or HTTP 401/403",
            answer.describe(),
        ),
    }
}

/// MS-OMS 3.1.1, 2.2.4.4, 3.1.4.1.4.1: only authenticated users submit. With authentication
/// "other" or "passport" the password is checked, so a wrong one is refused: invalidUser, or
/// a SOAP fault or HTTP 401/403 (MS-OMS 3, MAY).
pub(super) fn wrong_password() -> Scenario {
    Scenario::new("oms-server/deliver/wrong-password")
        .title("A message with a wrong password is refused (invalidUser, or a fault / 401 / 403)")
        .section("MS-OMS 2.2.4.4")
        .section("MS-OMS 3.1.1")
        .section("MS-OMS 3.1.4.1.4.1")
        .requirements(["OMS-R038", "OMS-R101", "OMS-R099", "OMS-R123"])
        .level(Level::Structure)
        .caught_by("accept-any-password")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            if info.authentication_type == AuthenticationType::FullTrust {
                return Err(Stop::skip(
                    "authenticationType fulltrust: a client certificate, no password, authenticates",
                ));
            }
            cx.cite(["OMS-R123"]).info(
                "authenticationType",
                format!(
                    "{}: the user name and password authenticate the sender",
                    info.authentication_type.as_str()
                ),
            );
            let mut data = oms.text_message(&info, &oms.recipients(1), "oxconf wrong password");
            if let Some(user) = data.user.as_mut() {
                user.password = Some("oxconf-not-the-password".into());
            }
            expect_refused_user(
                &oms,
                &cx,
                "message with a wrong password",
                &data.to_xml(),
                &["OMS-R038"],
            )
            .await
        })
}

/// MS-OMS 3.1.1: without a user element the sender is unknown, so the message is refused.
pub(super) fn no_credentials() -> Scenario {
    Scenario::new("oms-server/deliver/no-credentials")
        .title("A message without user element is refused")
        .section("MS-OMS 3.1.1")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R101"])
        .level(Level::Structure)
        .caught_by("accept-no-credentials")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.limits().await?;
            let mut data = oms.text_message(&info, &oms.recipients(1), "oxconf no credentials");
            data.user = None;
            expect_refused_user(
                &oms,
                &cx,
                "message without user element",
                &data.to_xml(),
                &["OMS-R101"],
            )
            .await
        })
}
