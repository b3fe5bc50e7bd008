//! Text payloads made readable: an XML body (SOAP) is re-indented and split into tag and
//! text segments for highlighting. The input is hostile and may be broken XML; anything that
//! does not tokenise cleanly is shown as it came. The page escapes every segment.

use serde::Serialize;

/// A piece of displayed text; `c` is its CSS class ("" for plain text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(super) struct Seg {
    /// "tg" for markup, "tx" for character data, "" for headers and indentation.
    pub c: &'static str,
    /// The text (escaped by the template).
    pub s: String,
}

fn plain(s: impl Into<String>) -> Seg {
    Seg { c: "", s: s.into() }
}

/// Largest body re-indented; beyond it the text is shown as is (it is capped upstream too).
const MAX_PRETTY: usize = 512 * 1024;

/// The payload as segments, and whether an XML body was re-indented (then the page also offers
/// the text exactly as exchanged).
pub(super) fn text(payload: &str) -> (Vec<Seg>, bool) {
    let (head, body) = split_body(payload);
    if body.len() <= MAX_PRETTY {
        if let Some(mut segs) = xml(body) {
            let mut out = Vec::new();
            if !head.is_empty() {
                out.push(plain(head));
            }
            out.append(&mut segs);
            return (out, true);
        }
    }
    (vec![plain(payload)], false)
}

/// Splits HTTP-like text at its blank line when what follows is markup; a payload that is
/// markup from the start is all body.
fn split_body(payload: &str) -> (&str, &str) {
    if payload.trim_start().starts_with('<') {
        return ("", payload);
    }
    for sep in ["\r\n\r\n", "\n\n"] {
        if let Some(i) = payload.find(sep) {
            let cut = i + sep.len();
            if payload[cut..].trim_start().starts_with('<') {
                return (&payload[..cut], &payload[cut..]);
            }
        }
    }
    (payload, "")
}

#[derive(Debug, PartialEq, Eq)]
enum Tok<'a> {
    Open(&'a str),
    Close(&'a str),
    /// Self-closing tags, declarations, comments, processing instructions, CDATA.
    Other(&'a str),
    Text(&'a str),
}

/// Splits markup into tokens; `None` when a `<` is never closed (not XML we can trust to
/// re-indent).
fn tokens(body: &str) -> Option<Vec<Tok<'_>>> {
    let mut out = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        if !rest.starts_with('<') {
            let end = rest.find('<').unwrap_or(rest.len());
            let t = rest[..end].trim();
            if !t.is_empty() {
                out.push(Tok::Text(t));
            }
            rest = &rest[end..];
            continue;
        }
        let end = if rest.starts_with("<!--") {
            rest.find("-->")? + 3
        } else if rest.starts_with("<![CDATA[") {
            rest.find("]]>")? + 3
        } else {
            tag_end(rest)?
        };
        let tag = &rest[..end];
        out.push(if tag.starts_with("</") {
            Tok::Close(tag)
        } else if tag.starts_with("<?") || tag.starts_with("<!") || tag.ends_with("/>") {
            Tok::Other(tag)
        } else {
            Tok::Open(tag)
        });
        rest = &rest[end..];
    }
    Some(out)
}

/// The end (exclusive) of a tag starting at 0: the first `>` outside quotes.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '<') => return None,
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// Re-indented markup, two spaces a level; an element holding only text stays on one line.
fn xml(body: &str) -> Option<Vec<Seg>> {
    let toks = tokens(body)?;
    if !toks
        .iter()
        .any(|t| matches!(t, Tok::Open(_) | Tok::Other(_)))
    {
        return None;
    }
    let mut out: Vec<Seg> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let indent = |d: usize| plain("  ".repeat(d));
    while i < toks.len() {
        if !out.is_empty() {
            out.push(plain("\n"));
        }
        match (&toks[i], toks.get(i + 1), toks.get(i + 2)) {
            (Tok::Open(o), Some(Tok::Text(t)), Some(Tok::Close(c))) => {
                out.push(indent(depth));
                out.push(Seg {
                    c: "tg",
                    s: (*o).into(),
                });
                out.push(Seg {
                    c: "tx",
                    s: (*t).into(),
                });
                out.push(Seg {
                    c: "tg",
                    s: (*c).into(),
                });
                i += 3;
                continue;
            }
            (Tok::Open(o), Some(Tok::Close(c)), _) => {
                out.push(indent(depth));
                out.push(Seg {
                    c: "tg",
                    s: format!("{o}{c}"),
                });
                i += 2;
                continue;
            }
            (Tok::Open(o), _, _) => {
                out.push(indent(depth));
                out.push(Seg {
                    c: "tg",
                    s: (*o).into(),
                });
                depth += 1;
            }
            (Tok::Close(c), _, _) => {
                depth = depth.saturating_sub(1);
                out.push(indent(depth));
                out.push(Seg {
                    c: "tg",
                    s: (*c).into(),
                });
            }
            (Tok::Other(o), _, _) => {
                out.push(indent(depth));
                out.push(Seg {
                    c: "tg",
                    s: (*o).into(),
                });
            }
            (Tok::Text(t), _, _) => {
                out.push(indent(depth));
                out.push(Seg {
                    c: "tx",
                    s: (*t).into(),
                });
            }
        }
        i += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(segs: &[Seg]) -> String {
        segs.iter().map(|s| s.s.as_str()).collect()
    }

    #[test]
    fn soap_is_reindented_below_its_headers() {
        let (segs, pretty) = text(
            "POST /ews HTTP/1.1\r\nContent-Type: text/xml\r\n\r\n<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"u\"><s:Body><m:A a=\"x>y\">1</m:A><m:B/></s:Body></s:Envelope>",
        );
        assert!(pretty);
        let s = joined(&segs);
        assert!(s.starts_with("POST /ews HTTP/1.1\r\n"), "{s}");
        assert!(
            s.contains("<s:Envelope xmlns:s=\"u\">\n  <s:Body>\n    <m:A a=\"x>y\">1</m:A>\n    <m:B/>\n  </s:Body>\n</s:Envelope>"),
            "{s}"
        );
    }

    #[test]
    fn broken_markup_and_plain_text_are_left_alone() {
        for raw in [
            "<a><b",
            "SMTP 250 OK",
            "HTTP/1.1 200 OK\r\n\r\nplain body",
            "<a <b>",
        ] {
            let (segs, pretty) = text(raw);
            assert!(!pretty, "{raw}");
            assert_eq!(joined(&segs), raw);
        }
    }
}
