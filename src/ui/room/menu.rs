//! The room menu in the chat view's header: notifications, nickname,
//! subject, invitations, settings and leaving, as `room.*` actions.

use gettextrs::gettext;
use relm4::gtk::{self, gio, glib, prelude::*};
use warbler::model::RoomNotify;

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
    /// Leave the room and forget it.
    Leave,
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
    menu.append_section(None, &section);
    let section = gio::Menu::new();
    section.append(Some(&gettext("_Leave Room")), Some("room.leave"));
    menu.append_section(None, &section);
    menu
}

/// Add the `room.*` actions to `widget`; returns the notification action,
/// whose state follows the open room's setting.
pub fn install(
    widget: &impl IsA<gtk::Widget>,
    on_action: impl Fn(RoomAction) + Clone + 'static,
) -> gio::SimpleAction {
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
    for (name, room_action) in [
        ("nick", RoomAction::ChangeNick),
        ("subject", RoomAction::ChangeSubject),
        ("invite", RoomAction::Invite),
        ("settings", RoomAction::Settings),
        ("leave", RoomAction::Leave),
    ] {
        let action = gio::SimpleAction::new(name, None);
        let on_action = on_action.clone();
        action.connect_activate(move |_, _| on_action(room_action));
        group.add_action(&action);
    }
    widget.insert_action_group("room", Some(&group));
    notify
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
}
