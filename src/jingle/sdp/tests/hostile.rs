//! Hostile input: every malformed SDP text or Jingle content gives a typed
//! error, and nothing panics.

use xmpp_parsers::jingle::{Content, ContentId, Creator, Description, Transport};
use xmpp_parsers::jingle_ibb::Transport as IbbTransport;
use xmpp_parsers::jingle_rtp::{Description as RtpDescription, PayloadType};
use xmpp_parsers::minidom::Element;

use super::super::{
    Origin, SdpError, candidate_from_sdp, check_fingerprint_text, jingle_to_sdp, sdp_to_jingle,
};
use super::{fixture, jingle_of};

const HEAD: &str = "v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";

/// A valid one-section SDP with `extra` lines added to the section.
fn section(extra: &str) -> String {
    format!(
        "{HEAD}m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:a\r\na=rtpmap:111 opus/48000/2\r\n\
         a=ice-ufrag:u\r\na=ice-pwd:p\r\n{extra}"
    )
}

fn syntax_line(result: Result<impl std::fmt::Debug, SdpError>) -> usize {
    match result {
        Err(SdpError::Syntax { line, .. }) => line,
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

fn invalid_attribute(result: Result<impl std::fmt::Debug, SdpError>) -> &'static str {
    match result {
        Err(SdpError::InvalidAttribute { attribute, .. }) => attribute,
        other => panic!("expected an invalid attribute, got {other:?}"),
    }
}

#[test]
fn broken_sdp_text_gives_syntax_errors() {
    assert_eq!(sdp_to_jingle("", Creator::Initiator), Err(SdpError::Empty));
    assert_eq!(
        sdp_to_jingle("\r\n\r\n", Creator::Initiator),
        Err(SdpError::Empty)
    );
    assert_eq!(syntax_line(sdp_to_jingle("hello", Creator::Initiator)), 1);
    assert_eq!(syntax_line(sdp_to_jingle("v=1\r\n", Creator::Initiator)), 1);
    assert_eq!(
        syntax_line(sdp_to_jingle("v=0\r\ns=-\r\n", Creator::Initiator)),
        1
    );
    let bad_version = "v=0\r\no=- 1 x IN IP4 0.0.0.0\r\n";
    assert_eq!(
        syntax_line(sdp_to_jingle(bad_version, Creator::Initiator)),
        2
    );
    assert_eq!(
        syntax_line(sdp_to_jingle("v=0\r\no=- 1\r\n", Creator::Initiator)),
        2
    );
    for media in [
        "m=audio",
        "m=audio 9",
        "m=audio abc UDP 0",
        "m=audio 70000 UDP 0",
    ] {
        let text = format!("{HEAD}{media}\r\n");
        assert_eq!(
            syntax_line(sdp_to_jingle(&text, Creator::Initiator)),
            5,
            "{media}"
        );
    }
    for line in ["x", "=x", "é=x", "AB=c", "a:mid"] {
        let text = format!("{HEAD}{line}\r\n");
        assert_eq!(
            syntax_line(sdp_to_jingle(&text, Creator::Initiator)),
            5,
            "{line}"
        );
    }
}

#[test]
fn broken_media_sections_name_the_attribute() {
    let no_mid = format!("{HEAD}m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n");
    assert_eq!(
        sdp_to_jingle(&no_mid, Creator::Initiator),
        Err(SdpError::MissingAttribute {
            content: "0".to_owned(),
            attribute: "mid"
        })
    );
    let twice = format!(
        "{}m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:a\r\n",
        section("")
    );
    assert_eq!(
        sdp_to_jingle(&twice, Creator::Initiator),
        Err(SdpError::DuplicateContent {
            content: "a".to_owned()
        })
    );
    let unmapped = format!("{HEAD}m=audio 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:a\r\n");
    assert_eq!(
        sdp_to_jingle(&unmapped, Creator::Initiator),
        Err(SdpError::MissingClockRate {
            content: "a".to_owned(),
            payload_type: 96
        })
    );
    for (format, attribute) in [("abc", "m"), ("300", "m")] {
        let text = format!("{HEAD}m=audio 9 UDP/TLS/RTP/SAVPF {format}\r\na=mid:a\r\n");
        assert_eq!(
            invalid_attribute(sdp_to_jingle(&text, Creator::Initiator)),
            attribute
        );
    }
    let fingerprint = "a=fingerprint:sha-256 AB:CD\r\n";
    assert_eq!(
        sdp_to_jingle(&section(fingerprint), Creator::Initiator),
        Err(SdpError::MissingAttribute {
            content: "a".to_owned(),
            attribute: "setup"
        })
    );
    for (extra, attribute) in [
        (
            "a=setup:holdconn\r\na=fingerprint:sha-256 AB:CD\r\n",
            "setup",
        ),
        (
            "a=setup:active\r\na=fingerprint:sha-256 ZZ:11\r\n",
            "fingerprint",
        ),
        ("a=setup:active\r\na=fingerprint:sha-256\r\n", "fingerprint"),
        (
            "a=extmap:x urn:ietf:params:rtp-hdrext:toffset\r\n",
            "extmap",
        ),
        ("a=extmap:1\r\n", "extmap"),
        (
            "a=extmap:1/inactive urn:ietf:params:rtp-hdrext:toffset\r\n",
            "extmap",
        ),
        ("a=ssrc:abc cname:x\r\n", "ssrc"),
        ("a=ssrc-group:FID 1 x\r\n", "ssrc-group"),
        ("a=rtcp-fb:111\r\n", "rtcp-fb"),
        ("a=rtcp-fb:111 \r\n", "rtcp-fb"),
        ("a=ptime:abc\r\n", "ptime"),
        ("a=maxptime:-1\r\n", "maxptime"),
    ] {
        assert_eq!(
            invalid_attribute(sdp_to_jingle(&section(extra), Creator::Initiator)),
            attribute,
            "{extra}"
        );
    }
    for rtpmap in [
        "111 opus",
        "111 /48000",
        "111 opus/fast",
        "111 opus/48000/x",
    ] {
        let text = section("").replace("111 opus/48000/2", rtpmap);
        assert_eq!(
            invalid_attribute(sdp_to_jingle(&text, Creator::Initiator)),
            "rtpmap",
            "{rtpmap}"
        );
    }
    let candidate = section("a=candidate:1 1 udp 1 not-an-address 9 typ host\r\n");
    assert!(matches!(
        sdp_to_jingle(&candidate, Creator::Initiator),
        Err(SdpError::InvalidCandidate { .. })
    ));
}

#[test]
fn odd_but_valid_sections_are_handled() {
    let rejected = format!(
        "{}m=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:v\r\n",
        section("")
    );
    let contents = sdp_to_jingle(&rejected, Creator::Initiator).expect("maps");
    assert_eq!(contents.contents.len(), 1);
    assert_eq!(contents.rejected, [ContentId("v".to_owned())]);

    let data = format!(
        "{}m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:d\r\n",
        section("")
    );
    assert_eq!(
        sdp_to_jingle(&data, Creator::Initiator)
            .expect("maps")
            .contents
            .len(),
        1
    );

    let tcp = section("a=candidate:5 1 TCP 1518280447 192.168.1.5 9 typ host tcptype active\r\n");
    let contents = sdp_to_jingle(&tcp, Creator::Initiator).expect("maps");
    assert!(super::ice(&contents.contents[0]).candidates.is_empty());
}

fn rtp_content(name: &str) -> Content {
    let mut rtp = RtpDescription::new("audio".to_owned());
    rtp.payload_types
        .push(PayloadType::new(111, "opus".to_owned(), 48000, 2));
    Content::new(Creator::Initiator, ContentId(name.to_owned()))
        .with_description(rtp)
        .with_transport(xmpp_parsers::jingle_ice_udp::Transport::new())
}

fn jingle_error(contents: &[Content]) -> SdpError {
    match jingle_to_sdp(contents, None, Creator::Initiator, Origin::default()) {
        Err(error) => error,
        Ok(sdp) => panic!("expected an error, got {sdp}"),
    }
}

#[test]
fn broken_jingle_contents_give_typed_errors() {
    let content = || "a".to_owned();
    assert!(
        jingle_to_sdp(
            &[rtp_content("a")],
            None,
            Creator::Initiator,
            Origin::default()
        )
        .is_ok()
    );

    let mut no_description = rtp_content("a");
    no_description.description = None;
    assert_eq!(
        jingle_error(&[no_description]),
        SdpError::MissingDescription { content: content() }
    );

    let mut no_transport = rtp_content("a");
    no_transport.transport = None;
    assert_eq!(
        jingle_error(&[no_transport]),
        SdpError::MissingTransport { content: content() }
    );

    let mut file_transfer = rtp_content("a");
    file_transfer.description = Some(Description::Unknown(
        Element::builder("description", "urn:xmpp:jingle:apps:file-transfer:5").build(),
    ));
    assert_eq!(
        jingle_error(&[file_transfer]),
        SdpError::UnsupportedApplication { content: content() }
    );

    let mut ibb = rtp_content("a");
    ibb.transport = Some(Transport::Ibb(IbbTransport {
        block_size: 4096,
        sid: "s".parse().expect("a stream id"),
        stanza: Default::default(),
    }));
    assert_eq!(
        jingle_error(&[ibb]),
        SdpError::UnsupportedTransport { content: content() }
    );

    let mut no_clock_rate = rtp_content("a");
    if let Some(Description::Rtp(rtp)) = &mut no_clock_rate.description {
        rtp.payload_types[0].clockrate = None;
    }
    assert_eq!(
        jingle_error(&[no_clock_rate]),
        SdpError::MissingClockRate {
            content: content(),
            payload_type: 111
        }
    );

    assert_eq!(
        jingle_error(&[rtp_content("a"), rtp_content("a")]),
        SdpError::DuplicateContent { content: content() }
    );
}

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        // The high bits are the well-mixed ones.
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

#[test]
fn truncated_and_mangled_sdp_never_panics() {
    let junk = [
        " ",
        ":",
        "/",
        "=",
        "\r\n",
        "a=",
        "m=audio ",
        "é",
        "999999999999",
        "\0",
        "*",
    ];
    for text in [
        fixture::DINO_INITIATE_SDP,
        fixture::CONVERSATIONS_INITIATE_SDP,
        fixture::WEBRTCBIN_OFFER,
        fixture::WEBRTCBIN_ANSWER,
    ] {
        for (cut, _) in text.char_indices() {
            let _ = sdp_to_jingle(&text[..cut], Creator::Responder);
        }
        let mut random = Lcg(text.len() as u64);
        for _ in 0..1000 {
            let mut mangled = text.to_owned();
            for _ in 0..1 + random.next(4) {
                let mut at = random.next(mangled.len());
                while !mangled.is_char_boundary(at) {
                    at -= 1;
                }
                let mut end = (at + random.next(8)).min(mangled.len());
                while !mangled.is_char_boundary(end) {
                    end -= 1;
                }
                mangled.replace_range(at..end, junk[random.next(junk.len())]);
            }
            let _ = sdp_to_jingle(&mangled, Creator::Initiator);
        }
    }
}

#[test]
fn mangled_candidates_never_panic() {
    let text = "candidate:842163049 1 udp 1677729535 203.0.113.9 61510 typ srflx raddr 10.0.0.4 \
                rport 61510 generation 2 network-id 3";
    for (cut, _) in text.char_indices() {
        let _ = candidate_from_sdp(&text[..cut]);
        let _ = candidate_from_sdp(&text[cut..]);
    }
}

#[test]
fn fixture_contents_with_parts_removed_never_panic() {
    for xml in [fixture::DINO_INITIATE, fixture::CONVERSATIONS_INITIATE] {
        let contents = jingle_of(xml).contents;
        for index in 0..contents.len() {
            let mut stripped = contents.clone();
            if let Some(Description::Rtp(rtp)) = &mut stripped[index].description {
                rtp.payload_types.clear();
            }
            let _ = jingle_to_sdp(&stripped, None, Creator::Responder, Origin::default());
        }
    }
}

fn transport_with_fingerprint(text: &str) -> Element {
    let xml = format!(
        "<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='u' pwd='p'>\
         <fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='actpass'>{text}</fingerprint>\
         </transport>"
    );
    xml.parse().expect("well-formed XML")
}

#[test]
fn malformed_fingerprint_text_is_caught_before_parsing() {
    for text in [
        "AB:C", "", " AB:CD", "AB:CD\n", "AB:CD:", "é1:AB", "AB-CD", "ABC:D", "+1:02",
    ] {
        let element = transport_with_fingerprint(text);
        assert!(
            matches!(
                check_fingerprint_text(&element),
                Err(SdpError::InvalidJingle(_))
            ),
            "{text:?} must be refused"
        );
    }
    for text in ["AB:CD", "ab:cd:0f", "00"] {
        let element = transport_with_fingerprint(text);
        assert_eq!(check_fingerprint_text(&element), Ok(()), "{text:?}");
        let transport = xmpp_parsers::jingle_ice_udp::Transport::try_from(element);
        assert!(transport.is_ok(), "{text:?} parses once checked");
    }
}

#[test]
fn fixture_stanzas_pass_the_fingerprint_check() {
    for xml in [
        fixture::DINO_INITIATE,
        fixture::CONVERSATIONS_INITIATE,
        fixture::CONVERSATIONS_ACCEPT,
    ] {
        let iq: Element = xml.parse().expect("well-formed XML");
        assert_eq!(check_fingerprint_text(&iq), Ok(()));
    }
}
