//! The rows of the room directory and the pure rules behind them: which
//! rooms of a page are new, when a service has more pages, and which rooms
//! match the search.

use std::collections::HashSet;

use gettextrs::gettext;
use relm4::RelmWidgetExt;
use relm4::gtk::{self, prelude::*};
use relm4::typed_view::list::RelmListItem;
use warbler::model::{BareJid, PublicRoom, PublicRoomsPage};

use crate::i18n::{gettext_f, ngettext_f};
use crate::ui::{fallback_name, set_accessible_label, set_fixed_tooltip};

/// One public room of the directory.
#[derive(Debug, Clone)]
pub struct RoomItem {
    /// The room as the service lists it.
    pub room: PublicRoom,
    /// The name shown: the room's name, else its address's local part.
    pub name: String,
    /// Lower-cased name and address, for the search.
    search_key: String,
}

impl RoomItem {
    /// The row of a listed room.
    pub fn new(room: PublicRoom) -> Self {
        let name = room
            .name
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| fallback_name(&room.jid));
        let search_key = format!(
            "{}\n{}",
            name.to_lowercase(),
            room.jid.as_str().to_lowercase()
        );
        Self {
            room,
            name,
            search_key,
        }
    }

    /// Whether the room matches a search (already trimmed and lower-cased):
    /// its name or address contains it.
    pub fn matches(&self, query: &str) -> bool {
        query.is_empty() || self.search_key.contains(query)
    }

    /// How many people are in it, as shown ("12"), when the service tells.
    fn count_text(&self) -> Option<String> {
        self.room.occupants.map(|n| n.to_string())
    }

    /// What assistive technologies announce for the row.
    fn summary(&self) -> String {
        match self.room.occupants {
            Some(n) => ngettext_f(
                // Translators: a room of the directory, read by screen readers.
                "{name}, {address}, {count} person",
                "{name}, {address}, {count} people",
                n,
                &[
                    ("name", &self.name),
                    ("address", self.room.jid.as_str()),
                    ("count", &n.to_string()),
                ],
            ),
            None => gettext_f(
                // Translators: a room of the directory, read by screen readers.
                "{name}, {address}",
                &[("name", &self.name), ("address", self.room.jid.as_str())],
            ),
        }
    }
}

/// The search text as the rooms are matched against it.
pub fn normalise_query(text: &str) -> String {
    text.trim().to_lowercase()
}

/// The rooms of `page` not listed yet (a room can move to the next page
/// while we browse), remembering them in `listed`.
pub fn new_rooms(listed: &mut HashSet<BareJid>, page: &PublicRoomsPage) -> Vec<PublicRoom> {
    page.rooms
        .iter()
        .filter(|room| listed.insert(room.jid.clone()))
        .cloned()
        .collect()
}

/// Where the next page starts, if there is one worth asking for: none when
/// the service says so, when it hands back the cursor we asked with, or
/// when its page brought no new room (a service that loops).
pub fn next_cursor(after: Option<&str>, page: &PublicRoomsPage, added: usize) -> Option<String> {
    page.next
        .clone()
        .filter(|next| Some(next.as_str()) != after && added > 0)
}

/// The widgets of one row.
pub struct RoomWidgets {
    name: gtk::Label,
    address: gtk::Label,
    count: gtk::Label,
    people: gtk::Box,
}

impl RelmListItem for RoomItem {
    type Root = gtk::Box;
    type Widgets = RoomWidgets;

    fn setup(_item: &gtk::ListItem) -> (gtk::Box, RoomWidgets) {
        relm4::view! {
            root = gtk::Box {
                set_spacing: 12,
                set_margin_all: 6,

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
                    #[name = "address"]
                    gtk::Label {
                        set_xalign: 0.0,
                        set_use_markup: false,
                        set_ellipsize: gtk::pango::EllipsizeMode::Middle,
                        add_css_class: "dim-label",
                        add_css_class: "caption",
                    },
                },
                #[name = "people"]
                gtk::Box {
                    set_spacing: 4,
                    set_valign: gtk::Align::Center,

                    gtk::Image {
                        set_icon_name: Some("system-users-symbolic"),
                        add_css_class: "dim-label",
                    },
                    #[name = "count"]
                    gtk::Label {
                        add_css_class: "numeric",
                    },
                },
            }
        }
        set_fixed_tooltip(&people, &gettext("People in the room"));
        let widgets = RoomWidgets {
            name,
            address,
            count,
            people,
        };
        (root, widgets)
    }

    fn bind(&mut self, widgets: &mut RoomWidgets, root: &mut gtk::Box) {
        widgets.name.set_text(&self.name);
        widgets.address.set_text(self.room.jid.as_str());
        let count = self.count_text();
        widgets.people.set_visible(count.is_some());
        widgets.count.set_text(count.as_deref().unwrap_or_default());
        set_accessible_label(root, &self.summary());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn room(jid: &str, name: Option<&str>) -> PublicRoom {
        PublicRoom {
            jid: jid.parse().expect("valid JID"),
            name: name.map(str::to_owned),
            occupants: None,
        }
    }

    fn page(rooms: Vec<PublicRoom>, next: Option<&str>) -> PublicRoomsPage {
        PublicRoomsPage {
            service: "conference.example.org".parse().expect("valid JID"),
            rooms,
            next: next.map(str::to_owned),
            total: None,
        }
    }

    #[test]
    fn search_matches_name_or_address_ignoring_case() {
        let team = RoomItem::new(room("team@conference.example.org", Some("The Team")));
        assert!(team.matches(&normalise_query("  the TEAM ")));
        assert!(team.matches(&normalise_query("Conference.Example")));
        assert!(team.matches(""));
        assert!(!team.matches(&normalise_query("garden")));
    }

    #[test]
    fn rooms_without_a_name_show_their_local_part() {
        let unnamed = RoomItem::new(room("garden@conference.example.org", Some("  ")));
        assert_eq!(unnamed.name, "garden");
        assert!(unnamed.matches("gard"));
        let markup = RoomItem::new(room("b@conference.example.org", Some("<b>Bold</b>")));
        assert_eq!(
            markup.name, "<b>Bold</b>",
            "shown as typed, never as markup"
        );
    }

    #[test]
    fn pages_merge_without_repeats() {
        let mut listed = HashSet::new();
        let first = page(
            vec![
                room("a@conference.example.org", None),
                room("b@conference.example.org", None),
                room("a@conference.example.org", Some("again")),
            ],
            Some("b@conference.example.org"),
        );
        let added = new_rooms(&mut listed, &first);
        assert_eq!(added.len(), 2);
        assert_eq!(added[0].name, None, "the first listing stays");
        // A room that moved to the next page while we browsed is not
        // listed twice.
        let second = page(
            vec![
                room("b@conference.example.org", None),
                room("c@conference.example.org", None),
            ],
            None,
        );
        let added = new_rooms(&mut listed, &second);
        assert_eq!(added, vec![room("c@conference.example.org", None)]);
        assert_eq!(listed.len(), 3);
    }

    #[test]
    fn next_pages_only_when_they_bring_something() {
        let more = page(vec![], Some("b@conference.example.org"));
        assert_eq!(
            next_cursor(None, &more, 2).as_deref(),
            Some("b@conference.example.org")
        );
        // The same cursor again, or nothing new: the service loops.
        assert_eq!(
            next_cursor(Some("b@conference.example.org"), &more, 2),
            None
        );
        assert_eq!(
            next_cursor(Some("a@conference.example.org"), &more, 0),
            None
        );
        assert_eq!(next_cursor(None, &page(vec![], None), 5), None);
    }
}
