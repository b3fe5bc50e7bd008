//! Checking the reply mail a server under test sent (MS-OMS 2.2.2.1, 3.1.4.5): a strict
//! reading of the framing, mail-parser for the MIME content, then the 2.2.2.1 rules.

use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders, PartType};

use super::address::parse_address_list;
use super::build::{MMS_CONTENT_CLASS, SMIL_NAME, SMS_CONTENT_CLASS};
use super::charset::is_iana_charset;
use super::framing::{self, Framing};
use super::model::{DecodedReply, ExpectedReply, ReplyExpectation, ReplyReport};
use super::rules::{self, *};
use super::structure;
use super::subject::{acceptable_text_subjects, has_open_hint, text_subject_ok};
use crate::finding::{Finding, Layer, LayerError};
use crate::media_type::essence;

/// Larger input is refused outright; the sink never delivers more than a few MiB.
pub const MAX_MAIL_BYTES: usize = 64 * 1024 * 1024;

/// Strict reading: unparseable mail => Err(LayerError{Mime}); everything else is reported as
/// findings, each with the requirement of its rule.
pub fn check_reply(raw: &[u8], expected: &ReplyExpectation) -> Result<ReplyReport, LayerError> {
    if raw.len() > MAX_MAIL_BYTES {
        return Err(LayerError::new(
            Layer::Mime,
            format!(
                "message of {} bytes exceeds the {MAX_MAIL_BYTES} byte limit",
                raw.len()
            ),
        ));
    }
    let framing = framing::scan(raw)?;
    let bytes: &[u8] = framing.repaired.as_deref().unwrap_or(raw);
    let message = MessageParser::default()
        .parse(bytes)
        .filter(|m| !m.parts.is_empty())
        .ok_or_else(|| {
            LayerError::new(Layer::Mime, "the MIME parser could not read the message")
        })?;

    let mut out = Out::default();
    for issue in framing
        .issues
        .iter()
        .chain(structure::check(&message, bytes).iter())
    {
        out.violation(MIME_MALFORMED, &issue.path, &issue.message);
    }
    let paths = structure::part_paths(&message);
    let decoded = decode(&framing, &message);
    check_headers(&framing, &decoded, expected, &mut out);
    match &expected.kind {
        ExpectedReply::Text { text } => check_text(&message, &paths, text, &mut out),
        ExpectedReply::Mms {
            subject,
            smil,
            media_types,
        } => {
            check_mms_subject(decoded.subject.as_deref(), subject, &mut out);
            check_mms_body(&message, *smil, media_types, &mut out);
        }
    }
    Ok(ReplyReport {
        decoded,
        findings: out.0,
    })
}

/// Findings with the requirement of their rule attached.
#[derive(Default)]
struct Out(Vec<Finding>);

impl Out {
    fn violation(&mut self, rule: &'static str, path: &str, message: impl Into<String>) {
        self.push(Finding::violation(rule, path, message));
    }

    fn advice(&mut self, rule: &'static str, path: &str, message: impl Into<String>) {
        self.push(Finding::advice(rule, path, message));
    }

    fn push(&mut self, finding: Finding) {
        let finding = match rules::requirement(finding.rule) {
            Some(r) => finding.requirement(r),
            None => finding,
        };
        self.0.push(finding);
    }
}

fn decode(framing: &Framing, message: &Message<'_>) -> DecodedReply {
    let value = |name: &str| framing.field(name).map(|f| f.value.clone());
    let addresses = |name: &str| {
        value(name)
            .map(|v| {
                parse_address_list(&v)
                    .into_iter()
                    .map(|m| m.address)
                    .collect()
            })
            .unwrap_or_default()
    };
    let root = &message.parts[0];
    let parts = match &root.body {
        PartType::Multipart(children) => children
            .iter()
            .filter_map(|&id| message.parts.get(id as usize))
            .map(|p| (effective_media_type(p), part_name(p)))
            .collect(),
        _ => Vec::new(),
    };
    DecodedReply {
        content_class: value("Content-class"),
        reply_to_mobile: value("X-MS-Reply-To-Mobile"),
        to: addresses("To"),
        from: addresses("From"),
        subject: message
            .subject()
            .map(str::to_string)
            .or_else(|| value("Subject")),
        content_type: media_type(root),
        text: first_plain_text(message).and_then(|id| part_text(&message.parts[id])),
        parts,
    }
}

fn check_headers(
    framing: &Framing,
    decoded: &DecodedReply,
    expected: &ReplyExpectation,
    out: &mut Out,
) {
    let class = match expected.kind {
        ExpectedReply::Text { .. } => SMS_CONTENT_CLASS,
        ExpectedReply::Mms { .. } => MMS_CONTENT_CLASS,
    };
    match decoded.content_class.as_deref().map(str::trim) {
        None => out.violation(
            CONTENT_CLASS,
            "/headers/Content-class",
            format!("no Content-class header; expected {class}"),
        ),
        Some(v) if !v.eq_ignore_ascii_case(class) => out.violation(
            CONTENT_CLASS,
            "/headers/Content-class",
            format!("Content-class is {v:?}; expected {class}"),
        ),
        Some(_) => {}
    }

    const MOBILE: &str = "/headers/X-MS-Reply-To-Mobile";
    match decoded.reply_to_mobile.as_deref().map(str::trim) {
        None | Some("") => out.violation(
            REPLY_TO_MOBILE_MISSING,
            MOBILE,
            "no X-MS-Reply-To-Mobile header carrying the replying phone's number",
        ),
        Some(number) => {
            if !is_phone_number(number) {
                out.advice(
                    REPLY_TO_MOBILE_NOT_PHONE,
                    MOBILE,
                    format!("{number:?} does not look like a mobile phone number"),
                );
            }
            if let Some(phone) = &expected.phone {
                if !same_phone(number, phone) {
                    out.violation(
                        REPLY_TO_MOBILE_MISMATCH,
                        MOBILE,
                        format!(
                            "X-MS-Reply-To-Mobile is {number:?}; the reply came from {phone:?}"
                        ),
                    );
                }
            }
        }
    }

    for name in ["To", "From"] {
        let Some(field) = framing.field(name) else {
            continue;
        };
        for mailbox in parse_address_list(&field.value) {
            if !mailbox.well_formed {
                out.violation(
                    MIME_MALFORMED,
                    &format!("/headers/{name}"),
                    format!(
                        "{name} entry for {:?} is not an RFC 5322 mailbox (a display name \
                         needs the address in angle brackets)",
                        mailbox.address
                    ),
                );
            }
        }
    }
    let wanted = expected.to.trim().to_ascii_lowercase();
    if framing.field("To").is_none() {
        out.violation(TO, "/headers/To", "no To header");
    } else {
        let got: Vec<String> = decoded.to.iter().map(|a| a.to_ascii_lowercase()).collect();
        if got.len() != 1 || got[0] != wanted {
            out.violation(
                TO,
                "/headers/To",
                format!(
                    "To is {:?}; expected only the user's reply address {:?}",
                    decoded.to, expected.to
                ),
            );
        }
    }
    if !decoded.from.iter().any(|a| a.contains('@')) {
        out.violation(
            FROM_MISSING,
            "/headers/From",
            "no From address through which the phone user's answers come back",
        );
    }

    if let ExpectedReply::Text { text } = &expected.kind {
        match decoded.subject.as_deref() {
            None => out.violation(SUBJECT_TEXT, "/headers/Subject", "no Subject header"),
            Some(s) if !text_subject_ok(s, text) => out.violation(
                SUBJECT_TEXT,
                "/headers/Subject",
                format!(
                    "Subject {:?} is neither the first line nor the first 40 characters of the \
                     text; accepted: {:?}",
                    excerpt(s),
                    acceptable_text_subjects(text)
                ),
            ),
            Some(_) => {}
        }
    }
}

fn check_mms_subject(subject: Option<&str>, mms_subject: &str, out: &mut Out) {
    const PATH: &str = "/headers/Subject";
    let Some(subject) = subject else {
        out.violation(SUBJECT_MMS, PATH, "no Subject header");
        return;
    };
    if !subject.contains(mms_subject.trim()) {
        out.violation(
            SUBJECT_MMS,
            PATH,
            format!(
                "Subject {:?} does not carry the MMS subject {mms_subject:?}",
                excerpt(subject)
            ),
        );
    }
    if !has_open_hint(subject, mms_subject) {
        out.advice(
            SUBJECT_MMS_HINT,
            PATH,
            format!(
                "Subject {:?} does not remind the user to open the message to view its content",
                excerpt(subject)
            ),
        );
    }
}

fn check_text(message: &Message<'_>, paths: &[String], expected: &str, out: &mut Out) {
    let root = &message.parts[0];
    let top = media_type(root);
    let text_part = match top.as_str() {
        "text/plain" => Some(0),
        "" => {
            out.violation(
                TEXT_CONTENT_TYPE,
                "/headers/Content-Type",
                "no Content-Type header; a text reply needs Content-Type: text/plain; charset=...",
            );
            Some(0)
        }
        "multipart/alternative" => {
            let children = children(message, root);
            let plain = children
                .iter()
                .copied()
                .find(|&id| effective_media_type(&message.parts[id]) == "text/plain");
            let html = children
                .iter()
                .copied()
                .find(|&id| effective_media_type(&message.parts[id]) == "text/html");
            if plain.is_none() || html.is_none() {
                let found: Vec<String> = children
                    .iter()
                    .map(|&id| effective_media_type(&message.parts[id]))
                    .collect();
                out.violation(
                    TEXT_ALTERNATIVE,
                    "/body",
                    format!(
                        "multipart/alternative must hold text/plain and text/html; found {found:?}"
                    ),
                );
            }
            if let Some(id) = html {
                check_charset(&message.parts[id], &paths[id], out);
            }
            plain
        }
        other => {
            out.violation(
                TEXT_CONTENT_TYPE,
                "/headers/Content-Type",
                format!(
                    "a text reply must be text/plain (or multipart/alternative); found {other}"
                ),
            );
            first_plain_text(message)
        }
    };
    let Some(id) = text_part else {
        out.violation(
            TEXT_BODY,
            "/body",
            "no text/plain part holds the message text",
        );
        return;
    };
    let part = &message.parts[id];
    let path = &paths[id];
    match charset_of(part) {
        None => out.violation(
            TEXT_CHARSET_MISSING,
            path,
            "the text/plain part has no charset parameter",
        ),
        Some(_) => check_charset(part, path, out),
    }
    let cte = part
        .content_transfer_encoding()
        .map(|c| c.trim().to_ascii_lowercase());
    if cte.as_deref() != Some("quoted-printable") {
        out.violation(
            TEXT_NOT_QUOTED_PRINTABLE,
            path,
            format!(
                "Content-Transfer-Encoding is {}; expected quoted-printable",
                cte.as_deref().unwrap_or("absent (7bit)")
            ),
        );
    }
    let got = part_text(part).unwrap_or_default();
    if normalize(&got) != normalize(expected) {
        out.violation(
            TEXT_BODY,
            path,
            format!(
                "decoded text {:?} differs from the phone's reply {:?}",
                excerpt(&got),
                excerpt(expected)
            ),
        );
    }
}

fn check_charset(part: &MessagePart<'_>, path: &str, out: &mut Out) {
    if let Some(charset) = charset_of(part) {
        if !is_iana_charset(&charset) {
            out.violation(
                CHARSET_NOT_IANA,
                path,
                format!("charset {charset:?} is not a registered IANA character set name"),
            );
        }
    }
}

fn check_mms_body(message: &Message<'_>, smil: bool, media_types: &[String], out: &mut Out) {
    let root = &message.parts[0];
    let top = media_type(root);
    let Some(subtype) = top.strip_prefix("multipart/") else {
        out.violation(
            MMS_NOT_MULTIPART,
            "/headers/Content-Type",
            format!("a multimedia reply must be a multipart MIME message; found {top:?}"),
        );
        return;
    };
    let children: Vec<&MessagePart<'_>> = children(message, root)
        .into_iter()
        .map(|id| &message.parts[id])
        .collect();
    let types: Vec<String> = children.iter().map(|p| effective_media_type(p)).collect();
    let mut expected: Vec<String> = media_types.iter().map(|t| essence(t)).collect();
    expected.sort();

    if !smil {
        if subtype != "mixed" {
            out.violation(
                MMS_NOT_MIXED,
                "/headers/Content-Type",
                format!("without SMIL the body must be multipart/mixed; found {top}"),
            );
        }
        compare_media(MMS_MIXED_PARTS, types, expected, out);
        return;
    }

    if subtype != "related" {
        out.violation(
            MMS_NOT_RELATED,
            "/headers/Content-Type",
            format!("with SMIL the body must be multipart/related; found {top}"),
        );
    } else {
        let type_param = root
            .content_type()
            .and_then(|ct| ct.attribute("type"))
            .map(|t| t.trim().to_ascii_lowercase());
        if type_param.as_deref() != Some("application/smil") {
            out.violation(
                MMS_SMIL_TYPE,
                "/headers/Content-Type",
                format!(
                    "multipart/related needs type=\"application/smil\"; found {}",
                    type_param.map_or("no type parameter".to_string(), |t| format!("{t:?}"))
                ),
            );
        }
    }

    let smil_at = types.iter().position(|t| t == "application/smil");
    match smil_at {
        None => out.violation(MMS_SMIL_NOT_FIRST, "/body", "no application/smil part"),
        Some(0) => {
            let name = children[0]
                .content_type()
                .and_then(|ct| ct.attribute("name"))
                .map(str::to_string);
            if !name
                .as_deref()
                .is_some_and(|n| n.trim().eq_ignore_ascii_case(SMIL_NAME))
            {
                out.violation(
                    MMS_SMIL_NOT_FIRST,
                    "/body/part[1]",
                    format!(
                        "the SMIL part must be Content-Type: application/smil; name=\"{SMIL_NAME}\"; \
                         name is {name:?}"
                    ),
                );
            }
        }
        Some(k) => out.violation(
            MMS_SMIL_NOT_FIRST,
            &format!("/body/part[{}]", k + 1),
            format!(
                "the SMIL part is part {} of {}; it must come first",
                k + 1,
                types.len()
            ),
        ),
    }
    let media: Vec<String> = types
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != smil_at)
        .map(|(_, t)| t.clone())
        .collect();
    compare_media(MMS_MEDIA_PARTS, media, expected, out);
}

fn compare_media(rule: &'static str, mut found: Vec<String>, expected: Vec<String>, out: &mut Out) {
    found.sort();
    if found != expected {
        out.violation(
            rule,
            "/body",
            format!("media parts have types {found:?}; the MMS held {expected:?}"),
        );
    }
}

fn children(message: &Message<'_>, part: &MessagePart<'_>) -> Vec<usize> {
    match &part.body {
        PartType::Multipart(ids) => ids
            .iter()
            .map(|&id| id as usize)
            .filter(|&id| id < message.parts.len())
            .collect(),
        _ => Vec::new(),
    }
}

/// "type/subtype" in lower case, "" without a Content-Type header.
fn media_type(part: &MessagePart<'_>) -> String {
    part.content_type()
        .map(|ct| {
            format!(
                "{}/{}",
                ct.ctype().trim().to_ascii_lowercase(),
                ct.subtype().unwrap_or("").trim().to_ascii_lowercase()
            )
        })
        .unwrap_or_default()
}

/// As `media_type`, with RFC 2045 5.2's default for parts that have none.
fn effective_media_type(part: &MessagePart<'_>) -> String {
    match media_type(part) {
        t if t.is_empty() => "text/plain".to_string(),
        t => t,
    }
}

fn part_name(part: &MessagePart<'_>) -> Option<String> {
    part.content_type()
        .and_then(|ct| ct.attribute("name"))
        .or_else(|| {
            part.content_disposition()
                .and_then(|cd| cd.attribute("filename"))
        })
        .or_else(|| part.content_location())
        .map(|n| n.trim().trim_matches('"').to_string())
}

fn charset_of(part: &MessagePart<'_>) -> Option<String> {
    part.content_type()
        .and_then(|ct| ct.attribute("charset"))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
}

fn first_plain_text(message: &Message<'_>) -> Option<usize> {
    message.parts.iter().position(|p| {
        !matches!(p.body, PartType::Multipart(_)) && effective_media_type(p) == "text/plain"
    })
}

fn part_text(part: &MessagePart<'_>) -> Option<String> {
    match &part.body {
        PartType::Text(t) | PartType::Html(t) => Some(t.to_string()),
        PartType::Binary(b) | PartType::InlineBinary(b) => {
            Some(String::from_utf8_lossy(b).into_owned())
        }
        _ => None,
    }
}

/// Line ends unified and trailing white space dropped: transports and servers differ there.
fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim_end()
        .to_string()
}

fn excerpt(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}...")
    }
}

/// An optional '+', then digits with common separators; 5 to 15 digits (E.164 allows 15).
fn is_phone_number(value: &str) -> bool {
    let body = value.strip_prefix('+').unwrap_or(value);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    body.chars()
        .all(|c| c.is_ascii_digit() || " -.()".contains(c))
        && body.starts_with(|c: char| c.is_ascii_digit() || c == '(')
        && (5..=15).contains(&digits)
}

/// Same digits, or one a suffix of the other (national vs international form).
fn same_phone(a: &str, b: &str) -> bool {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let (a, b) = (digits(a), digits(b));
    if a == b {
        return !a.is_empty();
    }
    let (short, long) = if a.len() < b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    short.len() >= 7 && long.ends_with(short.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("+8613601391354", true)]
    #[case("13601391354", true)]
    #[case("+1 (425) 555-0100", true)]
    #[case("12", false)]
    #[case("+", false)]
    #[case("someone@example.com", false)]
    #[case("+1234567890123456", false)]
    #[case("-123456", false)]
    fn phone_numbers(#[case] v: &str, #[case] ok: bool) {
        assert_eq!(is_phone_number(v), ok);
    }

    #[rstest]
    #[case("+8613601391354", "13601391354", true)]
    #[case("+86 136 0139 1354", "+8613601391354", true)]
    #[case("+8613601391354", "+8613601391355", false)]
    #[case("1354", "+8613601391354", false)]
    #[case("", "", false)]
    fn phone_matching(#[case] a: &str, #[case] b: &str, #[case] same: bool) {
        assert_eq!(same_phone(a, b), same);
    }

    #[rstest]
    #[case("a\r\nb\r\n", "a\nb")]
    #[case("x  \n\n", "x")]
    fn normalizes(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(normalize(input), expected);
    }

    #[test]
    fn excerpts_are_bounded() {
        assert_eq!(excerpt("short"), "short");
        assert_eq!(excerpt(&"x".repeat(100)).chars().count(), 63);
    }
}
