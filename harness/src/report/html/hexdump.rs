//! Binary frames as annotated hex dumps: every byte is coloured by the field it belongs to
//! and names that field on hover, and the field table below uses the same colours.

use super::doc::FieldDoc;
use serde::Serialize;

/// How many colours the fields cycle through (`f0`..`f5` in the stylesheet).
const PALETTE: usize = 6;

/// One byte of the dump.
#[derive(Debug, Serialize)]
pub(super) struct Byte {
    /// Two hex digits.
    pub h: String,
    /// The colour class of its field ("f3"), or "" when no field covers it.
    pub c: String,
    /// The covering field's name, for the tooltip.
    pub t: String,
}

/// Sixteen bytes.
#[derive(Debug, Serialize)]
pub(super) struct Row {
    /// "0010".
    pub offset: String,
    /// The bytes.
    pub bytes: Vec<Byte>,
    /// Spaces standing for the missing bytes of a short last row, so the ASCII column aligns.
    pub pad: String,
    /// Printable ASCII, `.` for the rest.
    pub ascii: String,
}

/// A field as the table shows it.
#[derive(Debug, Serialize)]
pub(super) struct FieldRow {
    /// "0004..0007".
    pub range: String,
    /// The field's name.
    pub name: String,
    /// The decoded value.
    pub value: String,
    /// The colour class.
    pub c: String,
}

/// The dump of one frame.
#[derive(Debug, Serialize)]
pub(super) struct Dump {
    /// The rows.
    pub rows: Vec<Row>,
    /// The field table.
    pub fields: Vec<FieldRow>,
    /// Frame length in bytes.
    pub len: usize,
    /// Set when the hex in the report was malformed (the page says so).
    pub damaged: bool,
}

fn decode(hex: &str) -> (Vec<u8>, bool) {
    let digits = hex.as_bytes();
    let mut out = Vec::with_capacity(digits.len() / 2);
    for pair in digits.chunks(2) {
        let byte = std::str::from_utf8(pair)
            .ok()
            .filter(|s| s.len() == 2)
            .and_then(|s| u8::from_str_radix(s, 16).ok());
        match byte {
            Some(b) => out.push(b),
            None => return (out, true),
        }
    }
    (out, false)
}

/// The dump of `hex` (lowercase hex as the JSON report holds it) with its fields.
pub(super) fn dump(hex: &str, fields: &[FieldDoc]) -> Dump {
    let (bytes, damaged) = decode(hex);
    // The innermost field (the shortest) names a byte when fields nest.
    let owner = |at: usize| -> Option<usize> {
        fields
            .iter()
            .enumerate()
            .filter(|(_, f)| at >= f.offset && at < f.offset.saturating_add(f.len.max(1)))
            .min_by_key(|(_, f)| f.len)
            .map(|(i, _)| i)
    };
    let rows = bytes
        .chunks(16)
        .enumerate()
        .map(|(row, chunk)| Row {
            offset: format!("{:04x}", row * 16),
            bytes: chunk
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let at = row * 16 + i;
                    let (c, t) = match owner(at) {
                        Some(f) => (format!("f{}", f % PALETTE), fields[f].name.clone()),
                        None => (String::new(), String::new()),
                    };
                    Byte {
                        h: format!("{b:02x}"),
                        c,
                        t,
                    }
                })
                .collect(),
            pad: "   ".repeat(16 - chunk.len()),
            ascii: chunk
                .iter()
                .map(|b| {
                    if b.is_ascii_graphic() || *b == b' ' {
                        *b as char
                    } else {
                        '.'
                    }
                })
                .collect(),
        })
        .collect();
    let fields = fields
        .iter()
        .enumerate()
        .map(|(i, f)| FieldRow {
            range: format!(
                "{:04x}..{:04x}",
                f.offset,
                f.offset.saturating_add(f.len.max(1)) - 1
            ),
            name: f.name.clone(),
            value: f.value.clone(),
            c: format!("f{}", i % PALETTE),
        })
        .collect();
    Dump {
        len: bytes.len(),
        rows,
        fields,
        damaged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_take_the_innermost_field() {
        let fields = vec![
            FieldDoc {
                offset: 0,
                len: 4,
                name: "Header".into(),
                value: "..".into(),
            },
            FieldDoc {
                offset: 2,
                len: 1,
                name: "Flag".into(),
                value: "1".into(),
            },
        ];
        let d = dump("10300100ff", &fields);
        assert!(!d.damaged);
        let row = &d.rows[0];
        assert_eq!(row.bytes.len(), 5);
        assert_eq!(row.bytes[0].t, "Header");
        assert_eq!(row.bytes[2].t, "Flag");
        assert_eq!(row.bytes[4].c, "");
        assert_eq!(d.fields[1].range, "0002..0002");
        assert!(dump("1g", &[]).damaged);
    }
}
