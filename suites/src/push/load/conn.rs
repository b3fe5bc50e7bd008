//! One keep-alive HTTP/1.1 connection to the listener, reopened when the listener closes it:
//! the load engine and the bare baseline client both drive a small pool of these, so the
//! listener sees C connections, not one per notification.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use mocks::net::Endpoint;
use rustls::pki_types::ServerName;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;

/// Where and how to connect.
#[derive(Clone)]
pub struct Dial {
    pub endpoint: Endpoint,
    /// Required for https.
    pub tls: Option<Arc<rustls::ClientConfig>>,
    pub connect_timeout: Duration,
    pub response_timeout: Duration,
    /// The largest answer body read.
    pub max_answer: usize,
}

/// What came back for one request.
#[derive(Debug)]
pub enum Reply {
    Answered {
        status: u16,
        body: Bytes,
    },
    /// The connection could not be opened (refused, TLS failed, connect timed out).
    Unreachable(String),
    /// Opened, but no complete answer (reset, timeout, oversized body).
    Broken(String),
}

/// Stops the connection's driver task with the connection.
struct Driver(JoinHandle<()>);

impl Drop for Driver {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A connection slot: empty until the first request, emptied when the listener closes it.
#[derive(Default)]
pub struct Conn {
    open: Option<(SendRequest<Full<Bytes>>, Driver)>,
    /// Connections opened over the slot's life.
    pub opened: u64,
}

impl Conn {
    async fn open(&mut self, dial: &Dial) -> Result<(), String> {
        let target = dial.endpoint.host_port();
        let tcp = match timeout(dial.connect_timeout, TcpStream::connect(&target)).await {
            Err(_) => return Err(format!("connect to {target} timed out")),
            Ok(Err(e)) => return Err(format!("connect to {target}: {e}")),
            Ok(Ok(t)) => t,
        };
        let _ = tcp.set_nodelay(true);
        let (sender, driver) = match &dial.tls {
            None => handshake(tcp).await?,
            Some(cfg) => {
                let name = ServerName::try_from(dial.endpoint.host.clone())
                    .map_err(|e| format!("invalid server name: {e}"))?;
                let tls = timeout(
                    dial.connect_timeout,
                    TlsConnector::from(Arc::clone(cfg)).connect(name, tcp),
                )
                .await
                .map_err(|_| "TLS handshake timed out".to_string())?
                .map_err(|e| format!("TLS failed: {e}"))?;
                handshake(tls).await?
            }
        };
        self.open = Some((sender, driver));
        self.opened += 1;
        Ok(())
    }

    /// Sends `req`, opening (or reopening) the connection first when needed.
    pub async fn send(&mut self, dial: &Dial, req: hyper::Request<Full<Bytes>>) -> Reply {
        let ready = match &mut self.open {
            Some((sender, _)) => sender.ready().await.is_ok(),
            None => false,
        };
        if !ready {
            self.open = None;
            if let Err(e) = self.open(dial).await {
                return Reply::Unreachable(e);
            }
        }
        let Some((sender, _)) = &mut self.open else {
            return Reply::Unreachable("no connection".into());
        };
        let exchange = async {
            let response = sender.send_request(req).await.map_err(|e| e.to_string())?;
            let status = response.status().as_u16();
            let limited = http_body_util::Limited::new(response.into_body(), dial.max_answer);
            let body = limited
                .collect()
                .await
                .map_err(|e| e.to_string())?
                .to_bytes();
            Ok::<_, String>((status, body))
        };
        match timeout(dial.response_timeout, exchange).await {
            Ok(Ok((status, body))) => Reply::Answered { status, body },
            Ok(Err(e)) => {
                self.open = None;
                Reply::Broken(e)
            }
            Err(_) => {
                self.open = None;
                Reply::Broken(format!(
                    "no answer within {} ms",
                    dial.response_timeout.as_millis()
                ))
            }
        }
    }
}

async fn handshake<IO>(io: IO) -> Result<(SendRequest<Full<Bytes>>, Driver), String>
where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| format!("HTTP handshake: {e}"))?;
    let driver = Driver(tokio::spawn(async move {
        let _ = conn.await;
    }));
    Ok((sender, driver))
}

/// A POST of `body` with `headers` to the endpoint's path.
pub fn post(
    endpoint: &Endpoint,
    headers: &[(String, String)],
    body: Bytes,
) -> Result<hyper::Request<Full<Bytes>>, String> {
    let mut b = hyper::Request::post(endpoint.path_and_query.as_str())
        .header(hyper::header::HOST, endpoint.authority());
    for (n, v) in headers {
        b = b.header(n.as_str(), v.as_str());
    }
    b.body(Full::new(body)).map_err(|e| e.to_string())
}
