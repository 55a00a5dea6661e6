//! Transcript tests of the call machine: each drives a [`CallManager`] with
//! the stanzas, user actions, media events and timers of one scenario and
//! checks what it sends, asks of the media engine and tells the user.
//!
//! Our account is Romeo's (`romeo@montague.example/orchard`), the peer is
//! Juliet with two devices, as in the examples of XEP-0166/0167/0353.

mod content;
mod direct;
mod direction;
mod hold;
mod hostile;
mod incoming;
mod outgoing;
mod races;

use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::{BareJid, FullJid, Jid};
use xmpp_parsers::jingle::{Action, Content, ContentId, Creator, Jingle, Reason, SessionId};
use xmpp_parsers::jingle_ice_udp::Transport as IceUdpTransport;
use xmpp_parsers::jingle_rtp::Description as RtpDescription;
use xmpp_parsers::minidom::Element;
use xmpp_parsers::stanza_error::DefinedCondition;

use super::{
    CallEvent, CallManager, CallOutput, CallTarget, Input, JmiMessage, JmiSignal, MediaCommand,
    MediaEvent, MonotonicTime, NS_JINGLE_MESSAGE, Output, Signal, TimerKind, UserAction,
};
use crate::model::{CallEndReason, CallId, CallState, MediaKind};

const ROMEO: &str = "romeo@montague.example/orchard";
const ROMEO_DESK: &str = "romeo@montague.example/desk";
const JULIET_PHONE: &str = "juliet@capulet.example/phone";
const JULIET_TABLET: &str = "juliet@capulet.example/tablet";
const MERCUTIO: &str = "mercutio@verona.example/street";

pub(super) fn jid(s: &str) -> Jid {
    s.parse().expect("test JID parses")
}

pub(super) fn full(s: &str) -> FullJid {
    s.parse().expect("test full JID parses")
}

pub(super) fn bare(s: &str) -> BareJid {
    s.parse().expect("test bare JID parses")
}

pub(super) fn juliet() -> BareJid {
    bare("juliet@capulet.example")
}

pub(super) fn at(seconds: u64) -> MonotonicTime {
    MonotonicTime::from_millis(seconds * 1000)
}

/// An RTP content with an (empty) ICE-UDP transport, as the media engine
/// or the peer would produce it.
pub(super) fn content(name: &str, creator: Creator, media: MediaKind) -> Content {
    Content::new(creator, ContentId(name.to_owned()))
        .with_description(RtpDescription::new(media.as_str().to_owned()))
        .with_transport(IceUdpTransport::new())
}

/// A content carrying only a transport, as in transport-info.
pub(super) fn candidates(name: &str, creator: Creator) -> Content {
    Content::new(creator, ContentId(name.to_owned())).with_transport(IceUdpTransport::new())
}

pub(super) fn jmi_from(from: &str, message: JmiMessage) -> Signal {
    Signal::Jmi(JmiSignal {
        from: jid(from),
        to: Some(jid("romeo@montague.example")),
        from_own_account: false,
        message,
    })
}

/// A copy of a JMI message one of our other devices sent to Juliet.
pub(super) fn own_carbon(message: JmiMessage) -> Signal {
    Signal::Jmi(JmiSignal {
        from: jid(ROMEO_DESK),
        to: Some(jid("juliet@capulet.example")),
        from_own_account: true,
        message,
    })
}

pub(super) fn jingle_from(
    from: &str,
    iq_id: &str,
    action: Action,
    sid: &str,
    contents: Vec<Content>,
) -> Signal {
    let mut jingle = Jingle::new(action, SessionId(sid.to_owned()));
    jingle.contents = contents;
    Signal::Jingle {
        from: jid(from),
        id: iq_id.to_owned(),
        jingle: Box::new(jingle),
    }
}

pub(super) fn terminate_from(from: &str, sid: &str, reason: Option<Reason>) -> Signal {
    let mut jingle = Jingle::new(Action::SessionTerminate, SessionId(sid.to_owned()));
    jingle.reason = reason.map(super::call::jingle_reason);
    Signal::Jingle {
        from: jid(from),
        id: "term1".to_owned(),
        jingle: Box::new(jingle),
    }
}

pub(super) fn session_info_from(from: &str, sid: &str, payloads: Vec<Element>) -> Signal {
    let mut jingle = Jingle::new(Action::SessionInfo, SessionId(sid.to_owned()));
    jingle.other = payloads;
    Signal::Jingle {
        from: jid(from),
        id: "info1".to_owned(),
        jingle: Box::new(jingle),
    }
}

pub(super) fn el(xml: &str) -> Element {
    xml.parse().expect("test XML parses")
}

/// Drives a manager and keeps the clock.
pub(super) struct Harness {
    pub(super) calls: CallManager,
    pub(super) now: MonotonicTime,
}

impl Harness {
    pub(super) fn new() -> Self {
        Self {
            calls: CallManager::new(full(ROMEO)),
            now: MonotonicTime::ZERO,
        }
    }

    pub(super) fn place(&mut self, sid: &str, media: &[MediaKind]) -> Vec<CallOutput> {
        self.calls
            .place_call(self.now, CallId::new(sid), CallTarget::Jmi(juliet()), media)
            .expect("call placed")
    }

    pub(super) fn place_direct(&mut self, sid: &str, to: &str) -> Vec<CallOutput> {
        self.calls
            .place_call(
                self.now,
                CallId::new(sid),
                CallTarget::Direct(full(to)),
                &[MediaKind::Audio],
            )
            .expect("call placed")
    }

    pub(super) fn signal(&mut self, signal: Signal) -> Vec<CallOutput> {
        self.calls.handle_signal(self.now, signal)
    }

    pub(super) fn user(&mut self, sid: &str, action: UserAction) -> Vec<CallOutput> {
        self.calls
            .handle(self.now, &CallId::new(sid), Input::User(action))
    }

    pub(super) fn media(&mut self, sid: &str, event: MediaEvent) -> Vec<CallOutput> {
        self.calls
            .handle(self.now, &CallId::new(sid), Input::Media(event))
    }

    pub(super) fn timer(&mut self, sid: &str, kind: TimerKind) -> Vec<CallOutput> {
        self.calls
            .handle(self.now, &CallId::new(sid), Input::Timer(kind))
    }

    pub(super) fn state(&self, sid: &str) -> Option<CallState> {
        self.calls.call(&CallId::new(sid)).map(|call| call.state())
    }

    /// The IQ ids of the Jingle requests we sent, by action.
    pub(super) fn answer_all_requests(&mut self, outputs: &[CallOutput]) {
        for (to, id, _) in jingles(outputs) {
            let reply = Signal::IqResult { from: to, id };
            self.signal(reply);
        }
    }
}

// --- Reading the outputs ----------------------------------------------------

/// JMI messages sent: (to, payload).
pub(super) fn messages(outputs: &[CallOutput]) -> Vec<(Jid, JmiMessage)> {
    outputs
        .iter()
        .filter_map(|o| match &o.output {
            Output::SendMessage(message) => {
                let payload = message
                    .payloads
                    .iter()
                    .find(|p| p.ns() == NS_JINGLE_MESSAGE)
                    .and_then(JmiMessage::from_element)
                    .expect("a JMI payload");
                assert_eq!(
                    message.type_,
                    xmpp_parsers::message::MessageType::Chat,
                    "JMI messages are type chat"
                );
                assert!(
                    message
                        .payloads
                        .iter()
                        .any(|p| p.is("store", "urn:xmpp:hints")),
                    "JMI messages carry a store hint"
                );
                Some((message.to.clone().expect("addressed"), payload))
            }
            _ => None,
        })
        .collect()
}

/// Jingle requests sent: (to, IQ id, payload).
pub(super) fn jingles(outputs: &[CallOutput]) -> Vec<(Jid, String, Jingle)> {
    outputs
        .iter()
        .filter_map(|o| match &o.output {
            Output::SendIq(iq) => match iq.as_ref() {
                Iq::Set {
                    to, id, payload, ..
                } => Some((
                    to.clone().expect("addressed"),
                    id.clone(),
                    Jingle::try_from(payload.clone()).expect("a Jingle payload"),
                )),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The actions of the Jingle requests sent.
pub(super) fn actions(outputs: &[CallOutput]) -> Vec<Action> {
    jingles(outputs)
        .into_iter()
        .map(|(_, _, j)| j.action)
        .collect()
}

/// IQ results sent: (to, id).
pub(super) fn results(outputs: &[CallOutput]) -> Vec<(Jid, String)> {
    outputs
        .iter()
        .filter_map(|o| match &o.output {
            Output::SendIq(iq) => match iq.as_ref() {
                Iq::Result { to, id, .. } => Some((to.clone().expect("addressed"), id.clone())),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// IQ errors sent: (to, id, condition, Jingle condition).
pub(super) fn errors(
    outputs: &[CallOutput],
) -> Vec<(Jid, String, DefinedCondition, Option<String>)> {
    outputs
        .iter()
        .filter_map(|o| match &o.output {
            Output::SendIq(iq) => match iq.as_ref() {
                Iq::Error { to, id, error, .. } => Some((
                    to.clone().expect("addressed"),
                    id.clone(),
                    error.defined_condition.clone(),
                    error.other.as_ref().map(|e| e.name().to_owned()),
                )),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

pub(super) fn media_commands(outputs: &[CallOutput]) -> Vec<MediaCommand> {
    outputs
        .iter()
        .filter_map(|o| match &o.output {
            Output::Media(command) => Some(command.clone()),
            _ => None,
        })
        .collect()
}

pub(super) fn events(outputs: &[CallOutput]) -> Vec<CallEvent> {
    outputs
        .iter()
        .filter_map(|o| match &o.output {
            Output::Event(event) => Some(event.clone()),
            _ => None,
        })
        .collect()
}

pub(super) fn states(outputs: &[CallOutput]) -> Vec<CallState> {
    events(outputs)
        .into_iter()
        .filter_map(|e| match e {
            CallEvent::StateChanged { state } => Some(state),
            _ => None,
        })
        .collect()
}

pub(super) fn ended(reason: CallEndReason) -> CallState {
    CallState::Ended { reason }
}

pub(super) fn timers_set(outputs: &[CallOutput]) -> Vec<(MonotonicTime, TimerKind)> {
    outputs
        .iter()
        .filter_map(|o| match &o.output {
            Output::SetTimer { at, kind } => Some((*at, *kind)),
            _ => None,
        })
        .collect()
}

pub(super) fn timers_cancelled(outputs: &[CallOutput]) -> Vec<TimerKind> {
    outputs
        .iter()
        .filter_map(|o| match &o.output {
            Output::CancelTimer { kind } => Some(*kind),
            _ => None,
        })
        .collect()
}

/// The reason of a finish or retract or reject sent.
pub(super) fn jmi_reason(message: &JmiMessage) -> Option<Reason> {
    match message {
        JmiMessage::Reject { reason, .. }
        | JmiMessage::Retract { reason, .. }
        | JmiMessage::Finish { reason, .. } => reason.clone(),
        _ => None,
    }
}

/// The reason of a session-terminate sent.
pub(super) fn terminate_reason(outputs: &[CallOutput]) -> Option<Reason> {
    jingles(outputs)
        .into_iter()
        .find(|(_, _, j)| j.action == Action::SessionTerminate)
        .and_then(|(_, _, j)| j.reason.map(|r| r.reason))
}

// --- Scenarios other tests start from ----------------------------------------

pub(super) const SID: &str = "ca3cf894-5325-482f-a412-a6e9f832298d";

/// Romeo calls Juliet (audio), her phone proceeds, the offer goes out and
/// she accepts: the call waits for media to connect.
pub(super) fn outgoing_accepted() -> Harness {
    let mut h = Harness::new();
    h.place(SID, &[MediaKind::Audio]);
    h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Proceed {
            sid: CallId::new(SID),
        },
    ));
    let out = h.media(
        SID,
        MediaEvent::OfferReady {
            contents: vec![content("audio", Creator::Initiator, MediaKind::Audio)],
        },
    );
    h.answer_all_requests(&out);
    h.signal(jingle_from(
        JULIET_PHONE,
        "accept1",
        Action::SessionAccept,
        SID,
        vec![content("audio", Creator::Initiator, MediaKind::Audio)],
    ));
    h
}

/// As [`outgoing_accepted`], with media flowing.
pub(super) fn outgoing_active() -> Harness {
    let mut h = outgoing_accepted();
    h.media(SID, MediaEvent::Connected);
    assert_eq!(h.state(SID), Some(CallState::Active));
    h
}

/// In a running call, the user turns video on and the media engine
/// prepares it: returns what went out (the content-add).
pub(super) fn offer_video(h: &mut Harness) -> Vec<CallOutput> {
    h.user(
        SID,
        UserAction::AddMedia {
            media: MediaKind::Video,
        },
    );
    h.media(
        SID,
        MediaEvent::AddedContentsReady {
            contents: vec![content("video", Creator::Initiator, MediaKind::Video)],
        },
    )
}

/// Juliet's phone proposes an audio call to Romeo; it rings here.
pub(super) fn incoming_ringing() -> Harness {
    let mut h = Harness::new();
    h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Propose {
            sid: CallId::new(SID),
            media: vec![MediaKind::Audio],
        },
    ));
    assert_eq!(h.state(SID), Some(CallState::Ringing));
    h
}

/// Romeo answered Juliet's proposal and the call is up.
pub(super) fn incoming_active() -> Harness {
    let mut h = incoming_ringing();
    h.user(SID, UserAction::Accept);
    h.signal(jingle_from(
        JULIET_PHONE,
        "init1",
        Action::SessionInitiate,
        SID,
        vec![content("audio", Creator::Initiator, MediaKind::Audio)],
    ));
    let out = h.media(
        SID,
        MediaEvent::AnswerReady {
            contents: vec![content("audio", Creator::Initiator, MediaKind::Audio)],
        },
    );
    h.answer_all_requests(&out);
    h.media(SID, MediaEvent::Connected);
    assert_eq!(h.state(SID), Some(CallState::Active));
    h
}
