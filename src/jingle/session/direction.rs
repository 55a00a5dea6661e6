//! Who sends on a content: the peer's `content-modify` (XEP-0166 §7.2.5)
//! changes a content's `senders`.
//!
//! Dino sends one for a video content it cannot feed (no camera): it keeps
//! receiving our picture and tells us it will send none. When the new
//! `senders` leaves us out, our media on that content stops; when it leaves
//! the peer out, the user is told as for a mute. For a content we are still
//! adding, that waits until the peer accepts it (its content-accept's
//! `senders` has the last word).

use xmpp_parsers::jid::Jid;
use xmpp_parsers::jingle::{Content, Jingle, Senders};

use super::call::{CallSession, refuse};
use super::output::{CallEvent, ContentSpec, MediaCommand, Output};
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
        let changes = |spec: &ContentSpec| {
            jingle
                .contents
                .iter()
                .find(|c| c.name == spec.name)
                .map(|c| c.senders.clone())
        };
        // A content still being added only records the change: it is
        // reported once the content is accepted (Dino modifies just
        // before it accepts, when the call does not have the media yet).
        for spec in self.adding.iter_mut().flat_map(|a| a.specs.iter_mut()) {
            if let Some(senders) = changes(spec) {
                spec.senders = senders;
            }
        }
        let we_initiated = self.direction == CallDirection::Outgoing;
        for spec in &mut self.contents {
            if let Some(senders) = changes(spec) {
                let old = std::mem::replace(&mut spec.senders, senders);
                report_senders(spec, &old, we_initiated, out);
            }
        }
    }

    /// Takes the contents we added into the call once the peer accepted
    /// them, and reports who sends on them: the `senders` of its
    /// content-accept, or of an earlier content-modify.
    pub(super) fn on_added_contents_accepted(
        &mut self,
        mut specs: Vec<ContentSpec>,
        accepted: &[Content],
        out: &mut Vec<Output>,
    ) {
        for spec in &mut specs {
            if let Some(content) = accepted.iter().find(|c| c.name == spec.name) {
                spec.senders = content.senders.clone();
            }
        }
        self.contents.extend(specs.iter().cloned());
        out.push(Output::Event(CallEvent::MediaChanged {
            media: self.media(),
        }));
        let we_initiated = self.direction == CallDirection::Outgoing;
        for spec in &specs {
            report_senders(spec, &Senders::Both, we_initiated, out);
        }
    }
}

/// Tells the media engine and the user what `spec`'s `senders` changes
/// compared to `old` (both sending, for a new content).
fn report_senders(spec: &ContentSpec, old: &Senders, we_initiated: bool, out: &mut Vec<Output>) {
    let we_send = sends(&spec.senders, we_initiated);
    if sends(old, we_initiated) != we_send {
        out.push(Output::Media(MediaCommand::SetSendPermitted {
            name: spec.name.clone(),
            permitted: we_send,
        }));
    }
    let peer_sends = sends(&spec.senders, !we_initiated);
    if sends(old, !we_initiated) != peer_sends {
        out.push(Output::Event(CallEvent::PeerMuted {
            media: spec.media,
            muted: !peer_sends,
        }));
    }
}
