//! What the media engine can send and receive, and how an offered payload
//! type is matched against it.

use xmpp_parsers::jingle_rtcp_fb::RtcpFb;
use xmpp_parsers::jingle_rtp::PayloadType;

use crate::jingle::codec::Codec;

/// RFC 8285's audio level extension, which webrtcbin writes and reads.
pub const AUDIO_LEVEL_URI: &str = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

/// A codec the media engine supports, as it should appear in an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct SupportedCodec {
    /// `audio` or `video`, the Jingle description's `media`.
    pub media: String,
    /// The encoding name, compared without regard to case (`opus`, `VP8`).
    pub name: String,
    /// The RTP clock rate.
    pub clock_rate: u32,
    /// The channel count (1 unless stated, 2 for Opus).
    pub channels: u8,
    /// Format parameters we ask for when receiving (`useinbandfec=1`).
    pub parameters: Vec<(String, String)>,
    /// Format parameters whose value the answer repeats from the offer
    /// (H.264's `profile-level-id`), when we do not set them ourselves.
    pub echoed_parameters: Vec<String>,
    /// The RTCP feedback we implement for this codec.
    pub rtcp_feedback: Vec<RtcpFb>,
}

impl SupportedCodec {
    fn new(media: &str, name: &str, clock_rate: u32, channels: u8) -> Self {
        Self {
            media: media.to_owned(),
            name: name.to_owned(),
            clock_rate,
            channels,
            parameters: Vec::new(),
            echoed_parameters: Vec::new(),
            rtcp_feedback: Vec::new(),
        }
    }

    /// Opus at 48 kHz, two channels, with in-band forward error correction.
    pub fn opus() -> Self {
        let mut codec = Self::new("audio", "opus", 48000, 2);
        codec.parameters = vec![("useinbandfec".to_owned(), "1".to_owned())];
        codec
    }

    /// G.722 (its RTP clock rate is 8000 for historical reasons).
    pub fn g722() -> Self {
        Self::new("audio", "G722", 8000, 1)
    }

    /// G.711 µ-law.
    pub fn pcmu() -> Self {
        Self::new("audio", "PCMU", 8000, 1)
    }

    /// G.711 A-law.
    pub fn pcma() -> Self {
        Self::new("audio", "PCMA", 8000, 1)
    }

    /// VP8 with NACK, PLI, FIR and REMB feedback.
    pub fn vp8() -> Self {
        let mut codec = Self::new("video", "VP8", 90000, 1);
        codec.rtcp_feedback = video_feedback();
        codec
    }

    /// H.264 constrained baseline, non-interleaved packetisation
    /// (`packetization-mode=1`), the mode every WebRTC peer offers.
    pub fn h264() -> Self {
        let mut codec = Self::new("video", "H264", 90000, 1);
        codec.parameters = vec![("packetization-mode".to_owned(), "1".to_owned())];
        codec.echoed_parameters = vec![
            "profile-level-id".to_owned(),
            "level-asymmetry-allowed".to_owned(),
        ];
        codec.rtcp_feedback = video_feedback();
        codec
    }

    /// The answer-side description of `codec`.
    pub fn of(codec: Codec) -> Self {
        match codec {
            Codec::Opus => Self::opus(),
            Codec::G722 => Self::g722(),
            Codec::Pcmu => Self::pcmu(),
            Codec::Pcma => Self::pcma(),
            Codec::Vp8 => Self::vp8(),
            Codec::H264 => Self::h264(),
        }
    }

    /// Whether the offered payload type is this codec.
    pub fn matches(&self, media: &str, offered: &PayloadType) -> bool {
        let Some(name) = payload_type_name(offered) else {
            return false;
        };
        let clock_rate = offered
            .clockrate
            .or_else(|| super::super::from_jingle::static_clock_rate(offered.id));
        media == self.media
            && name.eq_ignore_ascii_case(&self.name)
            && clock_rate == Some(self.clock_rate)
            && offered.channels.0 == self.channels
            && (!self.name.eq_ignore_ascii_case("H264") || self.h264_mode_matches(offered))
    }

    /// H.264 payload types differ by packetisation mode (which must be the
    /// same on both sides, RFC 6184) and by profile; the level may differ.
    fn h264_mode_matches(&self, offered: &PayloadType) -> bool {
        let ours = |name: &str, default: &'static str| {
            self.parameters
                .iter()
                .find(|(key, _)| key == name)
                .map_or(default, |(_, value)| value.as_str())
                .to_owned()
        };
        let theirs = |name: &str, default: &'static str| {
            offered
                .parameters
                .iter()
                .find(|parameter| parameter.name == name)
                .map_or(default, |parameter| parameter.value.as_str())
                .to_owned()
        };
        let profile = |level_id: String| level_id.get(..2).map(str::to_ascii_lowercase);
        ours("packetization-mode", "0") == theirs("packetization-mode", "0")
            && profile(ours("profile-level-id", "42e01f"))
                == profile(theirs("profile-level-id", "42001f"))
    }
}

/// The encoding name of a payload type, from its `name` or, for static
/// payload types, from RFC 3551.
pub(super) fn payload_type_name(payload_type: &PayloadType) -> Option<&str> {
    match (&payload_type.name, payload_type.id) {
        (Some(name), _) => Some(name.as_str()),
        (None, 0) => Some("PCMU"),
        (None, 8) => Some("PCMA"),
        (None, 9) => Some("G722"),
        _ => None,
    }
}

fn video_feedback() -> Vec<RtcpFb> {
    let feedback = |type_: &str, subtype: Option<&str>| RtcpFb {
        type_: type_.to_owned(),
        subtype: subtype.map(str::to_owned),
    };
    vec![
        feedback("nack", None),
        feedback("nack", Some("pli")),
        feedback("ccm", Some("fir")),
        feedback("goog-remb", None),
    ]
}

/// Everything the answering side may accept, in order of preference.
#[derive(Debug, Clone, PartialEq)]
pub struct Capabilities {
    /// Supported codecs, most preferred first.
    pub codecs: Vec<SupportedCodec>,
    /// URIs of the RTP header extensions the media engine handles.
    pub header_extensions: Vec<String>,
    /// Whether RTX retransmission payload types (RFC 4588) are kept for the
    /// codecs we keep.
    pub retransmission: bool,
}

impl Capabilities {
    /// Exactly `codecs` (in [`Codec::ALL`]'s order of preference, whatever
    /// their order here), the audio level header extension, no RTX. The
    /// media engine's own are `Capabilities::for_codecs(&available_codecs())`
    /// (see [`crate::jingle::media::available_codecs`]) with
    /// [`Capabilities::retransmission`] on: never a codec whose elements
    /// are not installed.
    pub fn for_codecs(codecs: &[Codec]) -> Self {
        Self {
            codecs: Codec::ALL
                .into_iter()
                .filter(|codec| codecs.contains(codec))
                .map(SupportedCodec::of)
                .collect(),
            header_extensions: vec![AUDIO_LEVEL_URI.to_owned()],
            retransmission: false,
        }
    }

    /// Fixed capabilities for tests: Opus, G.722, PCMU, PCMA and VP8, as a
    /// full installation has them, without H.264.
    pub fn baseline() -> Self {
        Self::for_codecs(&[
            Codec::Opus,
            Codec::G722,
            Codec::Pcmu,
            Codec::Pcma,
            Codec::Vp8,
        ])
    }

    /// These capabilities plus H.264 after VP8.
    pub fn with_h264(mut self) -> Self {
        if !self.codecs.contains(&SupportedCodec::h264()) {
            self.codecs.push(SupportedCodec::h264());
        }
        self
    }

    /// Our preference rank of an offered payload type, if we support it.
    pub(super) fn rank(&self, media: &str, offered: &PayloadType) -> Option<usize> {
        self.codecs
            .iter()
            .position(|codec| codec.matches(media, offered))
    }
}
