//! The renderer on a real display: every field type, hidden fields, reading
//! answers back, validation marks and plain-text labels.
//!
//! This is the binary's only test that initialises GTK (GTK may be
//! initialised once per process, on one thread), so everything is checked
//! in one test.

use adw::prelude::*;
use relm4::adw;
use relm4::gtk;
use warbler::model::{DataForm, FORM_TYPE, FieldKind, FormField, FormKind, FormOption};

use super::DataFormView;
use super::rows::Control;

fn field(var: &str, kind: FieldKind, label: &str, values: &[&str]) -> FormField {
    FormField {
        var: Some(var.to_owned()),
        kind,
        label: Some(label.to_owned()),
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        ..FormField::default()
    }
}

fn options(values: &[&str]) -> Vec<FormOption> {
    values
        .iter()
        .map(|value| FormOption {
            label: Some(value.to_uppercase()),
            value: (*value).to_owned(),
        })
        .collect()
}

/// A form with every field type; its required name has markup in its label.
fn every_type() -> DataForm {
    let mut name = field("name", FieldKind::TextSingle, "<b>x</b>", &[]);
    name.required = true;
    let mut fixed = field("", FieldKind::Fixed, "", &["<i>Read</i> & this"]);
    fixed.var = None;
    fixed.label = None;
    let mut choice = field("choice", FieldKind::ListSingle, "Choice", &["b"]);
    choice.options = options(&["a", "b", "c"]);
    let mut many = field("many", FieldKind::ListMulti, "Many", &["a"]);
    many.options = options(&["a", "b", "c"]);
    DataForm {
        kind: FormKind::Form,
        title: Some("<big>Title</big>".to_owned()),
        instructions: Some("Fill <u>it</u> in".to_owned()),
        fields: vec![
            field(FORM_TYPE, FieldKind::Hidden, "", &["urn:example:form"]),
            fixed,
            name,
            field("secret", FieldKind::TextPrivate, "Secret", &[]),
            field("about", FieldKind::TextMulti, "About", &["one", "two"]),
            field("public", FieldKind::Boolean, "Public", &["0"]),
            choice,
            many,
            field("owner", FieldKind::JidSingle, "Owner", &[]),
            field("admins", FieldKind::JidMulti, "Admins", &[]),
        ],
    }
}

/// `widget` and everything inside it.
fn descendants(widget: &gtk::Widget) -> Vec<gtk::Widget> {
    let mut all = vec![widget.clone()];
    let mut child = widget.first_child();
    while let Some(current) = child {
        all.extend(descendants(&current));
        child = current.next_sibling();
    }
    all
}

/// The labels inside `widget` whose shown text contains `text`.
fn labels_showing(widget: &gtk::Widget, text: &str) -> Vec<gtk::Label> {
    descendants(widget)
        .into_iter()
        .filter_map(|w| w.downcast::<gtk::Label>().ok())
        .filter(|label| label.text().contains(text))
        .collect()
}

/// The name assistive technologies get for `widget` (see `AccessibleName`).
fn accessible_name(widget: &impl IsA<gtk::Widget>) -> Option<String> {
    widget
        .list_mnemonic_labels()
        .into_iter()
        .filter_map(|w| w.downcast::<gtk::Label>().ok())
        .find(|label| label.widget_name() == crate::ui::A11Y_LABEL)
        .map(|label| label.label().to_string())
}

#[test]
fn renders_every_field_type_and_reads_the_answers_back() {
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        println!("skipped: the data form test needs a display (such as Xvfb)");
        return;
    }
    // adw::init initialises GTK first.
    adw::init().expect("GTK and libadwaita initialise");

    let form = every_type();
    let view = DataFormView::new(form.clone());
    let root: gtk::Widget = view.widget().clone().upcast();

    // One row per visible field: all but the hidden FORM_TYPE.
    let list = descendants(&root)
        .into_iter()
        .find_map(|w| w.downcast::<gtk::ListBox>().ok())
        .expect("the preferences group's list");
    let shown: Vec<usize> = view.rows.iter().map(|row| row.index).collect();
    assert_eq!(shown, (1..form.fields.len()).collect::<Vec<_>>());
    let mut list_rows = 0;
    let mut child = list.first_child();
    while let Some(row) = child {
        list_rows += 1;
        child = row.next_sibling();
    }
    assert_eq!(list_rows, form.fields.len() - 1);
    assert!(labels_showing(&root, "urn:example:form").is_empty());

    // Server text is shown literally, never as markup.
    for text in [
        "<b>x</b>",
        "<i>Read</i> & this",
        "<big>Title</big>",
        "Fill <u>it</u> in",
    ] {
        let labels = labels_showing(&root, text);
        assert!(!labels.is_empty(), "{text} is shown literally");
        assert!(labels.iter().all(|label| !label.uses_markup()), "{text}");
    }
    // The required marker (untranslated in tests).
    assert!(!labels_showing(&root, "<b>x</b> (required)").is_empty());

    // Every control is named after its field.
    for row in &view.rows {
        let expected = form.fields[row.index].display_label();
        let name = match &row.control {
            Control::Switch(switch) => accessible_name(switch),
            Control::Entry(entry) => accessible_name(entry),
            Control::Lines(text) => accessible_name(text),
            Control::Choice { row, .. } => accessible_name(row),
            Control::Checks(buttons) => buttons[0].0.parent().and_then(|b| accessible_name(&b)),
            Control::Text => continue,
        };
        assert_eq!(name.as_deref(), Some(expected));
    }

    // Untouched, the answers are the server's values.
    assert_eq!(view.values(), form);

    // The required name is missing: reported, marked and focused.
    assert!(!view.validate());
    let problems = view.problems();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].var.as_deref(), Some("name"));
    let name_row = view.rows.iter().find(|r| r.index == 2).expect("name row");
    assert!(name_row.row.has_css_class("error"));
    assert!(name_row.message.is_visible());
    assert_eq!(name_row.message.label(), "Fill this in.");
    assert!(
        view.rows
            .iter()
            .filter(|r| r.index != 2)
            .all(|r| !r.row.has_css_class("error") && !r.message.is_visible())
    );

    // Answer everything through the widgets.
    for row in &view.rows {
        match (&form.fields[row.index].var.as_deref(), &row.control) {
            (Some("name"), Control::Entry(entry)) => entry.set_text("<b>Bob</b>"),
            (Some("secret"), Control::Entry(entry)) => entry.set_text("s3cret"),
            (Some("about"), Control::Lines(view)) => view.buffer().set_text("first\n\nthird\n"),
            (Some("public"), Control::Switch(switch)) => switch.set_active(true),
            (Some("choice"), Control::Choice { row, .. }) => row.set_selected(2),
            (Some("many"), Control::Checks(buttons)) => {
                buttons[0].0.set_active(false);
                buttons[2].0.set_active(true);
            }
            (Some("owner"), Control::Entry(entry)) => entry.set_text(" owner@example.org "),
            (Some("admins"), Control::Lines(view)) => view
                .buffer()
                .set_text("a@example.org\n\n b@example.org\nnot@an@address"),
            (None, Control::Text) => {}
            (var, _) => panic!("unexpected control for {var:?}"),
        }
    }
    let answers = view.values();
    let values = |var: &str| {
        answers
            .field(var)
            .map(|f| f.values.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        values(FORM_TYPE),
        ["urn:example:form"],
        "hidden fields survive"
    );
    assert_eq!(values("name"), ["<b>Bob</b>"]);
    assert_eq!(values("secret"), ["s3cret"]);
    assert_eq!(values("about"), ["first", "", "third"]);
    assert_eq!(values("public"), ["1"]);
    assert_eq!(values("choice"), ["c"]);
    assert_eq!(values("many"), ["c"]);
    assert_eq!(values("owner"), ["owner@example.org"]);
    assert_eq!(
        values("admins"),
        ["a@example.org", "b@example.org", "not@an@address"]
    );
    assert_eq!(
        answers.fields[1].values, form.fields[1].values,
        "fixed text kept"
    );

    // The bad address is now the only problem; the name's mark is gone.
    assert!(!view.validate());
    assert!(!name_row.row.has_css_class("error"));
    let admins_row = view.rows.iter().find(|r| r.index == 9).expect("admins row");
    assert!(admins_row.row.has_css_class("error"));
    assert_eq!(
        admins_row.message.label(),
        "“not@an@address” is not a valid address."
    );

    if let Some(Control::Lines(text)) = view.rows.iter().find(|r| r.index == 9).map(|r| &r.control)
    {
        text.buffer().set_text("a@example.org\nb@example.org");
    }
    assert!(view.validate());
    assert!(view.rows.iter().all(|r| !r.row.has_css_class("error")));
    let submit = view.values().to_submit();
    assert_eq!(submit.form_type(), Some("urn:example:form"));
    assert_eq!(
        submit.fields.len(),
        form.fields.len() - 1,
        "all but the fixed text"
    );
}
