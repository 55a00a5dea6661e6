//! Checks the test harness itself against a real Prosody: accounts, mutual
//! rosters, StartTLS and direct TLS, message delivery, restarts and the
//! stream splitter the raw client relies on.

mod support;

use std::time::Duration;

use support::xml::{Frame, FrameReader};
use support::{RawClient, TestServer, Transport};

fn alice_and_bob() -> TestServer {
    TestServer::builder()
        .account("alice", "alice-pw")
        .account("bob", "bob-pw")
        .name("alice", "Alice")
        .name("bob", "Bob")
        .contacts("alice", "bob")
        .start()
}

#[tokio::test]
async fn mutual_roster_message_and_restart() {
    let mut server = alice_and_bob();
    let mut alice = RawClient::connect(&server, "alice", "alice-pw").await;
    let mut bob = RawClient::connect(&server, "bob", "bob-pw").await;
    assert_eq!(alice.bare_jid(), "alice@localhost");

    let roster = alice.roster().await;
    assert_eq!(
        roster,
        vec![(
            "bob@localhost".to_owned(),
            "both".to_owned(),
            Some("Bob".to_owned())
        )]
    );
    let roster = bob.roster().await;
    assert_eq!(roster[0].0, "alice@localhost");
    assert_eq!(roster[0].1, "both");

    alice.send_initial_presence().await;
    bob.send_presence(Some("chat"), Some("Ready")).await;
    let presence = alice
        .wait_for(Duration::from_secs(10), |e| {
            e.name() == "presence" && e.attr("from") == Some(bob.jid())
        })
        .await
        .expect("alice sees bob's presence");
    assert_eq!(
        support::xml::child_text(&presence, "status").as_deref(),
        Some("Ready")
    );

    let token = "selftest <&> token 7f3a";
    alice.send_message("bob@localhost", token).await;
    let message = bob.expect_message_containing(token).await;
    assert_eq!(message.attr("from"), Some(alice.jid()));

    server.restart();
    assert!(
        alice.wait_until_closed(Duration::from_secs(5)).await,
        "the old stream ends with the server"
    );
    let mut alice = RawClient::connect(&server, "alice", "alice-pw").await;
    assert_eq!(
        alice.roster().await.len(),
        1,
        "the roster survives a restart"
    );
    alice.send_initial_presence().await;
    let mut bob = RawClient::connect(&server, "bob", "bob-pw").await;
    bob.send_message("alice@localhost", "after restart 91c2")
        .await;
    alice.expect_message_containing("after restart 91c2").await;
    alice.close().await;
    bob.close().await;
}

#[tokio::test]
async fn direct_tls_wrong_password_and_kill() {
    let mut server = TestServer::start(&[("carol", "carol-pw")]);
    let carol = RawClient::try_connect(&server, "carol", "carol-pw", Transport::DirectTls, "d")
        .await
        .expect("direct TLS sign-in");
    assert_eq!(carol.jid(), "carol@localhost/d");
    let mut carol = carol;
    assert!(carol.roster().await.is_empty());

    let refused = RawClient::try_connect(&server, "carol", "wrong", Transport::StartTls, "x").await;
    let error = refused.expect_err("a wrong password is refused");
    assert!(error.contains("not-authorized"), "{error}");

    server.kill();
    assert!(!server.is_running());
    server.start_again();
    RawClient::connect(&server, "carol", "carol-pw")
        .await
        .close()
        .await;
}

#[tokio::test]
async fn muc_component_answers_disco() {
    let server = TestServer::start(&[("dave", "pw")]);
    let mut dave = RawClient::connect(&server, "dave", "pw").await;
    let info = dave
        .iq(
            "get",
            Some(server.muc_domain()),
            "<query xmlns='http://jabber.org/protocol/disco#info'/>",
        )
        .await;
    assert_eq!(info.attr("type"), Some("result"), "{}", String::from(&info));
    let xml = String::from(&info);
    assert!(xml.contains("http://jabber.org/protocol/muc"), "{xml}");
    assert!(xml.contains("urn:xmpp:mam:2"), "{xml}");
}

#[test]
fn frame_reader_splits_partial_input() {
    let mut reader = FrameReader::default();
    reader.push(b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' id='a>b'>");
    reader.push(b"<message to='x' note='1 > 0'><body>hi");
    assert!(matches!(reader.next_frame(), Some(Frame::StreamOpen(_))));
    assert_eq!(reader.next_frame(), None);
    reader.push(b"<![CDATA[</message>]]></body><x/></message> <presence/>\n</stream:stream>");
    assert_eq!(
        reader.next_frame(),
        Some(Frame::Stanza(
            "<message to='x' note='1 > 0'><body>hi<![CDATA[</message>]]></body><x/></message>"
                .into()
        ))
    );
    assert_eq!(
        reader.next_frame(),
        Some(Frame::Stanza("<presence/>".into()))
    );
    assert_eq!(reader.next_frame(), Some(Frame::StreamClose));
    assert_eq!(reader.next_frame(), None);
}

#[test]
fn parse_stanza_adds_stream_namespaces() {
    let e = support::xml::parse_stanza("<message from='a@b'><body>x &amp; y</body></message>")
        .expect("parses");
    assert_eq!(support::xml::body(&e).as_deref(), Some("x & y"));
    let f = support::xml::parse_stanza(
        "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>",
    )
    .expect("parses");
    assert_eq!(f.name(), "features");
}
