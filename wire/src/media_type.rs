//! Media types as Content-Type headers and MIME parts carry them (RFC 9110 8.3.1, RFC 2045
//! 5.1): the essence ("text/xml") compared without parameters and letter case, and the
//! parameters. One reader for HTTP bindings, MIME mail and the media types of OMS contents.

/// A media type (a Content-Type value) split into its lower-cased essence and parameters
/// (RFC 9110 8.3.1), with quoted-string parameter values unescaped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaType {
    pub essence: String,
    pub params: Vec<(String, String)>,
}

impl MediaType {
    pub fn parse(value: &str) -> MediaType {
        let (essence, mut rest) = match value.find(';') {
            Some(i) => (&value[..i], &value[i + 1..]),
            None => (value, ""),
        };
        let mut params = Vec::new();
        loop {
            rest = rest.trim_start_matches([' ', '\t', ';']);
            if rest.is_empty() {
                break;
            }
            let Some(eq) = rest
                .find(['=', ';'])
                .filter(|&i| rest.as_bytes()[i] == b'=')
            else {
                // A parameter without value: skip it.
                rest = rest.find(';').map_or("", |i| &rest[i..]);
                continue;
            };
            let name = rest[..eq].trim().to_ascii_lowercase();
            rest = &rest[eq + 1..];
            let value;
            if let Some(quoted) = rest.strip_prefix('"') {
                let mut out = String::new();
                let mut chars = quoted.char_indices();
                let mut end = quoted.len();
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, escaped)) = chars.next() {
                                out.push(escaped);
                            }
                        }
                        '"' => {
                            end = i + 1;
                            break;
                        }
                        c => out.push(c),
                    }
                }
                value = out;
                rest = &quoted[end.min(quoted.len())..];
                rest = rest.find(';').map_or("", |i| &rest[i..]);
            } else {
                let stop = rest.find(';').unwrap_or(rest.len());
                value = rest[..stop].trim().to_owned();
                rest = &rest[stop..];
            }
            params.push((name, value));
        }
        MediaType {
            essence: essence.trim().to_ascii_lowercase(),
            params,
        }
    }

    /// The value of parameter `name` (lower case), the first when it repeats.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The essence of a media type ("text/plain"): the type and subtype, lower-cased and trimmed,
/// parameters left out.
pub fn essence(content_type: &str) -> String {
    MediaType::parse(content_type).essence
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("text/xml", "text/xml")]
    #[case("Text/XML; charset=utf-8", "text/xml")]
    #[case(" application/soap+xml ;action=\"urn:a\"", "application/soap+xml")]
    #[case("", "")]
    fn essences(#[case] value: &str, #[case] expected: &str) {
        assert_eq!(essence(value), expected);
    }

    #[test]
    fn parameters_are_read_with_quotes_undone() {
        let t = MediaType::parse("multipart/related; TYPE=\"application/smil\"; start=a");
        assert_eq!(t.essence, "multipart/related");
        assert_eq!(t.param("type"), Some("application/smil"));
        assert_eq!(t.param("start"), Some("a"));
        assert_eq!(t.param("missing"), None);
    }
}
