//! The keyboard shortcuts window, described in `shortcuts.ui`.

use relm4::gtk::{self, prelude::*};

use crate::config;

/// Show the shortcuts window over `parent`.
pub fn show(parent: &gtk::Window) {
    let builder = gtk::Builder::from_resource(&format!("{}/shortcuts.ui", config::RESOURCE_PATH));
    match builder.object::<gtk::ShortcutsWindow>("shortcuts") {
        Some(window) => {
            window.set_transient_for(Some(parent));
            window.set_modal(true);
            window.present();
        }
        None => tracing::error!("Could not load the shortcuts window"),
    }
}
