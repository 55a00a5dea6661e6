//! One list's page of the "Members & Bans" dialog: the form that adds an
//! address (shown when the list may be edited), with the sentence that
//! says why a typed address is not accepted, and the list itself, rebuilt
//! whenever it arrives, with a "Remove" button per address when it may be
//! edited.

use adw::prelude::*;
use gettextrs::gettext;
use relm4::prelude::*;
use relm4::{adw, gtk};
use warbler::model::{AffiliatedUser, Affiliation, BareJid};

use super::{AddressProblem, Affiliations, AffiliationsInput, parse_address};
use crate::i18n::gettext_f;
use crate::ui::set_accessible_label;

/// The texts of one list.
pub(super) struct ListTexts {
    /// The page's title.
    pub(super) title: String,
    /// The page's icon in the view switcher.
    pub(super) icon: &'static str,
    /// The add button.
    add: String,
    /// The address field of the add form.
    address: String,
    /// The reason field of the add form.
    reason: String,
    /// What the list says when it is empty.
    empty: String,
}

/// The texts of the list of users with an affiliation.
pub(super) fn texts(affiliation: Affiliation) -> ListTexts {
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
pub(super) struct Page {
    /// Whose list it is.
    pub(super) affiliation: Affiliation,
    /// Whether we may add to it and remove from it.
    pub(super) editable: bool,
    group: adw::PreferencesGroup,
    rows: Vec<adw::ActionRow>,
    address: adw::EntryRow,
    reason: adw::EntryRow,
    problem: gtk::Label,
}

impl Page {
    /// Build the page at `index`: the add form (if the list may be edited)
    /// and the list itself, "Loading…" until it arrives. Returns the page
    /// and its widget.
    pub(super) fn new(
        index: usize,
        affiliation: Affiliation,
        editable: bool,
        sender: &ComponentSender<Affiliations>,
    ) -> (Self, adw::Clamp) {
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
        let page = Self {
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

    /// Show the list's users, the page being at `index`.
    pub(super) fn show(
        &mut self,
        index: usize,
        users: Vec<AffiliatedUser>,
        sender: &ComponentSender<Affiliations>,
    ) {
        for row in self.rows.drain(..) {
            self.group.remove(&row);
        }
        let texts = texts(self.affiliation);
        self.group
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
            if self.editable {
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
            self.group.add(&row);
            self.rows.push(row);
        }
    }

    /// What the add form asks for: the typed address and the reason, if
    /// any, after which the form is emptied. When the address is not
    /// accepted, the form says why and gives `None`.
    pub(super) fn take_form(&self) -> Option<(BareJid, Option<String>)> {
        let typed = self.address.text();
        match parse_address(&typed) {
            Ok(jid) => {
                self.problem.set_visible(false);
                let reason = self.reason.text().trim().to_owned();
                self.address.set_text("");
                self.reason.set_text("");
                Some((jid, (!reason.is_empty()).then_some(reason)))
            }
            Err(problem) => {
                self.problem.set_label(&problem_text(&problem, &typed));
                self.problem.set_visible(true);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_says_which_address_is_invalid() {
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
