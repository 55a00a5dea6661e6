//! One-to-one messages (RFC 6121 §5) with delivery receipts (XEP-0184),
//! chat states (XEP-0085), carbons (XEP-0280), delayed delivery (XEP-0203)
//! and unique ids (XEP-0359).

use xmpp_parsers::carbons;
use xmpp_parsers::chatstates::ChatState as XChatState;
use xmpp_parsers::delay::Delay;
use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::message::{Id, Lang, Message, MessageType};
use xmpp_parsers::receipts;
use xmpp_parsers::stanza_error::StanzaError;
use xmpp_parsers::stanza_id::OriginId;

use crate::model::{ChatState, Direction, Timestamp};

/// What an incoming `<message/>` means for the user, after unwrapping
/// carbons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Incoming {
    /// The other party of the chat.
    pub peer: BareJid,
    /// The other party's resource, if the message names one: in a room,
    /// the occupant's nickname (XEP-0045 §7.5).
    pub peer_resource: Option<String>,
    /// It carries `<x xmlns='http://jabber.org/protocol/muc#user'/>`, the
    /// hint that it is a private message through a room.
    pub muc_user: bool,
    /// Whether the user wrote it (a carbon of a message sent elsewhere).
    pub direction: Direction,
    /// Plain-text body, if any.
    pub body: Option<String>,
    /// The stanza's id attribute.
    pub id: Option<String>,
    /// XEP-0359 origin-id.
    pub origin_id: Option<String>,
    /// The sender's timestamp (XEP-0203), if delayed.
    pub delayed: Option<Timestamp>,
    /// The sender asks for a receipt (XEP-0184).
    pub wants_receipt: bool,
    /// This is a receipt for our message with that id.
    pub receipt_for: Option<String>,
    /// Chat state notification (XEP-0085).
    pub chat_state: Option<ChatState>,
    /// A bounced message: the defined condition of the error.
    pub error: Option<String>,
    /// The full address it came from, to address the receipt to.
    pub from: Option<Jid>,
}

/// Why a message was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dropped {
    /// A carbon not sent by our own server account: forged.
    ForgedCarbon,
    /// Group chat and headline messages are not one-to-one chats.
    NotAChat,
    /// No sender and not from our own account.
    NoPeer,
}

/// Interpret an incoming message for the account `own`.
pub(crate) fn classify(own: &BareJid, mut message: Message) -> Result<Incoming, Dropped> {
    let from_own = match &message.from {
        None => true,
        Some(from) => from.to_bare() == *own,
    };
    let received = message
        .extract_payload::<carbons::Received>()
        .ok()
        .flatten();
    let sent = message.extract_payload::<carbons::Sent>().ok().flatten();
    if received.is_some() || sent.is_some() {
        // XEP-0280 §11: only our own account may send carbons.
        if !from_own {
            return Err(Dropped::ForgedCarbon);
        }
        if let Some(carbon) = received {
            let mut inner = classify_plain(carbon.forwarded.message, Direction::Incoming)?;
            if inner.delayed.is_none() {
                inner.delayed = carbon.forwarded.delay.map(|d| stamp(&d));
            }
            return Ok(inner);
        }
        if let Some(carbon) = sent {
            let mut inner = classify_plain(carbon.forwarded.message, Direction::Outgoing)?;
            // Receipts and chat states we sent elsewhere are not ours to act on.
            inner.wants_receipt = false;
            inner.receipt_for = None;
            inner.chat_state = None;
            if inner.delayed.is_none() {
                inner.delayed = carbon.forwarded.delay.map(|d| stamp(&d));
            }
            return Ok(inner);
        }
    }
    classify_plain(message, Direction::Incoming)
}

fn classify_plain(mut message: Message, direction: Direction) -> Result<Incoming, Dropped> {
    if matches!(
        message.type_,
        MessageType::Groupchat | MessageType::Headline
    ) {
        return Err(Dropped::NotAChat);
    }
    let peer_jid = match direction {
        Direction::Incoming => message.from.clone(),
        Direction::Outgoing => message.to.clone(),
    };
    let (peer, peer_resource) = match peer_jid {
        Some(jid) => (jid.to_bare(), jid.resource().map(|r| r.as_str().to_owned())),
        None => return Err(Dropped::NoPeer),
    };
    let muc_user = message
        .payloads
        .iter()
        .any(|p| p.is("x", crate::xmpp::muc::NS_USER));
    let error = if message.type_ == MessageType::Error {
        let condition = message
            .extract_payload::<StanzaError>()
            .ok()
            .flatten()
            .map(|e| condition_name(&e))
            .unwrap_or_else(|| "undefined-condition".to_owned());
        Some(condition)
    } else {
        None
    };
    let body = message
        .get_best_body_cloned(vec![])
        .map(|(_, body)| body)
        .filter(|b| !b.is_empty());
    let origin_id = message
        .extract_payload::<OriginId>()
        .ok()
        .flatten()
        .map(|o| o.id);
    let delayed = message
        .extract_payload::<Delay>()
        .ok()
        .flatten()
        .map(|d| stamp(&d));
    let wants_receipt = message
        .extract_payload::<receipts::Request>()
        .ok()
        .flatten()
        .is_some();
    let receipt_for = message
        .extract_payload::<receipts::Received>()
        .ok()
        .flatten()
        .map(|r| r.id);
    let chat_state = message
        .extract_payload::<XChatState>()
        .ok()
        .flatten()
        .map(from_xchat_state);
    Ok(Incoming {
        peer,
        peer_resource,
        muc_user,
        direction,
        // Receipts are only sent for messages with a body (XEP-0184 §5.4).
        wants_receipt: wants_receipt && body.is_some() && error.is_none(),
        body: if error.is_some() { None } else { body },
        id: message.id.map(|id| id.0),
        origin_id,
        delayed,
        receipt_for,
        chat_state,
        error,
        from: message.from,
    })
}

fn stamp(delay: &Delay) -> Timestamp {
    Timestamp(delay.stamp.0.timestamp_millis())
}

/// The RFC 6120 name of a stanza error's condition, e.g. `not-allowed`.
pub(crate) fn condition_name(error: &StanzaError) -> String {
    let element = xmpp_parsers::minidom::Element::from(error.defined_condition.clone());
    element.name().to_owned()
}

fn from_xchat_state(state: XChatState) -> ChatState {
    match state {
        XChatState::Active => ChatState::Active,
        XChatState::Composing => ChatState::Composing,
        XChatState::Paused => ChatState::Paused,
        XChatState::Inactive => ChatState::Inactive,
        XChatState::Gone => ChatState::Gone,
    }
}

fn to_xchat_state(state: ChatState) -> XChatState {
    match state {
        ChatState::Active => XChatState::Active,
        ChatState::Composing => XChatState::Composing,
        ChatState::Paused => XChatState::Paused,
        ChatState::Inactive => XChatState::Inactive,
        ChatState::Gone => XChatState::Gone,
    }
}

/// A chat message with body, origin-id (also used as the stanza id, so a
/// receipt names it), a receipt request and the `active` chat state.
pub(crate) fn outgoing_chat(to: &BareJid, body: &str, origin_id: &str, lang: &str) -> Message {
    let mut message = Message::chat(Some(Jid::from(to.clone())));
    message.id = Some(Id(origin_id.to_owned()));
    message
        .bodies
        .insert(Lang(lang.to_owned()), body.to_owned());
    message
        .with_payload(OriginId {
            id: origin_id.to_owned(),
        })
        .with_payload(receipts::Request)
        .with_payload(XChatState::Active)
}

/// A delivery receipt for the message `id` from `to`.
pub(crate) fn receipt(to: Jid, id: &str) -> Message {
    let mut message = Message::chat(Some(to));
    message.id = Some(Id(new_id()));
    message.with_payload(receipts::Received { id: id.to_owned() })
}

/// A standalone chat-state notification.
pub(crate) fn chat_state(to: &BareJid, state: ChatState) -> Message {
    let mut message = Message::chat(Some(Jid::from(to.clone())));
    message.id = Some(Id(new_id()));
    // XEP-0334 no-store: typing notifications need not be archived.
    let mut message = message.with_payload(to_xchat_state(state));
    message
        .payloads
        .push(xmpp_parsers::minidom::Element::builder("no-store", "urn:xmpp:hints").build());
    message
}

/// A fresh random id for stanzas (and origin-ids).
pub(crate) fn new_id() -> String {
    let bytes: [u8; 12] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
