//! The wire transcript of a scenario: text exchanges (HTTP, SOAP, SMTP, commands) and binary
//! frames with named fields, in the order they happened.

use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::time::Duration;

/// Largest text or binary payload kept per entry; a hostile peer must not fill the disk.
pub const MAX_ENTRY_BYTES: usize = 256 * 1024;

/// Which way the bytes travelled, seen from the harness.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The harness sent it (to the SUT, or a mock answered the SUT).
    Sent,
    /// The harness received it.
    Received,
    /// Neither: a local event such as a trigger command run.
    Local,
}

impl Direction {
    fn arrow(self) -> &'static str {
        match self {
            Direction::Sent => ">>",
            Direction::Received => "<<",
            Direction::Local => "--",
        }
    }
}

/// A named field inside a binary frame, for hex dumps a reader can follow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// Byte offset of the field in the frame.
    pub offset: usize,
    /// Length of the field in bytes.
    pub len: usize,
    /// The field's name as the spec gives it ("NotificationType").
    pub name: String,
    /// The decoded value as a reader should see it ("0x3010"); redacted when recorded.
    pub value: String,
}

/// What an entry carries: text as exchanged, or bytes with the fields decoded from them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Payload {
    /// A text exchange (HTTP, SOAP, SMTP, a command's output).
    Text {
        /// The text, capped at `MAX_ENTRY_BYTES` with a note of how much was dropped.
        text: String,
    },
    /// A binary frame (a UDP datagram, say), shown as a hex dump.
    Binary {
        /// The frame's first `MAX_ENTRY_BYTES` bytes.
        bytes: Vec<u8>,
        /// The named fields, so a reader can map each byte of the dump to its meaning.
        fields: Vec<Field>,
    },
}

/// One exchange or event in a transcript.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Time since the scenario started.
    pub at_ms: u64,
    /// Which way it went, seen from the harness.
    pub direction: Direction,
    /// "http", "smtp", "udp", "trigger", ...
    pub channel: String,
    /// A one-line heading ("client trigger", "GetServiceInfoResult payload (unescaped)").
    pub title: String,
    /// The text or bytes.
    pub payload: Payload,
}

/// An ordered list of entries with a size cap per entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    /// The entries in the order they were recorded.
    pub entries: Vec<Entry>,
}

impl Transcript {
    /// Appends a text entry at `at` (time since the scenario started), capping its size. It does
    /// not redact: `Cx::transcript_text` does before calling it.
    pub fn push_text(
        &mut self,
        at: Duration,
        direction: Direction,
        channel: &str,
        title: &str,
        text: &str,
    ) {
        self.entries.push(Entry {
            at_ms: at.as_millis() as u64,
            direction,
            channel: channel.to_string(),
            title: title.to_string(),
            payload: Payload::Text {
                text: cap_text(text),
            },
        });
    }

    /// Appends a binary entry, keeping at most `MAX_ENTRY_BYTES` bytes. It does not redact:
    /// `Cx::binary` redacts the field values before calling it.
    pub fn push_binary(
        &mut self,
        at: Duration,
        direction: Direction,
        channel: &str,
        title: &str,
        bytes: &[u8],
        fields: Vec<Field>,
    ) {
        let kept = &bytes[..bytes.len().min(MAX_ENTRY_BYTES)];
        self.entries.push(Entry {
            at_ms: at.as_millis() as u64,
            direction,
            channel: channel.to_string(),
            title: title.to_string(),
            payload: Payload::Binary {
                bytes: kept.to_vec(),
                fields,
            },
        });
    }

    /// Whether nothing was recorded (then no transcript section is written).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Plain-text rendering used for transcript files and JUnit system-out.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for entry in &self.entries {
            let _ = writeln!(
                out,
                "[{:>7.3}s] {} {} {}",
                entry.at_ms as f64 / 1000.0,
                entry.direction.arrow(),
                entry.channel,
                entry.title
            );
            match &entry.payload {
                Payload::Text { text } => {
                    out.push_str(text);
                    if !text.ends_with('\n') {
                        out.push('\n');
                    }
                }
                Payload::Binary { bytes, fields } => out.push_str(&hex_dump(bytes, fields)),
            }
            out.push('\n');
        }
        out
    }
}

fn cap_text(text: &str) -> String {
    if text.len() <= MAX_ENTRY_BYTES {
        return text.to_string();
    }
    let mut cut = MAX_ENTRY_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(
        "{}\n... [{} more bytes not kept]",
        &text[..cut],
        text.len() - cut
    )
}

/// Sixteen bytes a row, then the field table, so a reader can map each byte to its meaning.
pub fn hex_dump(bytes: &[u8], fields: &[Field]) -> String {
    let mut out = String::new();
    for (row, chunk) in bytes.chunks(16).enumerate() {
        let _ = write!(out, "{:04x}  ", row * 16);
        for i in 0..16 {
            match chunk.get(i) {
                Some(b) => {
                    let _ = write!(out, "{b:02x} ");
                }
                None => out.push_str("   "),
            }
        }
        out.push(' ');
        for b in chunk {
            out.push(if b.is_ascii_graphic() || *b == b' ' {
                *b as char
            } else {
                '.'
            });
        }
        out.push('\n');
    }
    for field in fields {
        let end = field.offset + field.len.max(1) - 1;
        let _ = writeln!(
            out,
            "  {:04x}..{:04x}  {:<28} {}",
            field.offset, end, field.name, field.value
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_dump_names_fields() {
        let dump = hex_dump(
            &[0x10, 0x30, 0x01, 0x00],
            &[Field {
                offset: 0,
                len: 2,
                name: "NotificationType".into(),
                value: "0x3010".into(),
            }],
        );
        assert!(dump.starts_with("0000  10 30 01 00"));
        assert!(dump.contains("0000..0001  NotificationType"));
        assert!(dump.contains("0x3010"));
    }

    #[test]
    fn huge_text_is_capped() {
        let mut t = Transcript::default();
        let big = "x".repeat(MAX_ENTRY_BYTES + 10);
        t.push_text(Duration::ZERO, Direction::Received, "http", "big", &big);
        let rendered = t.render();
        assert!(rendered.contains("[10 more bytes not kept]"));
        assert!(rendered.len() < MAX_ENTRY_BYTES + 200);
    }
}
