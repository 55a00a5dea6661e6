//! Building the stanzas a call sends, and mapping Jingle reasons to and from
//! the user-facing end reasons.

use std::collections::BTreeMap;

use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::Jid;
use xmpp_parsers::jingle::{Jingle, Reason};
use xmpp_parsers::message::{Id, Message};
use xmpp_parsers::minidom::Element;
use xmpp_parsers::minidom::rxml::xml_ncname;
use xmpp_parsers::stanza_error::{DefinedCondition, ErrorType, StanzaError};

use super::jmi::{JmiMessage, store_hint};
use crate::model::{CallEndReason, MediaKind};

/// Jingle error conditions (XEP-0166 §11).
pub(crate) const NS_JINGLE_ERRORS: &str = "urn:xmpp:jingle:errors:1";
/// RTP session-info payloads (XEP-0167 §7).
pub(crate) const NS_RTP_INFO: &str = "urn:xmpp:jingle:apps:rtp:info:1";

/// A JMI message as XEP-0353 wants it: type chat, with a store hint.
pub(crate) fn jmi_message(to: Jid, id: String, message: &JmiMessage) -> Message {
    let mut stanza = Message::chat(Some(to));
    stanza.id = Some(Id(id));
    stanza.payloads.push(message.to_element());
    stanza.payloads.push(store_hint());
    stanza
}

/// A Jingle request.
pub(crate) fn jingle_set(to: Jid, id: String, jingle: Jingle) -> Iq {
    Iq::Set {
        from: None,
        to: Some(to),
        id,
        payload: jingle.into(),
    }
}

/// The empty result acknowledging a Jingle request.
pub(crate) fn iq_result(to: Jid, id: String) -> Iq {
    Iq::Result {
        from: None,
        to: Some(to),
        id,
        payload: None,
    }
}

/// Why a received Jingle request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JingleRefusal {
    /// No such session with that sender.
    UnknownSession,
    /// Not allowed in the session's current state.
    OutOfOrder,
    /// Both sides did the same at once and ours wins.
    TieBreak,
    /// A session-info payload we do not understand.
    UnsupportedInfo,
    /// The request is malformed.
    BadRequest,
    /// An action we do not implement.
    NotImplemented,
}

/// The error reply for a Jingle request.
pub(crate) fn iq_error(to: Jid, id: String, refusal: JingleRefusal) -> Iq {
    let (type_, condition, jingle_condition) = match refusal {
        JingleRefusal::UnknownSession => (
            ErrorType::Cancel,
            DefinedCondition::ItemNotFound,
            Some("unknown-session"),
        ),
        JingleRefusal::OutOfOrder => (
            ErrorType::Wait,
            DefinedCondition::UnexpectedRequest,
            Some("out-of-order"),
        ),
        JingleRefusal::TieBreak => (
            ErrorType::Cancel,
            DefinedCondition::Conflict,
            Some("tie-break"),
        ),
        JingleRefusal::UnsupportedInfo => (
            ErrorType::Modify,
            DefinedCondition::FeatureNotImplemented,
            Some("unsupported-info"),
        ),
        JingleRefusal::BadRequest => (ErrorType::Modify, DefinedCondition::BadRequest, None),
        JingleRefusal::NotImplemented => (
            ErrorType::Cancel,
            DefinedCondition::FeatureNotImplemented,
            None,
        ),
    };
    let error = StanzaError {
        type_,
        by: None,
        defined_condition: condition,
        texts: BTreeMap::new(),
        other: jingle_condition.map(|name| Element::builder(name, NS_JINGLE_ERRORS).build()),
    };
    Iq::Error {
        from: None,
        to: Some(to),
        id,
        error,
        payload: None,
    }
}

/// A session-info payload of RTP sessions (XEP-0167 §7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RtpInfo {
    /// The call is active again (after hold).
    Active,
    /// The sender put the call on hold (it sends and plays nothing).
    Hold,
    /// The sender resumed the call.
    Unhold,
    /// The responder's device is ringing.
    Ringing,
    /// The sender stopped sending the named content (all if no name).
    Mute { name: Option<String> },
    /// The sender resumed sending the named content (all if no name).
    Unmute { name: Option<String> },
}

impl RtpInfo {
    /// Read a session-info payload; `None` if we do not understand it.
    pub(crate) fn from_element(element: &Element) -> Option<Self> {
        if element.ns() != NS_RTP_INFO {
            return None;
        }
        let name = element.attr("name").map(str::to_owned);
        Some(match element.name() {
            "active" => Self::Active,
            "hold" => Self::Hold,
            "unhold" => Self::Unhold,
            "ringing" => Self::Ringing,
            "mute" => Self::Mute { name },
            "unmute" => Self::Unmute { name },
            _ => return None,
        })
    }

    /// Write the payload; mute and unmute name the content and its creator.
    pub(crate) fn to_element(&self, creator: &str) -> Element {
        let (element, name) = match self {
            Self::Active => ("active", None),
            Self::Hold => ("hold", None),
            Self::Unhold => ("unhold", None),
            Self::Ringing => ("ringing", None),
            Self::Mute { name } => ("mute", name.as_deref()),
            Self::Unmute { name } => ("unmute", name.as_deref()),
        };
        let mut builder = Element::builder(element, NS_RTP_INFO);
        if let Some(name) = name {
            builder = builder
                .attr(xml_ncname!("creator").into(), creator)
                .attr(xml_ncname!("name").into(), name);
        }
        builder.build()
    }
}

/// The Jingle condition we send for a call that ends this way.
pub(crate) fn reason_for(reason: CallEndReason) -> Reason {
    match reason {
        CallEndReason::Success
        | CallEndReason::AnsweredElsewhere
        | CallEndReason::RejectedElsewhere => Reason::Success,
        CallEndReason::Declined => Reason::Decline,
        CallEndReason::Busy => Reason::Busy,
        CallEndReason::Cancelled => Reason::Cancel,
        CallEndReason::Timeout => Reason::Timeout,
        CallEndReason::SecurityError => Reason::SecurityError,
        CallEndReason::FailedTransport => Reason::FailedTransport,
        CallEndReason::FailedApplication => Reason::FailedApplication,
        CallEndReason::ConnectivityError => Reason::ConnectivityError,
        CallEndReason::Gone => Reason::Gone,
        CallEndReason::GeneralError => Reason::GeneralError,
        CallEndReason::Expired | CallEndReason::Replaced => Reason::Expired,
        CallEndReason::IncompatibleParameters => Reason::IncompatibleParameters,
        CallEndReason::MediaError => Reason::MediaError,
        CallEndReason::UnsupportedApplications => Reason::UnsupportedApplications,
        CallEndReason::UnsupportedTransports => Reason::UnsupportedTransports,
    }
}

/// What a received Jingle condition means for the user.
pub(crate) fn end_reason_of(reason: &Reason) -> CallEndReason {
    match reason {
        Reason::Success => CallEndReason::Success,
        Reason::Decline => CallEndReason::Declined,
        Reason::Busy => CallEndReason::Busy,
        Reason::Cancel => CallEndReason::Cancelled,
        Reason::Timeout => CallEndReason::Timeout,
        Reason::SecurityError => CallEndReason::SecurityError,
        Reason::FailedTransport => CallEndReason::FailedTransport,
        Reason::FailedApplication => CallEndReason::FailedApplication,
        Reason::ConnectivityError => CallEndReason::ConnectivityError,
        Reason::Gone => CallEndReason::Gone,
        Reason::GeneralError => CallEndReason::GeneralError,
        Reason::Expired => CallEndReason::Expired,
        Reason::IncompatibleParameters => CallEndReason::IncompatibleParameters,
        Reason::MediaError => CallEndReason::MediaError,
        Reason::UnsupportedApplications => CallEndReason::UnsupportedApplications,
        Reason::UnsupportedTransports => CallEndReason::UnsupportedTransports,
        Reason::AlternativeSession { .. } => CallEndReason::Replaced,
    }
}

/// The media of a content's RTP description, if it has one we know.
pub(crate) fn media_of(content: &xmpp_parsers::jingle::Content) -> Option<MediaKind> {
    match &content.description {
        Some(xmpp_parsers::jingle::Description::Rtp(rtp)) => MediaKind::from_media(&rtp.media),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_survive_the_trip_through_jingle() {
        let reasons = [
            CallEndReason::Success,
            CallEndReason::Declined,
            CallEndReason::Busy,
            CallEndReason::Cancelled,
            CallEndReason::Timeout,
            CallEndReason::SecurityError,
            CallEndReason::FailedTransport,
            CallEndReason::FailedApplication,
            CallEndReason::ConnectivityError,
            CallEndReason::Gone,
            CallEndReason::GeneralError,
            CallEndReason::Expired,
            CallEndReason::IncompatibleParameters,
            CallEndReason::MediaError,
            CallEndReason::UnsupportedApplications,
            CallEndReason::UnsupportedTransports,
        ];
        for reason in reasons {
            assert_eq!(end_reason_of(&reason_for(reason)), reason);
        }
    }

    #[test]
    fn error_replies_carry_the_jingle_condition() {
        let to: Jid = "romeo@montague.example/orchard".parse().expect("valid JID");
        let Iq::Error { error, .. } = iq_error(to, "x".into(), JingleRefusal::UnknownSession)
        else {
            panic!("not an error");
        };
        assert_eq!(error.defined_condition, DefinedCondition::ItemNotFound);
        let other = error.other.expect("a Jingle condition");
        assert!(other.is("unknown-session", NS_JINGLE_ERRORS));
    }

    #[test]
    fn rtp_info_round_trips() {
        for info in [
            RtpInfo::Active,
            RtpInfo::Hold,
            RtpInfo::Unhold,
            RtpInfo::Ringing,
            RtpInfo::Mute {
                name: Some("voice".into()),
            },
            RtpInfo::Unmute { name: None },
        ] {
            let element = info.to_element("initiator");
            assert_eq!(RtpInfo::from_element(&element), Some(info));
        }
        let unknown: Element = "<dance xmlns='urn:xmpp:jingle:apps:rtp:info:1'/>"
            .parse()
            .expect("well-formed");
        assert_eq!(RtpInfo::from_element(&unknown), None);
    }
}
