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

mod actions;

pub use actions::Powers;
use actions::{StatusChange, role_name, row_menu, status_prompt};

use super::colors::nick_attributes;
use super::prompt::Prompt;
use super::role_heading;
use crate::i18n::{gettext_f, ngettext_f};
use crate::ui::{AccessibleName, ChatKey, presence_label, set_accessible_label, show_presence};

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
    nick: gtk::Inscription,
    status: gtk::Inscription,
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
                    add_css_class: "list-grid-row",
                    add_css_class: "occupant-row",

                    #[name = "dot"]
                    gtk::Box {
                        add_css_class: "presence-dot",
                        set_valign: gtk::Align::Center,
                    },
                    gtk::Box {
                        set_orientation: gtk::Orientation::Vertical,
                        set_hexpand: true,

                        // Inscriptions, not labels: a new text only
                        // redraws them, where a label would make the
                        // whole window lay out again on every scroll step
                        // (on X11 each time asking for the monitor's work
                        // area, a round trip).
                        #[name = "nick"]
                        gtk::Inscription {
                            set_xalign: 0.0,
                            set_min_lines: 1,
                            set_text_overflow: gtk::InscriptionOverflow::EllipsizeEnd,
                        },
                        #[name = "status"]
                        gtk::Inscription {
                            set_xalign: 0.0,
                            set_min_lines: 1,
                            set_text_overflow: gtk::InscriptionOverflow::EllipsizeEnd,
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
        widgets.nick.set_text(Some(&occupant.nick));
        let dark = relm4::adw::StyleManager::default().is_dark();
        widgets
            .nick
            .set_attributes(Some(&nick_attributes(&occupant.nick, dark)));
        let presence = presence_label(occupant.show);
        let status = match occupant.status.as_deref().map(str::trim) {
            Some(status) if !status.is_empty() => format!("{presence} · {status}"),
            _ => presence.clone(),
        };
        widgets.status.set_text(Some(&status));
        show_presence(&widgets.dot, occupant.show);
        // Everyone but us can at least be written to privately.
        widgets.more.set_visible(!self.own);
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
            #[name = "scrolled"]
            gtk::ScrolledWindow {
                set_vexpand: true,
                set_hscrollbar_policy: gtk::PolicyType::Never,
                #[local_ref]
                view -> gtk::GridView {
                    set_max_columns: 1,
                    add_css_class: "list-grid",
                    set_accessible_name: &gettext("Occupant List"),
                },
            },
        }
    }

    fn init(_: (), root: Self::Root, sender: ComponentSender<Self>) -> ComponentParts<Self> {
        let actions = gio::SimpleActionGroup::new();
        for name in ["kick", "voice", "devoice", "ban"]
            .into_iter()
            .chain(StatusChange::ACTIONS)
        {
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
        crate::ui::widgets::idle_list::hide_content_while_unmapped(&widgets.scrolled);
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
                if self.list.len() > 1 {
                    crate::ui::perf::mark("occupants-shown");
                }
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
