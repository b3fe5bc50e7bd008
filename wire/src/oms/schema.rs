//! A small structural checker for the MS-OMS schemas: sequences of child elements with
//! occurrence bounds, attributes, simple content and XML Schema value types.
//!
//! The codecs read tolerantly (first occurrence wins, out-of-order elements are still read)
//! and record every deviation from the schema as a finding, so one parse tells a suite both
//! what a peer meant and everything it got wrong.

use roxmltree::{Document, Node};

use super::ns::OMS_NS;
use super::rules;
use crate::finding::{Finding, Layer, LayerError};
use crate::xml::{namespace_of, parse_strict, Limits, XML_NS, XSI_NS};

/// One element of an xs:sequence.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slot {
    pub name: &'static str,
    pub min: usize,
    pub max: usize,
    /// Rule and requirement reported when fewer than `min` occur.
    pub missing_rule: &'static str,
    pub missing_requirement: Option<&'static str>,
}

impl Slot {
    const fn new(name: &'static str, min: usize, max: usize) -> Slot {
        Slot {
            name,
            min,
            max,
            missing_rule: rules::SCHEMA_ELEMENT_MISSING,
            missing_requirement: None,
        }
    }

    /// Exactly one.
    pub(crate) const fn one(name: &'static str) -> Slot {
        Slot::new(name, 1, 1)
    }

    /// minOccurs="0".
    pub(crate) const fn opt(name: &'static str) -> Slot {
        Slot::new(name, 0, 1)
    }

    /// maxOccurs="unbounded", at least one.
    pub(crate) const fn many(name: &'static str) -> Slot {
        Slot::new(name, 1, usize::MAX)
    }

    /// 1..=max.
    pub(crate) const fn up_to(name: &'static str, max: usize) -> Slot {
        Slot::new(name, 1, max)
    }

    /// Reports absence under a specific rule instead of `schema.element.missing`.
    pub(crate) const fn missing_as(
        mut self,
        rule: &'static str,
        requirement: &'static str,
    ) -> Slot {
        self.missing_rule = rule;
        self.missing_requirement = Some(requirement);
        self
    }
}

/// The children found for each slot of a sequence, in document order.
pub(crate) struct Children<'a, 'i> {
    names: Vec<&'static str>,
    found: Vec<Vec<Node<'a, 'i>>>,
}

impl<'a, 'i> Children<'a, 'i> {
    pub(crate) fn first(&self, name: &str) -> Option<Node<'a, 'i>> {
        self.all(name).first().copied()
    }

    pub(crate) fn all(&self, name: &str) -> &[Node<'a, 'i>] {
        self.names
            .iter()
            .position(|n| *n == name)
            .map_or(&[], |i| self.found[i].as_slice())
    }
}

/// Path of a child element; repeatable elements get a 1-based index.
pub(crate) fn child_path(parent: &str, name: &str, index: Option<usize>) -> String {
    match index {
        Some(i) => format!("{parent}/{name}[{}]", i + 1),
        None => format!("{parent}/{name}"),
    }
}

pub(crate) fn attr_path(element: &str, name: &str) -> String {
    format!("{element}/@{name}")
}

fn is_blank(s: &str) -> bool {
    s.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
}

/// XML Schema whitespace "collapse" for the non-string types used here reduces to trimming.
fn collapse(raw: &str) -> &str {
    raw.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
}

/// Lexical form of xs:nonNegativeInteger: optional "+", then digits.
pub(crate) fn parse_unsigned<T: std::str::FromStr>(raw: &str) -> Option<T> {
    let v = collapse(raw);
    let digits = v.strip_prefix('+').unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

pub(crate) fn parse_boolean(raw: &str) -> Option<bool> {
    match collapse(raw) {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

pub(crate) struct Checker {
    pub findings: Vec<Finding>,
    /// The namespace child elements must share with their root.
    ns: Option<String>,
    root: &'static str,
}

impl Checker {
    /// Passes `text` through the strict gate and checks the root element's name. A wrong root
    /// is an error: there is nothing of the expected document to read.
    pub(crate) fn open<'i>(
        text: &'i str,
        root: &'static str,
    ) -> Result<(Document<'i>, Checker), LayerError> {
        let mut findings = Vec::new();
        let trimmed = text.trim_start_matches([' ', '\t', '\r', '\n']);
        let source = if trimmed.len() != text.len() && trimmed.starts_with("<?xml") {
            findings.push(Finding::violation(
                rules::PAYLOAD_LEADING_WHITESPACE,
                format!("/{root}"),
                "whitespace before the XML declaration of the embedded document; read without it",
            ));
            trimmed
        } else {
            text
        };
        let doc = parse_strict(source, Layer::Payload(root), Limits::default())?;
        let found = doc.root_element().tag_name().name();
        if found != root {
            return Err(LayerError::new(
                Layer::Payload(root),
                format!("root element is {found:?}, expected {root:?}"),
            ));
        }
        let ns = namespace_of(doc.root_element()).map(str::to_owned);
        Ok((doc, Checker { findings, ns, root }))
    }

    pub(crate) fn root_path(&self) -> String {
        format!("/{}", self.root)
    }

    /// The root's namespace, if any.
    pub(crate) fn namespace(&self) -> Option<&str> {
        self.ns.as_deref()
    }

    /// Reports a root outside the OMS namespace (OMS-R007).
    pub(crate) fn require_oms_namespace(&mut self) {
        if self.ns.as_deref() != Some(OMS_NS) {
            let found = self.ns.clone().unwrap_or_default();
            self.findings.push(
                Finding::violation(
                    rules::SCHEMA_ROOT_NAMESPACE,
                    self.root_path(),
                    format!(
                        "{} must be in namespace {OMS_NS}; found {found:?}",
                        self.root
                    ),
                )
                .requirement("OMS-R007"),
            );
        }
    }

    pub(crate) fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    pub(crate) fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        self.findings.extend(findings);
    }

    /// Walks the element children of `node` against an xs:sequence.
    pub(crate) fn sequence<'a, 'i>(
        &mut self,
        node: Node<'a, 'i>,
        path: &str,
        slots: &[Slot],
        requirement: &'static str,
    ) -> Children<'a, 'i> {
        self.sequence_with_order_rule(node, path, slots, requirement, rules::SCHEMA_ELEMENT_ORDER)
    }

    /// As `sequence`, reporting order problems under `order_rule` (where the specification
    /// states the order as a rule of its own).
    pub(crate) fn sequence_with_order_rule<'a, 'i>(
        &mut self,
        node: Node<'a, 'i>,
        path: &str,
        slots: &[Slot],
        requirement: &'static str,
        order_rule: &'static str,
    ) -> Children<'a, 'i> {
        let mut found: Vec<Vec<Node<'a, 'i>>> = vec![Vec::new(); slots.len()];
        let mut furthest = 0usize;
        let mut text_reported = false;
        for child in node.children() {
            if child.is_text() {
                if !text_reported && !is_blank(child.text().unwrap_or_default()) {
                    text_reported = true;
                    self.push(
                        Finding::violation(
                            rules::SCHEMA_TEXT_UNEXPECTED,
                            path,
                            "text in element-only content",
                        )
                        .requirement(requirement),
                    );
                }
                continue;
            }
            if !child.is_element() {
                continue;
            }
            let name = child.tag_name().name();
            let Some(i) = slots.iter().position(|s| s.name == name) else {
                let expected: Vec<&str> = slots.iter().map(|s| s.name).collect();
                self.push(
                    Finding::violation(
                        rules::SCHEMA_ELEMENT_UNEXPECTED,
                        child_path(path, name, None),
                        format!("element {name:?} is not allowed here; expected {expected:?}"),
                    )
                    .requirement(requirement),
                );
                continue;
            };
            let slot = slots[i];
            let index = (slot.max > 1).then_some(found[i].len());
            let cpath = child_path(path, name, index);
            // A subtree in the wrong namespace is reported at its top only.
            if namespace_of(child) != self.ns.as_deref()
                && namespace_of(child) != namespace_of(node)
            {
                self.push(
                    Finding::violation(
                        rules::SCHEMA_ELEMENT_NAMESPACE,
                        cpath.clone(),
                        format!(
                            "{name} is in namespace {:?}, its document in {:?} (elementFormDefault=qualified)",
                            namespace_of(child).unwrap_or(""),
                            self.ns.as_deref().unwrap_or("")
                        ),
                    )
                    .requirement("OMS-R007"),
                );
            }
            if i < furthest {
                self.push(
                    Finding::violation(
                        order_rule,
                        cpath.clone(),
                        format!("{name} must come before {}", slots[furthest].name),
                    )
                    .requirement(requirement),
                );
            } else {
                furthest = i;
            }
            found[i].push(child);
            if found[i].len() > slot.max {
                self.push(
                    Finding::violation(
                        rules::SCHEMA_ELEMENT_REPEATED,
                        cpath,
                        format!("{name} may occur at most {} time(s)", slot.max),
                    )
                    .requirement(requirement),
                );
            }
        }
        for (slot, nodes) in slots.iter().zip(&found) {
            if nodes.len() < slot.min {
                self.push(
                    Finding::violation(
                        slot.missing_rule,
                        child_path(path, slot.name, None),
                        format!("required element {} is missing", slot.name),
                    )
                    .requirement(slot.missing_requirement.unwrap_or(requirement)),
                );
            }
        }
        Children {
            names: slots.iter().map(|s| s.name).collect(),
            found,
        }
    }

    /// Checks attributes: every `required` one present, nothing outside `known` (xsi: and
    /// xml: attributes are always allowed).
    pub(crate) fn attributes(
        &mut self,
        node: Node<'_, '_>,
        path: &str,
        known: &[&str],
        required: &[&str],
        requirement: &'static str,
    ) {
        for a in node.attributes() {
            let allowed = match a.namespace() {
                None => known.contains(&a.name()),
                Some(ns) => ns == XSI_NS || ns == XML_NS,
            };
            if !allowed {
                self.push(
                    Finding::violation(
                        rules::SCHEMA_ATTRIBUTE_UNEXPECTED,
                        attr_path(path, a.name()),
                        format!("attribute {:?} is not declared for this element", a.name()),
                    )
                    .requirement(requirement),
                );
            }
        }
        for name in required {
            if node.attribute(*name).is_none() {
                self.push(
                    Finding::violation(
                        rules::SCHEMA_ATTRIBUTE_MISSING,
                        attr_path(path, name),
                        format!("required attribute {name} is missing"),
                    )
                    .requirement(requirement),
                );
            }
        }
    }

    /// Text of a simple-content element (xs:string or a simple type).
    pub(crate) fn text(
        &mut self,
        node: Node<'_, '_>,
        path: &str,
        requirement: &'static str,
    ) -> String {
        if node.children().any(|c| c.is_element()) {
            self.push(
                Finding::violation(
                    rules::SCHEMA_CHILDREN_UNEXPECTED,
                    path,
                    "element children inside a simple-content element",
                )
                .requirement(requirement),
            );
        }
        node.children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect()
    }

    /// Text of a simple-content element without attributes (the xs:string elements of the
    /// OMS schemas).
    pub(crate) fn simple(
        &mut self,
        node: Node<'_, '_>,
        path: &str,
        requirement: &'static str,
    ) -> String {
        self.attributes(node, path, &[], &[], requirement);
        self.text(node, path, requirement)
    }

    /// `simple` for an optional element.
    pub(crate) fn opt_simple(
        &mut self,
        node: Option<Node<'_, '_>>,
        path: &str,
        requirement: &'static str,
    ) -> Option<String> {
        node.map(|n| self.simple(n, path, requirement))
    }

    /// Checks that an element declared with empty content has none.
    pub(crate) fn empty_content(
        &mut self,
        node: Node<'_, '_>,
        path: &str,
        requirement: &'static str,
    ) {
        self.sequence(node, path, &[], requirement);
    }

    fn type_violation(
        &mut self,
        raw: &str,
        path: &str,
        type_name: &str,
        requirement: &'static str,
    ) {
        self.push(
            Finding::violation(
                rules::SCHEMA_VALUE_TYPE,
                path,
                format!("{raw:?} is not a valid {type_name}"),
            )
            .requirement(requirement),
        );
    }

    pub(crate) fn unsigned_int(
        &mut self,
        raw: &str,
        path: &str,
        requirement: &'static str,
    ) -> Option<u32> {
        let v = parse_unsigned::<u32>(raw);
        if v.is_none() {
            self.type_violation(raw, path, "xs:unsignedInt", requirement);
        }
        v
    }

    pub(crate) fn unsigned_short(
        &mut self,
        raw: &str,
        path: &str,
        requirement: &'static str,
    ) -> Option<u16> {
        let v = parse_unsigned::<u16>(raw);
        if v.is_none() {
            self.type_violation(raw, path, "xs:unsignedShort", requirement);
        }
        v
    }

    pub(crate) fn boolean(
        &mut self,
        raw: &str,
        path: &str,
        requirement: &'static str,
    ) -> Option<bool> {
        let v = parse_boolean(raw);
        if v.is_none() {
            self.type_violation(raw, path, "xs:boolean", requirement);
        }
        v
    }

    /// A required unsignedInt attribute; absent or invalid reads as 0 (already reported).
    pub(crate) fn u32_attr(
        &mut self,
        node: Node<'_, '_>,
        path: &str,
        name: &str,
        requirement: &'static str,
    ) -> u32 {
        node.attribute(name)
            .and_then(|raw| self.unsigned_int(raw, &attr_path(path, name), requirement))
            .unwrap_or(0)
    }

    pub(crate) fn finish(self) -> Vec<Finding> {
        self.findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn run(xml: &str, slots: &[Slot]) -> Vec<&'static str> {
        let (doc, mut c) = Checker::open(xml, "r").unwrap();
        c.sequence(doc.root_element(), "/r", slots, "OMS-R086");
        c.finish().iter().map(|f| f.rule).collect()
    }

    const SEQ: [Slot; 3] = [Slot::opt("a"), Slot::one("b"), Slot::many("c")];

    #[rstest]
    #[case::complete("<r><a/><b/><c/><c/></r>", &[][..])]
    #[case::minimal("<r><b/><c/></r>", &[][..])]
    #[case::missing("<r><a/><c/></r>", &[rules::SCHEMA_ELEMENT_MISSING][..])]
    #[case::order("<r><b/><a/><c/></r>", &[rules::SCHEMA_ELEMENT_ORDER][..])]
    #[case::repeated("<r><b/><b/><c/></r>", &[rules::SCHEMA_ELEMENT_REPEATED][..])]
    #[case::unexpected("<r><b/><x/><c/></r>", &[rules::SCHEMA_ELEMENT_UNEXPECTED][..])]
    #[case::text("<r>hi<b/><c/></r>", &[rules::SCHEMA_TEXT_UNEXPECTED][..])]
    #[case::namespace("<r xmlns=\"urn:x\"><b/><c xmlns=\"\"/></r>", &[rules::SCHEMA_ELEMENT_NAMESPACE][..])]
    fn sequences(#[case] xml: &str, #[case] expected: &[&str]) {
        assert_eq!(run(xml, &SEQ), expected);
    }

    #[test]
    fn specific_missing_rule() {
        let slots = [Slot::many("c").missing_as(rules::XMS_HEAD_NO_RECIPIENT, "OMS-R078")];
        let (doc, mut c) = Checker::open("<r/>", "r").unwrap();
        c.sequence(doc.root_element(), "/r", &slots, "OMS-R087");
        let f = c.finish();
        assert_eq!(f[0].rule, rules::XMS_HEAD_NO_RECIPIENT);
        assert_eq!(f[0].requirement, Some("OMS-R078"));
    }

    #[rstest]
    #[case("7", Some(7))]
    #[case(" +7 ", Some(7))]
    #[case("007", Some(7))]
    #[case("4294967295", Some(u32::MAX))]
    #[case("4294967296", None)]
    #[case("-1", None)]
    #[case("1.0", None)]
    #[case("", None)]
    #[case("+", None)]
    fn unsigned_ints(#[case] raw: &str, #[case] expected: Option<u32>) {
        assert_eq!(parse_unsigned::<u32>(raw), expected);
    }

    #[rstest]
    #[case("true", Some(true))]
    #[case(" 1", Some(true))]
    #[case("0", Some(false))]
    #[case("TRUE", None)]
    #[case("yes", None)]
    fn booleans(#[case] raw: &str, #[case] expected: Option<bool>) {
        assert_eq!(parse_boolean(raw), expected);
    }

    #[test]
    fn attributes_missing_and_unexpected() {
        let (doc, mut c) =
            Checker::open("<r xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" a=\"1\" z=\"2\" xsi:nil=\"false\"/>", "r")
                .unwrap();
        c.attributes(
            doc.root_element(),
            "/r",
            &["a", "b"],
            &["a", "b"],
            "OMS-R086",
        );
        let rules: Vec<_> = c.finish().iter().map(|f| f.rule).collect();
        assert_eq!(
            rules,
            [
                rules::SCHEMA_ATTRIBUTE_UNEXPECTED,
                rules::SCHEMA_ATTRIBUTE_MISSING
            ]
        );
    }

    #[rstest]
    #[case::wrong_root("<x/>")]
    #[case::malformed("<r>")]
    #[case::empty("")]
    fn unreadable(#[case] xml: &str) {
        let err = Checker::open(xml, "r").err().unwrap();
        assert_eq!(err.layer, Layer::Payload("r"));
    }

    #[test]
    fn leading_whitespace_before_declaration_is_reported_and_skipped() {
        let (_, c) = Checker::open("\n  <?xml version=\"1.0\"?><r/>", "r").unwrap();
        assert_eq!(c.finish()[0].rule, rules::PAYLOAD_LEADING_WHITESPACE);
    }
}
