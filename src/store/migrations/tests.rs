//! One test per migration: it applies to the previous version, and the
//! data stored at that version survives it. Plus the runner's own rules.

use rusqlite::Connection;

use super::{LATEST, migrate, migrate_to, version};
use crate::store::StoreError;

/// An empty database migrated up to `target`.
fn at_version(target: i64) -> Connection {
    let mut conn = Connection::open_in_memory().expect("open");
    conn.pragma_update(None, "foreign_keys", true)
        .expect("pragma");
    migrate_to(&mut conn, target).expect("migrate");
    assert_eq!(version(&conn).expect("version"), target);
    conn
}

/// Names of the tables, indexes and triggers in the schema.
fn schema(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        .expect("prepare");
    stmt.query_map([], |row| row.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// Counts rows of one query.
fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |row| row.get(0)).expect("count")
}

#[test]
fn an_empty_database_migrates_to_the_latest_version() {
    let mut conn = Connection::open_in_memory().expect("open");
    migrate(&mut conn).expect("migrate");
    assert_eq!(version(&conn).expect("version"), LATEST);
    // Migrating again is a no-op.
    migrate(&mut conn).expect("migrate again");
    assert_eq!(version(&conn).expect("version"), LATEST);
}

#[test]
fn a_newer_database_is_refused() {
    let mut conn = Connection::open_in_memory().expect("open");
    conn.pragma_update(None, "user_version", LATEST + 1)
        .expect("version");
    assert_eq!(
        migrate(&mut conn),
        Err(StoreError::TooNew {
            found: LATEST + 1,
            supported: LATEST
        })
    );
}

#[test]
fn v1_creates_accounts_and_rosters() {
    let conn = at_version(1);
    let names = schema(&conn);
    for table in ["accounts", "roster", "roster_groups", "roster_versions"] {
        assert!(names.iter().any(|n| n == table), "{table} missing");
    }
    // Groups go with their roster item.
    conn.execute_batch(
        "INSERT INTO roster VALUES ('a@x', 'b@x', NULL, 'both', 0);
         INSERT INTO roster_groups VALUES ('a@x', 'b@x', 'Friends');
         DELETE FROM roster;",
    )
    .expect("insert");
    assert_eq!(count(&conn, "SELECT count(*) FROM roster_groups"), 0);
}

#[test]
fn v2_keeps_version_1_data_and_adds_messages() {
    let mut conn = at_version(1);
    conn.execute_batch(
        "INSERT INTO accounts VALUES ('a@x', 1, 'res', 'host', 5223, 'direct', 'ab');
         INSERT INTO roster_versions VALUES ('a@x', 'v7');
         INSERT INTO roster VALUES ('a@x', 'b@x', 'Bob', 'to', 1);
         INSERT INTO roster_groups VALUES ('a@x', 'b@x', 'Friends');",
    )
    .expect("version 1 data");
    migrate_to(&mut conn, 2).expect("migrate");

    let account: (String, bool, String, String, i64, String, String) = conn
        .query_row("SELECT * FROM accounts", [], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .expect("account");
    assert_eq!(
        account,
        (
            "a@x".into(),
            true,
            "res".into(),
            "host".into(),
            5223,
            "direct".into(),
            "ab".into()
        )
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM roster_versions WHERE ver = 'v7'"
        ),
        1
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM roster WHERE name = 'Bob' AND pending_out"
        ),
        1
    );
    assert_eq!(count(&conn, "SELECT count(*) FROM roster_groups"), 1);
    let names = schema(&conn);
    for name in ["messages", "chats", "outbox", "messages_by_chat"] {
        assert!(names.iter().any(|n| n == name), "{name} missing");
    }
}

#[test]
fn v3_keeps_version_2_data_and_indexes_it_for_search() {
    let mut conn = at_version(2);
    conn.execute_batch(
        "INSERT INTO accounts (jid, enabled, resource) VALUES ('a@x', 1, 'res');
         INSERT INTO messages (account, peer, direction, body, timestamp, state, origin_id, unread)
            VALUES ('a@x', 'b@x', 0, 'an early message', 1, 4, 'o1', 1),
                   ('a@x', 'b@x', 1, 'a pending reply', 2, 0, 'o2', 0);
         INSERT INTO chats VALUES ('a@x', 'b@x', 2, 2, 1);
         INSERT INTO outbox VALUES (2, 'a@x');",
    )
    .expect("version 2 data");
    migrate_to(&mut conn, 3).expect("migrate");

    assert_eq!(count(&conn, "SELECT count(*) FROM accounts"), 1);
    assert_eq!(count(&conn, "SELECT count(*) FROM messages"), 2);
    assert_eq!(
        count(&conn, "SELECT count(*) FROM chats WHERE unread = 1"),
        1
    );
    assert_eq!(count(&conn, "SELECT count(*) FROM outbox"), 1);
    let search = "SELECT rowid FROM messages_search WHERE messages_search MATCH 'early'";
    assert_eq!(count(&conn, search), 1);
    // New, changed and deleted messages keep the index in step.
    conn.execute_batch(
        "INSERT INTO messages (account, peer, direction, body, timestamp, state)
            VALUES ('a@x', 'b@x', 0, 'later words', 3, 4);
         UPDATE messages SET body = 'corrected words' WHERE id = 1;
         DELETE FROM messages WHERE id = 2;",
    )
    .expect("changes");
    let matches = |word: &str| {
        count(
            &conn,
            &format!("SELECT count(*) FROM messages_search WHERE messages_search MATCH '{word}'"),
        )
    };
    assert_eq!(
        (
            matches("later"),
            matches("early"),
            matches("corrected"),
            matches("pending")
        ),
        (1, 0, 1, 0)
    );
}

#[test]
fn v4_keeps_version_3_data_and_adds_rooms() {
    let mut conn = at_version(3);
    conn.execute_batch(
        "INSERT INTO accounts (jid, enabled, resource) VALUES ('a@x', 1, 'res');
         INSERT INTO messages (account, peer, direction, body, timestamp, state, origin_id, unread)
            VALUES ('a@x', 'b@x', 0, 'an early message', 1, 4, 'o1', 1),
                   ('a@x', 'b@x', 1, 'a pending reply', 2, 0, 'o2', 0);
         INSERT INTO chats VALUES ('a@x', 'b@x', 2, 2, 1);
         INSERT INTO outbox VALUES (2, 'a@x');",
    )
    .expect("version 3 data");
    migrate_to(&mut conn, 4).expect("migrate");

    assert_eq!(count(&conn, "SELECT count(*) FROM accounts"), 1);
    assert_eq!(count(&conn, "SELECT count(*) FROM outbox"), 1);
    assert_eq!(
        count(&conn, "SELECT count(*) FROM chats WHERE unread = 1"),
        1
    );
    // Existing messages are one-to-one messages: no room columns set.
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM messages WHERE nick IS NULL AND occupant_id IS NULL
             AND server_id IS NULL AND moderated = 0 AND moderated_by IS NULL
             AND moderated_reason IS NULL"
        ),
        2
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM messages_search WHERE messages_search MATCH 'early'"
        ),
        1
    );
    let names = schema(&conn);
    for name in ["rooms", "messages_by_server_id", "messages_by_archive_time"] {
        assert!(names.iter().any(|n| n == name), "{name} missing");
    }
    // One row per account and room; there is no password column.
    conn.execute_batch(
        "INSERT INTO rooms VALUES ('a@x', 'r@muc.x', 'Room', 'me', 1, 1, 1, 0);
         INSERT INTO rooms VALUES ('b@x', 'r@muc.x', NULL, NULL, 0, 0, 2, 1);",
    )
    .expect("rooms");
    assert!(
        conn.execute_batch("INSERT INTO rooms VALUES ('a@x', 'r@muc.x', NULL, NULL, 0, 0, 0, 0)")
            .is_err()
    );
    let password_columns = count(
        &conn,
        "SELECT count(*) FROM pragma_table_info('rooms') WHERE name LIKE '%pass%'",
    );
    assert_eq!(password_columns, 0);
}

#[test]
fn v6_keeps_version_5_data_and_marks_no_message_private() {
    let mut conn = at_version(5);
    conn.execute_batch(
        "INSERT INTO accounts (jid, enabled, resource) VALUES ('a@x', 1, 'res');
         INSERT INTO messages (account, peer, direction, body, timestamp, state, origin_id,
                               unread, nick, server_id)
            VALUES ('a@x', 'b@x', 0, 'a direct message', 1, 4, 'o1', 1, NULL, NULL),
                   ('a@x', 'r@muc.x', 0, 'to the whole room', 2, 4, 'o2', 1, 'bob', 's2'),
                   ('a@x', 'r@muc.x', 1, 'a pending reply', 3, 0, 'o3', 0, 'me', NULL);
         INSERT INTO chats VALUES ('a@x', 'r@muc.x', 3, 3, 1);
         INSERT INTO outbox VALUES (3, 'a@x');",
    )
    .expect("version 5 data");
    migrate_to(&mut conn, 6).expect("migrate");

    assert_eq!(count(&conn, "SELECT count(*) FROM messages"), 3);
    assert_eq!(count(&conn, "SELECT count(*) FROM outbox"), 1);
    assert_eq!(
        count(&conn, "SELECT count(*) FROM messages WHERE nick = 'bob'"),
        1
    );
    // Nothing stored before private messages existed is private.
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM messages WHERE private_with IS NULL"
        ),
        3
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM messages_search WHERE messages_search MATCH 'room'"
        ),
        1
    );
    conn.execute_batch(
        "INSERT INTO messages (account, peer, direction, body, timestamp, state, nick,
                               private_with)
            VALUES ('a@x', 'r@muc.x', 0, 'psst', 4, 4, 'bob', 'bob');",
    )
    .expect("a private message");
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM messages WHERE private_with = 'bob'"
        ),
        1
    );
}
