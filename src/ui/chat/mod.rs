//! The chat view: header with the peer's name and typing state, the
//! virtualized message history (older pages load when scrolled to the
//! top) and the composer. A group chat shows the same view with the room's
//! subject, state bar, menu and occupant list (see `room`).

mod completion;
mod composer;
pub mod dates;
mod linkify;
mod message_menu;
pub mod message_row;
mod moderation;
mod pacing;
mod private;
mod private_chip;
mod room;
mod timeline;

use std::cell::Cell;
use std::collections::VecDeque;
use std::rc::Rc;

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk::{self, gio, glib};
use relm4::prelude::*;

use crate::ui::AccessibleName;
use relm4::typed_view::grid::TypedGridView;
use warbler::model::{ChatState, MessageId, RoomSummary};
use warbler::session::{Command, Event};

use super::room::menu::{self as room_menu, RoomAction};
use super::room::occupant_store::OccupantStore;
use super::room::occupants::Occupants;
use super::room::status::{RoomStatus, StatusAction};
use super::{ChatKey, set_tooltip_if_changed};
use crate::ui::Deliver;
use composer::{Composer, ComposerInput, ComposerOutput};
use message_row::MessageItem;
use room::room_subtitle;

/// Messages of the chat view.
#[derive(Debug)]
pub enum ChatInput {
    /// A batch of the core's events (history, messages, states, names), in
    /// order.
    Events(Vec<Event>),
    /// Show a chat.
    Show {
        /// The chat.
        key: ChatKey,
        /// The peer's name.
        name: String,
        /// Text for the composer.
        draft: Option<String>,
        /// The room, when the chat is a group chat.
        room: Option<Box<RoomSummary>>,
    },
    /// The layout folded or unfolded.
    SetFolded(bool),
    /// The composer wants to send.
    Send(String),
    /// The composer's chat state changed.
    OwnChatState(ChatState),
    /// Our chat state for the occupant we write to privately changed.
    OwnPrivateChatState {
        /// The occupant.
        nick: String,
        /// Our state.
        state: ChatState,
    },
    /// The list was scrolled to the top.
    LoadOlder,
    /// Back to the sidebar (narrow layout).
    Back,
    /// Show or hide the occupant list.
    ToggleOccupants(bool),
    /// An entry of the room menu was picked.
    Room(RoomAction),
    /// The room state bar's button was clicked.
    Status(StatusAction),
    /// The composer asks for the nicknames starting with this.
    Complete(String),
    /// Private messages to one occupant.
    Private(private::PrivateInput),
    /// A new frame: add more of the waiting message rows.
    AppendPending,
    /// The "scroll to newest" button was clicked.
    ScrollToNewest,
}

/// What the chat view asks of the main page.
#[derive(Debug)]
pub enum ChatOutput {
    /// Send a command to the core.
    Command(Command),
    /// Go back to the sidebar.
    Back,
    /// The open chat was closed (its room was forgotten).
    Closed,
}

/// The chat view.
pub struct ChatView {
    key: Option<ChatKey>,
    name: String,
    list: TypedGridView<MessageItem, gtk::NoSelection>,
    /// Ids of the shown rows and of `pending`, in list order (`None` for
    /// room notices).
    ids: Vec<Option<MessageId>>,
    /// Rows of new messages not yet added to the list.
    pending: VecDeque<MessageItem>,
    /// Whether to scroll to the newest message as `pending` is added.
    scroll_after_append: bool,
    /// How many of `pending` to add per frame (shared with the frame
    /// clock's handlers, which tell it what frames cost).
    pacer: Rc<pacing::RowPacer>,
    /// The frame clock `pacer` learns from.
    paced_clock: Option<gtk::gdk::FrameClock>,
    /// Whether the next frame adds more of `pending`.
    append_scheduled: bool,
    complete: bool,
    loading_older: bool,
    peer_state: Option<ChatState>,
    composing: bool,
    /// The occupant of the open room we are typing to privately.
    composing_to: Option<String>,
    folded: bool,
    composer: Controller<Composer>,
    /// Keep the view at the bottom when content grows.
    stick_to_bottom: Rc<Cell<bool>>,
    /// Shown while the reader is scrolled up from the newest messages.
    scroll_to_newest: gtk::Button,
    /// The frame at which to check that the view reached the newest row.
    bottom_check: Rc<Cell<Option<i64>>>,
    /// The message the "new messages" line is above: the first that was
    /// unread when the chat was opened.
    first_unread: Option<MessageId>,
    /// The row of the "new messages" line, to scroll up to once the view
    /// has reached the newest row (see `scroll_to_end`).
    unread_target: Rc<Cell<Option<u32>>>,
    /// While older messages are prepended: distance from the bottom to keep.
    anchor: Rc<Cell<Option<f64>>>,
    scrolled: gtk::ScrolledWindow,
    /// The open room, when the chat is a group chat.
    room: Option<RoomSummary>,
    /// Who is in each joined room.
    occupant_store: OccupantStore,
    occupants: Controller<Occupants>,
    show_occupants: bool,
    status: Controller<RoomStatus>,
    /// The room menu's and the message menu's actions, the members dialog.
    admin: moderation::RoomAdmin,
}

#[relm4::component(pub)]
impl Component for ChatView {
    type Init = gio::Settings;
    type Input = ChatInput;
    type Output = ChatOutput;
    type CommandOutput = ();

    view! {
        gtk::Box {
            set_orientation: gtk::Orientation::Vertical,
            set_hexpand: true,

            adw::HeaderBar {
                #[watch]
                set_show_start_title_buttons: model.folded,

                pack_start = &gtk::Button {
                    set_icon_name: "go-previous-symbolic",
                    set_tooltip_text: Some(&gettext("Back")),
                    set_accessible_name: &gettext("Back"),
                    #[watch]
                    set_visible: model.folded,
                    connect_clicked => ChatInput::Back,
                },

                // Names and subjects come from the network: plain labels,
                // never markup.
                #[wrap(Some)]
                set_title_widget = &gtk::Box {
                    set_orientation: gtk::Orientation::Vertical,
                    set_valign: gtk::Align::Center,
                    add_css_class: "chat-title",

                    gtk::Label {
                        add_css_class: "title",
                        set_use_markup: false,
                        set_ellipsize: gtk::pango::EllipsizeMode::End,
                        #[watch]
                        set_label: &model.title(),
                    },
                    #[name = "subtitle"]
                    gtk::Label {
                        add_css_class: "subtitle",
                        set_use_markup: false,
                        set_single_line_mode: true,
                        set_ellipsize: gtk::pango::EllipsizeMode::End,
                        #[watch]
                        set_label: &model.subtitle(),
                        #[watch]
                        set_visible: !model.subtitle().is_empty(),
                    },
                },

                pack_end = &gtk::MenuButton {
                    set_icon_name: "view-more-symbolic",
                    set_menu_model: Some(&room_menu::menu_model()),
                    set_tooltip_text: Some(&gettext("Room Menu")),
                    set_accessible_name: &gettext("Room Menu"),
                    #[watch]
                    set_visible: model.room.is_some(),
                },
                pack_end = &gtk::ToggleButton {
                    set_icon_name: "system-users-symbolic",
                    set_tooltip_text: Some(&gettext("Occupants")),
                    set_accessible_name: &gettext("Occupants"),
                    #[watch]
                    set_visible: model.room.is_some(),
                    #[watch]
                    set_active: model.show_occupants,
                    connect_toggled[sender] => move |button| {
                        sender.input(ChatInput::ToggleOccupants(button.is_active()));
                    },
                },
            },

            gtk::Stack {
                set_vexpand: true,

                add_named[Some("empty")] = &adw::StatusPage {
                    set_icon_name: Some("warbler-chats-symbolic"),
                    set_title: &gettext("No Chat Selected"),
                    set_description: Some(&gettext("Pick a chat or a contact from the list.")),
                },
                add_named[Some("chat")] = &gtk::Box {
                  gtk::Box {
                    set_orientation: gtk::Orientation::Vertical,
                    set_hexpand: true,

                    append: model.status.widget(),
                    gtk::Overlay {
                      set_vexpand: true,
                      add_overlay: &model.scroll_to_newest,

                      #[local_ref]
                      scrolled -> gtk::ScrolledWindow {
                        set_hscrollbar_policy: gtk::PolicyType::Never,
                        connect_edge_reached[sender] => move |_, edge| {
                            if edge == gtk::PositionType::Top {
                                sender.input(ChatInput::LoadOlder);
                            }
                        },

                        #[local_ref]
                        view -> gtk::GridView {
                            // One column (see `timeline`).
                            set_max_columns: 1,
                            add_css_class: "message-list",
                            set_accessible_name: &gettext("Messages"),
                        },
                      },
                    },
                    gtk::Separator {},
                    append: model.composer.widget(),
                  },
                  gtk::Revealer {
                    set_transition_type: gtk::RevealerTransitionType::SlideLeft,
                    #[watch]
                    set_reveal_child: model.room.is_some() && model.show_occupants,

                    gtk::Box {
                        gtk::Separator {
                            set_orientation: gtk::Orientation::Vertical,
                        },
                        append: model.occupants.widget(),
                    },
                  },
                },

                #[watch]
                set_visible_child_name: if model.key.is_some() { "chat" } else { "empty" },
            },
        }
    }

    fn init(
        settings: gio::Settings,
        root: Self::Root,
        sender: ComponentSender<Self>,
    ) -> ComponentParts<Self> {
        let composer = Composer::builder()
            .launch(settings)
            .forward(sender.input_sender(), |out| match out {
                ComposerOutput::Send(body) => ChatInput::Send(body),
                ComposerOutput::ChatState(state) => ChatInput::OwnChatState(state),
                ComposerOutput::PrivateChatState { nick, state } => {
                    ChatInput::OwnPrivateChatState { nick, state }
                }
                ComposerOutput::Complete(prefix) => ChatInput::Complete(prefix),
                ComposerOutput::SendPrivate { nick, body } => {
                    ChatInput::Private(private::PrivateInput::Send { nick, body })
                }
            });

        let scrolled = gtk::ScrolledWindow::new();
        let stick_to_bottom = Rc::new(Cell::new(true));
        let anchor = Rc::new(Cell::new(None::<f64>));
        let adjustment = scrolled.vadjustment();
        let stick = stick_to_bottom.clone();
        let last_value = Cell::new(adjustment.value());
        let scroll_to_newest = timeline::scroll_to_newest_button(&sender);
        let jump = scroll_to_newest.clone();
        adjustment.connect_value_changed(move |adj| {
            // Only the reader scrolling up lets go of the bottom: while the
            // list lays out new rows it may move its view by estimates
            // that leave it short of the end for a moment, and under load
            // such a moment unstuck a following view for good.
            let value = adj.value();
            let scrolled_up = value < last_value.replace(value) - 0.5;
            if value + adj.page_size() >= adj.upper() - 48.0 {
                stick.set(true);
            } else if scrolled_up {
                stick.set(false);
            }
            jump.set_visible(!stick.get());
        });
        // The list reports new bounds while it lays itself out, with its
        // own handler of the value blocked: a value set right then is
        // never seen by the list, which went on showing the rows of its
        // old position (the newest message stayed just below the view
        // after a flood). So the view is moved once the layout is done,
        // and to stay at the bottom the list is asked to show its last
        // row (which it then keeps in place as rows are measured) rather
        // than given a value computed from bounds that may be estimates.
        let stick = stick_to_bottom.clone();
        let keep = anchor.clone();
        let scroll_queued = Rc::new(Cell::new(false));
        let messages: TypedGridView<MessageItem, gtk::NoSelection> = TypedGridView::new();
        let list = messages.view.downgrade();
        adjustment.connect_changed(move |adj| {
            if scroll_queued.replace(true) {
                return;
            }
            let (adj, stick, keep, queued, list) = (
                adj.clone(),
                stick.clone(),
                keep.clone(),
                scroll_queued.clone(),
                list.clone(),
            );
            glib::idle_add_local_full(glib::Priority::HIGH, move || {
                queued.set(false);
                if let Some(from_bottom) = keep.get() {
                    adj.set_value(adj.upper() - from_bottom);
                } else if stick.get()
                    && let Some(view) = list.upgrade()
                    && !timeline::shows_bottom(&view)
                {
                    timeline::show_last_row(&view);
                }
                glib::ControlFlow::Break
            });
        });

        // Escape goes back to the list on narrow windows.
        let shortcuts = gtk::ShortcutController::new();
        let back = sender.clone();
        shortcuts.add_shortcut(gtk::Shortcut::new(
            gtk::ShortcutTrigger::parse_string("Escape"),
            Some(gtk::CallbackAction::new(move |_, _| {
                back.input(ChatInput::Back);
                glib::Propagation::Stop
            })),
        ));
        root.add_controller(shortcuts);

        let occupants = Occupants::builder()
            .launch(())
            .forward(sender.output_sender(), ChatOutput::Command);
        let status = RoomStatus::builder()
            .launch(())
            .forward(sender.input_sender(), ChatInput::Status);
        private::install(&root, sender.clone());
        let admin = moderation::RoomAdmin::install(&root, &sender);

        let model = ChatView {
            key: None,
            name: String::new(),
            list: messages,
            ids: Vec::new(),
            pending: VecDeque::new(),
            scroll_after_append: false,
            pacer: Rc::default(),
            paced_clock: None,
            append_scheduled: false,
            complete: false,
            loading_older: false,
            peer_state: None,
            composing: false,
            composing_to: None,
            folded: false,
            composer,
            stick_to_bottom,
            scroll_to_newest,
            bottom_check: Rc::default(),
            first_unread: None,
            unread_target: Rc::default(),
            anchor,
            scrolled,
            room: None,
            occupant_store: OccupantStore::default(),
            occupants,
            show_occupants: true,
            status,
            admin,
        };
        let scrolled = &model.scrolled;
        let view = &model.list.view;
        let widgets = view_output!();
        crate::ui::widgets::idle_list::hide_content_while_unmapped(scrolled);
        ComponentParts { model, widgets }
    }

    fn post_view() {
        // Not `#[watch]`: this runs after every event.
        set_tooltip_if_changed(
            &*subtitle,
            model.room.as_ref().and_then(|r| r.subject.as_deref()),
        );
    }

    fn update(&mut self, msg: ChatInput, sender: ComponentSender<Self>, _root: &Self::Root) {
        match msg {
            ChatInput::Show {
                key,
                name,
                draft,
                room,
            } => {
                if self.key.as_ref() != Some(&key) {
                    self.leave(&sender);
                    self.clear_messages();
                    self.complete = false;
                    self.loading_older = false;
                    self.peer_state = None;
                    self.composer.deliver(ComposerInput::ForgetTyping);
                    self.stick_to_bottom.set(true);
                    // The main window asks the core for the history.
                    self.composer.deliver(ComposerInput::SetText(String::new()));
                    self.composer.deliver(ComposerInput::SetPrivate(None));
                    self.key = Some(key);
                }
                self.name = name;
                self.show_room(room.map(|room| *room));
                if let Some(draft) = draft {
                    self.composer.deliver(ComposerInput::SetText(draft));
                }
                self.composer.deliver(ComposerInput::Focus);
            }
            ChatInput::SetFolded(folded) => {
                self.folded = folded;
                // No room for the occupant list beside the messages.
                if folded {
                    self.show_occupants = false;
                }
            }
            ChatInput::Back => {
                if self.folded {
                    let _ = sender.output(ChatOutput::Back);
                }
            }
            ChatInput::Send(body) => {
                if let Some((account, peer)) = self.key.clone() {
                    self.composing = false;
                    self.stick_to_bottom.set(true);
                    self.command(
                        &sender,
                        Command::SendMessage {
                            account,
                            peer,
                            body,
                        },
                    );
                }
            }
            ChatInput::OwnChatState(state) => {
                self.composing = state == ChatState::Composing;
                // No typing notifications to whole rooms.
                if let Some((account, peer)) = self.key.clone().filter(|_| self.room.is_none()) {
                    self.command(
                        &sender,
                        Command::SetChatState {
                            account,
                            peer,
                            state,
                        },
                    );
                }
            }
            ChatInput::OwnPrivateChatState { nick, state } => {
                self.private_chat_state(nick, state, &sender);
            }
            ChatInput::ToggleOccupants(shown) => self.show_occupants = shown,
            ChatInput::Complete(prefix) => self.complete(&prefix),
            ChatInput::Room(action) => self.room_action(action, &sender),
            ChatInput::Private(input) => self.private_input(input, &sender),
            ChatInput::Status(action) => self.status_action(action, &sender),
            ChatInput::LoadOlder => {
                let first = self.ids.iter().flatten().next().copied();
                if let (Some((account, peer)), Some(before)) = (self.key.clone(), first)
                    && !self.complete
                    && !self.loading_older
                {
                    self.loading_older = true;
                    self.command(
                        &sender,
                        Command::LoadOlder {
                            account,
                            peer,
                            before,
                        },
                    );
                }
            }
            ChatInput::Events(events) => self.handle_events(events, &sender),
            ChatInput::AppendPending => self.append_paced(&sender),
            ChatInput::ScrollToNewest => {
                self.append_all_pending();
                self.scroll_to_end();
            }
        }
    }
}

impl ChatView {
    fn command(&self, sender: &ComponentSender<Self>, command: Command) {
        let _ = sender.output(ChatOutput::Command(command));
    }

    fn title(&self) -> String {
        match &self.room {
            Some(room) => super::room::room_name(room),
            None => self.name.clone(),
        }
    }

    fn subtitle(&self) -> String {
        if let Some(room) = &self.room {
            return room_subtitle(room);
        }
        match (&self.key, self.peer_state) {
            (Some(_), Some(ChatState::Composing)) => gettext("typing…"),
            (Some((_, peer)), _) => peer.to_string(),
            (None, _) => String::new(),
        }
    }

    fn is_open(&self, account: &warbler::model::BareJid, peer: &warbler::model::BareJid) -> bool {
        self.key
            .as_ref()
            .is_some_and(|(a, p)| a == account && p == peer)
    }

    /// Tell the peer (or occupant) of the chat we leave that we stopped
    /// typing.
    fn leave(&mut self, sender: &ComponentSender<Self>) {
        if self.composing
            && let Some(nick) = self.composing_to.clone()
        {
            self.private_chat_state(nick, ChatState::Paused, sender);
        } else if self.composing
            && self.room.is_none()
            && let Some((account, peer)) = self.key.clone()
        {
            self.command(
                sender,
                Command::SetChatState {
                    account,
                    peer,
                    state: ChatState::Paused,
                },
            );
        }
        self.composing = false;
        self.composing_to = None;
    }
}
