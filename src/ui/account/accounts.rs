//! The accounts dialog: every account with its connection state, a switch
//! to enable it, a remove button (with confirmation) and "Add Account".

use std::collections::HashMap;

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk;
use relm4::prelude::*;

use crate::ui::AccessibleName;
use warbler::model::{AccountSummary, BareJid, ConnectionState};
use warbler::session::{Command, Event};

use crate::i18n::gettext_f;
use crate::ui::errors::UserFacing;
use crate::ui::set_accessible_label;

/// Messages of the accounts dialog.
#[derive(Debug)]
pub enum AccountsInput {
    /// An account or connection event from the core.
    Event(Box<Event>),
    /// Ask whether to remove an account.
    ConfirmRemove(BareJid),
}

/// What the accounts dialog asks of the app.
#[derive(Debug)]
pub enum AccountsOutput {
    /// Send a command to the core.
    Command(Command),
    /// Show the sign-in page for another account.
    AddAccount,
}

/// What the accounts dialog starts with.
#[derive(Debug)]
pub struct AccountsInit {
    /// Every account, in the core's order.
    pub accounts: Vec<AccountSummary>,
    /// The connection state of each account so far.
    pub states: HashMap<BareJid, ConnectionState>,
}

/// The accounts dialog.
pub struct AccountsDialog {
    accounts: Vec<AccountSummary>,
    states: HashMap<BareJid, ConnectionState>,
    group: adw::PreferencesGroup,
    rows: Vec<adw::ActionRow>,
}

#[relm4::component(pub)]
impl SimpleComponent for AccountsDialog {
    type Init = AccountsInit;
    type Input = AccountsInput;
    type Output = AccountsOutput;

    view! {
        adw::Window {
            set_title: Some(&gettext("Accounts")),
            set_modal: true,
            set_default_size: (480, 420),
            set_hide_on_close: false,

            gtk::Box {
                set_orientation: gtk::Orientation::Vertical,
                adw::HeaderBar {},
                adw::PreferencesPage {
                    #[local_ref]
                    add = group -> adw::PreferencesGroup {
                        set_title: &gettext("Accounts"),
                        #[wrap(Some)]
                        set_header_suffix = &gtk::Button {
                            add_css_class: "flat",
                            set_tooltip_text: Some(&gettext("Add Account")),
                            set_accessible_name: &gettext("Add Account"),
                            connect_clicked[sender] => move |_| {
                                let _ = sender.output(AccountsOutput::AddAccount);
                            },
                            adw::ButtonContent {
                                set_icon_name: "list-add-symbolic",
                                set_label: &gettext("_Add Account"),
                                set_use_underline: true,
                            },
                        },
                    },
                },
            },
        }
    }

    fn init(
        init: AccountsInit,
        root: Self::Root,
        sender: ComponentSender<Self>,
    ) -> ComponentParts<Self> {
        let mut model = AccountsDialog {
            accounts: init.accounts,
            states: init.states,
            group: adw::PreferencesGroup::new(),
            rows: Vec::new(),
        };
        let group = &model.group;
        let widgets = view_output!();
        model.rebuild(&sender);
        ComponentParts { model, widgets }
    }

    fn update(&mut self, msg: AccountsInput, sender: ComponentSender<Self>) {
        match msg {
            AccountsInput::Event(event) => {
                match *event {
                    Event::AccountsLoaded { accounts } => self.accounts = accounts,
                    Event::AccountUpdated { account } => {
                        match self.accounts.iter_mut().find(|a| a.jid == account.jid) {
                            Some(existing) => *existing = account,
                            None => self.accounts.push(account),
                        }
                    }
                    Event::AccountRemoved { account } => self.accounts.retain(|a| a.jid != account),
                    Event::ConnectionChanged { account, state } => {
                        self.states.insert(account, state);
                    }
                    _ => return,
                }
                self.rebuild(&sender);
            }
            AccountsInput::ConfirmRemove(account) => {
                let dialog = adw::MessageDialog::new(
                    self.group.root().and_downcast::<gtk::Window>().as_ref(),
                    Some(&gettext_f(
                        "Remove {account}?",
                        &[("account", &account.to_string())],
                    )),
                    Some(&gettext(
                        "Warbler will sign out and delete this account’s password, contacts and message history from this computer. The account itself stays on the server.",
                    )),
                );
                dialog.add_response("cancel", &gettext("_Cancel"));
                dialog.add_response("remove", &gettext("_Remove"));
                dialog.set_response_appearance("remove", adw::ResponseAppearance::Destructive);
                dialog.set_close_response("cancel");
                let sender = sender.clone();
                dialog.connect_response(None, move |_, response| {
                    if response == "remove" {
                        let _ = sender.output(AccountsOutput::Command(Command::RemoveAccount {
                            account: account.clone(),
                        }));
                    }
                });
                dialog.present();
            }
        }
    }
}

impl AccountsDialog {
    fn status_text(&self, account: &AccountSummary) -> String {
        if !account.enabled {
            return gettext("Disabled");
        }
        match self.states.get(&account.jid) {
            Some(ConnectionState::Online) => gettext("Connected"),
            Some(ConnectionState::Connecting) | None => gettext("Connecting…"),
            Some(
                ConnectionState::WaitingToReconnect { error, .. }
                | ConnectionState::Failed { error },
            ) => error.to_user_facing(),
            Some(ConnectionState::Disabled) => gettext("Disabled"),
        }
    }

    /// Rebuild the rows (there are only a few accounts).
    fn rebuild(&mut self, sender: &ComponentSender<Self>) {
        for row in self.rows.drain(..) {
            self.group.remove(&row);
        }
        for account in &self.accounts {
            let jid = account.jid.to_string();
            let row = adw::ActionRow::builder()
                .use_markup(false)
                .title(&jid)
                .subtitle(self.status_text(account))
                .build();
            let switch = gtk::Switch::builder()
                .active(account.enabled)
                .valign(gtk::Align::Center)
                .build();
            set_accessible_label(
                &switch,
                &gettext_f("Enable {account}", &[("account", &jid)]),
            );
            let toggle_sender = sender.clone();
            let toggle_jid = account.jid.clone();
            switch.connect_state_set(move |_, enabled| {
                let _ = toggle_sender.output(AccountsOutput::Command(Command::SetAccountEnabled {
                    account: toggle_jid.clone(),
                    enabled,
                }));
                gtk::glib::Propagation::Proceed
            });
            let remove = gtk::Button::builder()
                .icon_name("user-trash-symbolic")
                .valign(gtk::Align::Center)
                .css_classes(["flat"])
                .tooltip_text(gettext("Remove Account"))
                .build();
            set_accessible_label(
                &remove,
                &gettext_f("Remove {account}", &[("account", &jid)]),
            );
            let remove_sender = sender.clone();
            let remove_jid = account.jid.clone();
            remove.connect_clicked(move |_| {
                remove_sender.input(AccountsInput::ConfirmRemove(remove_jid.clone()));
            });
            row.add_suffix(&switch);
            row.add_suffix(&remove);
            self.group.add(&row);
            self.rows.push(row);
        }
    }
}
