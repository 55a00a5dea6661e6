//! The peer changing who sends on a content (content-modify), as Dino does
//! for video it cannot send.

use super::*;
use xmpp_parsers::jingle::Senders;

fn with_senders(name: &str, senders: Senders) -> Content {
    Content::new(Creator::Initiator, ContentId(name.to_owned())).with_senders(senders)
}

fn modify(id: &str, contents: Vec<Content>) -> Signal {
    jingle_from(JULIET_PHONE, id, Action::ContentModify, SID, contents)
}

/// Juliet accepts the video we are adding, with `senders`.
fn accept_video(h: &mut Harness, senders: Senders) -> Vec<CallOutput> {
    let accepted = content("video", Creator::Initiator, MediaKind::Video).with_senders(senders);
    h.signal(jingle_from(
        JULIET_PHONE,
        "ca1",
        Action::ContentAccept,
        SID,
        vec![accepted],
    ))
}

fn send_permissions(out: &[CallOutput]) -> Vec<(String, bool)> {
    media_commands(out)
        .into_iter()
        .filter_map(|command| match command {
            MediaCommand::SetSendPermitted { name, permitted } => Some((name.0, permitted)),
            _ => None,
        })
        .collect()
}

#[test]
fn dinos_video_modify_before_its_content_accept_is_reported_once_accepted() {
    // We (the initiator) add video; Dino, without a camera, says only we
    // send on it, then accepts, saying so again.
    let mut h = outgoing_active();
    offer_video(&mut h);
    let out = h.signal(modify(
        "cm1",
        vec![with_senders("video", Senders::Initiator)],
    ));
    assert_eq!(results(&out), vec![(jid(JULIET_PHONE), "cm1".to_owned())]);
    assert!(errors(&out).is_empty());
    assert!(send_permissions(&out).is_empty(), "we still send our video");
    assert!(events(&out).is_empty(), "the call has no video yet");
    let out = accept_video(&mut h, Senders::Initiator);
    assert_eq!(results(&out).len(), 1);
    assert!(send_permissions(&out).is_empty());
    assert_eq!(
        events(&out),
        vec![
            CallEvent::MediaChanged {
                media: vec![MediaKind::Audio, MediaKind::Video]
            },
            CallEvent::PeerMuted {
                media: MediaKind::Video,
                muted: true
            }
        ]
    );
    assert_eq!(h.state(SID), Some(CallState::Active));
}

#[test]
fn an_accept_that_leaves_us_out_keeps_our_media_in() {
    let mut h = outgoing_active();
    offer_video(&mut h);
    let out = accept_video(&mut h, Senders::Responder);
    assert_eq!(send_permissions(&out), vec![("video".to_owned(), false)]);
    assert!(
        !events(&out)
            .iter()
            .any(|e| matches!(e, CallEvent::PeerMuted { .. })),
        "she sends"
    );
}

#[test]
fn a_content_the_peer_takes_from_us_stops_our_media_until_given_back() {
    let mut h = outgoing_active();
    // Juliet (the responder) wants to be the only one sending audio.
    let out = h.signal(modify(
        "cm1",
        vec![with_senders("audio", Senders::Responder)],
    ));
    assert_eq!(results(&out).len(), 1);
    assert_eq!(send_permissions(&out), vec![("audio".to_owned(), false)]);
    assert!(events(&out).is_empty(), "she still sends");
    // Repeating it changes nothing.
    let out = h.signal(modify(
        "cm2",
        vec![with_senders("audio", Senders::Responder)],
    ));
    assert_eq!(results(&out).len(), 1);
    assert!(send_permissions(&out).is_empty());
    // Both send again.
    let out = h.signal(modify("cm3", vec![with_senders("audio", Senders::Both)]));
    assert_eq!(send_permissions(&out), vec![("audio".to_owned(), true)]);
    // Nobody sends: we stop, and she is reported silent.
    let out = h.signal(modify("cm4", vec![with_senders("audio", Senders::None)]));
    assert_eq!(send_permissions(&out), vec![("audio".to_owned(), false)]);
    assert_eq!(
        events(&out),
        vec![CallEvent::PeerMuted {
            media: MediaKind::Audio,
            muted: true
        }]
    );
}

#[test]
fn roles_follow_who_initiated_the_session() {
    // Juliet called us: "initiator" is her, so this takes our audio away.
    let mut h = incoming_active();
    let out = h.signal(modify(
        "cm1",
        vec![with_senders("audio", Senders::Initiator)],
    ));
    assert_eq!(send_permissions(&out), vec![("audio".to_owned(), false)]);
    assert!(events(&out).is_empty());
}

#[test]
fn a_modify_naming_an_unknown_content_changes_nothing() {
    let mut h = outgoing_active();
    let out = h.signal(modify(
        "cm1",
        vec![
            with_senders("audio", Senders::Responder),
            with_senders("screen", Senders::Responder),
        ],
    ));
    assert_eq!(errors(&out)[0].2, DefinedCondition::BadRequest);
    assert!(send_permissions(&out).is_empty());
    let out = h.signal(modify("cm2", vec![]));
    assert_eq!(errors(&out)[0].2, DefinedCondition::BadRequest);
    assert_eq!(h.state(SID), Some(CallState::Active));
}

#[test]
fn a_modify_from_a_stranger_is_refused() {
    let mut h = outgoing_active();
    let out = h.signal(jingle_from(
        "mallory@evil.example/x",
        "cm1",
        Action::ContentModify,
        SID,
        vec![with_senders("audio", Senders::None)],
    ));
    assert_eq!(errors(&out).len(), 1);
    assert!(send_permissions(&out).is_empty());
}
