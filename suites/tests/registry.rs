//! The suite registry as data: ids, catalogue citations, coverage obligations, profiles.

extern crate oxconf_suites as suites;

use harness::coverage::coverage;
use harness::profile::Profile;
use std::collections::BTreeSet;
use std::path::Path;

fn is_kebab(part: &str) -> bool {
    !part.is_empty()
        && part
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[test]
fn scenario_ids_are_unique_stable_paths() {
    let mut seen = BTreeSet::new();
    for suite in suites::all() {
        let name = suite.info().name;
        for s in suite.scenarios() {
            let parts: Vec<&str> = s.id.split('/').collect();
            assert!(parts.len() == 3, "{}: want <suite>/<group>/<name>", s.id);
            assert_eq!(parts[0], name, "{}: must start with its suite", s.id);
            assert!(
                parts.iter().all(|p| is_kebab(p)),
                "{}: kebab case only",
                s.id
            );
            assert!(seen.insert(s.id.clone()), "{} is declared twice", s.id);
            assert!(!s.title.is_empty(), "{}: no title", s.id);
            assert!(!s.sections.is_empty(), "{}: no spec section", s.id);
            assert!(!s.requirements.is_empty(), "{}: cites no requirement", s.id);
        }
    }
}

#[test]
fn every_uncovered_requirement_has_a_reason_and_no_citation_is_unknown() {
    let catalog = suites::catalog();
    for suite in suites::all() {
        let cov = coverage(&catalog, &suite.info(), &suite.scenarios());
        assert!(
            cov.unknown_ids.is_empty(),
            "{}: unknown ids {:?}",
            cov.suite,
            cov.unknown_ids
        );
        let silent: Vec<&str> = cov
            .uncovered
            .iter()
            .filter(|u| u.reason.is_none())
            .map(|u| u.id.as_str())
            .collect();
        assert!(
            silent.is_empty(),
            "{}: uncovered without a reason: {silent:?}",
            cov.suite
        );
    }
}

#[test]
fn oms_server_covers_every_black_box_and_needs_trigger_requirement_or_says_why() {
    let catalog = suites::catalog();
    let suite = suites::by_name("oms-server").expect("registered");
    let cov = coverage(&catalog, &suite.info(), &suite.scenarios());
    for u in &cov.uncovered {
        if u.testability == "black-box" || u.testability == "needs-trigger" {
            assert!(u.reason.is_some(), "{} is uncovered without a reason", u.id);
        }
    }
    assert!(
        cov.covered * 100 >= cov.total * 95,
        "{} of {}",
        cov.covered,
        cov.total
    );
}

#[test]
fn example_profiles_are_valid_for_their_suites() {
    for suite in suites::all() {
        let name = suite.info().name;
        let profile = Profile::parse(Path::new("example.toml"), suite.example_profile())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(profile.suite_name().expect("suite key"), name);
        let mut reader = profile.reader();
        harness::CommonSettings::read(&mut reader).expect("common keys");
        suite
            .configure(Some(&mut reader))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        reader.finish().unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn every_fault_is_described() {
    for suite in suites::all() {
        for f in suite.faults() {
            assert!(
                !f.description.is_empty(),
                "{}: fault {} undescribed",
                suite.info().name,
                f.name
            );
        }
    }
}
