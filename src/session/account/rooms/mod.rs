//! Multi-user chat rooms of one account (XEP-0045): joining, occupants,
//! room messages and history, bookmarks, self-ping and administration.
//!
//! The account actor owns a [`Rooms`] table; each room's summary is what
//! the UI sees and is re-emitted whenever it changes.

mod archive;
mod bookmarks;
mod commands;
mod legacy_bookmarks;
mod messages;
mod presence;
mod private;
mod requests;
mod services;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use tokio::time::Instant;
use xmpp_parsers::jid::BareJid;

use super::AccountActor;
use crate::model::{Affiliation, Occupant, Role, RoomNotify, RoomState, RoomSummary};
use crate::session::Event;
use crate::store::RoomRecord;
use crate::xmpp::muc::directory::RoomInfo;

pub(super) use private::{Outbound, outbound};
pub(super) use requests::RoomIq;

/// One room as the actor tracks it.
#[derive(Debug)]
pub(super) struct Room {
    /// What the UI sees.
    pub summary: RoomSummary,
    /// The password to (re)join with, kept in memory only.
    pub password: Option<String>,
    /// The user wants to be in the room (joined it, or autojoin bookmark).
    pub wanted: bool,
    /// Occupants by nickname; while joining, collected until our own
    /// presence arrives.
    pub occupants: HashMap<String, Occupant>,
    /// What the room says about itself.
    pub info: RoomInfo,
    /// Accept the default configuration if our join creates the room
    /// (always, unless the user asked to configure a new room: a join from
    /// a bookmark must not leave a new room locked).
    pub instant: bool,
    /// Retry a refused join at this time (once: the room was being
    /// created by another of our devices).
    pub retry_at: Option<Instant>,
    /// Whether that one retry was used since the user last asked to join.
    pub retried: bool,
    /// A nickname change we asked for.
    pub pending_nick: Option<String>,
    /// Last time the room showed signs of life (a stanza from it).
    pub last_activity: Instant,
    /// A self-ping is on its way.
    pub pinging: bool,
    /// A join was sent at this time (to time out a silent room).
    pub join_sent: Option<Instant>,
    /// The archive query in progress.
    pub archive: Option<archive::ArchiveQuery>,
    /// Bookmarked while offline: not on the server yet.
    pub bookmark_unsent: bool,
}

impl Room {
    /// A room known from the store or a bookmark, not joined yet.
    pub fn new(account: &BareJid, room: BareJid, nick: String) -> Self {
        Room {
            summary: RoomSummary {
                account: account.clone(),
                room,
                name: None,
                subject: None,
                nick,
                state: RoomState::NotJoined,
                role: Role::None,
                affiliation: Affiliation::None,
                notify: RoomNotify::default(),
                bookmarked: false,
                autojoin: false,
                members_only: false,
                archived: false,
            },
            password: None,
            wanted: false,
            occupants: HashMap::new(),
            info: RoomInfo::default(),
            instant: true,
            retry_at: None,
            retried: false,
            pending_nick: None,
            last_activity: Instant::now(),
            pinging: false,
            join_sent: None,
            archive: None,
            bookmark_unsent: false,
        }
    }

    /// The room from a stored record.
    pub fn from_record(record: &RoomRecord, default_nick: &str) -> Self {
        let mut room = Room::new(
            &record.account,
            record.room.clone(),
            record
                .nick
                .clone()
                .unwrap_or_else(|| default_nick.to_owned()),
        );
        room.summary.name = record.name.clone();
        room.summary.autojoin = record.autojoin;
        room.summary.bookmarked = record.bookmarked;
        room.summary.notify = record.notify;
        room.wanted = record.joined || (record.bookmarked && record.autojoin);
        room
    }

    /// What the store keeps of the room.
    pub fn record(&self) -> RoomRecord {
        RoomRecord {
            account: self.summary.account.clone(),
            room: self.summary.room.clone(),
            name: self.summary.name.clone(),
            nick: Some(self.summary.nick.clone()),
            autojoin: self.summary.autojoin,
            bookmarked: self.summary.bookmarked,
            notify: self.summary.notify,
            joined: self.wanted,
        }
    }

    /// Whether we are in the room now.
    pub fn joined(&self) -> bool {
        self.summary.state == RoomState::Joined
    }
}

/// The account's rooms.
#[derive(Debug)]
pub(super) struct Rooms {
    /// By room address.
    pub map: HashMap<BareJid, Room>,
    /// How long a room may stay quiet before a self-ping checks it.
    pub check_after: Duration,
    /// Bookmarks have been fetched in this session.
    pub bookmarks_loaded: bool,
    /// The server keeps native bookmarks (XEP-0402); else legacy ones.
    pub native_bookmarks: bool,
    /// Legacy bookmark changes being written or waiting to be.
    pub legacy: legacy_bookmarks::LegacyWrites,
    /// Rooms whose bookmark was removed here but not yet on the server
    /// (offline, before the fetch, or a failed write); for this run only.
    pub unsent_removals: HashSet<BareJid>,
    /// The server's conference services, once found in this session.
    pub services: Option<Vec<BareJid>>,
    /// The search for them, while it runs.
    pub service_search: Option<services::ServiceSearch>,
}

impl Rooms {
    /// No rooms yet.
    pub fn new(check_after: Duration) -> Self {
        Rooms {
            map: HashMap::new(),
            check_after,
            bookmarks_loaded: false,
            native_bookmarks: true,
            legacy: legacy_bookmarks::LegacyWrites::default(),
            unsent_removals: HashSet::new(),
            services: None,
            service_search: None,
        }
    }
}

/// How a stored room looks before the account is online.
pub(in crate::session) fn room_summary(record: &RoomRecord) -> RoomSummary {
    Room::from_record(record, &default_nick(&record.account)).summary
}

/// A room's default nickname: the local part of the account.
pub(in crate::session) fn default_nick(account: &BareJid) -> String {
    account
        .node()
        .map(|n| n.as_str().to_owned())
        .unwrap_or_else(|| account.to_string())
}

impl AccountActor {
    /// Load the account's rooms from the store (at start).
    pub(super) async fn load_rooms(&mut self) {
        let records = match self.store.rooms().await {
            Ok(records) => records,
            Err(error) => {
                tracing::error!(account = %self.jid, "Could not load rooms: {error}");
                return;
            }
        };
        let nick = default_nick(&self.jid);
        for record in records.iter().filter(|r| r.account == self.jid) {
            let room = Room::from_record(record, &nick);
            self.rooms.map.insert(record.room.clone(), room);
        }
    }

    /// The room `jid`, if known.
    pub(super) fn room(&self, jid: &BareJid) -> Option<&Room> {
        self.rooms.map.get(jid)
    }

    /// Tell the UI how a room is now.
    pub(super) fn emit_room(&self, jid: &BareJid) {
        if let Some(room) = self.rooms.map.get(jid) {
            self.emit(Event::RoomUpdated {
                room: Box::new(room.summary.clone()),
            });
        }
    }

    /// Save a room's record.
    pub(super) async fn save_room(&self, jid: &BareJid) {
        let Some(record) = self.rooms.map.get(jid).map(Room::record) else {
            return;
        };
        if let Err(error) = self.store.upsert_room(record).await {
            tracing::error!(account = %self.jid, %jid, "Could not store a room: {error}");
        }
    }

    /// A new session: nobody is in any room; rejoin the wanted ones and
    /// fetch the bookmarks (which may add autojoin rooms).
    pub(super) async fn rooms_session_started(&mut self) {
        let rooms: Vec<BareJid> = self.rooms.map.keys().cloned().collect();
        for jid in &rooms {
            if let Some(room) = self.rooms.map.get_mut(jid) {
                room.occupants.clear();
                room.pinging = false;
                room.pending_nick = None;
                if matches!(room.summary.state, RoomState::Joined | RoomState::Joining) {
                    room.summary.state = RoomState::NotJoined;
                }
            }
        }
        self.rooms.bookmarks_loaded = false;
        self.legacy_session_started();
        self.fetch_bookmarks().await;
        for jid in rooms {
            if self.room(&jid).is_some_and(|r| r.wanted) {
                self.send_join(&jid).await;
            } else {
                self.emit_room(&jid);
            }
        }
    }

    /// Connection lost: rooms are left until the next session (a resumed
    /// session keeps them joined; see `rooms_session_started`).
    pub(super) fn rooms_offline(&mut self) {
        for room in self.rooms.map.values_mut() {
            room.pinging = false;
        }
        // A search for conference services ends with the connection; its
        // answers, if they still come, are ignored.
        if self.rooms.service_search.take().is_some() {
            self.emit(Event::RoomServices {
                account: self.jid.clone(),
                services: Vec::new(),
            });
        }
    }

    /// Periodic check: self-ping rooms that have been quiet for a while,
    /// and give up on joins the room never answered.
    pub(super) async fn rooms_tick(&mut self) {
        if !self.online {
            return;
        }
        let now = Instant::now();
        let check_after = self.rooms.check_after;
        let mut ping = Vec::new();
        let mut retry = Vec::new();
        for (jid, room) in &mut self.rooms.map {
            if room.joined() && !room.pinging && now - room.last_activity >= check_after {
                room.pinging = true;
                ping.push((jid.clone(), room.summary.nick.clone()));
            }
            if room.summary.state == RoomState::Joining
                && room
                    .join_sent
                    .is_some_and(|t| now - t >= Duration::from_secs(60))
            {
                retry.push(jid.clone());
            }
        }
        for (jid, nick) in ping {
            let id = crate::xmpp::message::new_id();
            if let Some(iq) = crate::xmpp::muc::admin::self_ping(&id, &jid, &nick) {
                self.expect_room_iq(id, RoomIq::SelfPing { room: jid });
                self.send(iq.into()).await;
            }
        }
        for jid in retry {
            tracing::info!(account = %self.jid, room = %jid, "The room did not answer our join; retrying");
            self.send_join(&jid).await;
        }
    }
}
