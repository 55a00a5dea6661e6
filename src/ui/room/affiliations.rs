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
use warbler::model::{AffiliatedUser, Affiliation, BareJid};
use warbler::session::{Command, Event};

use crate::i18n::gettext_f;
use crate::ui::errors::UserFacing;
use crate::ui::set_accessible_label;

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

/// The sentence under the add form for a problem.
fn problem_text(problem: &AddressProblem, typed: &str) -> String {
    match problem {
        AddressProblem::Empty => gettext("Enter an address such as name@example.org."),
        AddressProblem::Invalid => gettext_f(
            "“{address}” is not a valid address. Addresses look like name@example.org.",
            &[("address", typed.trim())],
        ),
        AddressProblem::NotBare => gettext(
            "Enter the address without the “/” and what follows it, such as name@example.org.",
        ),
    }
}

/// The texts of one list.
struct ListTexts {
    title: String,
    icon: &'static str,
    add: String,
    address: String,
    reason: String,
    empty: String,
}

fn texts(affiliation: Affiliation) -> ListTexts {
    let reason = gettext("Reason (optional)");
    match affiliation {
        Affiliation::Owner => ListTexts {
            title: gettext("Owners"),
            icon: "starred-symbolic",
            add: gettext("Add Owner"),
            address: gettext("Address of the new owner"),
            reason,
            empty: gettext("No owners"),
        },
        Affiliation::Admin => ListTexts {
            title: gettext("Admins"),
            icon: "emblem-system-symbolic",
            add: gettext("Add Admin"),
            address: gettext("Address of the new admin"),
            reason,
            empty: gettext("No admins"),
        },
        Affiliation::Outcast => ListTexts {
            title: gettext("Banned"),
            icon: "action-unavailable-symbolic",
            add: gettext("Ban"),
            address: gettext("Address to ban"),
            reason: gettext("Reason for the ban (optional)"),
            empty: gettext("No one is banned"),
        },
        Affiliation::Member | Affiliation::None => ListTexts {
            title: gettext("Members"),
            icon: "system-users-symbolic",
            add: gettext("Add Member"),
            address: gettext("Address of the new member"),
            reason,
            empty: gettext("No members"),
        },
    }
}

/// The second line of a user's row: their nickname and, for a ban, its
/// reason.
pub fn user_details(user: &AffiliatedUser) -> Option<String> {
    let reason = user.reason.as_deref().map(|reason| {
        // Translators: the reason of a ban in the list of banned users.
        gettext_f("Reason: {reason}", &[("reason", reason)])
    });
    match (user.nick.as_deref(), reason) {
        (Some(nick), Some(reason)) => Some(format!("{nick} · {reason}")),
        (Some(nick), None) => Some(nick.to_owned()),
        (None, reason) => reason,
    }
}

/// One list's page.
struct Page {
    affiliation: Affiliation,
    editable: bool,
    group: adw::PreferencesGroup,
    rows: Vec<adw::ActionRow>,
    address: adw::EntryRow,
    reason: adw::EntryRow,
    problem: gtk::Label,
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
                let page = page(index, affiliation, editable, &sender);
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
        // Escape closes the dialog, as it does message dialogs.
        let shortcuts = gtk::ShortcutController::new();
        shortcuts.add_shortcut(gtk::Shortcut::new(
            gtk::ShortcutTrigger::parse_string("Escape"),
            Some(gtk::NamedAction::new("window.close")),
        ));
        root.add_controller(shortcuts);
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

    fn ours(&self, account: &BareJid, room: &BareJid) -> bool {
        *account == self.account && *room == self.room
    }

    fn on_event(&mut self, event: Event, sender: &ComponentSender<Self>) {
        match event {
            Event::AffiliationList {
                account,
                room,
                affiliation,
                users,
            } if self.ours(&account, &room) => {
                if let Some(index) = self.pages.iter().position(|p| p.affiliation == affiliation) {
                    self.show(index, users, sender);
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

    fn add(&mut self, index: usize, sender: &ComponentSender<Self>) {
        let Some(page) = self.pages.get(index).filter(|p| p.editable) else {
            return;
        };
        let typed = page.address.text();
        match parse_address(&typed) {
            Ok(jid) => {
                page.problem.set_visible(false);
                let reason = page.reason.text().trim().to_owned();
                let _ = sender.output(Command::SetAffiliation {
                    account: self.account.clone(),
                    room: self.room.clone(),
                    jid,
                    affiliation: page.affiliation,
                    reason: (!reason.is_empty()).then_some(reason),
                });
                page.address.set_text("");
                page.reason.set_text("");
            }
            Err(problem) => {
                page.problem.set_label(&problem_text(&problem, &typed));
                page.problem.set_visible(true);
            }
        }
    }

    /// Show a list's users.
    fn show(&mut self, index: usize, users: Vec<AffiliatedUser>, sender: &ComponentSender<Self>) {
        let Some(page) = self.pages.get_mut(index) else {
            return;
        };
        for row in page.rows.drain(..) {
            page.group.remove(&row);
        }
        let texts = texts(page.affiliation);
        page.group
            .set_description(users.is_empty().then_some(texts.empty.as_str()));
        for user in users {
            let jid = user.jid.to_string();
            let row = adw::ActionRow::builder()
                .use_markup(false)
                .title(&jid)
                .build();
            if let Some(details) = user_details(&user) {
                row.set_subtitle(&details);
            }
            if page.editable {
                let remove = gtk::Button::builder()
                    .icon_name("user-trash-symbolic")
                    .valign(gtk::Align::Center)
                    .tooltip_text(gettext("Remove"))
                    .css_classes(["flat", "circular"])
                    .build();
                set_accessible_label(
                    &remove,
                    // Translators: a button removing an address from a room's member, admin, owner or ban list.
                    &gettext_f("Remove {address}", &[("address", &jid)]),
                );
                let sender = sender.clone();
                let user_jid = user.jid.clone();
                remove.connect_clicked(move |_| {
                    sender.input(AffiliationsInput::Remove(index, user_jid.clone()));
                });
                row.add_suffix(&remove);
            }
            set_accessible_label(&row, &jid);
            page.group.add(&row);
            page.rows.push(row);
        }
    }
}

/// Build one list's page: the add form (if the list may be edited) and
/// the list itself, "Loading…" until it arrives.
fn page(
    index: usize,
    affiliation: Affiliation,
    editable: bool,
    sender: &ComponentSender<Affiliations>,
) -> (Page, adw::Clamp) {
    let texts = texts(affiliation);
    let content = gtk::Box::builder()
        .orientation(gtk::Orientation::Vertical)
        .spacing(18)
        .margin_top(18)
        .margin_bottom(18)
        .margin_start(12)
        .margin_end(12)
        .build();
    let address = adw::EntryRow::builder()
        .title(&texts.address)
        .input_purpose(gtk::InputPurpose::Email)
        .build();
    let reason = adw::EntryRow::builder().title(&texts.reason).build();
    let problem = gtk::Label::builder()
        .xalign(0.0)
        .wrap(true)
        .use_markup(false)
        .visible(false)
        .css_classes(["error"])
        .build();
    if editable {
        let add = gtk::Button::builder()
            .label(&texts.add)
            .halign(gtk::Align::End)
            .sensitive(false)
            .css_classes([if affiliation == Affiliation::Outcast {
                "destructive-action"
            } else {
                "suggested-action"
            }])
            .build();
        set_accessible_label(&add, &texts.add);
        let for_changed = add.clone();
        address.connect_changed(move |entry| {
            for_changed.set_sensitive(!entry.text().trim().is_empty());
        });
        let submit = {
            let sender = sender.clone();
            move || sender.input(AffiliationsInput::Add(index))
        };
        let on_click = submit.clone();
        add.connect_clicked(move |_| on_click());
        for entry in [&address, &reason] {
            let submit = submit.clone();
            entry.connect_entry_activated(move |_| submit());
        }
        let form = gtk::Box::builder()
            .orientation(gtk::Orientation::Vertical)
            .spacing(6)
            .build();
        let fields = gtk::ListBox::builder()
            .selection_mode(gtk::SelectionMode::None)
            .css_classes(["boxed-list"])
            .build();
        fields.append(&address);
        fields.append(&reason);
        form.append(&fields);
        form.append(&problem);
        form.append(&add);
        content.append(&form);
    }
    let group = adw::PreferencesGroup::builder()
        .title(&texts.title)
        .description(gettext("Loading…"))
        .build();
    content.append(&group);
    let clamp = adw::Clamp::builder()
        .maximum_size(560)
        .child(&content)
        .build();
    let page = Page {
        affiliation,
        editable,
        group,
        rows: Vec::new(),
        address,
        reason,
        problem,
    };
    (page, clamp)
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
        assert!(problem_text(&AddressProblem::Invalid, " carol@ ").contains("“carol@”"));
    }

    #[test]
    fn ban_rows_show_the_reason() {
        let user = |nick: Option<&str>, reason: Option<&str>| AffiliatedUser {
            jid: BareJid::new("bob@example.org").expect("valid JID"),
            nick: nick.map(str::to_owned),
            reason: reason.map(str::to_owned),
        };
        assert_eq!(user_details(&user(None, None)), None);
        assert_eq!(
            user_details(&user(Some("Bob"), None)).as_deref(),
            Some("Bob")
        );
        assert_eq!(
            user_details(&user(None, Some("Spam"))).as_deref(),
            Some("Reason: Spam")
        );
        assert_eq!(
            user_details(&user(Some("Bob"), Some("Spam"))).as_deref(),
            Some("Bob · Reason: Spam")
        );
    }
}
