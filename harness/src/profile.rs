//! Profiles: TOML files that describe a system under test.
//!
//! A profile is read in two passes over one `ProfileReader`: the harness takes its common keys,
//! the suite takes its own, and `finish` rejects whatever nobody asked for. That way an unknown
//! key is reported by its full dotted name, on one line, before any network traffic.

use crate::timing::parse_duration;
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A profile problem. Its `Display` is the one-line message the CLI prints (exit code 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileError {
    /// The profile (or other file) the problem is in, as the user named it.
    pub path: PathBuf,
    /// What is wrong, and where in the file.
    pub kind: ProfileErrorKind,
}

/// The kinds of profile problem; each renders as one line naming the file (see `Display`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileErrorKind {
    /// The profile itself could not be read (the I/O error's text).
    Unreadable(String),
    /// A file other than the profile (`what`: "expected-failures file") cannot be read.
    UnreadableFile {
        /// What the file is, for the message ("expected-failures file").
        what: String,
        /// The I/O error's text.
        message: String,
    },
    /// The file is not valid TOML.
    Syntax {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error, in bytes.
        column: usize,
        /// The TOML parser's message, folded onto one line.
        message: String,
    },
    /// A key (dotted: "oms.pasword") that neither the harness nor the suite reads: usually a typo.
    UnknownKey(String),
    /// A required key (dotted) that the profile lacks.
    MissingKey(String),
    /// A key whose value has the wrong type or does not parse.
    InvalidValue {
        /// The key, dotted ("run.timeout").
        key: String,
        /// What is wrong with it ("must be a string").
        message: String,
    },
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.path.display();
        match &self.kind {
            ProfileErrorKind::Unreadable(m) => write!(f, "{p}: cannot read profile: {m}"),
            ProfileErrorKind::UnreadableFile { what, message } => {
                write!(f, "{p}: cannot read {what}: {message}")
            }
            ProfileErrorKind::Syntax {
                line,
                column,
                message,
            } => write!(f, "{p}:{line}:{column}: TOML syntax error: {message}"),
            ProfileErrorKind::UnknownKey(k) => write!(f, "{p}: unknown key `{k}`"),
            ProfileErrorKind::MissingKey(k) => write!(f, "{p}: missing required key `{k}`"),
            ProfileErrorKind::InvalidValue { key, message } => {
                write!(f, "{p}: invalid value for `{key}`: {message}")
            }
        }
    }
}

impl std::error::Error for ProfileError {}

/// A parsed profile, not yet validated.
#[derive(Clone, Debug)]
pub struct Profile {
    path: PathBuf,
    doc: toml::Table,
}

impl Profile {
    /// Reads and parses the profile at `path`; no key is checked yet (that is `reader`'s job).
    pub fn load(path: &Path) -> Result<Profile, ProfileError> {
        let text = std::fs::read_to_string(path).map_err(|e| ProfileError {
            path: path.to_path_buf(),
            kind: ProfileErrorKind::Unreadable(e.to_string()),
        })?;
        Profile::parse(path, &text)
    }

    /// Parses profile text; `path` only names the file in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Profile, ProfileError> {
        match text.parse::<toml::Table>() {
            Ok(doc) => Ok(Profile {
                path: path.to_path_buf(),
                doc,
            }),
            Err(e) => {
                let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
                Err(ProfileError {
                    path: path.to_path_buf(),
                    kind: ProfileErrorKind::Syntax {
                        line,
                        column,
                        message: e.message().replace('\n', " "),
                    },
                })
            }
        }
    }

    /// The file the profile came from; suites resolve relative paths in it against its directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The raw TOML, for readers of other TOML files that share the profile's error type
    /// (`ExpectedFailures`). Reading it marks no key as known.
    pub fn table(&self) -> &toml::Table {
        &self.doc
    }

    /// The `suite` key, read without consuming anything, so the CLI can pick the suite.
    pub fn suite_name(&self) -> Result<String, ProfileError> {
        match self.doc.get("suite") {
            Some(toml::Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(self.err(ProfileErrorKind::InvalidValue {
                key: "suite".into(),
                message: "must be a string".into(),
            })),
            None => Err(self.err(ProfileErrorKind::MissingKey("suite".into()))),
        }
    }

    /// A fresh reader for the two-pass read: `CommonSettings::read`, then the suite's
    /// `configure`, then `finish`.
    pub fn reader(&self) -> ProfileReader<'_> {
        ProfileReader {
            profile: self,
            used: BTreeSet::new(),
        }
    }

    fn err(&self, kind: ProfileErrorKind) -> ProfileError {
        ProfileError {
            path: self.path.clone(),
            kind,
        }
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map(|i| i + 1).unwrap_or(0) + 1;
    (line, column)
}

/// Typed access to profile keys by dotted name ("oms.user"), remembering what was read.
pub struct ProfileReader<'p> {
    profile: &'p Profile,
    used: BTreeSet<String>,
}

impl<'p> ProfileReader<'p> {
    /// The profile's path (see `Profile::path`).
    pub fn path(&self) -> &Path {
        &self.profile.path
    }

    fn lookup(&mut self, key: &str) -> Option<&'p toml::Value> {
        self.used.insert(key.to_string());
        let mut parts = key.split('.');
        let first = parts.next()?;
        let mut value = self.profile.doc.get(first)?;
        for part in parts {
            value = value.as_table()?.get(part)?;
        }
        Some(value)
    }

    /// An error of this kind about the profile, for checks the typed readers cannot make.
    pub fn error(&self, kind: ProfileErrorKind) -> ProfileError {
        self.profile.err(kind)
    }

    /// An `InvalidValue` error for `key`: for values that read fine but make no sense (a bad URL,
    /// keys that only mean something together).
    pub fn invalid(&self, key: &str, message: impl Into<String>) -> ProfileError {
        self.error(ProfileErrorKind::InvalidValue {
            key: key.to_string(),
            message: message.into(),
        })
    }

    fn missing(&self, key: &str) -> ProfileError {
        self.error(ProfileErrorKind::MissingKey(key.to_string()))
    }

    /// Marks a table as known even when none of its keys are read.
    pub fn allow_table(&mut self, key: &str) {
        self.used.insert(key.to_string());
    }

    /// Whether `key` is present. A present key counts as read (`finish` accepts it); an absent
    /// one is not recorded.
    pub fn has(&mut self, key: &str) -> bool {
        let found = self.lookup(key).is_some();
        if !found {
            self.used.remove(key);
        }
        found
    }

    /// The string at `key`, `None` when absent; another type is an error. Every `opt_`/`req_`
    /// reader marks the key as known, present or not.
    pub fn opt_str(&mut self, key: &str) -> Result<Option<String>, ProfileError> {
        match self.lookup(key) {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.invalid(key, "must be a string")),
        }
    }

    /// The string at `key`; absent is a `MissingKey` error.
    pub fn req_str(&mut self, key: &str) -> Result<String, ProfileError> {
        self.opt_str(key)?.ok_or_else(|| self.missing(key))
    }

    /// A string key read straight into the suite's type (a URL into an endpoint), so the value
    /// is parsed once, here, and a bad one is a profile error naming the key.
    pub fn opt_parsed<T>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ProfileError> {
        match self.opt_str(key)? {
            None => Ok(None),
            Some(text) => parse(&text).map(Some).map_err(|e| self.invalid(key, e)),
        }
    }

    /// Like `opt_parsed`, with an absent key a `MissingKey` error.
    pub fn req_parsed<T>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, ProfileError> {
        self.opt_parsed(key, parse)?
            .ok_or_else(|| self.missing(key))
    }

    /// A boolean at `key`, `None` when absent.
    pub fn opt_bool(&mut self, key: &str) -> Result<Option<bool>, ProfileError> {
        match self.lookup(key) {
            None => Ok(None),
            Some(toml::Value::Boolean(b)) => Ok(Some(*b)),
            Some(_) => Err(self.invalid(key, "must be true or false")),
        }
    }

    /// A non-negative integer at `key`, `None` when absent.
    pub fn opt_u64(&mut self, key: &str) -> Result<Option<u64>, ProfileError> {
        match self.lookup(key) {
            None => Ok(None),
            Some(toml::Value::Integer(i)) if *i >= 0 => Ok(Some(*i as u64)),
            Some(_) => Err(self.invalid(key, "must be a non-negative integer")),
        }
    }

    /// A duration string at `key` ("250ms", "10s", "5m", "1h", see `parse_duration`), `None` when
    /// absent; a bare TOML number is an error, so the unit is always visible.
    pub fn opt_duration(&mut self, key: &str) -> Result<Option<Duration>, ProfileError> {
        match self.opt_str(key) {
            Ok(None) => Ok(None),
            Ok(Some(s)) => parse_duration(&s)
                .map(Some)
                .ok_or_else(|| self.invalid(key, format!("`{s}` is not a duration like \"10s\""))),
            Err(_) => Err(self.invalid(key, "must be a duration string like \"10s\"")),
        }
    }

    /// An array of strings at `key`, `None` when absent; an empty array is returned as is.
    pub fn opt_str_list(&mut self, key: &str) -> Result<Option<Vec<String>>, ProfileError> {
        match self.lookup(key) {
            None => Ok(None),
            Some(toml::Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        toml::Value::String(s) => out.push(s.clone()),
                        _ => return Err(self.invalid(key, "must be an array of strings")),
                    }
                }
                Ok(Some(out))
            }
            Some(_) => Err(self.invalid(key, "must be an array of strings")),
        }
    }

    /// An array of strings at `key` that must be present and not empty.
    pub fn req_str_list(&mut self, key: &str) -> Result<Vec<String>, ProfileError> {
        let list = self.opt_str_list(key)?.ok_or_else(|| self.missing(key))?;
        if list.is_empty() {
            return Err(self.invalid(key, "must not be empty"));
        }
        Ok(list)
    }

    /// Rejects the first key (in dotted form) that no reader asked for.
    pub fn finish(self) -> Result<(), ProfileError> {
        let mut stack: Vec<(String, &toml::Table)> = vec![(String::new(), &self.profile.doc)];
        while let Some((prefix, table)) = stack.pop() {
            for (k, v) in table {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                match v {
                    toml::Value::Table(inner) if !self.used.contains(&key) => {
                        let known_below =
                            self.used.iter().any(|u| u.starts_with(&format!("{key}.")));
                        if !known_below {
                            return Err(self.profile.err(ProfileErrorKind::UnknownKey(key)));
                        }
                        stack.push((key, inner));
                    }
                    toml::Value::Table(inner) => stack.push((key, inner)),
                    _ if self.used.contains(&key) => {}
                    _ => return Err(self.profile.err(ProfileErrorKind::UnknownKey(key))),
                }
            }
        }
        Ok(())
    }
}

/// The keys every profile may carry, whatever its suite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommonSettings {
    /// The suite the profile is for (`suite`, required), a `SuiteInfo::name`.
    pub suite: String,
    /// Per-scenario timeout (`[run] timeout`).
    pub timeout: Option<Duration>,
    /// Whole-run deadline (`[run] deadline`).
    pub deadline: Option<Duration>,
    /// Length of one protocol minute (`[timing] minute`).
    pub minute: Option<Duration>,
}

impl CommonSettings {
    /// Reads the common keys, marking them known; the CLI does this before the suite's
    /// `configure` on the same reader. `--timeout` and `--deadline` override the run keys.
    pub fn read(r: &mut ProfileReader<'_>) -> Result<CommonSettings, ProfileError> {
        Ok(CommonSettings {
            suite: r.req_str("suite")?,
            timeout: r.opt_duration("run.timeout")?,
            deadline: r.opt_duration("run.deadline")?,
            minute: r.opt_duration("timing.minute")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Profile {
        Profile::parse(Path::new("p.toml"), text).expect("valid toml")
    }

    #[test]
    fn unknown_key_is_named_in_one_line() {
        let p = parse("suite = \"x\"\n[oms]\nuser = \"a\"\npasword = \"typo\"\n");
        let mut r = p.reader();
        CommonSettings::read(&mut r).unwrap();
        r.req_str("oms.user").unwrap();
        let err = r.finish().unwrap_err();
        assert_eq!(err.to_string(), "p.toml: unknown key `oms.pasword`");
    }

    #[test]
    fn unknown_table_is_named() {
        let p = parse("suite = \"x\"\n[extra]\na = 1\n");
        let mut r = p.reader();
        CommonSettings::read(&mut r).unwrap();
        assert_eq!(
            r.finish().unwrap_err().kind,
            ProfileErrorKind::UnknownKey("extra".into())
        );
    }

    #[test]
    fn missing_key_is_named() {
        let p = parse("suite = \"x\"\n[oms]\n");
        let mut r = p.reader();
        let err = r.req_str("oms.user").unwrap_err();
        assert_eq!(err.to_string(), "p.toml: missing required key `oms.user`");
    }

    #[test]
    fn wrong_type_is_reported() {
        let p = parse("suite = \"x\"\n[run]\ntimeout = 10\n");
        let mut r = p.reader();
        let err = CommonSettings::read(&mut r).unwrap_err();
        assert!(err.to_string().contains("`run.timeout`"), "{err}");
    }

    #[test]
    fn syntax_errors_fit_on_one_line() {
        let err = Profile::parse(Path::new("p.toml"), "suite = \n[oms\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("p.toml:"), "{msg}");
        assert!(!msg.contains('\n'), "{msg}");
    }

    #[test]
    fn empty_known_table_is_fine() {
        let p = parse("suite = \"x\"\n[claims]\n");
        let mut r = p.reader();
        CommonSettings::read(&mut r).unwrap();
        r.allow_table("claims");
        r.finish().unwrap();
    }
}
