//! A small content-model checker for the EWS element sequences: each complex type is a list
//! of slots (element names, namespace, occurrences) in schema order, and checking a node
//! against it yields the matched children per slot plus findings for every deviation. One
//! checker for every message keeps the rule names and their wording the same everywhere.

use super::rules;
use crate::finding::Finding;
use crate::xml::namespace_of;
use roxmltree::Node;

pub(crate) const UNBOUNDED: u32 = u32::MAX;

/// One particle of a sequence: an element (or a choice of elements) in `ns`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slot {
    pub names: &'static [&'static str],
    pub ns: &'static str,
    pub min: u32,
    pub max: u32,
}

pub(crate) const fn one(names: &'static [&'static str], ns: &'static str) -> Slot {
    Slot {
        names,
        ns,
        min: 1,
        max: 1,
    }
}

pub(crate) const fn opt(names: &'static [&'static str], ns: &'static str) -> Slot {
    Slot {
        names,
        ns,
        min: 0,
        max: 1,
    }
}

pub(crate) const fn many(names: &'static [&'static str], ns: &'static str, min: u32) -> Slot {
    Slot {
        names,
        ns,
        min,
        max: UNBOUNDED,
    }
}

/// What to do with an element no slot names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unknown {
    /// A violation (`ews.element.unexpected`).
    Violation,
    /// A warning with this rule, the element otherwise ignored.
    Advice(&'static str),
    /// Silently ignored: for the mocks reading what real clients send around a Subscribe,
    /// where only a few fields matter.
    Ignore,
}

/// How strictly a node is checked.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Check {
    pub unknown: Unknown,
    /// Order, namespace, occurrence and text checks; off for lax reading.
    pub strict: bool,
    pub requirement: Option<&'static str>,
}

impl Check {
    pub(crate) const fn strict(requirement: Option<&'static str>) -> Self {
        Check {
            unknown: Unknown::Violation,
            strict: true,
            requirement,
        }
    }

    pub(crate) const fn lax() -> Self {
        Check {
            unknown: Unknown::Ignore,
            strict: false,
            requirement: None,
        }
    }
}

/// Children of one node, matched to slots.
pub(crate) struct Matched<'a, 'i> {
    slots: Vec<Vec<Node<'a, 'i>>>,
}

impl<'a, 'i> Matched<'a, 'i> {
    pub(crate) fn first(&self, slot: usize) -> Option<Node<'a, 'i>> {
        self.slots.get(slot).and_then(|v| v.first().copied())
    }

    pub(crate) fn all(&self, slot: usize) -> &[Node<'a, 'i>] {
        self.slots.get(slot).map_or(&[], Vec::as_slice)
    }
}

pub(crate) fn push(f: &mut Vec<Finding>, finding: Finding, requirement: Option<&'static str>) {
    f.push(match requirement {
        Some(r) => finding.requirement(r),
        None => finding,
    });
}

/// A namespace URI as a reader names it: `m:` and `t:` for the two EWS namespaces.
pub(crate) fn ns_label(ns: Option<&str>) -> String {
    match ns {
        Some(super::ns::MESSAGES) => "the messages namespace (m:)".into(),
        Some(super::ns::TYPES) => "the types namespace (t:)".into(),
        Some(other) => format!("namespace {other:?}"),
        None => "no namespace".into(),
    }
}

/// Checks the element children of `node` against `slots` and hands them back per slot.
pub(crate) fn sequence<'a, 'i>(
    node: Node<'a, 'i>,
    path: &str,
    slots: &[Slot],
    check: Check,
    f: &mut Vec<Finding>,
) -> Matched<'a, 'i> {
    let mut matched: Vec<Vec<Node<'a, 'i>>> = vec![Vec::new(); slots.len()];
    let mut position = 0usize;
    let req = check.requirement;
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for child in node.children() {
        if child.is_text() {
            let text = child.text().unwrap_or_default();
            if check.strict && !text.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n')) {
                push(
                    f,
                    Finding::violation(
                        rules::ELEMENT_TEXT,
                        path,
                        format!(
                            "character data {:?} inside element-only content",
                            clip(text)
                        ),
                    ),
                    req,
                );
            }
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let name = child.tag_name().name();
        let n = counts.entry(name).or_insert(0);
        *n += 1;
        let child_path = format!("{path}/{name}[{n}]");
        let Some(index) = slots.iter().position(|s| s.names.contains(&name)) else {
            match check.unknown {
                Unknown::Violation => push(
                    f,
                    Finding::violation(
                        rules::ELEMENT_UNEXPECTED,
                        child_path,
                        format!(
                            "{name} is not allowed here; the schema allows {}",
                            describe(slots)
                        ),
                    ),
                    req,
                ),
                Unknown::Advice(rule) => push(
                    f,
                    Finding::advice(
                        rule,
                        child_path,
                        format!(
                            "{name} is not an element this schema version defines here; ignored"
                        ),
                    ),
                    req,
                ),
                Unknown::Ignore => {}
            }
            continue;
        };
        let slot = slots[index];
        if check.strict {
            let ns = namespace_of(child);
            if ns != Some(slot.ns) {
                push(
                    f,
                    Finding::violation(
                        rules::ELEMENT_NAMESPACE,
                        child_path.clone(),
                        format!(
                            "{name} is in {}; the schema declares it in {}",
                            ns_label(ns),
                            ns_label(Some(slot.ns))
                        ),
                    ),
                    req,
                );
            }
            if index < position {
                push(
                    f,
                    Finding::violation(
                        rules::ELEMENT_ORDER,
                        child_path.clone(),
                        format!(
                            "{name} comes after {}; the schema puts it before",
                            slots[position].names.join("/")
                        ),
                    ),
                    req,
                );
            } else {
                position = index;
            }
            if matched[index].len() as u32 >= slot.max {
                push(
                    f,
                    Finding::violation(
                        rules::ELEMENT_REPEATED,
                        child_path,
                        format!(
                            "{} occurs more than {} time(s)",
                            slot.names.join("/"),
                            slot.max
                        ),
                    ),
                    req,
                );
            }
        }
        matched[index].push(child);
    }
    if check.strict {
        for (slot, got) in slots.iter().zip(&matched) {
            if (got.len() as u32) < slot.min {
                push(
                    f,
                    Finding::violation(
                        rules::ELEMENT_MISSING,
                        path,
                        format!(
                            "{} {} is required here ({} found)",
                            ns_prefix(slot.ns),
                            slot.names.join(" or "),
                            got.len()
                        ),
                    ),
                    req,
                );
            }
        }
    }
    Matched { slots: matched }
}

fn ns_prefix(ns: &str) -> &'static str {
    if ns == super::ns::MESSAGES {
        "m:"
    } else {
        "t:"
    }
}

fn describe(slots: &[Slot]) -> String {
    let names: Vec<String> = slots.iter().map(|s| s.names.join("|")).collect();
    if names.is_empty() {
        "no element children".into()
    } else {
        format!("the sequence {}", names.join(", "))
    }
}

fn clip(text: &str) -> String {
    let t = text.trim();
    if t.chars().count() > 40 {
        format!("{}…", t.chars().take(40).collect::<String>())
    } else {
        t.to_owned()
    }
}

/// The element's text content (its text children), as a reader keeps it.
pub(crate) fn text(node: Node<'_, '_>) -> String {
    node.children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect()
}

/// Checks that a simple-content element has no element children.
pub(crate) fn simple(node: Node<'_, '_>, path: &str, check: Check, f: &mut Vec<Finding>) -> String {
    if check.strict {
        if let Some(child) = node.first_element_child() {
            push(
                f,
                Finding::violation(
                    rules::ELEMENT_UNEXPECTED,
                    format!("{path}/{}", child.tag_name().name()),
                    format!(
                        "{} has simple content; element {} is not allowed inside it",
                        node.tag_name().name(),
                        child.tag_name().name()
                    ),
                ),
                check.requirement,
            );
        }
    }
    text(node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ews::ns::{MESSAGES, TYPES};

    fn run(xml: &str, slots: &[Slot]) -> Vec<&'static str> {
        let doc = roxmltree::Document::parse(xml).unwrap();
        let mut f = Vec::new();
        sequence(doc.root_element(), "/r", slots, Check::strict(None), &mut f);
        f.iter().map(|f| f.rule).collect()
    }

    const SLOTS: &[Slot] = &[
        one(&["A"], TYPES),
        opt(&["B"], TYPES),
        many(&["C", "D"], MESSAGES, 1),
    ];

    #[test]
    fn in_order_is_clean() {
        let xml = format!("<r xmlns:t='{TYPES}' xmlns:m='{MESSAGES}'><t:A/><t:B/><m:D/><m:C/></r>");
        assert!(run(&xml, SLOTS).is_empty());
    }

    #[test]
    fn each_deviation_has_its_rule() {
        let xml =
            format!("<r xmlns:t='{TYPES}' xmlns:m='{MESSAGES}'><t:B/><m:A/>x<t:B/><m:Z/></r>");
        assert_eq!(
            run(&xml, SLOTS),
            vec![
                rules::ELEMENT_NAMESPACE,
                rules::ELEMENT_ORDER,
                rules::ELEMENT_TEXT,
                rules::ELEMENT_REPEATED,
                rules::ELEMENT_UNEXPECTED,
                rules::ELEMENT_MISSING,
            ]
        );
    }
}
