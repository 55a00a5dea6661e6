//! Which GStreamer elements carry each [`Codec`], chosen among those
//! installed, and the codec-specific parts of the send and receive chains
//! (encoder → payloader, depayloader → decoder).
//!
//! The set of codecs whose elements are all installed is what the engine
//! offers and accepts, what the Jingle negotiation answers with and what
//! service discovery advertises, so Warbler never agrees to a codec it
//! cannot run.

use std::sync::OnceLock;

use gstreamer as gst;
use gstreamer::prelude::*;

use super::pipeline::make;
use super::{ContentKind, MediaError};
use crate::jingle::codec::Codec;

/// The elements chosen for one codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodecElements {
    /// Raw media → encoded.
    pub(crate) encoder: &'static str,
    /// Encoded → RTP.
    pub(crate) payloader: &'static str,
    /// RTP → encoded.
    pub(crate) depayloader: &'static str,
    /// Encoded → raw media.
    pub(crate) decoder: &'static str,
    /// A parser between depayloader and decoder, when the decoder needs one.
    pub(crate) parser: Option<&'static str>,
}

/// The candidates for each part of a codec's chains, the preferred first.
struct Candidates {
    encoders: &'static [&'static str],
    payloader: &'static str,
    depayloader: &'static str,
    decoders: &'static [&'static str],
    parser: Option<&'static str>,
}

fn candidates(codec: Codec) -> Candidates {
    const fn simple(
        encoder: &'static [&'static str],
        payloader: &'static str,
        depayloader: &'static str,
        decoder: &'static [&'static str],
    ) -> Candidates {
        Candidates {
            encoders: encoder,
            payloader,
            depayloader,
            decoders: decoder,
            parser: None,
        }
    }
    match codec {
        Codec::Opus => simple(&["opusenc"], "rtpopuspay", "rtpopusdepay", &["opusdec"]),
        // FFmpeg's G.722 (GStreamer's libav plugin); there is no other.
        Codec::G722 => simple(
            &["avenc_g722"],
            "rtpg722pay",
            "rtpg722depay",
            &["avdec_g722"],
        ),
        Codec::Pcmu => simple(&["mulawenc"], "rtppcmupay", "rtppcmudepay", &["mulawdec"]),
        Codec::Pcma => simple(&["alawenc"], "rtppcmapay", "rtppcmadepay", &["alawdec"]),
        Codec::Vp8 => simple(&["vp8enc"], "rtpvp8pay", "rtpvp8depay", &["vp8dec"]),
        // OpenH264 is in the bad plugins and made for real-time use;
        // x264 and FFmpeg's decoder are the fallbacks.
        Codec::H264 => Candidates {
            encoders: &["openh264enc", "x264enc"],
            payloader: "rtph264pay",
            depayloader: "rtph264depay",
            decoders: &["openh264dec", "avdec_h264"],
            parser: Some("h264parse"),
        },
    }
}

/// The elements for `codec` among those `installed` says exist, or the
/// name of the first missing one.
pub(crate) fn select(
    codec: Codec,
    installed: impl Fn(&str) -> bool,
) -> Result<CodecElements, &'static str> {
    let candidates = candidates(codec);
    let first = |names: &'static [&'static str]| {
        names
            .iter()
            .copied()
            .find(|name| installed(name))
            .ok_or(names[0])
    };
    let single = |name: &'static str| if installed(name) { Ok(name) } else { Err(name) };
    Ok(CodecElements {
        encoder: first(candidates.encoders)?,
        payloader: single(candidates.payloader)?,
        depayloader: single(candidates.depayloader)?,
        decoder: first(candidates.decoders)?,
        parser: candidates.parser.map(single).transpose()?,
    })
}

/// Whether GStreamer has an element factory of this name.
fn installed(factory: &str) -> bool {
    gst::ElementFactory::find(factory).is_some()
}

/// The codecs whose elements are all installed, in order of preference.
/// Checked once per process; empty if GStreamer cannot start.
pub fn available_codecs() -> Vec<Codec> {
    static AVAILABLE: OnceLock<Vec<Codec>> = OnceLock::new();
    AVAILABLE
        .get_or_init(|| {
            if let Err(error) = gst::init() {
                tracing::warn!("Could not initialise GStreamer: {error}");
                return Vec::new();
            }
            Codec::ALL
                .into_iter()
                .filter(|codec| match select(*codec, installed) {
                    Ok(_) => true,
                    Err(missing) => {
                        tracing::info!(?codec, missing, "Codec unavailable: element missing");
                        false
                    }
                })
                .collect()
        })
        .clone()
}

/// The installed elements for `codec`.
pub(crate) fn elements(codec: Codec) -> Result<CodecElements, MediaError> {
    select(codec, installed).map_err(|missing| MediaError::MissingElement(missing.to_owned()))
}

/// The kind of content a codec carries.
pub(crate) fn kind_of(codec: Codec) -> ContentKind {
    match codec.media() {
        "video" => ContentKind::Video,
        _ => ContentKind::Audio,
    }
}

/// Our most preferred installed codec for `kind`.
pub(crate) fn preferred(kind: ContentKind) -> Result<Codec, MediaError> {
    available_codecs()
        .into_iter()
        .find(|codec| kind_of(*codec) == kind)
        .ok_or(MediaError::NoCodec(kind.as_str()))
}

/// RTP packets of 20 ms, RFC 3551's default for the sample-based codecs
/// (the payloader would otherwise fill whole MTUs: 175 ms of G.711).
const PTIME_NS: i64 = 20_000_000;

/// The encoder → payloader part of a send chain (after capture, conversion
/// and the mute volume or the raw video caps); returns the elements and
/// the payloader.
pub(crate) fn encode_chain(
    codec: Codec,
    chosen: &CodecElements,
) -> Result<(Vec<gst::Element>, gst::Element), MediaError> {
    let encoder = make(chosen.encoder)?;
    let payloader = make(chosen.payloader)?;
    let mut chain = Vec::new();
    match codec {
        Codec::Opus => {
            encoder.set_property("inband-fec", true);
            encoder.set_property("packet-loss-percentage", 5i32);
            encoder.set_property("bitrate", 32_000i32);
            encoder.set_property_from_str("audio-type", "voice");
            chain.push(encoder);
        }
        Codec::G722 | Codec::Pcmu | Codec::Pcma => {
            // G.722 encodes 16 kHz audio, G.711 8 kHz; both mono 16-bit.
            let rate = if codec == Codec::G722 { 16_000 } else { 8_000 };
            let caps = make("capsfilter")?;
            caps.set_property(
                "caps",
                gst::Caps::builder("audio/x-raw")
                    .field("format", "S16LE")
                    .field("rate", rate)
                    .field("channels", 1i32)
                    .build(),
            );
            chain.extend([make("audioconvert")?, make("audioresample")?, caps, encoder]);
            payloader.set_property("min-ptime", PTIME_NS);
            payloader.set_property("max-ptime", PTIME_NS);
        }
        Codec::Vp8 => {
            encoder.set_property("deadline", 1i64);
            encoder.set_property("cpu-used", 8i32);
            // More threads cost several times the CPU on a busy two-core machine.
            encoder.set_property("threads", 1i32);
            encoder.set_property("lag-in-frames", 0i32);
            encoder.set_property("keyframe-max-dist", 60i32);
            encoder.set_property("target-bitrate", 800_000i32);
            encoder.set_property_from_str("end-usage", "cbr");
            encoder.set_property_from_str("error-resilient", "default");
            chain.push(encoder);
            payloader.set_property_from_str("picture-id-mode", "15-bit");
        }
        Codec::H264 => {
            configure_h264_encoder(&encoder, chosen.encoder);
            // Constrained baseline is the profile every WebRTC peer decodes
            // (our offer says profile-level-id 42e01f).
            let profile = make("capsfilter")?;
            profile.set_property(
                "caps",
                gst::Caps::builder("video/x-h264")
                    .field("profile", "constrained-baseline")
                    .field("stream-format", "byte-stream")
                    .build(),
            );
            chain.extend([encoder, profile]);
            // SPS and PPS before every key frame: a receiver that missed the
            // first can start at the next one.
            payloader.set_property("config-interval", -1i32);
        }
    }
    chain.push(payloader.clone());
    Ok((chain, payloader))
}

fn configure_h264_encoder(encoder: &gst::Element, factory: &str) {
    if factory == "x264enc" {
        encoder.set_property_from_str("tune", "zerolatency");
        encoder.set_property_from_str("speed-preset", "ultrafast");
        encoder.set_property("bitrate", 800u32);
        encoder.set_property("key-int-max", 60u32);
        encoder.set_property("threads", 1u32);
    } else {
        encoder.set_property("bitrate", 800_000u32);
        encoder.set_property_from_str("rate-control", "bitrate");
        encoder.set_property_from_str("complexity", "low");
        encoder.set_property("gop-size", 60u32);
        encoder.set_property("multi-thread", 1u32);
        encoder.set_property_from_str("usage-type", "camera");
    }
}

/// The depayloader → decoder part of a receive chain; returns the elements
/// and the decoder (whose output is counted).
pub(crate) fn decode_chain(
    codec: Codec,
    chosen: &CodecElements,
) -> Result<(Vec<gst::Element>, gst::Element), MediaError> {
    let depayloader = make(chosen.depayloader)?;
    let decoder = make(chosen.decoder)?;
    match codec {
        Codec::Opus => {
            decoder.set_property("use-inband-fec", true);
            decoder.set_property("plc", true);
        }
        Codec::Vp8 | Codec::H264 => {
            // Start at a key frame and ask for one after losses.
            for property in ["wait-for-keyframe", "request-keyframe"] {
                if depayloader.has_property(property) {
                    depayloader.set_property(property, true);
                }
            }
            // A corrupt frame on a lossy network is no reason to end a call.
            if decoder.has_property("max-errors") {
                decoder.set_property("max-errors", -1i32);
            }
        }
        Codec::G722 | Codec::Pcmu | Codec::Pcma => {}
    }
    let mut chain = vec![depayloader];
    if let Some(parser) = chosen.parser {
        chain.push(make(parser)?);
    }
    chain.push(decoder.clone());
    Ok((chain, decoder))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(names: &'static [&'static str]) -> impl Fn(&str) -> bool {
        move |name| names.contains(&name)
    }

    const BASE: &[&str] = &[
        "opusenc",
        "rtpopuspay",
        "rtpopusdepay",
        "opusdec",
        "mulawenc",
        "rtppcmupay",
        "rtppcmudepay",
        "mulawdec",
        "rtph264pay",
        "rtph264depay",
        "h264parse",
        "x264enc",
        "avdec_h264",
    ];

    #[test]
    fn a_codec_needs_every_part_of_both_chains() {
        assert!(select(Codec::Opus, only(BASE)).is_ok());
        assert!(select(Codec::Pcmu, only(BASE)).is_ok());
        // Payloaders alone are not enough: no encoder, no G.722.
        assert_eq!(
            select(
                Codec::G722,
                only(&["rtpg722pay", "rtpg722depay", "avdec_g722"])
            ),
            Err("avenc_g722")
        );
        assert_eq!(
            select(Codec::Pcma, only(&["alawenc", "rtppcmapay", "alawdec"])),
            Err("rtppcmadepay")
        );
        // H.264 needs its parser too.
        let no_parser = |name: &str| name != "h264parse" && BASE.contains(&name);
        assert_eq!(select(Codec::H264, no_parser), Err("h264parse"));
    }

    #[test]
    fn openh264_is_preferred_and_x264_and_libav_are_fallbacks() {
        let fallback = select(Codec::H264, only(BASE)).expect("fallbacks suffice");
        assert_eq!(
            (fallback.encoder, fallback.decoder),
            ("x264enc", "avdec_h264")
        );
        let all = |_: &str| true;
        let preferred = select(Codec::H264, all).expect("all installed");
        assert_eq!(
            (preferred.encoder, preferred.decoder, preferred.parser),
            ("openh264enc", "openh264dec", Some("h264parse"))
        );
        assert_eq!(
            select(Codec::H264, |name: &str| name != "openh264enc"
                && name != "x264enc"),
            Err("openh264enc")
        );
    }

    #[test]
    fn available_codecs_are_those_whose_elements_exist_in_preference_order() {
        let available = available_codecs();
        for codec in Codec::ALL {
            assert_eq!(
                available.contains(&codec),
                elements(codec).is_ok(),
                "{codec:?}"
            );
        }
        let order: Vec<usize> = available
            .iter()
            .map(|c| Codec::ALL.iter().position(|a| a == c).unwrap_or(usize::MAX))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{available:?}");
    }

    #[test]
    fn every_available_codec_builds_both_chains() {
        for codec in available_codecs() {
            let chosen = elements(codec).expect("available");
            let (send, payloader) = encode_chain(codec, &chosen).expect("send chain");
            assert_eq!(send.last(), Some(&payloader), "{codec:?}");
            let (receive, decoder) = decode_chain(codec, &chosen).expect("receive chain");
            assert_eq!(receive.last(), Some(&decoder), "{codec:?}");
            let factory = |e: &gst::Element| e.factory().map(|f| f.name().to_string());
            assert_eq!(factory(&payloader).as_deref(), Some(chosen.payloader));
            assert_eq!(factory(&decoder).as_deref(), Some(chosen.decoder));
        }
    }
}
