//! A call's media on GStreamer's webrtcbin, driven by standard WebRTC SDP.
//!
//! The engine knows nothing of Jingle: it takes and produces SDP text with
//! one m-line per content, each with its own ICE credentials, DTLS
//! fingerprint, `a=mid`, `a=rtcp-mux` and `a=setup` (`actpass` when
//! offering, `active` when answering), and trickles candidates as
//! `(m-line index, "candidate:…")`. A pure module maps that SDP to and from
//! Jingle contents.
//!
//! - `bundle-policy=none`: every content gets its own ICE and DTLS
//!   transport, as Dino requires.
//! - Every codec whose GStreamer elements are installed
//!   ([`available_codecs`]) is offered and accepted, and nothing else; each
//!   content encodes the codec the negotiation chose (our preference among
//!   the peer's offer when answering, the first of the peer's answer when
//!   offering), with the peer's payload type numbers. Until then audio is
//!   captured and encoded for our preferred codec behind a closed valve (a
//!   microphone started late may never capture), and only the encoder is
//!   replaced if another codec is chosen; video waits.
//! - The peer's DTLS certificate is checked against the fingerprint of the
//!   remote SDP here, because GStreamer accepts any certificate; a mismatch
//!   ends the media with [`FailureReason::Security`]. Certificate dates are
//!   not checked.
//! - Holding the call ([`MediaEngine::set_on_hold`]) stops sending all our
//!   media and silences the peer's audio and video, on every content
//!   including those added later; the user's mutes are kept apart, so a
//!   content muted before or during the hold stays muted after it.
//! - Video asks for lost packets and resends them (RFC 4588 RTX, webrtcbin's
//!   `do-nack`) when the peer agrees to; audio does not.
//! - Closing the engine also gives the call's TURN allocations back to the
//!   relays (see `relays`), which webrtcbin alone leaves to time out.
//! - Everything the engine has to say arrives as a [`MediaEvent`] on the
//!   channel returned by [`MediaEngine::new`].

mod choice;
mod codecs;
mod config;
mod devices;
mod engine;
mod events;
mod fingerprint;
mod gates;
mod incoming;
#[cfg(test)]
mod loss_recovery_tests;
mod negotiation;
mod pipeline;
mod relays;
mod sdp_info;
mod send_branch;
mod sending;
mod stats;
mod watch;

pub use codecs::available_codecs;
pub use config::{
    AudioInput, AudioOutput, FrameCallback, IceServer, IceServerKind, MediaConfig, SampleCallback,
    VideoFrame, VideoInput, VideoOutput, VideoSize,
};
pub use devices::{DeviceClass, MediaDevice, list_devices};
pub use engine::MediaEngine;
pub use events::{DtlsState, FailureReason, IceState, MediaEvent, SdpKind};
pub use fingerprint::{Fingerprint, FingerprintError};
pub use pipeline::samples_sink;
pub use sdp_info::{RemoteMedia, SdpInfoError, parse as parse_sdp_info, tamper_fingerprints};
pub use stats::{ContentTransport, MediaStats};

/// The kind of a content (a Jingle `<content>`, an SDP m-line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentKind {
    /// Audio (Opus, G.722, PCMU or PCMA).
    Audio,
    /// Video (VP8 or H.264).
    Video,
}

impl ContentKind {
    /// `audio` or `video`, as in an SDP m-line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Audio => "audio",
            Self::Video => "video",
        }
    }
}

/// Why the media engine refused a request.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// GStreamer itself could not start.
    #[error("could not initialise GStreamer: {0}")]
    Init(String),
    /// A GStreamer element is not installed (its plugin package is missing).
    #[error("missing GStreamer element {0}")]
    MissingElement(String),
    /// Elements could not be linked or configured.
    #[error("could not build the media pipeline: {0}")]
    Pipeline(String),
    /// No capture or playback device has this id.
    #[error("no such device: {0}")]
    NoDevice(String),
    /// An ICE server that GStreamer cannot use.
    #[error("invalid ICE server: {0}")]
    InvalidIceServer(String),
    /// SDP text that does not parse.
    #[error("invalid SDP: {0}")]
    InvalidSdp(String),
    /// No codec of this kind (`audio`, `video`) has its elements installed.
    #[error("no {0} codec is installed")]
    NoCodec(&'static str),
    /// The remote offer has no codec we speak for a content we add.
    #[error("the remote offer has no {0} codec we support")]
    NoCommonCodec(&'static str),
    /// A request that makes no sense now (e.g. an answer before an offer).
    #[error("not possible now: {0}")]
    InvalidState(&'static str),
    /// The call's media was closed or has failed.
    #[error("the call's media is closed")]
    Closed,
}
