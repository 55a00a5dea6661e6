//! The room menu in the chat view's header: notifications, nickname,
//! subject, invitations, settings, members and bans, leaving and
//! destroying, as `room.*` actions. The entries for admins and owners are
//! hidden from others.

use gettextrs::gettext;
use relm4::gtk::{self, gio, glib, prelude::*};
use warbler::model::{Affiliation, RoomNotify, RoomSummary};

/// What the user picked in the room menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomAction {
    /// Which messages notify.
    Notify(RoomNotify),
    /// Change our nickname.
    ChangeNick,
    /// Change the subject.
    ChangeSubject,
    /// Invite someone.
    Invite,
    /// Open the room's configuration (the data-forms dialog).
    Settings,
    /// Edit who is a member, admin or owner, and who is banned.
    Members,
    /// Leave the room and forget it.
    Leave,
    /// Close the room for everyone (owners).
    Destroy,
}

/// Which entries for admins and owners a user sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminEntries {
    /// "Members & Bans…": owners and admins.
    pub members: bool,
    /// "Destroy Room…": owners.
    pub destroy: bool,
}

impl AdminEntries {
    /// The entries of our affiliation with the room.
    pub fn of(affiliation: Affiliation) -> Self {
        Self {
            members: matches!(affiliation, Affiliation::Owner | Affiliation::Admin),
            destroy: affiliation == Affiliation::Owner,
        }
    }
}

/// The menu's actions whose state follows the open room.
pub struct RoomMenuActions {
    notify: gio::SimpleAction,
    members: gio::SimpleAction,
    destroy: gio::SimpleAction,
}

impl RoomMenuActions {
    /// Show the room's notification setting and the entries its
    /// affiliation allows.
    pub fn sync(&self, room: &RoomSummary) {
        self.notify
            .set_state(&notify_target(room.notify).to_variant());
        let entries = AdminEntries::of(room.affiliation);
        self.members.set_enabled(entries.members);
        self.destroy.set_enabled(entries.destroy);
    }
}

/// The `room.notify` action's state for a setting.
pub fn notify_target(notify: RoomNotify) -> &'static str {
    match notify {
        RoomNotify::All => "all",
        RoomNotify::MentionsOnly => "mentions",
        RoomNotify::Never => "never",
    }
}

fn parse_notify(target: &str) -> Option<RoomNotify> {
    [RoomNotify::All, RoomNotify::MentionsOnly, RoomNotify::Never]
        .into_iter()
        .find(|notify| notify_target(*notify) == target)
}

/// The menu model.
pub fn menu_model() -> gio::Menu {
    let menu = gio::Menu::new();
    let notify = gio::Menu::new();
    for (label, notify_setting) in [
        (gettext("_All Messages"), RoomNotify::All),
        (gettext("_Mentions Only"), RoomNotify::MentionsOnly),
        (gettext("_Off"), RoomNotify::Never),
    ] {
        let item = gio::MenuItem::new(Some(&label), None);
        item.set_action_and_target_value(
            Some("room.notify"),
            Some(&notify_target(notify_setting).to_variant()),
        );
        notify.append_item(&item);
    }
    menu.append_submenu(Some(&gettext("_Notifications")), &notify);
    let section = gio::Menu::new();
    section.append(Some(&gettext("Change _Nickname…")), Some("room.nick"));
    section.append(Some(&gettext("Change _Subject…")), Some("room.subject"));
    section.append(Some(&gettext("_Invite…")), Some("room.invite"));
    // The form `RequestRoomConfig` brings back opens in the data-forms
    // dialog (see `app::rooms`).
    section.append(Some(&gettext("Room _Settings…")), Some("room.settings"));
    section.append_item(&hidden_when_disabled(
        &gettext("_Members & Bans…"),
        "room.members",
    ));
    menu.append_section(None, &section);
    let section = gio::Menu::new();
    section.append(Some(&gettext("_Leave Room")), Some("room.leave"));
    section.append_item(&hidden_when_disabled(
        &gettext("_Destroy Room…"),
        "room.destroy",
    ));
    menu.append_section(None, &section);
    menu
}

/// An entry that is not shown while its action is disabled.
fn hidden_when_disabled(label: &str, action: &str) -> gio::MenuItem {
    let item = gio::MenuItem::new(Some(label), Some(action));
    item.set_attribute_value("hidden-when", Some(&"action-disabled".to_variant()));
    item
}

/// Add the `room.*` actions to `widget`; returns those whose state follows
/// the open room.
pub fn install(
    widget: &impl IsA<gtk::Widget>,
    on_action: impl Fn(RoomAction) + Clone + 'static,
) -> RoomMenuActions {
    let group = gio::SimpleActionGroup::new();
    let notify = gio::SimpleAction::new_stateful(
        "notify",
        Some(glib::VariantTy::STRING),
        &notify_target(RoomNotify::default()).to_variant(),
    );
    let notify_action = on_action.clone();
    notify.connect_activate(move |action, target| {
        if let Some(setting) = target
            .and_then(|t| t.get::<String>())
            .and_then(|t| parse_notify(&t))
        {
            action.set_state(&notify_target(setting).to_variant());
            notify_action(RoomAction::Notify(setting));
        }
    });
    group.add_action(&notify);
    let simple = |name: &str, room_action: RoomAction| {
        let action = gio::SimpleAction::new(name, None);
        let on_action = on_action.clone();
        action.connect_activate(move |_, _| on_action(room_action));
        group.add_action(&action);
        action
    };
    simple("nick", RoomAction::ChangeNick);
    simple("subject", RoomAction::ChangeSubject);
    simple("invite", RoomAction::Invite);
    simple("settings", RoomAction::Settings);
    simple("leave", RoomAction::Leave);
    let members = simple("members", RoomAction::Members);
    let destroy = simple("destroy", RoomAction::Destroy);
    // Hidden until a room where we may use them is open.
    members.set_enabled(false);
    destroy.set_enabled(false);
    widget.insert_action_group("room", Some(&group));
    RoomMenuActions {
        notify,
        members,
        destroy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notify_targets_round_trip() {
        for notify in [RoomNotify::All, RoomNotify::MentionsOnly, RoomNotify::Never] {
            assert_eq!(parse_notify(notify_target(notify)), Some(notify));
        }
        assert_eq!(parse_notify("loud"), None);
    }

    #[test]
    fn admin_entries_follow_the_affiliation() {
        let owner = AdminEntries::of(Affiliation::Owner);
        assert!(owner.members && owner.destroy);
        let admin = AdminEntries::of(Affiliation::Admin);
        assert!(admin.members && !admin.destroy);
        for affiliation in [Affiliation::Member, Affiliation::None, Affiliation::Outcast] {
            let entries = AdminEntries::of(affiliation);
            assert!(!entries.members && !entries.destroy, "{affiliation:?}");
        }
    }
}
