//! The root component: owns the core's handle, routes its events to the
//! pages, shows dialogs and toasts, and shuts the core down before quitting.

mod directory;
mod rooms;

use std::collections::HashMap;
use std::time::Duration;

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk::{self, gio, glib};
use relm4::prelude::*;
use warbler::model::{AccountSummary, BareJid, ConnectionState, Direction, RoomSummary};
use warbler::session::{CertificateInfo, Command, CoreError, Event, EventReceiver, SessionHandle};
use warbler::uri::{UriAction, XmppUri};

use super::account::accounts::{AccountsDialog, AccountsInit, AccountsInput, AccountsOutput};
use super::account::sign_in::{SignIn, SignInInput, SignInOutput};
use super::dialogs::{about, add_contact, certificate, password, shortcuts};
use super::errors::UserFacing;
use super::window::{MainInput, MainOutput, MainWindow};
use super::{ChatKey, event_batches, fallback_name, notifications};
use crate::config;
use crate::ui::Deliver;

/// How long to wait for the core to sign out before quitting anyway.
const SHUTDOWN_CAP: Duration = Duration::from_secs(3);

/// What the root component needs to start.
pub struct AppInit {
    /// The started core, or why it could not start.
    pub session: Result<(SessionHandle, EventReceiver), CoreError>,
    /// The application's settings.
    pub settings: gio::Settings,
    /// A URI from the command line to open once accounts are loaded.
    pub uri: Option<XmppUri>,
}

/// Which page the window shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Loading,
    SignIn,
    Main,
    Error,
}

impl Page {
    fn name(self) -> &'static str {
        match self {
            Self::Loading => "loading",
            Self::SignIn => "sign-in",
            Self::Main => "main",
            Self::Error => "error",
        }
    }
}

/// Messages of the root component.
#[derive(Debug)]
pub enum AppMsg {
    /// Send a command to the core.
    Command(Command),
    /// The sign-in page finished (signed in) or was cancelled.
    SignInClosed,
    /// Show the sign-in page to add another account.
    ShowAddAccount,
    /// Show the accounts dialog.
    ShowAccounts,
    /// Show the "Add Contact" dialog.
    ShowAddContact,
    /// Show the "Join Room" dialog, maybe filled in from a link.
    ShowJoinRoom {
        /// The room's address.
        room: Option<BareJid>,
        /// Its password.
        password: Option<String>,
    },
    /// The user asked to join a room.
    JoinRoom(super::room::join_dialog::JoinRequest),
    /// Show the directory of public rooms ("Browse Rooms").
    ShowDirectory {
        /// The account to browse with, if one was picked.
        account: Option<BareJid>,
    },
    /// A room was picked in the directory: ask how to join it.
    JoinFromDirectory {
        /// The account.
        account: BareJid,
        /// The room.
        room: BareJid,
    },
    /// Show the keyboard shortcuts.
    ShowShortcuts,
    /// Show the About window.
    ShowAbout,
    /// Focus the contact search.
    FocusSearch,
    /// Show a certificate and offer to trust it.
    ReviewCertificate {
        /// The account.
        account: BareJid,
        /// The certificate.
        info: Box<CertificateInfo>,
    },
    /// Ask for an account's password again.
    AskPassword {
        /// The account.
        account: BareJid,
    },
    /// Open a chat (optionally with a composer draft).
    OpenChat {
        /// The account.
        account: BareJid,
        /// The peer.
        peer: BareJid,
        /// Text for the composer.
        draft: Option<String>,
    },
    /// Open an `xmpp:` URI (a clicked link).
    OpenUri(String),
    /// The chat the user looks at changed.
    ChatFocused(Option<ChatKey>),
    /// Quit: sign out, then close.
    Quit,
}

/// Results of background work.
#[derive(Debug)]
pub enum AppCmd {
    /// Events from the core, in order (see `event_batches`).
    Events(Vec<Event>),
    /// The core's event stream ended.
    CoreStopped,
    /// The core did not confirm the shutdown in time.
    ShutdownTimedOut,
    /// SIGTERM or SIGINT: sign out and quit, as from the window.
    QuitRequested,
    /// The notification server showed a chat's notification.
    NotificationShown {
        /// The chat.
        key: ChatKey,
        /// Which showing of the chat's notification.
        serial: u64,
        /// The server's id for it.
        id: u32,
    },
    /// The user clicked a message notification.
    NotificationClicked {
        /// The chat to open.
        key: ChatKey,
    },
    /// A chat's notification was closed (dismissed, expired or
    /// withdrawn), or could not be shown.
    NotificationClosed {
        /// The chat.
        key: ChatKey,
        /// Which showing of the chat's notification.
        serial: u64,
        /// Whether it could not be shown.
        failed: bool,
    },
}

/// The root component.
pub struct App {
    session: Option<SessionHandle>,
    settings: gio::Settings,
    page: Page,
    /// Accounts from the core, in its order.
    accounts: Vec<AccountSummary>,
    /// The last connection state of each account, for the accounts dialog.
    states: HashMap<BareJid, ConnectionState>,
    /// The display names of contacts, for notifications and titles.
    names: HashMap<ChatKey, String>,
    /// Every known room, for notifications and links.
    rooms: HashMap<ChatKey, RoomSummary>,
    focused_chat: Option<ChatKey>,
    /// Chats whose new messages were read (shown in the focused window)
    /// in the batch of events being handled: marked read once the batch is
    /// done, so a flood into the open chat costs one write per batch
    /// rather than one per message.
    read_in_batch: Vec<ChatKey>,
    /// Chats with a message notification on screen.
    notifications: notifications::Notifier,
    pending_uri: Option<XmppUri>,
    quitting: bool,
    error_text: String,
    sign_in: Controller<SignIn>,
    main: Controller<MainWindow>,
    accounts_dialog: Option<Controller<AccountsDialog>>,
    /// The room directory, while it is open.
    directory: Option<Controller<super::room::directory::RoomDirectory>>,
    dialogs: Vec<DialogHolder>,
    toasts: adw::ToastOverlay,
}

#[relm4::component(pub)]
impl Component for App {
    type Init = AppInit;
    type Input = AppMsg;
    type Output = ();
    type CommandOutput = AppCmd;

    view! {
        #[root]
        adw::ApplicationWindow {
            set_title: Some("Warbler"),
            set_width_request: 360,
            set_height_request: 294,
            add_css_class?: config::is_devel().then_some("devel"),

            connect_close_request[sender] => move |_| {
                sender.input(AppMsg::Quit);
                glib::Propagation::Stop
            },

            #[local_ref]
            toasts -> adw::ToastOverlay {
                #[name = "stack"]
                gtk::Stack {
                    set_transition_type: gtk::StackTransitionType::Crossfade,

                    add_named[Some("loading")] = &gtk::WindowHandle {
                        gtk::Box {
                            set_orientation: gtk::Orientation::Vertical,
                            adw::HeaderBar {
                                add_css_class: "flat",
                                #[wrap(Some)]
                                set_title_widget = &gtk::Label {},
                            },
                            gtk::Spinner {
                                set_spinning: true,
                                set_vexpand: true,
                                set_halign: gtk::Align::Center,
                                set_width_request: 32,
                                set_height_request: 32,
                            },
                        },
                    },
                    add_named[Some("sign-in")] = model.sign_in.widget(),
                    add_named[Some("main")] = model.main.widget(),
                    add_named[Some("error")] = &gtk::WindowHandle {
                        gtk::Box {
                            set_orientation: gtk::Orientation::Vertical,
                            adw::HeaderBar {
                                add_css_class: "flat",
                                #[wrap(Some)]
                                set_title_widget = &gtk::Label {},
                            },
                            adw::StatusPage {
                                set_vexpand: true,
                                set_icon_name: Some("dialog-error-symbolic"),
                                set_title: &gettext("Warbler Could Not Start"),
                                #[watch]
                                set_description: Some(&model.error_text),
                            },
                        },
                    },

                    #[watch]
                    set_visible_child_name: model.page.name(),
                },
            },
        }
    }

    fn init(
        init: AppInit,
        root: Self::Root,
        sender: ComponentSender<Self>,
    ) -> ComponentParts<Self> {
        let settings = init.settings;
        root.set_default_size(settings.int("window-width"), settings.int("window-height"));
        if settings.boolean("is-maximized") {
            root.maximize();
        }

        let (session, page, error_text) = match init.session {
            Ok((session, events)) => {
                bridge_events(&sender, events);
                (Some(session), Page::Loading, String::new())
            }
            Err(error) => {
                tracing::error!("Could not start the core: {error}");
                (None, Page::Error, error.to_user_facing())
            }
        };

        let sign_in =
            SignIn::builder()
                .launch(())
                .forward(sender.input_sender(), |out| match out {
                    SignInOutput::Command(command) => AppMsg::Command(command),
                    SignInOutput::Closed => AppMsg::SignInClosed,
                    SignInOutput::ReviewCertificate { account, info } => {
                        AppMsg::ReviewCertificate { account, info }
                    }
                });
        let main =
            MainWindow::builder()
                .launch(settings.clone())
                .forward(sender.input_sender(), |out| match out {
                    MainOutput::Command(command) => AppMsg::Command(command),
                    MainOutput::OpenChat { account, peer } => AppMsg::OpenChat {
                        account,
                        peer,
                        draft: None,
                    },
                    MainOutput::ChatFocused(key) => AppMsg::ChatFocused(key),
                    MainOutput::ReviewCertificate { account, info } => {
                        AppMsg::ReviewCertificate { account, info }
                    }
                    MainOutput::AskPassword { account } => AppMsg::AskPassword { account },
                    MainOutput::AddContact => AppMsg::ShowAddContact,
                });

        let toasts = adw::ToastOverlay::new();
        let model = App {
            session,
            settings,
            page,
            accounts: Vec::new(),
            states: HashMap::new(),
            names: HashMap::new(),
            rooms: HashMap::new(),
            focused_chat: None,
            read_in_batch: Vec::new(),
            notifications: notifications::Notifier::default(),
            pending_uri: init.uri,
            quitting: false,
            error_text,
            sign_in,
            main,
            accounts_dialog: None,
            directory: None,
            dialogs: Vec::new(),
            toasts: toasts.clone(),
        };
        let toasts = &model.toasts;
        let widgets = view_output!();
        install_actions(&sender);
        quit_on_signals(&sender);
        super::perf::watch_frames(&root);
        ComponentParts { model, widgets }
    }

    fn update(&mut self, msg: AppMsg, sender: ComponentSender<Self>, root: &Self::Root) {
        match msg {
            AppMsg::Command(command) => self.send(command),
            AppMsg::SignInClosed => {
                self.page = if self.accounts.is_empty() {
                    Page::SignIn
                } else {
                    Page::Main
                };
            }
            AppMsg::ShowAddAccount => {
                if let Some(dialog) = &self.accounts_dialog {
                    dialog.widget().close();
                }
                self.sign_in.deliver(SignInInput::Reset {
                    can_cancel: !self.accounts.is_empty(),
                });
                self.page = Page::SignIn;
            }
            AppMsg::ShowAccounts => self.show_accounts(root, &sender),
            AppMsg::ShowAddContact => {
                let accounts: Vec<BareJid> = self
                    .accounts
                    .iter()
                    .filter(|a| a.enabled)
                    .map(|a| a.jid.clone())
                    .collect();
                if accounts.is_empty() {
                    self.toast(gettext("Add an account first."));
                } else {
                    let dialog = add_contact::AddContactDialog::builder()
                        .launch(accounts)
                        .forward(sender.input_sender(), AppMsg::Command);
                    dialog.widget().set_transient_for(Some(root));
                    dialog.widget().present();
                    self.keep(dialog);
                }
            }
            AppMsg::ShowJoinRoom { room, password } => {
                self.show_join_room(room, password, None, root.upcast_ref(), &sender);
            }
            AppMsg::JoinRoom(request) => self.join_room(request),
            AppMsg::ShowDirectory { account } => self.show_directory(account, root, &sender),
            AppMsg::JoinFromDirectory { account, room } => {
                let parent = self
                    .directory_window()
                    .unwrap_or_else(|| root.clone().upcast());
                self.show_join_room(Some(room), None, Some(account), &parent, &sender);
            }
            AppMsg::ShowShortcuts => shortcuts::show(root.upcast_ref()),
            AppMsg::ShowAbout => about::show(root.upcast_ref()),
            AppMsg::FocusSearch => {
                if self.page == Page::Main {
                    self.main.deliver(MainInput::FocusSearch);
                }
            }
            AppMsg::ReviewCertificate { account, info } => {
                let dialog = certificate::CertificateDialog::builder()
                    .launch((account, info))
                    .forward(sender.input_sender(), AppMsg::Command);
                dialog.widget().set_transient_for(Some(root));
                dialog.widget().present();
                self.keep(dialog);
            }
            AppMsg::AskPassword { account } => {
                let dialog = password::PasswordDialog::builder()
                    .launch(account)
                    .forward(sender.input_sender(), AppMsg::Command);
                dialog.widget().set_transient_for(Some(root));
                dialog.widget().present();
                self.keep(dialog);
            }
            AppMsg::OpenChat {
                account,
                peer,
                draft,
            } => {
                let key = (account, peer);
                let name = self.display_name(&key);
                self.page = Page::Main;
                root.present();
                self.main.deliver(MainInput::ShowChat {
                    key,
                    name,
                    draft,
                    room: None,
                });
            }
            AppMsg::OpenUri(uri) => match XmppUri::parse(&uri) {
                Ok(uri) => self.open_uri(uri, &sender),
                Err(error) => {
                    tracing::warn!("Could not open the link {uri}: {error}");
                    self.toast(gettext("This link is not a valid chat address."));
                }
            },
            AppMsg::ChatFocused(key) => {
                if let Some(key) = &key {
                    self.notifications.read(key);
                }
                if let Some((account, peer)) = &key {
                    self.send(Command::MarkRead {
                        account: account.clone(),
                        peer: peer.clone(),
                    });
                }
                self.focused_chat = key;
            }
            AppMsg::Quit => self.quit(root, &sender),
        }
    }

    fn update_cmd(&mut self, msg: AppCmd, sender: ComponentSender<Self>, root: &Self::Root) {
        match msg {
            AppCmd::Events(batch) => {
                let for_main: Vec<Event> = batch
                    .into_iter()
                    .filter_map(|event| self.handle_event(event, &sender, root))
                    .collect();
                for (account, peer) in std::mem::take(&mut self.read_in_batch) {
                    self.send(Command::MarkRead { account, peer });
                }
                if !for_main.is_empty() {
                    self.main.deliver(MainInput::Events(for_main));
                }
            }
            AppCmd::CoreStopped | AppCmd::ShutdownTimedOut => {
                if self.quitting {
                    self.exit();
                } else if matches!(msg, AppCmd::CoreStopped) {
                    tracing::error!("The core stopped unexpectedly");
                    self.error_text = gettext("The connection service stopped. Restart Warbler.");
                    self.page = Page::Error;
                }
            }
            AppCmd::QuitRequested => sender.input(AppMsg::Quit),
            AppCmd::NotificationShown { key, serial, id } => {
                self.notifications.shown(&key, serial, id);
            }
            AppCmd::NotificationClicked { key } => sender.input(AppMsg::OpenChat {
                account: key.0,
                peer: key.1,
                draft: None,
            }),
            AppCmd::NotificationClosed {
                key,
                serial,
                failed,
            } => self.notifications.closed(&key, serial, failed),
        }
    }
}

/// Forward the core's events into the component for as long as it lives.
fn bridge_events(sender: &ComponentSender<App>, mut events: EventReceiver) {
    sender.command(|out, shutdown| {
        shutdown
            .register(async move {
                let mut last_batch = None;
                while let Some(batch) =
                    event_batches::next_batch(&mut events, &mut last_batch).await
                {
                    if out.send(AppCmd::Events(batch)).is_err() {
                        return;
                    }
                }
                let _ = out.send(AppCmd::CoreStopped);
            })
            .drop_on_shutdown()
    });
}

/// Quit cleanly (signing out) on SIGTERM and SIGINT, as session managers
/// and terminals ask, instead of dying with the connection half-open.
fn quit_on_signals(sender: &ComponentSender<App>) {
    sender.command(|out, shutdown| {
        shutdown
            .register(async move {
                use tokio::signal::unix::{SignalKind, signal};
                let (Ok(mut term), Ok(mut interrupt)) = (
                    signal(SignalKind::terminate()),
                    signal(SignalKind::interrupt()),
                ) else {
                    tracing::warn!("Could not listen for termination signals");
                    return;
                };
                loop {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = interrupt.recv() => {}
                    }
                    if out.send(AppCmd::QuitRequested).is_err() {
                        return;
                    }
                }
            })
            .drop_on_shutdown()
    });
}

/// An application action without parameter: name, message, accelerators.
type SimpleAction = (&'static str, fn() -> AppMsg, &'static [&'static str]);

/// Application actions and their keyboard shortcuts.
fn install_actions(sender: &ComponentSender<App>) {
    let app = relm4::main_application();
    let simple: [SimpleAction; 9] = [
        ("quit", || AppMsg::Quit, &["<Control>q"]),
        ("search", || AppMsg::FocusSearch, &["<Control>f"]),
        ("add-contact", || AppMsg::ShowAddContact, &["<Control>n"]),
        (
            "join-room",
            || AppMsg::ShowJoinRoom {
                room: None,
                password: None,
            },
            &["<Control>j"],
        ),
        (
            "browse-rooms",
            || AppMsg::ShowDirectory { account: None },
            &[],
        ),
        (
            "shortcuts",
            || AppMsg::ShowShortcuts,
            &["<Control>question"],
        ),
        ("about", || AppMsg::ShowAbout, &[]),
        ("accounts", || AppMsg::ShowAccounts, &[]),
        ("add-account", || AppMsg::ShowAddAccount, &[]),
    ];
    for (name, msg, accels) in simple {
        let action = gio::SimpleAction::new(name, None);
        let sender = sender.clone();
        action.connect_activate(move |_, _| sender.input(msg()));
        app.add_action(&action);
        app.set_accels_for_action(&format!("app.{name}"), accels);
    }
    let open_uri = gio::SimpleAction::new("open-uri", Some(glib::VariantTy::STRING));
    let sender = sender.clone();
    open_uri.connect_activate(move |_, param| {
        if let Some(uri) = param.and_then(|p| p.get::<String>()) {
            sender.input(AppMsg::OpenUri(uri));
        }
    });
    app.add_action(&open_uri);
}

impl App {
    fn send(&self, command: Command) {
        match &self.session {
            Some(session) => session.send(command),
            None => tracing::warn!("Could not send {command:?}: the core is not running"),
        }
    }

    fn toast(&self, text: String) {
        self.toasts.add_toast(adw::Toast::new(&text));
    }

    /// Keep a dialog's controller alive while its window is open.
    fn keep<C: Component>(&mut self, controller: Controller<C>)
    where
        C::Root: IsA<gtk::Window>,
    {
        self.dialogs.retain(|holder| holder.window.is_visible());
        let window = controller.widget().clone().upcast();
        self.dialogs.push(DialogHolder {
            window,
            _controller: Box::new(controller),
        });
    }

    /// Show or update the notification of a chat with a new message.
    fn notify(&mut self, key: ChatKey, body: String, sender: &ComponentSender<Self>) {
        let name = self.display_name(&key);
        let Some((summary, serial)) = self.notifications.message(&key, &name, &body) else {
            return;
        };
        sender.spawn_command(move |out| {
            let shown_out = out.clone();
            let shown_key = key.clone();
            let outcome = notifications::show_message(&summary, &body, |id| {
                let _ = shown_out.send(AppCmd::NotificationShown {
                    key: shown_key,
                    serial,
                    id,
                });
            });
            // A clicked notification stays tracked: opening the chat
            // withdraws it, from servers that keep it in a tray too.
            let _ = out.send(match outcome {
                notifications::Outcome::Clicked => AppCmd::NotificationClicked { key },
                outcome => AppCmd::NotificationClosed {
                    key,
                    serial,
                    failed: outcome == notifications::Outcome::Failed,
                },
            });
        });
    }

    fn display_name(&self, key: &ChatKey) -> String {
        self.names
            .get(key)
            .cloned()
            .unwrap_or_else(|| fallback_name(&key.1))
    }

    fn show_accounts(&mut self, root: &adw::ApplicationWindow, sender: &ComponentSender<Self>) {
        let dialog = AccountsDialog::builder()
            .launch(AccountsInit {
                accounts: self.accounts.clone(),
                states: self.states.clone(),
            })
            .forward(sender.input_sender(), |out| match out {
                AccountsOutput::Command(command) => AppMsg::Command(command),
                AccountsOutput::AddAccount => AppMsg::ShowAddAccount,
            });
        dialog.widget().set_transient_for(Some(root));
        dialog.widget().present();
        self.accounts_dialog = Some(dialog);
    }

    fn open_uri(&mut self, uri: XmppUri, sender: &ComponentSender<Self>) {
        let Some(account) = self.accounts.iter().find(|a| a.enabled) else {
            self.pending_uri = Some(uri);
            return;
        };
        match uri.action {
            UriAction::OpenChat { body } => sender.input(AppMsg::OpenChat {
                account: account.jid.clone(),
                peer: uri.jid,
                draft: body,
            }),
            UriAction::JoinRoom { password } => {
                let key = (account.jid.clone(), uri.jid.clone());
                if self.rooms.contains_key(&key) {
                    // A room we know: open it.
                    sender.input(AppMsg::OpenChat {
                        account: key.0,
                        peer: key.1,
                        draft: None,
                    });
                } else {
                    sender.input(AppMsg::ShowJoinRoom {
                        room: Some(uri.jid),
                        password,
                    });
                }
            }
        }
    }

    /// Mark the chat `key` read once the batch of events is handled.
    fn mark_read_after_batch(&mut self, key: ChatKey) {
        if !self.read_in_batch.contains(&key) {
            self.read_in_batch.push(key);
        }
    }

    /// Handle one event; returns it if the main page needs it too.
    fn handle_event(
        &mut self,
        event: Event,
        sender: &ComponentSender<Self>,
        root: &adw::ApplicationWindow,
    ) -> Option<Event> {
        match &event {
            Event::AccountsLoaded { accounts } => {
                self.accounts = accounts.clone();
                if self.page == Page::Loading {
                    self.page = if accounts.is_empty() {
                        Page::SignIn
                    } else {
                        Page::Main
                    };
                }
                if let Some(uri) = self.pending_uri.take() {
                    self.open_uri(uri, sender);
                }
            }
            Event::AccountUpdated { account } => {
                match self.accounts.iter_mut().find(|a| a.jid == account.jid) {
                    Some(existing) => *existing = account.clone(),
                    None => self.accounts.push(account.clone()),
                }
            }
            Event::AccountRemoved { account } => {
                self.accounts.retain(|a| &a.jid != account);
                self.states.remove(account);
                if self.accounts.is_empty() {
                    self.sign_in
                        .deliver(SignInInput::Reset { can_cancel: false });
                    self.page = Page::SignIn;
                }
            }
            Event::RosterReplaced { account, contacts } => {
                self.names.retain(|(acc, _), _| acc != account);
                for contact in contacts {
                    self.names.insert(
                        (account.clone(), contact.jid.clone()),
                        contact.display_name(),
                    );
                }
            }
            Event::ContactUpdated { account, contact } => {
                self.names.insert(
                    (account.clone(), contact.jid.clone()),
                    contact.display_name(),
                );
            }
            Event::ConnectionChanged { account, state } => {
                self.states.insert(account.clone(), state.clone());
                if *state == ConnectionState::Online {
                    if let Some(uri) = self.pending_uri.take() {
                        self.open_uri(uri, sender);
                    }
                    super::perf::mark("online");
                    tracing::info!(account = %account, "Signed in");
                }
            }
            Event::CommandFailed { error, .. } => self.toast(error.to_user_facing()),
            Event::RoomsLoaded { .. }
            | Event::RoomUpdated { .. }
            | Event::RoomRemoved { .. }
            | Event::InvitationReceived { .. }
            | Event::InvitationDeclined { .. }
            | Event::RoomActionFailed { .. }
            | Event::RoomForm { .. } => self.room_event(&event, sender, root),
            Event::MessageAdded { message }
                if message.direction == Direction::Incoming && message.room.is_some() =>
            {
                self.room_message(message, sender, root);
            }
            Event::MessageAdded { message } if message.direction == Direction::Incoming => {
                let key = (message.account.clone(), message.peer.clone());
                let focused = self.focused_chat.as_ref() == Some(&key) && root.is_active();
                if focused {
                    self.mark_read_after_batch(key);
                } else if self.settings.boolean("notifications-enabled") {
                    self.notify(key, message.body.clone(), sender);
                }
            }
            Event::ShutdownComplete => {
                if self.quitting {
                    self.exit();
                }
                return None;
            }
            _ => {}
        }
        // Pages and dialogs that care get the event too.
        if matches!(
            event,
            Event::ConnectionChanged { .. }
                | Event::CommandFailed { .. }
                | Event::AccountUpdated { .. }
        ) {
            self.sign_in
                .deliver(SignInInput::Event(Box::new(event.clone())));
        }
        if let Some(dialog) = &self.accounts_dialog
            && matches!(
                event,
                Event::AccountsLoaded { .. }
                    | Event::AccountUpdated { .. }
                    | Event::AccountRemoved { .. }
                    | Event::ConnectionChanged { .. }
            )
        {
            dialog.deliver(AccountsInput::Event(Box::new(event.clone())));
        }
        self.directory_event(&event);
        Some(event)
    }

    /// End the application, once the notifications are withdrawn.
    fn exit(&mut self) {
        self.notifications.finish();
        relm4::main_application().quit();
    }

    fn quit(&mut self, root: &adw::ApplicationWindow, sender: &ComponentSender<Self>) {
        if self.quitting {
            return;
        }
        self.quitting = true;
        self.save_window_state(root);
        root.set_visible(false);
        // Their "Open Chat" would do nothing once Warbler has quit.
        self.notifications.withdraw_all();
        if self.session.is_none() {
            self.exit();
            return;
        }
        self.send(Command::Shutdown);
        sender.oneshot_command(async {
            tokio::time::sleep(SHUTDOWN_CAP).await;
            AppCmd::ShutdownTimedOut
        });
    }

    fn save_window_state(&self, root: &adw::ApplicationWindow) {
        let (width, height) = root.default_size();
        let results = [
            self.settings.set_int("window-width", width),
            self.settings.set_int("window-height", height),
            self.settings
                .set_boolean("is-maximized", root.is_maximized()),
        ];
        for result in results {
            if let Err(error) = result {
                tracing::warn!("Could not save the window state: {error}");
            }
        }
    }
}

/// A dialog window with the controller that drives it.
struct DialogHolder {
    window: gtk::Window,
    _controller: Box<dyn std::any::Any>,
}
