//! Transfer encodings and header encoding for the builder (RFC 2045 6.7/6.8, RFC 2047).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// RFC 2045 6.7: encoded lines are at most 76 characters.
const QP_LINE: usize = 76;
/// RFC 2045 6.8: base64 lines of 76 characters.
const B64_LINE: usize = 76;
/// RFC 2047 2: an encoded-word is at most 75 characters.
const ENCODED_WORD_MAX: usize = 75;
/// Header lines are folded before this many characters (RFC 5322 2.1.1 SHOULD of 78).
const HEADER_LINE: usize = 76;

/// Quoted-printable with CRLF line breaks. `input` must already use CRLF line ends; every
/// other CR or LF is encoded.
pub(super) fn quoted_printable(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len() * 3 / 2);
    let lines: Vec<&[u8]> = split_crlf(input);
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        encode_qp_line(line, &mut out);
    }
    out
}

fn split_crlf(input: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 1 < input.len() {
        if input[i] == b'\r' && input[i + 1] == b'\n' {
            lines.push(&input[start..i]);
            i += 2;
            start = i;
        } else {
            i += 1;
        }
    }
    lines.push(&input[start..]);
    lines
}

fn encode_qp_line(line: &[u8], out: &mut String) {
    let mut width = 0;
    for (i, &b) in line.iter().enumerate() {
        let last = i + 1 == line.len();
        let literal = match b {
            b'=' => false,
            b' ' | b'\t' => !last,
            33..=126 => true,
            _ => false,
        };
        let token = if literal {
            (b as char).to_string()
        } else {
            format!("={b:02X}")
        };
        // Leave room for the soft break "=" unless this token ends the line.
        let room = if last { QP_LINE } else { QP_LINE - 1 };
        if width + token.len() > room {
            out.push_str("=\r\n");
            width = 0;
        }
        out.push_str(&token);
        width += token.len();
    }
}

/// Base64 in lines of 76 characters, CRLF separated, no trailing line break.
pub(super) fn base64_lines(data: &[u8]) -> String {
    let encoded = STANDARD.encode(data);
    let mut out = String::with_capacity(encoded.len() + encoded.len() / B64_LINE * 2);
    for (i, chunk) in encoded.as_bytes().chunks(B64_LINE).enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        // Base64 output is ASCII.
        out.push_str(&String::from_utf8_lossy(chunk));
    }
    out
}

/// A complete header field "Name: value\r\n", folded, with `value` RFC 2047-encoded (UTF-8,
/// B encoding) when it is not plain printable ASCII or could be mistaken for encoded words.
pub(super) fn unstructured_header(name: &str, value: &str) -> String {
    let value = one_line(value);
    let needs_encoding = !value.bytes().all(|b| (32..=126).contains(&b))
        || value.contains("=?")
        || value
            .split(' ')
            .any(|w| w.len() > HEADER_LINE.saturating_sub(name.len() + 2));
    if needs_encoding {
        // The first word shares its line with "Name: ".
        let words = encoded_words(&value, HEADER_LINE.saturating_sub(name.len() + 2));
        let mut out = format!("{name}:");
        for (i, w) in words.iter().enumerate() {
            out.push_str(if i == 0 { " " } else { "\r\n " });
            out.push_str(w);
        }
        out.push_str("\r\n");
        out
    } else {
        fold(name, &value)
    }
}

/// A header with a structured value (addresses, parameters) written as given; folded only at
/// spaces, never inside quoted strings.
pub(super) fn structured_header(name: &str, value: &str) -> String {
    fold(name, &one_line(value))
}

/// Header values are single lines: embedded line breaks would inject headers.
fn one_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

fn fold(name: &str, value: &str) -> String {
    let mut out = format!("{name}:");
    let mut width = out.len();
    let mut in_quotes = false;
    let mut word = String::new();
    let mut words: Vec<String> = Vec::new();
    for c in value.chars() {
        if c == '"' {
            in_quotes = !in_quotes;
        }
        if c == ' ' && !in_quotes {
            words.push(std::mem::take(&mut word));
        } else {
            word.push(c);
        }
    }
    words.push(word);
    for (i, w) in words.iter().enumerate() {
        if i > 0 && width + 1 + w.len() > HEADER_LINE {
            out.push_str("\r\n");
            width = 0;
        }
        out.push(' ');
        out.push_str(w);
        width += 1 + w.len();
    }
    out.push_str("\r\n");
    out
}

/// RFC 2047 B-encoded UTF-8 words, each at most 75 characters (the first at most
/// `first_width`), split at character boundaries.
fn encoded_words(value: &str, first_width: usize) -> Vec<String> {
    const PREFIX: &str = "=?utf-8?B?";
    const SUFFIX: &str = "?=";
    let raw_budget = |width: usize| {
        let width = width.min(ENCODED_WORD_MAX);
        (width.saturating_sub(PREFIX.len() + SUFFIX.len()) / 4 * 3).max(4)
    };
    // Continuation lines start with one space.
    let later = raw_budget(HEADER_LINE - 1);
    let mut budget = raw_budget(first_width);
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in value.chars() {
        if !chunk.is_empty() && chunk.len() + c.len_utf8() > budget {
            words.push(format!(
                "{PREFIX}{}{SUFFIX}",
                STANDARD.encode(chunk.as_bytes())
            ));
            chunk.clear();
            budget = later;
        }
        chunk.push(c);
    }
    if !chunk.is_empty() || words.is_empty() {
        words.push(format!(
            "{PREFIX}{}{SUFFIX}",
            STANDARD.encode(chunk.as_bytes())
        ));
    }
    words
}

/// Parameter value as a quoted-string (RFC 2045 5.1), escaping quotes and backslashes.
pub(super) fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in one_line(value).chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(b"hello", "hello")]
    #[case(b"a=b", "a=3Db")]
    #[case(b"trail ", "trail=20")]
    #[case(b"tab\tin", "tab\tin")]
    #[case(b"one\r\ntwo", "one\r\ntwo")]
    #[case(b"\xC4\xE3", "=C4=E3")]
    #[case(b"lone\nlf", "lone=0Alf")]
    fn qp_encodes(#[case] input: &[u8], #[case] expected: &str) {
        assert_eq!(quoted_printable(input), expected);
    }

    #[test]
    fn qp_lines_stay_within_76() {
        let input = "é".repeat(100);
        let encoded = quoted_printable(input.as_bytes());
        assert!(encoded.split("\r\n").all(|l| l.len() <= 76), "{encoded}");
        assert!(encoded.contains("=\r\n"));
        let unwrapped = encoded.replace("=\r\n", "");
        assert_eq!(unwrapped, "=C3=A9".repeat(100));
    }

    #[test]
    fn base64_wraps_at_76() {
        let out = base64_lines(&[0u8; 200]);
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines[0].len(), 76);
        assert!(lines.iter().all(|l| l.len() <= 76));
        assert_eq!(lines.concat(), STANDARD.encode([0u8; 200]));
    }

    #[rstest]
    #[case("Subject", "plain words", "Subject: plain words\r\n")]
    #[case("Subject", "line\r\nbreak", "Subject: line  break\r\n")]
    #[case("Subject", "你好", "Subject: =?utf-8?B?5L2g5aW9?=\r\n")]
    fn unstructured(#[case] name: &str, #[case] value: &str, #[case] expected: &str) {
        assert_eq!(unstructured_header(name, value), expected);
    }

    #[test]
    fn long_headers_fold_within_limits() {
        let h = unstructured_header("Subject", &"word ".repeat(40));
        assert!(h.split("\r\n").all(|l| l.len() <= 78), "{h}");
        let h = unstructured_header("Subject", &"你好".repeat(40));
        let lines: Vec<&str> = h.trim_end().split("\r\n").collect();
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.len() <= 76), "{h}");
        assert!(lines[1..].iter().all(|l| l.starts_with(' ')));
    }

    #[test]
    fn quoting_escapes() {
        assert_eq!(quoted(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
