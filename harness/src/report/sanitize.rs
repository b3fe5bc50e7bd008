//! Text that is safe inside XML. junit-report writes CDATA raw, so a `]]>` or a control
//! character coming from a SUT would otherwise break the JUnit file.

/// Characters XML 1.0 allows.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Replaces characters XML cannot carry with a visible `\u{..}` escape.
pub fn xml_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if allowed(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    out
}

/// For CDATA sections: also splits `]]>` across two sections so the text reads back unchanged.
pub fn cdata(text: &str) -> String {
    xml_chars(text).replace("]]>", "]]]]><![CDATA[>")
}

/// For attributes: one line, bounded length (the full text goes into the element body).
pub fn attribute(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    let mut s = xml_chars(first);
    if s.chars().count() > 300 {
        s = s.chars().take(300).collect::<String>() + "...";
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(xml_chars("a\u{0}b\u{1b}c"), "a\\u{0}b\\u{1b}c");
        assert_eq!(xml_chars("tab\tok"), "tab\tok");
    }

    #[test]
    fn cdata_terminator_is_split() {
        assert_eq!(cdata("x]]>y"), "x]]]]><![CDATA[>y");
    }
}
