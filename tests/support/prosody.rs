//! A real Prosody for tests: throwaway config, data and certificates in a
//! temp dir, bound to 127.0.0.1 only, stopped by PID on drop.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running Prosody.
pub struct TestServer {
    dir: tempfile::TempDir,
    child: Option<Child>,
    /// STARTTLS client port.
    pub c2s_port: u16,
    /// Direct-TLS client port.
    pub direct_tls_port: u16,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("run a helper command");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A test CA and a leaf certificate for localhost (CA:FALSE, serverAuth),
/// which rustls accepts, unlike Prosody's self-signed CA:TRUE certificate.
fn make_certificates(dir: &Path) {
    let ext = dir.join("leaf.ext");
    std::fs::write(
        &ext,
        "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n\
         subjectAltName=DNS:localhost,DNS:conference.localhost,DNS:upload.localhost\n",
    )
    .expect("write leaf.ext");
    let p = |f: &str| dir.join(f);
    run(Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "30",
            "-subj",
            "/CN=Warbler Test CA",
            "-keyout",
        ])
        .arg(p("ca.key"))
        .arg("-out")
        .arg(p("ca.pem")));
    run(Command::new("openssl")
        .args([
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
        ])
        .arg(p("localhost.key"))
        .arg("-out")
        .arg(p("leaf.csr")));
    run(Command::new("openssl")
        .args(["x509", "-req", "-days", "30", "-CAcreateserial", "-in"])
        .arg(p("leaf.csr"))
        .arg("-CA")
        .arg(p("ca.pem"))
        .arg("-CAkey")
        .arg(p("ca.key"))
        .arg("-out")
        .arg(p("localhost.crt"))
        .arg("-extfile")
        .arg(&ext));
}

impl TestServer {
    /// Start a server with these `(user, password)` accounts on `localhost`.
    pub fn start(accounts: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        make_certificates(dir.path());
        std::fs::create_dir_all(dir.path().join("data")).expect("data dir");
        let (c2s_port, direct_tls_port) = (free_port(), free_port());
        let d = dir.path().display();
        let config = format!(
            r#"interfaces = {{ "127.0.0.1" }}
c2s_ports = {{ {c2s_port} }}
c2s_direct_tls_ports = {{ {direct_tls_port} }}
s2s_ports = {{}}
data_path = "{d}/data"
pidfile = "{d}/prosody.pid"
run_as_root = true
authentication = "internal_hashed"
c2s_require_encryption = true
smacks_hibernation_time = 30
c2s_stanza_size_limit = 4*1024*1024
modules_enabled = {{ "roster"; "saslauth"; "tls"; "disco"; "ping"; "carbons"; "pep"; "blocklist"; "mam"; "smacks"; "offline"; "version"; "time" }}
modules_disabled = {{ "s2s" }}
log = {{ info = "{d}/prosody.log" }}
certificates = "{d}"
VirtualHost "localhost"
  ssl = {{ certificate = "{d}/localhost.crt"; key = "{d}/localhost.key" }}
"#
        );
        std::fs::write(dir.path().join("prosody.cfg.lua"), config).expect("write config");
        let mut server = TestServer {
            dir,
            child: None,
            c2s_port,
            direct_tls_port,
        };
        for (user, password) in accounts {
            run(Command::new("prosodyctl")
                .arg("--config")
                .arg(server.config())
                .args(["register", user, "localhost", password]));
        }
        server.launch();
        server
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("prosody.cfg.lua")
    }

    /// The CA that signed the server's certificate.
    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    fn launch(&mut self) {
        let log = std::fs::File::create(self.dir.path().join("stdout.log")).expect("log file");
        let child = Command::new("prosody")
            .arg("--config")
            .arg(self.config())
            .arg("-F")
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start prosody (Debian package prosody)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.c2s_port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "prosody did not start: {}",
                self.log_tail()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.path().join("prosody.log")).unwrap_or_default();
        log.lines().rev().take(20).collect::<Vec<_>>().join("\n")
    }

    /// Stop gracefully (SIGTERM, then SIGKILL after 5 s).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill").arg(child.id().to_string()).status();
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Stop and start again with the same ports and data.
    pub fn restart(&mut self) {
        self.stop();
        self.launch();
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}
