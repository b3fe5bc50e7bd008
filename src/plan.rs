//! Turning a profile (or its absence) into suites to run. Shared by `oxconf run` and the
//! `cargo test` harness so both read profiles identically. Never touches the network.

use harness::{CommonSettings, Profile, ProfileError, Suite, SuiteConfig};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// A usage or profile problem: exit code 2, one line.
#[derive(Debug)]
pub enum PlanError {
    Usage(String),
    Profile(ProfileError),
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Usage(m) => f.write_str(m),
            PlanError::Profile(e) => write!(f, "{e}"),
        }
    }
}

impl From<ProfileError> for PlanError {
    fn from(e: ProfileError) -> Self {
        PlanError::Profile(e)
    }
}

/// One configured suite.
pub struct Configured {
    pub suite: Arc<dyn Suite>,
    pub config: SuiteConfig,
}

pub struct Plan {
    pub suites: Vec<Configured>,
    /// Common profile settings, when a profile was given.
    pub common: Option<CommonSettings>,
}

fn known_names() -> String {
    suites::all()
        .iter()
        .map(|s| s.info().name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Validates `--suite` names against the registry, in the order given, each once.
pub fn select_suites(names: &[String]) -> Result<Vec<Arc<dyn Suite>>, PlanError> {
    let all = suites::all();
    if names.is_empty() {
        return Ok(all);
    }
    let mut out: Vec<Arc<dyn Suite>> = Vec::new();
    for name in names {
        // A suite named twice runs once.
        if out.iter().any(|s| s.info().name == name.as_str()) {
            continue;
        }
        match all.iter().find(|s| s.info().name == name.as_str()) {
            Some(s) => out.push(Arc::clone(s)),
            None => {
                return Err(PlanError::Usage(format!(
                    "unknown suite `{name}`; known suites: {}",
                    known_names()
                )))
            }
        }
    }
    Ok(out)
}

/// With a profile: the profile's suite, configured from it. Without: the selected suites,
/// configured for their reference peers.
pub fn plan(profile: Option<&Path>, suite_names: &[String]) -> Result<Plan, PlanError> {
    let Some(path) = profile else {
        let mut suites = Vec::new();
        for suite in select_suites(suite_names)? {
            let config = suite.configure(None)?;
            suites.push(Configured { suite, config });
        }
        return Ok(Plan {
            suites,
            common: None,
        });
    };
    plan_profile(Profile::load(path)?, suite_names)
}

/// A profile already read (from a file, or TOML text built in code) into the suite it names.
pub fn plan_profile(profile: Profile, suite_names: &[String]) -> Result<Plan, PlanError> {
    let path = profile.path().to_path_buf();
    let name = profile.suite_name()?;
    let suite = suites::by_name(&name).ok_or_else(|| {
        PlanError::Usage(format!(
            "{}: unknown suite `{name}` in key `suite`; known suites: {}",
            path.display(),
            known_names()
        ))
    })?;
    if !suite_names.is_empty() && !suite_names.iter().any(|n| n == &name) {
        return Err(PlanError::Usage(format!(
            "the profile is for suite `{name}`, which --suite does not select"
        )));
    }
    let mut reader = profile.reader();
    let common = CommonSettings::read(&mut reader)?;
    let config = suite.configure(Some(&mut reader))?;
    reader.finish()?;
    Ok(Plan {
        suites: vec![Configured { suite, config }],
        common: Some(common),
    })
}
