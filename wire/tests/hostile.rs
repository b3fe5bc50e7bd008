//! Hostile input: whatever a peer sends, every reader answers with a value or a clean
//! `LayerError` naming the broken layer; nothing panics, nothing expands entities, nothing
//! recurses on the peer's nesting depth.

use oxconf_wire::oms::{
    self, Operation, ServiceInfo, UserInfo, XmsBatch, XmsData, XmsResponse, XmsResponses, XmsUser,
};
use oxconf_wire::soap::{self, SoapVersion};
use oxconf_wire::xml::Limits;
use oxconf_wire::{Layer, LayerError};
use proptest::prelude::*;
use rstest::rstest;

type Reader = fn(&str) -> Result<(), LayerError>;

/// Every payload reader, with the layer its errors must name.
fn payload_readers() -> Vec<(&'static str, Reader)> {
    vec![
        ("serviceInfo", |t| ServiceInfo::parse(t).map(drop)),
        ("xmsUser", |t| XmsUser::parse(t).map(drop)),
        ("userInfo", |t| UserInfo::parse(t).map(drop)),
        ("xmsData", |t| XmsData::parse(t).map(drop)),
        ("xmsResponse", |t| XmsResponse::parse(t).map(drop)),
        ("xmsBatch", |t| XmsBatch::parse(t).map(drop)),
        ("xmsResponses", |t| XmsResponses::parse(t).map(drop)),
    ]
}

fn soap_headers() -> Vec<(String, String)> {
    soap::request_headers(SoapVersion::V11, &Operation::DeliverXms.action())
}

const BILLION_LAUGHS: &str = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><lolz>&lol3;</lolz>";
const EXTERNAL_ENTITY: &str = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xmsData>&e;</xmsData>";

fn deep(depth: usize) -> String {
    format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth))
}

fn garbage_inputs() -> Vec<(&'static str, String)> {
    let valid = oms::XmsResponse {
        errors: vec![oms::DeliveryError::ok()],
    }
    .to_xml();
    let mut inputs = vec![
        ("empty", String::new()),
        ("whitespace", "   \n\t".to_owned()),
        ("binary", "\u{0}\u{1}\u{2}\u{fffd}".to_owned()),
        (
            "http_status_line",
            "HTTP/1.1 500 Internal Server Error".to_owned(),
        ),
        ("json", "{\"error\":\"ok\"}".to_owned()),
        ("html", "<html><body><p>oops</body></html>".to_owned()),
        ("billion_laughs", BILLION_LAUGHS.to_owned()),
        ("external_entity", EXTERNAL_ENTITY.to_owned()),
        ("deep_nesting", deep(100_000)),
        ("unclosed_deep_nesting", "<a>".repeat(100_000)),
        (
            "too_large",
            format!("<x>{}</x>", "y".repeat(10 * 1024 * 1024)),
        ),
        ("only_declaration", "<?xml version=\"1.0\"?>".to_owned()),
        ("undeclared_prefix", "<p:xmsResponse/>".to_owned()),
    ];
    for cut in [1, 10, valid.len() / 2, valid.len() - 1] {
        inputs.push(("truncated", valid[..cut].to_owned()));
    }
    inputs
}

#[test]
fn payload_readers_refuse_garbage_with_their_own_layer() {
    for (root, read) in payload_readers() {
        for (label, input) in garbage_inputs() {
            let err = read(&input).expect_err(&format!("{root} accepted {label}"));
            assert_eq!(err.layer, Layer::Payload(root), "{root} / {label}: {err}");
            assert!(!err.message.is_empty());
        }
    }
}

#[test]
fn envelope_reader_refuses_garbage_with_the_envelope_layer() {
    for (label, input) in garbage_inputs() {
        let err = soap::parse_envelope(&input, Limits::default())
            .expect_err(&format!("envelope accepted {label}"));
        assert_eq!(err.layer, Layer::Envelope, "{label}: {err}");
        let err = oms::parse_request(&soap_headers(), &input).expect_err(label);
        assert_eq!(err.layer, Layer::Envelope, "{label}: {err}");
        let err = oms::parse_response(
            Operation::DeliverXms,
            SoapVersion::V11,
            &soap_headers(),
            &input,
        )
        .expect_err(label);
        assert_eq!(err.layer, Layer::Envelope, "{label}: {err}");
    }
}

#[test]
fn entity_bombs_are_refused_not_expanded() {
    let err = XmsData::parse(BILLION_LAUGHS).unwrap_err();
    assert!(
        err.message.contains("DTD") || err.message.contains("not well-formed"),
        "{err}"
    );
}

#[test]
fn limits_bound_the_envelope() {
    let err = soap::parse_envelope(
        &deep(1000),
        Limits {
            max_bytes: 1 << 20,
            max_nodes: 100,
        },
    )
    .unwrap_err();
    assert_eq!(err.layer, Layer::Envelope);
}

/// The payload layer sits inside a readable envelope: an escaped bomb reaches the payload
/// reader as text and is refused there, naming the payload.
#[test]
fn escaped_bomb_is_a_payload_error() {
    let req = oms::request(
        Operation::DeliverXms,
        SoapVersion::V12,
        Some(BILLION_LAUGHS),
    );
    let parsed = oms::parse_request(&req.headers, &req.body).unwrap();
    assert!(parsed.findings.is_empty());
    let err = XmsData::parse(parsed.payload.as_deref().unwrap()).unwrap_err();
    assert_eq!(err.layer, Layer::Payload("xmsData"));
}

/// A parameter sent as a deeply nested element tree is re-serialised without recursion.
#[test]
fn deep_unescaped_parameter_does_not_exhaust_the_stack() {
    let body = soap::write_envelope(
        SoapVersion::V11,
        &format!(
            "<DeliverXms xmlns=\"{}\"><xmsData>{}</xmsData></DeliverXms>",
            oms::OMS_NS,
            deep(100_000)
        ),
    );
    let parsed = oms::parse_request(&soap_headers(), &body).unwrap();
    assert!(parsed
        .findings
        .iter()
        .any(|f| f.rule == oms::rules::REQUEST_NOT_ESCAPED_TEXT));
    let err = XmsData::parse(parsed.payload.as_deref().unwrap()).unwrap_err();
    assert_eq!(err.layer, Layer::Payload("xmsData"));
}

/// Deep nesting inside a well-formed document of the right type is read, reported, and not
/// descended into.
#[test]
fn deep_nesting_inside_a_valid_root_is_a_finding() {
    let xml = format!(
        "<xmsResponse xmlns=\"{}\"><error code=\"ok\" severity=\"neutral\"><content>{}</content></error></xmsResponse>",
        oms::OMS_NS,
        deep(100_000)
    );
    let parsed = XmsResponse::parse(&xml).unwrap();
    assert!(parsed.has_rule(oms::rules::SCHEMA_CHILDREN_UNEXPECTED));
}

#[test]
fn huge_but_allowed_text_is_read() {
    let text = "\u{4e2d}".repeat(2 * 1024 * 1024);
    let xml = format!(
        "<xmsData xmlns=\"{}\"><xmsBody format=\"SMS\"><content contentType=\"text/plain\" contentId=\"a\" contentLocation=\"a\">{text}</content></xmsBody></xmsData>",
        oms::OMS_NS
    );
    let parsed = XmsData::parse(&xml).unwrap();
    assert_eq!(parsed.value.body.contents[0].text.len(), text.len());
}

#[rstest]
#[case::no_content_type(vec![])]
#[case::html(vec![("Content-Type".to_owned(), "text/html".to_owned())])]
fn requests_without_soap_content_type_are_http_errors(#[case] headers: Vec<(String, String)>) {
    let req = oms::request(Operation::GetServiceInfo, SoapVersion::V11, None);
    let err = oms::parse_request(&headers, &req.body).unwrap_err();
    assert_eq!(err.layer, Layer::Http);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_reader_panics_on_arbitrary_text(text in any::<String>()) {
        for (_, read) in payload_readers() {
            let _ = read(&text);
        }
        let _ = soap::parse_envelope(&text, Limits::default());
        let _ = oms::parse_request(&soap_headers(), &text);
        let _ = oms::parse_response(Operation::GetServiceInfo, SoapVersion::V12, &[], &text);
        let _ = soap::detect(&[("Content-Type".to_owned(), text.clone()), ("SOAPAction".to_owned(), text.clone())]);
        let _ = oms::schedule::parse_utc(&text);
    }

    /// Arbitrary markup-like text: tags and attributes from the OMS vocabulary in random order.
    #[test]
    fn no_reader_panics_on_oms_shaped_noise(parts in proptest::collection::vec(
        prop_oneof![
            Just("<xmsData xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\">"),
            Just("<xmsBody format=\"MMS\">"), Just("</xmsBody>"), Just("<mmsSlides>"), Just("</mmsSlides>"),
            Just("<head>"), Just("</head>"), Just("<layout>"), Just("</layout>"), Just("<body>"), Just("</body>"),
            Just("<par dur=\"x\">"), Just("</par>"), Just("<img src=\"cid:\" region=\"\"/>"),
            Just("<region id=\"Text\"/>"), Just("<root-layout/>"), Just("<content contentType=\"image/gif\">"),
            Just("</content>"), Just("<error code=\"ok\"/>"), Just("<xmsHead><to>"), Just("</to></xmsHead>"),
            Just("<recipient/>"), Just("text"), Just("&amp;"), Just("</xmsData>"),
        ],
        0..40,
    )) {
        let text = parts.concat();
        for (_, read) in payload_readers() {
            let _ = read(&text);
        }
    }
}
