//! One content's outgoing chain (capture → encoder → RTP payloader →
//! gate), in its own bin with a ghost `src` pad for webrtcbin.

use gstreamer as gst;
use gstreamer::prelude::*;

use super::codecs::{self, kind_of};
use super::config::{AudioInput, MediaConfig, VideoInput};
use super::devices::{self, DeviceClass};
use super::gates::SendGate;
use super::pipeline::{ghost, link_chain, make, rtp_caps};
use super::{ContentKind, MediaError};
use crate::jingle::codec::Codec;

/// One content's outgoing chain, in its own bin with a ghost `src` pad.
#[derive(Clone)]
pub(crate) struct SendBranch {
    pub(crate) bin: gst::Bin,
    /// The codec it encodes.
    pub(crate) codec: Codec,
    /// The RTP payloader (its `pt` follows the negotiated payload type).
    payloader: gst::Element,
    /// A capsfilter after the payloader that pins the RTP caps.
    rtp_filter: gst::Element,
    /// `volume` that mutes audio (sends silence); none for video.
    mute: Option<gst::Element>,
    /// `valve` that lets nothing through until the peer is verified, while
    /// the call is on hold, and while video is off.
    valve: gst::Element,
}

impl SendBranch {
    /// Builds the capture → encode → payload chain for `codec`, sending
    /// payload type `pt`.
    pub(crate) fn new(
        codec: Codec,
        pt: u8,
        config: &MediaConfig,
        echo_probe: Option<&str>,
        name: &str,
    ) -> Result<Self, MediaError> {
        let chosen = codecs::elements(codec)?;
        let bin = gst::Bin::with_name(name);
        let (mut chain, mute) = match kind_of(codec) {
            ContentKind::Audio => {
                let (chain, mute) = audio_capture(config, echo_probe)?;
                (chain, Some(mute))
            }
            ContentKind::Video => (video_capture(config)?, None),
        };
        let (encode, payloader) = codecs::encode_chain(codec, &chosen)?;
        chain.extend(encode);
        let rtp_filter = make("capsfilter")?;
        payloader.set_property("pt", u32::from(pt));
        rtp_filter.set_property("caps", rtp_caps(codec, pt, false));
        let valve = make("valve")?;
        // After the payloader, so the encoder never sees a gap.
        chain.push(valve.clone());
        chain.push(rtp_filter.clone());
        link_chain(&bin, &chain)?;
        ghost(&bin, &rtp_filter, "src")?;
        let branch = Self {
            bin,
            codec,
            payloader,
            rtp_filter,
            mute,
            valve,
        };
        // Nothing leaves before the peer's certificate has been verified.
        branch.set_gate(SendGate::of(kind_of(codec), false, false, false));
        Ok(branch)
    }

    /// Switches the payload type (to the one the peer uses for our codec).
    pub(crate) fn set_payload_type(&self, pt: u8) {
        self.payloader.set_property("pt", u32::from(pt));
        self.rtp_filter
            .set_property("caps", rtp_caps(self.codec, pt, false));
    }

    /// Opens or closes the branch's gate (see [`SendGate::of`]).
    pub(crate) fn set_gate(&self, gate: SendGate) {
        if let Some(mute) = &self.mute {
            mute.set_property("mute", gate.silence);
        }
        let was_dropping = self.valve.property::<bool>("drop");
        self.valve.set_property("drop", gate.drop);
        if self.mute.is_none() && was_dropping && !gate.drop {
            // The peer has missed the frames so far: start afresh.
            let request = gst::Structure::builder("GstForceKeyUnit")
                .field("all-headers", true)
                .build();
            self.payloader
                .send_event(gst::event::CustomUpstream::new(request));
        }
    }
}

/// Capture, conversion and echo cancellation up to the `volume` that mutes
/// (returned as well), before the encoder.
fn audio_capture(
    config: &MediaConfig,
    echo_probe: Option<&str>,
) -> Result<(Vec<gst::Element>, gst::Element), MediaError> {
    let mut chain = Vec::new();
    match &config.audio_input {
        AudioInput::TestTone { frequency } => {
            let src = make("audiotestsrc")?;
            src.set_property("is-live", true);
            src.set_property("freq", *frequency);
            src.set_property("volume", 0.3f64);
            // 10 ms buffers at 48 kHz, as a microphone delivers them.
            src.set_property("samplesperbuffer", 480i32);
            chain.push(src);
        }
        AudioInput::Device(id) => {
            chain.push(devices::source_element(
                DeviceClass::Microphone,
                id.as_deref(),
            )?);
        }
    }
    chain.push(make("audioconvert")?);
    chain.push(make("audioresample")?);
    if let Some(probe) = echo_probe {
        // webrtcdsp processes 10 ms frames of 16-bit audio at up to 48 kHz.
        let caps = make("capsfilter")?;
        caps.set_property(
            "caps",
            gst::Caps::builder("audio/x-raw")
                .field("format", "S16LE")
                .field("rate", 48_000i32)
                .field("channels", 1i32)
                .build(),
        );
        let dsp = make("webrtcdsp")?;
        dsp.set_property("probe", probe);
        dsp.set_property("echo-cancel", true);
        dsp.set_property("noise-suppression", true);
        dsp.set_property("gain-control", true);
        chain.push(caps);
        chain.push(dsp);
        chain.push(make("audioconvert")?);
    }
    let mute = make("volume")?;
    chain.push(mute.clone());
    Ok((chain, mute))
}

/// Capture and conversion to raw video of our size, before the encoder.
fn video_capture(config: &MediaConfig) -> Result<Vec<gst::Element>, MediaError> {
    let mut chain = Vec::new();
    let size = config.video_size;
    match &config.video_input {
        VideoInput::TestPattern(pattern) => {
            let src = make("videotestsrc")?;
            src.set_property("is-live", true);
            src.set_property_from_str("pattern", &pattern.to_string());
            chain.push(src);
        }
        VideoInput::Device(id) => {
            chain.push(devices::source_element(DeviceClass::Camera, id.as_deref())?);
            chain.push(make("videorate")?);
        }
    }
    chain.push(make("videoconvert")?);
    chain.push(make("videoscale")?);
    let raw = make("capsfilter")?;
    raw.set_property(
        "caps",
        gst::Caps::builder("video/x-raw")
            .field("format", "I420")
            .field("width", i32::try_from(size.width).unwrap_or(640))
            .field("height", i32::try_from(size.height).unwrap_or(480))
            .field("framerate", gst::Fraction::new(30, 1))
            .build(),
    );
    chain.push(raw);
    chain.push(make("queue")?);
    Ok(chain)
}
