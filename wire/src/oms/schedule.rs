//! UTC timestamps as MS-OMS writes them: `YYYY-MM-DDThh:mm:ssZ`, with the seconds fixed to
//! "00" where the protocol works at minute precision (xmsHead/scheduled, OMS-R088; the
//! serviceUpdate content, OMS-R059). Civil-date arithmetic is done here to keep the wire crate
//! free of a date library.

const SECS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // Both values are small and non-negative by construction.
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if month <= 2 { y + 1 } else { y }, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// `YYYY-MM-DDThh:mm:00Z` of the minute containing `unix_secs` (seconds are dropped, not
/// rounded: a time in the past is sent immediately anyway, OMS-R089).
pub fn format_utc_minute(unix_secs: i64) -> String {
    let days = unix_secs.div_euclid(SECS_PER_DAY);
    let secs = unix_secs.rem_euclid(SECS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:00Z",
        secs / 3600,
        (secs % 3600) / 60
    )
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Date and time fields of `YYYY-MM-DDThh:mm:ss`, range-checked.
fn date_time(s: &str) -> Option<(i64, u32)> {
    let b = s.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let year = i64::from(digits(&s[0..4])?);
    let month = digits(&s[5..7])?;
    let day = digits(&s[8..10])?;
    let hour = digits(&s[11..13])?;
    let minute = digits(&s[14..16])?;
    let second = digits(&s[17..19])?;
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let secs = days_from_civil(year, month, day) * SECS_PER_DAY
        + i64::from(hour * 3600 + minute * 60 + second);
    Some((secs, second))
}

/// The exact MS-OMS form `YYYY-MM-DDThh:mm:ssZ`: Unix seconds and the seconds field.
pub fn parse_oms_utc(s: &str) -> Option<(i64, u32)> {
    date_time(s.strip_suffix('Z')?)
}

/// Reads an xs:dateTime in UTC or with an offset (`Z`, `+hh:mm`, `-hh:mm`; fractional
/// seconds are dropped). Any seconds value is accepted so callers can judge precision
/// themselves; values without a time zone are refused because their instant is unknown.
pub fn parse_utc(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() < 20 || !s.is_char_boundary(19) {
        return None;
    }
    let (main, rest) = s.split_at(19);
    let (secs, _) = date_time(main)?;
    let rest = match rest.strip_prefix('.') {
        Some(frac) => {
            let end = frac
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(frac.len());
            if end == 0 {
                return None;
            }
            &frac[end..]
        }
        None => rest,
    };
    let offset = match rest {
        "Z" => 0,
        _ => {
            let b = rest.as_bytes();
            if b.len() != 6 || b[3] != b':' {
                return None;
            }
            let sign = match b[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let h = i64::from(digits(&rest[1..3])?);
            let m = i64::from(digits(&rest[4..6])?);
            if h > 14 || m > 59 {
                return None;
            }
            sign * (h * 3600 + m * 60)
        }
    };
    Some(secs - offset)
}

/// Exactly `YYYY-MM-DDThh:mm:00Z` with a valid date and time.
pub fn is_minute_precision(s: &str) -> bool {
    parse_oms_utc(s).is_some_and(|(_, second)| second == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[rstest]
    #[case(0, "1970-01-01T00:00:00Z")]
    #[case(59, "1970-01-01T00:00:00Z")]
    #[case(1_113_999_600, "2005-04-20T12:20:00Z")]
    #[case(951_782_400, "2000-02-29T00:00:00Z")]
    #[case(-1, "1969-12-31T23:59:00Z")]
    fn formats(#[case] secs: i64, #[case] expected: &str) {
        assert_eq!(format_utc_minute(secs), expected);
    }

    #[rstest]
    #[case("2005-04-20T14:20:00Z", Some(1_114_006_800))]
    #[case("2005-04-20T14:20:31Z", Some(1_114_006_831))]
    #[case("2005-04-20T14:20:31.250Z", Some(1_114_006_831))]
    #[case("2005-04-20T16:20:00+02:00", Some(1_114_006_800))]
    #[case("2005-04-20T14:20:00", None)]
    #[case("2005-02-29T14:20:00Z", None)]
    #[case("2005-04-20 14:20:00Z", None)]
    #[case("2005-4-20T14:20:00Z", None)]
    #[case("2005-04-20T24:00:00Z", None)]
    #[case("", None)]
    #[case("2005-04-20T14:20:0\u{e9}Z", None)]
    #[case("\u{4e2d}\u{4e2d}\u{4e2d}\u{4e2d}\u{4e2d}\u{4e2d}\u{4e2d}", None)]
    fn parses(#[case] s: &str, #[case] expected: Option<i64>) {
        assert_eq!(parse_utc(s), expected);
    }

    #[rstest]
    #[case("2008-08-28T08:59:00Z", true)]
    #[case("2008-08-28T08:59:01Z", false)]
    #[case("2008-08-28T08:59:00.000Z", false)]
    #[case("2008-08-28T08:59:00+00:00", false)]
    #[case("2008-08-28T08:59Z", false)]
    #[case("2000-02-29T00:00:00Z", true)]
    #[case("1900-02-29T00:00:00Z", false)]
    fn minute_precision(#[case] s: &str, #[case] expected: bool) {
        assert_eq!(is_minute_precision(s), expected);
    }

    proptest! {
        #[test]
        fn format_then_parse_is_the_minute(secs in -62_135_596_800i64..253_402_300_799i64) {
            let text = format_utc_minute(secs);
            prop_assert!(is_minute_precision(&text), "{}", text);
            prop_assert_eq!(parse_utc(&text), Some(secs - secs.rem_euclid(60)));
        }
    }
}
