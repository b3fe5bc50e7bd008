//! Writing XML with quick-xml, escaping done here rather than by quick-xml.
//!
//! quick-xml leaves tabs, line feeds and carriage returns in attribute values and carriage
//! returns in text as they are; any conformant reader then normalises them (attribute-value
//! normalisation turns them into spaces, end-of-line handling turns CR into LF), so a value
//! would not survive a round trip. Writing them as character references keeps every string
//! exactly as the model holds it.
//!
//! Characters XML 1.0 cannot carry at all (most C0 controls, U+FFFE, U+FFFF) are written as
//! they are: the writer does not invent replacements, and the strict gate will refuse the
//! result. Callers that build models from arbitrary data must keep to XML characters.

use std::borrow::Cow;

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;

/// Escapes character data: markup characters, `>` (so `]]>` can never appear) and CR.
pub fn escape_text(text: &str) -> Cow<'_, str> {
    escape_with(text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '\r' => Some("&#xD;"),
        _ => None,
    })
}

/// Escapes an attribute value for double quotes, keeping whitespace characters intact.
pub fn escape_attr(value: &str) -> Cow<'_, str> {
    escape_with(value, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\t' => Some("&#x9;"),
        '\n' => Some("&#xA;"),
        '\r' => Some("&#xD;"),
        _ => None,
    })
}

fn escape_with(text: &str, map: impl Fn(char) -> Option<&'static str>) -> Cow<'_, str> {
    let Some(first) = text.char_indices().find(|(_, c)| map(*c).is_some()) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first.0]);
    for c in text[first.0..].chars() {
        match map(c) {
            Some(replacement) => out.push_str(replacement),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A compact (unindented) XML writer. Compact output is what the codecs emit: indentation
/// would add whitespace text nodes that a strict reader of element-only content must then
/// tolerate, and it would change the value of simple-content elements.
pub struct XmlWriter {
    inner: quick_xml::Writer<Vec<u8>>,
}

impl Default for XmlWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl XmlWriter {
    /// A writer for a fragment without XML declaration (SOAP bodies, nested parts).
    pub fn new() -> Self {
        XmlWriter {
            inner: quick_xml::Writer::new(Vec::with_capacity(512)),
        }
    }

    /// A writer for a standalone document, starting with the UTF-8 declaration.
    pub fn document() -> Self {
        let mut w = Self::new();
        w.emit(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)));
        w
    }

    fn emit(&mut self, event: Event<'_>) {
        // Writing into a Vec<u8> has no failure mode; the io::Result is an artefact of the
        // generic writer.
        self.inner
            .write_event(event)
            .expect("writing XML into memory cannot fail");
    }

    fn start_tag<'a>(name: &'a str, attrs: &[(&'a str, &str)]) -> BytesStart<'a> {
        let mut tag = BytesStart::new(name);
        for (key, value) in attrs {
            tag.push_attribute(Attribute {
                key: QName(key),
                value: Cow::Owned(escape_attr(value).into_owned()),
            });
        }
        tag
    }

    /// Opens an element. Namespace declarations are passed as ordinary attributes
    /// (`("xmlns", OMS_NS)`).
    pub fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let tag = Self::start_tag(name, attrs);
        self.emit(Event::Start(tag));
    }

    pub fn end(&mut self, name: &str) {
        self.emit(Event::End(BytesEnd::new(name)));
    }

    /// Writes an element without content (`<name a="b"/>`).
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let tag = Self::start_tag(name, attrs);
        self.emit(Event::Empty(tag));
    }

    /// Writes character data, escaped.
    pub fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.emit(Event::Text(BytesText::from_escaped(escape_text(text))));
    }

    /// Writes `<name attrs>text</name>`, or the empty-element form for empty text (both
    /// read back as the empty string).
    pub fn text_element(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        if text.is_empty() {
            self.empty(name, attrs);
        } else {
            self.start(name, attrs);
            self.text(text);
            self.end(name);
        }
    }

    /// Writes an optional simple-content element: nothing for `None`.
    pub fn opt_text_element(&mut self, name: &str, text: Option<&str>) {
        if let Some(text) = text {
            self.text_element(name, &[], text);
        }
    }

    /// Inserts already serialised XML verbatim (a SOAP body built elsewhere).
    pub fn raw(&mut self, xml: &str) {
        self.emit(Event::Text(BytesText::from_escaped(xml)));
    }

    pub fn finish(self) -> String {
        let bytes = self.inner.into_inner();
        // Only &str content was written, so the buffer is UTF-8.
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// Serialises an element and its subtree as a standalone document fragment: namespaces the
/// subtree relies on but declared on ancestors are re-declared, so the result can be parsed on
/// its own. Used when a peer sends an embedded document as child elements instead of escaped
/// text (E-OMS-23): the later checks still get a document to look at.
///
/// Iterative, so a deeply nested hostile subtree cannot exhaust the stack.
pub fn serialize_subtree(node: roxmltree::Node<'_, '_>) -> String {
    let mut w = XmlWriter::new();
    // Default namespace in force in the output, per open element.
    let mut default_ns: Vec<Option<String>> = vec![None];
    let mut cursor = node;
    open_node(&mut w, &mut default_ns, cursor);
    'walk: loop {
        if let Some(first) = cursor.first_child() {
            cursor = first;
            open_node(&mut w, &mut default_ns, cursor);
            continue;
        }
        loop {
            close_node(&mut w, &mut default_ns, cursor);
            if cursor.id() == node.id() {
                break 'walk;
            }
            if let Some(next) = cursor.next_sibling() {
                cursor = next;
                open_node(&mut w, &mut default_ns, cursor);
                break;
            }
            match cursor.parent() {
                Some(parent) => cursor = parent,
                None => break 'walk,
            }
        }
    }
    w.finish()
}

fn open_node(w: &mut XmlWriter, default_ns: &mut Vec<Option<String>>, n: roxmltree::Node<'_, '_>) {
    if n.is_text() {
        w.text(n.text().unwrap_or_default());
        return;
    }
    if !n.is_element() {
        return;
    }
    let ns = super::namespace_of(n).map(str::to_owned);
    let inherited = default_ns.last().cloned().flatten();
    let mut decls: Vec<(String, String)> = Vec::new();
    if ns != inherited {
        decls.push(("xmlns".to_owned(), ns.clone().unwrap_or_default()));
    }
    let mut attrs: Vec<(String, String)> = Vec::new();
    for (i, a) in n.attributes().enumerate() {
        match a.namespace() {
            None => attrs.push((a.name().to_owned(), a.value().to_owned())),
            Some(super::XML_NS) => attrs.push((format!("xml:{}", a.name()), a.value().to_owned())),
            Some(uri) => {
                let prefix = format!("a{i}");
                decls.push((format!("xmlns:{prefix}"), uri.to_owned()));
                attrs.push((format!("{prefix}:{}", a.name()), a.value().to_owned()));
            }
        }
    }
    let all: Vec<(&str, &str)> = decls
        .iter()
        .chain(attrs.iter())
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    w.start(n.tag_name().name(), &all);
    default_ns.push(ns);
}

fn close_node(w: &mut XmlWriter, default_ns: &mut Vec<Option<String>>, n: roxmltree::Node<'_, '_>) {
    if n.is_element() {
        w.end(n.tag_name().name());
        default_ns.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::plain("abc", "abc")]
    #[case::markup("a<b>&c", "a&lt;b&gt;&amp;c")]
    #[case::cdata_end("x]]>y", "x]]&gt;y")]
    #[case::carriage_return("a\r\nb", "a&#xD;\nb")]
    #[case::quotes_stay("\"'", "\"'")]
    fn escapes_text(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(escape_text(input), expected);
    }

    #[rstest]
    #[case::quote("a\"b", "a&quot;b")]
    #[case::whitespace("\t\n\r", "&#x9;&#xA;&#xD;")]
    #[case::amp("&", "&amp;")]
    fn escapes_attributes(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(escape_attr(input), expected);
    }

    #[test]
    fn whitespace_survives_a_round_trip_through_a_strict_reader() {
        let mut w = XmlWriter::document();
        w.text_element("a", &[("v", "x\ty\nz\r")], "p\rq\r\n");
        let xml = w.finish();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("v"), Some("x\ty\nz\r"));
        assert_eq!(root.text(), Some("p\rq\r\n"));
    }

    #[test]
    fn document_starts_with_the_utf8_declaration() {
        let mut w = XmlWriter::document();
        w.empty("a", &[]);
        assert_eq!(w.finish(), "<?xml version=\"1.0\" encoding=\"utf-8\"?><a/>");
    }

    #[test]
    fn subtree_redeclares_inherited_namespaces() {
        let doc = roxmltree::Document::parse(
            "<s:E xmlns:s=\"urn:s\" xmlns:o=\"urn:o\" xmlns:x=\"urn:x\"><o:r x:k=\"1\">t&amp;<o:c/><d/></o:r></s:E>",
        )
        .unwrap();
        let r = doc.root_element().first_element_child().unwrap();
        let xml = serialize_subtree(r);
        let again = roxmltree::Document::parse(&xml).unwrap();
        let root = again.root_element();
        assert_eq!(root.tag_name().namespace(), Some("urn:o"));
        assert_eq!(root.attribute(("urn:x", "k")), Some("1"));
        let kids: Vec<_> = root.children().filter(|n| n.is_element()).collect();
        assert_eq!(kids[0].tag_name().namespace(), Some("urn:o"));
        assert_eq!(crate::xml::namespace_of(kids[1]), None);
        assert_eq!(root.text(), Some("t&"));
    }
}
