//! Updates and withdrawals of shown notifications, sent one at a time from
//! a thread of their own.
//!
//! A burst of messages in a chat nobody is reading would otherwise mean
//! one D-Bus connection and call per message, all at once from a pool of
//! threads: a load on the desktop, and, since they race, the last count
//! shown could be an older one. The updater keeps only the newest text of
//! each notification and sends it at most once per [`UPDATE_INTERVAL`], in
//! the order asked.

use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use relm4::gtk::gio;
use relm4::gtk::glib::prelude::ToVariant;

/// The shortest time between two updates of one notification. A count
/// that lags a second behind a burst is still right when the burst ends.
pub const UPDATE_INTERVAL: Duration = Duration::from_secs(1);

/// The text of a notification.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    /// The title.
    pub summary: String,
    /// The body, plain text.
    pub body: String,
}

/// Which updates are due when: the updater's bookkeeping, apart from its
/// thread and D-Bus so that it can be tested.
#[derive(Debug, Default)]
pub struct Schedule {
    /// The newest text waiting for each notification, by its id.
    waiting: BTreeMap<u32, Text>,
    /// When each notification was last updated.
    last_sent: HashMap<u32, Instant>,
}

impl Schedule {
    /// Notification `id` should now show `text`, replacing any text that
    /// waits for it.
    pub fn replace(&mut self, id: u32, text: Text) {
        self.waiting.insert(id, text);
    }

    /// Notification `id` is withdrawn: what waits for it is dropped, so
    /// that no late update shows it again.
    pub fn withdraw(&mut self, id: u32) {
        self.waiting.remove(&id);
        self.last_sent.remove(&id);
    }

    /// The updates to send at `now`, each marked as sent.
    pub fn take_due(&mut self, now: Instant) -> Vec<(u32, Text)> {
        self.last_sent
            .retain(|_, sent| now.duration_since(*sent) < UPDATE_INTERVAL);
        let due: Vec<u32> = self
            .waiting
            .keys()
            .copied()
            .filter(|id| !self.last_sent.contains_key(id))
            .collect();
        due.into_iter()
            .filter_map(|id| {
                self.last_sent.insert(id, now);
                self.waiting.remove(&id).map(|text| (id, text))
            })
            .collect()
    }

    /// When the next waiting update falls due; `None` if nothing waits
    /// (after [`take_due`](Self::take_due), whatever waits was sent
    /// lately and so falls due later).
    pub fn next_due(&self) -> Option<Instant> {
        self.waiting
            .keys()
            .filter_map(|id| self.last_sent.get(id))
            .map(|sent| *sent + UPDATE_INTERVAL)
            .min()
    }
}

enum Request {
    Replace(u32, Text),
    Withdraw(u32),
    /// The notification is gone already (the user closed it).
    Forget(u32),
}

/// The handle of the updater's thread; the thread sends what waits and
/// ends when this is dropped.
#[derive(Debug)]
pub struct Updater {
    requests: mpsc::Sender<Request>,
    thread: std::thread::JoinHandle<()>,
}

impl Updater {
    /// Start the thread. `send` shows a text under an existing id.
    pub fn start(send: fn(u32, &Text)) -> Option<Updater> {
        let (requests, incoming) = mpsc::channel();
        let started = std::thread::Builder::new()
            .name("warbler-notify".into())
            .spawn(move || run(&incoming, send));
        match started {
            Ok(thread) => Some(Updater { requests, thread }),
            Err(error) => {
                tracing::warn!("Could not start the notification updater: {error}");
                None
            }
        }
    }

    /// Have notification `id` show `text` (soon; see [`UPDATE_INTERVAL`]).
    pub fn replace(&self, id: u32, text: Text) {
        let _ = self.requests.send(Request::Replace(id, text));
    }

    /// Withdraw notification `id` from the desktop.
    pub fn withdraw(&self, id: u32) {
        let _ = self.requests.send(Request::Withdraw(id));
    }

    /// Drop what waits for notification `id`, which the server closed:
    /// an update would show it again, as a new notification.
    pub fn forget(&self, id: u32) {
        let _ = self.requests.send(Request::Forget(id));
    }

    /// Stop the thread once it has sent the withdrawals asked for; updates
    /// still waiting are dropped.
    pub fn finish(self) {
        drop(self.requests);
        if self.thread.join().is_err() {
            tracing::warn!("The notification updater failed");
        }
    }
}

fn run(incoming: &mpsc::Receiver<Request>, send: fn(u32, &Text)) {
    let mut schedule = Schedule::default();
    let mut bus = None;
    loop {
        // Sleep until asked, or until a waiting update falls due; end
        // when the app lets go of the updater.
        let request = match schedule.next_due() {
            None => match incoming.recv() {
                Ok(request) => Some(request),
                Err(_) => return,
            },
            Some(due) => match incoming.recv_timeout(due.saturating_duration_since(Instant::now()))
            {
                Ok(request) => Some(request),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            },
        };
        if let Some(request) = request {
            take(request, &mut schedule, &mut bus);
        }
        // Take in everything already asked before sending, so that only
        // the newest text of each notification goes out.
        while let Ok(request) = incoming.try_recv() {
            take(request, &mut schedule, &mut bus);
        }
        for (id, text) in schedule.take_due(Instant::now()) {
            send(id, &text);
        }
    }
}

/// Note `request` in `schedule`; a withdrawal is sent at once.
fn take(request: Request, schedule: &mut Schedule, bus: &mut Option<gio::DBusConnection>) {
    match request {
        Request::Replace(id, text) => schedule.replace(id, text),
        Request::Withdraw(id) => {
            schedule.withdraw(id);
            close(bus, id);
        }
        Request::Forget(id) => schedule.withdraw(id),
    }
}

/// How long the server may take to withdraw a notification: Warbler waits
/// for that when it quits.
const CLOSE_TIMEOUT_MS: i32 = 1_000;

/// Ask the notification server to withdraw `id`. notify-rust can close
/// only through the handle that the click-waiting thread holds, so this
/// calls the server on a session bus connection of our own.
fn close(bus: &mut Option<gio::DBusConnection>, id: u32) {
    if bus.is_none() {
        match gio::bus_get_sync(gio::BusType::Session, gio::Cancellable::NONE) {
            Ok(connection) => *bus = Some(connection),
            Err(error) => {
                tracing::warn!("Could not withdraw a notification: {error}");
                return;
            }
        }
    }
    let Some(connection) = bus else {
        return;
    };
    let closed = connection.call_sync(
        Some("org.freedesktop.Notifications"),
        "/org/freedesktop/Notifications",
        "org.freedesktop.Notifications",
        "CloseNotification",
        Some(&(id,).to_variant()),
        None,
        gio::DBusCallFlags::NONE,
        CLOSE_TIMEOUT_MS,
        gio::Cancellable::NONE,
    );
    // A server may have closed it already, e.g. when it was clicked.
    if let Err(error) = closed {
        tracing::debug!("Could not withdraw a notification: {error}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(summary: &str) -> Text {
        Text {
            summary: summary.into(),
            body: "hi".into(),
        }
    }

    #[test]
    fn only_the_newest_text_of_a_burst_is_sent() {
        let mut schedule = Schedule::default();
        let start = Instant::now();
        schedule.replace(7, text("Bob (2 new messages)"));
        assert_eq!(
            schedule.take_due(start),
            vec![(7, text("Bob (2 new messages)"))]
        );
        for count in 3..=50 {
            schedule.replace(7, text(&format!("Bob ({count} new messages)")));
        }
        // Within the interval nothing more goes out, and the wait is known.
        assert!(schedule.take_due(start + UPDATE_INTERVAL / 2).is_empty());
        assert_eq!(schedule.next_due(), Some(start + UPDATE_INTERVAL));
        assert_eq!(
            schedule.take_due(start + UPDATE_INTERVAL),
            vec![(7, text("Bob (50 new messages)"))]
        );
        assert_eq!(schedule.next_due(), None);
    }

    #[test]
    fn notifications_are_paced_apart() {
        let mut schedule = Schedule::default();
        let start = Instant::now();
        schedule.replace(1, text("Bob (2 new messages)"));
        assert_eq!(schedule.take_due(start).len(), 1);
        schedule.replace(1, text("Bob (3 new messages)"));
        schedule.replace(2, text("Carol (2 new messages)"));
        // Carol's was not updated lately, so it goes at once.
        assert_eq!(
            schedule.take_due(start),
            vec![(2, text("Carol (2 new messages)"))]
        );
        assert_eq!(schedule.next_due(), Some(start + UPDATE_INTERVAL));
    }

    #[test]
    fn a_withdrawn_notification_gets_no_late_update() {
        let mut schedule = Schedule::default();
        let start = Instant::now();
        schedule.replace(7, text("Bob (2 new messages)"));
        schedule.take_due(start);
        schedule.replace(7, text("Bob (3 new messages)"));
        schedule.withdraw(7);
        assert_eq!(schedule.next_due(), None);
        assert!(schedule.take_due(start + UPDATE_INTERVAL).is_empty());
    }
}
