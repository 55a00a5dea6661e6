//! Private messages (XEP-0045 §7.5): recognised with and without the
//! muc#user hint, as carbons from our other devices both ways, never from
//! a room we are not in; and the stanza we send. Typing notifications
//! (XEP-0085) in private: an occupant's, and ours.

use super::{bare, coven, el, message, xml};
use crate::model::{ChatState, Direction};
use crate::xmpp::message::{Incoming, classify};
use crate::xmpp::muc::private::{Route, chat_state, occupant_chat_state, outgoing, route};

const OWN: &str = "crone1@shakespeare.lit";

fn incoming(xml: &str) -> Incoming {
    classify(&bare(OWN), message(xml)).expect("kept")
}

/// Routes as an account that is in the coven only.
fn in_coven(incoming: &Incoming) -> Route {
    route(incoming, |room| *room == coven())
}

fn private(nick: &str) -> Route {
    Route::Private { nick: nick.into() }
}

// §7.5 example 48: the room relays a private message, with the hint.
#[test]
fn private_message_with_the_muc_user_hint() {
    let got = incoming(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch' \
         id='hgn27af1' to='crone1@shakespeare.lit/desktop' type='chat'>\
         <body>I'll give thee a wind.</body>\
         <x xmlns='http://jabber.org/protocol/muc#user'/></message>",
    );
    assert!(got.muc_user);
    assert_eq!(got.peer, coven());
    assert_eq!(got.direction, Direction::Incoming);
    assert_eq!(got.body.as_deref(), Some("I'll give thee a wind."));
    assert_eq!(in_coven(&got), private("secondwitch"));
}

// Some servers relay without the hint; the room's address is enough.
#[test]
fn private_message_without_the_hint() {
    let got = incoming(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch' \
         id='hgn27af2' to='crone1@shakespeare.lit/desktop' type='chat'>\
         <body>Thou'rt kind.</body><request xmlns='urn:xmpp:receipts'/></message>",
    );
    assert!(!got.muc_user);
    assert_eq!(in_coven(&got), private("secondwitch"));
    // The receipt goes back to the occupant address.
    assert!(got.wants_receipt);
    assert_eq!(
        got.from.map(|f| f.to_string()).as_deref(),
        Some("coven@chat.shakespeare.lit/secondwitch")
    );
}

// A `normal` message to an occupant address is private too.
#[test]
fn normal_message_from_an_occupant_is_private() {
    let got = incoming(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
         to='crone1@shakespeare.lit/desktop'><body>And I another.</body></message>",
    );
    assert_eq!(in_coven(&got), private("thirdwitch"));
}

// From a room we are not in: with the hint it is not believed, without it
// it may be a contact's resource and stays an ordinary chat.
#[test]
fn from_a_room_we_are_not_in() {
    let hinted = incoming(
        "<message xmlns='jabber:client' from='darkcave@chat.shakespeare.lit/wiccarocks' \
         to='crone1@shakespeare.lit/desktop' type='chat'><body>Come in</body>\
         <x xmlns='http://jabber.org/protocol/muc#user'/></message>",
    );
    assert_eq!(in_coven(&hinted), Route::Drop);
    let plain = incoming(
        "<message xmlns='jabber:client' from='hag66@shakespeare.lit/pda' \
         to='crone1@shakespeare.lit/desktop' type='chat'><body>Hail</body></message>",
    );
    assert_eq!(in_coven(&plain), Route::Chat);
}

// The room's own address (no nickname) is not an occupant.
#[test]
fn the_rooms_own_address_is_not_private() {
    let got = incoming(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit' \
         to='crone1@shakespeare.lit/desktop' type='chat'><body>Notice</body></message>",
    );
    assert_eq!(in_coven(&got), Route::Chat);
}

// XEP-0280: a carbon of a private message another device of ours received.
#[test]
fn received_carbon_of_a_private_message() {
    let got = incoming(
        "<message xmlns='jabber:client' from='crone1@shakespeare.lit' \
         to='crone1@shakespeare.lit/desktop' type='chat'>\
         <received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>\
         <message xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch' \
         to='crone1@shakespeare.lit/laptop' type='chat' id='c1'><body>Hither</body>\
         <x xmlns='http://jabber.org/protocol/muc#user'/></message>\
         </forwarded></received></message>",
    );
    assert_eq!(got.direction, Direction::Incoming);
    assert_eq!(got.peer, coven());
    assert_eq!(in_coven(&got), private("secondwitch"));
}

// XEP-0280: a carbon of a private message we sent from another device is
// ours, to the occupant it was addressed to.
#[test]
fn sent_carbon_of_a_private_message() {
    let got = incoming(
        "<message xmlns='jabber:client' from='crone1@shakespeare.lit' \
         to='crone1@shakespeare.lit/desktop' type='chat'>\
         <sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>\
         <message xmlns='jabber:client' from='crone1@shakespeare.lit/laptop' \
         to='coven@chat.shakespeare.lit/thirdwitch' type='chat' id='c2'>\
         <body>Thither</body><origin-id xmlns='urn:xmpp:sid:0' id='o2'/>\
         <x xmlns='http://jabber.org/protocol/muc#user'/></message>\
         </forwarded></sent></message>",
    );
    assert_eq!(got.direction, Direction::Outgoing);
    assert_eq!(got.peer, coven());
    assert_eq!(got.origin_id.as_deref(), Some("o2"));
    assert_eq!(in_coven(&got), private("thirdwitch"));
}

// A bounce of our private message names the occupant it was for.
#[test]
fn bounce_from_an_occupant_address() {
    let got = incoming(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
         to='crone1@shakespeare.lit/desktop' type='error' id='o3'>\
         <error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>\
         </error></message>",
    );
    assert_eq!(got.error.as_deref(), Some("item-not-found"));
    assert_eq!(got.peer_resource.as_deref(), Some("thirdwitch"));
    assert_eq!(in_coven(&got), private("thirdwitch"));
}

// §7.5 example 47, as we send it: to the occupant, type chat, never
// groupchat and never to the room's own address.
#[test]
fn outgoing_private_message() {
    let built = outgoing(&coven(), "firstwitch", "I'll give thee a wind.", "o-47")
        .expect("a valid nickname");
    let expected = el(
        "<message xmlns='jabber:client' to='coven@chat.shakespeare.lit/firstwitch' \
         type='chat' id='o-47'><body>I'll give thee a wind.</body>\
         <origin-id xmlns='urn:xmpp:sid:0' id='o-47'/>\
         <request xmlns='urn:xmpp:receipts'/>\
         <active xmlns='http://jabber.org/protocol/chatstates'/>\
         <x xmlns='http://jabber.org/protocol/muc#user'/></message>",
    );
    assert_eq!(xml(built), expected);
}

#[test]
fn outgoing_to_an_impossible_nickname_is_not_built() {
    assert_eq!(outgoing(&coven(), "", "hello", "o1"), None);
}

/// The occupant typing state an account in the coven takes from `xml`.
fn occupant_state(xml: &str) -> Option<(String, ChatState)> {
    let got = incoming(xml);
    occupant_chat_state(&got, &in_coven(&got))
}

// XEP-0085 example 4 (a standalone "composing"), relayed by the room from
// an occupant: that occupant is typing to us.
#[test]
fn an_occupant_typing_in_private() {
    assert_eq!(
        occupant_state(
            "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch' \
             to='crone1@shakespeare.lit/desktop' type='chat'>\
             <composing xmlns='http://jabber.org/protocol/chatstates'/>\
             <x xmlns='http://jabber.org/protocol/muc#user'/></message>",
        ),
        Some(("secondwitch".into(), ChatState::Composing))
    );
    // XEP-0085 example 5: paused, without the room's hint.
    assert_eq!(
        occupant_state(
            "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch' \
             to='crone1@shakespeare.lit/desktop' type='chat'>\
             <paused xmlns='http://jabber.org/protocol/chatstates'/></message>",
        ),
        Some(("secondwitch".into(), ChatState::Paused))
    );
}

// XEP-0085 example 6: the message itself carries "active", which ends the
// occupant's typing.
#[test]
fn an_occupants_private_message_ends_their_typing() {
    assert_eq!(
        occupant_state(
            "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch' \
             to='crone1@shakespeare.lit/desktop' type='chat'><body>Hither</body>\
             <active xmlns='http://jabber.org/protocol/chatstates'/></message>",
        ),
        Some(("secondwitch".into(), ChatState::Active))
    );
    // Without a state there is nothing to tell.
    assert_eq!(
        occupant_state(
            "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/secondwitch' \
             to='crone1@shakespeare.lit/desktop' type='chat'><body>Hither</body></message>",
        ),
        None
    );
}

// Not an occupant's typing: a contact's (the one-to-one chat shows it),
// one through a room we are not in, and a carbon of our own typing from
// another device.
#[test]
fn typing_that_is_no_occupants() {
    let composing = "<composing xmlns='http://jabber.org/protocol/chatstates'/>";
    assert_eq!(
        occupant_state(&format!(
            "<message xmlns='jabber:client' from='hag66@shakespeare.lit/pda' \
             to='crone1@shakespeare.lit/desktop' type='chat'>{composing}</message>"
        )),
        None
    );
    assert_eq!(
        occupant_state(&format!(
            "<message xmlns='jabber:client' from='darkcave@chat.shakespeare.lit/wiccarocks' \
             to='crone1@shakespeare.lit/desktop' type='chat'>{composing}\
             <x xmlns='http://jabber.org/protocol/muc#user'/></message>"
        )),
        None
    );
    assert_eq!(
        occupant_state(&format!(
            "<message xmlns='jabber:client' from='crone1@shakespeare.lit' \
             to='crone1@shakespeare.lit/desktop' type='chat'>\
             <sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>\
             <message xmlns='jabber:client' from='crone1@shakespeare.lit/laptop' \
             to='coven@chat.shakespeare.lit/thirdwitch' type='chat' id='c3'>{composing}\
             </message></forwarded></sent></message>"
        )),
        None
    );
}

// Our typing goes to the occupant address, as a private message without
// a body that the room need not archive; never to the room itself.
#[test]
fn our_typing_to_an_occupant() {
    let built = chat_state(&coven(), "firstwitch", ChatState::Composing).expect("a valid nickname");
    assert_eq!(
        built.to.as_ref().map(ToString::to_string).as_deref(),
        Some("coven@chat.shakespeare.lit/firstwitch")
    );
    assert_eq!(built.type_, xmpp_parsers::message::MessageType::Chat);
    assert!(built.bodies.is_empty());
    let id = built.id.clone().expect("an id").0;
    let expected = el(&format!(
        "<message xmlns='jabber:client' to='coven@chat.shakespeare.lit/firstwitch' \
         type='chat' id='{id}'>\
         <composing xmlns='http://jabber.org/protocol/chatstates'/>\
         <no-store xmlns='urn:xmpp:hints'/>\
         <x xmlns='http://jabber.org/protocol/muc#user'/></message>"
    ));
    assert_eq!(xml(built), expected);
    assert_eq!(chat_state(&coven(), "", ChatState::Paused), None);
}
