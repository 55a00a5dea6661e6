//! The untrusted-certificate dialog: who the certificate was issued to and
//! by, the names it covers and its SHA-256 fingerprint, with "Trust This
//! Certificate" and "Cancel".

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk;
use relm4::prelude::*;
use warbler::model::BareJid;
use warbler::session::{CertificateInfo, Command};

use crate::i18n::gettext_f;

/// The dialog. Its output is the `TrustCertificate` command.
pub struct CertificateDialog {
    account: BareJid,
    info: Box<CertificateInfo>,
}

/// A caption and a selectable value.
fn field(grid: &gtk::Grid, row: i32, caption: &str, value: &str, monospace: bool) {
    let caption = gtk::Label::builder()
        .label(caption)
        .xalign(1.0)
        .yalign(0.0)
        .css_classes(["dim-label"])
        .build();
    let value = gtk::Label::builder()
        .label(value)
        .use_markup(false)
        .selectable(true)
        .wrap(true)
        .wrap_mode(gtk::pango::WrapMode::WordChar)
        .xalign(0.0)
        .hexpand(true)
        .build();
    if monospace {
        value.add_css_class("monospace");
    }
    caption.set_mnemonic_widget(Some(&value));
    grid.attach(&caption, 0, row, 1, 1);
    grid.attach(&value, 1, row, 1, 1);
}

impl SimpleComponent for CertificateDialog {
    type Init = (BareJid, Box<CertificateInfo>);
    type Input = String;
    type Output = Command;
    type Root = adw::MessageDialog;
    type Widgets = ();

    fn init_root() -> adw::MessageDialog {
        adw::MessageDialog::builder()
            .heading(gettext("Untrusted Certificate"))
            .modal(true)
            .build()
    }

    fn init(
        (account, info): Self::Init,
        root: Self::Root,
        sender: ComponentSender<Self>,
    ) -> ComponentParts<Self> {
        root.set_body(&gettext_f(
            // Translators: {domain} is the server; {reason} says why the certificate is not trusted.
            "The identity of {domain} could not be verified: {reason}. Someone may be trying to intercept your connection. Only trust this certificate if you know that the fingerprint is correct.",
            &[("domain", account.domain().as_str()), ("reason", &info.reason)],
        ));
        let grid = gtk::Grid::builder()
            .column_spacing(12)
            .row_spacing(6)
            .build();
        field(&grid, 0, &gettext("Issued to"), &info.subject, false);
        field(&grid, 1, &gettext("Issued by"), &info.issuer, false);
        field(&grid, 2, &gettext("Names"), &info.names.join(", "), false);
        field(
            &grid,
            3,
            &gettext("SHA-256 fingerprint"),
            &info.sha256,
            true,
        );
        root.set_extra_child(Some(&grid));
        root.add_response("cancel", &gettext("_Cancel"));
        root.add_response("trust", &gettext("_Trust This Certificate"));
        root.set_response_appearance("trust", adw::ResponseAppearance::Destructive);
        root.set_default_response(Some("cancel"));
        root.set_close_response("cancel");
        let input = sender.input_sender().clone();
        root.connect_response(None, move |_, id| input.emit(id.to_owned()));
        ComponentParts {
            model: CertificateDialog { account, info },
            widgets: (),
        }
    }

    fn update(&mut self, response: String, sender: ComponentSender<Self>) {
        if response == "trust" {
            let _ = sender.output(Command::TrustCertificate {
                account: self.account.clone(),
                sha256: self.info.sha256.clone(),
            });
        }
    }
}
