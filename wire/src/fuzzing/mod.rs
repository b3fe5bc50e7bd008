//! Entry points for the fuzz targets in `fuzz/` (see `fuzz/README.md`).
//!
//! Each function takes the raw bytes a peer could send and drives them through the readers
//! that see them in a real run, followed by what the suites do next with what was read
//! (validators, the client's interpretation, writing the value back). They live here rather
//! than in the fuzz package so that `cargo test` keeps them compiling and runs them over seed
//! documents (`wire/tests/fuzz_regressions.rs`) on stable, without cargo-fuzz.
//!
//! The readers must never panic, whatever the input: a panic here is a bug in the reader.
//! Besides "does not panic", the entry points check a few invariants of the codecs
//! themselves and panic when one breaks, because that is how a fuzzer learns of it:
//!
//! * a reader's `Err` names the layer it was reading (the embedded document, the envelope,
//!   the HTTP binding or the MIME message), as the suites' verdicts rely on it;
//! * whatever a payload reader accepted, its canonical writer writes back a document that
//!   reads again as the same value: the mocks answer with values they read, so a value the
//!   writer cannot carry would make a mock send broken XML.
//!
//! Peer input is bytes. Readers that take `&str` get the bytes as they are when they are
//! UTF-8, and a lossy decoding otherwise, so invalid UTF-8 still reaches the XML reader (the
//! HTTP layer decodes bodies the same way before parsing).

pub mod seeds;

use std::borrow::Cow;
use std::fmt::Debug;

use crate::finding::{Layer, LayerError, Parsed};
use crate::mail::{check_reply, parse_address_list, ExpectedReply, ReplyExpectation};
use crate::oms::{
    interpret, parse_request, parse_response, DeliveryError, Operation, ResponseBody, ServiceInfo,
    UserInfo, XmsBatch, XmsData, XmsResponse, XmsResponses, XmsUser,
};
use crate::soap::{self, SoapVersion};
use crate::xml::Limits;

/// A fuzz entry point: takes arbitrary bytes, returns nothing, panics only on a bug.
pub type Target = fn(&[u8]);

/// Every entry point with the name of its fuzz target (`fuzz/fuzz_targets/<name>.rs`) and of
/// its seed directory (`fuzz/corpus/<name>/`).
pub const TARGETS: &[(&str, Target)] = &[
    ("service_info", service_info),
    ("user", user),
    ("xms_data", xms_data),
    ("xms_response", xms_response),
    ("batch", batch),
    ("soap_envelope", soap_envelope),
    ("reply_mail", reply_mail),
];

/// Recipients the reference client would have sent: the numbers of the 4.3 example, the same
/// ones the xmsResponse vectors interpret against.
const SENT_RECIPIENTS: [&str; 3] = ["13601391354", "13601391388", "13900000000"];

/// The input as text: unchanged when it is UTF-8, lossily decoded when it is not.
fn text(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// An `Err` from a payload reader must name that payload as its layer.
fn expect_payload_layer(root: &'static str, err: &LayerError) {
    assert!(
        err.layer == Layer::Payload(root),
        "{root} reader failed with layer {:?}: {}",
        err.layer,
        err.message
    );
}

/// At most this much of a document goes into a panic message: enough to see the problem,
/// and a fuzzer's multi-megabyte input does not flood the terminal.
const SHOWN: usize = 2000;

fn shown(text: &str) -> &str {
    let mut end = text.len().min(SHOWN);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Reads `text` with `parse`; on success writes the value back with `write` and checks the
/// written document reads as the same value. Returns the value read, if any.
///
/// The canonical form may be longer than what was read (`<a></a>` for `<a/>`, character
/// references for whitespace in attributes), so a document near the reader's size limit can
/// be written past it; that is the limit at work, not a writer bug, and is not judged.
fn read_and_reread<T: PartialEq + Debug>(
    root: &'static str,
    text: &str,
    parse: fn(&str) -> Result<Parsed<T>, LayerError>,
    write: fn(&T) -> String,
) -> Option<T> {
    match parse(text) {
        Ok(parsed) => {
            let written = write(&parsed.value);
            if written.len() > Limits::default().max_bytes {
                return Some(parsed.value);
            }
            match parse(&written) {
                Ok(again) => assert!(
                    again.value == parsed.value,
                    "{root}: the written document reads as a different value\n\
                     read:    {}\nwritten: {}\nre-read: {}",
                    shown(&format!("{:?}", parsed.value)),
                    shown(&written),
                    shown(&format!("{:?}", again.value))
                ),
                Err(e) => panic!(
                    "{root}: the writer produced a document its reader refuses: {}\n{}",
                    e.message,
                    shown(&written)
                ),
            }
            Some(parsed.value)
        }
        Err(e) => {
            expect_payload_layer(root, &e);
            None
        }
    }
}

fn service_info_text(text: &str) {
    if let Some(info) =
        read_and_reread("serviceInfo", text, ServiceInfo::parse, ServiceInfo::to_xml)
    {
        let _ = info.consistency_findings();
    }
}

fn xms_user_text(text: &str) {
    read_and_reread("xmsUser", text, XmsUser::parse, XmsUser::to_xml);
}

fn user_info_text(text: &str) {
    read_and_reread("userInfo", text, UserInfo::parse, UserInfo::to_xml);
}

fn xms_data_text(text: &str) {
    if let Some(data) = read_and_reread("xmsData", text, XmsData::parse, XmsData::to_xml) {
        let _ = data.validate_references();
        let _ = data.recipients();
    }
}

/// What the reference client does with a delivery result: pairing rules, then the
/// interpretation against the recipients it sent.
fn delivery_errors(errors: &[DeliveryError]) {
    let _ = crate::oms::pairing_findings(errors);
    let sent: Vec<String> = SENT_RECIPIENTS.iter().map(|r| (*r).to_owned()).collect();
    let _ = interpret(errors, &sent);
}

fn xms_response_text(text: &str) {
    if let Some(response) =
        read_and_reread("xmsResponse", text, XmsResponse::parse, XmsResponse::to_xml)
    {
        let _ = response.pairing_findings();
        delivery_errors(&response.errors);
    }
}

fn xms_batch_text(text: &str) {
    if let Some(batch) = read_and_reread("xmsBatch", text, XmsBatch::parse, XmsBatch::to_xml) {
        let _ = batch.ids();
        for item in &batch.items {
            let _ = item.body.semantic_findings("/xmsBatch/xmsData/xmsBody");
        }
    }
}

fn xms_responses_text(text: &str) {
    if let Some(responses) = read_and_reread(
        "xmsResponses",
        text,
        XmsResponses::parse,
        XmsResponses::to_xml,
    ) {
        let _ = responses.pairing_findings();
        let ids: Vec<u32> = responses.items.iter().map(|i| i.id).collect();
        let _ = responses.coverage_findings(&ids);
        for item in &responses.items {
            delivery_errors(&item.errors);
        }
    }
}

/// serviceInfo, the result of GetServiceInfo a server under test returns.
pub fn service_info(data: &[u8]) {
    service_info_text(&text(data));
}

/// xmsUser (a client's GetUserInfo parameter) and userInfo (a server's answer): one target,
/// since both are small documents of the same schema module and the seeds hold both.
pub fn user(data: &[u8]) {
    let text = text(data);
    xms_user_text(&text);
    user_info_text(&text);
}

/// xmsData, the DeliverXms/SendXms parameter a client under test sends.
pub fn xms_data(data: &[u8]) {
    xms_data_text(&text(data));
}

/// xmsResponse, a server's DeliverXms/SendXms result, through pairing and interpretation.
pub fn xms_response(data: &[u8]) {
    xms_response_text(&text(data));
}

/// xmsBatch (a client's DeliverXmsBatch parameter) and xmsResponses (a server's answer).
pub fn batch(data: &[u8]) {
    let text = text(data);
    xms_batch_text(&text);
    xms_responses_text(&text);
}

/// Splits `data` into HTTP headers and body: `Name: value` lines up to the first empty line,
/// then the body. Input without an empty line is all body, sent with SOAP 1.1 DeliverXms
/// headers, so plain envelopes work as seeds too.
fn http_message(data: &[u8]) -> (Vec<(String, String)>, Cow<'_, str>) {
    let blank = data
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| (i, i + 2))
        .or_else(|| {
            data.windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map(|i| (i, i + 4))
        });
    let Some((head_end, body_start)) = blank else {
        let headers = soap::request_headers(SoapVersion::V11, &Operation::DeliverXms.action());
        return (headers, text(data));
    };
    let head = text(&data[..head_end]);
    let headers = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    (headers, text(&data[body_start..]))
}

/// The payload reader for the document a request parameter or response result carries.
fn payload_reader(root: &str) -> Option<fn(&str)> {
    Some(match root {
        "serviceInfo" => service_info_text,
        "xmsUser" => xms_user_text,
        "userInfo" => user_info_text,
        "xmsData" => xms_data_text,
        "xmsResponse" => xms_response_text,
        "xmsBatch" => xms_batch_text,
        "xmsResponses" => xms_responses_text,
        _ => return None,
    })
}

/// An HTTP SOAP message (see `http_message` for the framing): the server side reads it as a
/// request, the client side as the response of each operation whose response element it
/// names (GetServiceInfo when it names none), and the payload found goes on to its reader,
/// as in a real exchange.
pub fn soap_envelope(data: &[u8]) {
    let (headers, body) = http_message(data);
    let _ = soap::detect(&headers);
    match parse_request(&headers, &body) {
        Ok(request) => {
            if let (Some(payload), Some(root)) = (&request.payload, request.op.payload_in()) {
                if let Some(read) = payload_reader(root) {
                    read(payload);
                }
            }
        }
        Err(e) => assert!(
            matches!(e.layer, Layer::Envelope | Layer::Http),
            "parse_request failed with layer {:?}: {}",
            e.layer,
            e.message
        ),
    }
    let mut ops: Vec<Operation> = Operation::ALL
        .into_iter()
        .filter(|op| body.contains(&op.response_element()))
        .collect();
    if ops.is_empty() {
        ops.push(Operation::GetServiceInfo);
    }
    for op in ops {
        match parse_response(op, SoapVersion::V11, &headers, &body) {
            Ok(response) => {
                if let ResponseBody::Result(payload) = &response.body {
                    if let Some(read) = payload_reader(op.payload_out()) {
                        read(payload);
                    }
                }
            }
            Err(e) => assert!(
                e.layer == Layer::Envelope,
                "parse_response failed with layer {:?}: {}",
                e.layer,
                e.message
            ),
        }
    }
}

/// A reply mail as the SMTP sink stores it (unstuffed DATA, CRLF line ends), checked against
/// a text-reply and an MMS-reply expectation, plus the address-list reader on the same bytes.
pub fn reply_mail(data: &[u8]) {
    let expectations = [
        ExpectedReply::Text {
            text: "hello".to_owned(),
        },
        ExpectedReply::Mms {
            subject: "Photo".to_owned(),
            smil: true,
            media_types: vec!["image/gif".to_owned(), "audio/mid".to_owned()],
        },
    ];
    for kind in expectations {
        let expected = ReplyExpectation {
            to: "someone@example.com".to_owned(),
            phone: Some("+8613601391354".to_owned()),
            kind,
        };
        if let Err(e) = check_reply(data, &expected) {
            assert!(
                e.layer == Layer::Mime,
                "check_reply failed with layer {:?}: {}",
                e.layer,
                e.message
            );
        }
    }
    let _ = parse_address_list(&text(data));
}
