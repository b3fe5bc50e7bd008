//! Helpers every suite builds on, whatever its protocol: the requirement catalogue and its
//! lookups, findings as weighted checks, HTTP exchanges in the transcript, trigger runs,
//! scenario nonces, recipients, the wall clock and small media samples. Nothing here names a
//! protocol's operations, so the next suite starts from these instead of copying an OMS
//! module.

pub mod catalogue;
pub mod findings;
pub mod http;
pub mod media;
pub mod nonce;
pub mod recipients;
pub mod time;
pub mod trigger;
