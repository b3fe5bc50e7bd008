//! MIME structure checks the parser tolerates (RFC 2045, RFC 2046): boundary delimiters,
//! transfer-encoding names and encoded bodies that do not decode cleanly.

use mail_parser::{Message, MessagePart, MimeHeaders, PartType};

use super::framing::Issue;

const KNOWN_ENCODINGS: &[&str] = &["7bit", "8bit", "binary", "quoted-printable", "base64"];

/// Multiparts nested deeper than this are not scanned: each level rescans its body, so a
/// hostile mail of thousands of nested multiparts would otherwise cost quadratic time.
pub(super) const MAX_DEPTH: usize = 8;

/// Paths for every part id: "/body" for the root, "/body/part[2]/part[1]" below it; parts
/// deeper than [`MAX_DEPTH`] get a flat "/body/part#ID" so paths stay short.
pub(super) fn part_paths(message: &Message<'_>) -> Vec<String> {
    walk(message).into_iter().map(|(path, _)| path).collect()
}

/// (path, depth) for every part id.
fn walk(message: &Message<'_>) -> Vec<(String, usize)> {
    let mut paths = vec![(String::new(), 0usize); message.parts.len()];
    if paths.is_empty() {
        return paths;
    }
    paths[0] = ("/body".to_string(), 0);
    // Parts are stored parent before children; a stack keeps this linear and bounded.
    let mut stack = vec![0usize];
    while let Some(id) = stack.pop() {
        if let PartType::Multipart(children) = &message.parts[id].body {
            let depth = paths[id].1 + 1;
            for (n, &child) in children.iter().enumerate() {
                let child = child as usize;
                if child < paths.len() && paths[child].0.is_empty() {
                    let path = if depth > MAX_DEPTH {
                        format!("/body/part#{child}")
                    } else {
                        format!("{}/part[{}]", paths[id].0, n + 1)
                    };
                    paths[child] = (path, depth);
                    stack.push(child);
                }
            }
        }
    }
    for (i, (p, _)) in paths.iter_mut().enumerate() {
        if p.is_empty() {
            *p = format!("/body/part#{i}");
        }
    }
    paths
}

pub(super) fn check(message: &Message<'_>, raw: &[u8]) -> Vec<Issue> {
    let paths = walk(message);
    let mut issues = Vec::new();
    let mut too_deep = false;
    for (id, part) in message.parts.iter().enumerate() {
        let (path, depth) = (&paths[id].0, paths[id].1);
        let body = slice(raw, part.offset_body, part.offset_end);
        let cte = part
            .content_transfer_encoding()
            .map(|c| c.trim().to_ascii_lowercase());
        if let Some(cte) = &cte {
            if !KNOWN_ENCODINGS.contains(&cte.as_str()) {
                issues.push(Issue::new(
                    path,
                    format!("unknown Content-Transfer-Encoding {cte:?} (RFC 2045 6.1)"),
                ));
            }
        }
        let is_multipart = part
            .content_type()
            .is_some_and(|ct| ct.ctype().eq_ignore_ascii_case("multipart"));
        if is_multipart {
            if depth >= MAX_DEPTH {
                too_deep = true;
            } else {
                check_multipart(part, body, path, &mut issues);
            }
            continue;
        }
        if matches!(part.body, PartType::Message(_)) {
            continue;
        }
        if part.is_encoding_problem {
            issues.push(Issue::new(
                path,
                "the body does not decode with its transfer encoding",
            ));
        }
        match cte.as_deref() {
            Some("base64") => {
                if let Err(why) = check_base64(body) {
                    issues.push(Issue::new(path, format!("invalid base64 body: {why}")));
                }
            }
            Some("quoted-printable") => {
                if let Err(why) = check_quoted_printable(body) {
                    issues.push(Issue::new(
                        path,
                        format!("invalid quoted-printable body: {why}"),
                    ));
                }
            }
            None | Some("7bit") if body.iter().any(|&b| b >= 0x80) => {
                issues.push(Issue::new(
                    path,
                    "8-bit data in a part declared (or defaulting to) 7bit",
                ));
            }
            _ => {}
        }
    }
    if too_deep {
        issues.push(Issue::new(
            "/body",
            format!("multipart nesting deeper than {MAX_DEPTH} levels; deeper parts not checked"),
        ));
    }
    issues
}

fn slice(raw: &[u8], start: u32, end: u32) -> &[u8] {
    let (start, end) = (start as usize, end as usize);
    if start <= end && end <= raw.len() {
        &raw[start..end]
    } else {
        &[]
    }
}

fn check_multipart(part: &MessagePart<'_>, body: &[u8], path: &str, issues: &mut Vec<Issue>) {
    let Some(ct) = part.content_type() else {
        return;
    };
    let subtype = ct.subtype().unwrap_or("").to_ascii_lowercase();
    let Some(boundary) = ct.attribute("boundary") else {
        issues.push(Issue::new(
            path,
            format!("multipart/{subtype} without a boundary parameter (RFC 2046 5.1.1)"),
        ));
        return;
    };
    if !valid_boundary(boundary) {
        issues.push(Issue::new(
            path,
            format!("boundary {boundary:?} is not 1-70 allowed characters (RFC 2046 5.1.1)"),
        ));
    }
    let delimiter = format!("--{boundary}");
    let close = format!("--{boundary}--");
    let (mut delimiters, mut closes, mut bare) = (0, 0, 0);
    for line in body.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line = trim_trailing_space(line);
        if line == close.as_bytes() {
            closes += 1;
        } else if line == delimiter.as_bytes() {
            delimiters += 1;
        } else if line == boundary.as_bytes() || line == format!("{boundary}--").as_bytes() {
            bare += 1;
        }
    }
    if delimiters == 0 {
        let hint = if bare > 0 {
            format!(
                "; {bare} line(s) equal the boundary itself, a delimiter needs the leading \"--\""
            )
        } else {
            String::new()
        };
        issues.push(Issue::new(
            path,
            format!("no delimiter line \"{delimiter}\" in the multipart body{hint}"),
        ));
    }
    if closes == 0 {
        issues.push(Issue::new(
            path,
            format!("no close delimiter \"{close}\" (RFC 2046 5.1.1)"),
        ));
    }
}

fn trim_trailing_space(mut line: &[u8]) -> &[u8] {
    while let Some((&last, rest)) = line.split_last() {
        if last == b' ' || last == b'\t' {
            line = rest;
        } else {
            break;
        }
    }
    line
}

/// RFC 2046 5.1.1 bchars, 1 to 70 of them, not ending in a space.
fn valid_boundary(b: &str) -> bool {
    (1..=70).contains(&b.len())
        && !b.ends_with(' ')
        && b.chars()
            .all(|c| c.is_ascii_alphanumeric() || "'()+_,-./:=? ".contains(c))
}

fn check_base64(body: &[u8]) -> Result<(), String> {
    if let Some(n) = body
        .split(|&b| b == b'\n')
        .position(|l| l.strip_suffix(b"\r").unwrap_or(l).len() > 76)
    {
        return Err(format!(
            "encoded line {} is longer than 76 characters",
            n + 1
        ));
    }
    let mut count = 0usize;
    let mut padding = 0usize;
    for &b in body {
        match b {
            b'\r' | b'\n' | b' ' | b'\t' => {}
            b'=' => {
                padding += 1;
                count += 1;
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' => {
                if padding > 0 {
                    return Err("data after '=' padding".into());
                }
                count += 1;
            }
            other => {
                return Err(format!(
                    "character {:?} outside the base64 alphabet",
                    char::from(other)
                ))
            }
        }
    }
    if padding > 2 {
        return Err("more than two '=' padding characters".into());
    }
    if !count.is_multiple_of(4) {
        return Err(format!("{count} base64 characters, not a multiple of 4"));
    }
    Ok(())
}

fn check_quoted_printable(body: &[u8]) -> Result<(), String> {
    for (n, line) in body.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.len() > 76 {
            return Err(format!(
                "encoded line {} is longer than 76 characters",
                n + 1
            ));
        }
        let mut i = 0;
        while i < line.len() {
            match line[i] {
                b'=' => {
                    let rest = &line[i + 1..];
                    if trim_trailing_space(rest).is_empty() {
                        break; // soft line break
                    }
                    if rest.len() < 2
                        || !rest[0].is_ascii_hexdigit()
                        || !rest[1].is_ascii_hexdigit()
                    {
                        return Err(format!(
                            "'=' not followed by two hex digits on line {}",
                            n + 1
                        ));
                    }
                    i += 3;
                }
                b'\t' | b' ' | 33..=126 => i += 1,
                other => {
                    return Err(format!("unencoded byte 0x{other:02X} on line {}", n + 1));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(b"PHNtaWw+PC9zbWlsPg==", true)]
    #[case(b"PHNt\r\naWw+\r\n", true)]
    #[case(b"PHNtaWwt... 1pbD4=", false)]
    #[case(b"abc", false)]
    #[case(b"ab=c", false)]
    #[case(b"", true)]
    #[case(&[b'A'; 80], false)]
    fn base64_bodies(#[case] body: &[u8], #[case] ok: bool) {
        assert_eq!(check_base64(body).is_ok(), ok, "{:?}", check_base64(body));
    }

    #[rstest]
    #[case(b"plain text=20\r\nmore =\r\nsoft", true)]
    #[case(b"=C4=E3", true)]
    #[case(b"=G1", false)]
    #[case(b"raw \xC4", false)]
    #[case(&[b'a'; 77], false)]
    fn qp_bodies(#[case] body: &[u8], #[case] ok: bool) {
        assert_eq!(check_quoted_printable(body).is_ok(), ok);
    }

    #[rstest]
    #[case("=_oxconf_0_0", true)]
    #[case("-----Boundary=_thisisboundary", true)]
    #[case("", false)]
    #[case("bad\"quote", false)]
    #[case("ends with space ", false)]
    fn boundaries(#[case] b: &str, #[case] ok: bool) {
        assert_eq!(valid_boundary(b), ok);
    }
}
