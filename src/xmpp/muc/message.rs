//! Room messages (XEP-0045 §7.4), subjects (§8.1), archived room messages
//! (XEP-0313 results), moderation notices (XEP-0425) and invitations
//! (XEP-0249 direct, XEP-0045 §7.8 mediated).

use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::message::{Id, Lang, Message, MessageType};
use xmpp_parsers::minidom::rxml::xml_ncname;
use xmpp_parsers::minidom::{Element, Node};
use xmpp_parsers::stanza_id::OriginId;

use super::{NS_CONFERENCE, NS_OCCUPANT_ID, NS_SID, NS_USER, child_text};
use crate::model::{Moderation, Timestamp};

const NS_DELAY: &str = "urn:xmpp:delay";
const NS_FASTEN: &str = "urn:xmpp:fasten:0";
const NS_FORWARD: &str = "urn:xmpp:forward:0";
/// XEP-0425 before version 0.3, as Prosody's module speaks it.
pub(crate) const NS_MODERATE_0: &str = "urn:xmpp:message-moderate:0";
/// XEP-0425 0.3 and later.
pub(crate) const NS_MODERATE_1: &str = "urn:xmpp:message-moderate:1";
const NS_RETRACT_0: &str = "urn:xmpp:message-retract:0";
const NS_RETRACT_1: &str = "urn:xmpp:message-retract:1";

/// A moderator removed an earlier message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModerationNotice {
    /// The room's stanza id of the removed message.
    pub server_id: String,
    /// Who and why.
    pub moderation: Moderation,
}

/// A message in a room, live or from its archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoomMessage {
    /// The room.
    pub room: BareJid,
    /// The sender's nickname; `None` for messages from the room itself.
    pub nick: Option<String>,
    /// Plain-text body.
    pub body: Option<String>,
    /// A new subject (`Some("")` clears it).
    pub subject: Option<String>,
    /// The stanza's id attribute.
    pub id: Option<String>,
    /// XEP-0359 origin id set by the sender.
    pub origin_id: Option<String>,
    /// XEP-0359 stanza id set by the room (its archive id).
    pub server_id: Option<String>,
    /// XEP-0421 occupant id of the sender.
    pub occupant_id: Option<String>,
    /// When it was sent, for delayed (history or archived) messages.
    pub delayed: Option<Timestamp>,
    /// A moderator's removal of another message.
    pub moderation: Option<ModerationNotice>,
    /// A moderated message as the archive keeps it (a tombstone).
    pub tombstone: Option<Moderation>,
}

/// Interpret a `type='groupchat'` message; `None` for other messages.
/// Stanza ids are trusted only when the room itself set them (XEP-0359
/// §5: `by` is the room), since senders could forge them.
pub(crate) fn classify(message: &Message) -> Option<RoomMessage> {
    if message.type_ != MessageType::Groupchat {
        return None;
    }
    let from = message.from.as_ref()?;
    let room = from.to_bare();
    let nick = from.resource().map(|r| r.as_str().to_owned());
    let body = message
        .get_best_body_cloned(vec![])
        .map(|(_, body)| body)
        .filter(|b| !b.is_empty());
    let subject = if body.is_none() {
        message.subjects.values().next().cloned().or_else(|| {
            // An empty `<subject/>` clears the subject (§8.1).
            message
                .payloads
                .iter()
                .any(|p| p.name() == "subject")
                .then(String::new)
        })
    } else {
        None
    };
    Some(RoomMessage {
        nick,
        body,
        subject,
        id: message.id.as_ref().map(|id| id.0.clone()),
        origin_id: payload(message, "origin-id", NS_SID)
            .and_then(|o| o.attr("id").map(str::to_owned)),
        server_id: stanza_id_by(message, &room),
        occupant_id: payload(message, "occupant-id", NS_OCCUPANT_ID)
            .and_then(|o| o.attr("id").map(str::to_owned)),
        delayed: payload(message, "delay", NS_DELAY).and_then(delay_stamp),
        moderation: moderation_notice(message),
        tombstone: tombstone(message),
        room,
    })
}

fn payload<'a>(message: &'a Message, name: &str, ns: &str) -> Option<&'a Element> {
    message.payloads.iter().find(|p| p.is(name, ns))
}

fn stanza_id_by(message: &Message, room: &BareJid) -> Option<String> {
    message
        .payloads
        .iter()
        .filter(|p| p.is("stanza-id", NS_SID))
        .find(|p| {
            p.attr("by")
                .and_then(|by| by.parse::<Jid>().ok())
                .is_some_and(|by| by.to_bare() == *room && by.resource().is_none())
        })
        .and_then(|p| p.attr("id"))
        .map(str::to_owned)
}

/// The stamp of a `<delay/>` element.
pub(crate) fn delay_stamp(delay: &Element) -> Option<Timestamp> {
    let stamp: xmpp_parsers::date::DateTime = delay.attr("stamp")?.parse().ok()?;
    Some(Timestamp(stamp.0.timestamp_millis()))
}

/// A moderation notice: `<apply-to><moderated>` (version 0) or
/// `<retract><moderated>` (version 1).
fn moderation_notice(message: &Message) -> Option<ModerationNotice> {
    if let Some(apply_to) = payload(message, "apply-to", NS_FASTEN) {
        let moderated = apply_to.get_child("moderated", NS_MODERATE_0)?;
        return Some(ModerationNotice {
            server_id: apply_to.attr("id")?.to_owned(),
            moderation: Moderation {
                by: moderated.attr("by").and_then(nick_of),
                reason: child_text(moderated, "reason", NS_MODERATE_0).filter(|r| !r.is_empty()),
            },
        });
    }
    let retract = payload(message, "retract", NS_RETRACT_1)?;
    let moderated = retract.get_child("moderated", NS_MODERATE_1)?;
    Some(ModerationNotice {
        server_id: retract.attr("id")?.to_owned(),
        moderation: Moderation {
            by: moderated.attr("by").and_then(nick_of),
            reason: child_text(retract, "reason", NS_RETRACT_1).filter(|r| !r.is_empty()),
        },
    })
}

/// The archive's tombstone of a moderated message.
fn tombstone(message: &Message) -> Option<Moderation> {
    for (moderate, retract) in [(NS_MODERATE_0, NS_RETRACT_0), (NS_MODERATE_1, NS_RETRACT_1)] {
        if let Some(moderated) = payload(message, "moderated", moderate)
            && moderated.has_child("retracted", retract)
        {
            return Some(Moderation {
                by: moderated.attr("by").and_then(nick_of),
                reason: child_text(moderated, "reason", moderate).filter(|r| !r.is_empty()),
            });
        }
        if let Some(retracted) = payload(message, "retracted", retract)
            && let Some(moderated) = retracted.get_child("moderated", moderate)
        {
            return Some(Moderation {
                by: moderated.attr("by").and_then(nick_of),
                reason: child_text(retracted, "reason", retract).filter(|r| !r.is_empty()),
            });
        }
    }
    None
}

/// The nickname in an occupant address.
fn nick_of(occupant: &str) -> Option<String> {
    let jid: Jid = occupant.parse().ok()?;
    jid.resource().map(|r| r.as_str().to_owned())
}

/// An archived room message (XEP-0313 §4.2): the query it answers, its
/// archive id and the original message with the archive's timestamp.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ArchivedMessage {
    /// The `queryid` of our query.
    pub query_id: String,
    /// The message as a room message; its `server_id` is the archive id.
    pub message: RoomMessage,
}

/// Unwrap a MAM result sent by `room` (results from anyone else are forged).
pub(crate) fn archived(message: &Message, room: &BareJid) -> Option<ArchivedMessage> {
    if message.from.as_ref()?.to_bare() != *room {
        return None;
    }
    let result = message
        .payloads
        .iter()
        .find(|p| p.name() == "result" && p.ns().starts_with("urn:xmpp:mam:"))?;
    let forwarded = result.get_child("forwarded", NS_FORWARD)?;
    let delay = forwarded.get_child("delay", NS_DELAY).and_then(delay_stamp);
    let inner = forwarded
        .children()
        .find(|c| c.name() == "message")?
        .clone();
    let mut inner = Message::try_from(inner).ok()?;
    // The archive keeps the room's own stanza id as the result id.
    inner.type_ = MessageType::Groupchat;
    let mut message = classify(&inner)?;
    if message.room != *room {
        return None;
    }
    message.server_id = Some(result.attr("id")?.to_owned());
    message.delayed = delay.or(message.delayed);
    Some(ArchivedMessage {
        query_id: result.attr("queryid").unwrap_or_default().to_owned(),
        message,
    })
}

/// A groupchat message to a room, with an origin id that the room's echo
/// carries back (so the echo confirms delivery).
pub(crate) fn outgoing(room: &BareJid, body: &str, origin_id: &str) -> Message {
    let mut message = Message::groupchat(Some(Jid::from(room.clone())));
    message.id = Some(Id(origin_id.to_owned()));
    message.bodies.insert(Lang::default(), body.to_owned());
    message.with_payload(OriginId {
        id: origin_id.to_owned(),
    })
}

/// A message changing the room's subject.
pub(crate) fn subject(room: &BareJid, subject: &str) -> Message {
    let mut message = Message::groupchat(Some(Jid::from(room.clone())));
    message.id = Some(Id(crate::xmpp::message::new_id()));
    // An empty subject element is how a subject is cleared (§8.1).
    message.subjects.insert(Lang::default(), subject.to_owned());
    message
}

/// An invitation to a room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Invitation {
    /// Someone invites us.
    Invite {
        /// The room.
        room: BareJid,
        /// Who invites.
        from: BareJid,
        /// Their nickname, when the room relays from their occupant address.
        inviter_nick: Option<String>,
        /// Their reason.
        reason: Option<String>,
        /// The room's password.
        password: Option<String>,
        /// Sent through the room (§7.8.2) rather than directly.
        mediated: bool,
    },
    /// Someone declined our invitation (relayed by the room).
    Declined {
        /// The room.
        room: BareJid,
        /// Who declined.
        from: BareJid,
        /// Their reason.
        reason: Option<String>,
    },
}

/// An invitation in a (non-groupchat) message, if any.
pub(crate) fn invitation(message: &Message) -> Option<Invitation> {
    let sender = message.from.as_ref()?.to_bare();
    if let Some(x) = payload(message, "x", NS_USER) {
        let password = child_text(x, "password", NS_USER);
        if let Some(invite) = x.get_child("invite", NS_USER) {
            let inviter: Jid = invite.attr("from")?.parse().ok()?;
            let inviter_nick = (inviter.to_bare() == sender)
                .then(|| inviter.resource().map(|r| r.as_str().to_owned()))
                .flatten();
            return Some(Invitation::Invite {
                room: sender,
                from: inviter.to_bare(),
                inviter_nick,
                reason: child_text(invite, "reason", NS_USER).filter(|r| !r.is_empty()),
                password,
                mediated: true,
            });
        }
        if let Some(decline) = x.get_child("decline", NS_USER) {
            return Some(Invitation::Declined {
                room: sender,
                from: decline.attr("from")?.parse::<Jid>().ok()?.to_bare(),
                reason: child_text(decline, "reason", NS_USER).filter(|r| !r.is_empty()),
            });
        }
    }
    let x = payload(message, "x", NS_CONFERENCE)?;
    let room: BareJid = x.attr("jid")?.parse().ok()?;
    Some(Invitation::Invite {
        room,
        from: sender,
        inviter_nick: None,
        reason: x
            .attr("reason")
            .filter(|r| !r.is_empty())
            .map(str::to_owned),
        password: x.attr("password").map(str::to_owned),
        mediated: false,
    })
}

/// A direct invitation (XEP-0249).
pub(crate) fn direct_invitation(
    room: &BareJid,
    invitee: &BareJid,
    reason: Option<&str>,
    password: Option<&str>,
) -> Message {
    let mut x = Element::builder("x", NS_CONFERENCE).attr(xml_ncname!("jid").into(), room.as_str());
    if let Some(reason) = reason {
        x = x.attr(xml_ncname!("reason").into(), reason);
    }
    if let Some(password) = password {
        x = x.attr(xml_ncname!("password").into(), password);
    }
    let mut message = Message::normal(Some(Jid::from(invitee.clone())));
    message.id = Some(Id(crate::xmpp::message::new_id()));
    message.payloads.push(x.build());
    message
}

/// A mediated invitation (§7.8.2) or decline (§7.8.2.3) sent to the room.
pub(crate) fn mediated(
    room: &BareJid,
    other: &Jid,
    reason: Option<&str>,
    decline: bool,
) -> Message {
    let mut child = Element::builder(if decline { "decline" } else { "invite" }, NS_USER)
        .attr(xml_ncname!("to").into(), other.to_string());
    if let Some(reason) = reason {
        child = child.append(
            Element::builder("reason", NS_USER)
                .append(Node::Text(reason.to_owned()))
                .build(),
        );
    }
    let mut message = Message::normal(Some(Jid::from(room.clone())));
    message.id = Some(Id(crate::xmpp::message::new_id()));
    message
        .payloads
        .push(Element::builder("x", NS_USER).append(child.build()).build());
    message
}
