//! The call protocol state machine: Jingle sessions (XEP-0166) for RTP
//! audio and video (XEP-0167), set up with Jingle Message Initiation
//! (XEP-0353) or with a direct session-initiate.
//!
//! Sans-IO: [`CallSession::handle`] and [`CallManager`] take plain inputs
//! (parsed stanzas, user actions, media events, timers) and return plain
//! outputs (stanzas to send, media commands, UI events, timers). They never
//! touch sockets, GStreamer or SDP: the media engine is asked for Jingle
//! contents and reports back with them.
//!
//! During a call, session-info (XEP-0167 §7) carries the user's mutes (one
//! `<mute/>` or `<unmute/>` per content of that media) and hold (`<hold/>`
//! and `<unhold/>` for the whole session, sent only when it changes); the
//! peer's are reported as [`CallEvent::PeerMuted`] and
//! [`CallEvent::PeerHold`].

mod call;
mod direction;
mod end;
mod input;
mod jmi;
mod local;
mod manager;
mod output;
mod peer;
mod stanzas;
mod start;

#[cfg(test)]
mod tests;

use std::ops::Add;
use std::time::Duration;

pub use call::{CallSession, CallTarget};
pub use input::{Input, IqFailure, JmiSignal, MediaEvent, Signal, TimerKind, UserAction};
pub use jmi::{JmiMessage, NS_JINGLE_MESSAGE};
pub use manager::{CallManager, CallOutput};
pub use output::{CallEvent, ContentSpec, MediaCommand, Output};

/// How long a call may ring unanswered before it ends with `timeout`.
pub const RING_TIMEOUT: Duration = Duration::from_secs(60);

/// How long an answered call may take to connect its media.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// A point on a monotonic clock: the time since an arbitrary start chosen
/// by whoever drives the machine (the account actor uses its own start).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonotonicTime(Duration);

impl MonotonicTime {
    /// The clock's start.
    pub const ZERO: Self = Self(Duration::ZERO);

    /// The point `elapsed` after the clock's start.
    pub fn since_start(elapsed: Duration) -> Self {
        Self(elapsed)
    }

    /// The point `millis` milliseconds after the clock's start.
    pub fn from_millis(millis: u64) -> Self {
        Self(Duration::from_millis(millis))
    }

    /// The time since the clock's start.
    pub fn elapsed(self) -> Duration {
        self.0
    }
}

impl Add<Duration> for MonotonicTime {
    type Output = Self;

    fn add(self, duration: Duration) -> Self {
        Self(self.0.saturating_add(duration))
    }
}

/// Why a call could not be placed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaceCallError {
    /// Neither audio nor video was asked for.
    #[error("a call needs audio or video")]
    NoMedia,
    /// The callee is the user's own account.
    #[error("cannot call one's own account")]
    OwnAccount,
    /// The id is already used by a running or recent call.
    #[error("call id {0} is already in use")]
    DuplicateId(crate::model::CallId),
}
