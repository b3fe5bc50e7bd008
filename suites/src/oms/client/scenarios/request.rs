//! What the client puts on the wire (MS-OMS 2.1, 2.2.4, 3.1.4.1, 3.1.4.3): SOAP binding,
//! action, escaped xmsData and its schema, the GetServiceInfo request, credentials, HTTPS.

use crate::common::findings::record_findings;
use crate::oms::client::claims;
use crate::oms::client::probe::with_client;
use harness::{Cx, Level, Scenario, Stop};
use mocks::oms::scripted::example_service_info;
use wire::media_type::essence;
use wire::oms::xms_data::{MMS_SENDER, SMS_SENDER, TEXT_PLAIN};
use wire::oms::{Operation, XmsData};
use wire::Finding;

pub(super) fn all() -> Vec<Scenario> {
    vec![
        soap_envelope(),
        xms_data_schema(),
        sms_content_type(),
        get_service_info(),
        user_credentials(),
        https(),
    ]
}

/// MS-OMS 2.1, 3.1.4.3.1.1: a DeliverXms request is a SOAP 1.1 or 1.2 envelope carrying the
/// DeliverXms action and one escaped xmsData string.
fn soap_envelope() -> Scenario {
    Scenario::new("oms-client/request/soap-envelope")
        .title("DeliverXms requests are SOAP envelopes with the DeliverXms action and an escaped xmsData")
        .section("MS-OMS 2.1")
        .section("MS-OMS 3.1.4.3.1.1")
        .requirements(["OMS-R003", "OMS-R106", "OMS-R139", "OMS-R155", "OMS-R007"])
        .level(Level::Must)
        .caught_by("wrong-soap-action")
        .caught_by("payload-as-child-elements")
        .run(with_client(|cx, client| async move {
            let server = client.server(&example_service_info(), false).await?;
            client
                .send(&server, &client.recipients(1), "oxconf: envelope check")
                .await?;
            let requests = client
                .requests_for(&server, Operation::DeliverXms, &["OMS-R003", "OMS-R106"])
                .await?;
            for r in &requests {
                let data = client.xms_data(r)?;
                cx.cite(["OMS-R139"]).expect(
                    "xmsData carries the message",
                    !data.body.contents.is_empty(),
                    "at least one content element",
                    format!("{} content elements", data.body.contents.len()),
                )?;
            }
            Ok(())
        }))
}

/// Requirements whose rules the xmsData parser enforces for `xms_data_schema`.
const XMS_DATA_RULES: [&str; 7] = [
    "OMS-R086", "OMS-R087", "OMS-R082", "OMS-R083", "OMS-R078", "OMS-R079", "OMS-R090",
];

/// MS-OMS 2.2.4.14-2.2.4.18: the xmsData of a text message follows tXmsData (user?, xmsHead?,
/// xmsBody), tXmsHeader (scheduled?, requiredService?, sourceType?, to, subject?), tTo (at least
/// one recipient), tUser and tXmsBody (format "SMS"). The free-text client attribute and
/// sourceType can only be recorded.
fn xms_data_schema() -> Scenario {
    Scenario::new("oms-client/request/xms-data-schema")
        .title("The xmsData of a DeliverXms follows tXmsData, tXmsHeader, tTo, tUser and tXmsBody")
        .section("MS-OMS 2.2.4.17")
        .section("MS-OMS 2.2.4.18")
        .section("MS-OMS 2.2.4.16")
        .requirements([
            "OMS-R086", "OMS-R087", "OMS-R082", "OMS-R083", "OMS-R078", "OMS-R079", "OMS-R090",
            "OMS-R095", "OMS-R096", "OMS-R091",
        ])
        .level(Level::Must)
        .caught_by("head-after-body")
        .run(with_client(|cx, client| async move {
            let server = client.server(&example_service_info(), false).await?;
            let to = client.recipients(2);
            client.send(&server, &to, "oxconf: xmsData schema").await?;
            let requests = client
                .requests_for(&server, Operation::DeliverXms, &["OMS-R086"])
                .await?;
            let mut reached: Vec<String> = Vec::new();
            for r in &requests {
                let parsed = client.parse_xms_data(r)?;
                client.judge_findings("xmsData", &parsed.findings, &XMS_DATA_RULES)?;
                let others: Vec<Finding> = parsed
                    .findings
                    .iter()
                    .filter(|f| f.requirement.is_none_or(|id| !XMS_DATA_RULES.contains(&id)))
                    .cloned()
                    .collect();
                if !others.is_empty() {
                    record_findings(&cx, "xmsData", &others, &["OMS-R086"])?;
                }
                let data = parsed.value;
                text_message_shape(&cx, &data)?;
                reached.extend(data.recipients().iter().cloned());
                cx.cite(["OMS-R096"]).info(
                    "client attribute",
                    data.client.as_deref().unwrap_or("(absent)"),
                );
                cx.cite(["OMS-R091"]).info(
                    "xmsHead/sourceType",
                    data.head
                        .as_ref()
                        .and_then(|h| h.source_type.as_deref())
                        .unwrap_or("(absent)"),
                );
            }
            let missing: Vec<&String> = to.iter().filter(|t| !reached.contains(t)).collect();
            cx.cite(["OMS-R078"]).expect(
                "xmsHead/to names every recipient given to the client",
                missing.is_empty(),
                format!("{to:?}"),
                if missing.is_empty() {
                    format!("all named: {reached:?}")
                } else {
                    format!("{reached:?} (missing {missing:?})")
                },
            )
        }))
}

/// The value-level rules of a text message's xmsData that the schema cannot express.
fn text_message_shape(cx: &Cx, data: &XmsData) -> Result<(), Stop> {
    cx.cite(["OMS-R087"]).expect(
        "xmsData carries an xmsHead (the recipients travel in xmsHead/to)",
        data.head.is_some(),
        "an xmsHead element",
        if data.head.is_some() {
            "present"
        } else {
            "none"
        },
    )?;
    let recipients = data.recipients();
    cx.cite(["OMS-R078"]).expect(
        "xmsHead/to has at least one recipient",
        !recipients.is_empty(),
        "one or more recipient elements",
        format!("{} recipients", recipients.len()),
    )?;
    cx.cite(["OMS-R083"]).expect_eq(
        "xmsBody/@format of a text message",
        "SMS",
        data.body.format.as_str(),
    )?;
    cx.cite(["OMS-R082"]).expect(
        "xmsBody carries the text",
        !data.body.contents.is_empty(),
        "one or more content elements",
        format!("{} content elements", data.body.contents.len()),
    )?;
    let service = data
        .head
        .as_ref()
        .and_then(|h| h.required_service.as_deref());
    cx.cite(["OMS-R090", "OMS-R095"]).expect(
        "xmsHead/requiredService of a text message",
        service.is_none_or(|s| s == SMS_SENDER),
        format!(
            "absent or {SMS_SENDER:?} (not {MMS_SENDER:?}: that asks for a multimedia message)"
        ),
        format!("{service:?}"),
    )
}

/// Media type essence "text/plain", parameters and letter case aside (RFC 2045 5.1).
fn is_text_plain(content_type: &str) -> bool {
    essence(content_type) == TEXT_PLAIN
}

/// A contentLocation looks like a file name: no directory parts, printable, not blank.
fn looks_like_file_name(location: &str) -> bool {
    let trimmed = location.trim();
    !trimmed.is_empty()
        && trimmed == location
        && !location.contains(['/', '\\', ':'])
        && !location.chars().any(char::is_control)
}

/// MS-OMS 2.2.4.3: every content of a text message is text/plain and carries contentType,
/// contentId and contentLocation; contentLocation names a file (recorded, no verdict).
fn sms_content_type() -> Scenario {
    Scenario::new("oms-client/request/sms-content-type")
        .title(
            "Text message contents are text/plain with contentType, contentId and contentLocation",
        )
        .section("MS-OMS 2.2.4.3")
        .requirements(["OMS-R028", "OMS-R027", "OMS-R032"])
        .level(Level::Structure)
        .caught_by("sms-content-type-html")
        .run(with_client(|cx, client| async move {
            let server = client.server(&example_service_info(), false).await?;
            client
                .send(&server, &client.recipients(1), "oxconf: content type")
                .await?;
            let requests = client
                .requests_for(&server, Operation::DeliverXms, &["OMS-R028"])
                .await?;
            for r in &requests {
                let parsed = client.parse_xms_data(r)?;
                client.judge_findings(
                    "xmsBody content",
                    &parsed.findings,
                    &["OMS-R028", "OMS-R027"],
                )?;
                let contents = &parsed.value.body.contents;
                let types: Vec<&str> = contents.iter().map(|c| c.content_type.as_str()).collect();
                cx.cite(["OMS-R028"]).expect(
                    "content types of a text message",
                    !types.is_empty() && types.iter().all(|t| is_text_plain(t)),
                    "text/plain only",
                    format!("{types:?}"),
                )?;
                let locations: Vec<String> = contents
                    .iter()
                    .map(|c| {
                        let shape = if looks_like_file_name(&c.content_location) {
                            "file name"
                        } else {
                            "not a plain file name"
                        };
                        format!("{:?} ({shape})", c.content_location)
                    })
                    .collect();
                cx.cite(["OMS-R032"])
                    .info("contentLocation values", locations.join(", "));
            }
            Ok(())
        }))
}

/// MS-OMS 3.1.4.1.1.1, 3.1.4.1.2.1: a client needs the limits, so it asks GetServiceInfo; the
/// request carries the GetServiceInfo action and an empty GetServiceInfo element (E-OMS-04).
fn get_service_info() -> Scenario {
    Scenario::new("oms-client/request/get-service-info")
        .title("The client asks GetServiceInfo with the GetServiceInfo action and an empty body element")
        .section("MS-OMS 3.1.4.1.1.1")
        .section("MS-OMS 3.1.4.1.2.1")
        .requirements(["OMS-R108", "OMS-R106"])
        .level(Level::Structure)
        .caught_by("get-service-info-with-children")
        .run(with_client(|cx, client| async move {
            let server = client.server(&example_service_info(), false).await?;
            client
                .send(&server, &client.recipients(1), "oxconf: service information")
                .await?;
            let requests = client
                .requests_for(&server, Operation::GetServiceInfo, &["OMS-R108"])
                .await?;
            let expected_action = Operation::GetServiceInfo.action();
            for r in &requests {
                let request = r.parsed.as_ref().map_err(|e| {
                    cx.cite(["OMS-R108"]).fail(
                        "GetServiceInfo request readable",
                        "a SOAP envelope whose body is the GetServiceInfo element",
                        e.to_string(),
                    )
                })?;
                client.judge_findings(
                    "GetServiceInfo request",
                    &request.findings,
                    &["OMS-R108", "OMS-R106"],
                )?;
                cx.cite(["OMS-R108"]).expect(
                    "GetServiceInfo element",
                    request.op == Operation::GetServiceInfo && request.payload.is_none(),
                    "<GetServiceInfo xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"/> with no child",
                    format!(
                        "{} with {}",
                        request.op.name(),
                        if request.payload.is_none() { "no parameter" } else { "a parameter" }
                    ),
                )?;
                let action = request.action.as_deref();
                cx.cite(["OMS-R106"]).expect(
                    "SOAP action of GetServiceInfo",
                    action.and_then(Operation::from_action) == Some(Operation::GetServiceInfo),
                    &expected_action,
                    action.unwrap_or("(none)"),
                )?;
            }
            let order: Vec<&str> = server
                .requests()
                .await
                .iter()
                .map(|r| r.op.map_or("unrouted", |o| o.name()))
                .collect();
            cx.cite(["OMS-R108"])
                .info("requests in arrival order", order.join(", "));
            Ok(())
        }))
}

/// MS-OMS 2.2.4.15, 2.2.4.17: with authenticationType "other" the client identifies its user in
/// xmsData/user: userId and password are the account it is configured with.
fn user_credentials() -> Scenario {
    Scenario::new("oms-client/request/user-credentials")
        .title("xmsData/user carries the configured userId and password")
        .section("MS-OMS 2.2.4.15")
        .section("MS-OMS 2.2.4.17")
        .requirements(["OMS-R079", "OMS-R086", "OMS-R123"])
        .level(Level::Must)
        .needs(claims::CREDENTIALS)
        .caught_by("no-user-element")
        .run(with_client(|cx, client| async move {
            let account = client
                .env
                .account
                .clone()
                .ok_or_else(|| Stop::skip("the profile names no oms.user / oms.password"))?;
            let server = client.server(&example_service_info(), false).await?;
            client
                .send(&server, &client.recipients(1), "oxconf: credentials")
                .await?;
            let requests = client
                .requests_for(&server, Operation::DeliverXms, &["OMS-R086"])
                .await?;
            for r in &requests {
                let data = client.parse_xms_data(r)?.value;
                let user = data.user.as_ref();
                cx.cite(["OMS-R086"]).expect(
                    "xmsData/user (the sender's credentials)",
                    user.is_some(),
                    "a user element",
                    if user.is_some() { "present" } else { "none" },
                )?;
                let user_id = user.and_then(|u| u.user_id.as_deref());
                cx.cite(["OMS-R079"]).expect(
                    "user/userId",
                    user_id == Some(account.user.as_str()),
                    "the profile's oms.user",
                    user_id.unwrap_or("(absent)"),
                )?;
                let password = user.and_then(|u| u.password.as_deref());
                // The scripted service advertises authenticationType "other": user name and
                // password (MS-OMS 3.1.4.1.4.1).
                cx.cite(["OMS-R079", "OMS-R123"]).expect(
                    "user/password",
                    password == Some(account.password.as_str()),
                    "the profile's oms.password",
                    match password {
                        None => "(absent)",
                        Some(p) if p == account.password => "the profile's oms.password",
                        Some(_) => "another value",
                    },
                )?;
            }
            Ok(())
        }))
}

/// MS-OMS 1.5, 2.1: SOAP runs over HTTPS to protect the credentials; a client must be able to
/// deliver to an https:// service. A client that sends nothing fails: that is the finding.
fn https() -> Scenario {
    Scenario::new("oms-client/request/https")
        .title("The client delivers to an https:// service")
        .section("MS-OMS 1.5")
        .section("MS-OMS 2.1")
        .requirements(["OMS-R001"])
        .level(Level::Structure)
        .needs(claims::HTTPS)
        .caught_by("https-unsupported")
        .run(with_client(|cx, client| async move {
            let server = client.server(&example_service_info(), true).await?;
            if !server.is_tls() {
                return Err(Stop::error("the scripted server did not start with TLS"));
            }
            let run = client
                .send(&server, &client.recipients(1), "oxconf: over https")
                .await?;
            // No request at all is the finding here (a client without TLS), not a broken
            // trigger, so the trigger's complaint goes into the evidence.
            let received = server.requests_for(Operation::DeliverXms).await.len();
            let complaint = run
                .stderr
                .lines()
                .find(|l| !l.trim().is_empty())
                .map(|l| format!("; the trigger said: {}", l.trim()))
                .unwrap_or_default();
            cx.expect(
                "DeliverXms requests received by the https:// service",
                received > 0,
                "at least one, over TLS",
                if received > 0 {
                    received.to_string()
                } else {
                    format!(
                        "none ({}{complaint})",
                        run.failure_reason().unwrap_or_else(|| "exit 0".into())
                    )
                },
            )?;
            let outcome = client.single_outcome(&run)?;
            cx.expect_eq(
                "outcome reported by the client",
                "delivered",
                outcome.outcome.as_str(),
            )
        }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("text/plain", true)]
    #[case("Text/Plain; charset=utf-8", true)]
    #[case(" text/plain ", true)]
    #[case("text/html", false)]
    #[case("text/plainish", false)]
    #[case("", false)]
    fn text_plain(#[case] content_type: &str, #[case] expected: bool) {
        assert_eq!(is_text_plain(content_type), expected);
    }

    #[rstest]
    #[case("1.txt", true)]
    #[case("106675.gif", true)]
    #[case("part one.txt", true)]
    #[case("", false)]
    #[case(" 1.txt", false)]
    #[case("dir/1.txt", false)]
    #[case("C:\\1.txt", false)]
    #[case("1\n.txt", false)]
    fn file_names(#[case] location: &str, #[case] expected: bool) {
        assert_eq!(looks_like_file_name(location), expected);
    }
}
