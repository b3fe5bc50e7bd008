//! Phone replies (MS-OMS 2.2.2.1, 3.1.4.5): provoking them through the reply trigger and
//! catching them on the SMTP sink.
//!
//! The trigger contract: the trigger makes phone `{recipient}` reply `{text}` to the messages of
//! account `{user}`; `{kind}` is "sms" (a text message), "mms" (a multimedia message with a SMIL
//! presentation) or "mms-nosmil" (one without). A multimedia reply has the first line of
//! `{text}` as its subject and carries `{text}` among its media. The service then forwards the
//! reply by SMTP to the account's reply address, where the harness's sink listens.
//!
//! Scenarios run concurrently on one sink, so each reply text carries a nonce and a scenario
//! waits for the mail that carries its own.

use super::env::Replies;
use super::probe::Oms;
use crate::common::trigger;
use harness::{Level, Stop};
use mocks::record::Arrival;
use mocks::smtp::ReceivedMail;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use wire::mail::{check_reply, DecodedReply, ExpectedReply, ReplyExpectation, ReplyReport};

/// The media type of a SMIL presentation part.
const SMIL_TYPE: &str = "application/smil";

/// A mail as the sink received it: the message as raw bytes, the envelope and session as item.
pub type Mail = Arrival<ReceivedMail>;

/// What the replying phone sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplyKind {
    Sms,
    Mms,
    MmsNoSmil,
}

impl ReplyKind {
    /// The `{kind}` value of the trigger contract.
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyKind::Sms => "sms",
            ReplyKind::Mms => "mms",
            ReplyKind::MmsNoSmil => "mms-nosmil",
        }
    }
}

/// One reply the harness asks a phone to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhoneReply {
    pub phone: String,
    /// Contains `nonce`.
    pub text: String,
    pub kind: ReplyKind,
    /// How the mail is recognised among those of other scenarios.
    pub nonce: String,
}

impl PhoneReply {
    /// A reply whose text is `text_with` applied to a fresh nonce.
    pub fn new(
        oms: &Oms,
        phone: &str,
        kind: ReplyKind,
        text_with: impl Fn(&str) -> String,
    ) -> Self {
        let nonce = oms.nonce();
        PhoneReply {
            phone: phone.to_string(),
            text: text_with(&nonce),
            kind,
            nonce,
        }
    }

    /// The MMS subject the contract gives a multimedia reply: the text's first line.
    pub fn mms_subject(&self) -> String {
        self.text
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_string()
    }
}

/// The reply settings; scenarios declare `claims::REPLIES`, so their absence is a harness
/// problem rather than the SUT's.
pub fn replies(oms: &Oms) -> Result<&Replies, Stop> {
    oms.env
        .replies
        .as_ref()
        .ok_or_else(|| Stop::inconclusive("no reply trigger is configured (oms.reply_trigger)"))
}

/// The phones that reply, each once, in profile order.
pub fn distinct_phones(replies: &Replies) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in &replies.phones {
        let p = p.trim().to_string();
        if !p.is_empty() && !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// Whether `mail` carries `nonce`: in its raw bytes, or (for encoded parts and headers) in its
/// decoded subject or text.
fn carries(mail: &Mail, nonce: &str) -> bool {
    if mail.text_lossy().contains(nonce) {
        return true;
    }
    let probe = ReplyExpectation {
        to: String::new(),
        phone: None,
        kind: ExpectedReply::Text {
            text: String::new(),
        },
    };
    check_reply(&mail.raw, &probe).is_ok_and(|r| {
        r.decoded
            .subject
            .as_deref()
            .is_some_and(|s| s.contains(nonce))
            || r.decoded.text.as_deref().is_some_and(|t| t.contains(nonce))
    })
}

/// Waits until the sink holds a mail carrying `nonce`, or `budget` has passed.
async fn wait_for_mail(replies: &Replies, nonce: &str, budget: Duration) -> Option<Mail> {
    // Mails already looked at are not read again when the next one arrives.
    let examined = AtomicUsize::new(0);
    let hit = AtomicUsize::new(usize::MAX);
    let carrying = |mails: &[Mail]| {
        let from = examined.load(Ordering::Relaxed);
        let from = if mails.len() < from { 0 } else { from };
        examined.store(mails.len(), Ordering::Relaxed);
        let found = mails[from..].iter().position(|m| carries(m, nonce));
        found.inspect(|i| hit.store(from + i, Ordering::Relaxed));
        found.is_some()
    };
    let mails = replies
        .sink
        .mails()
        .wait_until(carrying, Instant::now() + budget)
        .await
        .ok()?;
    mails.into_iter().nth(hit.load(Ordering::Relaxed))
}

/// Makes the phone reply and catches the forwarded mail, recording the trigger run, the SMTP
/// dialogue and the raw mail. A trigger that fails without the service having tried to mail
/// elsewhere is inconclusive; a mail that never comes fails (OMS-R006, OMS-R148), and so does
/// one the sink had to refuse because it went to another address (OMS-R011).
pub async fn provoke(oms: &Oms, reply: &PhoneReply) -> Result<Mail, Stop> {
    let cx = &oms.cx;
    let replies = replies(oms)?;
    let refused_before = replies.sink.rejected().len();
    let run = trigger::fire(
        cx,
        &replies.trigger,
        &format!(
            "reply trigger: {} reply from {}",
            reply.kind.as_str(),
            reply.phone
        ),
        &[
            ("recipient", reply.phone.clone()),
            ("text", reply.text.clone()),
            ("kind", reply.kind.as_str().to_string()),
            ("user", oms.env.account.user.clone()),
        ],
    )
    .await;
    let refused_since = |replies: &Replies| -> Vec<String> {
        replies
            .sink
            .rejected()
            .into_iter()
            .skip(refused_before)
            .collect()
    };
    if let Some(failure) = trigger::failure(&run) {
        let refused = refused_since(replies);
        if !refused.is_empty() {
            return Err(misdirected(oms, replies, &refused));
        }
        return Err(Stop::inconclusive(format!(
            "the reply trigger failed ({}): {}",
            failure.reason, failure.first_error_line
        )));
    }
    let budget = cx.wait_budget();
    let Some(mail) = wait_for_mail(replies, &reply.nonce, budget).await else {
        let refused = refused_since(replies);
        if !refused.is_empty() {
            return Err(misdirected(oms, replies, &refused));
        }
        return Err(cx.cite(["OMS-R006", "OMS-R148"]).fail(
            "reply forwarded by SMTP",
            format!(
                "a mail carrying {:?} at the SMTP sink {} for {} within {:.1}s",
                reply.nonce,
                replies.sink.local_addr(),
                replies.reply_address,
                budget.as_secs_f64()
            ),
            format!(
                "none arrived ({} other mails at the sink)",
                replies.sink.received().len()
            ),
        ));
    };
    cx.received(
        "smtp",
        &format!("SMTP session of the reply from {}", reply.phone),
        &mail.item.dialogue,
    );
    cx.received(
        "smtp",
        &format!("reply mail from {} (as received)", reply.phone),
        &mail.text_lossy(),
    );
    cx.cite(["OMS-R006"]).check(
        "reply forwarded by SMTP",
        true,
        format!("a mail carrying {:?} at the SMTP sink", reply.nonce),
        format!(
            "from {} (MAIL FROM:<{}>, RCPT TO:<{}>)",
            mail.item.peer,
            mail.item.mail_from,
            mail.item.rcpt_to.join(">, <")
        ),
    );
    Ok(mail)
}

/// The sink refused a recipient while the reply was under way: the service mailed it to an
/// address other than the account's reply address.
fn misdirected(oms: &Oms, replies: &Replies, refused: &[String]) -> Stop {
    oms.cx
        .local("smtp", "recipients the sink refused", &refused.join("\n"));
    oms.cx.cite(["OMS-R011", "OMS-R148"]).fail(
        "reply sent to the user's reply address",
        format!("RCPT TO:<{}>", replies.reply_address),
        format!(
            "the sink refused RCPT TO:<{}> (550, not the reply address) while the reply was under way",
            refused_addresses(refused).join(">, <")
        ),
    )
}

/// The distinct addresses in the sink's refusal excerpts ("... RCPT TO:<address> ...").
fn refused_addresses(refused: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for excerpt in refused {
        let address = excerpt
            .split_once("RCPT TO:<")
            .and_then(|(_, rest)| rest.split_once('>'))
            .map(|(a, _)| a.to_string());
        if let Some(a) = address.filter(|a| !out.contains(a)) {
            out.push(a);
        }
    }
    out
}

/// What a text reply must look like.
pub fn text_expectation(replies: &Replies, reply: &PhoneReply) -> ReplyExpectation {
    ReplyExpectation {
        to: replies.reply_address.clone(),
        phone: Some(reply.phone.clone()),
        kind: ExpectedReply::Text {
            text: reply.text.clone(),
        },
    }
}

/// What a multimedia reply must look like. Which media the phone sent is up to the trigger,
/// so the media types are those the mail itself declares (the structure rules still apply);
/// scenarios check separately that there is media at all.
pub fn mms_expectation(
    replies: &Replies,
    reply: &PhoneReply,
    decoded: &DecodedReply,
) -> ReplyExpectation {
    let smil = reply.kind == ReplyKind::Mms;
    ReplyExpectation {
        to: replies.reply_address.clone(),
        phone: Some(reply.phone.clone()),
        kind: ExpectedReply::Mms {
            subject: reply.mms_subject(),
            smil,
            media_types: media_parts(decoded),
        },
    }
}

/// The media types of the top-level parts, the SMIL presentation left out.
pub fn media_parts(decoded: &DecodedReply) -> Vec<String> {
    decoded
        .parts
        .iter()
        .map(|(t, _)| t.clone())
        .filter(|t| t != SMIL_TYPE)
        .collect()
}

/// Reads a caught mail with the MS-OMS 2.2.2.1 checker. Mail that is not MIME at all fails
/// (OMS-R148).
pub fn read_reply(
    oms: &Oms,
    mail: &Mail,
    expected: &ReplyExpectation,
) -> Result<ReplyReport, Stop> {
    let report = check_reply(&mail.raw, expected).map_err(|e| {
        oms.cx.cite(["OMS-R148"]).fail(
            "reply mail readable",
            "a MIME-formatted e-mail (RFC 5322, RFC 2045-2046)",
            e.to_string(),
        )
    })?;
    oms.cx
        .local("mail", "reply as decoded", &describe(&report.decoded));
    Ok(report)
}

/// Reads a caught multimedia reply: a first pass learns its media, the second judges it.
pub fn read_mms_reply(oms: &Oms, mail: &Mail, reply: &PhoneReply) -> Result<ReplyReport, Stop> {
    let replies = replies(oms)?;
    let first = read_reply(oms, mail, &text_expectation(replies, reply))?;
    let expected = mms_expectation(replies, reply, &first.decoded);
    check_reply(&mail.raw, &expected)
        .map_err(|e| Stop::error(format!("the reply mail read once but not twice: {e}")))
}

/// The decoded headers and structure, for the transcript.
pub fn describe(d: &DecodedReply) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "(absent)".into());
    let mut out = format!(
        "Content-class: {}\nX-MS-Reply-To-Mobile: {}\nTo: {}\nFrom: {}\nSubject: {}\nContent-Type: {}\n",
        opt(&d.content_class),
        opt(&d.reply_to_mobile),
        d.to.join(", "),
        d.from.join(", "),
        opt(&d.subject),
        if d.content_type.is_empty() {
            "(absent)"
        } else {
            &d.content_type
        },
    );
    for (i, (t, name)) in d.parts.iter().enumerate() {
        out.push_str(&format!(
            "part {}: {t}{}\n",
            i + 1,
            name.as_deref()
                .map(|n| format!(" name={n:?}"))
                .unwrap_or_default()
        ));
    }
    if let Some(text) = &d.text {
        out.push_str(&format!("text: {text:?}\n"));
    }
    out
}

/// Records a MAY-level observation about a reply.
pub fn observe(oms: &Oms, requirement: &str, what: &str, observed: impl AsRef<str>) {
    oms.cx
        .cite([requirement])
        .level(Level::May)
        .info(what, observed);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use std::net::SocketAddr;
    use wire::mail::{build_reply, BuildOptions, Reply, ReplyBody, TextEncoding};

    fn mail(text: &str, encoding: TextEncoding) -> Mail {
        let reply = Reply {
            from: "13800000001@reply.example".into(),
            to: "user@mail.example".into(),
            phone: "+13800000001".into(),
            date: String::new(),
            body: ReplyBody::Text {
                text: text.into(),
                charset: "utf-8".into(),
            },
        };
        let opts = BuildOptions {
            text_encoding: encoding,
            subject: Some("no marker here".into()),
            ..BuildOptions::default()
        };
        Arrival {
            at: Instant::now(),
            raw: build_reply(&reply, &opts).into(),
            item: ReceivedMail {
                peer: SocketAddr::from(([127, 0, 0, 1], 1)),
                helo: "h".into(),
                mail_from: "a@b".into(),
                rcpt_to: vec!["user@mail.example".into()],
                dialogue: String::new(),
            },
        }
    }

    #[rstest]
    #[case(TextEncoding::QuotedPrintable)]
    #[case(TextEncoding::Base64)]
    fn finds_the_nonce_in_any_encoding(#[case] encoding: TextEncoding) {
        let m = mail("caf\u{e9} n0nce42 \u{4f60}\u{597d}", encoding);
        assert!(carries(&m, "n0nce42"));
        assert!(!carries(&m, "other7"));
    }

    #[test]
    fn refused_addresses_are_listed_once() {
        let excerpts = [
            "127.0.0.1:1: C: RCPT TO:<x@y.test>\nS: 550 5.7.1 <x@y.test>: relaying denied"
                .to_string(),
            "127.0.0.1:2: C: RCPT TO:<x@y.test>\nS: 550 5.7.1 <x@y.test>: relaying denied"
                .to_string(),
            "127.0.0.1:3: C: RCPT TO:<z@y.test>\nS: 550 5.7.1 <z@y.test>: relaying denied"
                .to_string(),
            "garbage".to_string(),
        ];
        assert_eq!(refused_addresses(&excerpts), vec!["x@y.test", "z@y.test"]);
    }

    #[test]
    fn mms_subject_is_the_first_line() {
        let r = PhoneReply {
            phone: "1".into(),
            text: " Holiday n1 \nsecond".into(),
            kind: ReplyKind::Mms,
            nonce: "n1".into(),
        };
        assert_eq!(r.mms_subject(), "Holiday n1");
    }

    #[test]
    fn smil_is_not_media() {
        let d = DecodedReply {
            parts: vec![
                ("application/smil".into(), Some("mmspresent.smil".into())),
                ("image/gif".into(), None),
                ("text/plain".into(), None),
            ],
            ..DecodedReply::default()
        };
        assert_eq!(media_parts(&d), vec!["image/gif", "text/plain"]);
    }
}
