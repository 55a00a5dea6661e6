//! The chat view's group-chat side: the open room's header text, state
//! bar, menu actions and occupant list, and the room events that feed them
//! (occupants of every joined room are kept, so a room opened later still
//! shows who is in it).

use gettextrs::gettext;
use relm4::gtk::{self, prelude::*};
use relm4::prelude::*;
use warbler::model::{
    BareJid, ChatMessage, DeliveryState, Direction, MessageId, OccupantChange, Role, RoomError,
    RoomState, RoomSummary, Timestamp, mentions, nickname_allowed,
};
use warbler::session::{Command, Event};

use super::message_row::{MessageItem, RoomSender};
use super::{ChatOutput, ChatView};
use crate::i18n::gettext_f;
use crate::ui::Deliver;
use crate::ui::room::invite;
use crate::ui::room::menu::RoomAction;
use crate::ui::room::occupants::{OccupantsInput, Powers};
use crate::ui::room::prompt::Prompt;
use crate::ui::room::status::{RoomStatusInput, StatusAction};
use crate::ui::room::{occupant_notice, state_label};

/// The header's second line for a room: its subject's first line, else
/// where we stand, else its address.
pub(super) fn room_subtitle(room: &RoomSummary) -> String {
    if let Some(state) = state_label(&room.state) {
        return state;
    }
    room.subject
        .as_deref()
        .and_then(|subject| subject.lines().map(str::trim).find(|l| !l.is_empty()))
        .map(str::to_owned)
        .unwrap_or_else(|| room.room.to_string())
}

impl ChatView {
    /// Switch the room side to `room` (or off for a one-to-one chat).
    pub(super) fn show_room(&mut self, room: Option<RoomSummary>) {
        self.composer
            .deliver(super::ComposerInput::SetRoom(room.is_some()));
        self.room = room;
        self.sync_room();
        if let (Some(room), Some(key)) = (&self.room, &self.key) {
            self.occupants.deliver(OccupantsInput::Show {
                key: key.clone(),
                occupants: self.occupant_store.occupants(key),
                powers: Powers::of(room.role, room.affiliation),
                own_nick: room.nick.clone(),
            });
            self.private_refresh();
        }
    }

    /// Bring the state bar, menu and composer in line with the open room.
    fn sync_room(&self) {
        let state = self.room.as_ref().map(|room| room.state.clone());
        let joined = state.as_ref().is_none_or(|s| *s == RoomState::Joined);
        self.composer.widget().set_sensitive(joined);
        self.status.deliver(RoomStatusInput::State(state));
        if let Some(room) = &self.room {
            self.admin.sync(room);
        }
    }

    fn open_room(&self, account: &BareJid, room: &BareJid) -> bool {
        self.room.is_some() && self.is_open(account, room)
    }

    /// How a room message's sender is shown; `None` outside rooms.
    pub(super) fn room_sender(&self, message: &ChatMessage) -> Option<RoomSender> {
        let room = self.room.as_ref()?;
        let info = message.room.as_ref()?;
        let own = message.direction == Direction::Outgoing || info.nick == room.nick;
        Some(RoomSender {
            nick: info.nick.clone(),
            own,
            mention: !own && info.moderated.is_none() && mentions(&message.body, &room.nick),
            we_moderate: room.role == Role::Moderator,
        })
    }

    /// Offer the composer the other occupants whose nickname starts with
    /// `prefix`.
    pub(super) fn complete(&self, prefix: &str) {
        let nicks = match (&self.key, &self.room) {
            (Some(key), Some(room)) => {
                let mut nicks = self.occupant_store.complete(key, prefix, 9);
                nicks.retain(|nick| *nick != room.nick);
                nicks.truncate(8);
                nicks
            }
            _ => Vec::new(),
        };
        self.composer
            .deliver(super::ComposerInput::Completions(nicks));
    }

    /// Append a short line about the open room.
    fn push_notice(&mut self, text: String) {
        let Some((account, peer)) = self.key.clone() else {
            return;
        };
        let message = ChatMessage {
            id: MessageId(-1),
            account,
            peer,
            direction: Direction::Incoming,
            body: text.clone(),
            timestamp: Timestamp::now(),
            state: DeliveryState::Received,
            stanza_id: None,
            origin_id: None,
            room: None,
        };
        self.ids.push(None);
        self.list.append(MessageItem {
            message,
            day: None,
            first_unread: false,
            peer_name: String::new(),
            sender: None,
            notice: Some(text),
        });
        if self.stick_to_bottom.get() {
            self.scroll_to_end();
        }
    }

    /// Handle the room events; gives back the others.
    pub(super) fn room_event(
        &mut self,
        event: Event,
        sender: &ComponentSender<Self>,
    ) -> Option<Event> {
        match event {
            Event::RoomsLoaded { rooms } => {
                if let Some(room) = rooms
                    .into_iter()
                    .find(|r| self.open_room(&r.account, &r.room))
                {
                    self.update_room(room);
                }
            }
            Event::RoomUpdated { room } => {
                let key = (room.account.clone(), room.room.clone());
                if !matches!(room.state, RoomState::Joined | RoomState::Joining) {
                    self.occupant_store.remove(&key);
                }
                if self.open_room(&room.account, &room.room) {
                    self.update_room(*room);
                }
            }
            Event::RoomRemoved { account, room } => {
                self.occupant_store.remove(&(account.clone(), room.clone()));
                if self.open_room(&account, &room) {
                    self.key = None;
                    self.room = None;
                    self.name.clear();
                    self.clear_messages();
                    self.sync_room();
                    let _ = sender.output(ChatOutput::Closed);
                }
            }
            Event::RoomOccupants {
                account,
                room,
                occupants,
            } => {
                let key = (account, room);
                self.occupant_store.replace(key.clone(), occupants);
                if self.open_room(&key.0, &key.1) {
                    self.show_room(self.room.clone());
                }
            }
            Event::OccupantChanged {
                account,
                room,
                change,
            } => {
                let key = (account, room);
                let known = self.occupant_store.apply(&key, &change);
                if self.open_room(&key.0, &key.1) {
                    let own_nick = self.room.as_ref().map(|r| r.nick.clone());
                    let about_us = match &change {
                        OccupantChange::Updated { occupant } => Some(&occupant.nick),
                        OccupantChange::Left { nick, .. } => Some(nick),
                        OccupantChange::Renamed { .. } => None,
                    } == own_nick.as_ref();
                    if let Some(notice) = occupant_notice(&change, known).filter(|_| !about_us) {
                        self.push_notice(notice);
                    }
                    self.private_follow(&change);
                    self.occupants.deliver(OccupantsInput::Change(change));
                }
            }
            event @ (Event::MessageChanged { .. }
            | Event::AffiliationList { .. }
            | Event::RoomActionDone { .. }
            | Event::RoomActionFailed { .. }) => self.moderation_event(event),
            other => return Some(other),
        }
        None
    }

    fn update_room(&mut self, room: RoomSummary) {
        let powers_changed = self.room.as_ref().is_none_or(|old| {
            Powers::of(old.role, old.affiliation) != Powers::of(room.role, room.affiliation)
        });
        let nick_changed = self.room.as_ref().is_some_and(|old| old.nick != room.nick);
        // The occupant list offers private messages to everyone but us.
        if powers_changed || nick_changed {
            self.show_room(Some(room));
        } else {
            self.room = Some(room);
            self.sync_room();
        }
        if nick_changed || powers_changed {
            // Mentions and own messages depend on our nickname; message
            // menus on our role.
            self.rebuild_rows();
        }
    }

    /// Rebuild every message row (after our nickname or role changed).
    fn rebuild_rows(&mut self) {
        for pos in 0..self.list.len() {
            if let Some(item) = self.list.get(pos).map(|item| item.borrow().clone())
                && item.notice.is_none()
            {
                let mut updated = item;
                updated.sender = self.room_sender(&updated.message);
                self.list.remove(pos);
                self.list.insert(pos, updated);
            }
        }
    }

    fn parent_window(&self) -> Option<gtk::Window> {
        self.scrolled.root().and_downcast::<gtk::Window>()
    }

    /// Send a command built from a prompt's answer.
    fn ask(
        &self,
        prompt: Prompt,
        sender: &ComponentSender<Self>,
        command: impl Fn(String) -> Command + 'static,
    ) {
        let sender = sender.clone();
        prompt.ask(self.parent_window().as_ref(), move |answer| {
            let _ = sender.output(ChatOutput::Command(command(answer)));
        });
    }

    pub(super) fn room_action(&mut self, action: RoomAction, sender: &ComponentSender<Self>) {
        let Some(room) = self.room.clone() else {
            return;
        };
        let (account, jid) = (room.account.clone(), room.room.clone());
        let name = crate::ui::room::room_name(&room);
        match action {
            RoomAction::Notify(notify) => {
                self.command(
                    sender,
                    Command::SetRoomNotify {
                        account,
                        room: jid,
                        notify,
                    },
                );
            }
            RoomAction::ChangeNick => {
                let mut prompt = Prompt::new(
                    gettext("Change Nickname"),
                    gettext_f("Your nickname in {room}.", &[("room", &name)]),
                    gettext("Nickname"),
                    gettext("_Change"),
                );
                prompt.initial = room.nick.clone();
                prompt.valid = nickname_allowed;
                self.ask(prompt, sender, move |nick| Command::SetRoomNick {
                    account: account.clone(),
                    room: jid.clone(),
                    nick,
                });
            }
            RoomAction::ChangeSubject => {
                let mut prompt = Prompt::new(
                    gettext("Change Subject"),
                    gettext("Everyone in the room sees the subject."),
                    gettext("Subject"),
                    gettext("_Change"),
                );
                prompt.initial = room.subject.clone().unwrap_or_default();
                prompt.allow_empty = true;
                self.ask(prompt, sender, move |subject| Command::SetRoomSubject {
                    account: account.clone(),
                    room: jid.clone(),
                    subject,
                });
            }
            RoomAction::Invite => {
                let sender = sender.clone();
                invite::ask_address(
                    self.parent_window().as_ref(),
                    account,
                    jid,
                    &name,
                    move |command| {
                        let _ = sender.output(ChatOutput::Command(command));
                    },
                );
            }
            RoomAction::Settings => {
                self.command(sender, Command::RequestRoomConfig { account, room: jid })
            }
            RoomAction::Members => self.open_members(sender),
            RoomAction::Destroy => self.ask_destroy(sender),
            RoomAction::Leave => self.command(
                sender,
                Command::LeaveRoom {
                    account,
                    room: jid,
                    forget: true,
                },
            ),
        }
    }

    pub(super) fn status_action(&mut self, action: StatusAction, sender: &ComponentSender<Self>) {
        let Some(room) = self.room.clone() else {
            return;
        };
        let nick_invalid = matches!(
            room.state,
            RoomState::Failed {
                error: RoomError::NicknameInvalid
            }
        );
        let own_nick = room.nick.clone();
        let join = move |nick: Option<String>, password: Option<String>| Command::JoinRoom {
            account: room.account.clone(),
            room: room.room.clone(),
            nick,
            password,
            bookmark: room.bookmarked,
            instant: false,
        };
        match action {
            StatusAction::Rejoin => self.command(sender, join(None, None)),
            StatusAction::ChooseNick => {
                let mut prompt = Prompt::new(
                    gettext("Choose Another Nickname"),
                    if nick_invalid {
                        gettext("Your nickname can’t be used in this room.")
                    } else {
                        gettext("Someone in this room already uses your nickname.")
                    },
                    gettext("Nickname"),
                    gettext("_Join"),
                );
                prompt.initial = own_nick;
                prompt.valid = nickname_allowed;
                self.ask(prompt, sender, move |nick| join(Some(nick), None));
            }
            StatusAction::EnterPassword => {
                let mut prompt = Prompt::new(
                    gettext("Room Password"),
                    gettext("This room needs a password."),
                    gettext("Password"),
                    gettext("_Join"),
                );
                prompt.secret = true;
                self.ask(prompt, sender, move |password| join(None, Some(password)));
            }
        }
    }
}
