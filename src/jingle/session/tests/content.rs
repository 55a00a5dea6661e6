//! Adding and removing media during a call (content-add, content-accept,
//! content-reject, content-remove): turning the camera on in an audio call.

use super::*;

fn video(creator: Creator) -> Vec<Content> {
    vec![content("video", creator, MediaKind::Video)]
}

#[test]
fn turning_video_on_in_an_audio_call() {
    let mut h = outgoing_active();
    let out = h.user(
        SID,
        UserAction::AddMedia {
            media: MediaKind::Video,
        },
    );
    let commands = media_commands(&out);
    let [MediaCommand::AddContents { contents }] = commands.as_slice() else {
        panic!("expected AddContents, got {out:?}");
    };
    assert_eq!(contents[0].name.0, "video");
    assert_eq!(contents[0].creator, Creator::Initiator);
    assert_eq!(contents[0].media, MediaKind::Video);
    assert!(jingles(&out).is_empty(), "waits for the media engine");

    let out = h.media(
        SID,
        MediaEvent::AddedContentsReady {
            contents: video(Creator::Initiator),
        },
    );
    let sent = jingles(&out);
    assert_eq!(sent[0].2.action, Action::ContentAdd);
    assert_eq!(sent[0].2.contents, video(Creator::Initiator));

    let answer = video(Creator::Initiator);
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "ca1",
        Action::ContentAccept,
        SID,
        answer.clone(),
    ));
    assert_eq!(results(&out).len(), 1);
    assert_eq!(
        media_commands(&out),
        vec![MediaCommand::ApplyAddedContentsAnswer { contents: answer }]
    );
    assert_eq!(
        events(&out),
        vec![CallEvent::MediaChanged {
            media: vec![MediaKind::Audio, MediaKind::Video]
        }]
    );
    let call = h.calls.call(&CallId::new(SID)).expect("running");
    assert_eq!(call.media(), vec![MediaKind::Audio, MediaKind::Video]);
}

#[test]
fn the_peer_refusing_our_video() {
    let mut h = outgoing_active();
    offer_video(&mut h);
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "cr1",
        Action::ContentReject,
        SID,
        video(Creator::Initiator),
    ));
    assert_eq!(results(&out).len(), 1);
    assert_eq!(
        media_commands(&out),
        vec![MediaCommand::RemoveContents {
            names: vec![ContentId("video".into())]
        }]
    );
    assert_eq!(
        events(&out),
        vec![CallEvent::MediaAddRejected {
            media: vec![MediaKind::Video]
        }]
    );
    assert_eq!(h.state(SID), Some(CallState::Active), "audio goes on");
}

#[test]
fn an_error_reply_to_our_content_add_takes_it_back() {
    let mut h = outgoing_active();
    let out = offer_video(&mut h);
    let (_, id, _) = jingles(&out).remove(0);
    let out = h.signal(Signal::IqError {
        from: jid(JULIET_PHONE),
        id,
        failure: super::super::IqFailure::Other,
    });
    assert!(matches!(
        media_commands(&out).as_slice(),
        [MediaCommand::RemoveContents { .. }]
    ));
    assert_eq!(h.state(SID), Some(CallState::Active));
}

#[test]
fn the_peer_turning_video_on_asks_the_user() {
    let mut h = incoming_active();
    let offer = video(Creator::Initiator);
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "add1",
        Action::ContentAdd,
        SID,
        offer.clone(),
    ));
    assert_eq!(results(&out), vec![(jid(JULIET_PHONE), "add1".to_owned())]);
    assert_eq!(
        events(&out),
        vec![CallEvent::MediaAddRequested {
            media: vec![MediaKind::Video]
        }]
    );
    assert!(
        media_commands(&out).is_empty(),
        "the camera is the user's call"
    );

    let out = h.user(SID, UserAction::AcceptAddedMedia);
    assert_eq!(
        media_commands(&out),
        vec![MediaCommand::AcceptAddedContents { contents: offer }]
    );
    let answer = video(Creator::Initiator);
    let out = h.media(
        SID,
        MediaEvent::AddedContentsAnswerReady {
            contents: answer.clone(),
        },
    );
    let sent = jingles(&out);
    assert_eq!(sent[0].2.action, Action::ContentAccept);
    assert_eq!(sent[0].2.contents, answer);
    assert_eq!(
        events(&out),
        vec![CallEvent::MediaChanged {
            media: vec![MediaKind::Audio, MediaKind::Video]
        }]
    );
}

#[test]
fn refusing_the_peers_video() {
    let mut h = incoming_active();
    h.signal(jingle_from(
        JULIET_PHONE,
        "add1",
        Action::ContentAdd,
        SID,
        video(Creator::Initiator),
    ));
    let out = h.user(SID, UserAction::RejectAddedMedia);
    let sent = jingles(&out);
    assert_eq!(sent[0].2.action, Action::ContentReject);
    assert_eq!(sent[0].2.contents[0].name.0, "video");
    assert!(sent[0].2.contents[0].description.is_none());
    assert!(media_commands(&out).is_empty());
    // Nothing left to answer.
    assert!(h.user(SID, UserAction::AcceptAddedMedia).is_empty());
}

#[test]
fn content_add_before_the_session_is_accepted_is_out_of_order() {
    let mut h = incoming_ringing();
    h.user(SID, UserAction::Accept);
    h.signal(jingle_from(
        JULIET_PHONE,
        "init1",
        Action::SessionInitiate,
        SID,
        vec![content("audio", Creator::Initiator, MediaKind::Audio)],
    ));
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "add1",
        Action::ContentAdd,
        SID,
        video(Creator::Initiator),
    ));
    assert_eq!(errors(&out)[0].3.as_deref(), Some("out-of-order"));
}

#[test]
fn both_adding_at_once_the_initiator_wins() {
    // We initiated: the responder's simultaneous content-add is refused.
    let mut h = outgoing_active();
    h.user(
        SID,
        UserAction::AddMedia {
            media: MediaKind::Video,
        },
    );
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "add1",
        Action::ContentAdd,
        SID,
        video(Creator::Responder),
    ));
    assert_eq!(errors(&out)[0].2, DefinedCondition::Conflict);

    // We responded: the initiator's content-add is taken.
    let mut h = incoming_active();
    h.user(
        SID,
        UserAction::AddMedia {
            media: MediaKind::Video,
        },
    );
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "add1",
        Action::ContentAdd,
        SID,
        vec![content("camera", Creator::Initiator, MediaKind::Video)],
    ));
    assert_eq!(results(&out).len(), 1);
}

#[test]
fn media_already_in_the_call_is_not_added_twice() {
    let mut h = outgoing_active();
    let out = h.user(
        SID,
        UserAction::AddMedia {
            media: MediaKind::Audio,
        },
    );
    assert!(out.is_empty());
}

#[test]
fn removing_the_last_content_ends_the_call() {
    let mut h = outgoing_active();
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "rm1",
        Action::ContentRemove,
        SID,
        vec![Content::new(Creator::Initiator, ContentId("audio".into()))],
    ));
    assert_eq!(results(&out).len(), 1);
    assert_eq!(terminate_reason(&out), Some(Reason::Success));
    assert_eq!(states(&out), vec![ended(CallEndReason::Success)]);
}

#[test]
fn removing_an_unknown_content_is_a_bad_request() {
    let mut h = outgoing_active();
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "rm1",
        Action::ContentRemove,
        SID,
        vec![Content::new(Creator::Initiator, ContentId("nope".into()))],
    ));
    assert_eq!(errors(&out)[0].2, DefinedCondition::BadRequest);
    assert_eq!(h.state(SID), Some(CallState::Active));
}
