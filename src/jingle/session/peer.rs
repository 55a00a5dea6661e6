//! What the peer (and the user's other devices) send: JMI messages,
//! Jingle requests and the answers to ours.

use xmpp_parsers::jid::Jid;
use xmpp_parsers::jingle::{Action, Jingle, Reason};

use super::MonotonicTime;
use super::call::{Addition, CallSession, Phase, addressed_to_other_own_device, refuse, specs_of};
use super::input::{IqFailure, JmiSignal, Signal, TimerKind};
use super::jmi::JmiMessage;
use super::output::{CallEvent, MediaCommand, Output};
use super::stanzas::{JingleRefusal, RtpInfo, end_reason_of, iq_result};
use super::{CONNECT_TIMEOUT, ContentSpec};
use crate::model::{CallDirection, CallEndReason, MediaKind};

impl CallSession {
    pub(super) fn on_signal(&mut self, now: MonotonicTime, signal: Signal, out: &mut Vec<Output>) {
        match signal {
            Signal::Jmi(jmi) => self.on_jmi(now, jmi, out),
            Signal::Jingle { from, id, jingle } => self.on_jingle(now, from, id, *jingle, out),
            Signal::MalformedJingle { from, id } => {
                out.push(refuse(from, id, JingleRefusal::BadRequest));
            }
            Signal::IqResult { from, id } => {
                if self.peer_full.as_ref() == Some(&from) {
                    self.pending_iqs.remove(&id);
                }
            }
            Signal::IqError { from, id, failure } => self.on_iq_error(from, id, failure, out),
            Signal::PeerUnavailable { from } => {
                if self.peer_full.as_ref() == Some(&from) && self.phase != Phase::Proposing {
                    self.ended_remotely(CallEndReason::Gone, out);
                }
            }
        }
    }

    fn on_jmi(&mut self, now: MonotonicTime, signal: JmiSignal, out: &mut Vec<Output>) {
        let JmiSignal {
            from,
            to,
            from_own_account,
            message,
        } = signal;
        // A copy of what the peer sent to another of our devices is not
        // meant for this one (for instance the retract that tells a second
        // answering device that it lost).
        if addressed_to_other_own_device(&self.own, to.as_ref()) {
            return;
        }
        if from_own_account {
            self.on_own_device_jmi(message, out);
            return;
        }
        if from.to_bare() != self.peer {
            tracing::debug!(call = %self.id, %from, "Ignoring JMI message from a stranger");
            return;
        }
        let bound_elsewhere = self.peer_full.as_ref().is_some_and(|bound| *bound != from);
        match message {
            JmiMessage::Propose { .. } | JmiMessage::Accept { .. } => {}
            JmiMessage::Ringing { .. } => {
                if self.direction == CallDirection::Outgoing && self.phase == Phase::Proposing {
                    self.peer_ringing = true;
                }
            }
            JmiMessage::Proceed { .. } => self.on_proceed(now, from, out),
            JmiMessage::Reject {
                reason, tie_break, ..
            } => {
                if self.direction == CallDirection::Outgoing && self.phase == Phase::Proposing {
                    let reason = if tie_break {
                        CallEndReason::Replaced
                    } else {
                        match reason {
                            Some(reason) => end_reason_of(&reason),
                            None => CallEndReason::Declined,
                        }
                    };
                    self.ended_remotely(reason, out);
                }
            }
            JmiMessage::Retract {
                reason, tie_break, ..
            } => {
                let waiting = matches!(self.phase, Phase::Ringing | Phase::AwaitingInitiate);
                if self.direction == CallDirection::Incoming && waiting && !bound_elsewhere {
                    let reason = if tie_break {
                        CallEndReason::Replaced
                    } else if self.answered_elsewhere {
                        CallEndReason::AnsweredElsewhere
                    } else {
                        match reason {
                            Some(reason) => end_reason_of(&reason),
                            None => CallEndReason::Cancelled,
                        }
                    };
                    self.finalize(reason, out);
                }
            }
            JmiMessage::Finish {
                reason,
                migrated_to,
                ..
            } => {
                if bound_elsewhere || self.phase == Phase::Proposing {
                    return;
                }
                if self.phase == Phase::Ringing {
                    // Finished before we answered: another device took it.
                    self.finalize(CallEndReason::AnsweredElsewhere, out);
                    return;
                }
                let reason = match (migrated_to, reason) {
                    (Some(_), _) => CallEndReason::Replaced,
                    (None, Some(reason)) => end_reason_of(&reason),
                    (None, None) => CallEndReason::Success,
                };
                // The peer already said finish; ours confirms it.
                self.ended_remotely(reason, out);
            }
        }
    }

    fn on_proceed(&mut self, now: MonotonicTime, from: Jid, out: &mut Vec<Output>) {
        if self.direction != CallDirection::Outgoing || !self.via_jmi || !from.is_full() {
            return;
        }
        if self.phase == Phase::Proposing {
            self.peer_full = Some(from);
            self.answered = true;
            self.phase = Phase::PreparingOffer;
            self.cancel_timer(TimerKind::Ring, out);
            self.set_timer(now + CONNECT_TIMEOUT, TimerKind::Connect, out);
            let contents = self.contents.clone();
            self.start_media(MediaCommand::CreateOffer { contents }, out);
        } else if self.peer_full.as_ref() != Some(&from) {
            // A second device answered too: the first one won, tell this
            // one to stop waiting for a session-initiate.
            let retract = JmiMessage::Retract {
                sid: self.id.clone(),
                reason: Some(Reason::Cancel),
                tie_break: false,
            };
            self.send_jmi(from, &retract, out);
        }
    }

    /// Our other device answered, declined or ended this call.
    fn on_own_device_jmi(&mut self, message: JmiMessage, out: &mut Vec<Output>) {
        if self.direction != CallDirection::Incoming {
            return;
        }
        match (self.phase, message) {
            (
                Phase::Ringing,
                JmiMessage::Proceed { .. } | JmiMessage::Accept { .. } | JmiMessage::Finish { .. },
            ) => self.finalize(CallEndReason::AnsweredElsewhere, out),
            (Phase::Ringing, JmiMessage::Reject { .. }) => {
                self.finalize(CallEndReason::RejectedElsewhere, out);
            }
            (Phase::AwaitingInitiate, JmiMessage::Proceed { .. } | JmiMessage::Accept { .. }) => {
                self.answered_elsewhere = true;
            }
            _ => {}
        }
    }

    fn on_jingle(
        &mut self,
        now: MonotonicTime,
        from: Jid,
        id: String,
        jingle: Jingle,
        out: &mut Vec<Output>,
    ) {
        if self.peer_full.as_ref() != Some(&from) {
            out.push(refuse(from, id, JingleRefusal::UnknownSession));
            return;
        }
        let us_initiator = self.direction == CallDirection::Outgoing;
        match jingle.action {
            Action::SessionInitiate => {
                if us_initiator || self.phase != Phase::AwaitingInitiate {
                    out.push(refuse(from, id, JingleRefusal::OutOfOrder));
                    return;
                }
                let specs = specs_of(&jingle.contents);
                if specs.is_empty() || specs.len() != jingle.contents.len() {
                    out.push(refuse(from, id, JingleRefusal::BadRequest));
                    return;
                }
                out.push(Output::SendIq(Box::new(iq_result(from, id))));
                self.contents = specs;
                self.phase = Phase::PreparingAnswer;
                self.remote_description_applied = true;
                self.start_media(
                    MediaCommand::AcceptOffer {
                        contents: jingle.contents,
                    },
                    out,
                );
            }
            Action::SessionAccept => {
                if !us_initiator || self.phase != Phase::Initiated {
                    out.push(refuse(from, id, JingleRefusal::OutOfOrder));
                    return;
                }
                if jingle.contents.is_empty() {
                    out.push(refuse(from, id, JingleRefusal::BadRequest));
                    return;
                }
                out.push(Output::SendIq(Box::new(iq_result(from, id))));
                out.push(Output::Media(MediaCommand::ApplyAnswer {
                    contents: jingle.contents,
                }));
                self.remote_description_applied = true;
                self.flush_remote_candidates(out);
                if !self.answered {
                    self.answered = true;
                    self.cancel_timer(TimerKind::Ring, out);
                    self.set_timer(now + CONNECT_TIMEOUT, TimerKind::Connect, out);
                }
                self.enter_accepted(out);
            }
            Action::SessionInfo => self.on_session_info(from, id, &jingle, out),
            Action::SessionTerminate => {
                out.push(Output::SendIq(Box::new(iq_result(from, id))));
                let reason = match &jingle.reason {
                    Some(element) => end_reason_of(&element.reason),
                    None if self.answered => CallEndReason::Success,
                    None if us_initiator => CallEndReason::Declined,
                    None => CallEndReason::Cancelled,
                };
                self.ended_remotely(reason, out);
            }
            Action::TransportInfo => {
                if matches!(
                    self.phase,
                    Phase::Proposing | Phase::AwaitingInitiate | Phase::PreparingOffer
                ) {
                    out.push(refuse(from, id, JingleRefusal::OutOfOrder));
                    return;
                }
                out.push(Output::SendIq(Box::new(iq_result(from, id))));
                self.remote_candidates.extend(jingle.contents);
                if self.remote_description_applied {
                    self.flush_remote_candidates(out);
                }
            }
            Action::ContentAdd => self.on_content_add(from, id, jingle, out),
            Action::ContentModify => self.on_content_modify(from, id, &jingle, out),
            Action::ContentAccept => {
                let Some(addition) = self.adding.take_if(|a| a.sent) else {
                    out.push(refuse(from, id, JingleRefusal::OutOfOrder));
                    return;
                };
                out.push(Output::SendIq(Box::new(iq_result(from, id))));
                out.push(Output::Media(MediaCommand::ApplyAddedContentsAnswer {
                    contents: jingle.contents.clone(),
                }));
                self.on_added_contents_accepted(addition.specs, &jingle.contents, out);
            }
            Action::ContentReject => {
                let Some(addition) = self.adding.take_if(|a| a.sent) else {
                    out.push(refuse(from, id, JingleRefusal::OutOfOrder));
                    return;
                };
                out.push(Output::SendIq(Box::new(iq_result(from, id))));
                self.drop_addition(addition, out);
            }
            Action::ContentRemove => {
                let names: Vec<_> = jingle
                    .contents
                    .iter()
                    .map(|c| c.name.clone())
                    .filter(|name| self.contents.iter().any(|c| c.name == *name))
                    .collect();
                if names.is_empty() || !self.remote_description_applied {
                    out.push(refuse(from, id, JingleRefusal::BadRequest));
                    return;
                }
                out.push(Output::SendIq(Box::new(iq_result(from, id))));
                self.contents.retain(|c| !names.contains(&c.name));
                out.push(Output::Media(MediaCommand::RemoveContents { names }));
                if self.contents.is_empty() {
                    // XEP-0166 §7.2.6: a session without contents is void.
                    self.hang_up_with(CallEndReason::Success, out);
                } else {
                    out.push(Output::Event(CallEvent::MediaChanged {
                        media: self.media(),
                    }));
                }
            }
            _ => out.push(refuse(from, id, JingleRefusal::NotImplemented)),
        }
    }

    fn on_session_info(&mut self, from: Jid, id: String, jingle: &Jingle, out: &mut Vec<Output>) {
        if matches!(self.phase, Phase::Proposing | Phase::AwaitingInitiate) {
            out.push(refuse(from, id, JingleRefusal::OutOfOrder));
            return;
        }
        let mut infos = Vec::new();
        for payload in &jingle.other {
            match RtpInfo::from_element(payload) {
                Some(info) => infos.push(info),
                None => {
                    out.push(refuse(from, id, JingleRefusal::UnsupportedInfo));
                    return;
                }
            }
        }
        // An empty session-info is a ping (XEP-0166 §7.2.7).
        out.push(Output::SendIq(Box::new(iq_result(from, id))));
        for info in infos {
            match info {
                RtpInfo::Ringing => {
                    if self.direction == CallDirection::Outgoing && !self.answered {
                        self.peer_ringing = true;
                    }
                }
                RtpInfo::Mute { name } => self.report_peer_muted(name.as_deref(), true, out),
                RtpInfo::Unmute { name } => self.report_peer_muted(name.as_deref(), false, out),
                RtpInfo::Hold => out.push(Output::Event(CallEvent::PeerHold { on_hold: true })),
                RtpInfo::Unhold => out.push(Output::Event(CallEvent::PeerHold { on_hold: false })),
                RtpInfo::Active => {}
            }
        }
    }

    fn report_peer_muted(&self, name: Option<&str>, muted: bool, out: &mut Vec<Output>) {
        let mut media: Vec<MediaKind> = self
            .contents
            .iter()
            .filter(|c| name.is_none_or(|name| c.name.0 == name))
            .map(|c| c.media)
            .collect();
        media.sort();
        media.dedup();
        for media in media {
            out.push(Output::Event(CallEvent::PeerMuted { media, muted }));
        }
    }

    fn on_content_add(&mut self, from: Jid, id: String, jingle: Jingle, out: &mut Vec<Output>) {
        // XEP-0166: no content-add while the session is pending.
        if !matches!(self.phase, Phase::Accepted | Phase::Active) || self.added_by_peer.is_some() {
            out.push(refuse(from, id, JingleRefusal::OutOfOrder));
            return;
        }
        let specs = specs_of(&jingle.contents);
        let clash = specs
            .iter()
            .any(|spec| self.contents.iter().any(|c| c.name == spec.name));
        if specs.is_empty() || specs.len() != jingle.contents.len() || clash {
            out.push(refuse(from, id, JingleRefusal::BadRequest));
            return;
        }
        if self.adding.is_some() {
            // Both sides add at once: the initiator's request wins
            // (XEP-0166 §6.8); the responder's is refused.
            if self.direction == CallDirection::Outgoing {
                out.push(refuse(from, id, JingleRefusal::TieBreak));
                return;
            }
        }
        out.push(Output::SendIq(Box::new(iq_result(from, id))));
        let media = specs.iter().map(|s| s.media).collect();
        self.added_by_peer = Some(jingle.contents);
        out.push(Output::Event(CallEvent::MediaAddRequested { media }));
    }

    fn on_iq_error(&mut self, from: Jid, id: String, failure: IqFailure, out: &mut Vec<Output>) {
        if self.peer_full.as_ref() != Some(&from) {
            return;
        }
        let Some(pending) = self.pending_iqs.remove(&id) else {
            return;
        };
        tracing::debug!(call = %self.id, action = ?pending.action, ?failure, "Jingle request refused");
        match pending.action {
            Action::SessionInitiate | Action::SessionAccept => {
                let reason = match failure {
                    IqFailure::TieBreak => CallEndReason::Replaced,
                    _ => CallEndReason::GeneralError,
                };
                self.ended_remotely(reason, out);
            }
            Action::ContentAdd => {
                if let Some(addition) = self.adding.take() {
                    self.drop_addition(addition, out);
                }
            }
            _ => {}
        }
    }

    fn drop_addition(&mut self, addition: Addition, out: &mut Vec<Output>) {
        let names = addition.specs.iter().map(|s| s.name.clone()).collect();
        out.push(Output::Media(MediaCommand::RemoveContents { names }));
        let media = addition
            .specs
            .iter()
            .map(|s: &ContentSpec| s.media)
            .collect();
        out.push(Output::Event(CallEvent::MediaAddRejected { media }));
    }

    pub(super) fn flush_remote_candidates(&mut self, out: &mut Vec<Output>) {
        if self.remote_candidates.is_empty() {
            return;
        }
        let contents = std::mem::take(&mut self.remote_candidates);
        out.push(Output::Media(MediaCommand::AddRemoteCandidates {
            contents,
        }));
    }

    /// Offer and answer are both done.
    pub(super) fn enter_accepted(&mut self, out: &mut Vec<Output>) {
        self.phase = Phase::Accepted;
        if self.media_connected {
            self.enter_active(out);
        }
    }

    pub(super) fn enter_active(&mut self, out: &mut Vec<Output>) {
        self.phase = Phase::Active;
        self.cancel_timer(TimerKind::Connect, out);
    }
}
