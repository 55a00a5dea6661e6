//! Requests to a room (XEP-0045 §8–§10, XEP-0425, XEP-0410): the IQs we
//! send match the XEPs' examples, and the answers mean what the XEPs say.

use super::{bare, coven, el, xml};
use crate::model::{
    AffiliatedUser, Affiliation, DataForm, FieldKind, FormField, FormKind, Role, RoomError,
};
use crate::xmpp::muc::admin::{
    PingVerdict, affiliation_list, config_request, config_submit, destroy, form_in, instant_room,
    moderate, parse_affiliation_list, ping_verdict, registration_request, self_ping,
    set_affiliation, set_role,
};
use crate::xmpp::muc::{error_condition, room_error};

// §8.2 example 84: kick an occupant, with a reason.
#[test]
fn kick() {
    let iq = set_role(
        "kick1",
        &bare("harfleur@chat.shakespeare.lit"),
        "pistol",
        Role::None,
        Some("Avaunt, you cullion!"),
    );
    assert_eq!(
        xml(iq),
        el(
            "<iq xmlns='jabber:client' id='kick1' to='harfleur@chat.shakespeare.lit' \
            type='set'><query xmlns='http://jabber.org/protocol/muc#admin'>\
            <item nick='pistol' role='none'><reason>Avaunt, you cullion!</reason></item>\
            </query></iq>"
        )
    );
}

// §8.3 example 91: grant voice; an empty reason is left out.
#[test]
fn grant_voice_without_reason() {
    let iq = set_role(
        "voice1",
        &coven(),
        "thirdwitch",
        Role::Participant,
        Some(""),
    );
    assert_eq!(
        xml(iq),
        el(
            "<iq xmlns='jabber:client' id='voice1' to='coven@chat.shakespeare.lit' \
            type='set'><query xmlns='http://jabber.org/protocol/muc#admin'>\
            <item nick='thirdwitch' role='participant'/></query></iq>"
        )
    );
}

// §9.1 example 110: ban a user.
#[test]
fn ban() {
    let iq = set_affiliation(
        "ban1",
        &bare("southampton@chat.shakespeare.lit"),
        &bare("earlofcambridge@shakespeare.lit"),
        Affiliation::Outcast,
        Some("Treason"),
    );
    assert_eq!(
        xml(iq),
        el(
            "<iq xmlns='jabber:client' id='ban1' to='southampton@chat.shakespeare.lit' \
            type='set'><query xmlns='http://jabber.org/protocol/muc#admin'>\
            <item affiliation='outcast' jid='earlofcambridge@shakespeare.lit'>\
            <reason>Treason</reason></item></query></iq>"
        )
    );
}

// §9.2 examples 115 and 116: ask for the ban list, read it.
#[test]
fn ban_list() {
    let iq = affiliation_list(
        "ban2",
        &bare("southampton@chat.shakespeare.lit"),
        Affiliation::Outcast,
    );
    assert_eq!(
        xml(iq),
        el(
            "<iq xmlns='jabber:client' id='ban2' to='southampton@chat.shakespeare.lit' \
            type='get'><query xmlns='http://jabber.org/protocol/muc#admin'>\
            <item affiliation='outcast'/></query></iq>"
        )
    );
    let result = el("<query xmlns='http://jabber.org/protocol/muc#admin'>\
         <item affiliation='outcast' jid='earlofcambridge@shakespeare.lit'>\
         <reason>Treason</reason></item>\
         <item affiliation='outcast' jid='lord@shakespeare.lit/with-resource' nick='lord'>\
         <reason>  </reason></item>\
         <item affiliation='outcast' jid='@@@ not a jid'/>\
         <item affiliation='outcast'/></query>");
    assert_eq!(
        parse_affiliation_list(Some(&result)),
        vec![
            AffiliatedUser {
                jid: bare("earlofcambridge@shakespeare.lit"),
                nick: None,
                reason: Some("Treason".into()),
            },
            AffiliatedUser {
                jid: bare("lord@shakespeare.lit"),
                nick: Some("lord".into()),
                reason: None,
            },
        ]
    );
    assert!(parse_affiliation_list(None).is_empty());
    assert!(parse_affiliation_list(Some(&el("<query xmlns='urn:example:other'/>"))).is_empty());
}

// §10.2 example 163: ask for the configuration form; read it from the
// result.
#[test]
fn configuration_request_and_form() {
    assert_eq!(
        xml(config_request("config1", &coven())),
        el(
            "<iq xmlns='jabber:client' id='config1' to='coven@chat.shakespeare.lit' \
            type='get'><query xmlns='http://jabber.org/protocol/muc#owner'/></iq>"
        )
    );
    let result = el("<query xmlns='http://jabber.org/protocol/muc#owner'>\
         <x xmlns='jabber:x:data' type='form'><title>Configuration for coven Room</title>\
         <field type='hidden' var='FORM_TYPE'>\
         <value>http://jabber.org/protocol/muc#roomconfig</value></field>\
         <field label='Make Room Members Only?' type='boolean' \
         var='muc#roomconfig_membersonly'><value>0</value></field></x></query>");
    let form = form_in(Some(&result)).expect("a form");
    assert_eq!(form.kind, FormKind::Form);
    assert!(form.fields.iter().any(|f| {
        f.var.as_deref() == Some("muc#roomconfig_membersonly") && f.kind == FieldKind::Boolean
    }));
    assert_eq!(form_in(None), None);
}

// §10.2 example 165 and example 166 (cancel), §10.1.2 example 156 (instant
// room: an empty submit form).
#[test]
fn configuration_submit_cancel_and_instant_room() {
    let form = DataForm {
        kind: FormKind::Form,
        fields: vec![
            FormField {
                var: Some("FORM_TYPE".into()),
                kind: FieldKind::Hidden,
                values: vec!["http://jabber.org/protocol/muc#roomconfig".into()],
                ..FormField::default()
            },
            FormField {
                var: Some("muc#roomconfig_membersonly".into()),
                kind: FieldKind::Boolean,
                values: vec!["1".into()],
                ..FormField::default()
            },
        ],
        ..DataForm::default()
    };
    assert_eq!(
        xml(config_submit("create2", &coven(), Some(&form))),
        el(
            "<iq xmlns='jabber:client' id='create2' to='coven@chat.shakespeare.lit' \
            type='set'><query xmlns='http://jabber.org/protocol/muc#owner'>\
            <x xmlns='jabber:x:data' type='submit'>\
            <field type='hidden' var='FORM_TYPE'>\
            <value>http://jabber.org/protocol/muc#roomconfig</value></field>\
            <field type='boolean' var='muc#roomconfig_membersonly'><value>1</value></field>\
            </x></query></iq>"
        )
    );
    assert_eq!(
        xml(config_submit("cancel1", &coven(), None)),
        el(
            "<iq xmlns='jabber:client' id='cancel1' to='coven@chat.shakespeare.lit' \
            type='set'><query xmlns='http://jabber.org/protocol/muc#owner'>\
            <x xmlns='jabber:x:data' type='cancel'/></query></iq>"
        )
    );
    assert_eq!(
        xml(instant_room("create1", &coven())),
        el(
            "<iq xmlns='jabber:client' id='create1' to='coven@chat.shakespeare.lit' \
            type='set'><query xmlns='http://jabber.org/protocol/muc#owner'>\
            <x xmlns='jabber:x:data' type='submit'/></query></iq>"
        )
    );
}

// §10.9 example 200: destroy the room with a reason and the room where
// the conversation continues.
#[test]
fn destroy_room() {
    assert_eq!(
        xml(destroy(
            "begone",
            &bare("heath@chat.shakespeare.lit"),
            Some("Macbeth doth come."),
            Some(&coven()),
        )),
        el(
            "<iq xmlns='jabber:client' id='begone' to='heath@chat.shakespeare.lit' \
            type='set'><query xmlns='http://jabber.org/protocol/muc#owner'>\
            <destroy jid='coven@chat.shakespeare.lit'>\
            <reason>Macbeth doth come.</reason></destroy></query></iq>"
        )
    );
    assert_eq!(
        xml(destroy("begone", &coven(), None, None)),
        el(
            "<iq xmlns='jabber:client' id='begone' to='coven@chat.shakespeare.lit' \
            type='set'><query xmlns='http://jabber.org/protocol/muc#owner'>\
            <destroy/></query></iq>"
        )
    );
}

// §7.10 example 64: ask for the registration form.
#[test]
fn registration() {
    assert_eq!(
        xml(registration_request("reg1", &coven())),
        el(
            "<iq xmlns='jabber:client' id='reg1' to='coven@chat.shakespeare.lit' \
            type='get'><query xmlns='jabber:iq:register'/></iq>"
        )
    );
}

// XEP-0425 §4 example 1 (version 1) and the fastened version 0 form that
// Prosody's module expects.
#[test]
fn moderate_in_both_versions() {
    assert_eq!(
        xml(moderate(
            "retract-request-1",
            &coven(),
            "stanza-id-1",
            Some("This message contains inappropriate content for this forum"),
            true,
        )),
        el(
            "<iq xmlns='jabber:client' type='set' to='coven@chat.shakespeare.lit' \
            id='retract-request-1'>\
            <moderate id='stanza-id-1' xmlns='urn:xmpp:message-moderate:1'>\
            <retract xmlns='urn:xmpp:message-retract:1'/>\
            <reason>This message contains inappropriate content for this forum</reason>\
            </moderate></iq>"
        )
    );
    assert_eq!(
        xml(moderate(
            "retract-request-1",
            &coven(),
            "stanza-id-1",
            Some("This message contains inappropriate content for this forum"),
            false,
        )),
        el(
            "<iq xmlns='jabber:client' type='set' to='coven@chat.shakespeare.lit' \
            id='retract-request-1'>\
            <apply-to id='stanza-id-1' xmlns='urn:xmpp:fasten:0'>\
            <moderate xmlns='urn:xmpp:message-moderate:0'>\
            <retract xmlns='urn:xmpp:message-retract:0'/>\
            <reason>This message contains inappropriate content for this forum</reason>\
            </moderate></apply-to></iq>"
        )
    );
}

// XEP-0410 §3.1 example 1: a ping to our own occupant address.
#[test]
fn self_ping_request() {
    assert_eq!(
        xml(self_ping("s2c1", &coven(), "thirdwitch").expect("a ping")),
        el(
            "<iq xmlns='jabber:client' id='s2c1' to='coven@chat.shakespeare.lit/thirdwitch' \
            type='get'><ping xmlns='urn:xmpp:ping'/></iq>"
        )
    );
    assert!(self_ping("s2c1", &coven(), "").is_none());
}

// XEP-0410 §3.2: what each answer says about our presence in the room.
#[test]
fn self_ping_verdicts() {
    // Joined: the room (or our other client) answered, or the client does
    // not do pings, or our occupant just changed its nickname.
    for condition in [
        "service-unavailable",
        "feature-not-implemented",
        "item-not-found",
    ] {
        assert_eq!(ping_verdict(condition), PingVerdict::Joined, "{condition}");
    }
    // No conclusion: treated like a timeout.
    for condition in ["remote-server-not-found", "remote-server-timeout"] {
        assert_eq!(ping_verdict(condition), PingVerdict::Unknown, "{condition}");
    }
    // Any other error: not joined any more, rejoin.
    for condition in [
        "not-acceptable",
        "not-allowed",
        "forbidden",
        "bad-request",
        "",
    ] {
        assert_eq!(
            ping_verdict(condition),
            PingVerdict::NotJoined,
            "{condition}"
        );
    }
}

// RFC 6120 §8.3.3: the defined condition of an error, whatever comes first.
#[test]
fn error_conditions() {
    let e = el("<error xmlns='jabber:client' type='cancel'>\
                <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Go away</text>\
                <app xmlns='urn:example:app'/>\
                <not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>");
    assert_eq!(error_condition(&e), "not-allowed");
    let e = el("<error xmlns='jabber:client' type='cancel'/>");
    assert_eq!(error_condition(&e), "undefined-condition");
    assert_eq!(
        room_error("forbidden"),
        RoomError::Forbidden,
        "for requests"
    );
    assert_eq!(room_error("gone"), RoomError::NotFound);
    assert_eq!(room_error("remote-server-timeout"), RoomError::Unreachable);
}
