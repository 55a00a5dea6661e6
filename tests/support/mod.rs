//! Shared helpers for integration tests that run against a real Prosody on
//! 127.0.0.1: a throw-away server ([`TestServer`]), its test certificate
//! authority ([`certs`]), a minimal hand-written XMPP client ([`RawClient`])
//! for sending exactly the XML a test wants, helpers that drive Warbler's
//! core through its public API ([`core`]) and make two cores call each other
//! ([`calls`]), two media engines talking directly and the tone detection
//! calls use ([`media`]), a TURN server for calls through a relay
//! ([`turn`]), a DNS server that answers SRV and address questions
//! ([`dns`]), a PulseAudio daemon with virtual audio devices ([`pulse`]),
//! and a PipeWire desktop with virtual cameras too ([`pipewire`]).
//!
//! Include it from a test file with `mod support;`. Not every test uses every
//! helper, hence the `dead_code` and `unused_imports` allowances.
#![allow(dead_code, unused_imports)]

pub mod calls;
pub mod certs;
pub mod core;
pub mod dns;
pub mod media;
pub mod muc;
pub mod pipewire;
pub mod profile;
pub mod prosody;
pub mod pulse;
pub mod raw_client;
pub mod turn;
pub mod ui;
pub mod xml;

pub use prosody::TestServer;
pub use raw_client::{RawClient, Transport};

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A command that runs `program` and, where `setpriv` exists, has it
/// killed when the thread that started it dies, even if no `Drop` runs.
pub fn dies_with_test(program: &str) -> Command {
    if std::path::Path::new("/usr/bin/setpriv").exists() {
        let mut command = Command::new("setpriv");
        command.args(["--pdeathsig", "KILL", "--", program]);
        command
    } else {
        Command::new(program)
    }
}

/// Whether a server this test started is gone (or was never started):
/// waiting longer for it to become ready is pointless.
pub fn has_exited(child: &mut Option<Child>) -> bool {
    child
        .as_mut()
        .is_none_or(|c| !matches!(c.try_wait(), Ok(None)))
}

/// How long a server may take to exit after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);

/// Stop a server this test started, by its PID: SIGTERM, so it closes its
/// clients' streams cleanly, then SIGKILL if it is still there after 5 s.
pub fn stop_server(mut child: Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .stderr(Stdio::null())
        .status();
    let deadline = Instant::now() + STOP_TIMEOUT;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Deletes a server's directory at a fixed path, or, with
/// `WARBLER_TEST_KEEP_SERVER` set, keeps it beside as `*.kept` (replacing
/// an older one) and says where.
pub fn remove_or_keep(dir: &std::path::Path, what: &str) {
    if std::env::var_os("WARBLER_TEST_KEEP_SERVER").is_some() {
        let kept = dir.with_extension("kept");
        let _ = std::fs::remove_dir_all(&kept);
        let _ = std::fs::rename(dir, &kept);
        eprintln!("Keeping the {what} files in {}", kept.display());
    } else {
        let _ = std::fs::remove_dir_all(dir);
    }
}
