//! Bounded line reading for SMTP: a peer cannot make us buffer an endless line.

use std::io;

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// Bytes of an over-long line we are willing to skip while looking for its end; past this the
/// peer is not speaking SMTP and the caller should hang up.
pub(crate) const DISCARD_LIMIT: usize = 64 * 1024;

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// A complete line including its terminating LF (and CR if sent).
    Complete(Vec<u8>),
    /// The line exceeded the limit; it has been consumed and dropped.
    TooLong,
    /// The peer closed the stream (a trailing partial line is dropped).
    Eof,
}

/// Reads one LF-terminated line of at most `max` bytes (terminator included).
pub(crate) async fn read_line<R: AsyncBufRead + Unpin>(r: &mut R, max: usize) -> io::Result<Line> {
    let mut line = Vec::new();
    let mut too_long = false;
    let mut skipped = 0usize;
    loop {
        let buf = r.fill_buf().await?;
        if buf.is_empty() {
            return Ok(Line::Eof);
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if too_long {
            skipped += take;
        } else if line.len() + take > max {
            too_long = true;
            skipped = line.len() + take;
            line = Vec::new();
        } else {
            line.extend_from_slice(&buf[..take]);
        }
        r.consume(take);
        if done {
            return Ok(if too_long {
                Line::TooLong
            } else {
                Line::Complete(line)
            });
        }
        if skipped > DISCARD_LIMIT {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("line longer than {DISCARD_LIMIT} bytes without an end"),
            ));
        }
    }
}

/// The line without its CR LF, decoded lossily, for dialogues.
pub(crate) fn display(line: &[u8]) -> String {
    let trimmed = line
        .strip_suffix(b"\n")
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .unwrap_or(line);
    String::from_utf8_lossy(trimmed).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use tokio::io::BufReader;

    async fn lines(input: &[u8], max: usize) -> Vec<Result<Line, io::ErrorKind>> {
        // A tiny buffer exercises lines split across reads.
        let mut r = BufReader::with_capacity(3, input);
        let mut out = Vec::new();
        loop {
            match read_line(&mut r, max).await {
                Ok(Line::Eof) => {
                    out.push(Ok(Line::Eof));
                    return out;
                }
                Ok(l) => out.push(Ok(l)),
                Err(e) => {
                    out.push(Err(e.kind()));
                    return out;
                }
            }
        }
    }

    #[rstest]
    #[case(b"HELO x\r\nQUIT\r\n", 100, vec![Ok(Line::Complete(b"HELO x\r\n".to_vec())), Ok(Line::Complete(b"QUIT\r\n".to_vec())), Ok(Line::Eof)])]
    #[case(b"abcdefgh\r\nok\n", 5, vec![Ok(Line::TooLong), Ok(Line::Complete(b"ok\n".to_vec())), Ok(Line::Eof)])]
    #[case(b"abcd\n", 5, vec![Ok(Line::Complete(b"abcd\n".to_vec())), Ok(Line::Eof)])]
    #[case(b"partial", 100, vec![Ok(Line::Eof)])]
    #[tokio::test]
    async fn reads_bounded_lines(
        #[case] input: &[u8],
        #[case] max: usize,
        #[case] expected: Vec<Result<Line, io::ErrorKind>>,
    ) {
        assert_eq!(lines(input, max).await, expected);
    }

    #[tokio::test]
    async fn endless_line_is_an_error() {
        let input = vec![b'a'; DISCARD_LIMIT + 10];
        assert_eq!(
            lines(&input, 10).await,
            vec![Err(io::ErrorKind::InvalidData)]
        );
    }

    #[rstest]
    #[case(b"QUIT\r\n", "QUIT")]
    #[case(b"QUIT\n", "QUIT")]
    #[case(b"QU\xffIT", "QU\u{fffd}IT")]
    fn display_strips_terminators(#[case] line: &[u8], #[case] expected: &str) {
        assert_eq!(display(line), expected);
    }
}
