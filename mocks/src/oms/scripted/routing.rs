//! Which operation a request is for, the way a tolerant server decides it: the SOAP action
//! (SOAPAction header, or the action parameter of a SOAP 1.2 Content-Type) when it names an
//! operation, otherwise the body's wrapper element. A client with a wrong action therefore
//! still gets an answer, and the wrong action shows in the recorded findings instead of as a
//! dead end. Requests other than POSTs to [`PATH`] get no operation and a Client fault.

use wire::oms::Operation;
use wire::soap::{detect, header, parse_envelope, Body, SoapVersion};
use wire::xml::Limits;

use crate::http::HttpRequest;

/// The path every scripted server serves.
pub const PATH: &str = "/oms";

pub fn route(headers: &[(String, String)], body: &str) -> Option<Operation> {
    let action = match detect(headers) {
        Ok((_, action)) => action,
        Err(_) => header(headers, "soapaction").map(str::to_owned),
    };
    if let Some(op) = action.as_deref().and_then(Operation::from_action) {
        return Some(op);
    }
    match parse_envelope(body, Limits::default()).ok()?.body {
        Body::Element(el) => Operation::from_element(&el.name),
        Body::Fault(_) | Body::Empty => None,
    }
}

/// The version to answer in: the envelope's, else the Content-Type's, else SOAP 1.1.
pub fn version_of(headers: &[(String, String)], body: &str) -> SoapVersion {
    if let Ok(env) = parse_envelope(body, Limits::default()) {
        return env.version;
    }
    detect(headers).map_or(SoapVersion::V11, |(v, _)| v)
}

/// The scripted HTTP peer's routing key: the operation's name, for POSTs to [`PATH`].
pub(crate) fn key(request: &HttpRequest) -> Option<String> {
    if request.method != "POST" || request.path != PATH {
        return None;
    }
    route(&request.headers, &request.body_text()).map(|op| op.name().to_owned())
}

/// The operation a routing key names.
pub(crate) fn operation(key: &str) -> Option<Operation> {
    Operation::ALL.into_iter().find(|op| op.name() == key)
}

/// Why a request reaches no operation, for the fault that answers it.
pub(crate) fn unmatched_reason(request: &HttpRequest) -> String {
    if request.method != "POST" {
        return format!(
            "{} is not served here; MS-OMS requests are POSTed",
            request.method
        );
    }
    if request.path != PATH {
        return format!("no MS-OMS endpoint at {}; use {PATH}", request.path);
    }
    "the request names no MS-OMS operation (neither by SOAP action nor by body element)".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use wire::oms::request;
    use wire::soap::write_envelope;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const NS: &str = "http://schemas.microsoft.com/office/Outlook/2006/OMS";

    #[rstest]
    fn routes_well_formed_requests(
        #[values(
            Operation::GetServiceInfo,
            Operation::GetUserInfo,
            Operation::DeliverXms,
            Operation::SendXms,
            Operation::DeliverXmsBatch
        )]
        op: Operation,
        #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
    ) {
        let soap = request(op, version, Some("<x/>"));
        assert_eq!(route(&soap.headers, &soap.body), Some(op));
        assert_eq!(version_of(&soap.headers, &soap.body), version);
    }

    #[rstest]
    #[case::action_wins(
        &[("Content-Type", "text/xml"), ("SOAPAction", "\"http://schemas.microsoft.com/office/Outlook/2006/OMS/GetUserInfo\"")][..],
        "DeliverXms",
        Some(Operation::GetUserInfo)
    )]
    #[case::soap12_action_parameter(
        &[("Content-Type", "application/soap+xml; action=\"http://schemas.microsoft.com/office/Outlook/2006/OMS/DeliverXmsBatch\"")][..],
        "DeliverXms",
        Some(Operation::DeliverXmsBatch)
    )]
    #[case::unknown_action_falls_back(
        &[("Content-Type", "text/xml"), ("SOAPAction", "\"http://schemas.microsoft.com/office/Outlook/2006/OMS/Deliver\"")][..],
        "DeliverXms",
        Some(Operation::DeliverXms)
    )]
    #[case::no_action(&[("Content-Type", "text/xml")][..], "GetServiceInfo", Some(Operation::GetServiceInfo))]
    #[case::bad_content_type_header_action(
        &[("Content-Type", "text/plain"), ("SOAPAction", "http://schemas.microsoft.com/office/Outlook/2006/OMS/SendXms")][..],
        "Nothing",
        Some(Operation::SendXms)
    )]
    #[case::nothing(&[("Content-Type", "text/xml")][..], "Nothing", None)]
    fn routing(
        #[case] headers: &[(&str, &str)],
        #[case] element: &str,
        #[case] expected: Option<Operation>,
    ) {
        let body = write_envelope(SoapVersion::V11, &format!("<{element} xmlns=\"{NS}\"/>"));
        assert_eq!(route(&h(headers), &body), expected);
    }

    #[test]
    fn unreadable_body_routes_nowhere() {
        assert_eq!(route(&h(&[("Content-Type", "text/xml")]), "not xml"), None);
        assert_eq!(
            version_of(&h(&[("Content-Type", "application/soap+xml")]), "not xml"),
            SoapVersion::V12
        );
        assert_eq!(version_of(&[], "not xml"), SoapVersion::V11);
    }
}
