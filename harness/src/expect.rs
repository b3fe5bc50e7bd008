//! Expected failures: a TOML file of scenario-id patterns, each with a mandatory reason, so a
//! team can ship with known gaps without hiding them. An entry that no longer fails is stale and
//! reported as an error, so the list cannot rot.

use crate::profile::{Profile, ProfileError, ProfileErrorKind};
use globset::{Glob, GlobMatcher};
use std::path::Path;

/// One `[[expected]]` entry: the scenarios it covers and why their failure is accepted.
#[derive(Clone, Debug)]
pub struct ExpectedFailure {
    /// The `scenario` glob as written (`*` also crosses `/`); reports name the entry by it.
    pub pattern: String,
    /// The mandatory, non-empty `reason`, shown wherever the failure is reported as expected.
    pub reason: String,
    matcher: GlobMatcher,
}

impl ExpectedFailure {
    /// Whether the entry's glob matches this scenario id.
    pub fn matches(&self, scenario_id: &str) -> bool {
        self.matcher.is_match(scenario_id)
    }
}

/// The `--expect-failures` file. The default is the empty list (no file given).
#[derive(Clone, Debug, Default)]
pub struct ExpectedFailures {
    entries: Vec<ExpectedFailure>,
}

impl ExpectedFailures {
    /// Reads `[[expected]]` tables with `scenario` (a glob) and `reason`.
    pub fn load(path: &Path) -> Result<ExpectedFailures, ProfileError> {
        let text = std::fs::read_to_string(path).map_err(|e| ProfileError {
            path: path.to_path_buf(),
            kind: ProfileErrorKind::UnreadableFile {
                what: "expected-failures file".into(),
                message: e.to_string(),
            },
        })?;
        Self::parse(path, &text)
    }

    /// Like `load`, from text already read; `path` only names the file in errors. Unknown keys,
    /// a missing `reason` and bad globs are profile errors (exit code 2).
    pub fn parse(path: &Path, text: &str) -> Result<ExpectedFailures, ProfileError> {
        let doc = Profile::parse(path, text)?;
        let table = doc.table();
        let invalid = |key: String, message: &str| ProfileError {
            path: path.to_path_buf(),
            kind: ProfileErrorKind::InvalidValue {
                key,
                message: message.to_string(),
            },
        };
        let mut entries = Vec::new();
        if let Some(value) = table.get("expected") {
            let items = value.as_array().ok_or_else(|| {
                invalid(
                    "expected".into(),
                    "must be an array of tables ([[expected]])",
                )
            })?;
            for (i, item) in items.iter().enumerate() {
                let t = item
                    .as_table()
                    .ok_or_else(|| invalid(format!("expected[{i}]"), "must be a table"))?;
                for k in t.keys() {
                    if k != "scenario" && k != "reason" {
                        return Err(ProfileError {
                            path: path.to_path_buf(),
                            kind: ProfileErrorKind::UnknownKey(format!("expected[{i}].{k}")),
                        });
                    }
                }
                let missing = |k: &str| ProfileError {
                    path: path.to_path_buf(),
                    kind: ProfileErrorKind::MissingKey(format!("expected[{i}].{k}")),
                };
                let pattern = t
                    .get("scenario")
                    .and_then(|v| v.as_str())
                    .ok_or_else(|| missing("scenario"))?;
                let reason = t
                    .get("reason")
                    .and_then(|v| v.as_str())
                    .filter(|s| !s.trim().is_empty())
                    .ok_or_else(|| missing("reason"))?;
                let matcher = Glob::new(pattern)
                    .map_err(|e| invalid(format!("expected[{i}].scenario"), &e.to_string()))?
                    .compile_matcher();
                entries.push(ExpectedFailure {
                    pattern: pattern.to_string(),
                    reason: reason.to_string(),
                    matcher,
                });
            }
        }
        for key in table.keys() {
            if key != "expected" {
                return Err(ProfileError {
                    path: path.to_path_buf(),
                    kind: ProfileErrorKind::UnknownKey(key.clone()),
                });
            }
        }
        Ok(ExpectedFailures { entries })
    }

    /// The first entry, in file order, whose glob matches the id: the one that claims the scenario.
    pub fn find(&self, scenario_id: &str) -> Option<&ExpectedFailure> {
        self.entries.iter().find(|e| e.matches(scenario_id))
    }

    /// The entries, in file order.
    pub fn entries(&self) -> &[ExpectedFailure] {
        &self.entries
    }

    /// Whether the file lists no entry (or none was given).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_need_a_reason() {
        let err = ExpectedFailures::parse(
            Path::new("x.toml"),
            "[[expected]]\nscenario = \"oms-server/*\"\n",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.toml: missing required key `expected[0].reason`"
        );
    }

    #[test]
    fn patterns_match_ids() {
        let x = ExpectedFailures::parse(
            Path::new("x.toml"),
            "[[expected]]\nscenario = \"oms-server/soap12/*\"\nreason = \"not built yet\"\n",
        )
        .unwrap();
        assert!(x.find("oms-server/soap12/get-service-info").is_some());
        assert!(x.find("oms-server/soap11/get-service-info").is_none());
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = ExpectedFailures::parse(
            Path::new("x.toml"),
            "[[expected]]\nscenario = \"a\"\nreason = \"b\"\nwhy = \"c\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("`expected[0].why`"));
    }
}
