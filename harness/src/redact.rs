//! Credential redaction. Every string that leaves the harness (transcripts, checks, reports,
//! console) goes through one `Redactor`, so no reporter can forget it.

/// What replaces a secret.
pub const MASK: &str = "[REDACTED]";

/// Header names whose whole value is a credential, whatever the profile says.
const SECRET_HEADERS: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

#[derive(Clone, Debug, Default)]
pub struct Redactor {
    /// Longest first, so a secret that contains another is masked whole.
    secrets: Vec<String>,
}

impl Redactor {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a value to mask, together with the forms it takes once escaped into XML, or
    /// escaped twice (a payload carried as a string inside a SOAP element), or quoted by
    /// `{:?}` (`expect_eq` on strings records their Debug form).
    pub fn add_secret(&mut self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        let once = xml_escape(secret);
        let twice = xml_escape(&once);
        let debug = format!("{secret:?}");
        let debug = debug
            .strip_prefix('"')
            .and_then(|d| d.strip_suffix('"'))
            .unwrap_or(secret)
            .to_string();
        for form in [secret.to_string(), once, twice, debug] {
            if !self.secrets.contains(&form) {
                self.secrets.push(form);
            }
        }
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    pub fn with_secrets<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let mut r = Redactor::new();
        for s in secrets {
            r.add_secret(s);
        }
        r
    }

    /// Masks every secret where it stands as a whole word: a short user id such as "erin"
    /// must not turn "delivering" into "deliv[REDACTED]g", while "erin@example.com",
    /// ">erin<" and "erin-pw" are masked.
    pub fn redact(&self, text: &str) -> String {
        let mut out = redact_header_lines(text);
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = replace_words(&out, secret);
            }
        }
        out
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Replaces `word` by the mask where it is not glued to further word characters. An edge of
/// `word` that is itself punctuation needs no boundary (as with `\b` in regular expressions).
fn replace_words(text: &str, word: &str) -> String {
    let needs_left = word.chars().next().is_some_and(is_word_char);
    let needs_right = word.chars().next_back().is_some_and(is_word_char);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(word) {
        let before = rest[..pos]
            .chars()
            .next_back()
            .or_else(|| out.chars().next_back());
        let after = rest[pos + word.len()..].chars().next();
        let left_ok = !needs_left || !before.is_some_and(is_word_char);
        let right_ok = !needs_right || !after.is_some_and(is_word_char);
        out.push_str(&rest[..pos]);
        if left_ok && right_ok {
            out.push_str(MASK);
        } else {
            out.push_str(word);
        }
        rest = &rest[pos + word.len()..];
    }
    out.push_str(rest);
    out
}

/// Masks the value of credential-bearing header lines (HTTP) and SMTP AUTH exchanges.
fn redact_header_lines(text: &str) -> String {
    let mut changed = false;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, eol) = split_eol(line);
        let masked = mask_line(body);
        if let Some(m) = &masked {
            out.push_str(m);
            changed = true;
        } else {
            out.push_str(body);
        }
        out.push_str(eol);
    }
    if changed {
        out
    } else {
        text.to_string()
    }
}

fn split_eol(line: &str) -> (&str, &str) {
    if let Some(stripped) = line.strip_suffix("\r\n") {
        (stripped, "\r\n")
    } else if let Some(stripped) = line.strip_suffix('\n') {
        (stripped, "\n")
    } else {
        (line, "")
    }
}

fn mask_line(line: &str) -> Option<String> {
    if let Some((name, _)) = line.split_once(':') {
        let lower = name.trim().to_ascii_lowercase();
        if SECRET_HEADERS.contains(&lower.as_str()) {
            return Some(format!("{name}: {MASK}"));
        }
    }
    let upper = line.trim_start().to_ascii_uppercase();
    if upper.starts_with("AUTH ") {
        let mut words = line.split_whitespace();
        let verb = words.next().unwrap_or("AUTH");
        let mech = words.next().unwrap_or("");
        return Some(format!("{verb} {mech} {MASK}"));
    }
    None
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("password=secret", "password=[REDACTED]")]
    #[case(
        "&lt;password&gt;s&amp;cret&lt;/password&gt;",
        "&lt;password&gt;[REDACTED]&lt;/password&gt;"
    )]
    #[case("&amp;lt;x&amp;gt;s&amp;amp;cret", "&amp;lt;x&amp;gt;[REDACTED]")]
    fn masks_plain_and_escaped_forms(#[case] input: &str, #[case] want: &str) {
        let r = Redactor::with_secrets(["secret", "s&cret"]);
        assert_eq!(r.redact(input), want);
    }

    #[test]
    fn masks_authorization_headers_without_being_told() {
        let r = Redactor::new();
        let text = "POST /oms HTTP/1.1\r\nAuthorization: Basic YWxpY2U6c2VjcmV0\r\nHost: x\r\n";
        let out = r.redact(text);
        assert!(out.contains("Authorization: [REDACTED]\r\n"));
        assert!(!out.contains("YWxpY2U6"));
        assert!(out.contains("Host: x\r\n"));
    }

    #[rstest]
    #[case("delivering to erin", "delivering to [REDACTED]")]
    #[case("erin@mail.example", "[REDACTED]@mail.example")]
    #[case("<userId>erin</userId>", "<userId>[REDACTED]</userId>")]
    #[case("erinaceous", "erinaceous")]
    fn masks_whole_words_only(#[case] input: &str, #[case] want: &str) {
        assert_eq!(Redactor::with_secrets(["erin"]).redact(input), want);
    }

    #[test]
    fn secrets_with_punctuation_edges_need_no_boundary() {
        let r = Redactor::with_secrets(["$ecret!"]);
        assert_eq!(r.redact("x$ecret!y"), "x[REDACTED]y");
    }

    #[test]
    fn masks_smtp_auth() {
        let out = Redactor::new().redact("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n");
        assert_eq!(out, "AUTH PLAIN [REDACTED]\r\n");
    }
}
