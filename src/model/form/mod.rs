//! Data forms (XEP-0004) as plain data: what a room configuration, a
//! registration or an ad-hoc command asks of the user, and the answers.
//!
//! The helpers here are what every user of a form needs: finding a field,
//! filling it in, checking the answers against XEP-0004 §3.3 and turning
//! the filled-in form into the `submit` form sent back.

mod validate;

#[cfg(test)]
mod tests;

pub use validate::{FieldProblem, ProblemKind};

/// The `var` of the field naming the form's purpose (XEP-0068).
pub const FORM_TYPE: &str = "FORM_TYPE";

/// What a form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormKind {
    /// Asks the user to fill it in.
    #[default]
    Form,
    /// The user's answers.
    Submit,
    /// The user cancelled.
    Cancel,
    /// Results to show (read-only).
    Result,
}

/// The type of one field (XEP-0004 §3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldKind {
    /// Yes or no.
    Boolean,
    /// Text shown to the user, not a question.
    Fixed,
    /// Carried along but never shown.
    Hidden,
    /// One address.
    JidSingle,
    /// Several addresses.
    JidMulti,
    /// One choice among options.
    ListSingle,
    /// Several choices among options.
    ListMulti,
    /// One line of text.
    #[default]
    TextSingle,
    /// Several lines of text.
    TextMulti,
    /// A secret (password).
    TextPrivate,
}

/// One choice of a list field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormOption {
    /// What the user sees.
    pub label: Option<String>,
    /// What is sent.
    pub value: String,
}

/// One field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FormField {
    /// Its name; `None` only for fixed fields.
    pub var: Option<String>,
    /// Its type.
    pub kind: FieldKind,
    /// Human-readable label, as sent by the server.
    pub label: Option<String>,
    /// Longer description, as sent by the server.
    pub description: Option<String>,
    /// Whether the form cannot be submitted without it.
    pub required: bool,
    /// Choices of a list field.
    pub options: Vec<FormOption>,
    /// Current values (one per line for text-multi, each address for
    /// jid-multi; "1"/"true" or "0"/"false" for booleans).
    pub values: Vec<String>,
}

/// A whole form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DataForm {
    /// What it is for.
    pub kind: FormKind,
    /// Its title, as sent by the server.
    pub title: Option<String>,
    /// Instructions, as sent by the server.
    pub instructions: Option<String>,
    /// Its fields, in order (including the hidden `FORM_TYPE`).
    pub fields: Vec<FormField>,
}

impl FieldKind {
    /// Whether the field takes at most one value (XEP-0004 §3.3).
    pub fn is_single(self) -> bool {
        matches!(
            self,
            FieldKind::Boolean
                | FieldKind::JidSingle
                | FieldKind::ListSingle
                | FieldKind::TextSingle
                | FieldKind::TextPrivate
        )
    }

    /// Whether the field's values are picked among its options.
    pub fn is_list(self) -> bool {
        matches!(self, FieldKind::ListSingle | FieldKind::ListMulti)
    }

    /// Whether the field's values are addresses.
    pub fn is_jid(self) -> bool {
        matches!(self, FieldKind::JidSingle | FieldKind::JidMulti)
    }
}

impl FormOption {
    /// The text to show for this option: its label, or its value when the
    /// server sent no label.
    pub fn display(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.value)
    }
}

impl FormField {
    /// Whether the user sees this field (every type but `hidden`).
    pub fn is_visible(&self) -> bool {
        self.kind != FieldKind::Hidden
    }

    /// The text naming this field: its label, else its `var`, else nothing.
    pub fn display_label(&self) -> &str {
        self.label
            .as_deref()
            .or(self.var.as_deref())
            .unwrap_or_default()
    }

    /// Whether the field has no value worth sending: no values at all, or
    /// only blank ones (a cleared text entry).
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(|value| value.trim().is_empty())
    }

    /// The field's value read as a boolean (`1`/`true` or `0`/`false`,
    /// XEP-0004 §3.3); `None` without a value or with anything else.
    pub fn bool_value(&self) -> Option<bool> {
        match self.values.first().map(String::as_str) {
            Some("1" | "true") => Some(true),
            Some("0" | "false") => Some(false),
            _ => None,
        }
    }
}

impl DataForm {
    /// The first field named `var`.
    pub fn field(&self, var: &str) -> Option<&FormField> {
        self.fields
            .iter()
            .find(|field| field.var.as_deref() == Some(var))
    }

    /// The first field named `var`, to change it.
    pub fn field_mut(&mut self, var: &str) -> Option<&mut FormField> {
        self.fields
            .iter_mut()
            .find(|field| field.var.as_deref() == Some(var))
    }

    /// Replace the values of the field named `var`. Returns whether the
    /// form has such a field: an answer to a question the form does not ask
    /// is dropped rather than invented.
    pub fn set_values(&mut self, var: &str, values: Vec<String>) -> bool {
        match self.field_mut(var) {
            Some(field) => {
                field.values = values;
                true
            }
            None => false,
        }
    }

    /// The form's purpose: the value of its `FORM_TYPE` field (XEP-0068),
    /// which must be hidden except in `submit` forms, where the type may be
    /// left out.
    pub fn form_type(&self) -> Option<&str> {
        self.fields
            .iter()
            .find(|field| {
                field.var.as_deref() == Some(FORM_TYPE)
                    && (field.kind == FieldKind::Hidden
                        || (self.kind == FormKind::Submit && field.kind == FieldKind::TextSingle))
            })
            .and_then(|field| field.values.first())
            .map(String::as_str)
    }

    /// The visible fields, in order.
    pub fn visible_fields(&self) -> impl Iterator<Item = &FormField> {
        self.fields.iter().filter(|field| field.is_visible())
    }

    /// The `submit` form answering this one (XEP-0004 §3.4): every field
    /// with a `var` except the fixed ones, with its type and values. Hidden
    /// fields go back unchanged, as the server expects them. Labels,
    /// descriptions and options are left out: the server wrote them.
    pub fn to_submit(&self) -> DataForm {
        DataForm {
            kind: FormKind::Submit,
            title: None,
            instructions: None,
            fields: self
                .fields
                .iter()
                .filter(|field| field.var.is_some() && field.kind != FieldKind::Fixed)
                .map(|field| FormField {
                    var: field.var.clone(),
                    kind: field.kind,
                    values: field.values.clone(),
                    ..FormField::default()
                })
                .collect(),
        }
    }

    /// Whether [`validate`](Self::validate) finds nothing wrong.
    pub fn is_valid(&self) -> bool {
        self.validate().is_empty()
    }
}
