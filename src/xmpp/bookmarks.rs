//! Room bookmarks: PEP native bookmarks (XEP-0402), with the older private
//! XML storage (XEP-0048 via XEP-0049) as a fallback and migration source.

#[cfg(test)]
mod tests;

use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::message::Message;
use xmpp_parsers::minidom::rxml::xml_ncname;
use xmpp_parsers::minidom::{Element, Node};

/// The PEP node of native bookmarks.
pub(crate) const NODE: &str = "urn:xmpp:bookmarks:1";
const NS_PUBSUB: &str = "http://jabber.org/protocol/pubsub";
const NS_PUBSUB_EVENT: &str = "http://jabber.org/protocol/pubsub#event";
const NS_PRIVATE: &str = "jabber:iq:private";
const NS_STORAGE: &str = "storage:bookmarks";
/// Advertised on our account when the server keeps native and legacy
/// bookmarks in step (XEP-0402 §5.3); only then are native ones used.
pub(crate) const NS_COMPAT: &str = "urn:xmpp:bookmarks:1#compat";

/// One bookmarked room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bookmark {
    /// The room.
    pub room: BareJid,
    /// Its name.
    pub name: Option<String>,
    /// Our nickname there.
    pub nick: Option<String>,
    /// Its password.
    pub password: Option<String>,
    /// Join it when online.
    pub autojoin: bool,
}

/// A change to the bookmarks announced by our server (PEP notification).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BookmarkChange {
    /// Added or changed.
    Set(Bookmark),
    /// Removed.
    Removed(BareJid),
}

fn text(name: &str, ns: &str, value: &str) -> Element {
    Element::builder(name, ns)
        .append(Node::Text(value.to_owned()))
        .build()
}

/// Fetch every native bookmark.
pub(crate) fn fetch(id: &str) -> Iq {
    let items = Element::builder("items", NS_PUBSUB)
        .attr(xml_ncname!("node").into(), NODE)
        .build();
    Iq::Get {
        from: None,
        to: None,
        id: id.to_owned(),
        payload: Element::builder("pubsub", NS_PUBSUB).append(items).build(),
    }
}

/// The bookmarks in a native-bookmarks items result.
pub(crate) fn parse_fetch(payload: Option<&Element>) -> Vec<Bookmark> {
    let Some(items) = payload
        .filter(|p| p.is("pubsub", NS_PUBSUB))
        .and_then(|p| p.get_child("items", NS_PUBSUB))
    else {
        return Vec::new();
    };
    items
        .children()
        .filter(|c| c.is("item", NS_PUBSUB))
        .filter_map(conference_item)
        .collect()
}

/// One `<item id='room'><conference/></item>`.
fn conference_item(item: &Element) -> Option<Bookmark> {
    let room: BareJid = item.attr("id")?.parse().ok()?;
    let conference = item.get_child("conference", NODE)?;
    Some(Bookmark {
        room,
        name: conference
            .attr("name")
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
        nick: conference
            .get_child("nick", NODE)
            .map(Element::text)
            .filter(|n| !n.is_empty()),
        password: conference.get_child("password", NODE).map(Element::text),
        autojoin: matches!(conference.attr("autojoin"), Some("true") | Some("1")),
    })
}

/// Publish (add or replace) one native bookmark, with the publish options
/// XEP-0402 §3.3 requires so that only we can read it and all are kept.
pub(crate) fn publish(id: &str, bookmark: &Bookmark) -> Iq {
    let mut conference = Element::builder("conference", NODE).attr(
        xml_ncname!("autojoin").into(),
        if bookmark.autojoin { "true" } else { "false" },
    );
    if let Some(name) = &bookmark.name {
        conference = conference.attr(xml_ncname!("name").into(), name.as_str());
    }
    if let Some(nick) = &bookmark.nick {
        conference = conference.append(text("nick", NODE, nick));
    }
    if let Some(password) = &bookmark.password {
        conference = conference.append(text("password", NODE, password));
    }
    let item = Element::builder("item", NS_PUBSUB)
        .attr(xml_ncname!("id").into(), bookmark.room.as_str())
        .append(conference.build())
        .build();
    let publish = Element::builder("publish", NS_PUBSUB)
        .attr(xml_ncname!("node").into(), NODE)
        .append(item)
        .build();
    let field = |var: &str, value: &str| {
        let mut field =
            Element::builder("field", "jabber:x:data").attr(xml_ncname!("var").into(), var);
        if var == "FORM_TYPE" {
            field = field.attr(xml_ncname!("type").into(), "hidden");
        }
        field.append(text("value", "jabber:x:data", value)).build()
    };
    let options = Element::builder("x", "jabber:x:data")
        .attr(xml_ncname!("type").into(), "submit")
        .append(field(
            "FORM_TYPE",
            "http://jabber.org/protocol/pubsub#publish-options",
        ))
        .append(field("pubsub#persist_items", "true"))
        .append(field("pubsub#max_items", "max"))
        .append(field("pubsub#send_last_published_item", "never"))
        .append(field("pubsub#access_model", "whitelist"))
        .build();
    let publish_options = Element::builder("publish-options", NS_PUBSUB)
        .append(options)
        .build();
    Iq::Set {
        from: None,
        to: None,
        id: id.to_owned(),
        payload: Element::builder("pubsub", NS_PUBSUB)
            .append(publish)
            .append(publish_options)
            .build(),
    }
}

/// Remove one native bookmark.
pub(crate) fn retract(id: &str, room: &BareJid) -> Iq {
    let item = Element::builder("item", NS_PUBSUB)
        .attr(xml_ncname!("id").into(), room.as_str())
        .build();
    let retract = Element::builder("retract", NS_PUBSUB)
        .attr(xml_ncname!("node").into(), NODE)
        .attr(xml_ncname!("notify").into(), "true")
        .append(item)
        .build();
    Iq::Set {
        from: None,
        to: None,
        id: id.to_owned(),
        payload: Element::builder("pubsub", NS_PUBSUB)
            .append(retract)
            .build(),
    }
}

/// Bookmark changes in a PEP notification, accepted only from our own
/// account (anyone else's would be forged).
pub(crate) fn notification(own: &BareJid, message: &Message) -> Option<Vec<BookmarkChange>> {
    let from = message.from.as_ref().map(Jid::to_bare);
    if from.is_some_and(|f| f != *own) {
        return None;
    }
    let event = message
        .payloads
        .iter()
        .find(|p| p.is("event", NS_PUBSUB_EVENT))?;
    let items = event.get_child("items", NS_PUBSUB_EVENT)?;
    if items.attr("node") != Some(NODE) {
        return None;
    }
    let mut changes = Vec::new();
    for child in items.children() {
        if child.is("item", NS_PUBSUB_EVENT) {
            // Event items carry the conference in the bookmarks namespace.
            let room: Option<BareJid> = child.attr("id").and_then(|i| i.parse().ok());
            if let (Some(room), Some(conference)) = (room, child.get_child("conference", NODE)) {
                let mut item = Element::builder("item", NS_PUBSUB)
                    .attr(xml_ncname!("id").into(), room.as_str())
                    .build();
                item.append_child(conference.clone());
                if let Some(bookmark) = conference_item(&item) {
                    changes.push(BookmarkChange::Set(bookmark));
                }
            }
        } else if child.is("retract", NS_PUBSUB_EVENT)
            && let Some(room) = child.attr("id").and_then(|i| i.parse().ok())
        {
            changes.push(BookmarkChange::Removed(room));
        }
    }
    Some(changes)
}

/// Fetch the legacy bookmarks (XEP-0048 in private XML storage).
pub(crate) fn fetch_legacy(id: &str) -> Iq {
    Iq::Get {
        from: None,
        to: None,
        id: id.to_owned(),
        payload: Element::builder("query", NS_PRIVATE)
            .append(Element::builder("storage", NS_STORAGE).build())
            .build(),
    }
}

/// The rooms in a legacy bookmarks result.
pub(crate) fn parse_legacy(payload: Option<&Element>) -> Vec<Bookmark> {
    let Some(storage) = payload
        .filter(|p| p.is("query", NS_PRIVATE))
        .and_then(|p| p.get_child("storage", NS_STORAGE))
    else {
        return Vec::new();
    };
    storage
        .children()
        .filter(|c| c.is("conference", NS_STORAGE))
        .filter_map(|c| {
            Some(Bookmark {
                room: c.attr("jid")?.parse().ok()?,
                name: c.attr("name").filter(|n| !n.is_empty()).map(str::to_owned),
                nick: c
                    .get_child("nick", NS_STORAGE)
                    .map(Element::text)
                    .filter(|n| !n.is_empty()),
                password: c.get_child("password", NS_STORAGE).map(Element::text),
                autojoin: matches!(c.attr("autojoin"), Some("true") | Some("1")),
            })
        })
        .collect()
}

/// The `<storage/>` element of a legacy bookmarks answer, to change and
/// store back; `None` if the answer is not one (then nothing may be
/// written: storing a document we could not read would erase it).
///
/// An answer without `<storage/>` means nothing is stored yet.
pub(crate) fn legacy_storage(payload: Option<&Element>) -> Option<Element> {
    let query = payload.filter(|p| p.is("query", NS_PRIVATE))?;
    let mut storages = query.children().filter(|c| c.name() == "storage");
    match (storages.next(), storages.next()) {
        (None, _) => Some(Element::builder("storage", NS_STORAGE).build()),
        (Some(storage), None) if storage.is("storage", NS_STORAGE) => Some(storage.clone()),
        // Another namespace, or two documents: not something to rewrite.
        _ => None,
    }
}

/// Whether `element` is a legacy bookmark of `room`.
fn is_conference_of(element: &Element, room: &BareJid) -> bool {
    element.is("conference", NS_STORAGE)
        && element
            .attr("jid")
            .and_then(|j| j.parse::<BareJid>().ok())
            .is_some_and(|j| j == *room)
}

/// Replace the text child `name` of a conference, keeping its other
/// children (other clients' extensions) where they are.
fn set_text_child(conference: &mut Element, name: &str, value: &str) {
    while conference.remove_child(name, NS_STORAGE).is_some() {}
    conference.append_child(text(name, NS_STORAGE, value));
}

/// Apply one change to a legacy `<storage/>` document, touching nothing
/// but the conferences of that room: other rooms, `<url/>` entries, other
/// clients' attributes and children and entries we cannot read stay as
/// they are, since storing the document replaces all of it.
pub(crate) fn apply_legacy_change(storage: &mut Element, change: &BookmarkChange) {
    match change {
        BookmarkChange::Set(bookmark) => {
            let mut found = false;
            for conference in storage
                .children_mut()
                .filter(|c| is_conference_of(c, &bookmark.room))
            {
                found = true;
                update_conference(conference, bookmark);
            }
            if !found {
                let mut conference = Element::builder("conference", NS_STORAGE)
                    .attr(xml_ncname!("jid").into(), bookmark.room.as_str())
                    .build();
                update_conference(&mut conference, bookmark);
                storage.append_child(conference);
            }
        }
        BookmarkChange::Removed(room) => {
            for node in storage.take_nodes() {
                let ours = matches!(&node, Node::Element(e) if is_conference_of(e, room));
                if !ours {
                    storage.append_node(node);
                }
            }
        }
    }
}

/// Write what we know of a bookmark into its conference; what we do not
/// know (no name, no password in memory) keeps the stored value.
fn update_conference(conference: &mut Element, bookmark: &Bookmark) {
    let none = xmpp_parsers::minidom::rxml::Namespace::NONE;
    conference.set_attr(
        none.clone(),
        xml_ncname!("autojoin").into(),
        if bookmark.autojoin { "true" } else { "false" },
    );
    if let Some(name) = &bookmark.name {
        conference.set_attr(none, xml_ncname!("name").into(), name.as_str());
    }
    if let Some(nick) = &bookmark.nick {
        set_text_child(conference, "nick", nick);
    }
    if let Some(password) = &bookmark.password {
        set_text_child(conference, "password", password);
    }
}

/// Store a whole legacy `<storage/>` document (XEP-0049 replaces what was
/// there).
pub(crate) fn store_legacy(id: &str, storage: Element) -> Iq {
    Iq::Set {
        from: None,
        to: None,
        id: id.to_owned(),
        payload: Element::builder("query", NS_PRIVATE)
            .append(storage)
            .build(),
    }
}
