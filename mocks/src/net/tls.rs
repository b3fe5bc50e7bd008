//! TLS material: a throwaway PKI for loopback tests and client configurations for talking to
//! a system under test.
//!
//! Every configuration is built with an explicit ring provider, so nothing depends on a
//! process-wide default provider being installed (tests run in parallel in one process).

use std::fmt;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, ServerConfig, SignatureScheme};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsError {
    /// Certificate or key generation failed.
    Generate(String),
    /// PEM text could not be read, or held no certificate.
    Pem(String),
    /// rustls refused the configuration.
    Config(String),
    /// No trust anchors could be loaded from the system store.
    NoRoots(String),
}

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsError::Generate(m) => write!(f, "certificate generation failed: {m}"),
            TlsError::Pem(m) => write!(f, "unreadable PEM: {m}"),
            TlsError::Config(m) => write!(f, "TLS configuration rejected: {m}"),
            TlsError::NoRoots(m) => write!(f, "no trusted root certificates: {m}"),
        }
    }
}

impl std::error::Error for TlsError {}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A CA and one server certificate it signed, held in memory only.
#[derive(Clone)]
pub struct TestPki {
    /// The CA certificate, for handing to a system under test that must trust the mocks.
    pub ca_pem: String,
    server: Arc<ServerConfig>,
    client: Arc<ClientConfig>,
}

impl fmt::Debug for TestPki {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestPki")
            .field("ca_pem", &self.ca_pem)
            .finish_non_exhaustive()
    }
}

impl TestPki {
    /// A throwaway CA (rcgen) and a leaf for the given names (e.g. ["127.0.0.1", "localhost"]).
    /// IP literals become IP subject alternative names, everything else DNS names.
    pub fn generate(names: &[&str]) -> Result<TestPki, TlsError> {
        let gen = |e: rcgen::Error| TlsError::Generate(e.to_string());
        if names.is_empty() {
            return Err(TlsError::Generate(
                "the leaf certificate needs at least one name".into(),
            ));
        }

        let ca_key = KeyPair::generate().map_err(gen)?;
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(gen)?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "oxconf throwaway test CA");
        ca_params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca_params.self_signed(&ca_key).map_err(gen)?;
        let issuer = Issuer::new(ca_params, ca_key);

        let leaf_key = KeyPair::generate().map_err(gen)?;
        let owned: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut leaf_params = CertificateParams::new(owned).map_err(gen)?;
        leaf_params
            .distinguished_name
            .push(DnType::CommonName, names[0]);
        leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        leaf_params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        let leaf_cert = leaf_params.signed_by(&leaf_key, &issuer).map_err(gen)?;

        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
        let chain = vec![leaf_cert.der().clone(), ca_cert.der().clone()];
        let server = ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Config(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| TlsError::Config(e.to_string()))?;

        let mut roots = RootCertStore::empty();
        roots
            .add(ca_cert.der().clone())
            .map_err(|e| TlsError::Generate(format!("generated CA is not a usable anchor: {e}")))?;
        let client = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Config(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();

        Ok(TestPki {
            ca_pem: ca_cert.pem(),
            server: Arc::new(server),
            client: Arc::new(client),
        })
    }

    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        self.server.clone()
    }

    /// Trusts only this CA.
    pub fn client_config(&self) -> Arc<rustls::ClientConfig> {
        self.client.clone()
    }
}

/// For a SUT: trust `ca_pem` (PEM text, one or more certs) if given, else the system roots
/// (rustls-native-certs); `insecure` accepts any certificate (a custom verifier that still
/// checks handshake signatures, so the peer must hold the key of the certificate it shows).
pub fn client_config(
    ca_pem: Option<&str>,
    insecure: bool,
) -> Result<Arc<rustls::ClientConfig>, TlsError> {
    let builder = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Config(e.to_string()))?;
    if insecure {
        let verifier = AcceptAnyCertificate {
            algorithms: provider().signature_verification_algorithms,
        };
        return Ok(Arc::new(
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier))
                .with_no_client_auth(),
        ));
    }
    let roots = match ca_pem {
        Some(pem) => roots_from_pem(pem)?,
        None => system_roots()?,
    };
    Ok(Arc::new(
        builder.with_root_certificates(roots).with_no_client_auth(),
    ))
}

fn roots_from_pem(pem: &str) -> Result<RootCertStore, TlsError> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
        let cert = cert.map_err(|e| TlsError::Pem(e.to_string()))?;
        roots
            .add(cert)
            .map_err(|e| TlsError::Pem(format!("certificate not usable as a trust anchor: {e}")))?;
    }
    if roots.is_empty() {
        return Err(TlsError::Pem("no CERTIFICATE block found".into()));
    }
    Ok(roots)
}

fn system_roots() -> Result<RootCertStore, TlsError> {
    let loaded = rustls_native_certs::load_native_certs();
    let mut roots = RootCertStore::empty();
    let (_added, _ignored) = roots.add_parsable_certificates(loaded.certs);
    if roots.is_empty() {
        let why = loaded
            .errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("; ");
        return Err(TlsError::NoRoots(if why.is_empty() {
            "the system certificate store is empty".into()
        } else {
            why
        }));
    }
    Ok(roots)
}

/// Skips certificate path validation only; handshake signatures are still verified.
#[derive(Debug)]
struct AcceptAnyCertificate {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_pem_round_trips_into_a_client_config() {
        let pki = TestPki::generate(&["127.0.0.1", "localhost"]).unwrap();
        assert!(pki.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(client_config(Some(&pki.ca_pem), false).is_ok());
    }

    #[test]
    fn garbage_pem_is_rejected() {
        let err = client_config(Some("not a certificate"), false).unwrap_err();
        assert!(matches!(err, TlsError::Pem(_)), "{err:?}");
    }

    #[test]
    fn empty_name_list_is_rejected() {
        assert!(matches!(TestPki::generate(&[]), Err(TlsError::Generate(_))));
    }

    #[test]
    fn insecure_config_builds_without_roots() {
        assert!(client_config(None, true).is_ok());
    }
}
