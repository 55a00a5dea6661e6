//! Chats as listed in the sidebar, and chat-state notifications.

use super::{BareJid, Direction, Timestamp};

/// One entry of the chat list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatSummary {
    /// The account the chat belongs to.
    pub account: BareJid,
    /// The other party.
    pub peer: BareJid,
    /// The newest message's body, for the preview line.
    pub last_body: Option<String>,
    /// When the newest message was sent.
    pub last_timestamp: Option<Timestamp>,
    /// Who wrote the newest message, when it is a room message.
    pub last_sender: Option<RoomSender>,
    /// Whether a moderator removed the newest message (its body is gone).
    pub last_moderated: bool,
    /// Messages received since the chat was last read.
    pub unread: u32,
}

impl ChatSummary {
    /// The entry of a chat with nothing stored yet.
    pub fn empty(account: BareJid, peer: BareJid) -> Self {
        Self {
            account,
            peer,
            last_body: None,
            last_timestamp: None,
            last_sender: None,
            last_moderated: false,
            unread: 0,
        }
    }
}

/// Who wrote a room message, as the chat list's preview names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomSender {
    /// A message to the whole room, from this nickname.
    Group(String),
    /// A private message from this occupant.
    PrivateFrom(String),
    /// A private message we sent to this occupant.
    PrivateTo(String),
}

impl RoomSender {
    /// From a room message's sender nickname, the occupant of a private
    /// message and its direction.
    pub fn from_parts(nick: String, private_with: Option<String>, direction: Direction) -> Self {
        match (private_with, direction) {
            (None, _) => Self::Group(nick),
            (Some(nick), Direction::Incoming) => Self::PrivateFrom(nick),
            (Some(nick), Direction::Outgoing) => Self::PrivateTo(nick),
        }
    }
}

/// XEP-0085 chat states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatState {
    /// Actively participating.
    Active,
    /// Typing.
    Composing,
    /// Stopped typing.
    Paused,
    /// Not looking at the chat.
    Inactive,
    /// Left the chat.
    Gone,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_room_sender_is_the_writer_or_the_other_side_of_a_private_message() {
        let sender = |private: Option<&str>, direction| {
            RoomSender::from_parts("Alice".into(), private.map(str::to_owned), direction)
        };
        assert_eq!(
            sender(None, Direction::Outgoing),
            RoomSender::Group("Alice".into())
        );
        assert_eq!(
            sender(Some("Bob"), Direction::Incoming),
            RoomSender::PrivateFrom("Bob".into())
        );
        assert_eq!(
            sender(Some("Bob"), Direction::Outgoing),
            RoomSender::PrivateTo("Bob".into())
        );
    }
}
