//! The few facts the media engine reads from a remote SDP before handing it
//! to webrtcbin: each m-line's mid, kind, DTLS fingerprint and the payload
//! types the peer chose for our codecs. Plain text parsing, no GStreamer.

use super::fingerprint::{Fingerprint, FingerprintError};
use crate::jingle::codec::Codec;

/// What one remote m-line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteMedia {
    /// Index of the m-line (Jingle content order).
    pub mline: u32,
    /// `audio`, `video`, `application`…
    pub kind: String,
    /// `a=mid`, when present.
    pub mid: Option<String>,
    /// The port: 0 means the content was rejected.
    pub port: u32,
    /// `a=fingerprint` of the m-line, else the session's.
    pub fingerprint: Option<Fingerprint>,
    /// `a=setup` (`actpass`, `active`, `passive`).
    pub setup: Option<String>,
    /// `a=ice-ufrag` of the m-line, else the session's.
    pub ice_ufrag: Option<String>,
    /// `(payload type, encoding name upper-case, clock rate)` from `a=rtpmap`.
    pub rtpmaps: Vec<(u8, String, u32)>,
    /// The payload types of the `m=` line, in its order (the author's
    /// preference).
    pub formats: Vec<u8>,
    /// `(payload type, parameters)` from `a=fmtp`.
    pub fmtps: Vec<(u8, String)>,
}

impl RemoteMedia {
    /// The payload type the peer uses for `encoding` (e.g. `OPUS`), if any.
    pub fn payload_type(&self, encoding: &str) -> Option<u8> {
        self.rtpmaps
            .iter()
            .find(|(_, name, _)| name.eq_ignore_ascii_case(encoding))
            .map(|(pt, _, _)| *pt)
    }

    /// The codecs Warbler knows among this m-line's payload types, as
    /// `(payload type, codec)` in the m-line's order. Static payload types
    /// count without an rtpmap; H.264 only in packetisation mode 1, the
    /// one our payloader sends.
    pub fn codecs(&self) -> Vec<(u8, Codec)> {
        self.formats
            .iter()
            .filter_map(|&pt| {
                let codec = match self.rtpmaps.iter().find(|(id, _, _)| *id == pt) {
                    Some((_, name, rate)) => Codec::from_rtp(&self.kind, name, *rate),
                    None if self.kind == "audio" => Codec::from_static_payload_type(pt),
                    None => None,
                }?;
                (codec != Codec::H264 || self.fmtp_has(pt, "packetization-mode", "1"))
                    .then_some((pt, codec))
            })
            .collect()
    }

    /// Whether `a=fmtp` of `pt` sets `name` to `value`.
    fn fmtp_has(&self, pt: u8, name: &str, value: &str) -> bool {
        self.fmtps
            .iter()
            .filter(|(id, _)| *id == pt)
            .flat_map(|(_, parameters)| parameters.split(';'))
            .filter_map(|parameter| parameter.split_once('='))
            .any(|(key, v)| key.trim() == name && v.trim() == value)
    }
}

/// Why an SDP text was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SdpInfoError {
    /// A malformed `m=` line.
    #[error("malformed m-line: {0}")]
    MediaLine(String),
    /// A malformed `a=fingerprint`.
    #[error(transparent)]
    Fingerprint(#[from] FingerprintError),
}

/// Reads every m-line of an SDP text.
pub fn parse(sdp: &str) -> Result<Vec<RemoteMedia>, SdpInfoError> {
    let mut session_fingerprint = None;
    let mut session_ufrag = None;
    let mut medias: Vec<RemoteMedia> = Vec::new();
    for line in sdp.lines().map(str::trim_end) {
        if let Some(m) = line.strip_prefix("m=") {
            let mut fields = m.split_whitespace();
            let kind = fields.next().unwrap_or_default().to_owned();
            let port = fields
                .next()
                .and_then(|p| p.split('/').next())
                .and_then(|p| p.parse().ok())
                .ok_or_else(|| SdpInfoError::MediaLine(line.to_owned()))?;
            // After the protocol, the formats.
            let formats = fields.skip(1).filter_map(|f| f.parse().ok()).collect();
            medias.push(RemoteMedia {
                mline: u32::try_from(medias.len()).unwrap_or(u32::MAX),
                kind,
                mid: None,
                port,
                fingerprint: None,
                setup: None,
                ice_ufrag: None,
                rtpmaps: Vec::new(),
                formats,
                fmtps: Vec::new(),
            });
            continue;
        }
        let Some(attribute) = line.strip_prefix("a=") else {
            continue;
        };
        let (key, value) = attribute.split_once(':').unwrap_or((attribute, ""));
        let value = value.trim();
        match (key, medias.last_mut()) {
            ("fingerprint", None) => session_fingerprint = Some(value.parse()?),
            ("fingerprint", Some(media)) => media.fingerprint = Some(value.parse()?),
            ("ice-ufrag", None) => session_ufrag = Some(value.to_owned()),
            ("ice-ufrag", Some(media)) => media.ice_ufrag = Some(value.to_owned()),
            ("mid", Some(media)) => media.mid = Some(value.to_owned()),
            ("setup", Some(media)) => media.setup = Some(value.to_owned()),
            ("fmtp", Some(media)) => {
                if let Some((pt, parameters)) = value.split_once(' ')
                    && let Ok(pt) = pt.parse()
                {
                    media.fmtps.push((pt, parameters.trim().to_owned()));
                }
            }
            ("rtpmap", Some(media)) => {
                if let Some(rtpmap) = parse_rtpmap(value) {
                    media.rtpmaps.push(rtpmap);
                }
            }
            _ => {}
        }
    }
    for media in &mut medias {
        if media.fingerprint.is_none() {
            media.fingerprint.clone_from(&session_fingerprint);
        }
        if media.ice_ufrag.is_none() {
            media.ice_ufrag.clone_from(&session_ufrag);
        }
    }
    Ok(medias)
}

/// `111 opus/48000/2` → `(111, "OPUS", 48000)`.
fn parse_rtpmap(value: &str) -> Option<(u8, String, u32)> {
    let (pt, encoding) = value.split_once(' ')?;
    let mut parts = encoding.trim().split('/');
    let name = parts.next()?.to_ascii_uppercase();
    let rate = parts.next()?.parse().ok()?;
    Some((pt.parse().ok()?, name, rate))
}

/// The SDP without its `a=group:BUNDLE` lines. We never bundle; without
/// the group webrtcbin answers with separate ICE credentials per m-line
/// (with it, it reuses one ufrag for all of them even when not bundling).
/// An answer without the group declines BUNDLE (RFC 8843), which
/// Conversations accepts.
pub(crate) fn without_bundle_groups(sdp: &str) -> String {
    sdp.split_inclusive('\n')
        .filter(|line| !line.starts_with("a=group:BUNDLE"))
        .collect()
}

/// Replaces the digest of every `a=fingerprint` line with a different one
/// of the same length: a forged certificate as far as the peer can tell.
/// For tests of the fingerprint check.
#[doc(hidden)]
pub fn tamper_fingerprints(sdp: &str) -> String {
    sdp.split_inclusive('\n')
        .map(|line| {
            let Some(value) = line.trim_end().strip_prefix("a=fingerprint:") else {
                return line.to_owned();
            };
            let Ok(mut fp) = value.parse::<Fingerprint>() else {
                return line.to_owned();
            };
            for byte in &mut fp.digest {
                *byte = !*byte;
            }
            let ending = &line[line.trim_end().len()..];
            format!("a=fingerprint:{fp}{ending}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(byte: &str) -> String {
        format!("sha-256 {}", [byte; 32].join(":"))
    }

    fn offer() -> String {
        format!(
            "v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=fingerprint:{}\r\n\
             a=ice-ufrag:sess\r\n\
             m=audio 9 UDP/TLS/RTP/SAVPF 111 9\r\na=mid:a0\r\na=setup:actpass\r\n\
             a=ice-ufrag:aaaa\r\na=rtpmap:111 opus/48000/2\r\na=rtpmap:9 G722/8000\r\n\
             m=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:v1\r\na=fingerprint:{}\r\n\
             a=rtpmap:96 VP8/90000\r\n",
            fp("01"),
            fp("02")
        )
    }

    #[test]
    fn reads_mlines_with_session_fallbacks() {
        let medias = parse(&offer()).expect("parse");
        assert_eq!(medias.len(), 2);
        let (audio, video) = (&medias[0], &medias[1]);
        assert_eq!((audio.mline, audio.kind.as_str()), (0, "audio"));
        assert_eq!(audio.mid.as_deref(), Some("a0"));
        assert_eq!(audio.setup.as_deref(), Some("actpass"));
        assert_eq!(audio.ice_ufrag.as_deref(), Some("aaaa"));
        assert_eq!(audio.fingerprint, Some(fp("01").parse().expect("fp")));
        assert_eq!(audio.payload_type("opus"), Some(111));
        assert_eq!(audio.payload_type("G722"), Some(9));
        assert_eq!(audio.payload_type("VP8"), None);
        assert_eq!((video.port, video.mid.as_deref()), (0, Some("v1")));
        assert_eq!(video.ice_ufrag.as_deref(), Some("sess"));
        assert_eq!(video.fingerprint, Some(fp("02").parse().expect("fp")));
        assert_eq!(video.payload_type("VP8"), Some(96));
    }

    #[test]
    fn codecs_follow_the_mline_order_with_static_and_h264_rules() {
        let sdp = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 8 96 111 0\r\n\
                   a=rtpmap:96 AMR/8000\r\na=rtpmap:111 opus/48000/2\r\n\
                   m=video 9 UDP/TLS/RTP/SAVPF 100 102 98\r\n\
                   a=rtpmap:100 H264/90000\r\na=fmtp:100 packetization-mode=0\r\n\
                   a=rtpmap:102 H264/90000\r\n\
                   a=fmtp:102 profile-level-id=42e01f; packetization-mode=1\r\n\
                   a=rtpmap:98 VP8/90000\r\n";
        let medias = parse(sdp).expect("parse");
        assert_eq!(medias[0].formats, [8, 96, 111, 0]);
        assert_eq!(
            medias[0].codecs(),
            [(8, Codec::Pcma), (111, Codec::Opus), (0, Codec::Pcmu)]
        );
        assert_eq!(medias[1].codecs(), [(102, Codec::H264), (98, Codec::Vp8)]);
    }

    #[test]
    fn malformed_lines_are_errors() {
        assert!(parse("m=audio\r\n").is_err());
        assert!(parse("m=audio 9 RTP 0\r\na=fingerprint:sha-256 zz\r\n").is_err());
    }

    #[test]
    fn bundle_groups_are_dropped_and_nothing_else() {
        let bundled = offer().replace("t=0 0\r\n", "t=0 0\r\na=group:BUNDLE a0 v1\r\n");
        assert_ne!(bundled, offer());
        assert_eq!(without_bundle_groups(&bundled), offer());
        let lipsync = offer().replace("t=0 0\r\n", "t=0 0\r\na=group:LS a0 v1\r\n");
        assert_eq!(without_bundle_groups(&lipsync), lipsync);
    }

    #[test]
    fn tampering_changes_every_fingerprint_and_nothing_else() {
        let original = offer();
        let tampered = tamper_fingerprints(&original);
        assert_ne!(tampered, original);
        assert_eq!(tampered.lines().count(), original.lines().count());
        let before = parse(&original).expect("parse");
        let after = parse(&tampered).expect("parse");
        for (b, a) in before.iter().zip(&after) {
            assert_ne!(b.fingerprint, a.fingerprint);
            assert_eq!(b.mid, a.mid);
        }
        assert!(tampered.contains("\r\n"));
    }
}
