//! XML plumbing shared by every codec: the strict gate for peer input and small writing helpers.

pub mod datatypes;
pub mod gate;
pub mod writer;

pub use gate::{parse_strict, Limits};
pub use writer::{escape_attr, escape_text, serialize_subtree, XmlWriter};

/// Namespace of `xsi:` attributes, which schema processors accept on any element.
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// Namespace bound to the reserved `xml:` prefix.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// The namespace of an element, `None` for "no namespace". roxmltree reports an element under
/// `xmlns=""` as being in the namespace `""`; XML Namespaces says it is in none, and that is
/// what every check here means.
pub fn namespace_of<'a>(node: roxmltree::Node<'a, '_>) -> Option<&'a str> {
    node.tag_name().namespace().filter(|ns| !ns.is_empty())
}
