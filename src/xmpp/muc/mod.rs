//! Multi-user chat (XEP-0045) and the XEPs rooms rely on: occupant ids
//! (XEP-0421), self-ping (XEP-0410), direct invitations (XEP-0249) and
//! message moderation (XEP-0425).
//!
//! Room stanzas are read from their XML elements directly rather than
//! through strict parsers: rooms add children of their own (`<destroy/>`,
//! hats, unknown status codes) and one unexpected child must not make us
//! lose a presence or a message.

pub(crate) mod admin;
pub(crate) mod directory;
pub(crate) mod message;
pub(crate) mod presence;
pub(crate) mod private;
pub(crate) mod services;

#[cfg(test)]
mod tests;

use xmpp_parsers::minidom::Element;

use crate::model::{Affiliation, Role, RoomError};

/// `http://jabber.org/protocol/muc`
pub(crate) const NS_MUC: &str = "http://jabber.org/protocol/muc";
/// `http://jabber.org/protocol/muc#user`
pub(crate) const NS_USER: &str = "http://jabber.org/protocol/muc#user";
/// `http://jabber.org/protocol/muc#admin`
pub(crate) const NS_ADMIN: &str = "http://jabber.org/protocol/muc#admin";
/// `http://jabber.org/protocol/muc#owner`
pub(crate) const NS_OWNER: &str = "http://jabber.org/protocol/muc#owner";
/// XEP-0421 occupant ids.
pub(crate) const NS_OCCUPANT_ID: &str = "urn:xmpp:occupant-id:0";
/// XEP-0359 unique and stable stanza ids.
pub(crate) const NS_SID: &str = "urn:xmpp:sid:0";
/// XEP-0249 direct invitations.
pub(crate) const NS_CONFERENCE: &str = "jabber:x:conference";
/// In-band registration, used to register with a room.
pub(crate) const NS_REGISTER: &str = "jabber:iq:register";

/// The text of the first child `name` in `ns`, if any.
pub(crate) fn child_text(element: &Element, name: &str, ns: &str) -> Option<String> {
    element.get_child(name, ns).map(Element::text)
}

/// A role as XEP-0045 spells it.
pub(crate) fn role_from_attr(value: Option<&str>) -> Role {
    match value {
        Some("moderator") => Role::Moderator,
        Some("participant") => Role::Participant,
        Some("visitor") => Role::Visitor,
        _ => Role::None,
    }
}

/// The attribute value of a role.
pub(crate) fn role_to_attr(role: Role) -> &'static str {
    match role {
        Role::Moderator => "moderator",
        Role::Participant => "participant",
        Role::Visitor => "visitor",
        Role::None => "none",
    }
}

/// An affiliation as XEP-0045 spells it.
pub(crate) fn affiliation_from_attr(value: Option<&str>) -> Affiliation {
    match value {
        Some("owner") => Affiliation::Owner,
        Some("admin") => Affiliation::Admin,
        Some("member") => Affiliation::Member,
        Some("outcast") => Affiliation::Outcast,
        _ => Affiliation::None,
    }
}

/// The attribute value of an affiliation.
pub(crate) fn affiliation_to_attr(affiliation: Affiliation) -> &'static str {
    match affiliation {
        Affiliation::Owner => "owner",
        Affiliation::Admin => "admin",
        Affiliation::Member => "member",
        Affiliation::Outcast => "outcast",
        Affiliation::None => "none",
    }
}

/// What a room's error condition means for the user (XEP-0045 §7.2 and
/// §8–10): the same conditions answer joins and administrative requests.
pub(crate) fn room_error(condition: &str) -> RoomError {
    match condition {
        "conflict" => RoomError::NicknameConflict,
        // The room's word for an unusable (often empty) nickname.
        "jid-malformed" => RoomError::NicknameInvalid,
        "not-authorized" => RoomError::PasswordRequired,
        "registration-required" => RoomError::MembersOnly,
        "forbidden" => RoomError::Forbidden,
        "not-acceptable" => RoomError::RegistrationRequired,
        "item-not-found" | "gone" => RoomError::NotFound,
        "service-unavailable" => RoomError::Full,
        "not-allowed" => RoomError::NotAllowed,
        "remote-server-not-found" | "remote-server-timeout" | "recipient-unavailable" => {
            RoomError::Unreachable
        }
        other => RoomError::Other {
            condition: other.to_owned(),
        },
    }
}

/// The defined condition of an `<error/>` element (RFC 6120 §8.3.3).
pub(crate) fn error_condition(error: &Element) -> String {
    error
        .children()
        .find(|c| c.ns() == "urn:ietf:params:xml:ns:xmpp-stanzas" && c.name() != "text")
        .map(|c| c.name().to_owned())
        .unwrap_or_else(|| "undefined-condition".to_owned())
}
