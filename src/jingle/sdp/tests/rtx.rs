//! Retransmission (RFC 4588 RTX) through the mapping and the negotiation:
//! what Conversations offers, what webrtcbin offers and answers once its
//! video transceivers have `do-nack` on, and what reaches the peer.

use xmpp_parsers::jingle::{Content, Creator};
use xmpp_parsers::jingle_rtp::PayloadType;

use super::super::negotiate::{Capabilities, answer_contents, restrict_offer};
use super::super::sdp_to_jingle;
use super::{fixture, jingle_of, rtp};

fn video(contents: &[Content]) -> &Content {
    contents
        .iter()
        .find(|content| rtp(content).media == "video")
        .expect("a video content")
}

/// `(id, name, apt)` of each payload type.
fn summary(payload_types: &[PayloadType]) -> Vec<(u8, String, Option<String>)> {
    payload_types
        .iter()
        .map(|pt| {
            let apt = pt
                .parameters
                .iter()
                .find(|p| p.name == "apt")
                .map(|p| p.value.clone());
            (pt.id, pt.name.clone().unwrap_or_default(), apt)
        })
        .collect()
}

#[test]
fn webrtcbins_rtx_offer_becomes_an_rtx_payload_type_with_its_apt() {
    let offer = sdp_to_jingle(fixture::WEBRTCBIN_RTX_OFFER, Creator::Initiator).expect("maps");
    let video = rtp(video(&offer.contents));
    assert_eq!(
        summary(&video.payload_types),
        [
            (98, "VP8".to_owned(), None),
            (102, "H264".to_owned(), None),
            (96, "rtx".to_owned(), Some("98".to_owned())),
        ]
    );
    let rtx = &video.payload_types[2];
    assert_eq!(rtx.clockrate, Some(90000));
    assert_eq!(rtx.parameters.len(), 1);
    assert!(rtx.rtcp_fbs.is_empty());
}

#[test]
fn webrtcbins_rtx_answer_keeps_rtx_but_not_its_placeholder_source_group() {
    let answer = sdp_to_jingle(fixture::WEBRTCBIN_RTX_ANSWER, Creator::Responder).expect("maps");
    let video = rtp(video(&answer.contents));
    assert_eq!(
        summary(&video.payload_types),
        [
            (100, "VP8".to_owned(), None),
            (97, "rtx".to_owned(), Some("100".to_owned())),
        ]
    );
    // `a=ssrc-group:FID 0 1621195362`: the media source is not known yet,
    // and the only `a=ssrc` is the RTX one, which must not pass for the
    // primary stream.
    assert!(
        fixture::WEBRTCBIN_RTX_ANSWER.contains("a=ssrc-group:FID 0 1621195362\r\n"),
        "the fixture shows the placeholder"
    );
    assert!(video.ssrc_groups.is_empty(), "{:?}", video.ssrc_groups);
    assert!(video.ssrcs.is_empty(), "{:?}", video.ssrcs);
    assert_eq!(video.ssrc, None);
}

#[test]
fn known_source_groups_still_pass() {
    let sdp = fixture::WEBRTCBIN_RTX_ANSWER.replace(
        "a=ssrc-group:FID 0 1621195362",
        "a=ssrc-group:FID 1621195361 1621195362\r\na=ssrc:1621195361 cname:x",
    );
    let answer = sdp_to_jingle(&sdp, Creator::Responder).expect("maps");
    let video = rtp(video(&answer.contents));
    assert_eq!(video.ssrc_groups.len(), 1);
    let ids: Vec<u32> = video.ssrcs.iter().map(|s| s.id).collect();
    assert_eq!(ids, [1621195361, 1621195362]);
    assert_eq!(video.ssrc, Some(1621195361));
}

#[test]
fn conversations_rtx_is_dropped_unless_retransmission_is_on() {
    let offer = jingle_of(fixture::CONVERSATIONS_INITIATE);
    let without =
        restrict_offer(&offer.contents, None, &Capabilities::baseline()).expect("restricts");
    assert_eq!(
        summary(&rtp(video(&without.contents)).payload_types),
        [(96, "VP8".to_owned(), None)]
    );

    let mut capabilities = Capabilities::baseline();
    capabilities.retransmission = true;
    let with = restrict_offer(&offer.contents, None, &capabilities).expect("restricts");
    let video = rtp(video(&with.contents));
    // The RTX of VP8 only: H.264 (and its RTX, apt=127) is not ours here.
    assert_eq!(
        summary(&video.payload_types),
        [
            (96, "VP8".to_owned(), None),
            (97, "rtx".to_owned(), Some("96".to_owned())),
        ]
    );
    let rtx = &video.payload_types[1];
    assert_eq!(rtx.parameters.len(), 1, "only apt: {:?}", rtx.parameters);
    assert!(rtx.rtcp_fbs.is_empty());
}

#[test]
fn rtx_for_a_codec_not_kept_or_with_a_bad_apt_is_dropped() {
    let mut capabilities = Capabilities::baseline();
    capabilities.retransmission = true;
    let xml = fixture::CONVERSATIONS_INITIATE.replace(
        "<parameter name='apt' value='96'/>",
        "<parameter name='apt' value='x96'/>",
    );
    let offer = jingle_of(&xml);
    let restricted = restrict_offer(&offer.contents, None, &capabilities).expect("restricts");
    assert_eq!(
        summary(&rtp(video(&restricted.contents)).payload_types),
        [(96, "VP8".to_owned(), None)]
    );
}

#[test]
fn the_session_accept_to_conversations_carries_vp8s_rtx() {
    let offer = jingle_of(fixture::CONVERSATIONS_INITIATE);
    let mut capabilities = Capabilities::baseline();
    capabilities.retransmission = true;
    let restricted = restrict_offer(&offer.contents, None, &capabilities).expect("restricts");
    // The answer fixture as webrtcbin writes it with do-nack on: the
    // offer's RTX number for the chosen codec (see WEBRTCBIN_RTX_ANSWER).
    let engine_answer = fixture::WEBRTCBIN_ANSWER
        .replace(
            "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n",
        )
        .replace(
            "a=rtcp-fb:96 goog-remb\r\n",
            "a=rtcp-fb:96 goog-remb\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n",
        );
    assert_ne!(engine_answer, fixture::WEBRTCBIN_ANSWER);
    let local = sdp_to_jingle(&engine_answer, Creator::Responder).expect("maps");
    let accept = answer_contents(&restricted.contents, &local, &capabilities).expect("answers");
    assert_eq!(
        summary(&rtp(video(&accept)).payload_types),
        [
            (96, "VP8".to_owned(), None),
            (97, "rtx".to_owned(), Some("96".to_owned())),
        ]
    );
    let audio = rtp(&accept[0]);
    assert!(
        audio
            .payload_types
            .iter()
            .all(|pt| pt.name.as_deref() != Some("rtx"))
    );
}
