//! The SOAP answers the server writes: results (escaped, as E-OMS-23 requires, or as child
//! elements under a fault) and faults (well-formed, or broken under a fault).

use wire::oms::{fault_response, response, HttpSoap, Operation, OMS_NS};
use wire::soap::{write_envelope, FaultCode, SoapVersion};
use wire::xml::escape_text;

use crate::net::ServerResponse;

use super::faults::Faults;

fn from_http(h: HttpSoap) -> ServerResponse {
    ServerResponse::new(h.status, h.headers, h.body.into_bytes())
}

fn content_type(version: SoapVersion) -> Vec<(String, String)> {
    vec![("Content-Type".to_string(), version.content_type(""))]
}

/// The document without its XML declaration, for embedding as elements.
fn without_declaration(doc: &str) -> &str {
    let t = doc.trim_start();
    match t
        .strip_prefix("<?xml")
        .and_then(|rest| rest.find("?>").map(|i| &rest[i + 2..]))
    {
        Some(rest) => rest,
        None => t,
    }
}

/// A 200 response whose result element carries `payload`: as escaped text, or (`escaped`
/// false, a fault) as child elements.
pub(crate) fn result(
    op: Operation,
    version: SoapVersion,
    payload: &str,
    escaped: bool,
) -> ServerResponse {
    if escaped {
        return from_http(response(op, version, payload));
    }
    let wrapper = op.response_element();
    let result = op.result_element();
    let body = format!(
        "<{wrapper} xmlns=\"{OMS_NS}\"><{result}>{}</{result}></{wrapper}>",
        without_declaration(payload)
    );
    ServerResponse::new(
        200,
        content_type(version),
        write_envelope(version, &body).into_bytes(),
    )
}

/// A SOAP fault; under `malformed-fault` an HTTP 200 whose body breaks off mid-fault.
pub(crate) fn fault(
    faults: &Faults,
    version: SoapVersion,
    code: FaultCode,
    reason: &str,
) -> ServerResponse {
    if !faults.on("malformed-fault") {
        let mut answer = from_http(fault_response(version, code, reason));
        if faults.on("faults-as-400") {
            answer.status = 400;
        }
        return answer;
    }
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"{}\"><soap:Body><soap:Fault><faultcode>soap:{}</faultcode><faultstring>{}",
        version.envelope_ns(),
        code.local_name(version),
        escape_text(reason)
    );
    ServerResponse::new(200, content_type(version), body.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::ResponseBody;
    use wire::oms::{parse_response, ResponseBody as Parsed};
    use wire::xml::{parse_strict, Limits};
    use wire::Layer;

    fn text(r: &ServerResponse) -> String {
        match &r.body {
            ResponseBody::Bytes(b) => String::from_utf8(b.clone()).unwrap(),
            ResponseBody::Repeat { .. } | ResponseBody::Channel(_) => panic!("not streamed"),
        }
    }

    #[test]
    fn unescaped_results_read_back_with_the_finding() {
        let doc = "<?xml version=\"1.0\" encoding=\"utf-8\"?><xmsResponse xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><error code=\"ok\" severity=\"neutral\"/></xmsResponse>";
        let r = result(Operation::DeliverXms, SoapVersion::V11, doc, false);
        let parsed = parse_response(
            Operation::DeliverXms,
            SoapVersion::V11,
            &r.headers,
            &text(&r),
        )
        .unwrap();
        assert!(parsed
            .findings
            .iter()
            .any(|f| f.rule == wire::oms::rules::RESULT_NOT_ESCAPED_TEXT));
        let Parsed::Result(payload) = parsed.body else {
            panic!("expected a result")
        };
        assert!(payload.contains("<error"));
    }

    #[test]
    fn malformed_faults_are_not_xml() {
        let faults = Faults::parse(&["malformed-fault".to_string()]).unwrap();
        let r = fault(&faults, SoapVersion::V11, FaultCode::Client, "a & b");
        assert_eq!(r.status, 200);
        let err = parse_strict(&text(&r), Layer::Envelope, Limits::default()).unwrap_err();
        assert_eq!(err.layer, Layer::Envelope);
    }

    #[test]
    fn declaration_is_stripped() {
        assert_eq!(without_declaration("<?xml version=\"1.0\"?><a/>"), "<a/>");
        assert_eq!(without_declaration("<a/>"), "<a/>");
    }
}
