//! Room history from the room's archive (XEP-0313 on the room): catching
//! up after joining, and older pages when the user scrolls back.
//! Duplicates are recognised by the room's stanza id (XEP-0359).

use xmpp_parsers::jid::BareJid;

use super::RoomIq;
use crate::model::ChatMessage;
use crate::session::Event;
use crate::session::account::AccountActor;
use crate::xmpp::message::new_id;
use crate::xmpp::muc::directory::{self, ArchiveFin};
use crate::xmpp::muc::message::ArchivedMessage;

/// Messages per archive page.
const PAGE: u32 = 50;
/// At most this many pages are fetched to catch up after a reconnect;
/// older gaps are filled by scrolling back.
const CATCH_UP_PAGES: u32 = 20;

/// An archive query in progress for one room.
#[derive(Debug, Default)]
pub(in crate::session::account) struct ArchiveQuery {
    /// Its `queryid`.
    pub query_id: String,
    /// Scroll-back (older) rather than catch-up.
    pub older: bool,
    /// Stored messages of a scroll-back page, sent together at the end.
    pub collected: Vec<ChatMessage>,
    /// The local page the scroll-back extends (sent first).
    pub local: Vec<ChatMessage>,
    /// Catch-up pages fetched so far.
    pub pages: u32,
    /// A catch-up stored something new (the chat list needs updating).
    pub added: bool,
    /// A catch-up after a known archive id, paging forward.
    pub forward: bool,
}

impl AccountActor {
    /// After joining an archived room, fetch what we missed: everything
    /// after the newest message we have, or the newest page.
    pub(in crate::session::account) async fn catch_up_archive(&mut self, jid: &BareJid) {
        if !self.room(jid).is_some_and(|r| r.info.archived) {
            return;
        }
        let after = match self
            .store
            .newest_room_archive_id(self.jid.clone(), jid.clone())
            .await
        {
            Ok(after) => after,
            Err(error) => {
                tracing::error!(account = %self.jid, "Could not read the room history: {error}");
                None
            }
        };
        let query = ArchiveQuery {
            query_id: new_id(),
            forward: after.is_some(),
            ..ArchiveQuery::default()
        };
        let (after, before) = match &after {
            Some(after) => (Some(after.as_str()), None),
            None => (None, Some("")),
        };
        self.query_archive(jid, query, after, before).await;
    }

    async fn query_archive(
        &mut self,
        jid: &BareJid,
        query: ArchiveQuery,
        after: Option<&str>,
        before: Option<&str>,
    ) {
        let id = new_id();
        let iq = directory::archive_query(&id, jid, &query.query_id, after, before, PAGE);
        self.expect_room_iq(
            id,
            RoomIq::Archive {
                room: jid.clone(),
                query_id: query.query_id.clone(),
                older: query.older,
            },
        );
        if let Some(room) = self.rooms.map.get_mut(jid) {
            room.archive = Some(query);
        }
        self.send(iq.into()).await;
    }

    /// Scroll-back past what is stored: `local` is the (short) page the
    /// store had; older messages come from the room's archive when it has
    /// one, and the whole page goes to the UI at the end.
    pub(in crate::session::account) async fn load_older_from_archive(
        &mut self,
        jid: BareJid,
        local: Vec<ChatMessage>,
    ) {
        let archived = self.room(&jid).is_some_and(|r| r.info.archived);
        let busy = self.room(&jid).is_some_and(|r| r.archive.is_some());
        if !archived || busy || !self.online {
            self.emit(Event::ChatHistory {
                account: self.jid.clone(),
                peer: jid,
                messages: local,
                older: true,
                complete: !archived,
                first_unread: None,
            });
            return;
        }
        let before = match self
            .store
            .oldest_room_archive_id(self.jid.clone(), jid.clone())
            .await
        {
            Ok(before) => before.unwrap_or_default(),
            Err(error) => {
                tracing::error!(account = %self.jid, "Could not read the room history: {error}");
                String::new()
            }
        };
        let query = ArchiveQuery {
            query_id: new_id(),
            older: true,
            local,
            ..ArchiveQuery::default()
        };
        self.query_archive(&jid, query, None, Some(&before)).await;
    }

    /// One archived message of a query in progress.
    pub(in crate::session::account) async fn on_archived(&mut self, archived: ArchivedMessage) {
        let jid = archived.message.room.clone();
        let expected = self
            .room(&jid)
            .and_then(|r| r.archive.as_ref())
            .is_some_and(|q| q.query_id == archived.query_id);
        if !expected {
            tracing::debug!(account = %self.jid, room = %jid, "Dropped an archive result nobody asked for");
            return;
        }
        let older = self
            .room(&jid)
            .and_then(|r| r.archive.as_ref())
            .is_some_and(|q| q.older);
        let Some(stored) = self.store_room_message(archived.message, !older).await else {
            return;
        };
        if older {
            if let Some(query) = self
                .rooms
                .map
                .get_mut(&jid)
                .and_then(|r| r.archive.as_mut())
            {
                query.collected.push(stored);
            }
        } else {
            if let Some(query) = self
                .rooms
                .map
                .get_mut(&jid)
                .and_then(|r| r.archive.as_mut())
            {
                query.added = true;
            }
            self.emit(Event::MessageAdded { message: stored });
        }
    }

    /// The end of an archive page.
    pub(in crate::session::account) async fn on_archive_fin(
        &mut self,
        jid: &BareJid,
        query_id: &str,
        older: bool,
        fin: ArchiveFin,
    ) {
        let Some(room) = self.rooms.map.get_mut(jid) else {
            return;
        };
        let Some(mut query) = room.archive.take().filter(|q| q.query_id == query_id) else {
            return;
        };
        if older {
            let mut messages = std::mem::take(&mut query.collected);
            messages.sort_by_key(|m| (m.timestamp, m.id));
            messages.extend(query.local);
            self.emit(Event::ChatHistory {
                account: self.jid.clone(),
                peer: jid.clone(),
                messages,
                older: true,
                complete: fin.complete,
                first_unread: None,
            });
            return;
        }
        query.pages += 1;
        // Only a catch-up after a known id pages forward; the newest page
        // of a room we never saw is enough (older ones come on scroll-back).
        let more = query.forward && !fin.complete && query.pages < CATCH_UP_PAGES;
        if more && let Some(last) = fin.last {
            let next = ArchiveQuery {
                query_id: new_id(),
                pages: query.pages,
                added: query.added,
                forward: true,
                ..ArchiveQuery::default()
            };
            self.query_archive(jid, next, Some(&last), None).await;
            return;
        }
        if query.added {
            self.emit_chat(jid).await;
        }
    }

    /// An archive query failed: give the UI what we have.
    pub(in crate::session::account) fn archive_failed(&mut self, jid: &BareJid, query_id: &str) {
        let Some(room) = self.rooms.map.get_mut(jid) else {
            return;
        };
        let Some(query) = room.archive.take().filter(|q| q.query_id == query_id) else {
            return;
        };
        if query.older {
            self.emit(Event::ChatHistory {
                account: self.jid.clone(),
                peer: jid.clone(),
                messages: query.local,
                older: true,
                complete: true,
                first_unread: None,
            });
        }
    }
}
