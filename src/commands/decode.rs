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
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin()
        .lock()
        .take(MAX_INPUT)
        .read_to_end(&mut input)
    {
        out::stderr(&format!("oxconf: cannot read stdin: {e}\n"));
        return 2;
    }
    let bytes = match parse_hex(&String::from_utf8_lossy(&input)) {
        Ok(b) => b,
        Err(e) => {
            out::stderr(&format!("oxconf: the input is not hex: {e}\n"));
            return 2;
        }
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
