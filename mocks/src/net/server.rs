//! A small HTTP/1.1 server (hyper) for mock peers.
//!
//! The handler sees a fully read, size-checked request and answers with a response plus a
//! behaviour, so a mock can misbehave on purpose (delay, hang, reset, huge body). The server
//! itself stays bounded against a hostile client: TLS handshake, request head and request
//! body each have a time limit, bodies a size limit, and concurrent connections a cap.

use std::convert::Infallible;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures::future::BoxFuture;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

/// A client that has not sent its request head by then is disconnected.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// A client that has not finished its request body by then gets 408.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);
pub const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// `Behaviour::Hang` gives up after this long, so a forgotten connection cannot live forever.
pub const HANG_LIMIT: Duration = Duration::from_secs(600);
/// Connections beyond this many are closed on accept.
pub const MAX_CONNECTIONS: usize = 256;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerRequest {
    pub method: String,
    /// Path and query as sent.
    pub path: String,
    /// Names in lower case (as hyper delivers them), in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub peer: SocketAddr,
}

impl ServerRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the request carries HTTP Basic credentials for exactly `user` and `password`.
    pub fn basic_auth_is(&self, user: &str, password: &str) -> bool {
        use base64::Engine as _;
        let Some(value) = self.header("authorization") else {
            return false;
        };
        let Some(b64) = value
            .strip_prefix("Basic ")
            .or_else(|| value.strip_prefix("basic "))
        else {
            return false;
        };
        base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .is_ok_and(|d| d == format!("{user}:{password}").into_bytes())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponseBody {
    Bytes(Vec<u8>),
    /// Chunks sent as the handler produces them (MAPI/HTTP's PROCESSING, PENDING, DONE), one
    /// HTTP chunk each; the body ends when the sender is dropped.
    Channel(ChannelBody),
    /// Streamed without being materialised, for "huge body" faults. Without a Content-Length
    /// from the handler the response is chunked.
    Repeat {
        chunk: Vec<u8>,
        times: usize,
    },
}

/// The receiving end of a streamed body. It can be taken once; clones share it.
#[derive(Clone)]
pub struct ChannelBody(Arc<std::sync::Mutex<Option<tokio::sync::mpsc::Receiver<Vec<u8>>>>>);

impl ChannelBody {
    /// A body and the sender the handler (or a task it starts) writes chunks to.
    pub fn new(capacity: usize) -> (ChannelBody, tokio::sync::mpsc::Sender<Vec<u8>>) {
        let (tx, rx) = tokio::sync::mpsc::channel(capacity.max(1));
        (ChannelBody(Arc::new(std::sync::Mutex::new(Some(rx)))), tx)
    }

    fn take(&self) -> Option<tokio::sync::mpsc::Receiver<Vec<u8>>> {
        self.0.lock().ok().and_then(|mut r| r.take())
    }
}

impl fmt::Debug for ChannelBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ChannelBody")
    }
}

impl PartialEq for ChannelBody {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for ChannelBody {}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Behaviour {
    Normal,
    Delay(Duration),
    /// Never answer (until `HANG_LIMIT` or the server is dropped).
    Hang,
    /// Drop the connection without a response (TCP reset where the platform allows).
    Reset,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: ResponseBody,
    pub behaviour: Behaviour,
}

impl ServerResponse {
    pub fn new(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Self {
        ServerResponse {
            status,
            headers,
            body: ResponseBody::Bytes(body),
            behaviour: Behaviour::Normal,
        }
    }

    pub fn with_behaviour(mut self, behaviour: Behaviour) -> Self {
        self.behaviour = behaviour;
        self
    }
}

/// Every bound the server keeps against a hostile client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerLimits {
    /// Request bodies above this get 413.
    pub max_body: usize,
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub tls_handshake_timeout: Duration,
    pub hang_limit: Duration,
    pub max_connections: usize,
    /// Serve several requests per connection (off by default: one request, then close, so
    /// every exchange a suite judges stands alone; a load run turns it on).
    pub keep_alive: bool,
}

impl ServerLimits {
    pub fn new(max_body: usize) -> Self {
        ServerLimits {
            max_body,
            header_timeout: HEADER_READ_TIMEOUT,
            body_timeout: BODY_READ_TIMEOUT,
            tls_handshake_timeout: TLS_HANDSHAKE_TIMEOUT,
            hang_limit: HANG_LIMIT,
            max_connections: MAX_CONNECTIONS,
            keep_alive: false,
        }
    }
}

pub type Handler = Arc<dyn Fn(ServerRequest) -> BoxFuture<'static, ServerResponse> + Send + Sync>;

/// Wraps an async closure into a [`Handler`].
pub fn handler<F, Fut>(f: F) -> Handler
where
    F: Fn(ServerRequest) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ServerResponse> + Send + 'static,
{
    Arc::new(move |req| Box::pin(f(req)))
}

pub struct HttpServer {
    local: SocketAddr,
    https: bool,
    task: JoinHandle<()>,
}

impl fmt::Debug for HttpServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpServer")
            .field("local", &self.local)
            .field("https", &self.https)
            .finish()
    }
}

impl HttpServer {
    /// Binds `listen`; with `tls`, serves HTTPS. Request bodies above `max_body` get 413.
    pub async fn start(
        listen: SocketAddr,
        tls: Option<Arc<rustls::ServerConfig>>,
        max_body: usize,
        handler: Handler,
    ) -> io::Result<HttpServer> {
        Self::start_with_limits(listen, tls, ServerLimits::new(max_body), handler).await
    }

    /// As [`HttpServer::start`], with every limit chosen by the caller.
    pub async fn start_with_limits(
        listen: SocketAddr,
        tls: Option<Arc<rustls::ServerConfig>>,
        limits: ServerLimits,
        handler: Handler,
    ) -> io::Result<HttpServer> {
        let listener = TcpListener::bind(listen).await?;
        let local = listener.local_addr()?;
        let https = tls.is_some();
        let acceptor = tls.map(TlsAcceptor::from);
        let task = tokio::spawn(accept_loop(listener, acceptor, Arc::new(limits), handler));
        Ok(HttpServer { local, https, task })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// "http://127.0.0.1:PORT" or "https://..."
    pub fn base_url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}", self.local)
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        // Aborting the accept loop drops its JoinSet, which aborts every connection task.
        self.task.abort();
    }
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: Option<TlsAcceptor>,
    limits: Arc<ServerLimits>,
    handler: Handler,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(_) => {
                        // Out of descriptors or similar: back off instead of spinning.
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                if connections.len() >= limits.max_connections {
                    drop(stream);
                    continue;
                }
                let _ = stream.set_nodelay(true);
                connections.spawn(serve_connection(
                    stream,
                    peer,
                    acceptor.clone(),
                    limits.clone(),
                    handler.clone(),
                ));
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    acceptor: Option<TlsAcceptor>,
    limits: Arc<ServerLimits>,
    handler: Handler,
) {
    let (io, reset) = ResettableStream::new(stream);
    match acceptor {
        None => serve_http(io, peer, limits, handler, reset).await,
        Some(acceptor) => {
            if let Ok(Ok(tls)) =
                tokio::time::timeout(limits.tls_handshake_timeout, acceptor.accept(io)).await
            {
                serve_http(tls, peer, limits, handler, reset).await;
            }
        }
    }
}

async fn serve_http<IO>(
    io: IO,
    peer: SocketAddr,
    limits: Arc<ServerLimits>,
    handler: Handler,
    reset: Arc<AtomicBool>,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let header_timeout = limits.header_timeout;
    let keep_alive = limits.keep_alive;
    let service = hyper::service::service_fn(move |req| {
        respond(req, peer, limits.clone(), handler.clone(), reset.clone())
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .keep_alive(keep_alive)
        .serve_connection(TokioIo::new(io), service)
        .await;
}

/// Returned to hyper to make it drop the connection without writing a response.
#[derive(Debug)]
struct ResetRequested;

impl fmt::Display for ResetRequested {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("mock asked to reset the connection")
    }
}

impl std::error::Error for ResetRequested {}

type Body = BoxBody<Bytes, Infallible>;

async fn respond(
    req: hyper::Request<Incoming>,
    peer: SocketAddr,
    limits: Arc<ServerLimits>,
    handler: Handler,
    reset: Arc<AtomicBool>,
) -> Result<hyper::Response<Body>, ResetRequested> {
    let max_body = limits.max_body;
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > max_body as u64) {
        return Ok(plain(413, "request body too large"));
    }
    let body =
        match tokio::time::timeout(limits.body_timeout, Limited::new(body, max_body).collect())
            .await
        {
            Err(_) => return Ok(plain(408, "request body not received in time")),
            Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
                return Ok(plain(413, "request body too large"))
            }
            Ok(Err(_)) => return Ok(plain(400, "malformed request body")),
            Ok(Ok(collected)) => collected.to_bytes().to_vec(),
        };
    let request = ServerRequest {
        method: parts.method.as_str().to_string(),
        path: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| parts.uri.to_string()),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
        peer,
    };
    let answer = handler(request).await;
    match answer.behaviour {
        Behaviour::Normal => {}
        Behaviour::Delay(d) => tokio::time::sleep(d).await,
        Behaviour::Hang => {
            tokio::time::sleep(limits.hang_limit).await;
            reset.store(true, Ordering::SeqCst);
            return Err(ResetRequested);
        }
        Behaviour::Reset => {
            reset.store(true, Ordering::SeqCst);
            return Err(ResetRequested);
        }
    }
    Ok(build_response(answer))
}

fn build_response(answer: ServerResponse) -> hyper::Response<Body> {
    let status = hyper::StatusCode::from_u16(answer.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let body: Body = match answer.body {
        ResponseBody::Bytes(b) => Full::new(Bytes::from(b)).boxed(),
        ResponseBody::Repeat { chunk, times } => {
            let chunk = Bytes::from(chunk);
            let frames = (0..times).map(move |_| Ok::<_, Infallible>(Frame::data(chunk.clone())));
            StreamBody::new(futures::stream::iter(frames)).boxed()
        }
        ResponseBody::Channel(channel) => match channel.take() {
            Some(rx) => {
                let frames = futures::stream::unfold(rx, |mut rx| async move {
                    rx.recv()
                        .await
                        .map(|b| (Ok::<_, Infallible>(Frame::data(Bytes::from(b))), rx))
                });
                StreamBody::new(frames).boxed()
            }
            None => Full::new(Bytes::new()).boxed(),
        },
    };
    let mut response = hyper::Response::new(body);
    *response.status_mut() = status;
    for (n, v) in answer.headers {
        // Names or values hyper cannot write are dropped rather than failing the response.
        if let (Ok(name), Ok(value)) = (
            hyper::header::HeaderName::from_bytes(n.as_bytes()),
            hyper::header::HeaderValue::from_str(&v),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

fn plain(status: u16, text: &str) -> hyper::Response<Body> {
    build_response(ServerResponse::new(
        status,
        vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
        text.as_bytes().to_vec(),
    ))
}

/// A TCP stream that turns its close into a reset (SO_LINGER 0) when asked, so that
/// `Behaviour::Reset` looks like a crashed server rather than an orderly close.
pub(crate) struct ResettableStream {
    inner: TcpStream,
    reset: Arc<AtomicBool>,
}

impl ResettableStream {
    /// The stream, and the switch that turns its close into a reset.
    pub(crate) fn new(inner: TcpStream) -> (ResettableStream, Arc<AtomicBool>) {
        let reset = Arc::new(AtomicBool::new(false));
        let stream = ResettableStream {
            inner,
            reset: Arc::clone(&reset),
        };
        (stream, reset)
    }
}

impl Drop for ResettableStream {
    fn drop(&mut self) {
        if self.reset.load(Ordering::SeqCst) {
            let _ = self.inner.set_zero_linger();
        }
    }
}

impl AsyncRead for ResettableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for ResettableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.reset.load(Ordering::SeqCst) {
            // An orderly FIN would hide the reset; let Drop abort the socket instead.
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
