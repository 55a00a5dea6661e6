//! Calls end to end: two Warbler cores with generated media sign in to a
//! real Prosody on 127.0.0.1 and call each other through the public API
//! (XEP-0353 set-up, Jingle RTP over ICE-UDP with DTLS-SRTP). Media must
//! really be decoded on both sides.
//!
//! Needs a Secret Service on the session bus (the test command runs one).

mod support;

use std::time::{Duration, Instant};

use support::calls::{
    ALICE_TONE, BOB_TONE, CALL_TIMEOUT, Ear, SERIAL, audio_call_flowing, call_events, ended,
    flowing, hang_up_with_success, pair, ring, until, until_ended, until_flowing,
};
use warbler::model::{CallEndReason, CallId, CallState, CallSummary, MediaKind};
use warbler::session::{Command, Event};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_video_call_is_answered_media_flows_both_ways_and_hang_up_ends_it() {
    let _serial = SERIAL.lock().await;
    let mut pair = pair().await;
    let id = ring(&mut pair, true).await;
    let accepted = Instant::now();
    pair.bob.send(Command::AcceptCall {
        account: pair.bob.jid.clone(),
        call: id.clone(),
    });
    let both = [MediaKind::Audio, MediaKind::Video];
    until_flowing(&mut pair.bob, &id, &both).await;
    until_flowing(&mut pair.alice, &id, &both).await;
    eprintln!("accept to media on both sides: {:?}", accepted.elapsed());
    hang_up_with_success(&mut pair, &id).await;
    pair.alice.shutdown().await;
    pair.bob.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_call_ends_on_both_sides() {
    let _serial = SERIAL.lock().await;
    let mut pair = pair().await;
    let id = ring(&mut pair, false).await;
    pair.bob.send(Command::RejectCall {
        account: pair.bob.jid.clone(),
        call: id.clone(),
    });
    let (_, reason) = until_ended(&mut pair.bob, &id).await;
    assert_eq!(reason, Some(CallEndReason::Declined));
    let (seen, reason) = until_ended(&mut pair.alice, &id).await;
    assert!(
        matches!(reason, Some(CallEndReason::Declined | CallEndReason::Busy)),
        "{:#?}",
        call_events(&seen)
    );
    assert!(
        !seen
            .iter()
            .any(|e| matches!(e, Event::CallMediaFlowing { .. }))
    );
    pair.alice.shutdown().await;
    pair.bob.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_retracted_while_ringing_ends_on_both_sides() {
    let _serial = SERIAL.lock().await;
    let mut pair = pair().await;
    let id = ring(&mut pair, false).await;
    pair.alice.send(Command::HangUp {
        account: pair.alice.jid.clone(),
        call: id.clone(),
    });
    let (_, reason) = until_ended(&mut pair.alice, &id).await;
    assert_eq!(reason, Some(CallEndReason::Cancelled));
    let (seen, reason) = until_ended(&mut pair.bob, &id).await;
    assert_eq!(
        reason,
        Some(CallEndReason::Cancelled),
        "{:#?}",
        call_events(&seen)
    );
    pair.alice.shutdown().await;
    pair.bob.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn video_added_to_an_audio_call_flows_both_ways() {
    let _serial = SERIAL.lock().await;
    let mut pair = pair().await;
    let id = audio_call_flowing(&mut pair).await;

    pair.alice.send(Command::AddCallVideo {
        account: pair.alice.jid.clone(),
        call: id.clone(),
    });
    let seen = until(&mut pair.bob, CALL_TIMEOUT, |seen| {
        seen.iter()
            .any(|e| matches!(e, Event::CallMediaRequested { call, .. } if *call == id))
    })
    .await;
    assert!(seen.iter().any(|e| matches!(e,
        Event::CallMediaRequested { media, .. } if *media == [MediaKind::Video])));
    pair.bob.send(Command::AnswerCallMedia {
        account: pair.bob.jid.clone(),
        call: id.clone(),
        accept: true,
    });
    let with_video = |seen: &[Event]| {
        flowing(seen, &id, MediaKind::Video)
            && seen.iter().any(|e| {
                matches!(e, Event::CallUpdated { call, .. }
                    if call.id == id && call.media == [MediaKind::Audio, MediaKind::Video])
            })
    };
    until(&mut pair.bob, CALL_TIMEOUT, with_video).await;
    until(&mut pair.alice, CALL_TIMEOUT, with_video).await;
    hang_up_with_success(&mut pair, &id).await;
    pair.alice.shutdown().await;
    pair.bob.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_callee_can_add_video_too() {
    let _serial = SERIAL.lock().await;
    let mut pair = pair().await;
    let id = audio_call_flowing(&mut pair).await;

    pair.bob.send(Command::AddCallVideo {
        account: pair.bob.jid.clone(),
        call: id.clone(),
    });
    until(&mut pair.alice, CALL_TIMEOUT, |seen| {
        seen.iter()
            .any(|e| matches!(e, Event::CallMediaRequested { call, .. } if *call == id))
    })
    .await;
    pair.alice.send(Command::AnswerCallMedia {
        account: pair.alice.jid.clone(),
        call: id.clone(),
        accept: true,
    });
    for client in [&mut pair.alice, &mut pair.bob] {
        until(client, CALL_TIMEOUT, |seen| {
            flowing(seen, &id, MediaKind::Video)
        })
        .await;
    }
    hang_up_with_success(&mut pair, &id).await;
    pair.alice.shutdown().await;
    pair.bob.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_muting_and_unmuting_audio_shows_in_the_call_summary() {
    let _serial = SERIAL.lock().await;
    let mut pair = pair().await;
    let id = audio_call_flowing(&mut pair).await;

    // The last summary Bob got of the call, after each step.
    let peer_muted = |seen: &[Event]| {
        seen.iter().rev().find_map(|e| match e {
            Event::CallUpdated { call, .. } if call.id == id => Some(call.peer_muted.clone()),
            _ => None,
        })
    };
    for muted in [true, false] {
        pair.alice.send(Command::SetCallMuted {
            account: pair.alice.jid.clone(),
            call: id.clone(),
            muted,
        });
        let wanted = if muted {
            vec![MediaKind::Audio]
        } else {
            vec![]
        };
        let seen = until(&mut pair.bob, CALL_TIMEOUT, |seen| {
            peer_muted(seen).as_ref() == Some(&wanted)
        })
        .await;
        let updates: Vec<_> = seen
            .iter()
            .filter_map(|e| match e {
                Event::CallUpdated { call, .. } if call.id == id => Some(call),
                _ => None,
            })
            .collect();
        // One update per change, and the call goes on meanwhile.
        assert_eq!(updates.len(), 1, "{:#?}", call_events(&seen));
        assert!(!updates[0].peer_on_hold);
        assert!(ended(&seen, &id).is_none());
    }
    hang_up_with_success(&mut pair, &id).await;
    pair.alice.shutdown().await;
    pair.bob.shutdown().await;
}

/// The last summary of call `id` among `seen`.
fn last_summary(seen: &[Event], id: &CallId) -> Option<CallSummary> {
    seen.iter().rev().find_map(|e| match e {
        Event::CallUpdated { call, .. } if call.id == *id => Some(call.clone()),
        _ => None,
    })
}

/// Waits until `ear` hears `tone` in what arrives from now on.
async fn until_heard(ear: &Ear, tone: f64) {
    ear.forget();
    let deadline = Instant::now() + CALL_TIMEOUT;
    while !ear.hears(tone) {
        assert!(
            Instant::now() < deadline,
            "{tone} Hz not heard: power {:.5} in {} samples",
            ear.power_at(tone),
            ear.samples()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Checks that `ear` hears nothing of `tone` for a second.
async fn assert_silent(ear: &Ear, tone: f64, what: &str) {
    ear.forget();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let power = ear.power_at(tone);
    assert!(
        power < 1e-5,
        "{what}: {tone} Hz heard at power {power:.5} in {} samples",
        ear.samples()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_call_is_silent_both_ways_until_it_is_resumed() {
    let _serial = SERIAL.lock().await;
    let mut pair = pair().await;
    let id = audio_call_flowing(&mut pair).await;
    until_heard(&pair.bob_ear, ALICE_TONE).await;
    until_heard(&pair.alice_ear, BOB_TONE).await;

    for on_hold in [true, false] {
        pair.alice.send(Command::SetCallOnHold {
            account: pair.alice.jid.clone(),
            call: id.clone(),
            on_hold,
        });
        // Alice's summary shows her hold, Bob's shows the peer's.
        let seen = until(&mut pair.alice, CALL_TIMEOUT, |seen| {
            last_summary(seen, &id).is_some_and(|s| s.on_hold == on_hold)
        })
        .await;
        let summary = last_summary(&seen, &id).expect("a summary");
        assert!(!summary.peer_on_hold);
        let seen = until(&mut pair.bob, CALL_TIMEOUT, |seen| {
            last_summary(seen, &id).is_some_and(|s| s.peer_on_hold == on_hold)
        })
        .await;
        let updates = seen
            .iter()
            .filter(|e| matches!(e, Event::CallUpdated { call, .. } if call.id == id))
            .count();
        assert_eq!(updates, 1, "{:#?}", call_events(&seen));
        let summary = last_summary(&seen, &id).expect("a summary");
        assert!(!summary.on_hold);
        assert_eq!(summary.state, CallState::Active);
        if on_hold {
            // What was on its way has played out by now.
            tokio::time::sleep(Duration::from_millis(500)).await;
            // Alice sends nothing, and plays nothing of what Bob sends.
            assert_silent(&pair.bob_ear, ALICE_TONE, "Bob, with Alice holding").await;
            assert_silent(&pair.alice_ear, BOB_TONE, "Alice, holding").await;
        } else {
            until_heard(&pair.bob_ear, ALICE_TONE).await;
            until_heard(&pair.alice_ear, BOB_TONE).await;
        }
    }
    hang_up_with_success(&mut pair, &id).await;
    pair.alice.shutdown().await;
    pair.bob.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mute_outlasts_a_hold() {
    let _serial = SERIAL.lock().await;
    let mut pair = pair().await;
    let id = audio_call_flowing(&mut pair).await;
    until_heard(&pair.bob_ear, ALICE_TONE).await;

    let account = pair.alice.jid.clone();
    pair.alice.send(Command::SetCallMuted {
        account: account.clone(),
        call: id.clone(),
        muted: true,
    });
    for on_hold in [true, false] {
        pair.alice.send(Command::SetCallOnHold {
            account: account.clone(),
            call: id.clone(),
            on_hold,
        });
        until(&mut pair.bob, CALL_TIMEOUT, |seen| {
            last_summary(seen, &id).is_some_and(|s| s.peer_on_hold == on_hold)
        })
        .await;
    }
    // Resumed, but still muted: Bob gets silence (and hears it again as
    // soon as Alice unmutes).
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_silent(&pair.bob_ear, ALICE_TONE, "Bob, with Alice muted").await;
    assert!(pair.bob_ear.samples() > 0, "the muted stream stopped");
    pair.alice.send(Command::SetCallMuted {
        account,
        call: id.clone(),
        muted: false,
    });
    until_heard(&pair.bob_ear, ALICE_TONE).await;
    hang_up_with_success(&mut pair, &id).await;
    pair.alice.shutdown().await;
    pair.bob.shutdown().await;
}
