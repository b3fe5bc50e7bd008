//! TLS for a command-line OMS peer reaching a URL (`oxconf mock oms-client`, `oxconf mock
//! oms-server reply`): a trigger template always passes `--ca-file {ca_file}`, so an empty
//! value means "none" rather than a file called "".

use mocks::net::client_config;
use std::path::Path;
use std::sync::Arc;

/// None for http; for https, trust `ca_file` when given, else the system's roots.
pub fn tls_for(
    url: &str,
    ca_file: Option<&Path>,
) -> Result<Option<Arc<rustls::ClientConfig>>, String> {
    if !url.starts_with("https://") {
        return Ok(None);
    }
    let ca = match ca_file.filter(|p| !p.as_os_str().is_empty()) {
        None => None,
        Some(p) => Some(
            std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?,
        ),
    };
    client_config(ca.as_deref(), false)
        .map(Some)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_needs_nothing_and_a_missing_ca_is_named() {
        assert!(tls_for("http://x/oms", Some(Path::new("/no/such")))
            .expect("http")
            .is_none());
        let err = tls_for("https://x/oms", Some(Path::new("/no/such/ca.pem"))).unwrap_err();
        assert!(err.contains("/no/such/ca.pem"), "{err}");
    }
}
