//! Version 4: multi-user chat rooms and room messages.
//!
//! Room messages live in `messages` like one-to-one messages (the room's
//! address is the peer), with the sender's nickname, occupant id and the
//! room's archive id in columns of their own; a row is a room message iff
//! `nick` is not NULL. The `rooms` table keeps what Warbler needs to rejoin
//! rooms and how the user wants to hear from them. Room passwords are never
//! stored here: the keyring or the bookmark on the server holds them.

use rusqlite::Transaction;

/// Adds the room columns to `messages` and creates the `rooms` table.
pub(super) fn migrate(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "ALTER TABLE messages ADD COLUMN nick TEXT;
        ALTER TABLE messages ADD COLUMN occupant_id TEXT;
        ALTER TABLE messages ADD COLUMN server_id TEXT;
        ALTER TABLE messages ADD COLUMN moderated INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE messages ADD COLUMN moderated_by TEXT;
        ALTER TABLE messages ADD COLUMN moderated_reason TEXT;
        -- De-duplication of archived copies and moderation find messages here.
        CREATE INDEX messages_by_server_id ON messages (account, peer, server_id)
            WHERE server_id IS NOT NULL;
        -- The newest and oldest archived message of a chat (archive catch-up
        -- and scroll-back) without scanning the chat's whole history.
        CREATE INDEX messages_by_archive_time ON messages (account, peer, timestamp, id)
            WHERE server_id IS NOT NULL;
        CREATE TABLE rooms (
            account TEXT NOT NULL,
            room TEXT NOT NULL,
            name TEXT,
            nick TEXT,
            autojoin INTEGER NOT NULL,
            bookmarked INTEGER NOT NULL,
            notify INTEGER NOT NULL,
            joined INTEGER NOT NULL,
            PRIMARY KEY (account, room)
        ) WITHOUT ROWID;",
    )
}
