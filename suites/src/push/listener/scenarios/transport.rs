//! The transports: SOAP 1.2 when claimed (E-PS-08: optional), HTTPS (PSNTIF-R002).

use super::Push;
use crate::push::listener::claims;
use harness::Scenario;
use mocks::net::TransportError;
use wire::ews::Prefixes;
use wire::soap::SoapVersion;

pub(super) fn all() -> Vec<Scenario> {
    vec![soap12(), https()]
}

fn soap12() -> Scenario {
    Scenario::new("push-listener/transport/soap12")
        .title("A SOAP 1.2 notification is answered in SOAP 1.2 (when claimed)")
        .section("MS-OXWSPSNTIF 6.1")
        .requirements(["PSNTIF-R008"])
        .needs(claims::SOAP12)
        .caught_by("no-soap12")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            p.notify_as(
                "a SOAP 1.2 status ping",
                &p.n.status_ping(1),
                SoapVersion::V12,
                &Prefixes::Conventional,
                &["PSNTIF-R008"],
            )
            .await?;
            Ok(())
        })
}

/// PSNTIF-R002: HTTP over TLS, the certificate valid for the URL's host under the profile's
/// CA. A handshake failure is judged here (elsewhere it only makes a scenario inconclusive).
fn https() -> Scenario {
    Scenario::new("push-listener/transport/https")
        .title("The https listener completes a TLS handshake valid for its host name")
        .section("MS-OXWSPSNTIF 1.4")
        .requirements(["PSNTIF-R002"])
        .needs(claims::HTTPS)
        .caught_by("tls-wrong-name")
        .run(|cx| async move {
            let p = Push::new(&cx)?;
            let post = crate::push::common::Post::notification(
                SoapVersion::V11,
                &p.n.status_ping(1),
                &Prefixes::Conventional,
            );
            let exchange = p.post("a status ping over https", &post).await;
            if let Err(TransportError::Tls(e)) = &exchange.result {
                return Err(cx.checks().fail(
                    "the TLS handshake succeeds with a certificate valid for the URL's host",
                    "a certificate for the host, issued by target.ca_file's CA",
                    e.as_str(),
                ));
            }
            crate::push::common::judge_answer(
                &cx,
                &exchange,
                &p.expect(
                    "a status ping over https",
                    SoapVersion::V11,
                    &["PSNTIF-R002"],
                ),
            )?;
            Ok(())
        })
}
