//! Credential redaction. Every string that leaves the harness (transcripts, checks, reports,
//! console) goes through one `Redactor`, so no reporter can forget it.
//!
//! A secret is found in every form it takes on the wire or in a record, without having to
//! list those forms: each of its characters may appear
//!
//! - raw;
//! - escaped for XML, by a writer that escapes `&<>` only or all five characters (`&quot;` or
//!   `&#34;`, `&apos;` or `&#39;`, and the hexadecimal references), once or twice (a payload
//!   carried as a string inside a SOAP element);
//! - percent-encoded (either hex case; a space as `%20` or `+`), once or twice;
//! - escaped by `{:?}` (`expect_eq` on strings records their Debug form) or quoted for a POSIX
//!   shell (`'` as `'\''`, as trigger command lines carry placeholder values).
//!
//! Characters may mix forms within one occurrence. A base64 token whose decoded bytes hold a
//! secret (HTTP Basic `user:password`, padded or not) is masked, and the value of an `Authorization:` header (or a
//! `Basic`/`Bearer` token on a line that names authorization) is masked whatever it is.
//!
//! A secret that starts or ends with a word character is only masked where it stands as a whole
//! word: a short user id such as "erin" must not turn `delivering` into `deliv[REDACTED]g`.

use base64::Engine as _;

/// What replaces a secret.
pub const MASK: &str = "[REDACTED]";

/// Header names whose whole value is a credential, whatever the profile says.
const SECRET_HEADERS: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// One spelling of one character of a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Alt {
    text: String,
    /// Hexadecimal digits may be written in either case.
    ignore_case: bool,
}

/// A secret as a sequence of characters, each with every spelling it may take.
#[derive(Clone, Debug)]
struct Pattern {
    len: usize,
    chars: Vec<Vec<Alt>>,
    /// Bytes an occurrence can start with, to skip most positions at once.
    first: Box<[bool; 256]>,
    needs_left: bool,
    needs_right: bool,
}

/// Masks secrets (and credential headers) in text. The runner builds one per suite from
/// `Prepared::secrets`, and `Cx` passes everything it records through it.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    raw: Vec<String>,
    /// Longest first, so a secret that contains another is masked whole.
    patterns: Vec<Pattern>,
}

impl Redactor {
    /// A redactor with no secrets: it still masks `Authorization`-style headers and SMTP AUTH.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a value to mask, in all the forms described in the module documentation.
    pub fn add_secret(&mut self, secret: &str) {
        if secret.trim().is_empty() || self.raw.iter().any(|s| s == secret) {
            return;
        }
        self.raw.push(secret.to_string());
        self.rebuild();
    }

    /// A redactor for these secrets; blank and repeated values are ignored.
    pub fn with_secrets<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let mut r = Redactor::new();
        for s in secrets {
            if !s.trim().is_empty() && !r.raw.iter().any(|x| x == s) {
                r.raw.push(s.to_string());
            }
        }
        r.rebuild();
        r
    }

    fn rebuild(&mut self) {
        let mut patterns: Vec<Pattern> = self.raw.iter().map(|s| Pattern::new(s)).collect();
        patterns.sort_by_key(|p| std::cmp::Reverse(p.len));
        self.patterns = patterns;
    }

    /// Masks every secret inside a binary frame, in its UTF-8 (ASCII) and UTF-16LE forms,
    /// byte for byte with `*` (0x2A, or 0x2A 0x00), so the frame keeps its length and the
    /// field offsets of its hex dump stay right. Unlike `redact` it masks every occurrence,
    /// not only whole words: a binary frame has no word boundaries.
    pub fn redact_bytes(&self, bytes: &mut [u8]) {
        for secret in &self.raw {
            let ascii = secret.as_bytes();
            mask_all(bytes, ascii, 1);
            let utf16: Vec<u8> = secret
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes())
                .collect();
            mask_all(bytes, &utf16, 2);
        }
    }

    /// Masks every secret, in every form, where it stands as a whole word.
    pub fn redact(&self, text: &str) -> String {
        let mut out = redact_header_lines(text);
        if !self.raw.is_empty() {
            out = self.redact_base64(&out);
        }
        for p in &self.patterns {
            if out.bytes().any(|b| p.first[b as usize]) {
                out = p.replace(&out);
            }
        }
        out
    }
}

impl Redactor {
    /// Masks base64 tokens (HTTP Basic credentials, padded or not) whose decoded bytes hold a
    /// secret. Decoding the tokens a text carries costs one pass, where encoding every pair of
    /// secrets would cost one pass per pair.
    fn redact_base64(&self, text: &str) -> String {
        let is_b64 = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=';
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let (mut last, mut i) = (0, 0);
        while i < bytes.len() {
            if !is_b64(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && is_b64(bytes[i]) {
                i += 1;
            }
            let token = &text[start..i];
            if token.len() >= 8 && self.decodes_to_secret(token) {
                out.push_str(&text[last..start]);
                out.push_str(MASK);
                last = i;
            }
        }
        out.push_str(&text[last..]);
        out
    }

    fn decodes_to_secret(&self, token: &str) -> bool {
        use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
        let decoded = STANDARD
            .decode(token)
            .or_else(|_| STANDARD_NO_PAD.decode(token.trim_end_matches('=')));
        let Ok(decoded) = decoded else {
            return false;
        };
        self.raw.iter().any(|secret| {
            let s = secret.as_bytes();
            !s.is_empty() && decoded.windows(s.len()).any(|w| w == s)
        })
    }
}

/// Overwrites each occurrence of `needle` in `hay` with `*` in units of `unit` bytes (the
/// first byte of each unit becomes 0x2A, the rest 0x00).
fn mask_all(hay: &mut [u8], needle: &[u8], unit: usize) {
    if needle.is_empty() || needle.len() > hay.len() {
        return;
    }
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        if &hay[i..i + needle.len()] == needle {
            for (k, b) in hay[i..i + needle.len()].iter_mut().enumerate() {
                *b = if k % unit == 0 { b'*' } else { 0 };
            }
            i += needle.len();
        } else {
            i += 1;
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every spelling of one character (see the module documentation).
fn spellings(c: char) -> Vec<Alt> {
    let mut out = vec![Alt {
        text: c.to_string(),
        ignore_case: false,
    }];
    let mut add = |text: String, ignore_case: bool| {
        if !out.iter().any(|a| a.text == text) {
            out.push(Alt { text, ignore_case });
        }
    };
    let mut utf8 = [0u8; 4];
    let bytes = c.encode_utf8(&mut utf8).as_bytes();
    let once: String = bytes.iter().map(|b| format!("%{b:02X}")).collect();
    let twice: String = bytes.iter().map(|b| format!("%25{b:02X}")).collect();
    add(once, true);
    add(twice, true);
    if c == ' ' {
        add("+".into(), false);
    }
    let entities: &[&str] = match c {
        '&' => &["&amp;", "&#38;", "&#x26;"],
        '<' => &["&lt;", "&#60;", "&#x3c;"],
        '>' => &["&gt;", "&#62;", "&#x3e;"],
        '"' => &["&quot;", "&#34;", "&#x22;"],
        '\'' => &["&apos;", "&#39;", "&#x27;"],
        _ => &[],
    };
    for e in entities {
        add(e.to_string(), e.starts_with("&#x"));
        add(format!("&amp;{}", &e[1..]), e.starts_with("&#x"));
    }
    let escaped: &[&str] = match c {
        '"' => &["\\\""],
        '\\' => &["\\\\"],
        '\'' => &["\\'", "'\\''"],
        '\n' => &["\\n"],
        '\r' => &["\\r"],
        '\t' => &["\\t"],
        '/' => &["\\/"],
        _ => &[],
    };
    for e in escaped {
        add(e.to_string(), false);
    }
    out
}

impl Pattern {
    fn new(secret: &str) -> Pattern {
        let chars: Vec<Vec<Alt>> = secret.chars().map(spellings).collect();
        let mut first = Box::new([false; 256]);
        if let Some(alts) = chars.first() {
            for a in alts {
                if let Some(&b) = a.text.as_bytes().first() {
                    first[b as usize] = true;
                    if a.ignore_case {
                        first[b.to_ascii_lowercase() as usize] = true;
                        first[b.to_ascii_uppercase() as usize] = true;
                    }
                }
            }
        }
        Pattern {
            len: secret.len(),
            chars,
            first,
            needs_left: secret.chars().next().is_some_and(is_word_char),
            needs_right: secret.chars().next_back().is_some_and(is_word_char),
        }
    }

    /// The end of the longest occurrence starting at `start` that is not glued to a further
    /// word character.
    fn match_at(&self, text: &str, start: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut reach = vec![start];
        for alts in &self.chars {
            let mut next: Vec<usize> = Vec::new();
            for &pos in &reach {
                for a in alts {
                    let end = pos + a.text.len();
                    let Some(slice) = bytes.get(pos..end) else {
                        continue;
                    };
                    let hit = if a.ignore_case {
                        slice.eq_ignore_ascii_case(a.text.as_bytes())
                    } else {
                        slice == a.text.as_bytes()
                    };
                    if hit && !next.contains(&end) {
                        next.push(end);
                    }
                }
            }
            if next.is_empty() {
                return None;
            }
            reach = next;
        }
        reach
            .into_iter()
            .filter(|&end| {
                !self.needs_right
                    || !text
                        .get(end..)
                        .and_then(|r| r.chars().next())
                        .is_some_and(is_word_char)
            })
            .max()
    }

    fn replace(&self, text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        let mut i = 0;
        while i < bytes.len() {
            // Occurrences start at character boundaries: every spelling begins with an ASCII
            // byte or the lead byte of a character.
            if self.first[bytes[i] as usize] && text.is_char_boundary(i) {
                let left_ok =
                    !self.needs_left || !text[..i].chars().next_back().is_some_and(is_word_char);
                if left_ok {
                    if let Some(end) = self.match_at(text, i) {
                        out.push_str(&text[last..i]);
                        out.push_str(MASK);
                        last = end;
                        i = end;
                        continue;
                    }
                }
            }
            i += 1;
        }
        out.push_str(&text[last..]);
        out
    }
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
    if line.to_ascii_lowercase().contains("authorization") {
        if let Some(masked) = mask_auth_tokens(line) {
            return Some(masked);
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

/// Masks the token after `Basic `, `Bearer ` or `Digest ` (a header value quoted inside some
/// other rendering, such as a Debug-printed header map).
fn mask_auth_tokens(line: &str) -> Option<String> {
    let lower = line.to_ascii_lowercase();
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    let mut changed = false;
    for scheme in ["basic ", "bearer ", "digest "] {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(scheme) {
            let start = from + pos + scheme.len();
            let len = line[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || "+/=._~-,\"".contains(c)))
                .unwrap_or(line.len() - start);
            if len > 0 && start >= last {
                out.push_str(&line[last..start]);
                out.push_str(MASK);
                last = start + len;
                changed = true;
            }
            from = start;
        }
    }
    if !changed {
        return None;
    }
    out.push_str(&line[last..]);
    Some(out)
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
    fn masks_secrets_in_binary_frames_in_both_encodings() {
        let r = Redactor::with_secrets(["pw1"]);
        let mut frame = b"\x01pw1\x00p\x00w\x001\x00\x02".to_vec();
        r.redact_bytes(&mut frame);
        assert_eq!(frame, b"\x01***\x00*\x00*\x00*\x00\x02".to_vec());
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

    const HARD: &str = "Zx7&Q<u>\"'pw";

    fn esc(s: &str, quot: &str, apos: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', quot)
            .replace('\'', apos)
    }

    /// Every form the wire writers and the recorders give a password.
    fn hard_forms() -> Vec<String> {
        let mut forms = vec![HARD.to_string()];
        for (q, a) in [
            ("\"", "'"),
            ("&quot;", "&apos;"),
            ("&#34;", "&#39;"),
            ("&quot;", "&#39;"),
            ("&#34;", "&apos;"),
        ] {
            let once = esc(HARD, q, a);
            let twice = esc(&once, q, a);
            forms.push(once);
            forms.push(twice);
        }
        forms.push("Zx7%26Q%3Cu%3E%22%27pw".into());
        forms.push("Zx7%26Q%3cu%3e%22%27pw".into());
        forms.push(format!("{HARD:?}").trim_matches('"').to_string());
        forms.push(super::super::trigger::shell_quote(HARD));
        forms
    }

    #[test]
    fn every_form_of_a_markup_password_is_masked() {
        let r = Redactor::with_secrets(["alice", HARD]);
        for form in hard_forms() {
            let text = format!("<password>{form}</password> and ?pw={form}&x=1");
            let out = r.redact(&text);
            assert!(
                !out.contains("Q<u") && !out.contains("pw<") && !out.contains("Zx7"),
                "{form} -> {out}"
            );
            assert_eq!(out.matches(MASK).count(), 2, "{form} -> {out}");
        }
    }

    #[test]
    fn url_encoded_spaces_either_way() {
        let r = Redactor::with_secrets(["my secret pw"]);
        for form in ["my+secret+pw", "my%20secret%20pw", "my%20secret+pw"] {
            assert_eq!(
                r.redact(&format!("p={form}&u=1")),
                "p=[REDACTED]&u=1",
                "{form}"
            );
        }
    }

    #[test]
    fn basic_credentials_are_masked_wherever_they_appear() {
        let r = Redactor::with_secrets(["alice", HARD]);
        let token = base64::engine::general_purpose::STANDARD.encode(format!("alice:{HARD}"));
        let out = r.redact(&format!("sent token {token} in the header"));
        assert!(!out.contains(&token), "{out}");
        let unpadded = token.trim_end_matches('=');
        let out = r.redact(&format!("sent token {unpadded}, unpadded"));
        assert!(!out.contains(unpadded), "{out}");
        // Base64 that decodes to no secret is left alone.
        let other = base64::engine::general_purpose::STANDARD.encode("bob:nothing-secret");
        assert!(r.redact(&other).contains(&other));
        let out =
            Redactor::new().redact("headers: {\"authorization\": \"Basic QWxhZGRpbjpvcGVu\"}");
        assert!(!out.contains("QWxhZGRpbjpvcGVu"), "{out}");
    }

    #[test]
    fn escaped_short_secrets_keep_the_whole_word_rule() {
        let r = Redactor::with_secrets(["erin"]);
        assert_eq!(r.redact("%65rin@x"), "[REDACTED]@x");
        assert_eq!(r.redact("erinaceous"), "erinaceous");
    }
}
