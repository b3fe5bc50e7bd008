//! HTTP exchanges in the transcript, in either direction, and the one judgement every suite
//! driving an HTTP peer shares: a peer that cannot be reached at all is nothing to judge.

use harness::{Cx, SetupError, Stop};
use mocks::net::{client_config, Exchange, HttpClient};
use std::fmt::Display;
use std::path::Path;
use std::time::Duration;

/// Records one exchange the harness started (it plays the client): the request as sent, then
/// the response or why there was none.
pub fn record_exchange(cx: &Cx, title: &str, exchange: &Exchange) {
    cx.sent("http", title, &exchange.request_text());
    let status = match &exchange.result {
        Ok(r) => format!("{title}: HTTP {}", r.status),
        Err(_) => format!("{title}: no response"),
    };
    cx.received("http", &status, &exchange.response_text());
}

/// Records one exchange a peer started on a server the harness plays: the request as
/// received, then the answer as sent.
pub fn record_served(
    cx: &Cx,
    request_title: &str,
    request: &str,
    answer_title: &str,
    answer: &str,
) {
    cx.received("http", request_title, request);
    cx.sent("http", answer_title, answer);
}

/// An HTTP/1.1 message as text: start line, headers in order, blank line, body.
pub fn message_text(start_line: &str, headers: &[(String, String)], body: &str) -> String {
    let mut out = format!("{start_line}\r\n");
    for (n, v) in headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    out
}

/// The SUT could not be reached at `url` (no connection, no TLS session): the scenario is
/// inconclusive, as nothing the SUT did can be judged.
pub fn unreachable(url: impl Display, error: impl Display) -> Stop {
    Stop::inconclusive(format!("the SUT could not be reached at {url}: {error}"))
}

/// Where the CA a profile trusts comes from: PEM text (a reference peer's) or a file read at
/// setup.
#[derive(Clone, Copy, Debug)]
pub struct Trust<'a> {
    pub ca_pem: Option<&'a str>,
    pub ca_file: Option<&'a Path>,
    /// Certificates are not verified (`target.insecure`).
    pub insecure: bool,
    /// The profile key naming the file, for messages ("target.ca_file").
    pub key: &'a str,
}

/// The HTTP client a suite talks to its SUT with. The CA file is read here: one that cannot be
/// read or holds no certificate is a problem on this machine (exit 4), not an unreachable SUT.
pub fn sut_client(
    https: bool,
    trust: Trust<'_>,
    connect_timeout: Duration,
    response_timeout: Duration,
) -> Result<HttpClient, SetupError> {
    let tls = if https {
        let pem = match (trust.ca_pem, trust.ca_file) {
            (Some(pem), _) => Some(pem.to_string()),
            (None, Some(path)) => Some(std::fs::read_to_string(path).map_err(|e| {
                SetupError::Local(format!("cannot read {} {}: {e}", trust.key, path.display()))
            })?),
            (None, None) => None,
        };
        Some(client_config(pem.as_deref(), trust.insecure).map_err(|e| {
            SetupError::Local(match trust.ca_file {
                Some(path) => format!("{} {}: {e}", trust.key, path.display()),
                None => format!("TLS client configuration: {e}"),
            })
        })?)
    } else {
        None
    };
    let mut http = HttpClient::new(tls);
    http.response_timeout = response_timeout;
    http.connect_timeout = connect_timeout;
    Ok(http)
}

/// A TCP connection to the SUT's host and port, nothing sent: tells an SUT that is not there
/// at all (exit 3) before any scenario spends a request on finding out. `what` names it
/// ("the push listener").
pub async fn reachable(
    what: &str,
    url: &mocks::net::UserUrl,
    within: Duration,
) -> Result<(), SetupError> {
    let addr = url.endpoint().host_port();
    match tokio::time::timeout(within, tokio::net::TcpStream::connect(&addr)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(SetupError::Unreachable(format!(
            "{what} at {url} could not be reached: connect to {addr}: {e}"
        ))),
        Err(_) => Err(SetupError::Unreachable(format!(
            "{what} at {url} could not be reached: connect to {addr} timed out after {} ms",
            within.as_millis()
        ))),
    }
}

/// The CA of a mock peer's test PKI as a temporary PEM file, for a SUT's `{ca_file}`; none
/// when the peer serves plain http. The file lives as long as the handle.
pub fn ca_file(
    ca_pem: Option<&str>,
    prefix: &str,
) -> Result<Option<tempfile::NamedTempFile>, Stop> {
    let Some(pem) = ca_pem else {
        return Ok(None);
    };
    let cannot = |e: std::io::Error| Stop::inconclusive(format!("cannot write the CA file: {e}"));
    let mut f = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".pem")
        .tempfile()
        .map_err(cannot)?;
    std::io::Write::write_all(&mut f, pem.as_bytes()).map_err(cannot)?;
    Ok(Some(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_header_order_and_body() {
        let headers = vec![
            ("content-type".to_string(), "text/xml".to_string()),
            ("x-b".to_string(), "2".to_string()),
        ];
        assert_eq!(
            message_text("POST /oms HTTP/1.1", &headers, "<a/>"),
            "POST /oms HTTP/1.1\r\ncontent-type: text/xml\r\nx-b: 2\r\n\r\n<a/>"
        );
        assert_eq!(
            message_text("HTTP/1.1 204", &[], ""),
            "HTTP/1.1 204\r\n\r\n"
        );
    }
}
