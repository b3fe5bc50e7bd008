//! MAPI over HTTP (MS-OXCMAPIHTTP) for the mailbox endpoint, as far as notifications need it:
//! the Connect, Execute, NotificationWait and Disconnect bodies (digest 6.6), the headers
//! (6.2), and the PROCESSING / PENDING / DONE response stream (6.5) read incrementally with
//! bounded sizes, so a server that never sends DONE, or sends an endless line, is a finding
//! and not a hang or an out-of-memory.

use crate::binary::{BinError, NoTrace, Reader};

pub const CONTENT_TYPE: &str = "application/mapi-http";

pub mod header {
    pub const REQUEST_TYPE: &str = "X-RequestType";
    pub const REQUEST_ID: &str = "X-RequestId";
    pub const CLIENT_INFO: &str = "X-ClientInfo";
    pub const CLIENT_APPLICATION: &str = "X-ClientApplication";
    pub const RESPONSE_CODE: &str = "X-ResponseCode";
    pub const PENDING_PERIOD: &str = "X-PendingPeriod";
    pub const EXPIRATION_INFO: &str = "X-ExpirationInfo";
    pub const SERVER_APPLICATION: &str = "X-ServerApplication";
    pub const ELAPSED_TIME: &str = "X-ElapsedTime";
    pub const START_TIME: &str = "X-StartTime";
}

/// X-ResponseCode values (digest 6.4).
pub mod response_code {
    pub const SUCCESS: u32 = 0;
    pub const UNKNOWN_FAILURE: u32 = 1;
    pub const INVALID_VERB: u32 = 2;
    pub const INVALID_REQUEST_TYPE: u32 = 5;
    pub const INVALID_CONTEXT_COOKIE: u32 = 6;
    pub const MISSING_HEADER: u32 = 7;
    pub const ANONYMOUS_NOT_ALLOWED: u32 = 8;
    pub const TOO_LARGE: u32 = 9;
    pub const CONTEXT_NOT_FOUND: u32 = 10;
    pub const INVALID_REQUEST_BODY: u32 = 12;
    pub const MISSING_COOKIE: u32 = 13;
    pub const INVALID_SEQUENCE: u32 = 15;
}

/// The default keep-alive period when X-PendingPeriod is absent (ms).
pub const DEFAULT_PENDING_PERIOD_MS: u64 = 30_000;

/// Execute Flags the harness sends: NoCompression | NoXorMagic (MS-OXCRPC pulFlags).
pub const EXECUTE_NO_COMPRESSION_NO_XOR: u32 = 0x0000_0003;

/// NotificationWait EventPending.
pub const EVENT_PENDING: u32 = 0x0000_0001;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestType {
    Connect,
    Execute,
    Disconnect,
    NotificationWait,
    Ping,
}

impl RequestType {
    pub const ALL: [RequestType; 5] = [
        RequestType::Connect,
        RequestType::Execute,
        RequestType::Disconnect,
        RequestType::NotificationWait,
        RequestType::Ping,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestType::Connect => "Connect",
            RequestType::Execute => "Execute",
            RequestType::Disconnect => "Disconnect",
            RequestType::NotificationWait => "NotificationWait",
            RequestType::Ping => "PING",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

fn asciiz<'a>(r: &mut Reader<'a, '_, NoTrace>, field: &'static str) -> Result<&'a [u8], BinError> {
    let rest = r.rest();
    let Some(end) = rest.iter().position(|b| *b == 0) else {
        return Err(BinError::Incomplete {
            field,
            offset: r.pos(),
            needed: rest.len() + 1,
            available: rest.len(),
        });
    };
    let s = r.bytes(field, end + 1)?;
    Ok(&s[..end])
}

fn utf16z(r: &mut Reader<'_, '_, NoTrace>, field: &'static str) -> Result<String, BinError> {
    let rest = r.rest();
    let Some(units) = rest.chunks_exact(2).position(|u| u == [0, 0]) else {
        return Err(BinError::Incomplete {
            field,
            offset: r.pos(),
            needed: rest.len() + 2,
            available: rest.len(),
        });
    };
    let raw = r.bytes(field, units * 2 + 2)?;
    let v: Vec<u16> = raw[..units * 2]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    Ok(String::from_utf16_lossy(&v))
}

fn aux<'a>(r: &mut Reader<'a, '_, NoTrace>) -> Result<&'a [u8], BinError> {
    let n = r.u32("AuxiliaryBufferSize")? as usize;
    r.bytes("AuxiliaryBuffer", n)
}

fn done(r: &Reader<'_, '_, NoTrace>) -> Result<(), BinError> {
    if r.remaining() > 0 {
        return Err(r.malformed("body-trailing-bytes", "body", r.pos()));
    }
    Ok(())
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_aux(out: &mut Vec<u8>, aux: &[u8]) {
    put_u32(out, aux.len() as u32);
    out.extend_from_slice(aux);
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectRequest {
    pub user_dn: String,
    pub flags: u32,
    pub code_page: u32,
    pub lcid_sort: u32,
    pub lcid_string: u32,
}

impl ConnectRequest {
    pub fn write(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(self.user_dn.as_bytes());
        out.push(0);
        for v in [self.flags, self.code_page, self.lcid_sort, self.lcid_string] {
            put_u32(&mut out, v);
        }
        put_aux(&mut out, &[]);
        out
    }

    pub fn read(body: &[u8]) -> Result<ConnectRequest, BinError> {
        let mut t = NoTrace;
        let mut r = Reader::new(body, &mut t);
        let user_dn = String::from_utf8_lossy(asciiz(&mut r, "UserDn")?).into_owned();
        let c = ConnectRequest {
            user_dn,
            flags: r.u32("Flags")?,
            code_page: r.u32("DefaultCodePage")?,
            lcid_sort: r.u32("LcidSort")?,
            lcid_string: r.u32("LcidString")?,
        };
        aux(&mut r)?;
        done(&r)?;
        Ok(c)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectSuccess {
    pub error_code: u32,
    pub polls_max: u32,
    pub retry_count: u32,
    pub retry_delay: u32,
    pub dn_prefix: String,
    pub display_name: String,
}

impl ConnectSuccess {
    pub fn write(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for v in [
            0,
            self.error_code,
            self.polls_max,
            self.retry_count,
            self.retry_delay,
        ] {
            put_u32(&mut out, v);
        }
        out.extend_from_slice(self.dn_prefix.as_bytes());
        out.push(0);
        for u in self.display_name.encode_utf16() {
            out.extend_from_slice(&u.to_le_bytes());
        }
        out.extend_from_slice(&[0, 0]);
        put_aux(&mut out, &[]);
        out
    }
}

/// A response body: the success form, or StatusCode ≠ 0 with the auxiliary buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body<T> {
    Success(T),
    Failure { status_code: u32 },
}

/// Reads a response body whose first u32 is StatusCode: the failure form when it is not 0,
/// else `success` over the rest.
fn read_response<'a, T>(
    body: &'a [u8],
    success: impl FnOnce(&mut Reader<'a, '_, NoTrace>) -> Result<T, BinError>,
) -> Result<Body<T>, BinError> {
    let mut t = NoTrace;
    let mut r = Reader::new(body, &mut t);
    let status_code = r.u32("StatusCode")?;
    if status_code != 0 {
        aux(&mut r)?;
        done(&r)?;
        return Ok(Body::Failure { status_code });
    }
    let v = success(&mut r)?;
    aux(&mut r)?;
    done(&r)?;
    Ok(Body::Success(v))
}

/// The failure body: StatusCode and an empty auxiliary buffer.
pub fn write_failure(status_code: u32) -> Vec<u8> {
    let mut out = Vec::new();
    put_u32(&mut out, status_code);
    put_aux(&mut out, &[]);
    out
}

pub fn read_connect_response(body: &[u8]) -> Result<Body<ConnectSuccess>, BinError> {
    read_response(body, |r| {
        Ok(ConnectSuccess {
            error_code: r.u32("ErrorCode")?,
            polls_max: r.u32("PollsMax")?,
            retry_count: r.u32("RetryCount")?,
            retry_delay: r.u32("RetryDelay")?,
            dn_prefix: String::from_utf8_lossy(asciiz(r, "DnPrefix")?).into_owned(),
            display_name: utf16z(r, "DisplayName")?,
        })
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecuteRequest {
    pub flags: u32,
    /// RopBuffer: RPC_HEADER_EXT and the ROP buffer.
    pub rop_buffer: Vec<u8>,
    pub max_rop_out: u32,
}

impl ExecuteRequest {
    pub fn write(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_u32(&mut out, self.flags);
        put_u32(&mut out, self.rop_buffer.len() as u32);
        out.extend_from_slice(&self.rop_buffer);
        put_u32(&mut out, self.max_rop_out);
        put_aux(&mut out, &[]);
        out
    }

    pub fn read(body: &[u8]) -> Result<ExecuteRequest, BinError> {
        let mut t = NoTrace;
        let mut r = Reader::new(body, &mut t);
        let flags = r.u32("Flags")?;
        let n = r.u32("RopBufferSize")? as usize;
        let rop_buffer = r.bytes("RopBuffer", n)?.to_vec();
        let max_rop_out = r.u32("MaxRopOut")?;
        aux(&mut r)?;
        done(&r)?;
        Ok(ExecuteRequest {
            flags,
            rop_buffer,
            max_rop_out,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecuteSuccess {
    pub error_code: u32,
    pub flags: u32,
    pub rop_buffer: Vec<u8>,
}

impl ExecuteSuccess {
    pub fn write(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for v in [0, self.error_code, self.flags, self.rop_buffer.len() as u32] {
            put_u32(&mut out, v);
        }
        out.extend_from_slice(&self.rop_buffer);
        put_aux(&mut out, &[]);
        out
    }
}

pub fn read_execute_response(body: &[u8]) -> Result<Body<ExecuteSuccess>, BinError> {
    read_response(body, |r| {
        let error_code = r.u32("ErrorCode")?;
        let flags = r.u32("Flags")?;
        let n = r.u32("RopBufferSize")? as usize;
        Ok(ExecuteSuccess {
            error_code,
            flags,
            rop_buffer: r.bytes("RopBuffer", n)?.to_vec(),
        })
    })
}

/// NotificationWait request body: Flags (0) and the auxiliary buffer.
pub fn write_wait_request() -> Vec<u8> {
    let mut out = Vec::new();
    put_u32(&mut out, 0);
    put_aux(&mut out, &[]);
    out
}

pub fn read_wait_request(body: &[u8]) -> Result<u32, BinError> {
    let mut t = NoTrace;
    let mut r = Reader::new(body, &mut t);
    let flags = r.u32("Flags")?;
    aux(&mut r)?;
    done(&r)?;
    Ok(flags)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitSuccess {
    pub error_code: u32,
    pub event_pending: bool,
}

impl WaitSuccess {
    pub fn write(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_u32(&mut out, 0);
        put_u32(&mut out, self.error_code);
        put_u32(&mut out, u32::from(self.event_pending));
        put_aux(&mut out, &[]);
        out
    }
}

pub fn read_wait_response(body: &[u8]) -> Result<Body<WaitSuccess>, BinError> {
    read_response(body, |r| {
        Ok(WaitSuccess {
            error_code: r.u32("ErrorCode")?,
            event_pending: r.u32("EventPending")? & EVENT_PENDING != 0,
        })
    })
}

/// Disconnect request body: the auxiliary buffer only.
pub fn write_disconnect_request() -> Vec<u8> {
    let mut out = Vec::new();
    put_aux(&mut out, &[]);
    out
}

/// Disconnect success body: StatusCode, ErrorCode, auxiliary buffer.
pub fn write_disconnect_success() -> Vec<u8> {
    let mut out = Vec::new();
    put_u32(&mut out, 0);
    put_u32(&mut out, 0);
    put_aux(&mut out, &[]);
    out
}

pub fn read_disconnect_response(body: &[u8]) -> Result<Body<u32>, BinError> {
    read_response(body, |r| r.u32("ErrorCode"))
}

/// A meta-tag of the response stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetaTag {
    Processing,
    Pending,
    Done,
}

/// What the stream reader saw, as it arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamEvent {
    Tag(MetaTag),
    /// An additional header after DONE (`X-ElapsedTime: 12`).
    Header(String, String),
    /// The blank line after the additional headers: the body follows.
    BodyStarts,
}

/// Bounds of the stream reader.
#[derive(Clone, Copy, Debug)]
pub struct StreamLimits {
    pub max_line: usize,
    pub max_body: usize,
    pub max_tags: usize,
}

impl Default for StreamLimits {
    fn default() -> Self {
        StreamLimits {
            max_line: 1024,
            max_body: 4 * 1024 * 1024,
            max_tags: 10_000,
        }
    }
}

/// Why the response stream broke its framing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamError {
    /// A line before the body that is not a meta-tag (or header after DONE).
    BadLine(String),
    LineTooLong,
    BodyTooLarge,
    TooManyTags,
    /// The stream ended before DONE and the blank line.
    Unfinished,
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::BadLine(l) => write!(f, "a line that is not a meta-tag: {l:?}"),
            StreamError::LineTooLong => f.write_str("a meta-tag line longer than the limit"),
            StreamError::BodyTooLarge => f.write_str("a response body larger than the limit"),
            StreamError::TooManyTags => f.write_str("more meta-tags than the limit"),
            StreamError::Unfinished => {
                f.write_str("the stream ended before DONE and its blank line")
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Tags,
    Headers,
    Body,
}

/// An incremental reader of the de-chunked response stream: feed it bytes as they arrive,
/// collect the events, then take the body.
#[derive(Debug)]
pub struct StreamReader {
    limits: StreamLimits,
    phase: Phase,
    line: Vec<u8>,
    tags: usize,
    body: Vec<u8>,
}

impl StreamReader {
    pub fn new(limits: StreamLimits) -> Self {
        StreamReader {
            limits,
            phase: Phase::Tags,
            line: Vec::new(),
            tags: 0,
            body: Vec::new(),
        }
    }

    /// Feeds `bytes`; returns the events they completed.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Vec<StreamEvent>, StreamError> {
        let mut events = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            if self.phase == Phase::Body {
                if self.body.len() + rest.len() > self.limits.max_body {
                    return Err(StreamError::BodyTooLarge);
                }
                self.body.extend_from_slice(rest);
                break;
            }
            let (take, newline) = match rest.iter().position(|b| *b == b'\n') {
                Some(i) => (i + 1, true),
                None => (rest.len(), false),
            };
            self.line.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.line.len() > self.limits.max_line + 2 {
                return Err(StreamError::LineTooLong);
            }
            if !newline {
                break;
            }
            let line = String::from_utf8_lossy(&self.line)
                .trim_end_matches(['\r', '\n'])
                .to_owned();
            self.line.clear();
            match self.phase {
                Phase::Tags => {
                    self.tags += 1;
                    if self.tags > self.limits.max_tags {
                        return Err(StreamError::TooManyTags);
                    }
                    let tag = match line.as_str() {
                        "PROCESSING" => MetaTag::Processing,
                        "PENDING" => MetaTag::Pending,
                        "DONE" => MetaTag::Done,
                        _ => return Err(StreamError::BadLine(line)),
                    };
                    if tag == MetaTag::Done {
                        self.phase = Phase::Headers;
                    }
                    events.push(StreamEvent::Tag(tag));
                }
                Phase::Headers => {
                    if line.is_empty() {
                        self.phase = Phase::Body;
                        events.push(StreamEvent::BodyStarts);
                    } else if let Some((k, v)) = line.split_once(':') {
                        events.push(StreamEvent::Header(
                            k.trim().to_owned(),
                            v.trim().to_owned(),
                        ));
                    } else {
                        return Err(StreamError::BadLine(line));
                    }
                }
                Phase::Body => unreachable!("handled above"),
            }
        }
        Ok(events)
    }

    /// Whether the body has started (DONE and the blank line were read).
    pub fn in_body(&self) -> bool {
        self.phase == Phase::Body
    }

    /// The body, once the stream has ended. Err when it ended before the body started.
    pub fn finish(self) -> Result<Vec<u8>, StreamError> {
        if self.phase != Phase::Body {
            return Err(StreamError::Unfinished);
        }
        Ok(self.body)
    }
}

/// The start of a response stream: PROCESSING.
pub const PROCESSING: &[u8] = b"PROCESSING\r\n";
/// One keep-alive.
pub const PENDING: &[u8] = b"PENDING\r\n";

/// The end of a response stream: DONE, the additional headers, the blank line, the body.
pub fn stream_tail(elapsed_ms: u64, body: &[u8]) -> Vec<u8> {
    let mut out = format!("DONE\r\nX-ElapsedTime: {elapsed_ms}\r\n\r\n").into_bytes();
    out.extend_from_slice(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_reader_takes_bytes_in_any_split() {
        let mut whole = Vec::new();
        whole.extend_from_slice(PROCESSING);
        whole.extend_from_slice(PENDING);
        whole.extend_from_slice(&stream_tail(5, b"\x00\x01"));
        for split in 0..whole.len() {
            let mut r = StreamReader::new(StreamLimits::default());
            let mut events = r.feed(&whole[..split]).unwrap();
            events.extend(r.feed(&whole[split..]).unwrap());
            assert_eq!(events.len(), 5, "split {split}: {events:?}");
            assert_eq!(r.finish().unwrap(), b"\x00\x01");
        }
    }

    #[test]
    fn the_stream_reader_is_bounded() {
        let mut r = StreamReader::new(StreamLimits::default());
        assert_eq!(
            r.feed(&vec![b'P'; 5000]).unwrap_err(),
            StreamError::LineTooLong
        );
        let mut r = StreamReader::new(StreamLimits::default());
        assert!(matches!(r.feed(b"HELLO\r\n"), Err(StreamError::BadLine(_))));
        let r = StreamReader::new(StreamLimits::default());
        assert_eq!(r.finish().unwrap_err(), StreamError::Unfinished);
    }

    #[test]
    fn bodies_round_trip() {
        let c = ConnectRequest {
            user_dn: "/o=Example/cn=alice".into(),
            flags: 0,
            code_page: 1252,
            lcid_sort: 1033,
            lcid_string: 1033,
        };
        assert_eq!(ConnectRequest::read(&c.write()).unwrap(), c);
        let s = ConnectSuccess {
            error_code: 0,
            polls_max: 60_000,
            retry_count: 6,
            retry_delay: 10_000,
            dn_prefix: "/o=Example".into(),
            display_name: "Alice".into(),
        };
        assert_eq!(read_connect_response(&s.write()).unwrap(), Body::Success(s));
        let e = ExecuteRequest {
            flags: 3,
            rop_buffer: vec![1, 2, 3],
            max_rop_out: 0x8000,
        };
        assert_eq!(ExecuteRequest::read(&e.write()).unwrap(), e);
        let w = WaitSuccess {
            error_code: 0,
            event_pending: true,
        };
        assert_eq!(read_wait_response(&w.write()).unwrap(), Body::Success(w));
        assert_eq!(
            read_wait_response(&write_failure(10)).unwrap(),
            Body::Failure { status_code: 10 }
        );
    }
}
