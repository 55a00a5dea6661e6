//! Calls proposed to the user with XEP-0353: ringing on every device,
//! answering, declining, and the other devices answering first.

use super::*;

#[test]
fn a_proposal_rings_and_tells_the_caller() {
    let mut h = Harness::new();
    let out = h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Propose {
            sid: CallId::new(SID),
            media: vec![MediaKind::Audio, MediaKind::Video],
        },
    ));
    assert_eq!(
        events(&out)[0],
        CallEvent::New {
            peer: juliet(),
            direction: crate::model::CallDirection::Incoming,
            media: vec![MediaKind::Audio, MediaKind::Video],
        }
    );
    assert_eq!(states(&out), vec![CallState::Ringing]);
    assert_eq!(
        messages(&out),
        vec![(
            jid("juliet@capulet.example"),
            JmiMessage::Ringing {
                sid: CallId::new(SID)
            }
        )]
    );
    assert_eq!(timers_set(&out), vec![(at(60), TimerKind::Ring)]);
    assert!(
        media_commands(&out).is_empty(),
        "no devices open while ringing"
    );
}

#[test]
fn answering_sends_proceed_and_waits_for_the_session() {
    let mut h = incoming_ringing();
    h.now = at(3);
    let out = h.user(SID, UserAction::Accept);
    // To the device that proposed, not the caller's bare JID: Dino 0.4
    // ignores a proceed that is not addressed to its full JID.
    assert_eq!(
        messages(&out),
        vec![(
            jid(JULIET_PHONE),
            JmiMessage::Proceed {
                sid: CallId::new(SID)
            }
        )]
    );
    assert_eq!(states(&out), vec![CallState::Connecting]);
    assert_eq!(timers_cancelled(&out), vec![TimerKind::Ring]);
    assert_eq!(timers_set(&out), vec![(at(33), TimerKind::Connect)]);
}

#[test]
fn the_session_initiate_after_proceed_is_answered_with_session_accept() {
    let mut h = incoming_ringing();
    h.user(SID, UserAction::Accept);
    let offer = vec![content("audio", Creator::Initiator, MediaKind::Audio)];
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "init1",
        Action::SessionInitiate,
        SID,
        offer.clone(),
    ));
    assert_eq!(results(&out), vec![(jid(JULIET_PHONE), "init1".to_owned())]);
    assert_eq!(
        media_commands(&out),
        vec![MediaCommand::AcceptOffer { contents: offer }]
    );
    let answer = vec![content("audio", Creator::Initiator, MediaKind::Audio)];
    let out = h.media(
        SID,
        MediaEvent::AnswerReady {
            contents: answer.clone(),
        },
    );
    let sent = jingles(&out);
    assert_eq!(sent.len(), 1);
    let (to, _, jingle) = &sent[0];
    assert_eq!(*to, jid(JULIET_PHONE));
    assert_eq!(jingle.action, Action::SessionAccept);
    assert_eq!(jingle.responder, Some(jid(ROMEO)));
    assert_eq!(jingle.initiator, Some(jid(JULIET_PHONE)));
    assert_eq!(jingle.contents, answer);
    let out = h.media(SID, MediaEvent::Connected);
    assert_eq!(states(&out), vec![CallState::Active]);
}

#[test]
fn media_connecting_before_the_answer_is_sent_still_ends_active() {
    let mut h = incoming_ringing();
    h.user(SID, UserAction::Accept);
    h.signal(jingle_from(
        JULIET_PHONE,
        "init1",
        Action::SessionInitiate,
        SID,
        vec![content("audio", Creator::Initiator, MediaKind::Audio)],
    ));
    assert!(states(&h.media(SID, MediaEvent::Connected)).is_empty());
    let out = h.media(
        SID,
        MediaEvent::AnswerReady {
            contents: vec![content("audio", Creator::Initiator, MediaKind::Audio)],
        },
    );
    assert_eq!(states(&out), vec![CallState::Active]);
}

#[test]
fn declining_rejects_with_busy_to_stop_every_device() {
    let mut h = incoming_ringing();
    let out = h.user(SID, UserAction::Decline);
    let sent = messages(&out);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, jid("juliet@capulet.example"));
    assert!(matches!(sent[0].1, JmiMessage::Reject { .. }));
    assert_eq!(jmi_reason(&sent[0].1), Some(Reason::Busy));
    assert_eq!(states(&out), vec![ended(CallEndReason::Declined)]);
    assert!(actions(&out).is_empty(), "no Jingle session exists yet");
}

#[test]
fn hanging_up_while_ringing_declines() {
    let mut h = incoming_ringing();
    let out = h.user(SID, UserAction::HangUp);
    assert!(matches!(messages(&out)[0].1, JmiMessage::Reject { .. }));
    assert_eq!(states(&out), vec![ended(CallEndReason::Declined)]);
}

#[test]
fn the_caller_retracting_stops_the_ringing() {
    for (reason, expected) in [
        (Some(Reason::Cancel), CallEndReason::Cancelled),
        (None, CallEndReason::Cancelled),
        (Some(Reason::Timeout), CallEndReason::Timeout),
    ] {
        let mut h = incoming_ringing();
        let out = h.signal(jmi_from(
            JULIET_PHONE,
            JmiMessage::Retract {
                sid: CallId::new(SID),
                reason,
                tie_break: false,
            },
        ));
        assert_eq!(states(&out), vec![ended(expected)]);
        assert!(messages(&out).is_empty());
        assert_eq!(timers_cancelled(&out), vec![TimerKind::Ring]);
    }
}

#[test]
fn an_unanswered_proposal_times_out_quietly() {
    let mut h = incoming_ringing();
    h.now = at(60);
    let out = h.timer(SID, TimerKind::Ring);
    assert_eq!(states(&out), vec![ended(CallEndReason::Timeout)]);
    // A reject would stop the user's other devices, which may still ring.
    assert!(messages(&out).is_empty());
    assert!(actions(&out).is_empty());
}

#[test]
fn another_device_answering_stops_the_ringing_here() {
    let answers = [
        own_carbon(JmiMessage::Proceed {
            sid: CallId::new(SID),
        }),
        // The legacy form: <accept/> from our other device to our bare JID.
        Signal::Jmi(JmiSignal {
            from: jid(ROMEO_DESK),
            to: Some(jid("romeo@montague.example")),
            from_own_account: true,
            message: JmiMessage::Accept {
                sid: CallId::new(SID),
            },
        }),
    ];
    for answer in answers {
        let mut h = incoming_ringing();
        let out = h.signal(answer);
        assert_eq!(states(&out), vec![ended(CallEndReason::AnsweredElsewhere)]);
        assert!(messages(&out).is_empty(), "nothing to tell anyone");
        assert_eq!(timers_cancelled(&out), vec![TimerKind::Ring]);
    }
}

#[test]
fn another_device_declining_stops_the_ringing_here() {
    let mut h = incoming_ringing();
    let out = h.signal(own_carbon(JmiMessage::Reject {
        sid: CallId::new(SID),
        reason: Some(Reason::Busy),
        tie_break: false,
    }));
    assert_eq!(states(&out), vec![ended(CallEndReason::RejectedElsewhere)]);
    assert!(messages(&out).is_empty());
}

#[test]
fn a_finish_while_ringing_means_the_call_was_taken_elsewhere() {
    let mut h = incoming_ringing();
    let out = h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Finish {
            sid: CallId::new(SID),
            reason: Some(Reason::Success),
            migrated_to: None,
        },
    ));
    assert_eq!(states(&out), vec![ended(CallEndReason::AnsweredElsewhere)]);
    assert!(messages(&out).is_empty());
}

#[test]
fn losing_the_answer_race_to_another_device() {
    let mut h = incoming_ringing();
    h.user(SID, UserAction::Accept);
    let out = h.signal(own_carbon(JmiMessage::Proceed {
        sid: CallId::new(SID),
    }));
    assert!(out.is_empty(), "still possible that this device wins");
    // The caller picked the other device and tells this one.
    let out = h.signal(Signal::Jmi(JmiSignal {
        from: jid(JULIET_PHONE),
        to: Some(jid(ROMEO)),
        from_own_account: false,
        message: JmiMessage::Retract {
            sid: CallId::new(SID),
            reason: Some(Reason::Cancel),
            tie_break: false,
        },
    }));
    assert_eq!(states(&out), vec![ended(CallEndReason::AnsweredElsewhere)]);
    assert!(
        messages(&out).is_empty(),
        "no finish: the call goes on elsewhere"
    );
}

#[test]
fn a_caller_that_never_initiates_times_out() {
    let mut h = incoming_ringing();
    h.user(SID, UserAction::Accept);
    h.now = at(30);
    let out = h.timer(SID, TimerKind::Connect);
    assert_eq!(states(&out), vec![ended(CallEndReason::Timeout)]);
    let sent = messages(&out);
    assert_eq!(sent.len(), 1);
    assert!(matches!(sent[0].1, JmiMessage::Finish { .. }));
    assert_eq!(jmi_reason(&sent[0].1), Some(Reason::Timeout));
}

#[test]
fn waiting_in_vain_after_another_device_answered_ends_as_answered_elsewhere() {
    let mut h = incoming_ringing();
    h.user(SID, UserAction::Accept);
    h.signal(own_carbon(JmiMessage::Proceed {
        sid: CallId::new(SID),
    }));
    let out = h.timer(SID, TimerKind::Connect);
    assert_eq!(states(&out), vec![ended(CallEndReason::AnsweredElsewhere)]);
    assert!(messages(&out).is_empty());
}

#[test]
fn muting_tells_the_media_engine_and_the_peer() {
    let mut h = incoming_active();
    let out = h.user(
        SID,
        UserAction::SetMuted {
            media: MediaKind::Audio,
            muted: true,
        },
    );
    assert_eq!(
        media_commands(&out),
        vec![MediaCommand::SetMuted {
            media: MediaKind::Audio,
            muted: true
        }]
    );
    let sent = jingles(&out);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].2.action, Action::SessionInfo);
    let payload = &sent[0].2.other[0];
    assert!(payload.is("mute", "urn:xmpp:jingle:apps:rtp:info:1"));
    assert_eq!(payload.attr("name"), Some("audio"));
    assert_eq!(payload.attr("creator"), Some("initiator"));
    // Muting what is already muted changes nothing and sends nothing.
    let again = h.user(
        SID,
        UserAction::SetMuted {
            media: MediaKind::Audio,
            muted: true,
        },
    );
    assert!(again.is_empty(), "{again:?}");

    let out = h.user(
        SID,
        UserAction::SetMuted {
            media: MediaKind::Audio,
            muted: false,
        },
    );
    assert!(jingles(&out)[0].2.other[0].is("unmute", "urn:xmpp:jingle:apps:rtp:info:1"));
    // There is no video to mute.
    let out = h.user(
        SID,
        UserAction::SetMuted {
            media: MediaKind::Video,
            muted: true,
        },
    );
    assert!(out.is_empty());
}

#[test]
fn session_info_from_the_peer() {
    let mut h = incoming_active();
    let info = "urn:xmpp:jingle:apps:rtp:info:1";
    let out = h.signal(session_info_from(
        JULIET_PHONE,
        SID,
        vec![el(&format!(
            "<mute xmlns='{info}' creator='initiator' name='audio'/>"
        ))],
    ));
    assert_eq!(results(&out).len(), 1);
    assert_eq!(
        events(&out),
        vec![CallEvent::PeerMuted {
            media: MediaKind::Audio,
            muted: true
        }]
    );
    let out = h.signal(session_info_from(
        JULIET_PHONE,
        SID,
        vec![el(&format!("<unmute xmlns='{info}'/>"))],
    ));
    assert_eq!(
        events(&out),
        vec![CallEvent::PeerMuted {
            media: MediaKind::Audio,
            muted: false
        }]
    );
    let out = h.signal(session_info_from(
        JULIET_PHONE,
        SID,
        vec![el(&format!("<hold xmlns='{info}'/>"))],
    ));
    assert_eq!(events(&out), vec![CallEvent::PeerHold { on_hold: true }]);
    let out = h.signal(session_info_from(
        JULIET_PHONE,
        SID,
        vec![el(&format!("<active xmlns='{info}'/>"))],
    ));
    assert_eq!(results(&out).len(), 1);
    assert!(events(&out).is_empty());
    // An empty session-info is a ping.
    let out = h.signal(session_info_from(JULIET_PHONE, SID, vec![]));
    assert_eq!(results(&out), vec![(jid(JULIET_PHONE), "info1".to_owned())]);
    // Something we do not understand.
    let out = h.signal(session_info_from(
        JULIET_PHONE,
        SID,
        vec![el("<dance xmlns='urn:example:party'/>")],
    ));
    let refused = errors(&out);
    assert_eq!(refused[0].2, DefinedCondition::FeatureNotImplemented);
    assert_eq!(refused[0].3.as_deref(), Some("unsupported-info"));
    assert_eq!(h.state(SID), Some(CallState::Active));
}

#[test]
fn the_caller_hanging_up_an_answered_call() {
    let mut h = incoming_active();
    let out = h.signal(terminate_from(JULIET_PHONE, SID, None));
    assert_eq!(states(&out), vec![ended(CallEndReason::Success)]);
    assert_eq!(jmi_reason(&messages(&out)[0].1), Some(Reason::Success));
}

#[test]
fn hanging_up_an_answered_incoming_call() {
    let mut h = incoming_active();
    let out = h.user(SID, UserAction::HangUp);
    assert_eq!(terminate_reason(&out), Some(Reason::Success));
    let terminate = &jingles(&out)[0].2;
    assert_eq!(terminate.responder, Some(jid(ROMEO)));
    assert_eq!(states(&out), vec![ended(CallEndReason::Success)]);
}

#[test]
fn hanging_up_after_proceed_but_before_the_session_finishes() {
    let mut h = incoming_ringing();
    h.user(SID, UserAction::Accept);
    let out = h.user(SID, UserAction::HangUp);
    assert!(
        actions(&out).is_empty(),
        "there is no session to terminate yet"
    );
    let sent = messages(&out);
    assert!(matches!(sent[0].1, JmiMessage::Finish { .. }));
    assert_eq!(states(&out), vec![ended(CallEndReason::Success)]);
}
