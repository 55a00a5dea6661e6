//! Configured accounts. Passwords are not here: the keyring holds them.

use rusqlite::{Connection, Row, params};

use super::codec::{parse_jid, tls_from_sql, tls_to_sql};
use super::{StoreError, StoreHandle};
use crate::model::{BareJid, ServerAddress};

/// One configured account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRecord {
    /// The account's address.
    pub jid: BareJid,
    /// Whether Warbler should connect it.
    pub enabled: bool,
    /// The resource to bind.
    pub resource: String,
    /// Server override; `None` means DNS SRV discovery.
    pub server: Option<ServerAddress>,
    /// SHA-256 fingerprint (hex) of a certificate the user chose to trust
    /// despite failed verification.
    pub trusted_cert_sha256: Option<String>,
}

impl StoreHandle {
    /// All accounts, ordered by address. Rows that no longer parse are
    /// skipped with a warning.
    pub async fn accounts(&self) -> Result<Vec<AccountRecord>, StoreError> {
        self.read(load_accounts).await
    }

    /// Adds the account, or replaces the stored settings of an account with
    /// the same address.
    pub async fn upsert_account(&self, rec: AccountRecord) -> Result<(), StoreError> {
        self.write(move |conn| upsert(conn, &rec)).await
    }

    /// Removes the account together with its roster, messages, chats,
    /// rooms and outbox.
    pub async fn remove_account(&self, jid: BareJid) -> Result<(), StoreError> {
        self.write(move |conn| remove(conn, &jid)).await
    }
}

/// Reads every account.
fn load_accounts(conn: &Connection) -> Result<Vec<AccountRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT jid, enabled, resource, server_host, server_port, server_tls, trusted_cert_sha256
         FROM accounts ORDER BY jid",
    )?;
    let rows = stmt.query_map([], account_from_row)?;
    let mut accounts = Vec::new();
    for row in rows {
        if let Some(account) = row? {
            accounts.push(account);
        }
    }
    Ok(accounts)
}

/// Decodes one `accounts` row; `None` when its address does not parse.
fn account_from_row(row: &Row<'_>) -> rusqlite::Result<Option<AccountRecord>> {
    let jid: String = row.get(0)?;
    let Some(jid) = parse_jid(&jid, "accounts.jid") else {
        return Ok(None);
    };
    let host: Option<String> = row.get(3)?;
    let port: Option<i64> = row.get(4)?;
    let tls: Option<String> = row.get(5)?;
    let server = match (host, port, tls) {
        (None, _, _) => None,
        (Some(host), Some(port), Some(tls)) => {
            match (u16::try_from(port).ok(), tls_from_sql(&tls)) {
                (Some(port), Some(tls)) => Some(ServerAddress { host, port, tls }),
                _ => {
                    // Connecting through SRV is a safe fallback for a bad override.
                    tracing::warn!(account = %jid, "Could not read the stored server address");
                    None
                }
            }
        }
        (Some(_), _, _) => {
            tracing::warn!(account = %jid, "Could not read the stored server address");
            None
        }
    };
    Ok(Some(AccountRecord {
        jid,
        enabled: row.get(1)?,
        resource: row.get(2)?,
        server,
        trusted_cert_sha256: row.get(6)?,
    }))
}

/// Inserts or updates one account.
fn upsert(conn: &Connection, rec: &AccountRecord) -> Result<(), StoreError> {
    let server = rec.server.as_ref();
    conn.prepare_cached(
        "INSERT INTO accounts
            (jid, enabled, resource, server_host, server_port, server_tls, trusted_cert_sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (jid) DO UPDATE SET
            enabled = excluded.enabled,
            resource = excluded.resource,
            server_host = excluded.server_host,
            server_port = excluded.server_port,
            server_tls = excluded.server_tls,
            trusted_cert_sha256 = excluded.trusted_cert_sha256",
    )?
    .execute(params![
        rec.jid.as_str(),
        rec.enabled,
        rec.resource,
        server.map(|s| s.host.as_str()),
        server.map(|s| s.port),
        server.map(|s| tls_to_sql(s.tls)),
        rec.trusted_cert_sha256,
    ])?;
    Ok(())
}

/// Deletes one account and everything stored for it.
fn remove(conn: &Connection, jid: &BareJid) -> Result<(), StoreError> {
    let account = jid.as_str();
    // Children first, so that foreign keys never see an orphan.
    for sql in [
        "DELETE FROM outbox WHERE account = ?1",
        "DELETE FROM chats WHERE account = ?1",
        "DELETE FROM messages WHERE account = ?1",
        "DELETE FROM rooms WHERE account = ?1",
        "DELETE FROM roster_groups WHERE account = ?1",
        "DELETE FROM roster WHERE account = ?1",
        "DELETE FROM roster_versions WHERE account = ?1",
        "DELETE FROM accounts WHERE jid = ?1",
    ] {
        conn.prepare_cached(sql)?.execute([account])?;
    }
    Ok(())
}
