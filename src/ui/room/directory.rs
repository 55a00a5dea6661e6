//! The "Browse Rooms" window: the public rooms of a conference service
//! (XEP-0045 §6.3), a page at a time, in a virtualized list with a search.
//! The service starts as the first one the account's server offers; the
//! others it offers are a pick away, and any other can be typed. Picking a
//! room opens the "Join Room" dialog with it, so nickname and password are
//! asked in one place.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk;
use relm4::prelude::*;
use relm4::typed_view::list::TypedListView;
use warbler::model::BareJid;
use warbler::session::{Command, Event};

use super::directory_list::{RoomItem, normalise_query};
use crate::ui::{AccessibleName, close_on_escape, set_accessible_label};

mod pending;
mod state;

use pending::PendingPage;

/// What the window starts with.
#[derive(Debug)]
pub struct DirectoryInit {
    /// The enabled accounts.
    pub accounts: Vec<BareJid>,
    /// The account to browse with first (else the first one).
    pub account: Option<BareJid>,
}

/// What the window asks of the application.
#[derive(Debug)]
pub enum DirectoryOutput {
    /// Send a command to the core.
    Command(Command),
    /// Open the "Join Room" dialog for a room.
    Join {
        /// The account to join with.
        account: BareJid,
        /// The room.
        room: BareJid,
    },
}

/// Messages of the window.
#[derive(Debug)]
pub enum DirectoryInput {
    /// Another account was picked.
    AccountChanged,
    /// One of the server's services was picked (its position).
    ServicePicked(u32),
    /// List the rooms of the service typed in.
    Browse,
    /// Ask for the next page.
    LoadMore,
    /// The search text changed.
    Search(String),
    /// The selected room changed.
    SelectionChanged,
    /// A room was activated (double click or Enter).
    Activated(u32),
    /// Join the selected room.
    JoinSelected,
    /// An event from the core (rooms, services, failures).
    Event(Box<Event>),
}

/// Results of background work.
#[derive(Debug)]
pub enum DirectoryCmd {
    /// The page request of this number got no answer in time.
    TimedOut(u32),
}

/// What the list area shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum View {
    /// Nothing to browse yet: ask for a service.
    Start,
    /// Waiting for the services or the first page.
    Loading,
    /// The rooms (or that there are none).
    Rooms,
    /// The service could not be browsed.
    Failed(String),
}

/// The window.
pub struct RoomDirectory {
    accounts: Vec<BareJid>,
    account: gtk::DropDown,
    service: adw::EntryRow,
    /// The conference services the account's server offers, in its order.
    services: Vec<BareJid>,
    /// Picks one of them (shown when there are several).
    service_pick: adw::ComboRow,
    /// The position the pick shows: its notifications for it (as when
    /// the list of services is filled) are not the user's.
    picked: Option<u32>,
    /// The service text we filled in; replaced by later discoveries unless
    /// the user typed another.
    proposed: String,
    /// The service listed (or being listed).
    browsing: Option<BareJid>,
    /// The page request waited for; answers to others are dropped.
    pending: PendingPage,
    /// Where the next page starts.
    next: Option<String>,
    /// How many rooms the service has, when it tells.
    total: Option<u32>,
    listed: HashSet<BareJid>,
    list: TypedListView<RoomItem, gtk::SingleSelection>,
    query: Rc<RefCell<String>>,
    view: View,
    toasts: adw::ToastOverlay,
    /// Rooms left after the search.
    visible: u32,
    selected: bool,
}

#[relm4::component(pub)]
impl Component for RoomDirectory {
    type Init = DirectoryInit;
    type Input = DirectoryInput;
    type Output = DirectoryOutput;
    type CommandOutput = DirectoryCmd;

    view! {
        adw::Window {
            set_title: Some(&gettext("Browse Rooms")),
            set_modal: true,
            set_default_width: 480,
            set_default_height: 640,

            gtk::Box {
                set_orientation: gtk::Orientation::Vertical,

                adw::HeaderBar {},

                gtk::Box {
                    set_orientation: gtk::Orientation::Vertical,
                    set_spacing: 12,
                    set_margin_all: 12,

                    gtk::ListBox {
                        add_css_class: "boxed-list",
                        set_selection_mode: gtk::SelectionMode::None,

                        adw::ActionRow {
                            set_title: &gettext("Account"),
                            set_visible: model.accounts.len() > 1,
                            add_suffix: &model.account,
                        },
                        append: &model.service,
                        append: &model.service_pick,
                    },
                    #[name = "search"]
                    gtk::SearchEntry {
                        set_placeholder_text: Some(&gettext("Search rooms")),
                        set_accessible_name: &gettext("Search Rooms"),
                        connect_search_changed[sender] => move |entry| {
                            sender.input(DirectoryInput::Search(entry.text().to_string()));
                        },
                    },
                },

                #[local_ref]
                toasts -> adw::ToastOverlay {
                set_vexpand: true,
                gtk::Stack {
                    set_transition_type: gtk::StackTransitionType::Crossfade,

                    add_named[Some("start")] = &adw::StatusPage {
                        set_icon_name: Some("system-search-symbolic"),
                        set_title: &gettext("Browse Public Rooms"),
                        set_description: Some(&gettext(
                            "Enter the address of a group chat service, such as conference.example.org.",
                        )),
                        add_css_class: "compact",
                    },
                    add_named[Some("loading")] = &gtk::Spinner {
                        set_spinning: true,
                        set_halign: gtk::Align::Center,
                        set_valign: gtk::Align::Center,
                        set_width_request: 32,
                        set_height_request: 32,
                        set_accessible_name: &gettext("Loading rooms"),
                    },
                    #[name = "scrolled"]
                    add_named[Some("list")] = &gtk::ScrolledWindow {
                        set_hscrollbar_policy: gtk::PolicyType::Never,
                        #[local_ref]
                        list_view -> gtk::ListView {
                            add_css_class: "navigation-sidebar",
                            set_accessible_name: &gettext("Public Rooms"),
                            connect_activate[sender] => move |_, position| {
                                sender.input(DirectoryInput::Activated(position));
                            },
                        },
                    },
                    add_named[Some("empty")] = &adw::StatusPage {
                        set_icon_name: Some("system-users-symbolic"),
                        set_title: &gettext("No Public Rooms"),
                        set_description: Some(&gettext("This service lists no public rooms.")),
                        add_css_class: "compact",
                    },
                    add_named[Some("no-match")] = &adw::StatusPage {
                        set_icon_name: Some("system-search-symbolic"),
                        set_title: &gettext("No Matching Rooms"),
                        #[watch]
                        set_description: Some(&if model.next.is_some() {
                            gettext("No loaded room matches. Load more rooms or try another search.")
                        } else {
                            gettext("Try another search.")
                        }),
                        add_css_class: "compact",
                    },
                    add_named[Some("error")] = &adw::StatusPage {
                        set_icon_name: Some("dialog-error-symbolic"),
                        set_title: &gettext("Could Not Reach the Service"),
                        #[watch]
                        set_description: Some(match &model.view {
                            View::Failed(text) => text.as_str(),
                            _ => "",
                        }),
                        add_css_class: "compact",
                    },

                    #[watch]
                    set_visible_child_name: model.page_name(),
                },
                },

                gtk::ActionBar {
                    #[wrap(Some)]
                    set_center_widget = &gtk::Label {
                        add_css_class: "dim-label",
                        #[watch]
                        set_label: &model.count_text(),
                    },
                    pack_start = &gtk::Button {
                        set_label: &gettext("_Load More"),
                        set_use_underline: true,
                        #[watch]
                        set_visible: model.next.is_some() && model.view == View::Rooms,
                        #[watch]
                        set_sensitive: !model.pending.is_waiting(),
                        connect_clicked => DirectoryInput::LoadMore,
                    },
                    pack_end = &gtk::Button {
                        set_label: &gettext("_Join…"),
                        set_use_underline: true,
                        add_css_class: "suggested-action",
                        #[watch]
                        set_sensitive: model.selected && model.view == View::Rooms,
                        connect_clicked => DirectoryInput::JoinSelected,
                    },
                },
            },
        }
    }

    fn init(
        init: DirectoryInit,
        root: Self::Root,
        sender: ComponentSender<Self>,
    ) -> ComponentParts<Self> {
        let names: Vec<String> = init.accounts.iter().map(ToString::to_string).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let account = gtk::DropDown::from_strings(&names);
        account.set_valign(gtk::Align::Center);
        set_accessible_label(&account, &gettext("Account"));
        if let Some(index) = init
            .account
            .and_then(|wanted| init.accounts.iter().position(|a| *a == wanted))
        {
            account.set_selected(index as u32);
        }
        let changed = sender.clone();
        account.connect_selected_notify(move |_| changed.input(DirectoryInput::AccountChanged));

        let service = adw::EntryRow::builder()
            .title(gettext("Service"))
            .input_purpose(gtk::InputPurpose::Url)
            .show_apply_button(true)
            .build();
        let browse = sender.clone();
        service.connect_apply(move |_| browse.input(DirectoryInput::Browse));
        let browse = sender.clone();
        service.connect_entry_activated(move |_| browse.input(DirectoryInput::Browse));

        let service_pick = adw::ComboRow::builder()
            // Translators: a choice among the conference services the
            // account's server offers, under the service's address field.
            .title(gettext("Services of the Server"))
            .model(&gtk::StringList::new(&[]))
            .visible(false)
            .build();
        set_accessible_label(&service_pick, &gettext("Services of the Server"));
        let picked = sender.clone();
        service_pick.connect_selected_notify(move |row| {
            picked.input(DirectoryInput::ServicePicked(row.selected()));
        });

        let list: TypedListView<RoomItem, gtk::SingleSelection> = TypedListView::new();
        list.selection_model.set_autoselect(false);
        list.selection_model.set_can_unselect(true);
        let selection = sender.clone();
        list.selection_model
            .connect_selected_notify(move |_| selection.input(DirectoryInput::SelectionChanged));
        let mut model = RoomDirectory {
            accounts: init.accounts,
            account,
            service,
            services: Vec::new(),
            service_pick,
            picked: None,
            proposed: String::new(),
            browsing: None,
            pending: PendingPage::default(),
            next: None,
            total: None,
            listed: HashSet::new(),
            list,
            query: Rc::new(RefCell::new(String::new())),
            view: View::Start,
            toasts: adw::ToastOverlay::new(),
            visible: 0,
            selected: false,
        };
        let query = model.query.clone();
        model
            .list
            .add_filter(move |item: &RoomItem| item.matches(&query.borrow()));

        let list_view = &model.list.view;
        let toasts = &model.toasts;
        let widgets = view_output!();
        crate::ui::widgets::idle_list::hide_content_while_unmapped(&widgets.scrolled);
        close_on_escape(&root);
        model.find_services(&sender);
        ComponentParts { model, widgets }
    }

    fn update(&mut self, msg: DirectoryInput, sender: ComponentSender<Self>, _: &Self::Root) {
        match msg {
            DirectoryInput::AccountChanged => self.find_services(&sender),
            DirectoryInput::ServicePicked(position) => self.pick_service(position, &sender),
            DirectoryInput::Browse => self.browse_typed(&sender),
            DirectoryInput::LoadMore => self.load_more(&sender),
            DirectoryInput::Search(text) => {
                *self.query.borrow_mut() = normalise_query(&text);
                self.list.notify_filter_changed(0);
                self.refresh_counts();
            }
            DirectoryInput::SelectionChanged => self.refresh_counts(),
            DirectoryInput::Activated(position) => self.join(position, &sender),
            DirectoryInput::JoinSelected => {
                let position = self.list.selection_model.selected();
                self.join(position, &sender);
            }
            DirectoryInput::Event(event) => self.on_event(*event, &sender),
        }
    }

    fn update_cmd(&mut self, msg: DirectoryCmd, _: ComponentSender<Self>, _: &Self::Root) {
        let DirectoryCmd::TimedOut(request) = msg;
        self.timed_out(request);
    }
}
