//! Room presence: joining (XEP-0045 §7.2), occupants coming, changing and
//! going, our own removal, and join errors.

use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::minidom::rxml::xml_ncname;
use xmpp_parsers::minidom::{Element, Node};
use xmpp_parsers::presence::{Presence, Show, Type};

use super::{
    NS_MUC, NS_OCCUPANT_ID, NS_USER, affiliation_from_attr, child_text, error_condition,
    role_from_attr, room_error,
};
use crate::model::{Occupant, PresenceShow, RoomError, RoomExit, Timestamp};

/// How much history a join asks the room for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JoinHistory {
    /// None: the archive (XEP-0313) fills history instead.
    None,
    /// At most this many messages (rooms without an archive).
    Last(u32),
    /// Messages since this time (rejoining a room without an archive).
    Since(Timestamp),
}

/// The presence that enters `room` as `nick` (XEP-0045 §7.2.1), with our
/// own availability and capabilities in `base`.
pub(crate) fn join(
    mut base: Presence,
    room: &BareJid,
    nick: &str,
    password: Option<&str>,
    history: &JoinHistory,
) -> Option<Presence> {
    let to = room.with_resource_str(nick).ok()?;
    let mut x = Element::builder("x", NS_MUC);
    let mut history_element = Element::builder("history", NS_MUC);
    match history {
        JoinHistory::None => {
            history_element = history_element.attr(xml_ncname!("maxchars").into(), "0");
        }
        JoinHistory::Last(count) => {
            history_element =
                history_element.attr(xml_ncname!("maxstanzas").into(), count.to_string());
        }
        JoinHistory::Since(stamp) => {
            history_element = history_element.attr(xml_ncname!("since").into(), iso8601(*stamp));
        }
    }
    x = x.append(history_element.build());
    if let Some(password) = password {
        x = x.append(
            Element::builder("password", NS_MUC)
                .append(Node::Text(password.to_owned()))
                .build(),
        );
    }
    base.to = Some(Jid::from(to));
    base.type_ = Type::None;
    base.payloads.push(x.build());
    Some(base)
}

/// The presence that leaves a room (or, sent to a new nickname while
/// joined, changes our nickname: §7.6).
pub(crate) fn leave(room: &BareJid, nick: &str) -> Option<Presence> {
    let to = room.with_resource_str(nick).ok()?;
    Some(Presence::new(Type::Unavailable).with_to(Jid::from(to)))
}

/// A nickname change (XEP-0045 §7.6): available presence to the new
/// occupant address, without the MUC join element.
pub(crate) fn change_nick(mut base: Presence, room: &BareJid, nick: &str) -> Option<Presence> {
    base.to = Some(Jid::from(room.with_resource_str(nick).ok()?));
    base.type_ = Type::None;
    Some(base)
}

/// An occupant's presence as the room reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OccupantPresence {
    /// The room.
    pub room: BareJid,
    /// The occupant, as they are now (for a departure: as they were).
    pub occupant: Occupant,
    /// The presence is about us (status 110).
    pub is_self: bool,
    /// The room was just created by this join (status 201).
    pub created: bool,
    /// The occupant is leaving.
    pub unavailable: bool,
    /// Leaving because of a nickname change (status 303): the new one.
    pub new_nick: Option<String>,
    /// Removed by the room rather than leaving (kick, ban …).
    pub removal: Option<RoomExit>,
    /// The room changed our nickname on join (status 210).
    pub nick_assigned: bool,
}

/// What a presence from a room means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RoomPresence {
    /// An occupant's presence.
    Occupant(OccupantPresence),
    /// The room refused our join or nickname change.
    Error {
        /// The room.
        room: BareJid,
        /// Why.
        error: RoomError,
    },
}

/// Interpret a presence from `room_or_occupant` for a room we are in or
/// joining; `None` when it is not a room presence.
pub(crate) fn classify(presence: &Presence) -> Option<RoomPresence> {
    let from = presence.from.as_ref()?;
    let room = from.to_bare();
    if presence.type_ == Type::Error {
        let condition = presence
            .payloads
            .iter()
            .find(|p| p.name() == "error")
            .map(error_condition)
            .unwrap_or_else(|| "undefined-condition".to_owned());
        let error = match room_error(&condition) {
            // Refusing a join as forbidden means we are banned (§7.2.8).
            RoomError::Forbidden => RoomError::Banned,
            other => other,
        };
        return Some(RoomPresence::Error { room, error });
    }
    let nick = from.resource()?.as_str().to_owned();
    let x = presence.payloads.iter().find(|p| p.is("x", NS_USER))?;
    let codes: Vec<u16> = x
        .children()
        .filter(|c| c.is("status", NS_USER))
        .filter_map(|c| c.attr("code")?.parse().ok())
        .collect();
    let item = x.get_child("item", NS_USER);
    let reason = item.and_then(|i| child_text(i, "reason", NS_USER));
    let unavailable = presence.type_ == Type::Unavailable;
    let occupant = Occupant {
        nick,
        real_jid: item
            .and_then(|i| i.attr("jid"))
            .and_then(|j| j.parse::<Jid>().ok())
            .map(|j| j.to_bare()),
        occupant_id: presence
            .payloads
            .iter()
            .find(|p| p.is("occupant-id", NS_OCCUPANT_ID))
            .and_then(|p| p.attr("id"))
            .map(str::to_owned),
        role: role_from_attr(item.and_then(|i| i.attr("role"))),
        affiliation: affiliation_from_attr(item.and_then(|i| i.attr("affiliation"))),
        show: if unavailable {
            PresenceShow::Offline
        } else {
            show(presence.show.as_ref())
        },
        status: presence
            .statuses
            .values()
            .next()
            .filter(|s| !s.is_empty())
            .cloned(),
    };
    let destroy = x.get_child("destroy", NS_USER);
    let removal = if !unavailable {
        None
    } else if let Some(destroy) = destroy {
        Some(RoomExit::Destroyed {
            reason: child_text(destroy, "reason", NS_USER).filter(|r| !r.is_empty()),
            alternative: destroy.attr("jid").and_then(|j| j.parse().ok()),
        })
    } else if codes.contains(&301) {
        Some(RoomExit::Banned { reason })
    } else if codes.contains(&307) {
        Some(RoomExit::Kicked { reason })
    } else if codes.contains(&321) || codes.contains(&322) {
        Some(RoomExit::MembershipLost)
    } else if codes.contains(&332) {
        Some(RoomExit::ServiceShutdown)
    } else {
        None
    };
    Some(RoomPresence::Occupant(OccupantPresence {
        room,
        is_self: codes.contains(&110),
        created: codes.contains(&201),
        unavailable,
        new_nick: if unavailable && codes.contains(&303) {
            item.and_then(|i| i.attr("nick")).map(str::to_owned)
        } else {
            None
        },
        removal,
        nick_assigned: codes.contains(&210),
        occupant,
    }))
}

fn show(show: Option<&Show>) -> PresenceShow {
    match show {
        None | Some(Show::Chat) => PresenceShow::Available,
        Some(Show::Away) => PresenceShow::Away,
        Some(Show::Xa) => PresenceShow::ExtendedAway,
        Some(Show::Dnd) => PresenceShow::DoNotDisturb,
    }
}

/// A timestamp as XEP-0082 date-time in UTC.
pub(crate) fn iso8601(stamp: Timestamp) -> String {
    let secs = stamp.0.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
