//! All calls of one account: routes stanzas to their call, creates calls
//! for new proposals and session-initiates, and settles what concerns more
//! than one call (both sides calling at once, a call moving to another
//! device, a second caller while the user is busy).

use std::collections::VecDeque;

use xmpp_parsers::jid::{FullJid, Jid};
use xmpp_parsers::jingle::{Action, Jingle, Reason, SessionId};

use super::call::{
    CallSession, CallTarget, Phase, addressed_to_other_own_device, jingle_reason, refuse, specs_of,
};
use super::input::{Input, JmiSignal, Signal, UserAction};
use super::jmi::JmiMessage;
use super::output::Output;
use super::stanzas::{JingleRefusal, iq_result, jingle_set, jmi_message};
use super::{MonotonicTime, PlaceCallError};
use crate::model::{CallDirection, CallEndReason, CallId, MediaKind};

/// How many ended call ids are remembered, so that late or repeated
/// messages (from archives, or retries) do not ring again.
const REMEMBERED_ENDED_CALLS: usize = 256;

/// One output of the manager, with the call it concerns (`None` for replies
/// to requests that belong to no call).
#[derive(Debug, Clone, PartialEq)]
pub struct CallOutput {
    /// The call concerned.
    pub call: Option<CallId>,
    /// What to do.
    pub output: Output,
}

/// The calls of one account.
#[derive(Debug)]
pub struct CallManager {
    own: FullJid,
    calls: Vec<CallSession>,
    ended: VecDeque<CallId>,
}

impl CallManager {
    /// Calls of the account bound to `own`.
    pub fn new(own: FullJid) -> Self {
        Self {
            own,
            calls: Vec::new(),
            ended: VecDeque::new(),
        }
    }

    /// The call with that id, while it runs.
    pub fn call(&self, id: &CallId) -> Option<&CallSession> {
        self.calls.iter().find(|call| call.id() == id)
    }

    /// The running calls.
    pub fn calls(&self) -> impl Iterator<Item = &CallSession> {
        self.calls.iter()
    }

    /// Whether a call waits for the answer to the IQ with that id (so the
    /// account can route IQ results and errors here).
    pub fn awaits_iq(&self, id: &str) -> bool {
        self.calls.iter().any(|call| call.awaits_iq(id))
    }

    /// Start a call. `id` should be a fresh UUIDv4 (XEP-0353 §3.1).
    pub fn place_call(
        &mut self,
        now: MonotonicTime,
        id: CallId,
        target: CallTarget,
        media: &[MediaKind],
    ) -> Result<Vec<CallOutput>, PlaceCallError> {
        if media.is_empty() {
            return Err(PlaceCallError::NoMedia);
        }
        let peer = match &target {
            CallTarget::Jmi(peer) => peer.clone(),
            CallTarget::Direct(peer) => peer.to_bare(),
        };
        if peer == self.own.to_bare() {
            return Err(PlaceCallError::OwnAccount);
        }
        if self.call(&id).is_some() || self.ended.contains(&id) {
            return Err(PlaceCallError::DuplicateId(id));
        }
        let (call, outputs) = CallSession::outgoing(now, id, self.own.clone(), target, media);
        Ok(self.adopt(call, outputs))
    }

    /// Feed an input meant for one call (a user action, a media event or a
    /// timer).
    pub fn handle(&mut self, now: MonotonicTime, id: &CallId, input: Input) -> Vec<CallOutput> {
        let Some(call) = self.calls.iter_mut().find(|call| call.id() == id) else {
            if let Input::Signal(Signal::Jingle { from, id: iq, .. }) = input {
                return vec![unrelated(refuse(from, iq, JingleRefusal::UnknownSession))];
            }
            return Vec::new();
        };
        let outputs = call.handle(now, input);
        let tagged = tag(id, outputs);
        self.forget_ended();
        tagged
    }

    /// Feed a stanza read by the XMPP layer.
    pub fn handle_signal(&mut self, now: MonotonicTime, signal: Signal) -> Vec<CallOutput> {
        match signal {
            Signal::Jmi(jmi) => self.on_jmi(now, jmi),
            Signal::Jingle { from, id, jingle } => {
                let sid = CallId::new(jingle.sid.0.clone());
                if self.call(&sid).is_some() {
                    let signal = Signal::Jingle { from, id, jingle };
                    return self.handle(now, &sid, signal.into());
                }
                if jingle.action == Action::SessionInitiate && !self.ended.contains(&sid) {
                    return self.on_initiate(now, from, id, *jingle);
                }
                vec![unrelated(refuse(from, id, JingleRefusal::UnknownSession))]
            }
            Signal::MalformedJingle { from, id } => {
                vec![unrelated(refuse(from, id, JingleRefusal::BadRequest))]
            }
            Signal::IqResult { ref id, .. } | Signal::IqError { ref id, .. } => {
                let owner = self.calls.iter().find(|call| call.awaits_iq(id));
                match owner.map(|call| call.id().clone()) {
                    Some(call) => self.handle(now, &call, signal.into()),
                    None => Vec::new(),
                }
            }
            Signal::PeerUnavailable { .. } => {
                let ids: Vec<CallId> = self.calls.iter().map(|c| c.id().clone()).collect();
                let mut outputs = Vec::new();
                for id in ids {
                    outputs.extend(self.handle(now, &id, signal.clone().into()));
                }
                outputs
            }
        }
    }

    /// The account goes offline: end every call with `gone`.
    pub fn shutdown(&mut self, now: MonotonicTime) -> Vec<CallOutput> {
        let ids: Vec<CallId> = self.calls.iter().map(|c| c.id().clone()).collect();
        let mut outputs = Vec::new();
        for id in ids {
            outputs.extend(self.handle(now, &id, Input::Shutdown));
        }
        outputs
    }

    fn on_jmi(&mut self, now: MonotonicTime, signal: JmiSignal) -> Vec<CallOutput> {
        let sid = signal.message.sid().clone();
        if let Some(call) = self.call(&sid) {
            // The same id for both proposals: a tie like any other, settled
            // below by comparing JIDs.
            let same_id_tie = matches!(signal.message, JmiMessage::Propose { .. })
                && !signal.from_own_account
                && call.phase == Phase::Proposing
                && signal.from.to_bare() == *call.peer();
            if !same_id_tie {
                return self.handle(now, &sid, Signal::Jmi(signal).into());
            }
        }
        let JmiMessage::Propose { media, .. } = &signal.message else {
            // The end of a call we never saw (or already forgot): make sure
            // its proposal, should it come late from an archive, stays quiet.
            if matches!(
                signal.message,
                JmiMessage::Retract { .. } | JmiMessage::Reject { .. } | JmiMessage::Finish { .. }
            ) {
                self.remember_ended(sid);
            }
            return Vec::new();
        };
        let addressed_elsewhere = addressed_to_other_own_device(&self.own, signal.to.as_ref());
        if signal.from_own_account || addressed_elsewhere || self.ended.contains(&sid) {
            return Vec::new();
        }
        let Ok(from) = signal.from.clone().try_into_full() else {
            return Vec::new();
        };
        if media.is_empty() || from.to_bare() == self.own.to_bare() {
            tracing::debug!(call = %sid, "Ignoring a proposal without audio or video");
            return Vec::new();
        }
        let media = media.clone();
        let peer = from.to_bare();
        let mut outputs = Vec::new();
        let same_peer = self
            .calls
            .iter()
            .position(|call| *call.peer() == peer && call.direction() == CallDirection::Outgoing);
        if let Some(index) = same_peer
            && self.calls[index].phase == Phase::Proposing
        {
            // XEP-0353 §4.1: both proposed at once; the lower id wins.
            let ours = self.calls[index].id().clone();
            if theirs_wins(&sid, &from, &ours, &self.own) {
                let lost = self.calls[index].lose_tie_break();
                outputs.extend(tag(&ours, lost));
            } else {
                let reject = JmiMessage::Reject {
                    sid: sid.clone(),
                    reason: Some(Reason::Expired),
                    tie_break: true,
                };
                let id = format!("jm-tie-break-{sid}");
                outputs.push(CallOutput {
                    call: Some(sid.clone()),
                    output: Output::SendMessage(Box::new(jmi_message(peer.into(), id, &reject))),
                });
                if self.call(&sid).is_none() {
                    self.remember_ended(sid);
                }
                return outputs;
            }
            return self.answer_new_proposal(now, sid, from, &media, outputs);
        }
        if let Some(index) = self
            .calls
            .iter()
            .position(|call| *call.peer() == peer && call.answered)
        {
            // XEP-0353 §4.2: a new proposal from the peer we are talking to
            // continues the call (another device, or after a connection
            // loss).
            let old = self.calls[index].id().clone();
            let migrated = self.calls[index].migrate_to(&sid);
            outputs.extend(tag(&old, migrated));
            return self.answer_new_proposal(now, sid, from, &media, outputs);
        }
        if self.calls.iter().any(CallSession::is_engaged) {
            let reject = JmiMessage::Reject {
                sid: sid.clone(),
                reason: Some(Reason::Busy),
                tie_break: false,
            };
            let id = format!("jm-busy-{sid}");
            outputs.push(CallOutput {
                call: Some(sid.clone()),
                output: Output::SendMessage(Box::new(jmi_message(peer.into(), id, &reject))),
            });
            self.remember_ended(sid);
            return outputs;
        }
        let (call, created) =
            CallSession::incoming_proposal(now, sid, self.own.clone(), from, &media);
        outputs.extend(self.adopt(call, created));
        outputs
    }

    /// Take the peer's proposal at once: the user was calling that peer
    /// already (tie-break) or is talking to them (migration).
    fn answer_new_proposal(
        &mut self,
        now: MonotonicTime,
        sid: CallId,
        from: FullJid,
        media: &[MediaKind],
        mut outputs: Vec<CallOutput>,
    ) -> Vec<CallOutput> {
        self.forget_ended();
        let (call, created) =
            CallSession::incoming_proposal(now, sid.clone(), self.own.clone(), from, media);
        outputs.extend(self.adopt(call, created));
        outputs.extend(self.handle(now, &sid, Input::User(UserAction::Accept)));
        outputs
    }

    fn on_initiate(
        &mut self,
        now: MonotonicTime,
        from: Jid,
        id: String,
        jingle: Jingle,
    ) -> Vec<CallOutput> {
        let sid = CallId::new(jingle.sid.0.clone());
        let Ok(from_full) = from.clone().try_into_full() else {
            return vec![unrelated(refuse(from, id, JingleRefusal::BadRequest))];
        };
        let specs = specs_of(&jingle.contents);
        if specs.is_empty() || specs.len() != jingle.contents.len() {
            return vec![unrelated(refuse(from, id, JingleRefusal::BadRequest))];
        }
        let peer = from_full.to_bare();
        let mut outputs = Vec::new();
        let unanswered = self.calls.iter().position(|call| {
            *call.peer() == peer && call.direction() == CallDirection::Outgoing && !call.answered
        });
        if let Some(index) = unanswered {
            // XEP-0166: both sides initiated at once; the lower sid wins.
            let ours = self.calls[index].id().clone();
            if !theirs_wins(&sid, &from_full, &ours, &self.own) {
                return vec![unrelated(refuse(from, id, JingleRefusal::TieBreak))];
            }
            let lost = self.calls[index].lose_tie_break();
            outputs.extend(tag(&ours, lost));
            self.forget_ended();
            let (call, created) =
                CallSession::incoming_initiate(now, self.own.clone(), from_full, id, jingle);
            outputs.extend(self.adopt(call, created));
            outputs.extend(self.handle(now, &sid, Input::User(UserAction::Accept)));
            return outputs;
        }
        if self.calls.iter().any(CallSession::is_engaged) {
            // Acknowledge, then end at once (XEP-0166 §6.3.2).
            outputs.push(unrelated(Output::SendIq(Box::new(iq_result(
                from.clone(),
                id,
            )))));
            let terminate = Jingle::new(Action::SessionTerminate, SessionId(sid.to_string()))
                .with_initiator(from.clone())
                .with_responder(self.own.clone().into())
                .set_reason(jingle_reason(Reason::Busy));
            let iq = jingle_set(from, format!("jingle-busy-{sid}"), terminate);
            outputs.push(CallOutput {
                call: Some(sid.clone()),
                output: Output::SendIq(Box::new(iq)),
            });
            self.remember_ended(sid);
            return outputs;
        }
        let (call, created) =
            CallSession::incoming_initiate(now, self.own.clone(), from_full, id, jingle);
        outputs.extend(self.adopt(call, created));
        outputs
    }

    fn adopt(&mut self, call: CallSession, outputs: Vec<Output>) -> Vec<CallOutput> {
        let id = call.id().clone();
        self.calls.push(call);
        let tagged = tag(&id, outputs);
        self.forget_ended();
        tagged
    }

    fn forget_ended(&mut self) {
        let mut index = 0;
        while index < self.calls.len() {
            if self.calls[index].is_ended() {
                let call = self.calls.remove(index);
                self.remember_ended(call.id().clone());
            } else {
                index += 1;
            }
        }
    }

    fn remember_ended(&mut self, id: CallId) {
        if self.ended.contains(&id) {
            return;
        }
        if self.ended.len() == REMEMBERED_ENDED_CALLS {
            self.ended.pop_front();
        }
        self.ended.push_back(id);
    }
}

impl CallSession {
    /// Our proposal lost to the peer's simultaneous one: withdraw it
    /// (XEP-0353 §4.1) and end it as replaced.
    fn lose_tie_break(&mut self) -> Vec<Output> {
        let mut out = Vec::new();
        if self.phase == Phase::Proposing {
            let retract = JmiMessage::Retract {
                sid: self.id.clone(),
                reason: Some(Reason::Expired),
                tie_break: true,
            };
            self.send_jmi(self.peer.clone().into(), &retract, &mut out);
        }
        self.finalize(CallEndReason::Replaced, &mut out);
        self.report_state(&mut out);
        out
    }

    /// The peer continues this call under a new id (XEP-0353 §4.2).
    fn migrate_to(&mut self, new: &CallId) -> Vec<Output> {
        let mut out = Vec::new();
        let finish = JmiMessage::Finish {
            sid: self.id.clone(),
            reason: Some(Reason::Expired),
            migrated_to: Some(new.clone()),
        };
        self.send_jmi(self.peer.clone().into(), &finish, &mut out);
        self.finalize(CallEndReason::Replaced, &mut out);
        self.report_state(&mut out);
        out
    }
}

/// XEP-0353 §4.1 (and XEP-0166's tie-break): the lower session id wins,
/// compared byte by byte; on equal ids, the lower JID.
fn theirs_wins(theirs: &CallId, from: &FullJid, ours: &CallId, own: &FullJid) -> bool {
    match theirs.as_str().as_bytes().cmp(ours.as_str().as_bytes()) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => from.as_str().as_bytes() < own.as_str().as_bytes(),
    }
}

fn tag(id: &CallId, outputs: Vec<Output>) -> Vec<CallOutput> {
    outputs
        .into_iter()
        .map(|output| CallOutput {
            call: Some(id.clone()),
            output,
        })
        .collect()
}

fn unrelated(output: Output) -> CallOutput {
    CallOutput { call: None, output }
}
