//! Calls the user places with XEP-0353: propose → ringing → proceed →
//! session-initiate → session-accept, and every way they end.

use super::*;

#[test]
fn placing_a_call_proposes_to_all_of_the_peers_devices() {
    let mut h = Harness::new();
    let out = h.place(SID, &[MediaKind::Audio, MediaKind::Video]);
    assert_eq!(
        messages(&out),
        vec![(
            jid("juliet@capulet.example"),
            JmiMessage::Propose {
                sid: CallId::new(SID),
                media: vec![MediaKind::Audio, MediaKind::Video],
            }
        )]
    );
    assert_eq!(
        events(&out)[0],
        CallEvent::New {
            peer: juliet(),
            direction: crate::model::CallDirection::Outgoing,
            media: vec![MediaKind::Audio, MediaKind::Video],
        }
    );
    assert_eq!(states(&out), vec![CallState::Proposed]);
    assert_eq!(timers_set(&out), vec![(at(60), TimerKind::Ring)]);
    // Nothing is asked of the media engine before someone answers.
    assert!(media_commands(&out).is_empty());
}

#[test]
fn a_ringing_device_shows_as_ringing_once() {
    let mut h = Harness::new();
    h.place(SID, &[MediaKind::Audio]);
    let ringing = JmiMessage::Ringing {
        sid: CallId::new(SID),
    };
    let out = h.signal(jmi_from(JULIET_PHONE, ringing.clone()));
    assert_eq!(states(&out), vec![CallState::Ringing]);
    let out = h.signal(jmi_from(JULIET_TABLET, ringing));
    assert!(out.is_empty(), "a second ringing device changes nothing");
}

#[test]
fn proceed_binds_the_answering_device_and_prepares_the_offer() {
    let mut h = Harness::new();
    h.place(SID, &[MediaKind::Audio, MediaKind::Video]);
    h.now = at(5);
    let out = h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Proceed {
            sid: CallId::new(SID),
        },
    ));
    assert_eq!(states(&out), vec![CallState::Connecting]);
    assert_eq!(timers_cancelled(&out), vec![TimerKind::Ring]);
    assert_eq!(timers_set(&out), vec![(at(35), TimerKind::Connect)]);
    let commands = media_commands(&out);
    let [MediaCommand::CreateOffer { contents }] = commands.as_slice() else {
        panic!("expected one CreateOffer, got {out:?}");
    };
    let names: Vec<_> = contents
        .iter()
        .map(|c| (c.name.0.as_str(), c.media))
        .collect();
    assert_eq!(
        names,
        vec![("audio", MediaKind::Audio), ("video", MediaKind::Video)]
    );
    assert!(contents.iter().all(|c| c.creator == Creator::Initiator));
    let call = h.calls.call(&CallId::new(SID)).expect("running");
    assert_eq!(call.peer_resource(), Some(&jid(JULIET_PHONE)));
}

#[test]
fn the_offer_goes_to_the_bound_device_as_session_initiate() {
    let mut h = Harness::new();
    h.place(SID, &[MediaKind::Audio]);
    h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Proceed {
            sid: CallId::new(SID),
        },
    ));
    let offer = vec![content("audio", Creator::Initiator, MediaKind::Audio)];
    let out = h.media(
        SID,
        MediaEvent::OfferReady {
            contents: offer.clone(),
        },
    );
    let sent = jingles(&out);
    assert_eq!(sent.len(), 1);
    let (to, id, jingle) = &sent[0];
    assert_eq!(*to, jid(JULIET_PHONE));
    assert!(h.calls.awaits_iq(id));
    assert_eq!(jingle.action, Action::SessionInitiate);
    assert_eq!(jingle.sid.0, SID, "the Jingle sid is the JMI id");
    assert_eq!(jingle.initiator, Some(jid(ROMEO)));
    assert_eq!(jingle.contents, offer);
    assert_eq!(states(&out), Vec::<CallState>::new(), "still connecting");
}

#[test]
fn session_accept_applies_the_answer_and_connected_media_makes_it_active() {
    let mut h = Harness::new();
    h.place(SID, &[MediaKind::Audio]);
    h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Proceed {
            sid: CallId::new(SID),
        },
    ));
    h.media(
        SID,
        MediaEvent::OfferReady {
            contents: vec![content("audio", Creator::Initiator, MediaKind::Audio)],
        },
    );
    let answer = vec![content("audio", Creator::Initiator, MediaKind::Audio)];
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "accept1",
        Action::SessionAccept,
        SID,
        answer.clone(),
    ));
    assert_eq!(
        results(&out),
        vec![(jid(JULIET_PHONE), "accept1".to_owned())]
    );
    assert_eq!(
        media_commands(&out),
        vec![MediaCommand::ApplyAnswer { contents: answer }]
    );
    let out = h.media(SID, MediaEvent::Connected);
    assert_eq!(states(&out), vec![CallState::Active]);
    assert_eq!(timers_cancelled(&out), vec![TimerKind::Connect]);
}

#[test]
fn local_candidates_wait_for_the_offer_then_trickle() {
    let mut h = Harness::new();
    h.place(SID, &[MediaKind::Audio]);
    h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Proceed {
            sid: CallId::new(SID),
        },
    ));
    let early = vec![candidates("audio", Creator::Initiator)];
    let out = h.media(
        SID,
        MediaEvent::LocalCandidates {
            contents: early.clone(),
        },
    );
    assert!(
        jingles(&out).is_empty(),
        "no transport-info before the offer"
    );
    let out = h.media(
        SID,
        MediaEvent::OfferReady {
            contents: vec![content("audio", Creator::Initiator, MediaKind::Audio)],
        },
    );
    assert_eq!(
        actions(&out),
        vec![Action::SessionInitiate, Action::TransportInfo]
    );
    assert_eq!(jingles(&out)[1].2.contents, early);
    let out = h.media(
        SID,
        MediaEvent::LocalCandidates {
            contents: vec![candidates("audio", Creator::Initiator)],
        },
    );
    assert_eq!(actions(&out), vec![Action::TransportInfo]);
}

#[test]
fn remote_candidates_reach_the_media_engine() {
    let mut h = outgoing_accepted();
    let trickled = vec![candidates("audio", Creator::Initiator)];
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "ti1",
        Action::TransportInfo,
        SID,
        trickled.clone(),
    ));
    assert_eq!(results(&out), vec![(jid(JULIET_PHONE), "ti1".to_owned())]);
    assert_eq!(
        media_commands(&out),
        vec![MediaCommand::AddRemoteCandidates { contents: trickled }]
    );
}

#[test]
fn hanging_up_an_active_call_terminates_with_success_and_finishes() {
    let mut h = outgoing_active();
    let out = h.user(SID, UserAction::HangUp);
    assert_eq!(terminate_reason(&out), Some(Reason::Success));
    assert_eq!(jingles(&out)[0].0, jid(JULIET_PHONE));
    let sent = messages(&out);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, jid("juliet@capulet.example"));
    assert!(matches!(sent[0].1, JmiMessage::Finish { .. }));
    assert_eq!(jmi_reason(&sent[0].1), Some(Reason::Success));
    assert_eq!(media_commands(&out), vec![MediaCommand::Stop]);
    assert_eq!(states(&out), vec![ended(CallEndReason::Success)]);
    assert_eq!(h.state(SID), None, "ended calls are dropped");
    // XEP-0166: later requests for the session get unknown-session.
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "late",
        Action::TransportInfo,
        SID,
        vec![],
    ));
    assert_eq!(errors(&out)[0].3.as_deref(), Some("unknown-session"));
}

#[test]
fn the_peer_hanging_up_ends_with_its_reason_and_we_confirm_with_finish() {
    let mut h = outgoing_active();
    let out = h.signal(terminate_from(JULIET_PHONE, SID, Some(Reason::Success)));
    assert_eq!(results(&out), vec![(jid(JULIET_PHONE), "term1".to_owned())]);
    assert!(actions(&out).is_empty(), "no terminate in return");
    let sent = messages(&out);
    assert_eq!(sent.len(), 1);
    assert_eq!(jmi_reason(&sent[0].1), Some(Reason::Success));
    assert_eq!(media_commands(&out), vec![MediaCommand::Stop]);
    assert_eq!(states(&out), vec![ended(CallEndReason::Success)]);
}

#[test]
fn a_finish_from_the_peer_ends_the_call_without_terminate() {
    let mut h = outgoing_active();
    let out = h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Finish {
            sid: CallId::new(SID),
            reason: Some(Reason::ConnectivityError),
            migrated_to: None,
        },
    ));
    assert!(actions(&out).is_empty());
    assert_eq!(states(&out), vec![ended(CallEndReason::ConnectivityError)]);
    assert_eq!(messages(&out).len(), 1, "our own finish");
}

#[test]
fn cancelling_before_an_answer_retracts() {
    let mut h = Harness::new();
    h.place(SID, &[MediaKind::Audio]);
    let out = h.user(SID, UserAction::HangUp);
    let sent = messages(&out);
    assert_eq!(sent.len(), 1);
    assert!(matches!(
        sent[0].1,
        JmiMessage::Retract {
            tie_break: false,
            ..
        }
    ));
    assert_eq!(jmi_reason(&sent[0].1), Some(Reason::Cancel));
    assert!(media_commands(&out).is_empty(), "media never started");
    assert_eq!(timers_cancelled(&out), vec![TimerKind::Ring]);
    assert_eq!(states(&out), vec![ended(CallEndReason::Cancelled)]);
}

#[test]
fn rejections_end_with_the_peers_reason() {
    for (reason, expected) in [
        (Some(Reason::Busy), CallEndReason::Busy),
        (Some(Reason::Decline), CallEndReason::Declined),
        (None, CallEndReason::Declined),
    ] {
        let mut h = Harness::new();
        h.place(SID, &[MediaKind::Audio]);
        let out = h.signal(jmi_from(
            JULIET_TABLET,
            JmiMessage::Reject {
                sid: CallId::new(SID),
                reason,
                tie_break: false,
            },
        ));
        assert_eq!(states(&out), vec![ended(expected)]);
        assert!(
            messages(&out).is_empty(),
            "nothing to confirm a reject with"
        );
    }
}

#[test]
fn an_unanswered_call_times_out_after_a_minute_and_retracts() {
    let mut h = Harness::new();
    h.place(SID, &[MediaKind::Audio]);
    h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Ringing {
            sid: CallId::new(SID),
        },
    ));
    h.now = at(60);
    let out = h.timer(SID, TimerKind::Ring);
    let sent = messages(&out);
    assert_eq!(sent.len(), 1);
    assert!(matches!(sent[0].1, JmiMessage::Retract { .. }));
    assert_eq!(jmi_reason(&sent[0].1), Some(Reason::Timeout));
    assert_eq!(states(&out), vec![ended(CallEndReason::Timeout)]);
}

#[test]
fn a_stale_ring_timer_after_the_answer_does_nothing() {
    let mut h = outgoing_accepted();
    let out = h.timer(SID, TimerKind::Ring);
    assert!(out.is_empty());
    assert_eq!(h.state(SID), Some(CallState::Connecting));
}

#[test]
fn media_that_never_connects_fails_the_transport() {
    let mut h = outgoing_accepted();
    h.now = at(30);
    let out = h.timer(SID, TimerKind::Connect);
    assert_eq!(terminate_reason(&out), Some(Reason::FailedTransport));
    assert_eq!(states(&out), vec![ended(CallEndReason::FailedTransport)]);
}

#[test]
fn ice_failure_before_and_during_the_call() {
    let mut h = outgoing_accepted();
    let out = h.media(SID, MediaEvent::TransportFailed);
    assert_eq!(terminate_reason(&out), Some(Reason::FailedTransport));
    assert_eq!(states(&out), vec![ended(CallEndReason::FailedTransport)]);

    let mut h = outgoing_active();
    let out = h.media(SID, MediaEvent::TransportFailed);
    assert_eq!(terminate_reason(&out), Some(Reason::ConnectivityError));
    assert_eq!(states(&out), vec![ended(CallEndReason::ConnectivityError)]);
}

#[test]
fn a_fingerprint_mismatch_is_a_security_error() {
    let mut h = outgoing_accepted();
    let out = h.media(SID, MediaEvent::FingerprintMismatch);
    assert_eq!(terminate_reason(&out), Some(Reason::SecurityError));
    assert_eq!(
        jmi_reason(&messages(&out)[0].1),
        Some(Reason::SecurityError)
    );
    assert_eq!(media_commands(&out), vec![MediaCommand::Stop]);
    assert_eq!(states(&out), vec![ended(CallEndReason::SecurityError)]);
}

#[test]
fn unusable_media_is_an_application_failure() {
    let mut h = outgoing_accepted();
    let out = h.media(SID, MediaEvent::ApplicationFailed);
    assert_eq!(terminate_reason(&out), Some(Reason::FailedApplication));
    assert_eq!(states(&out), vec![ended(CallEndReason::FailedApplication)]);

    let mut h = outgoing_active();
    let out = h.media(SID, MediaEvent::Failed);
    assert_eq!(terminate_reason(&out), Some(Reason::MediaError));
}

#[test]
fn a_refused_session_initiate_is_a_general_error() {
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
    let (_, id, _) = jingles(&out).remove(0);
    let out = h.signal(Signal::IqError {
        from: jid(JULIET_PHONE),
        id,
        failure: super::super::IqFailure::Other,
    });
    assert_eq!(states(&out), vec![ended(CallEndReason::GeneralError)]);
    assert_eq!(jmi_reason(&messages(&out)[0].1), Some(Reason::GeneralError));
    assert!(actions(&out).is_empty());
}

#[test]
fn signing_out_ends_the_call_as_gone() {
    let mut h = outgoing_active();
    let out = h.calls.shutdown(h.now);
    assert_eq!(terminate_reason(&out), Some(Reason::Gone));
    assert_eq!(states(&out), vec![ended(CallEndReason::Gone)]);
    assert_eq!(h.calls.calls().count(), 0);
}

#[test]
fn the_peer_going_offline_ends_the_call_as_gone() {
    let mut h = outgoing_active();
    let out = h.signal(Signal::PeerUnavailable {
        from: jid(JULIET_TABLET),
    });
    assert!(
        out.is_empty(),
        "another device going offline does not matter"
    );
    let out = h.signal(Signal::PeerUnavailable {
        from: jid(JULIET_PHONE),
    });
    assert_eq!(states(&out), vec![ended(CallEndReason::Gone)]);
    assert!(actions(&out).is_empty());
}

#[test]
fn a_peer_that_terminates_after_proceed_without_reason_is_not_a_success() {
    let mut h = Harness::new();
    h.place(SID, &[MediaKind::Audio]);
    h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Proceed {
            sid: CallId::new(SID),
        },
    ));
    h.media(
        SID,
        MediaEvent::OfferReady {
            contents: vec![content("audio", Creator::Initiator, MediaKind::Audio)],
        },
    );
    let out = h.signal(terminate_from(JULIET_PHONE, SID, Some(Reason::Decline)));
    assert_eq!(states(&out), vec![ended(CallEndReason::Declined)]);
}
