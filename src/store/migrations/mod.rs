//! Numbered, linear schema migrations.
//!
//! The schema version is SQLite's `PRAGMA user_version`. Migration *n*
//! turns a version *n − 1* database into version *n*; each runs in its own
//! transaction together with the version bump, so a crash leaves the file
//! at a well-defined version. Released migrations are never edited: a
//! schema change is always a new migration appended to [`MIGRATIONS`].

mod v1_accounts_roster;
mod v2_messages;
mod v3_search;
mod v4_rooms;
mod v5_history_order;
mod v6_private_messages;

#[cfg(test)]
mod tests;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::StoreError;

/// One migration step.
type Migration = fn(&Transaction<'_>) -> rusqlite::Result<()>;

/// All migrations; index 0 produces version 1.
const MIGRATIONS: &[Migration] = &[
    v1_accounts_roster::migrate,
    v2_messages::migrate,
    v3_search::migrate,
    v4_rooms::migrate,
    v5_history_order::migrate,
    v6_private_messages::migrate,
];

/// The schema version this build writes.
pub(super) const LATEST: i64 = MIGRATIONS.len() as i64;

/// The database's current schema version.
pub(super) fn version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Brings the database up to [`LATEST`].
pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_to(conn, LATEST)
}

/// Brings the database up to `target` (tests stop short of [`LATEST`] to
/// check that data survives the later steps).
pub(super) fn migrate_to(conn: &mut Connection, target: i64) -> Result<(), StoreError> {
    let current = version(conn)?;
    if current > LATEST {
        return Err(StoreError::TooNew {
            found: current,
            supported: LATEST,
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate() {
        let to = index as i64 + 1;
        if to <= current || to > target {
            continue;
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        migration(&tx)?;
        tx.pragma_update(None, "user_version", to)?;
        tx.commit()?;
        tracing::info!(version = to, "Migrated the store");
    }
    Ok(())
}
