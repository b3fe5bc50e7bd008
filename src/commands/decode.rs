//! `oxconf decode`: the wire decoders as a command, for implementers pasting bytes in. The
//! `ropnotify` form is exactly the decoder contract, so it can itself be the SUT of the
//! notif-decoder suite (it is the reference decoder with no fault).

use crate::cli::{DecodeCommand, DecodeRopNotifyArgs};
use crate::out;
use std::fmt::Write as _;
use std::io::Read;
use suites::cnotif::decoder::peer::{decode_stdin, MAX_INPUT};
use suites::peers::Console;
use wire::binary::{hex, parse_hex};

fn console() -> Console {
    Console::new(out::stdout, out::stderr)
}

pub fn run(command: &DecodeCommand) -> i32 {
    match command {
        DecodeCommand::Ropnotify(args) => ropnotify(args),
        DecodeCommand::RopBuffer(args) => rop_buffer(args),
        DecodeCommand::Mapihttp(args) => mapihttp(args),
        DecodeCommand::Soap(args) => soap(args),
    }
}

fn ropnotify(args: &DecodeRopNotifyArgs) -> i32 {
    if args.annotate {
        return annotate();
    }
    let decoder =
        mocks::cnotif::decoder::ReferenceDecoder::new(mocks::cnotif::decoder::Faults::none());
    let runtime = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(r) => r,
        Err(e) => {
            out::stderr(&format!("oxconf: cannot start a runtime: {e}\n"));
            return super::exit::LOCAL;
        }
    };
    runtime.block_on(decode_stdin(&decoder, args.lines, &console()))
}

/// The fields of one buffer, one per line: offset, length, name, bytes, value; then the
/// verdict (the canonical JSON or the rule and where it struck).
fn annotate() -> i32 {
    let bytes = match hex_stdin() {
        Ok(b) => b,
        Err(code) => return code,
    };
    let (fields, result) = wire::cnotif::annotate(&bytes);
    let mut text = format!("NotificationData, {} bytes\n", bytes.len());
    for f in &fields {
        let (name, offset, len, value) = (f.name, f.offset, f.len, &f.value);
        let raw = hex(&bytes[offset..offset + len]);
        let shown = if raw.len() > 48 {
            format!("{}…", &raw[..48])
        } else {
            raw
        };
        let _ = writeln!(
            text,
            "  {offset:>5} +{len:<4} {name:<28} {shown:<50} {value}"
        );
    }
    let code = match result {
        Ok(()) => {
            let (json, _) = wire::cnotif::decode_to_json(&bytes);
            let _ = writeln!(text, "valid: {json}");
            0
        }
        Err(e) => {
            let _ = writeln!(
                text,
                "invalid: {} at offset {} ({})",
                e.rule.id(),
                e.offset(),
                e.error
            );
            1
        }
    };
    out::stdout(&text);
    code
}

fn read_stdin() -> Result<Vec<u8>, i32> {
    let mut input = Vec::new();
    match std::io::stdin()
        .lock()
        .take(MAX_INPUT)
        .read_to_end(&mut input)
    {
        Ok(_) => Ok(input),
        Err(e) => {
            out::stderr(&format!("oxconf: cannot read stdin: {e}\n"));
            Err(2)
        }
    }
}

fn hex_stdin() -> Result<Vec<u8>, i32> {
    let input = read_stdin()?;
    parse_hex(&String::from_utf8_lossy(&input)).map_err(|e| {
        out::stderr(&format!("oxconf: the input is not hex: {e}\n"));
        2
    })
}

/// One line of an annotated dump: offset, length, name, bytes (shortened), value.
fn dump_line(
    text: &mut String,
    indent: usize,
    offset: usize,
    bytes: &[u8],
    name: &str,
    value: &str,
) {
    let raw = hex(bytes);
    let shown = if raw.len() > 40 {
        format!("{}…", &raw[..40])
    } else {
        raw
    };
    let _ = writeln!(
        text,
        "{:indent$}{offset:>5} +{:<4} {name:<30} {shown:<42} {value}",
        "",
        bytes.len()
    );
}

/// The RopsList with a RPC_HEADER_EXT stripped when the input starts with one.
fn rop_payload(bytes: &[u8]) -> (Vec<u8>, bool) {
    if bytes.len() >= 8 && bytes[0] == 0 && bytes[1] == 0 {
        if let Ok(payload) = wire::rop::read_rpc_ext(bytes) {
            return (payload, true);
        }
    }
    (bytes.to_vec(), false)
}

pub fn rop_buffer(args: &crate::cli::DecodeRopBufferArgs) -> i32 {
    let bytes = match hex_stdin() {
        Ok(b) => b,
        Err(code) => return code,
    };
    let (payload, had_header) = rop_payload(&bytes);
    let buffer = match wire::rop::read_rop_buffer(&payload) {
        Ok(b) => b,
        Err(e) => {
            out::stdout(&format!("invalid ROP buffer: {e}\n"));
            return 1;
        }
    };
    let mut text = format!(
        "ROP buffer, {} bytes{}: RopSize {}, {} handles\n",
        payload.len(),
        if had_header {
            " (after its RPC_HEADER_EXT)"
        } else {
            ""
        },
        buffer.rops.len() + 2,
        buffer.handles.len()
    );
    let mut json_rops = Vec::new();
    let mut code = 0;
    if args.requests {
        match wire::rop::read_requests(buffer.rops) {
            Ok(reqs) => {
                let mut at = 2;
                for r in reqs {
                    let mut one = Vec::new();
                    r.write(&mut one);
                    dump_line(&mut text, 2, at, &one, r.name(), &format!("{r:?}"));
                    json_rops.push(serde_json::json!({"offset": at, "rop": r.name(), "value": format!("{r:?}")}));
                    at += one.len();
                }
            }
            Err(e) => {
                let _ = writeln!(text, "  unreadable: {e}");
                code = 1;
            }
        }
    } else {
        match wire::rop::read_responses(buffer.rops) {
            Ok(located) => {
                let ends: Vec<usize> = located
                    .iter()
                    .skip(1)
                    .map(|(o, _)| *o)
                    .chain([buffer.rops.len()])
                    .collect();
                for ((offset, r), end) in located.iter().zip(ends) {
                    let value = match r {
                        wire::rop::RopResponse::Notify {
                            handle,
                            logon_id,
                            raw,
                            ..
                        } => {
                            let (json, _) = wire::cnotif::decode_to_json(raw);
                            format!("NotificationHandle 0x{handle:08X} LogonId {logon_id} {json}")
                        }
                        other => format!("{other:?}"),
                    };
                    dump_line(
                        &mut text,
                        2,
                        2 + offset,
                        &buffer.rops[*offset..end],
                        r.name(),
                        &value,
                    );
                    if let wire::rop::RopResponse::Notify { raw, .. } = r {
                        let (fields, _) = wire::cnotif::annotate(raw);
                        for f in fields {
                            dump_line(
                                &mut text,
                                6,
                                2 + offset + 6 + f.offset,
                                &raw[f.offset..f.offset + f.len],
                                f.name,
                                &f.value,
                            );
                        }
                    }
                    json_rops.push(
                        serde_json::json!({"offset": 2 + offset, "rop": r.name(), "value": value}),
                    );
                }
            }
            Err(e) => {
                let _ = writeln!(text, "  unreadable: {e}");
                code = 1;
            }
        }
    }
    let handles: Vec<String> = buffer
        .handles
        .iter()
        .map(|h| format!("0x{h:08X}"))
        .collect();
    let _ = writeln!(text, "  handle table: {}", handles.join(" "));
    if args.json {
        out::stdout(&format!(
            "{}\n",
            serde_json::json!({"rops": json_rops, "handles": handles, "rpc_header_ext": had_header})
        ));
    } else {
        out::stdout(&text);
    }
    code
}

pub fn mapihttp(args: &crate::cli::DecodeMapiHttpArgs) -> i32 {
    use wire::mapihttp::{self as mh, Body, StreamEvent, StreamLimits, StreamReader};
    let bytes = match hex_stdin() {
        Ok(b) => b,
        Err(code) => return code,
    };
    let mut reader = StreamReader::new(StreamLimits::default());
    let mut text = String::from("MAPI/HTTP response stream\n");
    let mut events_json = Vec::new();
    match reader.feed(&bytes) {
        Ok(events) => {
            for e in events {
                let line = match &e {
                    StreamEvent::Tag(t) => format!("{t:?}").to_uppercase(),
                    StreamEvent::Header(k, v) => format!("{k}: {v}"),
                    StreamEvent::BodyStarts => "(blank line: the body follows)".to_string(),
                };
                let _ = writeln!(text, "  {line}");
                events_json.push(serde_json::Value::from(line));
            }
        }
        Err(e) => {
            out::stdout(&format!("invalid stream: {e}\n"));
            return 1;
        }
    }
    let body = match reader.finish() {
        Ok(b) => b,
        Err(e) => {
            out::stdout(&format!("{text}invalid stream: {e}\n"));
            return 1;
        }
    };
    let decoded = match args.request_type.as_str() {
        "Connect" => mh::read_connect_response(&body).map(|b| format!("{b:?}")),
        "Execute" => mh::read_execute_response(&body).map(|b| match b {
            Body::Success(s) => format!(
                "Success {{ error_code: 0x{:08X}, flags: {}, rop_buffer: {} bytes: {} }}",
                s.error_code,
                s.flags,
                s.rop_buffer.len(),
                hex(&s.rop_buffer)
            ),
            other => format!("{other:?}"),
        }),
        "NotificationWait" => mh::read_wait_response(&body).map(|b| format!("{b:?}")),
        "Disconnect" => mh::read_disconnect_response(&body).map(|b| format!("{b:?}")),
        other => {
            out::stderr(&format!(
                "oxconf: --request-type {other:?}: one of Connect, Execute, NotificationWait, Disconnect\n"
            ));
            return 2;
        }
    };
    let (line, code) = match decoded {
        Ok(d) => (d, 0),
        Err(e) => (format!("unreadable {} body: {e}", args.request_type), 1),
    };
    let _ = writeln!(text, "  body ({} bytes): {line}", body.len());
    if args.request_type == "Execute" {
        let _ = writeln!(
            text,
            "  (pipe the rop_buffer hex to `oxconf decode rop-buffer` for its ROPs)"
        );
    }
    if args.json {
        out::stdout(&format!(
            "{}\n",
            serde_json::json!({"stream": events_json, "body": line, "body_hex": hex(&body)})
        ));
    } else {
        out::stdout(&text);
    }
    code
}

pub fn soap(args: &crate::cli::DecodeSoapArgs) -> i32 {
    use wire::ews;
    let input = match read_stdin() {
        Ok(b) => b,
        Err(code) => return code,
    };
    let body = String::from_utf8_lossy(&input);
    let limits = wire::xml::Limits::default();
    fn render<T: serde::Serialize>(
        kind: &str,
        r: &ews::Received<T>,
    ) -> (String, serde_json::Value) {
        let value = serde_json::to_value(&r.value).unwrap_or(serde_json::Value::Null);
        let findings: Vec<serde_json::Value> = r
            .findings
            .iter()
            .map(|f| {
                serde_json::json!({"rule": f.rule, "path": f.path, "message": f.message,
                    "severity": format!("{:?}", f.severity)})
            })
            .collect();
        let json = serde_json::json!({"message": kind, "soap": format!("{:?}", r.soap),
            "server_version": r.server_version, "value": value, "findings": findings});
        let mut text = format!("{kind} (SOAP {:?})\n", r.soap);
        let pretty = serde_json::to_string_pretty(&json["value"]).unwrap_or_default();
        for l in pretty.lines() {
            let _ = writeln!(text, "  {l}");
        }
        if r.findings.is_empty() {
            text.push_str("no findings\n");
        }
        for f in &r.findings {
            let _ = writeln!(text, "finding {} at {}: {}", f.rule, f.path, f.message);
        }
        (text, json)
    }
    // The Body's first element says which reader applies.
    let operation = roxmltree::Document::parse(&body).ok().and_then(|doc| {
        let env = doc.root_element();
        let b = env
            .children()
            .find(|n| n.is_element() && n.tag_name().name() == "Body")?;
        let first = b.children().find(|n| n.is_element())?;
        Some(first.tag_name().name().to_string())
    });
    let rendered = match operation.as_deref() {
        Some("SendNotification") => ews::read_send_notification(&body, limits)
            .ok()
            .map(|r| render("SendNotification", &r)),
        Some("SendNotificationResult") | Some("SendNotificationResponse") => {
            ews::read_listener_answer(&body, limits)
                .ok()
                .map(|r| render("listener answer (SendNotificationResult)", &r))
        }
        Some(op) if op.ends_with("Response") || op == "Fault" => ews::read_response(&body, limits)
            .ok()
            .map(|r| render("EWS response", &r)),
        Some(_) => ews::read_request(&body, limits)
            .ok()
            .map(|r| render("EWS request", &r)),
        None => None,
    };
    if let Some((text, json)) = rendered {
        if args.json {
            out::stdout(&format!("{json}\n"));
        } else {
            out::stdout(&text);
        }
        return 0;
    }
    let why = ews::read_send_notification(&body, limits)
        .err()
        .map(|e| e.message)
        .unwrap_or_default();
    out::stdout(&format!("not an EWS message oxconf reads: {why}\n"));
    1
}
