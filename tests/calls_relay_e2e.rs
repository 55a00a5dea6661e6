//! Calls through a TURN relay found with external service discovery
//! (XEP-0215): Prosody on 127.0.0.1 hands out a TURN server next to it with
//! time-limited credentials it computes from a shared secret, and both cores
//! may only use relayed candidates. Media that flows went through the
//! relay; with credentials the relay refuses, no media flows at all.
//!
//! Needs a Secret Service on the session bus (the test command runs one)
//! and coturn's `turnserver`.

mod support;

use std::time::Instant;

use support::calls::{
    ACCOUNTS, CALL_TIMEOUT, Pair, SERIAL, call_events, ended, flowing, hang_up_with_success,
    pair_on, ring, until, until_flowing,
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
    pair.alice.shutdown().await;
    pair.bob.shutdown().await;

    // Each side allocated a relay with Prosody's credentials and let the
    // other side's relay send to it.
    let log = turn.log();
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
