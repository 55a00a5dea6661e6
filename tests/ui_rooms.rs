//! UI test of group chats: Alice joins a room from the "Join Room" dialog,
//! sees its subject (as plain text) and who is in it, writes to it, sees
//! someone join and a message that mentions her highlighted, and completes
//! a nickname, while Bob, Carol, Dave and Erin (raw clients) are in the
//! room.
//!
//! A second test browses the conference service's public rooms (30 of
//! them, listed ten at a time), searches them, loads more and joins one
//! from the directory; the server's second service is a pick away. A third has Alice moderate a room she owns
//! (`tests/ui/moderation.py`).
//!
//! Runs like the other UI tests (see `ui_manage.rs`): a test Prosody with
//! its conference component, the real `warbler` binary under Xvfb driven
//! over AT-SPI by `tests/ui/rooms.py`, `tests/ui/directory.py` and
//! `tests/ui/moderation.py`.
//! Screenshots: `tests/screenshots/4x-…`.

mod support;

use std::time::Duration;

use support::ui::{TOOLS, prerequisites, run_driver, signed_in_driver, token};
use support::{RawClient, TestServer};

/// How long the room's traffic may take to arrive.
const WAIT: Duration = Duration::from_secs(20);

/// The room's subject.
const SUBJECT: &str = "Release <b>1.0</b> this week & notes";

#[test]
fn joins_a_room_writes_and_sees_mentions() {
    let Some(python) = prerequisites(TOOLS) else {
        return;
    };
    let server = TestServer::builder()
        .accounts(&[
            ("alice", "pw-a"),
            ("bob", "pw-b"),
            ("carol", "pw-c"),
            ("dave", "pw-d"),
            ("erin", "pw-e"),
        ])
        .name("alice", "Alice")
        .muc(true)
        .start();
    let room = format!("team@{}", server.muc_domain());
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    // Bob creates the room; Carol and Dave join it.
    let mut others: Vec<(RawClient, &str)> = runtime.block_on(async {
        let mut joined = Vec::new();
        for (user, password, nick) in [
            ("bob", "pw-b", "Bob"),
            ("carol", "pw-c", "Carol"),
            ("dave", "pw-d", "Dave"),
        ] {
            let mut client = RawClient::connect(&server, user, password).await;
            client.send_initial_presence().await;
            client.join_room(&room, nick).await;
            joined.push((client, nick));
        }
        // Bob, who created the room, sets its subject (with characters
        // that would be markup).
        joined[0]
            .0
            .send(&format!(
                "<message type='groupchat' to='{room}'><subject>{}</subject></message>",
                support::xml::escape(SUBJECT)
            ))
            .await;
        joined
    });
    let sent = token("to-the-room");
    let mention = token("mention");
    let private = token("private");

    let home = tempfile::tempdir().expect("temp dir");
    let mut command = signed_in_driver(&python, "rooms.py", home.path(), &server, "alice", "pw-a");
    command
        .env("WARBLER_UI_ROOM", &room)
        .env("WARBLER_UI_SENT", &sent)
        .env("WARBLER_UI_MENTION", &mention)
        .env("WARBLER_UI_SUBJECT", SUBJECT)
        .env("WARBLER_UI_PRIVATE", &private);
    let passed = run_driver(command, |line| match line {
        "joined" => {
            let bob = &mut others[0].0;
            let seen = runtime.block_on(bob.wait_for_occupant(&room, "alice", WAIT));
            assert!(seen, "Bob did not see Alice enter the room");
            Some("seen".to_owned())
        }
        "sent" => {
            let bob = &mut others[0].0;
            let from = runtime.block_on(bob.wait_for_groupchat(&room, &sent, WAIT));
            assert_eq!(
                from.as_deref(),
                Some("alice"),
                "Bob did not get Alice's message"
            );
            runtime.block_on(async {
                // Erin comes in while Alice looks.
                let mut erin = RawClient::connect(&server, "erin", "pw-e").await;
                erin.send_initial_presence().await;
                erin.join_room(&room, "Erin").await;
                others.push((erin, "Erin"));
                for (client, nick) in others.iter_mut() {
                    let body = match *nick {
                        "Bob" => format!("alice: could you look at the release notes? {mention}"),
                        "Carol" => "The build is green again.".to_owned(),
                        "Dave" => "I will deploy after lunch.".to_owned(),
                        _ => "Hi all, I am new here!".to_owned(),
                    };
                    client.say_in_room(&room, &body).await;
                    // One after the other, as people type.
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
            });
            Some("mentioned".to_owned())
        }
        "whispered" => {
            runtime.block_on(whispered(&mut others, &room, &private));
            Some("answered".to_owned())
        }
        "typing-privately" => {
            runtime.block_on(typing_privately(&mut others, &room));
            Some("typing-back".to_owned())
        }
        _ => None,
    });
    assert!(
        passed,
        "the rooms test failed; server log:\n{}",
        server.log_tail(40)
    );
    runtime.block_on(async {
        for (client, _) in others {
            client.close().await;
        }
    });
}

/// How many public rooms the directory test creates, and how many the
/// service lists a page.
const DIRECTORY_ROOMS: usize = 30;
const DIRECTORY_PAGE: u32 = 10;

/// The name of the one room of the server's second conference service.
const OTHER_SERVICE_ROOM: &str = "Elsewhere Lounge";

/// The name of directory room `i` (one has characters that would be
/// markup).
fn directory_room_name(i: usize) -> String {
    if i == 7 {
        "Gardening & <b>Plants</b>".to_owned()
    } else {
        format!("Room {i:02}")
    }
}

#[test]
fn browses_searches_pages_and_joins_public_rooms() {
    let Some(python) = prerequisites(TOOLS) else {
        return;
    };
    let server = TestServer::builder()
        .accounts(&[("alice", "pw-a"), ("bob", "pw-b"), ("carol", "pw-c")])
        .muc(true)
        .room_directory_pages(DIRECTORY_PAGE)
        .second_muc()
        .start();
    let lounge = format!("lounge@{}", server.second_muc_domain());
    let room = |i: usize| format!("room{i:02}@{}", server.muc_domain());
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    // Bob creates and names the rooms and stays in them (they are not
    // persistent); Carol joins two, so their counts differ.
    let (mut bob, carol) = runtime.block_on(async {
        let mut bob = RawClient::connect(&server, "bob", "pw-b").await;
        bob.send_initial_presence().await;
        for i in 1..=DIRECTORY_ROOMS {
            bob.join_room(&room(i), "Bob").await;
            bob.name_room(&room(i), &directory_room_name(i)).await;
        }
        // The server's other service has one room.
        bob.join_room(&lounge, "Bob").await;
        bob.name_room(&lounge, OTHER_SERVICE_ROOM).await;
        let mut carol = RawClient::connect(&server, "carol", "pw-c").await;
        carol.send_initial_presence().await;
        for i in [7, 25] {
            carol.join_room(&room(i), "Carol").await;
        }
        (bob, carol)
    });

    let home = tempfile::tempdir().expect("temp dir");
    let mut command = signed_in_driver(
        &python,
        "directory.py",
        home.path(),
        &server,
        "alice",
        "pw-a",
    );
    command
        .env("WARBLER_UI_SERVICE", server.muc_domain())
        .env("WARBLER_UI_OTHER_SERVICE", server.second_muc_domain())
        .env("WARBLER_UI_OTHER_ROOM", OTHER_SERVICE_ROOM)
        .env("WARBLER_UI_ROOMS", DIRECTORY_ROOMS.to_string())
        .env("WARBLER_UI_PAGE", DIRECTORY_PAGE.to_string());
    let joined_room = room(25);
    let passed = run_driver(command, |line| match line {
        "joined" => {
            let seen = runtime.block_on(bob.wait_for_occupant(&joined_room, "alice", WAIT));
            assert!(seen, "Bob did not see Alice enter {joined_room}");
            Some("seen".to_owned())
        }
        _ => None,
    });
    assert!(
        passed,
        "the directory test failed; server log:\n{}",
        server.log_tail(40)
    );
    runtime.block_on(async {
        bob.close().await;
        carol.close().await;
    });
}

/// Alice wrote `token` privately to Bob: only Bob has it, as a chat
/// message from her occupant address; Bob answers privately.
async fn whispered(others: &mut [(RawClient, &str)], room: &str, token: &str) {
    let alice = format!("{room}/alice");
    let bob = &mut others[0].0;
    let got = bob
        .wait_for(WAIT, |e| {
            e.name() == "message" && support::xml::body(e).is_some_and(|b| b.contains(token))
        })
        .await
        .expect("Bob did not get Alice's private message");
    assert_eq!(got.attr("type"), Some("chat"));
    assert_eq!(got.attr("from"), Some(alice.as_str()));
    bob.send(&format!(
        "<message type='chat' to='{alice}'><body>I will tell only you.</body></message>"
    ))
    .await;
    let carol = &mut others[1].0;
    let leaked = carol
        .wait_for(Duration::from_secs(2), |e| {
            support::xml::body(e).is_some_and(|b| b.contains(token))
        })
        .await;
    assert!(leaked.is_none(), "Carol saw Alice's private message");
}

/// Alice types privately to Bob: Bob is told (from her occupant address),
/// and types back.
async fn typing_privately(others: &mut [(RawClient, &str)], room: &str) {
    const CHAT_STATES: &str = "http://jabber.org/protocol/chatstates";
    let alice = format!("{room}/alice");
    let bob = &mut others[0].0;
    let told = bob
        .wait_for(WAIT, |e| {
            e.name() == "message"
                && e.attr("from") == Some(alice.as_str())
                && e.has_child("composing", CHAT_STATES)
        })
        .await
        .expect("Bob was not told Alice types to him");
    assert_eq!(told.attr("type"), Some("chat"));
    bob.send(&format!(
        "<message type='chat' to='{alice}'><composing xmlns='{CHAT_STATES}'/></message>"
    ))
    .await;
}

/// Whether a stanza is `room`'s notice that a message was removed with
/// `reason`.
fn is_removal_notice(stanza: &xmpp_parsers::minidom::Element, room: &str, reason: &str) -> bool {
    stanza.name() == "message"
        && stanza.attr("from") == Some(room)
        && stanza.children().any(|c| {
            c.children().any(|m| m.name() == "moderated") && String::from(c).contains(reason)
        })
}

/// Whether a stanza invites to `room` with `reason`: directly (XEP-0249)
/// or through the room (XEP-0045 §7.8.2).
fn is_invitation(stanza: &xmpp_parsers::minidom::Element, room: &str, reason: &str) -> bool {
    if stanza.name() != "message" {
        return false;
    }
    let direct = stanza
        .get_child("x", "jabber:x:conference")
        .is_some_and(|x| x.attr("jid") == Some(room) && x.attr("reason") == Some(reason));
    let mediated = stanza.attr("from") == Some(room)
        && stanza
            .get_child("x", "http://jabber.org/protocol/muc#user")
            .and_then(|x| x.get_child("invite", "http://jabber.org/protocol/muc#user"))
            .and_then(|i| i.get_child("reason", "http://jabber.org/protocol/muc#user"))
            .is_some_and(|r| r.text() == reason);
    direct || mediated
}

/// UI test of moderating a room as its owner (`tests/ui/moderation.py`):
/// Alice removes Bob's message from its menu with a reason, and Bob gets
/// the room's notice; in "Members & Bans" she sees Carol among the members
/// and the ban list, is told an address is not one, and adds Dave, which
/// the room's member list then holds. She invites Dave from the room menu
/// with a reason, which Dave (a raw client) gets. Last she destroys the
/// room, which leaves her chat list, and Bob is told where the talk goes
/// on. Screenshots: `60-` to `68-…`.
#[test]
fn moderates_a_message_and_edits_the_members() {
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
        .name("alice", "Alice")
        .muc(true)
        .start();
    let room = format!("tidy@{}", server.muc_domain());
    let banned = server.jid("mallory");
    let new_member = server.jid("dave");
    let venue = format!("elsewhere@{}", server.muc_domain());
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    // Bob creates the room and makes Alice an owner and Carol a member,
    // and bans Mallory; Carol joins (Alice makes her a moderator).
    let (mut bob, carol, mut dave) = runtime.block_on(async {
        let mut bob = RawClient::connect(&server, "bob", "pw-b").await;
        bob.send_initial_presence().await;
        bob.join_room(&room, "Bob").await;
        for (jid, affiliation) in [
            (server.jid("alice"), "owner"),
            (server.jid("carol"), "member"),
            (banned.clone(), "outcast"),
        ] {
            let answer = bob
                .iq(
                    "set",
                    Some(&room),
                    &format!(
                        "<query xmlns='http://jabber.org/protocol/muc#admin'>\
                         <item affiliation='{affiliation}' jid='{jid}'/></query>"
                    ),
                )
                .await;
            assert_eq!(answer.attr("type"), Some("result"), "{affiliation} refused");
        }
        let mut carol = RawClient::connect(&server, "carol", "pw-c").await;
        carol.send_initial_presence().await;
        carol.join_room(&room, "Carol").await;
        // Dave is online, not in the room: Alice invites him.
        let mut dave = RawClient::connect(&server, "dave", "pw-d").await;
        dave.send_initial_presence().await;
        (bob, carol, dave)
    });
    let invite_reason = "We need <b>you</b> & your review";
    let spam = token("spam");
    let reason = "Off topic here";

    let home = tempfile::tempdir().expect("temp dir");
    let mut command = signed_in_driver(
        &python,
        "moderation.py",
        home.path(),
        &server,
        "alice",
        "pw-a",
    );
    command
        .env("WARBLER_UI_ROOM", &room)
        .env("WARBLER_UI_SPAM", &spam)
        .env("WARBLER_UI_REASON", reason)
        .env("WARBLER_UI_BANNED", &banned)
        .env("WARBLER_UI_NEW_MEMBER", &new_member)
        .env("WARBLER_UI_VENUE", &venue)
        .env("WARBLER_UI_INVITE_REASON", invite_reason);
    let passed = run_driver(command, |line| match line {
        "joined" => {
            runtime.block_on(async {
                assert!(
                    bob.wait_for_occupant(&room, "alice", WAIT).await,
                    "Bob did not see Alice enter the room"
                );
                bob.say_in_room(&room, &format!("buy cheap watches {spam}"))
                    .await;
            });
            Some("written".to_owned())
        }
        "removed" => {
            let notice =
                runtime.block_on(bob.wait_for(WAIT, |e| is_removal_notice(e, &room, reason)));
            assert!(notice.is_some(), "Bob did not get the room's notice");
            Some("notice-seen".to_owned())
        }
        "member-added" => {
            let list = runtime.block_on(bob.iq(
                "get",
                Some(&room),
                "<query xmlns='http://jabber.org/protocol/muc#admin'>\
                 <item affiliation='member'/></query>",
            ));
            let list = String::from(&list);
            assert!(
                list.contains(&new_member),
                "the room's members lack {new_member}: {list}"
            );
            Some("members-checked".to_owned())
        }
        "invited" => {
            let invitation =
                runtime.block_on(dave.wait_for(WAIT, |e| is_invitation(e, &room, invite_reason)));
            assert!(
                invitation.is_some(),
                "Dave did not get the invitation with its reason"
            );
            Some("invite-seen".to_owned())
        }
        "destroyed" => {
            let gone = runtime.block_on(bob.wait_for(WAIT, |e| {
                let destroy = e
                    .children()
                    .flat_map(|x| x.children())
                    .find(|c| c.name() == "destroy");
                e.name() == "presence"
                    && e.attr("type") == Some("unavailable")
                    && destroy.is_some_and(|d| {
                        d.attr("jid") == Some(venue.as_str())
                            && String::from(d).contains("Moving to a new room")
                    })
            }));
            assert!(gone.is_some(), "Bob was not told the room moved to {venue}");
            Some("destroy-seen".to_owned())
        }
        _ => None,
    });
    assert!(
        passed,
        "the moderation test failed; server log:\n{}",
        server.log_tail(40)
    );
    runtime.block_on(bob.close());
    runtime.block_on(carol.close());
    runtime.block_on(dave.close());
}
