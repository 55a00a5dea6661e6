//! What the media engine reports: descriptions and candidates to signal,
//! transport states, first decoded media and failures.

use gstreamer_webrtc::{WebRTCDTLSTransportState, WebRTCICEConnectionState};

/// Offer or answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdpKind {
    /// A session description that proposes contents (Jingle
    /// `session-initiate`, `content-add`).
    Offer,
    /// A session description that accepts them (`session-accept`,
    /// `content-accept`).
    Answer,
}

/// The ICE state of one content's transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IceState {
    /// Not started.
    New,
    /// Checking candidate pairs.
    Checking,
    /// A pair works.
    Connected,
    /// Checks are over and a pair works.
    Completed,
    /// No pair works: the content cannot carry media.
    Failed,
    /// Connectivity was lost; it may come back.
    Disconnected,
    /// Shut down.
    Closed,
}

impl From<WebRTCICEConnectionState> for IceState {
    fn from(state: WebRTCICEConnectionState) -> Self {
        match state {
            WebRTCICEConnectionState::Checking => Self::Checking,
            WebRTCICEConnectionState::Connected => Self::Connected,
            WebRTCICEConnectionState::Completed => Self::Completed,
            WebRTCICEConnectionState::Failed => Self::Failed,
            WebRTCICEConnectionState::Disconnected => Self::Disconnected,
            WebRTCICEConnectionState::Closed => Self::Closed,
            _ => Self::New,
        }
    }
}

/// The DTLS state of one content's transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DtlsState {
    /// Not started.
    New,
    /// Handshaking.
    Connecting,
    /// Handshake done (the fingerprint check follows at once).
    Connected,
    /// Handshake failed.
    Failed,
    /// Shut down.
    Closed,
}

impl From<WebRTCDTLSTransportState> for DtlsState {
    fn from(state: WebRTCDTLSTransportState) -> Self {
        match state {
            WebRTCDTLSTransportState::Connecting => Self::Connecting,
            WebRTCDTLSTransportState::Connected => Self::Connected,
            WebRTCDTLSTransportState::Failed => Self::Failed,
            WebRTCDTLSTransportState::Closed => Self::Closed,
            _ => Self::New,
        }
    }
}

/// Why a call's media ended; maps onto the Jingle `session-terminate`
/// reasons `failed-transport`, `failed-application` and `security-error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureReason {
    /// No ICE candidate pair works, or the DTLS handshake failed.
    Transport,
    /// Codecs, SDP or the local pipeline failed.
    Application,
    /// The peer's DTLS certificate does not have the signalled fingerprint.
    Security,
}

/// Something the media engine has to tell its owner.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaEvent {
    /// Our offer or answer, to be mapped to Jingle and sent.
    LocalDescription {
        /// Offer or answer.
        kind: SdpKind,
        /// The SDP text.
        sdp: String,
    },
    /// One of our ICE candidates, to be trickled (Jingle `transport-info`).
    LocalCandidate {
        /// The content's m-line index.
        mline: u32,
        /// `candidate:…`, as in an SDP `a=candidate` line.
        candidate: String,
    },
    /// A content's ICE transport changed state.
    IceStateChanged {
        /// The content's m-line index.
        mline: u32,
        /// The new state.
        state: IceState,
    },
    /// A content's DTLS transport changed state.
    DtlsStateChanged {
        /// The content's m-line index.
        mline: u32,
        /// The new state.
        state: DtlsState,
    },
    /// Every negotiated content is connected and its peer certificate
    /// matches the signalled fingerprint.
    Connected,
    /// The first decoded audio of the call.
    FirstAudioDecoded,
    /// The first decoded video frame of the call.
    FirstVideoDecoded,
    /// The peer's DTLS certificate does not have the fingerprint of the
    /// remote description. [`MediaEvent::Failed`] with
    /// [`FailureReason::Security`] follows.
    FingerprintMismatch {
        /// The content's m-line index.
        mline: u32,
        /// The signalled fingerprint (`None`: the SDP had none).
        expected: Option<String>,
        /// The certificate's fingerprint (`None`: it could not be read).
        actual: Option<String>,
    },
    /// The media failed and has been stopped.
    Failed {
        /// Which Jingle reason fits.
        reason: FailureReason,
        /// Details for the log.
        detail: String,
    },
}
