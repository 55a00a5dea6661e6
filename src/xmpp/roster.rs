//! The roster (RFC 6121 §2) with roster versioning (§2.6): fetching it,
//! validating pushes, and editing items.

use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::BareJid;
use xmpp_parsers::minidom::Element;
use xmpp_parsers::roster::{Ask, Group, Item, Roster, Subscription as XSubscription};

use crate::model::{RosterItem, Subscription};

/// A change from a roster push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RosterChange {
    /// Added or updated.
    Upsert(RosterItem),
    /// Removed.
    Remove(BareJid),
}

/// The roster request; `ver` is the cached version ("" when we have a
/// cache of an unversioned roster is meaningless, so `None` means no cache).
pub(crate) fn request(id: &str, ver: Option<&str>) -> Iq {
    Iq::from_get(
        id.to_owned(),
        Roster {
            ver: Some(ver.unwrap_or("").to_owned()),
            items: vec![],
        },
    )
}

/// The answer to our roster request: `Some((ver, items))` is a full
/// roster; `None` means "your cached version is current" (empty result).
pub(crate) fn parse_result(payload: Option<Element>) -> Option<(Option<String>, Vec<RosterItem>)> {
    let payload = payload?;
    match Roster::try_from(payload) {
        Ok(roster) => Some((
            roster.ver.filter(|v| !v.is_empty()),
            roster
                .items
                .into_iter()
                .filter_map(|item| match to_change(item) {
                    RosterChange::Upsert(entry) => Some(entry),
                    RosterChange::Remove(_) => None,
                })
                .collect(),
        )),
        Err(error) => {
            tracing::warn!("Could not parse the roster: {error}");
            None
        }
    }
}

/// Why a roster push was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PushRejected {
    /// Not from our own account (RFC 6121 §2.1.6): possibly a spoof.
    Stranger,
    /// Not a single-item roster query.
    Malformed,
}

/// Validate and interpret a roster push sent by `from` to `own`.
pub(crate) fn parse_push(
    own: &BareJid,
    from: Option<&xmpp_parsers::jid::Jid>,
    payload: Element,
) -> Result<(Option<String>, RosterChange), PushRejected> {
    if let Some(from) = from
        && from.to_bare() != *own
    {
        return Err(PushRejected::Stranger);
    }
    let roster = Roster::try_from(payload).map_err(|_| PushRejected::Malformed)?;
    let mut items = roster.items.into_iter();
    let (Some(item), None) = (items.next(), items.next()) else {
        return Err(PushRejected::Malformed);
    };
    Ok((roster.ver.filter(|v| !v.is_empty()), to_change(item)))
}

fn to_change(item: Item) -> RosterChange {
    let subscription = match item.subscription {
        XSubscription::Remove => return RosterChange::Remove(item.jid),
        XSubscription::None => Subscription::None,
        XSubscription::To => Subscription::To,
        XSubscription::From => Subscription::From,
        XSubscription::Both => Subscription::Both,
    };
    RosterChange::Upsert(RosterItem {
        jid: item.jid,
        name: item.name.filter(|n| !n.trim().is_empty()),
        groups: item.groups.into_iter().map(|g| g.0).collect(),
        subscription,
        pending_out: item.ask == Ask::Subscribe,
    })
}

/// Add or rename an item (roster set).
pub(crate) fn set_item(id: &str, jid: &BareJid, name: Option<&str>, groups: &[String]) -> Iq {
    Iq::from_set(
        id.to_owned(),
        Roster {
            ver: None,
            items: vec![Item {
                jid: jid.clone(),
                name: name.map(str::to_owned),
                subscription: XSubscription::None,
                ask: Ask::None,
                groups: groups.iter().cloned().map(Group).collect(),
                approved: None,
            }],
        },
    )
}

/// Remove an item (also cancels subscriptions both ways, RFC 6121 §2.5).
pub(crate) fn remove_item(id: &str, jid: &BareJid) -> Iq {
    Iq::from_set(
        id.to_owned(),
        Roster {
            ver: None,
            items: vec![Item {
                jid: jid.clone(),
                name: None,
                subscription: XSubscription::Remove,
                ask: Ask::None,
                groups: vec![],
                approved: None,
            }],
        },
    )
}
