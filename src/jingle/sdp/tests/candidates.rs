//! Trickled candidates: Jingle ICE-UDP `<candidate>` ⇄ SDP `candidate:`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use xmpp_parsers::jingle_ice_udp::{Candidate, Type as CandidateType};

use super::super::{IceUdpParts, SdpError, candidate_from_sdp, candidate_to_sdp};
use super::{fixture, ice, jingle_of};

#[test]
fn webrtcbin_host_candidate_becomes_a_jingle_candidate() {
    let candidate =
        candidate_from_sdp("candidate:1 1 UDP 2015363327 192.168.1.5 43210 typ host").expect("ok");
    assert_eq!(candidate.foundation, "1");
    assert_eq!(candidate.component, 1);
    assert_eq!(
        candidate.protocol, "udp",
        "Jingle spells the protocol in lower case"
    );
    assert_eq!(candidate.priority, 2015363327);
    assert_eq!(candidate.ip, IpAddr::V4(Ipv4Addr::new(192, 168, 1, 5)));
    assert_eq!(candidate.port, 43210);
    assert_eq!(candidate.type_, CandidateType::Host);
    assert_eq!(candidate.generation, 0);
    assert_eq!((candidate.rel_addr, candidate.rel_port), (None, None));
    assert_eq!(candidate.network, None);
    assert_eq!(candidate.id.len(), 16);
}

#[test]
fn server_reflexive_candidate_keeps_related_address_and_extensions() {
    let candidate = candidate_from_sdp(
        "a=candidate:842163049 1 udp 1677729535 203.0.113.9 61510 typ srflx raddr 10.0.0.4 \
         rport 61510 generation 2 ufrag EsAw network-id 3 network-cost 10",
    )
    .expect("ok");
    assert_eq!(candidate.type_, CandidateType::Srflx);
    assert_eq!(
        candidate.rel_addr,
        Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 4)))
    );
    assert_eq!(candidate.rel_port, Some(61510));
    assert_eq!(candidate.generation, 2);
    assert_eq!(candidate.network, Some(3));
    assert_eq!(
        candidate_to_sdp(&candidate),
        "candidate:842163049 1 udp 1677729535 203.0.113.9 61510 typ srflx raddr 10.0.0.4 \
         rport 61510 generation 2 network-id 3"
    );
}

#[test]
fn relay_candidate_over_ipv6() {
    let candidate = candidate_from_sdp(
        "candidate:4 1 udp 16777215 2001:db8::7 3478 typ relay raddr :: rport 0",
    )
    .expect("ok");
    assert_eq!(candidate.type_, CandidateType::Relay);
    assert_eq!(
        candidate.ip,
        IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 7))
    );
    assert_eq!(candidate.rel_addr, Some(IpAddr::V6(Ipv6Addr::UNSPECIFIED)));
}

#[test]
fn ids_are_stable_and_distinct() {
    let text = "candidate:1 1 UDP 2015363327 192.168.1.5 43210 typ host";
    let first = candidate_from_sdp(text).expect("ok");
    let again = candidate_from_sdp(text).expect("ok");
    let other =
        candidate_from_sdp("candidate:1 1 UDP 2015363327 192.168.1.5 43211 typ host").expect("ok");
    assert_eq!(first.id, again.id);
    assert_ne!(first.id, other.id);
}

#[test]
fn every_fixture_candidate_round_trips() {
    let mut candidates: Vec<Candidate> = Vec::new();
    for xml in [
        fixture::DINO_INITIATE,
        fixture::CONVERSATIONS_TRANSPORT_INFO,
    ] {
        for content in jingle_of(xml).contents {
            candidates.extend(ice(&content).candidates);
        }
    }
    assert_eq!(candidates.len(), 5);
    for candidate in candidates {
        let mut back = candidate_from_sdp(&candidate_to_sdp(&candidate)).expect("parses");
        back.id = candidate.id.clone();
        assert_eq!(back, candidate);
    }
}

#[test]
fn end_of_candidates_and_tcp_are_told_apart() {
    assert_eq!(candidate_from_sdp(""), Err(SdpError::EndOfCandidates));
    assert_eq!(candidate_from_sdp("  "), Err(SdpError::EndOfCandidates));
    assert_eq!(
        candidate_from_sdp("candidate:5 1 TCP 1518280447 192.168.1.5 9 typ host tcptype active"),
        Err(SdpError::UnsupportedCandidateProtocol("tcp".to_owned()))
    );
}

#[test]
fn malformed_candidates_are_refused() {
    for (text, reason) in [
        (
            "1 1 udp 1 192.168.1.5 1 typ host",
            "it must start with candidate:",
        ),
        (
            "candidate:1 1 udp 1 192.168.1.5 1 typ",
            "it needs at least eight fields",
        ),
        (
            "candidate:1 1 udp 1 192.168.1.5 1 type host",
            "the seventh field must be typ",
        ),
        (
            "candidate:1 1 udp 1 4b1c7f5e.local 1 typ host",
            "the address must be an IP address (not a host name)",
        ),
        (
            "candidate:1 1 udp 1 192.168.1.5 70000 typ host",
            "the port must be a number below 65536",
        ),
        (
            "candidate:1 300 udp 1 192.168.1.5 1 typ host",
            "the component must be a number below 256",
        ),
        (
            "candidate:1 1 udp -1 192.168.1.5 1 typ host",
            "the priority must be a 32-bit number",
        ),
        (
            "candidate:1 1 udp 1 192.168.1.5 1 typ bogus",
            "unknown candidate type",
        ),
        (
            "candidate:1 1 udp 1 192.168.1.5 1 typ host generation",
            "an extension needs a name and a value",
        ),
        (
            "candidate:1 1 udp 1 192.168.1.5 1 typ srflx raddr x rport 1",
            "raddr must be an IP address",
        ),
        (
            "candidate:1 1 udp 1 192.168.1.5 1 typ host generation 900",
            "generation must be below 256",
        ),
    ] {
        match candidate_from_sdp(text) {
            Err(SdpError::InvalidCandidate { reason: found, .. }) => {
                assert_eq!(found, reason, "for {text}");
            }
            other => panic!("{text}: expected an invalid candidate, got {other:?}"),
        }
    }
}

#[test]
fn transport_parts_round_trip_for_transport_info() {
    let candidate =
        candidate_from_sdp("candidate:1 1 UDP 2015363327 192.168.1.5 43210 typ host").expect("ok");
    let parts = IceUdpParts {
        ufrag: Some("nL5y".to_owned()),
        pwd: Some("Cw9QeP2tZk6Lx0HrNb4JyD8a".to_owned()),
        candidates: vec![candidate],
        fingerprint: None,
    };
    let transport = parts.clone().into_transport().expect("builds");
    assert_eq!(IceUdpParts::from_transport(&transport), Ok(parts));
}
