//! Hostile reply mail: the checker must return (findings or a layer error), never panic, and
//! stay linear on pathological nesting.

use oxconf_wire::mail::{
    build_reply, check_reply, BuildOptions, ExpectedReply, MediaPart, Reply, ReplyBody,
    ReplyExpectation,
};
use oxconf_wire::{Layer, LayerError};
use proptest::prelude::*;

fn mime_or_ok<T>(r: &Result<T, LayerError>) -> bool {
    r.as_ref().err().is_none_or(|e| e.layer == Layer::Mime)
}

fn expectation(mms: bool) -> ReplyExpectation {
    ReplyExpectation {
        to: "someone@example.com".into(),
        phone: Some("+8613601391354".into()),
        kind: if mms {
            ExpectedReply::Mms {
                subject: "s".into(),
                smil: true,
                media_types: vec!["image/gif".into()],
            }
        } else {
            ExpectedReply::Text { text: "hi".into() }
        },
    }
}

fn sample_mms() -> Vec<u8> {
    build_reply(
        &Reply {
            from: "<a@b.example>".into(),
            to: "someone@example.com".into(),
            phone: "+8613601391354".into(),
            date: String::new(),
            body: ReplyBody::Mms {
                subject: "s".into(),
                smil: Some("<smil/>".into()),
                media: vec![MediaPart {
                    content_type: "image/gif".into(),
                    name: "a.gif".into(),
                    data: vec![0x47, 0x49, 0x46],
                }],
            },
        },
        &BuildOptions::default(),
    )
}

#[test]
fn deep_nesting_is_bounded_and_reported() {
    let depth = 3000;
    let mut mail = String::from(
        "From: <a@b.example>\r\nTo: someone@example.com\r\nSubject: s\r\nDate: x\r\n\
         MIME-Version: 1.0\r\nContent-class: MS-OMS-MMS\r\nX-MS-Reply-To-Mobile: +8613601391354\r\n",
    );
    for i in 0..depth {
        mail.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n"
        ));
    }
    mail.push_str("Content-Type: text/plain\r\n\r\nx\r\n");
    for i in (0..depth).rev() {
        mail.push_str(&format!("--b{i}--\r\n"));
    }
    let report = check_reply(mail.as_bytes(), &expectation(true)).expect("readable");
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == "reply.mime.malformed" && f.message.contains("nesting deeper")),
        "{:#?}",
        report
            .findings
            .iter()
            .map(|f| &f.message)
            .collect::<Vec<_>>()
    );
}

#[test]
fn huge_header_count_is_fine() {
    let mut mail = String::new();
    for i in 0..20_000 {
        mail.push_str(&format!("X-Junk-{i}: {}\r\n", "v".repeat(20)));
    }
    mail.push_str("\r\nhi\r\n");
    let report = check_reply(mail.as_bytes(), &expectation(false)).expect("readable");
    assert!(report
        .findings
        .iter()
        .any(|f| f.rule == "reply.contentClass"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..2048)) {
        prop_assert!(mime_or_ok(&check_reply(&raw, &expectation(false))));
        prop_assert!(mime_or_ok(&check_reply(&raw, &expectation(true))));
    }

    #[test]
    fn mutated_mail_never_panics(
        cuts in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        truncate in any::<prop::sample::Index>(),
    ) {
        let mut raw = sample_mms();
        for (at, byte) in cuts {
            let i = at.index(raw.len());
            raw[i] = byte;
        }
        let keep = truncate.index(raw.len() + 1);
        raw.truncate(keep);
        prop_assert!(mime_or_ok(&check_reply(&raw, &expectation(true))));
    }

    #[test]
    fn header_like_lines_never_panic(lines in proptest::collection::vec("[A-Za-z-]{1,12}: [ -~]{0,40}", 0..30), body in "[ -~\r\n]{0,200}") {
        let raw = format!("{}\r\n{}", lines.join("\r\n"), body);
        prop_assert!(mime_or_ok(&check_reply(raw.as_bytes(), &expectation(false))));
    }
}
