//! The worker: batching, isolation of failing requests, robustness and
//! the speed of a message flood.

use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use super::{count, incoming, jid, store};
use crate::store::StoreError;

/// Parks the worker for a moment so that the requests sent next queue up
/// and are handled as one batch.
async fn stall(store: crate::store::StoreHandle) -> Result<(), StoreError> {
    store
        .read(|_| {
            std::thread::sleep(Duration::from_millis(50));
            Ok(())
        })
        .await
}

#[tokio::test]
async fn a_failing_write_does_not_undo_its_batch_neighbours() {
    let store = store();
    let mut tasks = JoinSet::new();
    let stalled = tokio::spawn(stall(store.clone()));
    // Let the stalling request reach the worker before the others.
    tokio::task::yield_now().await;
    for n in 0..3 {
        let store = store.clone();
        tasks.spawn(async move {
            if n == 1 {
                store
                    .write(|conn| {
                        conn.execute(
                            "INSERT INTO accounts (jid, enabled, resource) VALUES ('x@y', 1, 'r')",
                            [],
                        )?;
                        Err::<(), _>(StoreError::Sqlite("planned failure".into()))
                    })
                    .await
                    .map(|_| None)
            } else {
                store
                    .insert_message(incoming("alice@example.org", "bob@example.org", "hi", n))
                    .await
            }
        });
    }
    stalled.await.expect("task").expect("stall");
    let mut results = Vec::new();
    while let Some(result) = tasks.join_next().await {
        results.push(result.expect("task"));
    }
    assert_eq!(results.iter().filter(|r| r.is_err()).count(), 1);
    assert_eq!(count(&store, "SELECT count(*) FROM messages").await, 2);
    assert_eq!(count(&store, "SELECT count(*) FROM accounts").await, 0);
}

#[tokio::test]
async fn the_worker_survives_a_panicking_request() {
    let store = store();
    let result = store
        .read(|_| -> Result<(), StoreError> { panic!("planned panic in a store test") })
        .await;
    assert_eq!(result, Err(StoreError::NoAnswer));
    let stored = store
        .insert_message(incoming(
            "alice@example.org",
            "bob@example.org",
            "still here",
            1,
        ))
        .await
        .expect("insert");
    assert!(stored.is_some());
}

#[tokio::test]
async fn a_flood_of_5000_messages_is_stored_quickly() {
    let store = store();
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for n in 0..5000 {
        let store = store.clone();
        let mut msg = incoming("alice@example.org", "bob@example.org", "flood message", n);
        msg.stanza_id = Some(format!("s{n}"));
        msg.origin_id = Some(format!("o{n}"));
        tasks.spawn(async move { store.insert_message(msg).await });
    }
    while let Some(result) = tasks.join_next().await {
        assert!(result.expect("task").expect("insert").is_some());
    }
    let elapsed = started.elapsed();
    let chat = store
        .chat(jid("alice@example.org"), jid("bob@example.org"))
        .await
        .expect("chat");
    assert_eq!(chat.unread, 5000);
    // Generous for an unoptimised test build on a busy machine.
    assert!(
        elapsed < Duration::from_secs(3),
        "5000 inserts took {elapsed:?}"
    );
}

#[tokio::test]
async fn requests_fail_cleanly_when_the_database_is_newer() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = folder.path().join("store.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.pragma_update(None, "user_version", 999)
            .expect("version");
    }
    let error = crate::store::StoreHandle::open(&path).expect_err("too new");
    assert!(matches!(error, StoreError::TooNew { found: 999, .. }));
}

/// The calling thread's nice value (field 19 of its `stat`).
fn thread_niceness() -> i64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("thread stat");
    // The command name may hold spaces; the fields after it do not.
    let after_name = &stat[stat.rfind(')').expect("end of the name") + 2..];
    after_name
        .split_whitespace()
        .nth(16)
        .and_then(|field| field.parse().ok())
        .expect("nice field")
}

#[tokio::test]
async fn the_worker_gives_way_to_the_window() {
    let ours = thread_niceness();
    let worker = store()
        .read(|_| Ok(thread_niceness()))
        .await
        .expect("read on the worker");
    // A flood's writes must not take a CPU from the window's drawing.
    assert_eq!(worker, (ours + 10).min(19), "the worker's nice value");
}
