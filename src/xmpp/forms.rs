//! Data forms (XEP-0004) ⇄ plain model forms. (Interim: replaced by the
//! full converter with validation.)

use xmpp_parsers::minidom::Element;

use crate::model::{DataForm, FieldKind, FormField, FormKind, FormOption};

/// Read a form element; `None` if it is not one.
pub(crate) fn from_element(element: &Element) -> Option<DataForm> {
    let parsed = xmpp_parsers::data_forms::DataForm::try_from(element.clone()).ok()?;
    Some(from_parsed(&parsed))
}

/// The plain form of a parsed one.
pub(crate) fn from_parsed(form: &xmpp_parsers::data_forms::DataForm) -> DataForm {
    use xmpp_parsers::data_forms::{DataFormType, FieldType};
    DataForm {
        kind: match form.type_ {
            DataFormType::Form => FormKind::Form,
            DataFormType::Submit => FormKind::Submit,
            DataFormType::Cancel => FormKind::Cancel,
            DataFormType::Result_ => FormKind::Result,
        },
        title: form.title.clone(),
        instructions: form.instructions.clone(),
        fields: form
            .fields
            .iter()
            .map(|f| FormField {
                var: f.var.clone(),
                kind: match f.type_ {
                    FieldType::Boolean => FieldKind::Boolean,
                    FieldType::Fixed => FieldKind::Fixed,
                    FieldType::Hidden => FieldKind::Hidden,
                    FieldType::JidMulti => FieldKind::JidMulti,
                    FieldType::JidSingle => FieldKind::JidSingle,
                    FieldType::ListMulti => FieldKind::ListMulti,
                    FieldType::ListSingle => FieldKind::ListSingle,
                    FieldType::TextMulti => FieldKind::TextMulti,
                    FieldType::TextPrivate => FieldKind::TextPrivate,
                    _ => FieldKind::TextSingle,
                },
                label: f.label.clone(),
                description: f.desc.clone(),
                required: f.required,
                options: f
                    .options
                    .iter()
                    .map(|o| FormOption {
                        label: o.label.clone(),
                        value: o.value.clone(),
                    })
                    .collect(),
                values: f.values.clone(),
            })
            .collect(),
    }
}

/// A form element to send: the answers of `form` as a submit form.
pub(crate) fn to_element(form: &DataForm) -> Element {
    use xmpp_parsers::minidom::Node;
    use xmpp_parsers::minidom::rxml::xml_ncname;
    let kind = match form.kind {
        FormKind::Form => "form",
        FormKind::Submit => "submit",
        FormKind::Cancel => "cancel",
        FormKind::Result => "result",
    };
    let mut x = Element::builder("x", "jabber:x:data").attr(xml_ncname!("type").into(), kind);
    for field in &form.fields {
        let Some(var) = &field.var else { continue };
        if field.kind == FieldKind::Fixed {
            continue;
        }
        let mut element = Element::builder("field", "jabber:x:data")
            .attr(xml_ncname!("var").into(), var.as_str());
        for value in &field.values {
            element = element.append(
                Element::builder("value", "jabber:x:data")
                    .append(Node::Text(value.clone()))
                    .build(),
            );
        }
        x = x.append(element.build());
    }
    x.build()
}
