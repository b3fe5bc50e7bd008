//! build_reply -> check_reply round trips: the conformant mail passes clean, and every
//! BuildOptions knob produces exactly the finding it should.

use std::collections::BTreeSet;

use oxconf_wire::mail::{
    build_reply, check_reply, BuildOptions, ExpectedReply, MediaPart, Reply, ReplyBody,
    ReplyExpectation, ReplyReport, TextEncoding, RULES,
};
use oxconf_wire::Severity;
use rstest::rstest;

const TO: &str = "someone@example.com";
const PHONE: &str = "+8613601391354";
const SMIL: &str = "<smil><body><par><img src=\"imagepart.gif\"/></par></body></smil>";

fn reply(body: ReplyBody) -> Reply {
    Reply {
        from: "\"Mobile Inbound Agent\" <incomingmessage@service-provider.example>".into(),
        to: TO.into(),
        phone: PHONE.into(),
        date: "Mon, 7 Nov 2005 17:52:00 +0800".into(),
        body,
    }
}

fn text(text: &str, charset: &str) -> (Reply, ReplyExpectation) {
    (
        reply(ReplyBody::Text {
            text: text.into(),
            charset: charset.into(),
        }),
        ReplyExpectation {
            to: TO.into(),
            phone: Some(PHONE.into()),
            kind: ExpectedReply::Text { text: text.into() },
        },
    )
}

fn media() -> Vec<MediaPart> {
    vec![
        MediaPart {
            content_type: "image/gif".into(),
            name: "imagepart.gif".into(),
            data: b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00;".to_vec(),
        },
        MediaPart {
            content_type: "audio/mid".into(),
            name: "audiopart.mid".into(),
            data: b"MThd\x00\x00\x00\x06\x00\x00\x00\x01\x00`".to_vec(),
        },
        MediaPart {
            content_type: "text/plain; charset=utf-8".into(),
            name: "textpart.txt".into(),
            data: "阿公司法律师".as_bytes().to_vec(),
        },
    ]
}

fn mms(smil: bool) -> (Reply, ReplyExpectation) {
    (
        reply(ReplyBody::Mms {
            subject: "Holiday pictures".into(),
            smil: smil.then(|| SMIL.to_string()),
            media: media(),
        }),
        ReplyExpectation {
            to: TO.into(),
            phone: Some(PHONE.into()),
            kind: ExpectedReply::Mms {
                subject: "Holiday pictures".into(),
                smil,
                media_types: vec!["image/gif".into(), "audio/mid".into(), "text/plain".into()],
            },
        },
    )
}

fn rules(report: &ReplyReport) -> BTreeSet<&'static str> {
    report.findings.iter().map(|f| f.rule).collect()
}

fn check(r: &Reply, opts: &BuildOptions, exp: &ReplyExpectation) -> ReplyReport {
    let raw = build_reply(r, opts);
    check_reply(&raw, exp)
        .unwrap_or_else(|e| panic!("unreadable: {e}\n{}", String::from_utf8_lossy(&raw)))
}

#[rstest]
#[case::ascii(
    "This is a text message from a mobile phone replying to a text message from Outlook.",
    "us-ascii"
)]
#[case::gb2312("你好，这是一条来自手机的回复短信。谢谢！", "gb2312")]
#[case::utf8_cjk("你好，这是一条来自手机的回复短信。谢谢！", "utf-8")]
#[case::multi_line("First line of the reply\nsecond line\r\nthird", "us-ascii")]
#[case::awkward(
    ".leading dot = equals \ntrailing space \nFrom the start",
    "iso-8859-1"
)]
#[case::latin1_accents("Café à la crème, très bien", "iso-8859-1")]
#[case::long_cjk_single_line(&"回复".repeat(60), "gb2312")]
#[case::empty("", "us-ascii")]
fn conformant_text_mail_passes(#[case] body: &str, #[case] charset: &str) {
    let (r, exp) = text(body, charset);
    let report = check(&r, &BuildOptions::default(), &exp);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert_eq!(report.decoded.content_class.as_deref(), Some("MS-OMS-SMS"));
    assert_eq!(report.decoded.reply_to_mobile.as_deref(), Some(PHONE));
    assert_eq!(report.decoded.to, vec![TO.to_string()]);
    assert_eq!(
        report.decoded.from,
        vec!["incomingmessage@service-provider.example".to_string()]
    );
    assert_eq!(report.decoded.content_type, "text/plain");
    assert_eq!(
        report
            .decoded
            .text
            .as_deref()
            .map(|t| t.replace("\r\n", "\n").trim_end().to_string()),
        Some(body.replace("\r\n", "\n").trim_end().to_string())
    );
}

#[test]
fn html_alternative_is_allowed() {
    let (r, exp) = text("Reply with <markup> & more\nline two", "utf-8");
    let opts = BuildOptions {
        html_alternative: true,
        ..BuildOptions::default()
    };
    let report = check(&r, &opts, &exp);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert_eq!(report.decoded.content_type, "multipart/alternative");
    assert_eq!(
        report
            .decoded
            .parts
            .iter()
            .map(|(t, _)| t.as_str())
            .collect::<Vec<_>>(),
        ["text/plain", "text/html"]
    );
}

#[rstest]
#[case::with_smil(true, "multipart/related", 4)]
#[case::without_smil(false, "multipart/mixed", 3)]
fn conformant_mms_mail_passes(#[case] smil: bool, #[case] top: &str, #[case] parts: usize) {
    let (r, exp) = mms(smil);
    let report = check(&r, &BuildOptions::default(), &exp);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert_eq!(report.decoded.content_type, top);
    assert_eq!(report.decoded.parts.len(), parts);
    assert_eq!(
        report.decoded.subject.as_deref(),
        Some("Holiday pictures (open the message to view content)")
    );
    if smil {
        assert_eq!(
            report.decoded.parts[0],
            (
                "application/smil".to_string(),
                Some("mmspresent.smil".to_string())
            )
        );
    }
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Text,
    Smil,
    NoSmil,
}

#[rstest]
#[case::content_class_other(Kind::Text, BuildOptions { content_class: Some("IPM.Note".into()), ..BuildOptions::default() }, &["reply.contentClass"])]
#[case::content_class_absent(Kind::Smil, BuildOptions { content_class: Some(String::new()), ..BuildOptions::default() }, &["reply.contentClass"])]
#[case::content_class_swapped(Kind::NoSmil, BuildOptions { content_class: Some("MS-OMS-SMS".into()), ..BuildOptions::default() }, &["reply.contentClass"])]
#[case::no_reply_to_mobile(Kind::Text, BuildOptions { reply_to_mobile: false, ..BuildOptions::default() }, &["reply.replyToMobile.missing"])]
#[case::wrong_text_subject(Kind::Text, BuildOptions { subject: Some("Re: your message".into()), ..BuildOptions::default() }, &["reply.subject.text"])]
#[case::mms_subject_without_hint(Kind::Smil, BuildOptions { subject: Some("Holiday pictures".into()), ..BuildOptions::default() }, &["reply.subject.mmsHint"])]
#[case::mms_subject_replaced(Kind::NoSmil, BuildOptions { subject: Some("New MMS".into()), ..BuildOptions::default() }, &["reply.subject.mms", "reply.subject.mmsHint"])]
#[case::base64_text(Kind::Text, BuildOptions { text_encoding: TextEncoding::Base64, ..BuildOptions::default() }, &["reply.text.notQuotedPrintable"])]
#[case::eight_bit_text(Kind::Text, BuildOptions { text_encoding: TextEncoding::EightBit, ..BuildOptions::default() }, &["reply.text.notQuotedPrintable"])]
#[case::no_charset(Kind::Text, BuildOptions { charset_param: false, ..BuildOptions::default() }, &["reply.text.charsetMissing"])]
#[case::smil_last(Kind::Smil, BuildOptions { smil_first: false, ..BuildOptions::default() }, &["reply.mms.smilNotFirst"])]
#[case::smil_in_mixed(Kind::Smil, BuildOptions { container: Some("mixed".into()), ..BuildOptions::default() }, &["reply.mms.notRelated"])]
#[case::no_smil_in_related(Kind::NoSmil, BuildOptions { container: Some("related".into()), ..BuildOptions::default() }, &["reply.mms.notMixed"])]
#[case::text_in_mixed(Kind::Text, BuildOptions { container: Some("mixed".into()), ..BuildOptions::default() }, &["reply.text.contentType"])]
#[case::alternative_as_mixed(Kind::Text, BuildOptions { html_alternative: true, container: Some("mixed".into()), ..BuildOptions::default() }, &["reply.text.contentType"])]
#[case::alternative_ok(Kind::Text, BuildOptions { html_alternative: true, ..BuildOptions::default() }, &[])]
fn each_knob_produces_its_finding(
    #[case] kind: Kind,
    #[case] opts: BuildOptions,
    #[case] expected: &[&str],
) {
    let (r, exp) = match kind {
        Kind::Text => text("Thanks, see you at 8\nBring the tickets", "gb2312"),
        Kind::Smil => mms(true),
        Kind::NoSmil => mms(false),
    };
    let report = check(&r, &opts, &exp);
    let got = rules(&report);
    let want: BTreeSet<&str> = expected.iter().copied().collect();
    assert_eq!(got, want, "{:#?}", report.findings);
    for f in &report.findings {
        assert!(RULES.contains(&f.rule), "{} not in RULES", f.rule);
        assert!(f.requirement.is_some(), "{} has no requirement", f.rule);
    }
}

#[test]
fn missing_hint_is_advice_not_violation() {
    let (r, exp) = mms(true);
    let opts = BuildOptions {
        subject: Some("Holiday pictures".into()),
        ..BuildOptions::default()
    };
    let report = check(&r, &opts, &exp);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].severity, Severity::Advice);
    assert_eq!(report.findings[0].requirement, Some("OMS-R015"));
    assert_eq!(report.violations().count(), 0);
}

#[test]
fn unregistered_charset_is_reported() {
    let (r, exp) = text("hello", "x-klingon");
    let report = check(&r, &BuildOptions::default(), &exp);
    assert_eq!(rules(&report), BTreeSet::from(["reply.charset.notIana"]));
}

#[rstest]
#[case::other_phone(
    ReplyExpectation { to: TO.into(), phone: Some("+8613900000000".into()), kind: ExpectedReply::Text { text: "hi".into() } },
    &["reply.replyToMobile.mismatch"]
)]
#[case::national_phone_form(
    ReplyExpectation { to: TO.into(), phone: Some("13601391354".into()), kind: ExpectedReply::Text { text: "hi".into() } },
    &[]
)]
#[case::other_user(
    ReplyExpectation { to: "other@example.com".into(), phone: None, kind: ExpectedReply::Text { text: "hi".into() } },
    &["reply.to"]
)]
#[case::user_case_insensitive(
    ReplyExpectation { to: "SomeOne@Example.COM".into(), phone: None, kind: ExpectedReply::Text { text: "hi".into() } },
    &[]
)]
#[case::other_text(
    ReplyExpectation { to: TO.into(), phone: None, kind: ExpectedReply::Text { text: "bye".into() } },
    &["reply.text.body", "reply.subject.text"]
)]
#[case::sms_expected_mms_sent(
    ReplyExpectation { to: TO.into(), phone: None, kind: ExpectedReply::Mms { subject: "hi".into(), smil: false, media_types: vec![] } },
    &["reply.contentClass", "reply.mms.notMultipart", "reply.subject.mmsHint"]
)]
fn expectation_mismatches(#[case] exp: ReplyExpectation, #[case] expected: &[&str]) {
    let (r, _) = text("hi", "us-ascii");
    let report = check(&r, &BuildOptions::default(), &exp);
    let want: BTreeSet<&str> = expected.iter().copied().collect();
    assert_eq!(rules(&report), want, "{:#?}", report.findings);
}

#[test]
fn media_type_mismatch_is_reported() {
    let (r, mut exp) = mms(true);
    if let ExpectedReply::Mms { media_types, .. } = &mut exp.kind {
        media_types.pop();
        media_types.push("video/3gpp".into());
    }
    let report = check(&r, &BuildOptions::default(), &exp);
    assert_eq!(rules(&report), BTreeSet::from(["reply.mms.mediaParts"]));

    let (r, mut exp) = mms(false);
    if let ExpectedReply::Mms { media_types, .. } = &mut exp.kind {
        media_types.clear();
    }
    let report = check(&r, &BuildOptions::default(), &exp);
    assert_eq!(rules(&report), BTreeSet::from(["reply.mms.mixedParts"]));
}

#[test]
fn odd_phone_value_is_advice() {
    let (mut r, mut exp) = text("hi", "us-ascii");
    r.phone = "ask the operator".into();
    exp.phone = None;
    let report = check(&r, &BuildOptions::default(), &exp);
    assert_eq!(
        rules(&report),
        BTreeSet::from(["reply.replyToMobile.notPhone"])
    );
    assert_eq!(report.findings[0].severity, Severity::Advice);
}

#[test]
fn every_listed_rule_is_unique() {
    let set: BTreeSet<&str> = RULES.iter().copied().collect();
    assert_eq!(set.len(), RULES.len());
    assert!(RULES.iter().all(|r| r.starts_with("reply.")));
}
