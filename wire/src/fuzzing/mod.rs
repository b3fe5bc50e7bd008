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
//!
//! The binary readers (RopNotify NotificationData, ROP buffers, the MAPI/HTTP stream and
//! bodies) have invariants of their own: an error's offset lies within the input, and what a
//! reader accepted writes back byte for byte, except where the model deliberately does not
//! keep the input's exact bytes (each exception is named where it is checked).

pub mod seeds;

use std::borrow::Cow;
use std::fmt::Debug;

use crate::binary::{hex, BinError};
use crate::cnotif;
use crate::ews::{self, EwsRequest, EwsResponse, ListenerAnswer, Prefixes, Received};
use crate::finding::{Layer, LayerError, Parsed};
use crate::mail::{check_reply, parse_address_list, ExpectedReply, ReplyExpectation};
use crate::mapihttp::{self, Body, ConnectRequest, ExecuteRequest, StreamLimits, StreamReader};
use crate::oms::{
    interpret, parse_request, parse_response, DeliveryError, Operation, ResponseBody, ServiceInfo,
    UserInfo, XmsBatch, XmsData, XmsResponse, XmsResponses, XmsUser,
};
use crate::rop::{self, RopRequest, RopResponse};
use crate::soap::{self, FaultCode, SoapVersion};
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
    ("ropnotify", ropnotify),
    ("rop_buffer", rop_buffer),
    ("mapihttp_stream", mapihttp_stream),
    ("ews_notification", ews_notification),
    ("ews_answer", ews_answer),
    ("ews_request", ews_request),
    ("ews_response", ews_response),
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

// ---- binary readers: RopNotify, ROP buffers, MAPI/HTTP ----

/// The input in hex for a panic message, cut like `shown`.
fn shown_hex(data: &[u8]) -> String {
    hex(&data[..data.len().min(SHOWN / 2)])
}

/// A binary reader's error must point into the input (or just past its end, for "ends too
/// soon").
fn expect_offset_within(what: &str, offset: usize, data: &[u8]) {
    assert!(
        offset <= data.len(),
        "{what}: error offset {offset} is past the end of a {}-byte input\n{}",
        data.len(),
        shown_hex(data)
    );
}

fn bin_error(what: &str, err: &BinError, data: &[u8]) {
    expect_offset_within(what, err.offset(), data);
}

/// A NotificationData buffer, as a RopNotify response carries it (without the ROP header):
/// the strict decoder, the prefix decoder a ROP buffer reader uses, and the annotated dump.
///
/// Whatever decodes encodes back to the same bytes (the codec keeps every field, and the
/// MessageClass and TableRowData raw), and its canonical JSON reads back into a value that
/// encodes to them too: the vectors' expected decodes and `oxconf`'s encoder input go
/// through `from_json`.
pub fn ropnotify(data: &[u8]) {
    match cnotif::decode(data) {
        Ok(n) => {
            let encoded = n.encode().unwrap_or_else(|e| {
                panic!(
                    "ropnotify: a decoded NotificationData does not encode: {e}\ninput: {}\n{n:?}",
                    shown_hex(data)
                )
            });
            assert!(
                encoded == data,
                "ropnotify: a decoded NotificationData encodes to other bytes\n\
                 input:   {}\nencoded: {}\n{n:?}",
                shown_hex(data),
                shown_hex(&encoded)
            );
            let json = cnotif::to_json(&n);
            let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|e| {
                panic!("ropnotify: to_json wrote text that is not JSON: {e}\n{json}")
            });
            let back = cnotif::from_json(&value).unwrap_or_else(|e| {
                panic!(
                    "ropnotify: from_json refuses what to_json wrote: {e}\n{json}\ninput: {}",
                    shown_hex(data)
                )
            });
            let again = back.encode().unwrap_or_else(|e| {
                panic!("ropnotify: the value from_json read does not encode: {e}\n{json}")
            });
            assert!(
                again == data,
                "ropnotify: the canonical JSON encodes to other bytes\n\
                 input: {}\nfrom JSON: {}\n{json}",
                shown_hex(data),
                shown_hex(&again)
            );
            let _ = n.presence_problems();
        }
        Err(e) => {
            expect_offset_within("ropnotify: decode", e.offset(), data);
            let _ = e.to_string();
        }
    }
    match cnotif::decode_prefix(data) {
        Ok((n, used)) => {
            assert!(
                used <= data.len(),
                "ropnotify: decode_prefix used {used} bytes of {}\n{}",
                data.len(),
                shown_hex(data)
            );
            match cnotif::decode(&data[..used]) {
                Ok(alone) => assert!(
                    alone == n,
                    "ropnotify: the prefix decoded alone reads differently\n{}\n{n:?}\n{alone:?}",
                    shown_hex(data)
                ),
                Err(e) => panic!(
                    "ropnotify: the {used}-byte prefix decode_prefix accepted does not decode \
                     alone: {e}\n{}",
                    shown_hex(data)
                ),
            }
        }
        Err(e) => expect_offset_within("ropnotify: decode_prefix", e.offset(), data),
    }
    let (fields, result) = cnotif::annotate(data);
    let mut next = 0;
    for field in &fields {
        assert!(
            field.offset == next && field.len <= data.len() - field.offset.min(data.len()),
            "ropnotify: annotate's field {} at {}+{} does not follow the previous one (end {next}) \
             within the {}-byte input\n{}",
            field.name,
            field.offset,
            field.len,
            data.len(),
            shown_hex(data)
        );
        next = field.offset + field.len;
    }
    match result {
        Ok(()) => assert!(
            next == data.len(),
            "ropnotify: annotate accepted the buffer but its fields end at {next} of {}\n{}",
            data.len(),
            shown_hex(data)
        ),
        Err(e) => expect_offset_within("ropnotify: annotate", e.offset(), data),
    }
}

/// The bytes `write_requests` gives each request, and where the request was in `rops`.
/// Inputs the reader reads but the model does not keep byte for byte are allowed to write back
/// differently, and only in the one field concerned:
///
/// * RopLogon's ESSDN is kept as a `String` without its terminator, so an ESSDN that is not
///   UTF-8 or does not end in 0x00 writes back as its lossy decoding plus a terminator;
/// * RopRegisterNotification's WantWholeStore is kept as a `bool`, so a byte other than 0 or 1
///   writes back as 1.
fn requests_write_back(rops: &[u8], requests: &[RopRequest]) {
    let written = rop::write_requests(requests);
    if written == rops {
        return;
    }
    match rop::read_requests(&written) {
        Ok(again) => assert!(
            again == requests,
            "rop_buffer: written requests read back differently\n{}\n{requests:?}\n{again:?}",
            shown_hex(rops)
        ),
        Err(e) => panic!(
            "rop_buffer: write_requests wrote a RopsList read_requests refuses: {e}\n{}",
            shown_hex(&written)
        ),
    }
    let mut at = 0;
    for request in requests {
        let mut one = Vec::new();
        request.write(&mut one);
        let len = match request {
            RopRequest::Logon { .. } => rops
                .get(at + 12..at + 14)
                .map(|s| 14 + usize::from(u16::from_le_bytes([s[0], s[1]]))),
            _ => Some(one.len()),
        };
        let Some(raw) = len.and_then(|len| rops.get(at..at + len)) else {
            panic!(
                "rop_buffer: {} at offset {at} runs past the RopsList it was read from\n{}",
                request.name(),
                shown_hex(rops)
            );
        };
        if raw != one.as_slice() {
            let explained = match request {
                RopRequest::Logon { .. } => {
                    let essdn = &raw[14..];
                    let canonical = essdn.split_last().is_some_and(|(last, text)| {
                        *last == 0 && std::str::from_utf8(text).is_ok()
                    });
                    !canonical && raw[..12] == one[..12]
                }
                RopRequest::RegisterNotification { reserved, .. } => {
                    let i = 6 + usize::from(reserved.is_some());
                    let mut fixed = raw.to_vec();
                    fixed[i] = one[i];
                    raw[i] > 1 && fixed == one
                }
                _ => false,
            };
            assert!(
                explained,
                "rop_buffer: {} at offset {at} writes back as other bytes\n\
                 read:    {}\nwritten: {}",
                request.name(),
                shown_hex(raw),
                shown_hex(&one)
            );
        }
        at += raw.len();
    }
}

/// The same for responses, whose reader reports where each one starts. The model keeps
/// RopOpenFolder's IsGhosted and RopCreateMessage's HasMessageId as presence (`Option`), so a
/// byte other than 0 or 1 writes back as 1; nothing else may differ.
fn responses_write_back(rops: &[u8], responses: &[rop::Located<'_>]) {
    for (i, (at, response)) in responses.iter().enumerate() {
        let end = responses.get(i + 1).map_or(rops.len(), |(next, _)| *next);
        let Some(raw) = rops.get(*at..end) else {
            panic!(
                "rop_buffer: response offsets {at}..{end} are outside the {}-byte RopsList\n{}",
                rops.len(),
                shown_hex(rops)
            );
        };
        let mut one = Vec::new();
        if let Err(e) = response.write(&mut one) {
            panic!(
                "rop_buffer: a {} read from the RopsList does not write: {e}\n{}",
                response.name(),
                shown_hex(raw)
            );
        }
        if raw != one.as_slice() {
            let flag = match response {
                RopResponse::OpenFolder { .. } => Some(7),
                RopResponse::CreateMessage { .. } => Some(6),
                _ => None,
            };
            let explained = flag.is_some_and(|f| {
                let mut fixed = raw.to_vec();
                if let (Some(b), Some(w)) = (fixed.get_mut(f), one.get(f)) {
                    *b = *w;
                }
                raw.get(f).is_some_and(|b| *b > 1) && fixed == one
            });
            assert!(
                explained,
                "rop_buffer: {} at offset {at} writes back as other bytes\n\
                 read:    {}\nwritten: {}",
                response.name(),
                shown_hex(raw),
                shown_hex(&one)
            );
        }
        if let RopResponse::Notify { raw, data, .. } = response {
            assert!(
                data.encode().as_deref() == Ok(*raw),
                "rop_buffer: a RopNotify's NotificationData does not encode to its bytes\n{}",
                shown_hex(raw)
            );
        }
    }
    let values: Vec<RopResponse<'_>> = responses.iter().map(|(_, r)| r.clone()).collect();
    let written = rop::write_responses(&values).unwrap_or_else(|e| {
        panic!(
            "rop_buffer: write_responses refuses responses read from\n{}\n{e}",
            shown_hex(rops)
        )
    });
    match rop::read_responses(&written) {
        Ok(again) => assert!(
            again.iter().map(|(_, r)| r).eq(values.iter()),
            "rop_buffer: written responses read back differently\n{}",
            shown_hex(rops)
        ),
        Err(e) => panic!(
            "rop_buffer: write_responses wrote a RopsList read_responses refuses: {e}\n{}",
            shown_hex(&written)
        ),
    }
}

/// A RopsList, read as requests (the mock server's side) and as responses (the client's).
fn rops_list(rops: &[u8]) {
    match rop::read_requests(rops) {
        Ok(requests) => {
            requests_write_back(rops, &requests);
            for r in &requests {
                let _ = r.input_index();
            }
        }
        Err(rop::RequestError::UnknownRop { offset, .. }) => {
            expect_offset_within("rop_buffer: read_requests", offset, rops)
        }
        Err(rop::RequestError::Bytes(e)) => bin_error("rop_buffer: read_requests", &e, rops),
    }
    match rop::read_responses(rops) {
        Ok(responses) => {
            responses_write_back(rops, &responses);
            for (_, r) in &responses {
                let _ = r.return_value();
            }
        }
        Err(e) => {
            let offset = match &e {
                rop::ResponseError::UnknownRop { offset, .. }
                | rop::ResponseError::BadNotification { offset, .. } => *offset,
                rop::ResponseError::Bytes(b) => b.offset(),
            };
            expect_offset_within("rop_buffer: read_responses", offset, rops);
            let _ = e.to_string();
        }
    }
}

/// A ROP buffer (RopSize, RopsList, handle table): the framing writes back byte for byte,
/// and the RopsList goes on to the request and response readers.
fn rop_buffer_payload(buf: &[u8]) {
    match rop::read_rop_buffer(buf) {
        Ok(b) => {
            let written = rop::write_rop_buffer(b.rops, &b.handles).unwrap_or_else(|e| {
                panic!(
                    "rop_buffer: write_rop_buffer refuses what read_rop_buffer read: {e}\n{}",
                    shown_hex(buf)
                )
            });
            assert!(
                written == buf,
                "rop_buffer: the ROP buffer writes back as other bytes\nread:    {}\nwritten: {}",
                shown_hex(buf),
                shown_hex(&written)
            );
            rops_list(b.rops);
        }
        Err(e) => bin_error("rop_buffer: read_rop_buffer", &e, buf),
    }
}

/// An Execute RopBuffer: the RPC_HEADER_EXT chain, then the ROP buffer it carries and its
/// RopsList as requests and as responses; and the same readers straight on the input, so the
/// fuzzer needs not find the headers first. A payload the chain carries reads back from the
/// single header `write_rpc_ext` writes (the chain itself is not kept, so it is not compared).
pub fn rop_buffer(data: &[u8]) {
    match rop::read_rpc_ext(data) {
        Ok(payload) => {
            for xor in [false, true] {
                if let Ok(framed) = rop::write_rpc_ext(&payload, xor) {
                    assert!(
                        rop::read_rpc_ext(&framed).as_ref() == Ok(&payload),
                        "rop_buffer: an RPC_HEADER_EXT written around a payload reads back \
                         differently (XorMagic {xor})\n{}",
                        shown_hex(data)
                    );
                }
            }
            rop_buffer_payload(&payload);
        }
        Err(e) => bin_error("rop_buffer: read_rpc_ext", &e, data),
    }
    rop_buffer_payload(data);
    rops_list(data);
}

/// A response body read with `read`: the failure form and the success form that `write`
/// writes (with an empty auxiliary buffer, as the writers all do) read back as the same value.
fn body_reread<T: PartialEq + Debug>(
    what: &str,
    body: &[u8],
    read: fn(&[u8]) -> Result<Body<T>, BinError>,
    write: Option<fn(&T) -> Vec<u8>>,
) -> Option<Body<T>> {
    match read(body) {
        Ok(value) => {
            let written = match &value {
                Body::Failure { status_code } => Some(mapihttp::write_failure(*status_code)),
                Body::Success(s) => write.map(|w| w(s)),
            };
            if let Some(written) = written {
                match read(&written) {
                    Ok(again) => assert!(
                        again == value,
                        "mapihttp_stream: a written {what} body reads back differently\n\
                         read: {value:?}\nre-read: {again:?}\n{}",
                        shown_hex(body)
                    ),
                    Err(e) => panic!(
                        "mapihttp_stream: a written {what} body does not read: {e}\n{}",
                        shown_hex(&written)
                    ),
                }
            }
            Some(value)
        }
        Err(e) => {
            bin_error(what, &e, body);
            None
        }
    }
}

/// A de-chunked MAPI/HTTP response stream (meta-tags, DONE, headers, blank line, body) fed
/// in two pieces, as it arrives, with the same outcome as fed whole; the body through the
/// response readers of each request type; an Execute response's RopBuffer on to the ROP
/// readers. And the input as an Execute or Connect request body (the mock server's side).
pub fn mapihttp_stream(data: &[u8]) {
    let split = data.len() / 3;
    let mut pieces = StreamReader::new(StreamLimits::default());
    let in_pieces = pieces.feed(&data[..split]).and_then(|mut events| {
        events.extend(pieces.feed(&data[split..])?);
        Ok(events)
    });
    let in_pieces = in_pieces.and_then(|events| Ok((events, pieces.finish()?)));
    let mut whole = StreamReader::new(StreamLimits::default());
    let at_once = whole
        .feed(data)
        .and_then(|events| Ok((events, whole.finish()?)));
    assert!(
        in_pieces == at_once,
        "mapihttp_stream: the stream reads differently split at {split}\n\
         in pieces: {in_pieces:?}\nat once: {at_once:?}"
    );
    if let Ok((_, body)) = &in_pieces {
        if let Some(Body::Success(s)) = body_reread(
            "Execute",
            body,
            mapihttp::read_execute_response,
            Some(mapihttp::ExecuteSuccess::write),
        ) {
            rop_buffer(&s.rop_buffer);
        }
        body_reread(
            "Connect",
            body,
            mapihttp::read_connect_response,
            Some(mapihttp::ConnectSuccess::write),
        );
        body_reread(
            "NotificationWait",
            body,
            mapihttp::read_wait_response,
            Some(mapihttp::WaitSuccess::write),
        );
        body_reread("Disconnect", body, mapihttp::read_disconnect_response, None);
    }
    // Execute request: writes back byte for byte, but for the AuxiliaryBuffer, which the
    // model does not keep (the writer always writes it empty).
    match ExecuteRequest::read(data) {
        Ok(request) => {
            let written = request.write();
            let end = 12 + request.rop_buffer.len();
            let mut expected = data[..end.min(data.len())].to_vec();
            expected.extend_from_slice(&[0; 4]);
            assert!(
                written == expected,
                "mapihttp_stream: an Execute request writes back as other bytes\n\
                 read:    {}\nwritten: {}",
                shown_hex(data),
                shown_hex(&written)
            );
            rop_buffer(&request.rop_buffer);
        }
        Err(e) => bin_error("ExecuteRequest::read", &e, data),
    }
    // Connect request: UserDn is kept as lossily decoded text, so only the value is compared.
    match ConnectRequest::read(data) {
        Ok(request) => {
            let written = request.write();
            assert!(
                ConnectRequest::read(&written).as_ref() == Ok(&request),
                "mapihttp_stream: a written Connect request reads back differently\n{}",
                shown_hex(data)
            );
        }
        Err(e) => bin_error("ConnectRequest::read", &e, data),
    }
    let _ = mapihttp::read_wait_request(data);
}

// ---- EWS push notifications ----

/// Reads `text` with an EWS reader; on success, when `write` has a writer for the value,
/// writes it and checks the written envelope reads as the value `write` says it carries
/// (the value read, or its canonical form where the writer cannot say more). An `Err` must
/// be the envelope layer's: the EWS readers have no other. Returns what was read.
fn ews_reread<T: PartialEq + Debug>(
    what: &str,
    text: &str,
    read: fn(&str, Limits) -> Result<Received<T>, LayerError>,
    write: impl Fn(&Received<T>) -> Option<(String, T)>,
) -> Option<Received<T>> {
    match read(text, Limits::default()) {
        Ok(received) => {
            if let Some((written, expected)) = write(&received) {
                if written.len() > Limits::default().max_bytes {
                    return Some(received);
                }
                match read(&written, Limits::default()) {
                    Ok(again) => assert!(
                        again.value == expected,
                        "{what}: the written envelope reads as a different value\n\
                         read:    {}\nwritten: {}\nre-read: {}",
                        shown(&format!("{:?}", received.value)),
                        shown(&written),
                        shown(&format!("{:?}", again.value))
                    ),
                    Err(e) => panic!(
                        "{what}: the writer produced an envelope its reader refuses: {}\n{}",
                        e.message,
                        shown(&written)
                    ),
                }
            }
            Some(received)
        }
        Err(e) => {
            assert!(
                e.layer == Layer::Envelope,
                "{what} failed with layer {:?}: {}",
                e.layer,
                e.message
            );
            None
        }
    }
}

/// A SendNotification request (the listener's side), written back in its SOAP version.
pub fn ews_notification(data: &[u8]) {
    ews_reread(
        "read_send_notification",
        &text(data),
        ews::read_send_notification,
        |r| {
            let written = ews::write_send_notification(r.soap, &r.value, &Prefixes::Conventional);
            Some((written, r.value.clone()))
        },
    );
}

/// A listener's answer (the server's side). The writer writes only the exact status, so an
/// answer with a valid status writes back as that status's canonical text.
pub fn ews_answer(data: &[u8]) {
    ews_reread(
        "read_listener_answer",
        &text(data),
        ews::read_listener_answer,
        |r| match &r.value {
            ListenerAnswer::Result {
                status: Some(status),
                ..
            } => Some((
                ews::write_listener_answer(r.soap, *status),
                ListenerAnswer::Result {
                    status_text: Some(status.as_str().to_owned()),
                    status: Some(*status),
                },
            )),
            _ => None,
        },
    );
}

/// An EWS request (the mock server's side), written back with its RequestServerVersion, then
/// what the mock server asks of a push Subscribe. `Other("")` (a Body without element) and
/// `SubscribeOther("")` (a Subscribe without child) write back as exactly that; this target
/// found that they once wrote an element with an empty name.
pub fn ews_request(data: &[u8]) {
    let read = ews_reread("read_request", &text(data), ews::read_request, |r| {
        let written = ews::write_request(r.soap, r.server_version.as_deref(), &r.value);
        Some((written, r.value.clone()))
    });
    if let Some(Received {
        value: EwsRequest::Subscribe(p),
        ..
    }) = read
    {
        let _ = ews::push_url_problem(&p.url);
        let _ = p.status_frequency_minutes();
        let _ = p.subscribable_kinds();
    }
}

/// An EWS response (the push-server suite reading a server under test). A fault writes back
/// with the SOAP code the writer chooses for it (sender or receiver).
pub fn ews_response(data: &[u8]) {
    let text = text(data);
    ews_reread("read_response", &text, ews::read_response, |r| {
        let written = ews::write_response(r.soap, None, &r.value);
        let expected = match &r.value {
            EwsResponse::Fault { code, reason } => {
                let kind = if code.contains("Client") || code.contains("Sender") {
                    FaultCode::Client
                } else {
                    FaultCode::Server
                };
                EwsResponse::Fault {
                    code: kind.local_name(r.soap).to_owned(),
                    reason: reason.clone(),
                }
            }
            other => other.clone(),
        };
        Some((written, expected))
    });
    let _ = ews::response_server_version_info(&text, Limits::default());
}
