//! Desktop notifications for incoming messages: at most one per chat.
//!
//! A chat's notification is replaced as more messages arrive ("Bob (3 new
//! messages)") instead of stacking one per message, so a backlog delivered
//! after reconnecting does not flood the desktop; the [`Updater`] paces
//! those replacements. Once the chat is read its notification is
//! withdrawn. Showing a notification and waiting for its action block, so
//! that runs on a background thread; the caller forwards the click to the
//! UI. Without a notification server the functions log and return.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use gettextrs::gettext;

pub use updater::{Text, Updater};

use super::ChatKey;
use crate::config;
use crate::i18n::ngettext_f;

mod updater;

/// The longest body shown in a notification, in characters.
const MAX_BODY_CHARS: usize = 200;
/// How long to go without notifications after the server could not show
/// one (there is none, or it is stuck): trying again for every message of
/// a burst made a connection to the session bus, and logged, for each.
const PAUSE_AFTER_FAILURE: Duration = Duration::from_secs(60);

/// Shorten `body` to at most [`MAX_BODY_CHARS`] characters, on a character
/// boundary, with an ellipsis when something was cut.
pub fn truncate_body(body: &str) -> String {
    let body = body.trim();
    match body.char_indices().nth(MAX_BODY_CHARS) {
        Some((cut, _)) => format!("{}…", body[..cut].trim_end()),
        None => body.to_owned(),
    }
}

/// What to do for a new message in a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Show a new notification and wait for its click.
    Show {
        /// The title.
        summary: String,
        /// Names this showing in the answers about it (see
        /// [`Tracker::shown`] and [`Tracker::closed`]).
        serial: u64,
    },
    /// Replace the chat's notification (the server's id) with `text`.
    Replace {
        /// The notification to replace.
        id: u32,
        /// Its new text.
        text: Text,
    },
    /// The chat's notification is still being shown; the newest text goes
    /// out once it is (see [`Tracker::shown`]).
    Wait,
}

/// The chats that have a notification on screen, and how many messages it
/// stands for.
#[derive(Debug, Default)]
pub struct Tracker {
    chats: HashMap<ChatKey, Shown>,
    last_serial: u64,
}

#[derive(Debug)]
struct Shown {
    serial: u64,
    /// The server's id, once it answered.
    id: Option<u32>,
    /// Unread messages the notification stands for.
    messages: u32,
    /// The newest text, for when the server answers after more messages.
    latest: Text,
}

impl Tracker {
    /// A message with `body` arrived in `key` (whose contact is `name`).
    pub fn message(&mut self, key: &ChatKey, name: &str, body: &str) -> Plan {
        let next_serial = self.last_serial + 1;
        let shown = self.chats.entry(key.clone()).or_insert_with(|| Shown {
            serial: next_serial,
            id: None,
            messages: 0,
            latest: Text::default(),
        });
        shown.messages += 1;
        shown.latest = Text {
            summary: summary(name, shown.messages),
            body: body.to_owned(),
        };
        match (shown.id, shown.messages) {
            (_, 1) => {
                self.last_serial = next_serial;
                Plan::Show {
                    summary: shown.latest.summary.clone(),
                    serial: next_serial,
                }
            }
            (Some(id), _) => Plan::Replace {
                id,
                text: shown.latest.clone(),
            },
            (None, _) => Plan::Wait,
        }
    }

    /// The server showed the notification `serial` of `key` under `id`.
    /// Returns what to do with it: replace its text if messages came
    /// meanwhile, or withdraw it if the chat was read meanwhile.
    pub fn shown(&mut self, key: &ChatKey, serial: u64, id: u32) -> Option<Answer> {
        match self.chats.get_mut(key) {
            Some(shown) if shown.serial == serial => {
                shown.id = Some(id);
                (shown.messages > 1).then(|| Answer::Replace(id, shown.latest.clone()))
            }
            _ => Some(Answer::Withdraw(id)),
        }
    }

    /// The notification `serial` of `key` was closed (or could not be
    /// shown): the next message starts a new one. Returns its id, whose
    /// waiting updates are to be dropped.
    pub fn closed(&mut self, key: &ChatKey, serial: u64) -> Option<u32> {
        if self
            .chats
            .get(key)
            .is_some_and(|shown| shown.serial == serial)
        {
            self.chats.remove(key).and_then(|shown| shown.id)
        } else {
            None
        }
    }

    /// The chat was read (or left): the next message starts a new
    /// notification. Returns the id of the one on screen, to withdraw.
    pub fn read(&mut self, key: &ChatKey) -> Option<u32> {
        self.chats.remove(key).and_then(|shown| shown.id)
    }

    /// Forget every chat's notification; returns the ids of those on
    /// screen, to withdraw.
    pub fn take_all(&mut self) -> Vec<u32> {
        self.chats
            .drain()
            .filter_map(|(_, shown)| shown.id)
            .collect()
    }
}

/// The app's message notifications: which are on screen, and the thread
/// that updates and withdraws them (started when first needed).
#[derive(Debug, Default)]
pub struct Notifier {
    tracker: Tracker,
    updater: Option<Updater>,
    /// Until when no notification is shown, after one failed.
    paused_until: Option<Instant>,
}

impl Notifier {
    /// A message with `body` arrived in `key` (whose contact is `name`).
    /// Returns the title and serial of a notification the caller is to
    /// show with [`show_message`]; updates of one on screen are sent here.
    pub fn message(&mut self, key: &ChatKey, name: &str, body: &str) -> Option<(String, u64)> {
        self.message_at(key, name, body, Instant::now())
    }

    fn message_at(
        &mut self,
        key: &ChatKey,
        name: &str,
        body: &str,
        now: Instant,
    ) -> Option<(String, u64)> {
        if self.paused_until.is_some_and(|until| now < until) {
            return None;
        }
        match self.tracker.message(key, name, body) {
            Plan::Show { summary, serial } => Some((summary, serial)),
            Plan::Replace { id, text } => {
                self.answer(Answer::Replace(id, text));
                None
            }
            Plan::Wait => None,
        }
    }

    /// The server showed notification `serial` of `key` under `id`.
    pub fn shown(&mut self, key: &ChatKey, serial: u64, id: u32) {
        if let Some(answer) = self.tracker.shown(key, serial, id) {
            self.answer(answer);
        }
    }

    /// Notification `serial` of `key` was closed or, when `failed`, could
    /// not be shown: then none is shown for a while.
    pub fn closed(&mut self, key: &ChatKey, serial: u64, failed: bool) {
        self.closed_at(key, serial, failed, Instant::now());
    }

    fn closed_at(&mut self, key: &ChatKey, serial: u64, failed: bool, now: Instant) {
        if failed {
            self.paused_until = Some(now + PAUSE_AFTER_FAILURE);
        }
        // An update still waiting would show it again, as a new
        // notification that nothing tracks.
        if let Some(id) = self.tracker.closed(key, serial)
            && let Some(updater) = &self.updater
        {
            updater.forget(id);
        }
    }

    /// The chat `key` was read or left: withdraw its notification.
    pub fn read(&mut self, key: &ChatKey) {
        if let Some(id) = self.tracker.read(key) {
            self.answer(Answer::Withdraw(id));
        }
    }

    /// Withdraw every notification on screen (Warbler is quitting).
    pub fn withdraw_all(&mut self) {
        for id in self.tracker.take_all() {
            self.answer(Answer::Withdraw(id));
        }
    }

    /// Wait until the withdrawals asked for have been sent (briefly: each
    /// call to the notification server is bounded).
    pub fn finish(&mut self) {
        if let Some(updater) = self.updater.take() {
            updater.finish();
        }
    }

    fn answer(&mut self, answer: Answer) {
        if self.updater.is_none() {
            self.updater = Updater::start(replace_message);
        }
        let Some(updater) = &self.updater else {
            return;
        };
        match answer {
            Answer::Replace(id, text) => updater.replace(id, text),
            Answer::Withdraw(id) => updater.withdraw(id),
        }
    }
}

/// What to do with a notification once the server has shown it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Give it this newer text.
    Replace(u32, Text),
    /// Withdraw it: its chat was read.
    Withdraw(u32),
}

/// A notification's title for `messages` unread messages from `name`.
fn summary(name: &str, messages: u32) -> String {
    if messages == 1 {
        name.to_owned()
    } else {
        // Translators: a notification title, e.g. "Bob (3 new messages)".
        ngettext_f(
            "{name} ({count} new message)",
            "{name} ({count} new messages)",
            messages,
            &[("name", name), ("count", &messages.to_string())],
        )
    }
}

fn notification(summary: &str, body: &str) -> notify_rust::Notification {
    let mut notification = notify_rust::Notification::new();
    notification
        .appname("Warbler")
        .icon(config::APP_ID)
        .summary(summary)
        // Notification servers may interpret markup; the body is plain
        // text, so escape it.
        .body(&relm4::gtk::glib::markup_escape_text(&truncate_body(body)))
        .action("default", &gettext("Open Chat"))
        .hint(notify_rust::Hint::Category("im.received".to_owned()))
        .hint(notify_rust::Hint::DesktopEntry(config::APP_ID.to_owned()));
    notification
}

/// How a message notification ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The user clicked it.
    Clicked,
    /// It was dismissed, expired or withdrawn.
    Closed,
    /// The notification server could not show it.
    Failed,
}

/// Show a message notification and report its id through `on_shown`.
/// Blocks until the notification is clicked or closed, or could not be
/// shown.
pub fn show_message(summary: &str, body: &str, on_shown: impl FnOnce(u32)) -> Outcome {
    match notification(summary, body).show() {
        Ok(handle) => {
            on_shown(handle.id());
            let mut clicked = false;
            handle.wait_for_action(|action| clicked = action == "default");
            if clicked {
                Outcome::Clicked
            } else {
                Outcome::Closed
            }
        }
        Err(error) => {
            tracing::warn!(
                "Could not show a notification; none for {} s: {error}",
                PAUSE_AFTER_FAILURE.as_secs()
            );
            Outcome::Failed
        }
    }
}

/// Replace the text of notification `id` (shown by [`show_message`],
/// whose thread still waits for its click). Blocks; the [`Updater`] calls
/// it.
pub fn replace_message(id: u32, text: &Text) {
    if let Err(error) = notification(&text.summary, &text.body).id(id).show() {
        tracing::warn!("Could not update a notification: {error}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warbler::model::BareJid;

    fn key(peer: &str) -> ChatKey {
        let jid = |s: &str| s.parse::<BareJid>().expect("valid JID");
        (jid("alice@example.org"), jid(peer))
    }

    /// Without a notification server, a burst tries once, not once a
    /// message; after a while, notifications are tried again.
    #[test]
    fn a_failed_notification_pauses_the_others() {
        let mut notifier = Notifier::default();
        let start = Instant::now();
        let (bob, carol) = (key("bob@example.org"), key("carol@example.org"));
        let (_, serial) = notifier
            .message_at(&bob, "Bob", "one", start)
            .expect("shown");
        notifier.closed_at(&bob, serial, true, start);
        let later = start + Duration::from_secs(1);
        assert_eq!(notifier.message_at(&bob, "Bob", "two", later), None);
        assert_eq!(notifier.message_at(&carol, "Carol", "hi", later), None);
        let after = start + PAUSE_AFTER_FAILURE;
        let (summary, _) = notifier
            .message_at(&bob, "Bob", "three", after)
            .expect("shown again");
        // Only what came after the pause is counted.
        assert_eq!(summary, "Bob");
    }

    /// A notification the user dismissed does not pause the others.
    #[test]
    fn a_dismissed_notification_does_not_pause_the_others() {
        let mut notifier = Notifier::default();
        let now = Instant::now();
        let bob = key("bob@example.org");
        let (_, serial) = notifier.message_at(&bob, "Bob", "one", now).expect("shown");
        notifier.closed_at(&bob, serial, false, now);
        assert!(notifier.message_at(&bob, "Bob", "two", now).is_some());
    }

    #[test]
    fn short_bodies_are_kept() {
        assert_eq!(truncate_body("  hi  "), "hi");
    }

    #[test]
    fn long_bodies_are_cut_on_characters() {
        let long = "é".repeat(300);
        let cut = truncate_body(&long);
        assert_eq!(cut.chars().count(), MAX_BODY_CHARS + 1);
        assert!(cut.ends_with('…'));
    }

    fn text(summary: &str, body: &str) -> Text {
        Text {
            summary: summary.into(),
            body: body.into(),
        }
    }

    #[test]
    fn a_chat_has_one_notification_that_later_messages_replace() {
        let mut tracker = Tracker::default();
        let bob = key("bob@example.org");
        let Plan::Show { summary, serial } = tracker.message(&bob, "Bob", "one") else {
            panic!("the first message shows a notification");
        };
        assert_eq!(summary, "Bob");
        // Before the server answered, nothing more is shown…
        assert_eq!(tracker.message(&bob, "Bob", "two"), Plan::Wait);
        // …and once it did, the notification catches up.
        assert_eq!(
            tracker.shown(&bob, serial, 7),
            Some(Answer::Replace(7, text("Bob (2 new messages)", "two")))
        );
        assert_eq!(
            tracker.message(&bob, "Bob", "three"),
            Plan::Replace {
                id: 7,
                text: text("Bob (3 new messages)", "three")
            }
        );
        // Another chat gets its own.
        assert!(matches!(
            tracker.message(&key("carol@example.org"), "Carol", "hi"),
            Plan::Show { .. }
        ));
        // Once closed (its waiting updates dropped by its id), the next
        // message starts afresh.
        assert_eq!(tracker.closed(&bob, serial), Some(7));
        assert!(matches!(
            tracker.message(&bob, "Bob", "four"),
            Plan::Show { summary, .. } if summary == "Bob"
        ));
    }

    #[test]
    fn a_shown_notification_with_no_news_is_left_alone() {
        let mut tracker = Tracker::default();
        let bob = key("bob@example.org");
        let Plan::Show { serial, .. } = tracker.message(&bob, "Bob", "one") else {
            panic!("the first message shows a notification");
        };
        assert_eq!(tracker.shown(&bob, serial, 3), None);
    }

    #[test]
    fn reading_a_chat_withdraws_its_notification() {
        let mut tracker = Tracker::default();
        let bob = key("bob@example.org");
        let Plan::Show { serial, .. } = tracker.message(&bob, "Bob", "one") else {
            panic!("the first message shows a notification");
        };
        tracker.shown(&bob, serial, 7);
        assert_eq!(tracker.read(&bob), Some(7));
        // A notification the server shows only after the chat was read is
        // withdrawn too.
        let Plan::Show { serial, .. } = tracker.message(&bob, "Bob", "two") else {
            panic!("a message after reading shows a new notification");
        };
        assert_eq!(tracker.read(&bob), None);
        assert_eq!(tracker.shown(&bob, serial, 8), Some(Answer::Withdraw(8)));
    }

    #[test]
    fn quitting_withdraws_every_notification_on_screen() {
        let mut tracker = Tracker::default();
        let bob = key("bob@example.org");
        let carol = key("carol@example.org");
        let Plan::Show { serial, .. } = tracker.message(&bob, "Bob", "one") else {
            panic!("the first message shows a notification");
        };
        tracker.shown(&bob, serial, 7);
        // Carol's is not on screen yet; once it is, it is withdrawn.
        let Plan::Show { serial, .. } = tracker.message(&carol, "Carol", "hi") else {
            panic!("the first message shows a notification");
        };
        assert_eq!(tracker.take_all(), vec![7]);
        assert_eq!(tracker.shown(&carol, serial, 8), Some(Answer::Withdraw(8)));
    }

    #[test]
    fn news_of_an_old_notification_leaves_the_new_one_alone() {
        let mut tracker = Tracker::default();
        let bob = key("bob@example.org");
        let Plan::Show { serial: old, .. } = tracker.message(&bob, "Bob", "one") else {
            panic!("the first message shows a notification");
        };
        tracker.shown(&bob, old, 7);
        tracker.read(&bob);
        let Plan::Show { serial: new, .. } = tracker.message(&bob, "Bob", "two") else {
            panic!("a message after reading shows a new notification");
        };
        // The old one's close comes in late: the new one stays tracked.
        assert_eq!(tracker.closed(&bob, old), None);
        assert_eq!(tracker.message(&bob, "Bob", "three"), Plan::Wait);
        assert_eq!(
            tracker.shown(&bob, new, 8),
            Some(Answer::Replace(8, text("Bob (2 new messages)", "three")))
        );
    }
}
