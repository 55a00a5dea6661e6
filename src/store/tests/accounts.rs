//! Accounts: upsert, listing, removal with everything that belongs to it.

use super::{count, incoming, jid, sql, store};
use crate::model::RosterItem;
use crate::model::{ServerAddress, Subscription, Timestamp, TlsMode};
use crate::store::AccountRecord;

/// An enabled account without server override.
fn account(address: &str) -> AccountRecord {
    AccountRecord {
        jid: jid(address),
        enabled: true,
        resource: "warbler.abc".into(),
        server: None,
        trusted_cert_sha256: None,
    }
}

#[tokio::test]
async fn upsert_lists_and_updates_accounts() {
    let store = store();
    assert!(store.accounts().await.expect("accounts").is_empty());

    let bob = account("bob@example.org");
    let mut alice = account("alice@example.org");
    alice.server = Some(ServerAddress {
        host: "xmpp.example.org".into(),
        port: 5223,
        tls: TlsMode::DirectTls,
    });
    alice.trusted_cert_sha256 = Some("ab12".into());
    store.upsert_account(bob.clone()).await.expect("bob");
    store.upsert_account(alice.clone()).await.expect("alice");
    assert_eq!(
        store.accounts().await.expect("accounts"),
        vec![alice.clone(), bob.clone()]
    );

    alice.enabled = false;
    alice.resource = "laptop".into();
    alice.server = Some(ServerAddress {
        host: "localhost".into(),
        port: 5222,
        tls: TlsMode::StartTls,
    });
    alice.trusted_cert_sha256 = None;
    store.upsert_account(alice.clone()).await.expect("update");
    assert_eq!(store.accounts().await.expect("accounts"), vec![alice, bob]);
}

#[tokio::test]
async fn remove_account_cascades_to_its_data_only() {
    let store = store();
    for address in ["alice@example.org", "bob@example.org"] {
        store
            .upsert_account(account(address))
            .await
            .expect("account");
        let item = RosterItem {
            jid: jid("carol@example.net"),
            name: Some("Carol".into()),
            groups: vec!["Friends".into()],
            subscription: Subscription::Both,
            pending_out: false,
        };
        store
            .replace_roster(jid(address), Some("v1".into()), vec![item])
            .await
            .expect("roster");
        store
            .insert_message(incoming(address, "carol@example.net", "hi", 1))
            .await
            .expect("message");
        store
            .insert_outgoing(
                jid(address),
                jid("carol@example.net"),
                "hello".into(),
                format!("origin-{address}"),
                Timestamp(2),
            )
            .await
            .expect("outgoing");
    }

    store
        .remove_account(jid("alice@example.org"))
        .await
        .expect("remove");

    let accounts = store.accounts().await.expect("accounts");
    assert_eq!(accounts, vec![account("bob@example.org")]);
    let (ver, items) = store
        .roster(jid("alice@example.org"))
        .await
        .expect("roster");
    assert_eq!((ver, items.len()), (None, 0));
    assert!(
        store
            .outbox(jid("alice@example.org"))
            .await
            .expect("outbox")
            .is_empty()
    );
    let history = store
        .history(jid("alice@example.org"), jid("carol@example.net"), None, 10)
        .await
        .expect("history");
    assert!(history.is_empty());
    assert_eq!(count(&store, "SELECT count(*) FROM roster_groups").await, 1);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM messages_search WHERE messages_search MATCH 'hi'"
        )
        .await,
        1
    );

    // Bob's data is untouched.
    let chats = store.chats().await.expect("chats");
    assert_eq!(chats.len(), 1);
    assert_eq!(chats[0].account, jid("bob@example.org"));
    assert_eq!(
        store
            .outbox(jid("bob@example.org"))
            .await
            .expect("outbox")
            .len(),
        1
    );
    let (ver, items) = store.roster(jid("bob@example.org")).await.expect("roster");
    assert_eq!((ver.as_deref(), items.len()), (Some("v1"), 1));
}

#[tokio::test]
async fn unreadable_account_rows_are_skipped() {
    let store = store();
    store
        .upsert_account(account("alice@example.org"))
        .await
        .expect("account");
    // An address that does not parse, and a server row with a bad port.
    sql(
        &store,
        "INSERT INTO accounts (jid, enabled, resource) VALUES ('@', 1, 'r');
         INSERT INTO accounts (jid, enabled, resource, server_host, server_port, server_tls)
            VALUES ('bob@example.org', 1, 'r', 'host', 70000, 'direct');",
    )
    .await;
    let accounts = store.accounts().await.expect("accounts");
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[1].jid, jid("bob@example.org"));
    assert_eq!(accounts[1].server, None);
}
