//! Room benchmarks against a real Prosody on 127.0.0.1 (run with
//! `cargo bench --bench rooms`, inside a session with a Secret Service):
//!
//! - big room: a room with 2,000 occupants and a 50,000-message archive
//!   (put into the server through its admin shell); reports the time from
//!   our own presence in the room to the newest archived message being
//!   stored and shown, the occupant count delivered, and memory growth;
//! - autojoin: an account with 100 bookmarked autojoin rooms; reports the
//!   time from being online to being in all of them.
//!
//! The server keeps archives in SQLite, as production servers do;
//! `ROOMS_BENCH_FILE_STORAGE=1` uses Prosody's file storage instead, which
//! reads a room's whole archive for every query (about 1.4 s for 50,000
//! messages), to see what that costs.
//!
//! `ROOMS_BENCH_LOG=1` prints the core's wire log (to see how much of a
//! join is the server answering); `ROOMS_BENCH_ONLY_AUTOJOIN=1` skips the
//! big room.

#[path = "process.rs"]
mod process;
#[path = "../support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use process::rss_mib;
use support::core::{Client, body_of};
use support::muc::{add_fake_occupants, room_jid};
use support::prosody::TestServer;
use support::raw_client::RawClient;
use warbler::model::RoomState;
use warbler::session::{Command, Event};

const OCCUPANTS: usize = 2_000;
const ARCHIVE: usize = 50_000;
const AUTOJOIN_ROOMS: usize = 100;
const RUNS: usize = 3;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        // `cargo test --all-targets` runs bench binaries too; measuring
        // belongs to `cargo bench`.
        println!("room benchmarks: run with `cargo bench --bench rooms`");
        return;
    }
    if std::env::var_os("ROOMS_BENCH_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter("warbler=debug,warbler::wire=trace")
            .with_writer(std::io::stderr)
            .init();
    }
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    if std::env::var_os("ROOMS_BENCH_ONLY_AUTOJOIN").is_none() {
        runtime.block_on(big_room());
    }
    runtime.block_on(autojoin());
}

/// Whether the server keeps archives in files rather than SQLite.
fn file_storage() -> bool {
    std::env::var_os("ROOMS_BENCH_FILE_STORAGE").is_some()
}

/// Fill `room` with fake occupants and archived messages inside the
/// server (no network clients: 2,000 connections would measure Prosody),
/// in chunks the admin shell answers within its time limit.
fn populate(server: &TestServer, room: &str) {
    let muc = server.muc_domain();
    let run = |lua: String| {
        let output = server.shell_lua(&lua);
        assert!(
            output.contains("Result: done"),
            "could not fill the room: {output}"
        );
    };
    add_fake_occupants(server, room, OCCUPANTS);
    for first in (1..=ARCHIVE).step_by(5_000) {
        let last = (first + 4_999).min(ARCHIVE);
        run(format!(
            "local st = require 'util.stanza'; \
             local archive = prosody.hosts['{muc}'].modules.muc_mam.module:open_store('muc_log', 'archive'); \
             local node = ('{room}'):match('^[^@]+'); \
             local start = os.time() - {ARCHIVE}; \
             for i = {first}, {last} do \
               local from = '{room}/member' .. (i % {OCCUPANTS} + 1); \
               local m = st.message({{type = 'groupchat', from = from, id = 'a' .. i}}) \
                 :tag('body'):text('archived message ' .. i):up(); \
               archive:append(node, nil, m, start + i, 'message<groupchat'); \
             end; return 'done'"
        ));
    }
}

async fn big_room() {
    let mut joins = Vec::new();
    let mut growth = Vec::new();
    let mut occupants = 0;
    for run in 0..RUNS {
        let builder = TestServer::builder()
            .accounts(&[("alice", "pw-a"), ("bob", "pw-b")])
            .muc(true);
        let server = if file_storage() {
            builder.start()
        } else {
            builder.sql_archives().start()
        };
        let room = room_jid(&server, "big");
        let mut bob = RawClient::connect(&server, "bob", "pw-b").await;
        bob.join_room(room.as_str(), "Bob").await;
        let started = Instant::now();
        populate(&server, room.as_str());
        if run == 0 {
            println!(
                "big room: {OCCUPANTS} occupants and {ARCHIVE} archived messages put in the server ({}) in {:.1} s",
                if file_storage() {
                    "file storage"
                } else {
                    "SQLite archives"
                },
                started.elapsed().as_secs_f64()
            );
        }
        let root = tempfile::tempdir().expect("temp");
        let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let before = rss_mib("self");
        alice.send(Command::JoinRoom {
            account: alice.jid.clone(),
            room: room.clone(),
            nick: Some("Alice".into()),
            password: None,
            bookmark: false,
            instant: true,
        });
        let mut joined_at = None;
        let newest = format!("archived message {ARCHIVE}");
        loop {
            let event = alice
                .wait(|e| {
                    matches!(e, Event::RoomOccupants { .. })
                        || matches!(e, Event::RoomUpdated { room } if room.state == RoomState::Joined)
                        || body_of(e).is_some()
                })
                .await;
            match &event {
                Event::RoomUpdated { .. } => {
                    joined_at.get_or_insert_with(Instant::now);
                }
                Event::RoomOccupants {
                    occupants: list, ..
                } => occupants = list.len(),
                _ if body_of(&event) == Some(newest.as_str()) => break,
                _ => {}
            }
        }
        let shown = joined_at.map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
        joins.push(shown);
        tokio::time::sleep(Duration::from_millis(500)).await;
        growth.push(rss_mib("self") - before);
        alice.shutdown().await;
        bob.close().await;
    }
    joins.sort_by(f64::total_cmp);
    growth.sort_by(f64::total_cmp);
    println!(
        "big room: joined to newest archived message shown: median {:.0} ms (min {:.0}, max {:.0}); \
         {occupants} occupants delivered; memory growth median {:.1} MiB (max {:.1})",
        joins[RUNS / 2],
        joins[0],
        joins[RUNS - 1],
        growth[RUNS / 2],
        growth[RUNS - 1]
    );
}

async fn autojoin() {
    let server = TestServer::builder()
        .accounts(&[("alice", "pw-a"), ("bob", "pw-b")])
        .muc(true)
        .start();
    let mut bob = RawClient::connect(&server, "bob", "pw-b").await;
    let mut alice_raw = RawClient::connect(&server, "alice", "pw-a").await;
    for n in 0..AUTOJOIN_ROOMS {
        let room = room_jid(&server, &format!("room{n}"));
        bob.join_room(room.as_str(), "Bob").await;
        let answer = alice_raw
            .iq(
                "set",
                None,
                &format!(
                    "<pubsub xmlns='http://jabber.org/protocol/pubsub'>\
                     <publish node='urn:xmpp:bookmarks:1'><item id='{room}'>\
                     <conference xmlns='urn:xmpp:bookmarks:1' autojoin='true'><nick>Alice</nick>\
                     </conference></item></publish><publish-options>\
                     <x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'>\
                     <value>http://jabber.org/protocol/pubsub#publish-options</value></field>\
                     <field var='pubsub#persist_items'><value>true</value></field>\
                     <field var='pubsub#max_items'><value>max</value></field>\
                     <field var='pubsub#access_model'><value>whitelist</value></field>\
                     </x></publish-options></pubsub>"
                ),
            )
            .await;
        assert_eq!(answer.attr("type"), Some("result"), "bookmark refused");
    }
    alice_raw.close().await;
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let root = tempfile::tempdir().expect("temp");
        let mut alice = Client::sign_in(&server, root.path(), "alice", "pw-a").await;
        let online = Instant::now();
        let mut joined = std::collections::HashSet::new();
        while joined.len() < AUTOJOIN_ROOMS {
            if let Event::RoomUpdated { room } = alice
                .wait(
                    |e| matches!(e, Event::RoomUpdated { room } if room.state == RoomState::Joined),
                )
                .await
            {
                joined.insert(room.room.clone());
            }
        }
        times.push(online.elapsed().as_secs_f64() * 1000.0);
        alice.shutdown().await;
    }
    times.sort_by(f64::total_cmp);
    println!(
        "autojoin: {AUTOJOIN_ROOMS} bookmarked rooms joined after going online: median {:.0} ms (min {:.0}, max {:.0})",
        times[RUNS / 2],
        times[0],
        times[RUNS - 1]
    );
    bob.close().await;
}
