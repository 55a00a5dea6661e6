//! One list row per visible form field, and reading the user's answer back
//! from it.
//!
//! Every text here comes from the server, so every label is plain text:
//! rows get `use-markup` off, labels are built without markup, and a
//! label such as `<b>x</b>` shows exactly those characters.

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk;
use warbler::model::{FieldKind, FormField};

use crate::i18n::gettext_f;
use crate::ui::AccessibleName;

/// The widget holding a field's answer.
pub(super) enum Control {
    /// boolean
    Switch(gtk::Switch),
    /// text-single, jid-single and (as its subclass) text-private.
    Entry(adw::EntryRow),
    /// text-multi and jid-multi: one value per line.
    Lines(gtk::TextView),
    /// list-single: the value behind each item of the combo row; `None` is
    /// the "not set" item.
    Choice {
        /// The row.
        row: adw::ComboRow,
        /// The value of each item, in order.
        choices: Vec<Option<String>>,
    },
    /// list-multi: one check button per option, with its value.
    Checks(Vec<(gtk::CheckButton, String)>),
    /// fixed: nothing to answer.
    Text,
}

/// The widgets of one visible field.
pub(super) struct FieldRow {
    /// The field's position in the form.
    pub index: usize,
    /// The row in the list; it gets the `error` style class.
    pub row: gtk::Widget,
    /// Where the answer is.
    pub control: Control,
    /// The validation message, hidden while there is none.
    pub message: gtk::Label,
}

/// The row title: the field's label, with the required marker.
fn title(field: &FormField) -> String {
    let label = field.display_label();
    if field.required {
        gettext_f(
            // Translators: the title of a form field the user must fill in;
            // {label} is the field's name as the server wrote it.
            "{label} (required)",
            &[("label", label)],
        )
    } else {
        label.to_owned()
    }
}

/// A plain-text label (server text is never markup).
fn plain_label(text: &str) -> gtk::Label {
    gtk::Label::builder()
        .label(text)
        .use_markup(false)
        .use_underline(false)
        .wrap(true)
        .wrap_mode(gtk::pango::WrapMode::WordChar)
        .xalign(0.0)
        .build()
}

/// The hidden label that shows what is wrong with a field.
fn message_label(suffix: bool) -> gtk::Label {
    let label = plain_label("");
    label.add_css_class("error");
    label.set_visible(false);
    if suffix {
        // Next to an entry or a switch: narrow enough to leave the control
        // room, wide enough that a short message is not one word a line.
        label.set_width_chars(14);
        label.set_max_width_chars(24);
        label.set_xalign(1.0);
        label.set_valign(gtk::Align::Center);
    }
    label
}

/// A row for fields whose control does not fit on one line: the title and
/// description above the control, the message below.
fn block_row(
    field: &FormField,
    control: &impl IsA<gtk::Widget>,
) -> (adw::PreferencesRow, gtk::Label) {
    let row = adw::PreferencesRow::builder()
        .activatable(false)
        .use_markup(false)
        .title(title(field))
        .build();
    let content = gtk::Box::builder()
        .orientation(gtk::Orientation::Vertical)
        .spacing(6)
        .margin_top(12)
        .margin_bottom(12)
        .margin_start(12)
        .margin_end(12)
        .build();
    if field.kind != FieldKind::Fixed || field.label.is_some() {
        let heading = plain_label(&title(field));
        heading.add_css_class("heading");
        content.append(&heading);
    }
    if let Some(description) = &field.description {
        let description = plain_label(description);
        description.add_css_class("dim-label");
        content.append(&description);
    }
    content.append(control);
    let message = message_label(false);
    content.append(&message);
    row.set_child(Some(&content));
    (row, message)
}

/// An action row with the field's title and description as plain text.
fn action_row<R: IsA<adw::ActionRow> + IsA<adw::PreferencesRow>>(row: R, field: &FormField) -> R {
    row.set_use_markup(false);
    row.set_title(&title(field));
    if let Some(description) = &field.description {
        row.set_subtitle(description);
    }
    row
}

/// The first value of a field, or nothing.
fn first(field: &FormField) -> &str {
    field.values.first().map(String::as_str).unwrap_or_default()
}

/// The widgets for the visible field at `index`.
pub(super) fn build(index: usize, field: &FormField) -> FieldRow {
    let name = field.display_label();
    let (row, control, message): (gtk::Widget, Control, gtk::Label) = match field.kind {
        FieldKind::Boolean => {
            let switch = gtk::Switch::builder()
                .active(field.bool_value().unwrap_or(false))
                .valign(gtk::Align::Center)
                .build();
            switch.set_accessible_name(name);
            let row = action_row(adw::ActionRow::new(), field);
            let message = message_label(true);
            row.add_suffix(&message);
            row.add_suffix(&switch);
            row.set_activatable_widget(Some(&switch));
            (row.upcast(), Control::Switch(switch), message)
        }
        FieldKind::TextSingle | FieldKind::JidSingle | FieldKind::TextPrivate => {
            let row: adw::EntryRow = if field.kind == FieldKind::TextPrivate {
                adw::PasswordEntryRow::new().upcast()
            } else {
                adw::EntryRow::new()
            };
            row.set_use_markup(false);
            row.set_title(&title(field));
            row.set_text(first(field));
            if field.kind == FieldKind::JidSingle {
                row.set_input_purpose(gtk::InputPurpose::Email);
            }
            // An entry row has no subtitle: the description becomes its
            // tooltip.
            row.set_tooltip_text(field.description.as_deref());
            row.set_accessible_name(name);
            let message = message_label(true);
            row.add_suffix(&message);
            (row.clone().upcast(), Control::Entry(row), message)
        }
        FieldKind::TextMulti | FieldKind::JidMulti => {
            let view = gtk::TextView::builder()
                .wrap_mode(gtk::WrapMode::WordChar)
                .accepts_tab(false)
                .top_margin(6)
                .bottom_margin(6)
                .left_margin(6)
                .right_margin(6)
                .build();
            view.buffer().set_text(&field.values.join("\n"));
            if field.kind == FieldKind::JidMulti {
                view.set_input_purpose(gtk::InputPurpose::Email);
            }
            view.set_accessible_name(name);
            let scrolled = gtk::ScrolledWindow::builder()
                .hscrollbar_policy(gtk::PolicyType::Never)
                .min_content_height(80)
                .child(&view)
                .build();
            let frame = gtk::Frame::builder().child(&scrolled).build();
            let (row, message) = block_row(field, &frame);
            (row.upcast(), Control::Lines(view), message)
        }
        FieldKind::ListSingle => {
            let current = field.values.iter().find(|value| !value.trim().is_empty());
            let mut choices: Vec<Option<String>> = Vec::new();
            let mut items: Vec<String> = Vec::new();
            match current {
                // An answer outside the options (an open list) is kept as
                // a choice of its own, so opening the form changes nothing.
                Some(value) if !field.options.iter().any(|o| &o.value == value) => {
                    choices.push(Some(value.clone()));
                    items.push(value.clone());
                }
                Some(_) => {}
                None => {
                    choices.push(None);
                    // Translators: the choice of a list that leaves it unset.
                    items.push(gettext("Not set"));
                }
            }
            for option in &field.options {
                choices.push(Some(option.value.clone()));
                items.push(option.display().to_owned());
            }
            let selected = choices
                .iter()
                .position(|choice| choice.as_ref() == current)
                .unwrap_or(0);
            let items: Vec<&str> = items.iter().map(String::as_str).collect();
            let row = action_row(adw::ComboRow::new(), field);
            row.set_model(Some(&gtk::StringList::new(&items)));
            row.set_selected(u32::try_from(selected).unwrap_or(0));
            row.set_accessible_name(name);
            let message = message_label(true);
            row.add_suffix(&message);
            (
                row.clone().upcast(),
                Control::Choice { row, choices },
                message,
            )
        }
        FieldKind::ListMulti => {
            let checks = gtk::Box::builder()
                .orientation(gtk::Orientation::Vertical)
                .spacing(3)
                .build();
            checks.set_accessible_name(name);
            let buttons: Vec<(gtk::CheckButton, String)> = field
                .options
                .iter()
                .map(|option| {
                    let button = gtk::CheckButton::builder()
                        .label(option.display())
                        .use_underline(false)
                        .active(field.values.contains(&option.value))
                        .build();
                    checks.append(&button);
                    (button, option.value.clone())
                })
                .collect();
            let (row, message) = block_row(field, &checks);
            (row.upcast(), Control::Checks(buttons), message)
        }
        FieldKind::Fixed | FieldKind::Hidden => {
            // Hidden fields never get here (see `DataFormView::new`); a
            // fixed field is its text, one value per line.
            let text = plain_label(&field.values.join("\n"));
            text.set_selectable(true);
            let (row, message) = block_row(field, &text);
            (row.upcast(), Control::Text, message)
        }
    };
    FieldRow {
        index,
        row,
        control,
        message,
    }
}

impl FieldRow {
    /// The values the user gave this field; `field` is the field as the
    /// server sent it.
    pub fn values(&self, field: &FormField) -> Vec<String> {
        let jid = field.kind.is_jid();
        match &self.control {
            Control::Switch(switch) => vec![if switch.is_active() { "1" } else { "0" }.to_owned()],
            Control::Entry(entry) => {
                let text = entry.text();
                let text = if jid { text.trim() } else { text.as_str() };
                if text.is_empty() && field.values.is_empty() {
                    // Nothing was there and nothing was typed: add no value.
                    Vec::new()
                } else {
                    // An emptied entry sends an empty value, which clears it.
                    vec![text.to_owned()]
                }
            }
            Control::Lines(view) => {
                let buffer = view.buffer();
                let (start, end) = buffer.bounds();
                let text = buffer.text(&start, &end, false);
                text.lines()
                    .map(|line| if jid { line.trim() } else { line })
                    // Blank lines separate nothing in a list of addresses.
                    .filter(|line| !(jid && line.is_empty()))
                    .map(str::to_owned)
                    .collect()
            }
            Control::Choice { row, choices } => choices
                .get(row.selected() as usize)
                .cloned()
                .flatten()
                .into_iter()
                .collect(),
            Control::Checks(buttons) => buttons
                .iter()
                .filter(|(button, _)| button.is_active())
                .map(|(_, value)| value.clone())
                .collect(),
            Control::Text => field.values.clone(),
        }
    }

    /// Show `text` as what is wrong with this field, or clear it.
    pub fn set_message(&self, text: Option<&str>) {
        match text {
            Some(text) => {
                self.message.set_label(text);
                self.message.set_visible(true);
                self.row.add_css_class("error");
            }
            None => {
                self.message.set_label("");
                self.message.set_visible(false);
                self.row.remove_css_class("error");
            }
        }
    }

    /// Move the keyboard focus to the field's control.
    pub fn focus(&self) {
        match &self.control {
            Control::Switch(switch) => switch.grab_focus(),
            Control::Entry(entry) => entry.grab_focus(),
            Control::Lines(view) => view.grab_focus(),
            Control::Choice { row, .. } => row.grab_focus(),
            Control::Checks(buttons) => buttons
                .first()
                .is_some_and(|(button, _)| button.grab_focus()),
            Control::Text => false,
        };
    }
}
