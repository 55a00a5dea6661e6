//! The About window.

use gettextrs::gettext;
use relm4::adw;
use relm4::gtk::{self, prelude::*};

use crate::config;

/// Show the About window over `parent`.
pub fn show(parent: &gtk::Window) {
    let about = adw::AboutWindow::builder()
        .transient_for(parent)
        .modal(true)
        .application_name("Warbler")
        .application_icon(config::APP_ID)
        .version(config::VERSION)
        .developer_name(gettext("The Warbler Contributors"))
        .comments(gettext("Chat with anyone on the open XMPP network"))
        .website("https://github.com/warbler-im/warbler")
        .issue_url("https://github.com/warbler-im/warbler/issues")
        .license_type(gtk::License::Gpl30)
        // Translators: replace with your names, one per line.
        .translator_credits(gettext("translator-credits"))
        .build();
    about.present();
}
