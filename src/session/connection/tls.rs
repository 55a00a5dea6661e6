//! TLS with full verification against the system trust store, plus an
//! optional per-account pinned certificate the user chose to trust. When
//! verification fails, the rejected certificate is described (subject,
//! issuer, names, SHA-256 fingerprint) so the user can make that choice.

use std::sync::{Arc, Mutex, OnceLock};

use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::client::WebPkiServerVerifier;
use tokio_rustls::rustls::client::danger::{
    HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier,
};
use tokio_rustls::rustls::crypto::ring as provider;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use tokio_rustls::rustls::{
    self, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

use crate::session::{CertificateInfo, ConnectError};

/// What the TLS layer hands to SASL.
pub(crate) struct TlsInfo {
    /// RFC 9266 `tls-exporter` channel-binding data (TLS 1.3 only).
    pub exporter: Option<Vec<u8>>,
}

/// Certificate policy of one account.
#[derive(Debug, Clone, Default)]
pub(crate) struct TlsPolicy {
    /// Colon-separated hex SHA-256 of a certificate the user trusted.
    pub pinned_sha256: Option<String>,
    /// Trust anchors added to the system store (DER).
    pub extra_roots: Arc<Vec<CertificateDer<'static>>>,
}

/// Read PEM certificates to use as extra trust anchors; unreadable files
/// are logged and skipped.
pub(crate) fn load_pem_roots(paths: &[std::path::PathBuf]) -> Vec<CertificateDer<'static>> {
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    let mut roots = Vec::new();
    for path in paths {
        match CertificateDer::pem_file_iter(path) {
            Ok(certs) => roots.extend(certs.filter_map(|c| {
                c.map_err(
                    |e| tracing::warn!(path = %path.display(), "Could not read a certificate: {e}"),
                )
                .ok()
            })),
            Err(error) => {
                tracing::warn!(path = %path.display(), "Could not read trust anchors: {error}")
            }
        }
    }
    roots
}

impl TlsPolicy {
    /// Perform the TLS handshake over `io` for `domain`.
    pub(crate) async fn handshake<IO>(
        &self,
        io: IO,
        domain: &str,
    ) -> Result<(TlsStream<IO>, TlsInfo), ConnectError>
    where
        IO: AsyncRead + AsyncWrite + Unpin,
    {
        let verifier = Arc::new(CapturingVerifier {
            inner: verifier(&self.extra_roots),
            pinned: self.pinned_sha256.clone(),
            rejected: Mutex::new(None),
        });
        let config = ClientConfig::builder_with_provider(Arc::new(provider::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| ConnectError::Protocol {
                detail: e.to_string(),
            })?
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone())
            .with_no_client_auth();
        let name = ServerName::try_from(domain.to_owned()).map_err(|e| ConnectError::Protocol {
            detail: format!("invalid server name: {e}"),
        })?;
        let connecting = TlsConnector::from(Arc::new(config)).connect(name, io);
        let stream = match tokio::time::timeout(super::STEP_TIMEOUT, connecting).await {
            Err(_) => return Err(ConnectError::Timeout),
            Ok(Ok(stream)) => stream,
            Ok(Err(error)) => {
                let rejected = verifier.rejected.lock().ok().and_then(|mut r| r.take());
                return Err(match rejected {
                    Some(info) => ConnectError::UntrustedCertificate(Box::new(info)),
                    None => ConnectError::Network {
                        detail: format!("TLS handshake failed: {error}"),
                    },
                });
            }
        };
        let (_, connection) = stream.get_ref();
        let exporter = match connection.protocol_version() {
            Some(rustls::ProtocolVersion::TLSv1_3) => connection
                .export_keying_material(vec![0u8; 32], b"EXPORTER-Channel-Binding", None)
                .ok(),
            _ => None,
        };
        Ok((stream, TlsInfo { exporter }))
    }
}

/// The system trust store (honours `SSL_CERT_FILE` / `SSL_CERT_DIR`),
/// loaded once per process.
fn system_roots() -> &'static RootCertStore {
    static ROOTS: OnceLock<RootCertStore> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let loaded = rustls_native_certs::load_native_certs();
        for error in &loaded.errors {
            tracing::warn!("Could not load a trusted certificate: {error}");
        }
        let mut roots = RootCertStore::empty();
        let (added, ignored) = roots.add_parsable_certificates(loaded.certs);
        tracing::debug!(added, ignored, "Loaded system trust store");
        roots
    })
}

/// A verifier over the system roots plus `extra` anchors.
fn verifier(extra: &[CertificateDer<'static>]) -> Option<Arc<WebPkiServerVerifier>> {
    let mut roots = system_roots().clone();
    roots.add_parsable_certificates(extra.iter().cloned());
    WebPkiServerVerifier::builder_with_provider(
        Arc::new(roots),
        Arc::new(provider::default_provider()),
    )
    .build()
    .map_err(|e| tracing::warn!("Could not build the certificate verifier: {e}"))
    .ok()
}

#[derive(Debug)]
struct CapturingVerifier {
    inner: Option<Arc<WebPkiServerVerifier>>,
    pinned: Option<String>,
    rejected: Mutex<Option<CertificateInfo>>,
}

impl ServerCertVerifier for CapturingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let result = match &self.inner {
            Some(inner) => {
                inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            }
            None => Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::UnknownIssuer,
            )),
        };
        match result {
            Ok(verified) => Ok(verified),
            Err(error) => {
                let fingerprint = sha256_fingerprint(end_entity);
                if self.pinned.as_deref() == Some(fingerprint.as_str()) {
                    // The user explicitly trusted exactly this certificate.
                    return Ok(ServerCertVerified::assertion());
                }
                let info = describe(end_entity, fingerprint, &error);
                if let Ok(mut slot) = self.rejected.lock() {
                    *slot = Some(info);
                }
                Err(error)
            }
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &algorithms())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &algorithms())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        algorithms().supported_schemes()
    }
}

fn algorithms() -> rustls::crypto::WebPkiSupportedAlgorithms {
    provider::default_provider().signature_verification_algorithms
}

/// Colon-separated upper-case hex SHA-256 of a DER certificate.
pub(crate) fn sha256_fingerprint(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn describe(der: &CertificateDer<'_>, sha256: String, error: &rustls::Error) -> CertificateInfo {
    let reason = error.to_string();
    match x509_parser::parse_x509_certificate(der) {
        Ok((_, cert)) => {
            let names = cert
                .subject_alternative_name()
                .ok()
                .flatten()
                .map(|ext| {
                    ext.value
                        .general_names
                        .iter()
                        .filter_map(|n| match n {
                            x509_parser::extensions::GeneralName::DNSName(d) => {
                                Some((*d).to_owned())
                            }
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            CertificateInfo {
                subject: cert.subject().to_string(),
                issuer: cert.issuer().to_string(),
                names,
                sha256,
                reason,
            }
        }
        Err(_) => CertificateInfo {
            subject: String::new(),
            issuer: String::new(),
            names: Vec::new(),
            sha256,
            reason,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_colon_separated_upper_hex() {
        let fp = sha256_fingerprint(b"abc");
        assert_eq!(
            fp,
            "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD"
        );
    }
}
