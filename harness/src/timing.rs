//! Protocol time. Specs speak of minutes (a 60 s UDP repeat, a 5-minute wait); a profile can
//! shrink the protocol minute so that such scenarios finish in seconds against a fast peer.

use std::time::Duration;

/// Maps protocol durations onto wall-clock durations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    minute: Duration,
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            minute: Duration::from_secs(60),
        }
    }
}

impl Clock {
    /// `minute` is how long one protocol minute lasts on the wall clock.
    pub fn with_minute(minute: Duration) -> Self {
        Clock { minute }
    }

    /// How long one protocol minute lasts on the wall clock (60 s unless `[timing] minute` says).
    pub fn minute(&self) -> Duration {
        self.minute
    }

    /// The wall-clock length of a protocol duration.
    pub fn scale(&self, protocol: Duration) -> Duration {
        let nanos = protocol.as_nanos() * self.minute.as_nanos() / 60_000_000_000u128;
        Duration::from_nanos(nanos.min(u64::MAX as u128) as u64)
    }

    /// Sleeps `protocol` in protocol time. In a scenario prefer `Cx::sleep`, which also frees the
    /// `--jobs` slot meanwhile; this one is for code that has no `Cx` (a reference peer).
    pub async fn sleep(&self, protocol: Duration) {
        tokio::time::sleep(self.scale(protocol)).await;
    }
}

/// Parses "250ms", "10s", "5m", "1h" or a bare number of seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num.parse().ok()?;
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    let secs = match unit.trim() {
        "" | "s" => value,
        "ms" => value / 1000.0,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        _ => return None,
    };
    Some(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("250ms", Duration::from_millis(250))]
    #[case("10s", Duration::from_secs(10))]
    #[case("5m", Duration::from_secs(300))]
    #[case("2", Duration::from_secs(2))]
    fn parses_durations(#[case] text: &str, #[case] want: Duration) {
        assert_eq!(parse_duration(text), Some(want));
    }

    #[rstest]
    #[case("")]
    #[case("ten seconds")]
    #[case("5 parsecs")]
    fn rejects_nonsense(#[case] text: &str) {
        assert_eq!(parse_duration(text), None);
    }

    #[test]
    fn one_second_minute_shrinks_five_minutes_to_five_seconds() {
        let clock = Clock::with_minute(Duration::from_secs(1));
        assert_eq!(
            clock.scale(Duration::from_secs(300)),
            Duration::from_secs(5)
        );
        assert_eq!(
            Clock::default().scale(Duration::from_secs(60)),
            Duration::from_secs(60)
        );
    }
}
