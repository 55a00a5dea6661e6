//! Finding the conference services of the account's server (XEP-0045
//! §6.1): the server's items (XEP-0030 disco#items), then what each item
//! says it is (disco#info); a service that speaks MUC hosts rooms.

use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::minidom::Element;

use super::NS_MUC;

const NS_ITEMS: &str = "http://jabber.org/protocol/disco#items";
const NS_INFO: &str = "http://jabber.org/protocol/disco#info";
/// At most this many of the server's items are asked about; servers list a
/// handful of services.
pub(crate) const MAX_ITEMS: usize = 32;

/// Ask `server` which services it has.
pub(crate) fn items_request(id: &str, server: &BareJid) -> Iq {
    Iq::Get {
        from: None,
        to: Some(Jid::from(server.clone())),
        id: id.to_owned(),
        payload: Element::builder("query", NS_ITEMS).build(),
    }
}

/// The services a server's disco#items result lists: domain addresses
/// without a node, once each, in the server's order (at most
/// [`MAX_ITEMS`]).
pub(crate) fn service_items(payload: Option<&Element>) -> Vec<BareJid> {
    let Some(query) = payload.filter(|p| p.is("query", NS_ITEMS)) else {
        return Vec::new();
    };
    let mut services: Vec<BareJid> = Vec::new();
    for item in query.children().filter(|c| c.is("item", NS_ITEMS)) {
        if item.attr("node").is_some_and(|n| !n.is_empty()) {
            continue;
        }
        let Some(jid) = item.attr("jid").and_then(|j| j.parse::<BareJid>().ok()) else {
            continue;
        };
        if jid.node().is_none() && !services.contains(&jid) {
            services.push(jid);
        }
        if services.len() == MAX_ITEMS {
            break;
        }
    }
    services
}

/// Whether a service's disco#info result says it hosts rooms: it speaks
/// MUC and is no gateway to another network (an IRC bridge also speaks
/// MUC, but is not where people expect the server's own rooms).
pub(crate) fn is_room_service(payload: Option<&Element>) -> bool {
    let Some(query) = payload.filter(|p| p.is("query", NS_INFO)) else {
        return false;
    };
    let speaks_muc = query
        .children()
        .any(|c| c.is("feature", NS_INFO) && c.attr("var") == Some(NS_MUC));
    let gateway = query.children().any(|c| {
        c.is("identity", NS_INFO)
            && (c.attr("category") == Some("gateway")
                || (c.attr("category") == Some("conference") && c.attr("type") == Some("irc")))
    });
    speaks_muc && !gateway
}
