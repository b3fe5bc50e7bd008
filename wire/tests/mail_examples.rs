//! The MS-OMS 4.5 reply-mail examples: as printed they are not valid RFC 5322/2046 messages
//! (E-OMS-21) and must yield reply.mime.malformed; RFC-valid versions of them must pass.
//! Plus hand-made mails for the rules no builder knob reaches.

use std::collections::BTreeSet;

use oxconf_wire::mail::{check_reply, ExpectedReply, ReplyExpectation, ReplyReport};
use oxconf_wire::Layer;
use rstest::rstest;

/// Examples are written with '\n'; SMTP delivers CRLF.
fn crlf(s: &str) -> Vec<u8> {
    s.replace('\n', "\r\n").into_bytes()
}

fn rules(report: &ReplyReport) -> BTreeSet<&'static str> {
    report.findings.iter().map(|f| f.rule).collect()
}

const TEXT_BODY: &str =
    "This is a text message from a mobile phone replying to a text message from Outlook.";

fn text_expectation() -> ReplyExpectation {
    ReplyExpectation {
        to: "someone@example.com".into(),
        phone: Some("+8613601391354".into()),
        kind: ExpectedReply::Text {
            text: TEXT_BODY.into(),
        },
    }
}

fn mms_expectation() -> ReplyExpectation {
    ReplyExpectation {
        to: "someone@example.com".into(),
        phone: Some("+8613601391354".into()),
        kind: ExpectedReply::Mms {
            subject: "This is a multimedia message".into(),
            smil: true,
            media_types: vec!["text/plain".into(), "image/gif".into(), "audio/mid".into()],
        },
    }
}

/// MS-OMS 4.5, first example, as printed.
const PRINTED_TEXT: &str = r#"From: "Mobile Inbound Agent" incomingmessage@service-provider.com
To: someone@example.com
Subject: This is a text message
Date: Mon, 7 Nov 2005 17:52:00 +0800
Content-class: MS-OMS-SMS
X-MS-Reply-to-mobile: +8613601391354
MIME-Version: 1.0
Content-Type: text/plain; charset="gb2312"
Content-Transfer-Encoding: quoted-printable
This is a text message from a mobile phone replying to a text message from Outlook.
"#;

/// MS-OMS 4.5, second example, as printed.
const PRINTED_MMS: &str = r#"From: "Mobile Inbound Agent" incomingmessage@service-provider.com
To: someone@example.com
Subject: This is a multimedia message (Open the message to view its content)
Date: Mon, 7 Nov 2005 17:52:00 +0800
Content-class: MS-OMS-MMS
X-MS-Reply-to-mobile: +8613601391354
MIME-Version: 1.0
Content-Type: multipart/related; type="application/smil";
boundary="-----Boundary=_thisisboundary"
This is a multi-part message in MIME format.
-----Boundary=_thisisboundary
Content-Type: application/smil; name="mmspresent.smil"
Content-Location: "mmspresent.smil"
Content-Transfer-Encoding: Base64
PHNtaWwt... 1pbD4=
-----Boundary=_thisisboundary
Content-Type: text/plain; name="textpart.txt"
Content-Transfer-Encoding: Base64
Content-Location: textpart.txt
6Zi/5YWs5Y+45rOV5b6L5biI6IyD5Zu057uV6YGT6LCi
-----Boundary=_thisisboundary
Content-Type: image/gif; name="imagepart.gif"
Content-Transfer-Encoding: Base64
Content-Location:imagepart.gif
R0lGODlheABaAPf/..BDQi6j4uQAxwcixRzzErI5ROjfVSHJcmRMGBAAow==
-----Boundary=_thisisboundary
Content-Type: audio/mid; name="audiopart.mid"
Content-Transfer-Encoding: Base64
Content-Location: audiopart.mid
TVRoZAAAAAY...XBDFwA/fwA6f4dAOgAAPwAAQwAA/y8A
-----Boundary=_thisisboundary
"#;

/// The first example made RFC-valid: angle brackets around the From address, the empty line
/// after the header block, the quoted-printable line soft-wrapped at 76. The printed Subject
/// ("This is a text message") is neither the first line nor the first 40 characters of this
/// one-line body (2.2.2.1.1.5), so the corrected version uses the first 40 characters.
const VALID_TEXT: &str = r#"From: "Mobile Inbound Agent" <incomingmessage@service-provider.com>
To: someone@example.com
Subject: This is a text message from a mobile pho
Date: Mon, 7 Nov 2005 17:52:00 +0800
Content-class: MS-OMS-SMS
X-MS-Reply-to-mobile: +8613601391354
MIME-Version: 1.0
Content-Type: text/plain; charset="gb2312"
Content-Transfer-Encoding: quoted-printable

This is a text message from a mobile phone replying to a text message from=
 Outlook.
"#;

/// The second example made RFC-valid: folded boundary parameter, empty lines after every
/// header block, "--" delimiters and a close delimiter, and real base64 instead of the
/// elided data.
const VALID_MMS: &str = r#"From: "Mobile Inbound Agent" <incomingmessage@service-provider.com>
To: someone@example.com
Subject: This is a multimedia message (Open the message to view its content)
Date: Mon, 7 Nov 2005 17:52:00 +0800
Content-class: MS-OMS-MMS
X-MS-Reply-to-mobile: +8613601391354
MIME-Version: 1.0
Content-Type: multipart/related; type="application/smil";
 boundary="-----Boundary=_thisisboundary"

This is a multi-part message in MIME format.
-------Boundary=_thisisboundary
Content-Type: application/smil; name="mmspresent.smil"
Content-Location: mmspresent.smil
Content-Transfer-Encoding: Base64

PHNtaWw+PGJvZHk+PHBhcj48aW1nIHNyYz0iaW1hZ2VwYXJ0LmdpZiIvPjx0ZXh0IHNyYz0idGV4
dHBhcnQudHh0Ii8+PGF1ZGlvIHNyYz0iYXVkaW9wYXJ0Lm1pZCIvPjwvcGFyPjwvYm9keT48L3Nt
aWw+
-------Boundary=_thisisboundary
Content-Type: text/plain; name="textpart.txt"
Content-Transfer-Encoding: Base64
Content-Location: textpart.txt

6Zi/5YWs5Y+45rOV5b6L5biI6IyD5Zu057uV6YGT6LCi
-------Boundary=_thisisboundary
Content-Type: image/gif; name="imagepart.gif"
Content-Transfer-Encoding: Base64
Content-Location: imagepart.gif

R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==
-------Boundary=_thisisboundary
Content-Type: audio/mid; name="audiopart.mid"
Content-Transfer-Encoding: Base64
Content-Location: audiopart.mid

TVRoZAAAAAYAAAABAGBNVHJrAAAABAD/LwA=
-------Boundary=_thisisboundary--
"#;

#[test]
fn printed_text_example_is_malformed() {
    let report = check_reply(&crlf(PRINTED_TEXT), &text_expectation()).unwrap();
    let malformed: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule == "reply.mime.malformed")
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        malformed.iter().any(|m| m.contains("no empty line")),
        "{malformed:?}"
    );
    assert!(
        malformed.iter().any(|m| m.contains("angle brackets")),
        "{malformed:?}"
    );
    assert!(
        malformed.iter().any(|m| m.contains("longer than 76")),
        "{malformed:?}"
    );
    // The printed Subject does not follow 2.2.2.1.1.5 either.
    assert!(rules(&report).contains("reply.subject.text"));
    // Header-name case does not matter (E-OMS-21), and the repaired body is still read.
    assert!(!rules(&report).contains("reply.replyToMobile.missing"));
    assert!(
        !rules(&report).contains("reply.text.body"),
        "{:#?}",
        report.findings
    );
    assert_eq!(
        report.decoded.from,
        vec!["incomingmessage@service-provider.com".to_string()]
    );
}

#[test]
fn printed_mms_example_is_malformed() {
    let report = check_reply(&crlf(PRINTED_MMS), &mms_expectation()).unwrap();
    let malformed: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule == "reply.mime.malformed")
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        malformed.iter().any(|m| m.contains("no empty line")),
        "{malformed:?}"
    );
    assert!(
        malformed.iter().any(|m| m.contains("without a boundary")),
        "{malformed:?}"
    );
    assert!(!rules(&report).contains("reply.contentClass"));
}

#[test]
fn printed_mms_delimiters_without_leading_dashes_are_named() {
    // Only the delimiter defect of the printed example: everything else corrected.
    let broken = VALID_MMS
        .replace(
            "-------Boundary=_thisisboundary--",
            "-----Boundary=_thisisboundary",
        )
        .replace(
            "-------Boundary=_thisisboundary",
            "-----Boundary=_thisisboundary",
        );
    let report = check_reply(&crlf(&broken), &mms_expectation()).unwrap();
    let malformed: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule == "reply.mime.malformed")
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        malformed.iter().any(|m| m.contains("leading \"--\"")),
        "{malformed:?}"
    );
    assert!(
        malformed.iter().any(|m| m.contains("no close delimiter")),
        "{malformed:?}"
    );
}

#[test]
fn valid_text_example_passes() {
    let report = check_reply(&crlf(VALID_TEXT), &text_expectation()).unwrap();
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert_eq!(
        report.decoded.text.as_deref().map(str::trim_end),
        Some(TEXT_BODY)
    );
    assert_eq!(
        report.decoded.reply_to_mobile.as_deref(),
        Some("+8613601391354")
    );
}

#[test]
fn valid_mms_example_passes() {
    let report = check_reply(&crlf(VALID_MMS), &mms_expectation()).unwrap();
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    let types: Vec<&str> = report
        .decoded
        .parts
        .iter()
        .map(|(t, _)| t.as_str())
        .collect();
    assert_eq!(
        types,
        ["application/smil", "text/plain", "image/gif", "audio/mid"]
    );
    assert_eq!(report.decoded.parts[1].1.as_deref(), Some("textpart.txt"));
}

#[rstest]
#[case::no_type_parameter(
    &[("multipart/related; type=\"application/smil\";", "multipart/related;")],
    &["reply.mms.smilType"]
)]
#[case::smil_wrong_name(
    &[("application/smil; name=\"mmspresent.smil\"", "application/smil; name=\"show.smil\"")],
    &["reply.mms.smilNotFirst"]
)]
#[case::no_close_delimiter(
    &[("-------Boundary=_thisisboundary--", "")],
    &["reply.mime.malformed"]
)]
#[case::broken_base64(
    &[("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "R0lGODlheABaAPf/..BDQi6j4uQAxwcixRzzErI5ROjfVSHJcmRMGBAAow==")],
    &["reply.mime.malformed"]
)]
#[case::no_mime_version(&[("MIME-Version: 1.0\n", "")], &["reply.mime.malformed"])]
#[case::no_content_class(&[("Content-class: MS-OMS-MMS\n", "")], &["reply.contentClass"])]
#[case::no_from(&[("From: \"Mobile Inbound Agent\" <incomingmessage@service-provider.com>\n", "")], &["reply.from.missing"])]
#[case::no_to(&[("To: someone@example.com\n", "")], &["reply.to"])]
#[case::two_recipients(&[("To: someone@example.com", "To: someone@example.com, other@example.com")], &["reply.to"])]
#[case::unknown_transfer_encoding(
    &[("Content-Transfer-Encoding: Base64\nContent-Location: audiopart.mid", "Content-Transfer-Encoding: x-uuencode\nContent-Location: audiopart.mid")],
    &["reply.mime.malformed"]
)]
fn hand_broken_mms(#[case] edits: &[(&str, &str)], #[case] expected: &[&str]) {
    let mut mail = VALID_MMS.to_string();
    for (from, to) in edits {
        assert!(mail.contains(from), "test edit {from:?} does not apply");
        mail = mail.replacen(from, to, 1);
    }
    let report = check_reply(&crlf(&mail), &mms_expectation()).unwrap();
    let want: BTreeSet<&str> = expected.iter().copied().collect();
    assert_eq!(rules(&report), want, "{:#?}", report.findings);
}

#[rstest]
#[case::alternative_without_html(
    "Content-Type: multipart/alternative; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: quoted-printable\n\nhello\n--b--\n",
    &["reply.text.alternative"]
)]
#[case::html_only(
    "Content-Type: text/html; charset=us-ascii\nContent-Transfer-Encoding: quoted-printable\n\n<p>hello</p>\n",
    &["reply.text.contentType", "reply.text.body"]
)]
#[case::no_content_type(
    "\nhello\n",
    &["reply.text.contentType", "reply.text.charsetMissing", "reply.text.notQuotedPrintable"]
)]
#[case::unregistered_charset(
    "Content-Type: text/plain; charset=utf8\nContent-Transfer-Encoding: quoted-printable\n\nhello\n",
    &["reply.charset.notIana"]
)]
#[case::eight_bit_in_7bit(
    "Content-Type: text/plain; charset=utf-8\n\nhello \u{e9}\n",
    &["reply.text.notQuotedPrintable", "reply.mime.malformed", "reply.text.body"]
)]
#[case::bad_qp(
    "Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: quoted-printable\n\nhello=ZZ\n",
    &["reply.mime.malformed", "reply.text.body"]
)]
fn hand_made_text_bodies(#[case] body_part: &str, #[case] expected: &[&str]) {
    let head = "From: <agent@sp.example>\nTo: someone@example.com\nSubject: hello\n\
                Date: Mon, 7 Nov 2005 17:52:00 +0800\nContent-class: MS-OMS-SMS\n\
                X-MS-Reply-To-Mobile: +8613601391354\nMIME-Version: 1.0\n";
    let mail = format!("{head}{body_part}");
    let exp = ReplyExpectation {
        to: "someone@example.com".into(),
        phone: None,
        kind: ExpectedReply::Text {
            text: "hello".into(),
        },
    };
    let report = check_reply(&crlf(&mail), &exp).unwrap();
    let want: BTreeSet<&str> = expected.iter().copied().collect();
    assert_eq!(rules(&report), want, "{:#?}", report.findings);
}

#[rstest]
#[case::empty(b"")]
#[case::binary(b"\x00\x01\x02\x03\xff\xfe")]
#[case::prose(b"Dear user, here is your reply.\r\n")]
#[case::starts_folded(b"  folded: x\r\n\r\nbody")]
fn unreadable_input_is_a_mime_layer_error(#[case] raw: &[u8]) {
    let err = check_reply(raw, &text_expectation()).unwrap_err();
    assert_eq!(err.layer, Layer::Mime);
}

#[test]
fn bare_lf_mail_is_flagged() {
    let report = check_reply(VALID_TEXT.as_bytes(), &text_expectation()).unwrap();
    assert_eq!(rules(&report), BTreeSet::from(["reply.mime.malformed"]));
    assert!(report.findings[0].message.contains("bare LF"));
}

#[test]
fn malformed_findings_cite_the_mime_requirement() {
    let report = check_reply(&crlf(PRINTED_TEXT), &text_expectation()).unwrap();
    for f in report
        .findings
        .iter()
        .filter(|f| f.rule == "reply.mime.malformed")
    {
        assert_eq!(f.requirement, Some("OMS-R148"));
        assert!(f.is_violation());
    }
}
