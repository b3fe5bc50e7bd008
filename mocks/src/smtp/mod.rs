//! SMTP: the sink that receives reply mail from a SUT, and the client mocks use to send it.
//!
//! Both sides keep a "C: ..." / "S: ..." dialogue for transcripts, with message payloads
//! summarised as "<N bytes of message data>".

pub mod client;
mod data;
mod dialogue;
mod lines;
pub mod sink;

pub use client::{send_mail, SmtpError};
pub use sink::{ReceivedMail, SinkConfig, SmtpSink};
