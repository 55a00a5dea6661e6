//! Our outgoing media: each content's send branch is built for our
//! preferred codec when the content is added (so a missing element or
//! device shows at once), gets a new encoder if the negotiation chooses
//! another codec (its capture keeps running), and is linked to webrtcbin
//! once that choice is made. Audio runs from the start with its valve
//! closed; video starts only once linked.

use gstreamer::prelude::*;
use gstreamer_webrtc as gst_webrtc;

use super::codecs;
use super::engine::{Inner, LocalContent};
use super::pipeline::offer_caps;
use super::send_branch::SendBranch;
use super::{ContentKind, MediaError};
use crate::jingle::codec::Codec;

impl Inner {
    /// Adds a content of `kind`: a send branch for our preferred codec,
    /// unlinked (and, for video, stopped), and a transceiver offering every
    /// installed codec of that kind.
    pub(super) fn add_content(&self, kind: ContentKind) -> Result<usize, MediaError> {
        let count = {
            let state = self.lock();
            if state.ended {
                return Err(MediaError::Closed);
            }
            state.contents.len()
        };
        let codec = codecs::preferred(kind)?;
        let branch = self.build_branch(count, kind, codec, codec.offer_payload_type())?;
        // Built now so that a missing element or device shows at once. An
        // audio branch runs with the pipeline from the start: a PulseAudio
        // microphone held back and started once the answer came often
        // never captured. Its valve sends nothing before the peer is
        // verified. Video waits for the negotiation, so the camera stays
        // off (and nothing is encoded) while the call rings.
        if kind == ContentKind::Video {
            branch.bin.set_locked_state(true);
        }
        self.pipeline
            .add(&branch.bin)
            .map_err(|error| MediaError::Pipeline(error.to_string()))?;
        let sink = self
            .webrtcbin
            .request_pad_simple("sink_%u")
            .ok_or_else(|| MediaError::Pipeline("webrtcbin gave no sink pad".into()))?;
        let transceiver = sink.property::<gst_webrtc::WebRTCRTPTransceiver>("transceiver");
        transceiver.set_direction(gst_webrtc::WebRTCRTPTransceiverDirection::Sendrecv);
        transceiver.set_codec_preferences(Some(&offer_caps(kind)));
        if kind == ContentKind::Video {
            // Retransmission (RFC 4588): webrtcbin then offers an RTX
            // payload type for the first codec (and answers one when
            // offered), asks for lost packets and resends the ones the peer
            // asks for. Audio does without: a resent voice packet comes too
            // late to be played.
            transceiver.set_property("do-nack", true);
        }
        let mut state = self.lock();
        state.contents.push(LocalContent {
            kind,
            branch,
            linked: false,
            sink,
            transceiver,
            permitted: true,
        });
        Ok(state.contents.len() - 1)
    }

    fn build_branch(
        &self,
        index: usize,
        kind: ContentKind,
        codec: Codec,
        pt: u8,
    ) -> Result<SendBranch, MediaError> {
        let name = format!("send-{index}-{}", kind.as_str());
        let probe = match kind {
            ContentKind::Audio => self.playback.as_ref().map(|(probe, _)| probe.as_str()),
            ContentKind::Video => None,
        };
        SendBranch::new(codec, pt, &self.config, probe, &name)
    }

    /// Makes content `index` send `codec` with payload type `pt`: gives its
    /// branch a new encoder if it was built for another codec, and links it
    /// to webrtcbin if it was not yet. Never called with the state locked,
    /// as the change of encoder waits for the branch's streaming thread.
    pub(super) fn send_codec(&self, index: usize, codec: Codec, pt: u8) -> Result<(), MediaError> {
        let (mut branch, linked, sink, started) = {
            let state = self.lock();
            let content = state
                .contents
                .get(index)
                .ok_or(MediaError::InvalidState("no such content"))?;
            (
                content.branch.clone(),
                content.linked,
                content.sink.clone(),
                state.started,
            )
        };
        if branch.codec() != codec {
            tracing::debug!(index, ?codec, pt, "Changing the send branch's encoder");
        }
        branch.set_codec(codec, pt)?;
        if !linked {
            branch.bin.set_locked_state(false);
            let src = branch
                .bin
                .static_pad("src")
                .ok_or_else(|| MediaError::Pipeline("send branch has no src pad".into()))?;
            src.link(&sink)
                .map_err(|error| MediaError::Pipeline(format!("{}: {error}", branch.bin.name())))?;
            if started {
                branch
                    .bin
                    .sync_state_with_parent()
                    .map_err(|error| MediaError::Pipeline(error.to_string()))?;
            }
        }
        let mut state = self.lock();
        if let Some(content) = state.contents.get_mut(index) {
            content.branch = branch;
            content.linked = true;
        }
        self.update_gates(&state);
        Ok(())
    }
}
