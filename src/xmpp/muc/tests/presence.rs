//! Room presence (XEP-0045 §7.2–§10.9, XEP-0421): who is in the room, who
//! we are, why someone left, why a join failed, and the join presence we
//! send.

use xmpp_parsers::presence::Presence;

use super::{COVEN, bare, coven, el, presence};
use crate::model::{Affiliation, PresenceShow, Role, RoomError, RoomExit};
use crate::xmpp::muc::presence::{OccupantPresence, RoomPresence, classify};

fn occupant(xml: &str) -> OccupantPresence {
    match classify(&presence(xml)) {
        Some(RoomPresence::Occupant(occupant)) => occupant,
        other => panic!("expected an occupant presence, got {other:?}"),
    }
}

fn join_error(condition: &str, kind: &str) -> RoomError {
    let stanza = format!(
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
         id='n13mt3l' to='hag66@shakespeare.lit/pda' type='error'>\
         <x xmlns='http://jabber.org/protocol/muc'/>\
         <error by='coven@chat.shakespeare.lit' type='{kind}'>\
         <{condition} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>"
    );
    match classify(&presence(&stanza)) {
        Some(RoomPresence::Error { room, error }) => {
            assert_eq!(room, coven());
            error
        }
        other => panic!("expected a join error, got {other:?}"),
    }
}

// §7.2.3 example 21: the existing occupants, sent to the new one.
#[test]
fn existing_occupant_is_listed_with_role_and_affiliation() {
    let got = occupant(
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/firstwitch' \
         id='3DCB0401-D7CF-4E31-BE05-EDF8D057BFBD' to='hag66@shakespeare.lit/pda'>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='owner' role='moderator'/></x></presence>",
    );
    assert_eq!(got.room, coven());
    assert_eq!(got.occupant.nick, "firstwitch");
    assert_eq!(got.occupant.role, Role::Moderator);
    assert_eq!(got.occupant.affiliation, Affiliation::Owner);
    assert_eq!(got.occupant.show, PresenceShow::Available);
    assert_eq!(got.occupant.real_jid, None, "semi-anonymous room");
    assert!(!got.is_self && !got.unavailable && !got.created);
    assert_eq!(got.removal, None);
}

// §7.2.3 example 24 with §7.2.4 (100) and §7.2.12 (170): our own presence,
// with the nickname the room assigned (210) and our real JID shown.
#[test]
fn own_presence_with_assigned_nick_non_anonymous_and_logged() {
    let got = occupant(
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
         id='n13mt3l' to='hag66@shakespeare.lit/pda'>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='member' jid='hag66@shakespeare.lit/pda' role='participant'/>\
         <status code='100'/><status code='110'/><status code='170'/>\
         <status code='210'/></x></presence>",
    );
    assert!(got.is_self);
    assert!(got.nick_assigned);
    assert!(!got.created);
    assert_eq!(got.occupant.nick, "thirdwitch");
    assert_eq!(
        got.occupant.real_jid,
        Some(bare("hag66@shakespeare.lit")),
        "the real JID is kept bare"
    );
    assert_eq!(got.occupant.role, Role::Participant);
    assert_eq!(got.occupant.affiliation, Affiliation::Member);
}

// §10.1.1 example 155: the join created the room (201); we own it.
#[test]
fn room_created_by_our_join() {
    let got = occupant(
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/firstwitch' \
         to='crone1@shakespeare.lit/desktop'>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='owner' role='moderator'/>\
         <status code='110'/><status code='201'/></x></presence>",
    );
    assert!(got.is_self && got.created);
    assert_eq!(got.occupant.affiliation, Affiliation::Owner);
}

// Presence show and status text as occupants set them.
#[test]
fn occupant_show_and_status() {
    let got = occupant(
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch'>\
         <show>dnd</show><status>stirring the cauldron</status>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='admin' role='moderator'/></x></presence>",
    );
    assert_eq!(got.occupant.show, PresenceShow::DoNotDisturb);
    assert_eq!(
        got.occupant.status.as_deref(),
        Some("stirring the cauldron")
    );
}

// XEP-0421 §3: the occupant id identifies the person across a nickname
// change (XEP-0045 §7.6 examples 51 and 52).
#[test]
fn nick_change_keeps_the_occupant_id() {
    let gone = occupant(
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
         to='crone1@shakespeare.lit/desktop' type='unavailable'>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='member' jid='hag66@shakespeare.lit/pda' nick='oldhag' \
         role='participant'/><status code='303'/></x>\
         <occupant-id xmlns='urn:xmpp:occupant-id:0' \
         id='dd72603deec90a38ba552f7c68cbcc61bca202cd'/></presence>",
    );
    assert!(gone.unavailable);
    assert_eq!(gone.new_nick.as_deref(), Some("oldhag"));
    assert_eq!(gone.removal, None, "a nickname change is not a removal");
    assert_eq!(gone.occupant.show, PresenceShow::Offline);
    let back = occupant(
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/oldhag' \
         to='crone1@shakespeare.lit/desktop'>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='member' jid='hag66@shakespeare.lit/pda' role='participant'/></x>\
         <occupant-id xmlns='urn:xmpp:occupant-id:0' \
         id='dd72603deec90a38ba552f7c68cbcc61bca202cd'/></presence>",
    );
    assert_eq!(back.occupant.nick, "oldhag");
    assert_eq!(gone.occupant.occupant_id, back.occupant.occupant_id);
    assert!(back.occupant.occupant_id.is_some());
}

// A 303 outside an unavailable presence means nothing.
#[test]
fn status_303_on_available_presence_is_no_nick_change() {
    let got = occupant(
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch'>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='member' nick='x' role='participant'/>\
         <status code='303'/></x></presence>",
    );
    assert_eq!(got.new_nick, None);
}

// An ordinary departure.
#[test]
fn occupant_leaves() {
    let got = occupant(
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch' \
         type='unavailable'><x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='member' role='none'/></x></presence>",
    );
    assert!(got.unavailable && !got.is_self);
    assert_eq!(got.removal, None);
    assert_eq!(got.new_nick, None);
    assert_eq!(got.occupant.show, PresenceShow::Offline);
}

// §8.2 example 86: we are kicked, with the moderator's reason.
#[test]
fn kicked_with_reason() {
    let got = occupant(
        "<presence xmlns='jabber:client' from='harfleur@chat.shakespeare.lit/pistol' \
         to='pistol@shakespeare.lit/harfleur' type='unavailable'>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='none' role='none'><actor nick='Fluellen'/>\
         <reason>Avaunt, you cullion!</reason></item>\
         <status code='110'/><status code='307'/></x></presence>",
    );
    assert!(got.is_self);
    assert_eq!(got.room, bare("harfleur@chat.shakespeare.lit"));
    assert_eq!(
        got.removal,
        Some(RoomExit::Kicked {
            reason: Some("Avaunt, you cullion!".into())
        })
    );
}

// §9.1 example 112: we are banned.
#[test]
fn banned_with_reason() {
    let got = occupant(
        "<presence xmlns='jabber:client' from='southampton@chat.shakespeare.lit/cambridge' \
         to='earlofcambridge@shakespeare.lit/stabber' type='unavailable'>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='outcast' role='none'><actor nick='Fluellen'/>\
         <reason>Treason</reason></item>\
         <status code='110'/><status code='301'/></x></presence>",
    );
    assert!(got.is_self);
    assert_eq!(got.occupant.affiliation, Affiliation::Outcast);
    assert_eq!(
        got.removal,
        Some(RoomExit::Banned {
            reason: Some("Treason".into())
        })
    );
}

// §9.4 and §10.2: removed because membership was revoked (321) or the
// room became members-only (322).
#[test]
fn membership_lost() {
    for code in ["321", "322"] {
        let got = occupant(&format!(
            "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
             to='hag66@shakespeare.lit/pda' type='unavailable'>\
             <x xmlns='http://jabber.org/protocol/muc#user'>\
             <item affiliation='none' role='none'/>\
             <status code='110'/><status code='{code}'/></x></presence>"
        ));
        assert_eq!(got.removal, Some(RoomExit::MembershipLost), "status {code}");
    }
}

// Status 332 (XEP-0045 status code registry): the service is shutting down.
#[test]
fn service_shutdown() {
    let got = occupant(
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
         to='hag66@shakespeare.lit/pda' type='unavailable'>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='member' role='none'/>\
         <status code='110'/><status code='332'/></x></presence>",
    );
    assert_eq!(got.removal, Some(RoomExit::ServiceShutdown));
}

// §10.9 example 201: the room is destroyed, pointing to another one.
#[test]
fn room_destroyed_with_reason_and_alternative() {
    let got = occupant(
        "<presence xmlns='jabber:client' from='heath@chat.shakespeare.lit/firstwitch' \
         to='crone1@shakespeare.lit/desktop' type='unavailable'>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='none' role='none'/>\
         <destroy jid='coven@chat.shakespeare.lit'><reason>Macbeth doth come.</reason>\
         </destroy></x></presence>",
    );
    assert_eq!(
        got.removal,
        Some(RoomExit::Destroyed {
            reason: Some("Macbeth doth come.".into()),
            alternative: Some(coven()),
        })
    );
}

// A bare `<destroy/>`: no reason, nowhere to go.
#[test]
fn room_destroyed_without_details() {
    let got = occupant(
        "<presence xmlns='jabber:client' from='heath@chat.shakespeare.lit/firstwitch' \
         type='unavailable'><x xmlns='http://jabber.org/protocol/muc#user'>\
         <destroy><reason/></destroy></x></presence>",
    );
    assert_eq!(
        got.removal,
        Some(RoomExit::Destroyed {
            reason: None,
            alternative: None
        })
    );
}

// §7.2.6–§7.2.11 and §7.2.9: each way a join is refused.
#[test]
fn join_errors() {
    assert_eq!(
        join_error("conflict", "cancel"),
        RoomError::NicknameConflict
    );
    assert_eq!(
        join_error("not-authorized", "auth"),
        RoomError::PasswordRequired
    );
    assert_eq!(
        join_error("registration-required", "auth"),
        RoomError::MembersOnly
    );
    assert_eq!(join_error("forbidden", "auth"), RoomError::Banned);
    assert_eq!(join_error("item-not-found", "cancel"), RoomError::NotFound);
    assert_eq!(join_error("service-unavailable", "wait"), RoomError::Full);
    assert_eq!(
        join_error("not-acceptable", "cancel"),
        RoomError::RegistrationRequired
    );
    assert_eq!(
        join_error("jid-malformed", "modify"),
        RoomError::NicknameInvalid
    );
    assert_eq!(
        join_error("policy-violation", "modify"),
        RoomError::Other {
            condition: "policy-violation".into()
        }
    );
}

// RFC 6120 §8.3.2: a `<text/>` before the condition is not the condition.
#[test]
fn error_text_before_condition() {
    let got = classify(&presence(
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
         type='error'><error type='cancel'>\
         <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>That nickname is taken</text>\
         <conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>",
    ));
    assert_eq!(
        got,
        Some(RoomPresence::Error {
            room: coven(),
            error: RoomError::NicknameConflict
        })
    );
}

// An error presence without any `<error/>`: still a refusal, of no known kind.
#[test]
fn error_presence_without_error_element() {
    let got = classify(&presence(
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit' type='error'/>",
    ));
    assert_eq!(
        got,
        Some(RoomPresence::Error {
            room: coven(),
            error: RoomError::Other {
                condition: "undefined-condition".into()
            }
        })
    );
}

// Hostile: unknown children, hats, caps, unknown and malformed status
// codes must not cost us the presence.
#[test]
fn unknown_children_and_status_codes_are_ignored() {
    let got = occupant(
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch'>\
         <c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v'/>\
         <x xmlns='vcard-temp:x:update'><photo/></x>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='member' role='participant'><actor/><continue/></item>\
         <status code='999'/><status code='abc'/><status/><status code='-1'/>\
         <unknown xmlns='urn:example:whatever'>text</unknown></x>\
         <hats xmlns='urn:xmpp:hats:0'><hat title='Witch' uri='urn:example:witch'/></hats>\
         <occupant-id xmlns='urn:xmpp:occupant-id:0'/></presence>",
    );
    assert_eq!(got.occupant.nick, "secondwitch");
    assert_eq!(got.occupant.role, Role::Participant);
    assert_eq!(got.occupant.occupant_id, None, "an occupant-id without id");
    assert!(!got.is_self);
}

// Hostile: an item whose jid is not a JID, and items missing attributes.
#[test]
fn invalid_item_jid_and_missing_attributes() {
    let got = occupant(
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch'>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <item jid='@@not a jid@@/' role='emperor'/></x></presence>",
    );
    assert_eq!(got.occupant.real_jid, None);
    assert_eq!(got.occupant.role, Role::None, "unknown role");
    assert_eq!(got.occupant.affiliation, Affiliation::None, "missing");

    let got = occupant(
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch' \
         type='unavailable'><x xmlns='http://jabber.org/protocol/muc#user'>\
         <status code='303'/><status code='307'/></x></presence>",
    );
    assert_eq!(got.new_nick, None, "303 without the new nick");
    assert_eq!(got.removal, Some(RoomExit::Kicked { reason: None }));
}

// Not room presences: no muc#user payload, no occupant nickname, no sender.
#[test]
fn non_room_presences_are_not_occupants() {
    for stanza in [
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch'/>",
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit'>\
         <x xmlns='http://jabber.org/protocol/muc#user'><item role='moderator'/></x></presence>",
        "<presence xmlns='jabber:client'>\
         <x xmlns='http://jabber.org/protocol/muc#user'><status code='110'/></x></presence>",
        "<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/x'>\
         <x xmlns='http://jabber.org/protocol/muc'/></presence>",
    ] {
        assert_eq!(classify(&presence(stanza)), None, "{stanza}");
    }
}

// Odd but valid nicknames come through unchanged; the longest resource
// RFC 7622 allows still works. (Nicknames no JID can carry, such as bidi
// controls, cannot arrive: the stanza's address would not parse.)
#[test]
fn odd_and_long_nicknames() {
    let long = "w".repeat(1023);
    for nick in ["Hécate (away)", "a/b@c", "two  spaces", long.as_str()] {
        let stanza = el(&format!(
            "<presence xmlns='jabber:client' from='{COVEN}/x'>\
             <x xmlns='http://jabber.org/protocol/muc#user'><item role='visitor'/></x></presence>"
        ));
        let mut p = Presence::try_from(stanza).expect("a presence");
        p.from = Some(
            coven()
                .with_resource_str(nick)
                .unwrap_or_else(|e| panic!("{nick:?}: {e}"))
                .into(),
        );
        let Some(RoomPresence::Occupant(got)) = classify(&p) else {
            panic!("nick {nick:?} lost");
        };
        assert_eq!(got.occupant.nick, nick);
        assert_eq!(got.occupant.role, Role::Visitor);
    }
}
