//! What a call session reacts to: the user, the peer's stanzas, the media
//! engine and its own timers.

use xmpp_parsers::jid::Jid;
use xmpp_parsers::jingle::{Content, Jingle};

use super::jmi::JmiMessage;
use crate::model::MediaKind;

/// One input to [`CallSession::handle`](super::CallSession::handle).
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// The user did something.
    User(UserAction),
    /// A stanza from the network, already parsed.
    Signal(Signal),
    /// The media engine reports progress.
    Media(MediaEvent),
    /// A timer set with [`Output::SetTimer`](super::Output::SetTimer) fired.
    Timer(TimerKind),
    /// The account is going offline: end the call with `gone`.
    Shutdown,
}

impl From<Signal> for Input {
    fn from(signal: Signal) -> Self {
        Self::Signal(signal)
    }
}

/// A user's action on a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserAction {
    /// Answer an incoming call.
    Accept,
    /// Decline an incoming call.
    Decline,
    /// Hang up (or cancel an outgoing call that was not answered yet).
    HangUp,
    /// Stop or resume sending one kind of media.
    SetMuted {
        /// Which media.
        media: MediaKind,
        /// Whether to stop sending it.
        muted: bool,
    },
    /// Put the call on hold or resume it (XEP-0167 §7): while on hold
    /// nothing is sent and nothing of the peer's is played.
    SetOnHold {
        /// Whether to hold the call.
        on_hold: bool,
    },
    /// Add a kind of media to a running call (turn the camera on in an
    /// audio call): a Jingle content-add.
    AddMedia {
        /// The media to add.
        media: MediaKind,
    },
    /// Accept the media the peer asked to add.
    AcceptAddedMedia,
    /// Refuse the media the peer asked to add.
    RejectAddedMedia,
}

/// A stanza relevant to calls, as read by the XMPP layer.
#[derive(Debug, Clone, PartialEq)]
pub enum Signal {
    /// A Jingle Message Initiation message (XEP-0353).
    Jmi(JmiSignal),
    /// An `<iq type='set'/>` carrying a `<jingle/>` element.
    Jingle {
        /// The sender.
        from: Jid,
        /// The IQ's id, for the reply.
        id: String,
        /// The Jingle payload.
        jingle: Box<Jingle>,
    },
    /// An `<iq type='set'/>` whose `<jingle/>` element could not be read.
    MalformedJingle {
        /// The sender.
        from: Jid,
        /// The IQ's id, for the reply.
        id: String,
    },
    /// A result for an IQ we sent.
    IqResult {
        /// The sender.
        from: Jid,
        /// The id of our request.
        id: String,
    },
    /// An error for an IQ we sent.
    IqError {
        /// The sender.
        from: Jid,
        /// The id of our request.
        id: String,
        /// What went wrong, as far as calls care.
        failure: IqFailure,
    },
    /// The peer's resource went offline (presence type='unavailable').
    PeerUnavailable {
        /// The resource that went away.
        from: Jid,
    },
}

/// A JMI message with its addressing.
#[derive(Debug, Clone, PartialEq)]
pub struct JmiSignal {
    /// The sender: a peer's resource, or one of ours for copies of what our
    /// other devices sent.
    pub from: Jid,
    /// The addressee, if given.
    pub to: Option<Jid>,
    /// Sent by one of the user's own devices (a carbon of a message to the
    /// peer, or a message from our own account).
    pub from_own_account: bool,
    /// The payload.
    pub message: JmiMessage,
}

/// The error returned for one of our Jingle IQs (XEP-0166 §11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IqFailure {
    /// `<conflict/>` with `<tie-break/>`: the peer started a session with us
    /// at the same time and theirs wins.
    TieBreak,
    /// `<item-not-found/>` with `<unknown-session/>`.
    UnknownSession,
    /// `<unexpected-request/>` with `<out-of-order/>`.
    OutOfOrder,
    /// `<feature-not-implemented/>` with `<unsupported-info/>`.
    UnsupportedInfo,
    /// Any other error (including the peer being offline).
    Other,
}

/// Progress reported by the media engine (through the glue that turns its
/// SDP into Jingle contents).
#[derive(Debug, Clone, PartialEq)]
pub enum MediaEvent {
    /// The local offer asked for with `MediaCommand::CreateOffer`.
    OfferReady {
        /// Contents with description and transport (ufrag, pwd, DTLS
        /// fingerprint; candidates may follow separately).
        contents: Vec<Content>,
    },
    /// The local answer asked for with `MediaCommand::AcceptOffer`.
    AnswerReady {
        /// Contents with description and transport.
        contents: Vec<Content>,
    },
    /// The offer for contents asked for with `MediaCommand::AddContents`.
    AddedContentsReady {
        /// Contents with description and transport.
        contents: Vec<Content>,
    },
    /// The answer asked for with `MediaCommand::AcceptAddedContents`.
    AddedContentsAnswerReady {
        /// Contents with description and transport.
        contents: Vec<Content>,
    },
    /// Newly gathered local ICE candidates (trickle ICE, XEP-0176).
    LocalCandidates {
        /// Contents carrying only a transport with the new candidates.
        contents: Vec<Content>,
    },
    /// ICE and DTLS are up: media flows.
    Connected,
    /// ICE failed (or was lost for good).
    TransportFailed,
    /// The peer's DTLS certificate does not match the fingerprint signalled
    /// in Jingle.
    FingerprintMismatch,
    /// The offer or answer could not be used (no common codec, bad data).
    ApplicationFailed,
    /// Any other media failure (device lost, pipeline error).
    Failed,
}

/// The timers a call uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimerKind {
    /// How long a call may ring unanswered.
    Ring,
    /// How long an answered call may take to connect.
    Connect,
}
