//! Version 2: messages, the chat list and the outbox.
//!
//! `chats` is kept up to date on every insert so that the chat list never
//! scans the messages. Message ids use AUTOINCREMENT so that an id is never
//! reused after an account's messages are deleted.

use rusqlite::Transaction;

/// Creates the message, chat and outbox tables and their indexes.
pub(super) fn migrate(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            account TEXT NOT NULL,
            peer TEXT NOT NULL,
            direction INTEGER NOT NULL,
            body TEXT NOT NULL,
            timestamp INTEGER NOT NULL,
            state INTEGER NOT NULL,
            stanza_id TEXT,
            origin_id TEXT,
            unread INTEGER NOT NULL DEFAULT 0
        );
        -- History pages walk this index backwards from a message id.
        CREATE INDEX messages_by_chat ON messages (account, peer, id);
        CREATE INDEX messages_by_origin_id ON messages (account, peer, origin_id)
            WHERE origin_id IS NOT NULL;
        CREATE INDEX messages_by_stanza_id ON messages (account, peer, stanza_id)
            WHERE stanza_id IS NOT NULL;
        CREATE INDEX messages_unread ON messages (account, peer) WHERE unread = 1;
        CREATE TABLE chats (
            account TEXT NOT NULL,
            peer TEXT NOT NULL,
            last_message_id INTEGER NOT NULL,
            last_timestamp INTEGER NOT NULL,
            unread INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (account, peer)
        );
        CREATE INDEX chats_by_activity ON chats (last_timestamp);
        CREATE TABLE outbox (
            message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
            account TEXT NOT NULL
        );
        CREATE INDEX outbox_by_account ON outbox (account, message_id);",
    )
}
