//! What a call session asks for: stanzas to send, work for the media
//! engine, news for the user interface and timers.

use xmpp_parsers::iq::Iq;
use xmpp_parsers::jingle::{Content, ContentId, Creator, Senders};
use xmpp_parsers::message::Message;

use super::MonotonicTime;
use super::input::TimerKind;
use crate::model::{BareJid, CallDirection, CallState, MediaKind};

/// One effect of [`CallSession::handle`](super::CallSession::handle).
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Send this message (JMI).
    SendMessage(Box<Message>),
    /// Send this IQ (a Jingle request, or the reply to one).
    SendIq(Box<Iq>),
    /// Ask the media engine to do something.
    Media(MediaCommand),
    /// Tell the user interface.
    Event(CallEvent),
    /// Feed `Input::Timer(kind)` back at `at` (replacing an earlier timer of
    /// the same kind).
    SetTimer {
        /// When to fire.
        at: MonotonicTime,
        /// Which timer.
        kind: TimerKind,
    },
    /// The timer of this kind is no longer needed.
    CancelTimer {
        /// Which timer.
        kind: TimerKind,
    },
}

/// A content the media engine should create locally (before there is any
/// description to carry it).
#[derive(Debug, Clone, PartialEq)]
pub struct ContentSpec {
    /// The content's name in the session.
    pub name: ContentId,
    /// Who created the content.
    pub creator: Creator,
    /// Its media.
    pub media: MediaKind,
    /// Who sends media on it.
    pub senders: Senders,
}

/// Work for the media engine. Contents are Jingle contents with an RTP
/// description and an ICE-UDP transport (with DTLS fingerprint); the glue
/// turns them into SDP and back.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaCommand {
    /// Create the local offer for these contents; answer with
    /// `MediaEvent::OfferReady`.
    CreateOffer {
        /// What to offer.
        contents: Vec<ContentSpec>,
    },
    /// Apply the peer's offer and create the answer; answer with
    /// `MediaEvent::AnswerReady`.
    AcceptOffer {
        /// The peer's session-initiate contents.
        contents: Vec<Content>,
    },
    /// Apply the peer's answer to our offer.
    ApplyAnswer {
        /// The peer's session-accept contents.
        contents: Vec<Content>,
    },
    /// Add the peer's trickled ICE candidates.
    AddRemoteCandidates {
        /// The peer's transport-info contents.
        contents: Vec<Content>,
    },
    /// Add contents to the running call and create their offer; answer with
    /// `MediaEvent::AddedContentsReady`.
    AddContents {
        /// What to add.
        contents: Vec<ContentSpec>,
    },
    /// Apply the contents the peer added and create their answer; answer
    /// with `MediaEvent::AddedContentsAnswerReady`.
    AcceptAddedContents {
        /// The peer's content-add contents.
        contents: Vec<Content>,
    },
    /// Apply the peer's answer to contents we added.
    ApplyAddedContentsAnswer {
        /// The peer's content-accept contents.
        contents: Vec<Content>,
    },
    /// Drop these contents (refused or removed).
    RemoveContents {
        /// Content names.
        names: Vec<ContentId>,
    },
    /// Stop or resume sending one kind of media.
    SetMuted {
        /// Which media.
        media: MediaKind,
        /// Whether to stop sending it.
        muted: bool,
    },
    /// Let our media out on a content, or keep it in, as the content's
    /// `senders` (changed by the peer's content-modify) says. A content
    /// kept in sends nothing, whatever the mutes and the hold say.
    SetSendPermitted {
        /// The content's name.
        name: ContentId,
        /// Whether we may send on it.
        permitted: bool,
    },
    /// Put the call on hold (`on_hold`): send none of our media, whatever
    /// the mutes say, and play none of the peer's, on every content
    /// including those added later. Resuming goes back to what the mutes
    /// say: a content the user muted stays muted.
    SetOnHold {
        /// Whether the call is on hold.
        on_hold: bool,
    },
    /// The call is over: release devices, sockets and the pipeline.
    Stop,
}

/// News about a call for the user interface.
#[derive(Debug, Clone, PartialEq)]
pub enum CallEvent {
    /// A call was created (placed by the user, or arriving).
    New {
        /// The other party.
        peer: BareJid,
        /// Who called whom.
        direction: CallDirection,
        /// The media it starts with.
        media: Vec<MediaKind>,
    },
    /// The call's state changed (the last one is always `Ended`).
    StateChanged {
        /// The new state.
        state: CallState,
    },
    /// The media of the call changed (content added or removed).
    MediaChanged {
        /// The media now in the call.
        media: Vec<MediaKind>,
    },
    /// The peer wants to add media; answer with `AcceptAddedMedia` or
    /// `RejectAddedMedia`.
    MediaAddRequested {
        /// The media the peer wants to add.
        media: Vec<MediaKind>,
    },
    /// The peer refused the media we tried to add.
    MediaAddRejected {
        /// The refused media.
        media: Vec<MediaKind>,
    },
    /// The peer stopped or resumed sending some media (XEP-0167 §7.4).
    PeerMuted {
        /// Which media.
        media: MediaKind,
        /// Whether the peer stopped sending it.
        muted: bool,
    },
    /// We put the call on hold or resumed it (the user asked to).
    Hold {
        /// Whether the call is on hold.
        on_hold: bool,
    },
    /// The peer put the call on hold or resumed it.
    PeerHold {
        /// Whether the call is on hold.
        on_hold: bool,
    },
}
