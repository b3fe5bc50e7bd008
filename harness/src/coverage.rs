//! Requirement catalogues and coverage: which catalogued statements a suite's scenarios cite,
//! and why the rest are not covered.

use crate::scenario::Scenario;
use crate::suite::SuiteInfo;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One testable statement, as in the project's catalogue (same ids as the shared one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    /// The stable id scenarios and checks cite ("OMS-R146").
    pub id: String,
    /// The specification it comes from ("MS-OMS"), matched against `SuiteInfo::spec`.
    pub spec: String,
    /// The section, as the spec numbers it ("2.2.4.4").
    pub section: String,
    /// "MUST", "STRUCTURE", "SHOULD" or "MAY", as the catalogue writes it (`Level::parse`
    /// reads it).
    pub level: String,
    /// "server", "client" or "both": which suites answer for it (see `Catalog::for_suite`).
    pub role: String,
    /// "black-box", "needs-trigger", "timing" or "not-testable": how a scenario can observe it.
    pub testability: String,
    /// The statement, paraphrased in the catalogue's own words.
    pub paraphrase: String,
    /// Ids of errata (`suites/errata/*.json`) that bear on the statement; empty when none do.
    #[serde(default)]
    pub errata: Vec<String>,
    /// Where a statement the project catalogued itself comes from (a schema, an EWS reference
    /// page, a digest section), for ids the shared catalogue does not carry (`NTIF-R…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Why no scenario covers it (for a given suite), when that is deliberate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncovered_reason: Option<String>,
}

/// A requirement catalogue (the suites load theirs from JSON files); `coverage` measures
/// scenarios against it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// The entries, in file order. `get` takes the first with an id; the suites' tests keep
    /// ids unique.
    pub requirements: Vec<Requirement>,
}

impl Catalog {
    /// Parses a catalogue file: a JSON array of `Requirement` objects. The error is one line.
    pub fn from_json(text: &str) -> Result<Catalog, String> {
        let requirements: Vec<Requirement> =
            serde_json::from_str(text).map_err(|e| format!("catalogue is not valid: {e}"))?;
        Ok(Catalog { requirements })
    }

    /// The entry with this id, if the catalogue holds it.
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

/// A catalogue entry no scenario of the suite cites, with the reason when one is recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Uncovered {
    /// The requirement id.
    pub id: String,
    /// The catalogue's level spelling ("MUST").
    pub level: String,
    /// The catalogue's testability ("needs-trigger"), which often explains the gap.
    pub testability: String,
    /// `Requirement::uncovered_reason`; `None` when the gap is not explained yet.
    pub reason: Option<String>,
}

/// Of a group of requirements, how many the scenarios cite.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Requirements of the group cited by at least one scenario.
    pub covered: usize,
    /// Requirements in the group.
    pub total: usize,
}

/// One suite's coverage of the catalogue, as `oxconf coverage` prints it (text or JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SuiteCoverage {
    /// The suite's name (`SuiteInfo::name`).
    pub suite: String,
    /// The spec the suite answers for.
    pub spec: String,
    /// The suite's role; entries of this role or "both" count.
    pub role: String,
    /// How many scenarios the suite has.
    pub scenarios: usize,
    /// Requirements of the suite cited by at least one scenario.
    pub covered: usize,
    /// Requirements the suite answers for (`Catalog::for_suite`).
    pub total: usize,
    /// Counts grouped by the catalogue's level spelling ("MUST", "SHOULD", ...).
    pub by_level: BTreeMap<String, Tally>,
    /// The same counts grouped by the catalogue's testability.
    pub by_testability: BTreeMap<String, Tally>,
    /// Entries no scenario cites, in catalogue order.
    pub uncovered: Vec<Uncovered>,
    /// Ids cited by scenarios that the catalogue does not know: always a defect.
    pub unknown_ids: Vec<String>,
}

/// Measures a suite against the catalogue: which of the requirements it answers for its
/// scenarios cite in their `requirements` (ids that checks cite at run time do not count), and
/// which cited ids the catalogue lacks.
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
            source: None,
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
