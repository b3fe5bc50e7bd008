//! A bounds-checked little-endian reader for binary protocols, and the field spans it can
//! record on the way.
//!
//! Every read names the field it reads, so a short buffer is reported as "incomplete at
//! `MessageId`, offset 10, 8 bytes needed, 3 left" rather than as an index panic, and a
//! decoder that wants a hex dump with field names asks for it by passing a [`Spans`] trace.
//! The hot path passes [`NoTrace`], whose calls compile away: decoding a notification then
//! allocates nothing.
//!
//! "Incomplete" (the bytes stop inside a field) and "malformed" (the bytes are there but say
//! something the format forbids) are different errors: a streaming reader waits for more bytes
//! on the first and gives up on the second.

use std::fmt;

/// Where a decoder reports each field it read: name, offset and the field's bytes.
pub trait Trace<'a> {
    fn field(&mut self, name: &'static str, offset: usize, bytes: &'a [u8]);
}

/// The trace that records nothing (the hot path).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoTrace;

impl<'a> Trace<'a> for NoTrace {
    #[inline(always)]
    fn field(&mut self, _name: &'static str, _offset: usize, _bytes: &'a [u8]) {}
}

/// One field of a decoded frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span<'a> {
    pub name: &'static str,
    pub offset: usize,
    pub bytes: &'a [u8],
}

/// A trace that keeps every field, in read order (for transcripts and `oxconf decode`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spans<'a>(pub Vec<Span<'a>>);

impl<'a> Trace<'a> for Spans<'a> {
    fn field(&mut self, name: &'static str, offset: usize, bytes: &'a [u8]) {
        self.0.push(Span {
            name,
            offset,
            bytes,
        });
    }
}

/// Why a binary read stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinError {
    /// The buffer ends inside (or before) `field`.
    Incomplete {
        field: &'static str,
        offset: usize,
        needed: usize,
        available: usize,
    },
    /// The bytes of `field` are present but break rule `rule`.
    Malformed {
        rule: &'static str,
        field: &'static str,
        offset: usize,
    },
}

impl BinError {
    pub fn offset(&self) -> usize {
        match self {
            BinError::Incomplete { offset, .. } | BinError::Malformed { offset, .. } => *offset,
        }
    }

    pub fn field(&self) -> &'static str {
        match self {
            BinError::Incomplete { field, .. } | BinError::Malformed { field, .. } => field,
        }
    }
}

impl fmt::Display for BinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BinError::Incomplete {
                field,
                offset,
                needed,
                available,
            } => write!(
                f,
                "incomplete at {field} (offset {offset}): {needed} bytes needed, {available} left"
            ),
            BinError::Malformed {
                rule,
                field,
                offset,
            } => write!(f, "{rule} at {field} (offset {offset})"),
        }
    }
}

impl std::error::Error for BinError {}

/// A cursor over a byte slice whose reads are named and bounds-checked.
pub struct Reader<'a, 't, T: Trace<'a>> {
    buf: &'a [u8],
    pos: usize,
    trace: &'t mut T,
}

impl<'a, 't, T: Trace<'a>> Reader<'a, 't, T> {
    pub fn new(buf: &'a [u8], trace: &'t mut T) -> Self {
        Reader { buf, pos: 0, trace }
    }

    /// Offset of the next byte to read.
    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }

    /// The next `n` bytes as field `name`.
    #[inline(always)]
    pub fn bytes(&mut self, name: &'static str, n: usize) -> Result<&'a [u8], BinError> {
        let available = self.remaining();
        if n > available {
            return Err(self.incomplete(name, n));
        }
        let start = self.pos;
        let out = &self.buf[start..start + n];
        self.pos += n;
        self.trace.field(name, start, out);
        Ok(out)
    }

    #[inline(always)]
    pub fn array<const N: usize>(&mut self, name: &'static str) -> Result<[u8; N], BinError> {
        let b = self.bytes(name, N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(b);
        Ok(out)
    }

    #[inline(always)]
    pub fn u8(&mut self, name: &'static str) -> Result<u8, BinError> {
        Ok(self.array::<1>(name)?[0])
    }

    #[inline(always)]
    pub fn u16(&mut self, name: &'static str) -> Result<u16, BinError> {
        Ok(u16::from_le_bytes(self.array(name)?))
    }

    #[inline(always)]
    pub fn u32(&mut self, name: &'static str) -> Result<u32, BinError> {
        Ok(u32::from_le_bytes(self.array(name)?))
    }

    #[inline(always)]
    pub fn u64(&mut self, name: &'static str) -> Result<u64, BinError> {
        Ok(u64::from_le_bytes(self.array(name)?))
    }

    #[cold]
    #[inline(never)]
    fn incomplete(&self, field: &'static str, needed: usize) -> BinError {
        BinError::Incomplete {
            field,
            offset: self.pos,
            needed,
            available: self.remaining(),
        }
    }

    /// A malformed-field error at `offset` (the caller read the field and judged it).
    pub fn malformed(&self, rule: &'static str, field: &'static str, offset: usize) -> BinError {
        BinError::Malformed {
            rule,
            field,
            offset,
        }
    }
}

/// Upper-case hex of `bytes`, no separators.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0xF) as usize] as char);
    }
    out
}

/// Reads hex (either case, whitespace ignored anywhere), as pasted by people and printed by
/// the vectors. Err names the first character that is not a hex digit, or an odd count.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut high: Option<u8> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            continue;
        }
        let Some(v) = c.to_digit(16) else {
            return Err(format!("not a hex digit at character {i}: {c:?}"));
        };
        let v = v as u8;
        match high.take() {
            None => high = Some(v),
            Some(h) => out.push(h << 4 | v),
        }
    }
    if high.is_some() {
        return Err("odd number of hex digits".to_owned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_named_and_bounded() {
        let buf = [1u8, 0, 2, 0, 0, 0, 9];
        let mut spans = Spans::default();
        let mut r = Reader::new(&buf, &mut spans);
        assert_eq!(r.u16("A").unwrap(), 1);
        assert_eq!(r.u32("B").unwrap(), 2);
        let err = r.u16("C").unwrap_err();
        assert_eq!(
            err,
            BinError::Incomplete {
                field: "C",
                offset: 6,
                needed: 2,
                available: 1
            }
        );
        assert_eq!(spans.0.len(), 2);
        assert_eq!(spans.0[1].offset, 2);
        assert_eq!(spans.0[1].name, "B");
    }

    #[test]
    fn hex_round_trips_and_names_bad_input() {
        let bytes = parse_hex("0a Ff\n10").unwrap();
        assert_eq!(bytes, vec![0x0A, 0xFF, 0x10]);
        assert_eq!(hex(&bytes), "0AFF10");
        assert!(parse_hex("0g").unwrap_err().contains("character 1"));
        assert!(parse_hex("abc").unwrap_err().contains("odd"));
    }
}
