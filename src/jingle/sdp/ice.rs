//! ICE-UDP (XEP-0176) transports and candidates, and the SDP `candidate:`
//! attribute (RFC 8839) they map to.
//!
//! xmpp-parsers keeps the ICE-UDP transport's fields private and offers no
//! way to set `ufrag` and `pwd`, so [`IceUdpParts`] reads and builds the
//! transport through its XML element instead.

use std::fmt::Write as _;
use std::net::IpAddr;

use xmpp_parsers::jingle_dtls_srtp::Fingerprint;
use xmpp_parsers::jingle_ice_udp::{
    Candidate, Transport as IceUdpTransport, Type as CandidateType,
};
use xmpp_parsers::minidom::Element;
use xmpp_parsers::minidom::rxml::NcName;
use xmpp_parsers::ns;

use super::SdpError;

/// The parts of an ICE-UDP transport, with public fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IceUdpParts {
    /// The ICE username fragment.
    pub ufrag: Option<String>,
    /// The ICE password.
    pub pwd: Option<String>,
    /// The candidates known so far (more arrive by transport-info).
    pub candidates: Vec<Candidate>,
    /// The DTLS-SRTP fingerprint (XEP-0320) with its setup role.
    pub fingerprint: Option<Fingerprint>,
}

impl IceUdpParts {
    /// Reads the parts of a parsed ICE-UDP transport.
    pub fn from_transport(transport: &IceUdpTransport) -> Result<Self, SdpError> {
        let element = Element::from(transport.clone());
        let mut parts = IceUdpParts {
            ufrag: element.attr("ufrag").map(str::to_owned),
            pwd: element.attr("pwd").map(str::to_owned),
            ..Default::default()
        };
        for child in element.children() {
            if child.is("candidate", ns::JINGLE_ICE_UDP) {
                let candidate = Candidate::try_from(child.clone())
                    .map_err(|error| SdpError::InvalidJingle(error.to_string()))?;
                parts.candidates.push(candidate);
            } else if child.is("fingerprint", ns::JINGLE_DTLS) {
                let fingerprint = Fingerprint::try_from(child.clone())
                    .map_err(|error| SdpError::InvalidJingle(error.to_string()))?;
                parts.fingerprint = Some(fingerprint);
            }
        }
        Ok(parts)
    }

    /// Builds the ICE-UDP transport element, e.g. for a transport-info that
    /// trickles one candidate.
    pub fn into_transport(self) -> Result<IceUdpTransport, SdpError> {
        let mut builder = Element::builder("transport", ns::JINGLE_ICE_UDP)
            .attr(ncname("ufrag")?, self.ufrag)
            .attr(ncname("pwd")?, self.pwd);
        if let Some(fingerprint) = self.fingerprint {
            builder = builder.append(Element::from(fingerprint));
        }
        let element = builder
            .append_all(self.candidates.into_iter().map(Element::from))
            .build();
        IceUdpTransport::try_from(element)
            .map_err(|error| SdpError::InvalidJingle(error.to_string()))
    }
}

/// Reads `AB:CD:…` hex, as fingerprints are written (RFC 8122, XEP-0320).
///
/// xmpp-parsers' own decoder asserts on malformed text (a panic), so
/// Warbler reads every fingerprint that comes from outside with this one.
pub(super) fn parse_colon_hex(text: &str) -> Option<Vec<u8>> {
    text.split(':')
        .map(|pair| {
            let valid = pair.len() == 2 && pair.bytes().all(|byte| byte.is_ascii_hexdigit());
            valid.then(|| u8::from_str_radix(pair, 16).ok()).flatten()
        })
        .collect()
}

/// Checks every DTLS `<fingerprint>` in an untrusted Jingle element (a
/// whole `<jingle>`, a `<content>` or a `<transport>`) before it is parsed
/// with xmpp-parsers, whose fingerprint decoder panics on malformed text.
pub fn check_fingerprint_text(element: &Element) -> Result<(), SdpError> {
    if element.is("fingerprint", ns::JINGLE_DTLS) {
        let text = element.text();
        if parse_colon_hex(text.trim()).is_none() || text.trim() != text {
            return Err(SdpError::InvalidJingle(format!(
                "malformed fingerprint {text:?}"
            )));
        }
    }
    element.children().try_for_each(check_fingerprint_text)
}

fn ncname(name: &str) -> Result<NcName, SdpError> {
    NcName::try_from(name).map_err(|error| SdpError::InvalidJingle(error.to_string()))
}

/// Writes a Jingle candidate as the value of an SDP `candidate` attribute,
/// with its `candidate:` prefix, as webrtcbin's `add-ice-candidate` takes it.
pub fn candidate_to_sdp(candidate: &Candidate) -> String {
    let mut text = format!(
        "candidate:{} {} {} {} {} {} typ {}",
        candidate.foundation,
        candidate.component,
        candidate.protocol,
        candidate.priority,
        candidate.ip,
        candidate.port,
        candidate_type_name(&candidate.type_),
    );
    // `write!` into a String cannot fail.
    if let Some(address) = candidate.rel_addr {
        let _ = write!(text, " raddr {address}");
    }
    if let Some(port) = candidate.rel_port {
        let _ = write!(text, " rport {port}");
    }
    let _ = write!(text, " generation {}", candidate.generation);
    if let Some(network) = candidate.network {
        let _ = write!(text, " network-id {network}");
    }
    text
}

/// Reads an SDP candidate (`candidate:…`, with or without `a=`) as a Jingle
/// ICE-UDP candidate.
///
/// The Jingle `id` is derived from the candidate itself, so the same SDP
/// candidate always gets the same id. An empty string (webrtcbin's "end of
/// candidates") is [`SdpError::EndOfCandidates`]; TCP candidates are
/// [`SdpError::UnsupportedCandidateProtocol`] since ICE-UDP cannot carry them.
pub fn candidate_from_sdp(text: &str) -> Result<Candidate, SdpError> {
    let text = text.trim();
    let text = text.strip_prefix("a=").unwrap_or(text);
    if text.is_empty() {
        return Err(SdpError::EndOfCandidates);
    }
    let invalid = |reason: &'static str| SdpError::InvalidCandidate {
        reason,
        candidate: text.to_owned(),
    };
    let body = text
        .strip_prefix("candidate:")
        .ok_or_else(|| invalid("it must start with candidate:"))?;
    let fields: Vec<&str> = body.split_ascii_whitespace().collect();
    let [
        foundation,
        component,
        protocol,
        priority,
        address,
        port,
        typ,
        kind,
        extensions @ ..,
    ] = fields.as_slice()
    else {
        return Err(invalid("it needs at least eight fields"));
    };
    if *typ != "typ" {
        return Err(invalid("the seventh field must be typ"));
    }
    let protocol = protocol.to_ascii_lowercase();
    if protocol != "udp" {
        return Err(SdpError::UnsupportedCandidateProtocol(protocol));
    }
    let ip: IpAddr = address
        .parse()
        .map_err(|_| invalid("the address must be an IP address (not a host name)"))?;
    let mut candidate = Candidate {
        component: component
            .parse()
            .map_err(|_| invalid("the component must be a number below 256"))?,
        foundation: (*foundation).to_owned(),
        generation: 0,
        id: String::new(),
        ip,
        port: port
            .parse()
            .map_err(|_| invalid("the port must be a number below 65536"))?,
        priority: priority
            .parse()
            .map_err(|_| invalid("the priority must be a 32-bit number"))?,
        protocol,
        rel_addr: None,
        rel_port: None,
        network: None,
        type_: candidate_type_from_name(kind).ok_or_else(|| invalid("unknown candidate type"))?,
    };
    for pair in extensions.chunks(2) {
        let [name, value] = pair else {
            return Err(invalid("an extension needs a name and a value"));
        };
        match *name {
            "raddr" => {
                candidate.rel_addr = Some(
                    value
                        .parse()
                        .map_err(|_| invalid("raddr must be an IP address"))?,
                );
            }
            "rport" => {
                candidate.rel_port = Some(
                    value
                        .parse()
                        .map_err(|_| invalid("rport must be a port number"))?,
                );
            }
            "generation" => {
                candidate.generation = value
                    .parse()
                    .map_err(|_| invalid("generation must be below 256"))?;
            }
            // libwebrtc's network ids are small; a larger one is dropped
            // rather than refusing the candidate.
            "network-id" => candidate.network = value.parse().ok(),
            // ufrag, network-cost, tcptype and future extensions have no
            // place in the Jingle candidate.
            _ => {}
        }
    }
    candidate.id = candidate_id(&candidate);
    Ok(candidate)
}

/// A short id that is stable for a given candidate: FNV-1a over the fields
/// that identify it. Jingle only needs ids to be unique within a session.
fn candidate_id(candidate: &Candidate) -> String {
    let key = format!(
        "{} {} {} {} {} {}",
        candidate.foundation,
        candidate.component,
        candidate.protocol,
        candidate.ip,
        candidate.port,
        candidate.generation
    );
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

fn candidate_type_name(kind: &CandidateType) -> &'static str {
    match kind {
        CandidateType::Host => "host",
        CandidateType::Prflx => "prflx",
        CandidateType::Relay => "relay",
        CandidateType::Srflx => "srflx",
    }
}

fn candidate_type_from_name(name: &str) -> Option<CandidateType> {
    match name {
        "host" => Some(CandidateType::Host),
        "prflx" => Some(CandidateType::Prflx),
        "relay" => Some(CandidateType::Relay),
        "srflx" => Some(CandidateType::Srflx),
        _ => None,
    }
}
