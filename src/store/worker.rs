//! The worker thread that owns the database connection.
//!
//! Every request is a [`Job`] sent over a channel. The worker takes all the
//! jobs that are waiting (up to [`MAX_BATCH`]) and, if any of them writes,
//! runs the whole batch in one transaction: a flood of incoming messages
//! then costs one commit instead of one per message. Each write also runs in
//! its own savepoint, so one failing request does not undo its neighbours.
//! Answers are sent only after the commit, so a caller never sees a write
//! as done before it is durable.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, TryRecvError};

use rusqlite::Connection;

use super::StoreError;

/// Upper bound of jobs per transaction, to keep the latency of the answers
/// bounded while a flood is being written.
const MAX_BATCH: usize = 1000;

/// Sends a job's answer once the outcome of the batch's commit is known
/// (`Some(error)` when the commit failed).
pub(super) type Finish = Box<dyn FnOnce(Option<&StoreError>) + Send>;

/// Runs a request on the connection; returns whether it succeeded (so that
/// the worker can roll back its savepoint) and how to answer it.
pub(super) type Run = Box<dyn FnOnce(&Connection) -> (bool, Finish) + Send>;

/// One request to the worker.
pub(super) struct Job {
    /// Whether the job modifies the database.
    pub(super) write: bool,
    /// The work itself.
    pub(super) run: Run,
}

/// How much lower than the rest of Warbler the worker's thread runs, in
/// nice steps: a flood's writes then wait for a CPU before the window's
/// drawing does, not the other way round.
const NICENESS: libc::c_int = 10;

/// Lower the calling thread's scheduling priority (Linux sets the nice
/// value of a single thread by its id). The worker starts no threads, so
/// nothing else inherits it.
#[allow(unsafe_code)] // two C calls without preconditions; no safe binding exists
pub(super) fn yield_to_the_window() {
    // SAFETY: gettid has no arguments; setpriority only reads its own.
    let result = unsafe {
        let thread = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, NICENESS)
    };
    if result != 0 {
        tracing::debug!(
            error = %std::io::Error::last_os_error(),
            "Could not lower the store's thread priority"
        );
    }
}

/// The worker's loop: runs until every sender is gone, then closes the
/// connection (which also checkpoints the write-ahead log).
pub(super) fn run(conn: Connection, jobs: Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        run_batch(&conn, batch);
    }
    tracing::debug!("Store worker stopping");
    if let Err((_, error)) = conn.close() {
        tracing::warn!("Could not close the store: {error}");
    }
}

/// Runs one batch, in one transaction when it contains a write.
fn run_batch(conn: &Connection, batch: Vec<Job>) {
    let writes = batch.iter().any(|job| job.write);
    // Without a transaction each savepoint commits on its own: slower but
    // still correct, so a failing BEGIN only costs speed.
    let in_transaction = writes
        && match conn.execute_batch("BEGIN IMMEDIATE") {
            Ok(()) => true,
            Err(error) => {
                tracing::warn!("Could not begin a store transaction: {error}");
                false
            }
        };
    let finishes: Vec<Finish> = batch
        .into_iter()
        .filter_map(|job| run_job(conn, job))
        .collect();
    let commit_error = if in_transaction { commit(conn) } else { None };
    for finish in finishes {
        finish(commit_error.as_ref());
    }
}

/// Commits the open transaction, rolling back if that fails.
fn commit(conn: &Connection) -> Option<StoreError> {
    match conn.execute_batch("COMMIT") {
        Ok(()) => None,
        Err(error) => {
            tracing::error!("Could not commit to the store: {error}");
            if let Err(error) = conn.execute_batch("ROLLBACK") {
                tracing::error!("Could not roll back the store transaction: {error}");
            }
            Some(error.into())
        }
    }
}

/// Runs one job, inside a savepoint when it writes. Returns `None` when the
/// job panicked: its answer channel is then dropped and the caller gets
/// [`StoreError::NoAnswer`], while the worker carries on.
fn run_job(conn: &Connection, job: Job) -> Option<Finish> {
    if job.write
        && let Err(error) = conn.execute_batch("SAVEPOINT job")
    {
        tracing::warn!("Could not create a store savepoint: {error}");
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| (job.run)(conn)));
    let (succeeded, finish) = match outcome {
        Ok((succeeded, finish)) => (succeeded, Some(finish)),
        Err(_) => {
            tracing::error!("A store request failed unexpectedly");
            (false, None)
        }
    };
    if job.write {
        let sql = if succeeded {
            "RELEASE job"
        } else {
            "ROLLBACK TO job; RELEASE job"
        };
        if let Err(error) = conn.execute_batch(sql) {
            tracing::warn!("Could not end a store savepoint: {error}");
        }
    }
    finish
}
