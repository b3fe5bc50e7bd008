//! The reference data: one account per situation a server suite must provoke, recipients with
//! a known fate, and the service information of the corrected E-OMS-02 example. The server
//! suite builds its reference profile from these constants.

use wire::oms::ServiceInfo;

use super::config::{Money, RecipientRules, ServerConfig, UserRecord, UserStatus};

/// The active account with every service.
pub const USER: &str = "alice";
pub const PASSWORD: &str = "alice-pw-1";
/// Valid recipients that are delivered.
pub const RECIPIENTS: [&str; 3] = ["13800000001", "13800000002", "13800000003"];
/// Well-formed, but no carrier knows the "999" prefix: invalidRecipient.
pub const INVALID_RECIPIENT: &str = "99912345";
/// The "170" prefix belongs to a carrier the provider does not serve: crossCarrier.
pub const CROSS_CARRIER_RECIPIENT: &str = "17000000001";
/// The "188" prefix sits behind a simulated SMSC outage: serviceNetwork.
pub const UNREACHABLE_RECIPIENT: &str = "18800000001";
/// alice's smtpAddress: the To of her phone replies.
pub const REPLY_ADDRESS: &str = "alice@mail.oxconf.test";
/// alice's replyPhone.
pub const REPLY_PHONE: &str = "13900000000";
/// A word the provider's policy blocks: invalidChar.
pub const BLOCKED_TEXT: &str = "forbidden-word";

pub const UNREGISTERED_USER: &str = "bob";
pub const EXPIRED_USER: &str = "carol";
/// Subscribed to SMS only: an MMS gets unregisteredService.
pub const SMS_ONLY_USER: &str = "dave";
/// Balance $0.20 below the $1.00 threshold, $0.10 per message: lowBalance "$0.20;$0.10".
pub const LOW_BALANCE_USER: &str = "erin";
/// Daily quota used up: perDayMsgLimit.
pub const DAY_LIMITED_USER: &str = "frank";
/// Monthly quota used up: perMonthMsgLimit.
pub const MONTH_LIMITED_USER: &str = "grace";
pub const CEASED_USER: &str = "heidi";

/// Every reference account's password is "<name>-pw-1".
pub fn password_of(user: &str) -> String {
    format!("{user}-pw-1")
}

/// Where phone replies come from: "<phone>@REPLY_FROM_DOMAIN".
pub const REPLY_FROM_DOMAIN: &str = "reply.oxconf.test";
/// The domain of every reference user's smtpAddress.
pub const MAIL_DOMAIN: &str = "mail.oxconf.test";

/// The serviceUri before the server rewrites it to its real URL.
pub const PLACEHOLDER_SERVICE_URI: &str = "https://oms.oxconf.test/oms";
pub const SIGN_UP_PAGE: &str = "https://oms.oxconf.test/signup";
pub const SERVICE_PROVIDER: &str = "oxconf reference peer";
pub const SERVICE_NAME: &str = "oxconf reference OMS";

/// Service information like the corrected E-OMS-02 example (same limits and services), with
/// the reference peer's own identity and worldwide target.
pub fn service_info() -> ServiceInfo {
    ServiceInfo {
        service_provider: SERVICE_PROVIDER.into(),
        service_uri: PLACEHOLDER_SERVICE_URI.into(),
        sign_up_page: SIGN_UP_PAGE.into(),
        target_locale: Some(0),
        local_name: SERVICE_NAME.into(),
        english_name: SERVICE_NAME.into(),
        ..ServiceInfo::spec_example()
    }
}

fn account(name: &str, phone_suffix: u32, status: UserStatus) -> UserRecord {
    UserRecord {
        user_id: name.to_string(),
        password: password_of(name),
        status,
        sms: true,
        mms: true,
        reply_phone: format!("139000000{phone_suffix:02}"),
        smtp_address: format!("{name}@{MAIL_DOMAIN}"),
        balance: Some(Money::dollars(5000)),
        cost_per_message: Money::dollars(10),
        low_balance_below: Money::dollars(100),
        day_limit: None,
        month_limit: None,
    }
}

fn users() -> Vec<UserRecord> {
    vec![
        account(USER, 0, UserStatus::Active),
        account(UNREGISTERED_USER, 1, UserStatus::Unregistered),
        account(EXPIRED_USER, 2, UserStatus::Expired),
        UserRecord {
            mms: false,
            ..account(SMS_ONLY_USER, 3, UserStatus::Active)
        },
        UserRecord {
            balance: Some(Money::dollars(20)),
            ..account(LOW_BALANCE_USER, 4, UserStatus::Active)
        },
        UserRecord {
            day_limit: Some(0),
            ..account(DAY_LIMITED_USER, 5, UserStatus::Active)
        },
        UserRecord {
            month_limit: Some(0),
            ..account(MONTH_LIMITED_USER, 6, UserStatus::Active)
        },
        account(CEASED_USER, 7, UserStatus::Ceased),
    ]
}

impl ServerConfig {
    /// The reference server's data (see the constants of this module).
    pub fn reference() -> ServerConfig {
        ServerConfig {
            service_info: service_info(),
            users: users(),
            recipients: RecipientRules {
                invalid_prefixes: vec!["999".into()],
                cross_carrier_prefixes: vec!["170".into()],
                unreachable_prefixes: vec!["188".into()],
            },
            blocked_words: vec![BLOCKED_TEXT.into()],
            reply_from_domain: REPLY_FROM_DOMAIN.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_the_data() {
        let c = ServerConfig::reference();
        let alice = c.user(USER).unwrap();
        assert_eq!(alice.password, PASSWORD);
        assert_eq!(alice.smtp_address, REPLY_ADDRESS);
        assert_eq!(alice.reply_phone, REPLY_PHONE);
        assert_eq!(c.first_active_user().unwrap().user_id, USER);
        for name in [
            UNREGISTERED_USER,
            EXPIRED_USER,
            SMS_ONLY_USER,
            LOW_BALANCE_USER,
            DAY_LIMITED_USER,
            MONTH_LIMITED_USER,
            CEASED_USER,
        ] {
            assert_eq!(c.user(name).unwrap().password, password_of(name));
        }
        assert_eq!(c.user(SMS_ONLY_USER).map(|u| u.mms), Some(false));
        assert!(c.service_info.consistency_findings().is_empty());
    }

    #[test]
    fn service_info_is_schema_clean() {
        let parsed = ServiceInfo::parse(&service_info().to_xml()).unwrap();
        assert_eq!(parsed.findings, vec![]);
    }
}
