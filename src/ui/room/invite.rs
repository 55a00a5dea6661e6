//! Invitations we send: to the open room from its menu (asking for an
//! address) and to one of our rooms from a contact's menu (asking which
//! room). Both ask with [`Prompt`], with an optional reason the invitee
//! reads, and end in [`invite_command`].

use gettextrs::gettext;
use relm4::gtk;
use warbler::model::{BareJid, RoomState, RoomSummary};
use warbler::session::Command;

use super::prompt::Prompt;
use super::room_name;
use crate::i18n::gettext_f;

/// Invite `invitee` to `room`; an empty reason is none.
pub fn invite_command(
    account: BareJid,
    room: BareJid,
    invitee: BareJid,
    reason: String,
) -> Command {
    let reason = reason.trim().to_owned();
    Command::InviteToRoom {
        account,
        room,
        invitee,
        reason: (!reason.is_empty()).then_some(reason),
    }
}

/// Ask for the address of someone to invite to `room` (named `name`), with
/// an optional reason, and send the invitation with `send`.
pub fn ask_address(
    parent: Option<&gtk::Window>,
    account: BareJid,
    room: BareJid,
    name: &str,
    send: impl Fn(Command) + 'static,
) {
    let mut prompt = Prompt::new(
        gettext("Invite to Room"),
        gettext_f(
            "Enter the address of the person to invite to {room}.",
            &[("room", name)],
        ),
        gettext("Address"),
        gettext("_Invite"),
    );
    prompt.valid = |text| crate::ui::parse_typed_address(text).is_some();
    prompt.second = Some(gettext("Reason (optional)"));
    prompt.ask_two(parent, move |address, reason| {
        // The prompt accepts valid addresses only.
        if let Some(invitee) = crate::ui::parse_typed_address(&address) {
            send(invite_command(
                account.clone(),
                room.clone(),
                invitee,
                reason,
            ));
        }
    });
}

/// The rooms `account` is in, by name: those we can invite its contacts to.
pub fn joined_rooms<'a>(
    rooms: impl IntoIterator<Item = &'a RoomSummary>,
    account: &BareJid,
) -> Vec<(BareJid, String)> {
    let mut joined: Vec<(BareJid, String)> = rooms
        .into_iter()
        .filter(|room| &room.account == account && room.state == RoomState::Joined)
        .map(|room| (room.room.clone(), room_name(room)))
        .collect();
    joined.sort_by(|a, b| (a.1.to_lowercase(), &a.0).cmp(&(b.1.to_lowercase(), &b.0)));
    joined
}

/// Ask which of `rooms` (from [`joined_rooms`]) to invite `name` to, with
/// an optional reason, and send the invitation with `send`.
pub fn ask_room(
    parent: Option<&gtk::Window>,
    account: BareJid,
    invitee: BareJid,
    name: &str,
    rooms: Vec<(BareJid, String)>,
    send: impl Fn(Command) + 'static,
) {
    if rooms.is_empty() {
        return;
    }
    let mut prompt = Prompt::new(
        gettext_f("Invite {name} to a Room", &[("name", name)]),
        gettext("They will be asked whether to join the room."),
        gettext("Reason (optional)"),
        gettext("_Invite"),
    );
    prompt.allow_empty = true;
    prompt.choice = Some((
        // Translators: the title of the list of rooms to invite someone to.
        gettext("Room"),
        rooms.iter().map(|(_, name)| name.clone()).collect(),
    ));
    prompt.ask_choice(parent, move |position, reason| {
        if let Some((room, _)) = rooms.get(position as usize) {
            send(invite_command(
                account.clone(),
                room.clone(),
                invitee.clone(),
                reason,
            ));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use warbler::model::{Affiliation, Role, RoomNotify};

    fn room(account: &str, room: &str, name: &str, state: RoomState) -> RoomSummary {
        RoomSummary {
            account: BareJid::new(account).expect("an address"),
            room: BareJid::new(room).expect("an address"),
            name: Some(name.into()),
            subject: None,
            nick: "me".into(),
            state,
            role: Role::Participant,
            affiliation: Affiliation::None,
            notify: RoomNotify::default(),
            bookmarked: false,
            autojoin: false,
            members_only: false,
            archived: false,
        }
    }

    #[test]
    fn invitees_may_be_links() {
        assert_eq!(
            crate::ui::parse_typed_address(" xmpp:bob@example.org "),
            BareJid::new("bob@example.org").ok()
        );
        assert_eq!(crate::ui::parse_typed_address("not an address"), None);
    }

    #[test]
    fn an_empty_reason_is_none() {
        let jid = |s: &str| BareJid::new(s).expect("an address");
        let command = invite_command(
            jid("me@example.org"),
            jid("room@muc.example.org"),
            jid("bob@example.org"),
            "  ".into(),
        );
        assert!(matches!(
            command,
            Command::InviteToRoom { reason: None, .. }
        ));
    }

    #[test]
    fn only_joined_rooms_of_the_account_by_name() {
        let rooms = [
            room("me@a.org", "z@muc.a.org", "zebra", RoomState::Joined),
            room("me@a.org", "b@muc.a.org", "Birds", RoomState::Joined),
            room("me@a.org", "c@muc.a.org", "cats", RoomState::Joining),
            room("me@a.org", "d@muc.a.org", "dogs", RoomState::NotJoined),
            room("me@b.org", "e@muc.b.org", "eels", RoomState::Joined),
        ];
        let names: Vec<String> =
            joined_rooms(&rooms, &BareJid::new("me@a.org").expect("an address"))
                .into_iter()
                .map(|(_, name)| name)
                .collect();
        assert_eq!(names, ["Birds", "zebra"]);
        assert!(joined_rooms(&rooms, &BareJid::new("you@a.org").expect("an address")).is_empty());
    }
}
