//! The chat list, unread counts and full-text search.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::{direction_from_sql, parse_jid};
use super::messages::{MESSAGE_COLUMNS, collect_messages, message_from_row};
use super::{StoreError, StoreHandle};
use crate::model::{BareJid, ChatMessage, ChatSummary, RoomSender, Timestamp};

/// Chat list columns, from `chats c` joined with its last message `m`.
const SUMMARY_COLUMNS: &str = "c.account, c.peer, m.body, m.timestamp, c.unread, \
    m.direction, m.nick, m.private_with, m.moderated";

impl StoreHandle {
    /// One entry per chat (account, peer), most recent activity first, read
    /// from the `chats` table without scanning the messages.
    pub async fn chats(&self) -> Result<Vec<ChatSummary>, StoreError> {
        self.read(|conn| {
            let sql = format!(
                "SELECT {SUMMARY_COLUMNS} FROM chats c
                 LEFT JOIN messages m ON m.id = c.last_message_id
                 ORDER BY c.last_timestamp DESC, c.last_message_id DESC"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut chats = Vec::new();
            for row in stmt.query_map([], |row| summary_from_row(row, None))? {
                if let Some(chat) = row? {
                    chats.push(chat);
                }
            }
            Ok(chats)
        })
        .await
    }

    /// The chat list entry of one chat; an empty entry (no last message,
    /// nothing unread) when nothing has been stored for it yet.
    pub async fn chat(&self, account: BareJid, peer: BareJid) -> Result<ChatSummary, StoreError> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT {SUMMARY_COLUMNS} FROM chats c
                 LEFT JOIN messages m ON m.id = c.last_message_id
                 WHERE c.account = ?1 AND c.peer = ?2"
            );
            let found = conn
                .prepare_cached(&sql)?
                .query_row([account.as_str(), peer.as_str()], |row| {
                    summary_from_row(row, Some((&account, &peer)))
                })
                .optional()?
                .flatten();
            Ok(found.unwrap_or_else(|| ChatSummary::empty(account, peer)))
        })
        .await
    }

    /// Marks every message of the chat as read.
    pub async fn mark_read(&self, account: BareJid, peer: BareJid) -> Result<(), StoreError> {
        self.write(move |conn| {
            for sql in [
                "UPDATE messages SET unread = 0 WHERE account = ?1 AND peer = ?2 AND unread = 1",
                "UPDATE chats SET unread = 0 WHERE account = ?1 AND peer = ?2",
            ] {
                conn.prepare_cached(sql)?
                    .execute([account.as_str(), peer.as_str()])?;
            }
            Ok(())
        })
        .await
    }

    /// Full-text search over the account's message bodies, newest first.
    /// Every word of `query` must occur (the last one as a prefix, for
    /// search-as-you-type); the query syntax of FTS5 is not exposed, so any
    /// text is a valid query.
    pub async fn search(
        &self,
        account: BareJid,
        query: String,
        limit: u32,
    ) -> Result<Vec<ChatMessage>, StoreError> {
        self.read(move |conn| {
            let Some(query) = match_expression(&query) else {
                return Ok(Vec::new());
            };
            search(conn, &account, &query, limit)
        })
        .await
    }
}

/// Runs a search with a prepared FTS5 expression.
fn search(
    conn: &Connection,
    account: &BareJid,
    query: &str,
    limit: u32,
) -> Result<Vec<ChatMessage>, StoreError> {
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages_search s JOIN messages m ON m.id = s.rowid
         WHERE messages_search MATCH ?2 AND m.account = ?1
         ORDER BY m.id DESC LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![account.as_str(), query, limit], |row| {
        message_from_row(row, Some(account), None)
    })?;
    collect_messages(rows)
}

/// Turns user text into an FTS5 expression: each word quoted (so that
/// operators and punctuation are taken literally), the last one a prefix.
/// `None` when there is no word to look for.
fn match_expression(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split_whitespace()
        // Punctuation alone is no word to the tokenizer.
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .map(|word| format!("\"{}\"", word.replace('"', "\"\"")))
        .collect();
    if words.is_empty() {
        return None;
    }
    Some(format!("{}*", words.join(" ")))
}

/// Decodes one chat list row; `None` (with a warning) when an address no
/// longer parses.
fn summary_from_row(
    row: &Row<'_>,
    known: Option<(&BareJid, &BareJid)>,
) -> rusqlite::Result<Option<ChatSummary>> {
    let (account, peer) = match known {
        Some((account, peer)) => (Some(account.clone()), Some(peer.clone())),
        None => (
            parse_jid(&row.get::<_, String>(0)?, "chats.account"),
            parse_jid(&row.get::<_, String>(1)?, "chats.peer"),
        ),
    };
    let (Some(account), Some(peer)) = (account, peer) else {
        return Ok(None);
    };
    let unread: i64 = row.get(4)?;
    let direction = row.get::<_, Option<i64>>(5)?.and_then(direction_from_sql);
    let last_sender = match (row.get::<_, Option<String>>(6)?, direction) {
        (Some(nick), Some(direction)) => Some(RoomSender::from_parts(nick, row.get(7)?, direction)),
        _ => None,
    };
    Ok(Some(ChatSummary {
        account,
        peer,
        last_body: row.get(2)?,
        last_timestamp: row.get::<_, Option<i64>>(3)?.map(Timestamp),
        last_sender,
        last_moderated: row.get::<_, Option<bool>>(8)?.unwrap_or(false),
        unread: u32::try_from(unread.max(0)).unwrap_or(u32::MAX),
    }))
}
