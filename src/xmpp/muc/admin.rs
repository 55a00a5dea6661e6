//! Requests to a room: roles and affiliations (XEP-0045 §8–9), owner
//! configuration and destruction (§10), registration (§7.10), message
//! moderation (XEP-0425) and self-ping (XEP-0410).

use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::minidom::rxml::xml_ncname;
use xmpp_parsers::minidom::{Element, Node};

use super::message::{NS_MODERATE_0, NS_MODERATE_1};
use super::{NS_ADMIN, NS_OWNER, NS_REGISTER, affiliation_to_attr, child_text, role_to_attr};
use crate::model::{AffiliatedUser, Affiliation, DataForm, Role};
use crate::xmpp::forms;

const NS_PING: &str = "urn:xmpp:ping";

fn iq_set(id: &str, to: Jid, payload: Element) -> Iq {
    Iq::Set {
        from: None,
        to: Some(to),
        id: id.to_owned(),
        payload,
    }
}

fn iq_get(id: &str, to: Jid, payload: Element) -> Iq {
    Iq::Get {
        from: None,
        to: Some(to),
        id: id.to_owned(),
        payload,
    }
}

fn text(name: &str, ns: &str, value: &str) -> Element {
    Element::builder(name, ns)
        .append(Node::Text(value.to_owned()))
        .build()
}

fn admin_item(mut item: xmpp_parsers::minidom::ElementBuilder, reason: Option<&str>) -> Element {
    if let Some(reason) = reason.filter(|r| !r.is_empty()) {
        item = item.append(text("reason", NS_ADMIN, reason));
    }
    Element::builder("query", NS_ADMIN)
        .append(item.build())
        .build()
}

/// Change an occupant's role (kick = `Role::None`; §8.2–8.6, §9.6–9.7).
pub(crate) fn set_role(
    id: &str,
    room: &BareJid,
    nick: &str,
    role: Role,
    reason: Option<&str>,
) -> Iq {
    let item = Element::builder("item", NS_ADMIN)
        .attr(xml_ncname!("nick").into(), nick)
        .attr(xml_ncname!("role").into(), role_to_attr(role));
    iq_set(id, Jid::from(room.clone()), admin_item(item, reason))
}

/// Change a user's affiliation (ban = `Affiliation::Outcast`; §9.1–9.5,
/// §10.3–10.7).
pub(crate) fn set_affiliation(
    id: &str,
    room: &BareJid,
    jid: &BareJid,
    affiliation: Affiliation,
    reason: Option<&str>,
) -> Iq {
    let item = Element::builder("item", NS_ADMIN)
        .attr(xml_ncname!("jid").into(), jid.as_str())
        .attr(
            xml_ncname!("affiliation").into(),
            affiliation_to_attr(affiliation),
        );
    iq_set(id, Jid::from(room.clone()), admin_item(item, reason))
}

/// Ask for the users with an affiliation (§9.2 ban list, §9.5 member list …).
pub(crate) fn affiliation_list(id: &str, room: &BareJid, affiliation: Affiliation) -> Iq {
    let item = Element::builder("item", NS_ADMIN).attr(
        xml_ncname!("affiliation").into(),
        affiliation_to_attr(affiliation),
    );
    let query = Element::builder("query", NS_ADMIN)
        .append(item.build())
        .build();
    iq_get(id, Jid::from(room.clone()), query)
}

/// The users in an affiliation list result, with the nickname they
/// registered and the reason (of a ban) when the room gives them.
pub(crate) fn parse_affiliation_list(payload: Option<&Element>) -> Vec<AffiliatedUser> {
    let Some(query) = payload.filter(|p| p.is("query", NS_ADMIN)) else {
        return Vec::new();
    };
    query
        .children()
        .filter(|c| c.is("item", NS_ADMIN))
        .filter_map(|item| {
            let jid = item.attr("jid")?.parse::<Jid>().ok()?.to_bare();
            let nonempty = |text: String| {
                let text = text.trim();
                (!text.is_empty()).then(|| text.to_owned())
            };
            Some(AffiliatedUser {
                jid,
                nick: item.attr("nick").map(str::to_owned).and_then(nonempty),
                reason: child_text(item, "reason", NS_ADMIN).and_then(nonempty),
            })
        })
        .collect()
}

/// Ask for the room's configuration form (§10.2).
pub(crate) fn config_request(id: &str, room: &BareJid) -> Iq {
    iq_get(
        id,
        Jid::from(room.clone()),
        Element::builder("query", NS_OWNER).build(),
    )
}

/// Submit (or cancel, with `None`) the configuration form; an empty submit
/// form accepts the defaults of a new room (instant room, §10.1.2).
pub(crate) fn config_submit(id: &str, room: &BareJid, form: Option<&DataForm>) -> Iq {
    let x = match form {
        Some(form) => form_element(&form.to_submit()),
        None => form_element(&DataForm {
            kind: crate::model::FormKind::Cancel,
            ..DataForm::default()
        }),
    };
    let query = Element::builder("query", NS_OWNER).append(x).build();
    iq_set(id, Jid::from(room.clone()), query)
}

/// An instant room: accept the service's default configuration.
pub(crate) fn instant_room(id: &str, room: &BareJid) -> Iq {
    let submit = DataForm {
        kind: crate::model::FormKind::Submit,
        ..DataForm::default()
    };
    let query = Element::builder("query", NS_OWNER)
        .append(form_element(&submit))
        .build();
    iq_set(id, Jid::from(room.clone()), query)
}

/// The data form inside an owner or registration query result.
pub(crate) fn form_in(payload: Option<&Element>) -> Option<DataForm> {
    payload?
        .children()
        .find(|c| c.is("x", "jabber:x:data"))
        .and_then(forms::from_element)
}

/// Destroy the room (§10.9), naming the room where the conversation
/// continues if there is one.
pub(crate) fn destroy(
    id: &str,
    room: &BareJid,
    reason: Option<&str>,
    alternative: Option<&BareJid>,
) -> Iq {
    let mut destroy = Element::builder("destroy", NS_OWNER);
    if let Some(alternative) = alternative {
        destroy = destroy.attr(xml_ncname!("jid").into(), alternative.as_str());
    }
    if let Some(reason) = reason.filter(|r| !r.is_empty()) {
        destroy = destroy.append(text("reason", NS_OWNER, reason));
    }
    let query = Element::builder("query", NS_OWNER)
        .append(destroy.build())
        .build();
    iq_set(id, Jid::from(room.clone()), query)
}

/// Ask for the room's registration form (§7.10).
pub(crate) fn registration_request(id: &str, room: &BareJid) -> Iq {
    iq_get(
        id,
        Jid::from(room.clone()),
        Element::builder("query", NS_REGISTER).build(),
    )
}

/// Submit the registration form.
pub(crate) fn registration_submit(id: &str, room: &BareJid, form: &DataForm) -> Iq {
    let query = Element::builder("query", NS_REGISTER)
        .append(form_element(&form.to_submit()))
        .build();
    iq_set(id, Jid::from(room.clone()), query)
}

/// Remove a message as a moderator, in the room's version of XEP-0425.
pub(crate) fn moderate(
    id: &str,
    room: &BareJid,
    server_id: &str,
    reason: Option<&str>,
    version_1: bool,
) -> Iq {
    let payload = if version_1 {
        let mut moderate = Element::builder("moderate", NS_MODERATE_1)
            .attr(xml_ncname!("id").into(), server_id)
            .append(Element::builder("retract", "urn:xmpp:message-retract:1").build());
        if let Some(reason) = reason.filter(|r| !r.is_empty()) {
            moderate = moderate.append(text("reason", NS_MODERATE_1, reason));
        }
        moderate.build()
    } else {
        let mut moderate = Element::builder("moderate", NS_MODERATE_0)
            .append(Element::builder("retract", "urn:xmpp:message-retract:0").build());
        if let Some(reason) = reason.filter(|r| !r.is_empty()) {
            moderate = moderate.append(text("reason", NS_MODERATE_0, reason));
        }
        Element::builder("apply-to", "urn:xmpp:fasten:0")
            .attr(xml_ncname!("id").into(), server_id)
            .append(moderate.build())
            .build()
    };
    iq_set(id, Jid::from(room.clone()), payload)
}

/// A self-ping (XEP-0410): a ping to our own occupant address.
pub(crate) fn self_ping(id: &str, room: &BareJid, nick: &str) -> Option<Iq> {
    let to = room.with_resource_str(nick).ok()?;
    Some(iq_get(
        id,
        Jid::from(to),
        Element::builder("ping", NS_PING).build(),
    ))
}

/// What the answer to a self-ping says about our presence in the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PingVerdict {
    /// Still joined.
    Joined,
    /// The room no longer has us: rejoin (unless we are changing our
    /// nickname right now).
    NotJoined,
    /// No conclusion (the service is unreachable): try later.
    Unknown,
}

/// Interpret the error condition of a self-ping (XEP-0410 §3.2); a result
/// means `Joined`.
pub(crate) fn ping_verdict(condition: &str) -> PingVerdict {
    match condition {
        // The room forwarded the ping to a client of ours that does not
        // answer pings: still joined. item-not-found: still joined, but
        // our occupant's nickname was just changed (by another of our
        // clients); the room's presence tells us the new one.
        "service-unavailable" | "feature-not-implemented" | "item-not-found" => PingVerdict::Joined,
        "remote-server-not-found" | "remote-server-timeout" => PingVerdict::Unknown,
        // not-acceptable (not an occupant) and anything else: rejoin.
        _ => PingVerdict::NotJoined,
    }
}

/// A form as its XML element.
fn form_element(form: &DataForm) -> Element {
    Element::from(forms::to_parsed(form))
}
