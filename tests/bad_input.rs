//! Hostile input from the network, sent by another account through a real
//! Prosody: markup, unknown payloads, forged carbons, invalid presence
//! values. Each must be shown as plain text or dropped, never crash the
//! client, and never cost a later message.

mod support;

use support::core::{Client, befriend, body_of};
use support::prosody::TestServer;
use warbler::session::{Command, CoreError, Event};

#[tokio::test(flavor = "multi_thread")]
async fn hostile_stanzas_are_shown_as_text_or_dropped() {
    let server = TestServer::start(&[("alice", "pw-a"), ("mallory", "pw-m")]);
    let root = tempfile::tempdir().expect("temp");
    let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
    let mut mallory = Client::sign_in(&server, root.path(), "mallory", "pw-m").await;
    befriend(&mut alice, &mut mallory).await;
    let raw = |xml: &str| Command::SendRawXml {
        account: mallory.jid.clone(),
        xml: xml.to_owned(),
    };

    // Markup in a body and an unknown, deeply nested payload.
    mallory.send(raw(
        "<message xmlns='jabber:client' to='alice@localhost' type='chat' id='h1'>\
        <body>&lt;b&gt;bold&lt;/b&gt; <![CDATA[<i>it</i> &amp;]]></body>\
        <weird xmlns='urn:example:weird'><a><b><c/></b></a></weird></message>",
    ));
    let got = alice.wait(|e| body_of(e).is_some()).await;
    assert_eq!(body_of(&got), Some("<b>bold</b> <i>it</i> &amp;"));

    // A carbon from someone else is a forgery: dropped.
    mallory.send(raw(
        "<message xmlns='jabber:client' to='alice@localhost' type='chat'>\
        <received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>\
        <message xmlns='jabber:client' from='bank@localhost/x' to='alice@localhost' type='chat'>\
        <body>FORGED: send your password</body></message></forwarded></received></message>",
    ));

    // A presence with an invalid value and a message with an invalid JID
    // in a payload attribute.
    mallory.send(raw(
        "<presence xmlns='jabber:client' to='alice@localhost'><show>bogus</show></presence>",
    ));
    mallory.send(raw("<message xmlns='jabber:client' to='alice@localhost' type='chat'>\
        <body>bad jid inside</body><stanza-id xmlns='urn:xmpp:sid:0' id='x' by='@@not a jid@@'/></message>"));
    mallory.send(raw("<message xmlns='jabber:client' to='alice@localhost' type='chat'><body>still here</body></message>"));

    // Whatever happened in between, the last message arrives, and the
    // forged one never does.
    let mut seen = Vec::new();
    loop {
        let event = alice.wait(|e| body_of(e).is_some()).await;
        let body = body_of(&event).expect("a body").to_owned();
        assert!(!body.contains("FORGED"), "a forged carbon was shown");
        seen.push(body.clone());
        if body == "still here" {
            break;
        }
    }
    assert!(seen.contains(&"bad jid inside".to_owned()), "{seen:?}");

    // The XML console rejects what is not a stanza.
    mallory.send(raw("<message><unclosed>"));
    let failed = mallory
        .wait(|e| matches!(e, Event::CommandFailed { .. }))
        .await;
    assert!(matches!(
        failed,
        Event::CommandFailed {
            error: CoreError::InvalidXml { .. },
            ..
        }
    ));
    alice.shutdown().await;
    mallory.shutdown().await;
}
