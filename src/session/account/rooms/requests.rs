//! Answers to the requests we send to rooms and conference services.

use xmpp_parsers::jid::BareJid;
use xmpp_parsers::minidom::Element;

use crate::model::{Affiliation, RoomError};
use crate::session::Event;
use crate::session::account::{AccountActor, PendingIq};
use crate::xmpp::disco;
use crate::xmpp::muc::{admin, directory, room_error};

/// A room request waiting for its answer.
#[derive(Debug, Clone)]
pub(in crate::session::account) enum RoomIq {
    /// disco#info of a room; `join` enters it once answered.
    Info { room: BareJid, join: bool },
    /// The configuration form (emits it).
    Config { room: BareJid },
    /// The registration form (emits it).
    Registration { room: BareJid },
    /// A change the UI waits for (`RoomActionDone` / `RoomActionFailed`).
    Done { room: BareJid },
    /// A change nobody waits for; failures are logged.
    Quiet { room: BareJid },
    /// The configuration of a room we just created: its features change.
    Created { room: BareJid },
    /// Destroying a room.
    Destroy { room: BareJid },
    /// Removing a message as a moderator.
    Moderate { room: BareJid },
    /// An affiliation list.
    AffiliationList {
        room: BareJid,
        affiliation: Affiliation,
    },
    /// A self-ping.
    SelfPing { room: BareJid },
    /// A page of a service's rooms, for the UI's request `request`.
    Browse { service: BareJid, request: u32 },
    /// The server's items, when looking for its conference services.
    ServiceItems { search: String },
    /// What one of the server's items is.
    ServiceInfo { search: String, service: BareJid },
    /// An archive query (see `archive.rs`).
    Archive {
        room: BareJid,
        query_id: String,
        older: bool,
    },
    /// Our account's disco#info: which bookmarks it keeps.
    AccountInfo,
    /// Native bookmarks.
    Bookmarks,
    /// Legacy bookmarks.
    LegacyBookmarks,
    /// A native bookmark publish (of this room) or retraction.
    BookmarkChange { published: Option<BareJid> },
    /// The legacy bookmarks, read to change them.
    LegacyRead,
    /// The changed legacy bookmarks, stored back.
    LegacyWrite,
}

impl AccountActor {
    /// Remember a room request by its id.
    pub(in crate::session::account) fn expect_room_iq(&mut self, id: String, kind: RoomIq) {
        self.pending_iqs.insert(id, PendingIq::Room(kind));
    }

    /// The result of a room request.
    pub(in crate::session::account) async fn on_room_result(
        &mut self,
        kind: RoomIq,
        payload: Option<Element>,
    ) {
        let account = self.jid.clone();
        match kind {
            RoomIq::Info { room, join } => {
                let info = directory::room_info(payload.as_ref());
                self.apply_room_info(&room, info);
                if join {
                    self.enter_room(&room).await;
                }
            }
            RoomIq::Config { room } => self.emit_form(room, payload.as_ref(), false),
            RoomIq::Registration { room } => self.emit_form(room, payload.as_ref(), true),
            RoomIq::Moderate { room } => {
                // The room's notice updates the message (`MessageChanged`).
                self.emit(Event::RoomActionDone { account, room });
            }
            RoomIq::Done { room } => {
                self.emit(Event::RoomActionDone {
                    account,
                    room: room.clone(),
                });
                // Configuration may have changed what the room is.
                self.refresh_room_info(&room).await;
            }
            RoomIq::Created { room } => self.refresh_room_info(&room).await,
            RoomIq::Quiet { .. } => {}
            RoomIq::BookmarkChange { published } => {
                // The server has it now, even if its notification does
                // not come back to us.
                if let Some(room) = published.and_then(|r| self.rooms.map.get_mut(&r)) {
                    room.bookmark_unsent = false;
                }
            }
            RoomIq::Destroy { room } => {
                self.emit(Event::RoomActionDone {
                    account,
                    room: room.clone(),
                });
                self.forget_room(&room, false).await;
            }
            RoomIq::AffiliationList { room, affiliation } => {
                self.emit(Event::AffiliationList {
                    account,
                    room,
                    affiliation,
                    users: admin::parse_affiliation_list(payload.as_ref()),
                });
            }
            RoomIq::SelfPing { room } => {
                if let Some(entry) = self.rooms.map.get_mut(&room) {
                    entry.pinging = false;
                    entry.last_activity = tokio::time::Instant::now();
                }
            }
            RoomIq::Browse { service, request } => {
                let page = directory::rooms_page(&service, payload.as_ref());
                self.emit(Event::PublicRooms {
                    account,
                    page,
                    request,
                });
            }
            RoomIq::ServiceItems { search } => {
                self.on_service_items(&search, payload.as_ref()).await;
            }
            RoomIq::ServiceInfo { search, service } => {
                self.on_service_info(&search, &service, payload.as_ref());
            }
            RoomIq::Archive {
                room,
                query_id,
                older,
            } => {
                let fin = directory::archive_fin(payload.as_ref());
                self.on_archive_fin(&room, &query_id, older, fin).await;
            }
            RoomIq::AccountInfo => self.on_account_info(payload.as_ref()).await,
            RoomIq::Bookmarks => self.on_bookmarks(payload.as_ref(), true).await,
            RoomIq::LegacyBookmarks => self.on_bookmarks(payload.as_ref(), false).await,
            RoomIq::LegacyRead => self.on_legacy_read(payload.as_ref()).await,
            RoomIq::LegacyWrite => self.on_legacy_written().await,
        }
    }

    /// The error answer to a room request, by its condition name.
    pub(in crate::session::account) async fn on_room_error(
        &mut self,
        kind: RoomIq,
        condition: String,
    ) {
        let account = self.jid.clone();
        match kind {
            RoomIq::Info { room, join } => {
                // A room that does not exist yet has no info: joining
                // creates it.
                tracing::debug!(account = %account, %room, condition, "No room info");
                if join {
                    self.enter_room(&room).await;
                }
            }
            RoomIq::Config { room }
            | RoomIq::Registration { room }
            | RoomIq::Done { room }
            | RoomIq::Destroy { room }
            | RoomIq::AffiliationList { room, .. } => {
                tracing::info!(account = %account, %room, condition, "A room refused a request");
                self.emit(Event::RoomActionFailed {
                    account,
                    room,
                    error: room_error(&condition),
                });
            }
            RoomIq::Moderate { room } => {
                tracing::info!(account = %account, %room, condition, "A room refused to remove a message");
                self.emit(Event::RoomActionFailed {
                    account,
                    room,
                    error: moderation_error(&condition),
                });
            }
            RoomIq::Quiet { room } | RoomIq::Created { room } => {
                tracing::info!(account = %account, %room, condition, "A room refused a change");
            }
            RoomIq::SelfPing { room } => self.on_self_ping_error(&room, &condition).await,
            RoomIq::Browse { service, request } => {
                self.on_browse_error(service, request, condition);
            }
            RoomIq::ServiceItems { search } => self.on_service_items_error(&search, &condition),
            RoomIq::ServiceInfo { search, service } => {
                self.on_service_info(&search, &service, None);
            }
            RoomIq::Archive { room, query_id, .. } => {
                tracing::info!(account = %account, %room, condition, "The room's archive refused a query");
                self.archive_failed(&room, &query_id);
            }
            RoomIq::AccountInfo => {
                tracing::debug!(account = %account, condition, "No account info");
                self.on_account_info(None).await;
            }
            RoomIq::LegacyRead => self.on_legacy_error(true, &condition).await,
            RoomIq::LegacyWrite => self.on_legacy_error(false, &condition).await,
            RoomIq::Bookmarks => {
                // No bookmarks node yet is simply no bookmarks; any other
                // refusal means no native bookmarks on this server.
                if condition != "item-not-found" {
                    self.rooms.native_bookmarks = false;
                }
                self.on_bookmarks(None, true).await;
            }
            RoomIq::LegacyBookmarks | RoomIq::BookmarkChange { .. } => {
                tracing::info!(account = %account, condition, "A bookmark request failed");
            }
        }
    }

    /// Ask a room about itself again (its configuration changed).
    async fn refresh_room_info(&mut self, room: &BareJid) {
        let id = crate::xmpp::message::new_id();
        self.expect_room_iq(
            id.clone(),
            RoomIq::Info {
                room: room.clone(),
                join: false,
            },
        );
        self.send(disco::info_request(&id, room).into()).await;
    }

    fn emit_form(&self, room: BareJid, payload: Option<&Element>, registration: bool) {
        match admin::form_in(payload) {
            Some(form) => self.emit(Event::RoomForm {
                account: self.jid.clone(),
                room,
                registration,
                form,
            }),
            None => self.emit(Event::RoomActionFailed {
                account: self.jid.clone(),
                room,
                error: RoomError::Other {
                    condition: "bad-request".into(),
                },
            }),
        }
    }

    fn apply_room_info(&mut self, jid: &BareJid, info: directory::RoomInfo) {
        let Some(room) = self.rooms.map.get_mut(jid) else {
            return;
        };
        // The bookmark's name is the user's choice; else the room's own.
        if !(room.summary.bookmarked && room.summary.name.is_some()) && info.name.is_some() {
            room.summary.name = info.name.clone();
        }
        room.summary.members_only = info.members_only;
        room.summary.archived = info.archived;
        room.info = info;
        self.emit_room(jid);
    }

    async fn on_self_ping_error(&mut self, jid: &BareJid, condition: &str) {
        let Some(room) = self.rooms.map.get_mut(jid) else {
            return;
        };
        room.pinging = false;
        match admin::ping_verdict(condition) {
            admin::PingVerdict::Joined => room.last_activity = tokio::time::Instant::now(),
            admin::PingVerdict::Unknown => {}
            admin::PingVerdict::NotJoined if room.pending_nick.is_some() => {}
            admin::PingVerdict::NotJoined => {
                tracing::info!(account = %self.jid, room = %jid, condition,
                    "The room no longer has us; rejoining");
                self.send_join(jid).await;
            }
        }
    }

    /// Forget a room entirely (left and destroyed, or forgotten by the
    /// user here or on another device): its bookmark unless `keep_bookmark`,
    /// its record, and the UI's entry. Its history stays.
    pub(in crate::session::account) async fn forget_room(
        &mut self,
        jid: &BareJid,
        keep_bookmark: bool,
    ) {
        let bookmarked = self.room(jid).is_some_and(|r| r.summary.bookmarked);
        if bookmarked && !keep_bookmark {
            self.retract_bookmark(jid).await;
        }
        self.rooms.map.remove(jid);
        if let Err(error) = self.store.remove_room(self.jid.clone(), jid.clone()).await {
            tracing::error!(account = %self.jid, "Could not forget a room: {error}");
        }
        self.emit(Event::RoomRemoved {
            account: self.jid.clone(),
            room: jid.clone(),
        });
    }
}

/// What a room's refusal to remove a message means: rooms without XEP-0425
/// answer that they do not know the request.
fn moderation_error(condition: &str) -> RoomError {
    match condition {
        "feature-not-implemented" | "service-unavailable" => RoomError::ModerationUnsupported,
        other => room_error(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_to_remove_a_message() {
        assert_eq!(
            moderation_error("feature-not-implemented"),
            RoomError::ModerationUnsupported
        );
        // Not "the room is full", as for a join.
        assert_eq!(
            moderation_error("service-unavailable"),
            RoomError::ModerationUnsupported
        );
        assert_eq!(moderation_error("forbidden"), RoomError::Forbidden);
    }
}
