//! A conference service's public rooms (XEP-0045 §6.3, paged with
//! XEP-0059) and what a room says about itself (§6.4).

use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::minidom::rxml::xml_ncname;
use xmpp_parsers::minidom::{Element, Node};

use crate::model::{PublicRoom, PublicRoomsPage};

const NS_ITEMS: &str = "http://jabber.org/protocol/disco#items";
const NS_INFO: &str = "http://jabber.org/protocol/disco#info";
const NS_RSM: &str = "http://jabber.org/protocol/rsm";
/// Rooms per page when browsing a service.
pub(crate) const PAGE_SIZE: u32 = 100;

/// An RSM `<set/>` (XEP-0059) for `max` items after or before a cursor;
/// an empty `before` asks for the last page.
fn rsm_set(max: u32, after: Option<&str>, before: Option<&str>) -> Element {
    let child = |name: &str, text: &str| {
        let mut element = Element::builder(name, NS_RSM);
        if !text.is_empty() {
            element = element.append(Node::Text(text.to_owned()));
        }
        element.build()
    };
    let mut set = Element::builder("set", NS_RSM).append(child("max", &max.to_string()));
    if let Some(after) = after {
        set = set.append(child("after", after));
    }
    if let Some(before) = before {
        set = set.append(child("before", before));
    }
    set.build()
}

/// Ask `service` for a page of its rooms, after the RSM cursor `after`.
pub(crate) fn rooms_request(id: &str, service: &BareJid, after: Option<&str>) -> Iq {
    let set = rsm_set(PAGE_SIZE, after, None);
    Iq::Get {
        from: None,
        to: Some(Jid::from(service.clone())),
        id: id.to_owned(),
        payload: Element::builder("query", NS_ITEMS).append(set).build(),
    }
}

/// A page of rooms from a disco#items result. Services without RSM send
/// every room at once; the page then has no `next`.
pub(crate) fn rooms_page(service: &BareJid, payload: Option<&Element>) -> PublicRoomsPage {
    let mut page = PublicRoomsPage {
        service: service.clone(),
        rooms: Vec::new(),
        next: None,
        total: None,
    };
    let Some(query) = payload.filter(|p| p.is("query", NS_ITEMS)) else {
        return page;
    };
    let mut items = 0;
    for item in query.children().filter(|c| c.is("item", NS_ITEMS)) {
        items += 1;
        let Some(jid) = item.attr("jid").and_then(|j| j.parse::<BareJid>().ok()) else {
            continue;
        };
        let (name, occupants) = split_count(item.attr("name"));
        page.rooms.push(PublicRoom {
            jid,
            name,
            occupants,
        });
    }
    if let Some(set) = query.get_child("set", NS_RSM) {
        page.total = set
            .get_child("count", NS_RSM)
            .and_then(|c| c.text().trim().parse().ok());
        // Where the service tells the page's position and the total, more
        // follow while they do not add up (services may send fewer rooms a
        // page than we ask for); otherwise a full page may have a next one
        // and a short page is the last. Items we skipped still count.
        let index = set
            .get_child("first", NS_RSM)
            .and_then(|f| f.attr("index"))
            .and_then(|i| i.trim().parse::<u64>().ok());
        let more = match (index, page.total) {
            (Some(index), Some(total)) => items > 0 && index + (items as u64) < u64::from(total),
            _ => items >= PAGE_SIZE as usize,
        };
        if more {
            page.next = set
                .get_child("last", NS_RSM)
                .map(Element::text)
                .filter(|l| !l.is_empty());
        }
    }
    page
}

/// Some services append the occupant count to the name: "Team (12)".
fn split_count(name: Option<&str>) -> (Option<String>, Option<u32>) {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return (None, None);
    };
    if let Some(open) = name.rfind(" (")
        && let Some(count) = name[open + 2..].strip_suffix(')')
        && let Ok(count) = count.parse()
    {
        return (Some(name[..open].to_owned()), Some(count));
    }
    (Some(name.to_owned()), None)
}

/// What a room's disco#info says that matters to us.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RoomInfo {
    /// Its name.
    pub name: Option<String>,
    /// Members-only.
    pub members_only: bool,
    /// Password-protected.
    pub password_protected: bool,
    /// It keeps an archive we can query (XEP-0313).
    pub archived: bool,
    /// It supports XEP-0425 moderation, and in which version.
    pub moderation: Option<ModerationVersion>,
    /// It answers self-pings itself (XEP-0410 optimisation).
    pub self_ping_optimised: bool,
    /// It vouches for occupant ids (XEP-0421); without this any occupant
    /// can send an `<occupant-id/>` of its choosing through the room.
    pub occupant_id: bool,
}

impl RoomInfo {
    /// An occupant id as given in a room's stanza, kept only if the room
    /// advertises XEP-0421 (XEP-0421 §4: otherwise it may be forged).
    pub(crate) fn trusted_occupant_id(&self, id: Option<String>) -> Option<String> {
        id.filter(|_| self.occupant_id)
    }
}

/// The XEP-0425 version a room speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ModerationVersion {
    /// `urn:xmpp:message-moderate:0` (fastening).
    V0,
    /// `urn:xmpp:message-moderate:1`.
    V1,
}

/// Read a room's disco#info result.
pub(crate) fn room_info(payload: Option<&Element>) -> RoomInfo {
    let mut info = RoomInfo::default();
    let Some(query) = payload.filter(|p| p.is("query", NS_INFO)) else {
        return info;
    };
    for child in query.children() {
        if child.is("identity", NS_INFO) && child.attr("category") == Some("conference") {
            info.name = child
                .attr("name")
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned);
        }
        if child.is("feature", NS_INFO) {
            match child.attr("var").unwrap_or_default() {
                "muc_membersonly" => info.members_only = true,
                "muc_passwordprotected" => info.password_protected = true,
                "urn:xmpp:mam:2" => info.archived = true,
                "urn:xmpp:message-moderate:1" => info.moderation = Some(ModerationVersion::V1),
                "urn:xmpp:message-moderate:0" if info.moderation.is_none() => {
                    info.moderation = Some(ModerationVersion::V0);
                }
                "http://jabber.org/protocol/muc#self-ping-optimization" => {
                    info.self_ping_optimised = true;
                }
                super::NS_OCCUPANT_ID => info.occupant_id = true,
                _ => {}
            }
        }
    }
    info
}

/// A MAM query (XEP-0313) to a room for its newest messages (`before` a
/// cursor, or the very newest with `before = Some("")`), or for those
/// `after` an archive id.
pub(crate) fn archive_query(
    id: &str,
    room: &BareJid,
    query_id: &str,
    after: Option<&str>,
    before: Option<&str>,
    max: u32,
) -> Iq {
    let set = rsm_set(max, after, before);
    Iq::Set {
        from: None,
        to: Some(Jid::from(room.clone())),
        id: id.to_owned(),
        payload: Element::builder("query", "urn:xmpp:mam:2")
            .attr(xml_ncname!("queryid").into(), query_id)
            .append(set)
            .build(),
    }
}

/// The end of a MAM query: whether the archive has nothing more in the
/// direction asked, and the RSM cursors of the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ArchiveFin {
    /// Nothing more in that direction.
    pub complete: bool,
    /// The first archive id of the page.
    pub first: Option<String>,
    /// The last archive id of the page.
    pub last: Option<String>,
}

/// Read a MAM `<fin/>`.
pub(crate) fn archive_fin(payload: Option<&Element>) -> ArchiveFin {
    let Some(fin) = payload.filter(|p| p.name() == "fin") else {
        return ArchiveFin::default();
    };
    let set = fin.get_child("set", NS_RSM);
    ArchiveFin {
        complete: matches!(fin.attr("complete"), Some("true") | Some("1")),
        first: set
            .and_then(|s| s.get_child("first", NS_RSM))
            .map(Element::text),
        last: set
            .and_then(|s| s.get_child("last", NS_RSM))
            .map(Element::text),
    }
}
