//! Which codec each of our contents sends, read from the peer's SDP: our
//! preference among what the peer offers when we answer, the peer's first
//! choice among what we offered when it answers, always with the peer's
//! payload type number (the one it expects to receive). Pure: the engine
//! applies the result.

use super::sdp_info::RemoteMedia;
use super::{ContentKind, MediaError};
use crate::jingle::codec::Codec;

/// What the choice needs to know of one of our contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ContentView {
    /// Audio or video.
    pub(crate) kind: ContentKind,
    /// Its `a=mid`, once negotiated.
    pub(crate) mid: Option<String>,
    /// Its m-line index, once negotiated.
    pub(crate) mline: Option<u32>,
    /// The codec its send branch is built for now.
    pub(crate) codec: Codec,
}

/// One content's codec: content index, codec, payload type to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Choice {
    /// The index of the content among ours.
    pub(crate) content: usize,
    /// The codec to send.
    pub(crate) codec: Codec,
    /// The payload type the peer uses for it.
    pub(crate) pt: u8,
}

/// The codecs of `media` we can run, as `(payload type, codec)` in the
/// m-line's order.
fn runnable(media: &RemoteMedia, kind: ContentKind, available: &[Codec]) -> Vec<(u8, Codec)> {
    media
        .codecs()
        .into_iter()
        .filter(|(_, codec)| available.contains(codec) && codec.media() == kind.as_str())
        .collect()
}

/// The m-line of a negotiated content: by mid, else by index.
fn negotiated_media<'a>(
    content: &ContentView,
    medias: &'a [RemoteMedia],
) -> Option<&'a RemoteMedia> {
    let by_mid = content
        .mid
        .as_ref()
        .and_then(|mid| medias.iter().find(|m| m.mid.as_ref() == Some(mid)));
    by_mid.or_else(|| {
        content
            .mline
            .and_then(|mline| medias.iter().find(|m| m.mline == mline))
    })
}

/// Answering `medias` (the peer's offer): every content not negotiated
/// yet takes the next unclaimed offered m-line of its kind and our most
/// preferred codec there (`available` is in order of preference). A
/// negotiated content keeps its codec while the offer still has it.
pub(crate) fn for_offer(
    contents: &[ContentView],
    medias: &[RemoteMedia],
    available: &[Codec],
) -> Result<Vec<Choice>, MediaError> {
    let mut claimed: Vec<u32> = contents
        .iter()
        .filter(|c| c.mid.is_some())
        .filter_map(|c| negotiated_media(c, medias).map(|m| m.mline))
        .collect();
    let mut choices = Vec::new();
    for (index, content) in contents.iter().enumerate() {
        let media = if content.mid.is_some() {
            negotiated_media(content, medias)
        } else {
            let media = medias
                .iter()
                .find(|m| m.kind == content.kind.as_str() && !claimed.contains(&m.mline));
            if let Some(media) = media {
                claimed.push(media.mline);
            }
            media
        };
        let Some(media) = media.filter(|m| m.port != 0) else {
            continue;
        };
        let offered = runnable(media, content.kind, available);
        let keep = offered.iter().find(|(_, codec)| *codec == content.codec);
        let best = available
            .iter()
            .find_map(|ours| offered.iter().find(|(_, codec)| codec == ours));
        let (pt, codec) = keep
            .filter(|_| content.mid.is_some())
            .or(best)
            .copied()
            .ok_or(MediaError::NoCommonCodec(content.kind.as_str()))?;
        choices.push(Choice {
            content: index,
            codec,
            pt,
        });
    }
    Ok(choices)
}

/// Reading `medias` (the peer's answer to our offer): each answered
/// content sends the first codec of its m-line that we can run.
pub(crate) fn for_answer(
    contents: &[ContentView],
    medias: &[RemoteMedia],
    available: &[Codec],
) -> Result<Vec<Choice>, MediaError> {
    let mut choices = Vec::new();
    for (index, content) in contents.iter().enumerate() {
        // Before webrtcbin has applied the answer, our transceivers know no
        // mid; our offer has one m-line per content, in order.
        let media = negotiated_media(content, medias).or_else(|| {
            let mline = u32::try_from(index).ok()?;
            medias.iter().find(|m| m.mline == mline)
        });
        let Some(media) = media.filter(|m| m.port != 0 && m.kind == content.kind.as_str()) else {
            continue;
        };
        let (pt, codec) = runnable(media, content.kind, available)
            .first()
            .copied()
            .ok_or(MediaError::NoCommonCodec(content.kind.as_str()))?;
        choices.push(Choice {
            content: index,
            codec,
            pt,
        });
    }
    Ok(choices)
}

#[cfg(test)]
mod tests {
    use super::super::sdp_info;
    use super::*;

    const ALL: [Codec; 6] = Codec::ALL;

    fn content(
        kind: ContentKind,
        mid: Option<&str>,
        mline: Option<u32>,
        codec: Codec,
    ) -> ContentView {
        ContentView {
            kind,
            mid: mid.map(str::to_owned),
            mline,
            codec,
        }
    }

    fn fresh(kind: ContentKind) -> ContentView {
        let codec = match kind {
            ContentKind::Audio => Codec::Opus,
            ContentKind::Video => Codec::Vp8,
        };
        content(kind, None, None, codec)
    }

    fn sdp(audio: &str, video: &str) -> Vec<RemoteMedia> {
        let text = format!(
            "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF {audio}\r\na=mid:a\r\n\
             a=rtpmap:111 opus/48000/2\r\na=rtpmap:96 PCMU/8000\r\na=rtpmap:9 G722/8000\r\n\
             m=video 9 UDP/TLS/RTP/SAVPF {video}\r\na=mid:v\r\n\
             a=rtpmap:98 VP8/90000\r\na=rtpmap:102 H264/90000\r\n\
             a=fmtp:102 packetization-mode=1\r\n"
        );
        sdp_info::parse(&text).expect("parse")
    }

    fn picked(choices: &[Choice]) -> Vec<(usize, Codec, u8)> {
        choices.iter().map(|c| (c.content, c.codec, c.pt)).collect()
    }

    #[test]
    fn answering_picks_our_preference_with_the_peers_numbers() {
        let contents = [fresh(ContentKind::Audio), fresh(ContentKind::Video)];
        // The peer prefers PCMU and H.264; we prefer Opus and VP8.
        let medias = sdp("96 0 111", "102 98");
        let choices = for_offer(&contents, &medias, &ALL).expect("choices");
        assert_eq!(
            picked(&choices),
            [(0, Codec::Opus, 111), (1, Codec::Vp8, 98)]
        );
        // Only PCMU (dynamic number 96 here) and only H.264 offered.
        let medias = sdp("96", "102");
        let choices = for_offer(&contents, &medias, &ALL).expect("choices");
        assert_eq!(
            picked(&choices),
            [(0, Codec::Pcmu, 96), (1, Codec::H264, 102)]
        );
    }

    #[test]
    fn codecs_we_cannot_run_are_never_chosen() {
        let contents = [fresh(ContentKind::Audio)];
        let no_g722 = [Codec::Opus, Codec::Pcmu, Codec::Pcma, Codec::Vp8];
        let medias = sdp("9 0", "98");
        let choices = for_offer(&contents, &medias, &no_g722).expect("PCMU left");
        assert_eq!(picked(&choices), [(0, Codec::Pcmu, 0)]);
        let medias = sdp("9", "98");
        assert!(matches!(
            for_offer(&contents, &medias, &no_g722),
            Err(MediaError::NoCommonCodec("audio"))
        ));
        let video = [fresh(ContentKind::Video)];
        let medias = sdp("111", "102");
        assert!(matches!(
            for_offer(&video, &medias, &no_g722),
            Err(MediaError::NoCommonCodec("video"))
        ));
    }

    #[test]
    fn a_negotiated_content_keeps_its_codec_in_a_new_offer() {
        let contents = [
            content(ContentKind::Audio, Some("a"), Some(0), Codec::Pcmu),
            fresh(ContentKind::Video),
        ];
        let medias = sdp("111 96", "98");
        let choices = for_offer(&contents, &medias, &ALL).expect("choices");
        assert_eq!(
            picked(&choices),
            [(0, Codec::Pcmu, 96), (1, Codec::Vp8, 98)]
        );
    }

    #[test]
    fn the_offerer_sends_the_answers_first_codec_it_can_run() {
        // Not negotiated yet: matched by position, our offer's order.
        let contents = [fresh(ContentKind::Audio), fresh(ContentKind::Video)];
        let medias = sdp("96 111", "102 98");
        let choices = for_answer(&contents, &medias, &ALL).expect("choices");
        assert_eq!(
            picked(&choices),
            [(0, Codec::Pcmu, 96), (1, Codec::H264, 102)]
        );
        // A rejected content (port 0) sends nothing.
        let rejected = sdp("111", "98").into_iter().map(|mut m| {
            if m.kind == "video" {
                m.port = 0;
            }
            m
        });
        let choices = for_answer(&contents, &rejected.collect::<Vec<_>>(), &ALL).expect("ok");
        assert_eq!(picked(&choices), [(0, Codec::Opus, 111)]);
    }
}
