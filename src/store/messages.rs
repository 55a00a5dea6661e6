//! Chat messages, one-to-one and in rooms: insertion with
//! de-duplication, delivery states, the outbox and history pages.
//!
//! A room message is a message whose peer is the room, with the room's
//! details ([`RoomMessageInfo`]) in columns of its own; a row is a room
//! message iff its `nick` column is not NULL, and a private message to or
//! from one occupant iff its `private_with` column is not NULL too.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::{direction_from_sql, direction_to_sql, parse_jid, state_from_sql, state_to_sql};
use super::{StoreError, StoreHandle};
use crate::model::{
    BareJid, ChatMessage, DeliveryState, Direction, MessageId, Moderation, RoomMessageInfo,
    Timestamp,
};

/// A message to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// The account that sent or received it.
    pub account: BareJid,
    /// The other party of the chat.
    pub peer: BareJid,
    /// Incoming or outgoing.
    pub direction: Direction,
    /// Plain-text body.
    pub body: String,
    /// When it was sent.
    pub timestamp: Timestamp,
    /// Delivery state.
    pub state: DeliveryState,
    /// The stanza's id attribute.
    pub stanza_id: Option<String>,
    /// XEP-0359 origin-id.
    pub origin_id: Option<String>,
    /// Whether it counts as unread in the chat list.
    pub unread: bool,
    /// In a room: the sender's nickname, occupant id, the room's archive
    /// id and any moderation. `None` for a one-to-one message.
    pub room: Option<RoomMessageInfo>,
}

/// The columns [`message_from_row`] reads, from a table aliased `m`.
pub(super) const MESSAGE_COLUMNS: &str = "m.id, m.account, m.peer, m.direction, m.body, \
    m.timestamp, m.state, m.stanza_id, m.origin_id, m.nick, m.occupant_id, m.server_id, \
    m.moderated, m.moderated_by, m.moderated_reason, m.private_with";

impl StoreHandle {
    /// Stores a message; returns `None` when it is a duplicate. A room
    /// message with a server id (the room's archive id) duplicates the
    /// chat's message with the same server id. Otherwise a message
    /// duplicates one with the same (account, peer, origin_id) when
    /// `origin_id` is `Some`, else one with the same (account, peer,
    /// direction, stanza_id, body) when `stanza_id` is `Some`; a stored
    /// message the room archived under another server id is never a
    /// duplicate. When a room message duplicates a stored one that has no
    /// server id yet (our own message, stored before the room archived
    /// it), the stored one gets this server id. A moderated message is
    /// stored without its body. Updates the chat list (and its unread
    /// count when `msg.unread`).
    pub async fn insert_message(&self, msg: NewMessage) -> Result<Option<ChatMessage>, StoreError> {
        self.write(move |conn| {
            if let Some(id) = find_duplicate(conn, &msg)? {
                if let Some(server_id) = msg.room.as_ref().and_then(|r| r.server_id.as_ref()) {
                    conn.prepare_cached(
                        "UPDATE messages SET server_id = ?2 WHERE id = ?1 AND server_id IS NULL",
                    )?
                    .execute(params![id, server_id])?;
                }
                return Ok(None);
            }
            insert(conn, msg).map(Some)
        })
        .await
    }

    /// The stored message with this id, if any.
    pub async fn message(&self, id: MessageId) -> Result<Option<ChatMessage>, StoreError> {
        self.read(move |conn| load_message(conn, id.0)).await
    }

    /// Stores a message the user wrote, with state `Pending`, and puts it in
    /// the outbox, in one transaction. Its `stanza_id` is `None`: receipts
    /// are matched on the origin id as well. Inserting the same origin id
    /// for the same chat twice returns the stored message unchanged.
    pub async fn insert_outgoing(
        &self,
        account: BareJid,
        peer: BareJid,
        body: String,
        origin_id: String,
        timestamp: Timestamp,
    ) -> Result<ChatMessage, StoreError> {
        let msg = outgoing(account, peer, body, origin_id, timestamp, None);
        self.write(move |conn| queue_outgoing(conn, msg)).await
    }

    /// Sets a message's delivery state; returns whether it changed.
    /// `Sent`, `Delivered` and `Failed` take it out of the outbox. A
    /// `Delivered` message never goes back to `Sent` or `Pending`, nor a
    /// `Failed` one to `Sent` (a late server ack may follow the receipt or
    /// the bounce). An unknown id is ignored.
    pub async fn set_state(&self, id: MessageId, state: DeliveryState) -> Result<bool, StoreError> {
        self.write(move |conn| {
            if !matches!(state, DeliveryState::Pending) {
                conn.prepare_cached("DELETE FROM outbox WHERE message_id = ?1")?
                    .execute([id.0])?;
            }
            let updated = conn
                .prepare_cached(
                    "UPDATE messages SET state = ?2
                     WHERE id = ?1 AND NOT (state = ?3 AND ?2 IN (?4, ?5))
                     AND NOT (state = ?6 AND ?2 = ?4)",
                )?
                .execute(params![
                    id.0,
                    state_to_sql(state),
                    state_to_sql(DeliveryState::Delivered),
                    state_to_sql(DeliveryState::Sent),
                    state_to_sql(DeliveryState::Pending),
                    state_to_sql(DeliveryState::Failed),
                ])?;
            if updated == 0 {
                tracing::debug!(id = id.0, ?state, "Message state left unchanged");
            }
            Ok(updated > 0)
        })
        .await
    }

    /// Applies a delivery receipt (XEP-0184) for our outgoing message in
    /// this chat whose stanza id or origin id is `stanza_id`: marks it
    /// `Delivered`, takes it out of the outbox and returns its id.
    pub async fn mark_delivered(
        &self,
        account: BareJid,
        peer: BareJid,
        stanza_id: String,
    ) -> Result<Option<MessageId>, StoreError> {
        self.write(move |conn| {
            let mut found = None;
            // Two lookups, each on its own index, rather than an OR.
            for sql in [
                "SELECT id FROM messages WHERE account = ?1 AND peer = ?2 AND stanza_id = ?3
                 AND direction = ?4 ORDER BY id DESC LIMIT 1",
                "SELECT id FROM messages WHERE account = ?1 AND peer = ?2 AND origin_id = ?3
                 AND direction = ?4 ORDER BY id DESC LIMIT 1",
            ] {
                let id: Option<i64> = conn
                    .prepare_cached(sql)?
                    .query_row(
                        params![
                            account.as_str(),
                            peer.as_str(),
                            stanza_id,
                            direction_to_sql(Direction::Outgoing)
                        ],
                        |row| row.get(0),
                    )
                    .optional()?;
                found = found.max(id);
            }
            let Some(id) = found else {
                return Ok(None);
            };
            conn.prepare_cached("UPDATE messages SET state = ?2 WHERE id = ?1")?
                .execute(params![id, state_to_sql(DeliveryState::Delivered)])?;
            conn.prepare_cached("DELETE FROM outbox WHERE message_id = ?1")?
                .execute([id])?;
            Ok(Some(MessageId(id)))
        })
        .await
    }

    /// The account's messages still waiting to be sent, oldest first.
    pub async fn outbox(&self, account: BareJid) -> Result<Vec<ChatMessage>, StoreError> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT {MESSAGE_COLUMNS} FROM outbox o JOIN messages m ON m.id = o.message_id
                 WHERE o.account = ?1 ORDER BY o.message_id"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([account.as_str()], |row| {
                message_from_row(row, Some(&account), None)
            })?;
            collect_messages(rows)
        })
        .await
    }

    /// A page of a chat's history: the newest `limit` messages sent before
    /// `before` (or the newest overall), ordered oldest first. Order is by
    /// the second sent, then local id: archived pages fetched later still
    /// fall into place, and within a second (archives stamp whole seconds)
    /// messages keep the order they arrived in.
    pub async fn history(
        &self,
        account: BareJid,
        peer: BareJid,
        before: Option<MessageId>,
        limit: u32,
    ) -> Result<Vec<ChatMessage>, StoreError> {
        self.read(move |conn| {
            let (stamp, id) = match before {
                None => (i64::MAX, i64::MAX),
                Some(id) => history_position(conn, id)?.unwrap_or((i64::MAX, id.0)),
            };
            let sql = format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages m
                 WHERE m.account = ?1 AND m.peer = ?2 AND (m.timestamp / 1000, m.id) < (?3, ?4)
                 ORDER BY m.timestamp / 1000 DESC, m.id DESC LIMIT ?5"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(
                params![account.as_str(), peer.as_str(), stamp, id, limit],
                |row| message_from_row(row, Some(&account), Some(&peer)),
            )?;
            let mut page = collect_messages(rows)?;
            page.reverse();
            Ok(page)
        })
        .await
    }

    /// The chat's oldest unread message, where a reader opening it starts,
    /// and how many messages there are from it to the newest (it
    /// included); `None` when nothing is unread, or when more than
    /// `within` unread messages, or messages from the oldest unread one
    /// on, would have to be read to tell.
    pub async fn oldest_unread(
        &self,
        account: BareJid,
        peer: BareJid,
        within: u32,
    ) -> Result<Option<(MessageId, u32)>, StoreError> {
        self.read(move |conn| {
            let (account, peer) = (account.as_str(), peer.as_str());
            // Counted first, and bounded: after a flood of thousands, the
            // ordering below would sort every one of them.
            let unread: u32 = conn
                .prepare_cached(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM messages
                     WHERE account = ?1 AND peer = ?2 AND unread = 1 LIMIT ?3)",
                )?
                .query_row(params![account, peer, within + 1], |row| row.get(0))?;
            if unread == 0 || unread > within {
                return Ok(None);
            }
            // Through the unread index, sorting the few unread rows: by
            // the history index, which has the order already, SQLite walked
            // the whole chat up to the first unread one (10 ms in a chat of
            // 100,000 messages).
            let (stamp, id): (i64, i64) = conn
                .prepare_cached(
                    "SELECT timestamp / 1000, id FROM messages INDEXED BY messages_unread
                     WHERE account = ?1 AND peer = ?2 AND unread = 1
                     ORDER BY timestamp / 1000, id LIMIT 1",
                )?
                .query_row(params![account, peer], |row| Ok((row.get(0)?, row.get(1)?)))?;
            // The same order and index as `history`, read forwards from
            // there. (SQLite bounds an index range by the separate
            // `timestamp / 1000 >= ?3`, not by the row value.)
            let span: u32 = conn
                .prepare_cached(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM messages m
                     WHERE m.account = ?1 AND m.peer = ?2
                       AND m.timestamp / 1000 >= ?3 AND (m.timestamp / 1000, m.id) >= (?3, ?4)
                     LIMIT ?5)",
                )?
                .query_row(params![account, peer, stamp, id, within + 1], |row| {
                    row.get(0)
                })?;
            Ok((span <= within).then_some((MessageId(id), span)))
        })
        .await
    }
}

/// Where message `id` stands in history order, `(timestamp / 1000, id)`;
/// `None` if there is no such message.
fn history_position(conn: &Connection, id: MessageId) -> rusqlite::Result<Option<(i64, i64)>> {
    conn.prepare_cached("SELECT timestamp / 1000, id FROM messages WHERE id = ?1")?
        .query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()
}

/// A message the user writes, waiting to be sent.
pub(super) fn outgoing(
    account: BareJid,
    peer: BareJid,
    body: String,
    origin_id: String,
    timestamp: Timestamp,
    room: Option<RoomMessageInfo>,
) -> NewMessage {
    NewMessage {
        account,
        peer,
        direction: Direction::Outgoing,
        body,
        timestamp,
        state: DeliveryState::Pending,
        stanza_id: None,
        origin_id: Some(origin_id),
        unread: false,
        room,
    }
}

/// Stores an outgoing message and puts it in the outbox; returns the
/// stored message unchanged when its origin id is already stored.
pub(super) fn queue_outgoing(
    conn: &Connection,
    msg: NewMessage,
) -> Result<ChatMessage, StoreError> {
    if let Some(id) = find_duplicate(conn, &msg)? {
        tracing::debug!(account = %msg.account, "Outgoing message already stored");
        return load_message(conn, id)?
            .ok_or_else(|| StoreError::Unreadable(format!("message {id}")));
    }
    let stored = insert(conn, msg)?;
    conn.prepare_cached("INSERT INTO outbox (message_id, account) VALUES (?1, ?2)")?
        .execute(params![stored.id.0, stored.account.as_str()])?;
    Ok(stored)
}

/// The id of a stored message that `msg` duplicates, if any (the rules
/// are those of [`StoreHandle::insert_message`]).
fn find_duplicate(conn: &Connection, msg: &NewMessage) -> Result<Option<i64>, StoreError> {
    let server_id = msg.room.as_ref().and_then(|room| room.server_id.as_deref());
    if let Some(server_id) = server_id {
        let found = conn
            .prepare_cached(
                "SELECT id FROM messages WHERE account = ?1 AND peer = ?2 AND server_id = ?3
                 LIMIT 1",
            )?
            .query_row(
                params![msg.account.as_str(), msg.peer.as_str(), server_id],
                |row| row.get(0),
            )
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    // Origin ids are chosen by the sender's client, so in a room anyone
    // could reuse one: a message the room archived under another server
    // id is another message, whatever its origin id says.
    let found = if let Some(origin_id) = &msg.origin_id {
        conn.prepare_cached(
            "SELECT id FROM messages WHERE account = ?1 AND peer = ?2 AND origin_id = ?3
             AND (?4 IS NULL OR server_id IS NULL) LIMIT 1",
        )?
        .query_row(
            params![
                msg.account.as_str(),
                msg.peer.as_str(),
                origin_id,
                server_id
            ],
            |row| row.get(0),
        )
        .optional()?
    } else if let Some(stanza_id) = &msg.stanza_id {
        conn.prepare_cached(
            "SELECT id FROM messages WHERE account = ?1 AND peer = ?2 AND stanza_id = ?3
             AND direction = ?4 AND body = ?5 AND (?6 IS NULL OR server_id IS NULL) LIMIT 1",
        )?
        .query_row(
            params![
                msg.account.as_str(),
                msg.peer.as_str(),
                stanza_id,
                direction_to_sql(msg.direction),
                msg.body,
                server_id,
            ],
            |row| row.get(0),
        )
        .optional()?
    } else {
        None
    };
    Ok(found)
}

/// Inserts a message and updates its chat's entry in the chat list.
fn insert(conn: &Connection, mut msg: NewMessage) -> Result<ChatMessage, StoreError> {
    if msg
        .room
        .as_ref()
        .is_some_and(|room| room.moderated.is_some())
    {
        // A moderator removed it: its text must not be kept anywhere.
        msg.body.clear();
    }
    let room = msg.room.as_ref();
    let moderation = room.and_then(|room| room.moderated.as_ref());
    let id = conn
        .prepare_cached(
            "INSERT INTO messages
                (account, peer, direction, body, timestamp, state, stanza_id, origin_id, unread,
                 nick, occupant_id, server_id, moderated, moderated_by, moderated_reason,
                 private_with)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )?
        .insert(params![
            msg.account.as_str(),
            msg.peer.as_str(),
            direction_to_sql(msg.direction),
            msg.body,
            msg.timestamp.0,
            state_to_sql(msg.state),
            msg.stanza_id,
            msg.origin_id,
            msg.unread,
            room.map(|room| room.nick.as_str()),
            room.and_then(|room| room.occupant_id.as_deref()),
            room.and_then(|room| room.server_id.as_deref()),
            moderation.is_some(),
            moderation.and_then(|m| m.by.as_deref()),
            moderation.and_then(|m| m.reason.as_deref()),
            room.and_then(|room| room.private_with.as_deref()),
        ])?;
    // The chat's last message is the newest by timestamp, so that old
    // messages fetched from the archive do not replace the preview.
    conn.prepare_cached(
        "INSERT INTO chats (account, peer, last_message_id, last_timestamp, unread)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (account, peer) DO UPDATE SET
            last_message_id = CASE WHEN excluded.last_timestamp >= chats.last_timestamp
                THEN excluded.last_message_id ELSE chats.last_message_id END,
            last_timestamp = max(chats.last_timestamp, excluded.last_timestamp),
            unread = chats.unread + excluded.unread",
    )?
    .execute(params![
        msg.account.as_str(),
        msg.peer.as_str(),
        id,
        msg.timestamp.0,
        i64::from(msg.unread),
    ])?;
    Ok(ChatMessage {
        id: MessageId(id),
        account: msg.account,
        peer: msg.peer,
        direction: msg.direction,
        body: msg.body,
        timestamp: msg.timestamp,
        state: msg.state,
        stanza_id: msg.stanza_id,
        origin_id: msg.origin_id,
        room: msg.room.map(Box::new),
    })
}

/// Reads one message by id.
pub(super) fn load_message(conn: &Connection, id: i64) -> Result<Option<ChatMessage>, StoreError> {
    let sql = format!("SELECT {MESSAGE_COLUMNS} FROM messages m WHERE m.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], |row| message_from_row(row, None, None))
        .optional()?
        .flatten())
}

/// Decodes a row of [`MESSAGE_COLUMNS`]; `None` (with a warning) when a
/// column holds a value this version cannot read. `account` and `peer`
/// avoid re-parsing addresses the caller already knows.
pub(super) fn message_from_row(
    row: &Row<'_>,
    account: Option<&BareJid>,
    peer: Option<&BareJid>,
) -> rusqlite::Result<Option<ChatMessage>> {
    let id: i64 = row.get(0)?;
    let account = match account {
        Some(account) => Some(account.clone()),
        None => parse_jid(&row.get::<_, String>(1)?, "messages.account"),
    };
    let peer = match peer {
        Some(peer) => Some(peer.clone()),
        None => parse_jid(&row.get::<_, String>(2)?, "messages.peer"),
    };
    let direction = direction_from_sql(row.get(3)?);
    let state = state_from_sql(row.get(6)?);
    let (Some(account), Some(peer), Some(direction), Some(state)) =
        (account, peer, direction, state)
    else {
        tracing::warn!(id, "Could not read a stored message; skipping it");
        return Ok(None);
    };
    let room = match row.get::<_, Option<String>>(9)? {
        None => None,
        Some(nick) => Some(RoomMessageInfo {
            nick,
            occupant_id: row.get(10)?,
            server_id: row.get(11)?,
            moderated: if row.get(12)? {
                Some(Moderation {
                    by: row.get(13)?,
                    reason: row.get(14)?,
                })
            } else {
                None
            },
            private_with: row.get(15)?,
        }),
    };
    Ok(Some(ChatMessage {
        id: MessageId(id),
        account,
        peer,
        direction,
        body: row.get(4)?,
        timestamp: Timestamp(row.get(5)?),
        state,
        stanza_id: row.get(7)?,
        origin_id: row.get(8)?,
        room: room.map(Box::new),
    }))
}

/// Collects decoded rows, dropping the unreadable ones.
pub(super) fn collect_messages(
    rows: impl Iterator<Item = rusqlite::Result<Option<ChatMessage>>>,
) -> Result<Vec<ChatMessage>, StoreError> {
    let mut messages = Vec::new();
    for row in rows {
        if let Some(message) = row? {
            messages.push(message);
        }
    }
    Ok(messages)
}
