//! Bookmarks from the examples of XEP-0402 (PEP native bookmarks) and
//! XEP-0048 (private XML storage), plus notifications we must not believe.

use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::BareJid;
use xmpp_parsers::message::Message;
use xmpp_parsers::minidom::Element;

use super::{
    Bookmark, BookmarkChange, fetch, fetch_legacy, notification, parse_fetch, parse_legacy,
    publish, retract,
};

const JULIET: &str = "juliet@capulet.lit";
const THEPLAY: &str = "theplay@conference.shakespeare.lit";

fn el(xml: &str) -> Element {
    xml.parse().expect("test XML parses")
}

fn message(xml: &str) -> Message {
    Message::try_from(el(xml)).expect("a message")
}

fn bare(s: &str) -> BareJid {
    s.parse().expect("bare JID")
}

fn the_play() -> Bookmark {
    Bookmark {
        room: bare(THEPLAY),
        name: Some("The Play's the Thing".into()),
        nick: Some("JC".into()),
        password: None,
        autojoin: true,
    }
}

// XEP-0402 §3.2 example 5: fetch every bookmark.
#[test]
fn fetch_request() {
    assert_eq!(
        Element::from(fetch("retrieve1")),
        el("<iq xmlns='jabber:client' type='get' id='retrieve1'>\
            <pubsub xmlns='http://jabber.org/protocol/pubsub'>\
            <items node='urn:xmpp:bookmarks:1'/></pubsub></iq>")
    );
}

// XEP-0402 §3.2 example 6: the items result, with an extension of another
// client and autojoin spelled "1".
#[test]
fn items_result() {
    let result = el("<pubsub xmlns='http://jabber.org/protocol/pubsub'>\
         <items node='urn:xmpp:bookmarks:1'>\
         <item id='theplay@conference.shakespeare.lit'>\
         <conference xmlns='urn:xmpp:bookmarks:1' name='The Play&apos;s the Thing' \
         autojoin='true'><nick>JC</nick></conference></item>\
         <item id='orchard@conference.shakespeare.lit'>\
         <conference xmlns='urn:xmpp:bookmarks:1' name='The Orcard' autojoin='1'>\
         <nick>JC</nick><password>secret</password><extensions>\
         <state xmlns='http://myclient.example/bookmark/state' minimized='true'/>\
         </extensions></conference></item>\
         <item id='castle@conference.shakespeare.lit'>\
         <conference xmlns='urn:xmpp:bookmarks:1' name=''><nick/></conference></item>\
         </items></pubsub>");
    assert_eq!(
        parse_fetch(Some(&result)),
        vec![
            the_play(),
            Bookmark {
                room: bare("orchard@conference.shakespeare.lit"),
                name: Some("The Orcard".into()),
                nick: Some("JC".into()),
                password: Some("secret".into()),
                autojoin: true,
            },
            Bookmark {
                room: bare("castle@conference.shakespeare.lit"),
                name: None,
                nick: None,
                password: None,
                autojoin: false,
            },
        ]
    );
}

// Hostile items: no id, an id that is no room, no conference, a conference
// in the wrong namespace; and results that are not bookmarks at all.
#[test]
fn broken_items_are_skipped() {
    let result = el("<pubsub xmlns='http://jabber.org/protocol/pubsub'>\
         <items node='urn:xmpp:bookmarks:1'>\
         <item><conference xmlns='urn:xmpp:bookmarks:1'/></item>\
         <item id='@@ not a jid'><conference xmlns='urn:xmpp:bookmarks:1'/></item>\
         <item id='a@b/c'><conference xmlns='urn:xmpp:bookmarks:1'/></item>\
         <item id='x@conference.shakespeare.lit'/>\
         <item id='y@conference.shakespeare.lit'><conference xmlns='storage:bookmarks'/></item>\
         <item id='z@conference.shakespeare.lit'>\
         <conference xmlns='urn:xmpp:bookmarks:1' autojoin='yes'/></item>\
         </items></pubsub>");
    let got = parse_fetch(Some(&result));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].room, bare("z@conference.shakespeare.lit"));
    assert!(!got[0].autojoin, "only true and 1 join");
    assert!(parse_fetch(None).is_empty());
    assert!(
        parse_fetch(Some(&el(
            "<pubsub xmlns='http://jabber.org/protocol/pubsub'/>"
        )))
        .is_empty()
    );
}

// XEP-0402 §3.3 example 8: publish a bookmark with the publish options that
// keep it private (whitelist) and keep every item.
#[test]
fn publish_with_options() {
    assert_eq!(
        Element::from(publish("pip1", &the_play())),
        el("<iq xmlns='jabber:client' type='set' id='pip1'>\
            <pubsub xmlns='http://jabber.org/protocol/pubsub'>\
            <publish node='urn:xmpp:bookmarks:1'>\
            <item id='theplay@conference.shakespeare.lit'>\
            <conference xmlns='urn:xmpp:bookmarks:1' name='The Play&apos;s the Thing' \
            autojoin='true'><nick>JC</nick></conference></item></publish>\
            <publish-options><x xmlns='jabber:x:data' type='submit'>\
            <field var='FORM_TYPE' type='hidden'>\
            <value>http://jabber.org/protocol/pubsub#publish-options</value></field>\
            <field var='pubsub#persist_items'><value>true</value></field>\
            <field var='pubsub#max_items'><value>max</value></field>\
            <field var='pubsub#send_last_published_item'><value>never</value></field>\
            <field var='pubsub#access_model'><value>whitelist</value></field>\
            </x></publish-options></pubsub></iq>")
    );
}

// What we publish, we read back the same (password included).
#[test]
fn publish_round_trip() {
    let bookmark = Bookmark {
        password: Some("cauldronburn".into()),
        autojoin: false,
        ..the_play()
    };
    let Iq::Set { payload, .. } = publish("p", &bookmark) else {
        panic!("a set");
    };
    let publish = payload
        .get_child("publish", "http://jabber.org/protocol/pubsub")
        .expect("publish");
    let mut items = Element::builder("items", "http://jabber.org/protocol/pubsub").build();
    for item in publish.children() {
        items.append_child(item.clone());
    }
    let mut pubsub = Element::builder("pubsub", "http://jabber.org/protocol/pubsub").build();
    pubsub.append_child(items);
    assert_eq!(parse_fetch(Some(&pubsub)), vec![bookmark]);
}

// XEP-0402 §3.4 example 10: remove a bookmark, notifying other clients.
#[test]
fn retract_request() {
    assert_eq!(
        Element::from(retract("retract-1", &bare(THEPLAY))),
        el("<iq xmlns='jabber:client' type='set' id='retract-1'>\
            <pubsub xmlns='http://jabber.org/protocol/pubsub'>\
            <retract node='urn:xmpp:bookmarks:1' notify='true'>\
            <item id='theplay@conference.shakespeare.lit'/></retract></pubsub></iq>")
    );
}

// XEP-0402 §3.5 example 12: another client of ours added a bookmark.
#[test]
fn notification_of_a_new_bookmark() {
    let m = message(
        "<message xmlns='jabber:client' from='juliet@capulet.lit' \
         to='juliet@capulet.lit/balcony' type='headline' id='new-room1'>\
         <event xmlns='http://jabber.org/protocol/pubsub#event'>\
         <items node='urn:xmpp:bookmarks:1'>\
         <item id='theplay@conference.shakespeare.lit'>\
         <conference xmlns='urn:xmpp:bookmarks:1' name='The Play&apos;s the Thing' \
         autojoin='true'><nick>JC</nick></conference></item></items></event></message>",
    );
    assert_eq!(
        notification(&bare(JULIET), &m),
        Some(vec![BookmarkChange::Set(the_play())])
    );
}

// XEP-0402 §3.5 example 13: a bookmark was removed.
#[test]
fn notification_of_a_removed_bookmark() {
    let m = message(
        "<message xmlns='jabber:client' from='juliet@capulet.lit' \
         to='juliet@capulet.lit/balcony' type='headline' id='removed-room1'>\
         <event xmlns='http://jabber.org/protocol/pubsub#event'>\
         <items node='urn:xmpp:bookmarks:1'>\
         <retract id='theplay@conference.shakespeare.lit'/></items></event></message>",
    );
    assert_eq!(
        notification(&bare(JULIET), &m),
        Some(vec![BookmarkChange::Removed(bare(THEPLAY))])
    );
}

// A notification from anyone but our own account is forged; other nodes
// and broken items are not bookmark changes.
#[test]
fn foreign_and_broken_notifications() {
    let event = "<event xmlns='http://jabber.org/protocol/pubsub#event'>\
                 <items node='urn:xmpp:bookmarks:1'>\
                 <retract id='theplay@conference.shakespeare.lit'/></items></event>";
    for from in [
        "romeo@montague.lit",
        "capulet.lit",
        "juliet@capulet.lit.evil/x",
    ] {
        let m = message(&format!(
            "<message xmlns='jabber:client' from='{from}' type='headline'>{event}</message>"
        ));
        assert_eq!(notification(&bare(JULIET), &m), None, "from {from}");
    }
    // No sender: from our own server on the account's behalf.
    let m = message(&format!(
        "<message xmlns='jabber:client' type='headline'>{event}</message>"
    ));
    assert!(notification(&bare(JULIET), &m).is_some());
    let m = message(
        "<message xmlns='jabber:client' from='juliet@capulet.lit'>\
         <event xmlns='http://jabber.org/protocol/pubsub#event'>\
         <items node='urn:xmpp:avatar:metadata'><item id='x'/></items></event></message>",
    );
    assert_eq!(notification(&bare(JULIET), &m), None, "another node");
    let m = message(
        "<message xmlns='jabber:client' from='juliet@capulet.lit'>\
         <event xmlns='http://jabber.org/protocol/pubsub#event'>\
         <items node='urn:xmpp:bookmarks:1'><item id='@@'/><item id='a@b'/>\
         <retract/><retract id='not a jid@@'/></items></event></message>",
    );
    assert_eq!(notification(&bare(JULIET), &m), Some(Vec::new()));
}

// XEP-0048 §3.3 (via XEP-0049): fetch and read legacy bookmarks.
#[test]
fn legacy_private_storage() {
    assert_eq!(
        Element::from(fetch_legacy("retrieve1")),
        el("<iq xmlns='jabber:client' type='get' id='retrieve1'>\
            <query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'/></query></iq>")
    );
    let result = el(
        "<query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'>\
         <conference name='Council of Oberon' autojoin='true' \
         jid='council@conference.underhill.org'>\
         <nick>Puck</nick><password>titania</password></conference>\
         <url name='Complete Works of Shakespeare' url='http://the-tech.mit.edu/Shakespeare/'/>\
         <conference jid='@@broken'/><conference name='no jid'/>\
         <conference jid='quiet@conference.underhill.org' autojoin='false'/>\
         </storage></query>",
    );
    assert_eq!(
        parse_legacy(Some(&result)),
        vec![
            Bookmark {
                room: bare("council@conference.underhill.org"),
                name: Some("Council of Oberon".into()),
                nick: Some("Puck".into()),
                password: Some("titania".into()),
                autojoin: true,
            },
            Bookmark {
                room: bare("quiet@conference.underhill.org"),
                name: None,
                nick: None,
                password: None,
                autojoin: false,
            },
        ]
    );
    assert!(parse_legacy(None).is_empty());
    assert!(parse_legacy(Some(&el("<query xmlns='jabber:iq:private'/>"))).is_empty());
}
