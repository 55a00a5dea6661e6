//! Group chats (XEP-0045 rooms): the join dialog, the directory of public
//! rooms, the occupant list, the room's state bar and menu, invitations, and the helpers the chat list
//! and the chat view use to show rooms and their messages.

pub mod affiliations;
pub mod colors;
pub mod destroy;
pub mod directory;
pub mod directory_list;
pub mod invitation;
pub mod invite;
pub mod join_dialog;
pub mod menu;
pub mod occupant_store;
pub mod occupants;
pub mod prompt;
pub mod status;

use gettextrs::gettext;
use warbler::model::{OccupantChange, Role, RoomExit, RoomState, RoomSummary};

use crate::i18n::gettext_f;
use crate::ui::fallback_name;

/// The name a room is shown under: its name, else its address's local part.
pub fn room_name(room: &RoomSummary) -> String {
    room.name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| fallback_name(&room.room))
}

/// The translated name of a role, plural, as a heading of the occupant list.
pub fn role_heading(role: Role) -> String {
    match role {
        Role::Moderator => gettext("Moderators"),
        Role::Participant => gettext("Participants"),
        Role::Visitor => gettext("Visitors"),
        Role::None => gettext("Others"),
    }
}

/// The short line shown in an open room when someone comes, goes or
/// changes their nickname; `None` for presence changes of people already in.
pub fn occupant_notice(change: &OccupantChange, known: bool) -> Option<String> {
    match change {
        OccupantChange::Updated { occupant } if !known => Some(gettext_f(
            // Translators: shown in a room when someone enters it.
            "{nick} joined",
            &[("nick", &occupant.nick)],
        )),
        OccupantChange::Updated { .. } => None,
        OccupantChange::Renamed { old_nick, occupant } => Some(gettext_f(
            // Translators: shown in a room when someone changes their nickname.
            "{old} is now known as {new}",
            &[("old", old_nick), ("new", &occupant.nick)],
        )),
        OccupantChange::Left { nick, exit } => Some(match exit {
            RoomExit::Kicked { .. } => gettext_f(
                // Translators: shown in a room when a moderator removes someone.
                "{nick} was removed",
                &[("nick", nick)],
            ),
            RoomExit::Banned { .. } => gettext_f(
                // Translators: shown in a room when someone is banned.
                "{nick} was banned",
                &[("nick", nick)],
            ),
            _ => gettext_f(
                // Translators: shown in a room when someone leaves it.
                "{nick} left",
                &[("nick", nick)],
            ),
        }),
    }
}

/// A short description of where we stand with a room, for the header and
/// the sidebar; `None` when joined.
pub fn state_label(state: &RoomState) -> Option<String> {
    match state {
        RoomState::Joined => None,
        RoomState::NotJoined => Some(gettext("Not joined")),
        RoomState::Joining => Some(gettext("Joining…")),
        RoomState::Failed { .. } => Some(gettext("Could not join")),
        RoomState::Exited { .. } => Some(gettext("Not in the room")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warbler::model::{Affiliation, BareJid, Occupant, PresenceShow, RoomNotify};

    fn occupant(nick: &str) -> Occupant {
        Occupant {
            nick: nick.into(),
            real_jid: None,
            occupant_id: None,
            role: Role::Participant,
            affiliation: Affiliation::None,
            show: PresenceShow::Available,
            status: None,
        }
    }

    #[test]
    fn notices_for_arrivals_renames_and_departures_only() {
        let joined = OccupantChange::Updated {
            occupant: occupant("Bob"),
        };
        assert_eq!(
            occupant_notice(&joined, false).as_deref(),
            Some("Bob joined")
        );
        assert_eq!(occupant_notice(&joined, true), None);
        let renamed = OccupantChange::Renamed {
            old_nick: "Bob".into(),
            occupant: occupant("Robert"),
        };
        assert_eq!(
            occupant_notice(&renamed, true).as_deref(),
            Some("Bob is now known as Robert")
        );
        let left = OccupantChange::Left {
            nick: "Bob".into(),
            exit: RoomExit::Left,
        };
        assert_eq!(occupant_notice(&left, true).as_deref(), Some("Bob left"));
    }

    #[test]
    fn rooms_without_a_name_show_their_local_part() {
        let jid = |s: &str| s.parse::<BareJid>().expect("valid JID");
        let mut room = RoomSummary {
            account: jid("alice@example.org"),
            room: jid("team@conference.example.org"),
            name: None,
            subject: None,
            nick: "alice".into(),
            state: RoomState::Joined,
            role: Role::Participant,
            affiliation: Affiliation::None,
            notify: RoomNotify::MentionsOnly,
            bookmarked: true,
            autojoin: true,
            members_only: false,
            archived: true,
        };
        assert_eq!(room_name(&room), "team");
        room.name = Some(" The Team ".into());
        assert_eq!(room_name(&room), "The Team");
    }
}
