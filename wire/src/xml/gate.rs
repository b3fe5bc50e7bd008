//! The strict well-formedness gate. Everything a SUT sends passes through here before any
//! check looks at it: quick-xml alone accepts malformed input, roxmltree does not. DTDs are
//! refused outright (no entity expansion, so no XML bombs), and size and node limits bound
//! the memory a hostile peer can make us spend.

use crate::finding::{Layer, LayerError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_nodes: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 8 * 1024 * 1024,
            max_nodes: 500_000,
        }
    }
}

/// Parses `text` strictly, reporting errors against `layer`.
pub fn parse_strict<'a>(
    text: &'a str,
    layer: Layer,
    limits: Limits,
) -> Result<roxmltree::Document<'a>, LayerError> {
    if text.len() > limits.max_bytes {
        return Err(LayerError::new(
            layer,
            format!(
                "document of {} bytes exceeds the {}-byte limit",
                text.len(),
                limits.max_bytes
            ),
        ));
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: limits.max_nodes,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        LayerError::new(layer, format!("not well-formed XML: {e}")).at(pos.row, pos.col)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::unclosed("<a><b></a>")]
    #[case::two_roots("<a/><b/>")]
    #[case::bad_entity("<a>&nope;</a>")]
    #[case::dtd_bomb(
        "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><l>&b;</l>"
    )]
    #[case::garbage("\u{0}\u{1}HTTP/1.1 200 OK")]
    fn rejects_what_quick_xml_would_let_through(#[case] text: &str) {
        let err = parse_strict(text, Layer::Envelope, Limits::default()).unwrap_err();
        assert_eq!(err.layer, Layer::Envelope);
    }

    #[test]
    fn bounds_size() {
        let big = format!("<a>{}</a>", "x".repeat(100));
        let err = parse_strict(
            &big,
            Layer::Payload("xmsData"),
            Limits {
                max_bytes: 50,
                max_nodes: 10,
            },
        )
        .unwrap_err();
        assert!(err.message.contains("exceeds"));
    }

    #[test]
    fn accepts_an_embedded_utf16_declaration() {
        // E-OMS-24: the string is already decoded; the encoding pseudo-attribute is ignored.
        let doc = parse_strict(
            "<?xml version=\"1.0\" encoding=\"utf-16\"?><xmsResponses/>",
            Layer::Payload("xmsResponses"),
            Limits::default(),
        );
        assert!(doc.is_ok(), "{doc:?}");
    }
}
