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

/// Characters that would act on a terminal rather than show: C0 controls (except tab and line
/// feed, and a carriage return that ends a line), DEL, C1 controls, and the bidirectional
/// overrides and isolates that reorder what a reader sees.
fn acts_on_terminal(c: char, next: Option<char>) -> bool {
    match c {
        '\t' | '\n' => false,
        '\r' => next != Some('\n'),
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// Text safe to `cat` to a terminal: control characters become a visible `\u{..}` escape, as
/// in the XML reports. Used for transcript files and the console.
pub fn terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if acts_on_terminal(c, chars.peek().copied()) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
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
    fn terminal_text_shows_controls_and_keeps_line_ends() {
        assert_eq!(
            terminal("a\u{1b}[31mred\u{0}\r\nline\rover\u{9b}\u{202e}\tend\n"),
            "a\\u{1b}[31mred\\u{0}\r\nline\\u{d}over\\u{9b}\\u{202e}\tend\n"
        );
        assert_eq!(terminal("naïve 日本 🚀"), "naïve 日本 🚀");
    }

    #[test]
    fn cdata_terminator_is_split() {
        assert_eq!(cdata("x]]>y"), "x]]]]><![CDATA[>y");
    }
}
