//! The "Join Room" dialog: the room's address, a nickname (the account's
//! local part by default), an optional password, whether to bookmark the
//! room and join it automatically, and, with several accounts, which one;
//! or a way to the directory of public rooms instead.

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk;
use relm4::prelude::*;
use warbler::model::{BareJid, nickname_allowed};

use crate::ui::{fallback_name, parse_typed_address, set_accessible_label};

/// What the dialog starts with.
#[derive(Debug, Default)]
pub struct JoinInit {
    /// The enabled accounts (the first is preselected).
    pub accounts: Vec<BareJid>,
    /// The account to preselect instead of the first.
    pub account: Option<BareJid>,
    /// A room address to fill in (from an `xmpp:…?join` link).
    pub room: Option<BareJid>,
    /// A password to fill in (from the link).
    pub password: Option<String>,
}

/// The user's request to join a room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRequest {
    /// The account.
    pub account: BareJid,
    /// The room.
    pub room: BareJid,
    /// The nickname.
    pub nick: String,
    /// The password, if one was entered.
    pub password: Option<String>,
    /// Bookmark the room and join it automatically.
    pub bookmark: bool,
}

/// What the dialog asks of the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinOutput {
    /// Join a room.
    Join(JoinRequest),
    /// Show the directory of public rooms, browsing with this account.
    Browse {
        /// The account picked in the dialog.
        account: Option<BareJid>,
    },
}

/// Messages of the dialog.
#[derive(Debug)]
pub enum JoinInput {
    /// A field changed.
    Changed,
    /// Another account was picked.
    AccountChanged,
    /// The dialog was answered.
    Response(String),
    /// Browse the public rooms instead.
    Browse,
}

/// The dialog.
pub struct JoinDialog {
    accounts: Vec<BareJid>,
    address: adw::EntryRow,
    nick: adw::EntryRow,
    password: adw::PasswordEntryRow,
    bookmark: gtk::Switch,
    account: gtk::DropDown,
    /// Says why the nickname can't be used (hidden while it can).
    nick_hint: gtk::Label,
    /// The nickname the dialog proposed, replaced when the account changes
    /// unless the user typed another.
    proposed_nick: String,
}

/// The dialog's widgets (all owned by the model).
pub struct JoinWidgets;

/// The typed room address, if it is a valid room address (`room@service`).
pub fn parse_room(text: &str) -> Option<BareJid> {
    // A link may carry an action ("?join").
    let text = text.trim().split('?').next().unwrap_or_default();
    parse_typed_address(text).filter(|jid| jid.node().is_some())
}

impl JoinDialog {
    fn selected_account(&self) -> Option<&BareJid> {
        self.accounts
            .get(self.account.selected() as usize)
            .or(self.accounts.first())
    }

    fn request(&self) -> Option<JoinRequest> {
        let room = parse_room(&self.address.text())?;
        let nick = self.nick.text().trim().to_owned();
        if !nickname_allowed(&nick) {
            return None;
        }
        let password = self.password.text().to_string();
        Some(JoinRequest {
            account: self.selected_account()?.clone(),
            room,
            nick,
            password: (!password.is_empty()).then_some(password),
            bookmark: self.bookmark.is_active(),
        })
    }

    fn dialog(&self) -> Option<adw::MessageDialog> {
        self.address.root().and_downcast::<adw::MessageDialog>()
    }
}

impl SimpleComponent for JoinDialog {
    type Init = JoinInit;
    type Input = JoinInput;
    type Output = JoinOutput;
    type Root = adw::MessageDialog;
    type Widgets = JoinWidgets;

    fn init_root() -> adw::MessageDialog {
        adw::MessageDialog::builder()
            .heading(gettext("Join Room"))
            .body(gettext(
                "Enter the address of a group chat, such as team@conference.example.org.",
            ))
            .modal(true)
            .build()
    }

    fn init(
        init: JoinInit,
        root: Self::Root,
        sender: ComponentSender<Self>,
    ) -> ComponentParts<Self> {
        let address = adw::EntryRow::builder()
            .title(gettext("Room Address"))
            .input_purpose(gtk::InputPurpose::Email)
            // Enter in any field joins, as in any dialog with one action.
            .activates_default(true)
            .text(
                init.room
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            )
            .build();
        let preselected = init
            .account
            .as_ref()
            .and_then(|wanted| init.accounts.iter().position(|a| a == wanted))
            .unwrap_or(0);
        let proposed_nick = init
            .accounts
            .get(preselected)
            .map(fallback_name)
            .unwrap_or_default();
        let nick = adw::EntryRow::builder()
            .title(gettext("Nickname"))
            .activates_default(true)
            .text(&proposed_nick)
            .build();
        let password = adw::PasswordEntryRow::builder()
            .title(gettext("Password (optional)"))
            .activates_default(true)
            .text(init.password.as_deref().unwrap_or_default())
            .build();
        let bookmark = gtk::Switch::builder()
            .active(true)
            .valign(gtk::Align::Center)
            .build();
        let bookmark_title = gettext("Bookmark and join automatically");
        set_accessible_label(&bookmark, &bookmark_title);
        let bookmark_row = adw::ActionRow::builder()
            .title(&bookmark_title)
            .activatable_widget(&bookmark)
            .build();
        bookmark_row.add_suffix(&bookmark);
        let names: Vec<String> = init.accounts.iter().map(ToString::to_string).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let account = gtk::DropDown::from_strings(&names);
        account.set_selected(preselected as u32);
        account.set_valign(gtk::Align::Center);
        set_accessible_label(&account, &gettext("Account"));
        let account_row = adw::ActionRow::builder()
            .title(gettext("Account"))
            .visible(init.accounts.len() > 1)
            .build();
        account_row.add_suffix(&account);

        let list = gtk::ListBox::builder()
            .css_classes(["boxed-list"])
            .selection_mode(gtk::SelectionMode::None)
            .build();
        for row in [
            address.upcast_ref::<gtk::Widget>(),
            nick.upcast_ref(),
            password.upcast_ref(),
            bookmark_row.upcast_ref(),
            account_row.upcast_ref(),
        ] {
            list.append(row);
        }
        let browse = gtk::Button::builder()
            .label(gettext("_Browse Rooms…"))
            .use_underline(true)
            .halign(gtk::Align::Center)
            .css_classes(["flat"])
            .build();
        let browse_sender = sender.clone();
        browse.connect_clicked(move |_| browse_sender.input(JoinInput::Browse));
        // Why Join is disabled, when it is the nickname's fault.
        let nick_hint = gtk::Label::builder()
            .label(gettext(
                "This nickname can’t be used: it contains characters nicknames may not have, such as control or private-use characters.",
            ))
            .wrap(true)
            .xalign(0.0)
            .visible(false)
            .css_classes(["caption", "error"])
            .build();
        let content = gtk::Box::new(gtk::Orientation::Vertical, 12);
        content.append(&list);
        content.append(&nick_hint);
        content.append(&browse);
        root.set_extra_child(Some(&content));

        root.add_response("cancel", &gettext("_Cancel"));
        root.add_response("join", &gettext("_Join"));
        root.set_response_appearance("join", adw::ResponseAppearance::Suggested);
        root.set_default_response(Some("join"));
        root.set_close_response("cancel");

        for entry in [&address, &nick] {
            let changed = sender.clone();
            entry.connect_changed(move |_| changed.input(JoinInput::Changed));
            let activated = sender.clone();
            entry.connect_entry_activated(move |_| {
                activated.input(JoinInput::Response("join".into()));
            });
        }
        let activated = sender.clone();
        password.connect_entry_activated(move |_| {
            activated.input(JoinInput::Response("join".into()));
        });
        let account_changed = sender.clone();
        account.connect_selected_notify(move |_| account_changed.input(JoinInput::AccountChanged));
        let response = sender.clone();
        root.connect_response(None, move |_, id| {
            response.input(JoinInput::Response(id.to_owned()));
        });

        let model = JoinDialog {
            accounts: init.accounts,
            address,
            nick,
            password,
            bookmark,
            account,
            proposed_nick,
            nick_hint,
        };
        root.set_response_enabled("join", model.request().is_some());
        ComponentParts {
            model,
            widgets: JoinWidgets,
        }
    }

    fn update(&mut self, msg: JoinInput, sender: ComponentSender<Self>) {
        match msg {
            JoinInput::Changed => {
                let nick = self.nick.text();
                let nick_refused = !nick.trim().is_empty() && !nickname_allowed(nick.trim());
                self.nick_hint.set_visible(nick_refused);
                if nick_refused {
                    self.nick.add_css_class("error");
                } else {
                    self.nick.remove_css_class("error");
                }
                if let Some(dialog) = self.dialog() {
                    dialog.set_response_enabled("join", self.request().is_some());
                }
            }
            JoinInput::AccountChanged => {
                if let Some(account) = self.selected_account().cloned()
                    && self.nick.text() == self.proposed_nick
                {
                    self.proposed_nick = fallback_name(&account);
                    self.nick.set_text(&self.proposed_nick);
                }
            }
            JoinInput::Response(id) => {
                if id == "join" {
                    let Some(request) = self.request() else {
                        return;
                    };
                    let _ = sender.output(JoinOutput::Join(request));
                }
                if let Some(dialog) = self.dialog() {
                    dialog.close();
                }
            }
            JoinInput::Browse => {
                let account = self.selected_account().cloned();
                if let Some(dialog) = self.dialog() {
                    dialog.close();
                }
                let _ = sender.output(JoinOutput::Browse { account });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_room;

    #[test]
    fn room_addresses() {
        let room = parse_room(" team@conference.example.org ").expect("valid");
        assert_eq!(room.as_str(), "team@conference.example.org");
        assert!(parse_room("xmpp:team@conference.example.org?join").is_some());
        // A service is not a room.
        assert!(parse_room("conference.example.org").is_none());
        assert!(parse_room("").is_none());
        assert!(parse_room("a@b@c").is_none());
    }
}
