//! The chat list: one row per conversation (one-to-one chats and group
//! chats), newest first, with a preview of the last message and an unread
//! badge.
//!
//! The list is a grid view of one column, as the roster is (see there):
//! GTK 4.8's list view builds about two hundred rows when the chats are
//! loaded at start-up, a grid view only a screenful.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk;
use relm4::prelude::*;

use crate::ui::AccessibleName;
use relm4::typed_view::grid::{RelmGridItem, TypedGridView};
use warbler::model::{BareJid, ChatSummary, RoomSender, RoomSummary};

use crate::i18n::{gettext_f, ngettext_f};
use crate::ui::chat::dates::format_list_time;
use crate::ui::chat::message_row::moderated_text;
use crate::ui::room::{room_name, state_label};
use crate::ui::{ChatKey, fallback_name, set_accessible_label};

/// One row of the chat list.
#[derive(Debug)]
pub struct ChatItem {
    summary: ChatSummary,
    name: String,
    /// Set when the chat is a group chat.
    room: Option<RoomSummary>,
    /// The row showing this item, while one is bound to it.
    row: BoundRow,
}

/// The widgets of the row an item is bound to, if any: a chat that stays
/// in its place is updated there. Removing and adding it back built a new
/// row for every message of a flood.
type BoundRow = Rc<RefCell<Option<(ChatWidgets, gtk::Box)>>>;

/// The preview of a room message's first line, marked with who wrote it
/// (if known) and, for a private message, as private.
fn room_preview(sender: Option<&RoomSender>, body: &str) -> String {
    match sender {
        Some(RoomSender::Group(nick)) => gettext_f(
            // Translators: the chat list's preview of a group chat message.
            "{nick}: {body}",
            &[("nick", nick), ("body", body)],
        ),
        Some(RoomSender::PrivateFrom(nick)) => gettext_f(
            // Translators: the chat list's preview of a private message a room occupant sent to the user.
            "{nick} (privately): {body}",
            &[("nick", nick), ("body", body)],
        ),
        Some(RoomSender::PrivateTo(nick)) => gettext_f(
            // Translators: the chat list's preview of a private message the user sent to a room occupant.
            "To {nick} (privately): {body}",
            &[("nick", nick), ("body", body)],
        ),
        None => body.to_owned(),
    }
}

impl ChatItem {
    fn key(&self) -> ChatKey {
        (self.summary.account.clone(), self.summary.peer.clone())
    }

    /// Whether this is the chat `key` names. Compares without copying the
    /// addresses, as searches go through every row.
    fn is(&self, key: &ChatKey) -> bool {
        self.summary.peer == key.1 && self.summary.account == key.0
    }
}

impl PartialEq for ChatItem {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for ChatItem {}
impl PartialOrd for ChatItem {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for ChatItem {
    /// Newest first, then by name.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .summary
            .last_timestamp
            .cmp(&self.summary.last_timestamp)
            .then_with(|| self.name.cmp(&other.name))
            .then_with(|| {
                (&self.summary.account, &self.summary.peer)
                    .cmp(&(&other.summary.account, &other.summary.peer))
            })
    }
}

/// The widgets of one row.
#[derive(Debug, Clone)]
pub struct ChatWidgets {
    avatar: adw::Avatar,
    name: gtk::Label,
    time: gtk::Label,
    preview: gtk::Label,
    badge: gtk::Label,
}

impl RelmGridItem for ChatItem {
    type Root = gtk::Box;
    type Widgets = ChatWidgets;

    fn setup(_item: &gtk::ListItem) -> (gtk::Box, ChatWidgets) {
        relm4::view! {
            root = gtk::Box {
                set_spacing: 12,
                add_css_class: "list-grid-row",
                add_css_class: "sidebar-row",

                #[name = "avatar"]
                adw::Avatar {
                    set_size: 40,
                    set_show_initials: true,
                },
                gtk::Box {
                    set_orientation: gtk::Orientation::Vertical,
                    set_valign: gtk::Align::Center,
                    set_hexpand: true,
                    set_spacing: 2,

                    gtk::Box {
                        set_spacing: 6,
                        #[name = "name"]
                        gtk::Label {
                            set_xalign: 0.0,
                            set_hexpand: true,
                            set_use_markup: false,
                            set_ellipsize: gtk::pango::EllipsizeMode::End,
                            add_css_class: "heading",
                        },
                        #[name = "time"]
                        gtk::Label {
                            add_css_class: "dim-label",
                            add_css_class: "caption",
                        },
                    },
                    gtk::Box {
                        set_spacing: 6,
                        #[name = "preview"]
                        gtk::Label {
                            set_xalign: 0.0,
                            set_hexpand: true,
                            set_use_markup: false,
                            set_single_line_mode: true,
                            set_ellipsize: gtk::pango::EllipsizeMode::End,
                            add_css_class: "dim-label",
                        },
                        #[name = "badge"]
                        gtk::Label {
                            add_css_class: "unread-badge",
                            set_valign: gtk::Align::Center,
                        },
                    },
                },
            }
        }
        let widgets = ChatWidgets {
            avatar,
            name,
            time,
            preview,
            badge,
        };
        (root, widgets)
    }

    fn bind(&mut self, widgets: &mut ChatWidgets, root: &mut gtk::Box) {
        self.show(widgets, root);
        *self.row.borrow_mut() = Some((widgets.clone(), root.clone()));
    }

    fn unbind(&mut self, _widgets: &mut ChatWidgets, _root: &mut gtk::Box) {
        self.row.borrow_mut().take();
    }
}

impl ChatItem {
    /// Show the item in a row's widgets.
    fn show(&self, widgets: &ChatWidgets, root: &gtk::Box) {
        widgets.avatar.set_text(Some(&self.name));
        // Rooms show a group icon instead of initials.
        widgets.avatar.set_show_initials(self.room.is_none());
        widgets.avatar.set_icon_name(if self.room.is_some() {
            Some("system-users-symbolic")
        } else {
            None
        });
        widgets.name.set_label(&self.name);
        let preview = self.preview();
        widgets.preview.set_label(&preview);
        widgets.time.set_label(
            &self
                .summary
                .last_timestamp
                .map(format_list_time)
                .unwrap_or_default(),
        );
        let unread = self.summary.unread;
        widgets.badge.set_visible(unread > 0);
        widgets.badge.set_label(&unread.to_string());
        let unread_text = ngettext_f(
            "{count} unread message",
            "{count} unread messages",
            unread,
            &[("count", &unread.to_string())],
        );
        let name = match &self.room {
            // Translators: how screen readers name a group chat in the chat list.
            Some(_) => gettext_f("{name} (group chat)", &[("name", &self.name)]),
            None => self.name.clone(),
        };
        let summary = if unread > 0 {
            // Translators: chat list row for screen readers: name, unread count, last message.
            gettext_f(
                "{name}, {unread}: {preview}",
                &[
                    ("name", &name),
                    ("unread", &unread_text),
                    ("preview", &preview),
                ],
            )
        } else {
            gettext_f(
                "{name}: {preview}",
                &[("name", &name), ("preview", &preview)],
            )
        };
        set_accessible_label(root, &summary);
    }

    /// The preview line: the newest message's first line ("nick: body" in
    /// a group chat), or a room's state while it is not joined.
    fn preview(&self) -> String {
        let body = self
            .summary
            .last_body
            .as_deref()
            .map(|body| body.lines().next().unwrap_or_default().to_owned());
        match (&self.room, body) {
            (Some(room), body) if state_label(&room.state).is_some() && body.is_none() => {
                state_label(&room.state).unwrap_or_default()
            }
            (Some(_), Some(body)) => {
                let body = if self.summary.last_moderated {
                    moderated_text(None)
                } else {
                    body
                };
                room_preview(self.summary.last_sender.as_ref(), &body)
            }
            (_, body) => body.unwrap_or_default(),
        }
    }
}

/// Messages of the chat list.
#[derive(Debug)]
pub enum ChatListInput {
    /// Replace every chat.
    Replace(Vec<ChatSummary>),
    /// Add or change one chat.
    Update(ChatSummary),
    /// Names of contacts changed.
    Names(Vec<(ChatKey, String)>),
    /// Drop an account's chats.
    RemoveAccount(BareJid),
    /// Every known room (replaces the rooms, keeps the chats).
    Rooms(Vec<RoomSummary>),
    /// Add or change one room.
    Room(RoomSummary),
    /// A room was forgotten.
    RoomRemoved(ChatKey),
    /// Highlight a chat.
    Select(Option<ChatKey>),
    /// A row was activated.
    Activated(u32),
}

/// The chat list component. Its output asks to open a chat.
pub struct ChatList {
    list: TypedGridView<ChatItem, gtk::SingleSelection>,
    names: HashMap<ChatKey, String>,
    rooms: HashMap<ChatKey, RoomSummary>,
    /// The open chat, highlighted whenever the list changes.
    selected: Option<ChatKey>,
}

#[relm4::component(pub)]
impl SimpleComponent for ChatList {
    type Init = ();
    type Input = ChatListInput;
    type Output = ChatKey;

    view! {
        gtk::Stack {

            #[name = "scrolled"]
            add_named[Some("list")] = &gtk::ScrolledWindow {
                set_hscrollbar_policy: gtk::PolicyType::Never,
                #[local_ref]
                view -> gtk::GridView {
                    set_max_columns: 1,
                    add_css_class: "list-grid",
                    set_single_click_activate: true,
                    set_accessible_name: &gettext("Chats"),
                    connect_activate[sender] => move |_, position| {
                        sender.input(ChatListInput::Activated(position));
                    },
                },
            },
            add_named[Some("empty")] = &adw::StatusPage {
                set_icon_name: Some("warbler-chats-symbolic"),
                set_title: &gettext("No Chats"),
                set_description: Some(&gettext("Pick a contact to start a conversation.")),
                add_css_class: "compact",
            },

            #[watch]
            set_visible_child_name: if model.list.is_empty() { "empty" } else { "list" },
        }
    }

    fn init(_: (), root: Self::Root, sender: ComponentSender<Self>) -> ComponentParts<Self> {
        let list: TypedGridView<ChatItem, gtk::SingleSelection> = TypedGridView::with_sorting();
        list.selection_model.set_autoselect(false);
        list.selection_model.set_can_unselect(true);
        let model = ChatList {
            list,
            names: HashMap::new(),
            rooms: HashMap::new(),
            selected: None,
        };
        let view = &model.list.view;
        let widgets = view_output!();
        crate::ui::widgets::idle_list::hide_content_while_unmapped(&widgets.scrolled);
        ComponentParts { model, widgets }
    }

    fn update(&mut self, msg: ChatListInput, sender: ComponentSender<Self>) {
        self.handle(msg, &sender);
        self.select(self.selected.as_ref());
    }
}

impl ChatList {
    fn handle(&mut self, msg: ChatListInput, sender: &ComponentSender<Self>) {
        match msg {
            ChatListInput::Replace(chats) => {
                self.list.clear();
                let mut items: Vec<ChatItem> = chats.into_iter().map(|c| self.item(c)).collect();
                // Rooms without messages yet get a row of their own.
                let mut empty_rooms: Vec<ChatItem> = self
                    .rooms
                    .iter()
                    .filter(|(key, _)| !items.iter().any(|item| item.is(key)))
                    .map(|(_, room)| self.item(empty_summary(room)))
                    .collect();
                items.append(&mut empty_rooms);
                self.list.extend_from_iter(items);
            }
            ChatListInput::Rooms(rooms) => {
                let old: Vec<ChatKey> = self.rooms.keys().cloned().collect();
                self.rooms = rooms.iter().map(|r| (room_key(r), r.clone())).collect();
                for key in old {
                    if !self.rooms.contains_key(&key) {
                        self.remove(&key);
                    }
                }
                for room in rooms {
                    self.refresh(&room_key(&room), &room);
                }
            }
            ChatListInput::Room(room) => {
                let key = room_key(&room);
                self.rooms.insert(key.clone(), room.clone());
                self.refresh(&key, &room);
            }
            ChatListInput::RoomRemoved(key) => {
                self.rooms.remove(&key);
                self.remove(&key);
            }
            ChatListInput::Update(chat) => {
                let item = self.item(chat);
                self.put(item);
            }
            ChatListInput::Names(names) => self.rename(names),
            ChatListInput::RemoveAccount(account) => {
                while let Some(pos) = self.list.find(|item| item.summary.account == account) {
                    self.list.remove(pos);
                }
            }
            ChatListInput::Select(key) => self.selected = key,
            ChatListInput::Activated(position) => {
                if let Some(item) = self.list.get_visible(position) {
                    let key = item.borrow().key();
                    self.selected = Some(key.clone());
                    let _ = sender.output(key);
                }
            }
        }
    }

    fn item(&self, summary: ChatSummary) -> ChatItem {
        let key = (summary.account.clone(), summary.peer.clone());
        let room = self.rooms.get(&key).cloned();
        let name = match &room {
            Some(room) => room_name(room),
            None => self
                .names
                .get(&key)
                .cloned()
                .unwrap_or_else(|| fallback_name(&summary.peer)),
        };
        ChatItem {
            summary,
            name,
            room,
            row: BoundRow::default(),
        }
    }

    /// Show a room's current summary in its row (adding the row if needed).
    fn refresh(&mut self, key: &ChatKey, room: &RoomSummary) {
        let summary = self
            .list
            .find(|item| item.is(key))
            .and_then(|pos| self.list.get(pos))
            .map(|item| item.borrow().summary.clone());
        let item = self.item(summary.unwrap_or_else(|| empty_summary(room)));
        self.put(item);
    }

    /// Add a chat, or show its new state. A chat that keeps its place
    /// among the others is changed in its row; one that moves is taken
    /// out and sorted in again.
    fn put(&mut self, item: ChatItem) {
        let key = item.key();
        let Some(pos) = self.list.find(|existing| existing.is(&key)) else {
            self.add(item);
            return;
        };
        let Some(existing) = self.list.get(pos) else {
            return;
        };
        let stays = {
            let old = existing.borrow();
            (0..self.list.len())
                .filter(|&other| other != pos)
                .filter_map(|other| self.list.get(other))
                .all(|other| {
                    let other = other.borrow();
                    other.cmp(&old) == other.cmp(&item)
                })
        };
        if !stays {
            self.list.remove(pos);
            self.add(item);
            return;
        }
        let mut shown = existing.borrow_mut();
        shown.summary = item.summary;
        shown.name = item.name;
        shown.room = item.room;
        if let Some((widgets, root)) = shown.row.borrow().as_ref() {
            shown.show(widgets, root);
        }
    }

    /// Sort in a row. A list shown from its top keeps showing its top: the
    /// list otherwise keeps its first shown row in place, so a chat that
    /// came first (the one with the newest message) went in above the view,
    /// out of sight.
    fn add(&mut self, item: ChatItem) {
        let view = self.list.view.clone();
        let at_top = view.vadjustment().is_none_or(|adj| adj.value() < 1.0);
        self.list.append(item);
        if at_top
            && let Err(error) =
                view.activate_action("list.scroll-to-item", Some(&0u32.to_variant()))
        {
            tracing::debug!("Could not scroll the chat list: {error}");
        }
    }

    /// Show contacts' new names in their chats' rows. The roster sends
    /// every name at sign-in, so this is one pass over the rows: looking
    /// each name up in the list took 54 ms with 1,000 contacts and 300
    /// chats.
    fn rename(&mut self, names: Vec<(ChatKey, String)>) {
        let changed: HashMap<ChatKey, String> = names
            .into_iter()
            .filter(|(key, name)| self.names.get(key) != Some(name))
            .collect();
        if changed.is_empty() {
            return;
        }
        let mut renamed = false;
        for item in self.list.iter() {
            let mut item = item.borrow_mut();
            // A group chat is named by its room, not by a contact.
            if item.room.is_some() {
                continue;
            }
            let Some(name) = changed.get(&item.key()) else {
                continue;
            };
            if &item.name != name {
                item.name.clone_from(name);
                if let Some((widgets, root)) = item.row.borrow().as_ref() {
                    item.show(widgets, root);
                }
                renamed = true;
            }
        }
        self.names.extend(changed);
        if renamed {
            self.sort_again();
        }
    }

    /// Sort the rows again after names changed in place.
    fn sort_again(&self) {
        let sorter = self
            .list
            .selection_model
            .model()
            .and_downcast::<gtk::SortListModel>()
            .and_then(|sorted| sorted.sorter());
        if let Some(sorter) = sorter {
            sorter.changed(gtk::SorterChange::Different);
        }
    }

    fn remove(&mut self, key: &ChatKey) {
        if let Some(pos) = self.list.find(|item| item.is(key)) {
            self.list.remove(pos);
        }
    }

    fn select(&self, key: Option<&ChatKey>) {
        let selection = &self.list.selection_model;
        let position = key.and_then(|key| {
            (0..selection.n_items()).find(|&pos| {
                self.list
                    .get_visible(pos)
                    .is_some_and(|item| item.borrow().is(key))
            })
        });
        selection.set_selected(position.unwrap_or(gtk::INVALID_LIST_POSITION));
    }
}

/// The chat list key of a room.
fn room_key(room: &RoomSummary) -> ChatKey {
    (room.account.clone(), room.room.clone())
}

/// The chat summary of a room without stored messages.
fn empty_summary(room: &RoomSummary) -> ChatSummary {
    ChatSummary::empty(room.account.clone(), room.room.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_mark_private_room_messages() {
        let bob = || "Bob".to_owned();
        assert_eq!(
            room_preview(Some(&RoomSender::Group(bob())), "hi"),
            "Bob: hi"
        );
        assert_eq!(
            room_preview(Some(&RoomSender::PrivateFrom(bob())), "hi"),
            "Bob (privately): hi"
        );
        assert_eq!(
            room_preview(Some(&RoomSender::PrivateTo(bob())), "hi"),
            "To Bob (privately): hi"
        );
        assert_eq!(room_preview(None, "hi"), "hi");
    }
}
