//! Data forms (XEP-0004) as plain data: what a room configuration, a
//! registration or an ad-hoc command asks of the user, and the answers.

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
