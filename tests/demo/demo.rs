//! `tests/scripts/demo.sh` runs this: a private Prosody on 127.0.0.1 with
//! three accounts (alice, bob and carol, password "demo"), a fresh Warbler
//! profile signed in as alice, and the Warbler window.
//!
//! Bob and Carol are online with a status, send Alice a welcome message and
//! answer whatever she writes, so there is something to see and try. The
//! account is added through the library's public API, the same way the
//! account dialog does it. The server's certificate comes from a test
//! certificate authority; the core is given it as an extra trust anchor and
//! the Warbler binary through `SSL_CERT_FILE`, and both verify as usual.
//!
//! Environment: `WARBLER_BIN` (the binary to launch, default: next to this
//! example), `WARBLER_DEMO_DATA_DIR` (keep the profile there instead of a
//! temporary directory), `WARBLER_DEMO_SECONDS` and `WARBLER_DEMO_SCREENSHOT`
//! (close Warbler after that long, taking a screenshot first; for headless
//! runs).

#[path = "../support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use support::{RawClient, TestServer, profile};

const PASSWORD: &str = "demo";

fn main() -> ExitCode {
    match run_demo() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("demo: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run_demo() -> Result<(), String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    println!("Starting the demo server on 127.0.0.1...");
    let server = TestServer::builder()
        .accounts(&[("alice", PASSWORD), ("bob", PASSWORD), ("carol", PASSWORD)])
        .name("alice", "Alice")
        .name("bob", "Bob")
        .name("carol", "Carol")
        .all_contacts()
        .start();

    let temp_profile;
    let data_dir = match std::env::var_os("WARBLER_DEMO_DATA_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            temp_profile = tempfile::Builder::new()
                .prefix("warbler-demo-")
                .tempdir()
                .map_err(|e| format!("Could not create a profile directory: {e}"))?;
            temp_profile.path().to_owned()
        }
    };

    // Bob and Carol come online first, so Alice sees them at once.
    let (mut bob, mut carol) = runtime.block_on(async {
        let mut bob = RawClient::connect(&server, "bob", PASSWORD).await;
        bob.send_presence(Some("chat"), Some("Trying out Warbler"))
            .await;
        let mut carol = RawClient::connect(&server, "carol", PASSWORD).await;
        carol
            .send_presence(Some("away"), Some("Back after lunch"))
            .await;
        (bob, carol)
    });

    println!(
        "Adding alice@localhost to a fresh profile in {}",
        data_dir.display()
    );
    runtime.block_on(profile::add_account(&server, &data_dir, "alice", PASSWORD))?;

    runtime.block_on(async {
        bob.send_message(
            "alice@localhost",
            "Hi Alice! Welcome to Warbler. Write me anything and I'll answer.",
        )
        .await;
        carol
            .send_message("alice@localhost", "Hello from Carol! Lunch tomorrow?")
            .await;
    });
    let bots = [
        runtime.spawn(answer_messages(bob, "Bob")),
        runtime.spawn(answer_messages(carol, "Carol")),
    ];

    let result = launch_warbler(&data_dir, &server.ca_pem_path());
    for bot in bots {
        bot.abort();
    }
    if std::env::var_os("WARBLER_DEMO_DATA_DIR").is_none() {
        // The profile goes with the temporary directory; take the password
        // out of the keyring too.
        if let Err(error) = runtime.block_on(profile::forget_account(&server, &data_dir, "alice")) {
            eprintln!("demo: could not remove the demo account: {error}");
        }
    }
    drop(server);
    result
}

/// Run the Warbler binary on the demo profile until it exits (or until
/// `WARBLER_DEMO_SECONDS` have passed).
fn launch_warbler(data_dir: &Path, ca: &Path) -> Result<(), String> {
    let binary = match std::env::var_os("WARBLER_BIN") {
        Some(bin) => PathBuf::from(bin),
        None => std::env::current_exe()
            .map_err(|e| e.to_string())?
            .parent()
            .and_then(Path::parent)
            .map(|dir| dir.join("warbler"))
            .ok_or("Could not locate the warbler binary; set WARBLER_BIN")?,
    };
    if !binary.exists() {
        return Err(format!(
            "{} does not exist: run `cargo build --bin warbler` first",
            binary.display()
        ));
    }
    println!("Launching Warbler. You are alice@localhost; close the window to end the demo.");
    let mut child = Command::new(&binary)
        .arg("--data-dir")
        .arg(data_dir)
        .env("SSL_CERT_FILE", ca)
        .spawn()
        .map_err(|e| format!("Could not start {}: {e}", binary.display()))?;

    let limit = std::env::var("WARBLER_DEMO_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map(Duration::from_secs);
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return if status.success() {
                Ok(())
            } else {
                Err(format!("Warbler exited with {status}"))
            };
        }
        if limit.is_some_and(|limit| started.elapsed() >= limit) {
            if let Some(path) = std::env::var_os("WARBLER_DEMO_SCREENSHOT") {
                take_screenshot(Path::new(&path));
            }
            let _ = child.kill();
            let _ = child.wait();
            println!(
                "The demo ran for its {}s and has ended.",
                started.elapsed().as_secs()
            );
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn take_screenshot(path: &Path) {
    let taken = Command::new("import")
        .args(["-window", "root"])
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    if taken {
        println!("Screenshot saved to {}", path.display());
    } else {
        eprintln!("demo: could not take a screenshot (is imagemagick installed?)");
    }
}

/// Keep a demo contact online: answer Alice's messages and pings.
async fn answer_messages(mut client: RawClient, name: &'static str) {
    while !client.is_closed() {
        let Some(stanza) = client.recv_timeout(Duration::from_secs(1)).await else {
            continue;
        };
        let Ok(element) = support::xml::parse_stanza(&stanza) else {
            continue;
        };
        let from = element.attr("from").unwrap_or_default().to_owned();
        match element.name() {
            "message" => {
                if let Some(body) = support::xml::body(&element) {
                    let peer = from.split('/').next().unwrap_or_default().to_owned();
                    let reply = format!("{name} here. You said: “{body}”");
                    client.send_message(&peer, &reply).await;
                }
            }
            "iq" if matches!(element.attr("type"), Some("get" | "set")) => {
                let id = support::xml::escape(element.attr("id").unwrap_or_default());
                let to = support::xml::escape(&from);
                let is_ping = element.children().any(|c| c.name() == "ping");
                let answer = if is_ping {
                    format!("<iq type='result' id='{id}' to='{to}'/>")
                } else {
                    format!(
                        "<iq type='error' id='{id}' to='{to}'><error type='cancel'>\
                         <service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>\
                         </error></iq>"
                    )
                };
                client.send(&answer).await;
            }
            _ => {}
        }
    }
}
