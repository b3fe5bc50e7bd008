//! Transport (MS-OMS 1.5, 2.1): SOAP over HTTPS.

use crate::common::http::{record_exchange, unreachable};
use crate::oms::server::claims;
use crate::oms::server::probe::Oms;
use harness::{Level, Scenario, Stop};
use mocks::net::TransportError;
use wire::oms::{Operation, ServiceInfo};

pub(super) fn all() -> Vec<Scenario> {
    vec![https()]
}

/// MS-OMS 2.1: "Protocol servers MUST support SOAP over HTTPS" (1.5: the credentials travel
/// in the SOAP messages). Unlike everywhere else, a failed TLS handshake is the finding here,
/// not a reason to give up, so the call bypasses `Oms::call`.
fn https() -> Scenario {
    Scenario::new("oms-server/transport/https")
        .title("The service completes a verified TLS handshake and answers GetServiceInfo over HTTPS")
        .section("MS-OMS 2.1")
        .section("MS-OMS 1.5")
        .requirements(["OMS-R002", "OMS-R001"])
        .level(Level::Must)
        .needs(claims::HTTPS)
        .caught_by("tls-wrong-name")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let url = oms.env.caller.url.clone();
            cx.cite(["OMS-R001"]).expect(
                "service URL scheme",
                oms.env.is_https,
                "https:// (SOAP traffic carries the user's credentials)",
                &url,
            )?;
            if oms.env.insecure {
                // With any certificate accepted, a completed handshake proves nothing about it.
                return Err(Stop::inconclusive(
                    "target.insecure is set: certificates are not verified, so whether the \
                     service presents a valid, trusted certificate cannot be judged",
                ));
            }
            let call = oms
                .env
                .caller
                .call(Operation::GetServiceInfo, oms.soap(), None)
                .await;
            record_exchange(&cx, "GetServiceInfo over HTTPS", &call.exchange);
            match call.transport_error() {
                None => {}
                Some(e @ (TransportError::BadUrl(_) | TransportError::Connect(_)))
                | Some(
                    e @ TransportError::Timeout {
                        stage: "name resolution" | "connect",
                        ..
                    },
                ) => {
                    return Err(unreachable(&url, e))
                }
                Some(e @ TransportError::Tls(_)) => {
                    return Err(cx.cite(["OMS-R002"]).fail(
                        "TLS handshake",
                        "a completed handshake, with a certificate valid for the host and issued by a trusted CA",
                        e.to_string(),
                    ))
                }
                Some(e) => {
                    return Err(cx.cite(["OMS-R002"]).fail(
                        "HTTPS response to GetServiceInfo",
                        "a complete HTTP response over the TLS connection",
                        e.to_string(),
                    ))
                }
            }
            cx.cite(["OMS-R002"]).check(
                "TLS handshake",
                true,
                "a completed handshake, with a certificate valid for the host and issued by a trusted CA",
                "completed, certificate verified against the trusted CAs",
            );
            let payload = oms.expect_result(&call)?;
            let readable = ServiceInfo::parse(&payload);
            cx.cite(["OMS-R002"]).expect(
                "GetServiceInfo over HTTPS",
                readable.is_ok(),
                "a serviceInfo document",
                match &readable {
                    Ok(_) => "a serviceInfo document".to_string(),
                    Err(e) => e.to_string(),
                },
            )
        })
}
