//! Invitations: direct (XEP-0249) and mediated by the room (XEP-0045
//! §7.8.2), their declines, and the invitations we send.

use super::{bare, coven, el, message, xml};
use crate::xmpp::muc::message::{Invitation, direct_invitation, invitation, mediated};

// XEP-0249 §2 example 1: a direct invitation with reason and password.
#[test]
fn direct_invitation_received() {
    let got = invitation(&message(
        "<message xmlns='jabber:client' from='crone1@shakespeare.lit/desktop' \
         to='hecate@shakespeare.lit'>\
         <x xmlns='jabber:x:conference' jid='darkcave@macbeth.shakespeare.lit' \
         password='cauldronburn' \
         reason='Hey Hecate, this is the place for all good witches!'/></message>",
    ));
    assert_eq!(
        got,
        Some(Invitation::Invite {
            room: bare("darkcave@macbeth.shakespeare.lit"),
            from: bare("crone1@shakespeare.lit"),
            inviter_nick: None,
            reason: Some("Hey Hecate, this is the place for all good witches!".into()),
            password: Some("cauldronburn".into()),
            mediated: false,
        })
    );
}

// XEP-0045 §7.8.2 example 58: the room relays an invitation.
#[test]
fn mediated_invitation_received() {
    let got = invitation(&message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit' \
         id='nzd143v8' to='hecate@shakespeare.lit'>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <invite from='crone1@shakespeare.lit/desktop'>\
         <reason>Hey Hecate, this is the place for all good witches!</reason></invite>\
         <password>cauldronburn</password></x></message>",
    ));
    assert_eq!(
        got,
        Some(Invitation::Invite {
            room: coven(),
            from: bare("crone1@shakespeare.lit"),
            inviter_nick: None,
            reason: Some("Hey Hecate, this is the place for all good witches!".into()),
            password: Some("cauldronburn".into()),
            mediated: true,
        })
    );
}

// XEP-0045 §7.8.2 example 61: the room relays a decline.
#[test]
fn mediated_decline_received() {
    let got = invitation(&message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit' \
         id='jk2vs61v' to='crone1@shakespeare.lit/desktop'>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <decline from='hecate@shakespeare.lit'>\
         <reason>Sorry, I'm too busy right now.</reason></decline></x></message>",
    ));
    assert_eq!(
        got,
        Some(Invitation::Declined {
            room: coven(),
            from: bare("hecate@shakespeare.lit"),
            reason: Some("Sorry, I'm too busy right now.".into()),
        })
    );
}

// Missing or broken attributes, empty reasons, and messages that merely
// carry muc#user status codes.
#[test]
fn broken_invitations() {
    for stanza in [
        // No room.
        "<message xmlns='jabber:client' from='crone1@shakespeare.lit/desktop'>\
         <x xmlns='jabber:x:conference'/></message>",
        "<message xmlns='jabber:client' from='crone1@shakespeare.lit/desktop'>\
         <x xmlns='jabber:x:conference' jid='@@not a room@@'/></message>",
        // The room must say who invites.
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit'>\
         <x xmlns='http://jabber.org/protocol/muc#user'><invite/></x></message>",
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit'>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <decline from='not a jid@@'/></x></message>",
        // Status codes only.
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit'>\
         <x xmlns='http://jabber.org/protocol/muc#user'><status code='104'/></x></message>",
        // No sender.
        "<message xmlns='jabber:client'>\
         <x xmlns='jabber:x:conference' jid='darkcave@macbeth.shakespeare.lit'/></message>",
    ] {
        assert_eq!(invitation(&message(stanza)), None, "{stanza}");
    }
    let got = invitation(&message(
        "<message xmlns='jabber:client' from='crone1@shakespeare.lit/desktop'>\
         <x xmlns='jabber:x:conference' jid='darkcave@macbeth.shakespeare.lit' reason=''/>\
         </message>",
    ));
    assert!(
        matches!(
            got,
            Some(Invitation::Invite {
                reason: None,
                password: None,
                ..
            })
        ),
        "{got:?}"
    );
}

// XEP-0249 §2: the direct invitation we send.
#[test]
fn direct_invitation_sent() {
    let m = direct_invitation(
        &bare("darkcave@macbeth.shakespeare.lit"),
        &bare("hecate@shakespeare.lit"),
        Some("Hey Hecate, this is the place for all good witches!"),
        Some("cauldronburn"),
    );
    assert_eq!(m.to, Some(bare("hecate@shakespeare.lit").into()));
    assert!(m.id.is_some());
    assert_eq!(
        m.payloads,
        vec![el(
            "<x xmlns='jabber:x:conference' jid='darkcave@macbeth.shakespeare.lit' \
             password='cauldronburn' \
             reason='Hey Hecate, this is the place for all good witches!'/>"
        )]
    );
    let plain = direct_invitation(&coven(), &bare("hecate@shakespeare.lit"), None, None);
    assert_eq!(
        plain.payloads,
        vec![el(
            "<x xmlns='jabber:x:conference' jid='coven@chat.shakespeare.lit'/>"
        )]
    );
}

// XEP-0045 §7.8.2 examples 57 and 60: invite and decline through the room.
#[test]
fn mediated_invitation_and_decline_sent() {
    let m = mediated(
        &coven(),
        &bare("hecate@shakespeare.lit"),
        Some("Hey Hecate, this is the place for all good witches!"),
        false,
    );
    assert_eq!(m.to, Some(coven().into()));
    assert_eq!(m.type_, xmpp_parsers::message::MessageType::Normal);
    assert_eq!(
        m.payloads,
        vec![el("<x xmlns='http://jabber.org/protocol/muc#user'>\
             <invite to='hecate@shakespeare.lit'>\
             <reason>Hey Hecate, this is the place for all good witches!</reason>\
             </invite></x>")]
    );
    let d = mediated(&coven(), &bare("crone1@shakespeare.lit"), None, true);
    assert_eq!(
        d.payloads,
        vec![el("<x xmlns='http://jabber.org/protocol/muc#user'>\
             <decline to='crone1@shakespeare.lit'/></x>")]
    );
    // Our invite bounced back by a room that failed to say who invites
    // is not believed as an invitation from the room.
    let mut relayed = xmpp_parsers::message::Message::try_from(xml(m)).expect("a message");
    relayed.from = Some(coven().into());
    assert!(invitation(&relayed).is_none(), "a relay must add `from`");
}
