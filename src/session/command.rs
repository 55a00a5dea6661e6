//! Requests from the UI to the core.

use crate::model::{
    Affiliation, BareJid, CallId, ChatState, DataForm, MessageId, PresenceShow, Role,
    RoomInvitation, RoomNotify, ServerAddress,
};

/// Everything the UI can ask of the core. Each variant is handled
/// asynchronously; results come back as [`super::Event`]s.
#[derive(Debug, Clone)]
pub enum Command {
    /// Add an account, store its password in the keyring and connect it.
    AddAccount {
        /// The account's address.
        jid: BareJid,
        /// Its password (kept only in the Secret Service).
        password: String,
        /// Connect here instead of discovering the server through DNS.
        server: Option<ServerAddress>,
    },
    /// Replace an account's password (after "wrong password") and retry.
    UpdatePassword {
        /// The account.
        account: BareJid,
        /// The new password.
        password: String,
    },
    /// Trust a certificate the system store does not, by its SHA-256
    /// fingerprint, for this account only, and retry.
    TrustCertificate {
        /// The account.
        account: BareJid,
        /// Hex SHA-256 fingerprint of the server's end-entity certificate.
        sha256: String,
    },
    /// Enable or disable an account (disabling signs it out).
    SetAccountEnabled {
        /// The account.
        account: BareJid,
        /// New state.
        enabled: bool,
    },
    /// Sign out and forget an account: its password, roster and history.
    RemoveAccount {
        /// The account.
        account: BareJid,
    },
    /// Retry connecting now instead of waiting for the back-off timer.
    ReconnectNow {
        /// The account.
        account: BareJid,
    },
    /// Set the user's own presence on every enabled account.
    SetPresence {
        /// Availability.
        show: PresenceShow,
        /// Optional status message.
        status: Option<String>,
    },
    /// Add a contact and ask to see their presence.
    AddContact {
        /// The account.
        account: BareJid,
        /// The contact's address.
        jid: BareJid,
        /// Optional name.
        name: Option<String>,
    },
    /// Rename a contact.
    RenameContact {
        /// The account.
        account: BareJid,
        /// The contact.
        jid: BareJid,
        /// New name (`None` clears it).
        name: Option<String>,
    },
    /// Remove a contact from the roster (cancels subscriptions both ways).
    RemoveContact {
        /// The account.
        account: BareJid,
        /// The contact.
        jid: BareJid,
    },
    /// Answer an incoming subscription request.
    AnswerSubscription {
        /// The account.
        account: BareJid,
        /// Who asked.
        jid: BareJid,
        /// Accept (and ask back) or decline.
        accept: bool,
    },
    /// Load the newest messages of a chat (emits `Event::ChatHistory`).
    OpenChat {
        /// The account.
        account: BareJid,
        /// The other party.
        peer: BareJid,
    },
    /// Load messages older than `before` (scroll-back).
    LoadOlder {
        /// The account.
        account: BareJid,
        /// The other party.
        peer: BareJid,
        /// Load messages older than this one.
        before: MessageId,
    },
    /// The user has read the chat: clear its unread count.
    MarkRead {
        /// The account.
        account: BareJid,
        /// The other party.
        peer: BareJid,
    },
    /// Send a message. It is stored in the outbox first and sent when
    /// connected.
    SendMessage {
        /// The account.
        account: BareJid,
        /// Recipient.
        peer: BareJid,
        /// Plain-text body.
        body: String,
    },
    /// Send a private message to one occupant of a room (XEP-0045 §7.5).
    /// Like [`Command::SendMessage`] it is stored in the outbox first; it
    /// stays in the room's conversation, marked private, and goes to the
    /// occupant only, once we are in the room.
    SendPrivateMessage {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// The occupant's nickname.
        nick: String,
        /// Plain-text body.
        body: String,
    },
    /// Tell the peer whether we are typing (XEP-0085).
    SetChatState {
        /// The account.
        account: BareJid,
        /// The other party.
        peer: BareJid,
        /// New state.
        state: ChatState,
    },
    /// Tell a room occupant we write to privately whether we are typing
    /// (XEP-0085; only while in the room).
    SetOccupantChatState {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// The occupant's nickname.
        nick: String,
        /// New state.
        state: ChatState,
    },
    /// Full-text search in an account's stored messages (emits
    /// `Event::SearchResults`).
    SearchMessages {
        /// The account.
        account: BareJid,
        /// Words to find; the last one may be a prefix.
        query: String,
    },
    /// Send a raw stanza typed in the XML console (power users, debugging).
    SendRawXml {
        /// The account.
        account: BareJid,
        /// One `<message/>`, `<presence/>` or `<iq/>` element.
        xml: String,
    },
    /// Call a contact on all of their devices (XEP-0353); the call's
    /// progress arrives as `Event::CallUpdated`.
    PlaceCall {
        /// The account.
        account: BareJid,
        /// Who to call.
        peer: BareJid,
        /// Whether to start with video as well as audio.
        video: bool,
    },
    /// Answer an incoming call.
    AcceptCall {
        /// The account.
        account: BareJid,
        /// The call.
        call: CallId,
    },
    /// Decline an incoming call.
    RejectCall {
        /// The account.
        account: BareJid,
        /// The call.
        call: CallId,
    },
    /// End a call (or cancel an outgoing call that was not answered yet).
    HangUp {
        /// The account.
        account: BareJid,
        /// The call.
        call: CallId,
    },
    /// Stop or resume sending our audio in a call.
    SetCallMuted {
        /// The account.
        account: BareJid,
        /// The call.
        call: CallId,
        /// Whether to stop sending audio.
        muted: bool,
    },
    /// Put a call on hold (send nothing and play nothing of the peer's;
    /// the peer is told) or resume it. Mutes survive the hold. The call's
    /// `CallSummary::on_hold` follows.
    SetCallOnHold {
        /// The account.
        account: BareJid,
        /// The call.
        call: CallId,
        /// Whether to hold the call.
        on_hold: bool,
    },
    /// Turn the camera on in an audio call (Jingle content-add).
    AddCallVideo {
        /// The account.
        account: BareJid,
        /// The call.
        call: CallId,
    },
    /// Answer the peer's request to add media (`Event::CallMediaRequested`).
    AnswerCallMedia {
        /// The account.
        account: BareJid,
        /// The call.
        call: CallId,
        /// Accept or refuse the added media.
        accept: bool,
    },
    /// Enter a room (creating it when it does not exist and the service
    /// lets us; a new room is configured with `Command::SubmitRoomConfig`
    /// or accepted as is with `instant`). Progress arrives as
    /// `Event::RoomUpdated`.
    JoinRoom {
        /// The account.
        account: BareJid,
        /// The room's address.
        room: BareJid,
        /// Nickname; `None` uses the bookmark's or the account's name.
        nick: Option<String>,
        /// The room's password, if it has one.
        password: Option<String>,
        /// Bookmark the room with autojoin (synced to other devices).
        bookmark: bool,
        /// If we create the room, accept the default configuration at once.
        instant: bool,
    },
    /// Leave a room; `forget` also removes its bookmark.
    LeaveRoom {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// Remove the bookmark too.
        forget: bool,
    },
    /// Change our nickname in a room.
    SetRoomNick {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// New nickname.
        nick: String,
    },
    /// Change a room's subject.
    SetRoomSubject {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// New subject (empty clears it).
        subject: String,
    },
    /// Choose which room messages notify (kept locally).
    SetRoomNotify {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// New setting.
        notify: RoomNotify,
    },
    /// Ask for a room's configuration form (emits `Event::RoomForm`).
    RequestRoomConfig {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
    },
    /// Submit (or, with `None`, cancel) a room configuration form.
    SubmitRoomConfig {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// The filled-in form; `None` cancels.
        form: Option<DataForm>,
    },
    /// Ask for a room's registration form (emits `Event::RoomForm`).
    RequestRoomRegistration {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
    },
    /// Submit a room registration form.
    SubmitRoomRegistration {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// The filled-in form.
        form: DataForm,
    },
    /// Destroy a room we own; once the room confirms, it is forgotten
    /// (bookmark included) and `Event::RoomRemoved` follows.
    DestroyRoom {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// Reason told to the occupants.
        reason: Option<String>,
        /// The room where the conversation continues, told to the occupants.
        alternative: Option<BareJid>,
    },
    /// List a conference service's public rooms, one page at a time
    /// (emits `Event::PublicRooms`, or `Event::PublicRoomsFailed`).
    BrowseRooms {
        /// The account.
        account: BareJid,
        /// The service (e.g. `conference.example.org`).
        service: BareJid,
        /// `PublicRoomsPage::next` of the previous page; `None` for the first.
        after: Option<String>,
        /// Chosen by the caller and repeated in the answer, so an answer to
        /// an older request (another service, a fresh start) is told apart.
        request: u32,
    },
    /// Find the conference services of the account's server (emits
    /// `Event::RoomServices`).
    FindRoomServices {
        /// The account.
        account: BareJid,
    },
    /// Invite someone to a room: directly (XEP-0249), and through the room
    /// as well when it is members-only (which also grants membership where
    /// we may).
    InviteToRoom {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// Who to invite.
        invitee: BareJid,
        /// Optional reason.
        reason: Option<String>,
    },
    /// Answer an invitation: accept joins the room; decline tells the
    /// inviter.
    AnswerInvitation {
        /// The invitation.
        invitation: RoomInvitation,
        /// Accept or decline.
        accept: bool,
    },
    /// Change an occupant's role: kick (`Role::None`), grant or revoke
    /// voice, make or unmake moderator.
    SetOccupantRole {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// The occupant's nickname.
        nick: String,
        /// New role.
        role: Role,
        /// Reason told to them.
        reason: Option<String>,
    },
    /// Change a user's affiliation: ban (`Affiliation::Outcast`), grant or
    /// revoke membership, admin, ownership.
    SetAffiliation {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// The user's real address.
        jid: BareJid,
        /// New affiliation.
        affiliation: Affiliation,
        /// Reason.
        reason: Option<String>,
    },
    /// Fetch the users with one affiliation (members, admins, banned …;
    /// emits `Event::AffiliationList`).
    RequestAffiliationList {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// Which list.
        affiliation: Affiliation,
    },
    /// Remove someone's message from a room as a moderator (XEP-0425).
    ModerateMessage {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
        /// The stored message.
        message: MessageId,
        /// Reason shown in its place.
        reason: Option<String>,
    },
    /// Sign every account out cleanly and stop the core
    /// (emits `Event::ShutdownComplete`).
    Shutdown,
}

impl Command {
    /// The account of a room command: these are handled by the account's
    /// actor as they are.
    pub(crate) fn room_account(&self) -> Option<&BareJid> {
        match self {
            Self::JoinRoom { account, .. }
            | Self::LeaveRoom { account, .. }
            | Self::SetRoomNick { account, .. }
            | Self::SetRoomSubject { account, .. }
            | Self::SetRoomNotify { account, .. }
            | Self::RequestRoomConfig { account, .. }
            | Self::SubmitRoomConfig { account, .. }
            | Self::RequestRoomRegistration { account, .. }
            | Self::SubmitRoomRegistration { account, .. }
            | Self::DestroyRoom { account, .. }
            | Self::BrowseRooms { account, .. }
            | Self::FindRoomServices { account }
            | Self::InviteToRoom { account, .. }
            | Self::SetOccupantRole { account, .. }
            | Self::SetAffiliation { account, .. }
            | Self::RequestAffiliationList { account, .. }
            | Self::ModerateMessage { account, .. }
            | Self::SetOccupantChatState { account, .. } => Some(account),
            Self::AnswerInvitation { invitation, .. } => Some(&invitation.account),
            _ => None,
        }
    }
}
