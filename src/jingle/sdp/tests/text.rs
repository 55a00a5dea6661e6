//! The SDP model's parser and writer.

use super::super::{Attribute, SessionDescription};
use super::{fixture, lf};

#[test]
fn parses_a_webrtcbin_offer() {
    let sdp = SessionDescription::parse(fixture::WEBRTCBIN_OFFER).expect("parses");
    assert_eq!(sdp.origin.session_id, "4611731400430051336");
    assert_eq!(sdp.origin.session_version, 0);
    assert_eq!(sdp.origin.address, "IN IP4 0.0.0.0");
    assert_eq!(sdp.attributes, [Attribute::value("ice-options", "trickle")]);
    assert_eq!(sdp.media.len(), 2);
    let audio = &sdp.media[0];
    assert_eq!(audio.kind, "audio");
    assert_eq!(audio.port, 9);
    assert_eq!(audio.protocol, "UDP/TLS/RTP/SAVPF");
    assert_eq!(audio.formats, ["111", "9", "0", "8"]);
    assert_eq!(audio.connection.as_deref(), Some("IN IP4 0.0.0.0"));
    assert!(audio.has_attribute("rtcp-mux"));
    assert_eq!(audio.attribute("rtcp-mux"), Some(""));
    assert_eq!(
        audio
            .attribute("fingerprint")
            .map(|value| value.split(' ').next()),
        Some(Some("sha-256")),
        "only the first colon separates name and value"
    );
    assert_eq!(audio.attributes_named("rtpmap").count(), 4);
    assert_eq!(sdp.mline_index_of("video1"), Some(1));
    assert_eq!(sdp.mid_of(0), Some("audio0"));
    assert_eq!(sdp.mid_of(2), None);
}

#[test]
fn bare_line_feeds_parse_like_crlf() {
    let crlf = SessionDescription::parse(fixture::WEBRTCBIN_OFFER).expect("parses");
    let lf_only = SessionDescription::parse(&lf(fixture::WEBRTCBIN_OFFER)).expect("parses");
    assert_eq!(crlf, lf_only);
}

#[test]
fn writer_output_parses_back_to_the_same_model() {
    let sdp = SessionDescription::parse(fixture::WEBRTCBIN_OFFER).expect("parses");
    let written = sdp.to_string();
    assert_eq!(SessionDescription::parse(&written), Ok(sdp));
    assert_eq!(
        written,
        fixture::WEBRTCBIN_OFFER,
        "webrtcbin's layout is ours too"
    );
}

#[test]
fn unmapped_lines_are_skipped() {
    let text = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=call\r\ni=info\r\nt=0 0\r\nb=AS:64\r\n\
                m=audio 9/2 RTP/AVP 0\r\nb=AS:64\r\na=mid:a\r\n";
    let sdp = SessionDescription::parse(text).expect("parses");
    assert_eq!(sdp.session_name, "call");
    assert_eq!(sdp.origin.session_version, 2);
    assert_eq!(sdp.media[0].port, 9);
    assert_eq!(sdp.media[0].attributes, [Attribute::value("mid", "a")]);
}
