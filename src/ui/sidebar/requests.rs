//! Incoming contact (subscription) requests, shown on top of the sidebar
//! with Accept and Decline buttons. There are only ever a few, so plain rows.

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk;
use relm4::prelude::*;

use crate::ui::AccessibleName;
use warbler::model::{BareJid, Contact, Subscription};
use warbler::session::Command;

use crate::i18n::gettext_f;
use crate::ui::{ChatKey, set_accessible_label};

/// Messages of the requests list.
#[derive(Debug)]
pub enum RequestsInput {
    /// Someone asked to see the user's presence.
    Add {
        /// The account asked.
        account: BareJid,
        /// Who asks.
        from: BareJid,
    },
    /// A contact changed: a request already granted disappears.
    ContactChanged {
        /// The account.
        account: BareJid,
        /// The contact.
        contact: Contact,
    },
    /// The user answered a request.
    Answer {
        /// Which request.
        key: ChatKey,
        /// Accept or decline.
        accept: bool,
    },
    /// An account was removed: drop its requests.
    RemoveAccount(BareJid),
}

/// The pending requests.
pub struct Requests {
    pending: Vec<(ChatKey, adw::ActionRow)>,
    list: gtk::ListBox,
}

#[relm4::component(pub)]
impl SimpleComponent for Requests {
    type Init = ();
    type Input = RequestsInput;
    type Output = Command;

    view! {
        gtk::Revealer {
            #[watch]
            set_reveal_child: !model.pending.is_empty(),

            gtk::Box {
                set_orientation: gtk::Orientation::Vertical,
                set_margin_all: 6,
                set_spacing: 6,

                gtk::Label {
                    set_label: &gettext("Contact Requests"),
                    set_xalign: 0.0,
                    add_css_class: "heading",
                },
                #[local_ref]
                list -> gtk::ListBox {
                    add_css_class: "boxed-list",
                    set_selection_mode: gtk::SelectionMode::None,
                    set_accessible_name: &gettext("Contact Requests"),
                },
            },
        }
    }

    fn init(_: (), root: Self::Root, _sender: ComponentSender<Self>) -> ComponentParts<Self> {
        let model = Requests {
            pending: Vec::new(),
            list: gtk::ListBox::new(),
        };
        let list = &model.list;
        let widgets = view_output!();
        ComponentParts { model, widgets }
    }

    fn update(&mut self, msg: RequestsInput, sender: ComponentSender<Self>) {
        match msg {
            RequestsInput::Add { account, from } => {
                let key = (account, from);
                if self.pending.iter().all(|(k, _)| k != &key) {
                    let row = request_row(&key, &sender);
                    self.list.append(&row);
                    self.pending.push((key, row));
                }
            }
            RequestsInput::ContactChanged { account, contact } => {
                if matches!(
                    contact.subscription,
                    Subscription::From | Subscription::Both
                ) {
                    self.remove(&(account, contact.jid));
                }
            }
            RequestsInput::Answer { key, accept } => {
                let _ = sender.output(Command::AnswerSubscription {
                    account: key.0.clone(),
                    jid: key.1.clone(),
                    accept,
                });
                self.remove(&key);
            }
            RequestsInput::RemoveAccount(account) => {
                let keys: Vec<ChatKey> = self
                    .pending
                    .iter()
                    .filter(|(k, _)| k.0 == account)
                    .map(|(k, _)| k.clone())
                    .collect();
                for key in keys {
                    self.remove(&key);
                }
            }
        }
    }
}

impl Requests {
    fn remove(&mut self, key: &ChatKey) {
        if let Some(pos) = self.pending.iter().position(|(k, _)| k == key) {
            let (_, row) = self.pending.remove(pos);
            self.list.remove(&row);
        }
    }
}

/// One request row.
fn request_row(key: &ChatKey, sender: &ComponentSender<Requests>) -> adw::ActionRow {
    let jid = key.1.to_string();
    let row = adw::ActionRow::builder()
        .use_markup(false)
        .title(&jid)
        .subtitle(gettext("Wants to add you as a contact"))
        .build();
    let accept = gtk::Button::builder()
        .icon_name("object-select-symbolic")
        .valign(gtk::Align::Center)
        .tooltip_text(gettext("Accept"))
        .css_classes(["flat", "circular"])
        .build();
    set_accessible_label(
        &accept,
        &gettext_f("Accept request from {address}", &[("address", &jid)]),
    );
    let decline = gtk::Button::builder()
        .icon_name("window-close-symbolic")
        .valign(gtk::Align::Center)
        .tooltip_text(gettext("Decline"))
        .css_classes(["flat", "circular"])
        .build();
    set_accessible_label(
        &decline,
        &gettext_f("Decline request from {address}", &[("address", &jid)]),
    );
    for (button, accept_it) in [(&accept, true), (&decline, false)] {
        let sender = sender.clone();
        let key = key.clone();
        button.connect_clicked(move |_| {
            sender.input(RequestsInput::Answer {
                key: key.clone(),
                accept: accept_it,
            });
        });
    }
    row.add_suffix(&accept);
    row.add_suffix(&decline);
    row
}
