//! Bookmarks on a server that keeps only legacy ones (XEP-0048 in private
//! XML storage, no XEP-0402): a room bookmarked on one device is joined on
//! the next one to sign in, a nickname change reaches the bookmark, leaving
//! or destroying removes it, changes made together are all written, and
//! nothing else in the storage is lost on the way.

use std::collections::HashSet;
use std::time::Duration;

use warbler::model::RoomState;
use warbler::session::{Command, Event};
use xmpp_parsers::minidom::Element;

use crate::support::core::Client;
use crate::support::muc::room_jid;
use crate::support::prosody::TestServer;
use crate::support::raw_client::RawClient;

const PRIVATE: &str = "jabber:iq:private";
const STORAGE: &str = "storage:bookmarks";

/// The account's legacy bookmark storage, as another client reads it.
async fn storage(own: &mut RawClient) -> Element {
    let answer = own
        .iq(
            "get",
            None,
            "<query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'/></query>",
        )
        .await;
    assert_eq!(
        answer.attr("type"),
        Some("result"),
        "{}",
        String::from(&answer)
    );
    answer
        .get_child("query", PRIVATE)
        .and_then(|q| q.get_child("storage", STORAGE))
        .cloned()
        .expect("a bookmark storage")
}

/// The stored conference of `room`, if any.
fn conference<'a>(storage: &'a Element, room: &str) -> Option<&'a Element> {
    storage
        .children()
        .find(|c| c.is("conference", STORAGE) && c.attr("jid") == Some(room))
}

/// Poll the storage (up to 5 s) until `want` holds; returns it then.
async fn storage_until(own: &mut RawClient, want: impl Fn(&Element) -> bool) -> Element {
    for _ in 0..20 {
        let stored = storage(own).await;
        if want(&stored) {
            return stored;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!(
        "the storage never changed: {}",
        String::from(&storage(own).await)
    );
}

/// What another client left in the storage and must find there again.
fn foreign_entries_kept(storage: &Element) {
    let url = storage
        .children()
        .find(|c| c.is("url", STORAGE))
        .expect("the other client's link is kept");
    assert_eq!(url.attr("url"), Some("https://example.org/notes"));
    let elsewhere =
        conference(storage, "elsewhere@conference.localhost").expect("the other room is kept");
    assert_eq!(elsewhere.attr("pinned"), Some("yes"));
    assert!(elsewhere.get_child("state", "urn:example:client").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn legacy_bookmarks_follow_the_user_across_devices() {
    let server = TestServer::builder()
        .accounts(&[("alice", "pw-a"), ("bob", "pw-b")])
        .native_bookmarks(false)
        .start();
    let root = tempfile::tempdir().expect("temp");
    let room = room_jid(&server, "legacy");
    let room_str = room.to_string();

    // Another client's entries: a link, and a room it does not join, with
    // an attribute and an extension of its own.
    let mut own = RawClient::connect(&server, "alice", "pw-a").await;
    let stored = own
        .iq(
            "set",
            None,
            "<query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'>\
             <url name='Notes' url='https://example.org/notes'/>\
             <conference jid='elsewhere@conference.localhost' autojoin='false' pinned='yes'>\
             <nick>A</nick><state xmlns='urn:example:client' open='1'/></conference>\
             </storage></query>",
        )
        .await;
    assert_eq!(stored.attr("type"), Some("result"));
    let mut bob = RawClient::connect(&server, "bob", "pw-b").await;
    bob.join_room(room.as_str(), "Bob").await;

    // The laptop joins with a bookmark: it lands in the legacy storage.
    let laptop_root = root.path().join("laptop");
    let mut laptop = Client::sign_in(&server, &laptop_root, "alice", "pw-a").await;
    let joined = laptop.join_room(&room, "Alice").await;
    assert!(joined.bookmarked && joined.autojoin);
    let stored = storage_until(&mut own, |s| conference(s, &room_str).is_some()).await;
    let ours = conference(&stored, &room_str).expect("our bookmark");
    assert_eq!(ours.attr("autojoin"), Some("true"));
    assert_eq!(
        ours.get_child("nick", STORAGE)
            .map(Element::text)
            .as_deref(),
        Some("Alice")
    );
    foreign_entries_kept(&stored);

    // A new nickname reaches the bookmark.
    laptop.send(Command::SetRoomNick {
        account: laptop.jid.clone(),
        room: room.clone(),
        nick: "Alicia".into(),
    });
    let stored = storage_until(&mut own, |s| {
        conference(s, &room_str)
            .and_then(|c| c.get_child("nick", STORAGE))
            .is_some_and(|n| n.text() == "Alicia")
    })
    .await;
    foreign_entries_kept(&stored);

    // The phone, signing in afterwards, joins the room by itself.
    let phone_root = root.path().join("phone");
    let mut phone = Client::sign_in(&server, &phone_root, "alice", "pw-a").await;
    let there = phone.room_state(&room, |s| *s == RoomState::Joined).await;
    assert!(there.bookmarked && there.autojoin);
    assert_eq!(there.nick, "Alicia");
    phone.shutdown().await;

    // Leaving on the laptop removes the bookmark, and only it.
    laptop.send(Command::LeaveRoom {
        account: laptop.jid.clone(),
        room: room.clone(),
        forget: true,
    });
    laptop
        .wait(|e| matches!(e, Event::RoomRemoved { room: r, .. } if *r == room))
        .await;
    let stored = storage_until(&mut own, |s| conference(s, &room_str).is_none()).await;
    foreign_entries_kept(&stored);

    // The phone's next sign-in no longer has the room.
    let mut phone = Client::sign_in_again(&server, &phone_root, "alice").await;
    phone
        .wait(|e| matches!(e, Event::RoomRemoved { room: r, .. } if *r == room))
        .await;
    foreign_entries_kept(&storage(&mut own).await);
    phone.shutdown().await;

    // Two rooms bookmarked at once: the second write waits for the first
    // and neither is lost. Destroying one removes its bookmark.
    let first = room_jid(&server, "first");
    let second = room_jid(&server, "second");
    for room in [&first, &second] {
        laptop.send(Command::JoinRoom {
            account: laptop.jid.clone(),
            room: room.clone(),
            nick: Some("Alice".into()),
            password: None,
            bookmark: true,
            instant: true,
        });
    }
    let mut joined = HashSet::new();
    while joined.len() < 2 {
        if let Event::RoomUpdated { room } = laptop
            .wait(|e| matches!(e, Event::RoomUpdated { room } if room.state == RoomState::Joined))
            .await
        {
            joined.insert(room.room.clone());
        }
    }
    let (first_str, second_str) = (first.to_string(), second.to_string());
    storage_until(&mut own, |s| {
        conference(s, &first_str).is_some() && conference(s, &second_str).is_some()
    })
    .await;
    laptop.send(Command::DestroyRoom {
        account: laptop.jid.clone(),
        room: first.clone(),
        reason: None,
        alternative: None,
    });
    let stored = storage_until(&mut own, |s| conference(s, &first_str).is_none()).await;
    assert!(conference(&stored, &second_str).is_some());
    foreign_entries_kept(&stored);

    laptop.shutdown().await;
    bob.close().await;
    own.close().await;
}
