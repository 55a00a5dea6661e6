//! Private messages in rooms (XEP-0045 §7.5): they round-trip with the
//! other occupant's nickname, wait in the outbox like other messages and
//! leave it when acknowledged or confirmed by a receipt, and the chat list
//! names who wrote the newest one.

use super::{count, incoming, jid, store};
use crate::model::{DeliveryState, Direction, Moderation, RoomMessageInfo, RoomSender, Timestamp};

const ALICE: &str = "alice@example.org";
const ROOM: &str = "garden@rooms.example.org";

#[tokio::test]
async fn an_incoming_private_message_round_trips_with_its_sender() {
    let store = store();
    let mut msg = incoming(ALICE, ROOM, "just between us", 7);
    msg.stanza_id = Some("pm-1".into());
    msg.room = Some(RoomMessageInfo {
        nick: "bob".into(),
        private_with: Some("bob".into()),
        ..RoomMessageInfo::default()
    });
    let stored = store
        .insert_message(msg.clone())
        .await
        .expect("insert")
        .expect("new");
    let history = store
        .history(jid(ALICE), jid(ROOM), None, 10)
        .await
        .expect("history");
    assert_eq!(history, vec![stored.clone()]);
    let info = stored.room.expect("a room message");
    assert_eq!(info.private_with.as_deref(), Some("bob"));
    assert_eq!(info.nick, "bob");
    // A second copy (a carbon, a resend) is a duplicate.
    assert_eq!(store.insert_message(msg).await.expect("again"), None);
    // Messages to the whole room are not private.
    let public = store
        .insert_message({
            let mut msg = incoming(ALICE, ROOM, "hello all", 8);
            msg.room = Some(RoomMessageInfo {
                nick: "bob".into(),
                ..RoomMessageInfo::default()
            });
            msg
        })
        .await
        .expect("insert")
        .expect("new");
    assert_eq!(public.room.and_then(|r| r.private_with), None);
}

#[tokio::test]
async fn an_outgoing_private_message_waits_in_the_outbox_until_delivered() {
    let store = store();
    let (alice, room) = (jid(ALICE), jid(ROOM));
    let sent = store
        .insert_outgoing_private(
            alice.clone(),
            room.clone(),
            ("alice".into(), "bob".into()),
            "psst".into(),
            "pm-origin".into(),
            Timestamp(3),
        )
        .await
        .expect("outgoing");
    assert_eq!(sent.direction, Direction::Outgoing);
    assert_eq!(sent.state, DeliveryState::Pending);
    let info = sent.room.clone().expect("a room message");
    assert_eq!(
        (info.nick.as_str(), info.private_with.as_deref()),
        ("alice", Some("bob"))
    );
    let outbox = store.outbox(alice.clone()).await.expect("outbox");
    assert_eq!(outbox, vec![sent.clone()]);

    // Bob's client confirms it (XEP-0184), naming the origin id.
    let delivered = store
        .mark_delivered(alice.clone(), room.clone(), "pm-origin".into())
        .await
        .expect("receipt");
    assert_eq!(delivered, Some(sent.id));
    assert!(
        store
            .outbox(alice.clone())
            .await
            .expect("outbox")
            .is_empty()
    );
    let stored = store.message(sent.id).await.expect("read").expect("kept");
    assert_eq!(stored.state, DeliveryState::Delivered);
    assert_eq!(
        stored.room.and_then(|r| r.private_with).as_deref(),
        Some("bob")
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM messages WHERE private_with = 'bob'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_bounce_before_the_servers_ack_stays_failed() {
    let store = store();
    let sent = store
        .insert_outgoing_private(
            jid(ALICE),
            jid(ROOM),
            ("alice".into(), "gone".into()),
            "anyone there?".into(),
            "pm-bounced".into(),
            Timestamp(4),
        )
        .await
        .expect("outgoing");
    // The room's bounce can overtake the server's XEP-0198 ack.
    assert!(
        store
            .set_state(sent.id, DeliveryState::Failed)
            .await
            .expect("failed")
    );
    assert!(
        !store
            .set_state(sent.id, DeliveryState::Sent)
            .await
            .expect("late ack")
    );
    let stored = store.message(sent.id).await.expect("read").expect("kept");
    assert_eq!(stored.state, DeliveryState::Failed);
    assert!(store.outbox(jid(ALICE)).await.expect("outbox").is_empty());
}

#[tokio::test]
async fn the_chat_list_entry_names_who_wrote_the_newest_room_message() {
    let store = store();
    let (alice, room) = (jid(ALICE), jid(ROOM));
    let summary = || store.chat(alice.clone(), room.clone());
    let from_bob = |body: &str, timestamp: i64, private: bool| {
        let mut msg = incoming(ALICE, ROOM, body, timestamp);
        msg.stanza_id = Some(format!("id-{timestamp}"));
        msg.room = Some(RoomMessageInfo {
            nick: "bob".into(),
            server_id: Some(format!("arch-{timestamp}")),
            private_with: private.then(|| "bob".into()),
            ..RoomMessageInfo::default()
        });
        msg
    };

    store
        .insert_message(from_bob("hello all", 1, false))
        .await
        .expect("insert");
    let chat = summary().await.expect("chat");
    assert_eq!(chat.last_sender, Some(RoomSender::Group("bob".into())));
    assert!(!chat.last_moderated);

    store
        .insert_message(from_bob("psst", 2, true))
        .await
        .expect("insert");
    let chat = summary().await.expect("chat");
    assert_eq!(
        chat.last_sender,
        Some(RoomSender::PrivateFrom("bob".into()))
    );

    store
        .insert_outgoing_private(
            alice.clone(),
            room.clone(),
            ("alice".into(), "bob".into()),
            "back at you".into(),
            "pm-2".into(),
            Timestamp(3),
        )
        .await
        .expect("outgoing");
    let chat = summary().await.expect("chat");
    assert_eq!(chat.last_sender, Some(RoomSender::PrivateTo("bob".into())));
    assert_eq!(chat.last_body.as_deref(), Some("back at you"));

    store
        .insert_message(from_bob("spam", 4, false))
        .await
        .expect("insert");
    let moderation = Moderation {
        by: Some("mod".into()),
        reason: None,
    };
    store
        .moderate_room_message(alice.clone(), room.clone(), "arch-4".into(), moderation)
        .await
        .expect("moderate")
        .expect("the message");
    let chat = summary().await.expect("chat");
    assert!(chat.last_moderated);
    assert_eq!(chat.last_sender, Some(RoomSender::Group("bob".into())));

    // A one-to-one chat names no room sender.
    store
        .insert_message(incoming(ALICE, "carol@example.org", "hi", 5))
        .await
        .expect("insert");
    let chat = store
        .chat(alice.clone(), jid("carol@example.org"))
        .await
        .expect("chat");
    assert_eq!((chat.last_sender, chat.last_moderated), (None, false));
}
