//! Chat messages as stored and shown.

use super::BareJid;

/// Local, store-assigned message id (stable for the life of the database).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageId(pub i64);

/// Milliseconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The current time.
    pub fn now() -> Self {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        Self(ms)
    }
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Received from the peer.
    Incoming,
    /// Written by the user (on this or another device).
    Outgoing,
}

/// Delivery progress of an outgoing message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    /// Stored in the outbox, not yet accepted by the server.
    Pending,
    /// The server acknowledged it (XEP-0198) or it was sent without
    /// stream management.
    Sent,
    /// The recipient's client confirmed it (XEP-0184).
    Delivered,
    /// The server or recipient returned an error.
    Failed,
    /// Incoming messages have no delivery state of their own.
    Received,
}

/// One message of a one-to-one chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    /// Local id.
    pub id: MessageId,
    /// The account that sent or received it.
    pub account: BareJid,
    /// The other party of the chat.
    pub peer: BareJid,
    /// Incoming or outgoing.
    pub direction: Direction,
    /// Plain-text body (never markup).
    pub body: String,
    /// When it was sent (the sender's delay stamp if any, else arrival).
    pub timestamp: Timestamp,
    /// Delivery state (outgoing) or `Received`.
    pub state: DeliveryState,
    /// The stanza's id attribute, used to match receipts.
    pub stanza_id: Option<String>,
    /// XEP-0359 origin-id (or the id) used to recognise duplicates.
    pub origin_id: Option<String>,
    /// In a room: what the room says about the sender and the message.
    pub room: Option<Box<RoomMessageInfo>>,
}

/// What a room message carries beyond a chat message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoomMessageInfo {
    /// The sender's nickname when they wrote it.
    pub nick: String,
    /// XEP-0421 occupant id of the sender, when the room assigns them.
    pub occupant_id: Option<String>,
    /// XEP-0359 stanza id the room gave the message: its archive id, used
    /// to deduplicate history and to moderate it.
    pub server_id: Option<String>,
    /// Set when a moderator removed the message (XEP-0425); the body is
    /// then gone.
    pub moderated: Option<Moderation>,
    /// Set for a private message (XEP-0045 §7.5) between us and one
    /// occupant rather than a message to the whole room: that occupant's
    /// nickname, the sender (then also `nick`) of an incoming one and the
    /// addressee of an outgoing one (whose `nick` is ours).
    pub private_with: Option<String>,
}

/// A moderator's removal of a room message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Moderation {
    /// The moderator's nickname, when known.
    pub by: Option<String>,
    /// Their reason (plain text).
    pub reason: Option<String>,
}
