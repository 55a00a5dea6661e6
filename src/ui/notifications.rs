//! Desktop notifications for incoming messages: at most one per chat.
//!
//! A chat's notification is replaced as more messages arrive ("Bob (3 new
//! messages)") instead of stacking one per message, so a backlog delivered
//! after reconnecting does not flood the desktop. Showing a notification
//! and waiting for its action block, so that runs on a background thread;
//! the caller forwards the click to the UI. Without a notification server
//! the functions log and return.

use std::collections::HashMap;

use gettextrs::gettext;

use super::ChatKey;
use crate::config;
use crate::i18n::ngettext_f;

/// The longest body shown in a notification, in characters.
const MAX_BODY_CHARS: usize = 200;

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
    },
    /// Replace the chat's notification (the server's id).
    Replace {
        /// The notification to replace.
        id: u32,
        /// The new title.
        summary: String,
    },
    /// The chat's notification is still being shown; the next message
    /// updates it.
    Wait,
}

/// The chats that have a notification on screen, and how many messages it
/// stands for.
#[derive(Debug, Default)]
pub struct Tracker {
    chats: HashMap<ChatKey, Shown>,
}

#[derive(Debug)]
struct Shown {
    /// The server's id, once it answered.
    id: Option<u32>,
    /// Unread messages the notification stands for.
    messages: u32,
}

impl Tracker {
    /// A message arrived in `key` (whose contact is called `name`).
    pub fn message(&mut self, key: &ChatKey, name: &str) -> Plan {
        let shown = self.chats.entry(key.clone()).or_insert(Shown {
            id: None,
            messages: 0,
        });
        shown.messages += 1;
        let summary = if shown.messages == 1 {
            name.to_owned()
        } else {
            // Translators: a notification title, e.g. "Bob (3 new messages)".
            ngettext_f(
                "{name} ({count} new message)",
                "{name} ({count} new messages)",
                shown.messages,
                &[("name", name), ("count", &shown.messages.to_string())],
            )
        };
        match (shown.id, shown.messages) {
            (_, 1) => Plan::Show { summary },
            (Some(id), _) => Plan::Replace { id, summary },
            (None, _) => Plan::Wait,
        }
    }

    /// The server showed the chat's notification under `id`.
    pub fn shown(&mut self, key: &ChatKey, id: u32) {
        if let Some(shown) = self.chats.get_mut(key) {
            shown.id = Some(id);
        }
    }

    /// The notification was closed or the chat was read: the next message
    /// starts a new one.
    pub fn forget(&mut self, key: &ChatKey) {
        self.chats.remove(key);
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

/// Show a message notification, report its id through `on_shown`, and call
/// `on_click` if the user activates it. Blocks until it is closed.
pub fn show_message(
    summary: &str,
    body: &str,
    on_shown: impl FnOnce(u32),
    on_click: impl FnOnce(),
) {
    match notification(summary, body).show() {
        Ok(handle) => {
            on_shown(handle.id());
            handle.wait_for_action(|action| {
                if action == "default" {
                    on_click();
                }
            });
        }
        Err(error) => tracing::warn!("Could not show a notification: {error}"),
    }
}

/// Replace the notification `id` (shown by [`show_message`], whose thread
/// still waits for its click) with new text.
pub fn replace_message(id: u32, summary: &str, body: &str) {
    if let Err(error) = notification(summary, body).id(id).show() {
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

    #[test]
    fn a_chat_has_one_notification_that_later_messages_replace() {
        let mut tracker = Tracker::default();
        let bob = key("bob@example.org");
        assert_eq!(
            tracker.message(&bob, "Bob"),
            Plan::Show {
                summary: "Bob".into()
            }
        );
        // Before the server answered, nothing more is shown.
        assert_eq!(tracker.message(&bob, "Bob"), Plan::Wait);
        tracker.shown(&bob, 7);
        assert_eq!(
            tracker.message(&bob, "Bob"),
            Plan::Replace {
                id: 7,
                summary: "Bob (3 new messages)".into()
            }
        );
        // Another chat gets its own.
        assert!(matches!(
            tracker.message(&key("carol@example.org"), "Carol"),
            Plan::Show { .. }
        ));
        // Once closed or read, the next message starts afresh.
        tracker.forget(&bob);
        assert_eq!(
            tracker.message(&bob, "Bob"),
            Plan::Show {
                summary: "Bob".into()
            }
        );
    }
}
