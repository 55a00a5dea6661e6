//! Multi-user chat rooms (XEP-0045): rooms as joined or bookmarked,
//! their occupants, invitations and the public rooms of a service.

use super::{BareJid, PresenceShow};

/// An occupant's role in a room: what they may do right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Role {
    /// May kick, grant voice and moderate messages.
    Moderator,
    /// May speak.
    Participant,
    /// Present but without voice in a moderated room.
    Visitor,
    /// Not in the room (used to kick).
    #[default]
    None,
}

/// A user's long-lived standing in a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Affiliation {
    /// Owns the room: may configure and destroy it.
    Owner,
    /// Administers the room: may ban and edit the member list.
    Admin,
    /// A member (may enter a members-only room).
    Member,
    /// Banned.
    Outcast,
    /// No affiliation.
    #[default]
    None,
}

/// A user in one of a room's affiliation lists (members, admins, owners,
/// banned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffiliatedUser {
    /// Their real address.
    pub jid: BareJid,
    /// The nickname they registered with the room, if any.
    pub nick: Option<String>,
    /// Why they have this affiliation (a ban's reason), when the room keeps
    /// it.
    pub reason: Option<String>,
}

/// One person (or client) present in a room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occupant {
    /// Their nickname in the room (the resource of their room address).
    pub nick: String,
    /// Their real address, when the room shows it to us.
    pub real_jid: Option<BareJid>,
    /// XEP-0421 occupant id: the same person across nickname changes.
    pub occupant_id: Option<String>,
    /// Current role.
    pub role: Role,
    /// Affiliation.
    pub affiliation: Affiliation,
    /// Availability.
    pub show: PresenceShow,
    /// Status message (plain text).
    pub status: Option<String>,
}

/// How much of a room's traffic raises desktop notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoomNotify {
    /// Every message.
    All,
    /// Only messages that mention the user (the default).
    #[default]
    MentionsOnly,
    /// None at all.
    Never,
}

/// Why the room refused us or threw us out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomError {
    /// Someone else uses this nickname.
    NicknameConflict,
    /// The nickname cannot be used in an address (see [`nickname_allowed`]),
    /// or the room said it is malformed.
    NicknameInvalid,
    /// The room needs a password (or the one given was wrong).
    PasswordRequired,
    /// The room is members-only and we are not a member.
    MembersOnly,
    /// We are banned from the room.
    Banned,
    /// The room wants us to register a nickname first.
    RegistrationRequired,
    /// The room does not exist and may not be created by us.
    NotFound,
    /// The room is full.
    Full,
    /// The room is locked (being configured by its owner).
    Locked,
    /// The room refused an action (kick, configuration …) as forbidden.
    Forbidden,
    /// The action is not allowed in this room.
    NotAllowed,
    /// The room does not support removing messages (XEP-0425).
    ModerationUnsupported,
    /// The room or its service did not answer.
    Unreachable,
    /// The room did not deliver a private message (XEP-0045 §7.5).
    PrivateMessageFailed {
        /// The occupant it was for.
        nick: String,
        /// Whether they were no longer in the room (else the room refused
        /// the message).
        gone: bool,
    },
    /// Any other refusal, by its defined condition name.
    Other {
        /// The XMPP error condition (e.g. `bad-request`).
        condition: String,
    },
}

/// Why we are no longer in a room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomExit {
    /// We left.
    Left,
    /// A moderator kicked us.
    Kicked {
        /// Their reason, if given.
        reason: Option<String>,
    },
    /// An admin banned us.
    Banned {
        /// Their reason, if given.
        reason: Option<String>,
    },
    /// The room became members-only or we lost membership.
    MembershipLost,
    /// The owner destroyed the room.
    Destroyed {
        /// Their reason, if given.
        reason: Option<String>,
        /// Where the conversation continues, if said.
        alternative: Option<BareJid>,
    },
    /// The room's service shut down.
    ServiceShutdown,
}

/// Where we stand with a room.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RoomState {
    /// Not in the room (bookmarked without autojoin, or the account is offline).
    #[default]
    NotJoined,
    /// Join presence sent; waiting for our own presence back.
    Joining,
    /// In the room.
    Joined,
    /// The room refused us; the user must act (new nick, password …).
    Failed {
        /// Why.
        error: RoomError,
    },
    /// We were removed from the room.
    Exited {
        /// How.
        exit: RoomExit,
    },
}

/// A room as the sidebar and the room view show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomSummary {
    /// The account.
    pub account: BareJid,
    /// The room's address.
    pub room: BareJid,
    /// Its name (from the bookmark or the room's disco identity).
    pub name: Option<String>,
    /// Its subject, as set in the room (plain text).
    pub subject: Option<String>,
    /// Our nickname in the room.
    pub nick: String,
    /// Whether we are in it.
    pub state: RoomState,
    /// Our role.
    pub role: Role,
    /// Our affiliation.
    pub affiliation: Affiliation,
    /// Notification setting.
    pub notify: RoomNotify,
    /// Whether it is bookmarked.
    pub bookmarked: bool,
    /// Whether the bookmark joins it when the account comes online.
    pub autojoin: bool,
    /// Whether the room is members-only (from its disco features).
    pub members_only: bool,
    /// Whether the room archives messages (XEP-0313).
    pub archived: bool,
}

/// An invitation to a room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomInvitation {
    /// The account invited.
    pub account: BareJid,
    /// The room.
    pub room: BareJid,
    /// Who invites: their address, or the room's when the room hides it.
    pub from: BareJid,
    /// The inviter's nickname in the room, when the room names them so
    /// (semi-anonymous rooms relay invitations from the occupant address).
    pub inviter_nick: Option<String>,
    /// Their reason (plain text).
    pub reason: Option<String>,
    /// The room's password, if the invitation carries it.
    pub password: Option<String>,
    /// Whether it came through the room (mediated, XEP-0045 §7.8.2)
    /// rather than directly (XEP-0249); a declined mediated invitation is
    /// answered through the room.
    pub mediated: bool,
}

/// One room of a conference service's public directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicRoom {
    /// The room's address.
    pub jid: BareJid,
    /// Its name, when the service gives one.
    pub name: Option<String>,
    /// How many people are in it, when the service tells.
    pub occupants: Option<u32>,
}

/// A page of a service's public rooms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicRoomsPage {
    /// The conference service.
    pub service: BareJid,
    /// The rooms of this page.
    pub rooms: Vec<PublicRoom>,
    /// Pass this to fetch the next page (XEP-0059); `None` on the last.
    pub next: Option<String>,
    /// How many rooms the service has in all, when it tells.
    pub total: Option<u32>,
}

/// A change among a room's occupants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OccupantChange {
    /// Someone entered or changed presence, role or affiliation.
    Updated {
        /// Their new state.
        occupant: Occupant,
    },
    /// Someone changed their nickname.
    Renamed {
        /// The old nickname.
        old_nick: String,
        /// Their state under the new nickname.
        occupant: Occupant,
    },
    /// Someone left (or was removed).
    Left {
        /// Their nickname.
        nick: String,
        /// Why, when they did not leave by themselves.
        exit: RoomExit,
    },
}

/// Whether `nick` can be used as a nickname: not blank, and allowed in the
/// last part of an address (resourceprep: no control, private-use or
/// display-changing characters, no mixed writing directions). Emoji are
/// allowed (see src/patches/stringprep).
pub fn nickname_allowed(nick: &str) -> bool {
    !nick.trim().is_empty() && xmpp_parsers::jid::ResourcePart::new(nick).is_ok()
}

/// Whether `body` mentions `nick`: the nickname as a whole word, any case,
/// optionally after `@`.
pub fn mentions(body: &str, nick: &str) -> bool {
    let nick = nick.trim();
    if nick.is_empty() {
        return false;
    }
    let body_lower = body.to_lowercase();
    let nick_lower = nick.to_lowercase();
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let mut start = 0;
    while let Some(found) = body_lower[start..].find(&nick_lower) {
        let at = start + found;
        let end = at + nick_lower.len();
        let before_ok = body_lower[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word(c));
        let after_ok = body_lower[end..].chars().next().is_none_or(|c| !is_word(c));
        if before_ok && after_ok {
            return true;
        }
        start = at + body_lower[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{mentions, nickname_allowed};

    #[test]
    fn nicknames_the_address_rules_refuse_are_not_allowed() {
        assert!(nickname_allowed("Alice"));
        assert!(nickname_allowed("Zoë Ω"));
        // Symbols pass, emoji newer than Unicode 3.2 included.
        assert!(nickname_allowed("Ann ♥"));
        assert!(nickname_allowed("bird 🐦"));
        assert!(!nickname_allowed("bird \u{E000}"));
        assert!(!nickname_allowed("right\u{202E}left"));
        assert!(!nickname_allowed(""));
        assert!(!nickname_allowed("   "));
        assert!(!nickname_allowed("line\nbreak"));
        assert!(!nickname_allowed(&"x".repeat(2000)));
    }

    #[test]
    fn a_mention_is_the_whole_nickname_in_any_case() {
        assert!(mentions("hi Alice, look", "alice"));
        assert!(mentions("@alice: look", "Alice"));
        assert!(mentions("ALICE", "alice"));
        assert!(!mentions("alicea is here", "alice"));
        assert!(!mentions("malice", "alice"));
        assert!(!mentions("anything", ""));
        assert!(mentions("ping Zoë!", "zoë"));
    }
}
