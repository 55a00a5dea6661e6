//! The sidebar: pending contact requests on top, then the chat list and the
//! roster as two pages of a stack (switched from the header bar).

mod chat_list;
mod requests;
mod roster;

use gettextrs::gettext;
use relm4::gtk::{self, prelude::*};
use relm4::prelude::*;
use warbler::session::{Command, Event};

use super::ChatKey;
use crate::ui::Deliver;
use chat_list::{ChatList, ChatListInput};
use requests::{Requests, RequestsInput};
use roster::{Roster, RosterInput, RosterOutput};

/// Messages of the sidebar.
#[derive(Debug)]
pub enum SidebarInput {
    /// An event from the core.
    Event(Box<Event>),
    /// Show the contacts and focus their search entry.
    FocusSearch,
    /// Highlight the open chat.
    SelectChat(Option<ChatKey>),
}

/// What the sidebar asks of the main page.
#[derive(Debug)]
pub enum SidebarOutput {
    /// Send a command to the core.
    Command(Command),
    /// Open a chat.
    OpenChat(ChatKey),
    /// Show the "Add Contact" dialog.
    AddContact,
}

/// The sidebar.
pub struct Sidebar {
    /// The chats / contacts stack, for the header's switcher.
    pub stack: gtk::Stack,
    requests: Controller<Requests>,
    chat_list: Controller<ChatList>,
    roster: Controller<Roster>,
}

#[relm4::component(pub)]
impl SimpleComponent for Sidebar {
    type Init = ();
    type Input = SidebarInput;
    type Output = SidebarOutput;

    view! {
        gtk::Box {
            set_orientation: gtk::Orientation::Vertical,
            set_vexpand: true,

            append: model.requests.widget(),

            #[local_ref]
            stack -> gtk::Stack {
                set_vexpand: true,
                set_transition_type: gtk::StackTransitionType::Crossfade,
            },
        }
    }

    fn init(_: (), root: Self::Root, sender: ComponentSender<Self>) -> ComponentParts<Self> {
        let requests = Requests::builder()
            .launch(())
            .forward(sender.output_sender(), SidebarOutput::Command);
        let chat_list = ChatList::builder()
            .launch(())
            .forward(sender.output_sender(), SidebarOutput::OpenChat);
        let roster =
            Roster::builder()
                .launch(())
                .forward(sender.output_sender(), |out| match out {
                    RosterOutput::OpenChat(key) => SidebarOutput::OpenChat(key),
                    RosterOutput::Command(command) => SidebarOutput::Command(command),
                    RosterOutput::AddContact => SidebarOutput::AddContact,
                });

        let stack = gtk::Stack::new();
        stack
            .add_titled(chat_list.widget(), Some("chats"), &gettext("Chats"))
            .set_icon_name("warbler-chats-symbolic");
        stack
            .add_titled(roster.widget(), Some("contacts"), &gettext("Contacts"))
            .set_icon_name("system-users-symbolic");

        let model = Sidebar {
            stack,
            requests,
            chat_list,
            roster,
        };
        let stack = &model.stack;
        let widgets = view_output!();
        ComponentParts { model, widgets }
    }

    fn update(&mut self, msg: SidebarInput, _sender: ComponentSender<Self>) {
        match msg {
            SidebarInput::FocusSearch => {
                self.stack.set_visible_child_name("contacts");
                self.roster.deliver(RosterInput::FocusSearch);
            }
            SidebarInput::SelectChat(key) => self.chat_list.deliver(ChatListInput::Select(key)),
            SidebarInput::Event(event) => match *event {
                Event::RosterReplaced { account, contacts } => {
                    self.chat_list.deliver(ChatListInput::Names(
                        contacts
                            .iter()
                            .map(|c| ((account.clone(), c.jid.clone()), c.display_name()))
                            .collect(),
                    ));
                    self.roster
                        .deliver(RosterInput::Replace { account, contacts });
                }
                Event::ContactUpdated { account, contact } => {
                    self.chat_list.deliver(ChatListInput::Names(vec![(
                        (account.clone(), contact.jid.clone()),
                        contact.display_name(),
                    )]));
                    self.requests.deliver(RequestsInput::ContactChanged {
                        account: account.clone(),
                        contact: contact.clone(),
                    });
                    self.roster
                        .deliver(RosterInput::Update { account, contact });
                }
                Event::ContactRemoved { account, jid } => {
                    self.roster.deliver(RosterInput::Remove { account, jid });
                }
                Event::SubscriptionRequested { account, from } => {
                    self.requests.deliver(RequestsInput::Add { account, from });
                }
                Event::ChatsLoaded { chats } => {
                    self.chat_list.deliver(ChatListInput::Replace(chats))
                }
                Event::ChatUpdated { chat } => self.chat_list.deliver(ChatListInput::Update(chat)),
                Event::RoomsLoaded { rooms } => {
                    self.roster.deliver(RosterInput::Rooms(rooms.clone()));
                    self.chat_list.deliver(ChatListInput::Rooms(rooms));
                }
                Event::RoomUpdated { room } => {
                    self.roster.deliver(RosterInput::Room((*room).clone()));
                    self.chat_list.deliver(ChatListInput::Room(*room));
                }
                Event::RoomRemoved { account, room } => {
                    self.roster
                        .deliver(RosterInput::RoomRemoved((account.clone(), room.clone())));
                    self.chat_list
                        .deliver(ChatListInput::RoomRemoved((account, room)));
                }
                Event::AccountRemoved { account } => {
                    self.chat_list
                        .deliver(ChatListInput::RemoveAccount(account.clone()));
                    self.requests
                        .deliver(RequestsInput::RemoveAccount(account.clone()));
                    self.roster.deliver(RosterInput::Replace {
                        account,
                        contacts: Vec::new(),
                    });
                }
                _ => {}
            },
        }
    }
}
