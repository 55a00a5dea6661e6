//! The answering side's rules: codecs, feedback, header extensions, DTLS
//! roles and BUNDLE.

use xmpp_parsers::jingle::{Action, Content, Creator, Jingle, SessionId};
use xmpp_parsers::jingle_rtp::{Parameter, PayloadType};

use super::super::negotiate::{
    Capabilities, NegotiationError, SupportedCodec, answer_contents, check_remote_answer,
    offer_contents, restrict_offer,
};
use super::super::{Origin, jingle_to_sdp, sdp_to_jingle};
use super::{fixture, jingle_of, rtp};
use crate::jingle::codec::Codec;

fn ids(content: &Content) -> Vec<u8> {
    rtp(content).payload_types.iter().map(|pt| pt.id).collect()
}

fn parameter(name: &str, value: &str) -> Parameter {
    Parameter {
        name: name.to_owned(),
        value: value.to_owned(),
    }
}

/// The session-accept Warbler sends to the Conversations offer, with the
/// webrtcbin answer fixture standing in for the media engine.
fn accept_to_conversations() -> Jingle {
    let offer = jingle_of(fixture::CONVERSATIONS_INITIATE);
    let capabilities = Capabilities::baseline();
    let restricted =
        restrict_offer(&offer.contents, offer.group.as_ref(), &capabilities).expect("restricts");
    // What the media engine is given; checked in other tests.
    jingle_to_sdp(
        &restricted.contents,
        None,
        Creator::Initiator,
        Origin::default(),
    )
    .expect("remote description");
    let local = sdp_to_jingle(fixture::WEBRTCBIN_ANSWER, Creator::Responder).expect("maps");
    let contents = answer_contents(&restricted.contents, &local, &capabilities).expect("answers");
    let mut accept = Jingle::new(Action::SessionAccept, SessionId(offer.sid.0.clone()));
    accept.responder = "juliet@capulet.example/warbler".parse().ok();
    accept.contents = contents;
    accept
}

#[test]
fn answer_to_conversations_is_the_golden_session_accept() {
    let accept = accept_to_conversations();
    let expected = jingle_of(fixture::CONVERSATIONS_ACCEPT);
    assert_eq!(
        accept,
        expected,
        "actual XML: {}",
        String::from(&xmpp_parsers::minidom::Element::from(accept.clone()))
    );
}

#[test]
fn answer_to_conversations_is_unbundled_active_and_opus_first() {
    let accept = accept_to_conversations();
    assert_eq!(accept.group, None);
    let [audio, video] = accept.contents.as_slice() else {
        panic!("two contents expected");
    };
    assert_eq!(ids(audio), [111, 9, 0, 8]);
    assert_eq!(ids(video), [96]);
    let opus = &rtp(audio).payload_types[0];
    assert_eq!(opus.parameters, [parameter("useinbandfec", "1")]);
    assert!(opus.rtcp_fbs.is_empty(), "transport-cc is not ours");
    let uris: Vec<&str> = rtp(audio).hdrexts.iter().map(|h| h.uri.as_str()).collect();
    assert_eq!(uris, ["urn:ietf:params:rtp-hdrext:ssrc-audio-level"]);
    assert!(rtp(video).hdrexts.is_empty());
    for content in [audio, video] {
        assert!(rtp(content).rtcp_mux);
        assert_eq!(content.creator, Creator::Initiator);
        let ice = super::ice(content);
        assert_eq!(
            ice.fingerprint.map(|f| f.setup),
            Some(xmpp_parsers::jingle_dtls_srtp::Setup::Active)
        );
    }
    assert_eq!(rtp(audio).ssrc, Some(2219906713), "our own source");
}

#[test]
fn restricted_conversations_offer_gives_a_remote_sdp_without_bundle() {
    let offer = jingle_of(fixture::CONVERSATIONS_INITIATE);
    let restricted = restrict_offer(
        &offer.contents,
        offer.group.as_ref(),
        &Capabilities::baseline(),
    )
    .expect("restricts");
    assert!(restricted.rejected.is_empty());
    let sdp = jingle_to_sdp(
        &restricted.contents,
        None,
        Creator::Initiator,
        Origin::default(),
    )
    .expect("maps")
    .to_string();
    assert!(!sdp.contains("a=group"));
    assert!(sdp.contains("m=audio 9 UDP/TLS/RTP/SAVPF 111 9 0 8\r\n"));
    assert!(sdp.contains("m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"));
    // The peer's own parameters stay in its description; only feedback we
    // cannot act on is dropped.
    assert!(sdp.contains("a=fmtp:111 minptime=10;useinbandfec=1\r\n"));
    assert!(!sdp.contains("transport-cc"));
    assert!(sdp.contains("a=rtcp-fb:96 goog-remb\r\n"));
    assert!(sdp.contains("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"));
    assert!(!sdp.contains("abs-send-time"));
    // Separate transports, as offered.
    assert!(sdp.contains("a=ice-ufrag:3Hr+\r\n"));
    assert!(sdp.contains("a=ice-ufrag:8Wq/\r\n"));
}

#[test]
fn h264_and_rtx_are_kept_when_supported() {
    let offer = jingle_of(fixture::CONVERSATIONS_INITIATE);
    let mut capabilities = Capabilities::baseline().with_h264();
    capabilities.retransmission = true;
    let restricted = restrict_offer(&offer.contents, None, &capabilities).expect("restricts");
    assert_eq!(ids(&restricted.contents[1]), [96, 127, 97, 125]);
}

#[test]
fn h264_answer_echoes_profile_and_keeps_packetization_mode() {
    let codec = SupportedCodec::h264();
    let mut offered = PayloadType::new(127, "H264".to_owned(), 90000, 1);
    offered.parameters = vec![
        parameter("level-asymmetry-allowed", "1"),
        parameter("packetization-mode", "1"),
        parameter("profile-level-id", "42e01f"),
    ];
    assert!(codec.matches("video", &offered));
    assert!(!codec.matches("audio", &offered));

    let mut mode_zero = offered.clone();
    mode_zero
        .parameters
        .retain(|p| p.name != "packetization-mode");
    assert!(
        !codec.matches("video", &mode_zero),
        "mode 0 differs from ours"
    );

    let mut high = offered.clone();
    high.parameters[2] = parameter("profile-level-id", "640c1f");
    assert!(
        !codec.matches("video", &high),
        "high profile is not baseline"
    );
}

#[test]
fn dino_offer_keeps_opus_first_and_vp8() {
    let offer = jingle_of(fixture::DINO_INITIATE);
    let restricted = restrict_offer(&offer.contents, None, &Capabilities::baseline().with_h264())
        .expect("restricts");
    assert_eq!(ids(&restricted.contents[0]), [99, 9, 0, 8]);
    // Dino's H.264 is packetisation mode 0, which we do not do.
    assert_eq!(ids(&restricted.contents[1]), [98]);
    assert_eq!(
        rtp(&restricted.contents[1]).payload_types[0].rtcp_fbs.len(),
        4
    );
    assert!(rtp(&restricted.contents[1]).hdrexts.is_empty());
}

#[test]
fn our_preferred_codec_goes_first_and_the_rest_keep_the_offer_order() {
    let mut offer = jingle_of(fixture::DINO_INITIATE).contents;
    offer.truncate(1);
    if let Some(xmpp_parsers::jingle::Description::Rtp(rtp)) = &mut offer[0].description {
        rtp.payload_types.rotate_left(4); // PCMA… first, Opus after the speex types
    }
    assert_eq!(ids(&offer[0]), [9, 0, 8, 99, 100, 101, 102]);
    let restricted = restrict_offer(&offer, None, &Capabilities::baseline()).expect("restricts");
    assert_eq!(ids(&restricted.contents[0]), [99, 9, 0, 8]);
}

#[test]
fn capabilities_are_exactly_the_given_codecs_in_our_order() {
    let names = |capabilities: &Capabilities| -> Vec<String> {
        capabilities.codecs.iter().map(|c| c.name.clone()).collect()
    };
    let some = Capabilities::for_codecs(&[Codec::H264, Codec::Pcma, Codec::Opus]);
    assert_eq!(names(&some), ["opus", "PCMA", "H264"]);
    assert_eq!(
        Capabilities::for_codecs(&Codec::ALL),
        Capabilities::baseline().with_h264()
    );
    assert!(Capabilities::for_codecs(&[]).codecs.is_empty());
}

#[test]
fn codecs_that_are_not_installed_are_never_accepted() {
    let offer = jingle_of(fixture::DINO_INITIATE).contents;
    // An installation without G.722 and PCMU, nor any video codec.
    let capabilities = Capabilities::for_codecs(&[Codec::Opus, Codec::Pcma]);
    let restricted = restrict_offer(&offer, None, &capabilities).expect("audio left");
    assert_eq!(ids(&restricted.contents[0]), [99, 8]);
    assert_eq!(restricted.rejected, [offer[1].name.clone()]);
    // Only G.722 offered, and we cannot run it.
    let mut g722_only = offer[..1].to_vec();
    if let Some(xmpp_parsers::jingle::Description::Rtp(rtp)) = &mut g722_only[0].description {
        rtp.payload_types.retain(|pt| pt.id == 9);
    }
    assert_eq!(
        restrict_offer(&g722_only, None, &capabilities),
        Err(NegotiationError::NothingInCommon)
    );
    let with_g722 = Capabilities::for_codecs(&[Codec::G722]);
    let restricted = restrict_offer(&g722_only, None, &with_g722).expect("G.722 accepted");
    assert_eq!(ids(&restricted.contents[0]), [9]);
}

#[test]
fn content_without_common_codec_is_rejected() {
    let mut offer = jingle_of(fixture::DINO_INITIATE).contents;
    if let Some(xmpp_parsers::jingle::Description::Rtp(rtp)) = &mut offer[1].description {
        rtp.payload_types
            .retain(|pt| pt.name.as_deref() == Some("VP9"));
    }
    let restricted = restrict_offer(&offer, None, &Capabilities::baseline()).expect("audio left");
    assert_eq!(restricted.contents.len(), 1);
    assert_eq!(restricted.rejected, [offer[1].name.clone()]);

    offer.remove(0);
    assert_eq!(
        restrict_offer(&offer, None, &Capabilities::baseline()),
        Err(NegotiationError::NothingInCommon)
    );
}

#[test]
fn engine_answer_with_the_wrong_dtls_role_is_refused() {
    let offer = jingle_of(fixture::CONVERSATIONS_INITIATE);
    let passive = fixture::WEBRTCBIN_ANSWER.replace("a=setup:active", "a=setup:passive");
    let local = sdp_to_jingle(&passive, Creator::Responder).expect("maps");
    assert_eq!(
        answer_contents(&offer.contents, &local, &Capabilities::baseline()),
        Err(NegotiationError::UnexpectedDtlsSetup {
            content: "0".to_owned(),
            expected: "active",
            found: "passive",
        })
    );
}

#[test]
fn engine_answer_missing_a_content_is_refused() {
    let offer = jingle_of(fixture::CONVERSATIONS_INITIATE);
    let mut local = sdp_to_jingle(fixture::WEBRTCBIN_ANSWER, Creator::Responder).expect("maps");
    local.contents.pop();
    assert_eq!(
        answer_contents(&offer.contents, &local, &Capabilities::baseline()),
        Err(NegotiationError::MissingFromAnswer {
            content: "1".to_owned()
        })
    );
}

#[test]
fn engine_offer_must_be_actpass_with_sha256() {
    let active = fixture::WEBRTCBIN_OFFER.replace("a=setup:actpass", "a=setup:active");
    assert_eq!(
        offer_contents(&active, Creator::Initiator),
        Err(NegotiationError::UnexpectedDtlsSetup {
            content: "audio0".to_owned(),
            expected: "actpass",
            found: "active",
        })
    );
    let sha1 = fixture::WEBRTCBIN_OFFER.replace("fingerprint:sha-256", "fingerprint:sha-1");
    assert_eq!(
        offer_contents(&sha1, Creator::Initiator),
        Err(NegotiationError::UnsupportedFingerprintHash {
            content: "audio0".to_owned(),
            hash: "sha-1".to_owned(),
        })
    );
    let without: String = fixture::WEBRTCBIN_OFFER
        .split_inclusive("\r\n")
        .filter(|line| !line.starts_with("a=fingerprint"))
        .collect();
    assert_eq!(
        offer_contents(&without, Creator::Initiator),
        Err(NegotiationError::MissingFingerprint {
            content: "audio0".to_owned()
        })
    );
}

#[test]
fn engine_offer_drops_a_bundle_group() {
    let bundled = fixture::WEBRTCBIN_OFFER.replace(
        "a=ice-options:trickle\r\n",
        "a=group:BUNDLE audio0 video1\r\na=ice-options:trickle\r\n",
    );
    assert!(
        sdp_to_jingle(&bundled, Creator::Initiator)
            .expect("maps")
            .group
            .is_some()
    );
    let offer = offer_contents(&bundled, Creator::Initiator).expect("valid");
    assert_eq!(offer.group, None);
}

#[test]
fn remote_answer_must_pick_a_dtls_role() {
    let accept = accept_to_conversations();
    assert_eq!(check_remote_answer(&accept.contents), Ok(()));
    let offer = jingle_of(fixture::CONVERSATIONS_INITIATE);
    assert_eq!(
        check_remote_answer(&offer.contents),
        Err(NegotiationError::UnexpectedDtlsSetup {
            content: "0".to_owned(),
            expected: "active",
            found: "actpass",
        })
    );
}
