//! The main page: an adaptive two-pane layout (sidebar with chats and
//! contacts, chat view), the presence and primary menus, and a banner
//! while an account is offline.

use std::collections::{BTreeMap, HashMap};

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk::{self, gio};
use relm4::prelude::*;

use crate::ui::AccessibleName;
use warbler::model::{BareJid, ConnectionState, PresenceShow, RoomSummary};
use warbler::session::{CertificateInfo, Command, ConnectError, Event};

use super::chat::{ChatInput, ChatOutput, ChatView};
use super::errors::UserFacing;
use super::sidebar::{Sidebar, SidebarInput, SidebarOutput};
use super::{ChatKey, presence_label, set_accessible_label, show_presence};
use crate::i18n::gettext_f;
use crate::ui::Deliver;

/// Messages of the main page.
#[derive(Debug)]
pub enum MainInput {
    /// A batch of the core's events, in order.
    Events(Vec<Event>),
    /// Show a chat.
    ShowChat {
        /// The chat.
        key: ChatKey,
        /// The peer's display name.
        name: String,
        /// Text for the composer.
        draft: Option<String>,
        /// The room, for a group chat the window may not know yet (just
        /// joined); known rooms are looked up.
        room: Option<Box<RoomSummary>>,
    },
    /// Focus the contact search.
    FocusSearch,
    /// The user picked a presence in the menu.
    SetPresence(PresenceShow),
    /// The user confirmed a status message.
    StatusActivated,
    /// The banner's button was clicked.
    BannerAction,
    /// Go back to the sidebar (narrow layout).
    Back,
    /// The layout folded or unfolded.
    FoldedChanged(bool),
    /// The open chat was closed (its room was forgotten).
    ChatClosed,
}

/// What the main page asks of the app.
#[derive(Debug)]
pub enum MainOutput {
    /// Send a command to the core.
    Command(Command),
    /// Open a chat.
    OpenChat {
        /// The account.
        account: BareJid,
        /// The peer.
        peer: BareJid,
    },
    /// The chat the user looks at changed.
    ChatFocused(Option<ChatKey>),
    /// Show a certificate for review.
    ReviewCertificate {
        /// The account.
        account: BareJid,
        /// The certificate.
        info: Box<CertificateInfo>,
    },
    /// Ask for a password again.
    AskPassword {
        /// The account.
        account: BareJid,
    },
    /// Show the "Add Contact" dialog.
    AddContact,
}

/// The main page.
pub struct MainWindow {
    sidebar: Controller<Sidebar>,
    chat: Controller<ChatView>,
    /// Connection state of every enabled account.
    states: BTreeMap<BareJid, ConnectionState>,
    own_show: PresenceShow,
    open_chat: Option<ChatKey>,
    /// Every known room.
    rooms: HashMap<ChatKey, RoomSummary>,
    folded: bool,
    status_entry: gtk::Entry,
    presence_popover: gtk::Popover,
    /// Our own presence in the header bar: one dot, recoloured (a new
    /// one on every update made the header bar lay itself out again).
    presence_dot: gtk::Box,
}

impl MainWindow {
    /// The account whose connection problem the banner shows, if any.
    fn banner_account(&self) -> Option<(&BareJid, &ConnectionState)> {
        self.states.iter().find(|(_, state)| {
            matches!(
                state,
                ConnectionState::WaitingToReconnect { .. } | ConnectionState::Failed { .. }
            )
        })
    }

    fn banner_text(&self) -> String {
        match self.banner_account() {
            Some((
                account,
                ConnectionState::WaitingToReconnect {
                    retry_in_secs,
                    error,
                },
            )) => {
                gettext_f(
                    // Translators: {account} is an address; {error} a sentence; {secs} a number.
                    "{account} is offline. {error} Retrying in {secs} s.",
                    &[
                        ("account", &account.to_string()),
                        ("error", &error.to_user_facing()),
                        ("secs", &retry_in_secs.to_string()),
                    ],
                )
            }
            Some((account, ConnectionState::Failed { error })) => gettext_f(
                "{account} is offline. {error}",
                &[
                    ("account", &account.to_string()),
                    ("error", &error.to_user_facing()),
                ],
            ),
            _ => String::new(),
        }
    }

    fn banner_button(&self) -> String {
        match self.banner_account() {
            Some((_, ConnectionState::Failed { error })) => match error {
                ConnectError::WrongPassword => gettext("Enter Password…"),
                ConnectError::UntrustedCertificate(_) => gettext("Review Certificate…"),
                _ => gettext("Reconnect Now"),
            },
            _ => gettext("Reconnect Now"),
        }
    }
}

#[relm4::component(pub)]
impl Component for MainWindow {
    type Init = gio::Settings;
    type Input = MainInput;
    type Output = MainOutput;
    type CommandOutput = ();

    view! {
        gtk::Box {
            set_orientation: gtk::Orientation::Vertical,

            gtk::Revealer {
                #[watch]
                set_reveal_child: model.banner_account().is_some(),

                gtk::Box {
                    add_css_class: "connection-banner",
                    set_spacing: 12,

                    gtk::Label {
                        set_hexpand: true,
                        set_xalign: 0.0,
                        set_wrap: true,
                        #[watch]
                        set_label: &model.banner_text(),
                    },
                    gtk::Button {
                        set_valign: gtk::Align::Center,
                        #[watch]
                        set_label: &model.banner_button(),
                        connect_clicked => MainInput::BannerAction,
                    },
                },
            },

            #[name = "leaflet"]
            adw::Leaflet {
                set_vexpand: true,
                set_can_navigate_back: true,
                connect_folded_notify[sender] => move |leaflet| {
                    sender.input(MainInput::FoldedChanged(leaflet.is_folded()));
                },

                #[name = "sidebar_pane"]
                gtk::Box {
                    set_orientation: gtk::Orientation::Vertical,
                    set_width_request: 300,

                    #[name = "sidebar_header"]
                    adw::HeaderBar {
                        #[watch]
                        set_show_end_title_buttons: model.folded,

                        pack_start = &gtk::MenuButton {
                            set_popover: Some(&model.presence_popover),
                            set_tooltip_text: Some(&gettext("Set Your Presence")),
                            set_child: Some(&model.presence_dot),
                            #[watch]
                            set_accessible_name: &gettext_f(
                                // Translators: {presence} is e.g. "Available".
                                "Your presence: {presence}",
                                &[("presence", &presence_label(model.shown_presence()))],
                            ),
                        },

                        #[wrap(Some)]
                        set_title_widget = &gtk::StackSwitcher {
                            set_stack: Some(&model.sidebar.model().stack),
                        },

                        pack_end = &gtk::MenuButton {
                            set_icon_name: "open-menu-symbolic",
                            set_menu_model: Some(&primary_menu()),
                            set_primary: true,
                            set_tooltip_text: Some(&gettext("Main Menu")),
                            set_accessible_name: &gettext("Main Menu"),
                        },
                    },

                    append: model.sidebar.widget(),
                },

                append = &gtk::Separator {
                    set_orientation: gtk::Orientation::Vertical,
                } -> {
                    set_navigatable: false,
                },

                #[name = "content_pane"]
                gtk::Box {
                    set_hexpand: true,
                    set_width_request: 360,
                    append: model.chat.widget(),
                },
            },
        }
    }

    fn init(
        settings: gio::Settings,
        root: Self::Root,
        sender: ComponentSender<Self>,
    ) -> ComponentParts<Self> {
        let sidebar =
            Sidebar::builder()
                .launch(())
                .forward(sender.output_sender(), |out| match out {
                    SidebarOutput::Command(command) => MainOutput::Command(command),
                    SidebarOutput::OpenChat((account, peer)) => {
                        MainOutput::OpenChat { account, peer }
                    }
                    SidebarOutput::AddContact => MainOutput::AddContact,
                });
        let chat_sender = sender.clone();
        let chat = ChatView::builder()
            .launch(settings)
            .connect_receiver(move |_, out| match out {
                ChatOutput::Command(command) => {
                    let _ = chat_sender.output(MainOutput::Command(command));
                }
                ChatOutput::Back => chat_sender.input(MainInput::Back),
                ChatOutput::Closed => chat_sender.input(MainInput::ChatClosed),
            });

        let (presence_popover, status_entry) = presence_popover(&sender);
        let model = MainWindow {
            sidebar,
            chat,
            states: BTreeMap::new(),
            own_show: PresenceShow::Available,
            open_chat: None,
            rooms: HashMap::new(),
            folded: false,
            status_entry,
            presence_popover,
            presence_dot: presence_dot(PresenceShow::Offline),
        };
        show_presence(&model.presence_dot, model.shown_presence());
        let widgets = view_output!();
        ComponentParts { model, widgets }
    }

    fn update_with_view(
        &mut self,
        widgets: &mut Self::Widgets,
        msg: MainInput,
        sender: ComponentSender<Self>,
        _root: &Self::Root,
    ) {
        match msg {
            MainInput::Events(events) => self.handle_events(events),
            MainInput::ShowChat {
                key,
                name,
                draft,
                room,
            } => {
                let room = room.or_else(|| self.rooms.get(&key).cloned().map(Box::new));
                let name = room
                    .as_ref()
                    .map(|room| crate::ui::room::room_name(room))
                    .unwrap_or(name);
                // Asked for here rather than by the chat view, so that the
                // core reads the history (and what in it is unread) before
                // the ChatFocused below has it marked read.
                if self.open_chat.as_ref() != Some(&key) {
                    let _ = sender.output(MainOutput::Command(Command::OpenChat {
                        account: key.0.clone(),
                        peer: key.1.clone(),
                    }));
                }
                self.open_chat = Some(key.clone());
                self.sidebar
                    .deliver(SidebarInput::SelectChat(Some(key.clone())));
                self.chat.deliver(ChatInput::Show {
                    key: key.clone(),
                    name,
                    draft,
                    room,
                });
                widgets.leaflet.set_visible_child(&widgets.content_pane);
                let _ = sender.output(MainOutput::ChatFocused(Some(key)));
            }
            MainInput::FocusSearch => {
                widgets.leaflet.set_visible_child(&widgets.sidebar_pane);
                self.sidebar.deliver(SidebarInput::FocusSearch);
            }
            MainInput::SetPresence(show) => {
                self.presence_popover.popdown();
                self.own_show = show;
                self.send_presence(&sender);
            }
            MainInput::StatusActivated => {
                self.presence_popover.popdown();
                self.send_presence(&sender);
            }
            MainInput::BannerAction => {
                if let Some((account, state)) = self.banner_account() {
                    let account = account.clone();
                    let out = match state {
                        ConnectionState::Failed {
                            error: ConnectError::WrongPassword,
                        } => MainOutput::AskPassword { account },
                        ConnectionState::Failed {
                            error: ConnectError::UntrustedCertificate(info),
                        } => MainOutput::ReviewCertificate {
                            account,
                            info: info.clone(),
                        },
                        _ => MainOutput::Command(Command::ReconnectNow { account }),
                    };
                    let _ = sender.output(out);
                }
            }
            MainInput::Back => {
                widgets.leaflet.navigate(adw::NavigationDirection::Back);
                if self.folded {
                    let _ = sender.output(MainOutput::ChatFocused(None));
                }
            }
            MainInput::ChatClosed => {
                self.open_chat = None;
                self.sidebar.deliver(SidebarInput::SelectChat(None));
                widgets.leaflet.navigate(adw::NavigationDirection::Back);
                let _ = sender.output(MainOutput::ChatFocused(None));
            }
            MainInput::FoldedChanged(folded) => {
                self.folded = folded;
                self.chat.deliver(ChatInput::SetFolded(folded));
            }
        }
        show_presence(&self.presence_dot, self.shown_presence());
        self.update_view(widgets, sender);
    }
}

impl MainWindow {
    fn send_presence(&self, sender: &ComponentSender<Self>) {
        let status = self.status_entry.text().trim().to_owned();
        let _ = sender.output(MainOutput::Command(Command::SetPresence {
            show: self.own_show,
            status: (!status.is_empty()).then_some(status),
        }));
    }

    /// The presence others see: the chosen one while an account is
    /// online, otherwise offline (a green dot while disconnected misled).
    fn shown_presence(&self) -> PresenceShow {
        let online = self
            .states
            .values()
            .any(|state| matches!(state, ConnectionState::Online));
        if online {
            self.own_show
        } else {
            PresenceShow::Offline
        }
    }

    /// Handle a batch of the core's events; the chat view gets its share as
    /// one batch.
    fn handle_events(&mut self, events: Vec<Event>) {
        let mut for_chat = Vec::new();
        for event in events {
            self.handle_event(event, &mut for_chat);
        }
        if !for_chat.is_empty() {
            self.chat.deliver(ChatInput::Events(for_chat));
        }
    }

    /// Handle one event, adding it to `for_chat` if the chat view needs it.
    fn handle_event(&mut self, event: Event, for_chat: &mut Vec<Event>) {
        match &event {
            Event::AccountsLoaded { accounts } => {
                self.states = accounts
                    .iter()
                    .filter(|a| a.enabled)
                    .map(|a| (a.jid.clone(), ConnectionState::Connecting))
                    .collect();
            }
            Event::AccountUpdated { account } if !account.enabled => {
                self.states.remove(&account.jid);
            }
            Event::AccountRemoved { account } => {
                self.states.remove(account);
            }
            Event::ConnectionChanged { account, state } => {
                if matches!(state, ConnectionState::Disabled) {
                    self.states.remove(account);
                } else {
                    self.states.insert(account.clone(), state.clone());
                }
            }
            Event::OwnPresenceChanged { presence } => {
                self.own_show = presence.show;
                if self.status_entry.text().is_empty()
                    && let Some(status) = &presence.status
                {
                    self.status_entry.set_text(status);
                }
            }
            Event::RoomsLoaded { rooms } => {
                self.rooms = rooms
                    .iter()
                    .map(|r| ((r.account.clone(), r.room.clone()), r.clone()))
                    .collect();
            }
            Event::RoomUpdated { room } => {
                self.rooms
                    .insert((room.account.clone(), room.room.clone()), (**room).clone());
            }
            Event::RoomRemoved { account, room } => {
                self.rooms.remove(&(account.clone(), room.clone()));
            }
            _ => {}
        }
        match event {
            Event::ChatHistory { .. }
            | Event::MessageAdded { .. }
            | Event::MessageStateChanged { .. }
            | Event::ChatStateChanged { .. }
            | Event::OccupantChatStateChanged { .. }
            | Event::RoomOccupants { .. }
            | Event::OccupantChanged { .. }
            | Event::MessageChanged { .. }
            | Event::AffiliationList { .. }
            | Event::RoomActionDone { .. }
            | Event::RoomActionFailed { .. } => for_chat.push(event),
            Event::ContactUpdated { .. }
            | Event::RosterReplaced { .. }
            | Event::RoomsLoaded { .. }
            | Event::RoomUpdated { .. }
            | Event::RoomRemoved { .. } => {
                for_chat.push(event.clone());
                self.sidebar.deliver(SidebarInput::Event(Box::new(event)));
            }
            other => self.sidebar.deliver(SidebarInput::Event(Box::new(other))),
        }
    }
}

/// A coloured dot for a presence value.
fn presence_dot(show: PresenceShow) -> gtk::Box {
    let dot = gtk::Box::builder()
        .valign(gtk::Align::Center)
        .halign(gtk::Align::Center)
        .css_classes(["presence-dot"])
        .build();
    show_presence(&dot, show);
    dot
}

/// The primary menu.
fn primary_menu() -> gio::Menu {
    let menu = gio::Menu::new();
    let section = gio::Menu::new();
    section.append(Some(&gettext("_Add Contact…")), Some("app.add-contact"));
    section.append(Some(&gettext("_Join Room…")), Some("app.join-room"));
    section.append(Some(&gettext("_Browse Rooms…")), Some("app.browse-rooms"));
    section.append(Some(&gettext("A_ccounts…")), Some("app.accounts"));
    menu.append_section(None, &section);
    let section = gio::Menu::new();
    section.append(Some(&gettext("_Keyboard Shortcuts")), Some("app.shortcuts"));
    section.append(Some(&gettext("_About Warbler")), Some("app.about"));
    section.append(Some(&gettext("_Quit")), Some("app.quit"));
    menu.append_section(None, &section);
    menu
}

/// The presence popover: one button per availability and a status entry.
fn presence_popover(sender: &ComponentSender<MainWindow>) -> (gtk::Popover, gtk::Entry) {
    let content = gtk::Box::new(gtk::Orientation::Vertical, 2);
    for show in [
        PresenceShow::Available,
        PresenceShow::Away,
        PresenceShow::ExtendedAway,
        PresenceShow::DoNotDisturb,
    ] {
        let row = gtk::Box::new(gtk::Orientation::Horizontal, 10);
        row.append(&presence_dot(show));
        row.append(&gtk::Label::new(Some(&presence_label(show))));
        let button = gtk::Button::builder()
            .child(&row)
            .css_classes(["flat"])
            .build();
        set_accessible_label(&button, &presence_label(show));
        let sender = sender.clone();
        button.connect_clicked(move |_| sender.input(MainInput::SetPresence(show)));
        content.append(&button);
    }
    content.append(&gtk::Separator::new(gtk::Orientation::Horizontal));
    let entry = gtk::Entry::builder()
        .placeholder_text(gettext("Status message"))
        .margin_top(6)
        .build();
    set_accessible_label(&entry, &gettext("Status message"));
    let entry_sender = sender.clone();
    entry.connect_activate(move |_| entry_sender.input(MainInput::StatusActivated));
    content.append(&entry);
    let popover = gtk::Popover::builder().child(&content).build();
    (popover, entry)
}
