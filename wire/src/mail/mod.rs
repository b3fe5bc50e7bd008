//! MIME reply mail of MS-OMS 2.2.2.1.
//!
//! A server forwards a phone's reply to the client as an e-mail (2.1, 3.1.4.5). This module
//! builds such mail the way a conformant server would (for mock servers talking to a client
//! under test) and checks mail a server under test sent, rule by rule. The 4.5 examples are
//! not valid RFC 5322/2046 messages (E-OMS-21): the builder writes corrected versions, and the
//! checker reports the same breakage as `reply.mime.malformed`.

mod address;
mod build;
mod charset;
mod check;
mod encode;
mod framing;
mod model;
mod rules;
mod structure;
mod subject;

pub use address::{is_addr_spec, parse_address_list, Mailbox};
pub use build::{build_reply, MMS_CONTENT_CLASS, PLACEHOLDER_DATE, SMIL_NAME, SMS_CONTENT_CLASS};
pub use charset::{encode_text, is_iana_charset};
pub use check::{check_reply, MAX_MAIL_BYTES};
pub use model::{
    BuildOptions, DecodedReply, ExpectedReply, MediaPart, Reply, ReplyBody, ReplyExpectation,
    ReplyReport, TextEncoding,
};
pub use rules::{requirement, RULES};
pub use subject::{acceptable_text_subjects, has_open_hint, mms_subject, text_subject, MMS_HINT};

/// Rule-name constants, for callers that match on findings.
pub mod rule {
    pub use super::rules::*;
}
