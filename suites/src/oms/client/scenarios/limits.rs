//! A client honours the limits GetServiceInfo advertises (MS-OMS 3.1.4.1.3.3): recipients per
//! message, characters per text message (single- and double-byte), text messages per xmsData.
//!
//! Each scenario serves SMS_SENDER without LONG_SMS_SENDER, so exactly one set of limits
//! applies, and reads the requests without judging their schema (the request scenarios do).

use crate::oms::client::probe::{with_client, Client};
use harness::{Cx, Level, Scenario, Stop};
use mocks::oms::scripted::{example_service_info, Recorded, ScriptedOms};
use wire::oms::text::char_len;
use wire::oms::{Operation, ServiceInfo, SmsLimits, SmsSender, XmsData};

pub(super) fn all() -> Vec<Scenario> {
    vec![max_recipients(), length_split(), max_messages_per_send()]
}

/// The example service with these SMS_SENDER limits and no LONG_SMS_SENDER.
fn service_with(limits: SmsLimits) -> ServiceInfo {
    let mut info = example_service_info();
    info.supported_service.sms = Some(SmsSender { limits, long: None });
    info
}

/// Generous limits, to be narrowed one at a time.
fn roomy() -> SmsLimits {
    SmsLimits {
        max_recipients_per_message: 50,
        max_messages_per_send: 20,
        max_sbcs_per_message: 140,
        max_dbcs_per_message: 70,
    }
}

/// The xmsData documents of the DeliverXms requests, in arrival order.
async fn sent_documents(
    client: &Client,
    server: &ScriptedOms,
    req: &str,
) -> Result<Vec<XmsData>, Stop> {
    let requests: Vec<Recorded> = client
        .requests_for(server, Operation::DeliverXms, &[req])
        .await?;
    requests
        .iter()
        .map(|r| client.parse_xms_data(r).map(|p| p.value))
        .collect()
}

/// The content texts of all documents, in order, joined: what a phone shows once every part
/// arrived.
fn rebuilt(docs: &[XmsData]) -> String {
    docs.iter()
        .flat_map(|d| d.body.contents.iter().map(|c| c.text.as_str()))
        .collect()
}

/// MS-OMS 3.1.4.1.3.3: maxRecipientsPerMessage bounds the recipients of one text message, so a
/// client splits a longer recipient list over several requests.
fn max_recipients() -> Scenario {
    Scenario::new("oms-client/limits/max-recipients")
        .title("No DeliverXms carries more recipients than maxRecipientsPerMessage; together they reach all")
        .section("MS-OMS 3.1.4.1.3.3")
        .requirements(["OMS-R118"])
        .level(Level::Structure)
        .caught_by("ignore-max-recipients")
        .run(with_client(|cx, client| async move {
            let limit = 2;
            let server = client
                .server(
                    &service_with(SmsLimits {
                        max_recipients_per_message: limit,
                        ..roomy()
                    }),
                    false,
                )
                .await?;
            // Five, or fewer when the profile lists fewer numbers: any count above the limit
            // needs a split, and a number must not be repeated.
            let to = client.recipients(5.min(client.env.recipients.len()));
            client.send(&server, &to, "oxconf: recipient limit").await?;
            let docs = sent_documents(&client, &server, "OMS-R118").await?;
            let counts: Vec<usize> = docs.iter().map(|d| d.recipients().len()).collect();
            cx.expect(
                "recipients per DeliverXms",
                counts.iter().all(|n| *n <= limit as usize),
                format!("at most {limit} in each request"),
                format!("{counts:?}"),
            )?;
            let reached: Vec<&String> = docs.iter().flat_map(|d| d.recipients()).collect();
            let missing: Vec<&String> = to.iter().filter(|t| !reached.contains(t)).collect();
            cx.expect(
                "recipients reached by all requests together",
                missing.is_empty(),
                format!("{to:?}"),
                if missing.is_empty() {
                    format!("all reached: {reached:?}")
                } else {
                    format!("{reached:?} (missing {missing:?})")
                },
            )
        }))
}

/// Checks every content against `limit` characters and the parts against `text`.
fn judge_parts(cx: &Cx, docs: &[XmsData], text: &str, limit: u32, which: &str) -> Result<(), Stop> {
    let lengths: Vec<usize> = docs
        .iter()
        .flat_map(|d| d.body.contents.iter().map(|c| char_len(&c.text)))
        .collect();
    cx.expect(
        &format!("characters per text message ({which})"),
        !lengths.is_empty() && lengths.iter().all(|n| *n <= limit as usize),
        format!("at most {limit} in each content element"),
        format!("{lengths:?}"),
    )?;
    let joined = rebuilt(docs);
    cx.expect(
        &format!("the parts, in order, rebuild the text ({which})"),
        joined == text,
        text,
        &joined,
    )
}

/// MS-OMS 3.1.4.1.3.3: maxSbcsPerMessage bounds a text of US-ASCII characters,
/// maxDbcsPerMessage a text with double-byte characters; a longer text goes out as several
/// content elements, each a text message of its own (MS-OMS 2.2.4.16), in order.
fn length_split() -> Scenario {
    Scenario::new("oms-client/limits/length-split")
        .title("Long texts are cut to maxSbcsPerMessage / maxDbcsPerMessage characters, in order")
        .section("MS-OMS 3.1.4.1.3.3")
        .requirements(["OMS-R120"])
        .level(Level::Structure)
        .caught_by("ignore-length-limit")
        .run(with_client(|cx, client| async move {
            let limits = SmsLimits {
                max_sbcs_per_message: 20,
                max_dbcs_per_message: 10,
                ..roomy()
            };
            // 70 US-ASCII characters, no spaces (so a client cutting at word boundaries cuts
            // the same way), every ten marked so a reordering shows.
            let ascii: String = ('A'..='G').map(|c| format!("{c}123456789")).collect();
            let to = client.recipients(1);
            let server = client.server(&service_with(limits.clone()), false).await?;
            client.send(&server, &to, &ascii).await?;
            let docs = sent_documents(&client, &server, "OMS-R120").await?;
            judge_parts(
                &cx,
                &docs,
                &ascii,
                limits.max_sbcs_per_message,
                "US-ASCII, maxSbcsPerMessage",
            )?;
            // 25 CJK characters: the double-byte limit applies.
            let cjk = "春夏秋冬东南西北上下左右前后天地日月山水风火雷电云";
            let server = client.server(&service_with(limits.clone()), false).await?;
            client.send(&server, &to, cjk).await?;
            let docs = sent_documents(&client, &server, "OMS-R120").await?;
            judge_parts(
                &cx,
                &docs,
                cjk,
                limits.max_dbcs_per_message,
                "double-byte, maxDbcsPerMessage",
            )
        }))
}

/// MS-OMS 3.1.4.1.3.3: maxMessagesPerSend bounds the separate text messages (content elements)
/// of one xmsData, so a text cut into more parts takes several requests.
fn max_messages_per_send() -> Scenario {
    Scenario::new("oms-client/limits/max-messages-per-send")
        .title(
            "No xmsData carries more content elements than maxMessagesPerSend; every part is sent",
        )
        .section("MS-OMS 3.1.4.1.3.3")
        .requirements(["OMS-R119"])
        .level(Level::Structure)
        .caught_by("ignore-max-messages-per-send")
        .run(with_client(|cx, client| async move {
            let per_send = 2;
            let limits = SmsLimits {
                max_messages_per_send: per_send,
                max_sbcs_per_message: 20,
                max_dbcs_per_message: 10,
                ..roomy()
            };
            // 100 US-ASCII characters: five parts of 20.
            let text: String = ('A'..='J').map(|c| format!("{c}123456789")).collect();
            let server = client.server(&service_with(limits), false).await?;
            client.send(&server, &client.recipients(1), &text).await?;
            let docs = sent_documents(&client, &server, "OMS-R119").await?;
            let counts: Vec<usize> = docs.iter().map(|d| d.body.contents.len()).collect();
            cx.expect(
                "content elements per xmsData",
                counts.iter().all(|n| *n <= per_send as usize),
                format!("at most {per_send} in each request"),
                format!("{counts:?}"),
            )?;
            let joined = rebuilt(&docs);
            cx.expect("every part sent, in order", joined == text, &text, &joined)
        }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wire::oms::{Content, XmsBody};

    fn doc(parts: &[&str]) -> XmsData {
        XmsData {
            body: XmsBody {
                format: "SMS".into(),
                slides: None,
                contents: parts
                    .iter()
                    .map(|t| Content {
                        text: t.to_string(),
                        ..Content::default()
                    })
                    .collect(),
            },
            ..XmsData::default()
        }
    }

    #[test]
    fn parts_rejoin_in_request_then_content_order() {
        assert_eq!(rebuilt(&[doc(&["ab", "cd"]), doc(&["e"])]), "abcde");
        assert_eq!(rebuilt(&[doc(&["e"]), doc(&["ab", "cd"])]), "eabcd");
        assert_eq!(rebuilt(&[]), "");
    }

    #[test]
    fn served_limits_are_the_only_ones() {
        let limits = SmsLimits {
            max_recipients_per_message: 2,
            ..roomy()
        };
        let info = service_with(limits.clone());
        let sms = info.supported_service.sms.clone().unwrap_or_default();
        assert_eq!(sms.limits, limits);
        assert_eq!(sms.long, None);
        let parsed = ServiceInfo::parse(&info.to_xml()).unwrap();
        assert_eq!(parsed.findings, vec![]);
        assert_eq!(parsed.value, info);
    }
}
