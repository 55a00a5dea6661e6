//! Offer/answer rules on the Jingle side.
//!
//! Answering a session-initiate (or content-add) goes:
//!
//! 1. [`restrict_offer`]: keep of the peer's offer only what we support and
//!    drop a BUNDLE group (Warbler answers every content on its own
//!    transport); [`super::jingle_to_sdp`] turns the result into the remote
//!    description for the media engine;
//! 2. the engine answers; [`super::sdp_to_jingle`] reads its SDP;
//! 3. [`answer_contents`]: the contents for session-accept, with the peer's
//!    payload-type numbers, our chosen codec first, feedback and header
//!    extensions both sides support, `rtcp-mux`, and a DTLS role checked
//!    against the offer.
//!
//! Offering goes through [`offer_contents`], which checks the engine's offer
//! (`actpass`, SHA-256) and leaves out any BUNDLE group.

mod capabilities;

use tracing::debug;
use xmpp_parsers::hashes::Algo;
use xmpp_parsers::jingle::{Content, ContentId, Creator, Description, Transport};
use xmpp_parsers::jingle_dtls_srtp::Setup;
use xmpp_parsers::jingle_grouping::Group;
use xmpp_parsers::jingle_rtp::{Description as RtpDescription, Parameter, PayloadType};

pub use capabilities::{AUDIO_LEVEL_URI, Capabilities, SupportedCodec};

use super::from_jingle::setup_name;
use super::{IceUdpParts, JingleContents, SdpError, sdp_to_jingle};

/// Why an offer or answer cannot be accepted as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NegotiationError {
    /// The mapping itself failed.
    #[error(transparent)]
    Mapping(#[from] SdpError),
    /// A content offers no codec we support.
    #[error("content {content}: no codec in common")]
    NoCommonCodec {
        /// The content's name.
        content: String,
    },
    /// No offered content can be accepted.
    #[error("no content in common")]
    NothingInCommon,
    /// The media engine's answer lacks an offered content.
    #[error("content {content} is missing from the local answer")]
    MissingFromAnswer {
        /// The content's name.
        content: String,
    },
    /// A content has no DTLS fingerprint, so its media cannot be verified.
    #[error("content {content} has no DTLS fingerprint")]
    MissingFingerprint {
        /// The content's name.
        content: String,
    },
    /// A fingerprint uses a hash other than SHA-256.
    #[error("content {content}: fingerprint hash {hash} instead of sha-256")]
    UnsupportedFingerprintHash {
        /// The content's name.
        content: String,
        /// The hash named in the fingerprint.
        hash: String,
    },
    /// A DTLS role that does not fit the offer/answer exchange.
    #[error("content {content}: DTLS setup {found}, expected {expected}")]
    UnexpectedDtlsSetup {
        /// The content's name.
        content: String,
        /// The role the exchange requires.
        expected: &'static str,
        /// The role found.
        found: &'static str,
    },
}

/// The part of a peer's offer the media engine is given.
#[derive(Debug, Clone, PartialEq)]
pub struct RestrictedOffer {
    /// Offered contents with only supported payload types (the chosen one
    /// first), feedback and header extensions; transports untouched.
    pub contents: Vec<Content>,
    /// Contents with no codec in common: reject them with content-reject,
    /// or end the session with failed-application if `contents` is empty.
    pub rejected: Vec<ContentId>,
}

/// Keeps of an offer what `capabilities` support, for the remote
/// description. A BUNDLE group is dropped: the answer is unbundled, each
/// content on the transport the peer offered for it.
pub fn restrict_offer(
    offer: &[Content],
    group: Option<&Group>,
    capabilities: &Capabilities,
) -> Result<RestrictedOffer, NegotiationError> {
    if group.is_some() {
        debug!("Answering a grouped offer unbundled");
    }
    let mut restricted = RestrictedOffer {
        contents: Vec::new(),
        rejected: Vec::new(),
    };
    for content in offer {
        let rtp = rtp_of(content)?;
        match choose_payload_types(&content.name.0, rtp, capabilities) {
            Ok(chosen) => {
                let mut description = rtp.clone();
                description.payload_types = chosen
                    .into_iter()
                    .map(|(offered, codec)| {
                        let mut payload_type = offered.clone();
                        if let Some(codec) = codec {
                            payload_type
                                .rtcp_fbs
                                .retain(|feedback| codec.rtcp_feedback.contains(feedback));
                        }
                        payload_type
                    })
                    .collect();
                description
                    .hdrexts
                    .retain(|hdrext| capabilities.header_extensions.contains(&hdrext.uri));
                let mut content = content.clone();
                content.description = Some(Description::Rtp(description));
                restricted.contents.push(content);
            }
            Err(NegotiationError::NoCommonCodec { content }) => {
                restricted.rejected.push(ContentId(content));
            }
            Err(error) => return Err(error),
        }
    }
    if restricted.contents.is_empty() {
        return Err(NegotiationError::NothingInCommon);
    }
    Ok(restricted)
}

/// The contents for session-accept (or content-accept). `offer` is what the
/// media engine was given (the [`RestrictedOffer`]'s contents, so rejected
/// contents are not looked for in its answer). For each offered content,
/// our description (peer's payload-type
/// numbers, chosen codec first, our format parameters, common feedback and
/// header extensions, `rtcp-mux`, our sources) and our transport. The
/// engine's DTLS role must answer the offer's (`active` for `actpass`).
pub fn answer_contents(
    offer: &[Content],
    local_answer: &JingleContents,
    capabilities: &Capabilities,
) -> Result<Vec<Content>, NegotiationError> {
    let mut answer = Vec::new();
    for offered in offer {
        let name = &offered.name.0;
        if local_answer.rejected.contains(&offered.name) {
            continue;
        }
        let local = local_answer
            .contents
            .iter()
            .find(|content| content.name == offered.name)
            .ok_or_else(|| NegotiationError::MissingFromAnswer {
                content: name.clone(),
            })?;
        let offered_rtp = rtp_of(offered)?;
        let local_rtp = rtp_of(local)?;

        let mut description = RtpDescription::new(offered_rtp.media.clone());
        description.payload_types = choose_payload_types(name, offered_rtp, capabilities)?
            .into_iter()
            .filter(|(offered, _)| {
                local_rtp.payload_types.is_empty()
                    || local_rtp
                        .payload_types
                        .iter()
                        .any(|ours| ours.id == offered.id)
            })
            .map(|(offered, codec)| answer_payload_type(offered, codec))
            .collect();
        if description.payload_types.is_empty() {
            return Err(NegotiationError::NoCommonCodec {
                content: name.clone(),
            });
        }
        description.hdrexts = offered_rtp
            .hdrexts
            .iter()
            .filter(|hdrext| capabilities.header_extensions.contains(&hdrext.uri))
            .cloned()
            .collect();
        description.rtcp_mux = true;
        description.ssrc = local_rtp.ssrc;
        description.ssrcs = local_rtp.ssrcs.clone();
        description.ssrc_groups = local_rtp.ssrc_groups.clone();

        let expected = match fingerprint_setup(offered)? {
            Setup::Active => Setup::Passive,
            Setup::Actpass | Setup::Passive => Setup::Active,
        };
        check_fingerprint(local, &expected)?;

        let mut content = local.clone();
        content.creator = offered.creator.clone();
        content.description = Some(Description::Rtp(description));
        answer.push(content);
    }
    if answer.is_empty() {
        return Err(NegotiationError::NothingInCommon);
    }
    Ok(answer)
}

/// Reads the media engine's offer (for session-initiate, or content-add with
/// `role` our session role) and checks it: every content offers `actpass`
/// with a SHA-256 fingerprint and `rtcp-mux`. A BUNDLE group is left out,
/// since Warbler never relies on one.
pub fn offer_contents(sdp: &str, role: Creator) -> Result<JingleContents, NegotiationError> {
    let mut offer = sdp_to_jingle(sdp, role)?;
    if offer.group.take().is_some() {
        debug!("Leaving the engine's group out of the offer");
    }
    for content in &mut offer.contents {
        check_fingerprint(content, &Setup::Actpass)?;
        if let Some(Description::Rtp(rtp)) = &mut content.description {
            rtp.rtcp_mux = true;
        }
    }
    Ok(offer)
}

/// Checks a peer's session-accept: every content carries a SHA-256
/// fingerprint with a definite role (`active` or `passive`).
pub fn check_remote_answer(contents: &[Content]) -> Result<(), NegotiationError> {
    for content in contents {
        match fingerprint_setup(content)? {
            Setup::Actpass => {
                return Err(NegotiationError::UnexpectedDtlsSetup {
                    content: content.name.0.clone(),
                    expected: "active",
                    found: "actpass",
                });
            }
            Setup::Active | Setup::Passive => {}
        }
    }
    Ok(())
}

fn rtp_of(content: &Content) -> Result<&RtpDescription, SdpError> {
    match &content.description {
        Some(Description::Rtp(rtp)) => Ok(rtp),
        Some(Description::Unknown(_)) => Err(SdpError::UnsupportedApplication {
            content: content.name.0.clone(),
        }),
        None => Err(SdpError::MissingDescription {
            content: content.name.0.clone(),
        }),
    }
}

/// The DTLS setup of a content's SHA-256 fingerprint.
fn fingerprint_setup(content: &Content) -> Result<Setup, NegotiationError> {
    let name = || content.name.0.clone();
    let transport = match &content.transport {
        Some(Transport::IceUdp(transport)) => transport,
        Some(_) => return Err(SdpError::UnsupportedTransport { content: name() }.into()),
        None => return Err(SdpError::MissingTransport { content: name() }.into()),
    };
    let fingerprint = IceUdpParts::from_transport(transport)?
        .fingerprint
        .ok_or_else(|| NegotiationError::MissingFingerprint { content: name() })?;
    if fingerprint.hash != Algo::Sha_256 {
        return Err(NegotiationError::UnsupportedFingerprintHash {
            content: name(),
            hash: String::from(fingerprint.hash),
        });
    }
    Ok(fingerprint.setup)
}

fn check_fingerprint(content: &Content, expected: &Setup) -> Result<(), NegotiationError> {
    let found = fingerprint_setup(content)?;
    if &found != expected {
        return Err(NegotiationError::UnexpectedDtlsSetup {
            content: content.name.0.clone(),
            expected: setup_name(expected),
            found: setup_name(&found),
        });
    }
    Ok(())
}

/// The offered payload types we keep, each with the codec it matched (none
/// for RTX), our most preferred codec first and the rest in offer order.
fn choose_payload_types<'a>(
    content: &str,
    rtp: &'a RtpDescription,
    capabilities: &'a Capabilities,
) -> Result<Vec<(&'a PayloadType, Option<&'a SupportedCodec>)>, NegotiationError> {
    let mut kept: Vec<(&PayloadType, usize)> = rtp
        .payload_types
        .iter()
        .filter_map(|offered| Some((offered, capabilities.rank(&rtp.media, offered)?)))
        .collect();
    let chosen = kept
        .iter()
        .enumerate()
        .min_by_key(|(_, (_, rank))| *rank)
        .map(|(index, _)| index)
        .ok_or_else(|| NegotiationError::NoCommonCodec {
            content: content.to_owned(),
        })?;
    let first = kept.remove(chosen);
    kept.insert(0, first);

    let mut result: Vec<_> = kept
        .into_iter()
        .map(|(offered, rank)| (offered, capabilities.codecs.get(rank)))
        .collect();
    if capabilities.retransmission {
        let kept_ids: Vec<u8> = result.iter().map(|(offered, _)| offered.id).collect();
        for offered in &rtp.payload_types {
            let is_rtx = offered
                .name
                .as_deref()
                .is_some_and(|name| name.eq_ignore_ascii_case("rtx"));
            let apt = offered
                .parameters
                .iter()
                .find(|parameter| parameter.name == "apt")
                .and_then(|parameter| parameter.value.parse::<u8>().ok());
            if is_rtx && apt.is_some_and(|apt| kept_ids.contains(&apt)) {
                result.push((offered, None));
            }
        }
    }
    Ok(result)
}

/// Our answer for an offered payload type: the peer's number, name, clock
/// rate and channels; our format parameters plus the ones echoed from the
/// offer; the feedback both sides support. RTX keeps its `apt`.
fn answer_payload_type(offered: &PayloadType, codec: Option<&SupportedCodec>) -> PayloadType {
    let mut answer = offered.clone();
    answer.ptime = None;
    answer.maxptime = None;
    let Some(codec) = codec else {
        answer
            .parameters
            .retain(|parameter| parameter.name == "apt");
        answer.rtcp_fbs.clear();
        return answer;
    };
    answer.parameters = codec
        .parameters
        .iter()
        .map(|(name, value)| Parameter {
            name: name.clone(),
            value: value.clone(),
        })
        .collect();
    for parameter in &offered.parameters {
        let echoed = codec.echoed_parameters.contains(&parameter.name);
        let already = answer
            .parameters
            .iter()
            .any(|ours| ours.name == parameter.name);
        if echoed && !already {
            answer.parameters.push(parameter.clone());
        }
    }
    answer
        .rtcp_fbs
        .retain(|feedback| codec.rtcp_feedback.contains(feedback));
    answer
}
