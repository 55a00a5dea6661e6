//! The chat list, unread counts and search.

use super::{count, incoming, jid, store};
use crate::model::{ChatSummary, Direction, Timestamp};

const ALICE: &str = "alice@example.org";

#[tokio::test]
async fn chat_list_is_newest_first_with_unread_counts() {
    let store = store();
    assert!(store.chats().await.expect("chats").is_empty());
    let empty = store
        .chat(jid(ALICE), jid("bob@example.org"))
        .await
        .expect("chat");
    assert_eq!(
        empty,
        ChatSummary::empty(jid(ALICE), jid("bob@example.org"))
    );

    for (n, body) in ["b1", "b2", "b3"].iter().enumerate() {
        store
            .insert_message(incoming(ALICE, "bob@example.org", body, 10 + n as i64))
            .await
            .expect("insert");
    }
    store
        .insert_message(incoming(ALICE, "carol@example.org", "c1", 20))
        .await
        .expect("insert");
    let mut reply = incoming(ALICE, "bob@example.org", "my reply", 30);
    reply.direction = Direction::Outgoing;
    reply.unread = false;
    store.insert_message(reply).await.expect("insert");

    let chats = store.chats().await.expect("chats");
    let summary: Vec<_> = chats
        .iter()
        .map(|c| {
            (
                c.peer.to_string(),
                c.last_body.clone(),
                c.last_timestamp,
                c.unread,
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "bob@example.org".into(),
                Some("my reply".into()),
                Some(Timestamp(30)),
                3
            ),
            (
                "carol@example.org".into(),
                Some("c1".into()),
                Some(Timestamp(20)),
                1
            ),
        ]
    );
    assert_eq!(
        store
            .chat(jid(ALICE), jid("bob@example.org"))
            .await
            .expect("chat"),
        chats[0]
    );

    store
        .mark_read(jid(ALICE), jid("bob@example.org"))
        .await
        .expect("read");
    assert_eq!(
        store
            .chat(jid(ALICE), jid("bob@example.org"))
            .await
            .expect("chat")
            .unread,
        0
    );
    assert_eq!(
        store
            .chat(jid(ALICE), jid("carol@example.org"))
            .await
            .expect("chat")
            .unread,
        1
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM messages WHERE unread = 1").await,
        1
    );
}

#[tokio::test]
async fn older_archive_messages_do_not_replace_the_preview() {
    let store = store();
    store
        .insert_message(incoming(ALICE, "bob@example.org", "new", 100))
        .await
        .expect("insert");
    let mut archived = incoming(ALICE, "bob@example.org", "old", 50);
    archived.unread = false;
    store.insert_message(archived).await.expect("insert");
    let chat = store
        .chat(jid(ALICE), jid("bob@example.org"))
        .await
        .expect("chat");
    assert_eq!(chat.last_body.as_deref(), Some("new"));
    assert_eq!(chat.last_timestamp, Some(Timestamp(100)));
    assert_eq!(chat.unread, 1);
}

#[tokio::test]
async fn search_finds_words_in_one_account_newest_first() {
    let store = store();
    for (account, peer, body) in [
        (ALICE, "bob@example.org", "Let's meet at the café tomorrow"),
        (ALICE, "carol@example.org", "The CAFE is closed"),
        (ALICE, "bob@example.org", "see you tomorrow"),
        ("dave@example.org", "bob@example.org", "café for dave"),
    ] {
        store
            .insert_message(incoming(account, peer, body, 1))
            .await
            .expect("insert");
    }
    let bodies = |messages: Vec<crate::model::ChatMessage>| -> Vec<String> {
        messages.into_iter().map(|m| m.body).collect()
    };
    let search = |query: &str, limit| store.search(jid(ALICE), query.to_owned(), limit);

    // Case and accents are ignored; newest first; only Alice's messages.
    assert_eq!(
        bodies(search("cafe", 10).await.expect("search")),
        ["The CAFE is closed", "Let's meet at the café tomorrow"]
    );
    assert_eq!(
        bodies(search("cafe", 1).await.expect("search")),
        ["The CAFE is closed"]
    );
    // All words must match; the last one may be a prefix.
    assert_eq!(
        bodies(search("café tomor", 10).await.expect("search")),
        ["Let's meet at the café tomorrow"]
    );
    // FTS5 operators and quotes are plain text, never a syntax error.
    for query in ["\"", "AND", "meet OR", "NEAR(", "col:x", "*", "-"] {
        search(query, 10).await.expect("any text is a valid query");
    }
    assert!(search("   ", 10).await.expect("search").is_empty());
    assert!(search("nothing", 10).await.expect("search").is_empty());
}
