//! Hostile input from the network, sent by another account through a real
//! Prosody: markup, unknown payloads, forged carbons, invalid presence
//! values. Each must be shown as plain text or dropped, never crash the
//! client, and never cost a later message.

mod support;

use std::time::Duration;

use support::core::{Client, befriend, body_of};
use support::prosody::TestServer;
use support::raw_client::RawClient;
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

/// XEP-0215 pushes steer calls through the relays they name: only the
/// account's server may send them. Another device of the same account and
/// a stranger both get an error, and the core goes on.
#[tokio::test(flavor = "multi_thread")]
async fn service_pushes_from_anyone_but_the_server_are_refused() {
    let server = TestServer::start(&[("alice", "pw-a"), ("mallory", "pw-m")]);
    let root = tempfile::tempdir().expect("temp");
    let alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;

    // Alice's second device learns the core's full JID from its presence.
    let mut device = RawClient::connect(&server, "alice", "pw-a").await;
    device.send_initial_presence().await;
    let own = device.jid().to_owned();
    let presence = device
        .wait_for(Duration::from_secs(10), |e| {
            e.name() == "presence"
                && e.attr("from")
                    .is_some_and(|from| from.starts_with("alice@localhost/") && from != own)
        })
        .await
        .expect("the core's presence");
    let core = presence.attr("from").expect("a from").to_owned();

    let push = "<services xmlns='urn:xmpp:extdisco:2'>\
        <service action='add' host='relay.mallory.example' port='3478' transport='udp' \
          type='turn' username='u' password='p'/></services>";
    let mut mallory = RawClient::connect(&server, "mallory", "pw-m").await;
    for sender in [&mut device, &mut mallory] {
        let answer = sender.iq("set", Some(&core), push).await;
        assert_eq!(answer.attr("type"), Some("error"), "{answer:?}");
        assert_eq!(answer.attr("from"), Some(core.as_str()));
        let refused = answer.children().any(|c| {
            c.name() == "error" && c.children().any(|d| d.name() == "service-unavailable")
        });
        assert!(refused, "{answer:?}");
    }
    // An IQ the core understands still gets its answer afterwards.
    let answer = mallory
        .iq(
            "get",
            Some(&core),
            "<query xmlns='http://jabber.org/protocol/disco#info'/>",
        )
        .await;
    assert_eq!(answer.attr("type"), Some("result"), "{answer:?}");
    device.close().await;
    mallory.close().await;
    alice.shutdown().await;
}
