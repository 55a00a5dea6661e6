//! Desktop notifications for incoming messages.
//!
//! Showing a notification and waiting for its action block, so these
//! functions run on a background thread; the caller forwards the click to
//! the UI. Without a notification server they log and return.

use gettextrs::gettext;

use crate::config;

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

/// Show a message notification and call `on_click` if the user activates
/// it. Blocks until the notification is closed.
pub fn show_message(summary: &str, body: &str, on_click: impl FnOnce()) {
    let shown = notify_rust::Notification::new()
        .appname("Warbler")
        .icon(config::APP_ID)
        .summary(summary)
        // Notification servers may interpret markup; the body is plain
        // text, so escape it.
        .body(&relm4::gtk::glib::markup_escape_text(&truncate_body(body)))
        .action("default", &gettext("Open Chat"))
        .hint(notify_rust::Hint::Category("im.received".to_owned()))
        .hint(notify_rust::Hint::DesktopEntry(config::APP_ID.to_owned()))
        .show();
    match shown {
        Ok(handle) => handle.wait_for_action(|action| {
            if action == "default" {
                on_click();
            }
        }),
        Err(error) => tracing::warn!("Could not show a notification: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
