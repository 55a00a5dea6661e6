//! Jingle contents → SDP: what the media engine is given as the remote
//! description.

use std::collections::HashSet;

use xmpp_parsers::jingle::{Content, Creator, Description, Transport};
use xmpp_parsers::jingle_dtls_srtp::Setup;
use xmpp_parsers::jingle_grouping::{Group, Semantics as GroupSemantics};
use xmpp_parsers::jingle_rtp::{Description as RtpDescription, PayloadType};
use xmpp_parsers::jingle_rtp_hdrext::Senders as HdrextSenders;
use xmpp_parsers::jingle_ssma::Semantics as SourceGroupSemantics;

use super::ice::{IceUdpParts, candidate_to_sdp};
use super::text::{Attribute, MediaSection, Origin, SessionDescription};
use super::{SdpError, direction_of};

/// The RTP/SAVPF profile over DTLS that WebRTC media sections use.
pub(super) const WEBRTC_PROTOCOL: &str = "UDP/TLS/RTP/SAVPF";

/// Writes a session description for `contents`, written by the party in the
/// session role `author` (the peer, for a remote description).
///
/// Each content becomes one m-line with its own ICE credentials, fingerprint
/// and candidates, in the order given; the m-line's `a=mid` is the content
/// name. `group` becomes a session-level `a=group` line. The origin's
/// session version must grow with every renegotiation (content-add).
pub fn jingle_to_sdp(
    contents: &[Content],
    group: Option<&Group>,
    author: Creator,
    origin: Origin,
) -> Result<SessionDescription, SdpError> {
    let mut description = SessionDescription {
        origin,
        session_name: "-".to_owned(),
        attributes: Vec::new(),
        media: Vec::with_capacity(contents.len()),
    };
    if let Some(group) = group {
        let mut value = group_semantics_name(&group.semantics).to_owned();
        for content in &group.contents {
            value.push(' ');
            value.push_str(&content.name.0);
        }
        description
            .attributes
            .push(Attribute::value("group", value));
    }
    let mut names = HashSet::new();
    for content in contents {
        if !names.insert(content.name.0.as_str()) {
            return Err(SdpError::DuplicateContent {
                content: content.name.0.clone(),
            });
        }
        description.media.push(media_section(content, &author)?);
    }
    Ok(description)
}

fn media_section(content: &Content, author: &Creator) -> Result<MediaSection, SdpError> {
    let name = &content.name.0;
    let rtp = match &content.description {
        Some(Description::Rtp(rtp)) => rtp,
        Some(Description::Unknown(_)) => {
            return Err(SdpError::UnsupportedApplication {
                content: name.clone(),
            });
        }
        None => {
            return Err(SdpError::MissingDescription {
                content: name.clone(),
            });
        }
    };
    let ice = match &content.transport {
        Some(Transport::IceUdp(transport)) => IceUdpParts::from_transport(transport)?,
        Some(_) => {
            return Err(SdpError::UnsupportedTransport {
                content: name.clone(),
            });
        }
        None => {
            return Err(SdpError::MissingTransport {
                content: name.clone(),
            });
        }
    };

    let mut attributes = vec![
        Attribute::value("mid", name.clone()),
        Attribute::flag(direction_of(&content.senders, author)),
    ];
    if let Some(ufrag) = &ice.ufrag {
        attributes.push(Attribute::value("ice-ufrag", ufrag.clone()));
    }
    if let Some(pwd) = &ice.pwd {
        attributes.push(Attribute::value("ice-pwd", pwd.clone()));
    }
    if let Some(fingerprint) = &ice.fingerprint {
        attributes.push(Attribute::value(
            "fingerprint",
            format!(
                "{} {}",
                String::from(fingerprint.hash.clone()),
                colon_hex(&fingerprint.value)
            ),
        ));
        attributes.push(Attribute::value("setup", setup_name(&fingerprint.setup)));
    }
    if rtp.rtcp_mux {
        attributes.push(Attribute::flag("rtcp-mux"));
    }
    for hdrext in &rtp.hdrexts {
        let direction = match (&hdrext.senders, author) {
            (HdrextSenders::Both, _) => "",
            (HdrextSenders::Initiator, Creator::Initiator)
            | (HdrextSenders::Responder, Creator::Responder) => "/sendonly",
            (HdrextSenders::Initiator, Creator::Responder)
            | (HdrextSenders::Responder, Creator::Initiator) => "/recvonly",
        };
        attributes.push(Attribute::value(
            "extmap",
            format!("{}{direction} {}", hdrext.id, hdrext.uri),
        ));
    }
    for payload_type in &rtp.payload_types {
        payload_type_attributes(name, payload_type, &mut attributes)?;
    }
    // SDP has one packet time per m-line where Jingle has one per payload
    // type; the first payload type that states one speaks for the section.
    if let Some(ptime) = rtp.payload_types.iter().find_map(|pt| pt.ptime) {
        attributes.push(Attribute::value("ptime", ptime.to_string()));
    }
    if let Some(maxptime) = rtp.payload_types.iter().find_map(|pt| pt.maxptime) {
        attributes.push(Attribute::value("maxptime", maxptime.to_string()));
    }
    source_attributes(rtp, &mut attributes);
    for candidate in &ice.candidates {
        let text = candidate_to_sdp(candidate);
        let value = text.strip_prefix("candidate:").unwrap_or(&text);
        attributes.push(Attribute::value("candidate", value));
    }

    Ok(MediaSection {
        kind: rtp.media.clone(),
        // With trickle ICE the real addresses come as candidates.
        port: 9,
        protocol: WEBRTC_PROTOCOL.to_owned(),
        formats: rtp
            .payload_types
            .iter()
            .map(|payload_type| payload_type.id.to_string())
            .collect(),
        connection: Some("IN IP4 0.0.0.0".to_owned()),
        attributes,
    })
}

fn payload_type_attributes(
    content: &str,
    payload_type: &PayloadType,
    attributes: &mut Vec<Attribute>,
) -> Result<(), SdpError> {
    let id = payload_type.id;
    if let Some(name) = &payload_type.name {
        let clock_rate = payload_type
            .clockrate
            .or_else(|| static_clock_rate(id))
            .ok_or_else(|| SdpError::MissingClockRate {
                content: content.to_owned(),
                payload_type: id,
            })?;
        let channels = payload_type.channels.0;
        let rtpmap = if channels == 1 {
            format!("{id} {name}/{clock_rate}")
        } else {
            format!("{id} {name}/{clock_rate}/{channels}")
        };
        attributes.push(Attribute::value("rtpmap", rtpmap));
    }
    if !payload_type.parameters.is_empty() {
        let parameters: Vec<String> = payload_type
            .parameters
            .iter()
            .map(|parameter| {
                // A nameless parameter holds an fmtp that is not key=value,
                // such as RED's "111/111".
                if parameter.name.is_empty() {
                    parameter.value.clone()
                } else {
                    format!("{}={}", parameter.name, parameter.value)
                }
            })
            .collect();
        attributes.push(Attribute::value(
            "fmtp",
            format!("{id} {}", parameters.join(";")),
        ));
    }
    for feedback in &payload_type.rtcp_fbs {
        let value = match &feedback.subtype {
            Some(subtype) => format!("{id} {} {subtype}", feedback.type_),
            None => format!("{id} {}", feedback.type_),
        };
        attributes.push(Attribute::value("rtcp-fb", value));
    }
    Ok(())
}

/// Source groups and sources (XEP-0339). A description's bare `ssrc`
/// attribute has no SDP form without a cname, and webrtcbin does not need
/// the peer's SSRCs with one transport per content, so it is not written.
fn source_attributes(rtp: &RtpDescription, attributes: &mut Vec<Attribute>) {
    for group in &rtp.ssrc_groups {
        let mut value = source_group_semantics_name(&group.semantics).to_owned();
        for source in &group.sources {
            value.push_str(&format!(" {}", source.id));
        }
        attributes.push(Attribute::value("ssrc-group", value));
    }
    for source in &rtp.ssrcs {
        if source.parameters.is_empty() {
            attributes.push(Attribute::value("ssrc", source.id.to_string()));
        }
        for parameter in &source.parameters {
            let value = match &parameter.value {
                Some(value) => format!("{} {}:{value}", source.id, parameter.name),
                None => format!("{} {}", source.id, parameter.name),
            };
            attributes.push(Attribute::value("ssrc", value));
        }
    }
}

/// Clock rates of the static payload types (RFC 3551) a peer may name
/// without one.
pub(super) fn static_clock_rate(id: u8) -> Option<u32> {
    match id {
        0 | 3..=5 | 7..=9 | 12 | 13 | 15 | 18 => Some(8000),
        6 => Some(16000),
        10 | 11 => Some(44100),
        14 | 25 | 26 | 28 | 31..=34 => Some(90000),
        16 => Some(11025),
        17 => Some(22050),
        _ => None,
    }
}

fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

pub(super) fn setup_name(setup: &Setup) -> &'static str {
    match setup {
        Setup::Active => "active",
        Setup::Passive => "passive",
        Setup::Actpass => "actpass",
    }
}

fn group_semantics_name(semantics: &GroupSemantics) -> &'static str {
    match semantics {
        GroupSemantics::Bundle => "BUNDLE",
        GroupSemantics::Ls => "LS",
    }
}

fn source_group_semantics_name(semantics: &SourceGroupSemantics) -> &'static str {
    match semantics {
        SourceGroupSemantics::Ls => "LS",
        SourceGroupSemantics::Fid => "FID",
        SourceGroupSemantics::Srf => "SRF",
        SourceGroupSemantics::Anat => "ANAT",
        SourceGroupSemantics::Fec => "FEC",
        SourceGroupSemantics::Ddp => "DDP",
    }
}
