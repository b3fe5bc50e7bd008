//! How a reference client is set up.

use std::fmt;
use std::sync::Arc;

use wire::soap::SoapVersion;

use super::faults::Faults;

#[derive(Clone)]
pub struct ClientSettings {
    pub user: String,
    pub password: String,
    pub soap: SoapVersion,
    /// Needed for https URLs; without it they fail as transport errors.
    pub tls: Option<Arc<rustls::ClientConfig>>,
    pub faults: Faults,
    /// The `renumber-batch-items` variant: each DeliverXmsBatch numbers its items 0, 1, ...
    /// instead of carrying the batch file's ids (both are conformant).
    pub renumber_batch_items: bool,
}

impl ClientSettings {
    /// SOAP 1.1, no TLS, no faults.
    pub fn new(user: &str, password: &str) -> ClientSettings {
        ClientSettings {
            user: user.to_owned(),
            password: password.to_owned(),
            soap: SoapVersion::V11,
            tls: None,
            faults: Faults::none(),
            renumber_batch_items: false,
        }
    }
}

impl fmt::Debug for ClientSettings {
    /// Keeps the password out of logs and reports.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSettings")
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .field("soap", &self.soap)
            .field("tls", &self.tls.is_some())
            .field("faults", &self.faults)
            .field("renumber_batch_items", &self.renumber_batch_items)
            .finish()
    }
}
