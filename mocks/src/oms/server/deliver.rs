//! One message through the reference server (DeliverXms, SendXms and each batch item).
//!
//! The checks run in a fixed order and the first that fails answers alone: payload format,
//! credentials, subscribed service, recipient count, the text or multimedia checks; then each
//! recipient's fate, the quotas and the schedule decide who gets the message, and the answer
//! reports every failure once with exactly the recipients it concerns (OMS-R035), or "ok" when
//! everyone got it, plus the notices (noScheduled, lowBalance).

use wire::oms::schedule::parse_utc;
use wire::oms::xms_data::{FORMAT_MMS, FORMAT_SMS, MMS_SENDER, SMS_SENDER};
use wire::oms::{codes, DeliveryError, User, XmsBody, XmsData, XmsHead, XmsResponse};

use super::config::UserRecord;
use super::errors::{failure, notice, ok, recipient_list};
use super::faults::Faults;
use super::recipients::{classify, Fate};
use super::state::Shared;
use super::users::{authenticate, Purpose};
use super::{mms, sms};

/// The parts of an xmsData or batch item the server acts on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Message<'a> {
    pub user: Option<&'a User>,
    pub head: Option<&'a XmsHead>,
    pub body: &'a XmsBody,
}

impl<'a> Message<'a> {
    pub(super) fn of(data: &'a XmsData) -> Message<'a> {
        Message {
            user: data.user.as_ref(),
            head: data.head.as_ref(),
            body: &data.body,
        }
    }
}

/// Whether an embedded document starts with an XML declaration naming UTF-16 (E-OMS-24). The
/// reference ignores it, as it must; a fault refuses it.
pub(crate) fn has_utf16_declaration(text: &str) -> bool {
    let t = text.trim_start();
    let Some(decl) = t
        .strip_prefix("<?xml")
        .and_then(|rest| rest.split("?>").next())
    else {
        return false;
    };
    let compact: String = decl
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    compact.contains("encoding=\"utf-16\"") || compact.contains("encoding='utf-16'")
}

/// The DeliverXms/SendXms result for the xmsData text `payload`.
pub(crate) fn answer(shared: &Shared, payload: Option<&str>, now: i64) -> XmsResponse {
    let faults = &shared.faults;
    let unreadable = || {
        if faults.on("accept-malformed-xms-data") {
            vec![ok(faults)]
        } else {
            vec![failure(faults, codes::INVALID_FORMAT)]
        }
    };
    let mut errors = match payload {
        Some(text) if faults.on("rejects-utf16-declaration") && has_utf16_declaration(text) => {
            vec![failure(faults, codes::INVALID_FORMAT)]
        }
        Some(text) => match XmsData::parse(text) {
            Ok(doc) => deliver(shared, Message::of(&doc.value), now),
            Err(_) => unreadable(),
        },
        None => unreadable(),
    };
    errors.extend(shared.service_update(now));
    XmsResponse { errors }
}

/// Format problems that make the message unusable (invalidFormat, OMS-R051). Everything else
/// the schema checks would find is tolerated.
fn format_problem(msg: Message<'_>, faults: &Faults) -> bool {
    let body = msg.body;
    if body.format != FORMAT_SMS && body.format != FORMAT_MMS {
        return true;
    }
    if body.contents.is_empty() {
        return true;
    }
    let Some(head) = msg.head else {
        return true;
    };
    if head.to.is_empty() {
        return true;
    }
    if let Some(service) = head.required_service.as_deref() {
        // Values outside the enumeration, such as the "SMS SENDER" of the 4.4 example, may be
        // refused (E-OMS-02).
        if faults.on("reject-required-service") || (service != SMS_SENDER && service != MMS_SENDER)
        {
            return true;
        }
    }
    faults.on("custom-data-breaks-delivery")
        && msg
            .user
            .and_then(|u| u.custom_data.as_deref())
            .is_some_and(|c| !c.trim().is_empty())
}

fn sender_account<'c>(
    shared: &'c Shared,
    user: Option<&User>,
) -> Result<&'c UserRecord, &'static str> {
    let faults = &shared.faults;
    match user {
        None if faults.on("accept-no-credentials") => {
            shared.config.first_active_user().ok_or(codes::INVALID_USER)
        }
        None => Err(codes::INVALID_USER),
        Some(u) => authenticate(
            &shared.config,
            faults,
            u.user_id.as_deref(),
            u.password.as_deref(),
            Purpose::Delivery,
        ),
    }
}

fn with_list(e: DeliveryError, recipients: &[&str]) -> DeliveryError {
    let list = recipient_list(recipients);
    let refs: Vec<&str> = list.iter().map(String::as_str).collect();
    e.with_recipients(&refs)
}

/// The error elements for one message (without serviceUpdate, which the caller adds).
pub(crate) fn deliver(shared: &Shared, msg: Message<'_>, now: i64) -> Vec<DeliveryError> {
    let faults = &shared.faults;
    let config = &shared.config;
    if format_problem(msg, faults) {
        return vec![failure(faults, codes::INVALID_FORMAT)];
    }
    // format_problem guarantees a head with recipients.
    let Some(head) = msg.head else {
        return vec![failure(faults, codes::INVALID_FORMAT)];
    };
    let user = match sender_account(shared, msg.user) {
        Ok(u) => u,
        Err(code) => return vec![failure(faults, code)],
    };

    let body = msg.body;
    let is_mms = body.format == FORMAT_MMS;
    let kind = if is_mms { "MMS" } else { "SMS" };
    let services = &config.service_info.supported_service;
    let unsubscribed = || Some(failure(faults, codes::UNREGISTERED_SERVICE).with_content(kind));
    let problem = if is_mms {
        match &services.mms {
            None => unsubscribed(),
            Some(_) if !user.mms && !faults.on("sms-only-sends-mms") => unsubscribed(),
            Some(sender) => recipient_count(head, sender.max_recipients_per_message, faults)
                .or_else(|| {
                    mms::check(
                        sender,
                        head.subject.as_deref(),
                        body.slides.as_ref(),
                        &body.contents,
                        &config.blocked_words,
                        faults,
                    )
                }),
        }
    } else {
        match &services.sms {
            None => unsubscribed(),
            Some(_) if !user.sms => unsubscribed(),
            Some(sender) => recipient_count(head, sender.limits.max_recipients_per_message, faults)
                .or_else(|| {
                    sms::check(
                        sender,
                        head.subject.as_deref(),
                        &body.contents,
                        &config.blocked_words,
                        faults,
                    )
                }),
        }
    };
    if let Some(e) = problem {
        return vec![e];
    }

    let mut errors = Vec::new();
    let mut sent: Vec<&str> = Vec::new();
    let (mut invalid, mut cross, mut unreachable) = (Vec::new(), Vec::new(), Vec::new());
    for r in head.to.iter().map(|r| r.trim()) {
        match classify(&config.recipients, faults, r) {
            Fate::Deliver => sent.push(r),
            Fate::Invalid => invalid.push(r),
            Fate::CrossCarrier => cross.push(r),
            Fate::Unreachable => unreachable.push(r),
        }
    }
    if !invalid.is_empty() {
        let e = failure(faults, codes::INVALID_RECIPIENT);
        errors.push(if faults.on("invalid-recipient-no-list") {
            e
        } else {
            with_list(e, &invalid)
        });
    }
    if !cross.is_empty() {
        errors.push(with_list(failure(faults, codes::CROSS_CARRIER), &cross));
    }
    if !unreachable.is_empty() {
        errors.push(with_list(
            failure(faults, codes::SERVICE_NETWORK),
            &unreachable,
        ));
    }

    // Quotas are per request: a limit of n lets the first n recipients through, so 0 means
    // "used up" and the reference stays deterministic however scenarios interleave.
    let quotas = [
        (
            user.day_limit,
            "daily-limit-ignored",
            codes::PER_DAY_MSG_LIMIT,
        ),
        (
            user.month_limit,
            "monthly-limit-ignored",
            codes::PER_MONTH_MSG_LIMIT,
        ),
    ];
    for (limit, fault, code) in quotas {
        let Some(limit) = limit.filter(|_| !faults.on(fault)) else {
            continue;
        };
        let keep = usize::try_from(limit).unwrap_or(usize::MAX).min(sent.len());
        let unsent = sent.split_off(keep);
        if !unsent.is_empty() {
            let e = failure(faults, code).with_content(&format!("{limit} {kind}"));
            errors.push(with_list(e, &unsent));
        }
    }

    let scheduled = head
        .scheduled
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    // An unreadable time cannot be honoured either way: the message goes out now.
    let future = match scheduled.and_then(parse_utc) {
        None => false,
        Some(t) if t > now => true,
        Some(_) => false,
    };
    if let Some(s) = scheduled.filter(|s| parse_utc(s).is_some()) {
        let refused = if future {
            faults
                .on("scheduled-future-error")
                .then(|| format!("scheduled time {s} is not supported"))
        } else {
            faults
                .on("reject-scheduled-past")
                .then(|| format!("scheduled time {s} is in the past"))
        };
        if let Some(reason) = refused {
            errors.push(failure(faults, codes::OTHER).with_content(&reason));
            sent.clear();
        }
    }

    if errors.is_empty() {
        errors.push(ok(faults));
    } else if !sent.is_empty() && faults.on("ok-with-failure-severity-on-partial") {
        // A partial delivery: the reference reports only what failed (OMS-R035); this fault
        // adds an "ok" for the delivered recipients, but with the severity of a failure.
        errors.push(with_list(
            DeliveryError::new(codes::OK, codes::FAILURE),
            &sent,
        ));
    }
    if sent.is_empty() {
        return errors;
    }
    if future {
        errors.push(notice(codes::NO_SCHEDULED));
    }
    if let Some(balance) = user.balance {
        if balance < user.low_balance_below && !faults.on("low-balance-silent") {
            let cost = user.cost_per_message;
            let content = if faults.on("low-balance-bad-content") {
                format!("{};{}", balance.amount(), cost.amount())
            } else {
                format!("{balance};{cost}")
            };
            errors.push(with_list(
                notice(codes::LOW_BALANCE).with_content(&content),
                &sent,
            ));
        }
    }
    errors
}

/// maxRecipientsPerMessage of the sender (OMS-R118), as `other` with an explanation.
fn recipient_count(head: &XmsHead, limit: u32, faults: &Faults) -> Option<DeliveryError> {
    let n = head.to.len();
    (faults.over(n as u64, u64::from(limit)) && !faults.on("ignore-max-recipients")).then(|| {
        failure(faults, codes::OTHER).with_content(&format!(
            "{n} recipients exceed the limit of {limit} recipients per message"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("<?xml version=\"1.0\" encoding=\"utf-16\"?><x/>", true)]
    #[case("  <?xml version='1.0' encoding = 'UTF-16' ?><x/>", true)]
    #[case("<?xml version=\"1.0\" encoding=\"utf-8\"?><x/>", false)]
    #[case("<x a=\"encoding='utf-16'\"/>", false)]
    #[case("<?xml", false)]
    #[case("", false)]
    fn utf16_declarations(#[case] text: &str, #[case] expected: bool) {
        assert_eq!(has_utf16_declaration(text), expected);
    }
}
