//! The reference peers' fault tables as the engine sees them. Shared by every protocol: a
//! suite hands over its peer's tables and the kinds carry over, so no suite, self-test or
//! command keeps a list of names of its own.

use harness::{FaultInfo, FaultKind};
use mocks::fault::{self, Fault, Variant};

/// Every fault, with its kind.
pub fn infos(faults: &'static [Fault]) -> Vec<FaultInfo> {
    faults
        .iter()
        .map(|f| FaultInfo {
            name: f.name,
            description: f.description,
            kind: kind(f.kind),
        })
        .collect()
}

/// Every variant (a conformant configuration, switched on like a fault).
pub fn variants(variants: &'static [Variant]) -> Vec<FaultInfo> {
    variants
        .iter()
        .map(|v| FaultInfo::variant(v.name, v.description))
        .collect()
}

pub fn kind(kind: fault::FaultKind) -> FaultKind {
    match kind {
        fault::FaultKind::Protocol => FaultKind::Protocol,
        fault::FaultKind::Hostile => FaultKind::Hostile,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &[Fault] = &[
        Fault::protocol("wrong", "breaks a rule"),
        Fault::hostile("hang", "never answers"),
    ];

    #[test]
    fn kinds_carry_over() {
        let kinds: Vec<(&str, FaultKind)> = infos(TABLE).iter().map(|i| (i.name, i.kind)).collect();
        assert_eq!(
            kinds,
            [("wrong", FaultKind::Protocol), ("hang", FaultKind::Hostile)]
        );
        const VARIANTS: &[Variant] = &[Variant::new("terse", "omits what it may")];
        let v = variants(VARIANTS);
        assert_eq!(v[0].kind, FaultKind::Variant);
    }
}
