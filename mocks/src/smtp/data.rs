//! Reading the DATA payload: dot-unstuffing, CRLF normalisation and the size limit, without
//! ever holding more than the limit in memory.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncBufReadExt};
use tokio::time::timeout;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    LineStart,
    /// A '.' opened the line.
    Dot,
    /// ".\r" opened the line.
    DotCr,
    Mid,
    Cr,
}

/// What DATA produced.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Payload {
    /// Unstuffed message with CRLF line ends; empty when `overflow`.
    pub data: Vec<u8>,
    /// Bytes read from the peer, terminator included.
    pub received: usize,
    /// The message exceeded the size limit and was dropped.
    pub overflow: bool,
    /// Lines that ended in a bare LF (normalised to CRLF in `data`).
    pub bare_lf: usize,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum DataEnd {
    /// The terminating "." line was seen.
    Complete(Payload),
    /// The peer closed the stream mid-message.
    Eof,
    /// The peer kept sending far past the limit; the caller should hang up.
    Abandoned(Payload),
}

pub(crate) struct Unstuffer {
    state: State,
    max: usize,
    payload: Payload,
}

impl Unstuffer {
    pub(crate) fn new(max: usize) -> Self {
        Unstuffer {
            state: State::LineStart,
            max,
            payload: Payload::default(),
        }
    }

    /// Consumes input up to and including the end-of-data line. Returns how many bytes of
    /// `input` belonged to the message when the end was reached, None if more is needed.
    pub(crate) fn feed(&mut self, input: &[u8]) -> Option<usize> {
        for (i, &c) in input.iter().enumerate() {
            if self.step(c) {
                self.payload.received += i + 1;
                return Some(i + 1);
            }
        }
        self.payload.received += input.len();
        None
    }

    pub(crate) fn finish(self) -> Payload {
        self.payload
    }

    /// Returns true at the end of data.
    fn step(&mut self, c: u8) -> bool {
        match self.state {
            State::LineStart if c == b'.' => self.state = State::Dot,
            State::LineStart => self.mid(c),
            State::Dot => match c {
                b'\r' => self.state = State::DotCr,
                b'\n' => {
                    self.payload.bare_lf += 1;
                    return true;
                }
                // The leading dot was stuffing: drop it.
                _ => self.mid(c),
            },
            State::DotCr => {
                if c == b'\n' {
                    return true;
                }
                self.state = State::Mid;
                self.mid(b'\r');
                self.step(c);
            }
            State::Mid => self.mid(c),
            State::Cr => match c {
                b'\n' => self.end_line(),
                b'\r' => self.emit(b"\r"),
                _ => {
                    self.emit(&[b'\r', c]);
                    self.state = State::Mid;
                }
            },
        }
        false
    }

    fn mid(&mut self, c: u8) {
        match c {
            b'\r' => self.state = State::Cr,
            b'\n' => {
                self.payload.bare_lf += 1;
                self.end_line();
            }
            _ => {
                self.emit(&[c]);
                self.state = State::Mid;
            }
        }
    }

    fn end_line(&mut self) {
        self.emit(b"\r\n");
        self.state = State::LineStart;
    }

    fn emit(&mut self, bytes: &[u8]) {
        if self.payload.overflow {
            return;
        }
        if self.payload.data.len() + bytes.len() > self.max {
            self.payload.overflow = true;
            self.payload.data = Vec::new();
            return;
        }
        self.payload.data.extend_from_slice(bytes);
    }
}

/// Reads the payload after "354". Each read must make progress within `idle` (else
/// `ErrorKind::TimedOut`); after `drain_cap` bytes without an end the read is abandoned.
pub(crate) async fn read_data<R: AsyncBufRead + Unpin>(
    r: &mut R,
    max: usize,
    drain_cap: usize,
    idle: Duration,
) -> io::Result<DataEnd> {
    let mut un = Unstuffer::new(max);
    loop {
        let buf = match timeout(idle, r.fill_buf()).await {
            Err(_) => return Err(io::Error::new(io::ErrorKind::TimedOut, "idle during DATA")),
            Ok(r) => r?,
        };
        if buf.is_empty() {
            return Ok(DataEnd::Eof);
        }
        let len = buf.len();
        if let Some(used) = un.feed(buf) {
            r.consume(used);
            return Ok(DataEnd::Complete(un.finish()));
        }
        r.consume(len);
        if un.payload.received > drain_cap {
            return Ok(DataEnd::Abandoned(un.finish()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn run(input: &[u8], max: usize) -> (Option<usize>, Payload) {
        let mut un = Unstuffer::new(max);
        let used = un.feed(input);
        (used, un.finish())
    }

    #[rstest]
    #[case(b".\r\n", b"")]
    #[case(b"a\r\n.\r\n", b"a\r\n")]
    #[case(b"..x\r\n.\r\n", b".x\r\n")]
    #[case(b"...\r\n.\r\n", b"..\r\n")]
    #[case(b"a\nb\n.\n", b"a\r\nb\r\n")]
    #[case(b"x.\r\n.y\r\n.\r\n", b"x.\r\ny\r\n")]
    #[case(b"a\rb\r\n.\r\n", b"a\rb\r\n")]
    #[case(b".\rz\r\n.\r\n", b"\rz\r\n")]
    fn unstuffs_and_normalises(#[case] input: &[u8], #[case] expected: &[u8]) {
        let (used, p) = run(input, 1000);
        assert_eq!(used, Some(input.len()));
        assert_eq!(p.data, expected);
        assert!(!p.overflow);
    }

    #[test]
    fn stops_at_the_terminator() {
        let (used, p) = run(b"a\r\n.\r\nQUIT\r\n", 1000);
        assert_eq!(used, Some(6));
        assert_eq!(p.data, b"a\r\n");
    }

    #[test]
    fn counts_bare_lf() {
        let (_, p) = run(b"a\nb\r\n.\r\n", 1000);
        assert_eq!(p.bare_lf, 1);
    }

    #[test]
    fn overflow_drops_the_message_but_finds_the_end() {
        let (used, p) = run(b"0123456789\r\n.\r\n", 5);
        assert_eq!(used, Some(15));
        assert!(p.overflow);
        assert!(p.data.is_empty());
    }

    #[test]
    fn split_feeds_are_equivalent() {
        let input = b"..a\r\nb\r\n.\r\n";
        let mut un = Unstuffer::new(100);
        let mut total = None;
        for (i, b) in input.iter().enumerate() {
            if let Some(n) = un.feed(std::slice::from_ref(b)) {
                assert_eq!(n, 1);
                total = Some(i + 1);
                break;
            }
        }
        assert_eq!(total, Some(input.len()));
        assert_eq!(un.finish().data, b".a\r\nb\r\n");
    }

    #[tokio::test]
    async fn async_reader_reports_eof_and_abandon() {
        let mut r = tokio::io::BufReader::new(&b"abc\r\n"[..]);
        let end = read_data(&mut r, 100, 1000, Duration::from_secs(1))
            .await
            .unwrap();
        assert_eq!(end, DataEnd::Eof);

        let endless = vec![b'x'; 5000];
        let mut r = tokio::io::BufReader::with_capacity(64, &endless[..]);
        let end = read_data(&mut r, 100, 1000, Duration::from_secs(1))
            .await
            .unwrap();
        assert!(matches!(end, DataEnd::Abandoned(p) if p.overflow));
    }
}
