//! Entering rooms and following who is in them.

use tokio::time::Instant;
use xmpp_parsers::jid::BareJid;
use xmpp_parsers::presence::Presence;

use super::RoomIq;
use crate::model::{OccupantChange, RoomError, RoomExit, RoomState};
use crate::session::Event;
use crate::session::account::AccountActor;
use crate::xmpp::disco;
use crate::xmpp::message::new_id;
use crate::xmpp::muc::presence::{
    self as muc_presence, JoinHistory, OccupantPresence, RoomPresence,
};

/// Messages a room without an archive replays on a first join.
const JOIN_HISTORY: u32 = 50;

impl AccountActor {
    /// Start joining a room: ask it about itself first (archive, name,
    /// moderation), then enter (`enter_room`).
    pub(in crate::session::account) async fn send_join(&mut self, jid: &BareJid) {
        let Some(room) = self.rooms.map.get_mut(jid) else {
            return;
        };
        room.summary.state = RoomState::Joining;
        room.join_sent = Some(Instant::now());
        room.occupants.clear();
        self.emit_room(jid);
        let id = new_id();
        self.expect_room_iq(
            id.clone(),
            RoomIq::Info {
                room: jid.clone(),
                join: true,
            },
        );
        self.send(disco::info_request(&id, jid).into()).await;
    }

    /// Send the join presence, asking for history only when the room keeps
    /// no archive (the archive fills history otherwise).
    pub(in crate::session::account) async fn enter_room(&mut self, jid: &BareJid) {
        let Some(room) = self.rooms.map.get(jid) else {
            return;
        };
        if room.summary.state != RoomState::Joining {
            return;
        }
        let history = if room.info.archived {
            JoinHistory::None
        } else {
            match self
                .store
                .history(self.jid.clone(), jid.clone(), None, 1)
                .await
            {
                Ok(newest) if !newest.is_empty() => {
                    JoinHistory::Since(crate::model::Timestamp(newest[0].timestamp.0 + 1))
                }
                _ => JoinHistory::Last(JOIN_HISTORY),
            }
        };
        let base =
            crate::xmpp::presence::own_presence(&self.own_presence, crate::xmpp::disco::own_caps());
        let (nick, password) = (room.summary.nick.clone(), room.password.clone());
        match muc_presence::join(base, jid, &nick, password.as_deref(), &history) {
            Some(presence) => self.send(presence.into()).await,
            // Only the nickname can make the room's address invalid.
            None => self.room_failed(jid, RoomError::NicknameInvalid),
        }
    }

    fn room_failed(&mut self, jid: &BareJid, error: RoomError) {
        if let Some(room) = self.rooms.map.get_mut(jid) {
            room.summary.state = RoomState::Failed { error };
            room.join_sent = None;
        }
        self.emit_room(jid);
    }

    /// A presence from a room we know; `false` if it is not one.
    pub(in crate::session::account) async fn on_room_presence(
        &mut self,
        presence: &Presence,
    ) -> bool {
        let Some(from) = presence.from.as_ref() else {
            return false;
        };
        let jid = from.to_bare();
        if !self.rooms.map.contains_key(&jid) {
            return false;
        }
        if let Some(room) = self.rooms.map.get_mut(&jid) {
            room.last_activity = Instant::now();
        }
        match muc_presence::classify(presence) {
            None => {
                tracing::debug!(account = %self.jid, room = %jid, "Ignored a room presence");
            }
            Some(RoomPresence::Error { room, error }) => self.on_room_refusal(&room, error),
            Some(RoomPresence::Occupant(occupant)) => self.on_occupant(occupant).await,
        }
        true
    }

    fn on_room_refusal(&mut self, jid: &BareJid, error: RoomError) {
        let Some(room) = self.rooms.map.get_mut(jid) else {
            return;
        };
        if room.pending_nick.take().is_some() && room.joined() {
            // Our nickname change was refused; we keep the old one.
            self.emit(Event::RoomActionFailed {
                account: self.jid.clone(),
                room: jid.clone(),
                error: match error {
                    RoomError::Banned => RoomError::Forbidden,
                    other => other,
                },
            });
            return;
        }
        if room.joined() {
            tracing::info!(account = %self.jid, room = %jid, ?error, "A room sent an error presence");
            return;
        }
        tracing::info!(account = %self.jid, room = %jid, ?error, "The room refused us");
        if error == RoomError::NotFound && room.wanted && room.join_sent.is_some() {
            // A room just created (by another of our devices, from the same
            // bookmark) is locked until configured: try once more shortly.
            if let Some(sent) = room.join_sent.take()
                && sent.elapsed() < std::time::Duration::from_secs(30)
                && !room.retried
            {
                room.retried = true;
                room.retry_at = Some(Instant::now() + std::time::Duration::from_secs(2));
                return;
            }
        }
        self.room_failed(jid, error);
    }

    async fn on_occupant(&mut self, mut update: OccupantPresence) {
        let jid = update.room.clone();
        let Some(room) = self.rooms.map.get_mut(&jid) else {
            return;
        };
        update.occupant.occupant_id = room
            .info
            .trusted_occupant_id(update.occupant.occupant_id.take());
        // While joining, our own presence may lack status 110 on old
        // services; our nickname identifies it then.
        let is_self = update.is_self
            || (update.occupant.nick == room.summary.nick
                && room.summary.state == RoomState::Joining);
        if update.unavailable {
            self.on_occupant_gone(update, is_self).await;
            return;
        }
        room.occupants
            .insert(update.occupant.nick.clone(), update.occupant.clone());
        if is_self {
            self.on_own_presence(update).await;
        } else {
            self.occupant_changed(
                &jid,
                OccupantChange::Updated {
                    occupant: update.occupant,
                },
            );
        }
    }

    /// Tell the UI about a change among a joined room's occupants (while
    /// joining they are collected and sent at once as `RoomOccupants`).
    fn occupant_changed(&self, jid: &BareJid, change: OccupantChange) {
        if self.room(jid).is_some_and(|r| r.joined()) {
            self.emit(Event::OccupantChanged {
                account: self.jid.clone(),
                room: jid.clone(),
                change,
            });
        }
    }

    /// Someone left, was removed or changed nickname (status 303).
    async fn on_occupant_gone(&mut self, update: OccupantPresence, is_self: bool) {
        let jid = update.room.clone();
        let Some(room) = self.rooms.map.get_mut(&jid) else {
            return;
        };
        let nick = update.occupant.nick.clone();
        let mut occupant = room.occupants.remove(&nick).unwrap_or(update.occupant);
        let Some(new_nick) = update.new_nick else {
            if is_self {
                self.on_removed_from_room(&jid, update.removal).await;
            } else {
                let exit = update.removal.unwrap_or(RoomExit::Left);
                self.occupant_changed(&jid, OccupantChange::Left { nick, exit });
            }
            return;
        };
        occupant.nick = new_nick.clone();
        room.occupants.insert(new_nick.clone(), occupant.clone());
        if is_self {
            room.summary.nick = new_nick;
            room.pending_nick = None;
            let bookmarked = room.summary.bookmarked;
            self.save_room(&jid).await;
            self.emit_room(&jid);
            // The bookmark carries our nickname to our other devices.
            if bookmarked {
                self.publish_bookmark(&jid).await;
            }
        }
        let change = OccupantChange::Renamed {
            old_nick: nick,
            occupant,
        };
        self.occupant_changed(&jid, change);
    }

    /// Our own presence: the join is complete, or our role changed.
    async fn on_own_presence(&mut self, update: OccupantPresence) {
        let jid = update.room.clone();
        let Some(room) = self.rooms.map.get_mut(&jid) else {
            return;
        };
        room.summary.role = update.occupant.role;
        room.summary.affiliation = update.occupant.affiliation;
        // The room may have assigned or normalised our nickname.
        room.summary.nick = update.occupant.nick.clone();
        room.join_sent = None;
        if room.joined() {
            self.emit_room(&jid);
            let occupant = update.occupant;
            self.occupant_changed(&jid, OccupantChange::Updated { occupant });
            return;
        }
        room.summary.state = RoomState::Joined;
        let occupants = room.occupants.values().cloned().collect();
        let create_instant = update.created && room.instant;
        tracing::info!(account = %self.jid, room = %jid, "Joined a room");
        self.save_room(&jid).await;
        self.emit_room(&jid);
        self.emit(Event::RoomOccupants {
            account: self.jid.clone(),
            room: jid.clone(),
            occupants,
        });
        if update.created {
            let id = new_id();
            if create_instant {
                let iq = crate::xmpp::muc::admin::instant_room(&id, &jid);
                self.expect_room_iq(id, RoomIq::Created { room: jid.clone() });
                self.send(iq.into()).await;
            } else {
                // A reserved room: its owner configures it first.
                let iq = crate::xmpp::muc::admin::config_request(&id, &jid);
                self.expect_room_iq(id, RoomIq::Config { room: jid.clone() });
                self.send(iq.into()).await;
            }
        }
        self.catch_up_archive(&jid).await;
        self.flush_room_outbox(&jid).await;
    }

    async fn on_removed_from_room(&mut self, jid: &BareJid, removal: Option<RoomExit>) {
        let Some(room) = self.rooms.map.get_mut(jid) else {
            return;
        };
        room.occupants.clear();
        room.pinging = false;
        match removal {
            Some(exit) => {
                tracing::info!(account = %self.jid, room = %jid, ?exit, "Removed from a room");
                room.wanted = false;
                room.summary.state = RoomState::Exited { exit };
            }
            None => room.summary.state = RoomState::NotJoined,
        }
        self.save_room(jid).await;
        self.emit_room(jid);
    }
}
