//! How a call ends: the stanzas each phase needs, then releasing media
//! and timers.

use xmpp_parsers::jid::Jid;
use xmpp_parsers::jingle::{Action, Reason};

use super::call::{CallSession, Phase, jingle_reason};
use super::jmi::JmiMessage;
use super::output::{MediaCommand, Output};
use super::stanzas::reason_for;
use crate::model::CallEndReason;

impl CallSession {
    /// The user (or this device) ends the call: tell the peer as the phase
    /// requires, then clean up.
    pub(super) fn hang_up_with(&mut self, reason: CallEndReason, out: &mut Vec<Output>) {
        let condition = reason_for(reason);
        let peer: Jid = self.peer.clone().into();
        match self.phase {
            Phase::Ended(_) => return,
            Phase::Proposing => {
                let retract = JmiMessage::Retract {
                    sid: self.id.clone(),
                    reason: Some(condition),
                    tie_break: false,
                };
                self.send_jmi(peer, &retract, out);
            }
            Phase::Ringing if self.via_jmi => {
                // Only a decision of the user stops the other devices from
                // ringing; a timeout or sign-out here stays local.
                if matches!(reason, CallEndReason::Declined | CallEndReason::Busy) {
                    // XEP-0353 §3.5 recommends <busy/> to avoid revealing
                    // that the user saw the call and declined it.
                    let reject = JmiMessage::Reject {
                        sid: self.id.clone(),
                        reason: Some(Reason::Busy),
                        tie_break: false,
                    };
                    self.send_jmi(peer, &reject, out);
                }
            }
            Phase::AwaitingInitiate => {
                if !self.answered_elsewhere {
                    self.send_finish(condition, out);
                }
            }
            Phase::PreparingOffer => {
                if self.via_jmi {
                    self.send_finish(condition, out);
                }
            }
            Phase::Ringing
            | Phase::Initiated
            | Phase::PreparingAnswer
            | Phase::Accepted
            | Phase::Active => {
                let jingle = self
                    .jingle(Action::SessionTerminate)
                    .set_reason(jingle_reason(condition.clone()));
                self.send_jingle(jingle, out);
                if self.via_jmi {
                    self.send_finish(condition, out);
                }
            }
        }
        self.finalize(reason, out);
    }

    /// The peer (or another device of ours) ended the call: confirm with
    /// finish as XEP-0353 §3.6 asks of both sides, then clean up.
    pub(super) fn ended_remotely(&mut self, reason: CallEndReason, out: &mut Vec<Output>) {
        if self.via_jmi && self.answered && !self.answered_elsewhere && !self.finish_sent {
            self.send_finish(reason_for(reason), out);
        }
        self.finalize(reason, out);
    }

    fn send_finish(&mut self, reason: Reason, out: &mut Vec<Output>) {
        if self.finish_sent {
            return;
        }
        let finish = JmiMessage::Finish {
            sid: self.id.clone(),
            reason: Some(reason),
            migrated_to: None,
        };
        self.send_jmi(self.peer.clone().into(), &finish, out);
    }

    /// Release everything and mark the call over, without telling anyone.
    pub(super) fn finalize(&mut self, reason: CallEndReason, out: &mut Vec<Output>) {
        if self.media_started {
            out.push(Output::Media(MediaCommand::Stop));
        }
        for kind in std::mem::take(&mut self.timers) {
            out.push(Output::CancelTimer { kind });
        }
        self.pending_iqs.clear();
        self.phase = Phase::Ended(reason);
        tracing::debug!(call = %self.id, ?reason, "Call ended");
    }
}
