//! A test certificate authority and a leaf certificate for `localhost`,
//! made with the `openssl` command-line tool.
//!
//! rustls refuses a self-signed certificate that is also a CA
//! (`CaUsedAsEndEntity`), which is what `prosodyctl cert generate` makes, so
//! the harness makes a small CA and a proper end-entity certificate
//! (`CA:FALSE`, `serverAuth`) for `localhost`, the component names and the
//! second virtual host below.
//! Generating keys takes a moment, so it happens once per test process; the
//! PEM text is kept in memory and each server writes its own copy.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

/// Names the leaf certificate is valid for: `localhost`, its components,
/// and `warbler.test` (the harness's second virtual host, a name under the
/// `.test` domain reserved for testing, which is looked up in DNS where
/// `localhost` never is).
pub const SERVER_NAMES: [&str; 4] = [
    "localhost",
    "conference.localhost",
    "upload.localhost",
    "warbler.test",
];

/// PEM text of the test CA and of the server's certificate and key.
#[derive(Debug, Clone)]
pub struct TestCertificates {
    /// The CA certificate; clients trust this.
    pub ca_pem: String,
    /// The leaf certificate for `localhost` (followed by nothing else).
    pub cert_pem: String,
    /// The leaf's private key.
    pub key_pem: String,
}

/// The process-wide test certificates, generated on first use.
pub fn test_certificates() -> &'static TestCertificates {
    static CERTS: OnceLock<TestCertificates> = OnceLock::new();
    CERTS.get_or_init(|| generate().unwrap_or_else(|error| panic!("{error}")))
}

fn generate() -> Result<TestCertificates, String> {
    let dir = tempfile::Builder::new()
        .prefix("warbler-test-ca-")
        .tempdir()
        .map_err(|e| format!("Could not create a directory for the test CA: {e}"))?;
    let d = dir.path();
    let sans = SERVER_NAMES
        .iter()
        .map(|name| format!("DNS:{name}"))
        .collect::<Vec<_>>()
        .join(",");
    std::fs::write(
        d.join("leaf.ext"),
        format!(
            "basicConstraints = critical, CA:FALSE\n\
             keyUsage = critical, digitalSignature, keyEncipherment\n\
             extendedKeyUsage = serverAuth\n\
             subjectAltName = {sans}\n"
        ),
    )
    .map_err(|e| format!("Could not write the certificate extensions: {e}"))?;

    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
    openssl(
        d,
        &[
            &["req", "-x509", "-nodes"][..],
            &ec,
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "3650",
                "-subj",
                "/CN=Warbler Test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        ]
        .concat(),
    )?;
    openssl(
        d,
        &[
            &["req", "-nodes"][..],
            &ec,
            &[
                "-keyout",
                "leaf.key",
                "-out",
                "leaf.csr",
                "-subj",
                "/CN=localhost",
            ],
        ]
        .concat(),
    )?;
    openssl(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            "4242",
            "-days",
            "825",
            "-extfile",
            "leaf.ext",
            "-out",
            "leaf.pem",
        ],
    )?;

    let read = |name: &str| {
        std::fs::read_to_string(d.join(name)).map_err(|e| format!("Could not read {name}: {e}"))
    };
    Ok(TestCertificates {
        ca_pem: read("ca.pem")?,
        cert_pem: read("leaf.pem")?,
        key_pem: read("leaf.key")?,
    })
}

fn openssl(dir: &Path, args: &[&str]) -> Result<(), String> {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("Could not run openssl (is it installed?): {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "openssl {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}
