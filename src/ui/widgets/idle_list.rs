//! A long list that is not on screen (on a stack page that is not shown,
//! in a folded pane) is hidden, so that GTK leaves its rows out of style
//! checks.
//!
//! A hidden page's widgets are unmapped but still visible, and GTK checks
//! the style of every visible widget whenever the pointer's hover moves
//! from one widget to another: it takes the hover state off every widget
//! from the old one up to the window and puts it back on every widget down
//! to the new one, so every widget beside that chain must be checked
//! again. A list view keeps a couple of hundred rows alive; for a roster
//! of 1,000 contacts on the hidden Contacts page that was about 3,600 of
//! the window's 4,300 styled nodes, checked on every crossing anywhere in
//! the window, several times a second while a list scrolls under a
//! resting pointer.

use relm4::gtk::{self, prelude::*};

/// Hide the content of `scrolled` while `scrolled` is not mapped, and show
/// it again when it is.
pub fn hide_content_while_unmapped(scrolled: &gtk::ScrolledWindow) {
    show_content(scrolled, scrolled.is_mapped());
    scrolled.connect_unmap(|scrolled| show_content(scrolled, false));
    scrolled.connect_map(|scrolled| show_content(scrolled, true));
}

fn show_content(scrolled: &gtk::ScrolledWindow, shown: bool) {
    if let Some(content) = scrolled.child() {
        content.set_visible(shown);
    }
}
