//! Named fault switches, in one style for every mock peer. A peer declares a table of its
//! faults (each breaking one rule, or making the peer hostile) and of its variants (conformant
//! configurations the default does not take); a [`FaultSet`] is a list of names checked
//! against that table. The tables are what self-tests, `oxconf mock --list-faults` and the
//! suites' `faults()` read, so a new peer is known everywhere by declaring its table.

use std::collections::BTreeSet;
use std::fmt;
use std::marker::PhantomData;

/// What a fault makes of its peer. Mocks cannot use the harness, so the suites map this onto
/// the harness's own kind; self-tests decide from it what to expect, never from a name list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultKind {
    /// The peer breaks one protocol rule; a scenario must catch it (a failing twin).
    Protocol,
    /// The peer becomes unusable (hangs, resets, garbage, huge or explosive bodies); the
    /// harness must survive it without an error or a hang.
    Hostile,
}

impl FaultKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::Protocol => "protocol",
            FaultKind::Hostile => "hostile",
        }
    }
}

/// One named deviation of a peer. The name is a contract: scenarios, profiles and command
/// lines cite it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    pub name: &'static str,
    /// What the peer then does wrong, in one line.
    pub description: &'static str,
    pub kind: FaultKind,
}

impl Fault {
    pub const fn protocol(name: &'static str, description: &'static str) -> Fault {
        Fault {
            name,
            description,
            kind: FaultKind::Protocol,
        }
    }

    pub const fn hostile(name: &'static str, description: &'static str) -> Fault {
        Fault {
            name,
            description,
            kind: FaultKind::Hostile,
        }
    }
}

/// A named conformant configuration of a peer: a reading of the spec the default does not
/// take, so scenarios can be shown to accept it. Switched on by name like a fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variant {
    pub name: &'static str,
    pub description: &'static str,
}

impl Variant {
    pub const fn new(name: &'static str, description: &'static str) -> Variant {
        Variant { name, description }
    }
}

/// A peer's switches: implemented by a marker type per peer, so each peer's [`FaultSet`] is
/// its own type and cannot be handed to another peer.
pub trait FaultTable: 'static {
    /// The peer, as error messages name it ("oms-server").
    const PEER: &'static str;
    const FAULTS: &'static [Fault];
    const VARIANTS: &'static [Variant];

    /// Whether `name` is one of the peer's faults or variants.
    fn knows(name: &str) -> bool {
        Self::FAULTS.iter().any(|f| f.name == name) || Self::VARIANTS.iter().any(|v| v.name == name)
    }

    /// The fault called `name`, if it is one (variants are not faults).
    fn fault(name: &str) -> Option<&'static Fault> {
        Self::FAULTS.iter().find(|f| f.name == name)
    }

    /// The names of the faults of one kind, in table order.
    fn names_of(kind: FaultKind) -> Vec<&'static str> {
        Self::FAULTS
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.name)
            .collect()
    }
}

/// The faults and variants a peer runs with; empty for its reference behaviour.
pub struct FaultSet<T: FaultTable> {
    on: BTreeSet<&'static str>,
    table: PhantomData<fn() -> T>,
}

impl<T: FaultTable> FaultSet<T> {
    /// The reference behaviour.
    pub fn none() -> FaultSet<T> {
        FaultSet {
            on: BTreeSet::new(),
            table: PhantomData,
        }
    }

    /// Switches the named faults and variants on. Surrounding white space is ignored and empty
    /// names are skipped (a trigger template may pass an empty value); any other name that is
    /// not in the table is an error naming every unknown one and listing the valid ones, so a
    /// typo never silently runs the reference behaviour.
    pub fn parse(names: &[String]) -> Result<FaultSet<T>, String> {
        let mut set = FaultSet::none();
        let mut unknown = Vec::new();
        for raw in names {
            let name = raw.trim();
            if name.is_empty() {
                continue;
            }
            match Self::lookup(name) {
                Some(known) => {
                    set.on.insert(known);
                }
                None => unknown.push(format!("`{name}`")),
            }
        }
        if unknown.is_empty() {
            return Ok(set);
        }
        let faults: Vec<&str> = T::FAULTS.iter().map(|f| f.name).collect();
        let variants: Vec<&str> = T::VARIANTS.iter().map(|v| v.name).collect();
        Err(format!(
            "unknown fault{} {} of {}; valid faults: {}; variants: {}",
            if unknown.len() == 1 { "" } else { "s" },
            unknown.join(", "),
            T::PEER,
            faults.join(", "),
            if variants.is_empty() {
                "none".to_string()
            } else {
                variants.join(", ")
            }
        ))
    }

    /// The table's own spelling of `name` (a `&'static str`, so the set borrows nothing).
    fn lookup(name: &str) -> Option<&'static str> {
        T::FAULTS
            .iter()
            .map(|f| f.name)
            .chain(T::VARIANTS.iter().map(|v| v.name))
            .find(|n| *n == name)
    }

    /// Whether the fault or variant called `name` is on; a name not in the table never is.
    pub fn has(&self, name: &str) -> bool {
        self.on.contains(name)
    }

    /// `has` for the peer's own code: a misspelt name would silently disable a fault, so debug
    /// builds insist that it is in the table.
    pub fn is_on(&self, name: &str) -> bool {
        debug_assert!(
            T::knows(name),
            "{name:?} is not a fault or variant of {}",
            T::PEER
        );
        self.on.contains(name)
    }

    /// Switches on a name the peer's own code takes from its table (the OMS client's enum).
    pub(crate) fn insert(&mut self, name: &'static str) {
        debug_assert!(
            T::knows(name),
            "{name:?} is not in the table of {}",
            T::PEER
        );
        self.on.insert(name);
    }

    /// What is on, in name order.
    pub fn names(&self) -> Vec<&'static str> {
        self.on.iter().copied().collect()
    }

    pub fn is_empty(&self) -> bool {
        self.on.is_empty()
    }
}

impl<T: FaultTable> Default for FaultSet<T> {
    fn default() -> Self {
        FaultSet::none()
    }
}

impl<T: FaultTable> Clone for FaultSet<T> {
    fn clone(&self) -> Self {
        FaultSet {
            on: self.on.clone(),
            table: PhantomData,
        }
    }
}

impl<T: FaultTable> PartialEq for FaultSet<T> {
    fn eq(&self, other: &Self) -> bool {
        self.on == other.on
    }
}

impl<T: FaultTable> Eq for FaultSet<T> {}

impl<T: FaultTable> fmt::Debug for FaultSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FaultSet")
            .field(&T::PEER)
            .field(&self.on)
            .finish()
    }
}

/// Checks a table's shape, for each peer's own tests: names unique across faults and
/// variants, kebab case, every one described.
pub fn table_problems<T: FaultTable>() -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    let entries = T::FAULTS
        .iter()
        .map(|f| (f.name, f.description))
        .chain(T::VARIANTS.iter().map(|v| (v.name, v.description)));
    for (name, description) in entries {
        if !seen.insert(name) {
            problems.push(format!("{name} is listed twice"));
        }
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            problems.push(format!("{name:?} is not kebab case"));
        }
        if description.trim().is_empty() {
            problems.push(format!("{name} has no description"));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    struct Demo;

    impl FaultTable for Demo {
        const PEER: &'static str = "demo";
        const FAULTS: &'static [Fault] = &[
            Fault::protocol("wrong-order", "fields come in the wrong order"),
            Fault::hostile("hang", "never answers"),
        ];
        const VARIANTS: &'static [Variant] = &[Variant::new("terse", "omits what it may")];
    }

    fn owned(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[rstest]
    #[case(&[], &[])]
    #[case(&["hang"], &["hang"])]
    #[case(&[" terse ", "", "hang", "hang"], &["hang", "terse"])]
    fn parses_known_names(#[case] input: &[&str], #[case] on: &[&str]) {
        let set = FaultSet::<Demo>::parse(&owned(input)).expect("known names");
        assert_eq!(set.names(), on);
        for name in on {
            assert!(set.has(name) && set.is_on(name));
        }
    }

    #[test]
    fn unknown_names_are_all_reported_with_the_valid_ones() {
        let err = FaultSet::<Demo>::parse(&owned(&["hnag", "hang", "Wrong-Order"])).unwrap_err();
        for want in [
            "`hnag`",
            "`Wrong-Order`",
            "faults",
            "wrong-order",
            "terse",
            "demo",
        ] {
            assert!(err.contains(want), "{want}: {err}");
        }
        assert!(!err.contains("`hang`"), "{err}");
    }

    #[test]
    fn kinds_come_from_the_table() {
        assert_eq!(Demo::names_of(FaultKind::Hostile), ["hang"]);
        assert_eq!(Demo::names_of(FaultKind::Protocol), ["wrong-order"]);
        assert!(Demo::fault("terse").is_none() && Demo::knows("terse"));
        assert!(table_problems::<Demo>().is_empty());
    }

    #[test]
    fn insert_switches_on() {
        let mut set = FaultSet::<Demo>::default();
        assert!(set.is_empty());
        set.insert("hang");
        assert_eq!(set.names(), ["hang"]);
    }
}
