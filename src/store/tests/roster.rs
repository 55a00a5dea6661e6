//! Rosters: full replacement, pushes, versions and groups.

use super::{jid, sql, store};
use crate::model::RosterItem;
use crate::model::Subscription;

/// A roster item with the given groups.
fn item(address: &str, groups: &[&str]) -> RosterItem {
    RosterItem {
        jid: jid(address),
        name: None,
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        subscription: Subscription::To,
        pending_out: false,
    }
}

#[tokio::test]
async fn replace_then_push_then_remove() {
    let store = store();
    let account = jid("alice@example.org");
    assert_eq!(
        store.roster(account.clone()).await.expect("roster"),
        (None, vec![])
    );

    let mut bob = item("bob@example.org", &["Family", "Work"]);
    bob.name = Some("Bob ✓".into());
    let carol = item("carol@example.net", &[]);
    store
        .replace_roster(
            account.clone(),
            Some("1".into()),
            vec![carol.clone(), bob.clone()],
        )
        .await
        .expect("replace");
    assert_eq!(
        store.roster(account.clone()).await.expect("roster"),
        (Some("1".into()), vec![bob.clone(), carol.clone()])
    );

    // A push changes one item and the version.
    bob.groups = vec!["Work".into()];
    bob.subscription = Subscription::Both;
    bob.pending_out = true;
    store
        .upsert_roster_item(account.clone(), Some("2".into()), bob.clone())
        .await
        .expect("push");
    let dave = item("dave@example.com", &["Work"]);
    store
        .upsert_roster_item(account.clone(), Some("3".into()), dave.clone())
        .await
        .expect("push");
    assert_eq!(
        store.roster(account.clone()).await.expect("roster"),
        (Some("3".into()), vec![bob.clone(), carol, dave.clone()])
    );

    store
        .remove_roster_item(account.clone(), Some("4".into()), jid("carol@example.net"))
        .await
        .expect("remove");
    assert_eq!(
        store.roster(account.clone()).await.expect("roster"),
        (Some("4".into()), vec![bob, dave.clone()])
    );

    // A full replacement drops what is not in the new list.
    store
        .replace_roster(account.clone(), None, vec![dave.clone()])
        .await
        .expect("replace");
    assert_eq!(
        store.roster(account.clone()).await.expect("roster"),
        (None, vec![dave])
    );
    // Another account's roster is separate.
    assert_eq!(
        store.roster(jid("bob@example.org")).await.expect("roster"),
        (None, vec![])
    );
}

#[tokio::test]
async fn unreadable_roster_rows_are_skipped_or_defaulted() {
    let store = store();
    let account = jid("alice@example.org");
    store
        .replace_roster(account.clone(), None, vec![item("bob@example.org", &[])])
        .await
        .expect("replace");
    sql(
        &store,
        "INSERT INTO roster (account, jid, subscription, pending_out)
            VALUES ('alice@example.org', '@', 'both', 0);
         UPDATE roster SET subscription = 'sideways' WHERE jid = 'bob@example.org';",
    )
    .await;
    let (_, items) = store.roster(account).await.expect("roster");
    assert_eq!(
        items,
        vec![item("bob@example.org", &[])]
            .into_iter()
            .map(|mut i| {
                i.subscription = Subscription::None;
                i
            })
            .collect::<Vec<_>>()
    );
}
