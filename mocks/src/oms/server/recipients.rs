//! What happens to one recipient's number: delivered, or which failure code of MS-OMS 2.2.4.4
//! names why not.

use super::config::RecipientRules;
use super::faults::Faults;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Fate {
    Deliver,
    /// invalidRecipient (OMS-R042).
    Invalid,
    /// crossCarrier (OMS-R043).
    CrossCarrier,
    /// serviceNetwork (OMS-R052).
    Unreachable,
}

/// `+?[0-9]{5,15}`: an international or national mobile number.
pub(crate) fn is_well_formed(number: &str) -> bool {
    let digits = number.strip_prefix('+').unwrap_or(number);
    (5..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

fn has_prefix(number: &str, prefixes: &[String]) -> bool {
    let digits = number.strip_prefix('+').unwrap_or(number);
    prefixes
        .iter()
        .any(|p| !p.is_empty() && digits.starts_with(p.as_str()))
}

pub(crate) fn classify(rules: &RecipientRules, faults: &Faults, number: &str) -> Fate {
    if !is_well_formed(number) || has_prefix(number, &rules.invalid_prefixes) {
        Fate::Invalid
    } else if has_prefix(number, &rules.cross_carrier_prefixes) && !faults.on("cross-carrier-ok") {
        Fate::CrossCarrier
    } else if has_prefix(number, &rules.unreachable_prefixes) && !faults.on("network-failure-ok") {
        Fate::Unreachable
    } else {
        Fate::Deliver
    }
}

#[cfg(test)]
mod tests {
    use super::super::config::ServerConfig;
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("13800000001", Fate::Deliver)]
    #[case("+8613800000001", Fate::Deliver)]
    #[case("12345", Fate::Deliver)]
    #[case("1234", Fate::Invalid)]
    #[case("1234567890123456", Fate::Invalid)]
    #[case("138-0000-0001", Fate::Invalid)]
    #[case("++13800000001", Fate::Invalid)]
    #[case("", Fate::Invalid)]
    #[case("\u{661f}\u{661f}\u{661f}\u{661f}\u{661f}", Fate::Invalid)]
    #[case("99912345", Fate::Invalid)]
    #[case("+99912345", Fate::Invalid)]
    #[case("17000000001", Fate::CrossCarrier)]
    #[case("18800000001", Fate::Unreachable)]
    fn reference_rules(#[case] number: &str, #[case] fate: Fate) {
        let rules = ServerConfig::reference().recipients;
        assert_eq!(classify(&rules, &Faults::none(), number), fate);
    }

    #[rstest]
    #[case("cross-carrier-ok", "17000000001")]
    #[case("network-failure-ok", "18800000001")]
    fn faults_deliver_anyway(#[case] fault: &str, #[case] number: &str) {
        let rules = ServerConfig::reference().recipients;
        let faults = Faults::parse(&[fault.to_string()]).unwrap();
        assert_eq!(classify(&rules, &faults, number), Fate::Deliver);
    }
}
