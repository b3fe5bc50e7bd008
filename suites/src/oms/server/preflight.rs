//! Before any scenario runs against a profile's SUT: one GetServiceInfo (is the endpoint there,
//! and does it speak SOAP at all?) and one GetUserInfo (does it accept the profile's own
//! account?). An endpoint that cannot be reached, or answers something that is not SOAP, is
//! reported once, with a hint, instead of as one failure per scenario.

use mocks::net::UserUrl;
use mocks::net::{client_config, HttpClient, Request, TransportError};
use mocks::oms::{Call, OmsCaller};
use std::time::Duration;
use wire::oms::{codes, Operation, UserInfo, XmsUser};
use wire::soap::SoapVersion;

/// The hint attached to every scenario that needs the profile's own account, when the service
/// refused it in the preflight.
pub fn refused_account_hint() -> String {
    "the service refused the profile's own account with invalidUser in the preflight \
     GetUserInfo, so nothing that needs it can be judged: check oms.user and oms.password"
        .to_string()
}

/// How long the side probes (does this port speak TLS? plain HTTP?) may take.
fn probe_timeout(connect: Duration) -> Duration {
    connect.min(Duration::from_secs(3))
}

/// Why an https endpoint failed its TLS handshake, as a hint.
fn tls_hint(e: &str, host: &str) -> Option<String> {
    if e.contains("NotValidForName") {
        return Some(format!(
            "the server's certificate does not name {host:?}: use the name the certificate \
             was issued for in target.url"
        ));
    }
    if e.contains("certificate") || e.contains("UnknownIssuer") {
        return Some("set target.ca_file (the server's certificate is not trusted)".to_string());
    }
    None
}

/// Does `host:port` complete a TLS handshake (any certificate accepted)?
async fn speaks_tls(host: &str, port: u16, within: Duration) -> bool {
    let Ok(cfg) = client_config(None, true) else {
        return false;
    };
    let mut client = HttpClient::new(Some(cfg));
    client.connect_timeout = within;
    client.response_timeout = within;
    let url = format!("https://{}/", authority(host, port));
    match client.send(Request::new("GET", &url)).await.result {
        Ok(_) => true,
        // Past the handshake: the port speaks TLS, whatever HTTP does next.
        Err(e) => !e.unreachable(),
    }
}

/// Does `host:port` answer plain HTTP?
async fn speaks_plain_http(host: &str, port: u16, within: Duration) -> bool {
    let mut client = HttpClient::new(None);
    client.connect_timeout = within;
    client.response_timeout = within;
    let url = format!("http://{}/", authority(host, port));
    client.send(Request::new("GET", &url)).await.result.is_ok()
}

fn authority(host: &str, port: u16) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// The message for an endpoint that could not be reached, with a hint.
async fn unreachable_message(url: &UserUrl, e: &TransportError, connect: Duration) -> String {
    let host = url.endpoint().host.clone();
    let port = url.endpoint().port;
    let https = url.is_https();
    let hint = match e {
        TransportError::BadUrl(_) => "check target.url".to_string(),
        TransportError::Connect(m) if m.starts_with("name does not resolve") => {
            format!("name does not resolve: check the host {host:?} in target.url")
        }
        TransportError::Connect(m) if m.starts_with("connection refused") => {
            format!(
                "connection refused: nothing listens on {}",
                authority(&host, port)
            )
        }
        TransportError::Connect(_) => "check target.url and the network".to_string(),
        TransportError::Timeout {
            stage: "name resolution",
            after,
        } => format!(
            "name does not resolve: the lookup of {host:?} timed out after {}s",
            after.as_secs_f64()
        ),
        TransportError::Timeout {
            stage: "connect",
            after,
        } => format!(
            "connect timed out after {}s (filtered port?); raise target.connect_timeout if \
             the service is only slow",
            after.as_secs_f64()
        ),
        TransportError::Timeout { after, .. } => {
            if https && speaks_plain_http(&host, port, probe_timeout(connect)).await {
                "this port speaks plain HTTP, not TLS: use http://".to_string()
            } else {
                format!(
                    "the TLS handshake did not complete within {}s: does this port speak TLS?",
                    after.as_secs_f64()
                )
            }
        }
        TransportError::Tls(m) => match tls_hint(m, &host) {
            Some(h) => h,
            None if https && speaks_plain_http(&host, port, probe_timeout(connect)).await => {
                "this port speaks plain HTTP, not TLS: use http://".to_string()
            }
            None => "the TLS handshake failed".to_string(),
        },
        _ => "check target.url".to_string(),
    };
    format!("the SUT could not be reached at {url}: {e}; {hint}")
}

/// Whether a body is a SOAP envelope at all, however broken.
fn looks_like_soap(body: &str) -> bool {
    body.contains("Envelope")
}

/// The preflight: `Err(message)` when the endpoint is unreachable or does not speak SOAP;
/// otherwise whether the service refused the profile's account (the hint for those scenarios).
pub async fn run(
    url: &UserUrl,
    caller: &OmsCaller,
    soap: SoapVersion,
    account: &XmsUser,
    connect_timeout: Duration,
) -> Result<Option<String>, String> {
    let call = caller.call(Operation::GetServiceInfo, soap, None).await;
    match call.transport_error() {
        Some(e) if e.unreachable() => {
            return Err(unreachable_message(url, e, connect_timeout).await);
        }
        Some(e) => {
            // Reachable but no usable answer. A TLS port spoken to in plain HTTP looks like this
            // (the server closes, or answers with a TLS alert).
            let ep = url.endpoint();
            if !url.is_https()
                && speaks_tls(&ep.host, ep.port, probe_timeout(connect_timeout)).await
            {
                return Err(format!(
                    "the SUT at {url} did not answer plain HTTP ({e}); this port speaks TLS: \
                     use https://"
                ));
            }
            // A service that accepts connections but answers badly is judged by the scenarios.
            return Ok(None);
        }
        None => {}
    }
    if let Some(msg) = not_soap(url.as_str(), &call) {
        return Err(msg);
    }
    Ok(account_refused(caller, soap, account).await)
}

/// A response that is not SOAP at all: an HTML error page, a non-XML body.
fn not_soap(url: &str, call: &Call) -> Option<String> {
    let resp = call.exchange.response()?;
    if call.response().is_some() || looks_like_soap(&resp.text()) {
        return None;
    }
    let content_type = resp
        .header("content-type")
        .unwrap_or("without a Content-Type");
    let why = call
        .unreadable()
        .map(|e| e.to_string())
        .unwrap_or_else(|| "not a SOAP envelope".into());
    Some(format!(
        "the endpoint {url} answered GetServiceInfo with HTTP {} {content_type}, not a SOAP \
         envelope ({why}): is this the OMS service URL?",
        resp.status
    ))
}

/// GetUserInfo with the profile's account: `Some(hint)` when the service answers invalidUser.
async fn account_refused(caller: &OmsCaller, soap: SoapVersion, user: &XmsUser) -> Option<String> {
    let call = caller
        .call(Operation::GetUserInfo, soap, Some(&user.to_xml()))
        .await;
    let payload = call.result_payload()?;
    let info = UserInfo::parse(payload).ok()?.value;
    let code = info.error?.code?;
    code.eq_ignore_ascii_case(codes::INVALID_USER)
        .then(refused_account_hint)
}
