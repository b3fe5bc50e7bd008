//! GetUserInfo (MS-OMS 3.1.4.2): the account behind a set of credentials, or why not.

use crate::oms::profile_keys::Account;
use crate::oms::server::claims;
use crate::oms::server::probe::{shown, Oms};
use harness::{Level, Scenario, Stop};
use wire::oms::{codes, AuthenticationType, Operation, UserInfo, XmsUser};

pub(super) fn all() -> Vec<Scenario> {
    vec![
        ok(),
        invalid_user(),
        unregistered_user(),
        expired_user(),
        custom_data_ignored(),
    ]
}

/// The codes 3.1.4.2.3.3 lists for a failed call.
const LISTED_FAILURES: &[&str] = &[
    codes::INVALID_USER,
    codes::UNREGISTERED_USER,
    codes::EXPIRED_USER,
];

fn xms_user_for(account: &Account) -> XmsUser {
    XmsUser {
        client: Some("oxconf".into()),
        user_id: Some(account.user.clone()),
        password: Some(account.password.clone()),
        custom_data: None,
    }
}

/// A success code in any letter case: "OK" as the text says, "ok" as its example (E-OMS-07).
fn is_success(code: &str) -> bool {
    code.eq_ignore_ascii_case(codes::USER_OK)
}

/// MS-OMS 3.1.4.2.2.2, 3.1.4.2.3.2, 3.1.4.2.3.3: valid credentials give an escaped userInfo with
/// the account's reply phone and SMTP address and the code "OK".
fn ok() -> Scenario {
    Scenario::new("oms-server/user-info/ok")
        .title("Valid credentials give a userInfo with replyPhone, smtpAddress and code \"OK\"")
        .section("MS-OMS 3.1.4.2.3.2")
        .section("MS-OMS 3.1.4.2.3.3")
        .requirements([
            "OMS-R127", "OMS-R128", "OMS-R132", "OMS-R133", "OMS-R138", "OMS-R129", "OMS-R130",
        ])
        .level(Level::Must)
        .caught_by("user-info-no-error-element")
        // "ok" is the 4.2 example's spelling and only warns (E-OMS-07); any other spelling,
        // "Ok" included, is neither and fails (codes are case-sensitive, E-OMS-28).
        .caught_by_breaking("user-info-mixed-case-ok", ["OMS-R133"])
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let info = oms.user_info(&oms.xms_user()).await?;
            let Some(error) = &info.error else {
                return Err(cx.cite(["OMS-R128"]).fail(
                    "userInfo/error",
                    "an error element (required; it carries the outcome)",
                    "absent",
                ));
            };
            let Some(code) = error.code.as_deref() else {
                return Err(cx.cite(["OMS-R132"]).fail(
                    "userInfo/error/@code",
                    "a code attribute (required)",
                    "absent",
                ));
            };
            cx.cite(["OMS-R132"])
                .check("userInfo/error/@code", true, "a code attribute (required)", code);
            if code == codes::USER_OK {
                cx.cite(["OMS-R133"])
                    .check("success code", true, "\"OK\"", format!("{code:?}"));
            } else if code == codes::OK {
                cx.cite(["OMS-R133"]).deviation(
                    "success code",
                    "E-OMS-07",
                    "\"OK\" (3.1.4.2.3.3; the 4.2 example writes \"ok\")",
                    format!("{code:?}"),
                );
            } else {
                cx.cite(["OMS-R133"]).expect(
                    "success code",
                    false,
                    "\"OK\" (or the 4.2 example's \"ok\", E-OMS-07); codes are case-sensitive (E-OMS-28)",
                    format!("{code:?}"),
                )?;
            }
            match error.severity.as_deref() {
                Some(severity) => cx.cite(["OMS-R138"]).expect(
                    "severity of a successful call",
                    severity == codes::NEUTRAL,
                    "\"neutral\"",
                    format!("{severity:?}"),
                )?,
                None => cx
                    .cite(["OMS-R138"])
                    .info("severity of a successful call", "omitted (optional, E-OMS-20)"),
            }
            let phone = info.reply_phone.as_deref().map(str::trim).unwrap_or_default();
            cx.cite(["OMS-R129"]).expect(
                "replyPhone",
                !phone.is_empty(),
                "the mobile number the user signed up with",
                if phone.is_empty() { "absent or empty" } else { phone },
            )?;
            match info.smtp_address.as_deref().map(str::trim) {
                Some(address) => cx.cite(["OMS-R130"]).expect(
                    "smtpAddress",
                    wire::mail::is_addr_spec(address),
                    "an RFC 5322 addr-spec (local@domain)",
                    format!("{address:?}"),
                ),
                None if cx.claimed(claims::REPLIES.name) => cx.cite(["OMS-R130"]).expect(
                    "smtpAddress",
                    false,
                    "the address phone replies are delivered through (the profile configures replies)",
                    "absent",
                ),
                None => {
                    cx.cite(["OMS-R130"]).info(
                        "smtpAddress",
                        "absent (optional; the profile configures no phone replies)",
                    );
                    Ok(())
                }
            }
        })
}

/// Judges a refused GetUserInfo: a failure code (`refused_reqs`), the listed code `expected`
/// (`code_req`; a provider-defined failure code is a warning, E-OMS-31) and severity "failure"
/// when present (OMS-R138).
fn judge_refusal(
    oms: &Oms,
    info: &UserInfo,
    expected: &str,
    code_req: &str,
    refused_reqs: &[&str],
) -> Result<(), Stop> {
    let cx = &oms.cx;
    let code = info
        .error
        .as_ref()
        .and_then(|e| e.code.as_deref())
        .unwrap_or_default();
    cx.cite(refused_reqs.iter().copied()).expect(
        "GetUserInfo refused",
        !code.is_empty() && !is_success(code),
        "a failure code (invalidUser, unregisteredUser, expiredUser or a provider-defined one)",
        if code.is_empty() {
            "no code".to_string()
        } else {
            format!("{code:?}")
        },
    )?;
    let checks = cx.cite([code_req]);
    if code == expected {
        checks.check(
            "failure code",
            true,
            format!("{expected:?}"),
            format!("{code:?}"),
        );
    } else if LISTED_FAILURES
        .iter()
        .any(|listed| listed.eq_ignore_ascii_case(code))
    {
        checks.expect(
            "failure code",
            false,
            format!("{expected:?} (case-sensitive, E-OMS-28)"),
            format!("{code:?}"),
        )?;
    } else if expected == codes::UNREGISTERED_USER && code == "unregistered" {
        checks.expect(
            "failure code",
            false,
            "\"unregisteredUser\" (the 4.2 example's \"unregistered\" is not the listed value, E-OMS-08)",
            format!("{code:?}"),
        )?;
    } else {
        checks.deviation(
            "failure code",
            "E-OMS-31",
            format!("the listed code {expected:?}"),
            format!("provider-defined code {code:?}"),
        );
    }
    match info.error.as_ref().and_then(|e| e.severity.as_deref()) {
        Some(severity) => cx.cite(["OMS-R138"]).expect(
            "severity of a failed call",
            severity == codes::FAILURE,
            "\"failure\"",
            format!("{severity:?}"),
        ),
        None => {
            cx.cite(["OMS-R138"])
                .info("severity of a failed call", "omitted (optional, E-OMS-20)");
            Ok(())
        }
    }
}

/// MS-OMS 3.1.4.2.3.3, 3.1.4.1.4.1: a wrong password is refused with invalidUser; with
/// authenticationType "other" (or passport) user name and password are what authenticates.
fn invalid_user() -> Scenario {
    Scenario::new("oms-server/user-info/invalid-user")
        .title("A wrong password gives code invalidUser with severity failure")
        .section("MS-OMS 3.1.4.2.3.3")
        .section("MS-OMS 3.1.4.1.4.1")
        .requirements(["OMS-R134", "OMS-R135", "OMS-R138", "OMS-R123"])
        .level(Level::Must)
        .caught_by("accept-any-password")
        .caught_by("failure-codes-neutral")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let auth = oms.limits().await?.authentication_type;
            if auth == AuthenticationType::FullTrust {
                return Err(Stop::skip(
                    "authenticationType is fulltrust: the service authenticates by client \
                     certificate, so a wrong password proves nothing (MS-OMS 3.1.4.1.4.1)",
                ));
            }
            cx.cite(["OMS-R123"]).info(
                "authentication method",
                format!("{}: user name and password decide", auth.as_str()),
            );
            let mut user = oms.xms_user();
            user.password = Some(format!(
                "{}-wrong",
                user.password.as_deref().unwrap_or_default()
            ));
            let info = oms.user_info(&user).await?;
            judge_refusal(
                &oms,
                &info,
                codes::INVALID_USER,
                "OMS-R135",
                &["OMS-R134", "OMS-R123"],
            )
        })
}

/// MS-OMS 3.1.4.2.3.3: an account without the service gets unregisteredUser.
fn unregistered_user() -> Scenario {
    Scenario::new("oms-server/user-info/unregistered-user")
        .title("An unregistered account gives code unregisteredUser with severity failure")
        .section("MS-OMS 3.1.4.2.3.3")
        .requirements(["OMS-R136", "OMS-R134", "OMS-R138"])
        .level(Level::Must)
        .needs(claims::UNREGISTERED_USER)
        .caught_by("unregistered-code-short")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let Some(account) = oms.env.accounts.unregistered.clone() else {
                return Err(Stop::skip(claims::UNREGISTERED_USER.hint));
            };
            let info = oms.user_info(&xms_user_for(&account)).await?;
            judge_refusal(
                &oms,
                &info,
                codes::UNREGISTERED_USER,
                "OMS-R136",
                &["OMS-R134"],
            )
        })
}

/// MS-OMS 3.1.4.2.3.3: a prepaid account with no credit left gets expiredUser.
fn expired_user() -> Scenario {
    Scenario::new("oms-server/user-info/expired-user")
        .title("An expired prepaid account gives code expiredUser with severity failure")
        .section("MS-OMS 3.1.4.2.3.3")
        .requirements(["OMS-R137", "OMS-R138"])
        .level(Level::Must)
        .needs(claims::EXPIRED_USER)
        .caught_by("expired-as-ok")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let Some(account) = oms.env.accounts.expired.clone() else {
                return Err(Stop::skip(claims::EXPIRED_USER.hint));
            };
            let info = oms.user_info(&xms_user_for(&account)).await?;
            judge_refusal(&oms, &info, codes::EXPIRED_USER, "OMS-R137", &["OMS-R137"])
        })
}

/// customData values that must all leave the answer unchanged: none, empty, and text that
/// needs escaping at both levels (inside xmsUser, and xmsUser inside the SOAP element).
fn custom_data_variants(nonce: &str) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("no customData", None),
        ("empty customData", Some(String::new())),
        (
            "odd customData",
            Some(format!(
                "<x a=\"1\">&amp; ]]> {nonce} \u{4f60}\u{597d} \u{1f600}</x> <!-- -->"
            )),
        ),
    ]
}

/// The userInfo for `user`, read but not judged: its schema is oms-server/user-info/ok's job.
async fn user_info_value(oms: &Oms, user: &XmsUser) -> Result<UserInfo, Stop> {
    let call = oms
        .call(Operation::GetUserInfo, oms.soap(), Some(&user.to_xml()))
        .await?;
    let payload = oms.expect_result(&call)?;
    UserInfo::parse(&payload).map(|p| p.value).map_err(|e| {
        Stop::inconclusive(format!(
            "the userInfo this scenario compares is unreadable ({e}); see oms-server/user-info/ok"
        ))
    })
}

/// A userInfo in one line for the sides of a check.
fn describe_user_info(u: &UserInfo) -> String {
    let (code, severity) = u
        .error
        .as_ref()
        .map(|e| (e.code.as_deref(), e.severity.as_deref()))
        .unwrap_or((None, None));
    format!(
        "replyPhone {}, smtpAddress {}, error code {} severity {}, customData {}",
        shown(u.reply_phone.as_deref()),
        shown(u.smtp_address.as_deref()),
        shown(code),
        shown(severity),
        shown(u.custom_data.as_deref()),
    )
}

/// MS-OMS 3.1.4.2.3.1: "Protocol server MUST ignore" xmsUser/customData.
fn custom_data_ignored() -> Scenario {
    Scenario::new("oms-server/user-info/custom-data-ignored")
        .title("GetUserInfo answers the same with no, empty or odd customData")
        .section("MS-OMS 3.1.4.2.3.1")
        .requirements(["OMS-R126"])
        .level(Level::Must)
        .caught_by("echo-custom-data")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let mut answers = Vec::new();
            for (what, custom_data) in custom_data_variants(&oms.nonce()) {
                let mut user = oms.xms_user();
                user.custom_data = custom_data;
                answers.push((what, user_info_value(&oms, &user).await?));
            }
            let (base_what, base) = &answers[0];
            let base_code = base
                .error
                .as_ref()
                .and_then(|e| e.code.as_deref())
                .unwrap_or_default();
            if !is_success(base_code) {
                return Err(Stop::inconclusive(format!(
                    "GetUserInfo with {base_what} did not succeed (code {base_code:?}); see \
                     oms-server/user-info/ok"
                )));
            }
            let mut ok = true;
            for (what, answer) in &answers[1..] {
                ok &= cx.checks().check(
                    &format!("userInfo with {what}, compared with {base_what}"),
                    base == answer,
                    format!("the same userInfo: {}", describe_user_info(base)),
                    describe_user_info(answer),
                );
            }
            if ok {
                Ok(())
            } else {
                Err(Stop::Failed)
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("OK", true)]
    #[case("ok", true)]
    #[case("invalidUser", false)]
    #[case("", false)]
    fn success_codes(#[case] code: &str, #[case] success: bool) {
        assert_eq!(is_success(code), success);
    }

    #[test]
    fn odd_custom_data_survives_both_escaping_levels() {
        let variants = custom_data_variants("n0");
        let odd = variants[2].1.clone();
        let user = XmsUser {
            custom_data: odd.clone(),
            ..XmsUser::default()
        };
        let soap = wire::oms::request(
            Operation::GetUserInfo,
            wire::soap::SoapVersion::V11,
            Some(&user.to_xml()),
        );
        let read = wire::oms::parse_request(&soap.headers, &soap.body).unwrap();
        let back = XmsUser::parse(read.payload.as_deref().unwrap()).unwrap();
        assert_eq!(back.value.custom_data, odd);
    }
}
