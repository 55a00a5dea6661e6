//! Room messages, subjects, moderation notices and invitations.

use xmpp_parsers::jid::BareJid;
use xmpp_parsers::message::{Message, MessageType};

use crate::model::{
    ChatMessage, DeliveryState, Direction, RoomInvitation, RoomMessageInfo, Timestamp,
};
use crate::session::Event;
use crate::session::account::AccountActor;
use crate::store::NewMessage;
use crate::xmpp::bookmarks;
use crate::xmpp::muc::message::{self as muc_message, Invitation, RoomMessage};

impl AccountActor {
    /// A message about rooms: from a room we know, an invitation, or a
    /// bookmark notification. `false` leaves it to one-to-one chat.
    pub(in crate::session::account) async fn on_room_message(&mut self, message: &Message) -> bool {
        if let Some(changes) = bookmarks::notification(&self.jid, message) {
            self.on_bookmark_changes(changes).await;
            return true;
        }
        let Some(from) = message.from.as_ref() else {
            return false;
        };
        let jid = from.to_bare();
        if self.rooms.map.contains_key(&jid) {
            if let Some(room) = self.rooms.map.get_mut(&jid) {
                room.last_activity = tokio::time::Instant::now();
            }
            if let Some(archived) = muc_message::archived(message, &jid) {
                self.on_archived(archived).await;
                return true;
            }
            match message.type_ {
                MessageType::Groupchat => {
                    if let Some(room_message) = muc_message::classify(message) {
                        self.on_live_room_message(room_message).await;
                    }
                    return true;
                }
                MessageType::Error => {
                    let ours = message
                        .id
                        .as_ref()
                        .is_some_and(|id| self.sent.contains_key(&id.0));
                    if !ours {
                        let condition = message
                            .payloads
                            .iter()
                            .find(|p| p.name() == "error")
                            .map(crate::xmpp::muc::error_condition)
                            .unwrap_or_else(|| "undefined-condition".into());
                        self.emit(Event::RoomActionFailed {
                            account: self.jid.clone(),
                            room: jid,
                            error: crate::xmpp::muc::room_error(&condition),
                        });
                        return true;
                    }
                    return false;
                }
                _ => {}
            }
        }
        match muc_message::invitation(message) {
            Some(Invitation::Invite {
                room,
                from,
                inviter_nick,
                reason,
                password,
                mediated,
            }) => {
                if self.room(&room).is_some_and(|r| r.joined()) {
                    tracing::debug!(account = %self.jid, %room, "Invited to a room we are in");
                } else {
                    self.emit(Event::InvitationReceived {
                        invitation: RoomInvitation {
                            account: self.jid.clone(),
                            room,
                            from,
                            inviter_nick,
                            reason,
                            password,
                            mediated,
                        },
                    });
                }
                true
            }
            Some(Invitation::Declined { room, from, reason }) => {
                self.emit(Event::InvitationDeclined {
                    account: self.jid.clone(),
                    room,
                    from,
                    reason,
                });
                true
            }
            None if message.type_ == MessageType::Groupchat => {
                tracing::debug!(account = %self.jid, room = %jid, "Dropped a message from a room we are not in");
                true
            }
            None => false,
        }
    }

    async fn on_live_room_message(&mut self, message: RoomMessage) {
        let jid = message.room.clone();
        if let Some(subject) = &message.subject {
            if let Some(room) = self.rooms.map.get_mut(&jid) {
                room.summary.subject = Some(subject.clone()).filter(|s| !s.is_empty());
            }
            self.emit_room(&jid);
            return;
        }
        if let Some(notice) = &message.moderation {
            match self
                .store
                .moderate_room_message(
                    self.jid.clone(),
                    jid.clone(),
                    notice.server_id.clone(),
                    notice.moderation.clone(),
                )
                .await
            {
                Ok(Some(message)) => {
                    self.emit(Event::MessageChanged { message });
                    // It may be the chat list's preview.
                    self.emit_chat(&jid).await;
                }
                Ok(None) => {}
                Err(error) => {
                    tracing::error!(account = %self.jid, "Could not moderate a message: {error}");
                }
            }
            return;
        }
        if let Some(message) = self.store_room_message(message, true).await {
            self.emit(Event::MessageAdded { message });
            self.emit_chat(&jid).await;
        }
    }

    /// Store a room message (live or archived); `None` for duplicates,
    /// echoes of our own messages and messages without a body.
    pub(in crate::session::account) async fn store_room_message(
        &mut self,
        mut message: RoomMessage,
        unread: bool,
    ) -> Option<ChatMessage> {
        let jid = message.room.clone();
        let room = self.room(&jid)?;
        message.occupant_id = room.info.trusted_occupant_id(message.occupant_id.take());
        let own_nick = room.summary.nick.clone();
        let own_occupant_id = room
            .occupants
            .get(&own_nick)
            .and_then(|o| o.occupant_id.clone());
        let nick = message.nick.clone().unwrap_or_default();
        let outgoing = (!nick.is_empty() && nick == own_nick)
            || (message.occupant_id.is_some() && message.occupant_id == own_occupant_id);
        if outgoing && let Some(origin_id) = &message.origin_id {
            match self
                .store
                .confirm_room_echo(
                    self.jid.clone(),
                    jid.clone(),
                    origin_id.clone(),
                    message.server_id.clone(),
                )
                .await
            {
                Ok(Some(id)) => {
                    self.sent.remove(origin_id);
                    self.emit(Event::MessageStateChanged {
                        account: self.jid.clone(),
                        peer: jid,
                        id,
                        state: DeliveryState::Delivered,
                    });
                    return None;
                }
                Ok(None) => {}
                Err(error) => {
                    tracing::error!(account = %self.jid, "Could not confirm a room message: {error}");
                }
            }
        }
        if message.body.is_none() && message.tombstone.is_none() {
            return None;
        }
        let stored = self
            .store
            .insert_message(NewMessage {
                account: self.jid.clone(),
                peer: jid,
                direction: if outgoing {
                    Direction::Outgoing
                } else {
                    Direction::Incoming
                },
                body: message.body.unwrap_or_default(),
                timestamp: message.delayed.unwrap_or_else(Timestamp::now),
                state: if outgoing {
                    DeliveryState::Delivered
                } else {
                    DeliveryState::Received
                },
                stanza_id: message.id,
                origin_id: message.origin_id,
                unread: unread && !outgoing,
                room: Some(RoomMessageInfo {
                    nick,
                    occupant_id: message.occupant_id,
                    server_id: message.server_id,
                    moderated: message.tombstone,
                    private_with: None,
                }),
            })
            .await;
        match stored {
            Ok(stored) => stored,
            Err(error) => {
                tracing::error!(account = %self.jid, "Could not store a room message: {error}");
                None
            }
        }
    }

    /// Send the room's waiting messages, now that we are in it.
    pub(in crate::session::account) async fn flush_room_outbox(&mut self, jid: &BareJid) {
        let pending = match self.store.outbox(self.jid.clone()).await {
            Ok(pending) => pending,
            Err(error) => {
                tracing::error!(account = %self.jid, "Could not read the outbox: {error}");
                return;
            }
        };
        for message in pending.into_iter().filter(|m| m.peer == *jid) {
            self.send_outgoing(message).await;
        }
    }
}
