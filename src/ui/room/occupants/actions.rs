//! What an occupant's menu offers: a private message to anyone but us,
//! and the moderation XEP-0045 lets our role and affiliation do to theirs,
//! each status change with the question that asks for its reason.

use gettextrs::gettext;
use relm4::gtk::{gio, prelude::*};
use warbler::model::{Affiliation, Role};

use super::OccupantItem;
use crate::i18n::gettext_f;
use crate::ui::room::prompt::Prompt;

/// What we may do to others in the room.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Powers {
    /// We are a moderator: kick, voice.
    pub moderate: bool,
    /// We are an admin or owner: ban, grant and revoke moderator status
    /// and membership.
    pub admin: bool,
    /// We are an owner: grant and revoke admin status.
    pub owner: bool,
}

impl Powers {
    /// The powers of our role and affiliation.
    pub fn of(role: Role, affiliation: Affiliation) -> Self {
        Self {
            moderate: role == Role::Moderator,
            admin: matches!(affiliation, Affiliation::Owner | Affiliation::Admin),
            owner: affiliation == Affiliation::Owner,
        }
    }
}

/// The translated name of one role.
pub(super) fn role_name(role: Role) -> String {
    match role {
        Role::Moderator => gettext("Moderator"),
        Role::Participant => gettext("Participant"),
        Role::Visitor => gettext("Visitor"),
        Role::None => gettext("No role"),
    }
}

/// The actions (label, action name) offered for a row: a private message
/// (the chat view's `pm.start`) to anyone but us, and moderation as
/// XEP-0045 allows it: moderators voice and kick those who are not
/// moderators; admins and owners ban, grant and revoke moderator status
/// and membership of those who are neither admins nor owners (membership
/// and bans need their real address); owners grant and revoke admin
/// status.
pub(super) fn row_actions(item: &OccupantItem) -> Vec<(String, &'static str)> {
    let mut actions = Vec::new();
    if item.own {
        return actions;
    }
    actions.push((gettext("Send _Private Message"), "pm.start"));
    let target = &item.occupant;
    let powers = item.powers;
    let above_us = matches!(target.affiliation, Affiliation::Owner | Affiliation::Admin);
    if powers.moderate && target.role != Role::Moderator {
        match target.role {
            Role::Visitor => actions.push((gettext("Grant _Voice"), "occupants.voice")),
            _ => actions.push((gettext("Revoke _Voice"), "occupants.devoice")),
        }
        actions.push((gettext("_Kick…"), "occupants.kick"));
    }
    if powers.admin && !above_us {
        match target.role {
            Role::Moderator => actions.push((
                gettext("Remove Modera_tor Status…"),
                "occupants.revoke-moderator",
            )),
            Role::Participant | Role::Visitor => {
                actions.push((gettext("Make _Moderator…"), "occupants.grant-moderator"))
            }
            Role::None => {}
        }
    }
    let known = target.real_jid.is_some();
    if powers.admin && known && !above_us {
        match target.affiliation {
            Affiliation::Member => {
                actions.push((gettext("Remove Members_hip…"), "occupants.revoke-member"))
            }
            _ => actions.push((gettext("Make Memb_er…"), "occupants.grant-member")),
        }
    }
    if powers.owner && known {
        match target.affiliation {
            Affiliation::Admin => {
                actions.push((gettext("Remove A_dmin Status…"), "occupants.revoke-admin"))
            }
            Affiliation::Member | Affiliation::None => {
                actions.push((gettext("Make _Admin…"), "occupants.grant-admin"))
            }
            _ => {}
        }
    }
    if powers.admin && known && !above_us {
        actions.push((gettext("_Ban…"), "occupants.ban"));
    }
    actions
}

/// A change of status offered in an occupant's menu (the action's name
/// without `occupants.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StatusChange {
    /// A new role (of the nickname).
    Role(Role),
    /// A new affiliation (of the real address).
    Affiliation(Affiliation),
}

impl StatusChange {
    /// The menu actions that change an occupant's role or affiliation.
    pub(super) const ACTIONS: [&'static str; 6] = [
        "grant-moderator",
        "revoke-moderator",
        "grant-member",
        "revoke-member",
        "grant-admin",
        "revoke-admin",
    ];

    pub(super) fn of(action: &str) -> Option<Self> {
        Some(match action {
            "grant-moderator" => Self::Role(Role::Moderator),
            "revoke-moderator" => Self::Role(Role::Participant),
            "grant-member" => Self::Affiliation(Affiliation::Member),
            "revoke-member" => Self::Affiliation(Affiliation::None),
            "grant-admin" => Self::Affiliation(Affiliation::Admin),
            // XEP-0045 §10.7: a former admin stays a member.
            "revoke-admin" => Self::Affiliation(Affiliation::Member),
            _ => return None,
        })
    }
}

/// The prompt asking for the reason of a status change: heading, body,
/// confirming button, and whether it takes something away.
pub(super) fn status_prompt(action: &str, nick: &str) -> Option<Prompt> {
    let nick = [("nick", nick)];
    let (heading, body, confirm, revoke) = match action {
        "grant-moderator" => (
            gettext_f("Make {nick} a moderator?", &nick),
            gettext("Moderators can remove people from the room and decide who may speak."),
            gettext("_Make Moderator"),
            false,
        ),
        "revoke-moderator" => (
            gettext_f("Remove moderator status from {nick}?", &nick),
            gettext("They will no longer be able to remove people or decide who may speak."),
            gettext("_Remove"),
            true,
        ),
        "grant-member" => (
            gettext_f("Make {nick} a member?", &nick),
            gettext("Members may enter the room even when it is open to members only."),
            gettext("_Make Member"),
            false,
        ),
        "revoke-member" => (
            gettext_f("Remove the membership of {nick}?", &nick),
            gettext("If the room is open to members only, they will have to leave it."),
            gettext("_Remove"),
            true,
        ),
        "grant-admin" => (
            gettext_f("Make {nick} an admin?", &nick),
            gettext("Admins can ban people, manage members and appoint moderators."),
            gettext("_Make Admin"),
            false,
        ),
        "revoke-admin" => (
            gettext_f("Remove admin status from {nick}?", &nick),
            gettext("They will stay a member of the room."),
            gettext("_Remove"),
            true,
        ),
        _ => return None,
    };
    let mut prompt = Prompt::new(heading, body, gettext("Reason (optional)"), confirm);
    prompt.allow_empty = true;
    prompt.destructive = revoke;
    Some(prompt)
}

pub(super) fn row_menu(item: &OccupantItem) -> gio::Menu {
    let menu = gio::Menu::new();
    let target = item.occupant.nick.to_variant();
    // Writing to them, then moderation, in sections of their own.
    let mut section = gio::Menu::new();
    for (label, action) in row_actions(item) {
        let entry = gio::MenuItem::new(Some(&label), None);
        entry.set_action_and_target_value(Some(action), Some(&target));
        section.append_item(&entry);
        if action == "pm.start" {
            menu.append_section(None, &section);
            section = gio::Menu::new();
        }
    }
    if section.n_items() > 0 {
        menu.append_section(None, &section);
    }
    menu
}

#[cfg(test)]
mod tests {
    use super::*;
    use warbler::model::{BareJid, Occupant, PresenceShow};

    fn item(role: Role, affiliation: Affiliation, known: bool, powers: Powers) -> OccupantItem {
        OccupantItem {
            occupant: Occupant {
                nick: "bob".into(),
                real_jid: known.then(|| BareJid::new("bob@example.org").expect("an address")),
                occupant_id: None,
                role,
                affiliation,
                show: PresenceShow::Available,
                status: None,
            },
            header: None,
            powers,
            own: false,
        }
    }

    fn names(item: &OccupantItem) -> Vec<&'static str> {
        row_actions(item)
            .into_iter()
            .map(|(_, name)| name.trim_start_matches("occupants."))
            .collect()
    }

    const MODERATOR: Powers = Powers {
        moderate: true,
        admin: false,
        owner: false,
    };
    const ADMIN: Powers = Powers {
        moderate: true,
        admin: true,
        owner: false,
    };
    const OWNER: Powers = Powers {
        moderate: true,
        admin: true,
        owner: true,
    };

    #[test]
    fn powers_follow_role_and_affiliation() {
        assert_eq!(Powers::of(Role::Moderator, Affiliation::None), MODERATOR);
        assert_eq!(Powers::of(Role::Moderator, Affiliation::Admin), ADMIN);
        assert_eq!(Powers::of(Role::Moderator, Affiliation::Owner), OWNER);
        assert_eq!(
            Powers::of(Role::Participant, Affiliation::Member),
            Powers::default()
        );
    }

    #[test]
    fn nothing_for_ourselves() {
        let mut own = item(Role::Participant, Affiliation::None, true, OWNER);
        own.own = true;
        assert!(row_actions(&own).is_empty());
    }

    #[test]
    fn others_may_only_write_privately() {
        let plain = item(
            Role::Participant,
            Affiliation::None,
            true,
            Powers::default(),
        );
        assert_eq!(names(&plain), ["pm.start"]);
    }

    #[test]
    fn moderators_voice_and_kick_but_appoint_no_one() {
        let participant = item(Role::Participant, Affiliation::None, true, MODERATOR);
        assert_eq!(names(&participant), ["pm.start", "devoice", "kick"]);
        let visitor = item(Role::Visitor, Affiliation::None, true, MODERATOR);
        assert_eq!(names(&visitor), ["pm.start", "voice", "kick"]);
        // No one but admins and owners touches another moderator.
        let moderator = item(Role::Moderator, Affiliation::None, true, MODERATOR);
        assert_eq!(names(&moderator), ["pm.start"]);
    }

    #[test]
    fn admins_appoint_moderators_and_members() {
        let participant = item(Role::Participant, Affiliation::None, true, ADMIN);
        assert_eq!(
            names(&participant),
            [
                "pm.start",
                "devoice",
                "kick",
                "grant-moderator",
                "grant-member",
                "ban"
            ]
        );
        let member = item(Role::Moderator, Affiliation::Member, true, ADMIN);
        assert_eq!(
            names(&member),
            ["pm.start", "revoke-moderator", "revoke-member", "ban"]
        );
        // Membership and bans need the real address; roles do not.
        let anonymous = item(Role::Visitor, Affiliation::None, false, ADMIN);
        assert_eq!(
            names(&anonymous),
            ["pm.start", "voice", "kick", "grant-moderator"]
        );
        // Admins and owners are beyond an admin's reach.
        for affiliation in [Affiliation::Admin, Affiliation::Owner] {
            let peer = item(Role::Moderator, affiliation, true, ADMIN);
            assert_eq!(names(&peer), ["pm.start"], "{affiliation:?}");
        }
    }

    #[test]
    fn owners_appoint_admins() {
        let member = item(Role::Participant, Affiliation::Member, true, OWNER);
        assert_eq!(
            names(&member),
            [
                "pm.start",
                "devoice",
                "kick",
                "grant-moderator",
                "revoke-member",
                "grant-admin",
                "ban"
            ]
        );
        let admin = item(Role::Moderator, Affiliation::Admin, true, OWNER);
        assert_eq!(names(&admin), ["pm.start", "revoke-admin"]);
        let owner = item(Role::Moderator, Affiliation::Owner, true, OWNER);
        assert_eq!(names(&owner), ["pm.start"]);
        // Without the real address there is no one to appoint.
        let anonymous = item(Role::Moderator, Affiliation::Admin, false, OWNER);
        assert_eq!(names(&anonymous), ["pm.start"]);
    }

    #[test]
    fn every_status_action_has_a_change_and_a_prompt() {
        for action in StatusChange::ACTIONS {
            assert!(StatusChange::of(action).is_some(), "{action}");
            assert!(status_prompt(action, "bob").is_some(), "{action}");
        }
        assert_eq!(
            StatusChange::of("revoke-admin"),
            Some(StatusChange::Affiliation(Affiliation::Member))
        );
        assert_eq!(StatusChange::of("kick"), None);
    }
}
