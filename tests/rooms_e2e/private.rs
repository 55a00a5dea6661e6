//! Private messages between occupants (XEP-0045 §7.5) through Warbler's
//! core: they reach the one occupant only, answers come back marked
//! private, one written offline is delivered after reconnecting, and one
//! to somebody who is not in the room bounces with a clear error.
//! Typing notifications (XEP-0085) go both ways between two occupants.

use std::time::Duration;

use warbler::model::{ChatState, ConnectionState, DeliveryState, Direction, RoomError};
use warbler::session::{Command, Event};
use xmpp_parsers::minidom::Element;

use super::server;
use crate::support::core::{Client, body_of};
use crate::support::muc::room_jid;
use crate::support::raw_client::RawClient;
use crate::support::xml;

const MUC_USER: &str = "http://jabber.org/protocol/muc#user";
const CHAT_STATES: &str = "http://jabber.org/protocol/chatstates";

/// Alice (Warbler's core), Bob and Carol (raw clients) in one room, Alice
/// having seen the others arrive.
struct Trio {
    room: warbler::model::BareJid,
    /// Alice's address in the room.
    alice_address: String,
    alice: Client,
    bob: RawClient,
    carol: RawClient,
}

impl Trio {
    async fn in_room(
        server: &crate::support::TestServer,
        root: &std::path::Path,
        name: &str,
    ) -> Self {
        let room = room_jid(server, name);
        let alice_address = format!("{room}/Alice");
        let mut alice = Client::sign_in(server, root, "alice", "pw-a").await;
        alice.join_room(&room, "Alice").await;
        let mut bob = RawClient::connect(server, "bob", "pw-b").await;
        bob.join_room(room.as_str(), "Bob").await;
        let mut carol = RawClient::connect(server, "carol", "pw-c").await;
        carol.join_room(room.as_str(), "Carol").await;
        alice
            .wait(|e| {
                matches!(e, Event::OccupantChanged { change: warbler::model::OccupantChange::Updated { occupant }, .. }
                    if occupant.nick == "Carol")
            })
            .await;
        Self {
            room,
            alice_address,
            alice,
            bob,
            carol,
        }
    }
}

/// Whether a stanza is a message whose body contains `token`.
fn says(element: &Element, token: &str) -> bool {
    element.name() == "message" && xml::body(element).is_some_and(|b| b.contains(token))
}

#[tokio::test(flavor = "multi_thread")]
async fn private_messages_reach_one_occupant_only() {
    let server = server();
    let root = tempfile::tempdir().expect("temp");
    let Trio {
        room,
        alice_address,
        mut alice,
        mut bob,
        mut carol,
    } = Trio::in_room(&server, root.path(), "whispers").await;

    // Alice whispers to Bob.
    alice.send(Command::SendPrivateMessage {
        account: alice.jid.clone(),
        room: room.clone(),
        nick: "Bob".into(),
        body: "psst, Bob".into(),
    });
    let Event::MessageAdded { message: sent } =
        alice.wait(|e| body_of(e) == Some("psst, Bob")).await
    else {
        unreachable!()
    };
    assert_eq!(sent.peer, room, "kept in the room's conversation");
    assert_eq!(sent.direction, Direction::Outgoing);
    let info = sent.room.clone().expect("a room message");
    assert_eq!(info.private_with.as_deref(), Some("Bob"));
    assert_eq!(info.nick, "Alice");

    let got = bob.expect_message_containing("psst, Bob").await;
    assert_eq!(got.attr("type"), Some("chat"), "a private message is chat");
    assert_eq!(got.attr("from"), Some(alice_address.as_str()));
    assert!(got.has_child("x", MUC_USER));
    assert!(got.has_child("request", "urn:xmpp:receipts"));
    // Bob's client confirms it.
    let id = got.attr("id").expect("an id").to_owned();
    bob.send(&format!(
        "<message type='chat' to='{alice_address}'><received xmlns='urn:xmpp:receipts' id='{id}'/></message>"
    ))
    .await;
    alice
        .wait(|e| {
            matches!(e, Event::MessageStateChanged { id, state: DeliveryState::Delivered, .. }
                if *id == sent.id)
        })
        .await;

    // Bob answers privately, as clients do (some without the hint).
    bob.send(&format!(
        "<message type='chat' to='{alice_address}' id='bob-1'><body>what is it?</body></message>"
    ))
    .await;
    let Event::MessageAdded { message: answer } =
        alice.wait(|e| body_of(e) == Some("what is it?")).await
    else {
        unreachable!()
    };
    assert_eq!(answer.peer, room);
    assert_eq!(answer.direction, Direction::Incoming);
    let info = answer.room.clone().expect("a room message");
    assert_eq!(
        (info.nick.as_str(), info.private_with.as_deref()),
        ("Bob", Some("Bob"))
    );

    // Carol sees the room's traffic, but neither whisper.
    alice.say(room.clone(), "public again");
    carol.expect_message_containing("public again").await;
    let leaked = carol
        .wait_for(Duration::from_secs(2), |e| {
            says(e, "psst") || says(e, "what is it")
        })
        .await;
    assert!(leaked.is_none(), "Carol saw a private message: {leaked:?}");
    // Nor did Bob get the private message as a room message.
    let as_groupchat = bob
        .wait_for(Duration::from_secs(1), |e| {
            says(e, "psst") && e.attr("type") == Some("groupchat")
        })
        .await;
    assert!(as_groupchat.is_none());

    // Written while Alice is offline: waits in the outbox, then goes to
    // Bob once she is back in the room.
    alice.send(Command::SetAccountEnabled {
        account: alice.jid.clone(),
        enabled: false,
    });
    alice
        .wait(|e| {
            matches!(
                e,
                Event::ConnectionChanged {
                    state: ConnectionState::Disabled,
                    ..
                }
            )
        })
        .await;
    alice.send(Command::SendPrivateMessage {
        account: alice.jid.clone(),
        room: room.clone(),
        nick: "Bob".into(),
        body: "written offline".into(),
    });
    let Event::MessageAdded { message: offline } =
        alice.wait(|e| body_of(e) == Some("written offline")).await
    else {
        unreachable!()
    };
    assert_eq!(offline.state, DeliveryState::Pending);
    alice.send(Command::SetAccountEnabled {
        account: alice.jid.clone(),
        enabled: true,
    });
    let got = bob.expect_message_containing("written offline").await;
    assert_eq!(got.attr("type"), Some("chat"));
    assert_eq!(got.attr("from"), Some(alice_address.as_str()));
    alice
        .wait(|e| {
            matches!(e, Event::MessageStateChanged { id, state: DeliveryState::Sent, .. }
                if *id == offline.id)
        })
        .await;
    let leaked = carol
        .wait_for(Duration::from_secs(2), |e| says(e, "written offline"))
        .await;
    assert!(leaked.is_none(), "Carol saw the offline private message");

    // To somebody who is not in the room: it bounces, and says why.
    alice.send(Command::SendPrivateMessage {
        account: alice.jid.clone(),
        room: room.clone(),
        nick: "Nobody".into(),
        body: "hello?".into(),
    });
    let failed = alice
        .wait(|e| matches!(e, Event::RoomActionFailed { .. }))
        .await;
    let Event::RoomActionFailed {
        room: from, error, ..
    } = failed
    else {
        unreachable!()
    };
    assert_eq!(from, room);
    assert_eq!(
        error,
        RoomError::PrivateMessageFailed {
            nick: "Nobody".into(),
            gone: true
        }
    );
    let history = alice.history(room.clone()).await;
    let bounced = history
        .iter()
        .find(|m| m.body == "hello?")
        .expect("kept in the history");
    assert_eq!(bounced.state, DeliveryState::Failed);
    let private: Vec<(&str, Option<&str>)> = history
        .iter()
        .filter_map(|m| {
            m.room
                .as_ref()
                .map(|r| (m.body.as_str(), r.private_with.as_deref()))
        })
        .collect();
    assert_eq!(
        private,
        vec![
            ("psst, Bob", Some("Bob")),
            ("what is it?", Some("Bob")),
            ("public again", None),
            ("written offline", Some("Bob")),
            ("hello?", Some("Nobody")),
        ]
    );

    bob.close().await;
    carol.close().await;
    alice.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn typing_notifications_between_occupants() {
    let server = server();
    let root = tempfile::tempdir().expect("temp");
    let Trio {
        room,
        alice_address,
        mut alice,
        mut bob,
        mut carol,
    } = Trio::in_room(&server, root.path(), "typing").await;

    // Bob types to Alice privately: her core names him in the room.
    bob.send(&format!(
        "<message type='chat' to='{alice_address}'><composing xmlns='{CHAT_STATES}'/></message>"
    ))
    .await;
    let typing = alice
        .wait(|e| matches!(e, Event::OccupantChatStateChanged { .. }))
        .await;
    let Event::OccupantChatStateChanged {
        room: from,
        nick,
        state,
        ..
    } = typing
    else {
        unreachable!()
    };
    assert_eq!(
        (from, nick.as_str(), state),
        (room.clone(), "Bob", ChatState::Composing)
    );

    // Alice types back: only Bob is told, from her occupant address.
    alice.send(Command::SetOccupantChatState {
        account: alice.jid.clone(),
        room: room.clone(),
        nick: "Bob".into(),
        state: ChatState::Composing,
    });
    let got = bob
        .wait_for(Duration::from_secs(10), |e| {
            e.name() == "message" && e.has_child("composing", CHAT_STATES)
        })
        .await
        .expect("Bob was told Alice types");
    assert_eq!(got.attr("type"), Some("chat"));
    assert_eq!(got.attr("from"), Some(alice_address.as_str()));
    assert!(xml::body(&got).is_none(), "a notification has no body");
    let leaked = carol
        .wait_for(Duration::from_secs(2), |e| {
            e.has_child("composing", CHAT_STATES)
        })
        .await;
    assert!(leaked.is_none(), "Carol was told Alice types: {leaked:?}");

    bob.close().await;
    carol.close().await;
    alice.shutdown().await;
}
