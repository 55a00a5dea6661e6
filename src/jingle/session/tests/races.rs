//! Races: both sides calling at once (XEP-0353 §4.1, XEP-0166 tie-break),
//! two devices answering, and a call moving to another device (§4.2).

use super::*;

// XEP-0353's own tie-break example ids: "ca3…" sorts before "fec…".
const LOWER: &str = "ca3cf894-5325-482f-a412-a6e9f832298d";
const HIGHER: &str = "fecbea35-08d3-404f-9ec7-2b57c566fa74";

fn propose_from_juliet(sid: &str) -> Signal {
    jmi_from(
        JULIET_PHONE,
        JmiMessage::Propose {
            sid: CallId::new(sid),
            media: vec![MediaKind::Audio],
        },
    )
}

#[test]
fn both_propose_and_the_peers_lower_id_wins() {
    let mut h = Harness::new();
    h.place(HIGHER, &[MediaKind::Audio]);
    let out = h.signal(propose_from_juliet(LOWER));
    let sent = messages(&out);
    // Ours is withdrawn with a tie-break…
    let retract = sent
        .iter()
        .find(|(_, m)| matches!(m, JmiMessage::Retract { .. }))
        .expect("our proposal is retracted");
    assert_eq!(retract.0, jid("juliet@capulet.example"));
    assert_eq!(
        retract.1,
        JmiMessage::Retract {
            sid: CallId::new(HIGHER),
            reason: Some(Reason::Expired),
            tie_break: true,
        }
    );
    // …and theirs is answered at once, since the user was calling them.
    assert!(sent.contains(&(
        jid(JULIET_PHONE),
        JmiMessage::Proceed {
            sid: CallId::new(LOWER)
        }
    )));
    let ours: Vec<_> = out
        .iter()
        .filter(|o| o.call == Some(CallId::new(HIGHER)))
        .cloned()
        .collect();
    assert_eq!(states(&ours), vec![ended(CallEndReason::Replaced)]);
    assert_eq!(h.state(HIGHER), None);
    assert_eq!(h.state(LOWER), Some(CallState::Connecting));
    // Juliet's reject of our proposal arrives later and changes nothing.
    let out = h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Reject {
            sid: CallId::new(HIGHER),
            reason: Some(Reason::Expired),
            tie_break: true,
        },
    ));
    assert!(out.is_empty());
    assert_eq!(h.state(LOWER), Some(CallState::Connecting));
}

#[test]
fn both_propose_and_our_lower_id_wins() {
    let mut h = Harness::new();
    h.place(LOWER, &[MediaKind::Audio]);
    let out = h.signal(propose_from_juliet(HIGHER));
    assert_eq!(
        messages(&out),
        vec![(
            jid("juliet@capulet.example"),
            JmiMessage::Reject {
                sid: CallId::new(HIGHER),
                reason: Some(Reason::Expired),
                tie_break: true,
            }
        )]
    );
    assert!(events(&out).is_empty(), "no second call shows up");
    assert_eq!(h.state(LOWER), Some(CallState::Proposed));
    assert_eq!(h.state(HIGHER), None);
    // Juliet withdraws hers and proceeds with ours.
    assert!(
        h.signal(jmi_from(
            JULIET_PHONE,
            JmiMessage::Retract {
                sid: CallId::new(HIGHER),
                reason: Some(Reason::Expired),
                tie_break: true,
            },
        ))
        .is_empty()
    );
    let out = h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Proceed {
            sid: CallId::new(LOWER),
        },
    ));
    assert_eq!(states(&out), vec![CallState::Connecting]);
    // A late copy of her proposal does not ring.
    assert!(h.signal(propose_from_juliet(HIGHER)).is_empty());
}

#[test]
fn equal_ids_fall_back_to_the_lower_jid() {
    // Our JID (romeo@…) sorts after juliet@…, so her proposal wins.
    let mut h = Harness::new();
    h.place(SID, &[MediaKind::Audio]);
    let out = h.signal(propose_from_juliet(SID));
    let sent = messages(&out);
    assert!(sent.iter().any(|(_, m)| matches!(
        m,
        JmiMessage::Retract {
            tie_break: true,
            ..
        }
    )));
    assert!(
        sent.iter()
            .any(|(_, m)| matches!(m, JmiMessage::Proceed { .. }))
    );
}

#[test]
fn equal_ids_and_our_lower_jid_wins() {
    const TYBALT: &str = "tybalt@capulet.example/sword";
    let mut h = Harness::new();
    h.calls
        .place_call(
            h.now,
            CallId::new(SID),
            CallTarget::Jmi(bare("tybalt@capulet.example")),
            &[MediaKind::Audio],
        )
        .expect("call placed");
    let out = h.signal(jmi_from(
        TYBALT,
        JmiMessage::Propose {
            sid: CallId::new(SID),
            media: vec![MediaKind::Audio],
        },
    ));
    let sent = messages(&out);
    assert_eq!(sent.len(), 1);
    assert!(matches!(
        sent[0].1,
        JmiMessage::Reject {
            tie_break: true,
            ..
        }
    ));
    assert_eq!(h.state(SID), Some(CallState::Proposed));
}

#[test]
fn losing_the_tie_break_told_by_the_peer() {
    let mut h = Harness::new();
    h.place(HIGHER, &[MediaKind::Audio]);
    // The peer's reject overtakes its proposal.
    let out = h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Reject {
            sid: CallId::new(HIGHER),
            reason: Some(Reason::Expired),
            tie_break: true,
        },
    ));
    assert_eq!(states(&out), vec![ended(CallEndReason::Replaced)]);
}

#[test]
fn a_second_answering_device_is_told_to_stop() {
    let mut h = Harness::new();
    h.place(SID, &[MediaKind::Audio]);
    h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Proceed {
            sid: CallId::new(SID),
        },
    ));
    let out = h.signal(jmi_from(
        JULIET_TABLET,
        JmiMessage::Proceed {
            sid: CallId::new(SID),
        },
    ));
    assert_eq!(
        messages(&out),
        vec![(
            jid(JULIET_TABLET),
            JmiMessage::Retract {
                sid: CallId::new(SID),
                reason: Some(Reason::Cancel),
                tie_break: false,
            }
        )]
    );
    assert!(states(&out).is_empty());
    // The session still goes to the first device.
    let out = h.media(
        SID,
        MediaEvent::OfferReady {
            contents: vec![content("audio", Creator::Initiator, MediaKind::Audio)],
        },
    );
    assert_eq!(jingles(&out)[0].0, jid(JULIET_PHONE));
    // A repeated proceed from the first device is not a second device.
    let out = h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Proceed {
            sid: CallId::new(SID),
        },
    ));
    assert!(out.is_empty());
}

#[test]
fn a_reject_from_another_device_after_an_answer_is_ignored() {
    let mut h = Harness::new();
    h.place(SID, &[MediaKind::Audio]);
    h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Proceed {
            sid: CallId::new(SID),
        },
    ));
    let out = h.signal(jmi_from(
        JULIET_TABLET,
        JmiMessage::Reject {
            sid: CallId::new(SID),
            reason: Some(Reason::Busy),
            tie_break: false,
        },
    ));
    assert!(out.is_empty());
    assert_eq!(h.state(SID), Some(CallState::Connecting));
}

#[test]
fn a_new_proposal_during_a_call_migrates_it() {
    let mut h = outgoing_active();
    const NEW: &str = "989a46a6-f202-4910-a7c3-83c6ba3f3947";
    let out = h.signal(jmi_from(
        JULIET_TABLET,
        JmiMessage::Propose {
            sid: CallId::new(NEW),
            media: vec![MediaKind::Audio],
        },
    ));
    let sent = messages(&out);
    assert!(sent.contains(&(
        jid("juliet@capulet.example"),
        JmiMessage::Finish {
            sid: CallId::new(SID),
            reason: Some(Reason::Expired),
            migrated_to: Some(CallId::new(NEW)),
        }
    )));
    assert!(sent.contains(&(
        jid(JULIET_TABLET),
        JmiMessage::Proceed {
            sid: CallId::new(NEW)
        }
    )));
    let old: Vec<_> = out
        .iter()
        .filter(|o| o.call == Some(CallId::new(SID)))
        .cloned()
        .collect();
    assert_eq!(media_commands(&old), vec![MediaCommand::Stop]);
    assert_eq!(states(&old), vec![ended(CallEndReason::Replaced)]);
    assert_eq!(h.state(NEW), Some(CallState::Connecting));
    let call = h.calls.call(&CallId::new(NEW)).expect("running");
    assert_eq!(call.peer_resource(), Some(&jid(JULIET_TABLET)));
}

#[test]
fn a_migrated_finish_from_the_peer_ends_the_old_call_as_replaced() {
    let mut h = incoming_active();
    let out = h.signal(jmi_from(
        JULIET_PHONE,
        JmiMessage::Finish {
            sid: CallId::new(SID),
            reason: Some(Reason::Expired),
            migrated_to: Some(CallId::new("next")),
        },
    ));
    assert_eq!(states(&out), vec![ended(CallEndReason::Replaced)]);
}

#[test]
fn both_initiate_directly_and_the_lower_sid_wins() {
    // Ours has the lower sid: the peer's session-initiate is refused.
    let mut h = Harness::new();
    h.place_direct(LOWER, JULIET_PHONE);
    h.media(
        LOWER,
        MediaEvent::OfferReady {
            contents: vec![content("audio", Creator::Initiator, MediaKind::Audio)],
        },
    );
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "theirs",
        Action::SessionInitiate,
        HIGHER,
        vec![content("audio", Creator::Initiator, MediaKind::Audio)],
    ));
    let refused = errors(&out);
    assert_eq!(refused[0].2, DefinedCondition::Conflict);
    assert_eq!(refused[0].3.as_deref(), Some("tie-break"));
    assert_eq!(h.state(LOWER), Some(CallState::Proposed));

    // Theirs has the lower sid: ours ends and theirs is answered.
    let mut h = Harness::new();
    h.place_direct(HIGHER, JULIET_PHONE);
    h.media(
        HIGHER,
        MediaEvent::OfferReady {
            contents: vec![content("audio", Creator::Initiator, MediaKind::Audio)],
        },
    );
    let offer = vec![content("audio", Creator::Initiator, MediaKind::Audio)];
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "theirs",
        Action::SessionInitiate,
        LOWER,
        offer.clone(),
    ));
    assert_eq!(
        results(&out),
        vec![(jid(JULIET_PHONE), "theirs".to_owned())]
    );
    assert!(media_commands(&out).contains(&MediaCommand::AcceptOffer { contents: offer }));
    assert_eq!(h.state(HIGHER), None);
    assert_eq!(h.state(LOWER), Some(CallState::Connecting));
}

#[test]
fn a_tie_break_error_for_our_session_initiate_ends_it_as_replaced() {
    let mut h = Harness::new();
    h.place_direct(HIGHER, JULIET_PHONE);
    let out = h.media(
        HIGHER,
        MediaEvent::OfferReady {
            contents: vec![content("audio", Creator::Initiator, MediaKind::Audio)],
        },
    );
    let (_, id, _) = jingles(&out).remove(0);
    let out = h.signal(Signal::IqError {
        from: jid(JULIET_PHONE),
        id,
        failure: super::super::IqFailure::TieBreak,
    });
    assert_eq!(states(&out), vec![ended(CallEndReason::Replaced)]);
}
