//! What the standalone reference OMS server tells its user: a ready oxconf profile matching the
//! running mock, and the trigger commands that reach its control endpoint.

use crate::peers::toml_str;
use mocks::net::Endpoint;
use mocks::oms::server::{reference, SERVICE_UPDATE_PATH, SOAP_PATH};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::Path;

/// The reference accounts besides the main one, by the profile key that names them.
pub(super) const OTHER_ACCOUNTS: &[(&str, &str)] = &[
    ("unregistered", reference::UNREGISTERED_USER),
    ("expired", reference::EXPIRED_USER),
    ("sms_only", reference::SMS_ONLY_USER),
    ("low_balance", reference::LOW_BALANCE_USER),
    ("day_limited", reference::DAY_LIMITED_USER),
    ("month_limited", reference::MONTH_LIMITED_USER),
    ("ceased", reference::CEASED_USER),
];

/// The reply trigger's arguments after the URL.
pub(super) const REPLY_ARGS: &str = " {recipient} {text} --kind {kind}";

/// Single-quoted for `sh -c`, which runs trigger commands.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// This program, as a trigger command should call it (the running binary, so the profile works
/// without `oxconf` on PATH).
fn self_command() -> String {
    std::env::current_exe()
        .map(|p| sh_quote(&p.display().to_string()))
        .unwrap_or_else(|_| "oxconf".to_string())
}

/// `scheme://host:port` of the mock's service URL.
pub(super) fn control_base(url: &str) -> String {
    match Endpoint::parse(url) {
        Ok(e) => format!("{}://{}", e.scheme.as_str(), e.authority()),
        Err(_) => url.trim_end_matches(SOAP_PATH).to_string(),
    }
}

/// `oxconf mock oms-server SUBCOMMAND URL ARGS [--ca-file CA]`: a trigger talking to the
/// control endpoint.
pub(super) fn control_command(sub: &str, url: &str, ca: Option<&Path>, args: &str) -> String {
    let mut cmd = format!(
        "{} mock {} {sub} {}{args}",
        self_command(),
        crate::oms::server::NAME,
        sh_quote(url)
    );
    if let Some(ca) = ca {
        cmd.push_str(&format!(
            " --ca-file {}",
            sh_quote(&ca.display().to_string())
        ));
    }
    cmd
}

/// A profile for `oxconf run` against this mock: its URL, CA, every reference account with
/// its password, the recipients with a known fate, and triggers for phone replies (with an
/// SMTP relay) and service updates.
pub fn ready_profile(url: &str, ca: Option<&Path>, smtp_relay: Option<SocketAddr>) -> String {
    let mut p = String::new();
    let _ = writeln!(
        p,
        "# oxconf profile for the mock OMS server at {url}\n# (printed by `oxconf mock oms-server`)\nsuite = \"oms-server\"\n\n[target]\nurl = {}",
        toml_str(url)
    );
    if let Some(ca) = ca {
        let _ = writeln!(p, "ca_file = {}", toml_str(&ca.display().to_string()));
    }
    let recipients: Vec<String> = reference::RECIPIENTS.iter().map(|r| toml_str(r)).collect();
    let _ = writeln!(
        p,
        "\n[oms]\nuser = {}\npassword = {}\nrecipients = [{}]\ninvalid_recipient = {}",
        toml_str(reference::USER),
        toml_str(reference::PASSWORD),
        recipients.join(", "),
        toml_str(reference::INVALID_RECIPIENT)
    );
    for (key, user) in OTHER_ACCOUNTS {
        let _ = writeln!(
            p,
            "{key}_user = {}\n{key}_password = {}",
            toml_str(user),
            toml_str(&reference::password_of(user))
        );
    }
    let _ = writeln!(
        p,
        "cross_carrier_recipient = {}\nunreachable_recipient = {}\nblocked_text = {}",
        toml_str(reference::CROSS_CARRIER_RECIPIENT),
        toml_str(reference::UNREACHABLE_RECIPIENT),
        toml_str(reference::BLOCKED_TEXT)
    );
    let _ = writeln!(
        p,
        "# POST {}{SERVICE_UPDATE_PATH} makes the mock change its service information\nservice_update_trigger = {}",
        control_base(url),
        toml_str(&control_command("service-update", url, ca, ""))
    );
    if let Some(relay) = smtp_relay {
        let _ = writeln!(
            p,
            "reply_trigger = {}\nreply_address = {}\nsmtp_listen = {}",
            toml_str(&control_command("reply", url, ca, REPLY_ARGS)),
            toml_str(reference::REPLY_ADDRESS),
            toml_str(&relay.to_string())
        );
    }
    let _ = writeln!(p, "\n[claims]\nsend_xms = true");
    if smtp_relay.is_some() {
        let _ = writeln!(p, "mms_replies = true");
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_reads_back_as_a_valid_oms_server_profile() {
        let relay = SocketAddr::from(([127, 0, 0, 1], 2525));
        let text = ready_profile(
            "https://127.0.0.1:8443/oms",
            Some(Path::new("/tmp/it's/ca.pem")),
            Some(relay),
        );
        let profile =
            harness::profile::Profile::parse(Path::new("ready.toml"), &text).expect("TOML");
        assert_eq!(
            profile.suite_name().expect("suite"),
            crate::oms::server::NAME
        );
        let suite = crate::by_name(crate::oms::server::NAME).expect("registered");
        let mut reader = profile.reader();
        harness::profile::CommonSettings::read(&mut reader).expect("common keys");
        suite.configure(Some(&mut reader)).expect("suite keys");
        reader.finish().expect("no key the suite does not know");
        assert!(text.contains(" mock oms-server reply 'https://127.0.0.1:8443/oms' {recipient}"));
        assert!(
            text.contains("--ca-file '/tmp/it'\\\\''s/ca.pem'"),
            "{text}"
        );
    }

    #[test]
    fn the_control_base_drops_the_soap_path() {
        assert_eq!(
            control_base("https://127.0.0.1:1/oms"),
            "https://127.0.0.1:1"
        );
    }
}
