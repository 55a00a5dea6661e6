//! Stray, duplicate, out-of-order and forged input: refused or ignored,
//! never acted upon, never a panic.

use super::*;

#[test]
fn strangers_cannot_steer_a_call() {
    let mut h = Harness::new();
    h.place(SID, &[MediaKind::Audio]);
    for message in [
        JmiMessage::Proceed {
            sid: CallId::new(SID),
        },
        JmiMessage::Reject {
            sid: CallId::new(SID),
            reason: None,
            tie_break: false,
        },
        JmiMessage::Ringing {
            sid: CallId::new(SID),
        },
    ] {
        assert!(h.signal(jmi_from(MERCUTIO, message)).is_empty());
    }
    assert_eq!(h.state(SID), Some(CallState::Proposed));

    let mut h = incoming_ringing();
    let out = h.signal(jmi_from(
        MERCUTIO,
        JmiMessage::Retract {
            sid: CallId::new(SID),
            reason: None,
            tie_break: false,
        },
    ));
    assert!(out.is_empty());
    // Nor may another device of the caller retract on its behalf.
    let out = h.signal(jmi_from(
        JULIET_TABLET,
        JmiMessage::Retract {
            sid: CallId::new(SID),
            reason: None,
            tie_break: false,
        },
    ));
    assert!(out.is_empty());
    assert_eq!(h.state(SID), Some(CallState::Ringing));
}

#[test]
fn jingle_requests_from_anyone_but_the_bound_device_are_unknown_sessions() {
    let mut h = outgoing_active();
    for from in [JULIET_TABLET, MERCUTIO, "juliet@capulet.example"] {
        let out = h.signal(terminate_from(from, SID, Some(Reason::Success)));
        let refused = errors(&out);
        assert_eq!(refused.len(), 1, "from {from}");
        assert_eq!(refused[0].0, jid(from));
        assert_eq!(refused[0].2, DefinedCondition::ItemNotFound);
        assert_eq!(refused[0].3.as_deref(), Some("unknown-session"));
    }
    assert_eq!(h.state(SID), Some(CallState::Active));
}

#[test]
fn requests_for_unknown_sessions() {
    let mut h = Harness::new();
    for action in [
        Action::SessionAccept,
        Action::SessionTerminate,
        Action::TransportInfo,
        Action::SessionInfo,
    ] {
        let out = h.signal(jingle_from(JULIET_PHONE, "x", action, "nope", vec![]));
        assert_eq!(errors(&out)[0].3.as_deref(), Some("unknown-session"));
    }
    // Inputs for calls that do not exist do nothing.
    assert!(h.user("nope", UserAction::Accept).is_empty());
    assert!(h.timer("nope", TimerKind::Ring).is_empty());
    assert!(h.media("nope", MediaEvent::Connected).is_empty());
}

#[test]
fn duplicate_and_late_proposals_do_not_ring_again() {
    let mut h = incoming_ringing();
    let again = jmi_from(
        JULIET_PHONE,
        JmiMessage::Propose {
            sid: CallId::new(SID),
            media: vec![MediaKind::Audio],
        },
    );
    assert!(h.signal(again.clone()).is_empty());
    assert_eq!(h.calls.calls().count(), 1);
    h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Retract {
            sid: CallId::new(SID),
            reason: None,
            tie_break: false,
        },
    ));
    assert!(h.signal(again).is_empty(), "the call is over");

    // From an archive, the retract may come before the proposal.
    let mut h = Harness::new();
    h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Retract {
            sid: CallId::new("archived"),
            reason: None,
            tie_break: false,
        },
    ));
    let out = h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Propose {
            sid: CallId::new("archived"),
            media: vec![MediaKind::Audio],
        },
    ));
    assert!(out.is_empty());
}

#[test]
fn out_of_order_jingle_requests() {
    let mut h = outgoing_accepted();
    // A second session-accept, and a session-initiate to the initiator.
    for action in [Action::SessionAccept, Action::SessionInitiate] {
        let out = h.signal(jingle_from(
            JULIET_PHONE,
            "dup",
            action,
            SID,
            vec![content("audio", Creator::Initiator, MediaKind::Audio)],
        ));
        let refused = errors(&out);
        assert_eq!(refused[0].2, DefinedCondition::UnexpectedRequest);
        assert_eq!(refused[0].3.as_deref(), Some("out-of-order"));
    }
    // content-accept with nothing added.
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "ca",
        Action::ContentAccept,
        SID,
        vec![],
    ));
    assert_eq!(errors(&out)[0].3.as_deref(), Some("out-of-order"));

    // Candidates before any session exists.
    let mut h = incoming_ringing();
    h.user(SID, UserAction::Accept);
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "ti",
        Action::TransportInfo,
        SID,
        vec![candidates("audio", Creator::Initiator)],
    ));
    assert_eq!(errors(&out)[0].3.as_deref(), Some("out-of-order"));
    // A session-initiate before the user answered.
    let mut h = incoming_ringing();
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "si",
        Action::SessionInitiate,
        SID,
        vec![content("audio", Creator::Initiator, MediaKind::Audio)],
    ));
    assert_eq!(errors(&out)[0].3.as_deref(), Some("out-of-order"));
    assert_eq!(h.state(SID), Some(CallState::Ringing));
}

#[test]
fn actions_we_do_not_implement() {
    let mut h = outgoing_active();
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "tr",
        Action::TransportReplace,
        SID,
        vec![],
    ));
    assert_eq!(errors(&out)[0].2, DefinedCondition::FeatureNotImplemented);
    assert_eq!(h.state(SID), Some(CallState::Active));
}

#[test]
fn our_own_devices_proposals_are_not_incoming_calls() {
    let mut h = Harness::new();
    let out = h.signal(own_carbon(JmiMessage::Propose {
        sid: CallId::new("from-desk"),
        media: vec![MediaKind::Audio],
    }));
    assert!(out.is_empty());
    assert_eq!(h.calls.calls().count(), 0);
}

#[test]
fn copies_of_messages_to_our_other_devices_are_not_for_us() {
    let mut h = incoming_ringing();
    h.user(SID, UserAction::Accept);
    // The caller tells our desk (which lost the answer race) to stop; the
    // copy reaching this device must not end the call here.
    let out = h.signal(Signal::Jmi(JmiSignal {
        from: jid(JULIET_PHONE),
        to: Some(jid(ROMEO_DESK)),
        from_own_account: false,
        message: JmiMessage::Retract {
            sid: CallId::new(SID),
            reason: Some(Reason::Cancel),
            tie_break: false,
        },
    }));
    assert!(out.is_empty());
    assert_eq!(h.state(SID), Some(CallState::Connecting));
}

#[test]
fn proposals_we_cannot_take() {
    let mut h = Harness::new();
    // No resource to bind to.
    let out = h.signal(jmi_from(
        "juliet@capulet.example",
        JmiMessage::Propose {
            sid: CallId::new("a"),
            media: vec![MediaKind::Audio],
        },
    ));
    assert!(out.is_empty());
    // No audio or video.
    let out = h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Propose {
            sid: CallId::new("b"),
            media: vec![],
        },
    ));
    assert!(out.is_empty());
    assert_eq!(h.calls.calls().count(), 0);
}

#[test]
fn iq_answers_from_strangers_are_ignored() {
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
        from: jid(MERCUTIO),
        id: id.clone(),
        failure: super::super::IqFailure::Other,
    });
    assert!(out.is_empty());
    assert!(h.calls.awaits_iq(&id), "still waiting for the real answer");
    h.signal(Signal::IqResult {
        from: jid(JULIET_PHONE),
        id: id.clone(),
    });
    assert!(!h.calls.awaits_iq(&id));
}

#[test]
fn placing_impossible_calls() {
    use super::super::PlaceCallError;
    let mut h = Harness::new();
    let target = CallTarget::Jmi(juliet());
    assert_eq!(
        h.calls
            .place_call(h.now, CallId::new("x"), target.clone(), &[]),
        Err(PlaceCallError::NoMedia)
    );
    assert_eq!(
        h.calls.place_call(
            h.now,
            CallId::new("x"),
            CallTarget::Jmi(bare("romeo@montague.example")),
            &[MediaKind::Audio]
        ),
        Err(PlaceCallError::OwnAccount)
    );
    h.place(SID, &[MediaKind::Audio]);
    assert_eq!(
        h.calls
            .place_call(h.now, CallId::new(SID), target, &[MediaKind::Audio]),
        Err(PlaceCallError::DuplicateId(CallId::new(SID)))
    );
}

/// Every input a call knows, valid or not for the moment it arrives.
fn every_input() -> Vec<Input> {
    let audio = || vec![content("audio", Creator::Initiator, MediaKind::Audio)];
    let sid = || CallId::new(SID);
    let mut inputs: Vec<Input> = vec![
        Input::User(UserAction::Accept),
        Input::User(UserAction::Decline),
        Input::User(UserAction::HangUp),
        Input::User(UserAction::SetMuted {
            media: MediaKind::Audio,
            muted: true,
        }),
        Input::User(UserAction::SetOnHold { on_hold: true }),
        Input::User(UserAction::SetOnHold { on_hold: false }),
        Input::User(UserAction::AddMedia {
            media: MediaKind::Video,
        }),
        Input::User(UserAction::AcceptAddedMedia),
        Input::User(UserAction::RejectAddedMedia),
        Input::Media(MediaEvent::OfferReady { contents: audio() }),
        Input::Media(MediaEvent::AnswerReady { contents: audio() }),
        Input::Media(MediaEvent::AddedContentsReady { contents: audio() }),
        Input::Media(MediaEvent::AddedContentsAnswerReady { contents: audio() }),
        Input::Media(MediaEvent::LocalCandidates { contents: audio() }),
        Input::Media(MediaEvent::Connected),
        Input::Media(MediaEvent::TransportFailed),
        Input::Timer(TimerKind::Ring),
        Input::Timer(TimerKind::Connect),
        Input::Shutdown,
    ];
    for message in [
        JmiMessage::Ringing { sid: sid() },
        JmiMessage::Proceed { sid: sid() },
        JmiMessage::Accept { sid: sid() },
        JmiMessage::Reject {
            sid: sid(),
            reason: None,
            tie_break: false,
        },
        JmiMessage::Retract {
            sid: sid(),
            reason: None,
            tie_break: true,
        },
        JmiMessage::Finish {
            sid: sid(),
            reason: None,
            migrated_to: None,
        },
    ] {
        inputs.push(jmi_from(JULIET_PHONE, message.clone()).into());
        inputs.push(own_carbon(message).into());
    }
    for action in [
        Action::SessionInitiate,
        Action::SessionAccept,
        Action::TransportInfo,
        Action::ContentAdd,
        Action::ContentAccept,
        Action::ContentReject,
        Action::ContentRemove,
        Action::SessionInfo,
    ] {
        inputs.push(jingle_from(JULIET_PHONE, "any", action, SID, audio()).into());
    }
    inputs.push(terminate_from(JULIET_PHONE, SID, None).into());
    inputs
}

#[test]
fn any_two_inputs_in_any_state_keep_the_machine_sound() {
    let starts: [fn() -> Harness; 4] = [
        outgoing_accepted,
        outgoing_active,
        incoming_ringing,
        incoming_active,
    ];
    let inputs = every_input();
    for start in starts {
        for first in &inputs {
            for second in &inputs {
                let mut h = start();
                let mut outputs = h.calls.handle(h.now, &CallId::new(SID), first.clone());
                outputs.extend(h.calls.handle(h.now, &CallId::new(SID), second.clone()));
                let seen = states(&outputs);
                // Once ended, a call says nothing more about its state.
                if let Some(end) = seen
                    .iter()
                    .position(|s| matches!(s, CallState::Ended { .. }))
                {
                    assert_eq!(end, seen.len() - 1, "{first:?} then {second:?}");
                    assert_eq!(h.state(SID), None);
                }
                // Media is stopped at most once.
                let stops = media_commands(&outputs)
                    .iter()
                    .filter(|c| **c == MediaCommand::Stop)
                    .count();
                assert!(stops <= 1, "{first:?} then {second:?}");
            }
        }
    }
}
