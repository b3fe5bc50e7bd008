//! The requirement catalogue: one part per specification, registered here, and the lookups
//! checks are weighted and cited by. The lookups are built once from the merged catalogue, so
//! a suite citing a requirement of another specification still finds it.

use harness::coverage::Catalog;
use harness::{Level, RequirementInfo};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One specification's share of the catalogue: its name as in `SuiteInfo::spec` and its
/// entries as JSON (`suites/requirements/*.json`).
#[derive(Clone, Copy, Debug)]
pub struct CataloguePart {
    pub spec: &'static str,
    pub json: &'static str,
}

/// Every part oxconf ships. A new suite registers its specification's part with one line.
pub const PARTS: &[CataloguePart] = &[
    CataloguePart {
        spec: "MS-OMS",
        json: include_str!("../../requirements/oms.json"),
    },
    CataloguePart {
        spec: "MS-OXWSPSNTIF",
        json: include_str!("../../requirements/psntif.json"),
    },
    // Not in the shared catalogue: statements of MS-OXWSNTIF (Subscribe) and of the EWS
    // reference the push suites rely on, catalogued by the project with their sources.
    CataloguePart {
        spec: "MS-OXWSNTIF",
        json: include_str!("../../requirements/ntif.json"),
    },
    CataloguePart {
        spec: "MS-OXCNOTIF",
        json: include_str!("../../requirements/cnotif.json"),
    },
    // Not in the shared catalogue: the statements of MS-OXCROPS and MS-OXCMAPIHTTP the
    // notif-server suite relies on, catalogued by the project with their digest sources.
    CataloguePart {
        spec: "MS-OXCROPS",
        json: include_str!("../../requirements/rops.json"),
    },
    CataloguePart {
        spec: "MS-OXCMAPIHTTP",
        json: include_str!("../../requirements/mapihttp.json"),
    },
    // Not in the shared catalogue: the decoder contract of the project's RopNotify decode
    // format (`ropnotify-decode-format.md`), which the notif-decoder suite judges beside
    // OXCNOTIF-R060.
    CataloguePart {
        spec: "oxconf RopNotify decode format",
        json: include_str!("../../requirements/decode.json"),
    },
];

/// The project's requirement catalogue, all parts merged (same ids as the shared catalogue).
pub fn catalog() -> Catalog {
    let mut catalog = Catalog::default();
    for part in PARTS {
        // The catalogue is compiled in and checked by a test; an unreadable one is a build bug.
        if let Ok(read) = Catalog::from_json(part.json) {
            catalog.requirements.extend(read.requirements);
        }
    }
    catalog
}

/// The catalogue entries by id, as the engine wants them; built on first use.
fn entries() -> &'static HashMap<String, RequirementInfo> {
    static ENTRIES: OnceLock<HashMap<String, RequirementInfo>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        catalog()
            .requirements
            .into_iter()
            .map(|r| {
                let info = RequirementInfo {
                    id: r.id.clone(),
                    spec: r.spec,
                    section: r.section,
                    level: Level::parse(&r.level).unwrap_or(Level::Must),
                    role: r.role,
                    testability: r.testability,
                    paraphrase: r.paraphrase,
                };
                (r.id, info)
            })
            .collect()
    })
}

/// The catalogue entry of a requirement id (`Suite::requirement`).
pub fn requirement(id: &str) -> Option<RequirementInfo> {
    entries().get(id).cloned()
}

/// The catalogue's level for a requirement id (MUST when unknown, so nothing is softened by
/// accident).
pub fn level_of(id: &str) -> Level {
    entries().get(id).map_or(Level::Must, |r| r.level)
}

/// The section a requirement comes from ("MS-OMS 2.2.4.4"), for check records; empty when the
/// catalogue does not hold the id.
pub fn section_of(id: &str) -> String {
    entries()
        .get(id)
        .map(|r| r.cited_section())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_part_parses_names_its_spec_and_ids_are_unique() {
        let mut ids = BTreeSet::new();
        let mut n = 0;
        for part in PARTS {
            let read = Catalog::from_json(part.json).expect("valid catalogue");
            for r in &read.requirements {
                assert_eq!(r.spec, part.spec, "{} is filed under another spec", r.id);
                assert!(ids.insert(r.id.clone()), "{} is declared twice", r.id);
                n += 1;
            }
        }
        assert!(n >= 155);
        assert_eq!(catalog().requirements.len(), n);
    }

    #[test]
    fn lookups_read_the_catalogue() {
        let info = requirement("OMS-R002").expect("in the catalogue");
        assert_eq!(info.cited_section(), "MS-OMS 2.1");
        assert_eq!(level_of("OMS-R002"), Level::Must);
        assert_eq!(section_of("OMS-R002"), "MS-OMS 2.1");
        assert_eq!(level_of("NO-SUCH-ID"), Level::Must);
        assert_eq!(section_of("NO-SUCH-ID"), "");
    }
}
