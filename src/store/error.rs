//! The store's error type.

/// Why a store operation failed.
///
/// Errors are `Clone` because one failed commit is reported to every caller
/// whose write was part of the same batch; they therefore carry SQLite's
/// message as text rather than the `rusqlite::Error` itself.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(String),
    /// The database file or its folder could not be created or opened.
    #[error("could not open the database file: {0}")]
    Open(String),
    /// The database was written by a newer Warbler with a schema this
    /// version does not know.
    #[error("the database has schema version {found}, newer than the supported {supported}")]
    TooNew {
        /// The schema version found in the file.
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },
    /// A stored row holds a value this version cannot read.
    #[error("unreadable data in the store: {0}")]
    Unreadable(String),
    /// The worker thread has stopped, so the request could not be sent.
    #[error("the store worker has stopped")]
    WorkerStopped,
    /// The worker dropped the request without answering (it failed
    /// unexpectedly while handling it).
    #[error("the store did not answer the request")]
    NoAnswer,
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Sqlite(error.to_string())
    }
}
