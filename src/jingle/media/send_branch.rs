//! One content's outgoing chain, in its own bin with a ghost `src` pad for
//! webrtcbin: a capture part (source → conversion → echo cancellation →
//! mute) that runs for the whole call, and an encode part (encoder → RTP
//! payloader → gate) in a bin of its own, replaced when the negotiation
//! chooses another codec than the one it was built for.

use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use gstreamer as gst;
use gstreamer::prelude::*;

use super::codecs::{self, kind_of};
use super::config::{AudioInput, MediaConfig, VideoInput};
use super::devices::{self, DeviceClass};
use super::gates::SendGate;
use super::pipeline::{ghost, link_chain, make, rtp_caps};
use super::{ContentKind, MediaError};
use crate::jingle::codec::Codec;

/// How long a codec change waits for the buffer passing the capture's end.
const SWAP_TIMEOUT: Duration = Duration::from_secs(10);

/// One content's outgoing chain, in its own bin with a ghost `src` pad.
#[derive(Clone)]
pub(crate) struct SendBranch {
    pub(crate) bin: gst::Bin,
    /// The capture part's last pad, where the encode part starts.
    capture: gst::Pad,
    /// `volume` that mutes audio (sends silence); none for video.
    mute: Option<gst::Element>,
    /// The encode part, for the codec the branch sends.
    encode: Encode,
}

/// A send branch's encoder → payloader → valve → RTP caps, in a bin with
/// ghost `sink` and `src` pads.
#[derive(Clone)]
struct Encode {
    bin: gst::Bin,
    codec: Codec,
    /// The RTP payloader (its `pt` follows the negotiated payload type).
    payloader: gst::Element,
    /// A capsfilter after the payloader that pins the RTP caps.
    rtp_filter: gst::Element,
    /// `valve` that lets nothing through until the peer is verified, while
    /// the call is on hold, and while video is off.
    valve: gst::Element,
}

impl Encode {
    /// The encode part for `codec`, sending payload type `pt`, closed.
    fn new(codec: Codec, pt: u8, branch: &str) -> Result<Self, MediaError> {
        let chosen = codecs::elements(codec)?;
        let name = format!("{branch}-{}", codec.encoding_name().to_ascii_lowercase());
        let bin = gst::Bin::with_name(&name);
        let (mut chain, payloader) = codecs::encode_chain(codec, &chosen)?;
        let rtp_filter = make("capsfilter")?;
        let valve = make("valve")?;
        valve.set_property("drop", true);
        // After the payloader, so the encoder never sees a gap.
        chain.push(valve.clone());
        chain.push(rtp_filter.clone());
        link_chain(&bin, &chain)?;
        ghost(&bin, &chain[0], "sink")?;
        ghost(&bin, &rtp_filter, "src")?;
        let encode = Self {
            bin,
            codec,
            payloader,
            rtp_filter,
            valve,
        };
        encode.set_payload_type(pt);
        Ok(encode)
    }

    fn set_payload_type(&self, pt: u8) {
        self.payloader.set_property("pt", u32::from(pt));
        self.rtp_filter
            .set_property("caps", rtp_caps(self.codec, pt, false));
    }

    fn pad(&self, name: &str) -> Result<gst::Pad, MediaError> {
        self.bin
            .static_pad(name)
            .ok_or_else(|| MediaError::Pipeline(format!("{} has no {name} pad", self.bin.name())))
    }
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
        // First, so that a missing codec element shows before any device opens.
        let encode = Encode::new(codec, pt, name)?;
        let bin = gst::Bin::with_name(name);
        let (chain, mute) = match kind_of(codec) {
            ContentKind::Audio => {
                let (chain, mute) = audio_capture(config, echo_probe)?;
                (chain, Some(mute))
            }
            ContentKind::Video => (video_capture(config)?, None),
        };
        link_chain(&bin, &chain)?;
        let capture = chain
            .last()
            .and_then(|last| last.static_pad("src"))
            .ok_or_else(|| MediaError::Pipeline(format!("{name}: capture has no src pad")))?;
        bin.add(&encode.bin)
            .map_err(|error| MediaError::Pipeline(error.to_string()))?;
        capture
            .link(&encode.pad("sink")?)
            .map_err(|error| MediaError::Pipeline(format!("{name}: {error}")))?;
        ghost(&bin, encode.bin.upcast_ref(), "src")?;
        let branch = Self {
            bin,
            capture,
            mute,
            encode,
        };
        // Nothing leaves before the peer's certificate has been verified.
        branch.set_gate(SendGate::of(kind_of(codec), false, false, false));
        Ok(branch)
    }

    /// The codec it encodes.
    pub(crate) fn codec(&self) -> Codec {
        self.encode.codec
    }

    /// Makes the branch send `codec` with payload type `pt` (the peer's
    /// number for it). Another codec gets a new encode part while the
    /// capture keeps running: a PulseAudio microphone started anew inside
    /// a running pipeline often never captures. Waits for the buffer
    /// passing the capture's end, if any.
    pub(crate) fn set_codec(&mut self, codec: Codec, pt: u8) -> Result<(), MediaError> {
        if codec == self.encode.codec {
            self.encode.set_payload_type(pt);
            return Ok(());
        }
        let encode = Encode::new(codec, pt, &self.bin.name())?;
        // A hold or a mute carries on as it was.
        let drop = self.encode.valve.property::<bool>("drop");
        encode.valve.set_property("drop", drop);
        let pending = Arc::new(Mutex::new(Some((self.clone(), encode.clone()))));
        let (done, result) = mpsc::sync_channel(1);
        let job = Arc::clone(&pending);
        // Runs at once if no buffer is passing, else in the streaming
        // thread right after it; no buffer passes while it runs.
        self.capture
            .add_probe(gst::PadProbeType::IDLE, move |_, _| {
                let job = job.lock().ok().and_then(|mut job| job.take());
                if let Some((branch, encode)) = job {
                    let _ = done.send(branch.replace_encode(&encode));
                }
                gst::PadProbeReturn::Remove
            });
        let replaced = match result.recv_timeout(SWAP_TIMEOUT) {
            Ok(replaced) => replaced,
            Err(_) => match pending.lock().ok().and_then(|mut job| job.take()) {
                // Never ran: it will do nothing when it does.
                Some(_) => Err(MediaError::Pipeline(format!(
                    "{}: the capture never paused for the codec change",
                    self.bin.name()
                ))),
                // Running now: wait for it.
                None => result.recv().unwrap_or_else(|_| {
                    Err(MediaError::Pipeline("the codec change was lost".into()))
                }),
            },
        };
        replaced?;
        self.encode = encode;
        Ok(())
    }

    /// Puts `encode` in place of the current encode part, with the capture
    /// idle.
    fn replace_encode(&self, encode: &Encode) -> Result<(), MediaError> {
        let error = |error: &dyn std::fmt::Display| {
            MediaError::Pipeline(format!("{}: {error}", self.bin.name()))
        };
        let src = self
            .bin
            .static_pad("src")
            .and_downcast::<gst::GhostPad>()
            .ok_or_else(|| error(&"no src pad"))?;
        let old = &self.encode;
        self.capture
            .unlink(&old.pad("sink")?)
            .map_err(|e| error(&e))?;
        src.set_target(None::<&gst::Pad>).map_err(|e| error(&e))?;
        old.bin.set_state(gst::State::Null).map_err(|e| error(&e))?;
        self.bin.remove(&old.bin).map_err(|e| error(&e))?;
        self.bin.add(&encode.bin).map_err(|e| error(&e))?;
        self.capture
            .link(&encode.pad("sink")?)
            .map_err(|e| error(&e))?;
        src.set_target(Some(&encode.pad("src")?))
            .map_err(|e| error(&e))?;
        encode.bin.sync_state_with_parent().map_err(|e| error(&e))
    }

    /// Opens or closes the branch's gate (see [`SendGate::of`]).
    pub(crate) fn set_gate(&self, gate: SendGate) {
        if let Some(mute) = &self.mute {
            mute.set_property("mute", gate.silence);
        }
        let valve = &self.encode.valve;
        let was_dropping = valve.property::<bool>("drop");
        valve.set_property("drop", gate.drop);
        if self.mute.is_none() && was_dropping && !gate.drop {
            // The peer has missed the frames so far: start afresh.
            let request = gst::Structure::builder("GstForceKeyUnit")
                .field("all-headers", true)
                .build();
            self.encode
                .payloader
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Instant;

    use super::*;

    /// The elements of `bin` made by `factory`.
    fn made_by(bin: &gst::Bin, factory: &str) -> Vec<gst::Element> {
        bin.iterate_recurse()
            .into_iter()
            .flatten()
            .filter(|e| e.factory().is_some_and(|f| f.name() == factory))
            .collect()
    }

    /// Runs a branch built for `from` into a fake sink, changes it to `to`
    /// while it runs, and checks that `to` then flows from the same source.
    fn change_while_running(from: Codec, to: Codec, source: &str, config: &MediaConfig) {
        let available = codecs::available_codecs();
        if !available.contains(&from) || !available.contains(&to) {
            eprintln!("SKIPPED: {from:?} or {to:?} is not installed");
            return;
        }
        let mut branch = SendBranch::new(from, 96, config, None, "send-0").expect("branch");
        let pipeline = gst::Pipeline::new();
        let sink = make("fakesink").expect("fakesink");
        pipeline
            .add_many([branch.bin.upcast_ref(), &sink])
            .expect("add");
        branch.bin.link(&sink).expect("link");
        branch.set_gate(SendGate::of(kind_of(from), true, false, false));
        // Whether a packet has arrived, and one of `to`.
        let flowed = Arc::new(AtomicBool::new(false));
        let arrived = Arc::new(AtomicBool::new(false));
        let (any, seen) = (Arc::clone(&flowed), Arc::clone(&arrived));
        let wanted = to.encoding_name();
        let pad = sink.static_pad("sink").expect("sink pad");
        pad.add_probe(gst::PadProbeType::BUFFER, move |pad, _| {
            let caps = pad.current_caps();
            let encoding = caps
                .as_ref()
                .and_then(|c| c.structure(0))
                .and_then(|s| s.get::<&str>("encoding-name").ok());
            any.store(true, Ordering::Relaxed);
            if encoding == Some(wanted) {
                seen.store(true, Ordering::Relaxed);
            }
            gst::PadProbeReturn::Ok
        });
        pipeline.set_state(gst::State::Playing).expect("play");
        let deadline = Instant::now() + Duration::from_secs(20);
        let wait = |done: &AtomicBool| {
            while !done.load(Ordering::Relaxed) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
        };
        wait(&flowed);
        assert!(flowed.load(Ordering::Relaxed), "{from:?} never flowed");
        let before = made_by(&branch.bin, source);

        branch.set_codec(to, 97).expect("change codec");
        wait(&arrived);
        let errors: Vec<_> = pipeline
            .bus()
            .expect("bus")
            .iter()
            .filter(|m| matches!(m.view(), gst::MessageView::Error(_)))
            .collect();
        pipeline.set_state(gst::State::Null).expect("stop");
        assert!(
            arrived.load(Ordering::Relaxed),
            "no {to:?} after the change"
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(branch.codec(), to);
        // The very same source, and only the new codec's payloader.
        assert_eq!(before.len(), 1, "{source}");
        assert_eq!(made_by(&branch.bin, source), before, "{source} was rebuilt");
        let payloader = |codec| codecs::elements(codec).expect("installed").payloader;
        assert!(made_by(&branch.bin, payloader(from)).is_empty());
        assert_eq!(made_by(&branch.bin, payloader(to)).len(), 1);
    }

    #[test]
    fn a_codec_change_keeps_the_running_microphone() {
        gst::init().expect("GStreamer");
        let config = MediaConfig {
            audio_input: AudioInput::TestTone { frequency: 440.0 },
            ..MediaConfig::default()
        };
        change_while_running(Codec::Opus, Codec::Pcmu, "audiotestsrc", &config);
    }

    #[test]
    fn a_codec_change_keeps_the_running_camera() {
        gst::init().expect("GStreamer");
        let config = MediaConfig {
            video_input: VideoInput::TestPattern(0),
            ..MediaConfig::default()
        };
        change_while_running(Codec::Vp8, Codec::H264, "videotestsrc", &config);
    }
}
