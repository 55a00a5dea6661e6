//! Data forms read from the examples of XEP-0004 (the bot configuration
//! form and its answer) and XEP-0045 (room configuration §10.2, room
//! registration §7.10): parse, round-trip, fill in and submit; plus hostile
//! input, which must be read leniently or refused, never panic.

use xmpp_parsers::data_forms::DataForm as ParsedForm;
use xmpp_parsers::minidom::Element;

use super::{from_element, from_parsed, to_parsed};
use crate::model::{DataForm, FieldKind, FormKind, ProblemKind};

macro_rules! fixture {
    ($file:literal) => {
        include_str!(concat!("../../../tests/fixtures/forms/", $file))
    };
}

const BOT_FORM: &str = fixture!("xep-0004-form.xml");
const BOT_SUBMIT: &str = fixture!("xep-0004-submit.xml");
const ROOM_CONFIG: &str = fixture!("xep-0045-room-config.xml");
const ROOM_REGISTER: &str = fixture!("xep-0045-register.xml");

fn el(xml: &str) -> Element {
    xml.parse().expect("test XML parses")
}

fn read(xml: &str) -> DataForm {
    from_element(&el(xml)).expect("a data form")
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

/// Model → xmpp-parsers → XML → xmpp-parsers → model.
fn through_the_wire(form: &DataForm) -> DataForm {
    let element = Element::from(to_parsed(form));
    let parsed = ParsedForm::try_from(element.clone()).expect("xmpp-parsers accepts our form");
    let lenient = from_element(&element).expect("our own reader accepts our form");
    let strict = from_parsed(&parsed);
    assert_eq!(lenient, strict, "both readers agree");
    strict
}

#[test]
fn reads_every_field_type_of_the_xep_0004_example() {
    let form = read(BOT_FORM);
    assert_eq!(form.kind, FormKind::Form);
    assert_eq!(form.title.as_deref(), Some("Bot Configuration"));
    assert_eq!(
        form.instructions.as_deref(),
        Some("Fill out this form to configure your new bot!")
    );
    assert_eq!(form.form_type(), Some("jabber:bot"));
    let kinds: Vec<FieldKind> = form.fields.iter().map(|f| f.kind).collect();
    use FieldKind::*;
    assert_eq!(
        kinds,
        [
            Hidden,
            Fixed,
            TextSingle,
            TextMulti,
            Boolean,
            TextPrivate,
            Fixed,
            ListMulti,
            Fixed,
            ListSingle,
            Fixed,
            JidMulti
        ]
    );
    assert_eq!(form.fields[1].var, None);
    assert_eq!(form.fields[1].values, strings(&["Section 1: Bot Info"]));
    let public = form.field("public").expect("public");
    assert!(public.required);
    assert_eq!(public.label.as_deref(), Some("Public bot?"));
    let features = form.field("features").expect("features");
    assert_eq!(features.options.len(), 5);
    assert_eq!(features.options[0].label.as_deref(), Some("Contests"));
    assert_eq!(features.options[0].value, "contests");
    assert_eq!(features.values, strings(&["news", "search"]));
    assert_eq!(
        form.field("invitelist")
            .and_then(|f| f.description.as_deref()),
        Some("Tell all your friends about your new bot!")
    );
}

#[test]
fn the_lenient_and_the_strict_reader_agree_on_the_examples() {
    for xml in [BOT_FORM, BOT_SUBMIT, ROOM_CONFIG, ROOM_REGISTER] {
        let element = el(xml);
        let parsed = ParsedForm::try_from(element.clone()).expect("xmpp-parsers parses it");
        assert_eq!(from_element(&element), Some(from_parsed(&parsed)));
    }
}

#[test]
fn the_examples_round_trip() {
    for xml in [BOT_FORM, BOT_SUBMIT, ROOM_CONFIG, ROOM_REGISTER] {
        let form = read(xml);
        assert_eq!(through_the_wire(&form), form);
    }
}

#[test]
fn filling_in_the_bot_form_gives_the_xep_0004_answer() {
    let mut form = read(BOT_FORM);
    // The required boolean has no value yet.
    let problems = form.validate();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].var.as_deref(), Some("public"));
    assert_eq!(problems[0].kind, ProblemKind::Missing);

    form.set_values("botname", strings(&["The Jabber Google Bot"]));
    form.set_values(
        "description",
        strings(&[
            "This bot enables you to send requests to",
            "Google and receive the search results right",
            "in your Jabber client. It' really cool!",
            "It even supports Google News!",
        ]),
    );
    form.set_values("public", strings(&["0"]));
    form.set_values("password", strings(&["v3r0na"]));
    form.set_values("maxsubs", strings(&["50"]));
    form.set_values(
        "invitelist",
        strings(&["juliet@capulet.com", "benvolio@montague.net"]),
    );
    assert!(form.validate().is_empty());

    let submit = form.to_submit();
    assert_eq!(through_the_wire(&submit), submit);
    assert_eq!(submit, read(BOT_SUBMIT));
}

#[test]
fn room_configuration_is_valid_as_sent_and_catches_bad_admins() {
    let mut form = read(ROOM_CONFIG);
    assert_eq!(
        form.form_type(),
        Some("http://jabber.org/protocol/muc#roomconfig")
    );
    assert_eq!(
        form.title.as_deref(),
        Some("Configuration for \"coven\" Room")
    );
    assert!(form.validate().is_empty());
    let secret = form.field("muc#roomconfig_roomsecret").expect("secret");
    assert_eq!(secret.kind, FieldKind::TextPrivate);

    form.set_values(
        "muc#roomconfig_roomadmins",
        strings(&["hecate@shakespeare.lit", "not an@address@"]),
    );
    form.set_values("muc#roomconfig_whois", strings(&["everybody"]));
    let kinds: Vec<ProblemKind> = form.validate().into_iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            ProblemKind::NotAnOption {
                value: "everybody".into()
            },
            ProblemKind::InvalidJid {
                value: "not an@address@".into()
            },
        ]
    );

    form.set_values("muc#roomconfig_whois", strings(&["anyone"]));
    form.set_values(
        "muc#roomconfig_roomadmins",
        strings(&["hecate@shakespeare.lit"]),
    );
    let submit = form.to_submit();
    // Every field but the three fixed ones goes back, FORM_TYPE first.
    assert_eq!(submit.fields.len(), form.fields.len() - 3);
    assert_eq!(submit.fields[0].var.as_deref(), Some("FORM_TYPE"));
    assert_eq!(through_the_wire(&submit), submit);
}

#[test]
fn room_registration_requires_names_and_nickname() {
    let mut form = read(ROOM_REGISTER);
    assert_eq!(
        form.form_type(),
        Some("http://jabber.org/protocol/muc#register")
    );
    let missing: Vec<_> = form
        .validate()
        .into_iter()
        .map(|p| (p.var.unwrap_or_default(), p.kind))
        .collect();
    assert_eq!(
        missing,
        [
            ("muc#register_first".to_owned(), ProblemKind::Missing),
            ("muc#register_last".to_owned(), ProblemKind::Missing),
            ("muc#register_roomnick".to_owned(), ProblemKind::Missing),
        ]
    );
    form.set_values("muc#register_first", strings(&["Brunhilde"]));
    form.set_values("muc#register_last", strings(&["Entwhistle-Throckmorton"]));
    form.set_values("muc#register_roomnick", strings(&["thirdwitch"]));
    form.set_values(
        "muc#register_url",
        strings(&["http://witchesonline/~hag66/"]),
    );
    form.set_values("muc#register_email", strings(&["hag66@witchesonline"]));
    assert!(form.is_valid());
    let submit = form.to_submit();
    assert_eq!(submit.kind, FormKind::Submit);
    assert_eq!(
        submit
            .field("muc#register_roomnick")
            .map(|f| f.values.clone()),
        Some(strings(&["thirdwitch"]))
    );
    assert_eq!(through_the_wire(&submit), submit);
}

#[test]
fn unknown_field_types_are_text_single_and_missing_vars_are_kept() {
    let form = read(
        "<x xmlns='jabber:x:data' type='form'>\
         <field type='rich-text' var='a' label='A'><value>x</value></field>\
         <field label='No var'><value>y</value></field>\
         <field var='plain'/>\
         </x>",
    );
    assert_eq!(form.fields.len(), 3);
    assert!(form.fields.iter().all(|f| f.kind == FieldKind::TextSingle));
    assert_eq!(form.fields[0].values, strings(&["x"]));
    assert_eq!(form.fields[1].var, None);
    let problems = form.validate();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].index, 1);
    assert_eq!(problems[0].kind, ProblemKind::MissingVar);
    // xmpp-parsers itself refuses such a form outright.
    assert!(ParsedForm::try_from(el("<x xmlns='jabber:x:data' type='form'><field/></x>")).is_err());
}

#[test]
fn hostile_forms_are_read_leniently() {
    let form = read(
        "<x xmlns='jabber:x:data' type='result'>\
         <title>One</title><title>Two</title>\
         <instructions>First</instructions><instructions>Second</instructions>\
         <field var='t' type='text-single'>\
           <option label='stray'><value>s</value></option><value>v</value></field>\
         <field var='l' type='list-single'>\
           <option label='no value'/><option><value>ok</value></option>\
           <value xmlns='urn:other'>not ours</value></field>\
         <field var='b' type='boolean'><required/><required/><value>yes</value></field>\
         <junk><field var='nested'/></junk>\
         <reported><field var='r'/></reported>\
         </x>",
    );
    assert_eq!(form.kind, FormKind::Result);
    assert_eq!(form.title.as_deref(), Some("One"));
    assert_eq!(form.instructions.as_deref(), Some("First\nSecond"));
    let vars: Vec<_> = form
        .fields
        .iter()
        .filter_map(|f| f.var.as_deref())
        .collect();
    assert_eq!(vars, ["t", "l", "b"]);
    assert!(form.fields[0].options.is_empty());
    assert_eq!(form.fields[1].options.len(), 1);
    assert!(form.fields[1].values.is_empty());
    assert!(form.fields[2].required);
    assert_eq!(
        form.validate()[0].kind,
        ProblemKind::NotABoolean {
            value: "yes".into()
        }
    );
    // What we send back is what xmpp-parsers accepts.
    let _ = through_the_wire(&form);
}

#[test]
fn non_forms_are_refused() {
    for xml in [
        "<x xmlns='jabber:x:data'/>",
        "<x xmlns='jabber:x:data' type='questionnaire'/>",
        "<x xmlns='jabber:x:conference' type='form'/>",
        "<form xmlns='jabber:x:data' type='form'/>",
    ] {
        assert_eq!(from_element(&el(xml)), None, "{xml}");
    }
}

#[test]
fn deep_and_large_input_does_not_panic() {
    let mut xml = String::from("<x xmlns='jabber:x:data' type='form'>");
    for i in 0..2000 {
        xml.push_str(&format!(
            "<field var='f{i}' type='list-multi'><option><value>{i}</value></option>\
             <value>{i}</value><value>{i}</value></field>"
        ));
    }
    xml.push_str(&"<a>".repeat(200));
    xml.push_str(&"</a>".repeat(200));
    xml.push_str("</x>");
    let form = read(&xml);
    assert_eq!(form.fields.len(), 2000);
    assert_eq!(form.validate().len(), 2000, "one repeated value per field");
}
