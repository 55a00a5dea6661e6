//! Audio/video calls as the user interface sees them: which call, with what
//! media, in which state, and why it ended.

use std::fmt;

use xmpp_parsers::jid::BareJid;

/// A call's identifier: the Jingle session id, which is also the id of the
/// Jingle Message Initiation (XEP-0353) messages that set the call up.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CallId(String);

impl CallId {
    /// Wrap an id received from the network or generated locally.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id as it appears on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CallId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A kind of media a call carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MediaKind {
    /// Voice.
    Audio,
    /// Camera picture.
    Video,
}

impl MediaKind {
    /// The name used in Jingle RTP descriptions (`media='audio'`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Audio => "audio",
            Self::Video => "video",
        }
    }

    /// Parse the `media` attribute of a Jingle RTP description.
    pub fn from_media(media: &str) -> Option<Self> {
        match media {
            "audio" => Some(Self::Audio),
            "video" => Some(Self::Video),
            _ => None,
        }
    }
}

/// Who started a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallDirection {
    /// The peer called the user.
    Incoming,
    /// The user called the peer.
    Outgoing,
}

/// Progress of a call, as shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallState {
    /// An outgoing call was offered; no device of the peer has rung yet.
    Proposed,
    /// A device is ringing: the peer's (outgoing call) or ours (incoming).
    Ringing,
    /// Answered; media is being negotiated and connected.
    Connecting,
    /// Media flows.
    Active,
    /// Over, for the given reason.
    Ended {
        /// Why the call ended.
        reason: CallEndReason,
    },
}

/// Why a call ended. Most map to a Jingle `<reason/>` condition (XEP-0166
/// §7.4); the last three describe what happened on the user's other devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallEndReason {
    /// Hung up normally after it was answered.
    Success,
    /// The called party declined.
    Declined,
    /// The called party is busy.
    Busy,
    /// The caller cancelled before it was answered.
    Cancelled,
    /// Nobody answered in time.
    Timeout,
    /// A security check failed (for example the DTLS fingerprint did not
    /// match the one signalled in Jingle).
    SecurityError,
    /// No network path between the parties could be established.
    FailedTransport,
    /// The media could not be negotiated (no common codec, bad offer).
    FailedApplication,
    /// The network path was lost during the call.
    ConnectivityError,
    /// The peer went offline or signed out.
    Gone,
    /// Any other error.
    GeneralError,
    /// The session ran past a time limit (or was superseded, see
    /// XEP-0353's tie-breaking rules).
    Expired,
    /// The parties support none of each other's media parameters.
    IncompatibleParameters,
    /// Media processing failed.
    MediaError,
    /// The peer supports none of the offered application types.
    UnsupportedApplications,
    /// The peer supports none of the offered transport methods.
    UnsupportedTransports,
    /// The call goes on under another id: both sides called each other at
    /// once and the other call won, or the peer moved the call to another
    /// device.
    Replaced,
    /// Another device of the user answered the call.
    AnsweredElsewhere,
    /// Another device of the user declined the call.
    RejectedElsewhere,
}

/// A call as the user interface shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSummary {
    /// The call's id.
    pub id: CallId,
    /// The other party.
    pub peer: BareJid,
    /// Who called whom.
    pub direction: CallDirection,
    /// The media in the call (or offered for it), audio first.
    pub media: Vec<MediaKind>,
    /// Its progress.
    pub state: CallState,
    /// The media the peer stopped sending (XEP-0167 mute), audio first.
    pub peer_muted: Vec<MediaKind>,
    /// Whether the user put the call on hold (`Command::SetCallOnHold`).
    pub on_hold: bool,
    /// Whether the peer put the call on hold (XEP-0167 hold).
    pub peer_on_hold: bool,
}

impl CallSummary {
    /// A call that just started: nothing muted, on hold on neither side.
    pub fn new(
        id: CallId,
        peer: BareJid,
        direction: CallDirection,
        media: Vec<MediaKind>,
        state: CallState,
    ) -> Self {
        Self {
            id,
            peer,
            direction,
            media,
            state,
            peer_muted: Vec::new(),
            on_hold: false,
            peer_on_hold: false,
        }
    }

    /// Record that the peer stopped (`muted`) or resumed sending `media`;
    /// whether that changed anything. Media the call does not carry is
    /// ignored: a peer's mute for it means nothing to show.
    pub fn set_peer_muted(&mut self, media: MediaKind, muted: bool) -> bool {
        let listed = self.peer_muted.contains(&media);
        if muted == listed || (muted && !self.media.contains(&media)) {
            return false;
        }
        if muted {
            self.peer_muted.push(media);
            self.peer_muted.sort();
        } else {
            self.peer_muted.retain(|m| *m != media);
        }
        true
    }

    /// Record whether the user holds the call; whether that changed it.
    pub fn set_on_hold(&mut self, on_hold: bool) -> bool {
        let changed = self.on_hold != on_hold;
        self.on_hold = on_hold;
        changed
    }

    /// Record whether the peer holds the call; whether that changed it.
    pub fn set_peer_on_hold(&mut self, on_hold: bool) -> bool {
        let changed = self.peer_on_hold != on_hold;
        self.peer_on_hold = on_hold;
        changed
    }

    /// The call now carries `media`; a mute of media that left the call
    /// is forgotten (if it comes back, it comes back unmuted).
    pub fn set_media(&mut self, media: Vec<MediaKind>) {
        self.peer_muted.retain(|m| media.contains(m));
        self.media = media;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_names_round_trip() {
        for kind in [MediaKind::Audio, MediaKind::Video] {
            assert_eq!(MediaKind::from_media(kind.as_str()), Some(kind));
        }
        assert_eq!(MediaKind::from_media("application"), None);
    }

    fn audio_video_call() -> CallSummary {
        CallSummary::new(
            CallId::new("ca3cf894"),
            "juliet@capulet.example".parse().expect("a bare JID"),
            CallDirection::Outgoing,
            vec![MediaKind::Audio, MediaKind::Video],
            CallState::Active,
        )
    }

    #[test]
    fn peer_mutes_are_kept_in_order_and_only_changes_count() {
        let mut call = audio_video_call();
        assert!(call.peer_muted.is_empty());
        assert!(call.set_peer_muted(MediaKind::Video, true));
        assert!(!call.set_peer_muted(MediaKind::Video, true));
        assert!(call.set_peer_muted(MediaKind::Audio, true));
        assert_eq!(call.peer_muted, [MediaKind::Audio, MediaKind::Video]);
        assert!(call.set_peer_muted(MediaKind::Audio, false));
        assert!(!call.set_peer_muted(MediaKind::Audio, false));
        assert_eq!(call.peer_muted, [MediaKind::Video]);
    }

    #[test]
    fn a_mute_of_media_the_call_lacks_is_ignored() {
        let mut call = audio_video_call();
        call.set_media(vec![MediaKind::Audio]);
        assert!(!call.set_peer_muted(MediaKind::Video, true));
        assert!(call.peer_muted.is_empty());
    }

    #[test]
    fn media_leaving_the_call_takes_its_mute_along() {
        let mut call = audio_video_call();
        call.set_peer_muted(MediaKind::Audio, true);
        call.set_peer_muted(MediaKind::Video, true);
        call.set_media(vec![MediaKind::Audio]);
        assert_eq!(call.peer_muted, [MediaKind::Audio]);
        call.set_media(vec![MediaKind::Audio, MediaKind::Video]);
        assert_eq!(call.peer_muted, [MediaKind::Audio]);
    }

    #[test]
    fn hold_changes_only_when_it_differs() {
        let mut call = audio_video_call();
        assert!(!call.set_peer_on_hold(false));
        assert!(call.set_peer_on_hold(true));
        assert!(call.peer_on_hold);
        assert!(!call.set_peer_on_hold(true));
        assert!(call.set_peer_on_hold(false));
    }

    #[test]
    fn our_hold_and_the_peers_are_apart() {
        let mut call = audio_video_call();
        assert!(!call.set_on_hold(false));
        assert!(call.set_on_hold(true));
        assert!(!call.set_on_hold(true));
        assert!(call.on_hold && !call.peer_on_hold);
        assert!(call.set_peer_on_hold(true));
        assert!(call.set_on_hold(false));
        assert!(!call.on_hold && call.peer_on_hold);
    }

    #[test]
    fn call_id_shows_the_wire_id() {
        let id = CallId::new("ca3cf894");
        assert_eq!(id.to_string(), "ca3cf894");
        assert_eq!(id.as_str(), "ca3cf894");
    }
}
