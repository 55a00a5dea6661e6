//! Checking a filled-in form against the rules of XEP-0004 §3.2–3.3 before
//! it is submitted, so the user hears about a mistake next to the field
//! instead of as a server error about the whole form.

use std::collections::HashSet;

use super::{DataForm, FieldKind, FormField};
use crate::model::Jid;

/// Something wrong with one field of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field's position in [`DataForm::fields`]; it identifies the field
    /// even when its `var` is missing or repeated.
    pub index: usize,
    /// The field's `var`, if it has one.
    pub var: Option<String>,
    /// What is wrong.
    pub kind: ProblemKind,
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The field is required but has no value.
    Missing,
    /// A single-valued field (boolean, jid-single, list-single, text-single,
    /// text-private) has more than one value.
    TooManyValues {
        /// How many values it has.
        count: usize,
    },
    /// A boolean's value is not one of `0`, `1`, `false`, `true`.
    NotABoolean {
        /// The offending value.
        value: String,
    },
    /// A jid field's value is not an address.
    InvalidJid {
        /// The offending value.
        value: String,
    },
    /// A list field's value is not among its options.
    NotAnOption {
        /// The offending value.
        value: String,
    },
    /// A multi-valued field repeats a value (XEP-0004 asks for unique
    /// values in jid-multi and list-multi).
    DuplicateValue {
        /// The repeated value.
        value: String,
    },
    /// A field other than `fixed` has no `var`, so its answer cannot be
    /// sent (XEP-0004 §3.2).
    MissingVar,
    /// Another field before this one has the same `var` (XEP-0004 §3.2
    /// requires them to be unique).
    DuplicateVar,
}

impl ProblemKind {
    /// Whether the fault lies with the form as the server sent it (a field
    /// without `var`, a repeated `var`) rather than with the answers: the
    /// user cannot correct it, so it should not stop them from submitting.
    pub fn is_in_form(&self) -> bool {
        matches!(self, ProblemKind::MissingVar | ProblemKind::DuplicateVar)
    }
}

impl DataForm {
    /// Everything wrong with the form's current values, in field order
    /// (several problems per field are possible, e.g. two invalid
    /// addresses). An empty list means the form can be submitted.
    ///
    /// Fixed fields are text, not questions, and hidden fields go back
    /// exactly as the server sent them: the user could fix neither, so
    /// neither is checked.
    pub fn validate(&self) -> Vec<FieldProblem> {
        let mut problems = Vec::new();
        let mut seen_vars = HashSet::new();
        for (index, field) in self.fields.iter().enumerate() {
            if matches!(field.kind, FieldKind::Fixed | FieldKind::Hidden) {
                continue;
            }
            let mut report = |kind| {
                problems.push(FieldProblem {
                    index,
                    var: field.var.clone(),
                    kind,
                })
            };
            match &field.var {
                None => report(ProblemKind::MissingVar),
                Some(var) if !seen_vars.insert(var.as_str()) => report(ProblemKind::DuplicateVar),
                Some(_) => {}
            }
            field_problems(field, &mut report);
        }
        problems
    }
}

/// The problems of one visible field's values.
fn field_problems(field: &FormField, report: &mut impl FnMut(ProblemKind)) {
    if field.is_empty() {
        // Nothing else can be wrong with an empty field.
        if field.required {
            report(ProblemKind::Missing);
        }
        return;
    }
    // Blank values are what a cleared entry gives: they mean "no value" and
    // are neither addresses, options nor booleans to check.
    let values: Vec<&str> = field
        .values
        .iter()
        .map(String::as_str)
        .filter(|value| !value.trim().is_empty())
        .collect();
    if field.kind.is_single() && values.len() > 1 {
        report(ProblemKind::TooManyValues {
            count: values.len(),
        });
    }
    for value in &values {
        let bad = match field.kind {
            FieldKind::Boolean => (!matches!(*value, "0" | "1" | "false" | "true")).then(|| {
                ProblemKind::NotABoolean {
                    value: (*value).to_owned(),
                }
            }),
            FieldKind::JidSingle | FieldKind::JidMulti => {
                Jid::new(value.trim())
                    .is_err()
                    .then(|| ProblemKind::InvalidJid {
                        value: (*value).to_owned(),
                    })
            }
            // A list without options is open: any value goes.
            FieldKind::ListSingle | FieldKind::ListMulti => (!field.options.is_empty()
                && !field.options.iter().any(|option| option.value == *value))
            .then(|| ProblemKind::NotAnOption {
                value: (*value).to_owned(),
            }),
            _ => None,
        };
        if let Some(kind) = bad {
            report(kind);
        }
    }
    if matches!(field.kind, FieldKind::JidMulti | FieldKind::ListMulti) {
        let mut seen = HashSet::new();
        for value in &values {
            // Addresses are compared as parsed, so a stray space (kept by
            // the server as part of the value) does not hide a repeat.
            let key = match field.kind {
                FieldKind::JidMulti => Jid::new(value.trim())
                    .map(|jid| jid.to_string())
                    .unwrap_or_else(|_| (*value).to_owned()),
                _ => (*value).to_owned(),
            };
            if !seen.insert(key) {
                report(ProblemKind::DuplicateValue {
                    value: (*value).to_owned(),
                });
            }
        }
    }
}
