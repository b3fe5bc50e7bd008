//! The reference MAPI client (reference peer of `notif-client`): it follows the client rules
//! of MS-OXCNOTIF 3.2 over MAPI/HTTP. It connects, logs on, registers for notifications on the
//! Inbox, then waits with NotificationWait: after EventPending it sends an empty Execute;
//! after a rejected wait it does not retry the wait but polls every PollsMax; it follows a
//! RopPending only for its own session index (learnt from the first RopPending it sees, as
//! the suite's contract says), takes a RopNotify only for a handle it owns, and with a UDP
//! callback fetches after each datagram carrying its context. Each notification it accepts is
//! printed as one JSON line `{"handle": N, "notification": {...canonical decode...}}`.
//!
//! Each fault breaks one of those rules, or one corner of the decoding.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;
use wire::mapihttp::{
    self, header, Body, ConnectRequest, ExecuteRequest, RequestType, StreamLimits, StreamReader,
};
use wire::rop::{
    read_responses, read_rop_buffer, read_rpc_ext, types, write_requests, write_rop_buffer,
    write_rpc_ext, RopRequest, RopResponse, NO_HANDLE,
};

use crate::fault::{Fault, FaultSet, FaultTable, Variant};
use crate::net::{HttpClient, Request};

pub const FAULTS: &[Fault] = &[
    Fault::protocol(
        "reserved-nonzero",
        "sets the Extended bit and sends Reserved 0x01 in RopRegisterNotification",
    ),
    Fault::protocol(
        "ignores-pending",
        "never sends an Execute after a RopPending of its own session",
    ),
    Fault::protocol(
        "follows-any-pending",
        "sends an Execute after a RopPending of any session index",
    ),
    Fault::protocol(
        "accepts-any-handle",
        "takes every RopNotify, whatever its NotificationHandle",
    ),
    Fault::protocol("polls-fast", "polls four times per PollsMax"),
    Fault::protocol(
        "no-poll-fallback",
        "after a rejected NotificationWait, neither waits nor polls again",
    ),
    Fault::protocol(
        "retries-wait",
        "after a rejected NotificationWait, sends another one at once",
    ),
    Fault::protocol(
        "ignores-event-pending",
        "sends no Execute after a NotificationWait with EventPending",
    ),
    Fault::protocol(
        "stops-after-timeout",
        "stops waiting after a NotificationWait that ends without EventPending",
    ),
    Fault::protocol(
        "ignores-datagram",
        "sends no Execute after a datagram carrying its context",
    ),
    Fault::protocol(
        "accepts-any-datagram",
        "sends an Execute after any datagram, whatever it carries",
    ),
    Fault::protocol(
        "unicode-as-ascii",
        "reads a Unicode MessageClass as ASCII bytes (every other byte a NUL)",
    ),
    Fault::protocol(
        "swaps-counts",
        "reports TotalMessageCount as UnreadMessageCount and the other way round",
    ),
    Fault::protocol(
        "drops-table-row",
        "leaves out the row fields of TableModified events",
    ),
    Fault::protocol(
        "drops-old-ids",
        "leaves out OldFolderId and OldMessageId of moved and copied objects",
    ),
];

pub struct MapiClientFaults;

impl FaultTable for MapiClientFaults {
    const PEER: &'static str = "notif-client";
    const FAULTS: &'static [Fault] = FAULTS;
    const VARIANTS: &'static [Variant] = &[];
}

pub type Faults = FaultSet<MapiClientFaults>;

/// What the client is told (the trigger contract's placeholders).
#[derive(Clone, Debug, Default)]
pub struct ClientArgs {
    pub url: String,
    pub user: String,
    pub password: String,
    pub mailbox_dn: String,
    pub ca_pem: Option<String>,
    /// The loopback port to receive datagrams on, with the context they carry.
    pub udp: Option<(u16, Vec<u8>)>,
}

/// Where the client's output goes: one call per stdout line, one per stderr line.
pub type Emit = Arc<dyn Fn(&str) + Send + Sync>;

const SLOTS: usize = 4;
const MAX_ROP_OUT: u32 = 0x8000 + 8;
/// Follow-ups of RopPending in a row before the client stops and waits again.
const MAX_FOLLOWS: usize = 64;

struct Conn {
    http: HttpClient,
    url: String,
    auth: String,
    cookies: Mutex<Vec<(String, String)>>,
    counter: AtomicU32,
}

impl Conn {
    fn cookies_line(&self) -> String {
        self.cookies
            .lock()
            .map(|c| {
                c.iter()
                    .map(|(n, v)| format!("{n}={v}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    }

    /// One request; the body of a successful response stream, or why there is none.
    async fn post(
        &self,
        kind: RequestType,
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<Vec<u8>, String> {
        let n = self.counter.fetch_add(1, Ordering::SeqCst) + 1;
        let mut req = Request::new("POST", &self.url)
            .header("Content-Type", mapihttp::CONTENT_TYPE)
            .header(header::REQUEST_TYPE, kind.as_str())
            .header(
                header::REQUEST_ID,
                &format!("{{8D1D7C7E-0000-4000-8000-0000000C11E7}}:{n}"),
            )
            .header(
                header::CLIENT_INFO,
                "{8D1D7C7E-0000-4000-8000-0000000C11E7}:1",
            )
            .header(header::CLIENT_APPLICATION, "oxconf-reference-client/0.1")
            .header("Authorization", &self.auth);
        let cookies = self.cookies_line();
        if !cookies.is_empty() {
            req = req.header("Cookie", &cookies);
        }
        let mut http = self.http.clone();
        http.response_timeout = timeout;
        let exchange = http.send(req.body(body)).await;
        let response = exchange.result.map_err(|e| e.to_string())?;
        if let Ok(mut jar) = self.cookies.lock() {
            for (_, v) in response
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
            {
                if let Some((name, value)) = v.split(';').next().and_then(|p| p.split_once('=')) {
                    let (name, value) = (name.trim().to_string(), value.trim().to_string());
                    match jar.iter_mut().find(|(n, _)| *n == name) {
                        Some(slot) => slot.1 = value,
                        None => jar.push((name, value)),
                    }
                }
            }
        }
        let code = response
            .header(header::RESPONSE_CODE)
            .and_then(|v| v.trim().parse::<u32>().ok());
        if response.status != 200 || code != Some(0) {
            return Err(format!(
                "{} failed: HTTP {}, X-ResponseCode {code:?}",
                kind.as_str(),
                response.status
            ));
        }
        let mut reader = StreamReader::new(StreamLimits::default());
        reader.feed(&response.body).map_err(|e| e.to_string())?;
        reader.finish().map_err(|e| e.to_string())
    }
}

/// What an Execute's responses told the client besides the notifications it printed.
#[derive(Default)]
struct Answered {
    /// The Inbox's FolderId, from a RopLogon response.
    inbox: Option<wire::cnotif::Id>,
    /// The session index of every RopPending.
    pendings: Vec<u16>,
}

/// The client's state between requests.
struct State {
    table: Vec<u32>,
    own: Vec<u32>,
    session_index: Option<u16>,
}

pub struct ReferenceClient {
    faults: Faults,
}

impl ReferenceClient {
    pub fn new(faults: Faults) -> ReferenceClient {
        ReferenceClient { faults }
    }

    /// Runs until the future is dropped (the suite's end of the scenario) or setup fails.
    pub async fn run(&self, args: ClientArgs, out: Emit, err: Emit) {
        if let Err(e) = self.session(args, &out, &err).await {
            err(&format!("reference client: {e}"));
        }
    }

    async fn session(&self, args: ClientArgs, out: &Emit, err: &Emit) -> Result<(), String> {
        let tls = match &args.ca_pem {
            Some(pem) => {
                Some(crate::net::tls::client_config(Some(pem), false).map_err(|e| e.to_string())?)
            }
            None if args.url.starts_with("https") => {
                Some(crate::net::tls::client_config(None, false).map_err(|e| e.to_string())?)
            }
            None => None,
        };
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", args.user, args.password));
        let conn = Arc::new(Conn {
            http: HttpClient::new(tls),
            url: args.url.clone(),
            auth: format!("Basic {token}"),
            cookies: Mutex::new(Vec::new()),
            counter: AtomicU32::new(0),
        });
        let quick = Duration::from_secs(10);
        let connected = conn
            .post(
                RequestType::Connect,
                ConnectRequest {
                    user_dn: args.mailbox_dn.clone(),
                    flags: 0,
                    code_page: 1252,
                    lcid_sort: 1033,
                    lcid_string: 1033,
                }
                .write(),
                quick,
            )
            .await?;
        let polls_max =
            match mapihttp::read_connect_response(&connected).map_err(|e| e.to_string())? {
                Body::Success(s) => Duration::from_millis(u64::from(s.polls_max.max(10))),
                Body::Failure { status_code } => {
                    return Err(format!("Connect failed: 0x{status_code:08X}"))
                }
            };
        let state = Arc::new(tokio::sync::Mutex::new(State {
            table: vec![NO_HANDLE; SLOTS],
            own: Vec::new(),
            session_index: None,
        }));
        // The datagram socket is open before the subscription exists, so no datagram about
        // it can be lost.
        if let Some((port, context)) = args.udp.clone() {
            self.listen_udp(
                port,
                context,
                Arc::clone(&conn),
                Arc::clone(&state),
                out,
                err,
            )
            .await?;
        }
        // Logon, then the subscription on the Inbox (its id comes from the Logon response).
        let logon = RopRequest::Logon {
            logon_id: 0,
            output_index: 0,
            logon_flags: 0x01,
            open_flags: 0x0100_0000,
            store_state: 0,
            essdn: args.mailbox_dn.clone(),
        };
        let inbox = self
            .execute(&conn, &state, &[logon], out, err)
            .await?
            .inbox
            .ok_or("RopLogon failed")?;
        let extended = self.faults.is_on("reserved-nonzero");
        let register = RopRequest::RegisterNotification {
            logon_id: 0,
            input_index: 0,
            output_index: 1,
            types: types::ALL_EVENTS | if extended { types::EXTENDED } else { 0 },
            reserved: extended.then_some(1),
            whole_store: false,
            scope: Some((inbox, [0; 8])),
        };
        self.execute(&conn, &state, &[register], out, err).await?;
        {
            let mut st = state.lock().await;
            let handle = st.table.get(1).copied().unwrap_or(NO_HANDLE);
            if handle == NO_HANDLE {
                return Err("RopRegisterNotification returned no handle".into());
            }
            st.own.push(handle);
        }
        err(&format!(
            "reference client: registered; PollsMax {} ms",
            polls_max.as_millis()
        ));
        self.wait_loop(&conn, &state, polls_max, out, err).await
    }

    async fn wait_loop(
        &self,
        conn: &Arc<Conn>,
        state: &Arc<tokio::sync::Mutex<State>>,
        polls_max: Duration,
        out: &Emit,
        err: &Emit,
    ) -> Result<(), String> {
        let long = Duration::from_secs(3600);
        loop {
            let answer = conn
                .post(
                    RequestType::NotificationWait,
                    mapihttp::write_wait_request(),
                    long,
                )
                .await?;
            let result = match mapihttp::read_wait_response(&answer).map_err(|e| e.to_string())? {
                Body::Success(w) => w,
                Body::Failure { status_code } => {
                    return Err(format!("NotificationWait failed: 0x{status_code:08X}"))
                }
            };
            if result.error_code != 0 {
                err(&format!(
                    "reference client: NotificationWait rejected (0x{:08X}); polling",
                    result.error_code
                ));
                if self.faults.is_on("retries-wait") {
                    continue;
                }
                break;
            }
            if result.event_pending {
                if !self.faults.is_on("ignores-event-pending") {
                    self.fetch(conn, state, out, err).await?;
                }
            } else if self.faults.is_on("stops-after-timeout") {
                std::future::pending::<()>().await;
            }
        }
        if self.faults.is_on("no-poll-fallback") {
            std::future::pending::<()>().await;
        }
        let every = if self.faults.is_on("polls-fast") {
            polls_max / 4
        } else {
            polls_max
        };
        // MS-OXCNOTIF 3.2.4.5: a poll every PollsMax, never more often.
        loop {
            tokio::time::sleep(every).await;
            self.fetch(conn, state, out, err).await?;
        }
    }

    async fn listen_udp(
        &self,
        port: u16,
        context: Vec<u8>,
        conn: Arc<Conn>,
        state: Arc<tokio::sync::Mutex<State>>,
        out: &Emit,
        err: &Emit,
    ) -> Result<(), String> {
        let socket = tokio::net::UdpSocket::bind(SocketAddr::from(([127, 0, 0, 1], port)))
            .await
            .map_err(|e| format!("cannot listen for datagrams on port {port}: {e}"))?;
        let me = ReferenceClient {
            faults: self.faults.clone(),
        };
        let (out, err) = (Arc::clone(out), Arc::clone(err));
        tokio::spawn(async move {
            let mut buf = vec![0u8; 2048];
            while let Ok((n, _)) = socket.recv_from(&mut buf).await {
                // MS-OXCNOTIF 3.2.5.5.2: only a datagram carrying the registered context counts.
                let matches = buf.get(..n) == Some(&context[..]);
                if (matches || me.faults.is_on("accepts-any-datagram"))
                    && !me.faults.is_on("ignores-datagram")
                {
                    if let Err(e) = me.fetch(&conn, &state, &out, &err).await {
                        err(&format!("reference client: {e}"));
                    }
                }
            }
        });
        Ok(())
    }

    /// An empty Execute, and more for every RopPending of the client's own session.
    async fn fetch(
        &self,
        conn: &Arc<Conn>,
        state: &Arc<tokio::sync::Mutex<State>>,
        out: &Emit,
        err: &Emit,
    ) -> Result<(), String> {
        for _ in 0..MAX_FOLLOWS {
            let responses = self.execute(conn, state, &[], out, err).await?;
            let own_index = state.lock().await.session_index;
            let follow = responses
                .pendings
                .iter()
                .any(|i| Some(*i) == own_index || self.faults.is_on("follows-any-pending"));
            if !follow || self.faults.is_on("ignores-pending") {
                break;
            }
        }
        Ok(())
    }

    /// One Execute with the handle table; prints the notifications it accepts and returns the
    /// other responses.
    async fn execute(
        &self,
        conn: &Arc<Conn>,
        state: &Arc<tokio::sync::Mutex<State>>,
        requests: &[RopRequest],
        out: &Emit,
        err: &Emit,
    ) -> Result<Answered, String> {
        let mut st = state.lock().await;
        let rops = write_requests(requests);
        let rop_buffer = if rops.is_empty() {
            write_rpc_ext(&[], false)
        } else {
            write_rop_buffer(&rops, &st.table).and_then(|b| write_rpc_ext(&b, false))
        }
        .map_err(|e| e.to_string())?;
        let body = ExecuteRequest {
            flags: mapihttp::EXECUTE_NO_COMPRESSION_NO_XOR,
            rop_buffer,
            max_rop_out: MAX_ROP_OUT,
        }
        .write();
        let answer = conn
            .post(RequestType::Execute, body, Duration::from_secs(10))
            .await?;
        let success = match mapihttp::read_execute_response(&answer).map_err(|e| e.to_string())? {
            Body::Success(s) => s,
            Body::Failure { status_code } => {
                return Err(format!("Execute failed: 0x{status_code:08X}"))
            }
        };
        if success.error_code != 0 || success.rop_buffer.is_empty() {
            return Ok(Answered::default());
        }
        let payload = read_rpc_ext(&success.rop_buffer).map_err(|e| e.to_string())?;
        let buffer = read_rop_buffer(&payload).map_err(|e| e.to_string())?;
        if !buffer.handles.is_empty() {
            st.table = buffer.handles.clone();
            let len = SLOTS.max(st.table.len());
            st.table.resize(len, NO_HANDLE);
        }
        let located = match read_responses(buffer.rops) {
            Ok(l) => l,
            Err(e) => {
                err(&format!("reference client: unreadable responses: {e}"));
                return Ok(Answered::default());
            }
        };
        let mut rest = Answered::default();
        for (_, r) in located {
            match r {
                RopResponse::Notify { handle, raw, .. } => {
                    if !st.own.contains(&handle) && !self.faults.is_on("accepts-any-handle") {
                        continue;
                    }
                    match wire::cnotif::decode(raw) {
                        Ok(n) => {
                            let mut v: Value = serde_json::from_str(&wire::cnotif::to_json(&n))
                                .unwrap_or(Value::Null);
                            self.mangle(&mut v, raw);
                            out(&serde_json::json!({"handle": handle, "notification": v})
                                .to_string());
                        }
                        Err(e) => err(&format!(
                            "reference client: undecodable RopNotify for 0x{handle:08X}: {}",
                            e.rule.id()
                        )),
                    }
                }
                RopResponse::Pending { session_index } => {
                    // The contract: the first RopPending a session sees is its own.
                    st.session_index.get_or_insert(session_index);
                    rest.pendings.push(session_index);
                }
                RopResponse::Logon { success, .. } => {
                    rest.inbox = success.folder_ids.get(4).copied();
                }
                _ => {}
            }
        }
        Ok(rest)
    }

    /// The decoding faults, applied to the canonical decode.
    fn mangle(&self, v: &mut Value, raw: &[u8]) {
        let Some(obj) = v.as_object_mut() else {
            return;
        };
        if self.faults.is_on("swaps-counts") {
            let total = obj.remove("TotalMessageCount");
            let unread = obj.remove("UnreadMessageCount");
            if let Some(t) = total {
                obj.insert("UnreadMessageCount".into(), t);
            }
            if let Some(u) = unread {
                obj.insert("TotalMessageCount".into(), u);
            }
        }
        if self.faults.is_on("drops-table-row") {
            for k in [
                "InsertAfterTableRowFolderID",
                "InsertAfterTableRowID",
                "InsertAfterTableRowInstance",
                "TableRowDataSize",
                "TableRowData",
            ] {
                obj.remove(k);
            }
        }
        if self.faults.is_on("drops-old-ids") {
            obj.remove("OldFolderId");
            obj.remove("OldMessageId");
            obj.remove("OldParentFolderId");
        }
        if self.faults.is_on("unicode-as-ascii") {
            if let Ok(n) = wire::cnotif::decode(raw) {
                if let Some(m) = n.new_mail.as_ref().filter(|m| m.unicode) {
                    let bytes = &m.class;
                    obj.insert(
                        "MessageClass".into(),
                        Value::String(bytes.iter().map(|&b| b as char).collect()),
                    );
                }
            }
        }
    }
}
