//! Private messages between occupants of a room (XEP-0045 §7.5): the room
//! relays a `type='chat'` message from one occupant address to another.
//!
//! Incoming ones are read by the one-to-one handler (`xmpp::message`:
//! receipts, delays, carbons are the same) and then routed here by their
//! other party: an occupant address of a room we know makes them private
//! room messages. Servers differ in whether they add the
//! `<x xmlns='http://jabber.org/protocol/muc#user'/>` hint, so it is not
//! required; but a message with the hint from a room we are not in is
//! dropped, since a room relays private messages to its occupants only.
//!
//! Typing notifications (XEP-0085) travel the same way: an occupant's come
//! as private messages without a body ([`occupant_chat_state`]), ours go
//! to the occupant address ([`chat_state`]).

use xmpp_parsers::chatstates::ChatState as XChatState;
use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::message::{Id, Lang, Message};
use xmpp_parsers::minidom::Element;
use xmpp_parsers::receipts;
use xmpp_parsers::stanza_id::OriginId;

use super::NS_USER;
use crate::model::{ChatState, Direction};
use crate::xmpp::message::{Incoming, chat_state as plain_chat_state};

/// Where a one-to-one message belongs once we know which rooms we are in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    /// A private message with the occupant `nick` of the room that is the
    /// message's peer (sent or received by us, or by another of our
    /// devices: a carbon).
    Private {
        /// The other occupant's nickname.
        nick: String,
    },
    /// An ordinary one-to-one message.
    Chat,
    /// Claims to come through a room we are not in: not believed.
    Drop,
}

/// Route an interpreted message; `is_room` says whether an address is a
/// room of ours. A message from the room's own address (no nickname) is
/// not private: it is left to the one-to-one handler as before.
pub(crate) fn route(incoming: &Incoming, is_room: impl Fn(&BareJid) -> bool) -> Route {
    match (&incoming.peer_resource, is_room(&incoming.peer)) {
        (Some(nick), true) if !nick.is_empty() => Route::Private { nick: nick.clone() },
        (Some(_), false) if incoming.muc_user => Route::Drop,
        _ => Route::Chat,
    }
}

/// The typing state an occupant tells us in private, with their nickname:
/// `None` for a message without one, one not private (`route`), or a
/// carbon of our own (our typing is not shown to us).
pub(crate) fn occupant_chat_state(
    incoming: &Incoming,
    route: &Route,
) -> Option<(String, ChatState)> {
    match route {
        Route::Private { nick } if incoming.direction == Direction::Incoming => {
            Some((nick.clone(), incoming.chat_state?))
        }
        _ => None,
    }
}

/// Our typing state for the occupant `nick` of `room`: a standalone
/// notification (not archived) to the occupant address, with the muc#user
/// hint. `None` when `nick` cannot be an address's resource, so it never
/// goes to the whole room.
pub(crate) fn chat_state(room: &BareJid, nick: &str, state: ChatState) -> Option<Message> {
    let to = room.with_resource_str(nick).ok()?;
    let mut message = plain_chat_state(room, state);
    message.to = Some(Jid::from(to));
    message
        .payloads
        .push(Element::builder("x", NS_USER).build());
    Some(message)
}

/// A private message to the occupant `nick` of `room`: `type='chat'` to
/// the occupant address, with the origin id (also the stanza id, so a
/// receipt or a bounce names it), a receipt request, the `active` chat
/// state (it ends our typing) and the muc#user hint (§7.5). `None` when
/// `nick` cannot be an address's resource, so nothing ever goes to the
/// room's own address instead.
pub(crate) fn outgoing(room: &BareJid, nick: &str, body: &str, origin_id: &str) -> Option<Message> {
    let to = room.with_resource_str(nick).ok()?;
    let mut message = Message::chat(Some(Jid::from(to)));
    message.id = Some(Id(origin_id.to_owned()));
    message.bodies.insert(Lang::default(), body.to_owned());
    let mut message = message
        .with_payload(OriginId {
            id: origin_id.to_owned(),
        })
        .with_payload(receipts::Request)
        .with_payload(XChatState::Active);
    message
        .payloads
        .push(Element::builder("x", NS_USER).build());
    Some(message)
}
