//! The SMTP sink: receives the reply mail an OMS server under test sends (MS-OMS 2.1,
//! 3.1.4.5) and keeps it for the checks.
//!
//! It is never an open relay: only the configured recipients are accepted, everything else
//! gets 550 5.7.1 and is recorded, so a test can also show that a SUT tried to send
//! somewhere else. Every session is bounded: idle timeout, line and message size limits, a
//! cap on bad commands, recipients, commands and stored messages.
//!
//! Accepted mail goes into a [`Recorder`]: the DATA payload as the arrival's raw bytes, the
//! envelope and the dialogue as its item, so a scenario can wait for "the mail carrying this
//! nonce" and judge the exact bytes the SUT sent.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use smtp_proto::{Error as ParseError, Request};
use tokio::io::{AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::timeout;

use super::data::{read_data, DataEnd, Payload};
use super::dialogue::Dialogue;
use super::lines::{display, read_line, Line};
use crate::record::{Arrival, RecordLimits, Recorder};

/// RFC 5321 4.5.3.1.6 text line limit, applied to command lines.
pub const MAX_COMMAND_LINE: usize = 1000;
/// Bad commands tolerated per session before "421" and hang-up.
pub const MAX_BAD_COMMANDS: u32 = 10;
/// RCPT attempts (accepted or not) per transaction.
pub const MAX_RECIPIENTS: usize = 100;
/// Commands per session, whatever they are.
pub const MAX_COMMANDS: usize = 10_000;
/// Messages (and rejection records) kept by one sink.
pub const MAX_STORED: usize = 1000;
/// Message bytes kept by one sink, over all messages.
pub const MAX_STORED_BYTES: usize = 256 * 1024 * 1024;
/// Concurrent sessions.
pub const MAX_SESSIONS: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SinkConfig {
    pub listen: SocketAddr,
    /// Recipient addresses accepted (compared case-insensitively).
    pub accept: Vec<String>,
    pub max_message: usize,
    pub hostname: String,
    pub idle_timeout: Duration,
    /// What the sink keeps; a message beyond it is refused with 452 (and counted).
    pub record: RecordLimits,
}

impl SinkConfig {
    /// Loopback, any free port, 10 MiB messages, 30 s idle timeout.
    pub fn new(accept: Vec<String>) -> Self {
        SinkConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            accept,
            max_message: 10 * 1024 * 1024,
            hostname: "oxconf-sink.invalid".to_string(),
            idle_timeout: Duration::from_secs(30),
            record: RecordLimits::new(MAX_STORED, MAX_STORED_BYTES),
        }
    }
}

/// The envelope and session of one accepted message; the message itself (dot-unstuffed,
/// CRLF line ends) is the arrival's raw bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedMail {
    pub peer: SocketAddr,
    pub helo: String,
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The session up to and including the reply to this message's DATA.
    pub dialogue: String,
}

struct Store {
    mails: Recorder<ReceivedMail>,
    rejected: Mutex<Vec<String>>,
}

impl Store {
    fn rejected(&self) -> MutexGuard<'_, Vec<String>> {
        // A panic elsewhere while holding the lock must not take the sink down with it.
        self.rejected.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn full(&self) -> bool {
        !self.mails.has_room(0)
    }

    fn push_rejection(&self, excerpt: String) {
        let mut rejected = self.rejected();
        if rejected.len() < MAX_STORED {
            rejected.push(excerpt);
        }
    }
}

pub struct SmtpSink {
    local: SocketAddr,
    store: Arc<Store>,
    task: JoinHandle<()>,
}

impl fmt::Debug for SmtpSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSink")
            .field("local", &self.local)
            .finish()
    }
}

impl SmtpSink {
    pub async fn start(cfg: SinkConfig) -> io::Result<SmtpSink> {
        let listener = TcpListener::bind(cfg.listen).await?;
        let local = listener.local_addr()?;
        let store = Arc::new(Store {
            mails: Recorder::new(cfg.record),
            rejected: Mutex::default(),
        });
        let task = tokio::spawn(accept_loop(listener, Arc::new(cfg), store.clone()));
        Ok(SmtpSink { local, store, task })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// The accepted messages, in arrival order.
    pub fn received(&self) -> Vec<Arrival<ReceivedMail>> {
        self.store.mails.snapshot()
    }

    /// The recorder of accepted messages, to wait on (`wait_until`) and to read the bounds
    /// (`dropped`); it stays readable after the sink stopped.
    pub fn mails(&self) -> Recorder<ReceivedMail> {
        self.store.mails.clone()
    }

    /// Waits until at least `count` messages arrived or `timeout` passed; returns what is there.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Arrival<ReceivedMail>> {
        match self
            .store
            .mails
            .wait_for_count(count, Instant::now() + timeout)
            .await
        {
            Ok(mails) | Err(mails) => mails,
        }
    }

    /// Dialogue excerpts of refused RCPTs.
    pub fn rejected(&self) -> Vec<String> {
        self.store.rejected().clone()
    }

    pub fn clear(&self) {
        self.store.mails.clear();
        self.store.rejected().clear();
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept_loop(listener: TcpListener, cfg: Arc<SinkConfig>, store: Arc<Store>) {
    let mut sessions = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                };
                if sessions.len() >= MAX_SESSIONS {
                    sessions.spawn(refuse_busy(stream, cfg.clone()));
                    continue;
                }
                let session = Session::new(peer, cfg.clone(), store.clone());
                sessions.spawn(session.run(stream));
            }
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
        }
    }
}

async fn refuse_busy(mut stream: TcpStream, cfg: Arc<SinkConfig>) {
    let line = format!(
        "421 4.3.2 {} too many sessions, try later\r\n",
        cfg.hostname
    );
    let _ = timeout(Duration::from_secs(1), stream.write_all(line.as_bytes())).await;
}

/// Why a session ended early.
enum Close {
    /// Orderly (QUIT) or the peer went away.
    Done,
    /// The peer misbehaved or a write failed; nothing more to say.
    Abort,
}

struct Session {
    peer: SocketAddr,
    cfg: Arc<SinkConfig>,
    store: Arc<Store>,
    dialogue: Dialogue,
    helo: Option<String>,
    mail_from: Option<String>,
    rcpt_to: Vec<String>,
    rcpt_attempts: usize,
    bad_commands: u32,
}

impl Session {
    fn new(peer: SocketAddr, cfg: Arc<SinkConfig>, store: Arc<Store>) -> Self {
        Session {
            peer,
            cfg,
            store,
            dialogue: Dialogue::default(),
            helo: None,
            mail_from: None,
            rcpt_to: Vec::new(),
            rcpt_attempts: 0,
            bad_commands: 0,
        }
    }

    async fn run(mut self, stream: TcpStream) {
        let (read, mut write) = stream.into_split();
        let mut read = BufReader::new(read);
        let greeting = format!("220 {} ESMTP oxconf sink ready", self.cfg.hostname);
        if self.reply(&mut write, &greeting).await.is_err() {
            return;
        }
        for _ in 0..MAX_COMMANDS {
            let line = match timeout(
                self.cfg.idle_timeout,
                read_line(&mut read, MAX_COMMAND_LINE),
            )
            .await
            {
                Err(_) => {
                    let bye = format!("421 4.4.2 {} idle timeout, closing", self.cfg.hostname);
                    let _ = self.reply(&mut write, &bye).await;
                    return;
                }
                Ok(Err(_)) => {
                    let _ = self
                        .reply(&mut write, "421 4.7.0 line far too long, closing")
                        .await;
                    return;
                }
                Ok(Ok(Line::Eof)) => return,
                Ok(Ok(Line::TooLong)) => {
                    self.dialogue.client("<over-long line>");
                    if self
                        .bad(&mut write, "500 5.5.6 line too long")
                        .await
                        .is_err()
                    {
                        return;
                    }
                    continue;
                }
                Ok(Ok(Line::Complete(l))) => l,
            };
            self.dialogue.client(&display(&line));
            let request = Request::parse(&mut line.iter()).map(|r| r.into_owned());
            let outcome = match request {
                Ok(r) => self.command(r, &mut read, &mut write).await,
                Err(e) => self.bad(&mut write, &parse_error_reply(&e)).await,
            };
            if let Err(Close::Done | Close::Abort) = outcome {
                return;
            }
        }
        let _ = self
            .reply(&mut write, "421 4.7.0 too many commands, closing")
            .await;
    }

    /// Ok(()) to continue the session, Err to end it.
    async fn command<R, W>(
        &mut self,
        request: Request<String>,
        read: &mut BufReader<R>,
        write: &mut W,
    ) -> Result<(), Close>
    where
        R: tokio::io::AsyncRead + Unpin,
        W: AsyncWrite + Unpin,
    {
        let host = self.cfg.hostname.clone();
        match request {
            Request::Ehlo { host: client } => {
                self.reset();
                self.helo = Some(client.clone());
                let lines = [
                    format!("250-{host} greets {client}"),
                    format!("250-SIZE {}", self.cfg.max_message),
                    "250-8BITMIME".to_string(),
                    "250-ENHANCEDSTATUSCODES".to_string(),
                    "250 PIPELINING".to_string(),
                ];
                self.reply(write, &lines.join("\r\n")).await
            }
            Request::Helo { host: client } => {
                self.reset();
                self.helo = Some(client);
                self.reply(write, &format!("250 {host}")).await
            }
            Request::Mail { from } => {
                if self.helo.is_none() {
                    return self.reply(write, "503 5.5.1 send EHLO or HELO first").await;
                }
                if self.mail_from.is_some() {
                    return self.reply(write, "503 5.5.1 nested MAIL command").await;
                }
                if from.size > self.cfg.max_message {
                    return self
                        .reply(
                            write,
                            "552 5.3.4 message size exceeds fixed maximum message size",
                        )
                        .await;
                }
                if self.store.full() {
                    return self.reply(write, "452 4.3.1 mailbox storage full").await;
                }
                self.mail_from = Some(from.address);
                self.reply(write, "250 2.1.0 sender OK").await
            }
            Request::Rcpt { to } => {
                if self.mail_from.is_none() {
                    return self.reply(write, "503 5.5.1 need MAIL before RCPT").await;
                }
                if self.rcpt_attempts >= MAX_RECIPIENTS {
                    return self.reply(write, "452 4.5.3 too many recipients").await;
                }
                self.rcpt_attempts += 1;
                let address = to.address;
                if self.accepts(&address) {
                    self.rcpt_to.push(address);
                    self.reply(write, "250 2.1.5 recipient OK").await
                } else {
                    let answer = format!("550 5.7.1 <{address}>: relaying denied");
                    let excerpt = format!("{}: C: RCPT TO:<{address}>\nS: {answer}", self.peer);
                    self.store.push_rejection(excerpt);
                    self.reply(write, &answer).await
                }
            }
            Request::Data => {
                if self.mail_from.is_none() {
                    return self.reply(write, "503 5.5.1 need MAIL before DATA").await;
                }
                if self.rcpt_to.is_empty() {
                    return self.reply(write, "554 5.5.1 no valid recipients").await;
                }
                self.reply(write, "354 end data with <CR><LF>.<CR><LF>")
                    .await?;
                self.data(read, write).await
            }
            Request::Rset => {
                self.reset();
                self.reply(write, "250 2.0.0 reset").await
            }
            Request::Noop { .. } => self.reply(write, "250 2.0.0 OK").await,
            Request::Vrfy { .. } => {
                self.reply(write, "252 2.5.0 cannot VRFY user, but will accept message")
                    .await
            }
            Request::Quit => {
                let _ = self
                    .reply(write, &format!("221 2.0.0 {host} closing"))
                    .await;
                Err(Close::Done)
            }
            other => {
                let reply = format!("502 5.5.1 {} not implemented", other.name());
                self.bad(write, &reply).await
            }
        }
    }

    async fn data<R, W>(&mut self, read: &mut BufReader<R>, write: &mut W) -> Result<(), Close>
    where
        R: tokio::io::AsyncRead + Unpin,
        W: AsyncWrite + Unpin,
    {
        let max = self.cfg.max_message;
        let drain_cap = max.saturating_mul(2).saturating_add(1024 * 1024);
        let end = read_data(read, max, drain_cap, self.cfg.idle_timeout).await;
        let result = match end {
            Err(e) if e.kind() == io::ErrorKind::TimedOut => {
                let bye = format!("421 4.4.2 {} idle timeout during DATA", self.cfg.hostname);
                let _ = self.reply(write, &bye).await;
                Err(Close::Abort)
            }
            Err(_) | Ok(DataEnd::Eof) => Err(Close::Abort),
            Ok(DataEnd::Abandoned(p)) => {
                self.note_payload(&p);
                let _ = self
                    .reply(
                        write,
                        "552 5.3.4 message size exceeds fixed maximum message size",
                    )
                    .await;
                Err(Close::Abort)
            }
            Ok(DataEnd::Complete(p)) if p.overflow => {
                self.note_payload(&p);
                self.reply(
                    write,
                    "552 5.3.4 message size exceeds fixed maximum message size",
                )
                .await
            }
            Ok(DataEnd::Complete(p)) => {
                self.note_payload(&p);
                let at = Instant::now();
                let answer = format!("250 2.0.0 message {} accepted", self.store.mails.len() + 1);
                // The stored dialogue ends with the answer to DATA; it is sent only once the
                // message is stored, so a 250 never stands for a message the sink dropped.
                let mut dialogue = self.dialogue.clone();
                dialogue.server(&answer);
                let kept = self.store.mails.push_arrival(Arrival {
                    at,
                    raw: p.data.into(),
                    item: self.received(dialogue.text()),
                });
                if kept {
                    self.reply(write, &answer).await
                } else {
                    // Counted by the recorder, so a check can tell that more came.
                    self.reply(write, "452 4.3.1 mailbox storage full").await
                }
            }
        };
        self.reset();
        result
    }

    fn received(&self, dialogue: String) -> ReceivedMail {
        ReceivedMail {
            peer: self.peer,
            helo: self.helo.clone().unwrap_or_default(),
            mail_from: self.mail_from.clone().unwrap_or_default(),
            rcpt_to: self.rcpt_to.clone(),
            dialogue,
        }
    }

    fn note_payload(&mut self, p: &Payload) {
        let size = if p.overflow { p.received } else { p.data.len() };
        if p.bare_lf > 0 {
            self.dialogue.client(&format!(
                "<{size} bytes of message data; {} bare LF line ends normalised to CRLF>",
                p.bare_lf
            ));
        } else {
            self.dialogue.data(size);
        }
        self.dialogue.client(".");
    }

    fn accepts(&self, address: &str) -> bool {
        let address = address.trim();
        self.cfg
            .accept
            .iter()
            .any(|a| a.trim().eq_ignore_ascii_case(address))
    }

    fn reset(&mut self) {
        self.mail_from = None;
        self.rcpt_to.clear();
        self.rcpt_attempts = 0;
    }

    /// Answers a bad command and hangs up once there were too many.
    async fn bad<W: AsyncWrite + Unpin>(
        &mut self,
        write: &mut W,
        reply: &str,
    ) -> Result<(), Close> {
        self.bad_commands += 1;
        self.reply(write, reply).await?;
        if self.bad_commands >= MAX_BAD_COMMANDS {
            let _ = self
                .reply(write, "421 4.7.0 too many errors, closing")
                .await;
            return Err(Close::Abort);
        }
        Ok(())
    }

    async fn reply<W: AsyncWrite + Unpin>(
        &mut self,
        write: &mut W,
        text: &str,
    ) -> Result<(), Close> {
        for line in text.split("\r\n") {
            self.dialogue.server(line);
        }
        let wire = format!("{text}\r\n");
        match timeout(self.cfg.idle_timeout, async {
            write.write_all(wire.as_bytes()).await?;
            write.flush().await
        })
        .await
        {
            Ok(Ok(())) => Ok(()),
            _ => Err(Close::Abort),
        }
    }
}

fn parse_error_reply(e: &ParseError) -> String {
    match e {
        ParseError::UnknownCommand => "500 5.5.1 command unrecognized".to_string(),
        ParseError::SyntaxError { syntax } => format!("501 5.5.4 syntax: {syntax}"),
        ParseError::InvalidSenderAddress => "501 5.1.7 bad sender address syntax".to_string(),
        ParseError::InvalidRecipientAddress => "501 5.1.3 bad recipient address syntax".to_string(),
        ParseError::InvalidParameter { param } => format!("501 5.5.4 invalid parameter {param}"),
        ParseError::UnsupportedParameter { param } => {
            format!("555 5.5.4 unsupported parameter {param}")
        }
        _ => "500 5.5.2 syntax error".to_string(),
    }
}
