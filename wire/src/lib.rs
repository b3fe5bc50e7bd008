//! Protocol models and codecs: strict parsing and writing, and structural validators that
//! return precise findings.

pub mod binary;
pub mod cnotif;
pub mod ews;
pub mod finding;
pub mod fuzzing;
pub mod mail;
pub mod mapihttp;
pub mod media_type;
pub mod oms;
pub mod rop;
pub mod soap;
pub mod xml;

pub use finding::{Finding, Layer, LayerError, Parsed, Severity};
