//! What the reference server knows: its service information, its user database (MS-OMS
//! 3.1.1) and the rules that decide how a recipient's number fares.

use std::fmt;

use wire::oms::ServiceInfo;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerConfig {
    /// serviceUri is rewritten to the server's real SOAP URL when it starts.
    pub service_info: ServiceInfo,
    pub users: Vec<UserRecord>,
    pub recipients: RecipientRules,
    /// Words that make a text fail with invalidChar, compared case-insensitively.
    pub blocked_words: Vec<String>,
    /// Phone replies come From "<phone>@<reply_from_domain>".
    pub reply_from_domain: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRecord {
    pub user_id: String,
    pub password: String,
    pub status: UserStatus,
    /// Subscribed to text messages.
    pub sms: bool,
    /// Subscribed to multimedia messages.
    pub mms: bool,
    /// The mobile number the user signed up with (userInfo/replyPhone).
    pub reply_phone: String,
    /// Where phone replies for this user are delivered (userInfo/smtpAddress, reply To).
    pub smtp_address: String,
    /// Prepaid balance; `None` for an account without one (never lowBalance).
    pub balance: Option<Money>,
    pub cost_per_message: Money,
    /// A balance below this is reported with lowBalance.
    pub low_balance_below: Money,
    /// Messages allowed per request and day; 0 means the quota is used up (see `deliver`).
    pub day_limit: Option<u32>,
    pub month_limit: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UserStatus {
    Active,
    /// Known to the provider but not signed up for the service.
    Unregistered,
    /// Prepayment used up or registration expired.
    Expired,
    /// The service was terminated for this user.
    Ceased,
}

/// An amount in hundredths of the currency unit; renders as "$5.00" (symbol before the
/// number, as the lowBalance content requires).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money {
    pub cents: i64,
    pub symbol: char,
}

impl Money {
    pub fn dollars(cents: i64) -> Money {
        Money { cents, symbol: '$' }
    }

    /// The number without the symbol ("5.00").
    pub fn amount(&self) -> String {
        let sign = if self.cents < 0 { "-" } else { "" };
        let abs = self.cents.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let amount = self.amount();
        match amount.strip_prefix('-') {
            Some(abs) => write!(f, "-{}{abs}", self.symbol),
            None => write!(f, "{}{amount}", self.symbol),
        }
    }
}

/// How recipients' numbers fare. A number must match `+?[0-9]{5,15}`; prefixes are compared
/// with the number's digits (a leading "+" removed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecipientRules {
    /// Numbers no carrier knows: invalidRecipient.
    pub invalid_prefixes: Vec<String>,
    /// Numbers of a carrier the provider does not serve: crossCarrier.
    pub cross_carrier_prefixes: Vec<String>,
    /// Numbers behind a (simulated) SMSC outage: serviceNetwork.
    pub unreachable_prefixes: Vec<String>,
}

impl ServerConfig {
    pub fn user(&self, user_id: &str) -> Option<&UserRecord> {
        self.users.iter().find(|u| u.user_id == user_id)
    }

    /// The account replies and credential-less deliveries fall back to.
    pub fn first_active_user(&self) -> Option<&UserRecord> {
        self.users.iter().find(|u| u.status == UserStatus::Active)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(500, '$', "$5.00")]
    #[case(20, '$', "$0.20")]
    #[case(7, '\u{a5}', "\u{a5}0.07")]
    #[case(-150, '$', "-$1.50")]
    fn money_renders_symbol_first(#[case] cents: i64, #[case] symbol: char, #[case] text: &str) {
        assert_eq!(Money { cents, symbol }.to_string(), text);
    }

    #[test]
    fn amount_has_no_symbol() {
        assert_eq!(Money::dollars(510).amount(), "5.10");
    }
}
