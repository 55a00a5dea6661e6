//! One call: its state, how it starts, and how it ends.

use std::collections::HashMap;

use xmpp_parsers::jid::{BareJid, FullJid, Jid};
use xmpp_parsers::jingle::{Action, Content, ContentId, Creator, Jingle, SessionId};

use super::MonotonicTime;
use super::input::{Input, Signal, TimerKind};
use super::jmi::JmiMessage;
use super::output::{CallEvent, ContentSpec, MediaCommand, Output};
use super::stanzas::{self, JingleRefusal, RtpInfo, iq_error, jingle_set, jmi_message};
use crate::model::{CallDirection, CallEndReason, CallId, CallState, MediaKind};

/// Where a call is in its life. The names say what the call waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// Outgoing, JMI: propose sent, waiting for proceed or reject.
    Proposing,
    /// Incoming: waiting for the user to answer.
    Ringing,
    /// Incoming, JMI: proceed sent, waiting for session-initiate.
    AwaitingInitiate,
    /// Outgoing: waiting for the media engine's offer.
    PreparingOffer,
    /// Outgoing: session-initiate sent, waiting for session-accept.
    Initiated,
    /// Incoming: offer applied, waiting for the media engine's answer.
    PreparingAnswer,
    /// Offer and answer exchanged, waiting for media to connect.
    Accepted,
    /// Media flows.
    Active,
    /// Over.
    Ended(CallEndReason),
}

/// A content addition in flight.
#[derive(Debug, Clone)]
pub(super) struct Addition {
    /// The contents being added.
    pub(super) specs: Vec<ContentSpec>,
    /// Whether our content-add went out (else the media engine still
    /// prepares it).
    pub(super) sent: bool,
}

/// The Jingle IQ requests we sent and still wait an answer for.
#[derive(Debug, Clone)]
pub(super) struct PendingIq {
    pub(super) action: Action,
}

/// The protocol state machine of one call (XEP-0166 with XEP-0353 set-up,
/// XEP-0167 RTP sessions). Pure: [`handle`](Self::handle) turns one input
/// into outputs and never performs I/O.
#[derive(Debug)]
pub struct CallSession {
    pub(super) id: CallId,
    pub(super) own: FullJid,
    pub(super) peer: BareJid,
    /// The peer's resource the call is bound to, once known.
    pub(super) peer_full: Option<Jid>,
    pub(super) direction: CallDirection,
    pub(super) via_jmi: bool,
    pub(super) phase: Phase,
    /// A device of the peer rings (outgoing calls).
    pub(super) peer_ringing: bool,
    /// The call was answered (outgoing: proceed or session-accept received;
    /// incoming: the user accepted).
    pub(super) answered: bool,
    /// Another device of ours sent proceed for this call.
    pub(super) answered_elsewhere: bool,
    pub(super) media_started: bool,
    pub(super) media_connected: bool,
    /// The user put the call on hold (the peer's hold is only reported).
    pub(super) on_hold: bool,
    /// The media kinds the user muted (so a repeated mute is not sent
    /// again).
    pub(super) muted: Vec<MediaKind>,
    pub(super) contents: Vec<ContentSpec>,
    /// The peer's session-initiate contents of a direct call, kept until the
    /// user answers.
    pub(super) remote_offer: Vec<Content>,
    pub(super) remote_description_applied: bool,
    pub(super) local_description_sent: bool,
    /// Trickled candidates that arrived before they could be used or sent.
    pub(super) remote_candidates: Vec<Content>,
    pub(super) local_candidates: Vec<Content>,
    pub(super) adding: Option<Addition>,
    /// Contents the peer asked to add, waiting for the user.
    pub(super) added_by_peer: Option<Vec<Content>>,
    /// Contents the user accepted, waiting for the media engine's answer.
    pub(super) accepting: Option<Vec<Content>>,
    pub(super) pending_iqs: HashMap<String, PendingIq>,
    pub(super) timers: Vec<TimerKind>,
    pub(super) finish_sent: bool,
    next_stanza: u32,
    reported_state: Option<CallState>,
}

/// How an outgoing call reaches the peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallTarget {
    /// Propose to all of the peer's devices (XEP-0353).
    Jmi(BareJid),
    /// Send session-initiate straight to one resource, for clients without
    /// XEP-0353.
    Direct(FullJid),
}

impl CallSession {
    pub(super) fn blank(id: CallId, own: FullJid, peer: BareJid, direction: CallDirection) -> Self {
        Self {
            id,
            own,
            peer,
            peer_full: None,
            direction,
            via_jmi: true,
            phase: Phase::Ringing,
            peer_ringing: false,
            answered: false,
            answered_elsewhere: false,
            media_started: false,
            media_connected: false,
            on_hold: false,
            muted: Vec::new(),
            contents: Vec::new(),
            remote_offer: Vec::new(),
            remote_description_applied: false,
            local_description_sent: false,
            remote_candidates: Vec::new(),
            local_candidates: Vec::new(),
            adding: None,
            added_by_peer: None,
            accepting: None,
            pending_iqs: HashMap::new(),
            timers: Vec::new(),
            finish_sent: false,
            next_stanza: 0,
            reported_state: None,
        }
    }

    /// Feed one input; returns what to do about it.
    pub fn handle(&mut self, now: MonotonicTime, input: Input) -> Vec<Output> {
        let mut out = Vec::new();
        if self.is_ended() {
            // XEP-0166 §6.7: after the end, further requests get
            // unknown-session; everything else is stale.
            if let Input::Signal(Signal::Jingle { from, id, .. }) = input {
                out.push(refuse(from, id, JingleRefusal::UnknownSession));
            }
            return out;
        }
        match input {
            Input::User(action) => self.on_user(now, action, &mut out),
            Input::Signal(signal) => self.on_signal(now, signal, &mut out),
            Input::Media(event) => self.on_media(now, event, &mut out),
            Input::Timer(kind) => self.on_timer(kind, &mut out),
            Input::Shutdown => self.hang_up_with(CallEndReason::Gone, &mut out),
        }
        self.report_state(&mut out);
        out
    }

    /// The call's id (the Jingle sid).
    pub fn id(&self) -> &CallId {
        &self.id
    }

    /// The other party.
    pub fn peer(&self) -> &BareJid {
        &self.peer
    }

    /// The peer's resource the call is bound to, once known.
    pub fn peer_resource(&self) -> Option<&Jid> {
        self.peer_full.as_ref()
    }

    /// Who called whom.
    pub fn direction(&self) -> CallDirection {
        self.direction
    }

    /// Whether the call was set up with XEP-0353 messages.
    pub fn uses_jmi(&self) -> bool {
        self.via_jmi
    }

    /// The media in the call (or offered for it).
    pub fn media(&self) -> Vec<MediaKind> {
        let mut media: Vec<MediaKind> = self.contents.iter().map(|c| c.media).collect();
        media.sort();
        media.dedup();
        media
    }

    /// The state as the user sees it.
    pub fn state(&self) -> CallState {
        let ringing_or_proposed = if self.peer_ringing {
            CallState::Ringing
        } else {
            CallState::Proposed
        };
        match self.phase {
            Phase::Ended(reason) => CallState::Ended { reason },
            Phase::Active => CallState::Active,
            Phase::Ringing => CallState::Ringing,
            Phase::Proposing => ringing_or_proposed,
            Phase::PreparingOffer | Phase::Initiated if !self.answered => ringing_or_proposed,
            Phase::PreparingOffer
            | Phase::Initiated
            | Phase::AwaitingInitiate
            | Phase::PreparingAnswer
            | Phase::Accepted => CallState::Connecting,
        }
    }

    /// Whether the user put the call on hold.
    pub fn is_on_hold(&self) -> bool {
        self.on_hold
    }

    /// Whether the call is over.
    pub fn is_ended(&self) -> bool {
        matches!(self.phase, Phase::Ended(_))
    }

    /// Whether this call sent the IQ request with that id and waits for
    /// its answer.
    pub fn awaits_iq(&self, id: &str) -> bool {
        self.pending_iqs.contains_key(id)
    }

    /// Whether the call was answered and not over: a new call with someone
    /// else would find the user busy.
    pub fn is_engaged(&self) -> bool {
        !self.is_ended() && (self.direction == CallDirection::Outgoing || self.answered)
    }

    pub(super) fn report_state(&mut self, out: &mut Vec<Output>) {
        let state = self.state();
        if self.reported_state != Some(state) {
            self.reported_state = Some(state);
            out.push(Output::Event(CallEvent::StateChanged { state }));
        }
    }

    pub(super) fn next_id(&mut self, what: &str) -> String {
        self.next_stanza += 1;
        format!("{what}-{}-{}", self.next_stanza, self.id)
    }

    pub(super) fn send_jmi(&mut self, to: Jid, message: &JmiMessage, out: &mut Vec<Output>) {
        if matches!(message, JmiMessage::Finish { .. }) {
            self.finish_sent = true;
        }
        let id = self.next_id("jm");
        out.push(Output::SendMessage(Box::new(jmi_message(to, id, message))));
    }

    /// A Jingle request to the bound resource, remembered until answered.
    pub(super) fn send_jingle(&mut self, jingle: Jingle, out: &mut Vec<Output>) {
        let Some(to) = self.peer_full.clone() else {
            tracing::warn!(call = %self.id, "Could not send Jingle request: no peer resource");
            return;
        };
        let id = self.next_id("jingle");
        self.pending_iqs.insert(
            id.clone(),
            PendingIq {
                action: jingle.action.clone(),
            },
        );
        out.push(Output::SendIq(Box::new(jingle_set(to, id, jingle))));
    }

    /// A Jingle element of this session with the initiator (and, from the
    /// responder, the responder) set.
    pub(super) fn jingle(&self, action: Action) -> Jingle {
        let sid = SessionId(self.id.as_str().to_owned());
        let own: Jid = self.own.clone().into();
        match self.direction {
            CallDirection::Outgoing => Jingle::new(action, sid).with_initiator(own),
            CallDirection::Incoming => {
                let jingle = Jingle::new(action, sid).with_responder(own);
                match &self.peer_full {
                    Some(initiator) => jingle.with_initiator(initiator.clone()),
                    None => jingle,
                }
            }
        }
    }

    pub(super) fn our_creator(&self) -> Creator {
        match self.direction {
            CallDirection::Outgoing => Creator::Initiator,
            CallDirection::Incoming => Creator::Responder,
        }
    }

    pub(super) fn send_session_info(&mut self, info: RtpInfo, out: &mut Vec<Output>) {
        self.send_session_info_for(info, &self.our_creator(), out);
    }

    pub(super) fn send_session_info_for(
        &mut self,
        info: RtpInfo,
        creator: &Creator,
        out: &mut Vec<Output>,
    ) {
        let creator = match creator {
            Creator::Initiator => "initiator",
            Creator::Responder => "responder",
        };
        let mut jingle = self.jingle(Action::SessionInfo);
        jingle.other.push(info.to_element(creator));
        self.send_jingle(jingle, out);
    }

    pub(super) fn start_media(&mut self, command: MediaCommand, out: &mut Vec<Output>) {
        self.media_started = true;
        out.push(Output::Media(command));
    }

    pub(super) fn set_timer(&mut self, at: MonotonicTime, kind: TimerKind, out: &mut Vec<Output>) {
        if !self.timers.contains(&kind) {
            self.timers.push(kind);
        }
        out.push(Output::SetTimer { at, kind });
    }

    pub(super) fn cancel_timer(&mut self, kind: TimerKind, out: &mut Vec<Output>) {
        if let Some(index) = self.timers.iter().position(|k| *k == kind) {
            self.timers.remove(index);
            out.push(Output::CancelTimer { kind });
        }
    }

    /// An unused content name for our media ("audio", "video", then
    /// "video-2" …), unique within the session.
    pub(super) fn free_content_name(&self, kind: MediaKind) -> ContentId {
        let base = kind.as_str();
        let taken = |name: &str| self.contents.iter().any(|c| c.name.0 == name);
        if !taken(base) {
            return ContentId(base.to_owned());
        }
        let mut n = 2;
        loop {
            let name = format!("{base}-{n}");
            if !taken(&name) {
                return ContentId(name);
            }
            n += 1;
        }
    }
}

/// A Jingle `<reason/>` without text (texts could say more than the
/// condition should).
pub(super) fn jingle_reason(
    reason: xmpp_parsers::jingle::Reason,
) -> xmpp_parsers::jingle::ReasonElement {
    xmpp_parsers::jingle::ReasonElement {
        reason,
        texts: Default::default(),
    }
}

/// An error reply to a Jingle request.
pub(super) fn refuse(to: Jid, id: String, refusal: JingleRefusal) -> Output {
    Output::SendIq(Box::new(iq_error(to, id, refusal)))
}

/// The content specs a set of received contents describes.
pub(super) fn specs_of(contents: &[Content]) -> Vec<ContentSpec> {
    contents
        .iter()
        .filter_map(|content| {
            Some(ContentSpec {
                name: content.name.clone(),
                creator: content.creator.clone(),
                media: stanzas::media_of(content)?,
                senders: content.senders.clone(),
            })
        })
        .collect()
}

/// Whether a message went to another device of the user (a carbon copy of
/// it reached this one): then it is not meant for this device's calls.
pub(super) fn addressed_to_other_own_device(own: &FullJid, to: Option<&Jid>) -> bool {
    to.is_some_and(|to| {
        to.is_full() && to.to_bare() == own.to_bare() && to.as_str() != own.as_str()
    })
}
