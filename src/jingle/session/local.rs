//! What happens on this device: the user's actions, the media engine's
//! progress and the call's timers.

use xmpp_parsers::jingle::{Action, Content, Reason};

use super::call::{Addition, CallSession, Phase, jingle_reason};
use super::input::{MediaEvent, TimerKind, UserAction};
use super::jmi::JmiMessage;
use super::output::{CallEvent, ContentSpec, MediaCommand, Output};
use super::stanzas::RtpInfo;
use super::{CONNECT_TIMEOUT, MonotonicTime};
use crate::model::{CallDirection, CallEndReason};

impl CallSession {
    pub(super) fn on_user(
        &mut self,
        now: MonotonicTime,
        action: UserAction,
        out: &mut Vec<Output>,
    ) {
        match action {
            UserAction::Accept => self.accept(now, out),
            UserAction::Decline => {
                if self.phase == Phase::Ringing {
                    self.hang_up_with(CallEndReason::Declined, out);
                }
            }
            UserAction::HangUp => {
                let reason = if self.phase == Phase::Ringing {
                    CallEndReason::Declined
                } else if !self.answered {
                    CallEndReason::Cancelled
                } else {
                    CallEndReason::Success
                };
                self.hang_up_with(reason, out);
            }
            UserAction::SetMuted { media, muted } => {
                let names: Vec<_> = self
                    .contents
                    .iter()
                    .filter(|c| c.media == media)
                    .map(|c| (c.name.0.clone(), c.creator.clone()))
                    .collect();
                let unchanged = self.muted.contains(&media) == muted;
                if names.is_empty() || !self.media_started || unchanged {
                    return;
                }
                if muted {
                    self.muted.push(media);
                } else {
                    self.muted.retain(|kind| *kind != media);
                }
                out.push(Output::Media(MediaCommand::SetMuted { media, muted }));
                if self.local_description_sent {
                    for (name, creator) in names {
                        let name = Some(name);
                        let info = if muted {
                            RtpInfo::Mute { name }
                        } else {
                            RtpInfo::Unmute { name }
                        };
                        self.send_session_info_for(info, &creator, out);
                    }
                }
            }
            UserAction::SetOnHold { on_hold } => self.set_on_hold(on_hold, out),
            UserAction::AddMedia { media } => {
                let busy = self.adding.is_some() || self.added_by_peer.is_some();
                let present = self.contents.iter().any(|c| c.media == media);
                if busy || present || !matches!(self.phase, Phase::Accepted | Phase::Active) {
                    return;
                }
                let spec = ContentSpec {
                    name: self.free_content_name(media),
                    creator: self.our_creator(),
                    media,
                    senders: Default::default(),
                };
                self.adding = Some(Addition {
                    specs: vec![spec.clone()],
                    sent: false,
                });
                out.push(Output::Media(MediaCommand::AddContents {
                    contents: vec![spec],
                }));
            }
            UserAction::AcceptAddedMedia => {
                if let Some(contents) = self.added_by_peer.take() {
                    self.accepting = Some(contents.clone());
                    out.push(Output::Media(MediaCommand::AcceptAddedContents {
                        contents,
                    }));
                }
            }
            UserAction::RejectAddedMedia => {
                if let Some(contents) = self.added_by_peer.take() {
                    let mut jingle = self
                        .jingle(Action::ContentReject)
                        .set_reason(jingle_reason(Reason::Decline));
                    jingle.contents = contents.into_iter().map(bare_content).collect();
                    self.send_jingle(jingle, out);
                }
            }
        }
    }

    /// Hold or resume the whole session (XEP-0167 §7). Only an answered
    /// call whose offer and answer are done can be held: before that there
    /// is nothing to hold, and a session-info could not be sent yet.
    fn set_on_hold(&mut self, on_hold: bool, out: &mut Vec<Output>) {
        let negotiated = matches!(self.phase, Phase::Accepted | Phase::Active);
        if self.on_hold == on_hold || !negotiated {
            return;
        }
        self.on_hold = on_hold;
        // The engine keeps the user's mutes apart from the hold, so that
        // resuming gives back exactly what was muted before.
        out.push(Output::Media(MediaCommand::SetOnHold { on_hold }));
        let info = if on_hold {
            RtpInfo::Hold
        } else {
            RtpInfo::Unhold
        };
        self.send_session_info(info, out);
        out.push(Output::Event(CallEvent::Hold { on_hold }));
    }

    fn accept(&mut self, now: MonotonicTime, out: &mut Vec<Output>) {
        if self.phase != Phase::Ringing {
            return;
        }
        self.answered = true;
        self.cancel_timer(TimerKind::Ring, out);
        self.set_timer(now + CONNECT_TIMEOUT, TimerKind::Connect, out);
        if self.via_jmi {
            self.phase = Phase::AwaitingInitiate;
            let proceed = JmiMessage::Proceed {
                sid: self.id.clone(),
            };
            // To the device that proposed. XEP-0353 0.4+ addresses proceed
            // to the caller's bare JID, but Dino 0.4 acts only on a proceed
            // addressed to its own full JID (as XEP-0353 0.3 had it) and
            // otherwise never sends the session-initiate. Carbons still
            // tell our other devices, which stop ringing.
            let to = self
                .peer_full
                .clone()
                .unwrap_or_else(|| self.peer.clone().into());
            self.send_jmi(to, &proceed, out);
        } else {
            self.phase = Phase::PreparingAnswer;
            self.remote_description_applied = true;
            let contents = std::mem::take(&mut self.remote_offer);
            self.start_media(MediaCommand::AcceptOffer { contents }, out);
            self.flush_remote_candidates(out);
        }
    }

    pub(super) fn on_media(
        &mut self,
        _now: MonotonicTime,
        event: MediaEvent,
        out: &mut Vec<Output>,
    ) {
        match event {
            MediaEvent::OfferReady { contents } => {
                if self.phase != Phase::PreparingOffer {
                    return;
                }
                let mut jingle = self.jingle(Action::SessionInitiate);
                jingle.contents = contents;
                self.send_jingle(jingle, out);
                self.phase = Phase::Initiated;
                self.local_description_sent = true;
                self.flush_local_candidates(out);
            }
            MediaEvent::AnswerReady { contents } => {
                if self.phase != Phase::PreparingAnswer {
                    return;
                }
                let mut jingle = self.jingle(Action::SessionAccept);
                jingle.contents = contents;
                self.send_jingle(jingle, out);
                self.local_description_sent = true;
                self.flush_local_candidates(out);
                self.enter_accepted(out);
            }
            MediaEvent::AddedContentsReady { contents } => {
                let Some(addition) = self.adding.as_mut().filter(|a| !a.sent) else {
                    return;
                };
                addition.sent = true;
                let mut jingle = self.jingle(Action::ContentAdd);
                jingle.contents = contents;
                self.send_jingle(jingle, out);
            }
            MediaEvent::AddedContentsAnswerReady { contents } => {
                let Some(accepted) = self.accepting.take() else {
                    return;
                };
                let mut jingle = self.jingle(Action::ContentAccept);
                jingle.contents = contents;
                self.send_jingle(jingle, out);
                self.contents.extend(super::call::specs_of(&accepted));
                out.push(Output::Event(CallEvent::MediaChanged {
                    media: self.media(),
                }));
            }
            MediaEvent::LocalCandidates { contents } => {
                self.local_candidates.extend(contents);
                if self.local_description_sent {
                    self.flush_local_candidates(out);
                }
            }
            MediaEvent::Connected => {
                self.media_connected = true;
                if self.phase == Phase::Accepted {
                    self.enter_active(out);
                }
            }
            MediaEvent::TransportFailed => {
                let reason = if self.phase == Phase::Active {
                    CallEndReason::ConnectivityError
                } else {
                    CallEndReason::FailedTransport
                };
                self.hang_up_with(reason, out);
            }
            MediaEvent::FingerprintMismatch => {
                tracing::warn!(call = %self.id, "Peer's DTLS certificate does not match its fingerprint");
                self.hang_up_with(CallEndReason::SecurityError, out);
            }
            MediaEvent::ApplicationFailed => {
                self.hang_up_with(CallEndReason::FailedApplication, out);
            }
            MediaEvent::Failed => self.hang_up_with(CallEndReason::MediaError, out),
        }
    }

    fn flush_local_candidates(&mut self, out: &mut Vec<Output>) {
        if self.local_candidates.is_empty() {
            return;
        }
        let mut jingle = self.jingle(Action::TransportInfo);
        jingle.contents = std::mem::take(&mut self.local_candidates);
        self.send_jingle(jingle, out);
    }

    pub(super) fn on_timer(&mut self, kind: TimerKind, out: &mut Vec<Output>) {
        if !self.timers.contains(&kind) {
            return;
        }
        self.timers.retain(|k| *k != kind);
        match kind {
            TimerKind::Ring => {
                let unanswered_outgoing =
                    self.direction == CallDirection::Outgoing && !self.answered;
                if unanswered_outgoing || self.phase == Phase::Ringing {
                    self.hang_up_with(CallEndReason::Timeout, out);
                }
            }
            TimerKind::Connect => match self.phase {
                Phase::AwaitingInitiate if self.answered_elsewhere => {
                    self.finalize(CallEndReason::AnsweredElsewhere, out);
                }
                Phase::Accepted => self.hang_up_with(CallEndReason::FailedTransport, out),
                Phase::Active | Phase::Ended(_) => {}
                _ => self.hang_up_with(CallEndReason::Timeout, out),
            },
        }
    }
}

/// A content reduced to its creator and name, as content-reject and
/// content-remove carry it.
fn bare_content(content: Content) -> Content {
    Content::new(content.creator, content.name)
}
