//! The "Add Contact" dialog: an address, an optional name and, with more
//! than one account, the account to add the contact to.

use crate::ui::parse_typed_address;
use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk;
use relm4::prelude::*;
use warbler::model::BareJid;
use warbler::session::Command;

/// Messages of the dialog.
#[derive(Debug)]
pub enum AddContactInput {
    /// The address text changed.
    Changed,
    /// The dialog was answered.
    Response(String),
}

/// The dialog. Its output is the `AddContact` command.
pub struct AddContactDialog {
    accounts: Vec<BareJid>,
    address: adw::EntryRow,
    name: adw::EntryRow,
    account: gtk::DropDown,
}

/// The dialog's widgets (all owned by the model).
pub struct AddContactWidgets;

impl SimpleComponent for AddContactDialog {
    type Init = Vec<BareJid>;
    type Input = AddContactInput;
    type Output = Command;
    type Root = adw::MessageDialog;
    type Widgets = AddContactWidgets;

    fn init_root() -> adw::MessageDialog {
        adw::MessageDialog::builder()
            .heading(gettext("Add Contact"))
            .body(gettext(
                "They will be asked to share their presence with you.",
            ))
            .modal(true)
            .build()
    }

    fn init(
        accounts: Vec<BareJid>,
        root: Self::Root,
        sender: ComponentSender<Self>,
    ) -> ComponentParts<Self> {
        let address = adw::EntryRow::builder()
            .title(gettext("Address"))
            .input_purpose(gtk::InputPurpose::Email)
            .build();
        let name = adw::EntryRow::builder()
            .title(gettext("Name (optional)"))
            .build();
        let names: Vec<String> = accounts.iter().map(ToString::to_string).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let account = gtk::DropDown::from_strings(&names);
        let account_row = adw::ActionRow::builder()
            .title(gettext("Account"))
            .visible(accounts.len() > 1)
            .build();
        account.set_valign(gtk::Align::Center);
        account_row.add_suffix(&account);

        let list = gtk::ListBox::builder()
            .css_classes(["boxed-list"])
            .selection_mode(gtk::SelectionMode::None)
            .build();
        list.append(&address);
        list.append(&name);
        list.append(&account_row);
        root.set_extra_child(Some(&list));

        root.add_response("cancel", &gettext("_Cancel"));
        root.add_response("add", &gettext("_Add"));
        root.set_response_appearance("add", adw::ResponseAppearance::Suggested);
        root.set_response_enabled("add", false);
        root.set_default_response(Some("add"));
        root.set_close_response("cancel");

        let changed = sender.clone();
        address.connect_changed(move |_| changed.input(AddContactInput::Changed));
        let activated = sender.clone();
        address.connect_entry_activated(move |_| {
            activated.input(AddContactInput::Response("add".into()))
        });
        let response = sender.clone();
        root.connect_response(None, move |_, id| {
            response.input(AddContactInput::Response(id.to_owned()))
        });

        let model = AddContactDialog {
            accounts,
            address,
            name,
            account,
        };
        ComponentParts {
            model,
            widgets: AddContactWidgets,
        }
    }

    fn update(&mut self, msg: AddContactInput, sender: ComponentSender<Self>) {
        let valid = parse_typed_address(&self.address.text());
        match msg {
            AddContactInput::Changed => {
                if let Some(dialog) = self.address.root().and_downcast::<adw::MessageDialog>() {
                    dialog.set_response_enabled("add", valid.is_some());
                }
            }
            AddContactInput::Response(id) => {
                let dialog = self.address.root().and_downcast::<adw::MessageDialog>();
                if id == "add" {
                    let Some(jid) = valid else { return };
                    let index = self.account.selected() as usize;
                    if let Some(account) = self.accounts.get(index).or(self.accounts.first()) {
                        let name = self.name.text().trim().to_owned();
                        let _ = sender.output(Command::AddContact {
                            account: account.clone(),
                            jid,
                            name: (!name.is_empty()).then_some(name),
                        });
                    }
                }
                if let Some(dialog) = dialog {
                    dialog.close();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ui::parse_typed_address as parse_address;

    #[test]
    fn addresses() {
        assert!(parse_address(" bob@example.org ").is_some());
        assert!(parse_address("xmpp:bob@example.org").is_some());
        assert!(parse_address("").is_none());
        assert!(parse_address("a@b@c").is_none());
    }
}
