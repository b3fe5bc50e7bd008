//! Who may use the service (MS-OMS 3.1.1: only authenticated, registered users send) and which
//! code says why not. Shared by GetUserInfo and the deliveries, which differ only in which
//! faults apply.

use wire::oms::codes;

use super::config::{ServerConfig, UserRecord, UserStatus};
use super::faults::Faults;

/// The operation asking, because some faults only break one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    UserInfo,
    Delivery,
}

/// The GetUserInfo code for unregistered users, or the short form of the 4.2 example
/// (E-OMS-08) under the fault.
fn unregistered_code(faults: &Faults) -> &'static str {
    if faults.on("unregistered-code-short") {
        "unregistered"
    } else {
        codes::UNREGISTERED_USER
    }
}

/// The account behind `user_id`/`password`, or the failure code (invalidUser,
/// unregisteredUser, expiredUser, ceasedService).
pub(crate) fn authenticate<'c>(
    config: &'c ServerConfig,
    faults: &Faults,
    user_id: Option<&str>,
    password: Option<&str>,
    purpose: Purpose,
) -> Result<&'c UserRecord, &'static str> {
    let user = user_id
        .and_then(|id| config.user(id))
        .ok_or(codes::INVALID_USER)?;
    let password_ok = password == Some(user.password.as_str());
    if !password_ok && !faults.on("accept-any-password") {
        return Err(codes::INVALID_USER);
    }
    match user.status {
        UserStatus::Active => Ok(user),
        UserStatus::Unregistered
            if purpose == Purpose::Delivery && faults.on("unregistered-delivers") =>
        {
            Ok(user)
        }
        UserStatus::Unregistered => Err(unregistered_code(faults)),
        UserStatus::Expired if faults.on("expired-as-ok") => Ok(user),
        UserStatus::Expired => Err(codes::EXPIRED_USER),
        UserStatus::Ceased if faults.on("ceased-as-ok") => Ok(user),
        UserStatus::Ceased => Err(codes::CEASED_SERVICE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn check(
        faults: &[&str],
        user: Option<&str>,
        password: Option<&str>,
        purpose: Purpose,
    ) -> Result<String, &'static str> {
        let config = ServerConfig::reference();
        let names: Vec<String> = faults.iter().map(|s| s.to_string()).collect();
        let faults = Faults::parse(&names).unwrap();
        authenticate(&config, &faults, user, password, purpose).map(|u| u.user_id.clone())
    }

    #[rstest]
    #[case(&[], Some("alice"), Some("alice-pw-1"), Purpose::Delivery, Ok("alice".to_string()))]
    #[case(&[], Some("alice"), Some("wrong"), Purpose::Delivery, Err("invalidUser"))]
    #[case(&[], Some("alice"), None, Purpose::UserInfo, Err("invalidUser"))]
    #[case(&[], Some("nobody"), Some("x"), Purpose::UserInfo, Err("invalidUser"))]
    #[case(&[], None, None, Purpose::UserInfo, Err("invalidUser"))]
    #[case(&[], Some("bob"), Some("bob-pw-1"), Purpose::UserInfo, Err("unregisteredUser"))]
    #[case(&[], Some("carol"), Some("carol-pw-1"), Purpose::Delivery, Err("expiredUser"))]
    #[case(&[], Some("heidi"), Some("heidi-pw-1"), Purpose::Delivery, Err("ceasedService"))]
    #[case(&["accept-any-password"], Some("alice"), Some("wrong"), Purpose::UserInfo, Ok("alice".to_string()))]
    #[case(&["accept-any-password"], Some("nobody"), Some("x"), Purpose::UserInfo, Err("invalidUser"))]
    #[case(&["unregistered-code-short"], Some("bob"), Some("bob-pw-1"), Purpose::Delivery, Err("unregistered"))]
    #[case(&["unregistered-delivers"], Some("bob"), Some("bob-pw-1"), Purpose::Delivery, Ok("bob".to_string()))]
    #[case(&["unregistered-delivers"], Some("bob"), Some("bob-pw-1"), Purpose::UserInfo, Err("unregisteredUser"))]
    #[case(&["expired-as-ok"], Some("carol"), Some("carol-pw-1"), Purpose::UserInfo, Ok("carol".to_string()))]
    #[case(&["ceased-as-ok"], Some("heidi"), Some("heidi-pw-1"), Purpose::Delivery, Ok("heidi".to_string()))]
    fn outcomes(
        #[case] faults: &[&str],
        #[case] user: Option<&str>,
        #[case] password: Option<&str>,
        #[case] purpose: Purpose,
        #[case] expected: Result<String, &'static str>,
    ) {
        assert_eq!(check(faults, user, password, purpose), expected);
    }
}
