//! How model values are written to and read from SQLite columns.
//!
//! Enums are stored as small integers or short words; the numbers are part
//! of the file format, so they never change meaning once released.

use crate::model::{BareJid, DeliveryState, Direction, RoomNotify, Subscription, TlsMode};

/// Column value of a [`Direction`].
pub(super) fn direction_to_sql(direction: Direction) -> i64 {
    match direction {
        Direction::Incoming => 0,
        Direction::Outgoing => 1,
    }
}

/// Reads a [`Direction`] column; `None` for an unknown value.
pub(super) fn direction_from_sql(value: i64) -> Option<Direction> {
    match value {
        0 => Some(Direction::Incoming),
        1 => Some(Direction::Outgoing),
        _ => None,
    }
}

/// Column value of a [`DeliveryState`].
pub(super) fn state_to_sql(state: DeliveryState) -> i64 {
    match state {
        DeliveryState::Pending => 0,
        DeliveryState::Sent => 1,
        DeliveryState::Delivered => 2,
        DeliveryState::Failed => 3,
        DeliveryState::Received => 4,
    }
}

/// Reads a [`DeliveryState`] column; `None` for an unknown value.
pub(super) fn state_from_sql(value: i64) -> Option<DeliveryState> {
    match value {
        0 => Some(DeliveryState::Pending),
        1 => Some(DeliveryState::Sent),
        2 => Some(DeliveryState::Delivered),
        3 => Some(DeliveryState::Failed),
        4 => Some(DeliveryState::Received),
        _ => None,
    }
}

/// Column value of a [`Subscription`] (the RFC 6121 attribute value).
pub(super) fn subscription_to_sql(subscription: Subscription) -> &'static str {
    match subscription {
        Subscription::None => "none",
        Subscription::To => "to",
        Subscription::From => "from",
        Subscription::Both => "both",
    }
}

/// Reads a [`Subscription`] column; `None` for an unknown value.
pub(super) fn subscription_from_sql(value: &str) -> Option<Subscription> {
    match value {
        "none" => Some(Subscription::None),
        "to" => Some(Subscription::To),
        "from" => Some(Subscription::From),
        "both" => Some(Subscription::Both),
        _ => None,
    }
}

/// Column value of a [`TlsMode`].
pub(super) fn tls_to_sql(tls: TlsMode) -> &'static str {
    match tls {
        TlsMode::DirectTls => "direct",
        TlsMode::StartTls => "starttls",
    }
}

/// Reads a [`TlsMode`] column; `None` for an unknown value.
pub(super) fn tls_from_sql(value: &str) -> Option<TlsMode> {
    match value {
        "direct" => Some(TlsMode::DirectTls),
        "starttls" => Some(TlsMode::StartTls),
        _ => None,
    }
}

/// Column value of a [`RoomNotify`].
pub(super) fn notify_to_sql(notify: RoomNotify) -> i64 {
    match notify {
        RoomNotify::All => 0,
        RoomNotify::MentionsOnly => 1,
        RoomNotify::Never => 2,
    }
}

/// Reads a [`RoomNotify`] column; `None` for an unknown value.
pub(super) fn notify_from_sql(value: i64) -> Option<RoomNotify> {
    match value {
        0 => Some(RoomNotify::All),
        1 => Some(RoomNotify::MentionsOnly),
        2 => Some(RoomNotify::Never),
        _ => None,
    }
}

/// Parses a stored address, logging and returning `None` when it no longer
/// parses (for example after a change in the address rules), so that one
/// bad row never makes a whole list fail.
pub(super) fn parse_jid(value: &str, column: &str) -> Option<BareJid> {
    match BareJid::new(value) {
        Ok(jid) => Some(jid),
        Err(error) => {
            tracing::warn!(column, value, "Could not parse a stored address: {error}");
            None
        }
    }
}
