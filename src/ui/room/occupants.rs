//! The occupant list of the open room: a virtualized list (rooms can have
//! thousands of occupants) sorted by role then nickname, with a heading
//! above the first occupant of each role, and a menu on each other
//! occupant: a private message, for moderators kick and voice, and for
//! admins and owners ban and the granting and revoking of moderator,
//! member and admin status (XEP-0045 §8–§10).
//!
//! GTK 4.8's list view has no sections, so the list is kept sorted here
//! and the heading is part of the first row of each role.
//!
//! The list is a grid view of one column: GTK 4.8's list view keeps about
//! two hundred rows alive and lays them all out on every scroll step,
//! where a grid view keeps only a screenful, so a room of thousands
//! scrolls smoothly.

use gettextrs::gettext;
use relm4::gtk::{self, gio, glib, prelude::*};
use relm4::prelude::*;

use crate::ui::widgets::row_popover::{self, Bound};
use relm4::typed_view::grid::{RelmGridItem, TypedGridView};
use warbler::model::{Affiliation, Occupant, OccupantChange, Role};
use warbler::session::Command;

use super::colors::nick_attributes;
use super::prompt::Prompt;
use super::role_heading;
use crate::i18n::{gettext_f, ngettext_f};
use crate::ui::{
    AccessibleName, ChatKey, PRESENCE_CLASSES, presence_css, presence_label, set_accessible_label,
};

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

/// One row: an occupant, maybe under the heading of its role.
#[derive(Debug, Clone)]
pub struct OccupantItem {
    occupant: Occupant,
    header: Option<String>,
    powers: Powers,
    /// Whether this is us.
    own: bool,
}

/// Sort order: role, then nickname regardless of case.
fn sort_key(occupant: &Occupant) -> (Role, String, String) {
    (
        occupant.role,
        occupant.nick.to_lowercase(),
        occupant.nick.clone(),
    )
}

/// The widgets of one row. Its menu opens from the whole row (see
/// [`row_popover`]); the "⋮" icon only shows that there is one.
pub struct OccupantWidgets {
    header: gtk::Label,
    dot: gtk::Box,
    nick: gtk::Label,
    status: gtk::Label,
    more: gtk::Image,
    shown: Bound<OccupantItem>,
}

impl RelmGridItem for OccupantItem {
    type Root = gtk::Box;
    type Widgets = OccupantWidgets;

    fn setup(_item: &gtk::ListItem) -> (gtk::Box, OccupantWidgets) {
        relm4::view! {
            root = gtk::Box {
                set_orientation: gtk::Orientation::Vertical,

                #[name = "header"]
                gtk::Label {
                    set_xalign: 0.0,
                    add_css_class: "occupant-heading",
                },
                #[name = "content"]
                gtk::Box {
                    set_spacing: 8,
                    add_css_class: "occupant-row",

                    #[name = "dot"]
                    gtk::Box {
                        add_css_class: "presence-dot",
                        set_valign: gtk::Align::Center,
                    },
                    gtk::Box {
                        set_orientation: gtk::Orientation::Vertical,
                        set_hexpand: true,

                        #[name = "nick"]
                        gtk::Label {
                            set_xalign: 0.0,
                            set_use_markup: false,
                            set_ellipsize: gtk::pango::EllipsizeMode::End,
                        },
                        #[name = "status"]
                        gtk::Label {
                            set_xalign: 0.0,
                            set_use_markup: false,
                            set_ellipsize: gtk::pango::EllipsizeMode::End,
                            add_css_class: "dim-label",
                            add_css_class: "caption",
                        },
                    },
                    #[name = "more"]
                    gtk::Image {
                        set_icon_name: Some("view-more-symbolic"),
                        set_valign: gtk::Align::Center,
                        set_margin_start: 9,
                        set_margin_end: 9,
                    },
                },
            }
        }
        let shown = row_popover::attach(&root, &content, row_menu);
        let widgets = OccupantWidgets {
            header,
            dot,
            nick,
            status,
            more,
            shown,
        };
        (root, widgets)
    }

    fn bind(&mut self, widgets: &mut OccupantWidgets, root: &mut gtk::Box) {
        let occupant = &self.occupant;
        widgets.header.set_visible(self.header.is_some());
        widgets
            .header
            .set_label(self.header.as_deref().unwrap_or_default());
        widgets.nick.set_label(&occupant.nick);
        let dark = relm4::adw::StyleManager::default().is_dark();
        widgets
            .nick
            .set_attributes(Some(&nick_attributes(&occupant.nick, dark)));
        let presence = presence_label(occupant.show);
        let status = match occupant.status.as_deref().map(str::trim) {
            Some(status) if !status.is_empty() => format!("{presence} · {status}"),
            _ => presence.clone(),
        };
        widgets.status.set_label(&status);
        // Restyling is not free and most occupants share a presence.
        let presence_class = presence_css(occupant.show);
        if !widgets.dot.has_css_class(presence_class) {
            for class in PRESENCE_CLASSES {
                widgets.dot.remove_css_class(class);
            }
            widgets.dot.add_css_class(presence_class);
        }
        // Everyone but us can at least be written to privately.
        let has_menu = !self.own;
        if widgets.more.is_visible() != has_menu {
            widgets.more.set_visible(has_menu);
        }
        *widgets.shown.borrow_mut() = Some(self.clone());
        // Translators: an occupant row read by screen readers: "Bob, Moderator, Available".
        let summary = gettext_f(
            "{nick}, {role}, {status}",
            &[
                ("nick", &occupant.nick),
                ("role", &role_name(occupant.role)),
                ("status", &status),
            ],
        );
        set_accessible_label(root, &summary);
    }
}

/// The translated name of one role.
fn role_name(role: Role) -> String {
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
fn row_actions(item: &OccupantItem) -> Vec<(String, &'static str)> {
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
enum StatusChange {
    /// A new role (of the nickname).
    Role(Role),
    /// A new affiliation (of the real address).
    Affiliation(Affiliation),
}

impl StatusChange {
    fn of(action: &str) -> Option<Self> {
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
fn status_prompt(action: &str, nick: &str) -> Option<Prompt> {
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

fn row_menu(item: &OccupantItem) -> gio::Menu {
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

/// Messages of the occupant list.
#[derive(Debug)]
pub enum OccupantsInput {
    /// Show a room's occupants (replacing the list).
    Show {
        /// The room.
        key: ChatKey,
        /// Everyone in it.
        occupants: Vec<Occupant>,
        /// What we may do.
        powers: Powers,
        /// Our nickname in the room.
        own_nick: String,
    },
    /// One change in the shown room.
    Change(OccupantChange),
    /// A row menu's action (name, nickname).
    Action(String, String),
}

/// The occupant list. Its output are moderation commands.
pub struct Occupants {
    key: Option<ChatKey>,
    powers: Powers,
    own_nick: String,
    list: TypedGridView<OccupantItem, gtk::NoSelection>,
    count: u32,
}

#[relm4::component(pub)]
impl SimpleComponent for Occupants {
    type Init = ();
    type Input = OccupantsInput;
    type Output = Command;

    view! {
        gtk::Box {
            set_orientation: gtk::Orientation::Vertical,
            set_width_request: 240,
            add_css_class: "occupants-panel",

            gtk::Label {
                set_xalign: 0.0,
                add_css_class: "heading",
                set_margin_all: 12,
                #[watch]
                set_label: &ngettext_f(
                    "{count} occupant",
                    "{count} occupants",
                    model.count,
                    &[("count", &model.count.to_string())],
                ),
            },
            gtk::ScrolledWindow {
                set_vexpand: true,
                set_hscrollbar_policy: gtk::PolicyType::Never,
                #[local_ref]
                view -> gtk::GridView {
                    set_max_columns: 1,
                    add_css_class: "occupant-list",
                    set_accessible_name: &gettext("Occupant List"),
                },
            },
        }
    }

    fn init(_: (), root: Self::Root, sender: ComponentSender<Self>) -> ComponentParts<Self> {
        let actions = gio::SimpleActionGroup::new();
        for name in [
            "kick",
            "voice",
            "devoice",
            "ban",
            "grant-moderator",
            "revoke-moderator",
            "grant-member",
            "revoke-member",
            "grant-admin",
            "revoke-admin",
        ] {
            let action = gio::SimpleAction::new(name, Some(glib::VariantTy::STRING));
            let sender = sender.clone();
            action.connect_activate(move |action, target| {
                if let Some(nick) = target.and_then(|t| t.get::<String>()) {
                    sender.input(OccupantsInput::Action(action.name().to_string(), nick));
                }
            });
            actions.add_action(&action);
        }
        root.insert_action_group("occupants", Some(&actions));
        let model = Occupants {
            key: None,
            powers: Powers::default(),
            own_nick: String::new(),
            list: TypedGridView::new(),
            count: 0,
        };
        let view = &model.list.view;
        // Enter or Space on a row opens its menu.
        view.connect_activate(|view, _| row_popover::open_focused(view));
        let widgets = view_output!();
        ComponentParts { model, widgets }
    }

    fn update(&mut self, msg: OccupantsInput, sender: ComponentSender<Self>) {
        match msg {
            OccupantsInput::Show {
                key,
                mut occupants,
                powers,
                own_nick,
            } => {
                self.key = Some(key);
                self.powers = powers;
                self.own_nick = own_nick;
                occupants.sort_by_key(sort_key);
                let mut previous: Option<Role> = None;
                let items: Vec<OccupantItem> = occupants
                    .into_iter()
                    .map(|occupant| {
                        let header =
                            (previous != Some(occupant.role)).then(|| role_heading(occupant.role));
                        previous = Some(occupant.role);
                        OccupantItem {
                            own: occupant.nick == self.own_nick,
                            occupant,
                            header,
                            powers,
                        }
                    })
                    .collect();
                self.list.clear();
                self.list.extend_from_iter(items);
            }
            OccupantsInput::Change(change) => match change {
                OccupantChange::Updated { occupant } => {
                    self.remove(&occupant.nick.clone());
                    self.insert(occupant);
                }
                OccupantChange::Renamed { old_nick, occupant } => {
                    self.remove(&old_nick);
                    self.insert(occupant);
                }
                OccupantChange::Left { nick, .. } => self.remove(&nick),
            },
            OccupantsInput::Action(action, nick) => self.act(&action, nick, &sender),
        }
        self.count = self.list.len();
    }
}

impl Occupants {
    fn occupant_at(&self, pos: u32) -> Option<Occupant> {
        self.list
            .get(pos)
            .map(|item| item.borrow().occupant.clone())
    }

    /// Give the row at `pos` its heading if it starts a role, else none.
    fn fix_header(&mut self, pos: u32) {
        let Some(item) = self.list.get(pos).map(|item| item.borrow().clone()) else {
            return;
        };
        let starts_role = pos == 0
            || self
                .occupant_at(pos - 1)
                .is_none_or(|previous| previous.role != item.occupant.role);
        if starts_role != item.header.is_some() {
            let mut updated = item;
            updated.header = starts_role.then(|| role_heading(updated.occupant.role));
            self.list.remove(pos);
            self.list.insert(pos, updated);
        }
    }

    fn remove(&mut self, nick: &str) {
        if let Some(pos) = self.list.find(|item| item.occupant.nick == nick) {
            self.list.remove(pos);
            self.fix_header(pos);
        }
    }

    /// Insert at its sorted place (binary search).
    fn insert(&mut self, occupant: Occupant) {
        let key = sort_key(&occupant);
        let (mut low, mut high) = (0, self.list.len());
        while low < high {
            let middle = (low + high) / 2;
            match self.occupant_at(middle) {
                Some(other) if sort_key(&other) < key => low = middle + 1,
                _ => high = middle,
            }
        }
        self.list.insert(
            low,
            OccupantItem {
                own: occupant.nick == self.own_nick,
                occupant,
                header: None,
                powers: self.powers,
            },
        );
        self.fix_header(low);
        self.fix_header(low + 1);
    }

    fn act(&self, action: &str, nick: String, sender: &ComponentSender<Self>) {
        let Some((account, room)) = self.key.clone() else {
            return;
        };
        let Some(occupant) = self
            .list
            .find(|item| item.occupant.nick == nick)
            .and_then(|pos| self.occupant_at(pos))
        else {
            return;
        };
        let role_command = {
            let (account, room, nick) = (account.clone(), room.clone(), nick.clone());
            move |role: Role, reason: Option<String>| Command::SetOccupantRole {
                account: account.clone(),
                room: room.clone(),
                nick: nick.clone(),
                role,
                reason,
            }
        };
        match action {
            "voice" => {
                let _ = sender.output(role_command(Role::Participant, None));
            }
            "devoice" => {
                let _ = sender.output(role_command(Role::Visitor, None));
            }
            "kick" | "ban" => {
                let ban = action == "ban";
                let mut prompt = Prompt::new(
                    if ban {
                        gettext_f("Ban {nick}?", &[("nick", &nick)])
                    } else {
                        gettext_f("Kick {nick}?", &[("nick", &nick)])
                    },
                    if ban {
                        gettext("They will be removed and cannot come back.")
                    } else {
                        gettext("They will be removed from the room but may join again.")
                    },
                    gettext("Reason (optional)"),
                    if ban {
                        gettext("_Ban")
                    } else {
                        gettext("_Kick")
                    },
                );
                prompt.allow_empty = true;
                prompt.destructive = true;
                let sender = sender.clone();
                let parent = self.list.view.root().and_downcast::<gtk::Window>();
                let jid = occupant.real_jid.clone();
                prompt.ask(parent.as_ref(), move |reason| {
                    let reason = (!reason.is_empty()).then_some(reason);
                    let command = match (&jid, ban) {
                        (Some(jid), true) => Command::SetAffiliation {
                            account: account.clone(),
                            room: room.clone(),
                            jid: jid.clone(),
                            affiliation: Affiliation::Outcast,
                            reason,
                        },
                        (None, true) => return,
                        (_, false) => role_command(Role::None, reason),
                    };
                    let _ = sender.output(command);
                });
            }
            _ => {
                let (Some(change), Some(prompt)) =
                    (StatusChange::of(action), status_prompt(action, &nick))
                else {
                    return;
                };
                let jid = occupant.real_jid.clone();
                if matches!(change, StatusChange::Affiliation(_)) && jid.is_none() {
                    return;
                }
                let sender = sender.clone();
                let parent = self.list.view.root().and_downcast::<gtk::Window>();
                prompt.ask(parent.as_ref(), move |reason| {
                    let reason = (!reason.is_empty()).then_some(reason);
                    let command = match (change, &jid) {
                        (StatusChange::Role(role), _) => role_command(role, reason),
                        (StatusChange::Affiliation(affiliation), Some(jid)) => {
                            Command::SetAffiliation {
                                account: account.clone(),
                                room: room.clone(),
                                jid: jid.clone(),
                                affiliation,
                                reason,
                            }
                        }
                        (StatusChange::Affiliation(_), None) => return,
                    };
                    let _ = sender.output(command);
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warbler::model::{BareJid, PresenceShow};

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
        for action in [
            "grant-moderator",
            "revoke-moderator",
            "grant-member",
            "revoke-member",
            "grant-admin",
            "revoke-admin",
        ] {
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
