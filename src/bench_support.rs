//! Hooks for the benchmarks and tests only: fill a profile's store quickly
//! so that reading paths can be measured on realistic volumes, and the UI
//! tested with more chats than fit on screen. Not part of the API the UI
//! uses.

use std::path::Path;

use crate::model::{BareJid, DeliveryState, Direction, Timestamp};
use crate::store::{NewMessage, StoreHandle};

/// Store `count` alternating messages between `account` and `peer` in the
/// profile at `data_dir` (created if missing); the incoming ones among the
/// newest `unread` are unread.
pub async fn populate_chat(
    data_dir: &Path,
    account: &BareJid,
    peer: &BareJid,
    count: u32,
    unread: u32,
) {
    let start = Timestamp::now().0 - i64::from(count) * 60_000;
    let messages = (0..count).map(|i| {
        let incoming = i % 2 == 0;
        NewMessage {
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
            unread: incoming && i >= count.saturating_sub(unread),
            room: None,
        }
    });
    store_all(data_dir, messages).await;
}

/// Give `account` a chat with each of `peers` in the profile at `data_dir`
/// (created if missing): one read incoming message each, a minute apart,
/// so that the chat list has a row per peer.
pub async fn populate_chats(data_dir: &Path, account: &BareJid, peers: &[BareJid]) {
    let start = Timestamp::now().0 - peers.len() as i64 * 60_000;
    let messages = peers.iter().enumerate().map(|(i, peer)| NewMessage {
        account: account.clone(),
        peer: peer.clone(),
        direction: Direction::Incoming,
        body: format!("hello from chat {i}"),
        timestamp: Timestamp(start + i as i64 * 60_000),
        state: DeliveryState::Received,
        stanza_id: None,
        origin_id: Some(format!("bench-chat-{i}")),
        unread: false,
        room: None,
    });
    store_all(data_dir, messages).await;
}

/// Store `messages` in the profile at `data_dir` (created if missing).
async fn store_all(data_dir: &Path, messages: impl Iterator<Item = NewMessage>) {
    std::fs::create_dir_all(data_dir).expect("profile dir");
    let store = StoreHandle::open(&data_dir.join("warbler.sqlite3")).expect("store opens");
    let writes = messages.map(|message| store.insert_message(message));
    // Queue them all at once so the store batches them in transactions.
    for result in futures::future::join_all(writes).await {
        result.expect("message stored");
    }
}
