//! Incoming streams: a decoding branch for each pad webrtcbin adds, with a
//! gate that silences it while the call is on hold, and the first-decoded
//! events.

use std::sync::Arc;

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_webrtc as gst_webrtc;

use super::codecs::{available_codecs, kind_of};
use super::engine::Inner;
use super::events::MediaEvent;
use super::gates::PlaybackGate;
use super::pipeline::{self, make};
use super::{ContentKind, MediaError};
use crate::jingle::codec::Codec;

impl Inner {
    /// Builds the receive branch for a new incoming stream.
    pub(super) fn link_incoming(&self, pad: &gst::Pad) -> Result<(), MediaError> {
        let caps = pad.current_caps().unwrap_or_else(|| pad.query_caps(None));
        let structure = caps.structure(0);
        let field = |name: &str| structure.and_then(|s| s.get::<String>(name).ok());
        let clock_rate = structure
            .and_then(|s| s.get::<i32>("clock-rate").ok())
            .and_then(|rate| u32::try_from(rate).ok())
            .unwrap_or_default();
        let media = field("media").unwrap_or_default();
        let encoding = field("encoding-name").unwrap_or_default();
        let codec = Codec::from_rtp(&media, &encoding, clock_rate)
            .filter(|codec| available_codecs().contains(codec));
        let Some(codec) = codec else {
            // Negotiation never accepts such a stream; drop it rather than
            // end the call if a peer sends one anyway.
            tracing::warn!(%encoding, clock_rate, "Could not decode an incoming stream");
            let sink = make("fakesink")?;
            self.pipeline
                .add(&sink)
                .map_err(|error| MediaError::Pipeline(error.to_string()))?;
            let _ = sink.sync_state_with_parent();
            if let Some(sink_pad) = sink.static_pad("sink") {
                pad.link(&sink_pad)
                    .map_err(|error| MediaError::Pipeline(error.to_string()))?;
            }
            return Ok(());
        };
        let kind = kind_of(codec);
        tracing::debug!(?codec, "Decoding an incoming stream");
        let counters = self.counters.clone();
        let events = self.events.clone();
        let hook: pipeline::DecodedHook = Arc::new(move |kind, units| {
            let first = match kind {
                ContentKind::Audio => counters.add_audio(units),
                ContentKind::Video => counters.add_video_frame(),
            };
            if first {
                let _ = events.send(match kind {
                    ContentKind::Audio => MediaEvent::FirstAudioDecoded,
                    ContentKind::Video => MediaEvent::FirstVideoDecoded,
                });
            }
        });
        let playback = match kind {
            ContentKind::Audio => self.playback.as_ref().map(|(_, bin)| bin),
            ContentKind::Video => None,
        };
        // Registered before it carries anything, so that a stream arriving
        // while the call is on hold starts silenced.
        let gate = {
            let mut state = self.lock();
            let gate = PlaybackGate::new(kind, state.held)?;
            state.playback_gates.push(gate.clone());
            gate
        };
        let bin = pipeline::receive_branch(codec, &self.config, playback.is_some(), &gate, hook)?;
        self.pipeline
            .add(&bin)
            .map_err(|error| MediaError::Pipeline(error.to_string()))?;
        let link = |src: Option<gst::Pad>, sink: Option<gst::Pad>| match (src, sink) {
            (Some(src), Some(sink)) => src
                .link(&sink)
                .map(|_| ())
                .map_err(|error| MediaError::Pipeline(format!("receive branch: {error}"))),
            _ => Err(MediaError::Pipeline("receive branch has no pad".into())),
        };
        link(Some(pad.clone()), bin.static_pad("sink"))?;
        if let Some(playback) = playback {
            link(bin.static_pad("src"), playback.static_pad("sink"))?;
        }
        bin.sync_state_with_parent()
            .map_err(|error| MediaError::Pipeline(error.to_string()))?;
        Ok(())
    }
}

/// Makes each incoming stream of a content with retransmission (`do-nack`,
/// video) ask for the packets it lost.
///
/// webrtcbin (1.22) turns on its jitter buffer's NACKs only for an SSRC
/// that the remote description lists (`a=ssrc`); an offer made before any
/// video was captured lists none, so the callee would never ask the caller
/// for a lost packet, only for a new key frame. This runs after webrtcbin's
/// own handler and asks whenever the content's transceiver has `do-nack`.
pub(super) fn ask_for_lost_packets(webrtcbin: &gst::Element) {
    let Some(rtpbin) = webrtcbin
        .downcast_ref::<gst::Bin>()
        .and_then(|bin| bin.by_name("rtpbin"))
    else {
        tracing::warn!("webrtcbin has no rtpbin: lost video packets will not be asked for");
        return;
    };
    let webrtcbin = webrtcbin.downgrade();
    rtpbin.connect("new-jitterbuffer", false, move |values| {
        let jitterbuffer = values.get(1)?.get::<gst::Element>().ok()?;
        let session = values.get(2)?.get::<u32>().ok()?;
        let webrtcbin = webrtcbin.upgrade()?;
        // Without BUNDLE, RTP session n carries m-line n.
        let do_nack = (0..)
            .map_while(|index: i32| {
                webrtcbin.emit_by_name::<Option<gst_webrtc::WebRTCRTPTransceiver>>(
                    "get-transceiver",
                    &[&index],
                )
            })
            .find(|transceiver| transceiver.mlineindex() == session)
            .is_some_and(|transceiver| transceiver.property::<bool>("do-nack"));
        if do_nack {
            jitterbuffer.set_property("do-retransmission", true);
        }
        None
    });
}
