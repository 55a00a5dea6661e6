//! A throw-away TURN server (coturn's `turnserver`) on 127.0.0.1 for call
//! tests.
//!
//! It authenticates with TURN REST credentials (a shared secret, as
//! Prosody's `turn_external` hands them out), relays between loopback
//! addresses, keeps its configuration, log and pidfile in its own temporary
//! directory, and is stopped by PID when dropped. Set
//! `WARBLER_TEST_KEEP_SERVER=1` to keep the directory.

use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::prosody::{free_udp_port, spawn_from_keeper_thread};

const START_TIMEOUT: Duration = Duration::from_secs(10);

/// How many UDP ports the server may relay from; a call uses a few.
const RELAY_PORTS: u16 = 40;

/// A running TURN server on 127.0.0.1, stopped on drop.
#[derive(Debug)]
pub struct TurnServer {
    dir: tempfile::TempDir,
    /// Its UDP port (STUN and TURN).
    pub port: u16,
    child: Option<Child>,
}

impl TurnServer {
    /// Start a server that accepts credentials made with `secret`. Panics
    /// (with the server's log) when it does not answer within 10 s.
    pub fn start(secret: &str) -> TurnServer {
        let dir = tempfile::Builder::new()
            .prefix("warbler-turn-")
            .tempdir()
            .unwrap_or_else(|e| panic!("Could not create the TURN server directory: {e}"));
        let port = free_udp_port();
        let relay_from = relay_range_start(port);
        let d = dir.path();
        let config = format!(
            "# Written by Warbler's test harness; deleted after the test.\n\
             listening-ip=127.0.0.1\n\
             relay-ip=127.0.0.1\n\
             listening-port={port}\n\
             min-port={relay_from}\n\
             max-port={relay_to}\n\
             use-auth-secret\n\
             static-auth-secret={secret}\n\
             realm=localhost\n\
             allow-loopback-peers\n\
             no-tcp\n\
             no-tls\n\
             no-dtls\n\
             no-cli\n\
             no-software-attribute\n\
             verbose\n\
             simple-log\n\
             no-stdout-log\n\
             log-file={log}\n\
             pidfile={pid}\n\
             userdb={db}\n",
            relay_to = relay_from + RELAY_PORTS - 1,
            log = d.join("turn.log").display(),
            pid = d.join("turn.pid").display(),
            db = d.join("turndb").display(),
        );
        let config_path = d.join("turnserver.conf");
        std::fs::write(&config_path, config).expect("write turnserver.conf");
        let out = std::fs::File::create(d.join("turn.out")).expect("create turn.out");
        let err = out.try_clone().expect("clone the output handle");
        let mut command = super::dies_with_test("turnserver");
        command
            .arg("-c")
            .arg(&config_path)
            .current_dir(d)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        let child = spawn_from_keeper_thread(command, "turnserver (is coturn installed?)");
        let mut server = TurnServer {
            dir,
            port,
            child: Some(child),
        };
        server.wait_until_ready();
        server
    }

    /// The server's log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("turn.log")
    }

    /// Stop the server (SIGTERM, then SIGKILL after 5 s).
    pub fn stop(&mut self) {
        if let Some(child) = self.child.take() {
            super::stop_server(child);
        }
    }

    /// Ready once it answers a STUN binding request.
    fn wait_until_ready(&mut self) {
        let socket = UdpSocket::bind(("127.0.0.1", 0)).expect("bind a UDP socket");
        socket
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("set a timeout");
        // RFC 5389 §6: a Binding request, no attributes, magic cookie,
        // transaction id.
        let mut request = vec![0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42];
        request.extend_from_slice(b"warbler-test");
        let deadline = Instant::now() + START_TIMEOUT;
        let mut answer = [0u8; 512];
        loop {
            let _ = socket.send_to(&request, ("127.0.0.1", self.port));
            if let Ok((n, _)) = socket.recv_from(&mut answer)
                && n >= 20
                && answer[..2] == [0x01, 0x01]
                && answer[8..20] == request[8..20]
            {
                return;
            }
            if super::has_exited(&mut self.child) || Instant::now() > deadline {
                let out =
                    std::fs::read_to_string(self.dir.path().join("turn.out")).unwrap_or_default();
                let log = self.log();
                self.stop();
                panic!(
                    "The TURN server did not answer on 127.0.0.1:{} within {START_TIMEOUT:?}.\n\
                     --- output ---\n{out}\n--- log ---\n{log}",
                    self.port
                );
            }
        }
    }
}

impl Drop for TurnServer {
    fn drop(&mut self) {
        self.stop();
        if std::env::var_os("WARBLER_TEST_KEEP_SERVER").is_some() {
            eprintln!(
                "Keeping the TURN server's files in {}",
                self.dir.path().display()
            );
            let dir = std::mem::replace(
                &mut self.dir,
                tempfile::tempdir().expect("create a placeholder directory"),
            );
            let _ = dir.keep();
        }
    }
}

/// The first of [`RELAY_PORTS`] relay ports, picked from the listening port
/// so that servers of tests running side by side rarely share a range.
fn relay_range_start(port: u16) -> u16 {
    let slots = (65_535 - 50_000) / RELAY_PORTS;
    50_000 + (port % slots) * RELAY_PORTS
}
