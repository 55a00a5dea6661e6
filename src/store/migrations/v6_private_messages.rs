//! Version 6: private messages in rooms (XEP-0045 §7.5). They stay in the
//! room's conversation like its other messages; `private_with` names the
//! other occupant (the sender of an incoming one, the addressee of an
//! outgoing one) and is NULL for messages to the whole room and for
//! one-to-one messages.

use rusqlite::Transaction;

pub(super) fn migrate(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch("ALTER TABLE messages ADD COLUMN private_with TEXT;")
}
