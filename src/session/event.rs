//! Notifications from the core to the UI.

use crate::model::{
    AccountSummary, AffiliatedUser, Affiliation, BareJid, CallEndReason, CallId, CallSummary,
    ChatMessage, ChatState, ChatSummary, ConnectionState, Contact, DataForm, DeliveryState,
    MediaKind, MessageId, Occupant, OccupantChange, PresenceStatus, PublicRoomsPage,
    RoomInvitation, RoomSummary,
};

use super::CoreError;

/// Everything the core tells the UI. Plain data, sent in order.
#[derive(Debug, Clone)]
pub enum Event {
    /// The configured accounts, sent once at start-up.
    AccountsLoaded {
        /// All accounts, enabled or not.
        accounts: Vec<AccountSummary>,
    },
    /// An account was added or changed.
    AccountUpdated {
        /// Its new summary.
        account: AccountSummary,
    },
    /// An account was removed.
    AccountRemoved {
        /// The account.
        account: BareJid,
    },
    /// An account's connection changed.
    ConnectionChanged {
        /// The account.
        account: BareJid,
        /// New state.
        state: ConnectionState,
    },
    /// The whole roster of an account (after load or a full fetch).
    RosterReplaced {
        /// The account.
        account: BareJid,
        /// Every contact.
        contacts: Vec<Contact>,
    },
    /// One contact was added or changed (roster push or presence).
    ContactUpdated {
        /// The account.
        account: BareJid,
        /// The contact's new state.
        contact: Contact,
    },
    /// A contact was removed from the roster.
    ContactRemoved {
        /// The account.
        account: BareJid,
        /// The contact.
        jid: BareJid,
    },
    /// Someone asks to see the user's presence.
    SubscriptionRequested {
        /// The account.
        account: BareJid,
        /// Who asks.
        from: BareJid,
    },
    /// The user's own presence as now sent.
    OwnPresenceChanged {
        /// The presence.
        presence: PresenceStatus,
    },
    /// All chats with their unread counts, sent once at start-up.
    ChatsLoaded {
        /// The chats, newest first.
        chats: Vec<ChatSummary>,
    },
    /// A chat's summary changed (new message, read).
    ChatUpdated {
        /// The new summary.
        chat: ChatSummary,
    },
    /// Messages of a chat, oldest first, in answer to `OpenChat` or
    /// `LoadOlder`.
    ChatHistory {
        /// The account.
        account: BareJid,
        /// The other party.
        peer: BareJid,
        /// The messages, oldest first.
        messages: Vec<ChatMessage>,
        /// Whether these were older messages (prepend) or the newest page.
        older: bool,
        /// Whether there is nothing older than these.
        complete: bool,
        /// In the newest page: the first of the messages that were unread
        /// when the chat was opened, where a "new messages" line goes.
        /// `None` when nothing is unread, for older pages, and when every
        /// message of the page is unread with more before it.
        first_unread: Option<MessageId>,
    },
    /// A new message was stored (incoming, outgoing or from another device).
    MessageAdded {
        /// The message.
        message: ChatMessage,
    },
    /// A stored message changed in place (a moderator removed it).
    MessageChanged {
        /// The message as it is now.
        message: ChatMessage,
    },
    /// The delivery state of an outgoing message changed.
    MessageStateChanged {
        /// The account.
        account: BareJid,
        /// The other party.
        peer: BareJid,
        /// Which message.
        id: MessageId,
        /// New state.
        state: DeliveryState,
    },
    /// The peer's chat state (typing …) changed.
    ChatStateChanged {
        /// The account.
        account: BareJid,
        /// The other party.
        peer: BareJid,
        /// New state.
        state: ChatState,
    },
    /// A room occupant's chat state (typing …) in private messages with us
    /// changed.
    OccupantChatStateChanged {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// The occupant's nickname.
        nick: String,
        /// New state.
        state: ChatState,
    },
    /// Messages matching a `SearchMessages` query, newest first.
    SearchResults {
        /// The account searched.
        account: BareJid,
        /// The query as given.
        query: String,
        /// Matching messages.
        messages: Vec<ChatMessage>,
    },
    /// A command failed; the UI explains it.
    CommandFailed {
        /// The account concerned, if any.
        account: Option<BareJid>,
        /// What went wrong.
        error: CoreError,
    },
    /// A call was created or changed (state, media).
    CallUpdated {
        /// The account.
        account: BareJid,
        /// The call as it is now.
        call: CallSummary,
    },
    /// The first media of a kind from the peer was decoded: it flows.
    CallMediaFlowing {
        /// The account.
        account: BareJid,
        /// The call.
        call: CallId,
        /// Which media arrived.
        media: MediaKind,
    },
    /// The peer asks to add media to a call; answer with
    /// `Command::AnswerCallMedia`.
    CallMediaRequested {
        /// The account.
        account: BareJid,
        /// The call.
        call: CallId,
        /// The media the peer wants to add.
        media: Vec<MediaKind>,
    },
    /// A call is over.
    CallEnded {
        /// The account.
        account: BareJid,
        /// The call.
        call: CallId,
        /// Why it ended.
        reason: CallEndReason,
    },
    /// The rooms known from the store (bookmarks and joined rooms), sent
    /// once at start-up.
    RoomsLoaded {
        /// Every known room.
        rooms: Vec<RoomSummary>,
    },
    /// A room was joined, left, renamed, re-subjected or changed otherwise.
    RoomUpdated {
        /// Its new summary (boxed: it is the largest event).
        room: Box<RoomSummary>,
    },
    /// A room was forgotten (left and unbookmarked).
    RoomRemoved {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
    },
    /// Everyone in a room, sent once when we have joined it (the
    /// occupants' presences arrive before our own).
    RoomOccupants {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// The occupants, ourselves included.
        occupants: Vec<Occupant>,
    },
    /// One change among a joined room's occupants.
    OccupantChanged {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// What changed.
        change: OccupantChange,
    },
    /// A form for a room: its configuration (after `RequestRoomConfig`, or
    /// when we created a reserved room) or its registration.
    RoomForm {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// Whether it is the registration form (else configuration).
        registration: bool,
        /// The form to fill in.
        form: DataForm,
    },
    /// A page of a service's public rooms, after `BrowseRooms`.
    PublicRooms {
        /// The account.
        account: BareJid,
        /// The page.
        page: PublicRoomsPage,
        /// The `request` of the `BrowseRooms` answered.
        request: u32,
    },
    /// A service did not list its rooms (it refused, does not exist, or
    /// the account is offline).
    PublicRoomsFailed {
        /// The account.
        account: BareJid,
        /// The service.
        service: BareJid,
        /// Why.
        error: CoreError,
        /// The `request` of the `BrowseRooms` answered.
        request: u32,
    },
    /// The conference services of the account's server, after
    /// `FindRoomServices`; empty when it has none or could not tell.
    RoomServices {
        /// The account.
        account: BareJid,
        /// The services, in the server's order.
        services: Vec<BareJid>,
    },
    /// Someone invites the user to a room.
    InvitationReceived {
        /// The invitation.
        invitation: RoomInvitation,
    },
    /// Someone declined our invitation.
    InvitationDeclined {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// Who declined.
        from: BareJid,
        /// Their reason.
        reason: Option<String>,
    },
    /// Users with one affiliation in a room, after `RequestAffiliationList`.
    AffiliationList {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// Which list.
        affiliation: Affiliation,
        /// Its users.
        users: Vec<AffiliatedUser>,
    },
    /// A room request succeeded (configuration saved, subject set,
    /// moderation applied …) so the UI can close its dialog.
    RoomActionDone {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
    },
    /// A room refused a request or a join; the UI explains it.
    RoomActionFailed {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// Why.
        error: crate::model::RoomError,
    },
    /// Every account has signed out; the core has stopped.
    ShutdownComplete,
}
