//! Each account's roster (RFC 6121 §2) and its version for roster
//! versioning (RFC 6121 §2.6).

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::codec::{parse_jid, subscription_from_sql, subscription_to_sql};
use super::{StoreError, StoreHandle};
use crate::model::{BareJid, RosterItem, Subscription};

impl StoreHandle {
    /// The account's roster version and items (ordered by address). Items
    /// whose address no longer parses are skipped with a warning.
    pub async fn roster(
        &self,
        account: BareJid,
    ) -> Result<(Option<String>, Vec<RosterItem>), StoreError> {
        self.read(move |conn| load(conn, &account)).await
    }

    /// Replaces the whole roster (after a full roster fetch).
    pub async fn replace_roster(
        &self,
        account: BareJid,
        ver: Option<String>,
        items: Vec<RosterItem>,
    ) -> Result<(), StoreError> {
        self.write(move |conn| {
            for sql in [
                "DELETE FROM roster_groups WHERE account = ?1",
                "DELETE FROM roster WHERE account = ?1",
            ] {
                conn.prepare_cached(sql)?.execute([account.as_str()])?;
            }
            for item in &items {
                upsert(conn, &account, item)?;
            }
            set_version(conn, &account, ver.as_deref())
        })
        .await
    }

    /// Adds or updates one item (a roster push) and records the new version.
    pub async fn upsert_roster_item(
        &self,
        account: BareJid,
        ver: Option<String>,
        item: RosterItem,
    ) -> Result<(), StoreError> {
        self.write(move |conn| {
            upsert(conn, &account, &item)?;
            set_version(conn, &account, ver.as_deref())
        })
        .await
    }

    /// Removes one item (a roster push with subscription "remove") and
    /// records the new version.
    pub async fn remove_roster_item(
        &self,
        account: BareJid,
        ver: Option<String>,
        jid: BareJid,
    ) -> Result<(), StoreError> {
        self.write(move |conn| {
            conn.prepare_cached("DELETE FROM roster WHERE account = ?1 AND jid = ?2")?
                .execute([account.as_str(), jid.as_str()])?;
            set_version(conn, &account, ver.as_deref())
        })
        .await
    }
}

/// Reads one account's roster.
fn load(
    conn: &Connection,
    account: &BareJid,
) -> Result<(Option<String>, Vec<RosterItem>), StoreError> {
    let ver: Option<String> = conn
        .prepare_cached("SELECT ver FROM roster_versions WHERE account = ?1")?
        .query_map([account.as_str()], |row| row.get(0))?
        .next()
        .transpose()?
        .flatten();

    let mut groups: HashMap<String, Vec<String>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT jid, name FROM roster_groups WHERE account = ?1 ORDER BY jid, name",
    )?;
    for row in stmt.query_map([account.as_str()], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
    })? {
        let (jid, group) = row?;
        groups.entry(jid).or_default().push(group);
    }

    let mut items = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT jid, name, subscription, pending_out FROM roster
         WHERE account = ?1 ORDER BY jid",
    )?;
    let rows = stmt.query_map([account.as_str()], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, Option<String>>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, bool>(3)?,
        ))
    })?;
    for row in rows {
        let (raw_jid, name, subscription, pending_out) = row?;
        let Some(jid) = parse_jid(&raw_jid, "roster.jid") else {
            continue;
        };
        let subscription = subscription_from_sql(&subscription).unwrap_or_else(|| {
            // "none" is the safe reading: it grants nothing.
            tracing::warn!(%account, contact = %jid, subscription, "Could not read a stored subscription");
            Subscription::None
        });
        items.push(RosterItem {
            groups: groups.remove(&raw_jid).unwrap_or_default(),
            jid,
            name,
            subscription,
            pending_out,
        });
    }
    Ok((ver, items))
}

/// Writes one item and its groups.
fn upsert(conn: &Connection, account: &BareJid, item: &RosterItem) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO roster (account, jid, name, subscription, pending_out)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (account, jid) DO UPDATE SET
            name = excluded.name,
            subscription = excluded.subscription,
            pending_out = excluded.pending_out",
    )?
    .execute(params![
        account.as_str(),
        item.jid.as_str(),
        item.name,
        subscription_to_sql(item.subscription),
        item.pending_out,
    ])?;
    conn.prepare_cached("DELETE FROM roster_groups WHERE account = ?1 AND jid = ?2")?
        .execute([account.as_str(), item.jid.as_str()])?;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO roster_groups (account, jid, name) VALUES (?1, ?2, ?3)",
    )?;
    for group in &item.groups {
        insert.execute([account.as_str(), item.jid.as_str(), group])?;
    }
    Ok(())
}

/// Records the roster version the server sent with the latest change.
fn set_version(conn: &Connection, account: &BareJid, ver: Option<&str>) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO roster_versions (account, ver) VALUES (?1, ?2)
         ON CONFLICT (account) DO UPDATE SET ver = excluded.ver",
    )?
    .execute(params![account.as_str(), ver])?;
    Ok(())
}
