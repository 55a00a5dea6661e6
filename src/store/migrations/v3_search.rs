//! Version 3: full-text search over message bodies.
//!
//! An external-content FTS5 table indexes `messages.body` without storing
//! a second copy of it; triggers keep it in step, and the final `rebuild`
//! indexes the messages stored before this migration.

use rusqlite::Transaction;

/// Creates the search index and fills it from the existing messages.
pub(super) fn migrate(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE VIRTUAL TABLE messages_search USING fts5 (
            body,
            content = 'messages',
            content_rowid = 'id',
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
            INSERT INTO messages_search (rowid, body) VALUES (new.id, new.body);
        END;
        CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
            INSERT INTO messages_search (messages_search, rowid, body)
                VALUES ('delete', old.id, old.body);
        END;
        CREATE TRIGGER messages_search_update AFTER UPDATE OF body ON messages BEGIN
            INSERT INTO messages_search (messages_search, rowid, body)
                VALUES ('delete', old.id, old.body);
            INSERT INTO messages_search (rowid, body) VALUES (new.id, new.body);
        END;
        INSERT INTO messages_search (messages_search) VALUES ('rebuild');",
    )
}
