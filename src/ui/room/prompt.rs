//! A small question with one text field (a new nickname, a subject, a
//! password, an address to invite, a reason), maybe after a choice (the
//! room to invite someone to) or with a second, optional text field (the
//! reason of an invitation), as an `adw::MessageDialog`.

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk;

use crate::ui::set_accessible_label;

/// What to ask.
pub struct Prompt {
    /// The dialog's heading.
    pub heading: String,
    /// The sentence under it.
    pub body: String,
    /// The field's title (also its accessible name).
    pub field: String,
    /// The field's initial text.
    pub initial: String,
    /// The confirming button's label (with a mnemonic).
    pub confirm: String,
    /// Hide the text (passwords).
    pub secret: bool,
    /// Whether an empty answer is accepted (an optional reason, clearing a
    /// subject).
    pub allow_empty: bool,
    /// Style the confirming button as destructive (kick, ban) rather than
    /// suggested.
    pub destructive: bool,
    /// Whether a (non-empty) answer is acceptable, e.g. a valid address.
    pub valid: fn(&str) -> bool,
    /// A choice above the field: its title (also its accessible name) and
    /// options; see [`Prompt::ask_choice`].
    pub choice: Option<(String, Vec<String>)>,
    /// A second, optional text field under the first: its title (also its
    /// accessible name); see [`Prompt::ask_two`].
    pub second: Option<String>,
}

impl Prompt {
    /// A prompt with a suggested confirming button that needs an answer.
    pub fn new(heading: String, body: String, field: String, confirm: String) -> Self {
        Self {
            heading,
            body,
            field,
            initial: String::new(),
            confirm,
            secret: false,
            allow_empty: false,
            destructive: false,
            valid: |_| true,
            choice: None,
            second: None,
        }
    }

    /// Show the dialog over `parent`; `on_answer` gets the trimmed text
    /// (untrimmed for a secret) when the user confirms.
    pub fn ask(self, parent: Option<&gtk::Window>, on_answer: impl Fn(String) + 'static) {
        self.ask_choice(parent, move |_, text| on_answer(text));
    }

    /// Like [`Prompt::ask`], with the position of the option chosen in
    /// [`Prompt::choice`] (0 without one).
    pub fn ask_choice(
        self,
        parent: Option<&gtk::Window>,
        on_answer: impl Fn(u32, String) + 'static,
    ) {
        self.show(parent, move |position, text, _| on_answer(position, text));
    }

    /// Like [`Prompt::ask`], with the trimmed text of [`Prompt::second`]
    /// (empty without one); only the first field is checked.
    pub fn ask_two(
        self,
        parent: Option<&gtk::Window>,
        on_answer: impl Fn(String, String) + 'static,
    ) {
        self.show(parent, move |_, text, second| on_answer(text, second));
    }

    /// Show the dialog; `on_answer` gets the choice's position, the first
    /// field's text and the second's.
    fn show(self, parent: Option<&gtk::Window>, on_answer: impl Fn(u32, String, String) + 'static) {
        let dialog = adw::MessageDialog::new(parent, Some(&self.heading), Some(&self.body));
        // Entry rows: their title names them for screen readers too (a
        // plain entry's name does not reach them on GTK 4.8).
        let entry: adw::EntryRow = if self.secret {
            adw::PasswordEntryRow::builder()
                .title(&self.field)
                .activates_default(true)
                .build()
                .upcast()
        } else {
            adw::EntryRow::builder()
                .title(&self.field)
                .text(&self.initial)
                .activates_default(true)
                .build()
        };
        let editable = entry.clone().upcast::<gtk::Editable>();
        let list = gtk::ListBox::builder()
            .selection_mode(gtk::SelectionMode::None)
            .css_classes(["boxed-list"])
            .build();
        let combo = self.choice.as_ref().map(|(title, options)| {
            let options: Vec<&str> = options.iter().map(String::as_str).collect();
            let combo = adw::ComboRow::builder()
                .title(title)
                .model(&gtk::StringList::new(&options))
                .build();
            set_accessible_label(&combo, title);
            combo
        });
        if let Some(combo) = &combo {
            list.append(combo);
        }
        list.append(&entry);
        let second = self.second.as_ref().map(|title| {
            let row = adw::EntryRow::builder()
                .title(title)
                .activates_default(true)
                .build();
            list.append(&row);
            row
        });
        dialog.set_extra_child(Some(&list));
        dialog.add_response("cancel", &gettext("_Cancel"));
        dialog.add_response("confirm", &self.confirm);
        dialog.set_response_appearance(
            "confirm",
            if self.destructive {
                adw::ResponseAppearance::Destructive
            } else {
                adw::ResponseAppearance::Suggested
            },
        );
        dialog.set_default_response(Some("confirm"));
        dialog.set_close_response("cancel");
        let allow_empty = self.allow_empty;
        let valid = self.valid;
        let acceptable = move |text: &str| {
            let text = text.trim();
            if text.is_empty() {
                allow_empty
            } else {
                valid(text)
            }
        };
        let enable = move |dialog: &adw::MessageDialog, text: &str| {
            dialog.set_response_enabled("confirm", acceptable(text));
        };
        enable(&dialog, &self.initial);
        let changed_dialog = dialog.clone();
        editable.connect_changed(move |editable| enable(&changed_dialog, &editable.text()));
        let secret = self.secret;
        dialog.connect_response(None, move |_, response| {
            if response == "confirm" {
                let text = editable.text();
                let text = if secret {
                    text.to_string()
                } else {
                    text.trim().to_owned()
                };
                if acceptable(&text) {
                    let second = second
                        .as_ref()
                        .map(|row| row.text().trim().to_owned())
                        .unwrap_or_default();
                    on_answer(combo.as_ref().map_or(0, |c| c.selected()), text, second);
                }
            }
        });
        dialog.present();
    }
}
