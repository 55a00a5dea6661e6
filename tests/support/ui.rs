//! Running the real `warbler` window under Xvfb, driven over AT-SPI by the
//! Python scripts in `tests/ui/`.
//!
//! Each script runs inside `xvfb-run` and `tests/scripts/in-session.sh`
//! (a private D-Bus session with an unlocked throw-away keyring), gets the
//! Warbler binary and the screenshot folder as arguments, and may take
//! turns with the test over its stdout and stdin: it prints a line, the
//! test acts (plays another user, checks the server) and may answer with a
//! line. A script prints "ok" as its last line when every step passed.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use super::{RawClient, TestServer};

/// Screen of the test X server (`-noreset` keeps the accessibility bus
/// address alive when short-lived clients disconnect).
const XVFB_ARGS: [&str; 3] = ["-a", "-s", "-noreset -screen 0 1280x800x24"];

/// Programs every UI test runs.
pub const TOOLS: &[&str] = &[
    "xvfb-run",
    "dbus-run-session",
    "gnome-keyring-daemon",
    "import",
    "convert",
];

/// A Python interpreter that can import the AT-SPI bindings.
fn python_with_atspi() -> Option<PathBuf> {
    ["/usr/bin/python3", "python3"]
        .into_iter()
        .map(PathBuf::from)
        .find(|python| {
            Command::new(python)
                .args([
                    "-c",
                    "import gi; gi.require_version('Atspi', '2.0'); from gi.repository import Atspi",
                ])
                .output()
                .is_ok_and(|out| out.status.success())
        })
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|out| out.status.success())
}

/// The Python interpreter to drive the window with, or `None` (after a
/// note) when something is missing. Under `CI=true` a missing tool fails
/// the test instead: CI must not pass by skipping.
pub fn prerequisites(tools: &[&str]) -> Option<PathBuf> {
    let mut missing: Vec<String> = tools
        .iter()
        .filter(|tool| !have(tool))
        .map(|tool| (*tool).to_owned())
        .collect();
    let python = python_with_atspi();
    if python.is_none() {
        missing.push("python3 with gir1.2-atspi-2.0".to_owned());
    }
    if missing.is_empty() {
        return python;
    }
    let message = format!("missing {}", missing.join(", "));
    if std::env::var("CI").is_ok_and(|ci| ci == "true" || ci == "1") {
        panic!("{message} (CI=true: the UI tests must run)");
    }
    eprintln!("skipped: {message}");
    None
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `warbler` binary Cargo built for this test. (Examples that share
/// the support code are built without it.)
fn warbler_binary() -> &'static str {
    match option_env!("CARGO_BIN_EXE_warbler") {
        Some(binary) => binary,
        None => panic!("Cargo names the warbler binary only for tests and benchmarks"),
    }
}

/// `tests/screenshots/`, created if needed.
pub fn screenshot_dir() -> PathBuf {
    let shots = root().join("tests/screenshots");
    std::fs::create_dir_all(&shots).expect("create tests/screenshots");
    shots
}

/// Private XDG directories (runtime, data, config, cache) in `home`.
fn xdg_dirs(home: &Path) -> [PathBuf; 4] {
    let dirs = ["runtime", "data", "config", "cache"].map(|name| {
        let dir = home.join(name);
        std::fs::create_dir_all(&dir).expect("create temp XDG dir");
        dir
    });
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dirs[0], std::fs::Permissions::from_mode(0o700))
            .expect("chmod XDG_RUNTIME_DIR");
    }
    dirs
}

/// `xvfb-run … in-session.sh python script warbler shots` with the
/// environment every UI test shares.
///
/// Warbler stores passwords in the Secret Service, so the app, an unlocked
/// throw-away keyring and the accessibility bus share one private D-Bus
/// session: the script CI runs the whole suite in, started once more for
/// each test alone. (In a bare session the keyring would be activated
/// locked and put a password prompt over the window.)
pub fn driver_command(python: &Path, script: &str, home: &Path) -> Command {
    let dirs = xdg_dirs(home);
    let mut command = Command::new("xvfb-run");
    command
        .args(XVFB_ARGS)
        .arg(root().join("tests/scripts/in-session.sh"))
        .arg(python)
        // No __pycache__ next to the scripts.
        .arg("-B")
        .arg("-W")
        .arg("ignore::DeprecationWarning")
        .arg(root().join("tests/ui").join(script))
        .arg(warbler_binary())
        .arg(screenshot_dir())
        // in-session.sh replaces the runtime and data directories with
        // its own; these apply when it is not the outermost session.
        .env("XDG_RUNTIME_DIR", &dirs[0])
        .env("XDG_DATA_HOME", &dirs[1])
        .env("XDG_CONFIG_HOME", &dirs[2])
        .env("XDG_CACHE_HOME", &dirs[3])
        .env("GSK_RENDERER", "cairo")
        .env("GDK_BACKEND", "x11")
        .env("GSETTINGS_BACKEND", "memory")
        .env("GTK_A11Y", "atspi")
        // A GLib or GTK critical (a misused or freed object) ends Warbler,
        // so the test fails instead of logging it.
        .env("G_DEBUG", "fatal-criticals")
        .env_remove("ADW_DEBUG_COLOR_SCHEME")
        .env_remove("WAYLAND_DISPLAY");
    command
}

/// Run a prepared driver command and take turns with it: `on_line` gets
/// every line the script prints and may return a line to answer with.
/// Returns whether the script succeeded and printed "ok".
pub fn run_driver(mut command: Command, mut on_line: impl FnMut(&str) -> Option<String>) -> bool {
    let mut driver = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run xvfb-run");
    let mut to_driver = driver.stdin.take().expect("driver stdin");
    let from_driver = BufReader::new(driver.stdout.take().expect("driver stdout"));
    let mut finished = false;
    for line in from_driver.lines() {
        let line = line.expect("read the driver's output");
        println!("driver: {line}");
        if line == "ok" {
            finished = true;
        } else if let Some(answer) = on_line(&line) {
            // The driver may have failed meanwhile; its status tells.
            let _ = writeln!(to_driver, "{answer}").and_then(|()| to_driver.flush());
        }
    }
    let status = driver.wait().expect("wait for the driver");
    if !status.success() {
        eprintln!("the driver failed: {status}");
    }
    status.success() && finished
}

/// A token no earlier run (whose messages a server might still hold) used.
pub fn token(what: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{what}-{}-{nanos:x}", std::process::id())
}

/// A server where Alice (password "pw-a") and Bob are each other's
/// contacts, with Bob online through a raw client the test plays.
pub fn alice_and_bob_online(runtime: &tokio::runtime::Runtime) -> (TestServer, RawClient) {
    let server = TestServer::builder()
        .account("alice", "pw-a")
        .account("bob", "pw-b")
        .name("alice", "Alice")
        .name("bob", "Bob")
        .contacts("alice", "bob")
        .start();
    let bob = runtime.block_on(async {
        let mut bob = RawClient::connect(&server, "bob", "pw-b").await;
        bob.send_initial_presence().await;
        bob
    });
    (server, bob)
}

/// The driver command for `script`, signing in as `user` on `server`.
pub fn signed_in_driver(
    python: &Path,
    script: &str,
    home: &Path,
    server: &TestServer,
    user: &str,
    password: &str,
) -> Command {
    let mut command = driver_command(python, script, home);
    command
        .env("SSL_CERT_FILE", server.ca_pem_path())
        .env("WARBLER_UI_DATA_DIR", home.join("profile"))
        .env("WARBLER_UI_ACCOUNT", server.jid(user))
        .env("WARBLER_UI_PASSWORD", password)
        .env("WARBLER_UI_PORT", server.c2s_port().to_string());
    command
}
