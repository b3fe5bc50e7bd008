//! A size-capped record of an SMTP conversation, both sides, for transcripts.

/// Dialogues longer than this are cut; a chatty or hostile peer must not fill memory.
pub(crate) const MAX_DIALOGUE: usize = 64 * 1024;

#[derive(Clone, Debug, Default)]
pub(crate) struct Dialogue {
    text: String,
    truncated: bool,
}

impl Dialogue {
    pub(crate) fn client(&mut self, line: &str) {
        self.push("C: ", line);
    }

    pub(crate) fn server(&mut self, line: &str) {
        self.push("S: ", line);
    }

    /// Stands in for the message payload, which is kept separately.
    pub(crate) fn data(&mut self, bytes: usize) {
        self.client(&format!("<{bytes} bytes of message data>"));
    }

    pub(crate) fn text(&self) -> String {
        self.text.clone()
    }

    fn push(&mut self, prefix: &str, line: &str) {
        if self.truncated {
            return;
        }
        if self.text.len() + prefix.len() + line.len() + 1 > MAX_DIALOGUE {
            self.text.push_str("... (dialogue truncated)\n");
            self.truncated = true;
            return;
        }
        self.text.push_str(prefix);
        self.text.push_str(line);
        self.text.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_both_sides_and_summarises_data() {
        let mut d = Dialogue::default();
        d.server("220 hi");
        d.client("DATA");
        d.data(42);
        assert_eq!(
            d.text(),
            "S: 220 hi\nC: DATA\nC: <42 bytes of message data>\n"
        );
    }

    #[test]
    fn stops_growing_at_the_cap() {
        let mut d = Dialogue::default();
        let line = "x".repeat(1000);
        for _ in 0..200 {
            d.client(&line);
        }
        assert!(d.text().len() <= MAX_DIALOGUE + 64);
        assert!(d.text().ends_with("(dialogue truncated)\n"));
    }
}
