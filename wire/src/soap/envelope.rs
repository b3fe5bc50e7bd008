//! Writing and reading SOAP envelopes. The reader knows nothing about the protocol carried in
//! the body: it hands back the first body element with its children's text already unescaped,
//! which is all a document/literal binding with string parameters needs.

use super::fault::{read_fault, Fault};
use super::rules;
use super::version::SoapVersion;
use crate::finding::{Finding, Layer, LayerError};
use crate::xml::{namespace_of, parse_strict, serialize_subtree, Limits, XmlWriter};

/// A complete envelope (with XML declaration) whose Body holds `body_xml` verbatim.
pub fn write_envelope(version: SoapVersion, body_xml: &str) -> String {
    let mut w = XmlWriter::document();
    w.start("soap:Envelope", &[("xmlns:soap", version.envelope_ns())]);
    w.start("soap:Body", &[]);
    w.raw(body_xml);
    w.end("soap:Body");
    w.end("soap:Envelope");
    w.finish()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// From the envelope namespace (not from HTTP headers).
    pub version: SoapVersion,
    pub body: Body,
    pub findings: Vec<Finding>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// The first element child of Body.
    Element(Element),
    Fault(Fault),
    /// Body without element children.
    Empty,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    pub namespace: Option<String>,
    pub name: String,
    pub children: Vec<Child>,
    /// The element as it appeared in the message (prefixes may rely on ancestors).
    pub raw: String,
}

impl Element {
    /// Children called `name` (any namespace), in document order.
    pub fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Child> + 's {
        self.children.iter().filter(move |c| c.name == name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Child {
    pub namespace: Option<String>,
    pub name: String,
    /// Concatenated text content, unescaped.
    pub text: String,
    /// Standalone XML of the first element child, if the child has element children instead
    /// of text (E-OMS-23 breakage).
    pub element_xml: Option<String>,
}

fn direct_text(node: roxmltree::Node<'_, '_>) -> String {
    node.children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect()
}

fn is_blank(s: &str) -> bool {
    s.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
}

/// Reads an envelope. The envelope must be well-formed and a SOAP 1.1 or 1.2 Envelope with a
/// Body, otherwise the message cannot be read at all (`Err`, layer Envelope). Structure
/// problems that still leave a readable body become findings.
pub fn parse_envelope(text: &str, limits: Limits) -> Result<Envelope, LayerError> {
    let doc = parse_strict(text, Layer::Envelope, limits)?;
    let root = doc.root_element();
    let ns = namespace_of(root);
    if root.tag_name().name() != "Envelope" {
        return Err(LayerError::new(
            Layer::Envelope,
            format!(
                "root element is {:?}, not a SOAP Envelope",
                root.tag_name().name()
            ),
        ));
    }
    let Some(version) = ns.and_then(SoapVersion::from_envelope_ns) else {
        return Err(LayerError::new(
            Layer::Envelope,
            format!(
                "Envelope in namespace {:?}, which is neither SOAP 1.1 nor SOAP 1.2 (an unprefixed Envelope under a soap prefix declaration is in no namespace, E-OMS-04)",
                ns.unwrap_or("")
            ),
        ));
    };
    let env_ns = version.envelope_ns();
    let mut findings = Vec::new();

    let mut body_node = None;
    let mut seen_header = false;
    for child in root.children() {
        if child.is_text() {
            if !is_blank(child.text().unwrap_or_default()) {
                findings.push(Finding::violation(
                    rules::ENVELOPE_UNEXPECTED,
                    "/Envelope",
                    "text directly inside Envelope",
                ));
            }
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let in_env = child.tag_name().namespace() == Some(env_ns);
        let name = child.tag_name().name();
        match (in_env, name) {
            (true, "Header") if body_node.is_none() && !seen_header => seen_header = true,
            (true, "Body") if body_node.is_none() => body_node = Some(child),
            _ => findings.push(Finding::violation(
                rules::ENVELOPE_UNEXPECTED,
                format!("/Envelope/{name}"),
                format!(
                    "{} Envelope allows an optional Header followed by one Body; found {name:?} here",
                    version.label()
                ),
            )),
        }
    }
    let Some(body_node) = body_node else {
        return Err(LayerError::new(
            Layer::Envelope,
            format!("{} Envelope without Body", version.label()),
        ));
    };

    let mut elements = Vec::new();
    for child in body_node.children() {
        if child.is_element() {
            elements.push(child);
        } else if child.is_text() && !is_blank(child.text().unwrap_or_default()) {
            findings.push(Finding::violation(
                rules::BODY_TEXT,
                "/Envelope/Body",
                "text directly inside Body",
            ));
        }
    }
    if elements.len() > 1 {
        findings.push(
            Finding::violation(
                rules::BODY_MULTIPLE,
                "/Envelope/Body",
                format!(
                    "Body has {} element children; a document/literal message has exactly one",
                    elements.len()
                ),
            )
            .requirement("OMS-R155"),
        );
    }
    let body = match elements.first() {
        None => Body::Empty,
        Some(first)
            if first.tag_name().name() == "Fault"
                && first.tag_name().namespace() == Some(env_ns) =>
        {
            Body::Fault(read_fault(*first, version, &mut findings))
        }
        Some(first) => Body::Element(read_element(*first, text)),
    };
    Ok(Envelope {
        version,
        body,
        findings,
    })
}

fn read_element(node: roxmltree::Node<'_, '_>, source: &str) -> Element {
    let children = node
        .children()
        .filter(|c| c.is_element())
        .map(|c| Child {
            namespace: namespace_of(c).map(str::to_owned),
            name: c.tag_name().name().to_owned(),
            text: direct_text(c),
            element_xml: c.first_element_child().map(serialize_subtree),
        })
        .collect();
    Element {
        namespace: namespace_of(node).map(str::to_owned),
        name: node.tag_name().name().to_owned(),
        children,
        raw: source.get(node.range()).unwrap_or_default().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const S11: &str = "http://schemas.xmlsoap.org/soap/envelope/";

    #[rstest]
    #[case(SoapVersion::V11)]
    #[case(SoapVersion::V12)]
    fn written_envelope_reads_back(#[case] version: SoapVersion) {
        let xml = write_envelope(version, "<Op xmlns=\"urn:o\"><p>a &amp; &lt;b&gt;</p></Op>");
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
        let env = parse_envelope(&xml, Limits::default()).unwrap();
        assert_eq!(env.version, version);
        assert!(env.findings.is_empty());
        let Body::Element(el) = env.body else {
            panic!("expected an element")
        };
        assert_eq!(el.name, "Op");
        assert_eq!(el.namespace.as_deref(), Some("urn:o"));
        assert_eq!(el.children.len(), 1);
        assert_eq!(el.children[0].text, "a & <b>");
        assert_eq!(el.children[0].namespace.as_deref(), Some("urn:o"));
        assert!(el.children[0].element_xml.is_none());
        assert!(el.raw.starts_with("<Op"));
    }

    #[test]
    fn cdata_and_text_are_concatenated() {
        let xml = format!(
            "<s:Envelope xmlns:s=\"{S11}\"><s:Header/><s:Body><Op><p>x<![CDATA[<y>]]>z</p></Op></s:Body></s:Envelope>"
        );
        let env = parse_envelope(&xml, Limits::default()).unwrap();
        let Body::Element(el) = env.body else {
            panic!()
        };
        assert_eq!(el.children[0].text, "x<y>z");
    }

    #[test]
    fn child_elements_instead_of_text_are_kept_as_xml() {
        let xml = format!(
            "<s:Envelope xmlns:s=\"{S11}\" xmlns:o=\"urn:o\"><s:Body><o:Op><o:p><o:doc a=\"1\"/></o:p></o:Op></s:Body></s:Envelope>"
        );
        let env = parse_envelope(&xml, Limits::default()).unwrap();
        let Body::Element(el) = env.body else {
            panic!()
        };
        let inner = el.children[0].element_xml.as_deref().unwrap();
        let doc = roxmltree::Document::parse(inner).unwrap();
        assert_eq!(doc.root_element().tag_name().namespace(), Some("urn:o"));
    }

    #[rstest]
    #[case::empty_body(format!("<s:Envelope xmlns:s=\"{S11}\"><s:Body>  </s:Body></s:Envelope>"), &[][..])]
    #[case::two_children(format!("<s:Envelope xmlns:s=\"{S11}\"><s:Body><a/><b/></s:Body></s:Envelope>"), &[rules::BODY_MULTIPLE][..])]
    #[case::text_in_body(format!("<s:Envelope xmlns:s=\"{S11}\"><s:Body>hi<a/></s:Body></s:Envelope>"), &[rules::BODY_TEXT][..])]
    #[case::header_after_body(format!("<s:Envelope xmlns:s=\"{S11}\"><s:Body><a/></s:Body><s:Header/></s:Envelope>"), &[rules::ENVELOPE_UNEXPECTED][..])]
    #[case::foreign_child(format!("<s:Envelope xmlns:s=\"{S11}\"><x/><s:Body><a/></s:Body></s:Envelope>"), &[rules::ENVELOPE_UNEXPECTED][..])]
    fn structure_findings(#[case] xml: String, #[case] expected: &[&str]) {
        let env = parse_envelope(&xml, Limits::default()).unwrap();
        let rules: Vec<_> = env.findings.iter().map(|f| f.rule).collect();
        assert_eq!(rules, expected);
    }

    #[rstest]
    #[case::spec_example_4_1("<?xml version=\"1.0\" encoding=\"utf-8\"?><Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><Body><GetServiceInfo xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\" /></Body></Envelope>")]
    #[case::wrong_ns("<s:Envelope xmlns:s=\"urn:nope\"><s:Body/></s:Envelope>")]
    #[case::not_envelope(format!("<s:Body xmlns:s=\"{S11}\"/>").leak())]
    #[case::no_body(format!("<s:Envelope xmlns:s=\"{S11}\"><s:Header/></s:Envelope>").leak())]
    #[case::garbage("HTTP/1.1 500 Internal Server Error")]
    #[case::empty("")]
    fn unreadable_envelopes_are_errors(#[case] xml: &str) {
        let err = parse_envelope(xml, Limits::default()).unwrap_err();
        assert_eq!(err.layer, Layer::Envelope);
    }
}
