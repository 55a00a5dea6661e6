//! Tests of the form helpers and of every validation rule, for every field
//! type.

use super::*;

fn field(var: &str, kind: FieldKind, values: &[&str]) -> FormField {
    FormField {
        var: Some(var.to_owned()),
        kind,
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        ..FormField::default()
    }
}

fn required(mut field: FormField) -> FormField {
    field.required = true;
    field
}

fn with_options(mut field: FormField, options: &[&str]) -> FormField {
    field.options = options
        .iter()
        .map(|value| FormOption {
            label: None,
            value: (*value).to_owned(),
        })
        .collect();
    field
}

fn form(fields: Vec<FormField>) -> DataForm {
    DataForm {
        fields,
        ..DataForm::default()
    }
}

/// The problems of a form holding only `field`.
fn problems(field: FormField) -> Vec<ProblemKind> {
    form(vec![field])
        .validate()
        .into_iter()
        .map(|problem| problem.kind)
        .collect()
}

fn value(text: &str) -> String {
    text.to_owned()
}

#[test]
fn required_fields_of_every_visible_type_must_have_a_value() {
    for kind in [
        FieldKind::Boolean,
        FieldKind::JidSingle,
        FieldKind::JidMulti,
        FieldKind::ListSingle,
        FieldKind::ListMulti,
        FieldKind::TextSingle,
        FieldKind::TextMulti,
        FieldKind::TextPrivate,
    ] {
        assert_eq!(
            problems(required(field("f", kind, &[]))),
            [ProblemKind::Missing],
            "{kind:?} without values"
        );
        assert_eq!(
            problems(required(field("f", kind, &["", "  "]))),
            [ProblemKind::Missing],
            "{kind:?} with blank values"
        );
        assert!(problems(field("f", kind, &[])).is_empty(), "{kind:?}");
    }
}

#[test]
fn fixed_and_hidden_fields_are_not_checked() {
    let mut fixed = required(field("f", FieldKind::Fixed, &["a", "b"]));
    fixed.var = None;
    let hidden = required(field("h", FieldKind::Hidden, &[]));
    assert!(form(vec![fixed, hidden]).validate().is_empty());
}

#[test]
fn single_valued_fields_take_at_most_one_value() {
    let cases = [
        (FieldKind::Boolean, ["1", "0"]),
        (FieldKind::JidSingle, ["a@example.org", "b@example.org"]),
        (FieldKind::ListSingle, ["a", "b"]),
        (FieldKind::TextSingle, ["a", "b"]),
        (FieldKind::TextPrivate, ["a", "b"]),
    ];
    for (kind, values) in cases {
        assert_eq!(
            problems(field("f", kind, &values)),
            [ProblemKind::TooManyValues { count: 2 }],
            "{kind:?}"
        );
    }
    for kind in [
        FieldKind::JidMulti,
        FieldKind::ListMulti,
        FieldKind::TextMulti,
    ] {
        let values = if kind == FieldKind::JidMulti {
            ["a@example.org", "b@example.org", "c@example.org"]
        } else {
            ["a", "b", "c"]
        };
        assert!(problems(field("f", kind, &values)).is_empty(), "{kind:?}");
    }
}

#[test]
fn booleans_accept_only_the_four_lexical_forms() {
    for ok in ["0", "1", "true", "false"] {
        assert!(problems(field("b", FieldKind::Boolean, &[ok])).is_empty());
    }
    for bad in ["yes", "TRUE", "2", "on"] {
        assert_eq!(
            problems(field("b", FieldKind::Boolean, &[bad])),
            [ProblemKind::NotABoolean { value: value(bad) }]
        );
    }
}

#[test]
fn jid_fields_must_hold_addresses() {
    assert!(
        problems(field(
            "j",
            FieldKind::JidSingle,
            &["room@muc.example.org/nick"]
        ))
        .is_empty()
    );
    assert!(problems(field("j", FieldKind::JidSingle, &["example.org"])).is_empty());
    assert_eq!(
        problems(field("j", FieldKind::JidSingle, &["a@b@c"])),
        [ProblemKind::InvalidJid {
            value: value("a@b@c")
        }]
    );
    assert_eq!(
        problems(field(
            "j",
            FieldKind::JidMulti,
            &["ok@example.org", "@bad", "", "also@bad@"]
        )),
        [
            ProblemKind::InvalidJid {
                value: value("@bad")
            },
            ProblemKind::InvalidJid {
                value: value("also@bad@")
            },
        ]
    );
}

#[test]
fn jid_multi_values_must_be_unique() {
    assert_eq!(
        problems(field(
            "j",
            FieldKind::JidMulti,
            &["a@example.org", "b@example.org", " a@example.org"]
        )),
        [ProblemKind::DuplicateValue {
            value: value(" a@example.org")
        }]
    );
}

#[test]
fn list_values_must_be_among_the_options() {
    let single = with_options(field("l", FieldKind::ListSingle, &["c"]), &["a", "b"]);
    assert_eq!(
        problems(single),
        [ProblemKind::NotAnOption { value: value("c") }]
    );
    let single = with_options(field("l", FieldKind::ListSingle, &["b"]), &["a", "b"]);
    assert!(problems(single).is_empty());

    let multi = with_options(
        field("l", FieldKind::ListMulti, &["a", "x", "b"]),
        &["a", "b"],
    );
    assert_eq!(
        problems(multi),
        [ProblemKind::NotAnOption { value: value("x") }]
    );
}

#[test]
fn lists_without_options_are_open() {
    assert!(problems(field("l", FieldKind::ListSingle, &["anything"])).is_empty());
    assert!(problems(field("l", FieldKind::ListMulti, &["x", "y"])).is_empty());
}

#[test]
fn list_multi_values_must_be_unique() {
    let multi = with_options(
        field("l", FieldKind::ListMulti, &["a", "b", "a"]),
        &["a", "b"],
    );
    assert_eq!(
        problems(multi),
        [ProblemKind::DuplicateValue { value: value("a") }]
    );
}

#[test]
fn text_fields_take_any_text() {
    assert!(problems(field("t", FieldKind::TextSingle, &["<b>x</b> & y"])).is_empty());
    assert!(problems(field("t", FieldKind::TextPrivate, &[" secret "])).is_empty());
    assert!(problems(field("t", FieldKind::TextMulti, &["line", "", "line"])).is_empty());
}

#[test]
fn vars_must_exist_and_be_unique() {
    let mut nameless = field("x", FieldKind::TextSingle, &[]);
    nameless.var = None;
    let form = form(vec![
        field("a", FieldKind::TextSingle, &[]),
        nameless,
        field("a", FieldKind::Boolean, &["1"]),
    ]);
    assert_eq!(
        form.validate(),
        [
            FieldProblem {
                index: 1,
                var: None,
                kind: ProblemKind::MissingVar
            },
            FieldProblem {
                index: 2,
                var: Some(value("a")),
                kind: ProblemKind::DuplicateVar
            },
        ]
    );
}

#[test]
fn only_missing_or_repeated_vars_are_the_forms_fault() {
    assert!(ProblemKind::MissingVar.is_in_form());
    assert!(ProblemKind::DuplicateVar.is_in_form());
    assert!(!ProblemKind::Missing.is_in_form());
    assert!(!ProblemKind::TooManyValues { count: 2 }.is_in_form());
    assert!(!ProblemKind::InvalidJid { value: value("@") }.is_in_form());
}

#[test]
fn problems_name_the_field_by_index_and_var() {
    let form = form(vec![
        field("ok", FieldKind::TextSingle, &["x"]),
        required(field("name", FieldKind::TextSingle, &[])),
    ]);
    assert_eq!(
        form.validate(),
        [FieldProblem {
            index: 1,
            var: Some(value("name")),
            kind: ProblemKind::Missing
        }]
    );
    assert!(!form.is_valid());
}

#[test]
fn finds_and_fills_in_fields() {
    let mut form = form(vec![
        field("a", FieldKind::TextSingle, &["1"]),
        field("b", FieldKind::TextMulti, &[]),
    ]);
    assert_eq!(
        form.field("a").map(|f| f.values.clone()),
        Some(vec![value("1")])
    );
    assert!(form.field("c").is_none());
    assert!(form.set_values("b", vec![value("x"), value("y")]));
    assert!(!form.set_values("c", vec![value("x")]));
    assert_eq!(form.field("b").map(|f| f.values.len()), Some(2));
    assert!(
        form.field("c").is_none(),
        "unknown answers are not invented"
    );
}

#[test]
fn form_type_is_the_hidden_form_type_field() {
    let mut form = form(vec![
        field("x", FieldKind::TextSingle, &["y"]),
        field(FORM_TYPE, FieldKind::Hidden, &["jabber:iq:register"]),
    ]);
    assert_eq!(form.form_type(), Some("jabber:iq:register"));
    // XEP-0068: a visible FORM_TYPE in a form is no form type ...
    form.fields[1].kind = FieldKind::TextSingle;
    assert_eq!(form.form_type(), None);
    // ... but a submit form may leave the type out.
    form.kind = FormKind::Submit;
    assert_eq!(form.form_type(), Some("jabber:iq:register"));
}

#[test]
fn submit_keeps_answers_and_hidden_fields_only() {
    let mut fixed = field("", FieldKind::Fixed, &["Read this"]);
    fixed.var = None;
    let mut nameless = field("", FieldKind::TextSingle, &["lost"]);
    nameless.var = None;
    let mut labelled = with_options(field("l", FieldKind::ListSingle, &["a"]), &["a", "b"]);
    labelled.label = Some(value("Pick"));
    labelled.required = true;
    let source = DataForm {
        kind: FormKind::Form,
        title: Some(value("Title")),
        instructions: Some(value("Fill it in")),
        fields: vec![
            field(FORM_TYPE, FieldKind::Hidden, &["urn:x"]),
            fixed,
            field("fixed-with-var", FieldKind::Fixed, &["text"]),
            nameless,
            labelled,
            field("empty", FieldKind::TextSingle, &[]),
        ],
    };
    let submit = source.to_submit();
    assert_eq!(submit.kind, FormKind::Submit);
    assert_eq!(submit.title, None);
    assert_eq!(submit.instructions, None);
    let vars: Vec<_> = submit
        .fields
        .iter()
        .filter_map(|f| f.var.as_deref())
        .collect();
    assert_eq!(vars, [FORM_TYPE, "l", "empty"]);
    assert_eq!(submit.form_type(), Some("urn:x"));
    let list = &submit.fields[1];
    assert_eq!(list.kind, FieldKind::ListSingle);
    assert_eq!(list.values, [value("a")]);
    assert!(list.label.is_none() && list.options.is_empty() && !list.required);
}

#[test]
fn field_helpers() {
    let mut f = field("v", FieldKind::Boolean, &["true"]);
    assert_eq!(f.bool_value(), Some(true));
    f.values = vec![value("0")];
    assert_eq!(f.bool_value(), Some(false));
    f.values = vec![value("maybe")];
    assert_eq!(f.bool_value(), None);
    assert_eq!(f.display_label(), "v");
    f.label = Some(value("Label"));
    assert_eq!(f.display_label(), "Label");
    assert!(f.is_visible());
    assert!(!field("h", FieldKind::Hidden, &[]).is_visible());
    let option = FormOption {
        label: None,
        value: value("v"),
    };
    assert_eq!(option.display(), "v");
}
