//! A TLS-terminating TCP proxy: puts HTTPS in front of a plain server (wiremock, or an
//! [`super::server::HttpServer`] started without TLS) without that server knowing about TLS.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::timeout;
use tokio_rustls::TlsAcceptor;

use super::server::{MAX_CONNECTIONS, TLS_HANDSHAKE_TIMEOUT};

/// A proxied connection with no traffic in either direction for this long is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
const UPSTREAM_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const COPY_BUFFER: usize = 16 * 1024;

pub struct TlsFront {
    local: SocketAddr,
    task: JoinHandle<()>,
}

impl fmt::Debug for TlsFront {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsFront")
            .field("local", &self.local)
            .finish()
    }
}

impl TlsFront {
    pub async fn start(
        listen: SocketAddr,
        tls: Arc<rustls::ServerConfig>,
        upstream: SocketAddr,
    ) -> io::Result<TlsFront> {
        let listener = TcpListener::bind(listen).await?;
        let local = listener.local_addr()?;
        let task = tokio::spawn(accept_loop(listener, TlsAcceptor::from(tls), upstream));
        Ok(TlsFront { local, task })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// "https://127.0.0.1:PORT"
    pub fn base_url(&self) -> String {
        format!("https://{}", self.local)
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept_loop(listener: TcpListener, acceptor: TlsAcceptor, upstream: SocketAddr) {
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
                connections.spawn(proxy(stream, acceptor.clone(), upstream));
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn proxy(client: TcpStream, acceptor: TlsAcceptor, upstream: SocketAddr) {
    let Ok(Ok(tls)) = timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(client)).await else {
        return;
    };
    let Ok(Ok(plain)) = timeout(UPSTREAM_CONNECT_TIMEOUT, TcpStream::connect(upstream)).await
    else {
        return;
    };
    let _ = plain.set_nodelay(true);
    pump(tls, plain, IDLE_TIMEOUT).await;
}

enum Direction {
    Down(io::Result<usize>),
    Up(io::Result<usize>),
}

/// Copies both ways until both sides have finished, an error occurs, or nothing moved for
/// `idle`. Half-closes are forwarded so request/response framing by EOF still works.
async fn pump<A, B>(a: A, b: B, idle: Duration)
where
    A: AsyncRead + AsyncWrite,
    B: AsyncRead + AsyncWrite,
{
    let (mut a_read, mut a_write) = tokio::io::split(a);
    let (mut b_read, mut b_write) = tokio::io::split(b);
    let mut a_buf = vec![0u8; COPY_BUFFER];
    let mut b_buf = vec![0u8; COPY_BUFFER];
    let (mut a_open, mut b_open) = (true, true);
    while a_open || b_open {
        let step = timeout(idle, async {
            tokio::select! {
                r = a_read.read(&mut a_buf), if a_open => Direction::Up(r),
                r = b_read.read(&mut b_buf), if b_open => Direction::Down(r),
            }
        })
        .await;
        let outcome = match step {
            Err(_) => return,
            Ok(Direction::Up(Ok(0))) => {
                a_open = false;
                timeout(idle, b_write.shutdown())
                    .await
                    .map(|_| ())
                    .map_err(|_| ())
            }
            Ok(Direction::Down(Ok(0))) => {
                b_open = false;
                timeout(idle, a_write.shutdown())
                    .await
                    .map(|_| ())
                    .map_err(|_| ())
            }
            Ok(Direction::Up(Ok(n))) => match timeout(idle, b_write.write_all(&a_buf[..n])).await {
                Ok(Ok(())) => Ok(()),
                _ => Err(()),
            },
            Ok(Direction::Down(Ok(n))) => {
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
