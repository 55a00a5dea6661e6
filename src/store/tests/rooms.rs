//! Rooms: room messages (round trip, de-duplication of archived copies,
//! echoes of our own messages, moderation, archive ids), the rooms table,
//! and upgrading a database from before rooms.

use rusqlite::Connection;

use super::{count, incoming, jid, sql, store};
use crate::model::{
    DeliveryState, Direction, MessageId, Moderation, RoomMessageInfo, RoomNotify, Timestamp,
};
use crate::store::migrations::migrate_to;
use crate::store::{AccountRecord, NewMessage, RoomRecord, StoreHandle};

const ALICE: &str = "alice@example.org";
const ROOM: &str = "garden@rooms.example.org";
const OTHER_ROOM: &str = "kitchen@rooms.example.org";

/// An unread message from `nick` in `room`, archived by the room under
/// `server_id`.
fn from_room(room: &str, nick: &str, body: &str, timestamp: i64, server_id: &str) -> NewMessage {
    let mut msg = incoming(ALICE, room, body, timestamp);
    msg.room = Some(RoomMessageInfo {
        nick: nick.into(),
        occupant_id: Some(format!("occ-{nick}")),
        server_id: Some(server_id.into()),
        moderated: None,
        private_with: None,
    });
    msg
}

/// A room of Alice's with the default settings.
fn room_record(account: &str, room: &str) -> RoomRecord {
    RoomRecord {
        account: jid(account),
        room: jid(room),
        name: None,
        nick: None,
        autojoin: false,
        bookmarked: false,
        notify: RoomNotify::default(),
        joined: true,
    }
}

/// How many messages the room's chat holds.
async fn stored(store: &StoreHandle) -> usize {
    store
        .history(jid(ALICE), jid(ROOM), None, 100)
        .await
        .expect("history")
        .len()
}

#[tokio::test]
async fn a_room_message_round_trips_with_nick_occupant_id_and_server_id() {
    let store = store();
    let mut msg = from_room(ROOM, "bob", "hello garden", 5, "arch-1");
    msg.origin_id = Some("o1".into());
    let message = store
        .insert_message(msg.clone())
        .await
        .expect("insert")
        .expect("new");
    let room = message.room.clone().expect("a room message");
    assert_eq!(room.nick, "bob");
    assert_eq!(room.occupant_id.as_deref(), Some("occ-bob"));
    assert_eq!(room.server_id.as_deref(), Some("arch-1"));
    assert_eq!(room.moderated, None);
    assert_eq!(message.body, "hello garden");
    let history = store
        .history(jid(ALICE), jid(ROOM), None, 10)
        .await
        .expect("history");
    assert_eq!(history, vec![message.clone()]);
    assert_eq!(
        store.message(message.id).await.expect("message"),
        Some(message)
    );
    assert_eq!(store.message(MessageId(999)).await.expect("message"), None);
    // A one-to-one message stays one.
    let direct = store
        .insert_message(incoming(ALICE, "bob@example.org", "hi", 6))
        .await
        .expect("insert")
        .expect("new");
    assert_eq!(direct.room, None);
    let read = store.message(direct.id).await.expect("message");
    assert_eq!(read.and_then(|m| m.room), None);
}

#[tokio::test]
async fn an_archived_message_arriving_twice_is_stored_once() {
    let store = store();
    // Live, then the same message again while catching up from the archive
    // (the archive copy has another stanza id and no origin id).
    let mut live = from_room(ROOM, "bob", "see you", 1, "arch-1");
    live.stanza_id = Some("bob-stanza".into());
    live.origin_id = Some("bob-origin".into());
    assert!(store.insert_message(live).await.expect("live").is_some());
    let mut archived = from_room(ROOM, "bob", "see you", 1, "arch-1");
    archived.stanza_id = Some("mam-result-7".into());
    assert_eq!(store.insert_message(archived).await.expect("archive"), None);
    // Fetched from the archive twice (overlapping pages).
    let page = from_room(ROOM, "carol", "morning", 2, "arch-2");
    assert!(
        store
            .insert_message(page.clone())
            .await
            .expect("page")
            .is_some()
    );
    assert_eq!(store.insert_message(page).await.expect("again"), None);
    assert_eq!(stored(&store).await, 2);
    assert_eq!(
        store
            .chat(jid(ALICE), jid(ROOM))
            .await
            .expect("chat")
            .unread,
        2
    );
}

#[tokio::test]
async fn our_message_found_in_the_archive_is_not_stored_again() {
    let store = store();
    let sent = store
        .insert_outgoing_room(
            jid(ALICE),
            jid(ROOM),
            "alice".into(),
            "on my way".into(),
            "alice-origin".into(),
            Timestamp(3),
        )
        .await
        .expect("outgoing");
    assert_eq!(sent.room.as_ref().map(|r| r.nick.as_str()), Some("alice"));
    // The live echo was missed; the archive has it with the room's id.
    let mut archived = from_room(ROOM, "alice", "on my way", 3, "arch-9");
    archived.direction = Direction::Outgoing;
    archived.origin_id = Some("alice-origin".into());
    assert_eq!(store.insert_message(archived).await.expect("archive"), None);
    assert_eq!(stored(&store).await, 1);
    // The stored message now carries the room's id, so moderation and
    // catching up find it.
    let message = store
        .message(sent.id)
        .await
        .expect("message")
        .expect("kept");
    assert_eq!(
        message.room.and_then(|r| r.server_id).as_deref(),
        Some("arch-9")
    );
    assert_eq!(
        store
            .newest_room_archive_id(jid(ALICE), jid(ROOM))
            .await
            .expect("newest")
            .as_deref(),
        Some("arch-9")
    );
}

#[tokio::test]
async fn different_messages_with_the_same_body_and_nick_are_all_kept() {
    let store = store();
    // "+1" twice from the same person, even with a client that reuses its
    // stanza ids: the room archived them under different ids.
    for server_id in ["arch-1", "arch-2"] {
        let mut msg = from_room(ROOM, "bob", "+1", 1, server_id);
        msg.stanza_id = Some("same-stanza".into());
        assert!(store.insert_message(msg).await.expect("insert").is_some());
    }
    // An origin id is chosen by the sender's client: someone reusing
    // Bob's cannot hide a message the room archived separately.
    for server_id in ["arch-3", "arch-4"] {
        let mut msg = from_room(ROOM, "bob", "+1", 1, server_id);
        msg.origin_id = Some("reused-origin".into());
        assert!(store.insert_message(msg).await.expect("insert").is_some());
    }
    assert_eq!(stored(&store).await, 4);
}

#[tokio::test]
async fn the_rooms_echo_marks_our_message_delivered_and_clears_the_outbox() {
    let store = store();
    let (alice, room) = (jid(ALICE), jid(ROOM));
    let sent = store
        .insert_outgoing_room(
            alice.clone(),
            room.clone(),
            "alice".into(),
            "hi all".into(),
            "o1".into(),
            Timestamp(1),
        )
        .await
        .expect("outgoing");
    assert_eq!(sent.state, DeliveryState::Pending);
    assert_eq!(
        store.outbox(alice.clone()).await.expect("outbox"),
        vec![sent.clone()]
    );
    // Someone else's message with an origin id we do not know, and ours
    // echoed in another room: not ours.
    let echo = |room: &str, origin: &str| {
        store.confirm_room_echo(
            alice.clone(),
            jid(room),
            origin.into(),
            Some("arch-1".into()),
        )
    };
    assert_eq!(echo(ROOM, "theirs").await.expect("echo"), None);
    assert_eq!(echo(OTHER_ROOM, "o1").await.expect("echo"), None);
    assert_eq!(echo(ROOM, "o1").await.expect("echo"), Some(sent.id));
    assert!(
        store
            .outbox(alice.clone())
            .await
            .expect("outbox")
            .is_empty()
    );
    let message = store
        .message(sent.id)
        .await
        .expect("message")
        .expect("kept");
    assert_eq!(message.state, DeliveryState::Delivered);
    assert_eq!(
        message.room.and_then(|r| r.server_id).as_deref(),
        Some("arch-1")
    );
    // An echo without a server id keeps the one recorded.
    assert_eq!(
        store
            .confirm_room_echo(alice.clone(), room, "o1".into(), None)
            .await
            .expect("echo"),
        Some(sent.id)
    );
    let message = store
        .message(sent.id)
        .await
        .expect("message")
        .expect("kept");
    assert_eq!(
        message.room.and_then(|r| r.server_id).as_deref(),
        Some("arch-1")
    );
}

#[tokio::test]
async fn moderation_blanks_the_body_and_search_no_longer_finds_it() {
    let store = store();
    let removed = store
        .insert_message(from_room(ROOM, "troll", "buy cheap pills", 1, "arch-1"))
        .await
        .expect("insert")
        .expect("new");
    let kept = store
        .insert_message(from_room(ROOM, "bob", "cheap flights anyone?", 2, "arch-2"))
        .await
        .expect("insert")
        .expect("new");
    let found = store
        .search(jid(ALICE), "pills".into(), 10)
        .await
        .expect("search");
    assert_eq!(found.len(), 1);

    let moderation = Moderation {
        by: Some("mod".into()),
        reason: Some("spam".into()),
    };
    let moderate = |server_id: &str| {
        store.moderate_room_message(jid(ALICE), jid(ROOM), server_id.into(), moderation.clone())
    };
    assert_eq!(moderate("unknown").await.expect("moderate"), None);
    let updated = moderate("arch-1")
        .await
        .expect("moderate")
        .expect("the message");
    assert_eq!(updated.id, removed.id);
    assert_eq!(updated.body, "");
    let room = updated.room.clone().expect("a room message");
    assert_eq!(room.moderated, Some(moderation));
    assert_eq!(room.nick, "troll");
    assert_eq!(
        store.message(removed.id).await.expect("message"),
        Some(updated)
    );

    let search = |words: &str| store.search(jid(ALICE), words.into(), 10);
    assert!(search("pills").await.expect("search").is_empty());
    assert!(search("buy").await.expect("search").is_empty());
    let cheap = search("cheap").await.expect("search");
    assert_eq!(
        cheap.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![kept.id]
    );
    let text = "SELECT count(*) FROM messages WHERE body LIKE '%pills%'";
    assert_eq!(count(&store, text).await, 0);
}

#[tokio::test]
async fn a_moderated_message_from_the_archive_is_stored_without_its_text() {
    let store = store();
    let mut msg = from_room(ROOM, "troll", "buy cheap pills", 1, "arch-1");
    msg.room.as_mut().expect("room").moderated = Some(Moderation::default());
    let stored = store
        .insert_message(msg)
        .await
        .expect("insert")
        .expect("new");
    assert_eq!(stored.body, "");
    assert_eq!(
        stored.room.and_then(|r| r.moderated),
        Some(Moderation::default())
    );
    let found = store
        .search(jid(ALICE), "pills".into(), 10)
        .await
        .expect("search");
    assert!(found.is_empty());
}

#[tokio::test]
async fn archive_ids_are_those_of_the_newest_and_oldest_archived_messages() {
    let store = store();
    let (alice, room) = (jid(ALICE), jid(ROOM));
    let newest = || store.newest_room_archive_id(alice.clone(), room.clone());
    let oldest = || store.oldest_room_archive_id(alice.clone(), room.clone());
    assert_eq!(newest().await.expect("newest"), None);
    assert_eq!(oldest().await.expect("oldest"), None);

    // Stored out of order, as live messages and scroll-back interleave;
    // two share a timestamp, and the later stored one counts as newer.
    for (server_id, timestamp) in [("b", 20), ("c", 30), ("a", 10), ("d", 30)] {
        store
            .insert_message(from_room(ROOM, "bob", server_id, timestamp, server_id))
            .await
            .expect("insert");
    }
    // Messages without an archive id, and other rooms, do not count.
    let mut unarchived = from_room(ROOM, "bob", "no id", 40, "x");
    unarchived.room.as_mut().expect("room").server_id = None;
    store.insert_message(unarchived).await.expect("insert");
    for (server_id, timestamp) in [("other-new", 50), ("other-old", 1)] {
        store
            .insert_message(from_room(OTHER_ROOM, "bob", "x", timestamp, server_id))
            .await
            .expect("insert");
    }
    assert_eq!(newest().await.expect("newest").as_deref(), Some("d"));
    assert_eq!(oldest().await.expect("oldest").as_deref(), Some("a"));
}

#[tokio::test]
async fn rooms_are_upserted_listed_and_removed() {
    let store = store();
    assert!(store.rooms().await.expect("rooms").is_empty());
    let mut garden = room_record(ALICE, ROOM);
    garden.name = Some("The Garden".into());
    garden.nick = Some("alice".into());
    garden.autojoin = true;
    garden.bookmarked = true;
    garden.notify = RoomNotify::All;
    let kitchen = room_record(ALICE, OTHER_ROOM);
    let bobs = room_record("bob@example.org", ROOM);
    for rec in [bobs.clone(), kitchen.clone(), garden.clone()] {
        store.upsert_room(rec).await.expect("upsert");
    }
    assert_eq!(
        store.rooms().await.expect("rooms"),
        vec![garden.clone(), kitchen.clone(), bobs.clone()]
    );
    // One room of one account, as sending a message asks for it.
    assert_eq!(
        store.room(jid(ALICE), jid(ROOM)).await.expect("room"),
        Some(garden.clone())
    );
    assert_eq!(
        store
            .room(jid(ALICE), jid("nobody@example.org"))
            .await
            .expect("room"),
        None
    );

    garden.notify = RoomNotify::Never;
    garden.autojoin = false;
    garden.joined = false;
    garden.name = None;
    store.upsert_room(garden.clone()).await.expect("update");
    assert_eq!(
        store.rooms().await.expect("rooms"),
        vec![garden.clone(), kitchen.clone(), bobs.clone()]
    );

    // Leaving a room for good keeps its history.
    store
        .insert_message(from_room(ROOM, "bob", "bye", 1, "arch-1"))
        .await
        .expect("insert");
    store
        .remove_room(jid(ALICE), jid(ROOM))
        .await
        .expect("remove");
    assert_eq!(
        store.rooms().await.expect("rooms"),
        vec![kitchen, bobs.clone()]
    );
    assert_eq!(stored(&store).await, 1);

    // Removing the account removes its rooms, and only its rooms.
    store
        .upsert_account(AccountRecord {
            jid: jid(ALICE),
            enabled: true,
            resource: "warbler".into(),
            server: None,
            trusted_cert_sha256: None,
        })
        .await
        .expect("account");
    store.remove_account(jid(ALICE)).await.expect("remove");
    assert_eq!(store.rooms().await.expect("rooms"), vec![bobs]);
}

#[tokio::test]
async fn an_unknown_notification_setting_reads_as_the_default() {
    let store = store();
    sql(
        &store,
        "INSERT INTO rooms VALUES ('alice@example.org', 'garden@rooms.example.org',
            NULL, NULL, 0, 1, 99, 0);
         INSERT INTO rooms VALUES ('@', 'kitchen@rooms.example.org', NULL, NULL, 0, 1, 0, 0);",
    )
    .await;
    let rooms = store.rooms().await.expect("rooms");
    assert_eq!(rooms.len(), 1);
    assert_eq!(rooms[0].notify, RoomNotify::MentionsOnly);
}

#[tokio::test]
async fn a_database_from_before_rooms_keeps_its_messages() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = folder.path().join("store.sqlite");
    {
        let mut conn = Connection::open(&path).expect("open");
        migrate_to(&mut conn, 3).expect("version 3");
        conn.execute_batch(
            "INSERT INTO messages (account, peer, direction, body, timestamp, state, origin_id)
                VALUES ('alice@example.org', 'bob@example.org', 0, 'from last year', 1, 4, 'o1'),
                       ('alice@example.org', 'bob@example.org', 1, 'still pending', 2, 0, 'o2');
             INSERT INTO chats VALUES ('alice@example.org', 'bob@example.org', 2, 2, 1);
             INSERT INTO outbox VALUES (2, 'alice@example.org');",
        )
        .expect("version 3 data");
    }
    let store = StoreHandle::open(&path).expect("open and migrate");
    let history = store
        .history(jid(ALICE), jid("bob@example.org"), None, 10)
        .await
        .expect("history");
    let bodies: Vec<_> = history.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["from last year", "still pending"]);
    assert!(history.iter().all(|m| m.room.is_none()));
    assert_eq!(store.outbox(jid(ALICE)).await.expect("outbox").len(), 1);
    let found = store
        .search(jid(ALICE), "last".into(), 10)
        .await
        .expect("search");
    assert_eq!(found.len(), 1);
    // The old origin ids still de-duplicate.
    let mut copy = incoming(ALICE, "bob@example.org", "from last year", 1);
    copy.origin_id = Some("o1".into());
    assert_eq!(store.insert_message(copy).await.expect("insert"), None);
    // And rooms work on the upgraded file.
    store
        .upsert_room(room_record(ALICE, ROOM))
        .await
        .expect("room");
    assert_eq!(store.rooms().await.expect("rooms").len(), 1);
}
