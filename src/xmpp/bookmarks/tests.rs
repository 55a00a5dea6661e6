//! Bookmarks from the examples of XEP-0402 (PEP native bookmarks) and
//! XEP-0048 (private XML storage), plus notifications we must not believe.

use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::BareJid;
use xmpp_parsers::message::Message;
use xmpp_parsers::minidom::Element;

use super::{
    Bookmark, BookmarkChange, apply_legacy_change, fetch, fetch_legacy, legacy_storage,
    notification, parse_fetch, parse_legacy, publish, retract, store_legacy,
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

/// XEP-0048 §3.3 example 3's storage (a conference and a URL), with a
/// broken entry and another client's extensions.
const OBERON_STORAGE: &str = "<query xmlns='jabber:iq:private'>\
     <storage xmlns='storage:bookmarks'>\
     <conference name='Council of Oberon' autojoin='true' minimized='yes' \
     jid='council@conference.underhill.org'>\
     <nick>Puck</nick><password>titania</password>\
     <state xmlns='http://myclient.example/bookmark/state' pinned='true'/>\
     </conference>\
     <url name='Complete Works of Shakespeare' url='http://the-tech.mit.edu/Shakespeare/'/>\
     <conference jid='@@broken'/><conference name='no jid'/>\
     <x xmlns='urn:example:other-client'>kept</x>\
     </storage></query>";

fn oberon_storage() -> Element {
    legacy_storage(Some(&el(OBERON_STORAGE))).expect("a storage")
}

/// Everything in `storage` but the conferences of `room`.
fn others(storage: &Element, room: &str) -> Vec<Element> {
    storage
        .children()
        .filter(|c| c.attr("jid") != Some(room))
        .cloned()
        .collect()
}

// Adding a room keeps every other entry, the URL, the broken ones and the
// foreign element, and reads back as the bookmark written.
#[test]
fn legacy_add_keeps_other_entries() {
    let before = oberon_storage();
    let mut storage = before.clone();
    apply_legacy_change(&mut storage, &BookmarkChange::Set(the_play()));
    assert_eq!(others(&storage, THEPLAY), others(&before, THEPLAY));
    let added = storage.children().last().expect("an entry");
    assert_eq!(
        *added,
        el(
            "<conference xmlns='storage:bookmarks' jid='theplay@conference.shakespeare.lit' \
            autojoin='true' name='The Play&apos;s the Thing'><nick>JC</nick></conference>"
        )
    );
    let query = Element::builder("query", "jabber:iq:private")
        .append(storage)
        .build();
    let read = parse_legacy(Some(&query));
    assert_eq!(read.len(), 2);
    assert_eq!(read[1], the_play());
}

// Updating our room changes only what we know: another client's attribute
// and extension stay, an unknown password is not erased.
#[test]
fn legacy_update_keeps_unknown_attributes_and_children() {
    let mut storage = oberon_storage();
    let council = bare("council@conference.underhill.org");
    apply_legacy_change(
        &mut storage,
        &BookmarkChange::Set(Bookmark {
            room: council.clone(),
            name: None,
            nick: Some("Robin".into()),
            password: None,
            autojoin: false,
        }),
    );
    let conference = storage.children().next().expect("the council");
    assert_eq!(conference.attr("minimized"), Some("yes"));
    assert_eq!(conference.attr("name"), Some("Council of Oberon"));
    assert_eq!(conference.attr("autojoin"), Some("false"));
    assert!(
        conference
            .get_child("state", "http://myclient.example/bookmark/state")
            .is_some()
    );
    assert_eq!(storage.children().count(), 5, "no entry added or lost");
    let query = Element::builder("query", "jabber:iq:private")
        .append(storage)
        .build();
    assert_eq!(
        parse_legacy(Some(&query)),
        vec![Bookmark {
            room: council,
            name: Some("Council of Oberon".into()),
            nick: Some("Robin".into()),
            password: Some("titania".into()),
            autojoin: false,
        }]
    );
}

// Removing removes our room's conferences (all of them, however the JID is
// cased) and nothing else; removing a room that is not there changes
// nothing.
#[test]
fn legacy_remove_touches_only_that_room() {
    let before = oberon_storage();
    let mut storage = before.clone();
    let mut twice =
        el("<conference xmlns='storage:bookmarks' jid='Council@conference.underhill.org'/>");
    twice.append_child(el("<nick xmlns='storage:bookmarks'>Puck</nick>"));
    storage.append_child(twice);
    apply_legacy_change(
        &mut storage,
        &BookmarkChange::Removed(bare("council@conference.underhill.org")),
    );
    let kept: Vec<&Element> = before.children().skip(1).collect();
    assert_eq!(storage.children().collect::<Vec<_>>(), kept);
    let mut unchanged = before.clone();
    apply_legacy_change(&mut unchanged, &BookmarkChange::Removed(bare(THEPLAY)));
    assert_eq!(unchanged, before);
}

// XEP-0049 §2.1 example 1: the whole document is stored back.
#[test]
fn legacy_store_request() {
    let storage = el("<storage xmlns='storage:bookmarks'>\
         <url name='Complete Works of Shakespeare' url='http://the-tech.mit.edu/Shakespeare/'/>\
         </storage>");
    assert_eq!(
        Element::from(store_legacy("store1", storage)),
        el("<iq xmlns='jabber:client' type='set' id='store1'>\
            <query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'>\
            <url name='Complete Works of Shakespeare' url='http://the-tech.mit.edu/Shakespeare/'/>\
            </storage></query></iq>")
    );
}

// Only a private-storage answer can be rewritten; nothing stored yet is an
// empty document, anything else is refused rather than overwritten.
#[test]
fn legacy_storage_answers() {
    assert!(legacy_storage(None).is_none());
    let empty = legacy_storage(Some(&el("<query xmlns='jabber:iq:private'/>")));
    assert_eq!(empty, Some(el("<storage xmlns='storage:bookmarks'/>")));
    let foreign = el("<query xmlns='jabber:iq:private'>\
         <storage xmlns='storage:rosternotes'/></query>");
    assert!(legacy_storage(Some(&foreign)).is_none());
    let two = el("<query xmlns='jabber:iq:private'>\
         <storage xmlns='storage:bookmarks'/><storage xmlns='storage:bookmarks'/></query>");
    assert!(legacy_storage(Some(&two)).is_none());
    let other = el("<pubsub xmlns='http://jabber.org/protocol/pubsub'>\
         <storage xmlns='storage:bookmarks'/></pubsub>");
    assert!(legacy_storage(Some(&other)).is_none());
}

// Hostile or broken entries: oversized and invalid JIDs, a full JID,
// missing attributes. They are not read as bookmarks, never match our
// room, and survive a write untouched.
#[test]
fn legacy_hostile_entries_are_skipped_and_kept() {
    let huge = format!("{}@conference.underhill.org", "a".repeat(5000));
    let xml = format!(
        "<query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'>\
         <conference jid='{huge}' autojoin='true'/>\
         <conference jid='council@conference.underhill.org/Puck' autojoin='true'/>\
         <conference jid='' autojoin='1'/><conference autojoin='true'><nick>x</nick></conference>\
         <conference jid='a@b@c'/><url/>\
         </storage></query>"
    );
    let query = el(&xml);
    assert!(parse_legacy(Some(&query)).is_empty());
    let before = legacy_storage(Some(&query)).expect("a storage");
    let mut storage = before.clone();
    apply_legacy_change(
        &mut storage,
        &BookmarkChange::Removed(bare("council@conference.underhill.org")),
    );
    assert_eq!(storage, before, "no broken entry is taken for ours");
    apply_legacy_change(
        &mut storage,
        &BookmarkChange::Set(Bookmark {
            room: bare("council@conference.underhill.org"),
            name: None,
            nick: None,
            password: None,
            autojoin: true,
        }),
    );
    assert_eq!(storage.children().count(), before.children().count() + 1);
    assert!(
        before
            .children()
            .zip(storage.children())
            .all(|(a, b)| a == b),
        "the broken entries are kept as they were"
    );
}
