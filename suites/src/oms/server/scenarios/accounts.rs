//! Account-dependent delivery error codes (MS-OMS 2.2.4.4): situations only an account or a
//! recipient the profile names can provoke (unregistered, expired, SMS-only, quotas, balance,
//! carriers, network, policy).
//!
//! Account states that deny the service altogether (unregistered, expired, ceased) may also be
//! refused as authorization failures (MS-OMS 3: HTTP status or SOAP fault); that is accepted
//! with a warning, because the listed code is what tells the client why.

use crate::common::media;
use crate::oms::profile_keys::Account;
use crate::oms::server::claims;
use crate::oms::server::env::ServerEnv;
use crate::oms::server::probe::{codes_of, recipient_set, shown, DeliverAnswer, Oms};
use harness::{Claim, Cx, Level, Scenario, Stop};
use wire::oms::{codes, DeliveryError, XmsData};

pub(super) fn all() -> Vec<Scenario> {
    let [expired_user, cross_carrier, daily_limit, monthly_limit, service_network, ceased_service] =
        PROVOKED.map(provoked);
    vec![
        unregistered_user(),
        unregistered_service(),
        expired_user,
        cross_carrier,
        invalid_char(),
        daily_limit,
        monthly_limit,
        service_network,
        low_balance(),
        ceased_service,
    ]
}

/// What the profile names to provoke a code, and how the answer is judged.
#[derive(Clone, Copy)]
enum Provocation {
    /// A text message from an account in a state that denies the service, answered with the
    /// code (see `account_state`).
    AccountState(fn(&ServerEnv) -> &Option<Account>),
    /// A text message from an account whose quota is used up, answered with the code, the
    /// limit and the unsent recipients (see `quota_exhausted`).
    QuotaUsedUp(fn(&ServerEnv) -> &Option<Account>),
    /// A text message to a valid recipient and this one, answered with the code listing
    /// exactly this one (see `listed_recipient_failure`).
    Recipient(fn(&ServerEnv) -> &Option<String>),
}

/// A scenario provoking one listed code with an account or a recipient the profile names;
/// the rows differ in nothing but this data.
#[derive(Clone, Copy)]
struct Provoked {
    id: &'static str,
    title: &'static str,
    /// The requirement of the code, cited by its checks.
    requirement: &'static str,
    /// Further requirements the scenario checks (recipientList, OMS-R035).
    also: &'static [&'static str],
    claim: Claim,
    fault: &'static str,
    provocation: Provocation,
    /// The provoking message, for the checks.
    what: &'static str,
    code: &'static str,
}

/// All in MS-OMS 2.2.4.4.
const PROVOKED: [Provoked; 6] = [
    // A prepaid user without credit, or with an expired registration, gets expiredUser.
    Provoked {
        id: "oms-server/accounts/expired-user",
        title: "A message from an expired user gets expiredUser",
        requirement: "OMS-R041",
        also: &[],
        claim: claims::EXPIRED_USER,
        fault: "expired-as-ok",
        provocation: Provocation::AccountState(|env| &env.accounts.expired),
        what: "message from the expired user",
        code: codes::EXPIRED_USER,
    },
    // A recipient on a carrier the sender's carrier does not serve is reported with
    // crossCarrier, listing exactly that recipient.
    Provoked {
        id: "oms-server/accounts/cross-carrier",
        title: "A cross-carrier recipient gets crossCarrier listing exactly that recipient",
        requirement: "OMS-R043",
        also: &["OMS-R035"],
        claim: claims::CROSS_CARRIER,
        fault: "cross-carrier-ok",
        provocation: Provocation::Recipient(|env| &env.cross_carrier_recipient),
        what: "message to a valid and a cross-carrier recipient",
        code: codes::CROSS_CARRIER,
    },
    // A user over the daily quota gets perDayMsgLimit.
    Provoked {
        id: "oms-server/accounts/daily-limit",
        title: "A user over the daily quota gets perDayMsgLimit with \"<n> SMS\" and the unsent recipients",
        requirement: "OMS-R046",
        also: &[],
        claim: claims::DAY_LIMITED_USER,
        fault: "daily-limit-ignored",
        provocation: Provocation::QuotaUsedUp(|env| &env.accounts.day_limited),
        what: "message from the user over the daily quota",
        code: codes::PER_DAY_MSG_LIMIT,
    },
    // A user over the monthly quota gets perMonthMsgLimit.
    Provoked {
        id: "oms-server/accounts/monthly-limit",
        title: "A user over the monthly quota gets perMonthMsgLimit with \"<n> SMS\" and the unsent recipients",
        requirement: "OMS-R047",
        also: &[],
        claim: claims::MONTH_LIMITED_USER,
        fault: "monthly-limit-ignored",
        provocation: Provocation::QuotaUsedUp(|env| &env.accounts.month_limited),
        what: "message from the user over the monthly quota",
        code: codes::PER_MONTH_MSG_LIMIT,
    },
    // A recipient the service cannot reach for its own network problem is reported with
    // serviceNetwork, listing exactly that recipient.
    Provoked {
        id: "oms-server/accounts/service-network",
        title: "An unreachable recipient gets serviceNetwork listing exactly that recipient",
        requirement: "OMS-R052",
        also: &[],
        claim: claims::UNREACHABLE,
        fault: "network-failure-ok",
        provocation: Provocation::Recipient(|env| &env.unreachable_recipient),
        what: "message to a valid and an unreachable recipient",
        code: codes::SERVICE_NETWORK,
    },
    // A user whose service was terminated gets ceasedService.
    Provoked {
        id: "oms-server/accounts/ceased-service",
        title: "A message from a user whose service ceased gets ceasedService",
        requirement: "OMS-R055",
        also: &[],
        claim: claims::CEASED_USER,
        fault: "ceased-as-ok",
        provocation: Provocation::AccountState(|env| &env.accounts.ceased),
        what: "message from the user whose service ceased",
        code: codes::CEASED_SERVICE,
    },
];

/// The scenario of one row of `PROVOKED`: skipped without the profile's account or recipient.
fn provoked(row: Provoked) -> Scenario {
    Scenario::new(row.id)
        .title(row.title)
        .section("MS-OMS 2.2.4.4")
        .requirements([row.requirement])
        .requirements(row.also.iter().copied())
        .level(Level::Structure)
        .needs(row.claim)
        .caught_by(row.fault)
        .run(move |cx| async move {
            let oms = Oms::new(&cx)?;
            let (what, code, req) = (row.what, row.code, row.requirement);
            match row.provocation {
                Provocation::AccountState(account) => {
                    let account = needed(account(&oms.env), row.claim)?;
                    if let Some(errors) = account_state(&oms, &account, what, code, req).await? {
                        oms.expect_reported(what, &errors, code, &[req])?;
                    }
                    Ok(())
                }
                Provocation::QuotaUsedUp(account) => {
                    let account = needed(account(&oms.env), row.claim)?;
                    quota_exhausted(&oms, &account, what, code, req).await
                }
                Provocation::Recipient(recipient) => {
                    let recipient = needed(recipient(&oms.env), row.claim)?;
                    listed_recipient_failure(&oms, &recipient, what, code, req).await
                }
            }
        })
}
/// The profile's value for `claim`, or a skip naming how to provide it.
fn needed<T: Clone>(value: &Option<T>, claim: Claim) -> Result<T, Stop> {
    value.clone().ok_or_else(|| Stop::skip(claim.hint))
}

/// `n` distinct recipients from the profile (fewer when it lists fewer).
fn distinct_recipients(oms: &Oms, n: usize) -> Vec<String> {
    recipient_set(oms.recipients(n).iter().map(String::as_str))
}

/// "<n> SMS" or "<n> MMS" with the message's kind (MS-OMS 2.2.4.4, perDayMsgLimit).
pub(super) fn is_message_limit(content: &str, kind: &str) -> bool {
    content
        .trim()
        .split_once(' ')
        .is_some_and(|(n, k)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && k == kind)
}

/// A currency symbol, then an amount ("$5.00", "\u{a5}12", "EUR 3,50" is not: no space). An
/// optional minus sign may lead.
pub(super) fn is_money(s: &str) -> bool {
    let s = s.trim();
    let s = s.strip_prefix('-').unwrap_or(s);
    let Some(start) = s.find(|c: char| c.is_ascii_digit()) else {
        return false;
    };
    let (symbol, amount) = s.split_at(start);
    !symbol.is_empty()
        && !symbol
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, ';' | '-' | '+' | '.' | ','))
        && amount.ends_with(|c: char| c.is_ascii_digit())
        && amount
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// lowBalance content: "<symbol><balance>;<symbol><cost>" ("$5.00;$0.10").
pub(super) fn is_balance(content: &str) -> bool {
    content
        .split_once(';')
        .is_some_and(|(a, b)| is_money(a) && is_money(b))
}

/// The error elements answering a message from an account whose state denies the service:
/// a refusal outside the xmsResponse is a warning (see the module documentation) and leaves
/// nothing to judge.
fn account_state_answer(
    cx: &Cx,
    what: &str,
    answer: DeliverAnswer,
    code: &str,
    req: &str,
) -> Result<Option<Vec<DeliveryError>>, Stop> {
    match answer {
        DeliverAnswer::Response(r) => Ok(Some(r.errors)),
        refusal @ (DeliverAnswer::Fault { .. } | DeliverAnswer::Http { status: 401 | 403 }) => {
            cx.cite([req, "OMS-R099"]).level(Level::Should).check(
                what,
                false,
                format!("an xmsResponse with {code}/failure"),
                format!(
                    "refused as an authorization failure: {}",
                    refusal.describe()
                ),
            );
            Ok(None)
        }
        other => {
            cx.cite([req]).expect(
                what,
                false,
                format!("an xmsResponse with {code}/failure"),
                other.describe(),
            )?;
            Ok(None)
        }
    }
}

/// A text message from `account` to one recipient, and the account-state judgement of its
/// answer.
async fn account_state(
    oms: &Oms,
    account: &Account,
    what: &str,
    code: &str,
    req: &str,
) -> Result<Option<Vec<DeliveryError>>, Stop> {
    let info = oms.limits().await?;
    let data = oms.text_message_as(&info, account, &oms.recipients(1), "oxconf account state");
    let answer = oms.deliver_answer(&data.to_xml()).await?;
    account_state_answer(&oms.cx, what, answer, code, req)
}

/// MS-OMS 2.2.4.4: a user who has not signed up gets unregisteredUser; a provider that cannot
/// tell may answer invalidUser (warning). The 4.2 example's "unregistered" is not the listed
/// code (E-OMS-08).
fn unregistered_user() -> Scenario {
    Scenario::new("oms-server/accounts/unregistered-user")
        .title("A message from an unregistered user gets unregisteredUser")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R039"])
        .level(Level::Structure)
        .needs(claims::UNREGISTERED_USER)
        .caught_by("unregistered-delivers")
        .caught_by("unregistered-code-short")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let account = needed(&oms.env.accounts.unregistered, claims::UNREGISTERED_USER)?;
            let what = "message from the unregistered user";
            let Some(errors) =
                account_state(&oms, &account, what, codes::UNREGISTERED_USER, "OMS-R039").await?
            else {
                return Ok(());
            };
            let has = |code: &str| {
                errors.iter().any(|e| {
                    e.code.as_deref() == Some(code) && e.severity.as_deref() == Some(codes::FAILURE)
                })
            };
            if !has(codes::UNREGISTERED_USER) && has(codes::INVALID_USER) {
                cx.cite(["OMS-R039"]).level(Level::Should).check(
                    what,
                    false,
                    "unregisteredUser/failure",
                    "invalidUser/failure: allowed for a provider that cannot tell from the user id (MS-OMS 2.2.4.4)",
                );
                return Ok(());
            }
            if let Some(e) = errors
                .iter()
                .find(|e| e.code.as_deref().is_some_and(|c| c.eq_ignore_ascii_case("unregistered")))
            {
                return cx.cite(["OMS-R039"]).expect(
                    what,
                    false,
                    "code \"unregisteredUser\" (the 4.2 example's \"unregistered\" is not listed, E-OMS-08)",
                    format!("{:?}; all: {}", e.code.as_deref().unwrap_or(""), codes_of(&errors)),
                );
            }
            oms.expect_reported(what, &errors, codes::UNREGISTERED_USER, &["OMS-R039"])?;
            Ok(())
        })
}

/// MS-OMS 2.2.4.4: an MMS from a user subscribed to SMS only gets unregisteredService with
/// content "MMS".
fn unregistered_service() -> Scenario {
    Scenario::new("oms-server/accounts/unregistered-service")
        .title("An MMS from an SMS-only user gets unregisteredService with content \"MMS\"")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R040"])
        .level(Level::Structure)
        .needs(claims::SMS_ONLY_USER)
        .caught_by("sms-only-sends-mms")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let account = needed(&oms.env.accounts.sms_only, claims::SMS_ONLY_USER)?;
            let info = oms.limits().await?;
            if info.supported_service.mms.is_none() {
                return Err(Stop::skip("the service does not advertise MMS_SENDER"));
            }
            let contents = vec![
                oms.text_content(0, "oxconf SMS-only user"),
                oms.media(1, "image/gif", "gif", media::GIF),
            ];
            let mut data = oms.mms(&oms.recipients(1), None, contents);
            data.user = Some(oms.user_as(&account));
            let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
            let Some(e) = oms.expect_reported(
                "MMS from the SMS-only user",
                &r.errors,
                codes::UNREGISTERED_SERVICE,
                &["OMS-R040"],
            )?
            else {
                return Ok(());
            };
            cx.cite(["OMS-R040"]).expect(
                "content of unregisteredService",
                e.content.as_deref().map(str::trim) == Some("MMS"),
                "\"MMS\" (the service the user lacks)",
                shown(e.content.as_deref()),
            )
        })
}

/// A message to one valid recipient and `special`, answered with `code` listing exactly
/// `special` in recipientList.
async fn listed_recipient_failure(
    oms: &Oms,
    special: &str,
    what: &str,
    code: &str,
    req: &str,
) -> Result<(), Stop> {
    let info = oms.limits().await?;
    let mut to = oms.recipients(1);
    to.push(special.to_string());
    let data = oms.text_message(&info, &to, "oxconf recipient fate");
    let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
    let Some(e) = oms.expect_reported(what, &r.errors, code, &[req])? else {
        return Ok(());
    };
    oms.expect_recipient_list(
        &format!("recipientList of {code}"),
        e,
        &[special.to_string()],
        &[req, "OMS-R035"],
    )
}

/// MS-OMS 2.2.4.4: text the provider's policy does not allow is refused with invalidChar.
fn invalid_char() -> Scenario {
    Scenario::new("oms-server/accounts/invalid-char")
        .title("A text containing blocked text gets invalidChar")
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R044"])
        .level(Level::Structure)
        .needs(claims::BLOCKED_TEXT)
        .caught_by("blocked-text-ok")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let blocked = needed(&oms.env.blocked_text, claims::BLOCKED_TEXT)?;
            let info = oms.limits().await?;
            let data =
                oms.text_message(&info, &oms.recipients(1), &format!("oxconf {blocked} text"));
            let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
            oms.expect_reported(
                "text containing the blocked text",
                &r.errors,
                codes::INVALID_CHAR,
                &["OMS-R044"],
            )?;
            Ok(())
        })
}

/// perDayMsgLimit and perMonthMsgLimit: the limit as "<n> SMS"/"<n> MMS" for the message's
/// kind, and the unsent recipients. The profile's account has its quota used up, so every
/// recipient is unsent; recipientList may then also be absent, which means every recipient
/// (OMS-R035).
async fn quota_exhausted(
    oms: &Oms,
    account: &Account,
    what: &str,
    code: &str,
    req: &str,
) -> Result<(), Stop> {
    let info = oms.limits().await?;
    let to = distinct_recipients(oms, 2);
    let data: XmsData = oms.text_message_as(&info, account, &to, "oxconf quota");
    let kind = data.body.format.clone();
    let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
    let Some(e) = oms.expect_reported(what, &r.errors, code, &[req])? else {
        return Ok(());
    };
    oms.cx.cite([req]).expect(
        &format!("content of {code}"),
        e.content
            .as_deref()
            .is_some_and(|c| is_message_limit(c, &kind)),
        format!("\"<n> {kind}\" (the limit, for a {kind} message)"),
        shown(e.content.as_deref()),
    )?;
    match e.recipients() {
        None => {
            oms.cx.cite([req, "OMS-R035"]).info(
                &format!("recipientList of {code}"),
                "absent: every recipient, all of which are unsent (OMS-R035)",
            );
            Ok(())
        }
        Some(_) => oms.expect_recipient_list(
            &format!("recipientList of {code} (the unsent recipients: all of them)"),
            e,
            &to,
            &[req],
        ),
    }
}

/// MS-OMS 2.2.4.4: a low balance is reported with lowBalance, content "<balance>;<cost>" with
/// a currency symbol before each number; severity neutral or failure (E-OMS-33). The profile
/// asserts the balance is low, so no lowBalance fails.
fn low_balance() -> Scenario {
    Scenario::new("oms-server/accounts/low-balance")
        .title(
            "A low-balance user's message carries lowBalance \"<symbol><balance>;<symbol><cost>\"",
        )
        .section("MS-OMS 2.2.4.4")
        .requirements(["OMS-R054"])
        .level(Level::Structure)
        .needs(claims::LOW_BALANCE_USER)
        .caught_by("low-balance-silent")
        .caught_by("low-balance-bad-content")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let account = needed(&oms.env.accounts.low_balance, claims::LOW_BALANCE_USER)?;
            let info = oms.limits().await?;
            let data = oms.text_message_as(&info, &account, &oms.recipients(1), "oxconf balance");
            let r = oms.deliver_citing(&data, &["OMS-R094"]).await?;
            let Some(e) = oms.expect_reported(
                "message from the low-balance user",
                &r.errors,
                codes::LOW_BALANCE,
                &["OMS-R054"],
            )?
            else {
                return Ok(());
            };
            cx.cite(["OMS-R054"]).info(
                "severity of lowBalance",
                format!(
                    "{} (E-OMS-33: neutral or failure)",
                    shown(e.severity.as_deref())
                ),
            );
            cx.cite(["OMS-R054"]).expect(
                "content of lowBalance",
                e.content.as_deref().is_some_and(is_balance),
                "\"<symbol><balance>;<symbol><cost>\", e.g. \"$5.00;$0.10\"",
                shown(e.content.as_deref()),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("$5.00;$0.10", true)]
    #[case("$0.20;$0.10", true)]
    #[case("\u{20ac}5,00;\u{20ac}0,10", true)]
    #[case("\u{a5}12;\u{a5}1", true)]
    #[case("-$1.50;$0.10", true)]
    #[case("USD5.00;USD0.10", true)]
    #[case("5.00;0.10", false)]
    #[case("5.00$;0.10$", false)]
    #[case("$5.00", false)]
    #[case("$ 5.00;$0.10", false)]
    #[case("$5.;$0.10", false)]
    #[case("$;$", false)]
    #[case("", false)]
    fn balances(#[case] content: &str, #[case] expected: bool) {
        assert_eq!(is_balance(content), expected);
    }

    #[rstest]
    #[case("20 SMS", "SMS", true)]
    #[case(" 0 SMS ", "SMS", true)]
    #[case("20 MMS", "SMS", false)]
    #[case("20", "SMS", false)]
    #[case("twenty SMS", "SMS", false)]
    #[case("20  SMS", "SMS", false)]
    #[case("20 sms", "SMS", false)]
    fn message_limits(#[case] content: &str, #[case] kind: &str, #[case] expected: bool) {
        assert_eq!(is_message_limit(content, kind), expected);
    }
}
