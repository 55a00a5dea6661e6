//! Multi-user chat rooms (XEP-0045): the rooms to rejoin and how the user
//! wants to hear from them, and what happens to room messages after they
//! are stored: the room's echo of our own messages, moderation
//! (XEP-0425) and the archive ids used to catch up and scroll back
//! (XEP-0313).
//!
//! Room passwords are never stored here: the keyring or the bookmark on
//! the server holds them.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::{direction_to_sql, notify_from_sql, notify_to_sql, parse_jid, state_to_sql};
use super::messages::{load_message, outgoing, queue_outgoing};
use super::{StoreError, StoreHandle};
use crate::model::{
    BareJid, ChatMessage, DeliveryState, Direction, MessageId, Moderation, RoomMessageInfo,
    RoomNotify, Timestamp,
};

/// One room of an account, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomRecord {
    /// The account that is (or was) in the room.
    pub account: BareJid,
    /// The room's address.
    pub room: BareJid,
    /// Its name, from the bookmark or the room's disco identity.
    pub name: Option<String>,
    /// The nickname to join with; `None` means the account's default.
    pub nick: Option<String>,
    /// Whether the bookmark joins the room when the account comes online.
    pub autojoin: bool,
    /// Whether the room is bookmarked on the server.
    pub bookmarked: bool,
    /// How much of the room's traffic raises notifications.
    pub notify: RoomNotify,
    /// Whether the user wants to be in the room even without a bookmark:
    /// it is rejoined on the next start.
    pub joined: bool,
}

impl StoreHandle {
    /// Every account's rooms, ordered by account and room. Rows whose
    /// address no longer parses are skipped with a warning.
    pub async fn rooms(&self) -> Result<Vec<RoomRecord>, StoreError> {
        self.read(load_rooms).await
    }

    /// The account's room `room`, if it is one (one indexed row: asked on
    /// every message the user sends).
    pub async fn room(
        &self,
        account: BareJid,
        room: BareJid,
    ) -> Result<Option<RoomRecord>, StoreError> {
        self.read(move |conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT account, room, name, nick, autojoin, bookmarked, notify, joined
                     FROM rooms WHERE account = ?1 AND room = ?2",
                )?
                .query_row([account.as_str(), room.as_str()], room_from_row)
                .optional()?
                .flatten())
        })
        .await
    }

    /// Adds the room, or replaces what is stored about the account's room
    /// with the same address.
    pub async fn upsert_room(&self, rec: RoomRecord) -> Result<(), StoreError> {
        self.write(move |conn| upsert(conn, &rec)).await
    }

    /// Forgets the account's room; its messages stay in the history.
    pub async fn remove_room(&self, account: BareJid, room: BareJid) -> Result<(), StoreError> {
        self.write(move |conn| {
            conn.prepare_cached("DELETE FROM rooms WHERE account = ?1 AND room = ?2")?
                .execute([account.as_str(), room.as_str()])?;
            Ok(())
        })
        .await
    }

    /// Stores a message the user wrote in a room under `nick`, with state
    /// `Pending`, and puts it in the outbox, like
    /// [`Self::insert_outgoing`]; it stays there until the room echoes it
    /// back ([`Self::confirm_room_echo`]).
    pub async fn insert_outgoing_room(
        &self,
        account: BareJid,
        room: BareJid,
        nick: String,
        body: String,
        origin_id: String,
        timestamp: Timestamp,
    ) -> Result<ChatMessage, StoreError> {
        let info = RoomMessageInfo {
            nick,
            ..RoomMessageInfo::default()
        };
        let msg = outgoing(account, room, body, origin_id, timestamp, Some(info));
        self.write(move |conn| queue_outgoing(conn, msg)).await
    }

    /// Stores a private message (XEP-0045 §7.5) the user wrote in a room
    /// under the nickname `own_nick` to the occupant `to`, with state
    /// `Pending`, and puts it in the outbox. No echo comes back: the
    /// server's acknowledgement or a receipt takes it out
    /// ([`Self::set_state`], [`Self::mark_delivered`]).
    pub async fn insert_outgoing_private(
        &self,
        account: BareJid,
        room: BareJid,
        (own_nick, to): (String, String),
        body: String,
        origin_id: String,
        timestamp: Timestamp,
    ) -> Result<ChatMessage, StoreError> {
        let info = RoomMessageInfo {
            nick: own_nick,
            private_with: Some(to),
            ..RoomMessageInfo::default()
        };
        let msg = outgoing(account, room, body, origin_id, timestamp, Some(info));
        self.write(move |conn| queue_outgoing(conn, msg)).await
    }

    /// The server id of the room's newest stored message (by timestamp,
    /// then local id) that has one: where to catch up from the room's
    /// archive after a reconnect.
    pub async fn newest_room_archive_id(
        &self,
        account: BareJid,
        room: BareJid,
    ) -> Result<Option<String>, StoreError> {
        self.read(move |conn| {
            archive_id(
                conn,
                "SELECT server_id FROM messages
                 WHERE account = ?1 AND peer = ?2 AND server_id IS NOT NULL
                 ORDER BY timestamp DESC, id DESC LIMIT 1",
                &account,
                &room,
            )
        })
        .await
    }

    /// The server id of the room's oldest stored message (by timestamp,
    /// then local id) that has one: where scroll-back continues in the
    /// room's archive.
    pub async fn oldest_room_archive_id(
        &self,
        account: BareJid,
        room: BareJid,
    ) -> Result<Option<String>, StoreError> {
        self.read(move |conn| {
            archive_id(
                conn,
                "SELECT server_id FROM messages
                 WHERE account = ?1 AND peer = ?2 AND server_id IS NOT NULL
                 ORDER BY timestamp ASC, id ASC LIMIT 1",
                &account,
                &room,
            )
        })
        .await
    }

    /// Our own message came back from the room: finds our outgoing message
    /// of this room with this origin id, marks it `Delivered`, records the
    /// room's `server_id` (when given) and takes it out of the outbox.
    /// Returns its id, or `None` when no outgoing message of ours has this
    /// origin id (the echo is then someone else's message).
    pub async fn confirm_room_echo(
        &self,
        account: BareJid,
        room: BareJid,
        origin_id: String,
        server_id: Option<String>,
    ) -> Result<Option<MessageId>, StoreError> {
        self.write(move |conn| {
            let found: Option<i64> = conn
                .prepare_cached(
                    "SELECT id FROM messages WHERE account = ?1 AND peer = ?2 AND origin_id = ?3
                     AND direction = ?4 ORDER BY id DESC LIMIT 1",
                )?
                .query_row(
                    params![
                        account.as_str(),
                        room.as_str(),
                        origin_id,
                        direction_to_sql(Direction::Outgoing),
                    ],
                    |row| row.get(0),
                )
                .optional()?;
            let Some(id) = found else {
                return Ok(None);
            };
            conn.prepare_cached(
                "UPDATE messages SET state = ?2, server_id = coalesce(?3, server_id)
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                state_to_sql(DeliveryState::Delivered),
                server_id
            ])?;
            conn.prepare_cached("DELETE FROM outbox WHERE message_id = ?1")?
                .execute([id])?;
            Ok(Some(MessageId(id)))
        })
        .await
    }

    /// A moderator removed the room message with this server id: its body
    /// is blanked (and so leaves the search index and the chat preview)
    /// and the moderation recorded. Returns the updated message, or `None`
    /// when no stored message of this room has this server id.
    pub async fn moderate_room_message(
        &self,
        account: BareJid,
        room: BareJid,
        server_id: String,
        moderation: Moderation,
    ) -> Result<Option<ChatMessage>, StoreError> {
        self.write(move |conn| {
            let mut stmt = conn.prepare_cached(
                "UPDATE messages
                 SET body = '', moderated = 1, moderated_by = ?4, moderated_reason = ?5
                 WHERE account = ?1 AND peer = ?2 AND server_id = ?3
                 RETURNING id",
            )?;
            // Every copy loses its text, should there ever be more than one.
            let ids = stmt
                .query_map(
                    params![
                        account.as_str(),
                        room.as_str(),
                        server_id,
                        moderation.by,
                        moderation.reason,
                    ],
                    |row| row.get::<_, i64>(0),
                )?
                .collect::<Result<Vec<_>, _>>()?;
            match ids.into_iter().max() {
                Some(id) => load_message(conn, id),
                None => Ok(None),
            }
        })
        .await
    }
}

/// Runs one of the archive id queries.
fn archive_id(
    conn: &Connection,
    sql: &str,
    account: &BareJid,
    room: &BareJid,
) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached(sql)?
        .query_row([account.as_str(), room.as_str()], |row| row.get(0))
        .optional()?)
}

/// Reads every room.
fn load_rooms(conn: &Connection) -> Result<Vec<RoomRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT account, room, name, nick, autojoin, bookmarked, notify, joined
         FROM rooms ORDER BY account, room",
    )?;
    let mut rooms = Vec::new();
    for row in stmt.query_map([], room_from_row)? {
        if let Some(room) = row? {
            rooms.push(room);
        }
    }
    Ok(rooms)
}

/// Decodes one `rooms` row; `None` when an address does not parse. An
/// unknown notification setting reads as the default.
fn room_from_row(row: &Row<'_>) -> rusqlite::Result<Option<RoomRecord>> {
    let account = parse_jid(&row.get::<_, String>(0)?, "rooms.account");
    let room = parse_jid(&row.get::<_, String>(1)?, "rooms.room");
    let (Some(account), Some(room)) = (account, room) else {
        return Ok(None);
    };
    let value: i64 = row.get(6)?;
    let notify = notify_from_sql(value).unwrap_or_else(|| {
        tracing::warn!(%account, %room, value, "Could not read a room's notification setting");
        RoomNotify::default()
    });
    Ok(Some(RoomRecord {
        account,
        room,
        name: row.get(2)?,
        nick: row.get(3)?,
        autojoin: row.get(4)?,
        bookmarked: row.get(5)?,
        notify,
        joined: row.get(7)?,
    }))
}

/// Inserts or updates one room.
fn upsert(conn: &Connection, rec: &RoomRecord) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO rooms (account, room, name, nick, autojoin, bookmarked, notify, joined)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (account, room) DO UPDATE SET
            name = excluded.name,
            nick = excluded.nick,
            autojoin = excluded.autojoin,
            bookmarked = excluded.bookmarked,
            notify = excluded.notify,
            joined = excluded.joined",
    )?
    .execute(params![
        rec.account.as_str(),
        rec.room.as_str(),
        rec.name,
        rec.nick,
        rec.autojoin,
        rec.bookmarked,
        notify_to_sql(rec.notify),
        rec.joined,
    ])?;
    Ok(())
}
