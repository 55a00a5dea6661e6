//! The root component's part in the directory of public rooms: opening the
//! "Browse Rooms" window, passing it the core's answers, and closing it
//! once a room picked there is joined.

use adw::prelude::*;
use gettextrs::gettext;
use relm4::gtk;
use relm4::prelude::*;
use warbler::model::BareJid;
use warbler::session::Event;

use super::{App, AppMsg};
use crate::ui::Deliver;
use crate::ui::room::directory::{DirectoryInit, DirectoryInput, DirectoryOutput, RoomDirectory};

impl App {
    /// Show the directory (or bring it forward), browsing with `account`
    /// or the first enabled one.
    pub(super) fn show_directory(
        &mut self,
        account: Option<BareJid>,
        root: &relm4::adw::ApplicationWindow,
        sender: &ComponentSender<Self>,
    ) {
        if let Some(window) = self.directory_window() {
            window.present();
            return;
        }
        let accounts: Vec<BareJid> = self
            .accounts
            .iter()
            .filter(|a| a.enabled)
            .map(|a| a.jid.clone())
            .collect();
        if accounts.is_empty() {
            self.toast(gettext("Add an account first."));
            return;
        }
        let directory = RoomDirectory::builder()
            .launch(DirectoryInit { accounts, account })
            .forward(sender.input_sender(), |out| match out {
                DirectoryOutput::Command(command) => AppMsg::Command(command),
                DirectoryOutput::Join { account, room } => {
                    AppMsg::JoinFromDirectory { account, room }
                }
            });
        directory.widget().set_transient_for(Some(root));
        directory.widget().present();
        self.directory = Some(directory);
    }

    /// The directory's window, while it is open.
    pub(super) fn directory_window(&self) -> Option<gtk::Window> {
        self.directory
            .as_ref()
            .map(|d| d.widget().clone().upcast::<gtk::Window>())
            .filter(|window| window.is_visible())
    }

    /// Close the directory, if it is open.
    pub(super) fn close_directory(&mut self) {
        if let Some(directory) = self.directory.take() {
            let window = directory.widget().clone().upcast::<gtk::Window>();
            // Dialogs opened from the directory (the Join dialog) move to
            // its parent. GTK 4.8 keeps no reference to a transient parent,
            // and a closed dialog, freed after the directory, would unhook
            // itself from a freed window.
            let parent = window.transient_for();
            for holder in &self.dialogs {
                if holder.window.transient_for().as_ref() == Some(&window) {
                    let open = holder.window.is_visible();
                    holder
                        .window
                        .set_transient_for(parent.as_ref().filter(|_| open));
                }
            }
            window.close();
        }
    }

    /// Pass the directory the events it waits for.
    pub(super) fn directory_event(&mut self, event: &Event) {
        if !matches!(
            event,
            Event::PublicRooms { .. }
                | Event::PublicRoomsFailed { .. }
                | Event::RoomServices { .. }
        ) {
            return;
        }
        if self.directory_window().is_none() {
            // Closed by the user: drop it.
            self.directory = None;
            return;
        }
        if let Some(directory) = &self.directory {
            directory.deliver(DirectoryInput::Event(Box::new(event.clone())));
        }
    }
}
