//! Plain data shared by the core and the UI: accounts, contacts, presence,
//! messages and chats. Nothing here performs I/O.

mod account;
mod call;
mod chat;
mod form;
mod message;
mod presence;
mod room;
mod roster;

pub use account::{AccountSummary, ConnectionState, ServerAddress, TlsMode};
pub use call::{CallDirection, CallEndReason, CallId, CallState, CallSummary, MediaKind};
pub use chat::{ChatState, ChatSummary, RoomSender};
pub use form::{
    DataForm, FORM_TYPE, FieldKind, FieldProblem, FormField, FormKind, FormOption, ProblemKind,
};
pub use message::{
    ChatMessage, DeliveryState, Direction, MessageId, Moderation, RoomMessageInfo, Timestamp,
};
pub use presence::{PresenceShow, PresenceStatus};
pub use room::{
    AffiliatedUser, Affiliation, Occupant, OccupantChange, PublicRoom, PublicRoomsPage, Role,
    RoomError, RoomExit, RoomInvitation, RoomNotify, RoomState, RoomSummary, mentions,
    nickname_allowed,
};
pub use roster::{Contact, RosterItem, Subscription};
pub use xmpp_parsers::jid::{BareJid, FullJid, Jid};
