//! Who sends on a content: the peer's `content-modify` (XEP-0166 §7.2.5)
//! changes a content's `senders`.
//!
//! Dino sends one for a video content it cannot feed (no camera): it keeps
//! receiving our picture and tells us it will send none. When the new
//! `senders` leaves us out, our media on that content stops; when it leaves
//! the peer out, the user is told as for a mute.

use xmpp_parsers::jid::Jid;
use xmpp_parsers::jingle::{Jingle, Senders};

use super::call::{CallSession, refuse};
use super::output::{CallEvent, MediaCommand, Output};
use super::stanzas::{JingleRefusal, iq_result};
use crate::model::CallDirection;

/// Whether the party that is the session's initiator (`initiator`) or its
/// responder sends under `senders`.
pub(super) fn sends(senders: &Senders, initiator: bool) -> bool {
    match senders {
        Senders::Both => true,
        Senders::None => false,
        Senders::Initiator => initiator,
        Senders::Responder => !initiator,
    }
}

impl CallSession {
    /// Applies the peer's `content-modify`: every named content must be
    /// one of the call's (or one we are adding), else nothing changes and
    /// the request is refused.
    pub(super) fn on_content_modify(
        &mut self,
        from: Jid,
        id: String,
        jingle: &Jingle,
        out: &mut Vec<Output>,
    ) {
        let known = |name: &xmpp_parsers::jingle::ContentId| {
            self.contents
                .iter()
                .chain(self.adding.iter().flat_map(|a| a.specs.iter()))
                .any(|spec| spec.name == *name)
        };
        if jingle.contents.is_empty() || !jingle.contents.iter().all(|c| known(&c.name)) {
            out.push(refuse(from, id, JingleRefusal::BadRequest));
            return;
        }
        out.push(Output::SendIq(Box::new(iq_result(from, id))));
        let we_initiated = self.direction == CallDirection::Outgoing;
        let specs = self
            .contents
            .iter_mut()
            .chain(self.adding.iter_mut().flat_map(|a| a.specs.iter_mut()));
        for spec in specs {
            let Some(change) = jingle.contents.iter().find(|c| c.name == spec.name) else {
                continue;
            };
            let old = std::mem::replace(&mut spec.senders, change.senders.clone());
            if sends(&old, we_initiated) != sends(&spec.senders, we_initiated) {
                out.push(Output::Media(MediaCommand::SetSendPermitted {
                    name: spec.name.clone(),
                    permitted: sends(&spec.senders, we_initiated),
                }));
            }
            let peer_sends = sends(&spec.senders, !we_initiated);
            if sends(&old, !we_initiated) != peer_sends {
                out.push(Output::Event(CallEvent::PeerMuted {
                    media: spec.media,
                    muted: !peer_sends,
                }));
            }
        }
    }
}
