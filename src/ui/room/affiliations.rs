//! The "Members & Bans" dialog of a room (XEP-0045 §9–10): its members,
//! admins, owners (shown to owners) and banned users, each list loaded with
//! `Command::RequestAffiliationList`. Addresses are added with an optional
//! reason and removed by setting their affiliation to none. The lists are
//! short, so each is a plain boxed list rebuilt when it arrives; addresses,
//! nicknames and reasons come from the network and are plain text.

use adw::prelude::*;
use gettextrs::gettext;
use relm4::prelude::*;
use relm4::{adw, gtk};
use warbler::model::{Affiliation, BareJid};
use warbler::session::{Command, Event};

use self::page::{Page, texts};
use crate::ui::close_on_escape;
use crate::ui::errors::UserFacing;

mod page;

/// Which lists a user with `own` affiliation sees, and whether they may
/// change each: admins edit members and bans and see the admins; owners
/// edit every list.
pub fn lists(own: Affiliation) -> Vec<(Affiliation, bool)> {
    match own {
        Affiliation::Owner => vec![
            (Affiliation::Member, true),
            (Affiliation::Admin, true),
            (Affiliation::Owner, true),
            (Affiliation::Outcast, true),
        ],
        Affiliation::Admin => vec![
            (Affiliation::Member, true),
            (Affiliation::Admin, false),
            (Affiliation::Outcast, true),
        ],
        _ => Vec::new(),
    }
}

/// Why an address typed into the add form is not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressProblem {
    /// Nothing was typed.
    Empty,
    /// Not an address at all.
    Invalid,
    /// An address with a resource ("/…"): lists hold bare addresses.
    NotBare,
}

/// The bare address typed into the add form (an `xmpp:` prefix and
/// surrounding spaces are allowed).
pub fn parse_address(text: &str) -> Result<BareJid, AddressProblem> {
    let text = text.trim();
    let text = text.strip_prefix("xmpp:").unwrap_or(text);
    if text.is_empty() {
        return Err(AddressProblem::Empty);
    }
    if text.contains('/') {
        return match warbler::model::Jid::new(text) {
            Ok(_) => Err(AddressProblem::NotBare),
            Err(_) => Err(AddressProblem::Invalid),
        };
    }
    if text.chars().any(char::is_whitespace) {
        return Err(AddressProblem::Invalid);
    }
    BareJid::new(text).map_err(|_| AddressProblem::Invalid)
}

/// What the dialog is opened for.
pub struct AffiliationsInit {
    /// The account.
    pub account: BareJid,
    /// The room.
    pub room: BareJid,
    /// The room's name, for the title.
    pub name: String,
    /// Our affiliation, which decides the lists.
    pub own: Affiliation,
}

/// Messages of the dialog.
#[derive(Debug)]
pub enum AffiliationsInput {
    /// A room event (lists, outcomes of changes).
    Event(Event),
    /// The add form of the page at this index was submitted.
    Add(usize),
    /// Remove an address from the list of the page at this index.
    Remove(usize, BareJid),
}

/// The dialog. Its output are commands to the core.
pub struct Affiliations {
    account: BareJid,
    room: BareJid,
    pages: Vec<Page>,
    toasts: adw::ToastOverlay,
}

impl SimpleComponent for Affiliations {
    type Init = AffiliationsInit;
    type Input = AffiliationsInput;
    type Output = Command;
    type Root = adw::Window;
    type Widgets = ();

    fn init_root() -> adw::Window {
        adw::Window::builder()
            .modal(true)
            .default_width(640)
            .default_height(560)
            .title(gettext("Members & Bans"))
            .build()
    }

    fn init(
        init: AffiliationsInit,
        root: adw::Window,
        sender: ComponentSender<Self>,
    ) -> ComponentParts<Self> {
        let stack = adw::ViewStack::new();
        let pages: Vec<Page> = lists(init.own)
            .into_iter()
            .enumerate()
            .map(|(index, (affiliation, editable))| {
                let page = Page::new(index, affiliation, editable, &sender);
                let texts = texts(affiliation);
                let scrolled = gtk::ScrolledWindow::builder()
                    .hscrollbar_policy(gtk::PolicyType::Never)
                    .vexpand(true)
                    .child(&page.1)
                    .build();
                stack
                    .add_titled(&scrolled, None, &texts.title)
                    .set_icon_name(Some(texts.icon));
                page.0
            })
            .collect();
        let title = adw::ViewSwitcherTitle::builder()
            .stack(&stack)
            .title(gettext("Members & Bans"))
            .subtitle(&init.name)
            .build();
        let header = adw::HeaderBar::builder().title_widget(&title).build();
        let switcher_bar = adw::ViewSwitcherBar::builder().stack(&stack).build();
        title
            .bind_property("title-visible", &switcher_bar, "reveal")
            .sync_create()
            .build();
        let toasts = adw::ToastOverlay::new();
        toasts.set_child(Some(&stack));
        let content = gtk::Box::new(gtk::Orientation::Vertical, 0);
        content.append(&header);
        content.append(&toasts);
        content.append(&switcher_bar);
        root.set_content(Some(&content));
        close_on_escape(&root);
        let model = Affiliations {
            account: init.account,
            room: init.room,
            pages,
            toasts,
        };
        model.reload(&sender);
        ComponentParts { model, widgets: () }
    }

    fn update(&mut self, msg: AffiliationsInput, sender: ComponentSender<Self>) {
        match msg {
            AffiliationsInput::Event(event) => self.on_event(event, &sender),
            AffiliationsInput::Add(index) => self.add(index, &sender),
            AffiliationsInput::Remove(index, jid) => {
                if let Some(page) = self.pages.get(index).filter(|p| p.editable) {
                    tracing::debug!(list = ?page.affiliation, "Removing from a room's list");
                    let _ = sender.output(Command::SetAffiliation {
                        account: self.account.clone(),
                        room: self.room.clone(),
                        jid,
                        affiliation: Affiliation::None,
                        reason: None,
                    });
                }
            }
        }
    }
}

impl Affiliations {
    /// Ask for every list again.
    fn reload(&self, sender: &ComponentSender<Self>) {
        for page in &self.pages {
            let _ = sender.output(Command::RequestAffiliationList {
                account: self.account.clone(),
                room: self.room.clone(),
                affiliation: page.affiliation,
            });
        }
    }

    /// Whether an event is about this dialog's room.
    fn ours(&self, account: &BareJid, room: &BareJid) -> bool {
        *account == self.account && *room == self.room
    }

    /// Take in the room's lists and the outcomes of changes.
    fn on_event(&mut self, event: Event, sender: &ComponentSender<Self>) {
        match event {
            Event::AffiliationList {
                account,
                room,
                affiliation,
                users,
            } if self.ours(&account, &room) => {
                if let Some(index) = self.pages.iter().position(|p| p.affiliation == affiliation) {
                    self.pages[index].show(index, users, sender);
                }
            }
            // A change went through (or another request of this room):
            // the lists may differ now.
            Event::RoomActionDone { account, room } if self.ours(&account, &room) => {
                self.reload(sender);
            }
            Event::RoomActionFailed {
                account,
                room,
                error,
            } if self.ours(&account, &room) => {
                self.toasts
                    .add_toast(adw::Toast::new(&error.to_user_facing()));
            }
            _ => {}
        }
    }

    /// Submit the add form of the page at `index`.
    fn add(&mut self, index: usize, sender: &ComponentSender<Self>) {
        let Some(page) = self.pages.get(index).filter(|p| p.editable) else {
            return;
        };
        if let Some((jid, reason)) = page.take_form() {
            let _ = sender.output(Command::SetAffiliation {
                account: self.account.clone(),
                room: self.room.clone(),
                jid,
                affiliation: page.affiliation,
                reason,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_by_affiliation() {
        let owner = lists(Affiliation::Owner);
        assert_eq!(owner.len(), 4);
        assert!(owner.iter().all(|(_, editable)| *editable));
        assert_eq!(
            lists(Affiliation::Admin),
            vec![
                (Affiliation::Member, true),
                (Affiliation::Admin, false),
                (Affiliation::Outcast, true),
            ]
        );
        assert!(lists(Affiliation::Member).is_empty());
        assert!(lists(Affiliation::None).is_empty());
    }

    #[test]
    fn the_add_form_takes_bare_addresses_only() {
        let bare = |s: &str| BareJid::new(s).expect("valid JID");
        assert_eq!(
            parse_address("  carol@example.org "),
            Ok(bare("carol@example.org"))
        );
        assert_eq!(
            parse_address("xmpp:carol@example.org"),
            Ok(bare("carol@example.org"))
        );
        assert_eq!(parse_address("   "), Err(AddressProblem::Empty));
        assert_eq!(
            parse_address("carol@example.org/phone"),
            Err(AddressProblem::NotBare)
        );
        assert_eq!(parse_address("carol@"), Err(AddressProblem::Invalid));
        assert_eq!(parse_address("@example.org"), Err(AddressProblem::Invalid));
        assert_eq!(
            parse_address("carol smith@example.org"),
            Err(AddressProblem::Invalid)
        );
    }
}
