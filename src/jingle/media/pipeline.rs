//! The GStreamer elements around webrtcbin: the RTP caps we offer and send,
//! one receive branch per incoming stream (depayloader → decoder → gate →
//! output) in its own bin, and the playback side of echo cancellation. The
//! send branches are in `send_branch`, the gates in `gates`.

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;

use super::codecs::{self, kind_of};
use super::config::{AudioOutput, MediaConfig, SampleCallback, VideoFrame, VideoOutput};
use super::devices;
use super::gates::PlaybackGate;
use super::{ContentKind, MediaError};
use crate::jingle::codec::Codec;

/// Makes one element, naming the missing plugin on failure.
pub(crate) fn make(factory: &str) -> Result<gst::Element, MediaError> {
    gst::ElementFactory::make(factory)
        .build()
        .map_err(|_| MediaError::MissingElement(factory.to_owned()))
}

pub(super) fn link_chain(bin: &gst::Bin, elements: &[gst::Element]) -> Result<(), MediaError> {
    bin.add_many(elements)
        .map_err(|error| MediaError::Pipeline(error.to_string()))?;
    gst::Element::link_many(elements).map_err(|error| MediaError::Pipeline(error.to_string()))
}

pub(super) fn ghost(bin: &gst::Bin, element: &gst::Element, pad: &str) -> Result<(), MediaError> {
    let target = element
        .static_pad(pad)
        .ok_or_else(|| MediaError::Pipeline(format!("{} has no {pad} pad", element.name())))?;
    let ghost = gst::GhostPad::with_target(&target)
        .map_err(|error| MediaError::Pipeline(error.to_string()))?;
    bin.add_pad(&ghost)
        .map_err(|error| MediaError::Pipeline(error.to_string()))
}

/// The RTP caps of `codec` with payload type `pt`. When `offering`, they
/// carry our preferences (in-band FEC, H.264's profile and packetisation
/// mode, RTCP feedback); when answering they stay minimal so that they
/// intersect with whatever else the peer's offer says.
pub(crate) fn rtp_caps(codec: Codec, pt: u8, offering: bool) -> gst::Caps {
    rtp_structure(codec, pt, offering).into()
}

fn rtp_structure(codec: Codec, pt: u8, offering: bool) -> gst::Structure {
    let builder = gst::Structure::builder("application/x-rtp")
        .field("media", codec.media())
        .field("encoding-name", codec.encoding_name())
        .field("payload", i32::from(pt))
        .field("clock-rate", i32::try_from(codec.clock_rate()).unwrap_or(0));
    if !offering {
        return builder.build();
    }
    let builder = match codec {
        Codec::Opus => builder
            .field("encoding-params", "2")
            .field("useinbandfec", "1")
            .field("minptime", "10"),
        Codec::G722 | Codec::Pcmu | Codec::Pcma | Codec::Vp8 => builder,
        Codec::H264 => builder
            .field("packetization-mode", "1")
            .field("profile-level-id", "42e01f")
            .field("level-asymmetry-allowed", "1"),
    };
    match codec.media() {
        "video" => builder
            .field("rtcp-fb-nack-pli", true)
            .field("rtcp-fb-ccm-fir", true)
            .field("rtcp-fb-goog-remb", true)
            .build(),
        _ => builder.build(),
    }
}

/// What we offer for a content of `kind`: every installed codec of that
/// kind, most preferred first, each with its offer payload type.
pub(crate) fn offer_caps(kind: ContentKind) -> gst::Caps {
    let mut caps = gst::Caps::new_empty();
    let caps_mut = caps.make_mut();
    for codec in codecs::available_codecs() {
        if kind_of(codec) == kind {
            caps_mut.append_structure(rtp_structure(codec, codec.offer_payload_type(), true));
        }
    }
    caps
}

/// Called on a media thread for every decoded buffer of a receive branch:
/// `(kind, samples or frames in the buffer)`.
pub(crate) type DecodedHook = std::sync::Arc<dyn Fn(ContentKind, u64) + Send + Sync>;

/// Builds the depayload → decode → gate → output bin for one incoming
/// `codec` stream, with a ghost `sink` pad, and calls `on_decoded` for each
/// decoded buffer (whether the gate lets it through or not). With
/// `to_playback`, decoded audio leaves through a ghost `src` pad for the
/// call's [`playback_bin`] instead of an output of its own.
pub(crate) fn receive_branch(
    codec: Codec,
    config: &MediaConfig,
    to_playback: bool,
    gate: &PlaybackGate,
    on_decoded: DecodedHook,
) -> Result<gst::Bin, MediaError> {
    let kind = kind_of(codec);
    let chosen = codecs::elements(codec)?;
    let bin = gst::Bin::new();
    let queue = make("queue")?;
    let (decode, decoder) = codecs::decode_chain(codec, &chosen)?;
    let mut chain = vec![queue.clone()];
    chain.extend(decode);
    if kind == ContentKind::Audio {
        // `volume` takes the few raw formats it can scale.
        chain.push(make("audioconvert")?);
    }
    chain.push(gate.element().clone());
    match kind {
        ContentKind::Audio if to_playback => {
            chain.extend([make("audioconvert")?, make("audioresample")?]);
        }
        ContentKind::Audio => chain.extend(audio_output(config)?),
        ContentKind::Video => chain.extend(video_output(config)?),
    }
    link_chain(&bin, &chain)?;
    ghost(&bin, &queue, "sink")?;
    if to_playback && let Some(last) = chain.last() {
        ghost(&bin, last, "src")?;
    }
    if let Some(pad) = decoder.static_pad("src") {
        pad.add_probe(gst::PadProbeType::BUFFER, move |_, info| {
            if let Some(buffer) = info.buffer() {
                let units = match kind {
                    // In 48 kHz samples per channel, whatever the codec's rate.
                    ContentKind::Audio => buffer
                        .duration()
                        .map_or(0, |d| d.nseconds().saturating_mul(48) / 1_000_000),
                    ContentKind::Video => 1,
                };
                on_decoded(kind, units);
            }
            gst::PadProbeReturn::Ok
        });
    }
    Ok(bin)
}

fn audio_output(config: &MediaConfig) -> Result<Vec<gst::Element>, MediaError> {
    let mut chain = vec![make("audioconvert")?, make("audioresample")?];
    match &config.audio_output {
        AudioOutput::Device(id) => chain.push(devices::sink_element(id.as_deref())?),
        AudioOutput::Discard => chain.push(discard()?),
        AudioOutput::Samples(callback) => chain.push(samples_sink(callback.clone())),
    }
    Ok(chain)
}

/// A sink that hands audio to `callback` as 48 kHz mono F32 samples, as
/// fast as they come (tests, level meters).
pub fn samples_sink(callback: SampleCallback) -> gst::Element {
    let caps = gst::Caps::builder("audio/x-raw")
        .field("format", "F32LE")
        .field("layout", "interleaved")
        .field("rate", 48_000i32)
        .field("channels", 1i32)
        .build();
    gst_app::AppSink::builder()
        .caps(&caps)
        .sync(false)
        .callbacks(
            gst_app::AppSinkCallbacks::builder()
                .new_sample(move |sink| {
                    let sample = sink.pull_sample().map_err(|_| gst::FlowError::Eos)?;
                    if let Some(map) = sample.buffer().and_then(|b| b.map_readable().ok()) {
                        let samples: Vec<f32> = map
                            .chunks_exact(4)
                            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                            .collect();
                        callback(&samples);
                    }
                    Ok(gst::FlowSuccess::Ok)
                })
                .build(),
        )
        .build()
        .upcast()
}

fn video_output(config: &MediaConfig) -> Result<Vec<gst::Element>, MediaError> {
    let mut chain = vec![make("videoconvert")?];
    match &config.video_output {
        VideoOutput::Discard => chain.push(discard()?),
        VideoOutput::Sink(sink) => chain.push(sink.clone()),
        VideoOutput::Frames(callback) => {
            let caps = gst::Caps::builder("video/x-raw")
                .field("format", "RGBA")
                .build();
            let callback = callback.clone();
            let sink = gst_app::AppSink::builder()
                .caps(&caps)
                .sync(false)
                .max_buffers(2)
                .drop(true)
                .callbacks(
                    gst_app::AppSinkCallbacks::builder()
                        .new_sample(move |sink| {
                            let sample = sink.pull_sample().map_err(|_| gst::FlowError::Eos)?;
                            let size = sample.caps().and_then(|caps| {
                                let s = caps.structure(0)?;
                                Some((s.get::<i32>("width").ok()?, s.get::<i32>("height").ok()?))
                            });
                            let map = sample.buffer().and_then(|b| b.map_readable().ok());
                            if let (Some((width, height)), Some(map)) = (size, map) {
                                let frame = VideoFrame {
                                    width: u32::try_from(width).unwrap_or(0),
                                    height: u32::try_from(height).unwrap_or(0),
                                    rgba: map.to_vec(),
                                };
                                callback(&frame);
                            }
                            Ok(gst::FlowSuccess::Ok)
                        })
                        .build(),
                )
                .build();
            chain.push(sink.upcast());
        }
    }
    Ok(chain)
}

/// The speaker side of echo cancellation: `webrtcechoprobe` (named so the
/// call's `webrtcdsp` finds it) in front of the speaker, with a ghost `sink`
/// pad. It exists from the start of the call, as `webrtcdsp` needs its probe
/// when it starts, before any remote audio has arrived.
pub(crate) fn playback_bin(probe: &str, speaker: Option<&str>) -> Result<gst::Bin, MediaError> {
    let bin = gst::Bin::new();
    let echo = gst::ElementFactory::make("webrtcechoprobe")
        .name(probe)
        .build()
        .map_err(|_| MediaError::MissingElement("webrtcechoprobe".into()))?;
    let chain = vec![
        echo.clone(),
        make("audioconvert")?,
        make("audioresample")?,
        devices::sink_element(speaker)?,
    ];
    link_chain(&bin, &chain)?;
    ghost(&bin, &echo, "sink")?;
    Ok(bin)
}

fn discard() -> Result<gst::Element, MediaError> {
    let sink = make("fakesink")?;
    sink.set_property("sync", false);
    sink.set_property("async", false);
    Ok(sink)
}
