//! The specification errata the suites apply, kept in the repository (`suites/errata/*.json`)
//! so that every `E-OMS-nn` a check, finding or comment cites can be looked up, and checked:
//! `suites/tests/errata.rs` fails on an id the files do not define.

use serde::Deserialize;

/// One erratum: what is wrong in the specification and what the suites do about it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Erratum {
    /// "E-OMS-01".
    pub id: String,
    pub title: String,
    /// "wire", "example", "editorial", ...
    pub class: String,
    /// Where in the specification.
    pub location: String,
    pub finding: String,
    /// Requirement ids the erratum affects.
    #[serde(default)]
    pub affects: Vec<String>,
    /// The decision recorded with the erratum.
    pub decision: String,
    /// How oxconf's scenarios apply it, where that is narrower or softer than `decision`.
    #[serde(default)]
    pub suite_decision: Option<String>,
}

#[derive(Deserialize)]
struct ErrataFile {
    errata: Vec<Erratum>,
}

const FILES: &[&str] = &[
    include_str!("../errata/oms.json"),
    include_str!("../errata/psntif.json"),
    include_str!("../errata/cnotif.json"),
];

/// Every erratum of every protocol, in file order.
pub fn all() -> Vec<Erratum> {
    FILES
        .iter()
        // Compiled in and checked by a test; an unreadable file is a build bug, not peer input.
        .filter_map(|text| serde_json::from_str::<ErrataFile>(text).ok())
        .flat_map(|f| f.errata)
        .collect()
}

/// The erratum with this id ("E-OMS-01").
pub fn get(id: &str) -> Option<Erratum> {
    all().into_iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_file_parses_and_ids_are_unique() {
        let mut n = 0;
        for text in super::FILES {
            let f: super::ErrataFile = serde_json::from_str(text).expect("errata file parses");
            n += f.errata.len();
        }
        let mut ids: Vec<String> = super::all().into_iter().map(|e| e.id).collect();
        assert_eq!(ids.len(), n);
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate erratum id");
        assert!(super::get("E-OMS-01").is_some_and(|e| e.suite_decision.is_some()));
    }
}
