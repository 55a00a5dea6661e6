//! Private messages in rooms (XEP-0045 §7.5): they round-trip with the
//! other occupant's nickname, wait in the outbox like other messages and
//! leave it when acknowledged or confirmed by a receipt.

use super::{count, incoming, jid, store};
use crate::model::{DeliveryState, Direction, RoomMessageInfo, Timestamp};

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
