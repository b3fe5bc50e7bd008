//! A minimal SMTP client: what mock OMS servers use to deliver reply mail to a client under
//! test (MS-OMS 2.1, 3.1.4.5). No TLS, no AUTH: the recipient is a test mailbox.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::time::timeout;

use super::dialogue::Dialogue;
use super::lines::{display, read_line, Line};

/// Longest reply line accepted from a server.
const MAX_REPLY_LINE: usize = 4096;
/// Most lines in one multi-line reply.
const MAX_REPLY_LINES: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SmtpError {
    Connect(String),
    Timeout,
    /// The server answered a stage with a code other than the expected one.
    Rejected {
        stage: &'static str,
        reply: String,
    },
    Io(String),
    /// The server's reply is not SMTP, or the caller passed something that cannot be sent.
    Protocol(String),
}

impl fmt::Display for SmtpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SmtpError::Connect(m) => write!(f, "SMTP connection failed: {m}"),
            SmtpError::Timeout => f.write_str("SMTP server did not answer in time"),
            SmtpError::Rejected { stage, reply } => {
                write!(f, "SMTP server rejected {stage}: {reply}")
            }
            SmtpError::Io(m) => write!(f, "SMTP I/O error: {m}"),
            SmtpError::Protocol(m) => write!(f, "SMTP protocol error: {m}"),
        }
    }
}

impl std::error::Error for SmtpError {}

/// A parsed server reply.
struct Reply {
    code: u16,
    /// All lines, CR LF removed, joined with '\n'.
    text: String,
}

/// A minimal SMTP client (what mock servers use to deliver replies): EHLO (HELO fallback), MAIL,
/// RCPT for each, DATA with dot-stuffing, QUIT. Returns the dialogue.
///
/// `timeout` bounds each step separately (connect, each reply, sending the message), so a
/// large message is not cut short by a budget meant for one command.
pub async fn send_mail(
    server: SocketAddr,
    helo: &str,
    from: &str,
    to: &[String],
    data: &[u8],
    timeout: Duration,
) -> Result<String, SmtpError> {
    for value in [helo, from]
        .into_iter()
        .chain(to.iter().map(String::as_str))
    {
        if value.contains(['\r', '\n']) {
            return Err(SmtpError::Protocol(format!(
                "line break in an SMTP command argument: {value:?}"
            )));
        }
    }
    if to.is_empty() {
        return Err(SmtpError::Protocol("no recipients".into()));
    }
    let stream = match tokio::time::timeout(timeout, TcpStream::connect(server)).await {
        Err(_) => return Err(SmtpError::Timeout),
        Ok(Err(e)) => return Err(SmtpError::Connect(format!("{server}: {e}"))),
        Ok(Ok(s)) => s,
    };
    let (read, write) = stream.into_split();
    let mut conversation = Conversation {
        read: BufReader::new(read),
        write,
        limit: timeout,
        dialogue: Dialogue::default(),
    };
    let outcome = conversation.deliver(helo, from, to, data).await;
    match outcome {
        Ok(()) => Ok(conversation.dialogue.text()),
        Err(e) => {
            if matches!(e, SmtpError::Rejected { .. }) {
                // Be polite after a refusal; failures here change nothing.
                let _ = conversation.command("QUIT").await;
            }
            Err(e)
        }
    }
}

struct Conversation<R, W> {
    read: BufReader<R>,
    write: W,
    limit: Duration,
    dialogue: Dialogue,
}

impl<R: AsyncRead + Unpin, W: AsyncWrite + Unpin> Conversation<R, W> {
    async fn deliver(
        &mut self,
        helo: &str,
        from: &str,
        to: &[String],
        data: &[u8],
    ) -> Result<(), SmtpError> {
        require(self.reply().await?, &[220], "greeting")?;
        let ehlo = self.command(&format!("EHLO {helo}")).await?;
        if ehlo.code != 250 {
            let helo_reply = self.command(&format!("HELO {helo}")).await?;
            require(helo_reply, &[250], "HELO")?;
        }
        let mail = self.command(&format!("MAIL FROM:<{from}>")).await?;
        require(mail, &[250], "MAIL")?;
        for rcpt in to {
            let r = self.command(&format!("RCPT TO:<{rcpt}>")).await?;
            require(r, &[250, 251], "RCPT")?;
        }
        let go = self.command("DATA").await?;
        require(go, &[354], "DATA")?;
        let stuffed = dot_stuff(data);
        self.dialogue.data(data.len());
        self.dialogue.client(".");
        self.send_raw(&stuffed).await?;
        require(self.reply().await?, &[250], "message")?;
        // The message is accepted; a server that fumbles QUIT does not undo that.
        let _ = self.command("QUIT").await;
        Ok(())
    }

    async fn command(&mut self, line: &str) -> Result<Reply, SmtpError> {
        self.dialogue.client(line);
        self.send_raw(format!("{line}\r\n").as_bytes()).await?;
        self.reply().await
    }

    async fn send_raw(&mut self, bytes: &[u8]) -> Result<(), SmtpError> {
        match timeout(self.limit, async {
            self.write.write_all(bytes).await?;
            self.write.flush().await
        })
        .await
        {
            Err(_) => Err(SmtpError::Timeout),
            Ok(Err(e)) => Err(SmtpError::Io(e.to_string())),
            Ok(Ok(())) => Ok(()),
        }
    }

    async fn reply(&mut self) -> Result<Reply, SmtpError> {
        let mut lines: Vec<String> = Vec::new();
        loop {
            let line = match timeout(self.limit, read_line(&mut self.read, MAX_REPLY_LINE)).await {
                Err(_) => return Err(SmtpError::Timeout),
                Ok(Err(e)) => return Err(SmtpError::Io(e.to_string())),
                Ok(Ok(Line::Eof)) => {
                    return Err(SmtpError::Io("server closed the connection".into()))
                }
                Ok(Ok(Line::TooLong)) => {
                    return Err(SmtpError::Protocol("reply line too long".into()))
                }
                Ok(Ok(Line::Complete(l))) => display(&l),
            };
            self.dialogue.server(&line);
            let (code, last) = parse_reply_line(&line)?;
            if let Some(first) = lines.first() {
                if !first.starts_with(&line[..3]) {
                    return Err(SmtpError::Protocol(format!(
                        "reply code changed inside a multi-line reply: {line:?}"
                    )));
                }
            }
            lines.push(line);
            if last {
                return Ok(Reply {
                    code,
                    text: lines.join("\n"),
                });
            }
            if lines.len() >= MAX_REPLY_LINES {
                return Err(SmtpError::Protocol(
                    "multi-line reply without an end".into(),
                ));
            }
        }
    }
}

/// "250-..." is a continuation, "250 ..." or "250" the last line.
fn parse_reply_line(line: &str) -> Result<(u16, bool), SmtpError> {
    let bytes = line.as_bytes();
    let code_ok = bytes.len() >= 3
        && bytes[..3].iter().all(u8::is_ascii_digit)
        && (b'2'..=b'5').contains(&bytes[0]);
    if !code_ok {
        return Err(SmtpError::Protocol(format!("not an SMTP reply: {line:?}")));
    }
    let code = u16::from(bytes[0] - b'0') * 100
        + u16::from(bytes[1] - b'0') * 10
        + u16::from(bytes[2] - b'0');
    match bytes.get(3) {
        None | Some(b' ') => Ok((code, true)),
        Some(b'-') => Ok((code, false)),
        Some(_) => Err(SmtpError::Protocol(format!("not an SMTP reply: {line:?}"))),
    }
}

fn require(reply: Reply, codes: &[u16], stage: &'static str) -> Result<(), SmtpError> {
    if codes.contains(&reply.code) {
        Ok(())
    } else {
        Err(SmtpError::Rejected {
            stage,
            reply: reply.text,
        })
    }
}

/// CRLF line ends, a '.' doubled at the start of each line, a final CRLF, then ".\r\n".
pub(crate) fn dot_stuff(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 64 + 5);
    let mut at_line_start = true;
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        if at_line_start && c == b'.' {
            out.push(b'.');
        }
        match c {
            b'\r' if data.get(i + 1) == Some(&b'\n') => {
                out.extend_from_slice(b"\r\n");
                i += 1;
                at_line_start = true;
            }
            b'\r' | b'\n' => {
                out.extend_from_slice(b"\r\n");
                at_line_start = true;
            }
            _ => {
                out.push(c);
                at_line_start = false;
            }
        }
        i += 1;
    }
    if !at_line_start {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(b"", b".\r\n")]
    #[case(b"a", b"a\r\n.\r\n")]
    #[case(b"a\r\n", b"a\r\n.\r\n")]
    #[case(b".a\n..b\r\n.", b"..a\r\n...b\r\n..\r\n.\r\n")]
    #[case(b"x\ry", b"x\r\ny\r\n.\r\n")]
    #[case(b"a.b\r\n", b"a.b\r\n.\r\n")]
    fn stuffs(#[case] input: &[u8], #[case] expected: &[u8]) {
        assert_eq!(dot_stuff(input), expected);
    }

    #[rstest]
    #[case("250 OK", Some((250, true)))]
    #[case("250-SIZE 10", Some((250, false)))]
    #[case("221", Some((221, true)))]
    #[case("hello", None)]
    #[case("250:x", None)]
    #[case("999 x", None)]
    fn reply_lines(#[case] line: &str, #[case] expected: Option<(u16, bool)>) {
        assert_eq!(parse_reply_line(line).ok(), expected);
    }

    #[tokio::test]
    async fn injection_is_refused_before_connecting() {
        let addr: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let err = send_mail(
            addr,
            "h",
            "a@b\r\nRCPT TO:<x@y>",
            &["c@d".into()],
            b"",
            Duration::from_millis(100),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, SmtpError::Protocol(_)));
    }
}
