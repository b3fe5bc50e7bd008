//! The reply mail as the suite models it: what a mock server builds (MS-OMS 2.2.2.1), what
//! a test expects a server under test to send, and what the checker decoded.

use crate::finding::Finding;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaPart {
    /// Full Content-Type value without the name parameter, e.g. "image/gif" or
    /// "text/plain; charset=utf-8".
    pub content_type: String,
    pub name: String,
    pub data: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplyBody {
    /// A text reply; `text` is encoded in `charset` (an encoding_rs label such as "gb2312").
    Text { text: String, charset: String },
    /// A multimedia reply; with `smil` the body is multipart/related, else multipart/mixed.
    Mms {
        subject: String,
        smil: Option<String>,
        media: Vec<MediaPart>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// Written as given: a bare address or "Name <address>".
    pub from: String,
    pub to: String,
    /// The replying phone's number (X-MS-Reply-To-Mobile).
    pub phone: String,
    /// RFC 5322 date-time; empty means a fixed placeholder date.
    pub date: String,
    pub body: ReplyBody,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    QuotedPrintable,
    Base64,
    EightBit,
}

/// Knobs so that mock peers can inject faults; Default = the conformant mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildOptions {
    /// None: the conformant class; Some("") leaves the header out; Some(x) writes x.
    pub content_class: Option<String>,
    pub reply_to_mobile: bool,
    /// None: derived from the body as 2.2.2.1.1.5 says.
    pub subject: Option<String>,
    pub text_encoding: TextEncoding,
    /// Whether the text part's Content-Type carries charset=.
    pub charset_param: bool,
    /// Whether the SMIL part comes first in a multipart/related body.
    pub smil_first: bool,
    /// Override the multipart subtype ("related", "mixed", "alternative"); for a plain text
    /// reply this wraps the text part in a multipart of that subtype.
    pub container: Option<String>,
    /// Text replies: multipart/alternative with text/plain and text/html.
    pub html_alternative: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            content_class: None,
            reply_to_mobile: true,
            subject: None,
            text_encoding: TextEncoding::QuotedPrintable,
            charset_param: true,
            smil_first: true,
            container: None,
            html_alternative: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyExpectation {
    /// The address configured for the test user (E-OMS-32).
    pub to: String,
    /// The replying phone's number, when the test knows it.
    pub phone: Option<String>,
    pub kind: ExpectedReply,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpectedReply {
    Text {
        text: String,
    },
    Mms {
        subject: String,
        smil: bool,
        /// Media types of the media parts (SMIL excluded), e.g. ["image/gif", "audio/mid"].
        media_types: Vec<String>,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DecodedReply {
    pub content_class: Option<String>,
    pub reply_to_mobile: Option<String>,
    /// Addresses only (display names dropped).
    pub to: Vec<String>,
    pub from: Vec<String>,
    /// Decoded (RFC 2047) subject.
    pub subject: Option<String>,
    /// Top-level media type in lower case, "" when there is no Content-Type header.
    pub content_type: String,
    /// The decoded first text/plain part, if any.
    pub text: Option<String>,
    /// Direct children of a top-level multipart: (media type, name).
    pub parts: Vec<(String, Option<String>)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReplyReport {
    pub decoded: DecodedReply,
    pub findings: Vec<Finding>,
}

impl ReplyReport {
    pub fn has_rule(&self, rule: &str) -> bool {
        self.findings.iter().any(|f| f.rule == rule)
    }

    pub fn violations(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_violation())
    }
}
