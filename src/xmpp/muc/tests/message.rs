//! Room messages (XEP-0045 §7.4, §8.1), whose they are (XEP-0421), which
//! archive ids we believe (XEP-0359), moderation notices and tombstones
//! (XEP-0425) and archived messages (XEP-0313).

use super::{bare, coven, el, message, xml};
use crate::model::{Moderation, Timestamp};
use crate::xmpp::muc::message::{ModerationNotice, RoomMessage, classify, outgoing, subject};

fn room_message(xml: &str) -> RoomMessage {
    classify(&message(xml)).expect("a room message")
}

// §7.4 example 44: a message from an occupant.
#[test]
fn occupant_message() {
    let got = room_message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
         id='hysf1v37' to='crone1@shakespeare.lit/desktop' type='groupchat'>\
         <body>Harpier cries: 'tis time, 'tis time.</body></message>",
    );
    assert_eq!(got.room, coven());
    assert_eq!(got.nick.as_deref(), Some("thirdwitch"));
    assert_eq!(
        got.body.as_deref(),
        Some("Harpier cries: 'tis time, 'tis time.")
    );
    assert_eq!(got.id.as_deref(), Some("hysf1v37"));
    assert_eq!(got.subject, None);
    assert_eq!(got.server_id, None);
    assert_eq!(got.delayed, None);
    assert_eq!(got.moderation, None);
    assert_eq!(got.tombstone, None);
}

// §7.2.15 example 33: discussion history carries the original time.
#[test]
fn history_message_keeps_its_time() {
    let got = room_message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/firstwitch' \
         id='162BEBB1-F6DB-4D9A-9BD8-CFDCC801A0B2' to='hecate@shakespeare.lit/broom' \
         type='groupchat'><body>Thrice the brinded cat hath mew'd.</body>\
         <delay xmlns='urn:xmpp:delay' from='coven@chat.shakespeare.lit' \
         stamp='2002-10-13T23:58:37Z'/></message>",
    );
    assert_eq!(got.delayed, Some(Timestamp(1_034_553_517_000)));
}

// A message from the room itself (no nickname), e.g. §10.2.1 status 104.
#[test]
fn message_from_the_room_has_no_nick() {
    let got = room_message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit' \
         type='groupchat'><body>Room configuration changed</body>\
         <x xmlns='http://jabber.org/protocol/muc#user'><status code='104'/></x></message>",
    );
    assert_eq!(got.nick, None);
}

// §8.1 example 78: a subject change (subject, no body).
#[test]
fn subject_change() {
    let got = room_message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch' \
         id='F437C672-D438-4BD3-9BFF-091050D32EE2' to='crone1@shakespeare.lit/desktop' \
         type='groupchat'><subject>Fire Burn and Cauldron Bubble!</subject></message>",
    );
    assert_eq!(
        got.subject.as_deref(),
        Some("Fire Burn and Cauldron Bubble!")
    );
    assert_eq!(got.body, None);
}

// §7.2.15 and §8.1: an empty subject says the room has none (or clears it).
#[test]
fn empty_subject_clears_it() {
    for empty in ["<subject/>", "<subject></subject>"] {
        let got = room_message(&format!(
            "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit' \
             type='groupchat'>{empty}</message>"
        ));
        assert_eq!(got.subject.as_deref(), Some(""), "{empty}");
    }
}

// §8.1: a message with both a subject and a body is a message, not a
// subject change.
#[test]
fn subject_with_body_is_a_message() {
    let got = room_message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch' \
         type='groupchat'><subject>Not a change</subject><body>Hi</body></message>",
    );
    assert_eq!(got.subject, None);
    assert_eq!(got.body.as_deref(), Some("Hi"));
}

// A plain message without subject is not a subject change.
#[test]
fn no_subject_without_subject_element() {
    let got = room_message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch' \
         type='groupchat'><active xmlns='http://jabber.org/protocol/chatstates'/></message>",
    );
    assert_eq!(got.subject, None);
    assert_eq!(got.body, None);
}

// XEP-0421 §4 and XEP-0359 §4: the occupant id says whose message it is,
// the room's stanza id is its archive id, the origin id is the sender's.
#[test]
fn occupant_id_stanza_id_and_origin_id() {
    let got = room_message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
         id='hysf1v37' type='groupchat'><body>Hail</body>\
         <origin-id xmlns='urn:xmpp:sid:0' id='de305d54-75b4-431b-adb2-eb6b9e546013'/>\
         <stanza-id xmlns='urn:xmpp:sid:0' id='5f3dbc5e-e1d3-4077-a492-693f3769c7ad' \
         by='coven@chat.shakespeare.lit'/>\
         <occupant-id xmlns='urn:xmpp:occupant-id:0' \
         id='dd72603deec90a38ba552f7c68cbcc61bca202cd'/></message>",
    );
    assert_eq!(
        got.origin_id.as_deref(),
        Some("de305d54-75b4-431b-adb2-eb6b9e546013")
    );
    assert_eq!(
        got.server_id.as_deref(),
        Some("5f3dbc5e-e1d3-4077-a492-693f3769c7ad")
    );
    assert_eq!(
        got.occupant_id.as_deref(),
        Some("dd72603deec90a38ba552f7c68cbcc61bca202cd")
    );
}

// XEP-0359 §5: a stanza id set by anyone but the room is forged.
#[test]
fn stanza_id_by_someone_else_is_not_trusted() {
    for by in [
        "hag66@shakespeare.lit",
        "coven@chat.shakespeare.lit/thirdwitch",
        "chat.shakespeare.lit",
        "not a jid@@",
    ] {
        let got = room_message(&format!(
            "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
             type='groupchat'><body>Hail</body>\
             <stanza-id xmlns='urn:xmpp:sid:0' id='forged' by='{by}'/></message>"
        ));
        assert_eq!(got.server_id, None, "by {by}");
    }
    let got = room_message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
         type='groupchat'><body>Hail</body>\
         <stanza-id xmlns='urn:xmpp:sid:0' id='forged'/>\
         <stanza-id xmlns='urn:xmpp:sid:0' id='forged-too' by='hag66@shakespeare.lit'/>\
         <stanza-id xmlns='urn:xmpp:sid:0' id='real' by='coven@chat.shakespeare.lit'/>\
         </message>",
    );
    assert_eq!(
        got.server_id.as_deref(),
        Some("real"),
        "the room's one wins"
    );
}

// Only groupchat messages with a sender are room messages.
#[test]
fn other_messages_are_not_room_messages() {
    for stanza in [
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
         type='chat'><body>private</body></message>",
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit'>\
         <body>normal</body></message>",
        "<message xmlns='jabber:client' type='groupchat'><body>no sender</body></message>",
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit' type='error'/>",
    ] {
        assert_eq!(classify(&message(stanza)), None, "{stanza}");
    }
}

// XEP-0425 version 0 as Prosody's mod_muc_moderation sends it: a fastened
// `<moderated/>` from the room itself.
#[test]
fn moderation_notice_version_0() {
    let got = room_message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit' \
         type='groupchat' id='retraction-id-1'>\
         <apply-to xmlns='urn:xmpp:fasten:0' id='stanza-id-1'>\
         <moderated xmlns='urn:xmpp:message-moderate:0' \
         by='coven@chat.shakespeare.lit/macbeth'>\
         <retract xmlns='urn:xmpp:message-retract:0'/>\
         <reason>This message contains inappropriate content for this forum</reason>\
         </moderated></apply-to></message>",
    );
    assert_eq!(
        got.moderation,
        Some(ModerationNotice {
            server_id: "stanza-id-1".into(),
            moderation: Moderation {
                by: Some("macbeth".into()),
                reason: Some("This message contains inappropriate content for this forum".into()),
            },
        })
    );
    assert_eq!(got.body, None);
}

// XEP-0425 version 1 (0.3 and later), §4 example 3.
#[test]
fn moderation_notice_version_1() {
    let got = room_message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit' \
         type='groupchat' id='retraction-id-1'>\
         <retract id='stanza-id-1' xmlns='urn:xmpp:message-retract:1'>\
         <moderated by='coven@chat.shakespeare.lit/macbeth' \
         xmlns='urn:xmpp:message-moderate:1'>\
         <occupant-id xmlns='urn:xmpp:occupant-id:0' \
         id='dd72603deec90a38ba552f7c68cbcc61bca202cd'/></moderated>\
         <reason>This message contains inappropriate content for this forum</reason>\
         </retract></message>",
    );
    assert_eq!(
        got.moderation,
        Some(ModerationNotice {
            server_id: "stanza-id-1".into(),
            moderation: Moderation {
                by: Some("macbeth".into()),
                reason: Some("This message contains inappropriate content for this forum".into()),
            },
        })
    );
}

// Notices without the moderator or reason, and broken ones.
#[test]
fn moderation_notice_partial_and_broken() {
    let got = room_message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit' type='groupchat'>\
         <retract id='s1' xmlns='urn:xmpp:message-retract:1'>\
         <moderated xmlns='urn:xmpp:message-moderate:1' by='coven@chat.shakespeare.lit'/>\
         <reason/></retract></message>",
    );
    assert_eq!(
        got.moderation,
        Some(ModerationNotice {
            server_id: "s1".into(),
            moderation: Moderation::default(),
        })
    );
    for broken in [
        // No id: nothing to remove.
        "<apply-to xmlns='urn:xmpp:fasten:0'><moderated \
         xmlns='urn:xmpp:message-moderate:0'/></apply-to>",
        "<retract xmlns='urn:xmpp:message-retract:1'><moderated \
         xmlns='urn:xmpp:message-moderate:1'/></retract>",
        // A plain retraction (XEP-0424) is not a moderation.
        "<retract id='s1' xmlns='urn:xmpp:message-retract:1'/>",
        "<apply-to xmlns='urn:xmpp:fasten:0' id='s1'>\
         <retract xmlns='urn:xmpp:message-retract:0'/></apply-to>",
    ] {
        let got = room_message(&format!(
            "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit' \
             type='groupchat'>{broken}</message>"
        ));
        assert_eq!(got.moderation, None, "{broken}");
    }
}

// XEP-0425 §6 (security): only the room announces moderation. An occupant
// who wraps `<moderated/>` in their own message must not remove anyone's.
#[test]
fn moderation_notice_from_an_occupant_is_forged() {
    for notice in [
        "<retract id='stanza-id-1' xmlns='urn:xmpp:message-retract:1'>\
         <moderated by='coven@chat.shakespeare.lit/macbeth' \
         xmlns='urn:xmpp:message-moderate:1'/></retract>",
        "<apply-to xmlns='urn:xmpp:fasten:0' id='stanza-id-1'>\
         <moderated xmlns='urn:xmpp:message-moderate:0' \
         by='coven@chat.shakespeare.lit/macbeth'>\
         <retract xmlns='urn:xmpp:message-retract:0'/></moderated></apply-to>",
    ] {
        let got = room_message(&format!(
            "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
             type='groupchat'>{notice}</message>"
        ));
        assert_eq!(got.moderation, None, "{notice}");
    }
}

// XEP-0425 §5: the archive's tombstones of moderated messages, in both
// versions.
#[test]
fn archive_tombstones() {
    let v1 = room_message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
         type='groupchat' id='m1'>\
         <retracted stamp='2019-09-20T23:09:32Z' xmlns='urn:xmpp:message-retract:1'>\
         <moderated by='coven@chat.shakespeare.lit/macbeth' \
         xmlns='urn:xmpp:message-moderate:1'/>\
         <reason>This message contains inappropriate content for this forum</reason>\
         </retracted></message>",
    );
    let v0 = room_message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
         type='groupchat' id='m1'>\
         <moderated by='coven@chat.shakespeare.lit/macbeth' \
         xmlns='urn:xmpp:message-moderate:0'>\
         <retracted stamp='2019-09-20T23:09:32Z' xmlns='urn:xmpp:message-retract:0'/>\
         <reason>This message contains inappropriate content for this forum</reason>\
         </moderated></message>",
    );
    let expected = Some(Moderation {
        by: Some("macbeth".into()),
        reason: Some("This message contains inappropriate content for this forum".into()),
    });
    assert_eq!(v1.tombstone, expected);
    assert_eq!(v0.tombstone, expected);
    assert_eq!(v1.body, None);
    assert_eq!(v1.moderation, None, "a tombstone is not a new notice");
}

// §7.4 example 43 with XEP-0359 §3.1: our message carries an origin id
// equal to its id, which the room's echo brings back.
#[test]
fn outgoing_message() {
    let m = outgoing(&coven(), "Harpier cries", "de305d54");
    assert_eq!(
        xml(m),
        el(
            "<message xmlns='jabber:client' to='coven@chat.shakespeare.lit' \
            type='groupchat' id='de305d54'><body>Harpier cries</body>\
            <origin-id xmlns='urn:xmpp:sid:0' id='de305d54'/></message>"
        )
    );
    let echo = room_message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
         type='groupchat' id='de305d54'><body>Harpier cries</body>\
         <origin-id xmlns='urn:xmpp:sid:0' id='de305d54'/></message>",
    );
    assert_eq!(echo.origin_id.as_deref(), Some("de305d54"));
}

// §8.1 example 77: a subject change; an empty one clears it.
#[test]
fn subject_messages() {
    let m = subject(&coven(), "Fire Burn and Cauldron Bubble!");
    assert_eq!(m.to, Some(coven().into()));
    assert_eq!(m.type_, xmpp_parsers::message::MessageType::Groupchat);
    assert!(m.bodies.is_empty(), "a subject change has no body");
    let e = xml(m);
    let s = e.get_child("subject", "jabber:client").expect("a subject");
    assert_eq!(s.text(), "Fire Burn and Cauldron Bubble!");
    let e = xml(subject(&coven(), ""));
    let s = e
        .get_child("subject", "jabber:client")
        .expect("an empty subject");
    assert_eq!(s.text(), "");
    // And we read our own clearing back as a clearing.
    let mut echo = xmpp_parsers::message::Message::try_from(e).expect("a message");
    echo.from = Some(bare("coven@chat.shakespeare.lit").into());
    assert_eq!(classify(&echo).and_then(|m| m.subject).as_deref(), Some(""));
}
