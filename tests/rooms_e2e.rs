//! Group chats against a real Prosody on 127.0.0.1 with a MUC component
//! (`conference.localhost`, with room archives): creating and configuring
//! rooms, talking, nick changes, moderation (of occupants and of
//! messages), member lists, destroying rooms, invitations, bookmarks across
//! devices (legacy ones in `rooms_e2e/legacy_bookmarks.rs`), archive history
//! after a reconnect, self-ping recovery, private messages between
//! occupants (`rooms_e2e/private.rs`) and occupants with emoji in their
//! nicknames (`rooms_e2e/emoji_nicks.rs`).
//!
//! Warbler's core plays the users under test; raw clients play the others.
//! Needs a Secret Service on the session bus (the test command runs one).

mod support;

#[path = "rooms_e2e/emoji_nicks.rs"]
mod emoji_nicks;
#[path = "rooms_e2e/legacy_bookmarks.rs"]
mod legacy_bookmarks;
#[path = "rooms_e2e/private.rs"]
mod private;

use std::time::Duration;

use support::core::{Client, body_of};
use support::muc::room_jid;
use support::prosody::TestServer;
use support::raw_client::RawClient;
use support::xml;
use warbler::model::{
    Affiliation, DeliveryState, Direction, FieldKind, OccupantChange, Role, RoomError, RoomExit,
    RoomState,
};
use warbler::session::{Command, Event};

fn server() -> TestServer {
    TestServer::builder()
        .accounts(&[("alice", "pw-a"), ("bob", "pw-b"), ("carol", "pw-c")])
        .muc(true)
        .start()
}

/// Alice creates a room, Bob joins; they talk both ways, Alice's message is
/// confirmed by the room's echo, Bob's mention of Alice arrives with his
/// nickname, occupant id and the room's archive id, and Alice sets the
/// subject.
#[tokio::test(flavor = "multi_thread")]
async fn create_join_and_talk() {
    let server = server();
    let root = tempfile::tempdir().expect("temp");
    let room = room_jid(&server, "team");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    let joined = alice.join_room(&room, "Alice").await;
    assert_eq!(
        joined.affiliation,
        Affiliation::Owner,
        "the creator owns the room"
    );
    assert_eq!(joined.role, Role::Moderator);
    assert!(joined.bookmarked && joined.autojoin);
    // Once created, the room reports its archive.
    alice
        .wait(|e| matches!(e, Event::RoomUpdated { room: r } if r.room == room && r.archived))
        .await;

    let mut bob = RawClient::connect(&server, "bob", "pw-b").await;
    bob.join_room(room.as_str(), "Bob").await;
    let arrived = alice
        .wait(|e| {
            matches!(e, Event::OccupantChanged { change: OccupantChange::Updated { occupant }, .. }
                if occupant.nick == "Bob")
        })
        .await;
    let Event::OccupantChanged {
        change: OccupantChange::Updated { occupant },
        ..
    } = arrived
    else {
        unreachable!()
    };
    assert!(
        occupant.occupant_id.is_some(),
        "the room gives occupant ids"
    );
    assert_eq!(occupant.role, Role::Participant);

    alice.say(room.clone(), "Hello <b>team</b>");
    let got = bob.expect_message_containing("Hello <b>team</b>").await;
    assert_eq!(got.attr("type"), Some("groupchat"));
    assert_eq!(got.attr("from"), Some(format!("{room}/Alice").as_str()));
    alice
        .wait(|e| {
            matches!(e, Event::MessageStateChanged { peer, state: DeliveryState::Delivered, .. }
                if *peer == room)
        })
        .await;

    bob.say_in_room(room.as_str(), "alice: look at this").await;
    let event = alice
        .wait(|e| body_of(e) == Some("alice: look at this"))
        .await;
    let Event::MessageAdded { message } = event else {
        unreachable!()
    };
    assert_eq!(message.peer, room);
    assert_eq!(message.direction, Direction::Incoming);
    let info = message.room.expect("a room message");
    assert_eq!(info.nick, "Bob");
    assert_eq!(info.occupant_id, occupant.occupant_id);
    assert!(info.server_id.is_some(), "the room's archive id is kept");
    assert!(warbler::model::mentions(&message.body, "Alice"));

    alice.send(Command::SetRoomSubject {
        account: alice.jid.clone(),
        room: room.clone(),
        subject: "Release on Friday".into(),
    });
    let updated = alice
        .wait(|e| {
            matches!(e, Event::RoomUpdated { room: r }
                if r.subject.as_deref() == Some("Release on Friday"))
        })
        .await;
    drop(updated);
    bob.wait_for(Duration::from_secs(10), |e| {
        xml::child_text(e, "subject").as_deref() == Some("Release on Friday")
    })
    .await
    .expect("Bob sees the new subject");

    // The history holds both messages, in order, with their senders.
    let history = alice.history(room.clone()).await;
    let lines: Vec<(String, String)> = history
        .iter()
        .map(|m| {
            (
                m.room.as_ref().map(|r| r.nick.clone()).unwrap_or_default(),
                m.body.clone(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            ("Alice".to_owned(), "Hello <b>team</b>".to_owned()),
            ("Bob".to_owned(), "alice: look at this".to_owned())
        ]
    );
    bob.close().await;
    alice.shutdown().await;
}

/// Alice creates a reserved room and configures it members-only with a
/// password through the configuration form; Bob is refused as a
/// non-member, then Alice's invitation makes him a member and he joins.
#[tokio::test(flavor = "multi_thread")]
async fn members_only_room_with_password_and_invitation() {
    let server = server();
    let root = tempfile::tempdir().expect("temp");
    let room = room_jid(&server, "private");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    alice.ask_to_join(&room, Some("Alice"), None);
    let form = match alice.wait(|e| matches!(e, Event::RoomForm { .. })).await {
        Event::RoomForm {
            form, registration, ..
        } => {
            assert!(!registration);
            form
        }
        _ => unreachable!(),
    };
    let mut filled = form.clone();
    for field in &mut filled.fields {
        match field.var.as_deref() {
            Some("muc#roomconfig_membersonly") | Some("muc#roomconfig_passwordprotectedroom") => {
                assert_eq!(field.kind, FieldKind::Boolean);
                field.values = vec!["1".into()];
            }
            Some("muc#roomconfig_roomsecret") => field.values = vec!["s3cret".into()],
            Some("muc#roomconfig_roomname") => field.values = vec!["Private team".into()],
            _ => {}
        }
    }
    alice.send(Command::SubmitRoomConfig {
        account: alice.jid.clone(),
        room: room.clone(),
        form: Some(filled),
    });
    alice
        .wait(|e| matches!(e, Event::RoomActionDone { room: r, .. } if *r == room))
        .await;
    let configured = alice
        .wait(|e| matches!(e, Event::RoomUpdated { room: r } if r.members_only))
        .await;
    let Event::RoomUpdated { room: summary } = configured else {
        unreachable!()
    };
    assert_eq!(summary.name.as_deref(), Some("Private team"));

    let mut bob = Client::sign_in(&server, root.path(), "bob", "pw-b").await;
    bob.ask_to_join(&room, Some("Bob"), Some("s3cret"));
    let refused = bob
        .room_state(&room, |s| matches!(s, RoomState::Failed { .. }))
        .await;
    assert_eq!(
        refused.state,
        RoomState::Failed {
            error: RoomError::MembersOnly
        }
    );

    alice.send(Command::InviteToRoom {
        account: alice.jid.clone(),
        room: room.clone(),
        invitee: bob.jid.clone(),
        reason: Some("Join us".into()),
    });
    let invitation = match bob
        .wait(|e| matches!(e, Event::InvitationReceived { .. }))
        .await
    {
        Event::InvitationReceived { invitation } => invitation,
        _ => unreachable!(),
    };
    assert_eq!(invitation.room, room);
    // Prosody relays it from Alice's address in the room (semi-anonymous).
    assert!(
        invitation.from == alice.jid || invitation.inviter_nick.as_deref() == Some("Alice"),
        "the invitation names Alice: {invitation:?}"
    );
    assert_eq!(invitation.password.as_deref(), Some("s3cret"));
    assert_eq!(invitation.reason.as_deref(), Some("Join us"));
    bob.send(Command::AnswerInvitation {
        invitation,
        accept: true,
    });
    let joined = bob.room_state(&room, |s| *s == RoomState::Joined).await;
    assert_eq!(joined.affiliation, Affiliation::Member);
    bob.shutdown().await;
    alice.shutdown().await;
}

/// The room forgets Alice without telling her (as after the MUC service
/// restarted): the self-ping (XEP-0410) notices and Alice is back in the
/// room, and Bob sees her return.
#[tokio::test(flavor = "multi_thread")]
async fn self_ping_rejoins_a_room_that_dropped_us() {
    let server = server();
    let root = tempfile::tempdir().expect("temp");
    let room = room_jid(&server, "flaky");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    alice.join_room(&room, "Alice").await;
    let mut bob = RawClient::connect(&server, "bob", "pw-b").await;
    bob.join_room(room.as_str(), "Bob").await;

    // Remove Alice's occupant from the room's memory, telling nobody.
    let output = server.shell_lua(&format!(
        "local room = prosody.hosts['{}'].modules.muc.get_room_from_jid('{room}'); \
         local occupant = room:get_occupant_by_nick('{room}/Alice'); \
         for jid in occupant:each_session() do occupant:remove_session(jid) end; \
         room:save_occupant(occupant); return 'dropped'",
        server.muc_domain()
    ));
    assert!(
        output.contains("Result: dropped"),
        "the room forgot Alice: {output}"
    );
    // Alice's core notices within its check interval and joins again.
    alice.room_state(&room, |s| *s == RoomState::Joining).await;
    alice.room_state(&room, |s| *s == RoomState::Joined).await;
    bob.wait_for(Duration::from_secs(10), |e| {
        e.name() == "presence"
            && e.attr("from") == Some(format!("{room}/Alice").as_str())
            && e.attr("type").is_none()
    })
    .await
    .expect("Bob sees Alice come back");
    bob.close().await;
    alice.shutdown().await;
}

/// Bob changes his nickname: Alice sees a rename that keeps his occupant
/// id. As moderator Alice revokes and grants his voice, kicks him with a
/// reason, and bans him, and Bob sees each for what it is.
#[tokio::test(flavor = "multi_thread")]
async fn nick_change_and_moderation() {
    let server = server();
    let root = tempfile::tempdir().expect("temp");
    let room = room_jid(&server, "moderated");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    alice.join_room(&room, "Alice").await;
    let mut bob = Client::sign_in(&server, root.path(), "bob", "pw-b").await;
    bob.join_room(&room, "Bob").await;
    let first_id = match alice
        .wait(|e| matches!(e, Event::OccupantChanged { change: OccupantChange::Updated { occupant }, .. } if occupant.nick == "Bob"))
        .await
    {
        Event::OccupantChanged {
            change: OccupantChange::Updated { occupant },
            ..
        } => occupant.occupant_id.expect("occupant id"),
        _ => unreachable!(),
    };

    bob.send(Command::SetRoomNick {
        account: bob.jid.clone(),
        room: room.clone(),
        nick: "Robert".into(),
    });
    let renamed = alice
        .wait(|e| {
            matches!(
                e,
                Event::OccupantChanged {
                    change: OccupantChange::Renamed { .. },
                    ..
                }
            )
        })
        .await;
    let Event::OccupantChanged {
        change: OccupantChange::Renamed { old_nick, occupant },
        ..
    } = renamed
    else {
        unreachable!()
    };
    assert_eq!(old_nick, "Bob");
    assert_eq!(occupant.nick, "Robert");
    assert_eq!(occupant.occupant_id.as_deref(), Some(first_id.as_str()));
    bob.wait(|e| matches!(e, Event::RoomUpdated { room: r } if r.nick == "Robert"))
        .await;

    // Voice: revoked, then granted again.
    for role in [Role::Visitor, Role::Participant] {
        alice.send(Command::SetOccupantRole {
            account: alice.jid.clone(),
            room: room.clone(),
            nick: "Robert".into(),
            role,
            reason: None,
        });
        alice
            .wait(|e| matches!(e, Event::RoomActionDone { .. }))
            .await;
        bob.wait(|e| matches!(e, Event::RoomUpdated { room: r } if r.role == role))
            .await;
    }

    alice.send(Command::SetOccupantRole {
        account: alice.jid.clone(),
        room: room.clone(),
        nick: "Robert".into(),
        role: Role::None,
        reason: Some("Too loud".into()),
    });
    let kicked = bob
        .room_state(&room, |s| matches!(s, RoomState::Exited { .. }))
        .await;
    assert_eq!(
        kicked.state,
        RoomState::Exited {
            exit: RoomExit::Kicked {
                reason: Some("Too loud".into())
            }
        }
    );
    alice
        .wait(|e| {
            matches!(
                e,
                Event::OccupantChanged {
                    change: OccupantChange::Left {
                        exit: RoomExit::Kicked { .. },
                        ..
                    },
                    ..
                }
            )
        })
        .await;

    bob.join_room(&room, "Robert").await;
    alice.send(Command::SetAffiliation {
        account: alice.jid.clone(),
        room: room.clone(),
        jid: bob.jid.clone(),
        affiliation: Affiliation::Outcast,
        reason: Some("Spam".into()),
    });
    let banned = bob
        .room_state(&room, |s| matches!(s, RoomState::Exited { .. }))
        .await;
    assert_eq!(
        banned.state,
        RoomState::Exited {
            exit: RoomExit::Banned {
                reason: Some("Spam".into())
            }
        }
    );
    alice.send(Command::RequestAffiliationList {
        account: alice.jid.clone(),
        room: room.clone(),
        affiliation: Affiliation::Outcast,
    });
    let list = alice
        .wait(|e| matches!(e, Event::AffiliationList { .. }))
        .await;
    let Event::AffiliationList { users, .. } = list else {
        unreachable!()
    };
    let jids: Vec<_> = users.into_iter().map(|u| u.jid).collect();
    assert_eq!(jids, vec![bob.jid.clone()]);

    // A banned user who tries again is told so.
    bob.ask_to_join(&room, None, None);
    let refused = bob
        .room_state(&room, |s| matches!(s, RoomState::Failed { .. }))
        .await;
    assert_eq!(
        refused.state,
        RoomState::Failed {
            error: RoomError::Banned
        }
    );
    bob.shutdown().await;
    alice.shutdown().await;
}

/// A room joined with a bookmark on one device is joined on the user's
/// other device too: live while it is online, and on sign-in.
#[tokio::test(flavor = "multi_thread")]
async fn bookmarked_rooms_follow_the_user_across_devices() {
    let server = server();
    let root = tempfile::tempdir().expect("temp");
    let laptop_dir = root.path().join("laptop");
    let phone_dir = root.path().join("phone");
    let mut laptop = Client::sign_in(&server, &laptop_dir, "alice", "pw-a").await;
    let mut phone = Client::sign_in(&server, &phone_dir, "alice", "pw-a").await;
    // The rooms exist already (two devices creating one room at the same
    // moment is another story).
    let live = room_jid(&server, "live");
    let later = room_jid(&server, "later");
    let mut bob = RawClient::connect(&server, "bob", "pw-b").await;
    bob.join_room(live.as_str(), "Bob").await;
    bob.join_room(later.as_str(), "Bob").await;
    // The server pushes bookmark changes to the phone once it has read the
    // phone's capabilities (a disco#info round trip after its presence).
    tokio::time::sleep(Duration::from_secs(1)).await;
    laptop.join_room(&live, "Alice").await;
    let joined = phone.room_state(&live, |s| *s == RoomState::Joined).await;
    assert!(joined.bookmarked && joined.autojoin);

    // Sign-in on a fresh device joins bookmarked rooms.
    phone.shutdown().await;
    laptop.join_room(&later, "Alice").await;
    let mut tablet = Client::sign_in(&server, &root.path().join("tablet"), "alice", "pw-a").await;
    let mut seen = std::collections::HashSet::new();
    while seen.len() < 2 {
        if let Event::RoomUpdated { room } = tablet
            .wait(|e| matches!(e, Event::RoomUpdated { room } if room.state == RoomState::Joined))
            .await
        {
            seen.insert(room.room.clone());
        }
    }
    assert!(seen.contains(&live) && seen.contains(&later));

    // Leaving and forgetting on one device leaves on the others.
    laptop.send(Command::LeaveRoom {
        account: laptop.jid.clone(),
        room: live.clone(),
        forget: true,
    });
    tablet
        .wait(|e| matches!(e, Event::RoomRemoved { room, .. } if *room == live))
        .await;
    bob.close().await;
    tablet.shutdown().await;
    laptop.shutdown().await;
}

/// History comes from the room's archive: the messages before Alice
/// joined, then after a restart the ones she missed, each exactly once.
#[tokio::test(flavor = "multi_thread")]
async fn archive_fills_history_without_duplicates() {
    let server = server();
    let root = tempfile::tempdir().expect("temp");
    let room = room_jid(&server, "archive");
    let mut bob = RawClient::connect(&server, "bob", "pw-b").await;
    bob.join_room(room.as_str(), "Bob").await;
    for n in 1..=5 {
        bob.say_in_room(room.as_str(), &format!("before {n}")).await;
    }
    // Let the room archive them.
    bob.expect_message_containing("before 5").await;

    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    alice.join_room(&room, "Alice").await;
    alice.wait(|e| body_of(e) == Some("before 5")).await;
    alice.say(room.clone(), "hi from alice");
    alice
        .wait(|e| {
            matches!(
                e,
                Event::MessageStateChanged {
                    state: DeliveryState::Delivered,
                    ..
                }
            )
        })
        .await;
    alice.shutdown().await;

    for n in 1..=3 {
        bob.say_in_room(room.as_str(), &format!("missed {n}")).await;
    }
    bob.expect_message_containing("missed 3").await;

    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    alice.room_state(&room, |s| *s == RoomState::Joined).await;
    alice.wait(|e| body_of(e) == Some("missed 3")).await;
    // Give the catch-up time to finish, then read the stored history.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let bodies: Vec<String> = alice
        .history(room.clone())
        .await
        .into_iter()
        .map(|m| m.body)
        .collect();
    assert_eq!(
        bodies,
        vec![
            "before 1",
            "before 2",
            "before 3",
            "before 4",
            "before 5",
            "hi from alice",
            "missed 1",
            "missed 2",
            "missed 3"
        ]
    );
    bob.close().await;
    alice.shutdown().await;
}

/// Whether an event is a room action's outcome in `room`.
fn room_outcome(event: &Event, room: &warbler::model::BareJid) -> bool {
    matches!(event, Event::RoomActionDone { room: r, .. } | Event::RoomActionFailed { room: r, .. }
        if r == room)
}

/// Alice, owner and so moderator, removes Bob's message with a reason: her
/// core reports the message changed and blanks its stored text, Bob sees
/// the room's moderation notice, and Carol, who joins later, gets only the
/// archive's tombstone. Carol, a participant, may not remove messages.
#[tokio::test(flavor = "multi_thread")]
async fn moderators_remove_messages_for_everyone() {
    let server = server();
    let root = tempfile::tempdir().expect("temp");
    let room = room_jid(&server, "tidy");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    let joined = alice.join_room(&room, "Alice").await;
    assert_eq!(joined.role, Role::Moderator);
    alice
        .wait(|e| matches!(e, Event::RoomUpdated { room: r } if r.room == room && r.archived))
        .await;
    let mut bob = RawClient::connect(&server, "bob", "pw-b").await;
    bob.join_room(room.as_str(), "Bob").await;
    bob.say_in_room(room.as_str(), "buy cheap watches").await;
    let Event::MessageAdded { message } = alice
        .wait(|e| body_of(e) == Some("buy cheap watches"))
        .await
    else {
        unreachable!()
    };
    let server_id = message
        .room
        .as_ref()
        .and_then(|r| r.server_id.clone())
        .expect("the room's archive id");

    alice.send(Command::ModerateMessage {
        account: alice.jid.clone(),
        room: room.clone(),
        message: message.id,
        reason: Some("Spam".into()),
    });
    // The room announces the removal before it answers the request.
    let (mut done, mut changed) = (false, None);
    while !done || changed.is_none() {
        match alice
            .wait(|e| room_outcome(e, &room) || matches!(e, Event::MessageChanged { .. }))
            .await
        {
            Event::MessageChanged { message } => changed = Some(message),
            Event::RoomActionDone { .. } => done = true,
            refused => panic!("the room refused: {refused:?}"),
        }
    }
    let changed = changed.expect("the message changed");
    assert_eq!(changed.id, message.id);
    assert!(changed.body.is_empty(), "the text is gone");
    let moderation = changed
        .room
        .as_ref()
        .and_then(|r| r.moderated.clone())
        .expect("marked as moderated");
    assert_eq!(moderation.reason.as_deref(), Some("Spam"));
    assert_eq!(moderation.by.as_deref(), Some("Alice"));
    let stored = alice.history(room.clone()).await;
    let stored = stored
        .iter()
        .find(|m| m.id == message.id)
        .expect("still in the history");
    assert!(stored.body.is_empty(), "the store keeps no text");
    assert!(stored.room.as_ref().is_some_and(|r| r.moderated.is_some()));

    // Bob gets the room's notice naming the message and the reason.
    let notice = bob
        .wait_for(Duration::from_secs(10), |e| {
            e.name() == "message"
                && e.attr("from") == Some(room.as_str())
                && e.children().any(|c| {
                    c.attr("id") == Some(server_id.as_str())
                        && c.children().any(|m| m.name() == "moderated")
                })
        })
        .await
        .expect("Bob gets the moderation notice");
    let text = String::from(&notice);
    assert!(
        text.contains("Spam"),
        "the notice carries the reason: {text}"
    );

    // Carol joins afterwards: the archive gives her the tombstone only.
    let mut carol = Client::sign_in(&server, root.path(), "carol", "pw-c").await;
    carol.join_room(&room, "Carol").await;
    let Event::MessageAdded { message: archived } = carol
        .wait(|e| {
            matches!(e, Event::MessageAdded { message }
                if message.room.as_ref().is_some_and(|r| r.server_id.as_deref() == Some(server_id.as_str())))
        })
        .await
    else {
        unreachable!()
    };
    assert!(
        !archived.body.contains("watches"),
        "the archive must not give the removed text"
    );
    assert_eq!(
        archived
            .room
            .as_ref()
            .and_then(|r| r.moderated.as_ref())
            .and_then(|m| m.reason.as_deref()),
        Some("Spam")
    );

    // Carol is no moderator: the room refuses her.
    bob.say_in_room(room.as_str(), "second thoughts").await;
    let Event::MessageAdded { message: second } =
        carol.wait(|e| body_of(e) == Some("second thoughts")).await
    else {
        unreachable!()
    };
    carol.send(Command::ModerateMessage {
        account: carol.jid.clone(),
        room: room.clone(),
        message: second.id,
        reason: None,
    });
    let outcome = carol.wait(|e| room_outcome(e, &room)).await;
    assert!(
        matches!(
            outcome,
            Event::RoomActionFailed {
                error: RoomError::Forbidden,
                ..
            }
        ),
        "a participant's removal is refused as forbidden: {outcome:?}"
    );
    bob.close().await;
    carol.shutdown().await;
    alice.shutdown().await;
}

/// Alice, the owner, adds Carol to the member list, sees her in it,
/// removes her again and no longer sees her; a ban keeps its reason where
/// the room tells it.
#[tokio::test(flavor = "multi_thread")]
async fn owners_edit_the_member_list() {
    let server = server();
    let root = tempfile::tempdir().expect("temp");
    let room = room_jid(&server, "club");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    alice.join_room(&room, "Alice").await;
    let carol = support::core::jid("carol@localhost");
    let members = async |alice: &mut Client| {
        alice.send(Command::RequestAffiliationList {
            account: alice.jid.clone(),
            room: room.clone(),
            affiliation: Affiliation::Member,
        });
        let list = alice
            .wait(|e| {
                matches!(
                    e,
                    Event::AffiliationList {
                        affiliation: Affiliation::Member,
                        ..
                    }
                )
            })
            .await;
        let Event::AffiliationList { users, .. } = list else {
            unreachable!()
        };
        users.into_iter().map(|u| u.jid).collect::<Vec<_>>()
    };
    assert!(members(&mut alice).await.is_empty());

    for affiliation in [Affiliation::Member, Affiliation::None] {
        alice.send(Command::SetAffiliation {
            account: alice.jid.clone(),
            room: room.clone(),
            jid: carol.clone(),
            affiliation,
            reason: Some("Welcome".into()),
        });
        let outcome = alice.wait(|e| room_outcome(e, &room)).await;
        assert!(
            matches!(outcome, Event::RoomActionDone { .. }),
            "the room refused: {outcome:?}"
        );
        let listed = members(&mut alice).await;
        if affiliation == Affiliation::Member {
            assert_eq!(listed, vec![carol.clone()]);
        } else {
            assert!(listed.is_empty(), "Carol is still listed: {listed:?}");
        }
    }
    alice.shutdown().await;
}

/// Alice destroys her room with a reason and the room where the talk goes
/// on: Bob is told both, and Alice's room and bookmark are gone.
#[tokio::test(flavor = "multi_thread")]
async fn owners_destroy_rooms() {
    let server = server();
    let root = tempfile::tempdir().expect("temp");
    let room = room_jid(&server, "old-place");
    let venue = room_jid(&server, "new-place");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    alice.join_room(&room, "Alice").await;
    let mut bob = Client::sign_in(&server, root.path(), "bob", "pw-b").await;
    bob.join_room(&room, "Bob").await;
    let mut own = RawClient::connect(&server, "alice", "pw-a").await;
    let bookmarked = async |own: &mut RawClient| {
        let answer = own
            .iq(
                "get",
                None,
                "<pubsub xmlns='http://jabber.org/protocol/pubsub'>\
                 <items node='urn:xmpp:bookmarks:1'/></pubsub>",
            )
            .await;
        String::from(&answer).contains(&format!("id='{room}'"))
            || String::from(&answer).contains(&format!("id=\"{room}\""))
    };
    assert!(bookmarked(&mut own).await, "joining bookmarked the room");

    alice.send(Command::DestroyRoom {
        account: alice.jid.clone(),
        room: room.clone(),
        reason: Some("We moved".into()),
        alternative: Some(venue.clone()),
    });
    let gone = bob
        .room_state(&room, |s| matches!(s, RoomState::Exited { .. }))
        .await;
    assert_eq!(
        gone.state,
        RoomState::Exited {
            exit: RoomExit::Destroyed {
                reason: Some("We moved".into()),
                alternative: Some(venue.clone()),
            }
        }
    );
    let outcome = alice.wait(|e| room_outcome(e, &room)).await;
    assert!(
        matches!(outcome, Event::RoomActionDone { .. }),
        "the room refused: {outcome:?}"
    );
    alice
        .wait(|e| matches!(e, Event::RoomRemoved { room: r, .. } if *r == room))
        .await;
    let mut still = true;
    for _ in 0..20 {
        still = bookmarked(&mut own).await;
        if !still {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(!still, "the bookmark of the destroyed room is still there");
    own.close().await;
    bob.shutdown().await;
    alice.shutdown().await;
}
