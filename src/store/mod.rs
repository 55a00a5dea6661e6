//! The local store: accounts, roster, messages, chats, rooms and the outbox
//! in one SQLite database.
//!
//! [`StoreHandle`] is a cheap, cloneable handle with an async API. Behind it
//! one worker thread owns the only connection and runs the requests in
//! order, batching consecutive writes into one transaction (see
//! [`worker`]). The schema is built by numbered migrations (see
//! [`migrations`]). Passwords, of accounts and of rooms, are never stored
//! here: the keyring holds them.

// The session actor is the store's only user; until it calls the store, a
// library build sees this whole API as unused.

mod accounts;
mod chats;
mod codec;
mod error;
mod messages;
mod migrations;
mod rooms;
mod roster;
mod worker;

#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::oneshot;

pub use accounts::AccountRecord;
pub use error::StoreError;
pub use messages::NewMessage;
pub use rooms::RoomRecord;

use worker::{Finish, Job};

/// How long a statement waits for another process (a second Warbler
/// instance) to release the database before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Prepared statements kept for reuse; the store issues fewer distinct
/// statements than this, so none is ever prepared twice.
const STATEMENT_CACHE: usize = 64;

/// A handle to the store. Clones share the same worker thread, which stops
/// when the last clone is dropped.
#[derive(Clone, Debug)]
pub struct StoreHandle {
    /// Where requests go.
    jobs: mpsc::Sender<Job>,
}

impl StoreHandle {
    /// Opens (or creates) the database file at `path`, creating its folder
    /// if needed, brings its schema up to date and starts the worker thread.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let result = Self::try_open(path);
        if let Err(error) = &result {
            tracing::error!(path = %path.display(), "Could not open the store: {error}");
        }
        result
    }

    /// Opens a private database that lives in memory only (for tests and
    /// for running without a writable data folder).
    #[cfg(test)]
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory()?;
        Self::start(conn)
    }

    /// [`Self::open`] without the logging.
    fn try_open(path: &Path) -> Result<Self, StoreError> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|e| StoreError::Open(e.to_string()))?;
        }
        let conn = Connection::open(path).map_err(|e| StoreError::Open(e.to_string()))?;
        // WAL lets the file be read while a batch is written; NORMAL
        // syncs only at checkpoints, which WAL keeps crash-safe.
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(mode, "Could not switch the store to write-ahead logging");
        }
        Self::start(conn)
    }

    /// Configures the connection, migrates it and spawns the worker.
    fn start(mut conn: Connection) -> Result<Self, StoreError> {
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        migrations::migrate(&mut conn)?;
        let (jobs, receiver) = mpsc::channel();
        std::thread::Builder::new()
            .name("warbler-store".into())
            .spawn(move || {
                worker::yield_to_the_window();
                worker::run(conn, receiver)
            })
            .map_err(|e| StoreError::Open(e.to_string()))?;
        Ok(Self { jobs })
    }

    /// Runs `f` on the worker without a savepoint.
    async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.call(false, f).await
    }

    /// Runs `f` on the worker in a savepoint of the batch's transaction;
    /// answers once that transaction is committed.
    async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.call(true, f).await
    }

    /// Sends a job and waits for its answer.
    async fn call<T, F>(&self, write: bool, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let run = Box::new(move |conn: &Connection| {
            let result = f(conn);
            let succeeded = result.is_ok();
            let finish: Finish = Box::new(move |commit_error| {
                let result = match (result, commit_error) {
                    (Ok(_), Some(error)) if write => Err(error.clone()),
                    (result, _) => result,
                };
                // The caller may have stopped waiting; that is not an error.
                let _ = reply.send(result);
            });
            (succeeded, finish)
        });
        self.jobs
            .send(Job { write, run })
            .map_err(|_| StoreError::WorkerStopped)?;
        answer.await.map_err(|_| StoreError::NoAnswer)?
    }
}
