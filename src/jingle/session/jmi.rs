//! The Jingle Message Initiation payloads (XEP-0353, namespace
//! `urn:xmpp:jingle-message:0`): propose, ringing, proceed, accept, reject,
//! retract and finish.
//!
//! xmpp-parsers knows only five of the seven elements and none of their
//! `<reason/>`, `<tie-break/>` or `<migrated/>` children, so they are read and
//! written here, leniently: unknown children (such as the device element some
//! clients add to `<proceed/>`) are ignored and a missing reason is allowed,
//! as older versions of the XEP did not require one.

use xmpp_parsers::jingle::{Reason, ReasonElement};
use xmpp_parsers::minidom::Element;
use xmpp_parsers::minidom::rxml::xml_ncname;

use crate::model::{CallId, MediaKind};

/// The XEP-0353 namespace.
pub const NS_JINGLE_MESSAGE: &str = "urn:xmpp:jingle-message:0";
/// XEP-0334 processing hints (`<store/>`).
pub(crate) const NS_HINTS: &str = "urn:xmpp:hints";
const NS_JINGLE: &str = "urn:xmpp:jingle:1";
const NS_JINGLE_RTP: &str = "urn:xmpp:jingle:apps:rtp:1";

/// One Jingle Message Initiation payload.
#[derive(Debug, Clone, PartialEq)]
pub enum JmiMessage {
    /// The initiator wants to start a call with these media.
    Propose {
        /// The proposed session id.
        sid: CallId,
        /// The RTP media of the `<description/>` children, in order, without
        /// repeats; descriptions of other applications are left out.
        media: Vec<MediaKind>,
    },
    /// A device of the responder is ringing.
    Ringing {
        /// The session id.
        sid: CallId,
    },
    /// A device of the responder takes the call.
    Proceed {
        /// The session id.
        sid: CallId,
    },
    /// The legacy way to tell the responder's own devices that one of them
    /// took the call.
    Accept {
        /// The session id.
        sid: CallId,
    },
    /// The responder declines.
    Reject {
        /// The session id.
        sid: CallId,
        /// The Jingle reason, if any.
        reason: Option<Reason>,
        /// Sent because both sides proposed at once (XEP-0353 §4.1).
        tie_break: bool,
    },
    /// The initiator withdraws the proposal.
    Retract {
        /// The session id.
        sid: CallId,
        /// The Jingle reason, if any.
        reason: Option<Reason>,
        /// Sent because both sides proposed at once (XEP-0353 §4.1).
        tie_break: bool,
    },
    /// The call is over.
    Finish {
        /// The session id.
        sid: CallId,
        /// The Jingle reason, if any.
        reason: Option<Reason>,
        /// The session id the call moved to, if it was migrated.
        migrated_to: Option<CallId>,
    },
}

impl JmiMessage {
    /// The session id the message is about.
    pub fn sid(&self) -> &CallId {
        match self {
            Self::Propose { sid, .. }
            | Self::Ringing { sid }
            | Self::Proceed { sid }
            | Self::Accept { sid }
            | Self::Reject { sid, .. }
            | Self::Retract { sid, .. }
            | Self::Finish { sid, .. } => sid,
        }
    }

    /// Read a JMI element; `None` if it is not one or lacks its id.
    pub fn from_element(element: &Element) -> Option<Self> {
        if element.ns() != NS_JINGLE_MESSAGE {
            return None;
        }
        let sid = CallId::new(element.attr("id").filter(|id| !id.is_empty())?);
        let tie_break = element.get_child("tie-break", NS_JINGLE_MESSAGE).is_some();
        let message = match element.name() {
            "propose" => {
                let mut media = Vec::new();
                for description in element.children() {
                    if !description.is("description", NS_JINGLE_RTP) {
                        continue;
                    }
                    let kind = description.attr("media").and_then(MediaKind::from_media);
                    if let Some(kind) = kind
                        && !media.contains(&kind)
                    {
                        media.push(kind);
                    }
                }
                Self::Propose { sid, media }
            }
            "ringing" => Self::Ringing { sid },
            "proceed" => Self::Proceed { sid },
            "accept" => Self::Accept { sid },
            "reject" => Self::Reject {
                sid,
                reason: reason_of(element),
                tie_break,
            },
            "retract" => Self::Retract {
                sid,
                reason: reason_of(element),
                tie_break,
            },
            "finish" => Self::Finish {
                sid,
                reason: reason_of(element),
                migrated_to: element
                    .get_child("migrated", NS_JINGLE_MESSAGE)
                    .and_then(|migrated| migrated.attr("to"))
                    .map(CallId::new),
            },
            _ => return None,
        };
        Some(message)
    }

    /// Write the element.
    pub fn to_element(&self) -> Element {
        let (name, sid) = match self {
            Self::Propose { sid, .. } => ("propose", sid),
            Self::Ringing { sid } => ("ringing", sid),
            Self::Proceed { sid } => ("proceed", sid),
            Self::Accept { sid } => ("accept", sid),
            Self::Reject { sid, .. } => ("reject", sid),
            Self::Retract { sid, .. } => ("retract", sid),
            Self::Finish { sid, .. } => ("finish", sid),
        };
        let mut builder =
            Element::builder(name, NS_JINGLE_MESSAGE).attr(xml_ncname!("id").into(), sid.as_str());
        match self {
            Self::Propose { media, .. } => {
                for kind in media {
                    builder = builder.append(
                        Element::builder("description", NS_JINGLE_RTP)
                            .attr(xml_ncname!("media").into(), kind.as_str())
                            .build(),
                    );
                }
            }
            Self::Reject {
                reason, tie_break, ..
            }
            | Self::Retract {
                reason, tie_break, ..
            } => {
                if let Some(reason) = reason {
                    builder = builder.append(reason_element(reason.clone()));
                }
                if *tie_break {
                    builder = builder.append(Element::builder("tie-break", NS_JINGLE_MESSAGE));
                }
            }
            Self::Finish {
                reason,
                migrated_to,
                ..
            } => {
                if let Some(reason) = reason {
                    builder = builder.append(reason_element(reason.clone()));
                }
                if let Some(to) = migrated_to {
                    builder = builder.append(
                        Element::builder("migrated", NS_JINGLE_MESSAGE)
                            .attr(xml_ncname!("to").into(), to.as_str()),
                    );
                }
            }
            Self::Ringing { .. } | Self::Proceed { .. } | Self::Accept { .. } => {}
        }
        builder.build()
    }
}

/// A `<reason/>` without text: texts could leak more than the condition.
pub(crate) fn reason_element(reason: Reason) -> Element {
    ReasonElement {
        reason,
        texts: Default::default(),
    }
    .into()
}

fn reason_of(element: &Element) -> Option<Reason> {
    let reason = element.get_child("reason", NS_JINGLE)?;
    ReasonElement::try_from(reason.clone())
        .ok()
        .map(|parsed| parsed.reason)
}

/// The XEP-0334 `<store/>` hint every JMI message carries, so that archives
/// (XEP-0313) keep the call's history for the user's other devices.
pub(crate) fn store_hint() -> Element {
    Element::builder("store", NS_HINTS).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(xml: &str) -> Option<JmiMessage> {
        let element: Element = xml.parse().expect("test XML is well-formed");
        JmiMessage::from_element(&element)
    }

    #[test]
    fn reads_the_spec_propose() {
        let message = parse(
            "<propose xmlns='urn:xmpp:jingle-message:0' id='ca3cf894-5325-482f-a412-a6e9f832298d'>\
               <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/>\
             </propose>",
        );
        assert_eq!(
            message,
            Some(JmiMessage::Propose {
                sid: CallId::new("ca3cf894-5325-482f-a412-a6e9f832298d"),
                media: vec![MediaKind::Audio],
            })
        );
    }

    #[test]
    fn propose_keeps_rtp_media_only_once_each() {
        let message = parse(
            "<propose xmlns='urn:xmpp:jingle-message:0' id='a'>\
               <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/>\
               <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='video'/>\
               <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/>\
               <description xmlns='urn:xmpp:jingle:apps:file-transfer:5'/>\
               <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='application'/>\
             </propose>",
        );
        assert_eq!(
            message,
            Some(JmiMessage::Propose {
                sid: CallId::new("a"),
                media: vec![MediaKind::Audio, MediaKind::Video],
            })
        );
    }

    #[test]
    fn reads_reject_with_reason_and_tie_break() {
        let message = parse(
            "<reject xmlns='urn:xmpp:jingle-message:0' id='fecbea35'>\
               <reason xmlns='urn:xmpp:jingle:1'><expired/><text>Tie-Break</text></reason>\
               <tie-break/>\
             </reject>",
        );
        assert_eq!(
            message,
            Some(JmiMessage::Reject {
                sid: CallId::new("fecbea35"),
                reason: Some(Reason::Expired),
                tie_break: true,
            })
        );
    }

    #[test]
    fn reads_finish_with_migration() {
        let message = parse(
            "<finish xmlns='urn:xmpp:jingle-message:0' id='old'>\
               <reason xmlns='urn:xmpp:jingle:1'><expired/></reason>\
               <migrated to='new'/>\
             </finish>",
        );
        assert_eq!(
            message,
            Some(JmiMessage::Finish {
                sid: CallId::new("old"),
                reason: Some(Reason::Expired),
                migrated_to: Some(CallId::new("new")),
            })
        );
    }

    #[test]
    fn tolerates_missing_reason_and_unknown_children() {
        assert_eq!(
            parse("<retract xmlns='urn:xmpp:jingle-message:0' id='x'/>"),
            Some(JmiMessage::Retract {
                sid: CallId::new("x"),
                reason: None,
                tie_break: false,
            })
        );
        assert_eq!(
            parse(
                "<proceed xmlns='urn:xmpp:jingle-message:0' id='x'>\
                   <device xmlns='urn:example:device' id='12'/></proceed>"
            ),
            Some(JmiMessage::Proceed {
                sid: CallId::new("x")
            })
        );
        // A reason with an unknown condition is dropped, not fatal.
        assert_eq!(
            parse(
                "<finish xmlns='urn:xmpp:jingle-message:0' id='x'>\
                   <reason xmlns='urn:xmpp:jingle:1'><whatever/></reason></finish>"
            ),
            Some(JmiMessage::Finish {
                sid: CallId::new("x"),
                reason: None,
                migrated_to: None,
            })
        );
    }

    #[test]
    fn rejects_other_namespaces_names_and_missing_ids() {
        assert_eq!(
            parse("<propose xmlns='urn:xmpp:jingle-message:1' id='x'/>"),
            None
        );
        assert_eq!(
            parse("<hangup xmlns='urn:xmpp:jingle-message:0' id='x'/>"),
            None
        );
        assert_eq!(parse("<proceed xmlns='urn:xmpp:jingle-message:0'/>"), None);
        assert_eq!(
            parse("<proceed xmlns='urn:xmpp:jingle-message:0' id=''/>"),
            None
        );
    }

    #[test]
    fn every_message_round_trips() {
        let sid = CallId::new("round-trip");
        let messages = [
            JmiMessage::Propose {
                sid: sid.clone(),
                media: vec![MediaKind::Audio, MediaKind::Video],
            },
            JmiMessage::Ringing { sid: sid.clone() },
            JmiMessage::Proceed { sid: sid.clone() },
            JmiMessage::Accept { sid: sid.clone() },
            JmiMessage::Reject {
                sid: sid.clone(),
                reason: Some(Reason::Busy),
                tie_break: false,
            },
            JmiMessage::Retract {
                sid: sid.clone(),
                reason: Some(Reason::Expired),
                tie_break: true,
            },
            JmiMessage::Finish {
                sid: sid.clone(),
                reason: Some(Reason::Success),
                migrated_to: Some(CallId::new("next")),
            },
            JmiMessage::Finish {
                sid: sid.clone(),
                reason: None,
                migrated_to: None,
            },
        ];
        for message in messages {
            let element = message.to_element();
            assert_eq!(element.ns(), NS_JINGLE_MESSAGE);
            assert_eq!(JmiMessage::from_element(&element), Some(message));
        }
    }
}
