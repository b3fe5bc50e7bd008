//! Findings: what a structural validator reports about a peer's message.
//!
//! A finding names a stable rule (the same string golden vectors use), where in the message it
//! applies, and whether it is a violation or a tolerated deviation backed by an erratum.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    /// Breaks a MUST or STRUCTURE rule.
    Violation,
    /// Accepted under a documented tolerance (an erratum in `suites/errata/`); reported as a
    /// warning.
    Deviation { erratum: &'static str },
    /// Breaks a SHOULD: reported as a warning.
    Advice,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable rule name, e.g. `serviceInfo.supportedService.empty`.
    pub rule: &'static str,
    /// Where: an element path such as `/serviceInfo/supportedService/SMS_SENDER/@maxSbcsPerMessage`.
    pub path: String,
    pub message: String,
    pub severity: Severity,
    /// The catalogue requirement the rule comes from, when there is one.
    pub requirement: Option<&'static str>,
}

impl Finding {
    pub fn violation(
        rule: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule,
            path: path.into(),
            message: message.into(),
            severity: Severity::Violation,
            requirement: None,
        }
    }

    pub fn deviation(
        rule: &'static str,
        erratum: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule,
            path: path.into(),
            message: message.into(),
            severity: Severity::Deviation { erratum },
            requirement: None,
        }
    }

    pub fn advice(rule: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            rule,
            path: path.into(),
            message: message.into(),
            severity: Severity::Advice,
            requirement: None,
        }
    }

    pub fn requirement(mut self, id: &'static str) -> Self {
        self.requirement = Some(id);
        self
    }

    pub fn is_violation(&self) -> bool {
        self.severity == Severity::Violation
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: {}", self.rule, self.path, self.message)?;
        if let Severity::Deviation { erratum } = self.severity {
            write!(f, " (tolerated, {erratum})")?;
        }
        Ok(())
    }
}

/// A value together with what was noticed while reading it.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed<T> {
    pub value: T,
    pub findings: Vec<Finding>,
}

impl<T> Parsed<T> {
    pub fn clean(value: T) -> Self {
        Parsed {
            value,
            findings: Vec::new(),
        }
    }

    pub fn violations(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_violation())
    }

    pub fn has_rule(&self, rule: &str) -> bool {
        self.findings.iter().any(|f| f.rule == rule)
    }
}

/// Which layer of a message is broken. MS-OMS nests an escaped XML document inside a SOAP
/// element, so "the XML is broken" is only useful once it says which XML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Layer {
    Http,
    /// The SOAP envelope.
    Envelope,
    /// An embedded document, named by its root element ("xmsResponse", "serviceInfo", ...).
    Payload(&'static str),
    /// A MIME message (reply mail).
    Mime,
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Layer::Http => f.write_str("HTTP"),
            Layer::Envelope => f.write_str("SOAP envelope"),
            Layer::Payload(name) => write!(f, "embedded {name} document"),
            Layer::Mime => f.write_str("MIME message"),
        }
    }
}

/// A message that could not be read at all at some layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerError {
    pub layer: Layer,
    pub message: String,
    /// 1-based line and column inside that layer's text, when known.
    pub position: Option<(u32, u32)>,
}

impl LayerError {
    pub fn new(layer: Layer, message: impl Into<String>) -> Self {
        LayerError {
            layer,
            message: message.into(),
            position: None,
        }
    }

    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.position = Some((line, column));
        self
    }
}

impl fmt::Display for LayerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.layer, self.message)?;
        if let Some((l, c)) = self.position {
            write!(f, " (line {l}, column {c})")?;
        }
        Ok(())
    }
}

impl std::error::Error for LayerError {}
