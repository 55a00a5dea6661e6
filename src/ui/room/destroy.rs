//! The question before an owner destroys a room: an `adw::MessageDialog`
//! with a destructive button, an optional reason and an optional address of
//! the room where the conversation continues (both told to the occupants).

use adw::prelude::*;
use gettextrs::gettext;
use relm4::{adw, gtk};
use warbler::model::BareJid;

use super::affiliations::{AddressProblem, parse_address};
use crate::i18n::gettext_f;

/// What the owner answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestroyAnswer {
    /// Why, told to the occupants.
    pub reason: Option<String>,
    /// Where the conversation continues.
    pub alternative: Option<BareJid>,
}

/// The alternative room typed in: none when empty, `Err` when it is not a
/// room address.
pub fn parse_alternative(text: &str) -> Result<Option<BareJid>, AddressProblem> {
    match parse_address(text) {
        Ok(jid) => Ok(Some(jid)),
        Err(AddressProblem::Empty) => Ok(None),
        Err(problem) => Err(problem),
    }
}

/// A field, named by its title (for screen readers too).
fn entry(name: &str) -> adw::EntryRow {
    adw::EntryRow::builder().title(name).build()
}

/// Ask whether to destroy the room `name`; `on_answer` gets the details
/// when the owner confirms.
pub fn ask(parent: Option<&gtk::Window>, name: &str, on_answer: impl Fn(DestroyAnswer) + 'static) {
    let dialog = adw::MessageDialog::new(
        parent,
        Some(&gettext_f("Destroy {room}?", &[("room", name)])),
        Some(&gettext(
            "The room closes for everyone in it and its bookmark is removed. This cannot be undone.",
        )),
    );
    let reason = entry(&gettext("Reason (optional)"));
    let alternative = entry(&gettext("Address of a room to continue in (optional)"));
    let fields = gtk::ListBox::builder()
        .selection_mode(gtk::SelectionMode::None)
        .css_classes(["boxed-list"])
        .build();
    fields.append(&reason);
    fields.append(&alternative);
    dialog.set_extra_child(Some(&fields));
    dialog.add_response("cancel", &gettext("_Cancel"));
    dialog.add_response("destroy", &gettext("_Destroy Room"));
    dialog.set_response_appearance("destroy", adw::ResponseAppearance::Destructive);
    dialog.set_default_response(Some("cancel"));
    dialog.set_close_response("cancel");
    let changed_dialog = dialog.clone();
    alternative.connect_changed(move |entry| {
        let valid = parse_alternative(&entry.text()).is_ok();
        changed_dialog.set_response_enabled("destroy", valid);
        if valid {
            entry.remove_css_class("error");
        } else {
            entry.add_css_class("error");
        }
    });
    dialog.connect_response(None, move |_, response| {
        if response != "destroy" {
            return;
        }
        let Ok(alternative) = parse_alternative(&alternative.text()) else {
            return;
        };
        let reason = reason.text().trim().to_owned();
        on_answer(DestroyAnswer {
            reason: (!reason.is_empty()).then_some(reason),
            alternative,
        });
    });
    dialog.present();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alternative_room_is_optional_but_must_be_an_address() {
        assert_eq!(parse_alternative(""), Ok(None));
        assert_eq!(parse_alternative("  "), Ok(None));
        assert_eq!(
            parse_alternative("new@conference.example.org"),
            Ok(Some(
                BareJid::new("new@conference.example.org").expect("valid JID")
            ))
        );
        assert!(parse_alternative("new@conference.example.org/Alice").is_err());
        assert!(parse_alternative("not an address").is_err());
    }
}
