//! The chat view's side of room moderation and administration: the room
//! menu's and the message menu's actions, messages a moderator removed, the
//! "Members & Bans" dialog and destroying the room.

use relm4::gtk::{self, prelude::*};
use relm4::prelude::*;
use warbler::model::{ChatMessage, RoomSummary};
use warbler::session::{Command, Event};

use super::{ChatInput, ChatOutput, ChatView, message_menu};
use crate::ui::Deliver;
use crate::ui::room::affiliations::{Affiliations, AffiliationsInit, AffiliationsInput};
use crate::ui::room::menu::{self as room_menu, RoomMenuActions};
use crate::ui::room::{destroy, room_name};

/// The actions and the dialog the chat view keeps for its rooms.
pub(super) struct RoomAdmin {
    menu: RoomMenuActions,
    affiliations: Option<Controller<Affiliations>>,
}

impl RoomAdmin {
    /// Add the room menu's and the message menu's actions to `root`.
    pub(super) fn install(root: &gtk::Box, sender: &ComponentSender<ChatView>) -> Self {
        let menu_sender = sender.clone();
        let menu = room_menu::install(root, move |action| {
            menu_sender.input(ChatInput::Room(action));
        });
        message_menu::install(root, sender.output_sender().clone());
        Self {
            menu,
            affiliations: None,
        }
    }

    /// Bring the room menu in line with the open room.
    pub(super) fn sync(&self, room: &RoomSummary) {
        self.menu.sync(room);
    }
}

impl ChatView {
    /// Handle a moderated message or an administration outcome.
    pub(super) fn moderation_event(&mut self, event: Event) {
        match event {
            Event::MessageChanged { message } => self.message_changed(message),
            Event::AffiliationList { .. }
            | Event::RoomActionDone { .. }
            | Event::RoomActionFailed { .. } => {
                // A closed dialog asks for nothing more (its room may be
                // gone).
                if let Some(dialog) = self
                    .admin
                    .affiliations
                    .as_ref()
                    .filter(|dialog| dialog.widget().is_visible())
                {
                    dialog.deliver(AffiliationsInput::Event(event));
                }
            }
            _ => {}
        }
    }

    /// Show a stored message as it is now (a moderator removed its text).
    fn message_changed(&mut self, message: ChatMessage) {
        if !self.is_open(&message.account, &message.peer) {
            return;
        }
        let Some(pos) = self.ids.iter().position(|id| *id == Some(message.id)) else {
            return;
        };
        let pos = pos as u32;
        if let Some(item) = self.list.get(pos).map(|item| item.borrow().clone()) {
            let mut updated = item;
            // A removed message no longer mentions anyone.
            updated.sender = self.room_sender(&message);
            updated.message = message;
            self.list.remove(pos);
            self.list.insert(pos, updated);
        }
    }

    fn window(&self) -> Option<gtk::Window> {
        self.scrolled.root().and_downcast::<gtk::Window>()
    }

    /// Open the "Members & Bans" dialog of the open room.
    pub(super) fn open_members(&mut self, sender: &ComponentSender<Self>) {
        let Some(room) = &self.room else {
            return;
        };
        if let Some(old) = self.admin.affiliations.take() {
            old.widget().close();
        }
        let dialog = Affiliations::builder()
            .launch(AffiliationsInit {
                account: room.account.clone(),
                room: room.room.clone(),
                name: room_name(room),
                own: room.affiliation,
            })
            .forward(sender.output_sender(), ChatOutput::Command);
        dialog.widget().set_transient_for(self.window().as_ref());
        dialog.widget().present();
        self.admin.affiliations = Some(dialog);
    }

    /// Ask before destroying the open room; the core forgets it once the
    /// room confirms.
    pub(super) fn ask_destroy(&self, sender: &ComponentSender<Self>) {
        let Some(room) = &self.room else {
            return;
        };
        let (account, jid) = (room.account.clone(), room.room.clone());
        let output = sender.output_sender().clone();
        destroy::ask(self.window().as_ref(), &room_name(room), move |answer| {
            output.emit(ChatOutput::Command(Command::DestroyRoom {
                account: account.clone(),
                room: jid.clone(),
                reason: answer.reason,
                alternative: answer.alternative,
            }));
        });
    }
}
