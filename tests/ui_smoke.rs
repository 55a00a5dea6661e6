//! UI tests: run the real `warbler` binary in its own X server and D-Bus
//! session and drive it over AT-SPI with the Python scripts in `tests/ui/`,
//! which find widgets by their accessible names and write screenshots to
//! `tests/screenshots/`.
//!
//! - `sign_in_page_shortcuts_and_dark_style` needs no server.
//! - `signs_in_receives_and_answers_a_message` signs in to a test Prosody as
//!   Alice while the test plays Bob with a raw client: Bob's message must
//!   show up in the window, and Alice's answer must reach Bob; then a burst
//!   of Bob's messages must be followed to the last, at the bottom, and its
//!   first messages must come back in order when scrolled to; after a
//!   restart, the same for a burst that arrives while the window is hidden.
//!
//! Needs `xvfb-run`, `dbus-run-session`, `gnome-keyring-daemon`, ImageMagick,
//! xdotool (for the chat test) and python3 with the AT-SPI GObject bindings.
//! Without them the tests are skipped with a note, except under `CI=true`,
//! where they fail.

mod support;

use support::ui::{
    TOOLS, alice_and_bob_online, driver_command, prerequisites, run_driver, signed_in_driver, token,
};

/// Messages Bob sends at once after the conversation: more than the chat
/// view keeps while following the newest, so the oldest are let go of and
/// must come back from history when scrolled to.
const BURST: usize = 500;

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

#[test]
fn signs_in_receives_and_answers_a_message() {
    // xdotool hides and shows the window for the second burst.
    let tools: Vec<&str> = TOOLS.iter().copied().chain(["xdotool"]).collect();
    let Some(python) = prerequisites(&tools) else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let (server, mut bob) = alice_and_bob_online(&runtime);
    let incoming = token("from-bob");
    let reply = token("from-alice");

    let home = tempfile::tempdir().expect("temp dir");
    let mut command = signed_in_driver(&python, "chat.py", home.path(), &server, "alice", "pw-a");
    command
        .env("WARBLER_UI_INCOMING", &incoming)
        .env("WARBLER_UI_REPLY", &reply)
        .env("WARBLER_UI_BURST", BURST.to_string());
    let passed = run_driver(command, |line| match line {
        "signed-in" => {
            runtime
                .block_on(bob.send_message(&server.jid("alice"), &format!("Hi Alice! {incoming}")));
            None
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
            Some("receipt-sent".to_owned())
        }
        "burst-please" | "hidden-burst-please" => {
            let (kind, sent) = match line {
                "burst-please" => ("Burst", "burst-sent"),
                _ => ("Hidden", "hidden-burst-sent"),
            };
            runtime.block_on(async {
                for number in 0..BURST {
                    let body = format!("{kind} {number} {incoming}");
                    bob.send_message(&server.jid("alice"), &body).await;
                }
            });
            Some(sent.to_owned())
        }
        _ => None,
    });
    assert!(
        passed,
        "the UI chat test failed; server log:\n{}",
        server.log_tail(40)
    );
    runtime.block_on(bob.close());
}
