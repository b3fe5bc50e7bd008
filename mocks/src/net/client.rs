//! An HTTP/1.1 client for talking to a possibly hostile system under test.
//!
//! One connection per request, every stage bounded in time, the response body bounded in
//! size, and every failure classified: a conformance verdict differs between "the SUT could
//! not be reached", "it answered garbage" and "it hung up mid-answer".

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio::time::{timeout_at, Instant};
use tokio_rustls::TlsConnector;

use super::url::{Endpoint, Scheme};

/// Timeout stages before the request is sent: a timeout in one of them means unreachable.
pub const CONNECT_STAGES: &[&str] = &["name resolution", "connect", "tls handshake"];

/// Largest response head hyper may buffer; a peer sending endless headers gets a parse error.
const MAX_HEAD_BYTES: usize = 256 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub url: String,
    /// Sent after the client's own Host, Content-Length and Connection headers; a header the
    /// caller names itself replaces the client's one (so faults can be injected).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn new(method: &str, url: &str) -> Self {
        Request {
            method: method.to_string(),
            url: url.to_string(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub reason: String,
    /// Names as received by hyper (lower case), in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Each body frame (an HTTP chunk, for a chunked response) as it arrived: the time since
    /// the request was sent and the frame's length, for streams whose timing is judged.
    pub frames: Vec<(Duration, usize)>,
}

impl Response {
    /// First value of a header, name compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    BadUrl(String),
    Connect(String),
    Tls(String),
    Timeout {
        stage: &'static str,
        after: Duration,
    },
    /// The peer closed or reset the connection before a complete response.
    Reset(String),
    TooLarge {
        limit: usize,
    },
    /// The peer's bytes are not HTTP/1.x (or the request itself could not be encoded).
    Protocol(String),
}

impl TransportError {
    /// true for every failure to establish the connection: a bad URL, a name that does not
    /// resolve, a refused or reset connect, a failed TLS handshake, and a timeout during name
    /// resolution, connect or the TLS handshake (a filtered port). The SUT could not be reached
    /// at all, so nothing it did can be judged.
    pub fn unreachable(&self) -> bool {
        match self {
            TransportError::BadUrl(_) | TransportError::Connect(_) | TransportError::Tls(_) => true,
            TransportError::Timeout { stage, .. } => CONNECT_STAGES.contains(stage),
            _ => false,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::BadUrl(m) => write!(f, "bad URL: {m}"),
            TransportError::Connect(m) => write!(f, "connection failed: {m}"),
            TransportError::Tls(m) => write!(f, "TLS failed: {m}"),
            TransportError::Timeout { stage, after } => {
                write!(f, "timed out during {stage} after {} ms", after.as_millis())
            }
            TransportError::Reset(m) => write!(f, "connection closed early: {m}"),
            TransportError::TooLarge { limit } => {
                write!(f, "response body larger than {limit} bytes")
            }
            TransportError::Protocol(m) => write!(f, "HTTP protocol error: {m}"),
        }
    }
}

impl std::error::Error for TransportError {}

/// One request and what came of it.
#[derive(Clone, Debug)]
pub struct Exchange {
    pub request: Request,
    pub result: Result<Response, TransportError>,
    pub elapsed: Duration,
}

impl Exchange {
    /// The request as it went on the wire (head plus body, body decoded lossily).
    pub fn request_text(&self) -> String {
        let (target, headers) = match Endpoint::parse(&self.request.url) {
            Ok(ep) => (ep.path_and_query.clone(), wire_headers(&self.request, &ep)),
            Err(_) => (self.request.url.clone(), self.request.headers.clone()),
        };
        let mut out = format!("{} {} HTTP/1.1\r\n", self.request.method, target);
        for (n, v) in &headers {
            out.push_str(&format!("{n}: {v}\r\n"));
        }
        out.push_str("\r\n");
        out.push_str(&String::from_utf8_lossy(&self.request.body));
        out
    }

    /// Status line, headers and body; or "no response: <error>".
    pub fn response_text(&self) -> String {
        match &self.result {
            Ok(r) => {
                let mut out = format!("HTTP/1.1 {} {}\r\n", r.status, r.reason);
                for (n, v) in &r.headers {
                    out.push_str(&format!("{n}: {v}\r\n"));
                }
                out.push_str("\r\n");
                out.push_str(&r.text());
                out
            }
            Err(e) => format!("no response: {e}"),
        }
    }

    pub fn response(&self) -> Option<&Response> {
        self.result.as_ref().ok()
    }
}

#[derive(Clone)]
pub struct HttpClient {
    /// Required for https URLs; there is deliberately no silent fallback to system roots.
    pub tls: Option<Arc<rustls::ClientConfig>>,
    /// Bounds the TCP connect and the TLS handshake together.
    pub connect_timeout: Duration,
    /// Bounds the whole response, head and body, counted from sending the request.
    pub response_timeout: Duration,
    pub max_body: usize,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("tls", &self.tls.is_some())
            .field("connect_timeout", &self.connect_timeout)
            .field("response_timeout", &self.response_timeout)
            .field("max_body", &self.max_body)
            .finish()
    }
}

impl HttpClient {
    /// Connect within 5 s, full response within 10 s, bodies up to 4 MiB.
    pub fn new(tls: Option<Arc<rustls::ClientConfig>>) -> Self {
        HttpClient {
            tls,
            connect_timeout: Duration::from_secs(5),
            response_timeout: Duration::from_secs(10),
            max_body: 4 * 1024 * 1024,
        }
    }

    pub async fn send(&self, req: Request) -> Exchange {
        let started = Instant::now();
        let result = self.perform(&req).await;
        Exchange {
            request: req,
            result,
            elapsed: started.elapsed(),
        }
    }

    async fn perform(&self, req: &Request) -> Result<Response, TransportError> {
        let ep = Endpoint::parse(&req.url).map_err(TransportError::BadUrl)?;
        let http_req = build_request(req, &ep)?;
        let tls = match ep.scheme {
            Scheme::Http => None,
            Scheme::Https => {
                let Some(cfg) = self.tls.clone() else {
                    return Err(TransportError::Tls(
                        "https URL but the client has no TLS configuration".into(),
                    ));
                };
                let name = ServerName::try_from(ep.host.clone())
                    .map_err(|e| TransportError::Tls(format!("invalid server name: {e}")))?;
                Some((cfg, name))
            }
        };
        let connect_deadline = Instant::now() + self.connect_timeout;
        let tcp = self.connect(&ep, connect_deadline).await?;
        let _ = tcp.set_nodelay(true);
        match tls {
            None => self.exchange(tcp, http_req).await,
            Some((cfg, name)) => {
                let handshake = TlsConnector::from(cfg).connect(name, tcp);
                match timeout_at(connect_deadline, handshake).await {
                    Err(_) => Err(TransportError::Timeout {
                        stage: "tls handshake",
                        after: self.connect_timeout,
                    }),
                    Ok(Err(e)) => Err(TransportError::Tls(e.to_string())),
                    Ok(Ok(tls)) => self.exchange(tls, http_req).await,
                }
            }
        }
    }

    /// Resolves the host and connects to its addresses in turn, all within `deadline`. Every
    /// failure here is classified as unreachable (see `TransportError::unreachable`).
    async fn connect(&self, ep: &Endpoint, deadline: Instant) -> Result<TcpStream, TransportError> {
        let after = self.connect_timeout;
        let target = ep.host_port();
        let addrs: Vec<std::net::SocketAddr> =
            match timeout_at(deadline, tokio::net::lookup_host(target.clone())).await {
                Err(_) => {
                    return Err(TransportError::Timeout {
                        stage: "name resolution",
                        after,
                    })
                }
                Ok(Err(e)) => {
                    return Err(TransportError::Connect(format!(
                        "name does not resolve: {}: {e}",
                        ep.host
                    )))
                }
                Ok(Ok(a)) => a.collect(),
            };
        if addrs.is_empty() {
            return Err(TransportError::Connect(format!(
                "name does not resolve: {}: no addresses",
                ep.host
            )));
        }
        let mut last = String::new();
        for addr in addrs {
            let named = if addr.to_string() == target {
                target.clone()
            } else {
                format!("{addr} ({target})")
            };
            match timeout_at(deadline, TcpStream::connect(addr)).await {
                Err(_) => {
                    return Err(TransportError::Timeout {
                        stage: "connect",
                        after,
                    })
                }
                Ok(Ok(s)) => return Ok(s),
                Ok(Err(e)) => {
                    last = match e.kind() {
                        std::io::ErrorKind::ConnectionRefused => {
                            format!("connection refused: {named}")
                        }
                        std::io::ErrorKind::ConnectionReset => {
                            format!("connection reset while connecting: {named}")
                        }
                        _ => format!("{named}: {e}"),
                    }
                }
            }
        }
        Err(TransportError::Connect(last))
    }

    async fn exchange<IO>(
        &self,
        io: IO,
        req: hyper::Request<Full<Bytes>>,
    ) -> Result<Response, TransportError>
    where
        IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let deadline = Instant::now() + self.response_timeout;
        let after = self.response_timeout;
        let handshake = hyper::client::conn::http1::Builder::new()
            .max_buf_size(MAX_HEAD_BYTES)
            .handshake::<_, Full<Bytes>>(TokioIo::new(io));
        let (mut sender, conn) = match timeout_at(deadline, handshake).await {
            Err(_) => {
                return Err(TransportError::Timeout {
                    stage: "response head",
                    after,
                })
            }
            Ok(r) => r.map_err(classify)?,
        };
        // The connection future drives the socket; it dies with this exchange.
        let _driver = AbortOnDrop(tokio::spawn(async move {
            let _ = conn.await;
        }));

        let response = match timeout_at(deadline, sender.send_request(req)).await {
            Err(_) => {
                return Err(TransportError::Timeout {
                    stage: "response head",
                    after,
                })
            }
            Ok(r) => r.map_err(classify)?,
        };
        let (parts, mut body) = response.into_parts();
        if let Some(declared) = parts
            .headers
            .get(hyper::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
        {
            if declared > self.max_body as u64 {
                return Err(TransportError::TooLarge {
                    limit: self.max_body,
                });
            }
        }
        let sent = Instant::now();
        let (collected, frames) =
            read_body(&mut body, self.max_body, deadline, after, sent).await?;

        let reason = parts
            .extensions
            .get::<hyper::ext::ReasonPhrase>()
            .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
            .or_else(|| parts.status.canonical_reason().map(str::to_string))
            .unwrap_or_default();
        let headers = parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        Ok(Response {
            status: parts.status.as_u16(),
            reason,
            headers,
            body: collected,
            frames,
        })
    }
}

async fn read_body(
    body: &mut Incoming,
    max: usize,
    deadline: Instant,
    after: Duration,
    sent: Instant,
) -> Result<(Vec<u8>, Vec<(Duration, usize)>), TransportError> {
    let mut out = Vec::new();
    let mut frames = Vec::new();
    loop {
        let frame = match timeout_at(deadline, body.frame()).await {
            Err(_) => {
                return Err(TransportError::Timeout {
                    stage: "response body",
                    after,
                })
            }
            Ok(None) => return Ok((out, frames)),
            Ok(Some(f)) => f.map_err(classify)?,
        };
        if let Ok(data) = frame.into_data() {
            if out.len().saturating_add(data.len()) > max {
                return Err(TransportError::TooLarge { limit: max });
            }
            frames.push((sent.elapsed(), data.len()));
            out.extend_from_slice(&data);
        }
    }
}

/// Host, Content-Length and Connection, each unless the caller supplies its own, then the
/// caller's headers in order.
fn wire_headers(req: &Request, ep: &Endpoint) -> Vec<(String, String)> {
    let has = |name: &str| {
        req.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    let mut out = Vec::with_capacity(req.headers.len() + 3);
    if !has("host") {
        out.push(("Host".to_string(), ep.authority()));
    }
    if !has("content-length") && !has("transfer-encoding") {
        out.push(("Content-Length".to_string(), req.body.len().to_string()));
    }
    if !has("connection") {
        out.push(("Connection".to_string(), "close".to_string()));
    }
    out.extend(req.headers.iter().cloned());
    out
}

fn build_request(
    req: &Request,
    ep: &Endpoint,
) -> Result<hyper::Request<Full<Bytes>>, TransportError> {
    let bad = |what: &str, e: &dyn fmt::Display| {
        TransportError::Protocol(format!("request could not be encoded ({what}): {e}"))
    };
    let method = hyper::Method::from_bytes(req.method.as_bytes()).map_err(|e| bad("method", &e))?;
    let uri: hyper::Uri = ep
        .path_and_query
        .parse()
        .map_err(|e| bad("request target", &e))?;
    let mut builder = hyper::Request::builder().method(method).uri(uri);
    for (n, v) in wire_headers(req, ep) {
        let name = hyper::header::HeaderName::from_bytes(n.as_bytes())
            .map_err(|e| bad("header name", &e))?;
        let value =
            hyper::header::HeaderValue::from_str(&v).map_err(|e| bad("header value", &e))?;
        builder = builder.header(name, value);
    }
    builder
        .body(Full::new(Bytes::from(req.body.clone())))
        .map_err(|e| bad("request", &e))
}

fn classify(e: hyper::Error) -> TransportError {
    if e.is_parse() || e.is_parse_too_large() || e.is_parse_status() || e.is_parse_version_h2() {
        return TransportError::Protocol(e.to_string());
    }
    if e.is_incomplete_message() || e.is_canceled() || e.is_closed() {
        return TransportError::Reset(e.to_string());
    }
    if e.is_timeout() {
        return TransportError::Reset(e.to_string());
    }
    if e.is_user() {
        return TransportError::Protocol(e.to_string());
    }
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            return match io.kind() {
                InvalidData | InvalidInput => TransportError::Protocol(format!("{e}: {io}")),
                _ => TransportError::Reset(format!("{e}: {io}")),
            };
        }
        source = s.source();
    }
    // Remaining hyper errors are body decoding failures: the peer's framing is broken.
    TransportError::Protocol(e.to_string())
}

struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(TransportError::BadUrl("x".into()), true)]
    #[case(TransportError::Connect("x".into()), true)]
    #[case(TransportError::Tls("x".into()), true)]
    #[case(TransportError::Reset("x".into()), false)]
    #[case(TransportError::Protocol("x".into()), false)]
    #[case(TransportError::TooLarge { limit: 1 }, false)]
    #[case(TransportError::Timeout { stage: "connect", after: Duration::from_millis(1) }, true)]
    #[case(TransportError::Timeout { stage: "name resolution", after: Duration::from_millis(1) }, true)]
    #[case(TransportError::Timeout { stage: "tls handshake", after: Duration::from_millis(1) }, true)]
    #[case(TransportError::Timeout { stage: "response head", after: Duration::from_millis(1) }, false)]
    #[case(TransportError::Timeout { stage: "response body", after: Duration::from_millis(1) }, false)]
    fn unreachable_classes(#[case] e: TransportError, #[case] expected: bool) {
        assert_eq!(e.unreachable(), expected);
    }

    #[test]
    fn request_text_shows_the_effective_headers() {
        let ex = Exchange {
            request: Request::new("POST", "http://127.0.0.1:8080/oms?x")
                .header("Content-Type", "text/xml")
                .body("<a/>"),
            result: Err(TransportError::Connect("refused".into())),
            elapsed: Duration::ZERO,
        };
        assert_eq!(
            ex.request_text(),
            "POST /oms?x HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Length: 4\r\n\
             Connection: close\r\nContent-Type: text/xml\r\n\r\n<a/>"
        );
        assert_eq!(
            ex.response_text(),
            "no response: connection failed: refused"
        );
        assert!(ex.response().is_none());
    }

    #[test]
    fn caller_headers_replace_the_defaults() {
        let req = Request::new("GET", "http://h/")
            .header("host", "other")
            .header("Connection", "keep-alive");
        let ep = Endpoint::parse(&req.url).unwrap();
        let names: Vec<String> = wire_headers(&req, &ep)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["Content-Length", "host", "Connection"]);
    }

    #[test]
    fn response_header_lookup_ignores_case() {
        let r = Response {
            status: 200,
            reason: "OK".into(),
            headers: vec![("content-type".into(), "text/xml".into())],
            body: b"\xffok".to_vec(),
            frames: Vec::new(),
        };
        assert_eq!(r.header("Content-Type"), Some("text/xml"));
        assert_eq!(r.header("x"), None);
        assert_eq!(r.text(), "\u{fffd}ok");
    }

    #[tokio::test]
    async fn unresolvable_name_is_unreachable() {
        let ex = HttpClient::new(None)
            .send(Request::new("GET", "http://nonexistent.invalid:8080/"))
            .await;
        match ex.result {
            Err(e @ TransportError::Connect(_)) | Err(e @ TransportError::Timeout { .. }) => {
                assert!(e.unreachable(), "{e}");
                if let TransportError::Connect(m) = &e {
                    assert!(m.starts_with("name does not resolve"), "{m}");
                }
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn refused_connect_says_so() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let ex = HttpClient::new(None)
            .send(Request::new("GET", &format!("http://127.0.0.1:{port}/")))
            .await;
        match ex.result {
            Err(e @ TransportError::Connect(_)) => {
                assert!(e.unreachable());
                assert!(e.to_string().contains("connection refused"), "{e}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn tls_handshake_that_never_completes_is_an_unreachable_timeout() {
        // A listener that accepts nothing: the kernel completes the TCP handshake (backlog),
        // but no ServerHello ever comes.
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let tls = crate::net::client_config(None, true).unwrap();
        let mut client = HttpClient::new(Some(tls));
        client.connect_timeout = Duration::from_millis(300);
        let ex = client
            .send(Request::new("GET", &format!("https://127.0.0.1:{port}/")))
            .await;
        match ex.result {
            Err(
                e @ TransportError::Timeout {
                    stage: "tls handshake",
                    ..
                },
            ) => {
                assert!(e.unreachable())
            }
            other => panic!("{other:?}"),
        }
        drop(l);
    }

    #[tokio::test]
    async fn bad_url_is_reported_without_connecting() {
        let ex = HttpClient::new(None)
            .send(Request::new("GET", "gopher://x/"))
            .await;
        assert!(matches!(ex.result, Err(TransportError::BadUrl(_))));
    }

    #[tokio::test]
    async fn invalid_method_is_a_protocol_error() {
        let ex = HttpClient::new(None)
            .send(Request::new("BAD METHOD", "http://127.0.0.1:9/"))
            .await;
        assert!(
            matches!(ex.result, Err(TransportError::Protocol(_))),
            "{:?}",
            ex.result
        );
    }
}
