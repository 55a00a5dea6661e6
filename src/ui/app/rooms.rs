//! The root component's part in group chats: the "Join Room" dialog,
//! notifications for room messages, invitations, room errors, and the
//! room configuration and registration forms (in the data-forms dialog).

use adw::prelude::*;
use gettextrs::gettext;
use relm4::adw;
use relm4::gtk;
use relm4::prelude::*;
use warbler::model::{
    Affiliation, BareJid, ChatMessage, DataForm, Role, RoomNotify, RoomState, RoomSummary, mentions,
};
use warbler::session::{Command, Event};

use super::{App, AppMsg};
use crate::i18n::gettext_f;
use crate::ui::Deliver;
use crate::ui::dialogs::form_dialog::{FormDialog, FormDialogInit, FormDialogOutput};
use crate::ui::errors::UserFacing;
use crate::ui::room::join_dialog::{JoinDialog, JoinInit, JoinOutput, JoinRequest};
use crate::ui::room::{invitation, room_name};
use crate::ui::window::MainInput;
use crate::ui::{ChatKey, fallback_name};

/// Whether a room message raises a notification under the room's setting.
pub fn room_should_notify(notify: RoomNotify, mentions_us: bool) -> bool {
    match notify {
        RoomNotify::All => true,
        RoomNotify::MentionsOnly => mentions_us,
        RoomNotify::Never => false,
    }
}

/// A room as it is while we join it, before the core reports it.
fn joining_room(request: &JoinRequest) -> RoomSummary {
    RoomSummary {
        account: request.account.clone(),
        room: request.room.clone(),
        name: None,
        subject: None,
        nick: request.nick.clone(),
        state: RoomState::Joining,
        role: Role::None,
        affiliation: Affiliation::None,
        notify: RoomNotify::default(),
        bookmarked: request.bookmark,
        autojoin: request.bookmark,
        members_only: false,
        archived: false,
    }
}

impl App {
    /// Show the "Join Room" dialog over `parent`, maybe filled in with a
    /// room, its password and the account to join with.
    pub(super) fn show_join_room(
        &mut self,
        room: Option<BareJid>,
        password: Option<String>,
        account: Option<BareJid>,
        parent: &gtk::Window,
        sender: &ComponentSender<Self>,
    ) {
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
        let dialog = JoinDialog::builder()
            .launch(JoinInit {
                accounts,
                account,
                room,
                password,
            })
            .forward(sender.input_sender(), |out| match out {
                JoinOutput::Join(request) => AppMsg::JoinRoom(request),
                JoinOutput::Browse { account } => AppMsg::ShowDirectory { account },
            });
        dialog.widget().set_transient_for(Some(parent));
        dialog.widget().present();
        self.keep(dialog);
    }

    /// Join a room and show it (with "Joining…" until the core reports).
    pub(super) fn join_room(&mut self, request: JoinRequest) {
        // Joining from the directory: the room opens in its place.
        self.close_directory();
        let key: ChatKey = (request.account.clone(), request.room.clone());
        let room = match self.rooms.get(&key) {
            Some(known) => RoomSummary {
                state: RoomState::Joining,
                nick: request.nick.clone(),
                ..known.clone()
            },
            None => joining_room(&request),
        };
        self.send(Command::JoinRoom {
            account: request.account,
            room: request.room,
            nick: Some(request.nick),
            password: request.password,
            bookmark: request.bookmark,
            // A room created by joining takes the service's defaults; its
            // owner can change them from "Room Settings…".
            instant: true,
        });
        self.page = super::Page::Main;
        self.main.deliver(MainInput::ShowChat {
            name: room_name(&room),
            key,
            draft: None,
            room: Some(Box::new(room)),
        });
    }

    /// Notify an incoming room message as the room's setting says.
    pub(super) fn room_message(
        &mut self,
        message: &ChatMessage,
        sender: &ComponentSender<Self>,
        root: &adw::ApplicationWindow,
    ) {
        let key = (message.account.clone(), message.peer.clone());
        let Some(info) = &message.room else {
            return;
        };
        let focused = self.focused_chat.as_ref() == Some(&key) && root.is_active();
        if focused {
            self.mark_read_after_batch(key);
            return;
        }
        let Some(room) = self.rooms.get(&key) else {
            return;
        };
        if info.nick == room.nick || info.moderated.is_some() {
            return;
        }
        // A private message is for the user alone, like a mention: it
        // notifies under "All" and "Mentions Only". "Off" still silences
        // it: anyone who joins a public room can write privately, and a
        // user who muted the room wants nothing from it (it still counts
        // as unread).
        let private = info.private_with.is_some();
        let mention = private || mentions(&message.body, &room.nick);
        if room_should_notify(room.notify, mention)
            && self.settings.boolean("notifications-enabled")
        {
            let body = if private {
                gettext_f(
                    // Translators: a private room message in a notification.
                    "{nick} (privately): {body}",
                    &[("nick", &info.nick), ("body", &message.body)],
                )
            } else {
                gettext_f(
                    // Translators: a room message in a notification: "Bob: hello".
                    "{nick}: {body}",
                    &[("nick", &info.nick), ("body", &message.body)],
                )
            };
            self.notify(key, body, sender);
        }
    }

    pub(super) fn room_event(
        &mut self,
        event: &Event,
        sender: &ComponentSender<Self>,
        root: &adw::ApplicationWindow,
    ) {
        match event {
            Event::RoomsLoaded { rooms } => {
                self.rooms = rooms
                    .iter()
                    .map(|r| ((r.account.clone(), r.room.clone()), r.clone()))
                    .collect();
                self.names.extend(
                    rooms
                        .iter()
                        .map(|r| ((r.account.clone(), r.room.clone()), room_name(r))),
                );
            }
            Event::RoomUpdated { room } => {
                let key = (room.account.clone(), room.room.clone());
                self.names.insert(key.clone(), room_name(room));
                self.rooms.insert(key, (**room).clone());
            }
            Event::RoomRemoved { account, room } => {
                let key = (account.clone(), room.clone());
                self.rooms.remove(&key);
                self.names.remove(&key);
                self.notifications.read(&key);
            }
            Event::InvitationReceived { invitation } => {
                let answer = invitation.clone();
                let input = sender.input_sender().clone();
                invitation::ask(Some(root.upcast_ref()), invitation, move |accept| {
                    input.emit(AppMsg::Command(Command::AnswerInvitation {
                        invitation: answer.clone(),
                        accept,
                    }));
                });
            }
            Event::InvitationDeclined { room, from, .. } => {
                self.toast(gettext_f(
                    // Translators: {who} and {room} are addresses.
                    "{who} declined your invitation to {room}.",
                    &[("who", from.as_str()), ("room", room.as_str())],
                ));
            }
            Event::RoomActionFailed {
                account,
                room,
                error,
            } => {
                let name = self
                    .rooms
                    .get(&(account.clone(), room.clone()))
                    .map(room_name)
                    .unwrap_or_else(|| fallback_name(room));
                self.toast(gettext_f(
                    // Translators: {room} is a room's name; {error} a sentence.
                    "{room}: {error}",
                    &[("room", &name), ("error", &error.to_user_facing())],
                ));
            }
            Event::RoomForm {
                account,
                room,
                registration,
                form,
            } => self.show_room_form(account, room, *registration, form, sender, root),
            _ => {}
        }
    }

    /// Show a room's configuration or registration form in the data-forms
    /// dialog and answer with what the user filled in (or cancel a
    /// configuration, so a room we created does not stay locked).
    fn show_room_form(
        &mut self,
        account: &BareJid,
        room: &BareJid,
        registration: bool,
        form: &DataForm,
        sender: &ComponentSender<Self>,
        root: &adw::ApplicationWindow,
    ) {
        let name = self
            .rooms
            .get(&(account.clone(), room.clone()))
            .map(room_name)
            .unwrap_or_else(|| fallback_name(room));
        let (title, submit_label) = if registration {
            (
                gettext_f("Register with {room}", &[("room", &name)]),
                gettext("_Register"),
            )
        } else {
            (
                gettext_f("Settings of {room}", &[("room", &name)]),
                gettext("_Save"),
            )
        };
        let (account, room) = (account.clone(), room.clone());
        let input = sender.input_sender().clone();
        let dialog = FormDialog::builder()
            .launch(FormDialogInit {
                title,
                submit_label,
                form: form.clone(),
            })
            .connect_receiver(move |_, answer| {
                let command = match (answer, registration) {
                    (FormDialogOutput::Submitted(form), true) => Command::SubmitRoomRegistration {
                        account: account.clone(),
                        room: room.clone(),
                        form,
                    },
                    (FormDialogOutput::Cancelled, true) => return,
                    (answer, false) => Command::SubmitRoomConfig {
                        account: account.clone(),
                        room: room.clone(),
                        form: match answer {
                            FormDialogOutput::Submitted(form) => Some(form),
                            FormDialogOutput::Cancelled => None,
                        },
                    },
                };
                input.emit(AppMsg::Command(command));
            });
        dialog.widget().set_transient_for(Some(root));
        dialog.widget().present();
        self.keep(dialog);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notification_settings() {
        assert!(room_should_notify(RoomNotify::All, false));
        assert!(room_should_notify(RoomNotify::MentionsOnly, true));
        assert!(!room_should_notify(RoomNotify::MentionsOnly, false));
        // Never means never, mentions included.
        assert!(!room_should_notify(RoomNotify::Never, true));
    }
}
