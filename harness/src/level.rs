//! Requirement levels, as the catalogue and the scenarios state them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How binding a rule is. A failed check's level decides whether the scenario fails or only warns.
///
/// The catalogue also uses MUST NOT and SHOULD NOT; they carry the weight of MUST and SHOULD, so
/// they map onto those two.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// A MUST or MUST NOT: violating it fails the scenario.
    #[serde(rename = "MUST")]
    Must,
    /// A statement of how the protocol is built (a schema, an element, a header, the
    /// transport) rather than a worded MUST; it binds like MUST.
    #[serde(rename = "STRUCTURE")]
    Structure,
    /// A SHOULD or SHOULD NOT: violating it warns (fails only under `--strict`).
    #[serde(rename = "SHOULD")]
    Should,
    /// A MAY: recorded for the reader only, never a failure.
    #[serde(rename = "MAY")]
    May,
}

impl Level {
    /// Every level, most binding first: the order the console summary lists them in.
    pub const ALL: [Level; 4] = [Level::Must, Level::Structure, Level::Should, Level::May];

    /// The upper-case spelling reports and JUnit `failure type` use ("MUST").
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "MUST",
            Level::Structure => "STRUCTURE",
            Level::Should => "SHOULD",
            Level::May => "MAY",
        }
    }

    /// Reads the catalogue spelling, including the negative forms.
    pub fn parse(text: &str) -> Option<Level> {
        match text.trim().to_ascii_uppercase().as_str() {
            "MUST" | "MUST NOT" => Some(Level::Must),
            "STRUCTURE" => Some(Level::Structure),
            "SHOULD" | "SHOULD NOT" => Some(Level::Should),
            "MAY" => Some(Level::May),
            _ => None,
        }
    }

    /// A violated MUST or STRUCTURE rule fails the scenario; SHOULD warns; MAY only informs.
    pub fn is_binding(self) -> bool {
        matches!(self, Level::Must | Level::Structure)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("MUST", Level::Must)]
    #[case("MUST NOT", Level::Must)]
    #[case("should not", Level::Should)]
    #[case("STRUCTURE", Level::Structure)]
    #[case("MAY", Level::May)]
    fn parses_catalogue_spellings(#[case] text: &str, #[case] level: Level) {
        assert_eq!(Level::parse(text), Some(level));
    }

    #[test]
    fn rejects_unknown_levels() {
        assert_eq!(Level::parse("OPTIONAL"), None);
    }
}
