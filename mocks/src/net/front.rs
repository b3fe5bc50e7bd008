//! A TCP proxy in front of a plain HTTP server (wiremock, or an [`super::server::HttpServer`]
//! started without TLS): it adds TLS without that server knowing about TLS, and it owns the
//! client connections, so that dropping it ends them all at once, whatever the server behind
//! is still doing. That is what lets a scripted peer hang on a request and still let go of
//! the client when the scenario ends.
//!
//! With `reset_unanswered`, a server that closes the connection while a request is waiting for
//! its answer, or stays silent on it for the idle time, makes the front reset the client
//! connection (TCP RST) instead of closing it in order: the client sees what it sees from a
//! crashed server, not a polite hang-up.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::timeout;
use tokio_rustls::TlsAcceptor;

use super::server::{ResettableStream, MAX_CONNECTIONS, TLS_HANDSHAKE_TIMEOUT};

/// A proxied connection with no traffic in either direction for this long is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
const UPSTREAM_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const COPY_BUFFER: usize = 16 * 1024;

/// How a [`Front`] treats its connections.
#[derive(Clone)]
pub struct FrontOptions {
    /// Terminate TLS with this configuration; plain TCP without.
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// A connection with no traffic either way for this long is closed. A peer that hangs on
    /// purpose needs this longer than its hang.
    pub idle: Duration,
    /// Reset the client connection when the server closes while a request is unanswered.
    pub reset_unanswered: bool,
}

impl fmt::Debug for FrontOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrontOptions")
            .field("tls", &self.tls.is_some())
            .field("idle", &self.idle)
            .field("reset_unanswered", &self.reset_unanswered)
            .finish()
    }
}

impl Default for FrontOptions {
    /// Plain TCP, [`IDLE_TIMEOUT`], closes forwarded as they are.
    fn default() -> Self {
        FrontOptions {
            tls: None,
            idle: IDLE_TIMEOUT,
            reset_unanswered: false,
        }
    }
}

/// A running proxy; dropping it closes the listener and every proxied connection.
pub struct Front {
    local: SocketAddr,
    tls: bool,
    task: JoinHandle<()>,
}

impl fmt::Debug for Front {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Front")
            .field("local", &self.local)
            .field("tls", &self.tls)
            .finish()
    }
}

impl Front {
    pub async fn start(
        listen: SocketAddr,
        upstream: SocketAddr,
        opts: FrontOptions,
    ) -> io::Result<Front> {
        let listener = TcpListener::bind(listen).await?;
        let local = listener.local_addr()?;
        let tls = opts.tls.is_some();
        let conn = Arc::new(Connection {
            acceptor: opts.tls.map(TlsAcceptor::from),
            upstream,
            idle: opts.idle,
            reset_unanswered: opts.reset_unanswered,
        });
        let task = tokio::spawn(accept_loop(listener, conn));
        Ok(Front { local, tls, task })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// "http(s)://127.0.0.1:PORT"
    pub fn base_url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.local)
    }
}

impl Drop for Front {
    fn drop(&mut self) {
        // Aborting the accept loop drops its JoinSet, which aborts every connection task.
        self.task.abort();
    }
}

/// A TLS-terminating [`Front`] with the default idle timeout.
pub struct TlsFront(Front);

impl fmt::Debug for TlsFront {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsFront")
            .field("local", &self.0.local)
            .finish()
    }
}

impl TlsFront {
    pub async fn start(
        listen: SocketAddr,
        tls: Arc<rustls::ServerConfig>,
        upstream: SocketAddr,
    ) -> io::Result<TlsFront> {
        let opts = FrontOptions {
            tls: Some(tls),
            ..FrontOptions::default()
        };
        Front::start(listen, upstream, opts).await.map(TlsFront)
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.0.local_addr()
    }

    /// "https://127.0.0.1:PORT"
    pub fn base_url(&self) -> String {
        self.0.base_url()
    }
}

struct Connection {
    acceptor: Option<TlsAcceptor>,
    upstream: SocketAddr,
    idle: Duration,
    reset_unanswered: bool,
}

async fn accept_loop(listener: TcpListener, conn: Arc<Connection>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                };
                if connections.len() >= MAX_CONNECTIONS {
                    continue;
                }
                connections.spawn(proxy(stream, Arc::clone(&conn)));
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn proxy(client: TcpStream, conn: Arc<Connection>) {
    let _ = client.set_nodelay(true);
    let (client, reset) = ResettableStream::new(client);
    let reset = conn.reset_unanswered.then_some(reset);
    match &conn.acceptor {
        None => {
            let Some(plain) = connect(&conn).await else {
                return;
            };
            pump(client, plain, conn.idle, reset.as_deref()).await;
        }
        Some(acceptor) => {
            let Ok(Ok(tls)) = timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(client)).await else {
                return;
            };
            let Some(plain) = connect(&conn).await else {
                return;
            };
            pump(tls, plain, conn.idle, reset.as_deref()).await;
        }
    }
}

async fn connect(conn: &Connection) -> Option<TcpStream> {
    let Ok(Ok(plain)) = timeout(UPSTREAM_CONNECT_TIMEOUT, TcpStream::connect(conn.upstream)).await
    else {
        return None;
    };
    let _ = plain.set_nodelay(true);
    Some(plain)
}

enum Direction {
    Down(io::Result<usize>),
    Up(io::Result<usize>),
}

/// Copies both ways until both sides have finished, an error occurs, or nothing moved for
/// `idle`. Half-closes are forwarded so request/response framing by EOF still works, except
/// that with `reset` the end of `b`, or `idle` passing, while `a` waits for an answer (it sent
/// bytes and got none back since) sets the switch and ends at once, so that `a` is reset when
/// dropped.
async fn pump<A, B>(a: A, b: B, idle: Duration, reset: Option<&AtomicBool>)
where
    A: AsyncRead + AsyncWrite,
    B: AsyncRead + AsyncWrite,
{
    let (mut a_read, mut a_write) = tokio::io::split(a);
    let (mut b_read, mut b_write) = tokio::io::split(b);
    let mut a_buf = vec![0u8; COPY_BUFFER];
    let mut b_buf = vec![0u8; COPY_BUFFER];
    let (mut a_open, mut b_open) = (true, true);
    let mut unanswered = false;
    while a_open || b_open {
        let step = timeout(idle, async {
            tokio::select! {
                r = a_read.read(&mut a_buf), if a_open => Direction::Up(r),
                r = b_read.read(&mut b_buf), if b_open => Direction::Down(r),
            }
        })
        .await;
        let outcome = match step {
            Err(_) => {
                // Idle with a request unanswered: the server hung; end it as a crash would.
                if let Some(reset) = reset.filter(|_| unanswered) {
                    reset.store(true, Ordering::SeqCst);
                }
                return;
            }
            Ok(Direction::Up(Ok(0))) => {
                a_open = false;
                timeout(idle, b_write.shutdown())
                    .await
                    .map(|_| ())
                    .map_err(|_| ())
            }
            Ok(Direction::Down(Ok(0))) => {
                if let Some(reset) = reset.filter(|_| unanswered) {
                    reset.store(true, Ordering::SeqCst);
                    return;
                }
                b_open = false;
                timeout(idle, a_write.shutdown())
                    .await
                    .map(|_| ())
                    .map_err(|_| ())
            }
            Ok(Direction::Up(Ok(n))) => {
                unanswered = true;
                match timeout(idle, b_write.write_all(&a_buf[..n])).await {
                    Ok(Ok(())) => Ok(()),
                    _ => Err(()),
                }
            }
            Ok(Direction::Down(Ok(n))) => {
                unanswered = false;
                match timeout(idle, a_write.write_all(&b_buf[..n])).await {
                    Ok(Ok(())) => Ok(()),
                    _ => Err(()),
                }
            }
            Ok(Direction::Up(Err(_))) | Ok(Direction::Down(Err(_))) => Err(()),
        };
        if outcome.is_err() {
            return;
        }
    }
}
