//! Ask for an account's password again after the server rejected it.

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk;
use relm4::prelude::*;
use warbler::model::BareJid;
use warbler::session::Command;

use crate::i18n::gettext_f;

/// The dialog. Its output is the `UpdatePassword` command.
pub struct PasswordDialog {
    account: BareJid,
    password: adw::PasswordEntryRow,
}

impl SimpleComponent for PasswordDialog {
    type Init = BareJid;
    type Input = String;
    type Output = Command;
    type Root = adw::MessageDialog;
    type Widgets = ();

    fn init_root() -> adw::MessageDialog {
        adw::MessageDialog::builder()
            .heading(gettext("Enter Password"))
            .modal(true)
            .build()
    }

    fn init(
        account: BareJid,
        root: Self::Root,
        sender: ComponentSender<Self>,
    ) -> ComponentParts<Self> {
        root.set_body(&gettext_f(
            "The server rejected the password of {account}. Enter the current password.",
            &[("account", &account.to_string())],
        ));
        let password = adw::PasswordEntryRow::builder()
            .title(gettext("Password"))
            .build();
        let list = gtk::ListBox::builder()
            .css_classes(["boxed-list"])
            .selection_mode(gtk::SelectionMode::None)
            .build();
        list.append(&password);
        root.set_extra_child(Some(&list));
        root.add_response("cancel", &gettext("_Cancel"));
        root.add_response("sign-in", &gettext("_Sign In"));
        root.set_response_appearance("sign-in", adw::ResponseAppearance::Suggested);
        root.set_default_response(Some("sign-in"));
        root.set_close_response("cancel");
        let input = sender.input_sender().clone();
        root.connect_response(None, move |_, id| input.emit(id.to_owned()));
        let activate = root.clone();
        password.connect_entry_activated(move |_| activate.response("sign-in"));
        ComponentParts {
            model: PasswordDialog { account, password },
            widgets: (),
        }
    }

    fn update(&mut self, response: String, sender: ComponentSender<Self>) {
        let password = self.password.text().to_string();
        if response == "sign-in" && !password.is_empty() {
            let _ = sender.output(Command::UpdatePassword {
                account: self.account.clone(),
                password,
            });
        }
    }
}
