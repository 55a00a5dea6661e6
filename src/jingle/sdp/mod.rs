//! Jingle RTP contents ⇄ SDP, as pure functions.
//!
//! The media engine speaks WebRTC SDP (one m-line per content, each with its
//! own ICE credentials and DTLS fingerprint); the peers speak Jingle RTP
//! (XEP-0167) over ICE-UDP (XEP-0176) with DTLS-SRTP (XEP-0320), RTCP
//! feedback (XEP-0293), header extensions (XEP-0294), grouping (XEP-0338)
//! and source-specific attributes (XEP-0339). This module maps between the
//! two without any I/O:
//!
//! - [`jingle_to_sdp`]: a peer's contents → the remote description;
//! - [`sdp_to_jingle`]: the engine's local offer or answer → contents;
//! - [`candidate_to_sdp`] / [`candidate_from_sdp`]: trickled candidates;
//! - [`negotiate`]: what the answering side keeps of an offer;
//! - [`check_fingerprint_text`]: a guard to run on an untrusted `<jingle>`
//!   element before xmpp-parsers parses it (its fingerprint decoder panics
//!   on malformed text).
//!
//! Content names are the SDP `a=mid` values. SDP directions are relative to
//! the description's author while Jingle `senders` name a session role, so
//! both directions take the author's role.

mod from_jingle;
mod ice;
pub mod negotiate;
mod text;
mod to_jingle;

#[cfg(test)]
mod tests;

use xmpp_parsers::jingle::{Content, ContentId, Creator, Senders};
use xmpp_parsers::jingle_grouping::Group;

pub use from_jingle::jingle_to_sdp;
pub use ice::{IceUdpParts, candidate_from_sdp, candidate_to_sdp, check_fingerprint_text};
pub use text::{Attribute, MediaSection, Origin, SessionDescription};
pub use to_jingle::{sdp_to_jingle, session_to_jingle};

/// The contents of one Jingle action (session-initiate, session-accept,
/// content-add …) read from an SDP text.
#[derive(Debug, Clone, PartialEq)]
pub struct JingleContents {
    /// One content per accepted m-line, in m-line order.
    pub contents: Vec<Content>,
    /// The session-level `a=group` (XEP-0338), if the SDP had one.
    pub group: Option<Group>,
    /// Content names of m-lines rejected with port 0.
    pub rejected: Vec<ContentId>,
}

/// Why an SDP text or a Jingle content could not be mapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SdpError {
    /// The SDP text has no lines at all.
    #[error("the SDP text is empty")]
    Empty,
    /// An SDP line does not follow the grammar.
    #[error("SDP line {line}: {reason}")]
    Syntax {
        /// The 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A required attribute is absent from a media section.
    #[error("content {content}: missing a={attribute}")]
    MissingAttribute {
        /// The content (mid or m-line index).
        content: String,
        /// The attribute's name.
        attribute: &'static str,
    },
    /// An attribute's value cannot be read.
    #[error("content {content}: invalid a={attribute}:{value}")]
    InvalidAttribute {
        /// The content (mid or m-line index).
        content: String,
        /// The attribute's name.
        attribute: &'static str,
        /// The offending value.
        value: String,
    },
    /// Two m-lines carry the same `a=mid`, or two Jingle contents one name.
    #[error("content {content} appears twice")]
    DuplicateContent {
        /// The repeated name.
        content: String,
    },
    /// A Jingle content has no `<description>`.
    #[error("content {content} has no description")]
    MissingDescription {
        /// The content's name.
        content: String,
    },
    /// A Jingle content's description is not RTP, or an m-line is not RTP.
    #[error("content {content} is not an RTP session")]
    UnsupportedApplication {
        /// The content's name.
        content: String,
    },
    /// A Jingle content has no `<transport>`.
    #[error("content {content} has no transport")]
    MissingTransport {
        /// The content's name.
        content: String,
    },
    /// A Jingle content's transport is not ICE-UDP.
    #[error("content {content} does not use ICE-UDP")]
    UnsupportedTransport {
        /// The content's name.
        content: String,
    },
    /// A dynamic payload type has no clock rate.
    #[error("content {content}: payload type {payload_type} has no clock rate")]
    MissingClockRate {
        /// The content's name.
        content: String,
        /// The payload-type number.
        payload_type: u8,
    },
    /// A Jingle element could not be read or built.
    #[error("invalid Jingle element: {0}")]
    InvalidJingle(String),
    /// The empty candidate webrtcbin emits when gathering is complete.
    #[error("end of candidates")]
    EndOfCandidates,
    /// A `candidate:` attribute does not follow RFC 8839.
    #[error("invalid candidate ({reason}): {candidate}")]
    InvalidCandidate {
        /// What is wrong with it.
        reason: &'static str,
        /// The candidate text.
        candidate: String,
    },
    /// A candidate for a transport other than UDP (ICE-TCP).
    #[error("ICE-UDP cannot carry a {0} candidate")]
    UnsupportedCandidateProtocol(String),
}

/// The SDP direction of a content whose description `author` wrote.
fn direction_of(senders: &Senders, author: &Creator) -> &'static str {
    match (senders, author) {
        (Senders::Both, _) => "sendrecv",
        (Senders::None, _) => "inactive",
        (Senders::Initiator, Creator::Initiator) | (Senders::Responder, Creator::Responder) => {
            "sendonly"
        }
        (Senders::Initiator, Creator::Responder) | (Senders::Responder, Creator::Initiator) => {
            "recvonly"
        }
    }
}

/// The Jingle senders of an SDP direction written by `author`; `None` for
/// something that is not a direction.
fn senders_of(direction: &str, author: &Creator) -> Option<Senders> {
    let other = match author {
        Creator::Initiator => Senders::Responder,
        Creator::Responder => Senders::Initiator,
    };
    let author = match author {
        Creator::Initiator => Senders::Initiator,
        Creator::Responder => Senders::Responder,
    };
    match direction {
        "sendrecv" => Some(Senders::Both),
        "inactive" => Some(Senders::None),
        "sendonly" => Some(author),
        "recvonly" => Some(other),
        _ => None,
    }
}
