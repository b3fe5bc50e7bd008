//! MS-OMS over SOAP: the wrapper elements of each operation, with the embedded documents
//! carried as escaped text (E-OMS-23). Builders for both roles, and readers that say which
//! layer a problem is in.

use super::ns::OMS_NS;
use super::operation::Operation;
use super::rules;
use crate::finding::{Finding, Layer, LayerError};
use crate::soap::{
    detect, parse_envelope, request_headers, write_envelope, write_fault, Body, Child, Element,
    Fault, FaultCode, SoapVersion,
};
use crate::xml::{Limits, XmlWriter};

/// An HTTP message carrying SOAP: what a peer sends or what was received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpSoap {
    /// Response status; requests carry none and use 0.
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// A request for `op`. The payload is written as escaped text inside the parameter element;
/// `None` leaves the parameter element out (GetServiceInfo has none; for the other operations
/// this builds a request missing its parameter, for probes).
pub fn request(op: Operation, version: SoapVersion, payload: Option<&str>) -> HttpSoap {
    let mut w = XmlWriter::new();
    match (op.param_element(), payload) {
        (Some(param), Some(text)) => {
            w.start(op.name(), &[("xmlns", OMS_NS)]);
            w.text_element(param, &[], text);
            w.end(op.name());
        }
        _ => w.empty(op.name(), &[("xmlns", OMS_NS)]),
    }
    HttpSoap {
        status: 0,
        headers: request_headers(version, &op.action()),
        body: write_envelope(version, &w.finish()),
    }
}

fn response_headers(version: SoapVersion) -> Vec<(String, String)> {
    vec![("Content-Type".to_owned(), version.content_type(""))]
}

/// A successful response (200) whose result element carries `result_payload` as escaped text.
pub fn response(op: Operation, version: SoapVersion, result_payload: &str) -> HttpSoap {
    let mut w = XmlWriter::new();
    let wrapper = op.response_element();
    w.start(&wrapper, &[("xmlns", OMS_NS)]);
    w.text_element(&op.result_element(), &[], result_payload);
    w.end(&wrapper);
    HttpSoap {
        status: 200,
        headers: response_headers(version),
        body: write_envelope(version, &w.finish()),
    }
}

/// A fault response. SOAP 1.1 faults travel with 500; the SOAP 1.2 HTTP binding uses 400 for
/// Sender faults and 500 for the others.
pub fn fault_response(version: SoapVersion, code: FaultCode, reason: &str) -> HttpSoap {
    let status = match (version, code) {
        (SoapVersion::V12, FaultCode::Client) => 400,
        _ => 500,
    };
    HttpSoap {
        status,
        headers: response_headers(version),
        body: write_fault(version, code, reason),
    }
}

/// A request as a server reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OmsRequest {
    /// From the envelope namespace.
    pub version: SoapVersion,
    /// From the body's wrapper element.
    pub op: Operation,
    pub action: Option<String>,
    /// The unescaped parameter text (or, when a client sent child elements, their XML).
    pub payload: Option<String>,
    pub findings: Vec<Finding>,
}

/// Server side: unknown or missing operation => Err(LayerError{Envelope}); action vs body
/// element mismatch => finding `soap.action.mismatch`; wrapper not in OMS_NS => finding.
/// A Content-Type that is not SOAP is Err(LayerError{Http}).
pub fn parse_request(headers: &[(String, String)], body: &str) -> Result<OmsRequest, LayerError> {
    let (announced, action) = detect(headers)?;
    let env = parse_envelope(body, Limits::default())?;
    let mut findings = env.findings;
    if env.version != announced {
        findings.push(
            Finding::violation(
                rules::SOAP_VERSION_CONTENT_TYPE,
                "/Envelope",
                format!(
                    "Content-Type announces {} but the envelope is {}",
                    announced.label(),
                    env.version.label()
                ),
            )
            .requirement("OMS-R003"),
        );
    }
    let el = match env.body {
        Body::Element(el) => el,
        Body::Fault(_) => {
            return Err(LayerError::new(
                Layer::Envelope,
                "the request body is a SOAP fault, not an operation",
            ))
        }
        Body::Empty => {
            return Err(LayerError::new(
                Layer::Envelope,
                "the request body names no operation",
            ))
        }
    };
    let Some(op) = Operation::from_element(&el.name) else {
        return Err(LayerError::new(
            Layer::Envelope,
            format!("{:?} is not an MS-OMS operation", el.name),
        ));
    };
    let wrapper_path = format!("/Envelope/Body/{}", el.name);
    check_namespace(el.namespace.as_deref(), &wrapper_path, &mut findings);
    match &action {
        None => findings.push(
            Finding::violation(
                rules::SOAP_ACTION_MISSING,
                "/Envelope",
                format!("no SOAP action; expected {}", op.action()),
            )
            .requirement("OMS-R106"),
        ),
        Some(a) if Operation::from_action(a) != Some(op) => findings.push(
            Finding::violation(
                rules::SOAP_ACTION_MISMATCH,
                "/Envelope",
                format!(
                    "SOAP action {a:?} does not name the body's operation {}",
                    op.name()
                ),
            )
            .requirement("OMS-R107"),
        ),
        Some(_) => {}
    }
    let payload = read_parameter(op, &el, &wrapper_path, &mut findings);
    Ok(OmsRequest {
        version: env.version,
        op,
        action,
        payload,
        findings,
    })
}

fn check_namespace(ns: Option<&str>, path: &str, findings: &mut Vec<Finding>) {
    if ns != Some(OMS_NS) {
        findings.push(
            Finding::violation(
                rules::SOAP_WRAPPER_NAMESPACE,
                path,
                format!("in namespace {:?}; expected {OMS_NS}", ns.unwrap_or("")),
            )
            .requirement("OMS-R007"),
        );
    }
}

/// The text of a string parameter/result element, or the XML of its element children when
/// a peer put the document there unescaped.
fn string_value(
    child: &Child,
    path: &str,
    rule: &'static str,
    requirement: &'static str,
    findings: &mut Vec<Finding>,
) -> String {
    check_namespace(child.namespace.as_deref(), path, findings);
    match &child.element_xml {
        Some(xml) => {
            findings.push(
                Finding::violation(
                    rule,
                    path,
                    "the document is carried as child elements; it must be escaped text (E-OMS-23)",
                )
                .requirement(requirement),
            );
            xml.clone()
        }
        None => child.text.clone(),
    }
}

fn read_parameter(
    op: Operation,
    el: &Element,
    wrapper_path: &str,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let requirement = op.param_requirement();
    let param = op.param_element();
    for child in &el.children {
        if Some(child.name.as_str()) != param {
            findings.push(
                Finding::violation(
                    rules::REQUEST_PARAMETER_UNEXPECTED,
                    format!("{wrapper_path}/{}", child.name),
                    format!("{} does not take {:?}", op.name(), child.name),
                )
                .requirement(requirement),
            );
        }
    }
    let name = param?;
    let path = format!("{wrapper_path}/{name}");
    let mut params = el.children_named(name);
    let Some(first) = params.next() else {
        findings.push(
            Finding::violation(
                rules::REQUEST_PARAMETER_MISSING,
                path,
                format!("{} without its {name} parameter", op.name()),
            )
            .requirement(requirement),
        );
        return None;
    };
    if params.next().is_some() {
        findings.push(
            Finding::violation(
                rules::REQUEST_PARAMETER_REPEATED,
                path.clone(),
                format!("{name} occurs more than once; the first is used"),
            )
            .requirement("OMS-R155"),
        );
    }
    Some(string_value(
        first,
        &path,
        rules::REQUEST_NOT_ESCAPED_TEXT,
        requirement,
        findings,
    ))
}

/// A response as a client reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OmsResponse {
    /// From the envelope namespace.
    pub version: SoapVersion,
    pub body: ResponseBody,
    pub findings: Vec<Finding>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponseBody {
    /// The unescaped payload text.
    Result(String),
    Fault(Fault),
}

/// Client side. Findings (OMS-R155, OMS-R109/R127/R140/R145): wrong response element name or
/// namespace, missing or repeated result element, result carried as child elements instead of
/// escaped text (`result.notEscapedText`: still return the child's XML as the payload so later
/// checks can continue), envelope version different from `expected` (`soap.version.mismatch`,
/// R004). A Content-Type that is not SOAP is a finding, not an error: the body may still be
/// readable. A body without result element yields the text of the wrapper's only child if
/// there is exactly one, else an empty payload.
pub fn parse_response(
    op: Operation,
    expected: SoapVersion,
    headers: &[(String, String)],
    body: &str,
) -> Result<OmsResponse, LayerError> {
    let env = parse_envelope(body, Limits::default())?;
    let mut findings = env.findings;
    match detect(headers) {
        Err(e) => findings.push(
            Finding::violation(rules::SOAP_CONTENT_TYPE_INVALID, "/", e.message)
                .requirement("OMS-R004"),
        ),
        Ok((announced, _)) if announced != env.version => findings.push(
            Finding::violation(
                rules::SOAP_VERSION_CONTENT_TYPE,
                "/Envelope",
                format!(
                    "Content-Type announces {} but the envelope is {}",
                    announced.label(),
                    env.version.label()
                ),
            )
            .requirement("OMS-R004"),
        ),
        Ok(_) => {}
    }
    if env.version != expected {
        findings.push(
            Finding::violation(
                rules::SOAP_VERSION_MISMATCH,
                "/Envelope",
                format!(
                    "the request was {} but the response is {}",
                    expected.label(),
                    env.version.label()
                ),
            )
            .requirement("OMS-R004"),
        );
    }
    let el = match env.body {
        Body::Fault(f) => {
            return Ok(OmsResponse {
                version: env.version,
                body: ResponseBody::Fault(f),
                findings,
            })
        }
        Body::Empty => {
            return Err(LayerError::new(
                Layer::Envelope,
                format!("empty Body; expected {}", op.response_element()),
            ))
        }
        Body::Element(el) => el,
    };
    let wrapper_path = format!("/Envelope/Body/{}", el.name);
    if el.name != op.response_element() {
        findings.push(
            Finding::violation(
                rules::RESPONSE_ELEMENT_WRONG,
                wrapper_path.clone(),
                format!("expected {}, found {}", op.response_element(), el.name),
            )
            .requirement("OMS-R155"),
        );
    }
    check_namespace(el.namespace.as_deref(), &wrapper_path, &mut findings);
    let result_name = op.result_element();
    let requirement = op.result_requirement();
    for child in el.children.iter().filter(|c| c.name != result_name) {
        findings.push(
            Finding::violation(
                rules::RESULT_UNEXPECTED,
                format!("{wrapper_path}/{}", child.name),
                format!("{} holds only {result_name}", op.response_element()),
            )
            .requirement(requirement),
        );
    }
    let mut results = el.children_named(&result_name);
    let chosen = match results.next() {
        Some(first) => {
            if results.next().is_some() {
                findings.push(
                    Finding::violation(
                        rules::RESULT_REPEATED,
                        format!("{wrapper_path}/{result_name}"),
                        format!("{result_name} occurs more than once; the first is used"),
                    )
                    .requirement(requirement),
                );
            }
            Some(first)
        }
        None => {
            findings.push(
                Finding::violation(
                    rules::RESULT_MISSING,
                    format!("{wrapper_path}/{result_name}"),
                    format!("no {result_name} element"),
                )
                .requirement(requirement),
            );
            match el.children.as_slice() {
                [only] => Some(only),
                _ => None,
            }
        }
    };
    let payload = match chosen {
        Some(child) => {
            let path = format!("{wrapper_path}/{}", child.name);
            string_value(
                child,
                &path,
                rules::RESULT_NOT_ESCAPED_TEXT,
                requirement,
                &mut findings,
            )
        }
        None => String::new(),
    };
    Ok(OmsResponse {
        version: env.version,
        body: ResponseBody::Result(payload),
        findings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soap::SOAP11_ENVELOPE_NS;
    use rstest::rstest;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn rules_of(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.rule).collect()
    }

    const PAYLOAD: &str =
        "<?xml version=\"1.0\" encoding=\"utf-16\"?><x a=\"&quot;]]>\">&amp; \u{4f60}</x>";

    #[rstest]
    fn request_round_trip(
        #[values(
            Operation::GetUserInfo,
            Operation::DeliverXms,
            Operation::SendXms,
            Operation::DeliverXmsBatch
        )]
        op: Operation,
        #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
    ) {
        let req = request(op, version, Some(PAYLOAD));
        let parsed = parse_request(&req.headers, &req.body).unwrap();
        assert_eq!(parsed.findings, vec![]);
        assert_eq!(parsed.op, op);
        assert_eq!(parsed.version, version);
        assert_eq!(parsed.action, Some(op.action()));
        assert_eq!(parsed.payload.as_deref(), Some(PAYLOAD));
    }

    #[rstest]
    fn response_round_trip(
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
        let resp = response(op, version, PAYLOAD);
        assert_eq!(resp.status, 200);
        let parsed = parse_response(op, version, &resp.headers, &resp.body).unwrap();
        assert_eq!(parsed.findings, vec![]);
        assert_eq!(parsed.body, ResponseBody::Result(PAYLOAD.to_owned()));
    }

    #[test]
    fn get_service_info_request_is_the_empty_element() {
        let req = request(Operation::GetServiceInfo, SoapVersion::V11, None);
        assert!(req.body.contains(
            "<GetServiceInfo xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"/>"
        ));
        let parsed = parse_request(&req.headers, &req.body).unwrap();
        assert_eq!(parsed.op, Operation::GetServiceInfo);
        assert_eq!(parsed.payload, None);
        assert_eq!(parsed.findings, vec![]);
    }

    fn soap11(body: &str) -> String {
        format!("<s:Envelope xmlns:s=\"{SOAP11_ENVELOPE_NS}\"><s:Body>{body}</s:Body></s:Envelope>")
    }

    fn headers_for(op: Operation) -> Vec<(String, String)> {
        request_headers(SoapVersion::V11, &op.action())
    }

    #[rstest]
    #[case::action_mismatch(headers_for(Operation::DeliverXmsBatch), "<DeliverXms xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><xmsData>x</xmsData></DeliverXms>", &[rules::SOAP_ACTION_MISMATCH][..])]
    #[case::action_missing(h(&[("Content-Type", "text/xml")]), "<DeliverXms xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><xmsData>x</xmsData></DeliverXms>", &[rules::SOAP_ACTION_MISSING][..])]
    #[case::wrapper_namespace(headers_for(Operation::DeliverXms), "<DeliverXms><xmsData>x</xmsData></DeliverXms>", &[rules::SOAP_WRAPPER_NAMESPACE, rules::SOAP_WRAPPER_NAMESPACE][..])]
    #[case::param_missing(headers_for(Operation::DeliverXms), "<DeliverXms xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"/>", &[rules::REQUEST_PARAMETER_MISSING][..])]
    #[case::param_repeated(headers_for(Operation::DeliverXms), "<DeliverXms xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><xmsData>x</xmsData><xmsData>y</xmsData></DeliverXms>", &[rules::REQUEST_PARAMETER_REPEATED][..])]
    #[case::param_unexpected(headers_for(Operation::GetServiceInfo), "<GetServiceInfo xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><x/></GetServiceInfo>", &[rules::REQUEST_PARAMETER_UNEXPECTED][..])]
    #[case::not_escaped(headers_for(Operation::DeliverXms), "<DeliverXms xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><xmsData><xmsData/></xmsData></DeliverXms>", &[rules::REQUEST_NOT_ESCAPED_TEXT][..])]
    #[case::version_content_type(request_headers(SoapVersion::V12, &Operation::DeliverXms.action()), "<DeliverXms xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><xmsData>x</xmsData></DeliverXms>", &[rules::SOAP_VERSION_CONTENT_TYPE][..])]
    fn request_findings(
        #[case] headers: Vec<(String, String)>,
        #[case] body: &str,
        #[case] expected: &[&str],
    ) {
        let parsed = parse_request(&headers, &soap11(body)).unwrap();
        assert_eq!(rules_of(&parsed.findings), expected);
    }

    #[test]
    fn unescaped_parameter_still_yields_a_document() {
        let body = soap11("<DeliverXms xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><xmsData><xmsData client=\"c\"><xmsBody format=\"SMS\"/></xmsData></xmsData></DeliverXms>");
        let parsed = parse_request(&headers_for(Operation::DeliverXms), &body).unwrap();
        let payload = parsed.payload.unwrap();
        let doc = crate::oms::XmsData::parse(&payload).unwrap();
        assert_eq!(doc.value.client.as_deref(), Some("c"));
    }

    #[rstest]
    #[case::unknown_operation(
        "<Nope xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"/>"
    )]
    #[case::empty_body("")]
    #[case::fault("<s:Fault><faultcode>s:Client</faultcode><faultstring>x</faultstring></s:Fault>")]
    fn unreadable_requests(#[case] body: &str) {
        let err = parse_request(&headers_for(Operation::DeliverXms), &soap11(body)).unwrap_err();
        assert_eq!(err.layer, Layer::Envelope);
    }

    #[test]
    fn non_soap_content_type_is_an_http_error() {
        let err = parse_request(&h(&[("Content-Type", "application/json")]), "{}").unwrap_err();
        assert_eq!(err.layer, Layer::Http);
    }

    fn resp_headers() -> Vec<(String, String)> {
        h(&[("Content-Type", "text/xml; charset=utf-8")])
    }

    #[rstest]
    #[case::wrong_element("<DeliverXmsBatchResponse xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><DeliverXmsBatchResult>p</DeliverXmsBatchResult></DeliverXmsBatchResponse>", &[rules::RESPONSE_ELEMENT_WRONG, rules::RESULT_UNEXPECTED, rules::RESULT_MISSING][..], "p")]
    #[case::no_namespace("<DeliverXmsResponse><DeliverXmsResult>p</DeliverXmsResult></DeliverXmsResponse>", &[rules::SOAP_WRAPPER_NAMESPACE, rules::SOAP_WRAPPER_NAMESPACE][..], "p")]
    #[case::missing("<DeliverXmsResponse xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"/>", &[rules::RESULT_MISSING][..], "")]
    #[case::repeated("<DeliverXmsResponse xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><DeliverXmsResult>a</DeliverXmsResult><DeliverXmsResult>b</DeliverXmsResult></DeliverXmsResponse>", &[rules::RESULT_REPEATED][..], "a")]
    #[case::not_escaped("<DeliverXmsResponse xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><DeliverXmsResult><xmsResponse><error code=\"ok\" severity=\"neutral\"/></xmsResponse></DeliverXmsResult></DeliverXmsResponse>", &[rules::RESULT_NOT_ESCAPED_TEXT][..], "<xmsResponse xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><error code=\"ok\" severity=\"neutral\"></error></xmsResponse>")]
    fn response_findings(#[case] body: &str, #[case] expected: &[&str], #[case] payload: &str) {
        let parsed = parse_response(
            Operation::DeliverXms,
            SoapVersion::V11,
            &resp_headers(),
            &soap11(body),
        )
        .unwrap();
        assert_eq!(rules_of(&parsed.findings), expected);
        assert_eq!(parsed.body, ResponseBody::Result(payload.to_owned()));
    }

    #[test]
    fn version_mismatch_and_bad_content_type() {
        let resp = response(Operation::DeliverXms, SoapVersion::V12, "p");
        let parsed = parse_response(
            Operation::DeliverXms,
            SoapVersion::V11,
            &h(&[("Content-Type", "text/html")]),
            &resp.body,
        )
        .unwrap();
        assert_eq!(
            rules_of(&parsed.findings),
            [
                rules::SOAP_CONTENT_TYPE_INVALID,
                rules::SOAP_VERSION_MISMATCH
            ]
        );
        assert_eq!(parsed.version, SoapVersion::V12);
    }

    #[rstest]
    #[case(SoapVersion::V11, FaultCode::Client, 500)]
    #[case(SoapVersion::V11, FaultCode::Server, 500)]
    #[case(SoapVersion::V12, FaultCode::Client, 400)]
    #[case(SoapVersion::V12, FaultCode::Server, 500)]
    fn faults(#[case] version: SoapVersion, #[case] code: FaultCode, #[case] status: u16) {
        let resp = fault_response(version, code, "no");
        assert_eq!(resp.status, status);
        let parsed =
            parse_response(Operation::GetUserInfo, version, &resp.headers, &resp.body).unwrap();
        let ResponseBody::Fault(f) = parsed.body else {
            panic!("expected a fault")
        };
        assert_eq!(f.code_kind(), Some(code));
        assert_eq!(f.reason, "no");
        assert_eq!(parsed.findings, vec![]);
    }

    #[test]
    fn empty_body_response_is_an_envelope_error() {
        let err = parse_response(
            Operation::DeliverXms,
            SoapVersion::V11,
            &resp_headers(),
            &soap11(""),
        )
        .unwrap_err();
        assert_eq!(err.layer, Layer::Envelope);
    }
}
