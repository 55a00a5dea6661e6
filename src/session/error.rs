//! Error types of the session layer. They carry facts, never translated
//! text: the UI turns them into messages in one place.

use thiserror::Error;

/// Details of a server certificate that could not be verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// Subject (who it was issued to), as a distinguished name.
    pub subject: String,
    /// Issuer (who issued it), as a distinguished name.
    pub issuer: String,
    /// Names the certificate is valid for (subjectAltName DNS entries).
    pub names: Vec<String>,
    /// Hex SHA-256 fingerprint of the DER certificate, colon-separated.
    pub sha256: String,
    /// Why verification failed, in English, for logs and details.
    pub reason: String,
}

/// Why connecting an account failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConnectError {
    /// The server rejected the credentials.
    #[error("the server rejected the password")]
    WrongPassword,
    /// The account is disabled on the server.
    #[error("the account is disabled on the server")]
    AccountDisabled,
    /// No server could be found for the domain.
    #[error("no server found for {domain}")]
    ServerNotFound {
        /// The domain looked up.
        domain: String,
    },
    /// Every address refused the TCP connection.
    #[error("connection refused by {host}:{port}")]
    ConnectionRefused {
        /// Host tried last.
        host: String,
        /// Port tried last.
        port: u16,
    },
    /// The server did not answer in time.
    #[error("the server did not answer in time")]
    Timeout,
    /// The server's certificate is not trusted.
    #[error("the server's certificate is not trusted: {}", .0.reason)]
    UntrustedCertificate(Box<CertificateInfo>),
    /// The server requires something Warbler lacks (or offers too little:
    /// no TLS, no usable SASL mechanism).
    #[error("the server requires an unsupported feature: {feature}")]
    Unsupported {
        /// What is missing.
        feature: String,
    },
    /// The network is unreachable or the connection broke.
    #[error("network error: {detail}")]
    Network {
        /// Underlying error text.
        detail: String,
    },
    /// The server broke the protocol.
    #[error("protocol error: {detail}")]
    Protocol {
        /// Underlying error text.
        detail: String,
    },
    /// The password could not be read from or written to the keyring.
    #[error("keyring error: {detail}")]
    Keyring {
        /// Underlying error text.
        detail: String,
    },
}

impl ConnectError {
    /// Whether retrying without the user's help is pointless.
    pub fn needs_user(&self) -> bool {
        matches!(
            self,
            Self::WrongPassword
                | Self::AccountDisabled
                | Self::UntrustedCertificate(_)
                | Self::Unsupported { .. }
                | Self::Keyring { .. }
        )
    }
}

/// Why a command failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CoreError {
    /// The account is unknown.
    #[error("no such account")]
    NoSuchAccount,
    /// The account already exists.
    #[error("account already exists")]
    AccountExists,
    /// The address is not a valid JID.
    #[error("invalid address: {input}")]
    InvalidAddress {
        /// What was typed.
        input: String,
    },
    /// The local database failed.
    #[error("storage error: {detail}")]
    Storage {
        /// Underlying error text.
        detail: String,
    },
    /// The keyring failed.
    #[error("keyring error: {detail}")]
    Keyring {
        /// Underlying error text.
        detail: String,
    },
    /// The server answered a request with an error.
    #[error("the server refused: {condition}")]
    ServerRefused {
        /// The defined condition (RFC 6120 §8.3.3), e.g. `not-allowed`.
        condition: String,
    },
    /// Text typed in the XML console is not a valid stanza.
    #[error("not a valid stanza: {detail}")]
    InvalidXml {
        /// Parser message.
        detail: String,
    },
    /// The request needs a connection and the account is offline.
    #[error("the account is offline")]
    Offline,
}
