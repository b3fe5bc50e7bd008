//! Phone replies forwarded by SMTP (MS-OMS 2.1, 2.2.2.1, 3.1.4.5): headers, subject, body and
//! MIME structure of the mail a service sends when a recipient answers from the phone.

use crate::oms::server::claims;
use crate::oms::server::mail_probe::{
    distinct_phones, media_parts, observe, provoke, read_mms_reply, read_reply, replies,
    text_expectation, PhoneReply, ReplyKind,
};
use crate::oms::server::probe::Oms;
use harness::{Level, Scenario, Stop};

pub(super) fn all() -> Vec<Scenario> {
    vec![
        sms_headers(),
        sms_subject(),
        sms_body(),
        unique_from(),
        mms_related(),
        mms_mixed(),
    ]
}

/// The first phone that replies.
fn first_phone(oms: &Oms) -> Result<String, Stop> {
    distinct_phones(replies(oms)?)
        .into_iter()
        .next()
        .ok_or_else(|| Stop::inconclusive("the profile lists no phone that replies"))
}

/// A text reply from the first phone, caught and read; its findings citing `reqs` recorded.
async fn text_reply(
    oms: &Oms,
    text_with: impl Fn(&str) -> String,
    reqs: &[&str],
) -> Result<wire::mail::ReplyReport, Stop> {
    let phone = first_phone(oms)?;
    let reply = PhoneReply::new(oms, &phone, ReplyKind::Sms, text_with);
    let mail = provoke(oms, &reply).await?;
    let report = read_reply(oms, &mail, &text_expectation(replies(oms)?, &reply))?;
    oms.record_findings_for("reply mail", &report.findings, reqs)?;
    Ok(report)
}

/// MS-OMS 2.1, 2.2.2.1.1.1-2.2.2.1.1.4, 3.1.4.5: a text reply arrives by SMTP at the user's
/// reply address, marked as MS-OMS-SMS, with the phone's number and a From address.
fn sms_headers() -> Scenario {
    Scenario::new("oms-server/reply/sms-headers")
        .title("A text reply arrives by SMTP with Content-class MS-OMS-SMS, X-MS-Reply-To-Mobile, To and From")
        .section("MS-OMS 2.2.2.1.1")
        .section("MS-OMS 3.1.4.5")
        .requirements([
            "OMS-R006", "OMS-R008", "OMS-R009", "OMS-R010", "OMS-R011", "OMS-R012", "OMS-R148",
            "OMS-R102",
        ])
        .level(Level::Must)
        .needs(claims::REPLIES)
        .caught_by("reply-wrong-content-class")
        .caught_by("reply-no-reply-to-mobile")
        .caught_by("reply-wrong-to")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            text_reply(
                &oms,
                |nonce| format!("oxconf reply {nonce}"),
                &["OMS-R008", "OMS-R009", "OMS-R010", "OMS-R011", "OMS-R012", "OMS-R148"],
            )
            .await?;
            observe(
                &oms,
                "OMS-R102",
                "two-way messaging",
                "the service collects phone replies and forwards them to the client",
            );
            Ok(())
        })
}

/// A single-line text of exactly 60 characters that starts with the nonce's line.
fn sixty_characters(nonce: &str) -> String {
    let mut text = format!("oxconf subject {nonce} ");
    let filler = "abcdefghijklmnopqrstuvwxyz";
    let mut letters = filler.chars().cycle();
    while text.chars().count() < 60 {
        text.push(letters.next().unwrap_or('x'));
    }
    text.chars().take(60).collect()
}

/// MS-OMS 2.2.2.1.1.5: the Subject of a text reply is its first 40 characters, or its first
/// line when it has several (E-OMS-25: a first line cut to 40 characters is accepted too).
fn sms_subject() -> Scenario {
    Scenario::new("oms-server/reply/sms-subject")
        .title("A text reply's Subject is its first 40 characters, or its first line if it has several")
        .section("MS-OMS 2.2.2.1.1.5")
        .requirements(["OMS-R013"])
        .level(Level::Must)
        .needs(claims::REPLIES)
        .caught_by("reply-subject-whole-text")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            for (what, text_with) in [
                ("a 60-character single line", sixty_characters as fn(&str) -> String),
                ("two lines", |nonce: &str| {
                    format!("oxconf first line {nonce}\nthe second line of the reply")
                }),
            ] {
                let report = text_reply(&oms, text_with, &["OMS-R013"]).await?;
                cx.cite(["OMS-R013"]).info(
                    &format!("Subject of a reply of {what}"),
                    format!("{:?}", report.decoded.subject.as_deref().unwrap_or("(absent)")),
                );
            }
            Ok(())
        })
}

/// MS-OMS 2.2.2.1.2.1: the text goes in a text/plain part with an IANA charset, quoted-printable;
/// a multipart/alternative with an HTML view is allowed.
fn sms_body() -> Scenario {
    Scenario::new("oms-server/reply/sms-body")
        .title("A text reply's body is text/plain with an IANA charset, quoted-printable (HTML alternative allowed)")
        .section("MS-OMS 2.2.2.1.2.1")
        .requirements(["OMS-R016", "OMS-R017", "OMS-R018"])
        .level(Level::Must)
        .needs(claims::REPLIES)
        .caught_by("reply-text-base64")
        .caught_by("reply-no-charset")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            // Non-ASCII letters and '=' need quoted-printable encoding for real.
            let report = text_reply(
                &oms,
                |nonce| format!("oxconf body {nonce}: caf\u{e9} = 100% \u{4f60}\u{597d}"),
                &["OMS-R016", "OMS-R017", "OMS-R018"],
            )
            .await?;
            let form = if report.decoded.content_type == "multipart/alternative" {
                "multipart/alternative with an HTML view"
            } else {
                "a single text/plain part"
            };
            observe(&oms, "OMS-R017", "text reply body", form);
            Ok(())
        })
}

/// MS-OMS 2.2.2.1.1.4: "The server is required to provide a unique SMTP address to the mobile
/// recipient for sending back replies" (E-OMS-32: From is unique per phone).
fn unique_from() -> Scenario {
    Scenario::new("oms-server/reply/unique-from")
        .title("Replies from two different phones come From two different addresses")
        .section("MS-OMS 2.2.2.1.1.4")
        .requirements(["OMS-R012"])
        .level(Level::Must)
        .needs(claims::REPLIES)
        .caught_by("reply-shared-from")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let phones = distinct_phones(replies(&oms)?);
            if phones.len() < 2 {
                return Err(Stop::skip(
                    "the profile lists one replying phone; set oms.reply_phones to two numbers",
                ));
            }
            let mut froms = Vec::new();
            for phone in &phones[..2] {
                let reply = PhoneReply::new(&oms, phone, ReplyKind::Sms, |nonce| {
                    format!("oxconf from {nonce}")
                });
                let mail = provoke(&oms, &reply).await?;
                let report = read_reply(&oms, &mail, &text_expectation(replies(&oms)?, &reply))?;
                oms.record_findings_for("reply mail", &report.findings, &["OMS-R012"])?;
                let from = report
                    .decoded
                    .from
                    .first()
                    .map(|a| a.to_ascii_lowercase())
                    .unwrap_or_default();
                froms.push((phone.clone(), from));
            }
            let (a, b) = (&froms[0], &froms[1]);
            cx.expect(
                "From addresses of replies from two phones",
                a.1 != b.1,
                "a distinct address per phone",
                format!("{} -> {:?}, {} -> {:?}", a.0, a.1, b.0, b.1),
            )
        })
}

/// There is media besides any SMIL presentation.
fn expect_media(oms: &Oms, report: &wire::mail::ReplyReport, reqs: &[&str]) -> Result<(), Stop> {
    let media = media_parts(&report.decoded);
    oms.cx.cite(reqs.iter().copied()).expect(
        "media parts of the multimedia reply",
        !media.is_empty(),
        "at least one MIME part per media object, labelled with its media type",
        if media.is_empty() {
            "none".to_string()
        } else {
            media.join(", ")
        },
    )
}

/// MS-OMS 2.2.2.1.1.5, 2.2.2.1.2.2: an MMS with SMIL becomes multipart/related
/// (type="application/smil"), the SMIL part first as mmspresent.smil, then the media; the
/// Subject is the MMS subject, ideally with a hint to open the message.
fn mms_related() -> Scenario {
    Scenario::new("oms-server/reply/mms-related")
        .title("An MMS reply with SMIL is multipart/related, SMIL first, and keeps the MMS subject")
        .section("MS-OMS 2.2.2.1.2.2")
        .section("MS-OMS 2.2.2.1.1.5")
        .requirements([
            "OMS-R019", "OMS-R020", "OMS-R021", "OMS-R022", "OMS-R014", "OMS-R015",
        ])
        .level(Level::Must)
        .needs(claims::REPLIES)
        .needs(claims::MMS_REPLIES)
        .caught_by("reply-smil-last")
        .caught_by("reply-mms-subject-lost")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let phone = first_phone(&oms)?;
            let reply = PhoneReply::new(&oms, &phone, ReplyKind::Mms, |nonce| {
                format!("oxconf mms {nonce}")
            });
            let mail = provoke(&oms, &reply).await?;
            let report = read_mms_reply(&oms, &mail, &reply)?;
            let reqs = [
                "OMS-R019", "OMS-R020", "OMS-R021", "OMS-R022", "OMS-R014", "OMS-R015",
            ];
            oms.record_findings_for("multimedia reply mail", &report.findings, &reqs)?;
            expect_media(&oms, &report, &["OMS-R022"])
        })
}

/// MS-OMS 2.2.2.1.2.2: an MMS without SMIL becomes multipart/mixed with one typed part per
/// media object.
fn mms_mixed() -> Scenario {
    Scenario::new("oms-server/reply/mms-mixed")
        .title("An MMS reply without SMIL is multipart/mixed with typed media parts")
        .section("MS-OMS 2.2.2.1.2.2")
        .requirements(["OMS-R023", "OMS-R024"])
        .level(Level::Must)
        .needs(claims::REPLIES)
        .needs(claims::MMS_REPLIES)
        .caught_by("reply-mms-nosmil-related")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let phone = first_phone(&oms)?;
            let reply = PhoneReply::new(&oms, &phone, ReplyKind::MmsNoSmil, |nonce| {
                format!("oxconf mms-nosmil {nonce}")
            });
            let mail = provoke(&oms, &reply).await?;
            let report = read_mms_reply(&oms, &mail, &reply)?;
            oms.record_findings_for(
                "multimedia reply mail",
                &report.findings,
                &["OMS-R023", "OMS-R024"],
            )?;
            expect_media(&oms, &report, &["OMS-R024"])
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixty_characters_exactly_on_one_line() {
        let t = sixty_characters("abc1230");
        assert_eq!(t.chars().count(), 60);
        assert!(!t.contains('\n'));
        assert!(t.starts_with("oxconf subject abc1230 "));
        assert_eq!(wire::mail::text_subject(&t).chars().count(), 40);
    }
}
