//! Writing legacy bookmarks (XEP-0048 in XEP-0049 private XML storage) on
//! servers without native ones.
//!
//! Private storage has no per-item operations: every write replaces the
//! whole document, including what other clients keep there. So each change
//! is a read-modify-write of the document, one at a time: changes made
//! while one is in flight wait and go together in the next one.

use std::mem;

use xmpp_parsers::jid::BareJid;
use xmpp_parsers::minidom::Element;

use super::RoomIq;
use crate::session::account::AccountActor;
use crate::xmpp::bookmarks::{self, BookmarkChange};
use crate::xmpp::message::new_id;

/// The legacy bookmark changes of an account, written one batch at a time.
#[derive(Debug, Default)]
pub(in crate::session::account) struct LegacyWrites {
    /// Changes waiting for the next read-modify-write, one per room.
    queued: Vec<BookmarkChange>,
    /// A read-modify-write is in flight (reading or writing).
    busy: bool,
    /// The changes the write in flight carries.
    writing: Vec<BookmarkChange>,
}

/// The room a change is about.
fn room_of(change: &BookmarkChange) -> &BareJid {
    match change {
        BookmarkChange::Set(bookmark) => &bookmark.room,
        BookmarkChange::Removed(room) => room,
    }
}

impl LegacyWrites {
    /// Queue a change, replacing an older one of the same room.
    fn queue(&mut self, change: BookmarkChange) {
        self.queued.retain(|c| room_of(c) != room_of(&change));
        self.queued.push(change);
    }

    /// Whether a change of `room` is still to be written.
    fn queued_for(&self, room: &BareJid) -> bool {
        self.queued.iter().any(|c| room_of(c) == room)
    }
}

impl AccountActor {
    /// Change our room's entry in the legacy bookmarks: now, or after the
    /// write in flight.
    pub(super) async fn queue_legacy_bookmark(&mut self, change: BookmarkChange) {
        self.rooms.legacy.queue(change);
        if !self.rooms.legacy.busy {
            self.start_legacy_write().await;
        }
    }

    /// Read the document to change (the changes are applied to it when it
    /// arrives, so those queued meanwhile go along).
    async fn start_legacy_write(&mut self) {
        if !self.online || self.rooms.legacy.queued.is_empty() {
            return;
        }
        self.rooms.legacy.busy = true;
        let id = new_id();
        self.expect_room_iq(id.clone(), RoomIq::LegacyRead);
        self.send(bookmarks::fetch_legacy(&id).into()).await;
    }

    /// The document to change: apply the queued changes, store it back.
    pub(super) async fn on_legacy_read(&mut self, payload: Option<&Element>) {
        let Some(mut storage) = bookmarks::legacy_storage(payload) else {
            tracing::warn!(account = %self.jid,
                "Could not change the bookmarks: the server sent no bookmark storage");
            self.legacy_write_failed(true);
            return;
        };
        let batch = mem::take(&mut self.rooms.legacy.queued);
        if batch.is_empty() {
            self.rooms.legacy.busy = false;
            return;
        }
        for change in &batch {
            bookmarks::apply_legacy_change(&mut storage, change);
        }
        self.rooms.legacy.writing = batch;
        let id = new_id();
        self.expect_room_iq(id.clone(), RoomIq::LegacyWrite);
        self.send(bookmarks::store_legacy(&id, storage).into())
            .await;
    }

    /// The document could not be read (`reading`) or stored: nothing was
    /// changed on the server. Keep the changes for the next session's sync
    /// rather than retrying in a loop.
    pub(super) fn legacy_write_failed(&mut self, reading: bool) {
        let legacy = &mut self.rooms.legacy;
        let mut failed = mem::take(&mut legacy.writing);
        if reading {
            failed.append(&mut legacy.queued);
        }
        legacy.busy = false;
        self.keep_unsent(failed);
    }

    /// Changes that did not reach the server: rooms keep `bookmark_unsent`
    /// (set when they were queued), removals are remembered.
    fn keep_unsent(&mut self, changes: Vec<BookmarkChange>) {
        for change in changes {
            if let BookmarkChange::Removed(room) = change {
                self.rooms.unsent_removals.insert(room);
            }
        }
    }

    /// The write was stored: the rooms written are on the server now
    /// (unless changed again since); write what was queued meanwhile.
    pub(super) async fn on_legacy_written(&mut self) {
        let written = mem::take(&mut self.rooms.legacy.writing);
        for change in &written {
            let room = room_of(change);
            if let BookmarkChange::Set(_) = change
                && !self.rooms.legacy.queued_for(room)
                && let Some(entry) = self.rooms.map.get_mut(room)
            {
                entry.bookmark_unsent = false;
            }
        }
        self.rooms.legacy.busy = false;
        self.start_legacy_write().await;
    }

    /// The server refused to read (`reading`) or to store the document.
    pub(super) async fn on_legacy_error(&mut self, reading: bool, condition: &str) {
        tracing::warn!(account = %self.jid, condition,
            "Could not change the bookmarks: the server refused to {}",
            if reading { "read them" } else { "store them" });
        self.legacy_write_failed(reading);
        // Changes queued after the failed read went with it; after a failed
        // store, those queued meanwhile are tried on their own.
        if !reading {
            self.start_legacy_write().await;
        }
    }

    /// A new session: answers to the last session's requests will not
    /// come; what was not written is sent with this session's sync.
    pub(super) fn legacy_session_started(&mut self) {
        let legacy = &mut self.rooms.legacy;
        let mut unsent = mem::take(&mut legacy.writing);
        unsent.append(&mut legacy.queued);
        legacy.busy = false;
        self.keep_unsent(unsent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xmpp::bookmarks::Bookmark;

    fn set(room: &str, autojoin: bool) -> BookmarkChange {
        BookmarkChange::Set(Bookmark {
            room: room.parse().expect("a room"),
            name: None,
            nick: None,
            password: None,
            autojoin,
        })
    }

    // The newest change of a room wins; other rooms' changes stay queued.
    #[test]
    fn queue_keeps_the_newest_change_per_room() {
        let mut writes = LegacyWrites::default();
        writes.queue(set("a@muc.example", true));
        writes.queue(set("b@muc.example", true));
        writes.queue(BookmarkChange::Removed(
            "a@muc.example".parse().expect("a room"),
        ));
        writes.queue(set("b@muc.example", false));
        assert_eq!(
            writes.queued,
            vec![
                BookmarkChange::Removed("a@muc.example".parse().expect("a room")),
                set("b@muc.example", false),
            ]
        );
        assert!(writes.queued_for(&"b@muc.example".parse().expect("a room")));
        assert!(!writes.queued_for(&"c@muc.example".parse().expect("a room")));
    }
}
