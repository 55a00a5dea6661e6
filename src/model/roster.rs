//! Roster (contact list) entries.

use super::{BareJid, PresenceStatus};

/// Subscription state of a roster item (RFC 6121 §2.1.2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Subscription {
    /// Neither side sees the other's presence.
    #[default]
    None,
    /// We see the contact's presence.
    To,
    /// The contact sees our presence.
    From,
    /// Both directions.
    Both,
}

/// One roster item as the server keeps it (RFC 6121 §2.1.2), without
/// presence: what the store saves and roster pushes change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterItem {
    /// The contact's address.
    pub jid: BareJid,
    /// The name the user gave the contact.
    pub name: Option<String>,
    /// Roster groups.
    pub groups: Vec<String>,
    /// Subscription state.
    pub subscription: Subscription,
    /// A subscription request of ours is pending ("ask").
    pub pending_out: bool,
}

impl RosterItem {
    /// The contact as shown, with its current presence.
    pub fn to_contact(&self, presence: PresenceStatus) -> Contact {
        Contact {
            jid: self.jid.clone(),
            name: self.name.clone(),
            groups: self.groups.clone(),
            subscription: self.subscription,
            pending_out: self.pending_out,
            presence,
        }
    }
}

/// One contact of the roster, with its aggregated presence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// The contact's bare address.
    pub jid: BareJid,
    /// The name the user gave the contact, if any.
    pub name: Option<String>,
    /// Roster groups.
    pub groups: Vec<String>,
    /// Subscription state.
    pub subscription: Subscription,
    /// A subscription request of ours is pending.
    pub pending_out: bool,
    /// Best presence over all the contact's resources.
    pub presence: PresenceStatus,
}

impl Contact {
    /// The name to show: the roster name, or the address's local part, or
    /// the whole address.
    pub fn display_name(&self) -> String {
        match &self.name {
            Some(name) if !name.trim().is_empty() => name.clone(),
            _ => self
                .jid
                .node()
                .map(|n| n.to_string())
                .unwrap_or_else(|| self.jid.to_string()),
        }
    }
}
