//! Messages: de-duplication, the outbox, delivery states and history.

use std::time::Instant;

use super::{count, incoming, jid, sql, store};
use crate::model::{DeliveryState, Direction, MessageId, Timestamp};
use crate::store::StoreHandle;

const ALICE: &str = "alice@example.org";
const BOB: &str = "bob@example.org";

#[tokio::test]
async fn insert_returns_the_stored_message() {
    let store = store();
    let mut msg = incoming(ALICE, BOB, "hello", 1_700_000_000_000);
    msg.stanza_id = Some("s1".into());
    let stored = store
        .insert_message(msg.clone())
        .await
        .expect("insert")
        .expect("new");
    assert_eq!(stored.account, msg.account);
    assert_eq!(stored.peer, msg.peer);
    assert_eq!(stored.direction, Direction::Incoming);
    assert_eq!(stored.body, "hello");
    assert_eq!(stored.timestamp, msg.timestamp);
    assert_eq!(stored.state, DeliveryState::Received);
    assert_eq!(stored.stanza_id.as_deref(), Some("s1"));
    assert_eq!(stored.origin_id, None);
    let history = store
        .history(jid(ALICE), jid(BOB), None, 10)
        .await
        .expect("history");
    assert_eq!(history, vec![stored]);
}

#[tokio::test]
async fn duplicates_by_origin_id_are_dropped() {
    let store = store();
    let mut msg = incoming(ALICE, BOB, "hello", 1);
    msg.origin_id = Some("o1".into());
    msg.stanza_id = Some("s1".into());
    assert!(
        store
            .insert_message(msg.clone())
            .await
            .expect("insert")
            .is_some()
    );
    // Same origin id: a duplicate even with another stanza id and body
    // (a carbon or an archive copy).
    let mut copy = msg.clone();
    copy.stanza_id = Some("s2".into());
    copy.body = "edited".into();
    assert_eq!(store.insert_message(copy).await.expect("insert"), None);
    // The same origin id in another chat is a different message.
    let mut other = msg.clone();
    other.peer = jid("carol@example.org");
    assert!(store.insert_message(other).await.expect("insert").is_some());
    // A different origin id with the same stanza id is not a duplicate:
    // origin ids take precedence.
    let mut different = msg;
    different.origin_id = Some("o2".into());
    assert!(
        store
            .insert_message(different)
            .await
            .expect("insert")
            .is_some()
    );
    assert_eq!(
        store.chat(jid(ALICE), jid(BOB)).await.expect("chat").unread,
        2
    );
}

#[tokio::test]
async fn duplicates_by_stanza_id_need_same_direction_and_body() {
    let store = store();
    let mut msg = incoming(ALICE, BOB, "hello", 1);
    msg.stanza_id = Some("s1".into());
    assert!(
        store
            .insert_message(msg.clone())
            .await
            .expect("insert")
            .is_some()
    );
    assert_eq!(
        store.insert_message(msg.clone()).await.expect("insert"),
        None
    );

    let mut other_body = msg.clone();
    other_body.body = "hello again".into();
    assert!(
        store
            .insert_message(other_body)
            .await
            .expect("insert")
            .is_some()
    );
    let mut other_direction = msg.clone();
    other_direction.direction = Direction::Outgoing;
    assert!(
        store
            .insert_message(other_direction)
            .await
            .expect("insert")
            .is_some()
    );
    // Without any id nothing can be recognised as a duplicate.
    let mut no_ids = msg;
    no_ids.stanza_id = None;
    assert!(
        store
            .insert_message(no_ids.clone())
            .await
            .expect("insert")
            .is_some()
    );
    assert!(
        store
            .insert_message(no_ids)
            .await
            .expect("insert")
            .is_some()
    );
    assert_eq!(count(&store, "SELECT count(*) FROM messages").await, 5);
}

#[tokio::test]
async fn outgoing_messages_wait_in_the_outbox_until_sent_or_failed() {
    let store = store();
    let (alice, bob) = (jid(ALICE), jid(BOB));
    let mut sent = Vec::new();
    for n in 0..3 {
        let msg = store
            .insert_outgoing(
                alice.clone(),
                bob.clone(),
                format!("m{n}"),
                format!("o{n}"),
                Timestamp(n),
            )
            .await
            .expect("outgoing");
        assert_eq!(msg.state, DeliveryState::Pending);
        assert_eq!(msg.direction, Direction::Outgoing);
        assert_eq!(msg.origin_id, Some(format!("o{n}")));
        sent.push(msg);
    }
    assert_eq!(store.outbox(alice.clone()).await.expect("outbox"), sent);
    assert!(store.outbox(bob.clone()).await.expect("outbox").is_empty());

    // Inserting the same origin id again is idempotent.
    let again = store
        .insert_outgoing(
            alice.clone(),
            bob.clone(),
            "m0".into(),
            "o0".into(),
            Timestamp(0),
        )
        .await
        .expect("again");
    assert_eq!(again, sent[0]);
    assert_eq!(store.outbox(alice.clone()).await.expect("outbox").len(), 3);

    store
        .set_state(sent[0].id, DeliveryState::Sent)
        .await
        .expect("sent");
    store
        .set_state(sent[2].id, DeliveryState::Failed)
        .await
        .expect("failed");
    let outbox = store.outbox(alice.clone()).await.expect("outbox");
    assert_eq!(
        outbox.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![sent[1].id]
    );
    let states: Vec<_> = store
        .history(alice, bob, None, 10)
        .await
        .expect("history")
        .iter()
        .map(|m| m.state)
        .collect();
    assert_eq!(
        states,
        vec![
            DeliveryState::Sent,
            DeliveryState::Pending,
            DeliveryState::Failed
        ]
    );
    // Unknown ids are ignored.
    store
        .set_state(MessageId(999), DeliveryState::Sent)
        .await
        .expect("unknown");
}

#[tokio::test]
async fn outbox_survives_reopening_the_file() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = folder.path().join("data").join("store.sqlite");
    let pending = {
        let store = StoreHandle::open(&path).expect("open");
        store
            .insert_outgoing(
                jid(ALICE),
                jid(BOB),
                "offline".into(),
                "o1".into(),
                Timestamp(5),
            )
            .await
            .expect("outgoing")
    };
    let store = StoreHandle::open(&path).expect("reopen");
    assert_eq!(
        store.outbox(jid(ALICE)).await.expect("outbox"),
        vec![pending]
    );
}

#[tokio::test]
async fn receipts_mark_outgoing_messages_delivered() {
    let store = store();
    let (alice, bob) = (jid(ALICE), jid(BOB));
    let by_origin = store
        .insert_outgoing(
            alice.clone(),
            bob.clone(),
            "one".into(),
            "o1".into(),
            Timestamp(1),
        )
        .await
        .expect("outgoing");
    let mut carbon = incoming(ALICE, BOB, "two", 2);
    carbon.direction = Direction::Outgoing;
    carbon.state = DeliveryState::Sent;
    carbon.stanza_id = Some("s2".into());
    carbon.unread = false;
    let by_stanza = store
        .insert_message(carbon)
        .await
        .expect("insert")
        .expect("new");
    // An incoming message with the same id is not ours.
    let mut theirs = incoming(ALICE, BOB, "three", 3);
    theirs.stanza_id = Some("s3".into());
    store.insert_message(theirs).await.expect("insert");

    let receipt = |id: &str| store.mark_delivered(alice.clone(), bob.clone(), id.to_owned());
    assert_eq!(receipt("o1").await.expect("receipt"), Some(by_origin.id));
    assert_eq!(receipt("s2").await.expect("receipt"), Some(by_stanza.id));
    assert_eq!(receipt("s3").await.expect("receipt"), None);
    assert_eq!(receipt("nope").await.expect("receipt"), None);
    // Another chat's receipt does not match.
    assert_eq!(
        store
            .mark_delivered(alice.clone(), jid("carol@example.org"), "o1".into())
            .await
            .expect("receipt"),
        None
    );
    assert!(
        store
            .outbox(alice.clone())
            .await
            .expect("outbox")
            .is_empty()
    );

    // A late server acknowledgement does not downgrade a delivered message.
    store
        .set_state(by_origin.id, DeliveryState::Sent)
        .await
        .expect("sent");
    let history = store.history(alice, bob, None, 10).await.expect("history");
    let states: Vec<_> = history.iter().map(|m| m.state).collect();
    assert_eq!(
        states,
        vec![
            DeliveryState::Delivered,
            DeliveryState::Delivered,
            DeliveryState::Received
        ]
    );
}

#[tokio::test]
async fn history_pages_go_backwards_and_are_ordered_oldest_first() {
    let store = store();
    let mut ids = Vec::new();
    for n in 0..10 {
        let msg = store
            .insert_message(incoming(ALICE, BOB, &format!("m{n}"), n))
            .await
            .expect("insert")
            .expect("new");
        ids.push(msg.id);
        // Another chat interleaved: must not show up.
        store
            .insert_message(incoming(ALICE, "carol@example.org", "other", n))
            .await
            .expect("insert");
    }
    let bodies = |page: &[crate::model::ChatMessage]| -> Vec<String> {
        page.iter().map(|m| m.body.clone()).collect()
    };
    let newest = store
        .history(jid(ALICE), jid(BOB), None, 4)
        .await
        .expect("history");
    assert_eq!(bodies(&newest), ["m6", "m7", "m8", "m9"]);
    let older = store
        .history(jid(ALICE), jid(BOB), Some(newest[0].id), 4)
        .await
        .expect("history");
    assert_eq!(bodies(&older), ["m2", "m3", "m4", "m5"]);
    let oldest = store
        .history(jid(ALICE), jid(BOB), Some(older[0].id), 4)
        .await
        .expect("history");
    assert_eq!(bodies(&oldest), ["m0", "m1"]);
    let none = store
        .history(jid(ALICE), jid(BOB), Some(ids[0]), 4)
        .await
        .expect("history");
    assert!(none.is_empty());
}

/// Where a reader opening a chat starts: its oldest unread message, with
/// how many messages follow it (itself included), unless there are too
/// many to tell; nothing once the chat is read.
#[tokio::test]
async fn a_chat_opens_on_its_oldest_unread_message_until_read() {
    let store = store();
    let mut ids = Vec::new();
    for n in 0..6 {
        let mut message = incoming(ALICE, BOB, &format!("m{n}"), n * 1000);
        // The first three were read as they came.
        message.unread = n >= 3;
        let stored = store.insert_message(message).await.expect("insert");
        ids.push(stored.expect("new").id);
        // Another chat's unread messages do not count.
        store
            .insert_message(incoming(ALICE, "carol@example.org", "other", n * 1000))
            .await
            .expect("insert");
    }
    // A reply sent from another device, read, among the unread ones.
    let mut own = incoming(ALICE, BOB, "own", 4500);
    own.direction = Direction::Outgoing;
    own.unread = false;
    store.insert_message(own).await.expect("insert");
    let oldest = |within| store.oldest_unread(jid(ALICE), jid(BOB), within);
    assert_eq!(oldest(10).await.expect("unread"), Some((ids[3], 4)));
    assert_eq!(oldest(4).await.expect("unread"), Some((ids[3], 4)));
    // Four messages to read, but only three unread: still too many.
    assert_eq!(oldest(3).await.expect("unread"), None);
    assert_eq!(oldest(2).await.expect("unread"), None);
    store
        .mark_read(jid(ALICE), jid(BOB))
        .await
        .expect("mark read");
    assert_eq!(oldest(10).await.expect("unread"), None);
}

#[tokio::test]
async fn markup_and_large_bodies_round_trip_exactly() {
    let store = store();
    let markup = "<b>bold</b> & <i>\"quotes\"</i> 'apostrophes' \u{0} nul \r\n ✓ 🐦";
    let large: String = (0..1_048_576u32)
        .map(|n| char::from(b'a' + (n % 26) as u8))
        .collect();
    for body in [markup.to_owned(), large.clone()] {
        store
            .insert_message(incoming(ALICE, BOB, &body, 1))
            .await
            .expect("insert")
            .expect("new");
    }
    let history = store
        .history(jid(ALICE), jid(BOB), None, 10)
        .await
        .expect("history");
    assert_eq!(history[0].body, markup);
    assert_eq!(history[1].body.len(), large.len());
    assert!(history[1].body == large);
}

#[tokio::test]
async fn unreadable_message_rows_are_skipped() {
    let store = store();
    store
        .insert_message(incoming(ALICE, BOB, "fine", 1))
        .await
        .expect("insert");
    sql(
        &store,
        "INSERT INTO messages (account, peer, direction, body, timestamp, state)
            VALUES ('alice@example.org', 'bob@example.org', 7, 'bad direction', 2, 4);
         INSERT INTO messages (account, peer, direction, body, timestamp, state)
            VALUES ('alice@example.org', 'bob@example.org', 0, 'bad state', 3, 42);
         INSERT INTO outbox (message_id, account)
            SELECT id, account FROM messages WHERE body LIKE 'bad%';",
    )
    .await;
    let history = store
        .history(jid(ALICE), jid(BOB), None, 10)
        .await
        .expect("history");
    assert_eq!(history.len(), 1);
    assert!(store.outbox(jid(ALICE)).await.expect("outbox").is_empty());
}

#[tokio::test]
async fn opening_a_chat_with_100k_messages_is_fast() {
    let store = store();
    sql(
        &store,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
         INSERT INTO messages (account, peer, direction, body, timestamp, state)
            SELECT 'alice@example.org',
                   CASE WHEN i % 10 = 0 THEN 'carol@example.org' ELSE 'bob@example.org' END,
                   0, 'm' || i, i, 4
            FROM n;",
    )
    .await;
    let started = Instant::now();
    let page = store
        .history(jid(ALICE), jid(BOB), None, 50)
        .await
        .expect("history");
    let older = store
        .history(jid(ALICE), jid(BOB), Some(page[0].id), 50)
        .await
        .expect("history");
    let elapsed = started.elapsed();
    assert_eq!(page.len(), 50);
    assert_eq!(page[49].body, "m99999");
    assert!(older[49].id < page[0].id && older.len() == 50);
    assert!(
        elapsed.as_millis() < 100,
        "two history pages took {elapsed:?}"
    );
}

/// Older messages stored later (a room archive's scroll-back page) take
/// their place by time, on the first page and when paging back.
#[tokio::test]
async fn history_follows_send_time_not_storage_order() {
    let store = store();
    for (body, at) in [
        ("third", 30_000),
        ("fourth", 40_000),
        ("first", 10_000),
        ("second", 20_000),
        ("fourth, same second, stored later", 40_000),
    ] {
        store
            .insert_message(incoming("a@x", "room@x", body, at))
            .await
            .expect("insert");
    }
    let bodies = |page: &[crate::model::ChatMessage]| {
        page.iter().map(|m| m.body.clone()).collect::<Vec<_>>()
    };
    let newest = store
        .history(jid("a@x"), jid("room@x"), None, 2)
        .await
        .expect("page");
    assert_eq!(
        bodies(&newest),
        ["fourth", "fourth, same second, stored later"]
    );
    let older = store
        .history(jid("a@x"), jid("room@x"), Some(newest[0].id), 10)
        .await
        .expect("page");
    assert_eq!(bodies(&older), ["first", "second", "third"]);
}
