//! Hooks for the benchmark binary only: fill a profile's store quickly so
//! that reading paths can be measured on realistic volumes. Not part of
//! the API the UI uses.

use std::path::Path;

use crate::model::{BareJid, DeliveryState, Direction, Timestamp};
use crate::store::{NewMessage, StoreHandle};

/// Store `count` alternating messages between `account` and `peer` in the
/// profile at `data_dir` (created if missing).
pub async fn populate_chat(data_dir: &Path, account: &BareJid, peer: &BareJid, count: u32) {
    std::fs::create_dir_all(data_dir).expect("profile dir");
    let store = StoreHandle::open(&data_dir.join("warbler.sqlite3")).expect("store opens");
    let start = Timestamp::now().0 - i64::from(count) * 60_000;
    let writes = (0..count).map(|i| {
        let incoming = i % 2 == 0;
        store.insert_message(NewMessage {
            account: account.clone(),
            peer: peer.clone(),
            direction: if incoming {
                Direction::Incoming
            } else {
                Direction::Outgoing
            },
            body: format!("message {i}: the quick brown fox jumps over the lazy dog"),
            timestamp: Timestamp(start + i64::from(i) * 60_000),
            state: if incoming {
                DeliveryState::Received
            } else {
                DeliveryState::Delivered
            },
            stanza_id: None,
            origin_id: Some(format!("bench-{i}")),
            unread: false,
            room: None,
        })
    });
    // Queue them all at once so the store batches them in transactions.
    for result in futures::future::join_all(writes).await {
        result.expect("message stored");
    }
}
