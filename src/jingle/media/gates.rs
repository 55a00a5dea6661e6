//! What lets media through: the gate at the end of each send branch
//! (the peer's verification, the user's mutes and the call's hold) and the
//! gate in front of each playback (the hold).
//!
//! Mutes and hold are kept apart: holding closes every gate whatever the
//! mutes say, and resuming opens them to exactly what the mutes say, so a
//! content the user muted before or during the hold stays muted.

use gstreamer as gst;
use gstreamer::prelude::*;

use super::pipeline::make;
use super::{ContentKind, MediaError};

/// What the gate of one send branch does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SendGate {
    /// Audio only: encode silence instead of the microphone (the stream
    /// keeps its timing, as after a mute).
    pub(crate) silence: bool,
    /// Send nothing at all.
    pub(crate) drop: bool,
}

impl SendGate {
    /// The gate of a content of `kind`: nothing leaves before the peer's
    /// certificate is `verified` or while the call is `held`; `muted`
    /// audio sends silence, `muted` video sends nothing.
    pub(crate) fn of(kind: ContentKind, verified: bool, muted: bool, held: bool) -> Self {
        let closed = !verified || held;
        match kind {
            ContentKind::Audio => Self {
                silence: muted,
                drop: closed,
            },
            ContentKind::Video => Self {
                silence: false,
                drop: closed || muted,
            },
        }
    }
}

/// The element between a receive branch's decoder and its output that
/// silences the peer's media while the call is on hold: a `volume` for
/// audio, a `valve` for video (the picture stops on its last frame).
#[derive(Debug, Clone)]
pub(crate) struct PlaybackGate {
    kind: ContentKind,
    element: gst::Element,
}

impl PlaybackGate {
    /// A gate for decoded media of `kind`, open or `silenced`.
    pub(crate) fn new(kind: ContentKind, silenced: bool) -> Result<Self, MediaError> {
        let element = match kind {
            ContentKind::Audio => make("volume")?,
            ContentKind::Video => make("valve")?,
        };
        let gate = Self { kind, element };
        gate.set_silenced(silenced);
        Ok(gate)
    }

    /// The element to link into the receive branch.
    pub(crate) fn element(&self) -> &gst::Element {
        &self.element
    }

    /// Silences the playback or lets it through again.
    pub(crate) fn set_silenced(&self, silenced: bool) {
        match self.kind {
            ContentKind::Audio => self.element.set_property("mute", silenced),
            ContentKind::Video => self.element.set_property("drop", silenced),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPEN: SendGate = SendGate {
        silence: false,
        drop: false,
    };
    const SILENT: SendGate = SendGate {
        silence: true,
        drop: false,
    };

    #[test]
    fn nothing_leaves_before_the_peer_is_verified() {
        for kind in [ContentKind::Audio, ContentKind::Video] {
            for (muted, held) in [(false, false), (true, false), (false, true)] {
                assert!(SendGate::of(kind, false, muted, held).drop);
            }
        }
    }

    #[test]
    fn a_mute_silences_audio_and_stops_video() {
        assert_eq!(SendGate::of(ContentKind::Audio, true, false, false), OPEN);
        assert_eq!(SendGate::of(ContentKind::Audio, true, true, false), SILENT);
        assert_eq!(SendGate::of(ContentKind::Video, true, false, false), OPEN);
        assert!(SendGate::of(ContentKind::Video, true, true, false).drop);
    }

    #[test]
    fn a_hold_stops_everything_and_resuming_keeps_the_mutes() {
        for kind in [ContentKind::Audio, ContentKind::Video] {
            for muted in [false, true] {
                assert!(SendGate::of(kind, true, muted, true).drop, "{kind:?}");
            }
        }
        // Resumed: what the mutes say, as before the hold.
        assert_eq!(SendGate::of(ContentKind::Audio, true, true, false), SILENT);
        assert!(SendGate::of(ContentKind::Video, true, true, false).drop);
        assert_eq!(SendGate::of(ContentKind::Audio, true, false, false), OPEN);
    }
}
