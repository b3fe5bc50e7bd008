//! Requirement catalogues and coverage: which catalogued statements a suite's scenarios cite,
//! and why the rest are not covered.

use crate::scenario::Scenario;
use crate::suite::SuiteInfo;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One testable statement, as in the project's catalogue (same ids as the shared one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub id: String,
    pub spec: String,
    pub section: String,
    pub level: String,
    pub role: String,
    pub testability: String,
    pub paraphrase: String,
    #[serde(default)]
    pub errata: Vec<String>,
    /// Why no scenario covers it (for a given suite), when that is deliberate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncovered_reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub requirements: Vec<Requirement>,
}

impl Catalog {
    pub fn from_json(text: &str) -> Result<Catalog, String> {
        let requirements: Vec<Requirement> =
            serde_json::from_str(text).map_err(|e| format!("catalogue is not valid: {e}"))?;
        Ok(Catalog { requirements })
    }

    pub fn get(&self, id: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.id == id)
    }

    /// Requirements a suite is answerable for: same spec, and the suite's role or "both".
    pub fn for_suite<'a>(&'a self, info: &'a SuiteInfo) -> impl Iterator<Item = &'a Requirement> {
        self.requirements
            .iter()
            .filter(move |r| r.spec == info.spec && (r.role == info.role || r.role == "both"))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Uncovered {
    pub id: String,
    pub level: String,
    pub testability: String,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub covered: usize,
    pub total: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SuiteCoverage {
    pub suite: String,
    pub spec: String,
    pub role: String,
    pub scenarios: usize,
    pub covered: usize,
    pub total: usize,
    /// Keyed by "LEVEL / testability".
    pub by_level: BTreeMap<String, Tally>,
    pub by_testability: BTreeMap<String, Tally>,
    pub uncovered: Vec<Uncovered>,
    /// Ids cited by scenarios that the catalogue does not know: always a defect.
    pub unknown_ids: Vec<String>,
}

pub fn coverage(catalog: &Catalog, info: &SuiteInfo, scenarios: &[Scenario]) -> SuiteCoverage {
    let cited: BTreeSet<&str> = scenarios
        .iter()
        .flat_map(|s| s.requirements.iter().map(String::as_str))
        .collect();
    let mut by_level: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_testability: BTreeMap<String, Tally> = BTreeMap::new();
    let mut uncovered = Vec::new();
    let mut covered = 0;
    let mut total = 0;
    for req in catalog.for_suite(info) {
        let hit = cited.contains(req.id.as_str());
        total += 1;
        let lt = by_level.entry(req.level.clone()).or_default();
        lt.total += 1;
        let tt = by_testability.entry(req.testability.clone()).or_default();
        tt.total += 1;
        if hit {
            covered += 1;
            lt.covered += 1;
            tt.covered += 1;
        } else {
            uncovered.push(Uncovered {
                id: req.id.clone(),
                level: req.level.clone(),
                testability: req.testability.clone(),
                reason: req.uncovered_reason.clone(),
            });
        }
    }
    let unknown_ids = cited
        .iter()
        .filter(|id| catalog.get(id).is_none())
        .map(|s| s.to_string())
        .collect();
    SuiteCoverage {
        suite: info.name.to_string(),
        spec: info.spec.to_string(),
        role: info.role.to_string(),
        scenarios: scenarios.len(),
        covered,
        total,
        by_level,
        by_testability,
        uncovered,
        unknown_ids,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(id: &str, role: &str) -> Requirement {
        Requirement {
            id: id.into(),
            spec: "MS-X".into(),
            section: "1".into(),
            level: "MUST".into(),
            role: role.into(),
            testability: "black-box".into(),
            paraphrase: String::new(),
            errata: vec![],
            uncovered_reason: None,
        }
    }

    #[test]
    fn counts_role_and_both_and_reports_unknown_ids() {
        let catalog = Catalog {
            requirements: vec![
                req("X-1", "server"),
                req("X-2", "both"),
                req("X-3", "client"),
            ],
        };
        let info = SuiteInfo {
            name: "x-server",
            spec: "MS-X",
            role: "server",
            title: "",
        };
        let scenarios = vec![Scenario::new("x/a").requirements(["X-1", "X-9"])];
        let cov = coverage(&catalog, &info, &scenarios);
        assert_eq!((cov.covered, cov.total), (1, 2));
        assert_eq!(cov.uncovered[0].id, "X-2");
        assert_eq!(cov.unknown_ids, vec!["X-9".to_string()]);
    }
}
