//! Bookmarks: rooms joined on another device appear here and the other
//! way round (XEP-0402, falling back to and migrating from XEP-0048).
//!
//! Which kind the account uses is decided as other clients decide it, so
//! that all of them see the same bookmarks: native ones only if the server
//! keeps the legacy ones in step (`urn:xmpp:bookmarks:1#compat`).

use xmpp_parsers::jid::BareJid;
use xmpp_parsers::minidom::Element;

use super::{Room, RoomIq, default_nick};
use crate::session::account::AccountActor;
use crate::xmpp::bookmarks::{self, Bookmark, BookmarkChange};
use crate::xmpp::disco;
use crate::xmpp::message::new_id;

impl AccountActor {
    /// Fetch the bookmarks at the start of a session, once we know which
    /// kind the server keeps (asked of our account's disco#info).
    pub(in crate::session::account) async fn fetch_bookmarks(&mut self) {
        let id = new_id();
        self.expect_room_iq(id.clone(), RoomIq::AccountInfo);
        self.send(disco::info_request(&id, &self.jid).into()).await;
    }

    /// Our account's disco#info (`None` if it was refused): fetch the
    /// native bookmarks if the server keeps them in step with the legacy
    /// ones, else the legacy ones. Without an answer, native bookmarks are
    /// tried and their refusal falls back to the legacy ones.
    pub(in crate::session::account) async fn on_account_info(&mut self, payload: Option<&Element>) {
        if payload.is_some() {
            self.rooms.native_bookmarks = disco::has_feature(payload, bookmarks::NS_COMPAT);
        }
        let id = new_id();
        if self.rooms.native_bookmarks {
            self.expect_room_iq(id.clone(), RoomIq::Bookmarks);
            self.send(bookmarks::fetch(&id).into()).await;
        } else {
            tracing::debug!(account = %self.jid, "The server keeps legacy bookmarks only");
            self.expect_room_iq(id.clone(), RoomIq::LegacyBookmarks);
            self.send(bookmarks::fetch_legacy(&id).into()).await;
        }
    }

    /// The bookmarks fetched from the server.
    pub(in crate::session::account) async fn on_bookmarks(
        &mut self,
        payload: Option<&Element>,
        native: bool,
    ) {
        let fetched = if native {
            bookmarks::parse_fetch(payload)
        } else {
            bookmarks::parse_legacy(payload)
        };
        let first = !self.rooms.bookmarks_loaded;
        self.rooms.bookmarks_loaded = true;
        // The server's bookmarks are the truth where it keeps them: native
        // ones if it can, else the legacy ones (which are then only read).
        let authoritative = native == self.rooms.native_bookmarks;
        let migrate = !native && self.rooms.native_bookmarks;
        for bookmark in &fetched {
            // Changed or removed here while offline (or before the fetch):
            // ours is sent below rather than overwritten by theirs.
            let changed_here = self.rooms.unsent_removals.contains(&bookmark.room)
                || self.room(&bookmark.room).is_some_and(|r| r.bookmark_unsent);
            if authoritative && changed_here {
                continue;
            }
            self.apply_bookmark(bookmark.clone()).await;
            if migrate {
                let id = new_id();
                self.expect_room_iq(id.clone(), RoomIq::BookmarkChange { published: None });
                self.send(bookmarks::publish(&id, bookmark).into()).await;
            }
        }
        if authoritative {
            // Removed here while offline: remove them there too.
            let removed = std::mem::take(&mut self.rooms.unsent_removals);
            for jid in removed {
                if fetched.iter().any(|b| b.room == jid)
                    && !self.room(&jid).is_some_and(|r| r.summary.bookmarked)
                {
                    self.retract_bookmark(&jid).await;
                }
            }
            // Rooms bookmarked here that the server does not have as we
            // do: bookmarked or changed since the fetch was sent, or while
            // offline (publish now), or removed on another device (leave).
            let missing: Vec<(BareJid, bool)> = self
                .rooms
                .map
                .values()
                .filter(|r| r.summary.bookmarked)
                .filter(|r| r.bookmark_unsent || !fetched.iter().any(|b| b.room == r.summary.room))
                .map(|r| (r.summary.room.clone(), r.bookmark_unsent))
                .collect();
            for (jid, unsent) in missing {
                if unsent {
                    self.publish_bookmark(&jid).await;
                } else {
                    self.bookmark_removed(&jid).await;
                }
            }
        }
        if native && fetched.is_empty() && first {
            // Nothing native yet: look for legacy bookmarks to migrate.
            let id = new_id();
            self.expect_room_iq(id.clone(), RoomIq::LegacyBookmarks);
            self.send(bookmarks::fetch_legacy(&id).into()).await;
        }
    }

    /// Bookmark changes pushed by the server (another device changed them).
    pub(in crate::session::account) async fn on_bookmark_changes(
        &mut self,
        changes: Vec<BookmarkChange>,
    ) {
        for change in changes {
            match change {
                BookmarkChange::Set(bookmark) => self.apply_bookmark(bookmark).await,
                BookmarkChange::Removed(jid) => self.bookmark_removed(&jid).await,
            }
        }
    }

    /// A bookmark as the server has it: add or update the room, and join
    /// it if it says autojoin.
    async fn apply_bookmark(&mut self, bookmark: Bookmark) {
        let account = self.jid.clone();
        let jid = bookmark.room.clone();
        let room = self
            .rooms
            .map
            .entry(jid.clone())
            .or_insert_with(|| Room::new(&account, jid.clone(), default_nick(&account)));
        room.summary.bookmarked = true;
        room.bookmark_unsent = false;
        room.summary.autojoin = bookmark.autojoin;
        if bookmark.name.is_some() {
            room.summary.name = bookmark.name;
        }
        if let Some(nick) = bookmark.nick
            && !room.joined()
        {
            room.summary.nick = nick;
        }
        if bookmark.password.is_some() {
            room.password = bookmark.password;
        }
        let join = bookmark.autojoin
            && !room.wanted
            && !matches!(
                room.summary.state,
                crate::model::RoomState::Joined | crate::model::RoomState::Joining
            );
        if bookmark.autojoin {
            room.wanted = true;
        }
        self.save_room(&jid).await;
        if join && self.online {
            self.send_join(&jid).await;
        } else {
            self.emit_room(&jid);
        }
    }

    /// The bookmark of a room was removed on another device: leave the
    /// room here as well (that is what removing it there meant).
    async fn bookmark_removed(&mut self, jid: &BareJid) {
        let Some(room) = self.rooms.map.get_mut(jid) else {
            return;
        };
        let was_in = room.joined();
        if was_in
            && let Some(presence) =
                crate::xmpp::muc::presence::leave(jid, &room.summary.nick.clone())
        {
            self.send(presence.into()).await;
        }
        // The bookmark is gone already.
        self.forget_room(jid, true).await;
    }

    /// Publish a room's bookmark (after joining with "bookmark", or a new
    /// nickname in a bookmarked room).
    pub(in crate::session::account) async fn publish_bookmark(&mut self, jid: &BareJid) {
        // Before the bookmarks are read we do not know where to write
        // (nor, for legacy ones, what to keep): the sync sends it then.
        let ready = self.online && self.rooms.bookmarks_loaded;
        self.rooms.unsent_removals.remove(jid);
        let Some(room) = self.rooms.map.get_mut(jid) else {
            return;
        };
        // Until the server has it (shown back, or stored), a sync must not
        // take its absence for a removal; sent with the next session's
        // sync when offline.
        room.bookmark_unsent = true;
        if !ready {
            return;
        }
        let bookmark = Bookmark {
            room: jid.clone(),
            name: room.summary.name.clone(),
            nick: Some(room.summary.nick.clone()),
            password: room.password.clone(),
            autojoin: room.summary.autojoin,
        };
        if !self.rooms.native_bookmarks {
            self.queue_legacy_bookmark(BookmarkChange::Set(bookmark))
                .await;
            return;
        }
        let id = new_id();
        self.expect_room_iq(
            id.clone(),
            RoomIq::BookmarkChange {
                published: Some(jid.clone()),
            },
        );
        self.send(bookmarks::publish(&id, &bookmark).into()).await;
    }

    /// Remove a room's bookmark (now, or with the next sync when offline or
    /// before the bookmarks are read).
    pub(in crate::session::account) async fn retract_bookmark(&mut self, jid: &BareJid) {
        if !(self.online && self.rooms.bookmarks_loaded) {
            self.rooms.unsent_removals.insert(jid.clone());
            return;
        }
        if !self.rooms.native_bookmarks {
            self.queue_legacy_bookmark(BookmarkChange::Removed(jid.clone()))
                .await;
            return;
        }
        let id = new_id();
        self.expect_room_iq(id.clone(), RoomIq::BookmarkChange { published: None });
        self.send(bookmarks::retract(&id, jid).into()).await;
    }
}
