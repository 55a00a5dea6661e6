//! Presence: availability and status text (RFC 6121 §4).

/// Availability of a contact or of the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum PresenceShow {
    /// Free for chat or plainly available.
    Available,
    /// Temporarily away.
    Away,
    /// Away for a long time ("xa").
    ExtendedAway,
    /// Do not disturb.
    DoNotDisturb,
    /// No available resource.
    #[default]
    Offline,
}

impl PresenceShow {
    /// Ordering used to pick the "best" resource of a contact: lower is more
    /// reachable.
    pub fn reachability(self) -> u8 {
        match self {
            Self::Available => 0,
            Self::DoNotDisturb => 1,
            Self::Away => 2,
            Self::ExtendedAway => 3,
            Self::Offline => 4,
        }
    }
}

/// A presence value with its optional status message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PresenceStatus {
    /// Availability.
    pub show: PresenceShow,
    /// Free-text status message, as sent by the peer (plain text).
    pub status: Option<String>,
}
