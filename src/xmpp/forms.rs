//! Data forms (XEP-0004) between the wire and the plain model of
//! [`crate::model::DataForm`].
//!
//! xmpp-parsers' own parser rejects a whole form for one field of an
//! unknown type or without a `var`; servers and bots in the wild send both.
//! [`from_element`] reads a form leniently instead, as XEP-0004 §3.3 asks
//! ("an unknown field type … SHOULD be treated as text-single"), so one odd
//! field does not cost the user a room configuration dialog.

use xmpp_parsers::data_forms::{DataForm as ParsedForm, DataFormType, Field, FieldType, Option_};
use xmpp_parsers::minidom::Element;
use xmpp_parsers::ns;

use crate::model::{DataForm, FieldKind, FormField, FormKind, FormOption};

#[cfg(test)]
mod tests;

/// The model of a form parsed by xmpp-parsers (the tests compare the
/// lenient reader with it).
#[cfg(test)]
pub(crate) fn from_parsed(form: &ParsedForm) -> DataForm {
    DataForm {
        kind: match form.type_ {
            DataFormType::Form => FormKind::Form,
            DataFormType::Submit => FormKind::Submit,
            DataFormType::Cancel => FormKind::Cancel,
            DataFormType::Result_ => FormKind::Result,
        },
        title: form.title.clone(),
        instructions: form.instructions.clone(),
        fields: form.fields.iter().map(field_from_parsed).collect(),
    }
}

#[cfg(test)]
fn field_from_parsed(field: &Field) -> FormField {
    FormField {
        var: field.var.clone(),
        kind: match field.type_ {
            FieldType::Boolean => FieldKind::Boolean,
            FieldType::Fixed => FieldKind::Fixed,
            FieldType::Hidden => FieldKind::Hidden,
            FieldType::JidMulti => FieldKind::JidMulti,
            FieldType::JidSingle => FieldKind::JidSingle,
            FieldType::ListMulti => FieldKind::ListMulti,
            FieldType::ListSingle => FieldKind::ListSingle,
            FieldType::TextMulti => FieldKind::TextMulti,
            FieldType::TextPrivate => FieldKind::TextPrivate,
            FieldType::TextSingle => FieldKind::TextSingle,
        },
        label: field.label.clone(),
        description: field.desc.clone(),
        required: field.required,
        options: field
            .options
            .iter()
            .map(|option| FormOption {
                label: option.label.clone(),
                value: option.value.clone(),
            })
            .collect(),
        values: field.values.clone(),
    }
}

/// The wire form of a model form, ready to put in a stanza.
///
/// Options are kept only on list fields: xmpp-parsers (rightly) refuses
/// them elsewhere, and the receiving end would refuse the whole form.
pub(crate) fn to_parsed(form: &DataForm) -> ParsedForm {
    ParsedForm {
        type_: match form.kind {
            FormKind::Form => DataFormType::Form,
            FormKind::Submit => DataFormType::Submit,
            FormKind::Cancel => DataFormType::Cancel,
            FormKind::Result => DataFormType::Result_,
        },
        title: form.title.clone(),
        instructions: form.instructions.clone(),
        fields: form.fields.iter().map(field_to_parsed).collect(),
    }
}

fn field_to_parsed(field: &FormField) -> Field {
    Field {
        var: field.var.clone(),
        type_: match field.kind {
            FieldKind::Boolean => FieldType::Boolean,
            FieldKind::Fixed => FieldType::Fixed,
            FieldKind::Hidden => FieldType::Hidden,
            FieldKind::JidMulti => FieldType::JidMulti,
            FieldKind::JidSingle => FieldType::JidSingle,
            FieldKind::ListMulti => FieldType::ListMulti,
            FieldKind::ListSingle => FieldType::ListSingle,
            FieldKind::TextMulti => FieldType::TextMulti,
            FieldKind::TextPrivate => FieldType::TextPrivate,
            FieldKind::TextSingle => FieldType::TextSingle,
        },
        label: field.label.clone(),
        required: field.required,
        desc: field.description.clone(),
        options: if field.kind.is_list() {
            field
                .options
                .iter()
                .map(|option| Option_ {
                    label: option.label.clone(),
                    value: option.value.clone(),
                })
                .collect()
        } else {
            Vec::new()
        },
        values: field.values.clone(),
        media: Vec::new(),
        validate: None,
    }
}

/// Read a `<x xmlns='jabber:x:data'/>` element leniently: unknown field
/// types become text-single, fields without `var` are kept (validation
/// reports them), options of non-list fields and unknown children are
/// ignored, several `<instructions/>` are joined by line breaks. `None`
/// when the element is not a data form or its type is missing or unknown,
/// since then there is no telling whether to answer it.
pub(crate) fn from_element(element: &Element) -> Option<DataForm> {
    if !element.is("x", ns::DATA_FORMS) {
        return None;
    }
    let kind = match element.attr("type")? {
        "form" => FormKind::Form,
        "submit" => FormKind::Submit,
        "cancel" => FormKind::Cancel,
        "result" => FormKind::Result,
        _ => return None,
    };
    let title = element
        .get_child("title", ns::DATA_FORMS)
        .map(Element::text);
    let instructions: Vec<String> = children(element, "instructions")
        .map(Element::text)
        .collect();
    Some(DataForm {
        kind,
        title,
        instructions: (!instructions.is_empty()).then(|| instructions.join("\n")),
        fields: children(element, "field").map(field_from_element).collect(),
    })
}

/// The data-forms children of `element` named `name`.
fn children<'a>(element: &'a Element, name: &'a str) -> impl Iterator<Item = &'a Element> {
    element
        .children()
        .filter(move |child| child.is(name, ns::DATA_FORMS))
}

fn field_from_element(element: &Element) -> FormField {
    let kind = match element.attr("type") {
        Some("boolean") => FieldKind::Boolean,
        Some("fixed") => FieldKind::Fixed,
        Some("hidden") => FieldKind::Hidden,
        Some("jid-multi") => FieldKind::JidMulti,
        Some("jid-single") => FieldKind::JidSingle,
        Some("list-multi") => FieldKind::ListMulti,
        Some("list-single") => FieldKind::ListSingle,
        Some("text-multi") => FieldKind::TextMulti,
        Some("text-private") => FieldKind::TextPrivate,
        // XEP-0004 §3.3: absent or unknown types are text-single.
        _ => FieldKind::TextSingle,
    };
    let options = if kind.is_list() {
        children(element, "option")
            .filter_map(|option| {
                // An option without a value offers nothing to choose.
                let value = option.get_child("value", ns::DATA_FORMS)?.text();
                Some(FormOption {
                    label: option.attr("label").map(str::to_owned),
                    value,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    FormField {
        var: element.attr("var").map(str::to_owned),
        kind,
        label: element.attr("label").map(str::to_owned),
        description: element.get_child("desc", ns::DATA_FORMS).map(Element::text),
        required: element.has_child("required", ns::DATA_FORMS),
        options,
        values: children(element, "value").map(Element::text).collect(),
    }
}
