//! Calls set up with a direct session-initiate (XEP-0166 §6), for peers
//! without XEP-0353, both ways; and the busy case.

use super::*;

const DIRECT: &str = "a73sjjvkla37jfea";

fn offer() -> Vec<Content> {
    vec![content("voice", Creator::Initiator, MediaKind::Audio)]
}

fn initiate() -> Signal {
    jingle_from(
        JULIET_PHONE,
        "jingle1",
        Action::SessionInitiate,
        DIRECT,
        offer(),
    )
}

#[test]
fn a_direct_session_initiate_rings_and_says_so() {
    let mut h = Harness::new();
    let out = h.signal(initiate());
    assert_eq!(
        results(&out),
        vec![(jid(JULIET_PHONE), "jingle1".to_owned())]
    );
    assert_eq!(states(&out), vec![CallState::Ringing]);
    let sent = jingles(&out);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, jid(JULIET_PHONE));
    assert_eq!(sent[0].2.action, Action::SessionInfo);
    assert!(sent[0].2.other[0].is("ringing", "urn:xmpp:jingle:apps:rtp:info:1"));
    assert!(messages(&out).is_empty(), "no JMI for a direct call");
    assert!(
        media_commands(&out).is_empty(),
        "nothing opens before the answer"
    );
    let call = h.calls.call(&CallId::new(DIRECT)).expect("running");
    assert!(!call.uses_jmi());
    assert_eq!(call.media(), vec![MediaKind::Audio]);
}

#[test]
fn answering_applies_the_offer_and_the_candidates_that_came_meanwhile() {
    let mut h = Harness::new();
    h.signal(initiate());
    let trickled = vec![candidates("voice", Creator::Initiator)];
    let out = h.signal(jingle_from(
        JULIET_PHONE,
        "ti1",
        Action::TransportInfo,
        DIRECT,
        trickled.clone(),
    ));
    assert_eq!(results(&out).len(), 1);
    assert!(media_commands(&out).is_empty(), "kept until the answer");
    let out = h.user(DIRECT, UserAction::Accept);
    assert_eq!(
        media_commands(&out),
        vec![
            MediaCommand::AcceptOffer { contents: offer() },
            MediaCommand::AddRemoteCandidates { contents: trickled },
        ]
    );
    assert!(messages(&out).is_empty());
    assert_eq!(states(&out), vec![CallState::Connecting]);
    let out = h.media(DIRECT, MediaEvent::AnswerReady { contents: offer() });
    assert_eq!(actions(&out), vec![Action::SessionAccept]);
    assert_eq!(h.state(DIRECT), Some(CallState::Connecting));
}

#[test]
fn declining_a_direct_call_terminates_with_decline() {
    let mut h = Harness::new();
    h.signal(initiate());
    let out = h.user(DIRECT, UserAction::Decline);
    assert_eq!(terminate_reason(&out), Some(Reason::Decline));
    assert!(messages(&out).is_empty());
    assert_eq!(states(&out), vec![ended(CallEndReason::Declined)]);
}

#[test]
fn the_caller_cancelling_a_direct_call() {
    let mut h = Harness::new();
    h.signal(initiate());
    let out = h.signal(terminate_from(JULIET_PHONE, DIRECT, Some(Reason::Cancel)));
    assert_eq!(states(&out), vec![ended(CallEndReason::Cancelled)]);
    // And without a reason, an unanswered call counts as cancelled too.
    let mut h = Harness::new();
    h.signal(initiate());
    let out = h.signal(terminate_from(JULIET_PHONE, DIRECT, None));
    assert_eq!(states(&out), vec![ended(CallEndReason::Cancelled)]);
}

#[test]
fn an_unanswered_direct_call_times_out_with_terminate() {
    let mut h = Harness::new();
    h.signal(initiate());
    let out = h.timer(DIRECT, TimerKind::Ring);
    assert_eq!(terminate_reason(&out), Some(Reason::Timeout));
    assert_eq!(states(&out), vec![ended(CallEndReason::Timeout)]);
}

#[test]
fn placing_a_direct_call() {
    let mut h = Harness::new();
    let out = h.place_direct(DIRECT, JULIET_TABLET);
    assert!(messages(&out).is_empty());
    assert!(matches!(
        media_commands(&out).as_slice(),
        [MediaCommand::CreateOffer { .. }]
    ));
    assert_eq!(states(&out), vec![CallState::Proposed]);
    let out = h.media(DIRECT, MediaEvent::OfferReady { contents: offer() });
    let sent = jingles(&out);
    assert_eq!(sent[0].0, jid(JULIET_TABLET));
    assert_eq!(sent[0].2.action, Action::SessionInitiate);
    assert_eq!(states(&out), Vec::<CallState>::new(), "not answered yet");
    let out = h.signal(session_info_from(
        JULIET_TABLET,
        DIRECT,
        vec![el("<ringing xmlns='urn:xmpp:jingle:apps:rtp:info:1'/>")],
    ));
    assert_eq!(states(&out), vec![CallState::Ringing]);
    let out = h.signal(jingle_from(
        JULIET_TABLET,
        "acc",
        Action::SessionAccept,
        DIRECT,
        offer(),
    ));
    assert_eq!(states(&out), vec![CallState::Connecting]);
    assert_eq!(timers_cancelled(&out), vec![TimerKind::Ring]);
    assert_eq!(timers_set(&out)[0].1, TimerKind::Connect);
    let out = h.media(DIRECT, MediaEvent::Connected);
    assert_eq!(states(&out), vec![CallState::Active]);
    let out = h.user(DIRECT, UserAction::HangUp);
    assert_eq!(terminate_reason(&out), Some(Reason::Success));
    assert!(messages(&out).is_empty(), "no finish without JMI");
}

#[test]
fn an_unanswered_direct_call_we_placed_times_out() {
    let mut h = Harness::new();
    h.place_direct(DIRECT, JULIET_TABLET);
    h.media(DIRECT, MediaEvent::OfferReady { contents: offer() });
    let out = h.timer(DIRECT, TimerKind::Ring);
    assert_eq!(terminate_reason(&out), Some(Reason::Timeout));
    assert_eq!(media_commands(&out), vec![MediaCommand::Stop]);
    assert_eq!(states(&out), vec![ended(CallEndReason::Timeout)]);
}

#[test]
fn cancelling_a_direct_call_we_placed() {
    let mut h = Harness::new();
    h.place_direct(DIRECT, JULIET_TABLET);
    h.media(DIRECT, MediaEvent::OfferReady { contents: offer() });
    let out = h.user(DIRECT, UserAction::HangUp);
    assert_eq!(terminate_reason(&out), Some(Reason::Cancel));
    assert_eq!(states(&out), vec![ended(CallEndReason::Cancelled)]);
}

#[test]
fn the_callee_declining_or_busy() {
    for (reason, expected) in [
        (Some(Reason::Decline), CallEndReason::Declined),
        (Some(Reason::Busy), CallEndReason::Busy),
        (None, CallEndReason::Declined),
    ] {
        let mut h = Harness::new();
        h.place_direct(DIRECT, JULIET_TABLET);
        h.media(DIRECT, MediaEvent::OfferReady { contents: offer() });
        let out = h.signal(terminate_from(JULIET_TABLET, DIRECT, reason));
        assert_eq!(states(&out), vec![ended(expected)]);
        assert_eq!(media_commands(&out), vec![MediaCommand::Stop]);
    }
}

#[test]
fn a_session_initiate_without_usable_media_is_a_bad_request() {
    let mut h = Harness::new();
    let file = Content::new(Creator::Initiator, ContentId("file".into()))
        .with_transport(IceUdpTransport::new());
    for contents in [vec![], vec![file]] {
        let out = h.signal(jingle_from(
            JULIET_PHONE,
            "bad",
            Action::SessionInitiate,
            DIRECT,
            contents,
        ));
        assert_eq!(errors(&out)[0].2, DefinedCondition::BadRequest);
    }
    let out = h.signal(Signal::MalformedJingle {
        from: jid(JULIET_PHONE),
        id: "garbage".into(),
    });
    assert_eq!(errors(&out)[0].2, DefinedCondition::BadRequest);
    assert_eq!(h.calls.calls().count(), 0);
}

#[test]
fn a_second_caller_finds_the_user_busy() {
    let mut h = outgoing_active();
    // With a direct session-initiate: acknowledged, then terminated.
    let out = h.signal(jingle_from(
        MERCUTIO,
        "m1",
        Action::SessionInitiate,
        "mercutio-call",
        offer(),
    ));
    assert_eq!(results(&out), vec![(jid(MERCUTIO), "m1".to_owned())]);
    assert_eq!(terminate_reason(&out), Some(Reason::Busy));
    assert_eq!(jingles(&out)[0].0, jid(MERCUTIO));
    assert!(events(&out).is_empty(), "the user is not disturbed");
    // With a proposal: rejected as busy.
    let out = h.signal(jmi_from(
        MERCUTIO,
        JmiMessage::Propose {
            sid: CallId::new("mercutio-jmi"),
            media: vec![MediaKind::Audio],
        },
    ));
    let sent = messages(&out);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, jid("mercutio@verona.example"));
    assert!(matches!(sent[0].1, JmiMessage::Reject { .. }));
    assert_eq!(jmi_reason(&sent[0].1), Some(Reason::Busy));
    assert_eq!(h.calls.calls().count(), 1);
    assert_eq!(h.state(SID), Some(CallState::Active));
}

#[test]
fn two_callers_may_ring_at_once_while_the_user_is_free() {
    let mut h = incoming_ringing();
    let out = h.signal(jmi_from(
        MERCUTIO,
        JmiMessage::Propose {
            sid: CallId::new("mercutio-jmi"),
            media: vec![MediaKind::Audio],
        },
    ));
    assert_eq!(states(&out), vec![CallState::Ringing]);
    assert_eq!(h.calls.calls().count(), 2);
}
