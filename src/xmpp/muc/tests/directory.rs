//! A service's public rooms (XEP-0045 §6.3 paged with XEP-0059) and what a
//! room says about itself (§6.4).

use xmpp_parsers::minidom::Element;

use super::{COVEN, bare, coven, el, xml};
use crate::model::PublicRoom;
use crate::xmpp::disco::info_request;
use crate::xmpp::muc::directory::{
    ModerationVersion, PAGE_SIZE, RoomInfo, room_info, rooms_page, rooms_request,
};

const SERVICE: &str = "chat.shakespeare.lit";

/// A disco#items result of `n` rooms, named "Room i (i)", with an RSM set.
fn items_page(n: usize, rsm: &str) -> Element {
    let items: String = (0..n)
        .map(|i| format!("<item jid='room{i}@chat.shakespeare.lit' name='Room {i} ({i})'/>"))
        .collect();
    el(&format!(
        "<query xmlns='http://jabber.org/protocol/disco#items'>{items}{rsm}</query>"
    ))
}

// §6.3 example 7 with XEP-0059 §2.1: the first page, then the one after.
#[test]
fn rooms_request_pages_with_rsm() {
    assert_eq!(
        xml(rooms_request("disco2", &bare(SERVICE), None)),
        el(&format!(
            "<iq xmlns='jabber:client' id='disco2' to='chat.shakespeare.lit' type='get'>\
             <query xmlns='http://jabber.org/protocol/disco#items'>\
             <set xmlns='http://jabber.org/protocol/rsm'><max>{PAGE_SIZE}</max></set>\
             </query></iq>"
        ))
    );
    assert_eq!(
        xml(rooms_request(
            "disco3",
            &bare(SERVICE),
            Some("room99@chat.shakespeare.lit")
        )),
        el(&format!(
            "<iq xmlns='jabber:client' id='disco3' to='chat.shakespeare.lit' type='get'>\
             <query xmlns='http://jabber.org/protocol/disco#items'>\
             <set xmlns='http://jabber.org/protocol/rsm'><max>{PAGE_SIZE}</max>\
             <after>room99@chat.shakespeare.lit</after></set></query></iq>"
        ))
    );
}

// §6.3 example 8: rooms with names (some services append the occupant
// count), a service without RSM.
#[test]
fn rooms_with_names_and_counts() {
    let result = el("<query xmlns='http://jabber.org/protocol/disco#items'>\
         <item jid='heath@chat.shakespeare.lit' name='A Lonely Heath'/>\
         <item jid='coven@chat.shakespeare.lit' name='A Dark Cave (12)'/>\
         <item jid='forres@chat.shakespeare.lit' name='  '/>\
         <item jid='inverness@chat.shakespeare.lit'/>\
         <item jid='odd@chat.shakespeare.lit' name='Count (-3)'/>\
         <item jid='paren@chat.shakespeare.lit' name='(7)'/></query>");
    let page = rooms_page(&bare(SERVICE), Some(&result));
    let room = |jid: &str, name: Option<&str>, occupants: Option<u32>| PublicRoom {
        jid: bare(jid),
        name: name.map(str::to_owned),
        occupants,
    };
    assert_eq!(
        page.rooms,
        vec![
            room("heath@chat.shakespeare.lit", Some("A Lonely Heath"), None),
            room(COVEN, Some("A Dark Cave"), Some(12)),
            room("forres@chat.shakespeare.lit", None, None),
            room("inverness@chat.shakespeare.lit", None, None),
            room("odd@chat.shakespeare.lit", Some("Count (-3)"), None),
            room("paren@chat.shakespeare.lit", Some("(7)"), None),
        ]
    );
    assert_eq!(page.next, None, "no RSM: everything at once");
    assert_eq!(page.total, None);
    assert_eq!(page.service, bare(SERVICE));
}

// XEP-0059 §2.1 example 2: a full page leads to the next one.
#[test]
fn full_page_gives_next() {
    let result = items_page(
        PAGE_SIZE as usize,
        "<set xmlns='http://jabber.org/protocol/rsm'>\
         <first index='0'>room0@chat.shakespeare.lit</first>\
         <last>room99@chat.shakespeare.lit</last><count>800</count></set>",
    );
    let page = rooms_page(&bare(SERVICE), Some(&result));
    assert_eq!(page.rooms.len(), PAGE_SIZE as usize);
    assert_eq!(page.next.as_deref(), Some("room99@chat.shakespeare.lit"));
    assert_eq!(page.total, Some(800));
    assert_eq!(page.rooms[12].occupants, Some(12));
}

// XEP-0059 §2.3: a short page is the last one.
#[test]
fn short_page_is_the_last() {
    let result = items_page(
        3,
        "<set xmlns='http://jabber.org/protocol/rsm'>\
         <first index='800'>room0@chat.shakespeare.lit</first>\
         <last>room2@chat.shakespeare.lit</last><count>803</count></set>",
    );
    let page = rooms_page(&bare(SERVICE), Some(&result));
    assert_eq!(page.rooms.len(), 3);
    assert_eq!(page.next, None);
    assert_eq!(page.total, Some(803));
}

// Hostile: an item that is no room address does not end the browsing of a
// full page, and never panics.
#[test]
fn odd_items_are_skipped_without_ending_the_pages() {
    let mut result = items_page(
        PAGE_SIZE as usize - 1,
        "<set xmlns='http://jabber.org/protocol/rsm'>\
         <last>room98@chat.shakespeare.lit</last><count>not a number</count></set>",
    );
    result.append_child(el(
        "<item xmlns='http://jabber.org/protocol/disco#items' jid='@@ not a jid'/>",
    ));
    let page = rooms_page(&bare(SERVICE), Some(&result));
    assert_eq!(page.rooms.len(), PAGE_SIZE as usize - 1);
    assert_eq!(page.next.as_deref(), Some("room98@chat.shakespeare.lit"));
    assert_eq!(page.total, None);
    // An empty cursor leads nowhere; no payload is an empty page.
    let result = items_page(
        PAGE_SIZE as usize,
        "<set xmlns='http://jabber.org/protocol/rsm'><last/></set>",
    );
    assert_eq!(rooms_page(&bare(SERVICE), Some(&result)).next, None);
    assert!(rooms_page(&bare(SERVICE), None).rooms.is_empty());
}

// §6.4 examples 10 and 11: ask a room about itself, read its features.
#[test]
fn room_info_features() {
    assert_eq!(
        xml(info_request("disco3", &coven())),
        el(
            "<iq xmlns='jabber:client' id='disco3' to='coven@chat.shakespeare.lit' \
            type='get'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"
        )
    );
    let result = el("<query xmlns='http://jabber.org/protocol/disco#info'>\
         <identity category='conference' name='A Dark Cave' type='text'/>\
         <feature var='http://jabber.org/protocol/muc'/>\
         <feature var='muc_passwordprotected'/><feature var='muc_hidden'/>\
         <feature var='muc_temporary'/><feature var='muc_open'/>\
         <feature var='muc_unmoderated'/><feature var='muc_nonanonymous'/>\
         <feature var='urn:xmpp:mam:2'/>\
         <feature var='urn:xmpp:message-moderate:0'/>\
         <feature var='urn:xmpp:message-moderate:1'/>\
         <feature var='http://jabber.org/protocol/muc#self-ping-optimization'/></query>");
    assert_eq!(
        room_info(Some(&result)),
        RoomInfo {
            name: Some("A Dark Cave".into()),
            members_only: false,
            password_protected: true,
            archived: true,
            moderation: Some(ModerationVersion::V1),
            self_ping_optimised: true,
            occupant_id: false,
        }
    );
}

// XEP-0421 §4: occupant ids count only in rooms that advertise them;
// elsewhere an occupant could claim anyone's id.
#[test]
fn occupant_ids_only_from_rooms_that_advertise_them() {
    let vouching = room_info(Some(&el(
        "<query xmlns='http://jabber.org/protocol/disco#info'>\
         <identity category='conference' type='text'/>\
         <feature var='http://jabber.org/protocol/muc'/>\
         <feature var='urn:xmpp:occupant-id:0'/></query>",
    )));
    assert!(vouching.occupant_id);
    assert_eq!(
        vouching.trusted_occupant_id(Some("dd72603deec90a38ba552f7c68cbcc61bca202cd".into())),
        Some("dd72603deec90a38ba552f7c68cbcc61bca202cd".into())
    );
    assert_eq!(vouching.trusted_occupant_id(None), None);
    let silent = room_info(Some(&el(
        "<query xmlns='http://jabber.org/protocol/disco#info'>\
         <feature var='http://jabber.org/protocol/muc'/>\
         <feature var='urn:xmpp:occupant-id:1'/></query>",
    )));
    assert!(!silent.occupant_id, "another version is not this one");
    assert_eq!(silent.trusted_occupant_id(Some("forged".into())), None);
    // A room we could not ask about is not trusted either.
    assert_eq!(
        RoomInfo::default().trusted_occupant_id(Some("x".into())),
        None
    );
}

// Members-only, moderation version 0 only (older Prosody), no archive; and
// an identity without a name.
#[test]
fn room_info_members_only_moderation_0() {
    let result = el("<query xmlns='http://jabber.org/protocol/disco#info'>\
         <identity category='conference' type='text' name=' '/>\
         <identity category='client' type='pc' name='Not the room'/>\
         <feature var='muc_membersonly'/>\
         <feature var='urn:xmpp:message-moderate:0'/><feature/></query>");
    assert_eq!(
        room_info(Some(&result)),
        RoomInfo {
            members_only: true,
            moderation: Some(ModerationVersion::V0),
            ..RoomInfo::default()
        }
    );
    // Version 1 listed after version 0 still wins.
    let result = el("<query xmlns='http://jabber.org/protocol/disco#info'>\
         <feature var='urn:xmpp:message-moderate:0'/>\
         <feature var='urn:xmpp:message-moderate:1'/></query>");
    assert_eq!(
        room_info(Some(&result)).moderation,
        Some(ModerationVersion::V1)
    );
    assert_eq!(room_info(None), RoomInfo::default());
}

// XEP-0059 §2.1: a service may send fewer items than asked for; its index
// and count tell whether more follow.
#[test]
fn capped_pages_follow_index_and_count() {
    let page_of = |index: u32, count: u32| {
        let result = items_page(
            10,
            &format!(
                "<set xmlns='http://jabber.org/protocol/rsm'>\
                 <first index='{index}'>room0@chat.shakespeare.lit</first>\
                 <last>room9@chat.shakespeare.lit</last><count>{count}</count></set>"
            ),
        );
        rooms_page(&bare(SERVICE), Some(&result))
    };
    assert_eq!(
        page_of(0, 30).next.as_deref(),
        Some("room9@chat.shakespeare.lit")
    );
    assert_eq!(
        page_of(10, 30).next.as_deref(),
        Some("room9@chat.shakespeare.lit")
    );
    assert_eq!(page_of(20, 30).next, None, "the third page ends at 30");
    // An index beyond the count, or a count the page overshoots, ends it.
    assert_eq!(page_of(40, 30).next, None);
}
