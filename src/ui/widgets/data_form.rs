//! A data form (XEP-0004) as libadwaita widgets, for room configuration,
//! room registration and ad-hoc commands alike.
//!
//! [`DataFormView`] shows the form's title and instructions and one row per
//! visible field in a preferences group, reads the user's answers back as a
//! [`DataForm`], and shows validation problems next to their fields. The
//! server writes every label, so all of them are plain text; only the
//! required marker and the problem messages are ours, and translated.

mod rows;
#[cfg(test)]
mod tests;

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk;
use warbler::model::{DataForm, FieldProblem, ProblemKind};

use crate::i18n::gettext_f;
use rows::FieldRow;

/// A data form rendered as widgets.
pub struct DataFormView {
    /// Title, instructions and the group of rows.
    root: gtk::Box,
    /// The form as the server sent it.
    form: DataForm,
    /// One per visible field, in form order.
    rows: Vec<FieldRow>,
}

impl std::fmt::Debug for DataFormView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataFormView")
            .field("form", &self.form)
            .finish_non_exhaustive()
    }
}

/// The translated sentence for a problem.
fn problem_text(kind: &ProblemKind) -> String {
    match kind {
        ProblemKind::Missing => gettext("Fill this in."),
        ProblemKind::TooManyValues { .. } => gettext("Give only one value."),
        ProblemKind::NotABoolean { value } => gettext_f(
            // Translators: {value} is what the form held instead of yes or no.
            "“{value}” is neither yes nor no.",
            &[("value", value)],
        ),
        ProblemKind::InvalidJid { value } => gettext_f(
            // Translators: {value} is what the user typed as a chat address.
            "“{value}” is not a valid address.",
            &[("value", value)],
        ),
        ProblemKind::NotAnOption { value } => {
            gettext_f("“{value}” is not one of the choices.", &[("value", value)])
        }
        ProblemKind::DuplicateValue { value } => {
            gettext_f("“{value}” is listed twice.", &[("value", value)])
        }
        // The server's fault; reported for completeness but never shown as
        // blocking (see `DataFormView::problems`).
        ProblemKind::MissingVar | ProblemKind::DuplicateVar => {
            gettext("The server sent this field incorrectly.")
        }
    }
}

/// A label for server text: never markup.
fn plain_heading(text: &str, class: &str) -> gtk::Label {
    let label = gtk::Label::builder()
        .label(text)
        .use_markup(false)
        .use_underline(false)
        .wrap(true)
        .xalign(0.0)
        .build();
    label.add_css_class(class);
    label
}

impl DataFormView {
    /// Render `form`: its title and instructions, then one row per visible
    /// field (hidden fields are kept for [`values`](Self::values) but not
    /// shown).
    pub fn new(form: DataForm) -> Self {
        let root = gtk::Box::builder()
            .orientation(gtk::Orientation::Vertical)
            .spacing(12)
            .build();
        if let Some(title) = &form.title {
            root.append(&plain_heading(title, "title-4"));
        }
        if let Some(instructions) = &form.instructions {
            root.append(&plain_heading(instructions, "body"));
        }
        let group = adw::PreferencesGroup::new();
        let rows: Vec<FieldRow> = form
            .fields
            .iter()
            .enumerate()
            .filter(|(_, field)| field.is_visible())
            .map(|(index, field)| rows::build(index, field))
            .collect();
        for row in &rows {
            group.add(&row.row);
        }
        root.append(&group);
        DataFormView { root, form, rows }
    }

    /// The widget to put in a dialog or page.
    pub fn widget(&self) -> &gtk::Box {
        &self.root
    }

    /// The form with the user's current answers (still of the kind the
    /// server sent; [`DataForm::to_submit`] makes the answer to send).
    pub fn values(&self) -> DataForm {
        let mut form = self.form.clone();
        for row in &self.rows {
            if let Some(field) = form.fields.get_mut(row.index) {
                field.values = row.values(field);
            }
        }
        form
    }

    /// What the user must correct before submitting. Faults of the form
    /// itself (a field without a name) are left out: the user cannot fix
    /// them, and the server may well accept the answer anyway.
    pub fn problems(&self) -> Vec<FieldProblem> {
        let problems = self.values().validate();
        for problem in problems.iter().filter(|p| p.kind.is_in_form()) {
            tracing::warn!(
                field = ?problem.var,
                "Could not use a form field as sent: {:?}",
                problem.kind
            );
        }
        problems
            .into_iter()
            .filter(|problem| !problem.kind.is_in_form())
            .collect()
    }

    /// Show `problems` next to their fields and clear every other field's
    /// message.
    pub fn show_problems(&self, problems: &[FieldProblem]) {
        for row in &self.rows {
            let texts: Vec<String> = problems
                .iter()
                .filter(|problem| problem.index == row.index)
                .map(|problem| problem_text(&problem.kind))
                .collect();
            row.set_message((!texts.is_empty()).then(|| texts.join("\n")).as_deref());
        }
    }

    /// Check the user's answers, show what is wrong (moving the focus to
    /// the first offending field) and return whether the form is valid.
    pub fn validate(&self) -> bool {
        let problems = self.problems();
        self.show_problems(&problems);
        if let Some(first) = problems.first()
            && let Some(row) = self.rows.iter().find(|row| row.index == first.index)
        {
            row.focus();
        }
        problems.is_empty()
    }
}
