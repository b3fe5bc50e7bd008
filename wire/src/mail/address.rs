//! Reading the address lists of From and To from the raw header text.
//!
//! mail-parser accepts forms RFC 5322 does not (the 4.5 example's `"Name" user@host` without
//! angle brackets, E-OMS-21), so the checker reads addresses itself to tell the two apart.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mailbox {
    /// The addr-spec, or for a malformed entry the best guess at it.
    pub address: String,
    /// The entry follows RFC 5322 3.4 (name-addr or addr-spec).
    pub well_formed: bool,
}

pub fn parse_address_list(value: &str) -> Vec<Mailbox> {
    split_top_level(value)
        .into_iter()
        .map(|item| strip_comments(&item).trim().to_string())
        .filter(|item| !item.is_empty())
        .map(|item| parse_mailbox(&item))
        .collect()
}

fn parse_mailbox(item: &str) -> Mailbox {
    if let Some(open) = find_unquoted(item, '<') {
        let rest = &item[open + 1..];
        return match rest.find('>') {
            Some(close) => {
                let address = rest[..close].trim().to_string();
                let trailing_ok = rest[close + 1..].trim().is_empty();
                let display_ok = display_name_ok(&item[..open]);
                Mailbox {
                    well_formed: trailing_ok && display_ok && is_addr_spec(&address),
                    address,
                }
            }
            None => Mailbox {
                address: rest.trim().to_string(),
                well_formed: false,
            },
        };
    }
    if is_addr_spec(item) {
        return Mailbox {
            address: item.to_string(),
            well_formed: true,
        };
    }
    // A display name followed by a bare address: keep the token that looks like the address.
    let guess = item
        .split_whitespace()
        .rev()
        .find(|t| t.contains('@'))
        .unwrap_or(item);
    Mailbox {
        address: guess.to_string(),
        well_formed: false,
    }
}

/// A phrase of atoms and quoted strings (or nothing).
fn display_name_ok(name: &str) -> bool {
    let mut in_quotes = false;
    let mut escaped = false;
    for c in name.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            _ if in_quotes => {}
            c if c.is_whitespace() => {}
            c if is_atext(c) || c == '.' => {}
            _ => return false,
        }
    }
    !in_quotes
}

pub fn is_addr_spec(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    if local.is_empty() || domain.is_empty() {
        return false;
    }
    let local_ok = if local.starts_with('"') && local.ends_with('"') && local.len() >= 2 {
        !local[1..local.len() - 1].contains(['\r', '\n'])
    } else {
        !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| is_atext(c) || c == '.')
    };
    let domain_ok = if domain.starts_with('[') && domain.ends_with(']') {
        domain.len() > 2
    } else {
        !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || !c.is_ascii())
    };
    local_ok && domain_ok
}

/// RFC 5322 3.2.3 atext (plus UTF-8, RFC 6532).
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c) || !c.is_ascii()
}

fn split_top_level(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let (mut in_quotes, mut in_angle, mut depth, mut escaped) = (false, false, 0u32, false);
    for c in value.chars() {
        if escaped {
            escaped = false;
            current.push(c);
            continue;
        }
        match c {
            '\\' if in_quotes || depth > 0 => escaped = true,
            '"' if depth == 0 => in_quotes = !in_quotes,
            '<' if !in_quotes && depth == 0 => in_angle = true,
            '>' if !in_quotes && depth == 0 => in_angle = false,
            '(' if !in_quotes => depth += 1,
            ')' if !in_quotes && depth > 0 => depth -= 1,
            ',' if !in_quotes && !in_angle && depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items
}

fn strip_comments(item: &str) -> String {
    let mut out = String::with_capacity(item.len());
    let (mut in_quotes, mut depth, mut escaped) = (false, 0u32, false);
    for c in item.chars() {
        if escaped {
            escaped = false;
            if depth == 0 {
                out.push(c);
            }
            continue;
        }
        match c {
            '\\' if in_quotes || depth > 0 => {
                escaped = true;
                if depth == 0 {
                    out.push(c);
                }
                continue;
            }
            '"' if depth == 0 => in_quotes = !in_quotes,
            '(' if !in_quotes => {
                depth += 1;
                continue;
            }
            ')' if !in_quotes && depth > 0 => {
                depth -= 1;
                continue;
            }
            _ => {}
        }
        if depth == 0 {
            out.push(c);
        }
    }
    out
}

fn find_unquoted(s: &str, needle: char) -> Option<usize> {
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            c if c == needle && !in_quotes => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("someone@example.com", &[("someone@example.com", true)])]
    #[case("\"Mobile Inbound Agent\" <in@sp.example>", &[("in@sp.example", true)])]
    #[case("Agent <in@sp.example> (comment)", &[("in@sp.example", true)])]
    #[case("\"Mobile Inbound Agent\" incomingmessage@service-provider.com", &[("incomingmessage@service-provider.com", false)])]
    #[case("a@x.example, \"Doe, J\" <b@y.example>", &[("a@x.example", true), ("b@y.example", true)])]
    #[case("<broken@x.example", &[("broken@x.example", false)])]
    #[case("no address here", &[("no address here", false)])]
    #[case("", &[])]
    #[case("<a@b> trailing", &[("a@b", false)])]
    fn parses_lists(#[case] value: &str, #[case] expected: &[(&str, bool)]) {
        let got: Vec<(String, bool)> = parse_address_list(value)
            .into_iter()
            .map(|m| (m.address, m.well_formed))
            .collect();
        let expected: Vec<(String, bool)> =
            expected.iter().map(|(a, w)| (a.to_string(), *w)).collect();
        assert_eq!(got, expected);
    }

    #[rstest]
    #[case("a@b.c", true)]
    #[case("first.last+tag@example.com", true)]
    #[case("\"quoted local\"@example.com", true)]
    #[case("a@[127.0.0.1]", true)]
    #[case("a..b@c", false)]
    #[case("@c", false)]
    #[case("a@", false)]
    #[case("a b@c", false)]
    #[case("a@-c", false)]
    fn addr_specs(#[case] s: &str, #[case] ok: bool) {
        assert_eq!(is_addr_spec(s), ok);
    }
}
