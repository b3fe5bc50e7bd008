//! The reference peers' fault tables as the engine sees them.

use harness::FaultInfo;

/// Faults that make a reference OMS peer hostile rather than wrong.
const HOSTILE: &[&str] = &["hang", "reset", "garbage", "huge-body", "xml-bomb"];

pub fn infos(table: &'static [(&'static str, &'static str)]) -> Vec<FaultInfo> {
    table
        .iter()
        .map(|&(name, description)| {
            if HOSTILE.contains(&name) {
                FaultInfo::hostile(name, description)
            } else {
                FaultInfo::protocol(name, description)
            }
        })
        .collect()
}
