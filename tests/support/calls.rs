//! Calls between two Warbler cores on a test server: setting up the pair,
//! placing and answering calls through the public API, and waiting for
//! what their events show.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use warbler::model::{CallDirection, CallEndReason, CallId, CallState, CallSummary, MediaKind};
use warbler::session::{AudioTap, CallMedia, Command, Event};

use super::core::{Client, befriend};
use super::media::goertzel;
use super::prosody::TestServer;

/// Generous for a loaded two-core machine; a healthy call needs ~2 s.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(40);

/// Calls run one at a time: two video pipelines per call already fill two
/// cores.
pub static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Alice's tone; Bob's is an octave higher, so that each can tell the
/// other's from its own.
pub const ALICE_TONE: f64 = 440.0;
/// Bob's tone.
pub const BOB_TONE: f64 = 880.0;

/// Generated media on 127.0.0.1; relayed candidates only if `relay_only`;
/// the audio that would reach the speaker goes to `ear`.
pub fn sources(tone_hz: f64, video_pattern: i32, relay_only: bool, ear: &Arc<Ear>) -> CallMedia {
    let ear = ear.clone();
    CallMedia::TestSources {
        relay_only,
        tone_hz,
        video_pattern,
        local_addresses: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
        heard_audio: Some(AudioTap(Arc::new(move |samples| ear.hear(samples)))),
    }
}

/// The last second of audio a core would play, for tone detection.
#[derive(Default)]
pub struct Ear {
    samples: Mutex<Vec<f32>>,
}

impl Ear {
    const WINDOW: usize = 48_000;

    fn hear(&self, samples: &[f32]) {
        if let Ok(mut window) = self.samples.lock() {
            window.extend_from_slice(samples);
            let excess = window.len().saturating_sub(Self::WINDOW);
            window.drain(..excess);
        }
    }

    /// Forgets what was heard so far.
    pub fn forget(&self) {
        if let Ok(mut window) = self.samples.lock() {
            window.clear();
        }
    }

    /// How many samples arrived since [`Ear::forget`] (at most a second's).
    pub fn samples(&self) -> usize {
        self.samples.lock().map(|w| w.len()).unwrap_or_default()
    }

    /// Power of `frequency` in what arrived since [`Ear::forget`], in the
    /// last second at most (a full-scale sine gives about 0.25; the test
    /// tone about 0.02).
    pub fn power_at(&self, frequency: f64) -> f64 {
        let window = self.samples.lock().map(|w| w.clone()).unwrap_or_default();
        goertzel(&window, frequency, 48_000.0)
    }

    /// Whether the tone of `frequency` clearly arrives.
    pub fn hears(&self, frequency: f64) -> bool {
        self.power_at(frequency) > 1e-3
    }
}

/// The two accounts of a [`Pair`]'s server.
pub const ACCOUNTS: &[(&str, &str)] = &[("alice", "pw-a"), ("bob", "pw-b")];

/// Alice and Bob, mutual contacts, each in a core of their own.
pub struct Pair {
    /// Their server.
    pub server: TestServer,
    _root: tempfile::TempDir,
    /// The caller in most tests.
    pub alice: Client,
    /// The callee in most tests.
    pub bob: Client,
    /// What Alice's core plays of the calls.
    pub alice_ear: Arc<Ear>,
    /// What Bob's core plays of the calls.
    pub bob_ear: Arc<Ear>,
}

/// A [`Pair`] on a server of its own.
pub async fn pair() -> Pair {
    pair_on(TestServer::start(ACCOUNTS), false).await
}

/// A [`Pair`] on `server`, which has the [`ACCOUNTS`]; their calls use
/// relayed candidates only if `relay_only`.
pub async fn pair_on(server: TestServer, relay_only: bool) -> Pair {
    let root = tempfile::tempdir().expect("temp");
    let (alice_ear, bob_ear) = (Arc::default(), Arc::default());
    let alice_media = sources(ALICE_TONE, 0, relay_only, &alice_ear);
    let bob_media = sources(BOB_TONE, 18, relay_only, &bob_ear);
    let mut alice = Client::sign_in_with(&server, root.path(), "alice", "pw-a", alice_media).await;
    let mut bob = Client::sign_in_with(&server, root.path(), "bob", "pw-b", bob_media).await;
    befriend(&mut alice, &mut bob).await;
    Pair {
        server,
        _root: root,
        alice,
        bob,
        alice_ear,
        bob_ear,
    }
}

/// Collects `client`'s events until `done` holds for what arrived so far,
/// or panics after `timeout` with everything seen.
pub async fn until(
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
pub fn call_events(events: &[Event]) -> Vec<&Event> {
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

/// Whether `events` show call `id` in state `wanted`.
pub fn has_state(events: &[Event], id: &CallId, wanted: CallState) -> bool {
    events.iter().any(
        |e| matches!(e, Event::CallUpdated { call, .. } if call.id == *id && call.state == wanted),
    )
}

/// Whether `events` show `wanted` media of call `id` decoded.
pub fn flowing(events: &[Event], id: &CallId, wanted: MediaKind) -> bool {
    events.iter().any(|e| {
        matches!(e, Event::CallMediaFlowing { call, media, .. } if call == id && *media == wanted)
    })
}

/// Why call `id` ended, if `events` show it did.
pub fn ended(events: &[Event], id: &CallId) -> Option<CallEndReason> {
    events.iter().find_map(|e| match e {
        Event::CallEnded { call, reason, .. } if call == id => Some(*reason),
        _ => None,
    })
}

/// Alice calls Bob; returns the call id once Bob's core rings, after
/// checking both sides describe the same call.
pub async fn ring(pair: &mut Pair, video: bool) -> CallId {
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

/// Alice calls Bob with audio, Bob answers; returns the call id once both
/// sides decode each other's audio.
pub async fn audio_call_flowing(pair: &mut Pair) -> CallId {
    let id = ring(pair, false).await;
    pair.bob.send(Command::AcceptCall {
        account: pair.bob.jid.clone(),
        call: id.clone(),
    });
    until_flowing(&mut pair.bob, &id, &[MediaKind::Audio]).await;
    until_flowing(&mut pair.alice, &id, &[MediaKind::Audio]).await;
    id
}

/// Both sides reach Active and decode the peer's `media`.
pub async fn until_flowing(client: &mut Client, id: &CallId, media: &[MediaKind]) {
    let seen = until(client, CALL_TIMEOUT, |seen| {
        has_state(seen, id, CallState::Active) && media.iter().all(|m| flowing(seen, id, *m))
    })
    .await;
    assert_each_update_changes_something(&seen, id);
}

/// The user interface redraws a call on every update, so none may repeat
/// the one before it.
pub fn assert_each_update_changes_something(seen: &[Event], id: &CallId) {
    let summaries: Vec<&CallSummary> = seen
        .iter()
        .filter_map(|e| match e {
            Event::CallUpdated { call, .. } if call.id == *id => Some(call),
            _ => None,
        })
        .collect();
    for pair in summaries.windows(2) {
        assert_ne!(pair[0], pair[1], "a repeated call update: {summaries:#?}");
    }
}

/// Wait until `client` reports the call ended; returns what it saw and
/// the reason.
pub async fn until_ended(client: &mut Client, id: &CallId) -> (Vec<Event>, Option<CallEndReason>) {
    let seen = until(client, CALL_TIMEOUT, |seen| ended(seen, id).is_some()).await;
    let reason = ended(&seen, id);
    (seen, reason)
}

/// Alice hangs up; both sides end the call with success.
pub async fn hang_up_with_success(pair: &mut Pair, id: &CallId) {
    pair.alice.send(Command::HangUp {
        account: pair.alice.jid.clone(),
        call: id.clone(),
    });
    for client in [&mut pair.alice, &mut pair.bob] {
        let (_, reason) = until_ended(client, id).await;
        assert_eq!(reason, Some(CallEndReason::Success));
    }
}
