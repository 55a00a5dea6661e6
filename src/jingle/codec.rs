//! The RTP codecs calls can use, in Warbler's order of preference, with the
//! facts about each that both the Jingle negotiation and the media engine
//! need: RTP encoding name, clock rate, channels, the payload type we offer.
//! Which of them a given installation can run is the media engine's
//! business ([`super::media::available_codecs`]).

/// An RTP codec Warbler knows how to send and receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Codec {
    /// Opus, 48 kHz stereo RTP clock, in-band FEC.
    Opus,
    /// G.722 wide-band speech (RTP clock 8000 for historical reasons).
    G722,
    /// G.711 µ-law.
    Pcmu,
    /// G.711 A-law.
    Pcma,
    /// VP8.
    Vp8,
    /// H.264 constrained baseline, packetisation mode 1.
    H264,
}

impl Codec {
    /// Every codec, most preferred first within each media: Opus, G.722,
    /// PCMU, PCMA for audio; VP8, H.264 for video.
    pub const ALL: [Self; 6] = [
        Self::Opus,
        Self::G722,
        Self::Pcmu,
        Self::Pcma,
        Self::Vp8,
        Self::H264,
    ];

    /// `audio` or `video`, as in an SDP m-line or a Jingle description.
    pub fn media(self) -> &'static str {
        match self {
            Self::Opus | Self::G722 | Self::Pcmu | Self::Pcma => "audio",
            Self::Vp8 | Self::H264 => "video",
        }
    }

    /// The RTP encoding name, upper-case as GStreamer writes it.
    pub fn encoding_name(self) -> &'static str {
        match self {
            Self::Opus => "OPUS",
            Self::G722 => "G722",
            Self::Pcmu => "PCMU",
            Self::Pcma => "PCMA",
            Self::Vp8 => "VP8",
            Self::H264 => "H264",
        }
    }

    /// The RTP clock rate.
    pub fn clock_rate(self) -> u32 {
        match self {
            Self::Opus => 48_000,
            Self::G722 | Self::Pcmu | Self::Pcma => 8_000,
            Self::Vp8 | Self::H264 => 90_000,
        }
    }

    /// The channel count of the RTP format (Opus is always signalled as 2).
    pub fn channels(self) -> u8 {
        match self {
            Self::Opus => 2,
            _ => 1,
        }
    }

    /// The payload type we use when we offer: RFC 3551's static number
    /// where there is one, else the numbers browsers use.
    pub fn offer_payload_type(self) -> u8 {
        match self {
            Self::Opus => 111,
            Self::G722 => 9,
            Self::Pcmu => 0,
            Self::Pcma => 8,
            Self::Vp8 => 98,
            Self::H264 => 102,
        }
    }

    /// The codec of an RTP format, from its media, encoding name (any case)
    /// and clock rate.
    pub fn from_rtp(media: &str, name: &str, clock_rate: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|codec| {
            codec.media() == media
                && codec.encoding_name().eq_ignore_ascii_case(name)
                && codec.clock_rate() == clock_rate
        })
    }

    /// The codec of a static payload type (RFC 3551) that has no rtpmap.
    pub fn from_static_payload_type(pt: u8) -> Option<Self> {
        match pt {
            0 => Some(Self::Pcmu),
            8 => Some(Self::Pcma),
            9 => Some(Self::G722),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preference_is_opus_g722_pcmu_pcma_then_vp8_h264() {
        let audio: Vec<_> = Codec::ALL
            .into_iter()
            .filter(|c| c.media() == "audio")
            .collect();
        let video: Vec<_> = Codec::ALL
            .into_iter()
            .filter(|c| c.media() == "video")
            .collect();
        assert_eq!(audio, [Codec::Opus, Codec::G722, Codec::Pcmu, Codec::Pcma]);
        assert_eq!(video, [Codec::Vp8, Codec::H264]);
    }

    #[test]
    fn rtp_formats_are_recognised_by_name_clock_and_media() {
        assert_eq!(Codec::from_rtp("audio", "opus", 48_000), Some(Codec::Opus));
        assert_eq!(Codec::from_rtp("audio", "pcmu", 8_000), Some(Codec::Pcmu));
        assert_eq!(Codec::from_rtp("video", "h264", 90_000), Some(Codec::H264));
        // Wrong clock rate or media: not ours.
        assert_eq!(Codec::from_rtp("audio", "G722", 16_000), None);
        assert_eq!(Codec::from_rtp("video", "PCMA", 8_000), None);
        assert_eq!(Codec::from_rtp("audio", "AMR", 8_000), None);
        assert_eq!(Codec::from_static_payload_type(9), Some(Codec::G722));
        assert_eq!(Codec::from_static_payload_type(3), None);
    }

    #[test]
    fn offer_payload_types_are_distinct_and_static_where_defined() {
        let mut pts: Vec<u8> = Codec::ALL.iter().map(|c| c.offer_payload_type()).collect();
        pts.sort_unstable();
        pts.dedup();
        assert_eq!(pts.len(), Codec::ALL.len());
        for codec in Codec::ALL {
            let pt = codec.offer_payload_type();
            if pt < 96 {
                assert_eq!(Codec::from_static_payload_type(pt), Some(codec));
            }
        }
    }
}
