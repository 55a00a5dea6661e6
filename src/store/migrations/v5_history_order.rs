//! Version 5: history pages in the order messages were sent. Room archives
//! deliver older pages after newer messages are stored, so the local id no
//! longer follows the conversation; pages walk (second sent, id) instead.
//! Whole seconds, because archives stamp to the second while our own
//! messages carry milliseconds: within one second, storage order decides.

use rusqlite::Transaction;

pub(super) fn migrate(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE INDEX messages_by_chat_second ON messages (account, peer, timestamp / 1000, id);",
    )
}
