//! Group chats against a real Prosody on 127.0.0.1 with a MUC component
//! (`conference.localhost`, with room archives): creating and configuring
//! rooms, talking, nick changes, moderation, invitations, bookmarks across
//! devices, archive history after a reconnect and self-ping recovery.
//!
//! Warbler's core plays the users under test; raw clients play the others.
//! Needs a Secret Service on the session bus (the test command runs one).

mod support;

use std::time::Duration;

use support::core::{Client, body_of};
use support::muc::room_jid;
use support::prosody::TestServer;
use support::raw_client::RawClient;
use support::xml;
use warbler::model::{
    Affiliation, DeliveryState, Direction, FieldKind, OccupantChange, Role, RoomError, RoomState,
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
    alice.send(Command::JoinRoom {
        account: alice.jid.clone(),
        room: room.clone(),
        nick: Some("Alice".into()),
        password: None,
        bookmark: false,
        instant: false,
    });
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
    bob.send(Command::JoinRoom {
        account: bob.jid.clone(),
        room: room.clone(),
        nick: Some("Bob".into()),
        password: Some("s3cret".into()),
        bookmark: false,
        instant: false,
    });
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
