//! DTLS certificate fingerprints (RFC 8122 / XEP-0320): parsing the
//! `a=fingerprint` form, computing one from the peer's certificate and
//! comparing the two. GStreamer's DTLS elements accept any certificate, so
//! this check is the only thing that binds the media to the signalling.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256, Sha384, Sha512};

/// A certificate fingerprint: hash function and digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Hash function name in lower case, as in SDP (`sha-256`).
    pub hash: String,
    /// The digest bytes.
    pub digest: Vec<u8>,
}

/// Why a fingerprint could not be parsed or computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FingerprintError {
    /// Not `<hash> XX:XX:…`.
    #[error("malformed fingerprint: {0}")]
    Malformed(String),
    /// A hash function we do not implement (we do sha-256/384/512).
    #[error("unsupported fingerprint hash function: {0}")]
    UnsupportedHash(String),
    /// The certificate is not PEM-encoded DER.
    #[error("unreadable certificate: {0}")]
    Certificate(String),
}

impl FromStr for Fingerprint {
    type Err = FingerprintError;

    /// Parses `sha-256 AB:CD:…` (the value of an SDP `a=fingerprint`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut parts = text.split_whitespace();
        let (Some(hash), Some(hex), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(FingerprintError::Malformed(text.to_owned()));
        };
        let digest = hex
            .split(':')
            .map(|pair| {
                if pair.len() == 2 {
                    u8::from_str_radix(pair, 16).ok()
                } else {
                    None
                }
            })
            .collect::<Option<Vec<u8>>>()
            .ok_or_else(|| FingerprintError::Malformed(text.to_owned()))?;
        let hash = hash.to_ascii_lowercase();
        match digest_len(&hash) {
            Some(len) if len == digest.len() => Ok(Self { hash, digest }),
            Some(_) => Err(FingerprintError::Malformed(text.to_owned())),
            None => Err(FingerprintError::UnsupportedHash(hash)),
        }
    }
}

impl fmt::Display for Fingerprint {
    /// `sha-256 AB:CD:…`, upper-case hex as browsers and Dino write it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", self.hash)?;
        for (i, byte) in self.digest.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{byte:02X}")?;
        }
        Ok(())
    }
}

fn digest_len(hash: &str) -> Option<usize> {
    match hash {
        "sha-256" => Some(32),
        "sha-384" => Some(48),
        "sha-512" => Some(64),
        _ => None,
    }
}

impl Fingerprint {
    /// The fingerprint of a DER certificate with the named hash function.
    pub fn of_der(hash: &str, der: &[u8]) -> Result<Self, FingerprintError> {
        let hash = hash.to_ascii_lowercase();
        let digest = match hash.as_str() {
            "sha-256" => Sha256::digest(der).to_vec(),
            "sha-384" => Sha384::digest(der).to_vec(),
            "sha-512" => Sha512::digest(der).to_vec(),
            _ => return Err(FingerprintError::UnsupportedHash(hash)),
        };
        Ok(Self { hash, digest })
    }

    /// The fingerprint of the first certificate in a PEM text (what
    /// GStreamer's DTLS transport reports as the remote certificate).
    /// Validity dates are deliberately not looked at.
    pub fn of_pem(hash: &str, pem: &str) -> Result<Self, FingerprintError> {
        let (_, pem) = x509_parser::pem::parse_x509_pem(pem.as_bytes())
            .map_err(|error| FingerprintError::Certificate(error.to_string()))?;
        if pem.label != "CERTIFICATE" {
            return Err(FingerprintError::Certificate(format!(
                "PEM block is a {}",
                pem.label
            )));
        }
        Self::of_der(hash, &pem.contents)
    }

    /// Whether the certificate in `pem` has this fingerprint.
    pub fn matches_pem(&self, pem: &str) -> Result<bool, FingerprintError> {
        Ok(Self::of_pem(&self.hash, pem)?.digest == self.digest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A throw-away self-signed certificate (EC P-256) valid for one day
    // only, long ago by the time anyone reads this: dates must not matter.
    // Its fingerprint as `openssl x509 -fingerprint -sha256` prints it.
    const PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBhDCCASmgAwIBAgIUMIn0CkD+bMDsGDrrLQJpSaKCVpcwCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMd2FyYmxlci10ZXN0MB4XDTI2MTEyMTIxMTYxMFoXDTI2MTEy
MjIxMTYxMFowFzEVMBMGA1UEAwwMd2FyYmxlci10ZXN0MFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAEpgY4bTUM96lz9kL6h43nvtOt2KvKCPmc3GhVS8AUuTBvt47U
weoi0Ad6rop5udoWMR+bbb9QGfWZ7fqi3/Wy1qNTMFEwHQYDVR0OBBYEFOAV5kWa
yxQSD9sV7aeyZki494AhMB8GA1UdIwQYMBaAFOAV5kWayxQSD9sV7aeyZki494Ah
MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAIylYeaDEod9sR/I
MwpajhkTxX9xdE/qnb5AqEGIIMfUAiEA9+PeXsFwLn74tq7lVPHQJrZEV4SaQYma
NSzs6n0boqE=
-----END CERTIFICATE-----
";
    const OPENSSL_SHA256: &str = "18:84:68:57:7B:55:E4:FC:10:87:F5:5D:D5:C1:AD:A1:\
                                  AD:D0:F7:22:A9:AA:E0:A2:CE:68:EC:A5:9F:43:52:D9";

    #[test]
    fn parses_and_prints_sdp_form() {
        let text = format!("sha-256 {}", ["AB"; 32].join(":"));
        let fp: Fingerprint = text.parse().expect("parse");
        assert_eq!(fp.hash, "sha-256");
        assert_eq!(fp.digest, vec![0xAB; 32]);
        assert_eq!(fp.to_string(), text);
        let lower: Fingerprint = text
            .to_lowercase()
            .replace("sha", "SHA")
            .parse()
            .expect("case");
        assert_eq!(lower, fp);
    }

    #[test]
    fn rejects_malformed_and_unknown() {
        assert!(matches!(
            "sha-256 AB:CD".parse::<Fingerprint>(),
            Err(FingerprintError::Malformed(_))
        ));
        assert!(matches!(
            "sha-256".parse::<Fingerprint>(),
            Err(FingerprintError::Malformed(_))
        ));
        assert!(matches!(
            format!("md5 {}", ["00"; 16].join(":")).parse::<Fingerprint>(),
            Err(FingerprintError::UnsupportedHash(_))
        ));
        assert!(matches!(
            format!("sha-256 {}", ["GG"; 32].join(":")).parse::<Fingerprint>(),
            Err(FingerprintError::Malformed(_))
        ));
    }

    #[test]
    fn fingerprint_of_pem_matches_openssl() {
        let expected: Fingerprint = format!("sha-256 {}", OPENSSL_SHA256.replace(' ', ""))
            .parse()
            .expect("parse");
        assert_eq!(Fingerprint::of_pem("sha-256", PEM).expect("fp"), expected);
        assert!(expected.matches_pem(PEM).expect("match"));
        let mut other = expected.clone();
        other.digest[0] ^= 1;
        assert!(!other.matches_pem(PEM).expect("no match"));
    }

    #[test]
    fn garbage_certificate_is_an_error() {
        assert!(Fingerprint::of_pem("sha-256", "not a certificate").is_err());
        assert!(Fingerprint::of_der("sha-1", b"x").is_err());
    }
}
