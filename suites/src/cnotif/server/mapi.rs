//! The harness as a MAPI/HTTP client of the server under test: one Session Context per
//! scenario (cookies kept and sent back), Execute with the handle table the client keeps, and
//! NotificationWait with the arrival time of every meta-tag. Every exchange goes into the
//! transcript: headers as text, bodies as hex dumps with every ROP and notification field
//! named.

use super::env::NotifEnv;
use base64::Engine as _;
use harness::{Cx, Direction, Field, Stop};
use mocks::net::{HttpClient, Request, Response};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wire::cnotif;
use wire::mapihttp::{
    self, header, Body, ConnectRequest, ExecuteRequest, MetaTag, RequestType, StreamEvent,
    StreamLimits, StreamReader,
};
use wire::rop::{
    self, read_requests, read_responses, read_rop_buffer, read_rpc_ext, write_requests,
    write_rop_buffer, write_rpc_ext, RopRequest, RopResponse, NO_HANDLE,
};

/// Slots of the client's handle table.
pub const SLOTS: usize = 8;
/// A MaxRopOut large enough for anything the scenarios cause.
pub const LARGE: u32 = 0x8000 + 8;

/// A read MAPI/HTTP response.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub response_code: Option<u32>,
    /// The meta-tags with the time they arrived, from the request.
    pub tags: Vec<(Duration, MetaTag)>,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
    pub elapsed: Duration,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn pending_times(&self) -> Vec<Duration> {
        self.tags
            .iter()
            .filter(|(_, t)| *t == MetaTag::Pending)
            .map(|(at, _)| *at)
            .collect()
    }
}

/// One Execute's outcome.
#[derive(Clone, Debug)]
pub struct Executed {
    pub error_code: u32,
    /// The response RopsList.
    pub rops: Vec<u8>,
    /// The size of the RopBuffer as received (RPC_HEADER_EXT included), for MaxRopOut.
    pub rop_buffer_len: usize,
}

impl Executed {
    /// The responses, or why they could not be read.
    pub fn responses(&self) -> Result<Vec<rop::Located<'_>>, rop::ResponseError> {
        read_responses(&self.rops)
    }
}

/// One RopNotify as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notified {
    pub handle: u32,
    pub logon_id: u8,
    pub raw: Vec<u8>,
}

impl Notified {
    pub fn decoded(&self) -> Result<cnotif::NotificationData<'_>, cnotif::DecodeError> {
        cnotif::decode(&self.raw)
    }
}

pub struct Mapi {
    cx: Cx,
    pub env: Arc<NotifEnv>,
    cookies: Mutex<Vec<(String, String)>>,
    request_guid: String,
    counter: AtomicU32,
    /// The handle table the client keeps between Executes.
    pub table: Mutex<Vec<u32>>,
    pub polls_max: u32,
    pub pending_period: Option<u64>,
    pub folder_ids: Mutex<Vec<cnotif::Id>>,
}

fn guid(cx: &Cx) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in cx.id().bytes().chain(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
            .to_le_bytes(),
    ) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!(
        "{:08X}-{:04X}-{:04X}-{:04X}-{:012X}",
        h >> 32,
        (h >> 16) & 0xFFFF,
        h & 0xFFFF,
        (h >> 48) & 0xFFFF,
        h & 0xFFFF_FFFF_FFFF
    )
}

/// Field names for a RopsList of requests starting at `base`.
fn request_fields(rops: &[u8], base: usize) -> Vec<Field> {
    let Ok(reqs) = read_requests(rops) else {
        return vec![field("RopsList (unreadable)", base, rops.len(), "")];
    };
    let mut out = Vec::new();
    let mut at = base;
    for r in reqs {
        let mut one = Vec::new();
        r.write(&mut one);
        out.push(field(r.name(), at, one.len(), &format!("{r:?}")));
        at += one.len();
    }
    out
}

/// Field names for a RopsList of responses starting at `base`, the notifications' own fields
/// included.
fn response_fields(rops: &[u8], base: usize) -> Vec<Field> {
    let located = match read_responses(rops) {
        Ok(l) => l,
        Err(e) => {
            return vec![field(
                "RopsList (unreadable)",
                base,
                rops.len(),
                &e.to_string(),
            )]
        }
    };
    let mut out = Vec::new();
    let ends: Vec<usize> = located
        .iter()
        .skip(1)
        .map(|(o, _)| *o)
        .chain([rops.len()])
        .collect();
    for ((offset, resp), end) in located.iter().zip(ends) {
        let value = match resp {
            RopResponse::Notify {
                handle, logon_id, ..
            } => {
                format!("NotificationHandle 0x{handle:08X}, LogonId {logon_id}")
            }
            RopResponse::Pending { session_index } => format!("SessionIndex {session_index}"),
            other => match other.return_value() {
                Some(0) => "success".to_string(),
                Some(rv) => format!("ReturnValue 0x{rv:08X}"),
                None => String::new(),
            },
        };
        out.push(field(resp.name(), base + offset, end - offset, &value));
        if let RopResponse::Notify { raw, .. } = resp {
            let (fields, _) = cnotif::annotate(raw);
            for f in fields {
                out.push(field(f.name, base + offset + 6 + f.offset, f.len, &f.value));
            }
        }
    }
    out
}

/// One named field of a dump.
pub(crate) fn field(name: &str, offset: usize, len: usize, value: &str) -> Field {
    Field {
        offset,
        len,
        name: name.to_string(),
        value: value.to_string(),
    }
}

/// The fields of an Execute body (request or response), with the ROPs named.
fn execute_fields(body: &[u8], request: bool) -> Vec<Field> {
    let le = |at: usize| {
        body.get(at..at + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let mut out = Vec::new();
    let rb_at = if request { 8 } else { 16 };
    if request {
        out.push(field("Flags", 0, 4, &format!("0x{:08X}", le(0))));
        out.push(field("RopBufferSize", 4, 4, &le(4).to_string()));
    } else {
        out.push(field("StatusCode", 0, 4, &le(0).to_string()));
        out.push(field("ErrorCode", 4, 4, &format!("0x{:08X}", le(4))));
        out.push(field("Flags", 8, 4, &format!("0x{:08X}", le(8))));
        out.push(field("RopBufferSize", 12, 4, &le(12).to_string()));
    }
    let size = le(rb_at - 4);
    let Some(rop_buffer) = body.get(rb_at..rb_at + size) else {
        return out;
    };
    if size >= 8 {
        out.push(field("RPC_HEADER_EXT", rb_at, 8, ""));
        if let Ok(payload) = read_rpc_ext(rop_buffer) {
            if let Ok(b) = read_rop_buffer(&payload) {
                out.push(field(
                    "RopSize",
                    rb_at + 8,
                    2,
                    &(b.rops.len() + 2).to_string(),
                ));
                out.extend(if request {
                    request_fields(b.rops, rb_at + 10)
                } else {
                    response_fields(b.rops, rb_at + 10)
                });
                let table_at = rb_at + 10 + b.rops.len();
                out.push(field(
                    "ServerObjectHandleTable",
                    table_at,
                    b.handles.len() * 4,
                    &b.handles
                        .iter()
                        .map(|h| format!("0x{h:08X}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                ));
            }
        }
    }
    if request {
        out.push(field(
            "MaxRopOut",
            rb_at + size,
            4,
            &le(rb_at + size).to_string(),
        ));
    }
    out
}

impl Mapi {
    fn http(&self, timeout: Duration) -> HttpClient {
        let mut http = self.env.http.clone();
        http.response_timeout = timeout;
        http
    }

    fn auth(&self) -> String {
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", self.env.user, self.env.password));
        format!("Basic {token}")
    }

    /// Connects a new Session Context for the scenario.
    pub async fn connect(cx: &Cx) -> Result<Mapi, Stop> {
        let env = cx.env::<NotifEnv>()?;
        let mut m = Mapi {
            cx: cx.clone(),
            env,
            cookies: Mutex::new(Vec::new()),
            request_guid: guid(cx),
            counter: AtomicU32::new(0),
            table: Mutex::new(vec![NO_HANDLE; SLOTS]),
            polls_max: 0,
            pending_period: None,
            folder_ids: Mutex::new(Vec::new()),
        };
        let body = ConnectRequest {
            user_dn: m.env.mailbox_dn.clone(),
            flags: 0,
            code_page: 1252,
            lcid_sort: 1033,
            lcid_string: 1033,
        }
        .write();
        let answer = m.post(RequestType::Connect, body, None).await?;
        m.pending_period = answer
            .header(header::PENDING_PERIOD)
            .and_then(|v| v.trim().parse().ok());
        let connected = mapihttp::read_connect_response(&answer.body).map_err(|e| {
            Stop::inconclusive(format!("the Connect response body is unreadable: {e}"))
        })?;
        match connected {
            Body::Success(s) => {
                m.polls_max = s.polls_max;
                cx.note(format!(
                    "Connect: PollsMax {} ms, RetryCount {}, RetryDelay {} ms",
                    s.polls_max, s.retry_count, s.retry_delay
                ));
            }
            Body::Failure { status_code } => {
                return Err(Stop::inconclusive(format!(
                    "Connect failed with StatusCode 0x{status_code:08X}; check notif.mailbox_dn"
                )))
            }
        }
        Ok(m)
    }

    /// The session cookies as received so far.
    pub fn cookies(&self) -> Vec<(String, String)> {
        self.cookies.lock().map(|c| c.clone()).unwrap_or_default()
    }

    fn keep_cookies(&self, response: &Response) {
        let Ok(mut jar) = self.cookies.lock() else {
            return;
        };
        for (_, v) in response
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
        {
            let pair = v.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                let (name, value) = (name.trim().to_string(), value.trim().to_string());
                match jar.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = value,
                    None => jar.push((name, value)),
                }
            }
        }
    }

    /// One request: sent with the session's cookies, its answer read as a response stream
    /// (when it is HTTP 200 with X-ResponseCode 0; otherwise the body is kept as it came). A
    /// transport failure or a broken stream ends the scenario as inconclusive.
    pub async fn exchange(
        &self,
        kind: RequestType,
        body: Vec<u8>,
        timeout: Option<Duration>,
    ) -> Result<Answer, Stop> {
        let n = self.counter.fetch_add(1, Ordering::SeqCst) + 1;
        let mut req = Request::new("POST", &self.env.url)
            .header("Content-Type", mapihttp::CONTENT_TYPE)
            .header(header::REQUEST_TYPE, kind.as_str())
            .header(
                header::REQUEST_ID,
                &format!("{{{}}}:{n}", self.request_guid),
            )
            .header(header::CLIENT_INFO, &format!("{{{}}}:1", self.request_guid))
            .header(header::CLIENT_APPLICATION, "oxconf/0.1")
            .header("Authorization", &self.auth());
        let cookies = self.cookies();
        if !cookies.is_empty() {
            let line = cookies
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req = req.header("Cookie", &line);
        }
        let req = req.body(body.clone());
        let mut head = format!("POST {}\n", self.env.url);
        for (name, value) in &req.headers {
            head.push_str(&format!("{name}: {value}\n"));
        }
        self.cx
            .sent("http", &format!("{} request", kind.as_str()), &head);
        let fields = match kind {
            RequestType::Execute => execute_fields(&body, true),
            _ => Vec::new(),
        };
        self.cx.binary(
            Direction::Sent,
            "http",
            &format!("{} request body", kind.as_str()),
            &body,
            fields,
        );
        let wait = timeout.unwrap_or(self.env.response_timeout);
        let exchange = self.http(wait).send(req).await;
        let response = match &exchange.result {
            Ok(r) => r.clone(),
            Err(e) => {
                self.cx.received(
                    "http",
                    &format!("{} response", kind.as_str()),
                    &e.to_string(),
                );
                return Err(Stop::inconclusive(format!(
                    "{} could not be completed: {e}",
                    kind.as_str()
                )));
            }
        };
        self.keep_cookies(&response);
        let mut text = format!("HTTP {} {}\n", response.status, response.reason);
        for (n, v) in &response.headers {
            text.push_str(&format!("{n}: {v}\n"));
        }
        let code = response
            .header(header::RESPONSE_CODE)
            .and_then(|v| v.trim().parse::<u32>().ok());
        let mut reader = StreamReader::new(StreamLimits::default());
        let mut tags = Vec::new();
        let mut at = 0usize;
        let mut broken = None;
        if response.status == 200 && code == Some(0) {
            for (arrived, len) in &response.frames {
                let chunk = &response.body[at..at + len];
                at += len;
                match reader.feed(chunk) {
                    Ok(events) => {
                        for e in events {
                            match e {
                                StreamEvent::Tag(t) => {
                                    text.push_str(&format!(
                                        "[{:>7.3}s] {t:?}\n",
                                        arrived.as_secs_f64()
                                    ));
                                    tags.push((*arrived, t));
                                }
                                StreamEvent::Header(k, v) => text.push_str(&format!("{k}: {v}\n")),
                                StreamEvent::BodyStarts => {}
                            }
                        }
                    }
                    Err(e) => {
                        broken = Some(e.to_string());
                        break;
                    }
                }
            }
        }
        self.cx
            .received("http", &format!("{} response", kind.as_str()), &text);
        let answer_body = if response.status == 200 && code == Some(0) {
            match (broken, reader.finish()) {
                (None, Ok(b)) => b,
                (Some(e), _) => {
                    return Err(Stop::inconclusive(format!(
                        "the {} response stream is broken: {e}",
                        kind.as_str()
                    )))
                }
                (None, Err(e)) => {
                    return Err(Stop::inconclusive(format!(
                        "the {} response stream is broken: {e}",
                        kind.as_str()
                    )))
                }
            }
        } else {
            response.body.clone()
        };
        let fields = match kind {
            RequestType::Execute if code == Some(0) => execute_fields(&answer_body, false),
            _ => Vec::new(),
        };
        self.cx.binary(
            Direction::Received,
            "http",
            &format!("{} response body", kind.as_str()),
            &answer_body,
            fields,
        );
        Ok(Answer {
            status: response.status,
            response_code: code,
            tags,
            body: answer_body,
            headers: response.headers.clone(),
            elapsed: exchange.elapsed,
        })
    }

    /// `exchange`, requiring HTTP 200 and X-ResponseCode 0: anything else ends the scenario
    /// as inconclusive (401 with a hint at the credentials).
    pub async fn post(
        &self,
        kind: RequestType,
        body: Vec<u8>,
        timeout: Option<Duration>,
    ) -> Result<Answer, Stop> {
        let answer = self.exchange(kind, body, timeout).await?;
        let (status, code) = (answer.status, answer.response_code);
        if status == 401 {
            return Err(Stop::inconclusive(
                "the server refused the credentials (HTTP 401): check target.user and target.password",
            ));
        }
        if status != 200 || code != Some(0) {
            return Err(Stop::inconclusive(format!(
                "{} failed: HTTP {status}, X-ResponseCode {}",
                kind.as_str(),
                code.map_or("(none)".to_string(), |c| c.to_string())
            )));
        }
        Ok(answer)
    }

    /// An Execute of `requests` with the client's handle table; the table the server returns
    /// replaces it. An Execute failure body ends the scenario as inconclusive.
    pub async fn execute(
        &self,
        requests: &[RopRequest],
        max_rop_out: u32,
    ) -> Result<Executed, Stop> {
        let rops = write_requests(requests);
        let table = self.table.lock().map(|t| t.clone()).unwrap_or_default();
        let rop_buffer = if rops.is_empty() {
            write_rpc_ext(&[], false)
        } else {
            write_rop_buffer(&rops, &table).and_then(|b| write_rpc_ext(&b, false))
        }
        .map_err(Stop::error)?;
        self.execute_raw(rop_buffer, max_rop_out).await
    }

    /// An Execute of an already framed RopBuffer.
    pub async fn execute_raw(
        &self,
        rop_buffer: Vec<u8>,
        max_rop_out: u32,
    ) -> Result<Executed, Stop> {
        let body = ExecuteRequest {
            flags: mapihttp::EXECUTE_NO_COMPRESSION_NO_XOR,
            rop_buffer,
            max_rop_out,
        }
        .write();
        let answer = self.post(RequestType::Execute, body, None).await?;
        let read = mapihttp::read_execute_response(&answer.body).map_err(|e| {
            Stop::inconclusive(format!("the Execute response body is unreadable: {e}"))
        })?;
        let success = match read {
            Body::Success(s) => s,
            Body::Failure { status_code } => {
                return Ok(Executed {
                    error_code: status_code,
                    rops: Vec::new(),
                    rop_buffer_len: 0,
                })
            }
        };
        if success.error_code != 0 || success.rop_buffer.is_empty() {
            return Ok(Executed {
                error_code: success.error_code,
                rops: Vec::new(),
                rop_buffer_len: success.rop_buffer.len(),
            });
        }
        let payload = read_rpc_ext(&success.rop_buffer)
            .map_err(|e| Stop::inconclusive(format!("the Execute RopBuffer is unreadable: {e}")))?;
        let buffer = read_rop_buffer(&payload).map_err(|e| {
            Stop::inconclusive(format!("the Execute ROP buffer is unreadable: {e}"))
        })?;
        if !buffer.handles.is_empty() {
            if let Ok(mut t) = self.table.lock() {
                *t = buffer.handles.clone();
                let len = SLOTS.max(t.len());
                t.resize(len, NO_HANDLE);
            }
        }
        Ok(Executed {
            error_code: 0,
            rops: buffer.rops.to_vec(),
            rop_buffer_len: success.rop_buffer.len(),
        })
    }

    pub fn handle(&self, slot: u8) -> u32 {
        self.table
            .lock()
            .ok()
            .and_then(|t| t.get(slot as usize).copied())
            .unwrap_or(NO_HANDLE)
    }

    /// NotificationWait, held up to `timeout`.
    pub async fn wait(
        &self,
        timeout: Duration,
    ) -> Result<(Answer, Body<mapihttp::WaitSuccess>), Stop> {
        let answer = self
            .post(
                RequestType::NotificationWait,
                mapihttp::write_wait_request(),
                Some(timeout),
            )
            .await?;
        let body = mapihttp::read_wait_response(&answer.body).map_err(|e| {
            Stop::inconclusive(format!(
                "the NotificationWait response body is unreadable: {e}"
            ))
        })?;
        Ok((answer, body))
    }
}
