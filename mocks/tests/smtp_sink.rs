//! SmtpSink and send_mail over loopback: round trips, relay refusal, limits, garbage, idle
//! clients and concurrent sessions.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use oxconf_mocks::record::RecordLimits;
use oxconf_mocks::smtp::{send_mail, SinkConfig, SmtpError, SmtpSink};
use rstest::rstest;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};

const STEP: Duration = Duration::from_secs(5);
const USER: &str = "someone@example.com";

async fn sink() -> SmtpSink {
    sink_with(|_| {}).await
}

async fn sink_with(tune: impl FnOnce(&mut SinkConfig)) -> SmtpSink {
    let mut cfg = SinkConfig::new(vec![USER.to_string(), "second@example.com".to_string()]);
    tune(&mut cfg);
    SmtpSink::start(cfg).await.unwrap()
}

/// A hand-driven SMTP client for protocol-level checks.
struct Raw {
    read: BufReader<OwnedReadHalf>,
    write: OwnedWriteHalf,
}

impl Raw {
    async fn connect(addr: SocketAddr) -> (Raw, String) {
        let (read, write) = TcpStream::connect(addr).await.unwrap().into_split();
        let mut raw = Raw {
            read: BufReader::new(read),
            write,
        };
        let greeting = raw.reply().await;
        (raw, greeting)
    }

    /// Reads one complete (possibly multi-line) reply; "" on EOF.
    async fn reply(&mut self) -> String {
        let mut all = String::new();
        loop {
            let mut line = String::new();
            let n = tokio::time::timeout(STEP, self.read.read_line(&mut line))
                .await
                .expect("reply in time")
                .unwrap_or(0);
            if n == 0 {
                return all;
            }
            all.push_str(&line);
            if line.as_bytes().get(3) != Some(&b'-') {
                return all;
            }
        }
    }

    async fn send(&mut self, bytes: &[u8]) {
        self.write.write_all(bytes).await.unwrap();
    }

    async fn say(&mut self, line: &str) -> String {
        self.send(format!("{line}\r\n").as_bytes()).await;
        self.reply().await
    }

    async fn closed(&mut self) -> bool {
        let mut buf = [0u8; 64];
        matches!(
            tokio::time::timeout(STEP, self.read.read(&mut buf)).await,
            Ok(Ok(0)) | Ok(Err(_))
        )
    }
}

#[tokio::test]
async fn send_mail_round_trip_with_dot_stuffing_and_two_recipients() {
    let sink = sink().await;
    let message = b"Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\nmiddle . dot\r\n.\r\nend";
    let dialogue = send_mail(
        sink.local_addr(),
        "mock.example",
        "agent@service-provider.example",
        &[USER.to_string(), "SECOND@example.com".to_string()],
        message,
        STEP,
    )
    .await
    .unwrap();
    assert!(dialogue.contains("C: EHLO mock.example"));
    assert!(dialogue.contains(&format!("C: <{} bytes of message data>", message.len())));
    assert!(dialogue.contains("S: 250 2.0.0"));

    let mails = sink.wait_for(1, STEP).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    let mut expected = message.to_vec();
    expected.extend_from_slice(b"\r\n");
    assert_eq!(&mail.raw[..], &expected[..]);
    assert_eq!(mail.item.helo, "mock.example");
    assert_eq!(mail.item.mail_from, "agent@service-provider.example");
    assert_eq!(
        mail.item.rcpt_to,
        vec![USER.to_string(), "SECOND@example.com".to_string()]
    );
    assert!(mail.item.peer.ip().is_loopback());
    assert!(mail.item.dialogue.starts_with("S: 220 "));
    assert!(mail.item.dialogue.contains("bytes of message data>"));
    assert!(sink.rejected().is_empty());
}

#[tokio::test]
async fn raw_client_dot_stuffing_is_removed() {
    let sink = sink().await;
    let (mut c, greeting) = Raw::connect(sink.local_addr()).await;
    assert!(greeting.starts_with("220 "));
    assert!(c.say("EHLO raw").await.contains("250 PIPELINING"));
    assert!(c.say("MAIL FROM:<>").await.starts_with("250"));
    assert!(c.say(&format!("RCPT TO:<{USER}>")).await.starts_with("250"));
    assert!(c.say("DATA").await.starts_with("354"));
    c.send(b"..hidden\r\nline\n.\r\n").await;
    assert!(c.reply().await.starts_with("250"));
    assert!(c.say("QUIT").await.starts_with("221"));
    let mails = sink.wait_for(1, STEP).await;
    assert_eq!(&mails[0].raw[..], b".hidden\r\nline\r\n");
    assert_eq!(mails[0].item.mail_from, "");
    assert!(mails[0]
        .item
        .dialogue
        .contains("1 bare LF line ends normalised"));
}

#[tokio::test]
async fn unknown_recipient_is_refused_and_recorded() {
    let sink = sink().await;
    let err = send_mail(
        sink.local_addr(),
        "relay.test",
        "a@b.example",
        &["victim@elsewhere.example".to_string()],
        b"Subject: x\r\n\r\nspam\r\n",
        STEP,
    )
    .await
    .unwrap_err();
    match err {
        SmtpError::Rejected { stage, reply } => {
            assert_eq!(stage, "RCPT");
            assert!(reply.starts_with("550 5.7.1"), "{reply}");
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    let rejected = sink.rejected();
    assert_eq!(rejected.len(), 1);
    assert!(rejected[0].contains("victim@elsewhere.example"));
    assert!(rejected[0].contains("550 5.7.1"));
    assert!(sink.received().is_empty());
}

#[tokio::test]
async fn mixed_recipients_keep_only_the_accepted_ones() {
    let sink = sink().await;
    let (mut c, _) = Raw::connect(sink.local_addr()).await;
    c.say("HELO raw").await;
    c.say("MAIL FROM:<a@b.example>").await;
    assert!(c
        .say("RCPT TO:<other@example.com>")
        .await
        .starts_with("550 5.7.1"));
    assert!(c
        .say(&format!("RCPT TO:<{}>", USER.to_uppercase()))
        .await
        .starts_with("250"));
    assert!(c.say("DATA").await.starts_with("354"));
    c.send(b"hi\r\n.\r\n").await;
    assert!(c.reply().await.starts_with("250"));
    let mails = sink.wait_for(1, STEP).await;
    assert_eq!(mails[0].item.rcpt_to, vec![USER.to_uppercase()]);
    assert_eq!(sink.rejected().len(), 1);
}

#[tokio::test]
async fn oversized_message_gets_552() {
    let sink = sink_with(|c| c.max_message = 100).await;
    let big = vec![b'x'; 500];
    let err = send_mail(
        sink.local_addr(),
        "h",
        "a@b.example",
        &[USER.into()],
        &big,
        STEP,
    )
    .await
    .unwrap_err();
    match err {
        SmtpError::Rejected { stage, reply } => {
            assert_eq!(stage, "message");
            assert!(reply.starts_with("552"), "{reply}");
        }
        other => panic!("expected 552, got {other:?}"),
    }
    assert!(sink.received().is_empty());

    // The SIZE parameter is refused up front.
    let (mut c, _) = Raw::connect(sink.local_addr()).await;
    c.say("EHLO raw").await;
    assert!(c
        .say("MAIL FROM:<a@b.example> SIZE=1000")
        .await
        .starts_with("552"));
    // The session stays usable after a 552.
    assert!(c
        .say("MAIL FROM:<a@b.example> SIZE=10")
        .await
        .starts_with("250"));
}

#[rstest]
#[case::unknown("HELLO there", "500")]
#[case::auth("AUTH PLAIN AGZvbwBiYXI=", "502")]
#[case::starttls("STARTTLS", "502")]
#[case::expn("EXPN list", "502")]
#[case::vrfy("VRFY someone", "252")]
#[case::noop("NOOP", "250")]
#[case::rcpt_first("RCPT TO:<someone@example.com>", "503")]
#[case::data_first("DATA", "503")]
#[case::bad_mail_syntax("MAIL FROM someone", "501")]
#[case::binary("\u{1}\u{2}\u{3}", "500")]
#[tokio::test]
async fn command_replies(#[case] command: &str, #[case] code: &str) {
    let sink = sink().await;
    let (mut c, _) = Raw::connect(sink.local_addr()).await;
    c.say("EHLO raw").await;
    let reply = c.say(command).await;
    assert!(reply.starts_with(code), "{command:?} got {reply:?}");
}

#[tokio::test]
async fn mail_before_helo_is_out_of_sequence() {
    let sink = sink().await;
    let (mut c, _) = Raw::connect(sink.local_addr()).await;
    assert!(c.say("MAIL FROM:<a@b.example>").await.starts_with("503"));
}

#[tokio::test]
async fn too_many_bad_commands_end_the_session() {
    let sink = sink().await;
    let (mut c, _) = Raw::connect(sink.local_addr()).await;
    let mut last = String::new();
    for _ in 0..10 {
        last = c.say("GARBAGE").await;
    }
    assert!(last.starts_with("500"), "{last}");
    let bye = c.reply().await;
    assert!(bye.starts_with("421 4.7.0"), "{bye}");
    assert!(c.closed().await);
}

#[tokio::test]
async fn over_long_command_line_gets_500() {
    let sink = sink().await;
    let (mut c, _) = Raw::connect(sink.local_addr()).await;
    let long = format!("NOOP {}", "x".repeat(5000));
    assert!(c.say(&long).await.starts_with("500 5.5.6"));
    assert!(c.say("NOOP").await.starts_with("250"));
}

#[tokio::test]
async fn silent_client_is_dropped_after_idle_timeout() {
    let sink = sink_with(|c| c.idle_timeout = Duration::from_millis(200)).await;
    let (mut c, greeting) = Raw::connect(sink.local_addr()).await;
    assert!(greeting.starts_with("220"));
    let bye = c.reply().await;
    assert!(bye.starts_with("421 4.4.2"), "{bye}");
    assert!(c.closed().await);
}

#[tokio::test]
async fn two_concurrent_sessions() {
    let sink = sink().await;
    // Session A opens a transaction and keeps it open while B delivers completely.
    let (mut a, _) = Raw::connect(sink.local_addr()).await;
    a.say("EHLO a").await;
    a.say("MAIL FROM:<a@a.example>").await;
    assert!(a.say(&format!("RCPT TO:<{USER}>")).await.starts_with("250"));

    send_mail(
        sink.local_addr(),
        "b",
        "b@b.example",
        &[USER.into()],
        b"from b\r\n",
        STEP,
    )
    .await
    .unwrap();
    assert_eq!(sink.wait_for(1, STEP).await.len(), 1);

    assert!(a.say("DATA").await.starts_with("354"));
    a.send(b"from a\r\n.\r\n").await;
    assert!(a.reply().await.starts_with("250"));
    let mails = sink.wait_for(2, STEP).await;
    assert_eq!(mails.len(), 2);
    let mut froms: Vec<&str> = mails.iter().map(|m| m.item.mail_from.as_str()).collect();
    froms.sort();
    assert_eq!(froms, ["a@a.example", "b@b.example"]);
}

#[tokio::test]
async fn rset_discards_the_transaction() {
    let sink = sink().await;
    let (mut c, _) = Raw::connect(sink.local_addr()).await;
    c.say("EHLO raw").await;
    c.say("MAIL FROM:<a@b.example>").await;
    c.say(&format!("RCPT TO:<{USER}>")).await;
    assert!(c.say("RSET").await.starts_with("250"));
    assert!(c.say("DATA").await.starts_with("503"));
}

#[tokio::test]
async fn wait_for_gives_up_and_clear_empties() {
    let sink = sink().await;
    assert!(sink.wait_for(1, Duration::from_millis(50)).await.is_empty());
    send_mail(
        sink.local_addr(),
        "h",
        "a@b.example",
        &[USER.into()],
        b"x",
        STEP,
    )
    .await
    .unwrap();
    let _ = send_mail(
        sink.local_addr(),
        "h",
        "a@b.example",
        &["no@x.example".into()],
        b"x",
        STEP,
    )
    .await;
    assert_eq!(sink.wait_for(1, STEP).await.len(), 1);
    assert_eq!(sink.rejected().len(), 1);
    sink.clear();
    assert!(sink.received().is_empty());
    assert!(sink.rejected().is_empty());
}

/// A scripted server: answers by command prefix; `ehlo_code` lets EHLO fail.
async fn scripted_server(greeting: &'static str, ehlo_code: &'static str) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        let (read, mut write) = stream.into_split();
        let mut read = BufReader::new(read);
        let _ = write.write_all(format!("{greeting}\r\n").as_bytes()).await;
        let mut in_data = false;
        loop {
            let mut line = String::new();
            if read.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let answer = if in_data {
                if line == ".\r\n" {
                    in_data = false;
                    "250 ok"
                } else {
                    continue;
                }
            } else if line.starts_with("EHLO") {
                ehlo_code
            } else if line.starts_with("DATA") {
                in_data = true;
                "354 go"
            } else if line.starts_with("QUIT") {
                "221 bye"
            } else {
                "250 ok"
            };
            let _ = write.write_all(format!("{answer}\r\n").as_bytes()).await;
        }
    });
    addr
}

#[tokio::test]
async fn helo_fallback_when_ehlo_is_refused() {
    let addr = scripted_server("220 old server", "502 what").await;
    let dialogue = send_mail(addr, "h", "a@b.example", &[USER.into()], b"x\r\n", STEP)
        .await
        .unwrap();
    assert!(dialogue.contains("C: HELO h"), "{dialogue}");
    assert!(dialogue.contains("S: 221 bye"), "{dialogue}");
}

#[rstest]
#[case::refused_greeting("554 go away", "greeting")]
#[tokio::test]
async fn rejections_name_their_stage(#[case] greeting: &'static str, #[case] stage: &str) {
    let addr = scripted_server(greeting, "250 ok").await;
    let err = send_mail(addr, "h", "a@b.example", &[USER.into()], b"x", STEP)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SmtpError::Rejected { stage: s, .. } if s == stage),
        "{err:?}"
    );
}

#[tokio::test]
async fn non_smtp_server_is_a_protocol_error() {
    let addr = scripted_server("HTTP/1.1 400 Bad Request", "250 ok").await;
    let err = send_mail(addr, "h", "a@b.example", &[USER.into()], b"x", STEP)
        .await
        .unwrap_err();
    assert!(matches!(err, SmtpError::Protocol(_)), "{err:?}");
}

#[tokio::test]
async fn silent_server_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    let err = send_mail(
        addr,
        "h",
        "a@b.example",
        &[USER.into()],
        b"x",
        Duration::from_millis(200),
    )
    .await
    .unwrap_err();
    assert_eq!(err, SmtpError::Timeout);
    holder.abort();
}

#[tokio::test]
async fn refused_connection_is_connect_error() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap().port()
    };
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let err = send_mail(addr, "h", "a@b.example", &[USER.into()], b"x", STEP)
        .await
        .unwrap_err();
    assert!(matches!(err, SmtpError::Connect(_)), "{err:?}");
}

/// Bounded storage: what does not fit is refused with 452 before the client could think it
/// was delivered, and counted.
#[tokio::test]
async fn a_full_sink_refuses_and_counts() {
    let sink = sink_with(|c| c.record = RecordLimits::new(5, 12)).await;
    let to = [USER.to_string()];
    let addr = sink.local_addr();
    send_mail(addr, "h", "a@b.example", &to, b"12345", STEP)
        .await
        .unwrap();
    // 7 bytes with the final CRLF, 14 in all: over the 12-byte budget.
    let refused = send_mail(addr, "h", "a@b.example", &to, b"67890", STEP).await;
    assert!(
        matches!(&refused, Err(e) if e.to_string().contains("452")),
        "{refused:?}"
    );
    let mails = sink.mails();
    assert_eq!((mails.len(), mails.dropped()), (1, 1));
    // The stored dialogue ends with the answer that was really sent.
    assert!(sink.received()[0]
        .item
        .dialogue
        .trim_end()
        .ends_with("S: 250 2.0.0 message 1 accepted"));
}

/// Waiting for a particular mail: the predicate sees each arrival, raw bytes included.
#[tokio::test]
async fn waits_for_the_mail_it_looks_for() {
    let sink = sink().await;
    let addr = sink.local_addr();
    let sender = tokio::spawn(async move {
        for body in [&b"first"[..], b"needle \xff"] {
            tokio::time::sleep(Duration::from_millis(20)).await;
            send_mail(addr, "h", "a@b.example", &[USER.into()], body, STEP)
                .await
                .unwrap();
        }
    });
    let epoch = Instant::now();
    let found = sink
        .mails()
        .wait_until(
            |m| m.iter().any(|a| a.raw.starts_with(b"needle")),
            Instant::now() + STEP,
        )
        .await
        .expect("the needle arrives");
    let needle = found.last().unwrap();
    assert_eq!(&needle.raw[..], b"needle \xff\r\n");
    assert!(needle.since(epoch) > Duration::ZERO);
    sender.await.unwrap();
}
