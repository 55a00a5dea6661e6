//! The sign-in page: address, password and optional server settings. It
//! adds the account, follows its connection and explains failures until
//! the account is online.

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk;
use relm4::prelude::*;

use crate::ui::AccessibleName;
use warbler::model::{BareJid, ConnectionState, ServerAddress, TlsMode};
use warbler::session::{CertificateInfo, Command, ConnectError, Event};

use crate::config;
use crate::ui::errors::UserFacing;

/// Messages of the sign-in page.
#[derive(Debug)]
pub enum SignInInput {
    /// Clear the form (for "Add Account" or after the last account is gone).
    Reset {
        /// Show a Cancel button (other accounts exist).
        can_cancel: bool,
    },
    /// The user pressed "Sign In" (or Enter).
    Submit,
    /// The user pressed "Cancel".
    Cancel,
    /// A connection or account event from the core.
    Event(Box<Event>),
}

/// What the sign-in page asks of the app.
#[derive(Debug)]
pub enum SignInOutput {
    /// Send a command to the core.
    Command(Command),
    /// Signed in, or cancelled: leave the page.
    Closed,
    /// Show an untrusted certificate.
    ReviewCertificate {
        /// The account.
        account: BareJid,
        /// The certificate.
        info: Box<CertificateInfo>,
    },
}

/// The sign-in page.
pub struct SignIn {
    address: adw::EntryRow,
    password: adw::PasswordEntryRow,
    host: adw::EntryRow,
    port: adw::EntryRow,
    direct_tls: gtk::Switch,
    /// The account added by this page and not yet online.
    pending: Option<BareJid>,
    pending_server: Option<ServerAddress>,
    last_error: Option<ConnectError>,
    connecting: bool,
    error: Option<String>,
    can_cancel: bool,
}

#[relm4::component(pub)]
impl Component for SignIn {
    type Init = ();
    type Input = SignInInput;
    type Output = SignInOutput;
    type CommandOutput = ();

    view! {
        gtk::Box {
            set_orientation: gtk::Orientation::Vertical,

            adw::HeaderBar {
                add_css_class: "flat",
                #[wrap(Some)]
                set_title_widget = &gtk::Label {},
                pack_start = &gtk::Button {
                    set_label: &gettext("_Cancel"),
                    set_use_underline: true,
                    #[watch]
                    set_visible: model.can_cancel,
                    connect_clicked => SignInInput::Cancel,
                },
            },

            gtk::ScrolledWindow {
                set_vexpand: true,
                set_hscrollbar_policy: gtk::PolicyType::Never,

                adw::Clamp {
                    set_maximum_size: 420,
                    set_margin_all: 18,

                    gtk::Box {
                        set_orientation: gtk::Orientation::Vertical,
                        set_valign: gtk::Align::Center,
                        set_spacing: 18,

                        gtk::Image {
                            set_icon_name: Some(&app_icon()),
                            set_pixel_size: 96,
                            add_css_class: "icon-dropshadow",
                        },
                        gtk::Label {
                            set_label: &gettext("Welcome to Warbler"),
                            add_css_class: "title-1",
                            set_wrap: true,
                            set_justify: gtk::Justification::Center,
                        },
                        gtk::Label {
                            set_label: &gettext("Sign in with your XMPP (Jabber) account."),
                            set_wrap: true,
                            set_justify: gtk::Justification::Center,
                            add_css_class: "dim-label",
                        },

                        gtk::ListBox {
                            add_css_class: "boxed-list",
                            set_selection_mode: gtk::SelectionMode::None,
                            #[watch]
                            set_sensitive: !model.connecting,

                            #[local_ref]
                            address -> adw::EntryRow {
                                set_title: &gettext("XMPP Address"),
                                set_input_purpose: gtk::InputPurpose::Email,
                                connect_entry_activated => SignInInput::Submit,
                            },
                            #[local_ref]
                            password -> adw::PasswordEntryRow {
                                set_title: &gettext("Password"),
                                connect_entry_activated => SignInInput::Submit,
                            },
                        },

                        gtk::ListBox {
                            add_css_class: "boxed-list",
                            set_selection_mode: gtk::SelectionMode::None,
                            #[watch]
                            set_sensitive: !model.connecting,

                            adw::ExpanderRow {
                                set_title: &gettext("Advanced"),
                                set_subtitle: &gettext("Only needed if the server cannot be found automatically"),

                                #[local_ref]
                                add_row = host -> adw::EntryRow {
                                    set_title: &gettext("Server"),
                                    set_input_purpose: gtk::InputPurpose::Url,
                                },
                                #[local_ref]
                                add_row = port -> adw::EntryRow {
                                    set_title: &gettext("Port"),
                                    set_input_purpose: gtk::InputPurpose::Digits,
                                },
                                add_row = &adw::ActionRow {
                                    set_title: &gettext("Direct TLS"),
                                    set_subtitle: &gettext("Encrypt from the first byte (usually port 5223)"),
                                    set_activatable_widget: Some(&model.direct_tls),
                                    add_suffix: &model.direct_tls,
                                },
                            },
                        },

                        gtk::Label {
                            add_css_class: "error",
                            set_wrap: true,
                            set_justify: gtk::Justification::Center,
                            set_use_markup: false,
                            #[watch]
                            set_visible: model.error.is_some(),
                            #[watch]
                            set_label: model.error.as_deref().unwrap_or_default(),
                        },

                        gtk::Button {
                            set_halign: gtk::Align::Center,
                            add_css_class: "pill",
                            add_css_class: "suggested-action",
                            set_accessible_name: &gettext("Sign In"),
                            #[watch]
                            set_sensitive: !model.connecting,
                            connect_clicked => SignInInput::Submit,

                            gtk::Box {
                                set_spacing: 8,
                                set_halign: gtk::Align::Center,
                                gtk::Spinner {
                                    #[watch]
                                    set_visible: model.connecting,
                                    #[watch]
                                    set_spinning: model.connecting,
                                },
                                gtk::Label {
                                    #[watch]
                                    set_label: &if model.connecting { gettext("Signing In…") } else { gettext("Sign In") },
                                },
                            },
                        },
                    },
                },
            },
        }
    }

    fn init(_: (), root: Self::Root, sender: ComponentSender<Self>) -> ComponentParts<Self> {
        let direct_tls = gtk::Switch::builder().valign(gtk::Align::Center).build();
        let model = SignIn {
            address: adw::EntryRow::new(),
            password: adw::PasswordEntryRow::new(),
            host: adw::EntryRow::new(),
            port: adw::EntryRow::new(),
            direct_tls,
            pending: None,
            pending_server: None,
            last_error: None,
            connecting: false,
            error: None,
            can_cancel: false,
        };
        let address = &model.address;
        let password = &model.password;
        let host = &model.host;
        let port = &model.port;
        let widgets = view_output!();
        ComponentParts { model, widgets }
    }

    fn update(&mut self, msg: SignInInput, sender: ComponentSender<Self>, _root: &Self::Root) {
        match msg {
            SignInInput::Reset { can_cancel } => {
                self.can_cancel = can_cancel;
                self.pending = None;
                self.pending_server = None;
                self.last_error = None;
                self.connecting = false;
                self.error = None;
                for row in [&self.address, &self.host, &self.port] {
                    row.set_text("");
                }
                self.password.set_text("");
                self.direct_tls.set_active(false);
                self.address.grab_focus();
            }
            SignInInput::Cancel => {
                if let Some(account) = self.pending.take() {
                    let _ =
                        sender.output(SignInOutput::Command(Command::RemoveAccount { account }));
                }
                self.connecting = false;
                let _ = sender.output(SignInOutput::Closed);
            }
            SignInInput::Submit => self.submit(&sender),
            SignInInput::Event(event) => self.handle_event(*event, &sender),
        }
    }
}

/// The application icon, or a bundled symbolic one when the icon is not
/// installed (uninstalled development runs).
fn app_icon() -> String {
    let installed = gtk::gdk::Display::default()
        .is_some_and(|display| gtk::IconTheme::for_display(&display).has_icon(config::APP_ID));
    if installed {
        config::APP_ID.to_owned()
    } else {
        "warbler-chats-symbolic".to_owned()
    }
}

impl SignIn {
    fn server(&self) -> Result<Option<ServerAddress>, String> {
        let host = self.host.text().trim().to_owned();
        let port = self.port.text().trim().to_owned();
        let tls = if self.direct_tls.is_active() {
            TlsMode::DirectTls
        } else {
            TlsMode::StartTls
        };
        if host.is_empty() {
            return if port.is_empty() {
                Ok(None)
            } else {
                Err(gettext("Enter the server’s name as well as its port."))
            };
        }
        let port = if port.is_empty() {
            if tls == TlsMode::DirectTls {
                5223
            } else {
                5222
            }
        } else {
            port.parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| gettext("The port must be a number between 1 and 65535."))?
        };
        Ok(Some(ServerAddress { host, port, tls }))
    }

    fn submit(&mut self, sender: &ComponentSender<Self>) {
        if self.connecting {
            return;
        }
        let address = self.address.text().trim().to_owned();
        let jid = match BareJid::new(&address) {
            Ok(jid) if jid.node().is_some() => jid,
            _ => {
                self.error = Some(gettext("Enter your address in the form name@example.org."));
                self.address.grab_focus();
                return;
            }
        };
        let password = self.password.text().to_string();
        if password.is_empty() {
            self.error = Some(gettext("Enter your password."));
            self.password.grab_focus();
            return;
        }
        let server = match self.server() {
            Ok(server) => server,
            Err(text) => {
                self.error = Some(text);
                return;
            }
        };
        let command = match self.pending.take() {
            // Same account and server, only the password was wrong.
            Some(pending)
                if pending == jid
                    && server == self.pending_server
                    && self.last_error == Some(ConnectError::WrongPassword) =>
            {
                Command::UpdatePassword {
                    account: jid.clone(),
                    password,
                }
            }
            other => {
                // A failed earlier attempt is replaced by the new one.
                if let Some(old) = other {
                    let _ = sender.output(SignInOutput::Command(Command::RemoveAccount {
                        account: old,
                    }));
                }
                Command::AddAccount {
                    jid: jid.clone(),
                    password,
                    server: server.clone(),
                }
            }
        };
        self.pending = Some(jid);
        self.pending_server = server;
        self.last_error = None;
        self.error = None;
        self.connecting = true;
        let _ = sender.output(SignInOutput::Command(command));
    }

    fn handle_event(&mut self, event: Event, sender: &ComponentSender<Self>) {
        let Some(pending) = self.pending.clone() else {
            return;
        };
        match event {
            Event::ConnectionChanged { account, state } if account == pending => match state {
                ConnectionState::Online => {
                    self.pending = None;
                    self.connecting = false;
                    self.password.set_text("");
                    let _ = sender.output(SignInOutput::Closed);
                }
                ConnectionState::Connecting => self.connecting = true,
                ConnectionState::Failed { error }
                | ConnectionState::WaitingToReconnect { error, .. } => {
                    self.connecting = false;
                    self.error = Some(error.to_user_facing());
                    match &error {
                        ConnectError::WrongPassword => {
                            self.password.set_text("");
                            self.password.grab_focus();
                        }
                        ConnectError::UntrustedCertificate(info) => {
                            let _ = sender.output(SignInOutput::ReviewCertificate {
                                account: account.clone(),
                                info: info.clone(),
                            });
                        }
                        _ => {}
                    }
                    self.last_error = Some(error);
                }
                ConnectionState::Disabled => self.connecting = false,
            },
            Event::CommandFailed {
                account: Some(account),
                error,
            } if account == pending => {
                self.connecting = false;
                self.error = Some(error.to_user_facing());
                self.pending = None;
            }
            _ => {}
        }
    }
}
