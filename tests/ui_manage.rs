//! UI tests of the flows around a chat: a message notification that opens
//! its chat when clicked, a room mention that notifies (and chatter that
//! does not), renaming and removing contacts, adding,
//! disabling and removing accounts, and the narrow (folded) layout.
//!
//! Each test starts a test Prosody on 127.0.0.1, runs the real `warbler`
//! binary under Xvfb and drives it over AT-SPI with a script in
//! `tests/ui/`, while the test plays the other users with raw clients and
//! checks what the server saw. Screenshots go to `tests/screenshots/`
//! (`20-…` onward).
//!
//! Needs what `ui_smoke` needs; without it the tests are skipped with a
//! note, except under `CI=true`, where they fail.

mod support;

use std::time::Duration;

use support::ui::{
    TOOLS, alice_and_bob_online, prerequisites, run_driver, signed_in_driver, token,
};
use support::{RawClient, TestServer};
use warbler::model::BareJid;

/// How many chats Alice has before Bob's: more than the chat list shows.
const EARLIER_CHATS: usize = 30;
/// How many direct messages Bob sends while Alice reads a room: more than
/// a screenful, and more than a page of history (50), which the chat still
/// opens on the first of.
const DIRECT_MESSAGES: usize = 120;
/// How many direct messages Bob sends first, read by Alice as they come:
/// more than are loaded above the New Messages line.
const EARLIER_MESSAGES: usize = 30;

/// How many messages Bob sends in a burst while his notification is up.
const NOTIFIED_BURST: usize = 150;

/// Bob writes while no chat is open: the (fake) notification server gets a
/// notification naming Bob with the message escaped; a burst of his
/// messages updates it a few times, ending on their count; dismissed
/// during a second burst it stays gone, and his next message gets a new
/// one; clicking that opens Bob's chat and withdraws it.
#[test]
fn notification_click_opens_the_chat() {
    let Some(python) = prerequisites(TOOLS) else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let (server, mut bob) = alice_and_bob_online(&runtime);
    let incoming = token("notify");
    let again = token("again");
    let burst = token("burst");
    let alice = server.jid("alice");

    let home = tempfile::tempdir().expect("temp dir");
    // Older chats than the chat list shows at once.
    let peers: Vec<BareJid> = (1..=EARLIER_CHATS)
        .map(|n| BareJid::new(&server.jid(&format!("friend{n:02}"))).expect("an address"))
        .collect();
    runtime.block_on(warbler::bench_support::populate_chats(
        &home.path().join("profile"),
        &BareJid::new(&alice).expect("Alice's address"),
        &peers,
    ));
    let mut command = signed_in_driver(&python, "notify.py", home.path(), &server, "alice", "pw-a");
    command
        .env("WARBLER_UI_INCOMING", &incoming)
        .env("WARBLER_UI_AGAIN", &again)
        .env("WARBLER_UI_BURST", &burst)
        .env("WARBLER_UI_BURST_COUNT", NOTIFIED_BURST.to_string());
    let passed = run_driver(command, |line| {
        match line {
            "signed-in" => {
                runtime.block_on(bob.send_message(&alice, &format!("<b>Hi</b> Alice {incoming}")));
            }
            "notified" => runtime.block_on(async {
                for i in 0..NOTIFIED_BURST {
                    bob.send_message(&alice, &format!("Burst {i} {burst}"))
                        .await;
                }
            }),
            "burst-again" => runtime.block_on(async {
                for i in 0..NOTIFIED_BURST {
                    bob.send_message(&alice, &format!("Again {i} {burst}"))
                        .await;
                }
            }),
            "dismissed" => {
                runtime.block_on(bob.send_message(&alice, &format!("After {burst}")));
            }
            "chat-open" => {
                runtime.block_on(bob.send_message(&alice, &format!("Still there? {again}")));
            }
            _ => {}
        }
        None
    });
    assert!(
        passed,
        "the notification test failed; server log:\n{}",
        server.log_tail(40)
    );
    runtime.block_on(bob.close());
}

/// In a room with the default setting (mentions only), Bob's ordinary
/// message does not notify while his mention of Alice does, naming him;
/// clicking that notification opens the room on the highlighted message.
/// Bob's direct messages, more than a screenful, then open on the first
/// under a "New Messages" line; his last message notifies, and quitting
/// withdraws that.
#[test]
fn room_mention_notifies_and_chatter_does_not() {
    let Some(python) = prerequisites(TOOLS) else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let (server, mut bob) = alice_and_bob_online(&runtime);
    let room = format!("mentions@{}", server.muc_domain());
    runtime.block_on(bob.join_room(&room, "Bob"));
    let (chatter, mention, direct) = (token("chatter"), token("mention"), token("direct"));
    let alice = server.jid("alice");

    let home = tempfile::tempdir().expect("temp dir");
    let mut command =
        signed_in_driver(&python, "mention.py", home.path(), &server, "alice", "pw-a");
    command
        .env("WARBLER_UI_ROOM", &room)
        .env("WARBLER_UI_CHATTER", &chatter)
        .env("WARBLER_UI_MENTION", &mention)
        .env("WARBLER_UI_DIRECT", &direct)
        .env("WARBLER_UI_DIRECT_COUNT", DIRECT_MESSAGES.to_string())
        .env("WARBLER_UI_EARLIER_COUNT", EARLIER_MESSAGES.to_string());
    let passed = run_driver(command, |line| {
        if line == "bob-open" {
            runtime.block_on(async {
                for n in 0..EARLIER_MESSAGES {
                    bob.send_message(&alice, &format!("Earlier {n} {direct}"))
                        .await;
                }
            });
        }
        if line == "room-open" {
            runtime.block_on(async {
                for n in 0..DIRECT_MESSAGES {
                    bob.send_message(&alice, &format!("Direct {n} {direct}"))
                        .await;
                }
            });
        }
        if line == "room-again" {
            runtime.block_on(bob.send_message(&alice, &format!("Last {direct}")));
        }
        if line == "elsewhere" {
            runtime.block_on(async {
                let joined = bob
                    .wait_for_occupant(&room, "alice", Duration::from_secs(20))
                    .await;
                assert!(joined, "Bob did not see Alice enter the room");
                bob.say_in_room(&room, &format!("Lunch at noon? {chatter}"))
                    .await;
                bob.say_in_room(&room, &format!("alice: can you review this? {mention}"))
                    .await;
            });
        }
        None
    });
    assert!(
        passed,
        "the mention test failed; server log:\n{}",
        server.log_tail(40)
    );
    runtime.block_on(bob.close());
}

/// The server's roster item for `jid` on `client`'s account:
/// `(subscription, name)`.
fn roster_item(
    runtime: &tokio::runtime::Runtime,
    client: &mut RawClient,
    jid: &str,
) -> Option<(String, Option<String>)> {
    runtime
        .block_on(client.roster())
        .into_iter()
        .find(|(item, _, _)| item == jid)
        .map(|(_, subscription, name)| (subscription, name))
}

/// Renaming a contact and removing another from their row menus changes
/// the rows (the renamed contact's chat row too) and the roster on the
/// server.
#[test]
fn renames_and_removes_contacts() {
    let Some(python) = prerequisites(TOOLS) else {
        return;
    };
    let server = TestServer::builder()
        .accounts(&[
            ("alice", "pw-a"),
            ("bob", "pw-b"),
            ("carol", "pw-c"),
            ("dave", "pw-d"),
        ])
        .name("bob", "Bob")
        .name("carol", "Carol")
        .name("dave", "Dave")
        .contacts("alice", "bob")
        .contacts("alice", "carol")
        .contacts("alice", "dave")
        .start();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    // Alice's other device, to read her roster as the server keeps it.
    let mut alice = runtime.block_on(RawClient::connect(&server, "alice", "pw-a"));
    let (bob, carol) = (server.jid("bob"), server.jid("carol"));
    // Bob writes first: Alice's chat with him is renamed with him.
    let mut bob_client = runtime.block_on(RawClient::connect(&server, "bob", "pw-b"));
    runtime.block_on(bob_client.send_message(&server.jid("alice"), "Hello from Bob"));
    runtime.block_on(bob_client.close());
    assert_eq!(
        roster_item(&runtime, &mut alice, &bob),
        Some(("both".to_owned(), Some("Bob".to_owned())))
    );

    let home = tempfile::tempdir().expect("temp dir");
    let command = signed_in_driver(
        &python,
        "contacts.py",
        home.path(),
        &server,
        "alice",
        "pw-a",
    );
    let passed = run_driver(command, |line| match line {
        "renamed" => {
            let item = roster_item(&runtime, &mut alice, &bob);
            assert_eq!(
                item,
                Some(("both".to_owned(), Some("Robert Builder".to_owned()))),
                "Bob's roster item after the rename"
            );
            Some("roster-checked".to_owned())
        }
        "removed" => {
            let item = roster_item(&runtime, &mut alice, &carol);
            assert_eq!(item, None, "Carol is still in the roster");
            Some("roster-checked".to_owned())
        }
        _ => None,
    });
    assert!(
        passed,
        "the contacts test failed; server log:\n{}",
        server.log_tail(40)
    );
    runtime.block_on(alice.close());
}

/// Wait until `watcher` gets a presence from `jid` (any resource) that is
/// unavailable (`available == false`) or available.
fn expect_presence(
    runtime: &tokio::runtime::Runtime,
    watcher: &mut RawClient,
    jid: &str,
    available: bool,
) {
    let from_jid = |from: &str| from == jid || from.starts_with(&format!("{jid}/"));
    let seen = runtime.block_on(watcher.wait_for(Duration::from_secs(30), |stanza| {
        stanza.name() == "presence"
            && stanza.attr("from").is_some_and(from_jid)
            && match stanza.attr("type") {
                None => available,
                Some("unavailable") => !available,
                Some(_) => false,
            }
    }));
    let what = if available { "online" } else { "offline" };
    assert!(
        seen.is_some(),
        "{} did not see {jid} go {what}",
        watcher.jid()
    );
}

/// A second account is added from the accounts dialog, disabled (its
/// contacts see it go offline), enabled again and removed, while the first
/// stays signed in.
#[test]
fn adds_disables_and_removes_an_account() {
    let Some(python) = prerequisites(TOOLS) else {
        return;
    };
    let server = TestServer::builder()
        .accounts(&[("alice", "pw-a"), ("bob", "pw-b"), ("zoe", "pw-z")])
        .name("alice", "Alice")
        .name("bob", "Bob")
        .name("zoe", "Zoe")
        .contacts("alice", "bob")
        .contacts("zoe", "bob")
        .start();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    // Bob watches both accounts' presence.
    let mut bob = runtime.block_on(async {
        let mut bob = RawClient::connect(&server, "bob", "pw-b").await;
        bob.send_initial_presence().await;
        bob
    });
    let zoe = server.jid("zoe");

    let home = tempfile::tempdir().expect("temp dir");
    let mut command = signed_in_driver(
        &python,
        "accounts.py",
        home.path(),
        &server,
        "alice",
        "pw-a",
    );
    command
        .env("WARBLER_UI_SECOND_ACCOUNT", &zoe)
        .env("WARBLER_UI_SECOND_PASSWORD", "pw-z");
    let passed = run_driver(command, |line| {
        let available = match line {
            "disabled" | "removed" => false,
            "enabled" => true,
            _ => return None,
        };
        expect_presence(&runtime, &mut bob, &zoe, available);
        Some("presence-seen".to_owned())
    });
    assert!(
        passed,
        "the accounts test failed; server log:\n{}",
        server.log_tail(40)
    );
    runtime.block_on(bob.close());
}

/// At 360 px the layout folds: the chat list fills the window, opening a
/// chat replaces it, and Back returns to the list.
#[test]
fn narrow_window_shows_one_pane() {
    let tools: Vec<&str> = TOOLS.iter().copied().chain(["xdotool"]).collect();
    let Some(python) = prerequisites(&tools) else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let (server, mut bob) = alice_and_bob_online(&runtime);
    let incoming = token("narrow");
    let alice = server.jid("alice");

    let home = tempfile::tempdir().expect("temp dir");
    let mut command = signed_in_driver(&python, "narrow.py", home.path(), &server, "alice", "pw-a");
    command.env("WARBLER_UI_INCOMING", &incoming);
    let passed = run_driver(command, |line| {
        if line == "signed-in" {
            runtime.block_on(bob.send_message(&alice, &format!("Hello from afar {incoming}")));
        }
        None
    });
    assert!(
        passed,
        "the narrow layout test failed; server log:\n{}",
        server.log_tail(40)
    );
    runtime.block_on(bob.close());
}
