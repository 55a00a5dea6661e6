//! UI tests: run the real `warbler` binary in its own X server and D-Bus
//! session and drive it over AT-SPI with the Python scripts in `tests/ui/`,
//! which find widgets by their accessible names and write screenshots to
//! `tests/screenshots/`.
//!
//! - `sign_in_page_shortcuts_and_dark_style` needs no server.
//! - `signs_in_receives_and_answers_a_message` signs in to a test Prosody as
//!   Alice while the test plays Bob with a raw client: Bob's message must
//!   show up in the window, and Alice's answer must reach Bob.
//!
//! Needs `xvfb-run`, `dbus-run-session`, `gnome-keyring-daemon`, ImageMagick
//! and python3 with the AT-SPI GObject bindings. Without them the tests are
//! skipped with a note, except under `CI=true`, where they fail.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use support::{RawClient, TestServer};

/// Screen of the test X server (`-noreset` keeps the accessibility bus
/// address alive when short-lived clients disconnect).
const XVFB_ARGS: [&str; 3] = ["-a", "-s", "-noreset -screen 0 1280x800x24"];

/// Programs the UI tests run.
const TOOLS: &[&str] = &[
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
fn prerequisites(tools: &[&str]) -> Option<PathBuf> {
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

fn screenshot_dir() -> PathBuf {
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
fn driver_command(python: &Path, script: &str, home: &Path) -> Command {
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
        .arg(env!("CARGO_BIN_EXE_warbler"))
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
        .env_remove("ADW_DEBUG_COLOR_SCHEME")
        .env_remove("WAYLAND_DISPLAY");
    command
}

#[test]
fn sign_in_page_shortcuts_and_dark_style() {
    let Some(python) = prerequisites(TOOLS) else {
        return;
    };
    let home = tempfile::tempdir().expect("temp dir");
    let status = driver_command(&python, "smoke.py", home.path())
        .status()
        .expect("run xvfb-run");
    assert!(status.success(), "the UI smoke test failed: {status}");
}

/// A token no earlier run (whose messages a server might still hold) used.
fn token(what: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{what}-{}-{nanos:x}", std::process::id())
}

#[test]
fn signs_in_receives_and_answers_a_message() {
    let Some(python) = prerequisites(TOOLS) else {
        return;
    };
    let server = TestServer::builder()
        .account("alice", "pw-a")
        .account("bob", "pw-b")
        .name("alice", "Alice")
        .name("bob", "Bob")
        .contacts("alice", "bob")
        .start();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let mut bob = runtime.block_on(async {
        let mut bob = RawClient::connect(&server, "bob", "pw-b").await;
        bob.send_initial_presence().await;
        bob
    });
    let incoming = token("from-bob");
    let reply = token("from-alice");

    let home = tempfile::tempdir().expect("temp dir");
    let profile = home.path().join("profile");
    let mut driver = driver_command(&python, "chat.py", home.path())
        .env("SSL_CERT_FILE", server.ca_pem_path())
        .env("WARBLER_UI_DATA_DIR", &profile)
        .env("WARBLER_UI_ACCOUNT", server.jid("alice"))
        .env("WARBLER_UI_PASSWORD", "pw-a")
        .env("WARBLER_UI_PORT", server.c2s_port().to_string())
        .env("WARBLER_UI_INCOMING", &incoming)
        .env("WARBLER_UI_REPLY", &reply)
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
        match line.as_str() {
            "signed-in" => {
                runtime.block_on(
                    bob.send_message(&server.jid("alice"), &format!("Hi Alice! {incoming}")),
                );
            }
            "replied" => {
                let answer = runtime.block_on(bob.expect_message_containing(&reply));
                let id = answer.attr("id").expect("the answer has an id").to_owned();
                let from = answer.attr("from").expect("the answer has a sender");
                assert!(
                    from.starts_with(&format!("{}/", server.jid("alice"))),
                    "the answer came from {from}"
                );
                assert!(
                    answer
                        .children()
                        .any(|c| c.name() == "request" && c.ns() == "urn:xmpp:receipts"),
                    "the answer asks for no receipt: {answer:?}"
                );
                let receipt = format!(
                    "<message to='{}' id='{}'><received xmlns='urn:xmpp:receipts' id='{}'/></message>",
                    support::xml::escape(from),
                    token("receipt"),
                    support::xml::escape(&id),
                );
                runtime.block_on(bob.send(&receipt));
                writeln!(to_driver, "receipt-sent").expect("answer the driver");
            }
            "ok" => finished = true,
            _ => {}
        }
    }
    let status = driver.wait().expect("wait for the driver");
    assert!(
        status.success() && finished,
        "the UI chat test failed ({status}); server log:\n{}",
        server.log_tail(40)
    );
    runtime.block_on(bob.close());
}
