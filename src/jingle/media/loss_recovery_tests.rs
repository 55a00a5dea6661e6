//! Opus in-band FEC, proven: a packet lost on the way is rebuilt from the
//! redundant copy inside the next one, not guessed by loss concealment.
//!
//! A steady tone cannot tell the two apart (concealment extends it
//! perfectly), so the sound here changes its pitch with every 20 ms
//! packet. Two packets of every ten are dropped between our send and
//! receive chains, and the receiver is told of each loss as the jitter
//! buffer would tell it (webrtcbin's runs with `do-lost` on). Concealment can only continue the previous packet's
//! pitch; FEC brings back the lost packet's own.

use std::f64::consts::PI;
use std::sync::{Arc, Mutex};

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;

use super::codecs::{decode_chain, elements, encode_chain};
use crate::jingle::codec::Codec;

/// Samples per second of the test sound.
const RATE: usize = 48_000;
/// Samples per packet (20 ms, Opus's default frame).
const FRAME: usize = RATE / 50;
/// Packets sent.
const FRAMES: usize = 150;
/// The pitches the sound steps through, one per packet, in Hz.
const PITCHES: [f64; 4] = [400.0, 700.0, 1000.0, 1300.0];
/// The sound comes in "syllables": of every ten packets, the first eight
/// carry sound and the last two are silent. A constant tone would soon
/// count as background noise to the encoder's voice detection, and Opus
/// adds redundancy only for speech.
const CYCLE: usize = 10;
/// The packets of a syllable that carry sound.
const VOICED: usize = 8;
/// Within each syllable (after the first), these packets are lost: each
/// one voiced, and after a voiced packet of another pitch.
const LOST_IN_CYCLE: [usize; 2] = [3, 6];

/// The pitch of packet `frame`.
fn pitch(frame: usize) -> f64 {
    PITCHES[frame % PITCHES.len()]
}

/// Whether packet `frame` is lost on the way.
fn is_lost(frame: usize) -> bool {
    frame >= CYCLE && LOST_IN_CYCLE.contains(&(frame % CYCLE))
}

/// The test sound: a sine that takes the next pitch at each packet, at a
/// loudness that varies from packet to packet, silent between syllables.
fn sound() -> Vec<i16> {
    let mut phase = 0.0f64;
    (0..FRAMES * FRAME)
        .map(|n| {
            let frame = n / FRAME;
            phase += 2.0 * PI * pitch(frame) / RATE as f64;
            let loudness = if frame % CYCLE < VOICED {
                [9_000.0, 14_000.0, 11_000.0, 16_000.0][frame % 4]
            } else {
                0.0
            };
            (phase.sin() * loudness) as i16
        })
        .collect()
}

/// The power of `frequency` in `samples` (Goertzel).
fn power(samples: &[i16], frequency: f64) -> f64 {
    let coefficient = 2.0 * (2.0 * PI * frequency / RATE as f64).cos();
    let (mut previous, mut before) = (0.0f64, 0.0f64);
    for &sample in samples {
        let current = f64::from(sample) + coefficient * previous - before;
        before = previous;
        previous = current;
    }
    previous * previous + before * before - coefficient * previous * before
}

/// Send the sound through our Opus send chain, lose the packets that
/// [`is_lost`] picks, decode the rest with our receive chain, and return
/// the decoded sound with the numbers of the lost packets. With `fec` false, in-band FEC is
/// switched off at both ends (loss concealment remains).
fn send_with_losses(fec: bool) -> (Vec<i16>, Vec<usize>) {
    gst::init().expect("GStreamer initialises");
    let chosen = elements(Codec::Opus).expect("the Opus elements are installed");
    let (send, payloader) = encode_chain(Codec::Opus, &chosen).expect("send chain");
    let (receive, decoder) = decode_chain(Codec::Opus, &chosen).expect("receive chain");
    if !fec {
        send[0].set_property("inband-fec", false);
        decoder.set_property("use-inband-fec", false);
    }
    let raw = gst::Caps::builder("audio/x-raw")
        .field("format", "S16LE")
        .field("rate", RATE as i32)
        .field("channels", 1i32)
        .field("layout", "interleaved")
        .build();
    let source = gst_app::AppSrc::builder()
        .caps(&raw)
        .format(gst::Format::Time)
        .build();
    let convert = gst::ElementFactory::make("audioconvert")
        .build()
        .expect("audioconvert");
    let sink = gst_app::AppSink::builder().caps(&raw).sync(false).build();
    let pipeline = gst::Pipeline::new();
    let mut chain: Vec<gst::Element> = vec![source.clone().upcast()];
    chain.extend(send);
    chain.extend(receive);
    chain.extend([convert, sink.clone().upcast()]);
    pipeline.add_many(&chain).expect("elements added");
    gst::Element::link_many(&chain).expect("elements linked");

    // Drop the lost packets and tell the depayloader, as the jitter
    // buffer does (it turns this into a gap for the decoder).
    let lost = Arc::new(Mutex::new(Vec::new()));
    let depayloader_sink = payloader
        .static_pad("src")
        .and_then(|pad| pad.peer())
        .expect("payloader linked");
    let lost_in_probe = lost.clone();
    payloader
        .static_pad("src")
        .expect("payloader src")
        .add_probe(gst::PadProbeType::BUFFER, move |_, info| {
            let Some(buffer) = info.buffer() else {
                return gst::PadProbeReturn::Ok;
            };
            let (Some(pts), Some(duration)) = (buffer.pts(), buffer.duration()) else {
                return gst::PadProbeReturn::Ok;
            };
            let frame = (pts.nseconds() as usize * RATE / 1_000_000_000 + FRAME / 2) / FRAME;
            if !is_lost(frame) {
                return gst::PadProbeReturn::Ok;
            }
            // The RTP sequence number: bytes 2 and 3 of the header.
            let seqnum = buffer
                .map_readable()
                .ok()
                .and_then(|map| map.get(2..4).map(|b| u16::from_be_bytes([b[0], b[1]])))
                .unwrap_or_default();
            if let Ok(mut lost) = lost_in_probe.lock() {
                lost.push(frame);
            }
            let event = gst::event::CustomDownstream::new(
                gst::Structure::builder("GstRTPPacketLost")
                    .field("timestamp", pts.nseconds())
                    .field("duration", duration.nseconds())
                    .field("seqnum", u32::from(seqnum))
                    .field("retry", 0u32)
                    .build(),
            );
            depayloader_sink.send_event(event);
            gst::PadProbeReturn::Drop
        });

    let decoded = Arc::new(Mutex::new(Vec::new()));
    let collected = decoded.clone();
    sink.set_callbacks(
        gst_app::AppSinkCallbacks::builder()
            .new_sample(move |sink| {
                let sample = sink.pull_sample().map_err(|_| gst::FlowError::Eos)?;
                let buffer = sample.buffer().ok_or(gst::FlowError::Error)?;
                let start = buffer.pts().map_or(0, |pts| {
                    (pts.nseconds() as u128 * RATE as u128 / 1_000_000_000) as usize
                });
                let map = buffer.map_readable().map_err(|_| gst::FlowError::Error)?;
                let samples: Vec<i16> = map
                    .chunks_exact(2)
                    .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
                    .collect();
                if let Ok(mut decoded) = collected.lock() {
                    let end = start + samples.len();
                    if decoded.len() < end {
                        decoded.resize(end, 0);
                    }
                    decoded[start..end].copy_from_slice(&samples);
                }
                Ok(gst::FlowSuccess::Ok)
            })
            .build(),
    );

    pipeline
        .set_state(gst::State::Playing)
        .expect("pipeline plays");
    for (number, frame) in sound().chunks(FRAME).enumerate() {
        let bytes: Vec<u8> = frame.iter().flat_map(|s| s.to_le_bytes()).collect();
        let mut buffer = gst::Buffer::from_mut_slice(bytes);
        {
            let buffer = buffer.get_mut().expect("a new buffer is writable");
            buffer.set_pts(gst::ClockTime::from_mseconds(number as u64 * 20));
            buffer.set_duration(gst::ClockTime::from_mseconds(20));
        }
        source.push_buffer(buffer).expect("buffer pushed");
    }
    source.end_of_stream().expect("end of stream");
    let bus = pipeline.bus().expect("pipeline bus");
    let end = bus.timed_pop_filtered(
        gst::ClockTime::from_seconds(30),
        &[gst::MessageType::Eos, gst::MessageType::Error],
    );
    assert!(
        matches!(
            end.as_ref().map(|m| m.view()),
            Some(gst::MessageView::Eos(_))
        ),
        "the pipeline ended with {end:?}"
    );
    pipeline
        .set_state(gst::State::Null)
        .expect("pipeline stops");
    let decoded = decoded.lock().map(|d| d.clone()).unwrap_or_default();
    let lost = lost.lock().map(|l| l.clone()).unwrap_or_default();
    (decoded, lost)
}

/// How much more power a packet's own pitch must have than the previous
/// packet's pitch for the packet to count as heard. Measured: 26-110
/// times for packets that arrived or came back through FEC, at most 2.5
/// times for those that loss concealment filled in.
const CLEARLY: f64 = 8.0;

/// How many of `frames` were heard with their own pitch, out of how many.
fn pitches_heard(decoded: &[i16], frames: &[usize]) -> (usize, usize) {
    // The middle of each packet's time, clear of Opus's 6.5 ms delay and
    // of the steps between pitches.
    let window = |frame: usize| {
        let start = frame * FRAME + FRAME * 2 / 5;
        decoded.get(start..start + FRAME / 2).unwrap_or_default()
    };
    let heard = frames
        .iter()
        .filter(|&&frame| {
            let samples = window(frame);
            let previous = pitch(frame + PITCHES.len() - 1);
            !samples.is_empty() && power(samples, pitch(frame)) > CLEARLY * power(samples, previous)
        })
        .count();
    (heard, frames.len())
}

#[test]
fn a_lost_opus_packet_comes_back_from_the_next_packets_redundant_copy() {
    let (decoded, lost) = send_with_losses(true);
    assert!(lost.len() >= 20, "only {} packets were dropped", lost.len());
    assert!(
        decoded.len() >= (FRAMES - 2) * FRAME,
        "only {} samples decoded",
        decoded.len()
    );
    // Packets that arrived keep their pitch: the sound got through.
    let arrived: Vec<usize> = (CYCLE..FRAMES - 2)
        .filter(|frame| frame % CYCLE < VOICED && !lost.contains(frame))
        .collect();
    let (kept, total) = pitches_heard(&decoded, &arrived);
    assert!(
        kept * 10 >= total * 9,
        "{kept} of {total} packets kept their pitch"
    );

    let (recovered, lost_count) = pitches_heard(&decoded, &lost);
    assert!(
        recovered * 10 >= lost_count * 9,
        "with FEC, {recovered} of {lost_count} lost packets came back with their own pitch"
    );
}

#[test]
fn without_fec_concealment_cannot_bring_back_a_lost_packets_pitch() {
    // The check above can tell FEC from concealment: without FEC the lost
    // packets continue the previous pitch.
    let (decoded, lost) = send_with_losses(false);
    let (recovered, lost_count) = pitches_heard(&decoded, &lost);
    assert!(lost_count >= 20, "only {lost_count} packets were dropped");
    assert!(
        recovered * 10 <= lost_count * 2,
        "without FEC, {recovered} of {lost_count} lost packets still had their own pitch"
    );
}
