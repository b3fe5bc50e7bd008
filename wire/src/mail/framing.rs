//! The raw framing of a mail, read before any MIME parser sees it: header fields, the empty
//! line that ends them, line ends and lengths.
//!
//! mail-parser is lenient where the 4.5 examples are broken (E-OMS-21): without the empty
//! line it reads the whole body as header lines. This pass finds where the header block
//! really ends, reports the missing line, and hands back a repaired copy so that the rest of
//! the checks still see the body.

use crate::finding::{Layer, LayerError};

/// RFC 5322 2.1.1: lines MUST be no more than 998 characters (excluding CRLF).
const MAX_LINE: usize = 998;

/// Header fields that RFC 5322 3.6 / RFC 2045 allow at most once (plus the MS-OMS ones).
const SINGLE_FIELDS: &[&str] = &[
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "content-class",
    "x-ms-reply-to-mobile",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RawField {
    pub name: String,
    /// Unfolded and trimmed.
    pub value: String,
    /// 1-based line of the field name.
    pub line: u32,
}

/// A framing problem: where, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Issue {
    pub path: String,
    pub message: String,
}

impl Issue {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Issue {
            path: path.into(),
            message: message.into(),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub(super) struct Framing {
    pub fields: Vec<RawField>,
    /// The mail with an empty line inserted where the header block ends, when it was missing.
    pub repaired: Option<Vec<u8>>,
    pub issues: Vec<Issue>,
}

impl Framing {
    /// First field with this name (case-insensitive).
    pub(super) fn field(&self, name: &str) -> Option<&RawField> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }
}

/// Unreadable input (nothing that starts like a mail) is an error; everything else is an
/// issue in the result.
pub(super) fn scan(raw: &[u8]) -> Result<Framing, LayerError> {
    if raw.is_empty() {
        return Err(LayerError::new(Layer::Mime, "empty message"));
    }
    let mut framing = Framing::default();
    let header_end = read_header_block(raw, &mut framing)?;
    check_lines(raw, header_end, &mut framing);
    check_header_set(&mut framing);
    Ok(framing)
}

/// Returns the offset where the header block ends (start of the empty line or of the first
/// line that is not a header field).
fn read_header_block(raw: &[u8], framing: &mut Framing) -> Result<usize, LayerError> {
    let mut offset = 0;
    let mut line_no = 0u32;
    while offset < raw.len() {
        line_no += 1;
        let end = raw[offset..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(raw.len(), |i| offset + i + 1);
        let line = trim_eol(&raw[offset..end]);
        if line.is_empty() {
            return Ok(offset);
        }
        if line[0] == b' ' || line[0] == b'\t' {
            match framing.fields.last_mut() {
                Some(field) => {
                    field.value.push(' ');
                    field.value.push_str(String::from_utf8_lossy(line).trim());
                }
                None => {
                    return Err(LayerError::new(
                        Layer::Mime,
                        "the message starts with a continuation line, not a header field",
                    )
                    .at(1, 1))
                }
            }
        } else if let Some((name, value)) = split_field(line) {
            framing.fields.push(RawField {
                name,
                value,
                line: line_no,
            });
        } else if framing.fields.is_empty() {
            return Err(LayerError::new(
                Layer::Mime,
                "the message does not start with a header field",
            )
            .at(1, 1));
        } else {
            framing.issues.push(Issue::new(
                "/",
                format!(
                    "no empty line between the header block and the body: line {line_no} is \
                     neither a header field nor a continuation (RFC 5322 2.1)"
                ),
            ));
            let mut repaired = Vec::with_capacity(raw.len() + 2);
            repaired.extend_from_slice(&raw[..offset]);
            repaired.extend_from_slice(b"\r\n");
            repaired.extend_from_slice(&raw[offset..]);
            framing.repaired = Some(repaired);
            return Ok(offset);
        }
        offset = end;
    }
    Ok(raw.len())
}

/// "Name: value" with an RFC 5322 field name (printable ASCII except ':').
fn split_field(line: &[u8]) -> Option<(String, String)> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = &line[..colon];
    if name.is_empty() || !name.iter().all(|&b| (33..=126).contains(&b)) {
        return None;
    }
    let value = String::from_utf8_lossy(&line[colon + 1..])
        .trim()
        .to_string();
    Some((String::from_utf8_lossy(name).into_owned(), value))
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn check_lines(raw: &[u8], header_end: usize, framing: &mut Framing) {
    let (mut bare_lf, mut bare_cr, mut long_line) = (None, None, None);
    let mut line_no = 1u32;
    let mut line_start = 0usize;
    for (i, &b) in raw.iter().enumerate() {
        match b {
            b'\n' => {
                if i == 0 || raw[i - 1] != b'\r' {
                    bare_lf.get_or_insert(line_no);
                }
                let len = i - line_start - usize::from(i > 0 && raw[i - 1] == b'\r');
                if len > MAX_LINE {
                    long_line.get_or_insert(line_no);
                }
                line_no += 1;
                line_start = i + 1;
            }
            b'\r' if raw.get(i + 1) != Some(&b'\n') => {
                bare_cr.get_or_insert(line_no);
            }
            _ => {}
        }
    }
    if raw.len() - line_start > MAX_LINE {
        long_line.get_or_insert(line_no);
    }
    if let Some(l) = bare_lf {
        framing.issues.push(Issue::new(
            "/",
            format!("bare LF line end (first at line {l}); RFC 5322 requires CRLF"),
        ));
    }
    if let Some(l) = bare_cr {
        framing.issues.push(Issue::new(
            "/",
            format!("bare CR (first at line {l}); RFC 5322 forbids CR outside CRLF"),
        ));
    }
    if let Some(l) = long_line {
        framing.issues.push(Issue::new(
            "/",
            format!("line {l} is longer than {MAX_LINE} characters (RFC 5322 2.1.1)"),
        ));
    }
    if raw[..header_end].iter().any(|&b| b >= 0x80) {
        framing.issues.push(Issue::new(
            "/headers",
            "raw 8-bit bytes in the header block; non-ASCII header text needs RFC 2047 encoding",
        ));
    }
    if raw.contains(&0) {
        framing.issues.push(Issue::new(
            "/",
            "NUL byte in the message (RFC 5322 forbids it)",
        ));
    }
}

fn check_header_set(framing: &mut Framing) {
    for name in SINGLE_FIELDS {
        let count = framing
            .fields
            .iter()
            .filter(|f| f.name.eq_ignore_ascii_case(name))
            .count();
        if count > 1 {
            framing.issues.push(Issue::new(
                format!("/headers/{name}"),
                format!("{name} appears {count} times; it may appear at most once"),
            ));
        }
    }
    for (name, why) in [
        ("Date", "RFC 5322 3.6 requires a Date field"),
        (
            "MIME-Version",
            "RFC 2045 4 requires MIME-Version in a MIME message",
        ),
    ] {
        if framing.field(name).is_none() {
            framing.issues.push(Issue::new(
                format!("/headers/{name}"),
                format!("no {name} header: {why}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crlf(s: &str) -> Vec<u8> {
        s.replace('\n', "\r\n").into_bytes()
    }

    #[test]
    fn reads_and_unfolds_fields() {
        let f = scan(&crlf(
            "Subject: a\n  b\nDate: x\nMIME-Version: 1.0\n\nbody\n",
        ))
        .unwrap();
        assert_eq!(f.fields.len(), 3);
        assert_eq!(f.fields[0].value, "a b");
        assert_eq!(f.field("date").map(|f| f.line), Some(3));
        assert!(f.issues.is_empty(), "{:?}", f.issues);
        assert!(f.repaired.is_none());
    }

    #[test]
    fn missing_blank_line_is_reported_and_repaired() {
        let raw = crlf("Date: x\nMIME-Version: 1.0\nThis is the body.\n");
        let f = scan(&raw).unwrap();
        assert_eq!(f.issues.len(), 1);
        assert!(f.issues[0].message.contains("no empty line"));
        assert_eq!(
            f.repaired.unwrap(),
            crlf("Date: x\nMIME-Version: 1.0\n\nThis is the body.\n")
        );
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(scan(b"").is_err());
        assert!(scan(b"\x00\x01\x02 binary").is_err());
        assert!(scan(b" folded first\r\n").is_err());
        let e = scan(b"just some text\r\n").unwrap_err();
        assert_eq!(e.layer, Layer::Mime);
        assert_eq!(e.position, Some((1, 1)));
    }

    #[test]
    fn line_problems_are_found() {
        let mut raw = b"Date: x\r\nMIME-Version: 1.0\nSubject: \xe4\r\n\r\n".to_vec();
        raw.extend_from_slice(&vec![b'a'; 1200]);
        raw.extend_from_slice(b"\rz");
        let f = scan(&raw).unwrap();
        let text: Vec<&str> = f.issues.iter().map(|i| i.message.as_str()).collect();
        assert!(text.iter().any(|m| m.contains("bare LF")), "{text:?}");
        assert!(text.iter().any(|m| m.contains("bare CR")), "{text:?}");
        assert!(
            text.iter().any(|m| m.contains("longer than 998")),
            "{text:?}"
        );
        assert!(text.iter().any(|m| m.contains("8-bit")), "{text:?}");
    }

    #[test]
    fn duplicates_and_missing_mime_version() {
        let f = scan(&crlf("Date: x\nTo: a@b\nTo: c@d\n\n")).unwrap();
        let text: Vec<&str> = f.issues.iter().map(|i| i.message.as_str()).collect();
        assert!(
            text.iter().any(|m| m.contains("to appears 2 times")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|m| m.contains("no MIME-Version")),
            "{text:?}"
        );
    }

    #[test]
    fn header_only_message_is_fine() {
        let f = scan(&crlf("Date: x\nMIME-Version: 1.0\n")).unwrap();
        assert!(f.issues.is_empty());
    }
}
