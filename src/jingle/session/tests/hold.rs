//! The user putting a call on hold and resuming it (XEP-0167 §7): the
//! peer is told with session-info, the media engine stops sending and
//! playing, and the user's mutes survive.

use super::*;

const RTP_INFO: &str = "urn:xmpp:jingle:apps:rtp:info:1";

fn hold(h: &mut Harness, on_hold: bool) -> Vec<CallOutput> {
    h.user(SID, UserAction::SetOnHold { on_hold })
}

/// The session-info payloads sent, as element names.
fn infos_sent(outputs: &[CallOutput]) -> Vec<String> {
    jingles(outputs)
        .into_iter()
        .filter(|(_, _, j)| j.action == Action::SessionInfo)
        .flat_map(|(_, _, j)| j.other)
        .inspect(|payload| assert_eq!(payload.ns(), RTP_INFO))
        .map(|payload| payload.name().to_owned())
        .collect()
}

fn on_hold(h: &Harness) -> bool {
    h.calls
        .call(&CallId::new(SID))
        .expect("running")
        .is_on_hold()
}

#[test]
fn holding_tells_the_peer_the_media_engine_and_the_user() {
    let mut h = incoming_active();
    let out = hold(&mut h, true);
    assert_eq!(
        media_commands(&out),
        vec![MediaCommand::SetOnHold { on_hold: true }]
    );
    let sent = jingles(&out);
    assert_eq!(sent.len(), 1);
    let (to, _, jingle) = &sent[0];
    assert_eq!(*to, jid(JULIET_PHONE));
    assert_eq!(jingle.action, Action::SessionInfo);
    assert_eq!(jingle.sid.0, SID);
    // XEP-0167 §7: a bare <hold/> for the whole session.
    let payload = &jingle.other[0];
    assert!(payload.is("hold", RTP_INFO));
    assert_eq!(payload.attrs().into_iter().count(), 0);
    assert_eq!(events(&out), vec![CallEvent::Hold { on_hold: true }]);
    assert!(on_hold(&h));
    // Still a running call.
    assert_eq!(h.state(SID), Some(CallState::Active));
    assert!(states(&out).is_empty());

    let out = hold(&mut h, false);
    assert_eq!(
        media_commands(&out),
        vec![MediaCommand::SetOnHold { on_hold: false }]
    );
    assert_eq!(infos_sent(&out), ["unhold"]);
    assert_eq!(events(&out), vec![CallEvent::Hold { on_hold: false }]);
    assert!(!on_hold(&h));
}

#[test]
fn holding_twice_sends_once() {
    let mut h = outgoing_active();
    let first = hold(&mut h, true);
    assert_eq!(infos_sent(&first), ["hold"]);
    h.answer_all_requests(&first);
    assert!(hold(&mut h, true).is_empty());
    let resumed = hold(&mut h, false);
    assert_eq!(infos_sent(&resumed), ["unhold"]);
    assert!(hold(&mut h, false).is_empty());
}

#[test]
fn resuming_leaves_the_users_mutes_alone() {
    let mut h = incoming_active();
    let mute = |muted| UserAction::SetMuted {
        media: MediaKind::Audio,
        muted,
    };
    hold(&mut h, true);
    // Muting during the hold still reaches the engine and the peer.
    let out = h.user(SID, mute(true));
    assert_eq!(
        media_commands(&out),
        vec![MediaCommand::SetMuted {
            media: MediaKind::Audio,
            muted: true
        }]
    );
    // Resuming asks the engine to leave the hold and nothing else: it keeps
    // the mute apart and goes back to it. No unmute reaches the peer.
    let out = hold(&mut h, false);
    assert_eq!(
        media_commands(&out),
        vec![MediaCommand::SetOnHold { on_hold: false }]
    );
    assert_eq!(infos_sent(&out), ["unhold"]);
    assert!(
        !events(&out)
            .iter()
            .any(|e| matches!(e, CallEvent::PeerMuted { .. }))
    );
}

#[test]
fn a_call_that_is_not_answered_cannot_be_held() {
    // Ringing here.
    let mut h = incoming_ringing();
    assert!(hold(&mut h, true).is_empty());
    // Answered, but the session is still being set up.
    h.user(SID, UserAction::Accept);
    assert!(hold(&mut h, true).is_empty());
    // Proposed, not answered yet.
    let mut h = Harness::new();
    h.place(SID, &[MediaKind::Audio]);
    assert!(hold(&mut h, true).is_empty());
    assert!(!on_hold(&h));
    // Over.
    let mut h = outgoing_active();
    h.user(SID, UserAction::HangUp);
    assert!(hold(&mut h, true).is_empty());
}

#[test]
fn a_call_can_be_held_while_its_media_connects() {
    // Offer and answer are done: the call can be held while it connects.
    let mut h = outgoing_accepted();
    let out = hold(&mut h, true);
    assert_eq!(infos_sent(&out), ["hold"]);
    h.media(SID, MediaEvent::Connected);
    assert_eq!(h.state(SID), Some(CallState::Active));
    assert!(on_hold(&h));
}

#[test]
fn media_added_during_the_hold_starts_held() {
    let mut h = outgoing_active();
    hold(&mut h, true);
    // The peer turns its camera on; the user accepts.
    let video = vec![content("video", Creator::Responder, MediaKind::Video)];
    h.signal(jingle_from(
        JULIET_PHONE,
        "add1",
        Action::ContentAdd,
        SID,
        video.clone(),
    ));
    let out = h.user(SID, UserAction::AcceptAddedMedia);
    assert_eq!(
        media_commands(&out),
        vec![MediaCommand::AcceptAddedContents {
            contents: video.clone()
        }]
    );
    let out = h.media(
        SID,
        MediaEvent::AddedContentsAnswerReady {
            contents: video.clone(),
        },
    );
    assert_eq!(actions(&out), vec![Action::ContentAccept]);
    // The engine's hold covers every content, including this one: the
    // machine neither lifts the hold nor tells the peer anything else.
    assert!(
        !media_commands(&out)
            .iter()
            .any(|c| matches!(c, MediaCommand::SetOnHold { .. }))
    );
    assert!(infos_sent(&out).is_empty());
    assert!(on_hold(&h));
    // Our own camera, added during the hold, goes out too.
    let mut h = outgoing_active();
    hold(&mut h, true);
    let out = h.user(
        SID,
        UserAction::AddMedia {
            media: MediaKind::Video,
        },
    );
    assert!(matches!(
        media_commands(&out).as_slice(),
        [MediaCommand::AddContents { .. }]
    ));
    // One resume covers the added content.
    let out = hold(&mut h, false);
    assert_eq!(
        media_commands(&out),
        vec![MediaCommand::SetOnHold { on_hold: false }]
    );
}

#[test]
fn the_peers_hold_is_not_ours() {
    let mut h = incoming_active();
    let out = h.signal(session_info_from(
        JULIET_PHONE,
        SID,
        vec![el(&format!("<hold xmlns='{RTP_INFO}'/>"))],
    ));
    assert_eq!(events(&out), vec![CallEvent::PeerHold { on_hold: true }]);
    assert!(media_commands(&out).is_empty());
    assert!(!on_hold(&h));
    // We may hold the call as well, and resume it while the peer holds.
    assert_eq!(infos_sent(&hold(&mut h, true)), ["hold"]);
    assert_eq!(infos_sent(&hold(&mut h, false)), ["unhold"]);
}
