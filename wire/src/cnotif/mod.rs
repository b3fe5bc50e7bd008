//! MS-OXCNOTIF core notifications: the RopNotify NotificationData codec, its canonical JSON
//! and rule ids (`ropnotify-decode-format.md`), and field-by-field annotation for dumps.
//!
//! The ROP buffers that carry notifications are in [`crate::rop`], the MAPI/HTTP transport
//! in [`crate::mapihttp`].

pub mod canonical;
pub mod notification;

pub use canonical::{error_json, from_json, to_json};
pub use notification::{
    decode, decode_prefix, decode_traced, read_fields, DecodeError, Id, NewMail, NotificationData,
    NotificationType, Presence, Rule, TableEvent, TableEventType, TagList, FIELDS, FLAG_M, FLAG_S,
    FLAG_T, FLAG_U, TYPE_MASK,
};

use crate::binary::{hex, Spans};

/// The decoder contract's answer for one buffer: the canonical JSON or `{"error": RULE}`,
/// and whether it decoded.
pub fn decode_to_json(buf: &[u8]) -> (String, bool) {
    match decode(buf) {
        Ok(n) => (to_json(&n), true),
        Err(e) => (error_json(&e.rule.id()), false),
    }
}

/// A readable value for a field's bytes, for hex dumps with field names.
pub fn describe(name: &str, bytes: &[u8]) -> String {
    let le = |b: &[u8]| b.iter().rev().fold(0u64, |acc, &x| acc << 8 | u64::from(x));
    match name {
        "NotificationFlags" if bytes.len() == 2 => {
            let v = le(bytes) as u16;
            let kind = NotificationType::from_value(v & TYPE_MASK)
                .map_or("unknown type", NotificationType::name);
            let mut bits: Vec<&str> = Vec::new();
            for (b, n) in [(FLAG_T, "T"), (FLAG_U, "U"), (FLAG_S, "S"), (FLAG_M, "M")] {
                if v & b != 0 {
                    bits.push(n);
                }
            }
            format!("0x{v:04X} {kind} {}", bits.join("+"))
                .trim_end()
                .to_owned()
        }
        "TableEventType" if bytes.len() == 2 => {
            let v = le(bytes) as u16;
            let t = TableEventType::from_value(v).map_or("unknown", TableEventType::name);
            format!("0x{v:04X} {t}")
        }
        "UnicodeFlag" => match bytes {
            [0] => "FALSE (ASCII)".to_owned(),
            [1] => "TRUE (UTF-16LE)".to_owned(),
            _ => hex(bytes),
        },
        "MessageClass" => {
            let text: String = bytes
                .iter()
                .filter(|b| **b != 0)
                .map(|&b| if b.is_ascii_graphic() { b as char } else { '.' })
                .collect();
            format!("{text:?}")
        }
        "Tags" => bytes
            .chunks_exact(4)
            .map(|c| format!("0x{:08X}", le(c)))
            .collect::<Vec<_>>()
            .join(" "),
        _ if bytes.len() == 8 => hex(bytes),
        _ if matches!(bytes.len(), 1 | 2 | 4) => {
            let v = le(bytes);
            format!("{v} (0x{v:0w$X})", w = bytes.len() * 2)
        }
        _ => format!("{} bytes", bytes.len()),
    }
}

/// One field of a buffer as a hex dump shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnotatedField {
    pub name: &'static str,
    pub offset: usize,
    pub len: usize,
    /// A readable value (`describe`).
    pub value: String,
}

/// Every field of `buf` as read (up to the first defect), with readable values: what a hex
/// dump with field names shows. The result says how the decode ended.
pub fn annotate(buf: &[u8]) -> (Vec<AnnotatedField>, Result<(), DecodeError>) {
    let mut spans = Spans::default();
    let result = decode_traced(buf, &mut spans).map(|_| ());
    let fields = spans
        .0
        .iter()
        .map(|s| AnnotatedField {
            name: s.name,
            offset: s.offset,
            len: s.bytes.len(),
            value: describe(s.name, s.bytes),
        })
        .collect();
    (fields, result)
}
