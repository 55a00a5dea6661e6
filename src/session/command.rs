//! Requests from the UI to the core.

use crate::model::{BareJid, CallId, ChatState, MessageId, PresenceShow, ServerAddress};

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
    /// Tell the peer whether we are typing (XEP-0085).
    SetChatState {
        /// The account.
        account: BareJid,
        /// The other party.
        peer: BareJid,
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
    /// Sign every account out cleanly and stop the core
    /// (emits `Event::ShutdownComplete`).
    Shutdown,
}
