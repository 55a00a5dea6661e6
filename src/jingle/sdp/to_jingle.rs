//! SDP → Jingle contents: the media engine's local offer or answer, for
//! session-initiate, session-accept or content-add.

use std::collections::HashSet;
use std::str::FromStr;

use tracing::debug;
use xmpp_parsers::hashes::Algo;
use xmpp_parsers::jingle::{Content, ContentId, Creator, Senders};
use xmpp_parsers::jingle_dtls_srtp::{Fingerprint, Setup};
use xmpp_parsers::jingle_grouping::{Content as GroupContent, Group, Semantics as GroupSemantics};
use xmpp_parsers::jingle_rtcp_fb::RtcpFb;
use xmpp_parsers::jingle_rtp::{Channels, Description as RtpDescription, Parameter, PayloadType};
use xmpp_parsers::jingle_rtp_hdrext::{RtpHdrext, Senders as HdrextSenders};
use xmpp_parsers::jingle_ssma::{
    Group as SourceGroup, Parameter as SourceParameter, Semantics as SourceGroupSemantics, Source,
};

use super::from_jingle::static_clock_rate;
use super::ice::{IceUdpParts, candidate_from_sdp, parse_colon_hex};
use super::text::{MediaSection, SessionDescription};
use super::{JingleContents, SdpError, senders_of};

/// Reads SDP text written by the party in the session role `author` (us,
/// for a local offer or answer) as Jingle contents.
///
/// Every content's `creator` is `author`; for a session-accept the caller
/// copies the creators of the offered contents (see
/// [`super::negotiate::answer_contents`]). Non-RTP m-lines (data channels)
/// are left out; m-lines with port 0 are listed in
/// [`JingleContents::rejected`]. TCP candidates are dropped: ICE-UDP cannot
/// carry them.
pub fn sdp_to_jingle(sdp: &str, author: Creator) -> Result<JingleContents, SdpError> {
    session_to_jingle(&SessionDescription::parse(sdp)?, author)
}

/// Like [`sdp_to_jingle`], for an already parsed description.
pub fn session_to_jingle(
    session: &SessionDescription,
    author: Creator,
) -> Result<JingleContents, SdpError> {
    let mut result = JingleContents {
        contents: Vec::with_capacity(session.media.len()),
        group: session_group(session),
        rejected: Vec::new(),
    };
    let mut names = HashSet::new();
    for (index, section) in session.media.iter().enumerate() {
        let name = section
            .mid()
            .ok_or_else(|| SdpError::MissingAttribute {
                content: index.to_string(),
                attribute: "mid",
            })?
            .to_owned();
        if !names.insert(name.clone()) {
            return Err(SdpError::DuplicateContent { content: name });
        }
        if !section.protocol.contains("RTP") {
            debug!(content = %name, protocol = %section.protocol, "Leaving out a non-RTP m-line");
            continue;
        }
        if section.port == 0 {
            result.rejected.push(ContentId(name));
            continue;
        }
        result
            .contents
            .push(content(session, section, name, &author)?);
    }
    Ok(result)
}

fn session_group(session: &SessionDescription) -> Option<Group> {
    session.attributes.iter().find_map(|attribute| {
        if attribute.name != "group" {
            return None;
        }
        let mut fields = attribute.value.as_deref()?.split_ascii_whitespace();
        let semantics = match fields.next()? {
            "BUNDLE" => GroupSemantics::Bundle,
            "LS" => GroupSemantics::Ls,
            other => {
                debug!(
                    semantics = other,
                    "Leaving out a group Jingle cannot express"
                );
                return None;
            }
        };
        Some(Group {
            semantics,
            contents: fields.map(GroupContent::new).collect(),
        })
    })
}

fn content(
    session: &SessionDescription,
    section: &MediaSection,
    name: String,
    author: &Creator,
) -> Result<Content, SdpError> {
    let invalid = |attribute: &'static str, value: &str| SdpError::InvalidAttribute {
        content: name.clone(),
        attribute,
        value: value.to_owned(),
    };

    let mut rtp = RtpDescription::new(section.kind.clone());
    rtp.rtcp_mux = section.has_attribute("rtcp-mux");
    let ptime = section
        .attribute("ptime")
        .map(|value| value.trim().parse().map_err(|_| invalid("ptime", value)))
        .transpose()?;
    let maxptime = section
        .attribute("maxptime")
        .map(|value| value.trim().parse().map_err(|_| invalid("maxptime", value)))
        .transpose()?;
    for format in &section.formats {
        let id: u8 = format.parse().map_err(|_| invalid("m", format))?;
        let mut payload_type = payload_type(section, id, &name)?;
        payload_type.ptime = ptime;
        payload_type.maxptime = maxptime;
        rtp.payload_types.push(payload_type);
    }
    for value in section.attributes_named("extmap") {
        rtp.hdrexts
            .push(hdrext(value, author).ok_or_else(|| invalid("extmap", value))?);
    }
    read_sources(section, &mut rtp, &name)?;

    let mut senders = Senders::Both;
    for attribute in &section.attributes {
        if let Some(direction) = senders_of(&attribute.name, author) {
            senders = direction;
        }
    }

    let transport = transport(session, section, &name)?.into_transport()?;
    Ok(Content::new(author.clone(), ContentId(name))
        .with_senders(senders)
        .with_description(rtp)
        .with_transport(transport))
}

/// The payload type `id` with its `a=rtpmap`, `a=fmtp` and `a=rtcp-fb`
/// (including the `*` wildcard, which Jingle can only express per type).
fn payload_type(section: &MediaSection, id: u8, content: &str) -> Result<PayloadType, SdpError> {
    let invalid = |attribute: &'static str, value: &str| SdpError::InvalidAttribute {
        content: content.to_owned(),
        attribute,
        value: value.to_owned(),
    };
    let id_text = id.to_string();
    let for_this_type = |value: &'_ str| -> Option<String> {
        let (target, rest) = value.split_once(' ')?;
        (target == id_text).then(|| rest.trim().to_owned())
    };

    let mut payload_type = match section.attributes_named("rtpmap").find_map(for_this_type) {
        Some(rtpmap) => {
            let mut parts = rtpmap.split('/');
            let name = parts.next().unwrap_or_default();
            let clock_rate = parts.next().and_then(|rate| rate.parse().ok());
            let channels = parts.next().map(str::parse::<u8>).transpose();
            match (name.is_empty(), clock_rate, channels) {
                (false, Some(clock_rate), Ok(channels)) => {
                    PayloadType::new(id, name.to_owned(), clock_rate, channels.unwrap_or(1))
                }
                _ => return Err(invalid("rtpmap", &rtpmap)),
            }
        }
        // A static payload type needs no rtpmap (RFC 3551).
        None if static_clock_rate(id).is_some() => PayloadType {
            channels: Channels::default(),
            clockrate: None,
            id,
            maxptime: None,
            name: None,
            ptime: None,
            parameters: Vec::new(),
            rtcp_fbs: Vec::new(),
        },
        None => {
            return Err(SdpError::MissingClockRate {
                content: content.to_owned(),
                payload_type: id,
            });
        }
    };

    if let Some(fmtp) = section.attributes_named("fmtp").find_map(for_this_type) {
        payload_type.parameters = fmtp
            .split(';')
            .map(str::trim)
            .filter(|parameter| !parameter.is_empty())
            .map(|parameter| match parameter.split_once('=') {
                Some((name, value)) => Parameter {
                    name: name.trim().to_owned(),
                    value: value.trim().to_owned(),
                },
                None => Parameter {
                    name: String::new(),
                    value: parameter.to_owned(),
                },
            })
            .collect();
    }
    for value in section.attributes_named("rtcp-fb") {
        let Some((target, rest)) = value.split_once(' ') else {
            return Err(invalid("rtcp-fb", value));
        };
        if target != id_text && target != "*" {
            continue;
        }
        let mut words = rest.split_ascii_whitespace();
        let Some(type_) = words.next() else {
            return Err(invalid("rtcp-fb", value));
        };
        let subtype = words.collect::<Vec<_>>().join(" ");
        payload_type.rtcp_fbs.push(RtcpFb {
            type_: type_.to_owned(),
            subtype: (!subtype.is_empty()).then_some(subtype),
        });
    }
    Ok(payload_type)
}

/// `a=extmap:<id>[/<direction>] <uri> [<attributes>]` (RFC 8285).
fn hdrext(value: &str, author: &Creator) -> Option<RtpHdrext> {
    let mut fields = value.split_ascii_whitespace();
    let first = fields.next()?;
    let (id, direction) = match first.split_once('/') {
        Some((id, direction)) => (id, Some(direction)),
        None => (first, None),
    };
    let uri = fields.next()?;
    let senders = match (direction, author) {
        (None | Some("sendrecv"), _) => HdrextSenders::Both,
        (Some("sendonly"), Creator::Initiator) | (Some("recvonly"), Creator::Responder) => {
            HdrextSenders::Initiator
        }
        (Some("sendonly"), Creator::Responder) | (Some("recvonly"), Creator::Initiator) => {
            HdrextSenders::Responder
        }
        // "inactive" has no Jingle form; such an extension is not in use.
        _ => return None,
    };
    Some(RtpHdrext::new(id.parse().ok()?, uri.to_owned()).with_senders(senders))
}

/// `a=ssrc-group` and `a=ssrc` (RFC 5576) as XEP-0339 source groups and
/// sources; the description's `ssrc` is the first source, as peers that
/// read only that attribute expect the primary media stream there.
///
/// A group that names source 0 is left out, with every source it names:
/// webrtcbin 1.22 with retransmission on answers before it knows its media
/// source, as `a=ssrc-group:FID 0 <rtx>` with `a=ssrc` lines for the RTX
/// source only, which would make the RTX stream look like the primary one.
/// Signalling neither lets the peer learn both from the packets.
fn read_sources(
    section: &MediaSection,
    rtp: &mut RtpDescription,
    content: &str,
) -> Result<(), SdpError> {
    let invalid = |attribute: &'static str, value: &str| SdpError::InvalidAttribute {
        content: content.to_owned(),
        attribute,
        value: value.to_owned(),
    };
    let mut unknown_groups: Vec<u32> = Vec::new();
    for value in section.attributes_named("ssrc-group") {
        let mut fields = value.split_ascii_whitespace();
        let semantics = fields.next().unwrap_or_default();
        let Ok(semantics) = SourceGroupSemantics::from_str(semantics) else {
            debug!(
                content,
                semantics, "Leaving out a source group Jingle cannot express"
            );
            continue;
        };
        let sources = fields
            .map(|id| id.parse().map(Source::new))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| invalid("ssrc-group", value))?;
        if sources.iter().any(|source| source.id == 0) {
            debug!(content, "Leaving out a source group with an unknown source");
            unknown_groups.extend(sources.iter().map(|source| source.id));
            continue;
        }
        rtp.ssrc_groups.push(SourceGroup { semantics, sources });
    }
    for value in section.attributes_named("ssrc") {
        let (id, attribute) = match value.split_once(' ') {
            Some((id, attribute)) => (id, Some(attribute.trim())),
            None => (value.trim(), None),
        };
        let id: u32 = id.parse().map_err(|_| invalid("ssrc", value))?;
        if unknown_groups.contains(&id) {
            continue;
        }
        let index = match rtp.ssrcs.iter().position(|source| source.id == id) {
            Some(index) => index,
            None => {
                rtp.ssrcs.push(Source::new(id));
                rtp.ssrcs.len() - 1
            }
        };
        if let (Some(attribute), Some(source)) = (attribute, rtp.ssrcs.get_mut(index)) {
            let parameter = match attribute.split_once(':') {
                Some((name, value)) => SourceParameter {
                    name: name.to_owned(),
                    value: Some(value.to_owned()),
                },
                None => SourceParameter {
                    name: attribute.to_owned(),
                    value: None,
                },
            };
            source.parameters.push(parameter);
        }
    }
    rtp.ssrc = rtp.ssrcs.first().map(|source| source.id);
    Ok(())
}

/// ICE credentials, fingerprint and candidates; media-level attributes
/// override session-level ones (RFC 8839, RFC 8122).
fn transport(
    session: &SessionDescription,
    section: &MediaSection,
    content: &str,
) -> Result<IceUdpParts, SdpError> {
    let lookup = |name: &str| {
        section
            .attribute(name)
            .or_else(|| session.attribute(name))
            .map(str::trim)
    };
    let invalid = |attribute: &'static str, value: &str| SdpError::InvalidAttribute {
        content: content.to_owned(),
        attribute,
        value: value.to_owned(),
    };
    let mut parts = IceUdpParts {
        ufrag: lookup("ice-ufrag").map(str::to_owned),
        pwd: lookup("ice-pwd").map(str::to_owned),
        ..Default::default()
    };
    if let Some(value) = lookup("fingerprint") {
        let (algo, hash) = value
            .split_once(' ')
            .ok_or_else(|| invalid("fingerprint", value))?;
        let setup = lookup("setup").ok_or_else(|| SdpError::MissingAttribute {
            content: content.to_owned(),
            attribute: "setup",
        })?;
        let setup = Setup::from_str(setup).map_err(|_| invalid("setup", setup))?;
        let hash = Algo::from_str(&algo.to_ascii_lowercase())
            .ok()
            .zip(parse_colon_hex(hash.trim()))
            .ok_or_else(|| invalid("fingerprint", value))?;
        parts.fingerprint = Some(Fingerprint {
            hash: hash.0,
            setup,
            value: hash.1,
        });
    }
    for value in section.attributes_named("candidate") {
        match candidate_from_sdp(&format!("candidate:{value}")) {
            Ok(candidate) => parts.candidates.push(candidate),
            Err(SdpError::UnsupportedCandidateProtocol(protocol)) => {
                debug!(
                    content,
                    protocol, "Leaving out a candidate ICE-UDP cannot carry"
                );
            }
            Err(error) => return Err(error),
        }
    }
    Ok(parts)
}
