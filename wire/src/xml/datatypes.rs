//! Lexical checks for the XML Schema built-in types the EWS messages use (XML Schema Part 2,
//! 3.2.7 dateTime, 3.2.2 boolean, 3.3.17 int). They judge peer text exactly as a validating
//! parser would, without pulling a date library into the wire crate.

/// `xs:boolean`: `true`, `false`, `1` or `0`, after whitespace collapsing.
pub fn parse_boolean(text: &str) -> Option<bool> {
    match text.trim_matches(is_xml_space) {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// `xs:int`: an optionally signed decimal integer within 32 bits.
pub fn parse_int(text: &str) -> Option<i32> {
    let t = text.trim_matches(is_xml_space);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Whether `text` is a lexically valid `xs:dateTime`:
/// `-?YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?`, with real calendar dates, 24:00:00 allowed
/// only as exactly that, and time-zone offsets within ±14:00.
pub fn is_datetime(text: &str) -> bool {
    let t = text.trim_matches(is_xml_space);
    let t = t.strip_prefix('-').unwrap_or(t);
    let Some((date, time)) = t.split_once('T') else {
        return false;
    };
    let mut d = date.rsplitn(3, '-');
    let (Some(day), Some(month), Some(year)) = (d.next(), d.next(), d.next()) else {
        return false;
    };
    let (Some(year), Some(month), Some(day)) = (
        digits(year, 4, usize::MAX),
        digits(month, 2, 2),
        digits(day, 2, 2),
    ) else {
        return false;
    };
    if year.len() > 4 && year.starts_with('0') {
        return false;
    }
    let year: i64 = match year.parse() {
        Ok(y) => y,
        Err(_) => return false,
    };
    let (month, day) = (num(month), num(day));
    if year == 0 || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return false;
    }
    // Split the zone off the time.
    let (clock, zone) = match time.find(['Z', '+', '-']) {
        Some(i) => (&time[..i], Some(&time[i..])),
        None => (time, None),
    };
    if let Some(zone) = zone {
        if zone != "Z" {
            let Some(offset) = zone.get(1..) else {
                return false;
            };
            let Some((h, m)) = offset.split_once(':') else {
                return false;
            };
            let (Some(h), Some(m)) = (digits(h, 2, 2), digits(m, 2, 2)) else {
                return false;
            };
            let (h, m) = (num(h), num(m));
            if m > 59 || h > 14 || (h == 14 && m != 0) {
                return false;
            }
        }
    }
    let (whole, fraction) = match clock.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (clock, None),
    };
    if let Some(f) = fraction {
        if digits(f, 1, usize::MAX).is_none() {
            return false;
        }
    }
    let mut c = whole.split(':');
    let (Some(h), Some(m), Some(s), None) = (c.next(), c.next(), c.next(), c.next()) else {
        return false;
    };
    let (Some(h), Some(m), Some(s)) = (digits(h, 2, 2), digits(m, 2, 2), digits(s, 2, 2)) else {
        return false;
    };
    let (h, m, s) = (num(h), num(m), num(s));
    if h == 24 {
        return m == 0 && s == 0 && fraction.is_none_or(|f| f.bytes().all(|b| b == b'0'));
    }
    h < 24 && m < 60 && s < 60
}

fn digits(s: &str, min: usize, max: usize) -> Option<&str> {
    (s.len() >= min && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
}

fn num(s: &str) -> u32 {
    s.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("2026-12-03T05:47:53Z")]
    #[case("2026-12-03T05:47:53.123Z")]
    #[case("2026-12-03T05:47:53")]
    #[case("2026-12-03T05:47:53+01:00")]
    #[case("2026-12-03T05:47:53-14:00")]
    #[case("2024-02-29T00:00:00Z")]
    #[case("2026-12-03T24:00:00Z")]
    #[case(" 2026-12-03T05:47:53Z\n")]
    #[case("-0044-03-15T12:00:00Z")]
    #[case("12026-01-01T00:00:00Z")]
    fn valid_datetimes(#[case] s: &str) {
        assert!(is_datetime(s), "{s}");
    }

    #[rstest]
    #[case("2026-12-03")]
    #[case("2026-12-03 05:47:53Z")]
    #[case("2026-13-03T05:47:53Z")]
    #[case("2025-02-29T00:00:00Z")]
    #[case("2026-12-03T5:47:53Z")]
    #[case("2026-12-03T05:60:00Z")]
    #[case("2026-12-03T24:00:01Z")]
    #[case("2026-12-03T05:47:53.Z")]
    #[case("2026-12-03T05:47:53+15:00")]
    #[case("2026-12-03T05:47:53+0100")]
    #[case("0000-01-01T00:00:00Z")]
    #[case("02026-01-01T00:00:00Z")]
    #[case("yesterday")]
    #[case("")]
    fn invalid_datetimes(#[case] s: &str) {
        assert!(!is_datetime(s), "{s}");
    }

    #[test]
    fn booleans_and_ints() {
        assert_eq!(parse_boolean(" true "), Some(true));
        assert_eq!(parse_boolean("0"), Some(false));
        assert_eq!(parse_boolean("True"), None);
        assert_eq!(parse_int("+1440"), Some(1440));
        assert_eq!(parse_int("-3"), Some(-3));
        assert_eq!(parse_int("1e3"), None);
        assert_eq!(parse_int("99999999999"), None);
        assert_eq!(parse_int(""), None);
    }
}
