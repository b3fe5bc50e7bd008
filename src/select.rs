//! Which scenarios a run (or a listing) takes: `--filter`, `--exclude`, `--requirement`,
//! `--level`, `--section`, and what a profile's claims would skip. Data only, no network.

use crate::cli::Selection;
use crate::plan::{Plan, PlanError};
use globset::{GlobBuilder, GlobMatcher};
use harness::{Level, Scenario};
use std::collections::BTreeSet;

/// One `--flag PATTERN`, compiled.
struct Pattern {
    flag: &'static str,
    text: String,
    matchers: Vec<GlobMatcher>,
}

impl Pattern {
    fn new(flag: &'static str, text: &str, case_insensitive: bool) -> Result<Pattern, PlanError> {
        let glob = |p: &str| {
            GlobBuilder::new(p)
                .case_insensitive(case_insensitive)
                .build()
                .map(|g| g.compile_matcher())
                .map_err(|e| PlanError::Usage(format!("{flag} `{text}`: bad pattern: {e}")))
        };
        let mut matchers = vec![glob(text)?];
        // A section number without glob characters also selects its subsections.
        if flag == "--section" && !text.contains(['*', '?', '[', '{']) {
            matchers.push(glob(&format!("{text}.*"))?);
        }
        Ok(Pattern {
            flag,
            text: text.to_string(),
            matchers,
        })
    }

    fn is_match(&self, candidate: &str) -> bool {
        self.matchers.iter().any(|m| m.is_match(candidate))
    }

    fn describe(&self) -> String {
        format!("{} `{}`", self.flag, self.text)
    }
}

/// `MS-OMS 3.1.4.4` and `3.1.4.4` both as `3.1.4.4` too, so `--section 3.1.4.4` matches either.
fn section_forms(section: &str) -> [&str; 2] {
    let bare = section.rsplit(' ').next().unwrap_or(section);
    [section, bare]
}

/// The compiled selection criteria.
pub struct Selector {
    filters: Vec<Pattern>,
    excludes: Vec<Pattern>,
    requirements: Vec<Pattern>,
    sections: Vec<Pattern>,
    levels: Vec<Level>,
}

impl Selector {
    pub fn new(s: &Selection) -> Result<Selector, PlanError> {
        let compile = |flag: &'static str, list: &[String], ci: bool| {
            list.iter()
                .map(|p| Pattern::new(flag, p, ci))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(Selector {
            filters: compile("--filter", &s.filters, false)?,
            excludes: compile("--exclude", &s.excludes, false)?,
            requirements: compile("--requirement", &s.requirements, true)?,
            sections: compile("--section", &s.sections, false)?,
            levels: s.levels.iter().map(|l| l.level()).collect(),
        })
    }

    fn by_filter(&self, sc: &Scenario, p: &Pattern) -> bool {
        p.is_match(&sc.id)
    }

    fn by_requirement(&self, sc: &Scenario, p: &Pattern) -> bool {
        sc.requirements.iter().any(|r| p.is_match(r))
    }

    fn by_section(&self, sc: &Scenario, p: &Pattern) -> bool {
        sc.sections
            .iter()
            .any(|s| section_forms(s).iter().any(|f| p.is_match(f)))
    }

    /// Whether every kind of criterion given holds for `sc`.
    pub fn selects(&self, sc: &Scenario) -> bool {
        let any = |ps: &[Pattern], f: &dyn Fn(&Pattern) -> bool| ps.is_empty() || ps.iter().any(f);
        any(&self.filters, &|p| self.by_filter(sc, p))
            && any(&self.requirements, &|p| self.by_requirement(sc, p))
            && any(&self.sections, &|p| self.by_section(sc, p))
            && (self.levels.is_empty() || self.levels.contains(&sc.level))
            && !self.excludes.iter().any(|p| self.by_filter(sc, p))
    }

    /// The first positive pattern that matches none of `all` (a typo, most likely).
    fn unmatched(&self, all: &[&Scenario]) -> Option<String> {
        let dead = |ps: &[Pattern], f: &dyn Fn(&Scenario, &Pattern) -> bool| {
            ps.iter()
                .find(|p| !all.iter().any(|sc| f(sc, p)))
                .map(Pattern::describe)
        };
        dead(&self.filters, &|sc, p| self.by_filter(sc, p))
            .or_else(|| dead(&self.requirements, &|sc, p| self.by_requirement(sc, p)))
            .or_else(|| dead(&self.sections, &|sc, p| self.by_section(sc, p)))
    }

    /// Exclusions that match nothing (worth a warning, not an error).
    pub fn unused_excludes(&self, all: &[&Scenario]) -> Vec<String> {
        self.excludes
            .iter()
            .filter(|p| !all.iter().any(|sc| self.by_filter(sc, p)))
            .map(Pattern::describe)
            .collect()
    }

    fn describe(&self) -> String {
        let mut parts: Vec<String> = [&self.filters, &self.requirements, &self.sections]
            .iter()
            .flat_map(|ps| ps.iter().map(Pattern::describe))
            .collect();
        for l in &self.levels {
            parts.push(format!("--level {}", l.as_str().to_ascii_lowercase()));
        }
        parts.extend(self.excludes.iter().map(Pattern::describe));
        parts.join(", ")
    }
}

/// A scenario the selection takes, and why the profile would skip it (if it would).
pub struct Chosen {
    pub scenario: Scenario,
    pub skip: Option<String>,
}

/// One suite of the plan with its chosen scenarios.
pub struct SuiteChoice {
    pub name: &'static str,
    pub title: String,
    pub scenarios: Vec<Chosen>,
    /// Every scenario id of the suite, chosen or not.
    pub total: usize,
}

/// The runner's skip reason for a scenario whose claim the configuration lacks, decided from
/// the claims known without I/O (`None`: not known, so nothing is skipped at listing time).
pub fn skip_reason(sc: &Scenario, claims: Option<&BTreeSet<String>>) -> Option<String> {
    let claims = claims?;
    sc.needs
        .iter()
        .find(|c| !claims.contains(c.name))
        .map(|c| format!("capability `{}` not claimed: {}", c.name, c.hint))
}

/// Applies the selection to the plan. A positive pattern that matches no scenario, or a
/// selection that leaves nothing to run, is a usage error naming the criteria.
pub fn choose(plan: &Plan, s: &Selection) -> Result<Vec<SuiteChoice>, PlanError> {
    let selector = Selector::new(s)?;
    let mut out = Vec::new();
    let mut every = Vec::new();
    for c in &plan.suites {
        every.extend(c.suite.scenarios());
    }
    let all: Vec<&Scenario> = every.iter().collect();
    if let Some(dead) = selector.unmatched(&all) {
        return Err(PlanError::Usage(format!(
            "{dead} matches no scenario (see `oxconf list`)"
        )));
    }
    for w in selector.unused_excludes(&all) {
        crate::complain!("oxconf: warning: {w} matches no scenario");
    }
    let mut chosen_count = 0;
    for c in &plan.suites {
        let info = c.suite.info();
        let claims = c.suite.static_claims(&c.config);
        let scenarios = c.suite.scenarios();
        let total = scenarios.len();
        let chosen: Vec<Chosen> = scenarios
            .into_iter()
            .filter(|sc| selector.selects(sc))
            .map(|sc| Chosen {
                skip: skip_reason(&sc, claims.as_ref()),
                scenario: sc,
            })
            .collect();
        chosen_count += chosen.len();
        out.push(SuiteChoice {
            name: info.name,
            title: info.title.to_string(),
            scenarios: chosen,
            total,
        });
    }
    if chosen_count == 0 {
        return Err(PlanError::Usage(format!(
            "the selection ({}) leaves no scenario to run",
            selector.describe()
        )));
    }
    Ok(out)
}

/// The ids chosen, for `Filter::exact`.
pub fn ids(choice: &[SuiteChoice]) -> Vec<String> {
    choice
        .iter()
        .flat_map(|s| s.scenarios.iter().map(|c| c.scenario.id.clone()))
        .collect()
}

/// Whether any selection criterion was given (otherwise every scenario runs).
pub fn narrows(s: &Selection) -> bool {
    !(s.filters.is_empty()
        && s.excludes.is_empty()
        && s.requirements.is_empty()
        && s.levels.is_empty()
        && s.sections.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sc(id: &str, reqs: &[&str], section: &str, level: Level) -> Scenario {
        Scenario::new(id)
            .requirements(reqs.iter().copied())
            .section(section)
            .level(level)
    }

    fn sel(f: impl FnOnce(&mut Selection)) -> Selector {
        let mut s = Selection::default();
        f(&mut s);
        Selector::new(&s).expect("valid selection")
    }

    #[test]
    fn criteria_of_different_kinds_must_all_hold() {
        let a = sc(
            "s/batch/a",
            &["OMS-R031"],
            "MS-OMS 3.1.4.4.3.3",
            Level::Must,
        );
        let b = sc("s/batch/b", &["OMS-R140"], "MS-OMS 3.1.4.2", Level::Should);
        let s = sel(|s| {
            s.filters = vec!["s/batch/*".into()];
            s.levels = vec![crate::cli::LevelArg::Must];
        });
        assert!(s.selects(&a));
        assert!(!s.selects(&b));
        let s = sel(|s| s.requirements = vec!["oms-r03*".into()]);
        assert!(s.selects(&a) && !s.selects(&b));
        let s = sel(|s| s.sections = vec!["3.1.4.4".into()]);
        assert!(
            s.selects(&a) && !s.selects(&b),
            "a section selects its subsections"
        );
        let s = sel(|s| s.sections = vec!["3.1.4.4*".into()]);
        assert!(s.selects(&a) && !s.selects(&b));
        let s = sel(|s| s.excludes = vec!["*/a".into()]);
        assert!(!s.selects(&a) && s.selects(&b));
    }

    #[test]
    fn a_pattern_matching_nothing_is_named() {
        let a = sc("s/x", &["OMS-R001"], "2.1", Level::Must);
        let s = sel(|s| s.filters = vec!["s/*".into(), "nomatch*".into()]);
        assert_eq!(s.unmatched(&[&a]).as_deref(), Some("--filter `nomatch*`"));
        let s = sel(|s| s.requirements = vec!["OMS-R999".into()]);
        assert_eq!(
            s.unmatched(&[&a]).as_deref(),
            Some("--requirement `OMS-R999`")
        );
    }
}
