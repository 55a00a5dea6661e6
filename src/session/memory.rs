//! Hand memory the core no longer needs back to the system.
//!
//! Bulk work (a roster of a thousand contacts, a page of history, a flood
//! of messages) leaves glibc's per-thread arenas holding tens of MiB that
//! were freed but are kept for reuse; measured at idle after sign-in, that
//! was a sixth of Warbler's resident memory. Every event the core sends
//! counts as work; once it has been quiet for [`QUIET`], the free memory
//! is returned with `malloc_trim`. Nothing wakes up while Warbler idles.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc};

use super::Event;

/// How long the core must be quiet before free memory is returned.
const QUIET: Duration = Duration::from_secs(2);

/// Sends events to the UI and tells the trimmer that work happened.
#[derive(Debug, Clone)]
pub(crate) struct EventSink {
    events: mpsc::UnboundedSender<Event>,
    work: Arc<Notify>,
}

impl EventSink {
    /// A sink for `events`, with a trimmer task on the current runtime.
    pub(crate) fn with_trimmer(events: mpsc::UnboundedSender<Event>) -> Self {
        let work = Arc::new(Notify::new());
        tokio::spawn(trim_when_quiet(work.clone(), || {
            let released = release_free_memory();
            tracing::debug!("Returned free memory to the system: {released}");
        }));
        Self { events, work }
    }

    /// Send an event; fails only once the UI has stopped listening.
    pub(crate) fn send(&self, event: Event) -> Result<(), UiGone> {
        self.work.notify_one();
        self.events.send(event).map_err(|_| UiGone)
    }
}

/// The UI stopped listening: the event was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UiGone;

/// After each burst of work, wait for a quiet spell, then `trim` (off the
/// runtime's workers: it takes the allocator's locks). Runs until the
/// runtime shuts down.
async fn trim_when_quiet(work: Arc<Notify>, trim: fn()) {
    loop {
        work.notified().await;
        while tokio::time::timeout(QUIET, work.notified()).await.is_ok() {}
        if let Err(error) = tokio::task::spawn_blocking(trim).await {
            tracing::warn!("Could not return free memory: {error}");
        }
    }
}

/// Return the allocator's free memory to the system. True if any was.
#[allow(unsafe_code)] // a C call without preconditions; no safe binding exists
fn release_free_memory() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim only walks the allocator's own free lists
        // (under its locks); it has no preconditions.
        unsafe { libc::malloc_trim(0) == 1 }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn freed_memory_goes_back_to_the_system() {
        // Blocks freed below one still in use cannot shrink the heap by
        // themselves: only a trim returns them.
        std::thread::spawn(|| {
            let mut blocks: Vec<Vec<u8>> = (0..2_000).map(|i| vec![i as u8; 16 * 1024]).collect();
            let last = blocks.pop();
            drop(blocks);
            assert!(release_free_memory());
            drop(last);
        })
        .join()
        .expect("allocating thread");
    }

    static TRIMS: AtomicUsize = AtomicUsize::new(0);

    fn count_trim() {
        TRIMS.fetch_add(1, Ordering::SeqCst);
    }

    #[tokio::test(start_paused = true)]
    async fn one_trim_after_a_burst_once_it_is_quiet() {
        let work = Arc::new(Notify::new());
        tokio::spawn(trim_when_quiet(work.clone(), count_trim));
        for _ in 0..5 {
            work.notify_one();
            tokio::time::sleep(QUIET / 2).await;
        }
        assert_eq!(TRIMS.load(Ordering::SeqCst), 0, "not while work goes on");
        tokio::time::sleep(QUIET * 2).await;
        assert_eq!(
            TRIMS.load(Ordering::SeqCst),
            1,
            "once, after the quiet spell"
        );
        tokio::time::sleep(QUIET * 10).await;
        assert_eq!(TRIMS.load(Ordering::SeqCst), 1, "never while idle");
    }

    #[tokio::test]
    async fn events_reach_the_ui_until_it_stops_listening() {
        let (events, mut received) = mpsc::unbounded_channel();
        let sink = EventSink::with_trimmer(events);
        sink.send(Event::ShutdownComplete).expect("UI listening");
        assert!(matches!(
            received.recv().await,
            Some(Event::ShutdownComplete)
        ));
        drop(received);
        assert!(sink.send(Event::ShutdownComplete).is_err());
    }
}
