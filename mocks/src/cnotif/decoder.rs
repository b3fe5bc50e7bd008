//! The reference NotificationData decoder (the reference peer of `notif-decoder`): the decoder
//! command contract of `ropnotify-decode-format.md` over `wire::cnotif`, with named faults
//! that each reproduce one way a real decoder gets the format wrong.
//!
//! `oxconf decode ropnotify` is this decoder with no fault; `oxconf mock notif-decoder
//! --fault NAME` is the same with a fault, as a separate process a profile can point at.

use crate::fault::{Fault, FaultSet, FaultTable, Variant};
use serde_json::Value;
use wire::binary::parse_hex;
use wire::cnotif::{self, Rule, FLAG_M, TYPE_MASK};

pub const FAULTS: &[Fault] = &[
    Fault::protocol("flags-big-endian", "reads NotificationFlags as a big-endian uint16 (the examples print its two bytes apart, E-CN-05)"),
    Fault::protocol("insert-after-on-m", "gates all three InsertAfter* fields on M, so a row event without M loses InsertAfterTableRowFolderID (the reading E-CN-09 rejects)"),
    Fault::protocol("no-tags-on-modified", "reads no tag list for ObjectModified, trusting the SHOULD of TagCount 0x0000 (E-CN-21)"),
    Fault::protocol("unicode-class-as-ascii", "reads a Unicode MessageClass as 8-bit text"),
    Fault::protocol("counts-swapped", "reads UnreadMessageCount before TotalMessageCount"),
    Fault::protocol("ffff-is-a-count", "reads TagCount 0xFFFF as 65535 tags"),
    Fault::protocol("accepts-trailing-bytes", "ignores bytes after the last field"),
    Fault::protocol("no-flag-checks", "accepts T or U on types other than ObjectModified, and S without M"),
    Fault::protocol("accepts-unknown-types", "decodes an unknown NotificationType or TableEventType as if it had no fields"),
    Fault::protocol("accepts-truncation", "decodes a buffer cut short as far as it goes"),
    Fault::protocol("lenient-utf16", "replaces a lone surrogate in a Unicode MessageClass instead of refusing it"),
    Fault::protocol("generic-errors", "rejects every invalid buffer with the rule \"invalid\""),
    Fault::hostile("hang", "never answers"),
    Fault::hostile("garbage", "prints bytes that are not JSON"),
    Fault::hostile("crash", "exits with status 101 without printing anything"),
];

pub struct DecoderFaults;

impl FaultTable for DecoderFaults {
    const PEER: &'static str = "notif-decoder";
    const FAULTS: &'static [Fault] = FAULTS;
    const VARIANTS: &'static [Variant] = &[];
}

pub type Faults = FaultSet<DecoderFaults>;

/// What the decoder command does with one input line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// One JSON object, and whether it is a decode (exit status 0) or a rejection (1).
    Json { line: String, decoded: bool },
    /// A hostile answer: this text instead of JSON.
    Garbage(String),
    /// A hostile answer: never answer.
    Hang,
    /// A hostile answer: exit at once with this status, printing nothing.
    Crash(i32),
}

impl Answer {
    /// The exit status the contract gives this answer, for one buffer.
    pub fn status(&self) -> i32 {
        match self {
            Answer::Json { decoded: true, .. } => 0,
            Answer::Json { decoded: false, .. } | Answer::Garbage(_) => 1,
            Answer::Crash(code) => *code,
            Answer::Hang => 0,
        }
    }
}

/// The reference decoder with its faults.
pub struct ReferenceDecoder {
    faults: Faults,
}

fn rejected(rule: &str) -> Answer {
    Answer::Json {
        line: cnotif::error_json(rule),
        decoded: false,
    }
}

fn decoded(json: String) -> Answer {
    Answer::Json {
        line: json,
        decoded: true,
    }
}

/// Edits a canonical decode (a JSON object) in place and writes it back, keys in their order.
fn edit(json: &str, f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(mut map)) => {
            f(&mut map);
            // Re-encode through the codec where possible, so the key order stays canonical.
            let value = Value::Object(map);
            match cnotif::from_json(&value) {
                Ok(n) if n.presence_problems().is_empty() => cnotif::to_json(&n),
                _ => value.to_string(),
            }
        }
        _ => json.to_owned(),
    }
}

impl ReferenceDecoder {
    pub fn new(faults: Faults) -> ReferenceDecoder {
        ReferenceDecoder { faults }
    }

    fn on(&self, name: &str) -> bool {
        self.faults.is_on(name)
    }

    /// The answer to one line of input (hex of one NotificationData buffer).
    pub fn answer(&self, line: &str) -> Answer {
        if self.on("hang") {
            return Answer::Hang;
        }
        if self.on("crash") {
            return Answer::Crash(101);
        }
        if self.on("garbage") {
            return Answer::Garbage("\u{1}\u{2}not json at all {".to_owned());
        }
        let Ok(mut bytes) = parse_hex(line) else {
            // Not hex at all: the contract has no rule for it; refuse as the shortest buffer.
            return rejected("truncated:NotificationFlags");
        };
        if self.on("flags-big-endian") && bytes.len() >= 2 {
            bytes.swap(0, 1);
        }
        if self.on("insert-after-on-m") {
            if let Some(answer) = self.insert_after_on_m(&bytes) {
                return answer;
            }
        }
        if self.on("ffff-is-a-count") {
            if let Ok(n) = cnotif::decode(&bytes) {
                if n.tags.as_ref().is_some_and(|t| t.count == 0xFFFF) {
                    return rejected("tagcount-exceeds-buffer");
                }
            }
        }
        match cnotif::decode(&bytes) {
            Ok(n) => decoded(self.after_decode(cnotif::to_json(&n))),
            Err(e) => self.after_error(&bytes, e.rule),
        }
    }

    /// A reader that skips InsertAfterTableRowFolderID without M misreads the rest.
    fn insert_after_on_m(&self, bytes: &[u8]) -> Option<Answer> {
        let n = cnotif::decode(bytes).ok()?;
        let t = n.table.as_ref()?;
        if n.flag_bits & FLAG_M != 0 || t.insert_after_folder_id.is_none() {
            return None;
        }
        // Drop the 8 bytes it does not read and decode what it then sees.
        let at = 2 + 2 + 8;
        let mut seen = bytes[..at].to_vec();
        seen.extend_from_slice(bytes.get(at + 8..).unwrap_or(&[]));
        Some(match cnotif::decode(&seen) {
            Ok(n) => decoded(cnotif::to_json(&n)),
            Err(e) => rejected(&e.rule.id()),
        })
    }

    fn after_decode(&self, json: String) -> String {
        let mut json = json;
        if self.on("no-tags-on-modified") && json.contains("\"ObjectModified\"") {
            json = edit(&json, |m| {
                m.remove("Tags");
                m.insert("TagCount".into(), Value::from(0));
            });
        }
        if self.on("unicode-class-as-ascii") && json.contains("\"UnicodeFlag\":true") {
            json = edit(&json, |m| {
                if let Some(Value::String(class)) = m.get("MessageClass") {
                    let units: String = class
                        .encode_utf16()
                        .flat_map(|u| u.to_le_bytes())
                        .take_while(|b| *b != 0)
                        .map(char::from)
                        .collect();
                    m.insert("MessageClass".into(), Value::String(units));
                }
            });
        }
        if self.on("counts-swapped") {
            json = edit(&json, |m| {
                let total = m.remove("TotalMessageCount");
                let unread = m.remove("UnreadMessageCount");
                if let (Some(t), Some(u)) = (total.clone(), unread.clone()) {
                    m.insert("TotalMessageCount".into(), u);
                    m.insert("UnreadMessageCount".into(), t);
                } else {
                    if let Some(t) = total {
                        m.insert("TotalMessageCount".into(), t);
                    }
                    if let Some(u) = unread {
                        m.insert("UnreadMessageCount".into(), u);
                    }
                }
            });
        }
        json
    }

    fn after_error(&self, bytes: &[u8], rule: Rule) -> Answer {
        if self.on("generic-errors") {
            return rejected("invalid");
        }
        let lenient = match rule {
            Rule::TrailingBytes => self.on("accepts-trailing-bytes"),
            Rule::TBitNotObjectModified | Rule::UBitNotObjectModified | Rule::SWithoutM => {
                self.on("no-flag-checks")
            }
            Rule::TypeUnknown | Rule::TableEventTypeUnknown => self.on("accepts-unknown-types"),
            Rule::Truncated(_)
            | Rule::TagCountExceedsBuffer
            | Rule::TableRowDataSizeExceedsBuffer => self.on("accepts-truncation"),
            Rule::MessageClassInvalidUtf16 => self.on("lenient-utf16"),
            _ => false,
        };
        if !lenient {
            return rejected(&rule.id());
        }
        // What a lenient decoder prints: the fields before the defect, as far as they go.
        let flags = bytes
            .get(..2)
            .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
        let kind = cnotif::NotificationType::from_value(flags & TYPE_MASK)
            .map_or("ObjectModified", cnotif::NotificationType::name);
        let mut o = serde_json::Map::new();
        o.insert("NotificationType".into(), Value::from(kind));
        let bit = |b: u16| Value::Bool(flags & b != 0);
        let mut f = serde_json::Map::new();
        f.insert("T".into(), bit(cnotif::FLAG_T));
        f.insert("U".into(), bit(cnotif::FLAG_U));
        f.insert("S".into(), bit(cnotif::FLAG_S));
        f.insert("M".into(), bit(FLAG_M));
        o.insert("flags".into(), Value::Object(f));
        if rule == Rule::TrailingBytes {
            if let Ok((n, _)) = cnotif::decode_prefix(bytes) {
                return decoded(cnotif::to_json(&n));
            }
        }
        let (fields, _) = cnotif::annotate(bytes);
        for f in fields.iter().skip(1) {
            if let Some(raw) = bytes.get(f.offset..f.offset + f.len) {
                o.insert(f.name.to_owned(), Value::from(wire::binary::hex(raw)));
            }
        }
        decoded(Value::Object(o).to_string())
    }
}

/// Runs the decoder contract over `input`: one buffer (the whole input) or, with `lines`, one
/// buffer per line (an empty line is an empty buffer, refused as `truncated:NotificationFlags`). Returns stdout and the exit status; `None` for the status means
/// the decoder hangs (the hostile fault).
pub fn run_contract(decoder: &ReferenceDecoder, input: &str, lines: bool) -> (String, Option<i32>) {
    let buffers: Vec<&str> = if lines {
        input.lines().collect()
    } else {
        vec![input]
    };
    let mut out = String::new();
    let mut status = 0;
    for (i, buffer) in buffers.iter().enumerate() {
        let answer = decoder.answer(buffer);
        match &answer {
            Answer::Hang => return (out, None),
            Answer::Crash(code) => return (out, Some(*code)),
            Answer::Json { line, .. } | Answer::Garbage(line) => {
                out.push_str(line);
                out.push('\n');
            }
        }
        // One buffer: its own status; several: 0 when all decoded, 1 when any was refused.
        if i == 0 || answer.status() != 0 {
            status = answer.status();
        }
    }
    (out, Some(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(fault: &str) -> ReferenceDecoder {
        ReferenceDecoder::new(Faults::parse(&[fault.to_owned()]).unwrap())
    }

    const NEW_MAIL: &str = "0280010000000078291F0100000000783484220000000049504D2E4E6F746500";

    #[test]
    fn the_reference_answers_by_the_contract() {
        let d = ReferenceDecoder::new(Faults::none());
        let (out, status) = run_contract(&d, NEW_MAIL, false);
        assert_eq!(status, Some(0));
        assert!(
            out.starts_with("{\"NotificationType\":\"NewMail\""),
            "{out}"
        );
        let (out, status) = run_contract(&d, "02", false);
        assert_eq!(status, Some(1));
        assert_eq!(out.trim(), "{\"error\":\"truncated:NotificationFlags\"}");
        let (out, status) = run_contract(&d, &format!("{NEW_MAIL}\n02\n"), true);
        assert_eq!(out.lines().count(), 2);
        assert_eq!(status, Some(1));
    }

    #[test]
    fn faults_change_the_answer() {
        let reference = ReferenceDecoder::new(Faults::none()).answer(NEW_MAIL);
        assert_ne!(with("flags-big-endian").answer(NEW_MAIL), reference);
        assert_eq!(with("hang").answer(NEW_MAIL), Answer::Hang);
        let trailing = format!("{NEW_MAIL}00");
        assert!(matches!(
            with("accepts-trailing-bytes").answer(&trailing),
            Answer::Json { decoded: true, .. }
        ));
    }
}
