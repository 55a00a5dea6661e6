//! Golden tests: real clients' stanzas ⇄ the exact SDP the media engine
//! gets or gives.

use xmpp_parsers::hashes::Algo;
use xmpp_parsers::jingle::{Content, ContentId, Creator, Senders};
use xmpp_parsers::jingle_dtls_srtp::Setup;
use xmpp_parsers::jingle_grouping::Semantics as GroupSemantics;
use xmpp_parsers::jingle_ice_udp::Type as CandidateType;
use xmpp_parsers::jingle_rtcp_fb::RtcpFb;
use xmpp_parsers::jingle_rtp::Description as RtpDescription;
use xmpp_parsers::jingle_ssma::Parameter as SourceParameter;

use super::super::negotiate::offer_contents;
use super::super::{Origin, SessionDescription, candidate_to_sdp, jingle_to_sdp, sdp_to_jingle};
use super::{fixture, ice, jingle_of, lf, rtp};

fn initiator_sdp(xml: &str) -> String {
    let jingle = jingle_of(xml);
    jingle_to_sdp(
        &jingle.contents,
        jingle.group.as_ref(),
        Creator::Initiator,
        Origin::default(),
    )
    .expect("the offer maps to SDP")
    .to_string()
}

/// Contents as they come back from SDP: candidate ids are derived, and a
/// description's bare `ssrc` only survives as the first source.
fn comparable(mut contents: Vec<Content>) -> Vec<Content> {
    for content in &mut contents {
        let mut parts = ice(content);
        for candidate in &mut parts.candidates {
            candidate.id.clear();
        }
        content.transport = Some(parts.into_transport().expect("rebuilds").into());
        if let Some(xmpp_parsers::jingle::Description::Rtp(rtp)) = &mut content.description {
            rtp.ssrc = rtp.ssrcs.first().map(|source| source.id);
        }
    }
    contents
}

#[test]
fn dino_session_initiate_gives_the_exact_remote_sdp() {
    assert_eq!(
        lf(&initiator_sdp(fixture::DINO_INITIATE)),
        lf(fixture::DINO_INITIATE_SDP)
    );
}

#[test]
fn conversations_session_initiate_gives_the_exact_remote_sdp() {
    assert_eq!(
        lf(&initiator_sdp(fixture::CONVERSATIONS_INITIATE)),
        lf(fixture::CONVERSATIONS_INITIATE_SDP)
    );
}

#[test]
fn written_sdp_uses_crlf_line_ends() {
    let sdp = initiator_sdp(fixture::DINO_INITIATE);
    assert!(sdp.ends_with("\r\n"));
    assert_eq!(sdp.matches('\n').count(), sdp.matches("\r\n").count());
}

#[test]
fn dino_sdp_round_trips_through_jingle() {
    let back = sdp_to_jingle(fixture::DINO_INITIATE_SDP, Creator::Initiator).expect("maps");
    assert_eq!(back.group, None);
    let again = jingle_to_sdp(&back.contents, None, Creator::Initiator, Origin::default())
        .expect("maps back");
    assert_eq!(lf(&again.to_string()), lf(fixture::DINO_INITIATE_SDP));

    let original = jingle_of(fixture::DINO_INITIATE).contents;
    assert_eq!(comparable(back.contents), comparable(original));
}

#[test]
fn conversations_sdp_round_trips_through_jingle() {
    let back =
        sdp_to_jingle(fixture::CONVERSATIONS_INITIATE_SDP, Creator::Initiator).expect("maps");
    let group = back.group.clone().expect("the BUNDLE group survives");
    assert_eq!(group.semantics, GroupSemantics::Bundle);
    let again = jingle_to_sdp(
        &back.contents,
        Some(&group),
        Creator::Initiator,
        Origin::default(),
    )
    .expect("maps back");
    assert_eq!(
        lf(&again.to_string()),
        lf(fixture::CONVERSATIONS_INITIATE_SDP)
    );

    let original = jingle_of(fixture::CONVERSATIONS_INITIATE);
    assert_eq!(Some(group), original.group);
    assert_eq!(comparable(back.contents), comparable(original.contents));
}

#[test]
fn conversations_trickled_candidate_becomes_a_webrtcbin_candidate() {
    let jingle = jingle_of(fixture::CONVERSATIONS_TRANSPORT_INFO);
    let content = jingle.contents.first().expect("one content");
    let parts = ice(content);
    let candidate = parts.candidates.first().expect("one candidate");
    assert_eq!(
        candidate_to_sdp(candidate),
        "candidate:3389426215 1 udp 1686052607 198.51.100.23 47251 typ srflx \
         raddr 10.0.2.15 rport 47251 generation 0 network-id 1"
    );
    let remote = SessionDescription::parse(fixture::CONVERSATIONS_INITIATE_SDP).expect("parses");
    assert_eq!(remote.mline_index_of(&content.name.0), Some(0));
    assert_eq!(remote.mid_of(1), Some("1"));
    assert_eq!(remote.mline_index_of("2"), None);
}

#[test]
fn webrtcbin_offer_becomes_jingle_contents() {
    let offer = sdp_to_jingle(fixture::WEBRTCBIN_OFFER, Creator::Initiator).expect("maps");
    assert_eq!(offer.group, None);
    assert!(offer.rejected.is_empty());
    let [audio, video] = offer.contents.as_slice() else {
        panic!("two contents expected, got {:?}", offer.contents);
    };
    let fingerprint: Vec<u8> = "3F:9C:05:D1:72:E8:4B:A6:19:0D:C3:5E:88:F2:6A:B4:07:91:2C:DE:5B:40:A7:13:E6:8F:34:C9:0A:7D:B1:52"
        .split(':')
        .map(|byte| u8::from_str_radix(byte, 16).expect("hex"))
        .collect();

    assert_eq!(audio.name, ContentId("audio0".to_owned()));
    assert_eq!(audio.creator, Creator::Initiator);
    assert_eq!(audio.senders, Senders::Both);
    let audio_rtp: &RtpDescription = rtp(audio);
    assert_eq!(audio_rtp.media, "audio");
    assert!(audio_rtp.rtcp_mux);
    let ids: Vec<u8> = audio_rtp.payload_types.iter().map(|pt| pt.id).collect();
    assert_eq!(ids, [111, 9, 0, 8]);
    let opus = &audio_rtp.payload_types[0];
    assert_eq!(opus.name.as_deref(), Some("OPUS"));
    assert_eq!(opus.clockrate, Some(48000));
    assert_eq!(opus.channels.0, 2);
    let parameters: Vec<(&str, &str)> = opus
        .parameters
        .iter()
        .map(|parameter| (parameter.name.as_str(), parameter.value.as_str()))
        .collect();
    assert_eq!(
        parameters,
        [
            ("sprop-maxcapturerate", "48000"),
            ("sprop-stereo", "0"),
            ("useinbandfec", "1")
        ]
    );
    assert_eq!(
        opus.rtcp_fbs,
        [RtcpFb {
            type_: "transport-cc".to_owned(),
            subtype: None
        }]
    );
    let g722 = &audio_rtp.payload_types[1];
    assert_eq!(
        (g722.name.as_deref(), g722.clockrate, g722.channels.0),
        (Some("G722"), Some(8000), 1)
    );
    assert_eq!(audio_rtp.hdrexts.len(), 1);
    assert_eq!(audio_rtp.hdrexts[0].id, 1);
    assert_eq!(
        audio_rtp.hdrexts[0].uri,
        "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
    );
    assert_eq!(audio_rtp.ssrc, Some(1702453911));
    assert_eq!(audio_rtp.ssrcs.len(), 1);
    assert_eq!(
        audio_rtp.ssrcs[0].parameters,
        [
            SourceParameter {
                name: "msid".to_owned(),
                value: Some("user2953405713@host-5e2c8a1f webrtctransceiver0".to_owned())
            },
            SourceParameter {
                name: "cname".to_owned(),
                value: Some("user2953405713@host-5e2c8a1f".to_owned())
            },
        ]
    );
    let audio_ice = ice(audio);
    assert_eq!(
        audio_ice.ufrag.as_deref(),
        Some("Hd8bq2nnhTtV2fuT1pTRmIDhZHk5b5sD")
    );
    assert_eq!(
        audio_ice.pwd.as_deref(),
        Some("ygUb8Pz3blnFe9T4qXnA4tcCmBpiS9k1")
    );
    assert!(audio_ice.candidates.is_empty());
    let audio_fingerprint = audio_ice.fingerprint.expect("fingerprint");
    assert_eq!(audio_fingerprint.hash, Algo::Sha_256);
    assert_eq!(audio_fingerprint.setup, Setup::Actpass);
    assert_eq!(audio_fingerprint.value, fingerprint);

    assert_eq!(video.name, ContentId("video1".to_owned()));
    let video_rtp = rtp(video);
    assert_eq!(video_rtp.media, "video");
    let [vp8] = video_rtp.payload_types.as_slice() else {
        panic!("one video payload type expected");
    };
    assert_eq!(
        (vp8.id, vp8.name.as_deref(), vp8.clockrate),
        (96, Some("VP8"), Some(90000))
    );
    let feedback: Vec<(&str, Option<&str>)> = vp8
        .rtcp_fbs
        .iter()
        .map(|fb| (fb.type_.as_str(), fb.subtype.as_deref()))
        .collect();
    assert_eq!(
        feedback,
        [
            ("nack", None),
            ("nack", Some("pli")),
            ("ccm", Some("fir")),
            ("goog-remb", None)
        ]
    );
    let video_ice = ice(video);
    assert_eq!(
        video_ice.ufrag.as_deref(),
        Some("q3CzJ6Hw5pX0Kc9TbEoLfYvRa1sGnM2d")
    );
    assert_ne!(
        video_ice.ufrag, audio_ice.ufrag,
        "one ICE transport per content"
    );
    assert_eq!(video_ice.fingerprint.map(|f| f.value), Some(fingerprint));
}

#[test]
fn webrtcbin_offer_passes_the_offer_checks() {
    let offer = offer_contents(fixture::WEBRTCBIN_OFFER, Creator::Initiator).expect("valid offer");
    assert_eq!(offer.contents.len(), 2);
    assert_eq!(offer.group, None);
}

#[test]
fn webrtcbin_offer_round_trips_through_our_sdp() {
    let first = sdp_to_jingle(fixture::WEBRTCBIN_OFFER, Creator::Initiator).expect("maps");
    let written = jingle_to_sdp(&first.contents, None, Creator::Initiator, Origin::default())
        .expect("maps back")
        .to_string();
    let second = sdp_to_jingle(&written, Creator::Initiator).expect("maps again");
    assert_eq!(second, first);
}

#[test]
fn jingle_xml_of_the_webrtcbin_offer_parses_back() {
    let offer = sdp_to_jingle(fixture::WEBRTCBIN_OFFER, Creator::Initiator).expect("maps");
    for content in offer.contents {
        let element = xmpp_parsers::minidom::Element::from(content.clone());
        let parsed = Content::try_from(element).expect("valid Jingle content");
        assert_eq!(parsed, content);
    }
}

#[test]
fn candidate_types_survive_the_round_trip() {
    let contents = jingle_of(fixture::DINO_INITIATE).contents;
    let parts = ice(&contents[0]);
    let types: Vec<CandidateType> = parts.candidates.iter().map(|c| c.type_.clone()).collect();
    assert_eq!(
        types,
        [
            CandidateType::Host,
            CandidateType::Host,
            CandidateType::Srflx
        ]
    );
}

#[test]
fn live_dino_session_initiate_gives_the_sdp_a_live_call_used() {
    let sdp = initiator_sdp(fixture::DINO_LIVE_INITIATE);
    assert_eq!(lf(&sdp), lf(fixture::DINO_LIVE_INITIATE_SDP));
    // Dino also offers SDES keys; the call is keyed by DTLS alone.
    assert!(fixture::DINO_LIVE_INITIATE.contains("<crypto "));
    assert!(!sdp.contains("crypto"), "{sdp}");
}

#[test]
fn live_dino_session_accept_gives_the_sdp_a_live_call_used() {
    let jingle = jingle_of(fixture::DINO_LIVE_ACCEPT);
    let sdp = jingle_to_sdp(
        &jingle.contents,
        jingle.group.as_ref(),
        Creator::Responder,
        Origin::default(),
    )
    .expect("the answer maps to SDP")
    .to_string();
    assert_eq!(lf(&sdp), lf(fixture::DINO_LIVE_ACCEPT_SDP));
}
