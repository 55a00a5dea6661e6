//! Version 1: accounts and rosters.
//!
//! The roster version and groups live in their own tables so that a roster
//! can be stored before (or without) its account row, and so that group
//! names need no encoding.

use rusqlite::Transaction;

/// Creates the account and roster tables.
pub(super) fn migrate(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE accounts (
            jid TEXT PRIMARY KEY NOT NULL,
            enabled INTEGER NOT NULL,
            resource TEXT NOT NULL,
            server_host TEXT,
            server_port INTEGER,
            server_tls TEXT,
            trusted_cert_sha256 TEXT
        );
        CREATE TABLE roster_versions (
            account TEXT PRIMARY KEY NOT NULL,
            ver TEXT
        );
        CREATE TABLE roster (
            account TEXT NOT NULL,
            jid TEXT NOT NULL,
            name TEXT,
            subscription TEXT NOT NULL,
            pending_out INTEGER NOT NULL,
            PRIMARY KEY (account, jid)
        );
        CREATE TABLE roster_groups (
            account TEXT NOT NULL,
            jid TEXT NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (account, jid, name),
            FOREIGN KEY (account, jid) REFERENCES roster (account, jid) ON DELETE CASCADE
        ) WITHOUT ROWID;",
    )
}
