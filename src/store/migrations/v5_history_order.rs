//! Version 5: history pages in the order messages were sent. Room archives
//! deliver older pages after newer messages are stored, so the local id no
//! longer follows the conversation; pages walk (timestamp, id) instead.

use rusqlite::Transaction;

pub(super) fn migrate(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE INDEX messages_by_chat_time ON messages (account, peer, timestamp, id);",
    )
}
