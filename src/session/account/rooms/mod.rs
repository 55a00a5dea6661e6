//! Multi-user chat rooms of one account (XEP-0045): joining, occupants,
//! room messages and history, bookmarks, self-ping and administration.

use super::AccountActor;
use crate::session::Command;

impl AccountActor {
    /// Handle a room command forwarded by the supervisor.
    pub(super) async fn on_room_command(&mut self, command: Command) {
        tracing::warn!(account = %self.jid, ?command, "Room commands are not handled yet");
    }
}
