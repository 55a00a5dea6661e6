//! Tests of the store through its public API (plus raw SQL where a test
//! must plant data the API would never write).

mod accounts;
mod chats;
mod messages;
mod private;
mod rooms;
mod roster;
mod worker;

use crate::model::{BareJid, DeliveryState, Direction, Timestamp};

use super::{NewMessage, StoreHandle};

/// Parses a test address.
fn jid(text: &str) -> BareJid {
    BareJid::new(text).expect("test address")
}

/// A fresh in-memory store.
fn store() -> StoreHandle {
    StoreHandle::open_in_memory().expect("in-memory store")
}

/// An unread incoming message without ids.
fn incoming(account: &str, peer: &str, body: &str, timestamp: i64) -> NewMessage {
    NewMessage {
        account: jid(account),
        peer: jid(peer),
        direction: Direction::Incoming,
        body: body.to_owned(),
        timestamp: Timestamp(timestamp),
        state: DeliveryState::Received,
        stanza_id: None,
        origin_id: None,
        unread: true,
        room: None,
    }
}

/// Runs raw SQL on the worker's connection.
async fn sql(store: &StoreHandle, sql: &'static str) {
    store
        .write(move |conn| Ok(conn.execute_batch(sql)?))
        .await
        .expect("raw SQL");
}

/// Counts rows with raw SQL.
async fn count(store: &StoreHandle, sql: &'static str) -> i64 {
    store
        .read(move |conn| Ok(conn.query_row(sql, [], |row| row.get(0))?))
        .await
        .expect("count")
}
