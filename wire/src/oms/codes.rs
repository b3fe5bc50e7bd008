//! Delivery error codes and severities of MS-OMS 2.2.4.4, and the GetUserInfo success code of
//! 3.1.4.2.3.3. Spellings are the canonical ones of the text; servers are judged against them
//! case-sensitively (E-OMS-28).

pub const OK: &str = "ok";
pub const SERVICE_UPDATE: &str = "serviceUpdate";

pub const INVALID_USER: &str = "invalidUser";
pub const UNREGISTERED_USER: &str = "unregisteredUser";
pub const UNREGISTERED_SERVICE: &str = "unregisteredService";
pub const EXPIRED_USER: &str = "expiredUser";
pub const INVALID_RECIPIENT: &str = "invalidRecipient";
pub const CROSS_CARRIER: &str = "crossCarrier";
pub const INVALID_CHAR: &str = "invalidChar";
pub const INVALID_MEDIA: &str = "invalidMedia";
pub const PER_DAY_MSG_LIMIT: &str = "perDayMsgLimit";
pub const PER_MONTH_MSG_LIMIT: &str = "perMonthMsgLimit";
pub const LENGTH_LIMIT: &str = "lengthLimit";
pub const SIZE_LIMIT: &str = "sizeLimit";
pub const SLIDES_LIMIT: &str = "slidesLimit";
pub const INVALID_FORMAT: &str = "invalidFormat";
pub const SERVICE_NETWORK: &str = "serviceNetwork";
pub const NO_SCHEDULED: &str = "noScheduled";
pub const LOW_BALANCE: &str = "lowBalance";
pub const CEASED_SERVICE: &str = "ceasedService";
pub const OTHER: &str = "other";

/// The failure codes of the 2.2.4.4 table, in table order.
pub const TABLE: &[&str] = &[
    INVALID_USER,
    UNREGISTERED_USER,
    UNREGISTERED_SERVICE,
    EXPIRED_USER,
    INVALID_RECIPIENT,
    CROSS_CARRIER,
    INVALID_CHAR,
    INVALID_MEDIA,
    PER_DAY_MSG_LIMIT,
    PER_MONTH_MSG_LIMIT,
    LENGTH_LIMIT,
    SIZE_LIMIT,
    SLIDES_LIMIT,
    INVALID_FORMAT,
    SERVICE_NETWORK,
    NO_SCHEDULED,
    LOW_BALANCE,
    CEASED_SERVICE,
    OTHER,
];

/// Table codes whose severity may be "neutral" as well as "failure": the message went out
/// (E-OMS-33).
pub const NEUTRAL_OR_FAILURE: &[&str] = &[NO_SCHEDULED, LOW_BALANCE];

pub const NEUTRAL: &str = "neutral";
pub const FAILURE: &str = "failure";

/// GetUserInfo success code (3.1.4.2.3.3; the example writes "ok", E-OMS-07).
pub const USER_OK: &str = "OK";

/// The canonical spelling of a listed delivery code (ok, serviceUpdate or a table code),
/// matched case-insensitively.
pub fn canonical(code: &str) -> Option<&'static str> {
    [OK, SERVICE_UPDATE]
        .iter()
        .chain(TABLE)
        .find(|c| c.eq_ignore_ascii_case(code))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("ok", Some(OK))]
    #[case("OK", Some(OK))]
    #[case("serviceupdate", Some(SERVICE_UPDATE))]
    #[case("INVALIDUSER", Some(INVALID_USER))]
    #[case("unregistered", None)]
    #[case("", None)]
    fn canonical_spellings(#[case] code: &str, #[case] expected: Option<&str>) {
        assert_eq!(canonical(code), expected);
    }

    #[test]
    fn table_has_the_nineteen_codes_of_2_2_4_4() {
        assert_eq!(TABLE.len(), 19);
        assert!(!TABLE.contains(&OK));
        assert!(NEUTRAL_OR_FAILURE.iter().all(|c| TABLE.contains(c)));
    }
}
