//! GetUserInfo (MS-OMS 3.1.4.2): the account's reply phone and SMTP address, or why not.

use wire::oms::{codes, UserError, UserInfo, XmsUser};

use super::state::Shared;
use super::users::{authenticate, Purpose};

/// The userInfo document for the xmsUser text `payload`. An unreadable xmsUser names nobody:
/// invalidUser. Success is "OK" (E-OMS-07) with severity "neutral"; failures carry
/// "failure" (OMS-R138). customData is ignored (OMS-R126) and not sent back (E-OMS-19).
pub(crate) fn answer(shared: &Shared, payload: Option<&str>) -> String {
    let faults = &shared.faults;
    let request = payload
        .and_then(|p| XmsUser::parse(p).ok())
        .map(|p| p.value)
        .unwrap_or_default();
    let custom_data = request
        .custom_data
        .clone()
        .filter(|_| faults.on("echo-custom-data"));
    let outcome = authenticate(
        &shared.config,
        faults,
        request.user_id.as_deref(),
        request.password.as_deref(),
        Purpose::UserInfo,
    );
    let info = match outcome {
        Ok(user) => {
            let code = if faults.on("user-info-lowercase-ok") {
                codes::OK
            } else if faults.on("user-info-mixed-case-ok") {
                "Ok"
            } else {
                codes::USER_OK
            };
            UserInfo {
                reply_phone: Some(user.reply_phone.clone()),
                smtp_address: Some(user.smtp_address.clone()),
                error: (!faults.on("user-info-no-error-element")).then(|| UserError {
                    code: Some(code.to_string()),
                    severity: Some(codes::NEUTRAL.to_string()),
                    text: String::new(),
                }),
                custom_data,
            }
        }
        Err(code) => {
            let severity = if faults.on("failure-codes-neutral") {
                codes::NEUTRAL
            } else {
                codes::FAILURE
            };
            UserInfo {
                reply_phone: None,
                smtp_address: None,
                error: Some(UserError {
                    code: Some(code.to_string()),
                    severity: Some(severity.to_string()),
                    text: String::new(),
                }),
                custom_data,
            }
        }
    };
    info.to_xml()
}
