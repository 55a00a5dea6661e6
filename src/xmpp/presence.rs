//! Presence (RFC 6121 §4) and subscriptions (§3): parsing incoming
//! presence, aggregating a contact's resources, and building our own.

use std::collections::HashMap;

use xmpp_parsers::caps::Caps;
use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::presence::{Presence, Show, Type};

use crate::model::{PresenceShow, PresenceStatus};

/// What an incoming presence stanza means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PresenceEvent {
    /// A resource is available (or changed its status).
    Available {
        /// Full address of the resource.
        from: Jid,
        /// Its availability and status.
        status: PresenceStatus,
        /// Its priority.
        priority: i8,
    },
    /// A resource went offline.
    Unavailable {
        /// Address of the resource (bare if the contact is fully offline).
        from: Jid,
    },
    /// Someone asks to see our presence.
    SubscribeRequest {
        /// Who asks.
        from: BareJid,
    },
    /// Our request was approved.
    Subscribed {
        /// Who approved.
        from: BareJid,
    },
    /// We may no longer see their presence, or they cancelled.
    Unsubscribed {
        /// Who.
        from: BareJid,
    },
    /// Something else (probe, error, or a stanza without sender).
    Ignored,
}

/// Interpret an incoming presence stanza.
pub(crate) fn classify(presence: &Presence) -> PresenceEvent {
    let Some(from) = presence.from.clone() else {
        return PresenceEvent::Ignored;
    };
    match presence.type_ {
        Type::None => PresenceEvent::Available {
            status: PresenceStatus {
                show: match presence.show {
                    None | Some(Show::Chat) => PresenceShow::Available,
                    Some(Show::Away) => PresenceShow::Away,
                    Some(Show::Xa) => PresenceShow::ExtendedAway,
                    Some(Show::Dnd) => PresenceShow::DoNotDisturb,
                },
                status: best_status(presence),
            },
            priority: presence.priority.0,
            from,
        },
        Type::Unavailable => PresenceEvent::Unavailable { from },
        Type::Subscribe => PresenceEvent::SubscribeRequest {
            from: from.to_bare(),
        },
        Type::Subscribed => PresenceEvent::Subscribed {
            from: from.to_bare(),
        },
        Type::Unsubscribed | Type::Unsubscribe => PresenceEvent::Unsubscribed {
            from: from.to_bare(),
        },
        Type::Probe | Type::Error => PresenceEvent::Ignored,
    }
}

fn best_status(presence: &Presence) -> Option<String> {
    presence
        .statuses
        .get("")
        .or_else(|| presence.statuses.values().next())
        .map(|s| s.to_string())
        .filter(|s| !s.trim().is_empty())
}

/// The presences of every resource of every contact, aggregated per
/// contact: the most reachable resource wins, then the highest priority.
#[derive(Debug, Default)]
pub(crate) struct PresenceBook {
    resources: HashMap<BareJid, HashMap<String, (PresenceStatus, i8)>>,
}

impl PresenceBook {
    /// Apply an availability change; returns the contact's new aggregate
    /// if it changed. (Servers answer probes for offline contacts with
    /// `unavailable`; with large rosters, reporting each of those as a
    /// change flooded the UI.)
    pub(crate) fn apply(&mut self, event: &PresenceEvent) -> Option<(BareJid, PresenceStatus)> {
        let bare = match event {
            PresenceEvent::Available { from, .. } | PresenceEvent::Unavailable { from } => {
                from.to_bare()
            }
            _ => return None,
        };
        let before = self.aggregate(&bare);
        self.record(event);
        let after = self.aggregate(&bare);
        (after != before).then_some((bare, after))
    }

    fn record(&mut self, event: &PresenceEvent) {
        match event {
            PresenceEvent::Available {
                from,
                status,
                priority,
            } => {
                let bare = from.to_bare();
                let resource = from.resource().map(|r| r.to_string()).unwrap_or_default();
                self.resources
                    .entry(bare.clone())
                    .or_default()
                    .insert(resource, (status.clone(), *priority));
            }
            PresenceEvent::Unavailable { from } => {
                let bare = from.to_bare();
                match from.resource() {
                    Some(resource) => {
                        if let Some(map) = self.resources.get_mut(&bare) {
                            map.remove(resource.as_str());
                        }
                    }
                    None => {
                        self.resources.remove(&bare);
                    }
                }
                if self.resources.get(&bare).is_some_and(HashMap::is_empty) {
                    self.resources.remove(&bare);
                }
            }
            _ => {}
        }
    }

    /// The aggregate presence of a contact (offline if none is known).
    pub(crate) fn aggregate(&self, jid: &BareJid) -> PresenceStatus {
        self.resources
            .get(jid)
            .and_then(|map| {
                map.values()
                    .min_by_key(|(status, priority)| {
                        (status.show.reachability(), std::cmp::Reverse(*priority))
                    })
                    .map(|(status, _)| status.clone())
            })
            .unwrap_or_default()
    }

    /// Forget everything (the connection dropped: nobody is known online).
    pub(crate) fn clear(&mut self) -> Vec<BareJid> {
        self.resources.drain().map(|(jid, _)| jid).collect()
    }
}

/// Our own presence broadcast, with the entity-capabilities element.
pub(crate) fn own_presence(status: &PresenceStatus, caps: Caps) -> Presence {
    let (type_, show) = match status.show {
        PresenceShow::Available => (Type::None, None),
        PresenceShow::Away => (Type::None, Some(Show::Away)),
        PresenceShow::ExtendedAway => (Type::None, Some(Show::Xa)),
        PresenceShow::DoNotDisturb => (Type::None, Some(Show::Dnd)),
        PresenceShow::Offline => (Type::Unavailable, None),
    };
    let mut presence = Presence::new(type_);
    presence.show = show;
    if let Some(text) = status.status.as_ref().filter(|t| !t.trim().is_empty()) {
        presence.set_status("", text.as_str());
    }
    if presence.type_ == Type::None {
        presence.add_payload(caps);
    }
    presence
}

/// A subscription-management presence (`subscribe`, `subscribed`, …).
pub(crate) fn subscription(to: &BareJid, type_: Type) -> Presence {
    let mut presence = Presence::new(type_);
    presence.to = Some(Jid::from(to.clone()));
    presence
}
