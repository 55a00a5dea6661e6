//! Chats as listed in the sidebar, and chat-state notifications.

use super::{BareJid, Timestamp};

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
    /// Messages received since the chat was last read.
    pub unread: u32,
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
