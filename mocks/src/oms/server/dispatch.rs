//! Every HTTP request lands here: recorded, routed to the control endpoint, answered with
//! hostility under a hostile fault, or read as an MS-OMS operation and answered in the
//! request's SOAP version (OMS-R004).

use wire::oms::{parse_request, Operation};
use wire::soap::{detect, parse_envelope, Body, FaultCode, SoapVersion};
use wire::xml::Limits;

use crate::net::{ServerRequest, ServerResponse};

use super::batch::{self, BatchAnswer};
use super::control;
use super::deliver;
use super::envelope::{fault, result};
use super::hostile;
use super::service_info;
use super::state::{now_unix, RecordedRequest, Shared};
use super::user_info;

/// The SOAP endpoint's path.
pub const SOAP_PATH: &str = "/oms";

pub(crate) async fn handle(shared: &Shared, req: ServerRequest) -> ServerResponse {
    let head = RecordedRequest {
        method: req.method.clone(),
        path: req.path.clone(),
        headers: req.headers.clone(),
    };
    shared.record(head, &req.body);
    let path = req.path.split('?').next().unwrap_or_default().to_string();
    if path.starts_with(control::PREFIX) {
        return control::handle(shared, &req, &path).await;
    }
    if let Some(answer) = hostile::answer(&shared.faults) {
        return answer;
    }
    if req.method != "POST" || path != SOAP_PATH {
        return control::not_found();
    }
    soap(shared, &req)
}

/// The request's SOAP version when the request itself cannot be read: the envelope's
/// namespace if it has one, else what Content-Type announces, else 1.1.
fn guess_version(headers: &[(String, String)], body: &str) -> SoapVersion {
    parse_envelope(body, Limits::default())
        .map(|e| e.version)
        .or_else(|_| detect(headers).map(|(v, _)| v))
        .unwrap_or(SoapVersion::V11)
}

/// Whether the body's wrapper element carries a namespace prefix (`<oms:DeliverXms`).
fn wrapper_is_prefixed(body: &str) -> bool {
    match parse_envelope(body, Limits::default()).map(|e| e.body) {
        Ok(Body::Element(el)) => el
            .raw
            .strip_prefix('<')
            .and_then(|rest| {
                rest.split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                    .next()
            })
            .is_some_and(|qname| qname.contains(':')),
        _ => false,
    }
}

fn soap(shared: &Shared, req: &ServerRequest) -> ServerResponse {
    let faults = &shared.faults;
    let Ok(body) = std::str::from_utf8(&req.body) else {
        let version = detect(&req.headers).map_or(SoapVersion::V11, |(v, _)| v);
        return fault(
            faults,
            version,
            FaultCode::Client,
            "the request body is not UTF-8",
        );
    };
    let parsed = match parse_request(&req.headers, body) {
        Ok(p) => p,
        Err(e) => {
            let version = answer_version(shared, guess_version(&req.headers, body));
            return fault(faults, version, FaultCode::Client, &e.message);
        }
    };
    if parsed.version == SoapVersion::V12 && faults.on("soap12-unsupported") {
        return fault(
            faults,
            SoapVersion::V12,
            FaultCode::Client,
            "SOAP 1.2 not supported",
        );
    }
    let version = answer_version(shared, parsed.version);
    let op = parsed.op;
    let unknown = (faults.on("requires-default-prefix") && wrapper_is_prefixed(body))
        || (op == Operation::SendXms && faults.on("send-xms-missing"));
    if unknown {
        return fault(
            faults,
            version,
            FaultCode::Client,
            &format!("{:?} is not an MS-OMS operation", op.name()),
        );
    }
    let payload = parsed.payload.as_deref();
    let now = now_unix();
    match op {
        Operation::GetServiceInfo => {
            let uri = shared.service_uri.get().map_or("", String::as_str);
            let doc = service_info::render(&shared.config.service_info, uri, faults);
            result(op, version, &doc, !faults.on("service-info-not-escaped"))
        }
        Operation::GetUserInfo => result(op, version, &user_info::answer(shared, payload), true),
        Operation::DeliverXms | Operation::SendXms => {
            let doc = deliver::answer(shared, payload, now).to_xml();
            result(op, version, &doc, !faults.on("deliver-result-not-escaped"))
        }
        Operation::DeliverXmsBatch => match batch::answer(shared, payload, now) {
            BatchAnswer::Responses(r) => result(op, version, &r.to_xml(), true),
            BatchAnswer::Fault(reason) => fault(faults, version, FaultCode::Client, &reason),
            BatchAnswer::Crash => ServerResponse::new(
                500,
                vec![(
                    "Content-Type".to_string(),
                    "text/plain; charset=utf-8".to_string(),
                )],
                b"Unhandled exception: duplicate key in batch dictionary".to_vec(),
            ),
        },
    }
}

/// The version to answer in: the request's, unless a fault says otherwise.
fn answer_version(shared: &Shared, request: SoapVersion) -> SoapVersion {
    if request == SoapVersion::V11 && shared.faults.on("soap11-answers-soap12") {
        SoapVersion::V12
    } else {
        request
    }
}

#[cfg(test)]
mod tests {
    use super::super::config::ServerConfig;
    use super::super::faults::{Faults, ServerFaults};
    use super::*;
    use crate::fault::{FaultKind, FaultTable};
    use rstest::rstest;
    use std::net::SocketAddr;

    const NS: &str = "http://schemas.microsoft.com/office/Outlook/2006/OMS";

    fn envelope(body: &str) -> String {
        format!("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>{body}</s:Body></s:Envelope>")
    }

    #[rstest]
    #[case(format!("<GetServiceInfo xmlns=\"{NS}\"/>"), false)]
    #[case(format!("<GetServiceInfo\n xmlns=\"{NS}\"/>"), false)]
    #[case(format!("<o:GetServiceInfo xmlns:o=\"{NS}\"/>"), true)]
    fn prefixes(#[case] wrapper: String, #[case] prefixed: bool) {
        assert_eq!(wrapper_is_prefixed(&envelope(&wrapper)), prefixed);
    }

    #[rstest]
    #[case(&[("Content-Type", "application/soap+xml")], "garbage", SoapVersion::V12)]
    #[case(&[("Content-Type", "text/xml")], "garbage", SoapVersion::V11)]
    #[case(&[], "garbage", SoapVersion::V11)]
    #[case(&[("Content-Type", "text/xml")], "<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body/></e:Envelope>", SoapVersion::V12)]
    fn version_guesses(
        #[case] headers: &[(&str, &str)],
        #[case] body: &str,
        #[case] expected: SoapVersion,
    ) {
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(guess_version(&headers, body), expected);
    }

    const MMS: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?><xmsData client=\"c\" xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><user><userId>alice</userId><password>alice-pw-1</password><customData>x</customData></user><xmsHead><scheduled>2099-01-01T00:00:00Z</scheduled><requiredService>MMS_SENDER</requiredService><to><recipient>13800000001</recipient><recipient>99912345</recipient></to><subject>s</subject></xmsHead><xmsBody format=\"MMS\"><mmsSlides><head><meta name=\"author\" content=\"x\"/><layout><root-layout width=\"120\" height=\"120\" background-color=\"#ffffff\"/><region id=\"Text\" left=\"0\" top=\"0\" width=\"120\" height=\"120\" fit=\"slice\"/></layout></head><body><par dur=\"1000\"><text src=\"cid:a@b\" region=\"Text\"/></par></body></mmsSlides><content contentType=\"text/plain\" contentId=\"a@b\" contentLocation=\"1.txt\">hi</content><content contentType=\"image/gif\" contentId=\"g@b\" contentLocation=\"1.gif\">R0lGODlh</content></xmsBody></xmsData>";
    const SMS: &str = "<xmsData xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><user><userId>erin</userId><password>erin-pw-1</password></user><xmsHead><to><recipient>17000000001</recipient><recipient>13800000001</recipient></to></xmsHead><xmsBody format=\"SMS\"><content contentType=\"text/plain\" contentId=\"x\" contentLocation=\"1.txt\">hello</content></xmsBody></xmsData>";
    const BATCH: &str = "<xmsBatch xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><xmsData id=\"1\"><user><userId>alice</userId><password>alice-pw-1</password></user><xmsHead><to><recipient>13800000001</recipient></to></xmsHead><xmsBody format=\"SMS\"><content contentType=\"text/plain\" contentId=\"x\" contentLocation=\"1.txt\">a</content></xmsBody></xmsData><xmsData Id=\"1\"><xmsBody format=\"SMS\"/></xmsData></xmsBatch>";
    const USER: &str = "<xmsUser xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><userId>alice</userId><password>alice-pw-1</password><customData>c</customData></xmsUser>";

    fn request(op: Operation, payload: &str) -> ServerRequest {
        let soap = wire::oms::request(op, SoapVersion::V11, Some(payload));
        ServerRequest {
            method: "POST".into(),
            path: SOAP_PATH.into(),
            headers: soap.headers,
            body: soap.body.into_bytes(),
            peer: SocketAddr::from(([127, 0, 0, 1], 1)),
        }
    }

    fn body_text(r: &ServerResponse) -> String {
        match &r.body {
            crate::net::ResponseBody::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            crate::net::ResponseBody::Repeat { .. } | crate::net::ResponseBody::Channel(_) => {
                String::new()
            }
        }
    }

    /// Every non-hostile fault at once, so their code paths see the mangled input too.
    fn all_quiet_faults() -> Faults {
        let names: Vec<String> = ServerFaults::names_of(FaultKind::Protocol)
            .into_iter()
            .map(str::to_string)
            .collect();
        Faults::parse(&names).unwrap()
    }

    #[tokio::test]
    async fn reference_reads_the_samples() {
        let shared = Shared::new(ServerConfig::reference(), Faults::none(), None);
        for (op, doc, expected) in [
            (Operation::DeliverXms, MMS, "<error code=\"invalidRecipient\" severity=\"failure\"><recipientList>99912345</recipientList></error><error code=\"noScheduled\" severity=\"neutral\"/>"),
            (Operation::SendXms, SMS, "<error code=\"crossCarrier\" severity=\"failure\"><recipientList>17000000001</recipientList></error><error code=\"lowBalance\" severity=\"neutral\"><content>$0.20;$0.10</content><recipientList>13800000001</recipientList></error>"),
            (Operation::DeliverXmsBatch, BATCH, "<xmsResponse id=\"1\"><error code=\"ok\" severity=\"neutral\"/></xmsResponse><xmsResponse id=\"1\"><error code=\"invalidFormat\" severity=\"failure\"/></xmsResponse>"),
            (Operation::GetUserInfo, USER, "<smtpAddress>alice@mail.oxconf.test</smtpAddress><error code=\"OK\" severity=\"neutral\"/></userInfo>"),
        ] {
            let r = handle(&shared, request(op, doc)).await;
            assert_eq!(r.status, 200);
            let parsed = wire::oms::parse_response(op, SoapVersion::V11, &r.headers, &body_text(&r)).unwrap();
            let wire::oms::ResponseBody::Result(payload) = parsed.body else {
                panic!("expected a result")
            };
            assert!(payload.contains(expected), "{op:?}: {payload}");
        }
    }

    /// The server must never panic on input: every prefix of each sample document, and the
    /// samples with their digits and quotes mangled, under the reference and under all faults.
    #[tokio::test]
    async fn mangled_input_never_panics() {
        for faults in [Faults::none(), all_quiet_faults()] {
            let shared = Shared::new(ServerConfig::reference(), faults, None);
            for (op, doc) in [
                (Operation::DeliverXms, MMS),
                (Operation::SendXms, SMS),
                (Operation::DeliverXmsBatch, BATCH),
                (Operation::GetUserInfo, USER),
            ] {
                let mut variants: Vec<String> = doc
                    .char_indices()
                    .map(|(i, _)| doc[..i].to_string())
                    .collect();
                variants.push(doc.replace(|c: char| c.is_ascii_digit(), "\u{4e2d}"));
                variants.push(doc.replace('"', "'"));
                variants.push(doc.replace("alice-pw-1", ""));
                variants.push(doc.replace("MMS", "SMS"));
                variants.push(doc.replace("SMS", "MMS"));
                for payload in variants {
                    let r = handle(&shared, request(op, &payload)).await;
                    assert!(
                        [200, 400, 500].contains(&r.status),
                        "{op:?} answered {} to {payload}",
                        r.status
                    );
                }
                // The envelope itself, cut anywhere.
                let whole = String::from_utf8(request(op, doc).body).unwrap();
                for (i, _) in whole.char_indices().step_by(7) {
                    let mut req = request(op, doc);
                    req.body = whole.as_bytes()[..i].to_vec();
                    let r = handle(&shared, req).await;
                    assert!([200, 400, 500].contains(&r.status));
                }
            }
        }
    }
}
