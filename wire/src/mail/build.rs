//! Building reply mail as MS-OMS 2.2.2.1 describes it: what a mock OMS server sends to a
//! client under test. The default output is an RFC 5322 / 2045-2047 valid rendering of the
//! 4.5 examples (E-OMS-21); [`BuildOptions`] knobs break one rule each.

use super::charset::encode_text;
use super::encode::{
    base64_lines, quoted, quoted_printable, structured_header, unstructured_header,
};
use super::model::{BuildOptions, MediaPart, Reply, ReplyBody, TextEncoding};
use super::subject::{mms_subject, text_subject};

/// The date of the 4.5 examples, used when a reply has none.
pub const PLACEHOLDER_DATE: &str = "Mon, 7 Nov 2005 17:52:00 +0800";
pub const SMS_CONTENT_CLASS: &str = "MS-OMS-SMS";
pub const MMS_CONTENT_CLASS: &str = "MS-OMS-MMS";
/// The name 2.2.2.1.2.2 gives the SMIL part.
pub const SMIL_NAME: &str = "mmspresent.smil";
const PREAMBLE: &str = "This is a multi-part message in MIME format.";

/// A MIME entity: its header lines (each ending CRLF) and its body (no trailing CRLF, since
/// the CRLF before a boundary delimiter belongs to the delimiter).
struct Entity {
    headers: String,
    body: Vec<u8>,
}

/// The complete message, CRLF line ends.
pub fn build_reply(reply: &Reply, opts: &BuildOptions) -> Vec<u8> {
    let seed = fingerprint(reply);
    let (class, subject, entity) = match &reply.body {
        ReplyBody::Text { text, charset } => (
            SMS_CONTENT_CLASS,
            text_subject(text),
            text_entity(text, charset, opts, seed),
        ),
        ReplyBody::Mms {
            subject,
            smil,
            media,
        } => (
            MMS_CONTENT_CLASS,
            mms_subject(subject),
            mms_entity(smil.as_deref(), media, opts, seed),
        ),
    };
    let subject = opts.subject.clone().unwrap_or(subject);
    let date = match reply.date.trim() {
        "" => PLACEHOLDER_DATE,
        d => d,
    };

    let mut head = String::new();
    head.push_str(&structured_header("From", &reply.from));
    head.push_str(&structured_header("To", &reply.to));
    head.push_str(&unstructured_header("Subject", &subject));
    head.push_str(&structured_header("Date", date));
    head.push_str(&structured_header(
        "Message-ID",
        &format!("<{seed:016x}.oxconf@{}>", domain_of(&reply.from)),
    ));
    match opts.content_class.as_deref() {
        None => head.push_str(&structured_header("Content-class", class)),
        Some("") => {}
        Some(other) => head.push_str(&structured_header("Content-class", other)),
    }
    if opts.reply_to_mobile {
        head.push_str(&structured_header("X-MS-Reply-To-Mobile", &reply.phone));
    }
    head.push_str("MIME-Version: 1.0\r\n");
    head.push_str(&entity.headers);
    head.push_str("\r\n");

    let mut out = head.into_bytes();
    out.extend_from_slice(&entity.body);
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn text_entity(text: &str, charset: &str, opts: &BuildOptions, seed: u64) -> Entity {
    let plain = text_part("text/plain", &crlf(text), charset, opts);
    if opts.html_alternative {
        let html = text_part("text/html", &html_view(text), charset, opts);
        let subtype = opts.container.as_deref().unwrap_or("alternative");
        return multipart(subtype, "", vec![plain, html], seed, 0);
    }
    match opts.container.as_deref() {
        Some(subtype) => multipart(subtype, "", vec![plain], seed, 0),
        None => plain,
    }
}

fn text_part(media_type: &str, text: &str, charset: &str, opts: &BuildOptions) -> Entity {
    let bytes = encode_text(text, charset);
    let content_type = if opts.charset_param {
        format!("{media_type}; charset={}", quoted(charset))
    } else {
        media_type.to_string()
    };
    let (cte, body) = match opts.text_encoding {
        TextEncoding::QuotedPrintable => {
            ("quoted-printable", quoted_printable(&bytes).into_bytes())
        }
        TextEncoding::Base64 => ("base64", base64_lines(&bytes).into_bytes()),
        TextEncoding::EightBit => ("8bit", bytes),
    };
    let mut headers = structured_header("Content-Type", &content_type);
    headers.push_str(&structured_header("Content-Transfer-Encoding", cte));
    Entity { headers, body }
}

/// The HTML view 2.2.2.1.2.1 allows next to the plain text.
fn html_view(text: &str) -> String {
    let escaped: Vec<String> = text
        .lines()
        .map(|l| {
            l.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        })
        .collect();
    format!("<html><body>{}</body></html>", escaped.join("<br>\r\n"))
}

fn mms_entity(smil: Option<&str>, media: &[MediaPart], opts: &BuildOptions, seed: u64) -> Entity {
    let mut parts: Vec<Entity> = media.iter().map(media_part).collect();
    if let Some(smil) = smil {
        let smil_part = binary_part(
            &format!("application/smil; name={}", quoted(SMIL_NAME)),
            SMIL_NAME,
            smil.as_bytes(),
        );
        if opts.smil_first {
            parts.insert(0, smil_part);
        } else {
            parts.push(smil_part);
        }
    }
    let default = if smil.is_some() { "related" } else { "mixed" };
    let subtype = opts.container.as_deref().unwrap_or(default);
    let params = if smil.is_some() && subtype.eq_ignore_ascii_case("related") {
        " type=\"application/smil\";"
    } else {
        ""
    };
    multipart(subtype, params, parts, seed, 0)
}

fn media_part(m: &MediaPart) -> Entity {
    let content_type = format!("{}; name={}", m.content_type.trim(), quoted(&m.name));
    binary_part(&content_type, &m.name, &m.data)
}

fn binary_part(content_type: &str, location: &str, data: &[u8]) -> Entity {
    let mut headers = structured_header("Content-Type", content_type);
    headers.push_str(&structured_header("Content-Transfer-Encoding", "base64"));
    headers.push_str(&structured_header("Content-Location", location));
    headers.push_str(&structured_header("Content-ID", &format!("<{location}>")));
    Entity {
        headers,
        body: base64_lines(data).into_bytes(),
    }
}

/// `params` is inserted after the media type (each parameter followed by ';').
fn multipart(subtype: &str, params: &str, parts: Vec<Entity>, seed: u64, level: u32) -> Entity {
    let mut boundary = format!("=_oxconf_{seed:016x}_{level}");
    // QP and base64 output can never contain "=_"; only 8bit text could, so check anyway.
    while parts.iter().any(|p| contains(&p.body, boundary.as_bytes())) {
        boundary.push('x');
    }
    let headers = structured_header(
        "Content-Type",
        &format!(
            "multipart/{subtype};{params} boundary={}",
            quoted(&boundary)
        ),
    );
    let mut body = PREAMBLE.as_bytes().to_vec();
    for part in parts {
        body.extend_from_slice(format!("\r\n--{boundary}\r\n").as_bytes());
        body.extend_from_slice(part.headers.as_bytes());
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&part.body);
    }
    body.extend_from_slice(format!("\r\n--{boundary}--").as_bytes());
    Entity { headers, body }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Text with every line break as CRLF.
fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', "\r\n")
}

fn domain_of(address: &str) -> String {
    address
        .rsplit_once('@')
        .map(|(_, d)| d.trim().trim_end_matches('>').trim().to_string())
        .filter(|d| {
            !d.is_empty()
                && d.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c))
        })
        .unwrap_or_else(|| "oxconf.invalid".to_string())
}

/// FNV-1a over the reply: deterministic boundaries and Message-IDs, so built mails can be
/// compared byte for byte across runs.
fn fingerprint(reply: &Reply) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    eat(reply.from.as_bytes());
    eat(reply.to.as_bytes());
    eat(reply.phone.as_bytes());
    eat(reply.date.as_bytes());
    match &reply.body {
        ReplyBody::Text { text, charset } => {
            eat(text.as_bytes());
            eat(charset.as_bytes());
        }
        ReplyBody::Mms {
            subject,
            smil,
            media,
        } => {
            eat(subject.as_bytes());
            eat(smil.as_deref().unwrap_or("").as_bytes());
            for m in media {
                eat(m.content_type.as_bytes());
                eat(m.name.as_bytes());
                eat(&m.data);
            }
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_reply(text: &str) -> Reply {
        Reply {
            from: "\"Mobile Inbound Agent\" <incomingmessage@service-provider.example>".into(),
            to: "someone@example.com".into(),
            phone: "+8613601391354".into(),
            date: String::new(),
            body: ReplyBody::Text {
                text: text.into(),
                charset: "us-ascii".into(),
            },
        }
    }

    #[test]
    fn text_mail_has_the_2_2_2_1_headers_in_order() {
        let mail = String::from_utf8(build_reply(
            &text_reply("Hi there"),
            &BuildOptions::default(),
        ))
        .unwrap();
        let head = mail.split("\r\n\r\n").next().unwrap();
        let names: Vec<&str> = head
            .split("\r\n")
            .filter_map(|l| l.split_once(':').map(|(n, _)| n))
            .collect();
        assert_eq!(
            names,
            [
                "From",
                "To",
                "Subject",
                "Date",
                "Message-ID",
                "Content-class",
                "X-MS-Reply-To-Mobile",
                "MIME-Version",
                "Content-Type",
                "Content-Transfer-Encoding"
            ]
        );
        assert!(head.contains("Content-Type: text/plain; charset=\"us-ascii\""));
        assert!(head.contains(&format!("Date: {PLACEHOLDER_DATE}")));
        assert!(head.contains("@service-provider.example>"));
        assert!(mail.ends_with("\r\n\r\nHi there\r\n"));
    }

    #[test]
    fn output_is_deterministic_and_crlf_only() {
        let a = build_reply(&text_reply("a\nb"), &BuildOptions::default());
        let b = build_reply(&text_reply("a\nb"), &BuildOptions::default());
        assert_eq!(a, b);
        for (i, &c) in a.iter().enumerate() {
            if c == b'\n' {
                assert_eq!(a[i - 1], b'\r');
            }
        }
    }

    #[test]
    fn empty_content_class_option_drops_the_header() {
        let opts = BuildOptions {
            content_class: Some(String::new()),
            ..BuildOptions::default()
        };
        let mail = String::from_utf8(build_reply(&text_reply("x"), &opts)).unwrap();
        assert!(!mail.contains("Content-class"));
    }

    #[test]
    fn smil_comes_first_in_a_related_body() {
        let reply = Reply {
            body: ReplyBody::Mms {
                subject: "Pics".into(),
                smil: Some("<smil/>".into()),
                media: vec![MediaPart {
                    content_type: "image/gif".into(),
                    name: "a.gif".into(),
                    data: b"GIF89a".to_vec(),
                }],
            },
            ..text_reply("")
        };
        let mail = String::from_utf8(build_reply(&reply, &BuildOptions::default())).unwrap();
        assert!(mail.contains("multipart/related; type=\"application/smil\";"));
        let smil_at = mail
            .find("application/smil; name=\"mmspresent.smil\"")
            .unwrap();
        let gif_at = mail.find("image/gif; name=\"a.gif\"").unwrap();
        assert!(smil_at < gif_at);
        assert!(mail.contains("Subject: Pics (open the message to view content)"));
        assert!(mail.trim_end().ends_with("--"));
    }

    #[test]
    fn domains_fall_back_when_unusable() {
        assert_eq!(domain_of("a@b.example"), "b.example");
        assert_eq!(domain_of("Name <a@b.example>"), "b.example");
        assert_eq!(domain_of("no address"), "oxconf.invalid");
        assert_eq!(domain_of("a@bad domain"), "oxconf.invalid");
    }
}
