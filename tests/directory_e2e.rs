//! The public room directory against a real Prosody on 127.0.0.1: finding
//! the server's conference service, listing its rooms a page at a time
//! (with a service that pages, and with Prosody's own all-at-once answer),
//! and a service that cannot be browsed.
//!
//! Warbler's core plays Alice; a raw client creates the rooms. Needs a
//! Secret Service on the session bus (the test command runs one).

mod support;

use std::sync::atomic::{AtomicU32, Ordering};

use support::core::{Client, jid};
use support::muc::room_jid;
use support::prosody::TestServer;
use support::raw_client::RawClient;
use warbler::model::{BareJid, PublicRoomsPage};
use warbler::session::{Command, CoreError, Event};

/// Bob creates rooms `room01` … `roomNN` and stays in them (they are not
/// persistent); returns his client, to keep them open.
async fn create_rooms(server: &TestServer, count: usize) -> RawClient {
    let mut bob = RawClient::connect(server, "bob", "pw-b").await;
    bob.send_initial_presence().await;
    for i in 1..=count {
        let room = room_jid(server, &format!("room{i:02}"));
        bob.join_room(room.as_str(), "Bob").await;
    }
    bob
}

/// Numbers the requests, each answer names its own.
static REQUESTS: AtomicU32 = AtomicU32::new(1);

/// Ask for a page of `service`'s rooms and wait for its answer (by the
/// request's number).
async fn page(alice: &mut Client, service: &BareJid, after: Option<String>) -> PublicRoomsPage {
    let sent = REQUESTS.fetch_add(1, Ordering::Relaxed);
    alice.send(Command::BrowseRooms {
        account: alice.jid.clone(),
        service: service.clone(),
        after,
        request: sent,
    });
    match alice
        .wait(|e| {
            matches!(e, Event::PublicRooms { page, request, .. } if page.service == *service && *request == sent)
        })
        .await
    {
        Event::PublicRooms { page, .. } => page,
        _ => unreachable!("wait returns only what matches"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn finds_the_service_and_pages_its_rooms() {
    let server = TestServer::builder()
        .accounts(&[("alice", "pw-a"), ("bob", "pw-b")])
        .muc(true)
        .room_directory_pages(4)
        .start();
    let bob = create_rooms(&server, 10).await;
    let root = tempfile::tempdir().expect("temp");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;

    alice.send(Command::FindRoomServices {
        account: alice.jid.clone(),
    });
    let event = alice
        .wait(|e| matches!(e, Event::RoomServices { .. }))
        .await;
    let Event::RoomServices { services, .. } = event else {
        unreachable!("wait returns only what matches");
    };
    let service = jid(server.muc_domain());
    assert_eq!(services, vec![service.clone()]);

    // Four, four, two: the service sends fewer than we ask for, and says
    // where each page stands.
    let mut rooms = Vec::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let page = page(&mut alice, &service, after).await;
        pages += 1;
        assert_eq!(page.total, Some(10));
        rooms.extend(page.rooms);
        after = page.next;
        if after.is_none() || pages > 5 {
            break;
        }
    }
    assert_eq!(pages, 3);
    let addresses: Vec<String> = rooms.iter().map(|r| r.jid.to_string()).collect();
    let expected: Vec<String> = (1..=10)
        .map(|i| room_jid(&server, &format!("room{i:02}")).to_string())
        .collect();
    assert_eq!(addresses, expected);
    assert!(rooms.iter().all(|r| r.occupants == Some(1)), "{rooms:?}");

    // The answer is remembered for the session.
    alice.send(Command::FindRoomServices {
        account: alice.jid.clone(),
    });
    alice
        .wait(|e| matches!(e, Event::RoomServices { services, .. } if services.len() == 1))
        .await;

    // A service that does not exist: the failure names it.
    let nowhere = jid("nowhere.localhost");
    alice.send(Command::BrowseRooms {
        account: alice.jid.clone(),
        service: nowhere.clone(),
        after: None,
        request: 7,
    });
    let event = alice
        .wait(|e| {
            matches!(e, Event::PublicRoomsFailed { service, request: 7, .. } if *service == nowhere)
        })
        .await;
    let Event::PublicRoomsFailed { error, .. } = event else {
        unreachable!("wait returns only what matches");
    };
    assert!(
        matches!(error, CoreError::ServerRefused { .. }),
        "{error:?}"
    );

    bob.close().await;
    alice.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_all_rooms_of_a_service_that_does_not_page() {
    let server = TestServer::builder()
        .accounts(&[("alice", "pw-a"), ("bob", "pw-b")])
        .muc(true)
        .start();
    let bob = create_rooms(&server, 5).await;
    let root = tempfile::tempdir().expect("temp");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;

    let page = page(&mut alice, &jid(server.muc_domain()), None).await;
    assert_eq!(page.rooms.len(), 5);
    assert_eq!(page.next, None, "everything at once is the last page");
    assert!(page.rooms.iter().all(|r| r.occupants.is_none()));

    bob.close().await;
    alice.shutdown().await;
}
