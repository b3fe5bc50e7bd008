//! What the three push suites share: building the notifications a server would send, sending
//! them to a listener and judging its answer (the `push-listener` checks, which
//! `push-subscriber` reuses for an application's own listener), and the SOAP media types.

pub mod answer;
pub mod build;
pub mod send;

pub use answer::{judge_answer, Answered, Expect};
pub use build::Notifications;
pub use send::{post_notification, Post};

use wire::soap::SoapVersion;

/// The media type a SOAP version's HTTP binding uses (text/xml for 1.1, application/soap+xml
/// for 1.2).
pub fn media_type(version: SoapVersion) -> &'static str {
    match version {
        SoapVersion::V11 => "text/xml",
        SoapVersion::V12 => "application/soap+xml",
    }
}
