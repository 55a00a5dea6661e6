//! Private messages with one occupant of a room (XEP-0045 §7.5). They are
//! stored in the room's conversation, marked private
//! ([`RoomMessageInfo::private_with`]); ours leave through the outbox like
//! every other message, to the occupant's address and never to the room.

use xmpp_parsers::jid::BareJid;
use xmpp_parsers::message::Message;

use crate::model::{ChatMessage, Direction, RoomError, RoomMessageInfo};
use crate::session::Event;
use crate::session::account::AccountActor;
use crate::xmpp;
use crate::xmpp::message::Incoming;

/// What becomes of a stored outgoing message now.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::session::account) enum Outbound {
    /// Send this stanza.
    Send(Box<Message>),
    /// Keep it in the outbox until we are in its room.
    Wait,
    /// It can never be sent as written (a private message whose room we
    /// left for good, or to an impossible nickname).
    Fail,
}

/// The stanza for a stored outgoing message, given where we stand with
/// its peer: `None` when the peer is no room of ours, else whether we are
/// in that room. A private message goes to the occupant or nowhere: it
/// must never reach the whole room, nor the room's own address; and a
/// room message whose room is gone is not sent as a one-to-one message.
pub(in crate::session::account) fn outbound(
    message: &ChatMessage,
    origin_id: &str,
    room_joined: Option<bool>,
) -> Outbound {
    let private = message.room.as_ref().map(|r| r.private_with.as_deref());
    let stanza = match (private, room_joined) {
        // A room message whose room is no longer ours.
        (Some(_), None) => return Outbound::Fail,
        (_, Some(false)) => return Outbound::Wait,
        (Some(Some(nick)), Some(true)) => {
            match xmpp::muc::private::outgoing(&message.peer, nick, &message.body, origin_id) {
                Some(stanza) => stanza,
                None => return Outbound::Fail,
            }
        }
        (Some(None), Some(true)) | (None, Some(true)) => {
            xmpp::muc::message::outgoing(&message.peer, &message.body, origin_id)
        }
        (None, None) => xmpp::message::outgoing_chat(&message.peer, &message.body, origin_id, "en"),
    };
    Outbound::Send(Box::new(stanza))
}

impl AccountActor {
    /// What a private message with the occupant `nick` stores about the
    /// room: who wrote it (us, or them) and with whom it is private.
    pub(in crate::session::account) fn private_message_info(
        &self,
        incoming: &Incoming,
        nick: String,
    ) -> RoomMessageInfo {
        let author = if incoming.direction == Direction::Outgoing {
            self.room(&incoming.peer)
                .map(|r| r.summary.nick.clone())
                .unwrap_or_default()
        } else {
            nick.clone()
        };
        RoomMessageInfo {
            nick: author,
            private_with: Some(nick),
            ..RoomMessageInfo::default()
        }
    }

    /// Tell the user why our private message to `nick` in `room` bounced
    /// (the message itself is marked failed by the bounce handling).
    pub(in crate::session::account) fn private_message_bounced(
        &self,
        room: BareJid,
        nick: String,
        condition: &str,
    ) {
        let gone = matches!(
            condition,
            "item-not-found" | "recipient-unavailable" | "gone"
        );
        self.emit(Event::RoomActionFailed {
            account: self.jid.clone(),
            room,
            error: RoomError::PrivateMessageFailed { nick, gone },
        });
    }

    /// Whether `jid` is a room of ours (joined or not).
    pub(in crate::session::account) fn is_room(&self, jid: &BareJid) -> bool {
        self.rooms.map.contains_key(jid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DeliveryState, MessageId, Timestamp};
    use xmpp_parsers::message::MessageType;
    use xmpp_parsers::minidom::Element;

    fn room() -> BareJid {
        "team@conference.example.org".parse().expect("room")
    }

    /// A stored outgoing message to the room, private to `to` if given.
    fn written(to: Option<&str>) -> ChatMessage {
        ChatMessage {
            id: MessageId(1),
            account: "alice@example.org".parse().expect("account"),
            peer: room(),
            direction: Direction::Outgoing,
            body: "psst".into(),
            timestamp: Timestamp(1),
            state: DeliveryState::Pending,
            stanza_id: None,
            origin_id: Some("o1".into()),
            room: Some(Box::new(RoomMessageInfo {
                nick: "Alice".into(),
                private_with: to.map(str::to_owned),
                ..RoomMessageInfo::default()
            })),
        }
    }

    fn sent(outbound: Outbound) -> Message {
        match outbound {
            Outbound::Send(message) => *message,
            other => panic!("not sent: {other:?}"),
        }
    }

    #[test]
    fn a_private_message_goes_to_the_occupant_as_chat() {
        let stanza = sent(outbound(&written(Some("Bob")), "o1", Some(true)));
        assert_eq!(stanza.type_, MessageType::Chat);
        assert_eq!(
            stanza.to.as_ref().map(|to| to.to_string()).as_deref(),
            Some("team@conference.example.org/Bob")
        );
        let element = Element::from(stanza);
        assert!(element.has_child("x", "http://jabber.org/protocol/muc#user"));
        assert!(element.has_child("request", "urn:xmpp:receipts"));
        assert!(element.has_child("origin-id", "urn:xmpp:sid:0"));
    }

    #[test]
    fn a_private_message_never_reaches_the_whole_room() {
        // Not in the room yet: it waits (and is sent once we are back in).
        assert_eq!(
            outbound(&written(Some("Bob")), "o1", Some(false)),
            Outbound::Wait
        );
        // The room is no longer ours: never sent, in particular not as a
        // one-to-one message to the room's own address.
        assert_eq!(outbound(&written(Some("Bob")), "o1", None), Outbound::Fail);
        // A nickname no address can carry.
        assert_eq!(
            outbound(&written(Some("")), "o1", Some(true)),
            Outbound::Fail
        );
    }

    #[test]
    fn a_room_message_goes_to_the_room() {
        let stanza = sent(outbound(&written(None), "o1", Some(true)));
        assert_eq!(stanza.type_, MessageType::Groupchat);
        assert_eq!(
            stanza.to.map(|to| to.to_string()).as_deref(),
            Some("team@conference.example.org")
        );
    }

    #[test]
    fn a_one_to_one_message_goes_to_the_contact() {
        let mut message = written(None);
        message.room = None;
        message.peer = "bob@example.org".parse().expect("bob");
        let stanza = sent(outbound(&message, "o1", None));
        assert_eq!(stanza.type_, MessageType::Chat);
        assert_eq!(
            stanza.to.map(|to| to.to_string()).as_deref(),
            Some("bob@example.org")
        );
    }
}
