//! How a call begins: placed by the user, proposed by the peer (XEP-0353),
//! or initiated by the peer directly (XEP-0166).

use xmpp_parsers::jid::{FullJid, Jid};
use xmpp_parsers::jingle::{Creator, Jingle};

use super::call::{CallSession, CallTarget, Phase, specs_of};
use super::input::TimerKind;
use super::jmi::JmiMessage;
use super::output::{CallEvent, ContentSpec, MediaCommand, Output};
use super::stanzas::{RtpInfo, iq_result};
use super::{MonotonicTime, RING_TIMEOUT};
use crate::model::{CallDirection, CallId, MediaKind};

impl CallSession {
    /// Place a call. `media` must not be empty (the manager checks).
    pub fn outgoing(
        now: MonotonicTime,
        id: CallId,
        own: FullJid,
        target: CallTarget,
        media: &[MediaKind],
    ) -> (Self, Vec<Output>) {
        let peer = match &target {
            CallTarget::Jmi(peer) => peer.clone(),
            CallTarget::Direct(peer) => peer.to_bare(),
        };
        let mut call = Self::blank(id, own, peer.clone(), CallDirection::Outgoing);
        for kind in media {
            call.contents.push(ContentSpec {
                name: call.free_content_name(*kind),
                creator: Creator::Initiator,
                media: *kind,
                senders: Default::default(),
            });
        }
        let mut out = vec![Output::Event(CallEvent::New {
            peer: peer.clone(),
            direction: CallDirection::Outgoing,
            media: call.media(),
        })];
        match target {
            CallTarget::Jmi(peer) => {
                call.phase = Phase::Proposing;
                let propose = JmiMessage::Propose {
                    sid: call.id.clone(),
                    media: call.media(),
                };
                call.send_jmi(peer.into(), &propose, &mut out);
            }
            CallTarget::Direct(peer) => {
                call.via_jmi = false;
                call.peer_full = Some(peer.into());
                call.phase = Phase::PreparingOffer;
                call.start_media(
                    MediaCommand::CreateOffer {
                        contents: call.contents.clone(),
                    },
                    &mut out,
                );
            }
        }
        call.set_timer(now + RING_TIMEOUT, TimerKind::Ring, &mut out);
        call.report_state(&mut out);
        (call, out)
    }

    /// A proposal (XEP-0353 propose) arrived from `from`.
    pub fn incoming_proposal(
        now: MonotonicTime,
        id: CallId,
        own: FullJid,
        from: FullJid,
        media: &[MediaKind],
    ) -> (Self, Vec<Output>) {
        let peer = from.to_bare();
        let mut call = Self::blank(id, own, peer.clone(), CallDirection::Incoming);
        call.peer_full = Some(from.into());
        call.phase = Phase::Ringing;
        for kind in media {
            call.contents.push(ContentSpec {
                name: call.free_content_name(*kind),
                creator: Creator::Initiator,
                media: *kind,
                senders: Default::default(),
            });
        }
        let mut out = vec![Output::Event(CallEvent::New {
            peer: peer.clone(),
            direction: CallDirection::Incoming,
            media: call.media(),
        })];
        let ringing = JmiMessage::Ringing {
            sid: call.id.clone(),
        };
        call.send_jmi(peer.into(), &ringing, &mut out);
        call.set_timer(now + RING_TIMEOUT, TimerKind::Ring, &mut out);
        call.report_state(&mut out);
        (call, out)
    }

    /// A session-initiate arrived without a proposal first. The caller
    /// checked that the contents carry RTP media we know.
    pub fn incoming_initiate(
        now: MonotonicTime,
        own: FullJid,
        from: FullJid,
        iq_id: String,
        jingle: Jingle,
    ) -> (Self, Vec<Output>) {
        let id = CallId::new(jingle.sid.0.clone());
        let peer = from.to_bare();
        let from: Jid = from.into();
        let mut call = Self::blank(id, own, peer.clone(), CallDirection::Incoming);
        call.via_jmi = false;
        call.peer_full = Some(from.clone());
        call.phase = Phase::Ringing;
        call.contents = specs_of(&jingle.contents);
        call.remote_offer = jingle.contents;
        let mut out = vec![Output::SendIq(Box::new(iq_result(from, iq_id)))];
        out.push(Output::Event(CallEvent::New {
            peer,
            direction: CallDirection::Incoming,
            media: call.media(),
        }));
        call.send_session_info(RtpInfo::Ringing, &mut out);
        call.set_timer(now + RING_TIMEOUT, TimerKind::Ring, &mut out);
        call.report_state(&mut out);
        (call, out)
    }
}
