//! SOAP 1.1 and 1.2 envelopes, faults and HTTP bindings.
//!
//! This layer is protocol-neutral: it reads and writes envelopes and faults and reports
//! envelope-level structure problems. What an operation's body must look like is the
//! business of the protocol modules (`crate::oms::envelope` for MS-OMS).

pub mod envelope;
pub mod fault;
pub mod version;

pub use envelope::{parse_envelope, write_envelope, Body, Child, Element, Envelope};
pub use fault::{write_fault, Fault, FaultCode};
pub use version::{
    detect, header, request_headers, SoapVersion, SOAP11_ENVELOPE_NS, SOAP12_ENVELOPE_NS,
};

/// Stable names of the findings `parse_envelope` reports.
pub mod rules {
    /// A fault lacks faultcode/faultstring (1.1) or Code/Value, Reason/Text (1.2).
    pub const FAULT_INCOMPLETE: &str = "soap.fault.incomplete";
    /// Body carries more than one element child.
    pub const BODY_MULTIPLE: &str = "soap.body.multiple";
    /// Non-whitespace text directly inside Body.
    pub const BODY_TEXT: &str = "soap.body.text";
    /// Envelope children other than an optional Header followed by one Body.
    pub const ENVELOPE_UNEXPECTED: &str = "soap.envelope.unexpected";
}

/// Every rule name this module can report.
pub const RULES: &[&str] = &[
    rules::FAULT_INCOMPLETE,
    rules::BODY_MULTIPLE,
    rules::BODY_TEXT,
    rules::ENVELOPE_UNEXPECTED,
];
