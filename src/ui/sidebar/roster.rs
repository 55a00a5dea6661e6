//! The roster: every contact of every account in one virtualized list,
//! sorted by presence then name, with a search filter and per-row actions
//! (open chat, invite to one of the account's rooms, rename, remove).
//!
//! The list is a grid view of one column: GTK 4.8's list view builds about
//! two hundred rows whenever its contacts are replaced, even while the
//! Contacts page is hidden, which held the main thread for 55-90 ms after
//! signing in with 1,000 contacts. A grid view builds only a screenful.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk::{self, gio, glib};
use relm4::prelude::*;

use crate::ui::widgets::row_menu::{self as lazy_menu, Bound};

use crate::ui::AccessibleName;
use relm4::typed_view::grid::{RelmGridItem, TypedGridView};
use warbler::model::{BareJid, Contact, RoomSummary};
use warbler::session::Command;

use crate::i18n::gettext_f;
use crate::ui::room::invite;
use crate::ui::{ChatKey, presence_label, set_accessible_label, set_fixed_tooltip, show_presence};

/// Every room of every account, shared with the row menus (which offer
/// invitations to the rooms of the contact's account we are in).
type Rooms = Rc<RefCell<HashMap<ChatKey, RoomSummary>>>;

/// What a row's menu needs: the contact, and our rooms.
#[derive(Debug, Clone)]
pub struct RowTarget {
    key: ChatKey,
    rooms: Rooms,
}

/// One row of the roster.
#[derive(Debug, Clone)]
pub struct ContactItem {
    account: BareJid,
    contact: Contact,
    name: String,
    /// Lower-cased name and address, for sorting and searching.
    sort_name: String,
    rooms: Rooms,
}

impl ContactItem {
    fn new(account: BareJid, contact: Contact, rooms: Rooms) -> Self {
        let name = contact.display_name();
        let sort_name = format!("{}\n{}", name.to_lowercase(), contact.jid);
        Self {
            account,
            contact,
            name,
            sort_name,
            rooms,
        }
    }

    fn key(&self) -> ChatKey {
        (self.account.clone(), self.contact.jid.clone())
    }

    fn status_text(&self) -> String {
        let presence = presence_label(self.contact.presence.show);
        match self.contact.presence.status.as_deref().map(str::trim) {
            Some(status) if !status.is_empty() => format!("{presence} · {status}"),
            _ => presence,
        }
    }
}

impl PartialEq for ContactItem {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for ContactItem {}
impl PartialOrd for ContactItem {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for ContactItem {
    fn cmp(&self, other: &Self) -> Ordering {
        self.contact
            .presence
            .show
            .reachability()
            .cmp(&other.contact.presence.show.reachability())
            .then_with(|| self.sort_name.cmp(&other.sort_name))
            .then_with(|| self.account.cmp(&other.account))
    }
}

/// The widgets of one row.
pub struct ContactWidgets {
    avatar: adw::Avatar,
    dot: gtk::Box,
    name: gtk::Label,
    status: gtk::Label,
    menu: gtk::MenuButton,
    /// The contact the row shows, for its menu.
    key: Bound<RowTarget>,
}

impl RelmGridItem for ContactItem {
    type Root = gtk::Box;
    type Widgets = ContactWidgets;

    fn setup(_item: &gtk::ListItem) -> (gtk::Box, ContactWidgets) {
        relm4::view! {
            root = gtk::Box {
                set_spacing: 12,
                add_css_class: "list-grid-row",
                add_css_class: "sidebar-row",

                gtk::Overlay {
                    #[name = "avatar"]
                    adw::Avatar {
                        set_size: 36,
                        set_show_initials: true,
                    },
                    add_overlay: dot = &gtk::Box {
                        add_css_class: "presence-dot",
                        set_halign: gtk::Align::End,
                        set_valign: gtk::Align::End,
                    },
                },
                gtk::Box {
                    set_orientation: gtk::Orientation::Vertical,
                    set_valign: gtk::Align::Center,
                    set_hexpand: true,

                    #[name = "name"]
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
                #[name = "menu"]
                gtk::MenuButton {
                    set_icon_name: "view-more-symbolic",
                    set_valign: gtk::Align::Center,
                    add_css_class: "flat",
                },
            }
        }
        let key = lazy_menu::attach(&root, &menu, row_menu);
        set_fixed_tooltip(&menu, &gettext("Contact Actions"));
        // The address as tooltip, computed when asked for: setting tooltip
        // text on every bind costs an X server round trip per row.
        root.set_has_tooltip(true);
        let key_for_tooltip = key.clone();
        root.connect_query_tooltip(move |_, _, _, _, tooltip| {
            let key = key_for_tooltip.borrow();
            let Some(RowTarget { key: (_, jid), .. }) = key.as_ref() else {
                return false;
            };
            tooltip.set_text(Some(jid.as_str()));
            true
        });
        let widgets = ContactWidgets {
            avatar,
            dot,
            name,
            status,
            menu,
            key,
        };
        (root, widgets)
    }

    fn bind(&mut self, widgets: &mut ContactWidgets, root: &mut gtk::Box) {
        widgets.avatar.set_text(Some(&self.name));
        widgets.name.set_label(&self.name);
        let status = self.status_text();
        widgets.status.set_label(&status);
        show_presence(&widgets.dot, self.contact.presence.show);
        // Translators: a contact list row read by screen readers: "Bob, Available".
        let summary = gettext_f(
            "{name}, {presence}",
            &[("name", &self.name), ("presence", &status)],
        );
        set_accessible_label(root, &summary);
        set_accessible_label(
            &widgets.menu,
            &gettext_f("Actions for {name}", &[("name", &self.name)]),
        );
        let key = self.key();
        if widgets.key.borrow().as_ref().map(|target| &target.key) != Some(&key) {
            // A menu built for the row's previous contact must not open.
            widgets.menu.set_menu_model(None::<&gio::MenuModel>);
            *widgets.key.borrow_mut() = Some(RowTarget {
                key,
                rooms: self.rooms.clone(),
            });
        }
    }
}

/// The entries (label, action) of a row's menu: "Invite to Room…" only
/// when the contact's account is in a room.
fn row_entries(in_a_room: bool) -> Vec<(String, &'static str)> {
    let mut entries = vec![(gettext("_Open Chat"), "roster.open")];
    if in_a_room {
        entries.push((gettext("_Invite to Room…"), "roster.invite"));
    }
    entries.push((gettext("_Rename…"), "roster.rename"));
    entries.push((gettext("Re_move…"), "roster.remove"));
    entries
}

/// The per-row menu (built when it opens, so it offers the rooms we are
/// in then); the target names the contact.
fn row_menu(row: &RowTarget) -> gio::Menu {
    let key = &row.key;
    let target = format!("{}\n{}", key.0, key.1).to_variant();
    let menu = gio::Menu::new();
    let in_a_room = !invite::joined_rooms(row.rooms.borrow().values(), &key.0).is_empty();
    for (label, action) in row_entries(in_a_room) {
        let item = gio::MenuItem::new(Some(&label), None);
        item.set_action_and_target_value(Some(action), Some(&target));
        menu.append_item(&item);
    }
    menu
}

/// Parse a menu target back into a chat key.
fn parse_target(target: Option<&glib::Variant>) -> Option<ChatKey> {
    let text = target?.get::<String>()?;
    let (account, jid) = text.split_once('\n')?;
    Some((BareJid::new(account).ok()?, BareJid::new(jid).ok()?))
}

/// Messages of the roster.
#[derive(Debug)]
pub enum RosterInput {
    /// Replace all contacts of one account.
    Replace {
        /// The account.
        account: BareJid,
        /// Its contacts.
        contacts: Vec<Contact>,
    },
    /// Add or change one contact.
    Update {
        /// The account.
        account: BareJid,
        /// The contact.
        contact: Contact,
    },
    /// Remove one contact.
    Remove {
        /// The account.
        account: BareJid,
        /// The contact.
        jid: BareJid,
    },
    /// The search text changed.
    Search(String),
    /// Focus the search entry.
    FocusSearch,
    /// A row was activated.
    Activated(u32),
    /// Ask for a new name.
    Rename(ChatKey),
    /// Ask whether to remove.
    ConfirmRemove(ChatKey),
    /// Ask which room to invite a contact to.
    Invite(ChatKey),
    /// Every room of every account (from the core's room events).
    Rooms(Vec<RoomSummary>),
    /// A room was added or changed.
    Room(RoomSummary),
    /// A room was forgotten.
    RoomRemoved(ChatKey),
}

/// What the roster asks of the sidebar.
#[derive(Debug)]
pub enum RosterOutput {
    /// Open a chat.
    OpenChat(ChatKey),
    /// Send a command to the core.
    Command(Command),
    /// Show the "Add Contact" dialog.
    AddContact,
}

/// The roster component.
pub struct Roster {
    list: TypedGridView<ContactItem, gtk::SingleSelection>,
    query: Rc<RefCell<String>>,
    search: gtk::SearchEntry,
    rooms: Rooms,
}

#[relm4::component(pub)]
impl SimpleComponent for Roster {
    type Init = ();
    type Input = RosterInput;
    type Output = RosterOutput;

    view! {
        gtk::Box {
            set_orientation: gtk::Orientation::Vertical,

            #[local_ref]
            search -> gtk::SearchEntry {
                set_margin_all: 6,
                set_placeholder_text: Some(&gettext("Search contacts")),
                set_accessible_name: &gettext("Search contacts"),
                connect_search_changed[sender] => move |entry| {
                    sender.input(RosterInput::Search(entry.text().to_string()));
                },
            },

            gtk::Stack {
                set_vexpand: true,

                #[name = "scrolled"]
                add_named[Some("list")] = &gtk::ScrolledWindow {
                    set_hscrollbar_policy: gtk::PolicyType::Never,
                    #[local_ref]
                    view -> gtk::GridView {
                        set_max_columns: 1,
                        add_css_class: "list-grid",
                        set_single_click_activate: true,
                        set_accessible_name: &gettext("Contacts"),
                        connect_activate[sender] => move |_, position| {
                            sender.input(RosterInput::Activated(position));
                        },
                    },
                },
                add_named[Some("empty")] = &adw::StatusPage {
                    set_icon_name: Some("system-users-symbolic"),
                    set_title: &gettext("No Contacts"),
                    set_description: Some(&gettext("Add someone by their address to chat with them.")),
                    add_css_class: "compact",

                    gtk::Button {
                        set_label: &gettext("_Add Contact…"),
                        set_use_underline: true,
                        set_halign: gtk::Align::Center,
                        add_css_class: "pill",
                        connect_clicked[sender] => move |_| {
                            let _ = sender.output(RosterOutput::AddContact);
                        },
                    },
                },

                #[watch]
                set_visible_child_name: if model.list.is_empty() { "empty" } else { "list" },
            },
        }
    }

    fn init(_: (), root: Self::Root, sender: ComponentSender<Self>) -> ComponentParts<Self> {
        let mut list: TypedGridView<ContactItem, gtk::SingleSelection> =
            TypedGridView::with_sorting();
        list.selection_model.set_autoselect(false);
        list.selection_model.set_can_unselect(true);
        let query = Rc::new(RefCell::new(String::new()));
        let filter_query = query.clone();
        list.add_filter(move |item: &ContactItem| {
            let query = filter_query.borrow();
            query.is_empty() || item.sort_name.contains(query.as_str())
        });

        let actions = gio::SimpleActionGroup::new();
        for name in ["open", "invite", "rename", "remove"] {
            let action = gio::SimpleAction::new(name, Some(glib::VariantTy::STRING));
            let sender = sender.clone();
            action.connect_activate(move |action, target| {
                let Some(key) = parse_target(target) else {
                    return;
                };
                match action.name().as_str() {
                    "open" => {
                        let _ = sender.output(RosterOutput::OpenChat(key));
                    }
                    "invite" => sender.input(RosterInput::Invite(key)),
                    "rename" => sender.input(RosterInput::Rename(key)),
                    _ => sender.input(RosterInput::ConfirmRemove(key)),
                }
            });
            actions.add_action(&action);
        }
        root.insert_action_group("roster", Some(&actions));

        let model = Roster {
            list,
            query,
            search: gtk::SearchEntry::new(),
            rooms: Rooms::default(),
        };
        let search = &model.search;
        let view = &model.list.view;
        let widgets = view_output!();
        crate::ui::widgets::idle_list::hide_content_while_unmapped(&widgets.scrolled);
        ComponentParts { model, widgets }
    }

    fn update(&mut self, msg: RosterInput, sender: ComponentSender<Self>) {
        match msg {
            RosterInput::Replace { account, contacts } => {
                let others: Vec<ContactItem> = self
                    .list
                    .iter()
                    .map(|item| item.borrow().clone())
                    .filter(|item| item.account != account)
                    .collect();
                self.list.clear();
                self.list
                    .extend_from_iter(others.into_iter().chain(contacts.into_iter().map(
                        |contact| ContactItem::new(account.clone(), contact, self.rooms.clone()),
                    )));
                if !self.list.is_empty() {
                    crate::ui::perf::mark("roster-shown");
                }
            }
            RosterInput::Update { account, contact } => {
                self.remove(&(account.clone(), contact.jid.clone()));
                self.list
                    .append(ContactItem::new(account, contact, self.rooms.clone()));
            }
            RosterInput::Remove { account, jid } => self.remove(&(account, jid)),
            RosterInput::Search(text) => {
                *self.query.borrow_mut() = text.trim().to_lowercase();
                self.list.notify_filter_changed(0);
            }
            RosterInput::FocusSearch => {
                self.search.grab_focus();
            }
            RosterInput::Activated(position) => {
                if let Some(item) = self.list.get_visible(position) {
                    let _ = sender.output(RosterOutput::OpenChat(item.borrow().key()));
                }
            }
            RosterInput::Rename(key) => self.ask_rename(key, &sender),
            RosterInput::ConfirmRemove(key) => self.confirm_remove(key, &sender),
            RosterInput::Invite(key) => self.ask_invite(key, &sender),
            RosterInput::Rooms(rooms) => {
                *self.rooms.borrow_mut() = rooms
                    .into_iter()
                    .map(|room| ((room.account.clone(), room.room.clone()), room))
                    .collect();
            }
            RosterInput::Room(room) => {
                self.rooms
                    .borrow_mut()
                    .insert((room.account.clone(), room.room.clone()), room);
            }
            RosterInput::RoomRemoved(key) => {
                self.rooms.borrow_mut().remove(&key);
            }
        }
    }
}

impl Roster {
    fn remove(&mut self, key: &ChatKey) {
        if let Some(position) = self.list.find(|item| &item.key() == key) {
            self.list.remove(position);
        }
    }

    fn name_of(&self, key: &ChatKey) -> String {
        self.list
            .find(|item| &item.key() == key)
            .and_then(|pos| self.list.get(pos))
            .map(|item| item.borrow().name.clone())
            .unwrap_or_else(|| key.1.to_string())
    }

    fn parent_window(&self) -> Option<gtk::Window> {
        self.search.root().and_downcast::<gtk::Window>()
    }

    fn ask_rename(&self, key: ChatKey, sender: &ComponentSender<Self>) {
        let dialog = adw::MessageDialog::new(
            self.parent_window().as_ref(),
            Some(&gettext("Rename Contact")),
            Some(&key.1.to_string()),
        );
        let entry = gtk::Entry::builder()
            .text(self.name_of(&key))
            .activates_default(true)
            .build();
        set_accessible_label(&entry, &gettext("Name"));
        dialog.set_extra_child(Some(&entry));
        dialog.add_response("cancel", &gettext("_Cancel"));
        dialog.add_response("rename", &gettext("_Rename"));
        dialog.set_response_appearance("rename", adw::ResponseAppearance::Suggested);
        dialog.set_default_response(Some("rename"));
        dialog.set_close_response("cancel");
        let sender = sender.clone();
        dialog.connect_response(None, move |_, response| {
            if response == "rename" {
                let name = entry.text().trim().to_owned();
                let _ = sender.output(RosterOutput::Command(Command::RenameContact {
                    account: key.0.clone(),
                    jid: key.1.clone(),
                    name: (!name.is_empty()).then_some(name),
                }));
            }
        });
        dialog.present();
    }

    /// Ask which of the account's rooms to invite the contact to.
    fn ask_invite(&self, key: ChatKey, sender: &ComponentSender<Self>) {
        let rooms = invite::joined_rooms(self.rooms.borrow().values(), &key.0);
        let name = self.name_of(&key);
        let sender = sender.clone();
        let (account, jid) = key;
        invite::ask_room(
            self.parent_window().as_ref(),
            account,
            jid,
            &name,
            rooms,
            move |command| {
                let _ = sender.output(RosterOutput::Command(command));
            },
        );
    }

    fn confirm_remove(&self, key: ChatKey, sender: &ComponentSender<Self>) {
        let name = self.name_of(&key);
        let dialog = adw::MessageDialog::new(
            self.parent_window().as_ref(),
            Some(&gettext_f("Remove {name}?", &[("name", &name)])),
            Some(&gettext(
                "They will no longer see when you are online, and you will no longer see their presence.",
            )),
        );
        dialog.add_response("cancel", &gettext("_Cancel"));
        dialog.add_response("remove", &gettext("_Remove"));
        dialog.set_response_appearance("remove", adw::ResponseAppearance::Destructive);
        dialog.set_close_response("cancel");
        let sender = sender.clone();
        dialog.connect_response(None, move |_, response| {
            if response == "remove" {
                let _ = sender.output(RosterOutput::Command(Command::RemoveContact {
                    account: key.0.clone(),
                    jid: key.1.clone(),
                }));
            }
        });
        dialog.present();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitations_only_from_an_account_in_a_room() {
        let actions = |in_a_room| -> Vec<&str> {
            row_entries(in_a_room)
                .into_iter()
                .map(|(_, action)| action)
                .collect()
        };
        assert_eq!(
            actions(true),
            [
                "roster.open",
                "roster.invite",
                "roster.rename",
                "roster.remove"
            ]
        );
        assert_eq!(
            actions(false),
            ["roster.open", "roster.rename", "roster.remove"]
        );
    }
}
