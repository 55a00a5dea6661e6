//! The core against a real Prosody on 127.0.0.1, driven through the public
//! API: contacts, presence, messages, receipts, carbons, the outbox across
//! restarts, and recovery from a server restart.
//!
//! Needs a Secret Service on the session bus (the test command runs one).

mod support;

use std::time::Duration;

use support::core::{Client, address, befriend, body_of, jid, start_core};
use support::prosody::TestServer;
use support::raw_client::RawClient;
use warbler::model::{ConnectionState, DeliveryState, Direction, PresenceShow};
use warbler::session::{Command, ConnectError, Event};

#[tokio::test(flavor = "multi_thread")]
async fn contacts_exchange_messages_with_receipts_both_ways() {
    let server = TestServer::start(&[("alice", "pw-a"), ("bob", "pw-b")]);
    let root = tempfile::tempdir().expect("temp");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    let mut bob = Client::sign_in(&server, root.path(), "bob", "pw-b").await;
    befriend(&mut alice, &mut bob).await;

    // Markup stays text; a 1 MB body arrives whole.
    let big = "x".repeat(1024 * 1024);
    for body in ["<b>hi</b> & bye", big.as_str()] {
        alice.say(bob.jid.clone(), body);
        let got = bob.wait(|e| body_of(e).is_some()).await;
        assert_eq!(body_of(&got), Some(body));
        alice
            .wait(|e| {
                matches!(
                    e,
                    Event::MessageStateChanged {
                        state: DeliveryState::Delivered,
                        ..
                    }
                )
            })
            .await;
    }
    bob.say(alice.jid.clone(), "reply");
    let got = alice.wait(|e| body_of(e) == Some("reply")).await;
    let Event::MessageAdded { message } = got else {
        unreachable!()
    };
    assert_eq!(message.direction, Direction::Incoming);
    bob.wait(|e| {
        matches!(
            e,
            Event::MessageStateChanged {
                state: DeliveryState::Delivered,
                ..
            }
        )
    })
    .await;

    // History survives reopening the chat, and Bob's reply is where the
    // unread messages start, until the chat is read.
    let (messages, first_unread) = alice.open_chat(bob.jid.clone()).await;
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[2].body, "reply");
    assert_eq!(first_unread, Some(messages[2].id));
    alice.send(Command::MarkRead {
        account: alice.jid.clone(),
        peer: bob.jid.clone(),
    });
    let (_, first_unread) = alice.open_chat(bob.jid.clone()).await;
    assert_eq!(first_unread, None);
    alice.shutdown().await;
    bob.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn presence_changes_are_seen_by_contacts() {
    let server = TestServer::start(&[("alice", "pw-a"), ("bob", "pw-b")]);
    let root = tempfile::tempdir().expect("temp");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    let mut bob = Client::sign_in(&server, root.path(), "bob", "pw-b").await;
    befriend(&mut alice, &mut bob).await;
    bob.send(Command::SetPresence {
        show: PresenceShow::DoNotDisturb,
        status: Some("In a meeting".into()),
    });
    alice
        .wait(|e| {
            matches!(e, Event::ContactUpdated { contact, .. }
            if contact.presence.show == PresenceShow::DoNotDisturb
                && contact.presence.status.as_deref() == Some("In a meeting"))
        })
        .await;
    bob.shutdown().await;
    alice
        .wait(|e| {
            matches!(e, Event::ContactUpdated { contact, .. }
            if contact.presence.show == PresenceShow::Offline)
        })
        .await;
    alice.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn carbons_reach_the_other_resource() {
    let server = TestServer::start(&[("alice", "pw-a"), ("bob", "pw-b")]);
    let root = tempfile::tempdir().expect("temp");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    let mut bob = Client::sign_in(&server, root.path(), "bob", "pw-b").await;
    befriend(&mut alice, &mut bob).await;
    let laptop = root.path().join("alice-laptop");
    let (handle, events) = start_core(&server, &laptop);
    handle.send(Command::AddAccount {
        jid: jid("alice@localhost"),
        password: "pw-a".into(),
        server: Some(address(&server)),
    });
    let mut alice2 = Client {
        handle,
        events,
        jid: jid("alice@localhost"),
        data_dir: laptop,
    };
    alice2.online().await;
    // Carbons are enabled right after the session starts; give the IQ a moment.
    tokio::time::sleep(Duration::from_millis(300)).await;

    alice.say(bob.jid.clone(), "from the desk");
    let sent = alice2.wait(|e| body_of(e) == Some("from the desk")).await;
    let Event::MessageAdded { message } = sent else {
        unreachable!()
    };
    assert_eq!(
        message.direction,
        Direction::Outgoing,
        "a sent carbon is ours"
    );
    assert_eq!(message.peer, bob.jid);

    bob.say(alice.jid.clone(), "to both");
    alice.wait(|e| body_of(e) == Some("to both")).await;
    alice2.wait(|e| body_of(e) == Some("to both")).await;
    for c in [alice, alice2, bob] {
        c.shutdown().await;
    }
}

/// Messages in one burst.
const BURST: usize = 300;

/// A burst of messages sent in one write: each is stored once (a copy sent
/// again is not), shown in the order sent and acknowledged in that order,
/// and a receipt right behind the burst finds every message before it
/// already shown.
#[tokio::test(flavor = "multi_thread")]
async fn a_burst_is_stored_shown_and_acknowledged_in_order() {
    let server = TestServer::start(&[("alice", "pw-a"), ("bob", "pw-b")]);
    let root = tempfile::tempdir().expect("temp");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    let mut bob = RawClient::connect(&server, "bob", "pw-b").await;
    bob.send_initial_presence().await;
    alice.say(jid("bob@localhost"), "before the burst");
    let before = bob.expect_message_containing("before the burst").await;
    let before_id = before.attr("id").expect("a message id").to_owned();

    // One write: the burst with message 10 sent twice, then the receipt
    // for Alice's message.
    let mut ids: Vec<usize> = (0..BURST).collect();
    ids.insert(51, 10);
    let mut burst: String = ids
        .iter()
        .map(|i| {
            format!(
                "<message to='alice@localhost' type='chat' id='burst-{i}'>\
                 <body>Burst {i}</body><request xmlns='urn:xmpp:receipts'/></message>"
            )
        })
        .collect();
    burst.push_str(&format!(
        "<message to='alice@localhost' type='chat' id='ack'>\
         <received xmlns='urn:xmpp:receipts' id='{before_id}'/></message>"
    ));
    bob.send(&burst).await;

    let mut shown = Vec::new();
    loop {
        let event = alice
            .wait(|e| {
                body_of(e).is_some_and(|b| b.starts_with("Burst "))
                    || matches!(
                        e,
                        Event::MessageStateChanged {
                            state: DeliveryState::Delivered,
                            ..
                        }
                    )
            })
            .await;
        match body_of(&event) {
            Some(body) => shown.push(body.to_owned()),
            None => break,
        }
    }
    let expected: Vec<String> = (0..BURST).map(|i| format!("Burst {i}")).collect();
    assert!(
        shown == expected,
        "{} of the burst's {BURST} messages shown before the receipt behind them, \
         the first out of place at {:?}",
        shown.len(),
        shown.iter().zip(&expected).position(|(a, b)| a != b)
    );

    // Every copy is acknowledged (the sender may have missed the first
    // receipt), in the order sent.
    let mut acknowledged = Vec::new();
    while acknowledged.len() < ids.len() {
        let receipt = bob
            .wait_for(Duration::from_secs(10), |e| {
                e.get_child("received", "urn:xmpp:receipts").is_some()
            })
            .await
            .unwrap_or_else(|| panic!("receipts stopped after {acknowledged:?}"));
        let id = receipt
            .get_child("received", "urn:xmpp:receipts")
            .and_then(|r| r.attr("id"))
            .expect("the receipt names a message")
            .to_owned();
        acknowledged.push(id);
    }
    let sent: Vec<String> = ids.iter().map(|i| format!("burst-{i}")).collect();
    assert_eq!(acknowledged, sent);

    let history = alice.history(jid("bob@localhost")).await;
    let last = history.last().expect("history");
    assert_eq!(last.body, format!("Burst {}", BURST - 1));
    bob.close().await;
    alice.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn outbox_message_survives_an_app_restart_and_is_delivered() {
    let mut server = TestServer::start(&[("alice", "pw-a"), ("bob", "pw-b")]);
    let root = tempfile::tempdir().expect("temp");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    let mut bob = Client::sign_in(&server, root.path(), "bob", "pw-b").await;
    befriend(&mut alice, &mut bob).await;
    bob.shutdown().await;

    server.stop();
    alice
        .wait(|e| {
            matches!(
                e,
                Event::ConnectionChanged {
                    state: ConnectionState::Connecting,
                    ..
                }
            )
        })
        .await;
    alice.say(jid("bob@localhost"), "written offline");
    let added = alice.wait(|e| body_of(e).is_some()).await;
    let Event::MessageAdded { message } = added else {
        unreachable!()
    };
    assert_eq!(message.state, DeliveryState::Pending);

    // Quit while offline, then come back with the server up again.
    let mut alice = alice.reopen(&server).await;
    server.restart();
    alice.send(Command::ReconnectNow {
        account: alice.jid.clone(),
    });
    alice.wait(|e| matches!(e, Event::MessageStateChanged { id, state: DeliveryState::Sent, .. } if *id == message.id)).await;

    let mut bob = Client::sign_in_again(&server, root.path(), "bob").await;
    bob.wait(|e| body_of(e) == Some("written offline")).await;
    let messages = bob.history(alice.jid.clone()).await;
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.body == "written offline")
            .count(),
        1
    );
    alice.shutdown().await;
    bob.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_restart_mid_conversation_loses_nothing() {
    let mut server = TestServer::start(&[("alice", "pw-a"), ("bob", "pw-b")]);
    let root = tempfile::tempdir().expect("temp");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    let mut bob = Client::sign_in(&server, root.path(), "bob", "pw-b").await;
    befriend(&mut alice, &mut bob).await;
    alice.say(bob.jid.clone(), "before");
    bob.wait(|e| body_of(e) == Some("before")).await;

    server.restart();
    for i in 0..3 {
        alice.say(bob.jid.clone(), format!("during {i}"));
    }
    alice.send(Command::ReconnectNow {
        account: alice.jid.clone(),
    });
    bob.send(Command::ReconnectNow {
        account: bob.jid.clone(),
    });
    for i in 0..3 {
        let want = format!("during {i}");
        bob.wait(|e| body_of(e) == Some(want.as_str())).await;
    }
    let messages = bob.history(alice.jid.clone()).await;
    let bodies: Vec<_> = messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(
        bodies,
        ["before", "during 0", "during 1", "during 2"],
        "each exactly once"
    );
    alice.shutdown().await;
    bob.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_failures_are_explained() {
    let server = TestServer::start(&[("alice", "pw-a")]);
    let root = tempfile::tempdir().expect("temp");
    let (handle, events) = start_core(&server, &root.path().join("p"));
    let mut client = Client {
        handle,
        events,
        jid: jid("alice@localhost"),
        data_dir: root.path().join("p"),
    };
    client.send(Command::AddAccount {
        jid: client.jid.clone(),
        password: "not it".into(),
        server: Some(address(&server)),
    });
    client
        .wait(|e| {
            matches!(
                e,
                Event::ConnectionChanged {
                    state: ConnectionState::Failed {
                        error: ConnectError::WrongPassword
                    },
                    ..
                }
            )
        })
        .await;
    client.send(Command::UpdatePassword {
        account: client.jid.clone(),
        password: "pw-a".into(),
    });
    client.online().await;
    client.shutdown().await;

    let (handle, events) = start_core(&server, &root.path().join("q"));
    let mut client = Client {
        handle,
        events,
        jid: jid("alice@localhost"),
        data_dir: root.path().join("q"),
    };
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let mut nowhere = address(&server);
    nowhere.port = closed;
    client.send(Command::AddAccount {
        jid: client.jid.clone(),
        password: "pw-a".into(),
        server: Some(nowhere),
    });
    client
        .wait(|e| {
            matches!(
                e,
                Event::ConnectionChanged {
                    state: ConnectionState::WaitingToReconnect {
                        error: ConnectError::ConnectionRefused { .. },
                        ..
                    },
                    ..
                }
            )
        })
        .await;
    client.shutdown().await;
}
