//! Room commands from the UI.

use xmpp_parsers::jid::BareJid;

use super::{Room, RoomIq, default_nick};
use crate::model::{Affiliation, RoomError, RoomInvitation, RoomState};
use crate::session::account::AccountActor;
use crate::session::{Command, Event};
use crate::xmpp::message::new_id;
use crate::xmpp::muc::{
    admin, directory, message as muc_message, presence as muc_presence, private as muc_private,
};

impl AccountActor {
    /// Handle a room command forwarded by the supervisor.
    pub(in crate::session::account) async fn on_room_command(&mut self, command: Command) {
        match command {
            Command::JoinRoom {
                room,
                nick,
                password,
                bookmark,
                instant,
                ..
            } => {
                self.join_room(room, nick, password, bookmark, instant)
                    .await
            }
            Command::LeaveRoom { room, forget, .. } => self.leave_room(&room, forget).await,
            Command::SetRoomNick { room, nick, .. } => self.set_room_nick(&room, nick).await,
            Command::SetRoomSubject { room, subject, .. } => {
                if self.require_joined(&room) {
                    self.send(muc_message::subject(&room, &subject).into())
                        .await;
                }
            }
            Command::SetOccupantChatState {
                room, nick, state, ..
            } => {
                // Typing is not worth an error: outside the room it is
                // dropped quietly.
                if self.online
                    && self.room(&room).is_some_and(Room::joined)
                    && let Some(stanza) = muc_private::chat_state(&room, &nick, state)
                {
                    self.send(stanza.into()).await;
                }
            }
            Command::SetRoomNotify { room, notify, .. } => {
                if let Some(entry) = self.rooms.map.get_mut(&room) {
                    entry.summary.notify = notify;
                    self.save_room(&room).await;
                    self.emit_room(&room);
                }
            }
            Command::RequestRoomConfig { room, .. } => {
                let id = new_id();
                self.room_request(
                    id.clone(),
                    RoomIq::Config { room: room.clone() },
                    admin::config_request(&id, &room),
                )
                .await;
            }
            Command::SubmitRoomConfig { room, form, .. } => {
                let id = new_id();
                let iq = admin::config_submit(&id, &room, form.as_ref());
                self.room_request(id, RoomIq::Done { room }, iq).await;
            }
            Command::RequestRoomRegistration { room, .. } => {
                let id = new_id();
                let iq = admin::registration_request(&id, &room);
                self.room_request(id, RoomIq::Registration { room }, iq)
                    .await;
            }
            Command::SubmitRoomRegistration { room, form, .. } => {
                let id = new_id();
                let iq = admin::registration_submit(&id, &room, &form);
                self.room_request(id, RoomIq::Done { room }, iq).await;
            }
            Command::DestroyRoom {
                room,
                reason,
                alternative,
                ..
            } => {
                let id = new_id();
                let iq = admin::destroy(&id, &room, reason.as_deref(), alternative.as_ref());
                self.room_request(id, RoomIq::Destroy { room }, iq).await;
            }
            Command::BrowseRooms {
                service,
                after,
                request,
                ..
            } => self.browse_rooms(service, after, request).await,
            Command::FindRoomServices { .. } => self.find_room_services().await,
            Command::InviteToRoom {
                room,
                invitee,
                reason,
                ..
            } => self.invite(&room, &invitee, reason.as_deref()).await,
            Command::AnswerInvitation { invitation, accept } => {
                self.answer_invitation(invitation, accept).await;
            }
            Command::SetOccupantRole {
                room,
                nick,
                role,
                reason,
                ..
            } => {
                let id = new_id();
                let iq = admin::set_role(&id, &room, &nick, role, reason.as_deref());
                self.room_request(id, RoomIq::Done { room }, iq).await;
            }
            Command::SetAffiliation {
                room,
                jid,
                affiliation,
                reason,
                ..
            } => {
                let id = new_id();
                let iq = admin::set_affiliation(&id, &room, &jid, affiliation, reason.as_deref());
                self.room_request(id, RoomIq::Done { room }, iq).await;
            }
            Command::RequestAffiliationList {
                room, affiliation, ..
            } => {
                let id = new_id();
                let iq = admin::affiliation_list(&id, &room, affiliation);
                self.room_request(id, RoomIq::AffiliationList { room, affiliation }, iq)
                    .await;
            }
            Command::ModerateMessage {
                room,
                message,
                reason,
                ..
            } => self.moderate(&room, message, reason.as_deref()).await,
            other => tracing::warn!(account = %self.jid, ?other, "Not a room command"),
        }
    }

    /// Send a request to a room (we must be online) and remember it.
    async fn room_request(&mut self, id: String, kind: RoomIq, iq: xmpp_parsers::iq::Iq) {
        if !self.require_online() {
            return;
        }
        self.expect_room_iq(id, kind);
        self.send(iq.into()).await;
    }

    /// Whether we are in `room`; tells the UI otherwise.
    fn require_joined(&self, room: &BareJid) -> bool {
        let joined = self.room(room).is_some_and(Room::joined);
        if !joined {
            self.emit(Event::RoomActionFailed {
                account: self.jid.clone(),
                room: room.clone(),
                error: RoomError::NotAllowed,
            });
        }
        joined
    }

    async fn join_room(
        &mut self,
        jid: BareJid,
        nick: Option<String>,
        password: Option<String>,
        bookmark: bool,
        instant: bool,
    ) {
        let account = self.jid.clone();
        let room = self
            .rooms
            .map
            .entry(jid.clone())
            .or_insert_with(|| Room::new(&account, jid.clone(), default_nick(&account)));
        if let Some(nick) = nick.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()) {
            room.summary.nick = nick;
        }
        if password.is_some() {
            room.password = password;
        }
        room.wanted = true;
        room.instant = instant;
        room.retried = false;
        let publish = bookmark && !(room.summary.bookmarked && room.summary.autojoin);
        if bookmark {
            room.summary.bookmarked = true;
            room.summary.autojoin = true;
        }
        self.save_room(&jid).await;
        if publish {
            self.publish_bookmark(&jid).await;
        }
        if self.online {
            if !self.room(&jid).is_some_and(Room::joined) {
                self.send_join(&jid).await;
            } else {
                self.emit_room(&jid);
            }
        } else {
            // Joined when the account is next online.
            self.emit_room(&jid);
        }
    }

    async fn leave_room(&mut self, jid: &BareJid, forget: bool) {
        let Some(room) = self.rooms.map.get_mut(jid) else {
            return;
        };
        let was_in = matches!(room.summary.state, RoomState::Joined | RoomState::Joining);
        room.wanted = false;
        room.summary.state = RoomState::NotJoined;
        room.occupants.clear();
        let nick = room.summary.nick.clone();
        if was_in
            && self.online
            && let Some(presence) = muc_presence::leave(jid, &nick)
        {
            self.send(presence.into()).await;
        }
        if forget {
            self.forget_room(jid, false).await;
        } else {
            self.save_room(jid).await;
            self.emit_room(jid);
        }
    }

    async fn set_room_nick(&mut self, jid: &BareJid, nick: String) {
        let nick = nick.trim().to_owned();
        let Some(room) = self.rooms.map.get_mut(jid) else {
            return;
        };
        if nick.is_empty() || nick == room.summary.nick {
            return;
        }
        if room.joined() && self.online {
            room.pending_nick = Some(nick.clone());
            let base = crate::xmpp::presence::own_presence(
                &self.own_presence,
                crate::xmpp::disco::own_caps(),
            );
            if let Some(presence) = muc_presence::change_nick(base, jid, &nick) {
                self.send(presence.into()).await;
            }
        } else {
            room.summary.nick = nick;
            let bookmarked = room.summary.bookmarked;
            self.save_room(jid).await;
            self.emit_room(jid);
            if bookmarked {
                self.publish_bookmark(jid).await;
            }
        }
    }

    /// Invite someone: through the room for members-only rooms (the room
    /// then lets them in), directly otherwise (XEP-0249).
    async fn invite(&mut self, jid: &BareJid, invitee: &BareJid, reason: Option<&str>) {
        if !self.require_online() {
            return;
        }
        let Some(room) = self.room(jid) else {
            return;
        };
        let members_only = room.summary.members_only;
        let may_grant = matches!(
            room.summary.affiliation,
            Affiliation::Owner | Affiliation::Admin
        );
        let password = room.password.clone();
        if members_only {
            if may_grant {
                let id = new_id();
                let iq = admin::set_affiliation(&id, jid, invitee, Affiliation::Member, reason);
                self.expect_room_iq(id, RoomIq::Quiet { room: jid.clone() });
                self.send(iq.into()).await;
            }
            let to = xmpp_parsers::jid::Jid::from(invitee.clone());
            self.send(muc_message::mediated(jid, &to, reason, false).into())
                .await;
        } else {
            let message = muc_message::direct_invitation(jid, invitee, reason, password.as_deref());
            self.send(message.into()).await;
        }
    }

    async fn answer_invitation(&mut self, invitation: RoomInvitation, accept: bool) {
        if accept {
            self.join_room(invitation.room, None, invitation.password, true, false)
                .await;
        } else if self.require_online() {
            // The room relays declines to the inviter (§7.8.2.3); there is
            // no decline in XEP-0249 itself.
            let decline = muc_message::mediated(&invitation.room, &invitation.from, None, true);
            self.send(decline.into()).await;
        }
    }

    async fn moderate(
        &mut self,
        jid: &BareJid,
        message: crate::model::MessageId,
        reason: Option<&str>,
    ) {
        let server_id = match self.store.message(message).await {
            Ok(Some(stored)) => stored.room.and_then(|r| r.server_id),
            Ok(None) => None,
            Err(error) => {
                tracing::error!(account = %self.jid, "Could not read a message: {error}");
                None
            }
        };
        let Some(server_id) = server_id else {
            // Without the room's id for it, the room cannot find it.
            self.emit(Event::RoomActionFailed {
                account: self.jid.clone(),
                room: jid.clone(),
                error: RoomError::NotAllowed,
            });
            return;
        };
        let Some(version) = self.room(jid).and_then(|r| r.info.moderation) else {
            // The room did not announce XEP-0425: it would not understand.
            self.emit(Event::RoomActionFailed {
                account: self.jid.clone(),
                room: jid.clone(),
                error: RoomError::ModerationUnsupported,
            });
            return;
        };
        let version_1 = version == directory::ModerationVersion::V1;
        let id = new_id();
        let iq = admin::moderate(&id, jid, &server_id, reason, version_1);
        self.room_request(id, RoomIq::Moderate { room: jid.clone() }, iq)
            .await;
    }
}
