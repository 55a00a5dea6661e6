//! Calls through a TURN relay found with external service discovery
//! (XEP-0215): Prosody on 127.0.0.1 hands out a TURN server next to it with
//! time-limited credentials it computes from a shared secret, and both cores
//! may only use relayed candidates. Media that flows went through the
//! relay, and hanging up gives the relays back at once; with credentials
//! the relay refuses, no media flows at all.
//!
//! Needs a Secret Service on the session bus (the test command runs one)
//! and coturn's `turnserver`.

mod support;

use std::time::{Duration, Instant};

use support::calls::{
    ACCOUNTS, CALL_TIMEOUT, Pair, SERIAL, audio_call_flowing, call_events, ended, flowing,
    hang_up_with_success, pair_on, ring, until, until_flowing,
};
use support::prosody::TestServer;
use support::turn::TurnServer;
use warbler::model::{CallEndReason, MediaKind};
use warbler::session::Command;

/// The secret the TURN server and Prosody share.
const SECRET: &str = "relay-test-secret";

/// Alice and Bob, calling with relayed candidates only, on a server that
/// hands out `turn` with credentials made from `secret`.
async fn relayed_pair(turn: &TurnServer, secret: &str) -> Pair {
    let server = TestServer::builder()
        .accounts(ACCOUNTS)
        .turn_external(secret, turn.port)
        .start();
    pair_on(server, true).await
}

/// Lines of the TURN server's log that report `request` answered with
/// success.
fn successes(log: &str, request: &str) -> usize {
    log.lines()
        .filter(|l| l.contains(&format!("incoming packet {request} processed, success")))
        .count()
}

/// How soon after a call its relays must be given back: far less than
/// their lifetime (600 s), plenty for a loaded machine.
const RELEASE_TIMEOUT: Duration = Duration::from_secs(10);

/// The TURN sessions (coturn's ids) that allocated a relay in `log`.
fn allocating_sessions(log: &str) -> Vec<&str> {
    let mut sessions: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("incoming packet ALLOCATE processed, success"))
        .filter_map(session_of)
        .collect();
    sessions.dedup();
    sessions
}

/// Whether every session that allocated a relay in `log` was refreshed
/// with lifetime 0, the client's deallocation (RFC 8656 §7).
fn all_released(log: &str) -> bool {
    let sessions = allocating_sessions(log);
    !sessions.is_empty()
        && sessions.iter().all(|session| {
            log.lines().any(|l| {
                session_of(l) == Some(session)
                    && l.contains("refreshed,")
                    && l.ends_with("lifetime=0")
            })
        })
}

/// The session id of a coturn log line (`… session 000000000000000002: …`).
fn session_of(line: &str) -> Option<&str> {
    line.split("session ").nth(1)?.split(':').next()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_only_call_flows_through_the_discovered_turn_server() {
    let _serial = SERIAL.lock().await;
    let turn = TurnServer::start(SECRET);
    let mut pair = relayed_pair(&turn, SECRET).await;
    let id = ring(&mut pair, false).await;
    let accepted = Instant::now();
    pair.bob.send(Command::AcceptCall {
        account: pair.bob.jid.clone(),
        call: id.clone(),
    });
    until_flowing(&mut pair.bob, &id, &[MediaKind::Audio]).await;
    until_flowing(&mut pair.alice, &id, &[MediaKind::Audio]).await;
    eprintln!(
        "relayed call, accept to audio on both sides: {:?}",
        accepted.elapsed()
    );
    hang_up_with_success(&mut pair, &id).await;

    // Hanging up gives the relays back (a Refresh with lifetime 0) at once,
    // not when their ten minutes run out; the cores are still running.
    let deadline = Instant::now() + RELEASE_TIMEOUT;
    let mut log = turn.log();
    while !all_released(&log) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        log = turn.log();
    }
    assert!(
        all_released(&log),
        "allocations outlived the call by {RELEASE_TIMEOUT:?}:\n{log}"
    );
    pair.alice.shutdown().await;
    pair.bob.shutdown().await;

    // Each side allocated a relay with Prosody's credentials and let the
    // other side's relay send to it.
    let allocations = successes(&log, "ALLOCATE");
    let permissions = successes(&log, "CREATE_PERMISSION") + successes(&log, "CHANNEL_BIND");
    assert!(
        allocations >= 2 && permissions >= 2,
        "{allocations} allocations and {permissions} permissions in the TURN server's log:\n{log}"
    );
    // The user names are Prosody's TURN REST ones: when they expire.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    for line in log
        .lines()
        .filter(|l| l.contains("ALLOCATE processed, success"))
    {
        let user = line
            .split("user <")
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .and_then(|user| user.parse::<u64>().ok());
        assert!(
            user.is_some_and(|expires| expires > now && expires <= now + 3600),
            "not a time-limited user name: {line}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_only_call_fails_when_the_relay_refuses_the_credentials() {
    let _serial = SERIAL.lock().await;
    let turn = TurnServer::start(SECRET);
    let mut pair = relayed_pair(&turn, "not-the-relays-secret").await;
    let id = ring(&mut pair, false).await;
    pair.bob.send(Command::AcceptCall {
        account: pair.bob.jid.clone(),
        call: id.clone(),
    });
    for client in [&mut pair.alice, &mut pair.bob] {
        let seen = until(client, CALL_TIMEOUT, |seen| ended(seen, &id).is_some()).await;
        assert!(
            !flowing(&seen, &id, MediaKind::Audio),
            "media flowed without a relay: {:#?}",
            call_events(&seen)
        );
        assert!(
            matches!(
                ended(&seen, &id),
                Some(
                    CallEndReason::FailedTransport
                        | CallEndReason::ConnectivityError
                        | CallEndReason::Timeout
                        | CallEndReason::Expired
                        | CallEndReason::GeneralError
                )
            ),
            "{:#?}",
            call_events(&seen)
        );
    }
    let log = turn.log();
    assert_eq!(successes(&log, "ALLOCATE"), 0, "{log}");
    // Refused with a user name (Prosody's), not merely asked to
    // authenticate as every first request is.
    let refused = log
        .lines()
        .filter(|l| l.contains("error 401") && !l.contains("user <>"))
        .count();
    assert!(
        refused >= 2,
        "the relay never refused the discovered credentials:\n{log}"
    );
    pair.alice.shutdown().await;
    pair.bob.shutdown().await;
}

/// XEP-0215 pushes reach the calls: the server's answer gives credentials
/// the relay refuses, and a second later it pushes the relay with working
/// ones ("modify"). Only if both cores take the push does the relay-only
/// call flow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_only_call_flows_with_credentials_the_server_pushed() {
    let _serial = SERIAL.lock().await;
    let turn = TurnServer::start(SECRET);
    let server = TestServer::builder()
        .accounts(ACCOUNTS)
        .turn_external("not-the-relays-secret", turn.port)
        .push_turn(SECRET, turn.port)
        .start();
    let mut pair = pair_on(server, true).await;
    let pushes = |log: &str, outcome: &str| log.matches(outcome).count();
    let deadline = Instant::now() + CALL_TIMEOUT;
    loop {
        let log = std::fs::read_to_string(pair.server.log_path()).unwrap_or_default();
        assert_eq!(pushes(&log, "Service push refused"), 0, "{log}");
        if pushes(&log, "Service push acknowledged by") >= 2 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the pushes were not acknowledged:\n{}",
            pair.server.log_tail(40)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let id = audio_call_flowing(&mut pair).await;
    hang_up_with_success(&mut pair, &id).await;
    pair.alice.shutdown().await;
    pair.bob.shutdown().await;
    let log = turn.log();
    assert!(successes(&log, "ALLOCATE") >= 2, "{log}");
}
