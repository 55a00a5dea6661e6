//! Calls end to end: two Warbler cores with generated media sign in to a
//! real Prosody on 127.0.0.1 and call each other through the public API
//! (XEP-0353 set-up, Jingle RTP over ICE-UDP with DTLS-SRTP). Media must
//! really be decoded on both sides.
//!
//! Needs a Secret Service on the session bus (the test command runs one).

mod support;

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use support::core::{Client, befriend};
use support::prosody::TestServer;
use warbler::model::{CallDirection, CallEndReason, CallId, CallState, MediaKind};
use warbler::session::{CallMedia, Command, Event};

/// Generous for a loaded two-core machine; a healthy call needs ~2 s.
const CALL_TIMEOUT: Duration = Duration::from_secs(40);

/// Calls run one at a time: two video pipelines per call already fill two
/// cores.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn sources(tone_hz: f64, video_pattern: i32) -> CallMedia {
    CallMedia::TestSources {
        relay_only: false,
        tone_hz,
        video_pattern,
        local_addresses: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
    }
}

struct Pair {
    _server: TestServer,
    _root: tempfile::TempDir,
    alice: Client,
    bob: Client,
}

async fn pair() -> Pair {
    let server = TestServer::start(&[("alice", "pw-a"), ("bob", "pw-b")]);
    let root = tempfile::tempdir().expect("temp");
    let mut alice =
        Client::sign_in_with(&server, root.path(), "alice", "pw-a", sources(440.0, 0)).await;
    let mut bob =
        Client::sign_in_with(&server, root.path(), "bob", "pw-b", sources(880.0, 18)).await;
    befriend(&mut alice, &mut bob).await;
    Pair {
        _server: server,
        _root: root,
        alice,
        bob,
    }
}

/// Collects `client`'s events until `done` holds for what arrived so far,
/// or panics after `timeout` with everything seen.
async fn until(
    client: &mut Client,
    timeout: Duration,
    mut done: impl FnMut(&[Event]) -> bool,
) -> Vec<Event> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut seen = Vec::new();
    loop {
        if done(&seen) {
            return seen;
        }
        match tokio::time::timeout_at(deadline, client.events.recv()).await {
            Ok(Some(event)) => seen.push(event),
            Ok(None) => panic!("the core of {} stopped; saw {seen:#?}", client.jid),
            Err(_) => panic!(
                "{} timed out after {timeout:?}; saw {:#?}",
                client.jid,
                call_events(&seen)
            ),
        }
    }
}

/// The call events among `events`, for failure messages.
fn call_events(events: &[Event]) -> Vec<&Event> {
    events
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::CallUpdated { .. }
                    | Event::CallEnded { .. }
                    | Event::CallMediaFlowing { .. }
                    | Event::CallMediaRequested { .. }
                    | Event::CommandFailed { .. }
            )
        })
        .collect()
}

fn has_state(events: &[Event], id: &CallId, wanted: CallState) -> bool {
    events.iter().any(
        |e| matches!(e, Event::CallUpdated { call, .. } if call.id == *id && call.state == wanted),
    )
}

fn flowing(events: &[Event], id: &CallId, wanted: MediaKind) -> bool {
    events.iter().any(|e| {
        matches!(e, Event::CallMediaFlowing { call, media, .. } if call == id && *media == wanted)
    })
}

fn ended(events: &[Event], id: &CallId) -> Option<CallEndReason> {
    events.iter().find_map(|e| match e {
        Event::CallEnded { call, reason, .. } if call == id => Some(*reason),
        _ => None,
    })
}

/// Alice calls Bob; returns the call id once Bob's core rings, after
/// checking both sides describe the same call.
async fn ring(pair: &mut Pair, video: bool) -> CallId {
    pair.alice.send(Command::PlaceCall {
        account: pair.alice.jid.clone(),
        peer: pair.bob.jid.clone(),
        video,
    });
    let media = if video {
        vec![MediaKind::Audio, MediaKind::Video]
    } else {
        vec![MediaKind::Audio]
    };
    let seen = until(&mut pair.alice, CALL_TIMEOUT, |seen| {
        seen.iter().any(|e| matches!(e, Event::CallUpdated { .. }))
    })
    .await;
    let Some(Event::CallUpdated { call: outgoing, .. }) = seen.last() else {
        unreachable!("until returns once a call update arrived")
    };
    assert_eq!(outgoing.direction, CallDirection::Outgoing);
    assert_eq!(outgoing.peer, pair.bob.jid);
    assert_eq!(outgoing.media, media);
    let id = outgoing.id.clone();

    let seen = until(&mut pair.bob, CALL_TIMEOUT, |seen| {
        has_state(seen, &id, CallState::Ringing)
    })
    .await;
    let incoming = seen
        .iter()
        .find_map(|e| match e {
            Event::CallUpdated { call, .. } if call.id == id => Some(call.clone()),
            _ => None,
        })
        .expect("bob's call");
    assert_eq!(incoming.direction, CallDirection::Incoming);
    assert_eq!(incoming.peer, pair.alice.jid);
    assert_eq!(incoming.media, media);
    id
}

/// Both sides reach Active and decode the peer's `media`.
async fn until_flowing(client: &mut Client, id: &CallId, media: &[MediaKind]) {
    until(client, CALL_TIMEOUT, |seen| {
        has_state(seen, id, CallState::Active) && media.iter().all(|m| flowing(seen, id, *m))
    })
    .await;
}

/// Wait until `client` reports the call ended; returns what it saw and
/// the reason.
async fn until_ended(client: &mut Client, id: &CallId) -> (Vec<Event>, Option<CallEndReason>) {
    let seen = until(client, CALL_TIMEOUT, |seen| ended(seen, id).is_some()).await;
    let reason = ended(&seen, id);
    (seen, reason)
}

async fn hang_up_with_success(pair: &mut Pair, id: &CallId) {
    pair.alice.send(Command::HangUp {
        account: pair.alice.jid.clone(),
        call: id.clone(),
    });
    for client in [&mut pair.alice, &mut pair.bob] {
        let (_, reason) = until_ended(client, id).await;
        assert_eq!(reason, Some(CallEndReason::Success));
    }
}

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
    let id = ring(&mut pair, false).await;
    pair.bob.send(Command::AcceptCall {
        account: pair.bob.jid.clone(),
        call: id.clone(),
    });
    until_flowing(&mut pair.bob, &id, &[MediaKind::Audio]).await;
    until_flowing(&mut pair.alice, &id, &[MediaKind::Audio]).await;

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
    let id = ring(&mut pair, false).await;
    pair.bob.send(Command::AcceptCall {
        account: pair.bob.jid.clone(),
        call: id.clone(),
    });
    until_flowing(&mut pair.bob, &id, &[MediaKind::Audio]).await;
    until_flowing(&mut pair.alice, &id, &[MediaKind::Audio]).await;

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
