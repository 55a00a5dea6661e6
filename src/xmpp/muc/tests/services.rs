//! Finding the server's conference services (XEP-0045 §6.1).

use super::{bare, el, xml};
use crate::xmpp::muc::services::{MAX_ITEMS, is_room_service, items_request, service_items};

// §6.1 example 1: ask the server for its items.
#[test]
fn items_request_asks_the_server() {
    assert_eq!(
        xml(items_request("h7ns81g", &bare("shakespeare.lit"))),
        el(
            "<iq xmlns='jabber:client' id='h7ns81g' to='shakespeare.lit' type='get'>\
             <query xmlns='http://jabber.org/protocol/disco#items'/></iq>"
        )
    );
}

// §6.1 example 2, with what real servers add: upload and proxy services,
// a node, a user's address, a repeat and garbage.
#[test]
fn service_items_keeps_domains_once() {
    let result = el("<query xmlns='http://jabber.org/protocol/disco#items'>\
         <item jid='chat.shakespeare.lit' name='Chatroom Service'/>\
         <item jid='upload.shakespeare.lit'/>\
         <item jid='shakespeare.lit' node='announcements'/>\
         <item jid='romeo@shakespeare.lit'/>\
         <item jid='chat.shakespeare.lit'/>\
         <item jid='@@ not a jid'/><item/>\
         <item jid='proxy.shakespeare.lit' node=''/></query>");
    assert_eq!(
        service_items(Some(&result)),
        vec![
            bare("chat.shakespeare.lit"),
            bare("upload.shakespeare.lit"),
            bare("proxy.shakespeare.lit"),
        ]
    );
    assert!(service_items(None).is_empty());
    assert!(service_items(Some(&el("<query xmlns='jabber:iq:roster'/>"))).is_empty());
}

// Hostile: a server listing thousands of items gets only a few asked about.
#[test]
fn service_items_are_capped() {
    let items: String = (0..1000)
        .map(|i| format!("<item jid='s{i}.shakespeare.lit'/>"))
        .collect();
    let result = el(&format!(
        "<query xmlns='http://jabber.org/protocol/disco#items'>{items}</query>"
    ));
    assert_eq!(service_items(Some(&result)).len(), MAX_ITEMS);
}

// §6.1 example 4: the service's identity and the MUC feature.
#[test]
fn a_muc_service_hosts_rooms() {
    let result = el("<query xmlns='http://jabber.org/protocol/disco#info'>\
         <identity category='conference' name='Shakespearean Chat Service' type='text'/>\
         <feature var='http://jabber.org/protocol/muc'/></query>");
    assert!(is_room_service(Some(&result)));
}

// An upload service, a room-less answer, an IRC gateway and a bridge that
// also speak MUC are not where the server's rooms are.
#[test]
fn other_services_do_not() {
    for info in [
        "<query xmlns='http://jabber.org/protocol/disco#info'>\
         <identity category='store' type='file'/>\
         <feature var='urn:xmpp:http:upload:0'/></query>",
        "<query xmlns='http://jabber.org/protocol/disco#info'>\
         <identity category='conference' type='text'/></query>",
        "<query xmlns='http://jabber.org/protocol/disco#info'>\
         <identity category='conference' type='irc' name='IRC'/>\
         <feature var='http://jabber.org/protocol/muc'/></query>",
        "<query xmlns='http://jabber.org/protocol/disco#info'>\
         <identity category='gateway' type='matrix'/>\
         <feature var='http://jabber.org/protocol/muc'/></query>",
        "<query xmlns='http://jabber.org/protocol/disco#items'>\
         <feature var='http://jabber.org/protocol/muc'/></query>",
    ] {
        assert!(!is_room_service(Some(&el(info))), "{info}");
    }
    assert!(!is_room_service(None));
}
